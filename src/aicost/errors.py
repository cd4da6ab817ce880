"""One exception base for everything a user can get wrong, the exit codes it maps to, and safe echoing.

The CLI boundary is the only place that turns these into a message on stderr and an exit status.  Messages
echo what the user wrote (a file name, a model id, a value); `shown` and `printable` make such echoes safe for
a terminal and a log: one line, control characters escaped, long values cut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

EXIT_OK = 0
EXIT_CHECK_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_REMOTE = 3
EXIT_INTERNAL = 70
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`; never 1 ("over budget")

SHOWN_LENGTH = 80  # characters of a user's value echoed in a message before it is cut

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` with every character a terminal would act on escaped: newlines as \\n, ESC as \\x1b, bidi overrides
    and lone surrogates as \\u202e / \\udcff.  Printable text (any script, emoji) is returned unchanged."""
    if text.isprintable():
        return text
    out = []
    for char in text:
        if char.isprintable():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        else:
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return "".join(out)


PLAIN_EXPONENTS = range(-12, 16)
"""Decimal exponents a message writes in plain digits (1E+9 as 1000000000, 1.5E+2 as 150): every value aicost
accepts; one far outside (1E+300, 1E-13) keeps its exponent, which is shorter and says how far out it is."""


def shown(value: object, limit: int = SHOWN_LENGTH) -> str:
    """A user's value as a message echoes it: printable, and cut to `limit` characters with its length said; a
    Decimal in plain digits as written (1.50 stays 1.50) unless its exponent is far out (see PLAIN_EXPONENTS); a
    number that keeps its typed text (quantities.AsTyped, a subclass) as typed."""
    if type(value) is Decimal and value.is_finite() and value.adjusted() in PLAIN_EXPONENTS:
        value = f"{value:f}"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        if value.bit_length() < 14_000:  # below Python's limit on converting integers to text
            return f"an integer of {len(str(abs(value))):,} digits"
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1:,} digits"
    text = printable(str(value))
    if len(text) > limit:
        return f"{text[: limit - 1]}… ({len(text):,} characters)"
    return text


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close match exists, else ''."""
    if len(name) > 200:  # no id is that long; comparing would only cost time
        return ""
    import difflib

    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{matches[0]}'?" if matches else ""


def mentioning(template: str, mentions: Iterable[str], word: Callable[[str], str]) -> str:
    """`template` with each mentioned parameter's placeholder (`{price_change}`) worded by `word`."""
    for parameter in mentions:
        template = template.replace("{" + parameter + "}", word(parameter))
    return template


def _python_name(parameter: str) -> str:
    return parameter


