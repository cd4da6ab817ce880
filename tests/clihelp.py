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


def on_pseudo_terminal(args: list[str], columns: int, stream: str = "stdout", cwd: str | None = None) -> str:
    """What the installed command writes to `stream` ("stdout" or "stderr") when that stream is a pseudo-terminal of
    `columns` columns (the other goes nowhere), no colour; the environment as the test left it, less COLUMNS/LINES."""
    import fcntl
    import os
    import struct
    import subprocess
    import sys
    import termios

    main_fd, child_fd = os.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
    environment.update(NO_COLOR="1", TERM="xterm-256color")
    targets = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, stream: child_fd}
    process = subprocess.Popen([sys.executable, "-m", "aicost", *args], stdout=targets["stdout"], stderr=targets["stderr"],
                               stdin=subprocess.DEVNULL, env=environment, cwd=cwd)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
