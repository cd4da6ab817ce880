"""What every command module shares: the typer app, option types, error mapping, input and output.

The CLI modules (`cli.py`, `cli_route.py`, `cli_checks.py`) are the only ones that know about the terminal.
Every command is wrapped by `handle_errors`, so an `AicostError` becomes one line on stderr and its exit
status; anything else becomes a one-line internal-error report in `main`.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from . import __version__
from .errors import EXIT_BROKEN_PIPE, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK, AicostError, InputError, OutputError, printable

if False:  # typing only; these modules load when a command runs
    from .catalog import Catalog
    from .render import OutputFormat
    from .render.view import View
    from .workload import Workload

HELP = (
    "LLM API cost calculator and routing planner. Prices a workload file on a versioned catalog of GPT, Claude, "
    "Qwen, GLM and DeepSeek prices. A month is 730 hours (365 x 24 / 12): requests_per_day x 730 / 24."
)
WORKLOAD_FILE = "aicost.toml"
COMPLETE_VARIABLE = "_AICOST_COMPLETE"  # typer's protocol: source_bash, complete_zsh, ...
STEP_SUMMARY_VARIABLE = "GITHUB_STEP_SUMMARY"
PIPED_WIDTH = 100  # columns when stdout is not a terminal: fixed, so logs and diffs are stable
REPORT_URL = "https://github.com/aicost/aicost/issues"

app = typer.Typer(
    name="aicost",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
pricing_app = typer.Typer(help="Look at, check and export the price catalog.", no_args_is_help=True)
app.add_typer(pricing_app, name="pricing")

F = TypeVar("F", bound=Callable[..., Any])


def say(message: str) -> None:
    """A message for people: always stderr, one line with control characters escaped, so stdout stays
    machine-readable and a hostile name cannot drive the terminal.  A stderr that cannot be written is ignored."""
    try:
        sys.stderr.write(printable(message) + "\n")
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
    """The report on standard output; a closed reader becomes BrokenPipe, any other failure an OutputError."""
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


def handle_errors(function: F) -> F:
    """Every command's boundary: a user's or the environment's failure becomes one line and its exit status."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except AicostError as exc:
            say(f"aicost: error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except BrokenPipe:
            silence_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except KeyboardInterrupt:
            say("aicost: interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


# ---------------------------------------------------------------------------------------------- options


def _version_callback(value: bool) -> None:
    if value:
        write_stdout(f"aicost {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """LLM API cost calculator and routing planner."""


FormatOption = Annotated[
    str, typer.Option("--format", "-f", envvar="AICOST_FORMAT", help="table, json, csv or markdown.")
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", envvar="AICOST_AS_OF", help="Pricing date YYYY-MM-DD (default: today).", show_default=False),
]
CatalogOption = Annotated[
    str | None,
    typer.Option(
        "--catalog", envvar="AICOST_CATALOG", help="Catalog directory, exported catalog file, or version.",
        show_default=False,
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr.")]
OutputOption = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Write the report to FILE instead of stdout: a file is replaced atomically "
                 "(through a symlink), a device or FIFO is written directly.", show_default=False),
]
SummaryOption = Annotated[
    bool,
    typer.Option(
        "--summary", help="Also append the markdown report to $GITHUB_STEP_SUMMARY (GitHub Actions), when it is set."
    ),
]
MaxOption = Annotated[
    str | None,
    typer.Option(
        "--max", help="Monthly budget, e.g. 5000, 5,000 or $5000: exit status 1 when the cost is over it.",
        show_default=False,
    ),
]
WorkloadArgument = Annotated[
    str | None,
    typer.Argument(
        help=f"Workload file (TOML or JSON), or - for stdin. Default: ./{WORKLOAD_FILE}, else the built-in example.",
        show_default=False,
    ),
]


def output_format(value: str) -> OutputFormat:
    from .render import OutputFormat

    try:
        return OutputFormat(value.lower())
    except ValueError:
        raise InputError(f"--format {value}: unknown format — use table, json, csv or markdown") from None


def pricing_date(value: str | None) -> dt.date:
    from .documents import parse_iso_date

    return dt.date.today() if value is None else parse_iso_date(value, "--as-of")


def open_catalog(spec: str | None) -> Catalog:
    from .catalog import load_catalog

    return load_catalog(spec)


def open_workload(path: str | None, catalog: Catalog, quiet: bool) -> Workload:
    from .workload import example_workload, load_workload

    if path is not None:
        return load_workload(path, catalog)
    default = Path(WORKLOAD_FILE)
    if default.is_symlink() and not default.exists():
        raise InputError(f"./{WORKLOAD_FILE}: is a symlink to {printable(os.readlink(default))}, which does not exist — "
                         "fix or remove the link, or name a workload file")
    if default.is_file():
        if not quiet:
            say(f"aicost: using ./{WORKLOAD_FILE}")
        return load_workload(WORKLOAD_FILE, catalog)
    if not quiet:
        say(f"aicost: no workload given and no ./{WORKLOAD_FILE}: pricing the built-in example "
            "(`aicost init` writes it to a file)")
    return example_workload(catalog)


def over_budget(monthly_cost: Decimal, limit: Decimal | None) -> bool:
    """The `--max` check of a report command: a warning on stderr (even with --quiet) when over the limit."""
    if limit is None or monthly_cost <= limit:
        return False
    from .render.view import money_text

    say(f"aicost: over budget: monthly cost {money_text(monthly_cost)} exceeds --max {money_text(limit)} "
        f"by {money_text(monthly_cost - limit)}")
    return True


def use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def write_report(text: str, output: str | None) -> None:
    """The report to standard output, or through --output to what its path names (see `fileio`)."""
    if output is None:
        write_stdout(text)
        return
    from .fileio import write_through

    try:
        write_through(output, text)
    except BrokenPipeError:
        raise BrokenPipe() from None


def emit(view: View, fmt: OutputFormat, output: str | None = None, summary: bool = False, quiet: bool = False) -> None:
    """Write the report to stdout or, atomically, to `output`; with `summary`, append its markdown to the
    GitHub Actions step summary ($GITHUB_STEP_SUMMARY)."""
    from .render import OutputFormat, render

    colour = output is None and use_colour()
    width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns if sys.stdout.isatty() else PIPED_WIDTH
    text = render(view, fmt, colour=colour, width=width)
    write_report(text, output)
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


def complete_model(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for a model argument or option: catalog ids and aliases (of --catalog when typed)."""
    spec = ctx.params.get("catalog") or os.environ.get("AICOST_CATALOG")
    try:
        catalog = open_catalog(spec if isinstance(spec, str) else None)
    except AicostError:
        return []
    names = [m.id for m in catalog.models] + [a for m in catalog.models for a in m.aliases]
    return [name for name in names if name.startswith(incomplete)]


def split_names(values: list[str] | None) -> list[str]:
    names: list[str] = []
    for value in values or []:
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return names



def main() -> None:
    """The console entry point.  Every outcome is an exit status of the documented set: usage errors are one line
    and exit 2, a closed pipe exits EXIT_BROKEN_PIPE quietly, and only a bug says "internal error" (exit 70)."""
    from typer.exceptions import TyperException

    if COMPLETE_VARIABLE in os.environ:
        # add_completion=False keeps --install-completion out of the CLI, but then typer never registers its
        # shell classes, and `_AICOST_COMPLETE=source_bash|complete_bash|...` would answer "not supported".
        from typer._completion_classes import completion_init

        completion_init()
    try:
        try:
            code = app(prog_name="aicost", standalone_mode=False)
        except SystemExit as exc:  # click ends a help text that met a closed pipe with exit 1
            if not isinstance(exc.__context__, BrokenPipeError):
                raise
            code = EXIT_BROKEN_PIPE
        if code in (EXIT_OK, EXIT_CHECK_FAILED):
            write_stdout("")  # flush now, so a full disk or a closed pipe is reported here, not at exit
    except TyperException as exc:  # click's usage errors: unknown option, bad value, missing argument
        say(f"aicost: error: {click_error_text(exc)}")
        code = exc.exit_code
    except BrokenPipe:
        code = EXIT_BROKEN_PIPE
    except BrokenPipeError:
        code = EXIT_BROKEN_PIPE
    except AicostError as exc:  # raised outside a command, e.g. by an option's callback
        say(f"aicost: error: {exc.message}")
        code = exc.exit_code
    except (KeyboardInterrupt, typer.Abort):
        say("aicost: interrupted")
        code = 130
    except Exception as exc:  # a bug, not a user error: one line, no traceback
        say(f"aicost: internal error: {type(exc).__name__}: {exc} — please report it at {REPORT_URL}")
        code = EXIT_INTERNAL
    if code == EXIT_BROKEN_PIPE:
        silence_stdout()
    sys.exit(code if isinstance(code, int) else 0)


def click_error_text(exc: Exception) -> str:
    """A usage error as one line: click's message and where to find help (`aicost cost --help`)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    context = getattr(exc, "ctx", None)
    if context is not None:
        return f"{message} — see `{context.command_path} --help`"
    return message
