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
