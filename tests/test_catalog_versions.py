"""Catalog versions: `pricing update` against a real HTTP server on 127.0.0.1, `versions`, `use`, `diff`.

Every failure exits 3 and leaves the installed catalogs byte for byte as they were; a success installs
atomically, keeps the previous version and becomes active; `pricing use` rolls back.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from clihelp import Run, run_main
from httphelp import serving, snapshot

BUNDLED_EXPORT = run_main("pricing", "export", "--format", "json").stdout
BUNDLED = json.loads(BUNDLED_EXPORT)["catalog_version"]


def document(version: str, gpt4o_input: str = "2.5") -> bytes:
    text = BUNDLED_EXPORT.replace(f'"catalog_version": "{BUNDLED}"', f'"catalog_version": "{version}"', 1)
    return text.replace('"input": 2.5,', f'"input": {gpt4o_input},', 1).encode("utf-8")


GOOD = document("2027.1.0", "2.0")
ROUTES: dict[str, tuple[int, dict[str, str], bytes, float]] = {
    "/good.json": (200, {}, GOOD, 0),
    "/older.json": (200, {}, document("2026.10.0"), 0),
    "/garbage": (200, {}, b"<html>not a catalog</html>", 0),
    "/invalid.json": (200, {}, GOOD.replace(b'"input": 2.0,', b'"input": -2.0,', 1), 0),
    "/truncated.json": (200, {"Content-Length": str(len(GOOD))}, GOOD[: len(GOOD) // 2], 0),
    "/missing": (404, {}, b"not found", 0),
    "/broken": (500, {}, b"server error", 0),
    "/slow.json": (200, {}, GOOD, 3.0),
    "/declared-huge.json": (200, {"Content-Length": str(17 * 1024 * 1024)}, b"{", 0),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path in ("/drip-headers", "/drip-body"):  # a byte every 0.05 s: each read is quick, the whole is not
            head = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nX-Padding: %s\r\n\r\n" % (len(GOOD), b"x" * 400)
            body = GOOD
            if self.path == "/drip-body":
                self.wfile.write(head)
                self.wfile.flush()
                head, body = GOOD[:400], b""
            try:
                for byte in head:  # 400+ bytes: more than 20 s in all
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.05)
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True
            return
        if self.path == "/endless":  # no Content-Length, more than the cap
            self.send_response(200)
            self.end_headers()
            chunk = b" " * 65536
            try:
                for _ in range(300):  # 19.2 MiB at most, then stop by itself
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        status, headers, body, delay = ROUTES.get(self.path, (404, {}, b"", 0))
        time.sleep(delay)
        self.send_response(status)
        headers = {"Content-Length": str(len(body)), **headers}
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as base:
        yield base



def update(home: Path, *args: str) -> Run:
    return run_main("pricing", "update", *args, env={"AICOST_HOME": str(home), "AICOST_OFFLINE": ""})


def test_update_installs_keeps_the_previous_and_rolls_back(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = {"AICOST_HOME": str(home)}
    result = update(home, "--url", f"{server}/good.json")
    assert result.exit_code == 0, result.stderr
    assert "installed catalog 2027.1.0" in result.stderr
    assert (home / "catalogs" / "active").read_text() == "2027.1.0\n"
    # commands now use it: gpt-4o input $2.00 instead of $2.50: 10 requests x 100,000 input tokens x $2 / 1e6 = $2
    cost = ["cost", "--model", "gpt-4o", "--requests-per-month", "10", "--input-tokens", "100000", "--output-tokens", "0",
            "--format", "csv"]
    assert run_main(*cost, env=env).stdout.splitlines()[-1] == "total,,10,2,0,0,0,2"
    listed = run_main("pricing", "versions", "--format", "json", env=env)
    versions = json.loads(listed.stdout)
    assert [v["version"] for v in versions["versions"]] == ["2027.1.0", BUNDLED] and versions["active"] == "2027.1.0"
    diff = run_main("pricing", "diff", BUNDLED, "2027.1.0", "--fail-on-change", "--format", "json", env=env)
    assert diff.exit_code == 1
    # input 2.50 -> 2.00: (2.00 - 2.50) / 2.50 = -0.2
    assert json.loads(diff.stdout)["changes"] == [
        {"model": "gpt-4o", "price": "input", "kind": "changed", "old": 2.5, "new": 2, "change": -0.2}]
    assert run_main("pricing", "use", BUNDLED, env=env).exit_code == 0
    assert run_main(*cost, env=env).stdout.splitlines()[-1] == "total,,10,2.5,0,0,0,2.5"
    assert not (home / "catalogs" / "active").exists()
    assert (home / "catalogs" / "2027.1.0.json").is_file()  # kept
    again = update(home, "--url", f"{server}/good.json")
    assert again.exit_code == 0 and "already installed" in again.stderr


@pytest.mark.parametrize(
    ("path", "args", "message"),
    [
        ("/garbage", (), "not a valid catalog: "),
        ("/invalid.json", (), "must be >= 0, got -2.0"),
        ("/truncated.json", (), "truncated"),
        ("/missing", (), "HTTP 404 Not Found"),
        ("/broken", (), "HTTP 500 Internal Server Error"),
        ("/slow.json", ("--timeout", "0.5"), "no answer within 0.5 s"),
        ("/drip-headers", ("--timeout", "1"), "no answer within 1 s"),
        ("/drip-body", ("--timeout", "1"), "not complete within 1 s"),
        ("/declared-huge.json", (), "more than the 16 MiB it may have"),
        ("/endless", (), "more than the 16 MiB it may have"),
        ("/older.json", (), "older than the active 2027.1.0"),
    ],
)
def test_every_failure_exits_3_and_changes_nothing(server: str, tmp_path: Path, path: str, args: tuple[str, ...],
                                                   message: str) -> None:
    home = tmp_path / "home"
    assert update(home, "--url", f"{server}/good.json").exit_code == 0
    before = snapshot(home)
    result = update(home, "--url", f"{server}{path}", *args)
    assert result.exit_code == 3, result
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stderr.endswith("(nothing changed)\n")
    assert snapshot(home) == before


def test_offline_refuses_the_network(tmp_path: Path) -> None:
    result = run_main("pricing", "update", env={"AICOST_HOME": str(tmp_path), "AICOST_OFFLINE": "1"})
    assert result.exit_code == 3 and "AICOST_OFFLINE=1: no network access" in result.stderr
    assert not any(tmp_path.iterdir())


def test_update_from_a_file_and_downgrade_on_request(tmp_path: Path, server: str) -> None:
    home = tmp_path / "home"
    assert update(home, "--url", f"{server}/good.json").exit_code == 0
    older = tmp_path / "older.json"
    older.write_bytes(document("2026.10.0"))
    assert update(home, "--file", str(older)).exit_code == 3
    result = update(home, "--file", str(older), "--allow-downgrade")
    assert result.exit_code == 0 and (home / "catalogs" / "active").read_text() == "2026.10.0\n"


def test_price_diff_between_dates() -> None:
    """gpt-4o moved from $5 / $15 to $2.50 / $10 on 2024-10-02 (and gained cache and batch prices)."""
    result = run_main("pricing", "diff", "2024-10-01", "2024-10-02", "--format", "json")
    changes = {(c["model"], c["price"]): c for c in json.loads(result.stdout)["changes"]}
    # input (2.50 - 5.00) / 5.00 = -0.5; output (10 - 15) / 15 = -0.333333
    assert changes[("gpt-4o", "input")]["change"] == -0.5
    assert changes[("gpt-4o", "output")]["change"] == -0.333333
    assert changes[("gpt-4o", "cache_read")]["kind"] == "added"


def test_a_missing_active_catalog_says_how_to_recover(tmp_path: Path) -> None:
    (tmp_path / "catalogs").mkdir()
    (tmp_path / "catalogs" / "active").write_text("2099.1.0\n")
    result = run_main("pricing", "list", env={"AICOST_HOME": str(tmp_path)})
    assert result.exit_code == 2 and "run `aicost pricing use bundled`" in result.stderr
    assert run_main("pricing", "use", "bundled", env={"AICOST_HOME": str(tmp_path)}).exit_code == 0
    assert run_main("pricing", "list", env={"AICOST_HOME": str(tmp_path)}).exit_code == 0


def test_same_version_other_prices_is_refused(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert update(home, "--url", f"{server}/good.json").exit_code == 0
    before = snapshot(home)
    other = tmp_path / "other.json"
    other.write_bytes(document("2027.1.0", "9.0"))
    result = update(home, "--file", str(other))
    assert result.exit_code == 3 and "already installed with other prices" in result.stderr
    assert snapshot(home) == before


def test_an_unreadable_installed_version_is_listed_and_repaired(server: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "catalogs").mkdir(parents=True)
    (home / "catalogs" / "2027.1.0.json").write_text("x", encoding="utf-8")
    listed = run_main("pricing", "versions", env={"AICOST_HOME": str(home)})
    assert listed.exit_code == 0 and "cannot be read: reinstall it" in listed.stdout
    assert update(home, "--url", f"{server}/good.json").exit_code == 0
    assert json.loads((home / "catalogs" / "2027.1.0.json").read_text())["catalog_version"] == "2027.1.0"


def test_a_broken_home_is_a_clean_error(tmp_path: Path, server: str) -> None:
    home_file = tmp_path / "home-file"
    home_file.write_text("not a directory", encoding="utf-8")
    assert run_main("pricing", "use", "bundled", env={"AICOST_HOME": str(home_file)}).exit_code == 0  # nothing to clear
    home = tmp_path / "home"
    (home / "catalogs" / "active").mkdir(parents=True)
    before = snapshot(home)
    used = run_main("pricing", "use", "bundled", env={"AICOST_HOME": str(home)})
    assert used.exit_code == 2 and "cannot clear the active catalog" in used.stderr
    result = update(home, "--url", f"{server}/good.json")
    assert result.exit_code == 3 and "is not a file — remove it" in result.stderr
    assert snapshot(home) == before and sorted(p.name for p in (home / "catalogs").iterdir()) == ["active"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:1/a\nb", "http://[::1", "ftp://example.invalid/x", " "])
def test_unusable_urls(tmp_path: Path, url: str) -> None:
    result = update(tmp_path / "home", "--url", url)
    assert result.exit_code in (2, 3) and result.stderr.count("\n") == 1 and "internal error" not in result.stderr


def test_one_deadline_for_the_whole_request(server: str, tmp_path: Path) -> None:
    """Headers dripped a byte at a time never trip a per-read timeout; the request as a whole stops at --timeout
    (1 s here, against the 20 s the server would take), with exit 3 and nothing installed."""
    started = time.monotonic()
    result = update(tmp_path / "home", "--url", f"{server}/drip-headers", "--timeout", "1")
    assert time.monotonic() - started < 3
    assert result.exit_code == 3 and result.stderr.endswith("/drip-headers: no answer within 1 s — try again later "
                                                            "(nothing changed)\n")
    # the abandoned request's connection is shut: its worker ends now, not at the server's pace
    for _ in range(40):
        if not any(thread.name == "aicost-fetch" for thread in threading.enumerate()):
            break
        time.sleep(0.05)
    assert not any(thread.name == "aicost-fetch" for thread in threading.enumerate())
    assert not (tmp_path / "home").exists()


def test_the_active_marker_names_a_version_in_the_data_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    """A file named like the active version in the current directory is not the catalog (prices 100x: $250,000
    instead of $2,500 for 1,000,000 requests of 1,000 gpt-4o input tokens at $2.50 per million); a marker holding
    `-` (standard input), a path or garbage is refused, exit 2, one line, standard input never read."""
    home = tmp_path / "home"
    (home / "catalogs").mkdir(parents=True)
    work = tmp_path / "clone"
    work.mkdir()
    (work / BUNDLED).write_bytes(document(BUNDLED, "250"))
    monkeypatch.chdir(work)
    env = {"AICOST_HOME": str(home)}
    cost = ["cost", "--model", "gpt-4o", "--requests-per-month", "1000000", "--input-tokens", "1000", "--output-tokens",
            "0", "--format", "json"]
    (home / "catalogs" / "active").write_text(f"{BUNDLED}\n", encoding="utf-8")
    assert json.loads(run_main(*cost, env=env).stdout)["monthly_cost"] == 2500
    # --catalog VERSION is the version too; ./NAME is the file
    assert json.loads(run_main(*cost, "--catalog", BUNDLED, env=env).stdout)["monthly_cost"] == 2500
    assert json.loads(run_main(*cost, "--catalog", f"./{BUNDLED}", env=env).stdout)["monthly_cost"] == 250000
    for marker in (b"-\n", b"../../clone/x\n", b"2026.12\n", b"\xff\xfe2\x00", b"2026.12.0" * 50):
        (home / "catalogs" / "active").write_bytes(marker)
        result = run_main(*cost, env=env, stdin=document(BUNDLED, "250"))
        assert result.exit_code == 2 and result.stdout == "", (marker, result.stderr)
        assert result.stderr.count("\n") == 1 and "does not hold a catalog version of the form YYYY.M.PATCH" in (
            result.stderr) and "`aicost pricing use bundled`" in result.stderr and len(result.stderr) < 400
    # `pricing use bundled` resets it
    assert run_main("pricing", "use", "bundled", env=env).exit_code == 0
    assert json.loads(run_main(*cost, env=env).stdout)["monthly_cost"] == 2500


def test_an_active_marker_that_is_not_a_regular_file_is_refused_without_waiting(tmp_path: Path) -> None:
    """A FIFO in the marker's place used to block every command waiting for a writer; now it is refused at once,
    exit 2, one line with the usual reset advice — and `pricing use bundled` replaces it."""
    import os
    home = tmp_path / "home"
    (home / "catalogs").mkdir(parents=True)
    os.mkfifo(home / "catalogs" / "active")
    env = {"AICOST_HOME": str(home)}
    started = time.monotonic()
    result = run_main("cost", "--model", "gpt-4o", "--requests-per-month", "1000", "--input-tokens", "1000",
                      "--output-tokens", "0", env=env)
    assert time.monotonic() - started < 10
    assert result.exit_code == 2 and result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert "the active catalog marker is not a regular file" in result.stderr
    assert "`aicost pricing use bundled`" in result.stderr
    assert run_main("pricing", "use", "bundled", env=env).exit_code == 0
    assert not (home / "catalogs" / "active").exists()


def test_a_slow_reference_is_not_told_to_give_a_timeout_it_has_not(server: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`pricing import URL` and `pricing check --against URL` take no --timeout: a body dripped past their
    deadline (made 1 s here instead of 30 s) is exit 3 without "give a longer --timeout" (a "No such option");
    `pricing update` keeps the hint."""
    from aicost.cli.commands import pricing as pricing_command

    monkeypatch.setattr(pricing_command._reference_bytes, "__defaults__", (1.0,))
    for args in (("pricing", "import", "litellm", f"{server}/drip-body"),
                 ("pricing", "check", "--against", f"{server}/drip-body")):
        result = run_main(*args, env={"AICOST_HOME": str(tmp_path / "home"), "AICOST_OFFLINE": ""})
        assert result.exit_code == 3 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert "not complete within 1 s — try again later, or download it and give the file" in result.stderr
        assert "--timeout" not in result.stderr
    result = update(tmp_path / "home", "--url", f"{server}/drip-body", "--timeout", "1")
    assert result.exit_code == 3 and "give a longer --timeout" in result.stderr