class AicostError(Exception):
    """An error the user can fix; its message is one line naming the place and the fix.

    The core never words a command-line flag: a message that points at another parameter writes it as a
    placeholder, `{timeout}`, and lists it in `mentions`. `message` shows the Python name ("give a longer
    timeout"); the CLI words the same error with the flag ("give a longer --timeout") through `worded_with`.
    `fix` names, for the CLI, the command that fixes the error (one of cli/errors.py's COMMAND_HINTS)."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, mentions: Iterable[str] = (), fix: str | None = None) -> None:
        self.template = message
        self.mentions = tuple(mentions)
        self.fix = fix
        self.message = self.worded_with(_python_name)
        super().__init__(self.message)

    def worded_with(self, word: Callable[[str], str]) -> str:
        """The message with each mentioned parameter worded by `word` (the command line: its flag)."""
        return mentioning(self.template, self.mentions, word)


RESET_ACTIVE_CATALOG = "reset_active_catalog"  # `fix`: choose the catalog in use again
LIST_MODELS = "list_models"  # `fix`: see the models of the catalog


class InputError(AicostError):
    """A workload, catalog, option or log that cannot be used as given."""


class ParameterError(InputError):
    """A value passed to the library (an option on the command line) that cannot be used.

    `parameter` is the Python name (`small_share`, `target_saving`); the message reads
    "small_share 1.2: must be between 0 and 1" in Python, and the CLI words it with the flag
    ("--share 1.2: must be between 0 and 1") through `worded`."""

    def __init__(self, parameter: str, value: object, problem: str, *, mentions: Iterable[str] = (),
                 fix: str | None = None) -> None:
        self.parameter = parameter
        self.value = value
        self.problem = problem
        text = f"{{{parameter}}}: {problem}" if value is None else f"{{{parameter}}} {shown(value)}: {problem}"
        super().__init__(text, mentions=(parameter, *mentions), fix=fix)

    def worded(self, name: str, word: Callable[[str], str] = _python_name) -> str:
        """The message with this parameter called `name`, and the others it mentions worded by `word`."""
        return self.worded_with(lambda parameter: name if parameter == self.parameter else word(parameter))


class UnknownModelError(InputError):
    """A model id or alias that the catalog does not know; `suggestion` is " — did you mean 'x'?" or ""."""

    def __init__(self, name: str, suggestion: str = "") -> None:
        self.name = name
        self.suggestion = suggestion
        super().__init__(f"unknown model '{shown(name)}'{suggestion}")


class FamilyNameError(UnknownModelError):
    """A family's name (`claude-sonnet`) given where a model id is needed: `newest` are the ids of its newest models
    on sale on `day` (none when every one is retired or not yet released)."""

    def __init__(self, name: str, family: str, newest: tuple[str, ...], day: object) -> None:
        self.family = family
        self.newest = newest
        self.day = day
        if newest:
            which = f"its newest model on sale on {day} is {' or '.join(newest)}"
            fix = f"give {'that id' if len(newest) == 1 else 'one of those ids'} or another of the family"
        else:
            which = f"none of its models is on sale on {day}"
            fix = "give a model id"
        super().__init__(name, f" — {fix}")
        self.message = self.template = f"'{shown(name)}' is a family, not a model: {which}{self.suggestion}"
        self.args = (self.message,)


class EmptyDocumentError(InputError):
    """A workload or catalog file with nothing in it."""

    def __init__(self, label: str, what: str) -> None:
        self.what = what
        super().__init__(f"{label}: is empty — write a {what} file")


class UnpricedError(InputError):
    """A cost that needs a price the catalog does not give (unknown is never $0)."""


class RetiredError(UnpricedError):
    """A price asked for on or after the day its model was retired."""

    def __init__(self, model: str, retired: object, successor: str | None, message: str | None = None, *,
                 mentions: Iterable[str] = ()) -> None:
        self.model = model
        self.retired = retired
        self.successor = successor
        use = f" — use {successor}" if successor else " — choose another model"
        super().__init__(message or f"{model} was retired on {retired}{use}", mentions=mentions)


class ContextWindowError(UnpricedError):
    """A request longer than the model's context window, which must hold its input, output and reasoning: it cannot
    be sent to that model at any price."""

    def __init__(self, model: str, input_tokens: int | Decimal, context_window: int, stream: str,
                 output_tokens: int | Decimal = 0, reasoning_tokens: int | Decimal = 0, band: str = "") -> None:
        self.model = model
        where = f"stream '{shown(stream)}'" + (f" {band}" if band else "")
        tokens = f"{input_tokens:,} input"
        if output_tokens or reasoning_tokens:
            tokens += f" + {output_tokens:,} output"
        if reasoning_tokens:
            tokens += f" + {reasoning_tokens:,} reasoning"
        super().__init__(f"{where}: {tokens} tokens exceed {model}'s context window of {context_window:,} tokens")


class OutputError(AicostError):
    """The report cannot be written: standard output or --output failed (a full disk, a closed descriptor)."""


class RemoteError(AicostError):
    """A network or remote-data failure; the local catalog is left unchanged."""

    exit_code = EXIT_REMOTE
