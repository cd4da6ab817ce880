"""A download's progress: the core's `fetch` reports the size and the bytes received to whatever display it is
given; the command line gives its rich bar only to a person at a terminal (the core never draws)."""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler

import pytest

from aicost.catalog.store import fetch
from aicost.cli.output import download_progress, terminal_progress
from httphelp import serving

BODY = b"x" * 200_000


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("AICOST_OFFLINE", "")
    with serving(Handler) as base:
        yield f"{base}/catalog.json"


def test_fetch_tells_the_display_the_size_and_the_bytes_received(url: str) -> None:
    seen: list[tuple[str, int | None]] = []

    @contextlib.contextmanager
    def display(total: int | None) -> Iterator[Callable[[int], None]]:
        seen.append(("start", total))
        yield lambda received: seen.append(("received", received))
        seen.append(("end", None))

    assert fetch(url, timeout=10, progress=display) == BODY
    assert seen[0] == ("start", 200_000) and seen[-1] == ("end", None)
    received = [count for event, count in seen[1:-1]]
    assert received == sorted(received) and received[-1] == 200_000
    assert fetch(url, timeout=10) == BODY  # no display: nothing drawn


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_bar_only_for_a_person_at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert terminal_progress() is None
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert terminal_progress() is download_progress
    assert terminal_progress(quiet=True) is None


def test_the_bar_runs_and_goes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with download_progress(None) as advance:
        advance(10)
    with download_progress(100) as advance:
        advance(100)
