"""The command line's boundary: a failure becomes one line on stderr and its exit status.

The core raises structured errors that speak of parameters (`small_share`); here they are worded with the
command line's flags (`--share`) and, where it helps, the command that fixes them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from decimal import DecimalException
from typing import TYPE_CHECKING, Any

from aicost.errors import (
    EXIT_BAD_INPUT,
    EXIT_BROKEN_PIPE,
    EXIT_OK,
    LIST_MODELS,
    RESET_ACTIVE_CATALOG,
    AicostError,
    ContextWindowError,
    EmptyDocumentError,
    FamilyNameError,
    ParameterError,
    RetiredError,
    UnknownModelError,
    UnpricedError,
    did_you_mean,
    mentioning,
    shown,
)

from .output import BrokenPipe, say, silence_stdout

if TYPE_CHECKING:
    from aicost.request_pricing import NotOfferedError

EXIT_INTERRUPTED = 130
EXIT_TERMINATED = 143  # 128 + SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM while a command can clean up after itself (`usage` reading logs): raised like Ctrl-C's
    KeyboardInterrupt, so the same clean-up runs, and reported with its own status."""


def interrupted(exc: KeyboardInterrupt) -> int:
    """The one line and the exit status of an interruption: Ctrl-C (130) or SIGTERM (143)."""
    if isinstance(exc, Terminated):
        say("aicost: terminated")
        return EXIT_TERMINATED
    say("aicost: interrupted")
    return EXIT_INTERRUPTED


# Parameters whose flag is not simply --name-with-dashes.
FLAGS = {
    "small_share": "--share",
    "size_class": "--class",
    "router_overhead": "--router-cost/--classifier",
    "verifier_overhead": "--verifier-cost/--verifier",
}
COMMAND_HINTS = {  # an error's `fix`: the command that fixes it
    RESET_ACTIVE_CATALOG: ": run `aicost pricing use bundled` (or `pricing use VERSION`)",
    LIST_MODELS: " (`aicost pricing list` shows the models)",
}
FAMILY_HINT = " (`aicost pricing list --current` shows the newest of each family)"
EMPTY_HINTS = {
    "workload": " (`aicost init` writes an example)",
    "catalog": " (`aicost pricing export` writes the bundled one)",
}


ENVIRONMENT: dict[str, str] = {}  # this command line's parameters whose value came from an environment variable


def note_environment(sources: dict[str, str]) -> None:
    """Record which parameters took their value from an environment variable ({"as_of": "AICOST_AS_OF"}), so that
    a message about the value names the variable, not an option the user did not give."""
    ENVIRONMENT.clear()
    ENVIRONMENT.update(sources)


WORKLOAD: dict[str, tuple[str, int, str]] = {}  # this command's workload: stream name -> (source, index, model)


def note_workload(source: str, streams: Iterable[tuple[str, str]]) -> None:
    """Record the workload this command prices ((name, model) of each stream, read from `source`), so that a
    message about a stream can name its place: `w.toml: streams[0].service_tier`, or the flag it came from."""
    WORKLOAD.clear()
    WORKLOAD.update({name: (source, index, model) for index, (name, model) in enumerate(streams)})


def not_offered_text(exc: NotOfferedError) -> str:
    """`w.toml: streams[0].service_tier: gpt-4o offers no service tier 'flex' — drop it or choose one it offers:
    standard`; from the command line the flag (`--service-tier flex: ...`); a model the stream is tried on (route's
    --small, compare's candidates) says which stream asks for it."""
    from .inputs import COMMAND_LINE

    head = f"{exc.model} offers no {exc.what} '{shown(exc.name)}'{did_you_mean(exc.name, exc.offered)}"
    fix = f"drop it or choose one it offers: {', '.join(exc.offered)}" if exc.offered else "drop it: it offers none"
    if exc.stream is None or exc.stream not in WORKLOAD:
        where = "" if exc.stream is None else f"stream '{shown(exc.stream)}': "
        return f"{where}{head} — {fix}, or choose another model, pricing date (--as-of) or catalog (--catalog)"
    source, index, model = WORKLOAD[exc.stream]
    value = "" if exc.field == "off_peak_share" else f" {shown(exc.name)}"
    place = f"{flag(exc.field)}{value}" if source == COMMAND_LINE else f"{source}: streams[{index}].{exc.field}"
    if model == exc.model:
        return f"{place}: {head} — {fix}"
    return f"{place}: {head} (stream '{shown(exc.stream)}' asks for it) — {fix}, or choose another model"


def is_variable(name: str) -> bool:
    """An environment variable's name (AICOST_BUDGET) rather than a parameter's (max_increase)."""
    return name.startswith("AICOST_") and name.isupper()


def parameter_words(exc: ParameterError) -> str:
    """`--as-of X: problem`, or `AICOST_AS_OF=X: problem` when the value came from that environment variable."""
    variable = ENVIRONMENT.get(exc.parameter) or (exc.parameter if is_variable(exc.parameter) else None)
    if variable is None:
        return exc.worded(flag(exc.parameter), flag)
    problem = mentioning(exc.problem, exc.mentions, flag)
    return f"{variable}: {problem}" if exc.value is None else f"{variable}={shown(exc.value)}: {problem}"


def flag(parameter: str) -> str:
    if parameter in FLAGS:
        return FLAGS[parameter]
    return "--" + parameter.replace("_", "-") if parameter.isidentifier() else parameter


def error_text(exc: AicostError) -> str:
    """The one line that says what went wrong, worded for the command line: the parameters it mentions as flags."""
    message = exc.worded_with(flag) + COMMAND_HINTS.get(exc.fix or "", "")
    if isinstance(exc, ParameterError):
        hint = " (`aicost route plan` ranks the candidates)" if exc.parameter == "small" and exc.value is None else ""
        return parameter_words(exc) + COMMAND_HINTS.get(exc.fix or "", "") + hint
    from aicost.request_pricing import NotOfferedError

    if isinstance(exc, NotOfferedError):
        return not_offered_text(exc)
    if isinstance(exc, ContextWindowError):
        return message + " — choose a model with a larger window, or send shorter requests"
    if isinstance(exc, UnpricedError) and not isinstance(exc, RetiredError):
        return message + " — choose another model, pricing date (--as-of) or catalog (--catalog)"
    if isinstance(exc, FamilyNameError):
        return message + FAMILY_HINT
    if isinstance(exc, UnknownModelError) and not exc.suggestion:
        return message + " — `aicost pricing list` shows the models"
    if isinstance(exc, EmptyDocumentError):
        return message + EMPTY_HINTS.get(exc.what, "")
    return message


def guarded(function: Callable[..., int]) -> Callable[..., int]:
    """Run a command: its exit status, or a user's or the environment's failure as one line and its status."""

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> int:
        from aicost.fileio import forget_inputs

        forget_inputs()
        WORKLOAD.clear()
        try:
            return function(*args, **kwargs) or EXIT_OK
        except AicostError as exc:
            say(f"aicost: error: {error_text(exc)}")
            return exc.exit_code
        except DecimalException as exc:  # inputs are bounded so that this cannot happen; if it does, it is the input's
            say(f"aicost: error: a number is out of the range aicost computes with ({type(exc).__name__}) — check the "
                "values of the workload, the catalog and the options")
            return EXIT_BAD_INPUT
        except BrokenPipe:
            silence_stdout()
            return EXIT_BROKEN_PIPE
        except KeyboardInterrupt as exc:
            return interrupted(exc)

    return run
