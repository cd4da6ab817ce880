"""What the command line writes: reports on stdout (or through --output), messages on stderr.

- Reports go to stdout; notes, warnings and errors to stderr, one line each, control characters escaped.  When
  stderr is a terminal, a message longer than its width is wrapped between words (never inside an amount, an id,
  a date or a short quoted name), so the terminal does not cut `$3,555.64` in two; anywhere else (a pipe, a log
  file) each message stays on one line, which scripts rely on.
- A table on a terminal is drawn by rich, fitted to the terminal's width, in colour unless NO_COLOR is set
  or TERM is dumb.  Anywhere else (a pipe, a file, --output) tables are plain text as wide as their content,
  whatever the terminal or COLUMNS say, so logs and diffs are stable.  JSON and CSV never import rich.
- A reader that closes the pipe ends the command quietly with EXIT_BROKEN_PIPE; any other failure to write
  is an OutputError (exit 2).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from aicost.errors import InputError, OutputError, printable, shown

if TYPE_CHECKING:
    from aicost.catalog.store import ProgressDisplay
    from aicost.render import OutputFormat
    from aicost.render.view import View

STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"


LONGEST_WORD = 255  # characters of one word (a path, a URL, a value) a message shows before it is cut


def clipped(message: str) -> str:
    """`message` with every run of more than LONGEST_WORD non-space characters cut as `shown` cuts a value: the last
    guard against an echo that bypassed `shown` (a 6,000-character path must not become a 6,000-character line)."""
    import re

    return re.sub(rf"\S{{{LONGEST_WORD + 1},}}", lambda m: shown(m.group(0), LONGEST_WORD), message)


def stderr_width() -> int | None:
    """The width of the terminal stderr is, or None when stderr is not a terminal (a pipe, a file).  $COLUMNS, when
    set to a number, wins, as it does for stdout."""
    try:
        if sys.stderr is None or not sys.stderr.isatty():
            return None
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        return os.get_terminal_size(sys.stderr.fileno()).columns or None
    except (OSError, ValueError, AttributeError):
        return None


def say(message: str) -> None:
    """A message for people: always stderr, one line with control characters escaped, so stdout stays
    machine-readable and a hostile name cannot drive the terminal.  On a terminal, a line wider than it is wrapped
    between words (`layout.wrap_line`).  A stderr that cannot be written is ignored."""
    text = clipped(printable(message))
    width = stderr_width()
    if width is not None and len(text) > width:
        from aicost.render.layout import wrap_line

        text = "\n".join(wrap_line(text, width))
    try:
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


class BrokenPipe(Exception):
    """Whoever read standard output has gone (`aicost ... | head -1`): end quietly with EXIT_BROKEN_PIPE."""


def silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):
        pass


def write_stdout(text: str) -> None:
    """Text on standard output; a closed reader becomes BrokenPipe, any other failure an OutputError."""
    stream = sys.stdout
    if stream is None:
        raise OutputError("standard output is closed — redirect it to a file, or use --output FILE")
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        raise BrokenPipe() from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is closed"
        silence_stdout()  # what is still buffered can never be written; the exit must not try again
        raise OutputError(f"cannot write the report to standard output ({reason}) — check the disk, or use "
                          "--output FILE") from None


def write_report(text: str, output: str | None, option: str = "--output") -> None:
    """The report to standard output, or through --output to what its path names (see `aicost.fileio`); never over
    a file the command read (a workload, a catalog, a price file, standard input redirected from a file)."""
    if output is None:
        write_stdout(text)
        return
    from aicost.fileio import read_by_this_command, write_through

    if read_by_this_command(output):
        raise InputError(f"{option} {shown(output)}: is one of the files this command reads — write to another "
                         "file")

    try:
        write_through(output, text)
    except BrokenPipeError:
        raise BrokenPipe() from None


def on_terminal() -> bool:
    try:
        return sys.stdout is not None and sys.stdout.isatty()
    except (OSError, ValueError):
        return False


def use_colour() -> bool:
    return on_terminal() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def on_terminal_table(fmt: OutputFormat, output: str | None) -> bool:
    """Whether `emit` will draw this report for a person at a terminal (a table, on stdout, stdout a terminal)."""
    from aicost.render import OutputFormat

    return fmt is OutputFormat.table and output is None and on_terminal()


def stale_hint(view: View) -> None:
    """The one-line stderr hint when the report's catalog is more than 60 days old on its pricing date."""
    import datetime as dt

    from aicost.catalog import stale_catalog_hint

    version, as_of = view.document.get("catalog_version"), view.document.get("as_of")
    if isinstance(version, str) and isinstance(as_of, dt.date):
        hint = stale_catalog_hint(version, as_of)
        if hint:
            say(f"aicost: hint: {hint} — `aicost pricing update` installs a newer one")


def emit(view: View, fmt: OutputFormat, output: str | None = None, summary: bool = False, quiet: bool = False) -> None:
    """Write the report to stdout or through `output`; with `summary`, append its markdown to the GitHub Actions
    step summary ($GITHUB_STEP_SUMMARY)."""
    from aicost.render import OutputFormat, render

    if fmt is OutputFormat.focus:  # `aicost usage` writes its FOCUS rows itself, before this is reached
        raise InputError("--format focus: FOCUS billing rows are what `aicost usage` writes — use --format csv or "
                         "json here")
    if on_terminal_table(fmt, output):
        import shutil

        from aicost.render.rich_format import render_rich

        text = render_rich(view, width=shutil.get_terminal_size().columns, colour=use_colour())
    else:
        text = render(view, fmt)
    summary_target = os.environ.get(STEP_SUMMARY_VARIABLE) if summary else None
    if summary_target:
        from aicost.fileio import read_by_this_command

        if read_by_this_command(summary_target):  # checked before the report is written: nothing half-done
            raise InputError(f"${STEP_SUMMARY_VARIABLE} {shown(summary_target)}: is one of the files this command reads "
                             "— point it at another file")
    write_report(text, output)
    if not quiet and fmt is not OutputFormat.json:
        stale_hint(view)
    if summary:
        target = os.environ.get(STEP_SUMMARY_VARIABLE)
        if not target:
            if not quiet:
                say(f"aicost: --summary: ${STEP_SUMMARY_VARIABLE} is not set (not in GitHub Actions), nothing appended")
            return
        markdown = text if fmt is OutputFormat.markdown else render(view, OutputFormat.markdown)
        try:
            with open(target, "a", encoding="utf-8") as stream:
                stream.write(markdown + "\n")
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not a usable path"
            raise OutputError(
                f"{printable(target)}: cannot append the step summary ({reason}) — check ${STEP_SUMMARY_VARIABLE}"
            ) from None


@contextlib.contextmanager
def download_progress(total: int | None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr, gone when the download ends."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress

    with Progress("catalog", BarColumn(), DownloadColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("catalog", total=total)
        yield lambda completed: bar.update(task, completed=completed)


def terminal_progress(quiet: bool = False) -> ProgressDisplay | None:
    """A download's progress bar, only for a person at a terminal (stderr is one, and no --quiet)."""
    return download_progress if not quiet and sys.stderr.isatty() else None
