"""Run the real CLI in-process, through its console entry point, with stdout and stderr kept apart."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: str, stdin: str | bytes | None = b"", env: dict[str, str] | None = None) -> Run:
    """The real CLI in-process, as the installed command runs it (see `run_main`)."""
    return run_main(*args, stdin=stdin.encode("utf-8") if isinstance(stdin, str) else stdin, env=env)


def run_main(*args: str, stdin: bytes | None = b"", env: dict[str, str] | None = None) -> Run:
    """Run the console entry point `aicost.cli.main` in-process, as the installed command runs it.

    `stdin=None` runs with standard input closed (`aicost cost - <&-`); `env` adds environment variables.
    """
    import io
    import os
    import sys
    from unittest import mock

    from aicost.cli import main

    stdout, stderr = io.BytesIO(), io.BytesIO()
    streams = {
        "stdin": None if stdin is None else io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
        "stdout": io.TextIOWrapper(stdout, encoding="utf-8", write_through=True),
        "stderr": io.TextIOWrapper(stderr, encoding="utf-8", errors="backslashreplace", write_through=True),
    }
    with mock.patch.dict(os.environ, env or {}), mock.patch.multiple(sys, argv=["aicost", *args], **streams):
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(code, stdout.getvalue().decode("utf-8", "replace"), stderr.getvalue().decode("utf-8", "replace"))
