"""The console entry point: the fast path when it can take the command line, else typer; then one exit status."""

from __future__ import annotations

import os
import sys

from aicost.errors import EXIT_BAD_INPUT, EXIT_BROKEN_PIPE, EXIT_CHECK_FAILED, EXIT_INTERNAL, EXIT_OK, AicostError, OutputError

from .errors import EXIT_INTERRUPTED, error_text, interrupted, note_environment
from .output import BrokenPipe, say, silence_stdout, write_stdout

COMPLETE_VARIABLE = "_AICOST_COMPLETE"
REPORT_URL = "https://github.com/aicost/aicost/issues"


def main() -> None:
    """Every outcome is an exit status of the documented set: usage errors are one line and exit 2, a closed pipe
    exits EXIT_BROKEN_PIPE quietly, and only a bug says "internal error" (exit 70)."""
    arguments = sys.argv[1:]
    code: int | None = None
    note_environment({})  # nothing of an earlier command line (in-process callers) is said of this one
    try:
        if COMPLETE_VARIABLE not in os.environ:
            from .fast import run_fast

            code = run_fast(arguments)
        if code is None:
            code = run_typer(arguments)
    except Exception as exc:  # a bug, not a user error: one line, no traceback
        say(f"aicost: internal error: {type(exc).__name__}: {exc} — please report it at {REPORT_URL}")
        code = EXIT_INTERNAL
    sys.exit(finish(code))


def finish(code: int) -> int:
    """Flush standard output now, so that a full disk or a closed pipe is reported here and not at exit."""
    if code in (EXIT_OK, EXIT_CHECK_FAILED):
        try:
            write_stdout("")
        except BrokenPipe:
            code = EXIT_BROKEN_PIPE
        except OutputError as exc:
            say(f"aicost: error: {exc.message}")
            code = exc.exit_code
    if code == EXIT_BROKEN_PIPE:
        silence_stdout()
    return code


def run_typer(arguments: list[str]) -> int:
    """The typer application, with its usage errors as one line and a closed pipe as EXIT_BROKEN_PIPE."""
    import typer
    from typer.exceptions import TyperException

    from .app import app

    if COMPLETE_VARIABLE in os.environ:
        from .typer_internals import enable_completion

        enable_completion()
    try:
        try:
            code = app(args=arguments, prog_name="aicost", standalone_mode=False)
        except SystemExit as exc:  # click ends a help text that met a closed pipe with exit 1
            if not isinstance(exc.__context__, BrokenPipeError):
                raise
            return EXIT_BROKEN_PIPE
    except TyperException as exc:  # click's usage errors: unknown option, bad value, missing argument
        from .typer_internals import is_bare_group

        if is_bare_group(exc):  # `aicost` alone: the help on stdout, and one line saying what is missing
            write_stdout(exc.format_message() + "\n")
            context = getattr(exc, "ctx", None)
            say(f"aicost: error: a command is missing — see `{context.command_path if context else 'aicost'} --help`")
        else:
            say(f"aicost: error: {usage_text(exc)}")
        return exc.exit_code
    except (BrokenPipe, BrokenPipeError):
        return EXIT_BROKEN_PIPE
    except OSError as exc:  # help text on a full disk: click only handles a closed pipe
        say(f"aicost: error: cannot write to standard output ({exc.strerror}) — check the disk")
        return EXIT_BAD_INPUT
    except AicostError as exc:  # raised outside a command, e.g. by an option's callback
        say(f"aicost: error: {error_text(exc)}")
        return exc.exit_code
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    except typer.Abort:
        say("aicost: interrupted")
        return EXIT_INTERRUPTED
    return code if isinstance(code, int) else EXIT_OK


def usage_text(exc: Exception) -> str:
    """A usage error as one line: click's message and where to find help (`aicost cost --help`).  The user's values
    it quotes are cut like every echo (`shown`), and an option's environment variable is named only when the value
    came from it."""
    import re

    from aicost.errors import SHOWN_LENGTH, shown

    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    context = getattr(exc, "ctx", None)
    envvar = getattr(getattr(exc, "param", None), "envvar", None)
    if envvar:
        from .typer_internals import value_from_environment

        if not value_from_environment(exc):
            message = message.replace(f" (env var: '{envvar}')", "")
    longer = SHOWN_LENGTH + 1
    message = re.sub(rf"'([^']{{{longer},}})'", lambda m: f"'{shown(m.group(1))}'", message)
    message = re.sub(rf"[^\s']{{{longer},}}", lambda m: shown(m.group(0)), message)
    if context is not None:
        command = context.command_path.replace(" route estimate", " route")  # the hidden default command
        return f"{message} — see `{command} --help`"
    return message
