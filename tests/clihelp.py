"""Run the real CLI in-process (typer's CliRunner) with stdout and stderr kept apart."""

from __future__ import annotations

from dataclasses import dataclass

from typer.testing import CliRunner

from aicost.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: str, stdin: str | bytes | None = None) -> Run:
    runner = CliRunner()
    result = runner.invoke(app, list(args), input=stdin, catch_exceptions=False, terminal_width=100)
    return Run(result.exit_code, result.stdout, result.stderr)


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
