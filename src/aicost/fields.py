"""Typed, checked access to the tables of a parsed document, with messages that name the place and the fix.

Both the price catalog and workload files are validated through `Fields`: ``FILE: key.path: what is wrong — the
fix``.  Limits on numbers and strings are named in the message.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import InputError, did_you_mean, shown

LARGEST_INTEGER = 10**12  # no count in a workload or catalog comes near; the field's own limit is often lower
LARGEST_NUMBER = Decimal(10**15)  # keeps every sum and rounding of money exact to the cent and below
SMALLEST_NUMBER = Decimal("1e-12")  # below it, 0 or a mistake: no price, share or score is that fine-grained
MAX_STRING_LENGTH = 10_000  # a name, a model id, a source URL or a note
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


class Unrepresentable:
    """A number written with an exponent no Decimal holds (`1E99999999999999999999`): kept as its text, so that the
    field it is given for refuses it with its place and limit instead of an arithmetic error while parsing."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    @property
    def negative(self) -> bool:
        return self.text.lstrip().startswith("-")

    @property
    def tiny(self) -> bool:
        """1E-99999999999999999999: closer to 0 than any limit."""
        return bool(re.search(r"[eE]-", self.text))


def decimal_or_text(text: str) -> Decimal | Unrepresentable:
    """`Decimal(text)`, or the text kept as `Unrepresentable` when its exponent is beyond what a Decimal holds."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return Unrepresentable(text)


SUFFIXES = {"k": 10**3, "m": 10**6, "b": 10**9}


def digits_for(text: str) -> str:
    """What `text` means in digits where it is plain ("20k" → 20000, "1,500" → 1500, "1.5M" → 1500000), else 20000."""
    match = re.fullmatch(r"\s*([0-9][0-9,_]*(?:\.[0-9]+)?)\s*([kKmMbB]?)\s*", text[:40])
    if match is None:
        return "20000"
    number = Decimal(match.group(1).replace(",", "").replace("_", "")) * SUFFIXES.get(match.group(2).lower(), 1)
    return f"{number.normalize():f}"


def number_fix(text: str) -> str:
    """How to write `text` as a number: without quotes ("2"), or in digits ("20k" → such as 20000)."""
    if re.fullmatch(r"\s*[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?\s*", text[:80]):
        return "write it without quotes"
    return f"write digits only, such as {digits_for(text)}"


def type_name(value: object) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, Decimal | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return "a date or time"
    if value is None:
        return "null"
    if isinstance(value, Unrepresentable):
        return f"a number out of range ({shown(value)})"
    return type(value).__name__


class Fields:
    """Typed access to one table of a document; `done()` rejects keys nobody asked for."""

    def __init__(self, table: object, label: str, path: str, printable_text: bool = False) -> None:
        """`printable_text`: strings may not hold control characters (catalogs, which are written back out)."""
        self.label = label
        self.path = path
        self.printable_text = printable_text
        if not isinstance(table, dict):
            raise self.error(f"must be a table, got {type_name(table)}")
        self.table: dict[str, Any] = table
        self.seen: set[str] = set()

    def where(self, key: str | None = None) -> str:
        if key is None:
            return self.path or "(top level)"
        return f"{self.path}.{key}" if self.path else key

    def error(self, message: str, key: str | None = None) -> InputError:
        return InputError(f"{self.label}: {shown(self.where(key), limit=160)}: {message}")

    def check_keys(self, allowed: Iterable[str]) -> None:
        """Reject the first key not in `allowed`, before any "is required" could hide a typo'd key."""
        known = set(allowed)
        for key in self.table:
            if key not in known:
                hint = did_you_mean(key, known) or " — remove it"
                raise self.error(f"unknown key '{shown(key)}'{hint}", key)

    def has(self, key: str) -> bool:
        return key in self.table

    def raw(self, key: str) -> Any:
        self.seen.add(key)
        return self.table.get(key)

    def _get(self, key: str, required: bool, hint: str) -> Any:
        self.seen.add(key)
        if key not in self.table:
            if required:
                raise self.error(f"is required — add {hint}", key)
            return None
        return self.table[key]

    def string(self, key: str, required: bool = False) -> str | None:
        value = self._get(key, required, f'{key} = "..."')
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            got = "an empty string" if isinstance(value, str) else type_name(value)
            raise self.error(f"must be a non-empty string, got {got}", key)
        if len(value) > MAX_STRING_LENGTH:
            raise self.error(f"is {len(value):,} characters long — at most {MAX_STRING_LENGTH:,} are accepted", key)
        if self.printable_text and not value.isprintable():
            raise self.error(f"'{shown(value)}' holds control characters — remove them", key)
        return value

    def req_string(self, key: str) -> str:
        value = self.string(key, required=True)
        assert value is not None
        return value

    def boolean(self, key: str) -> bool | None:
        value = self._get(key, False, "")
        if value is None:
            return None
        if not isinstance(value, bool):
            raise self.error(f"must be true or false, got {type_name(value)}", key)
        return value

    def integer(self, key: str, required: bool = False, minimum: int = 0, maximum: int = LARGEST_INTEGER) -> int | None:
        value = self._get(key, required, f"{key} = <integer>")
        if value is None:
            return None
        if isinstance(value, Unrepresentable):
            raise self.error(self._out_of_range(value, Decimal(minimum), Decimal(maximum)), key)
        if isinstance(value, Decimal):
            raise self.error(f"must be a whole number, got {shown(value)}", key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"must be a whole number, got {type_name(value)}", key)
        if value < minimum:
            raise self.error(f"must be >= {minimum}, got {shown(value)}", key)
        if value > maximum:
            raise self.error(f"must be at most {maximum:,}, got {shown(value)}", key)
        return value

    def decimal(
        self,
        key: str,
        required: bool = False,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal = LARGEST_NUMBER,
    ) -> Decimal | None:
        value = self._get(key, required, f"{key} = <number>")
        if value is None:
            return None
        if isinstance(value, Unrepresentable):
            raise self.error(self._out_of_range(value, minimum, maximum), key)
        if isinstance(value, str):  # "20k", "1,500": the text as written, and what to write instead
            raise self.error(f"must be a number, got '{shown(value)}' — {number_fix(value)}", key)
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise self.error(f"must be a number, got {type_name(value)}", key)
        if isinstance(value, int) and value.bit_length() > 128:
            raise self.error(f"must be at most {maximum:,}, got {shown(value)}", key)
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise self.error(f"must be a finite number, got {shown(value)}", key)
        if minimum is not None and number < minimum:
            raise self.error(f"must be >= {minimum}, got {shown(value)}", key)
        if number and number.copy_abs() < SMALLEST_NUMBER:  # copy_abs: no context, so no Overflow at 1E+999999999
            raise self.error(f"must be 0 or at least {SMALLEST_NUMBER}, got {shown(value)}", key)
        if number > maximum:
            if minimum is not None and maximum <= 1:
                raise self.error(f"must be between {minimum} and {maximum}, got {shown(value)}", key)
            raise self.error(f"must be at most {maximum:,}, got {shown(value)}", key)
        return number

    def share(self, key: str, maximum: Decimal = Decimal(1)) -> Decimal | None:
        """A share 0..`maximum` written as a number (0.5) or a percentage string ("50%"), as on the command line."""
        value = self.raw(key)
        if not isinstance(value, str):
            return self.decimal(key, maximum=maximum)
        from .errors import ParameterError
        from .quantities import parse_fraction

        try:
            return parse_fraction(value, key, maximum)
        except ParameterError as exc:
            problem = exc.problem.replace("not a number —", f"must be a number, got '{shown(value)}' —", 1)
            raise self.error(problem, key) from None

    @staticmethod
    def _out_of_range(value: Unrepresentable, minimum: Decimal | None, maximum: Decimal) -> str:
        if value.tiny:
            return f"must be 0 or at least {SMALLEST_NUMBER}, got {shown(value)}"
        if value.negative and minimum is not None:
            return f"must be >= {minimum}, got {shown(value)}"
        return f"must be at most {maximum:,}, got {shown(value)}"

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self._get(key, required, f"{key} = YYYY-MM-DD")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and re.fullmatch(ISO_DATE, value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        got = f"'{shown(value)}'" if isinstance(value, str) else type_name(value)
        raise self.error(f"must be a date YYYY-MM-DD, got {got}", key)

    def string_list(self, key: str) -> list[str]:
        value = self._get(key, False, "")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise self.error("must be a list of non-empty strings", key)
        if self.printable_text and not all(item.isprintable() for item in value):
            raise self.error("holds control characters — remove them", key)
        return list(value)

    def tables(self, key: str, required: bool = False) -> list[Fields]:
        value = self._get(key, required, f"at least one [[{self.where(key)}]] table")
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"must be a list of tables ([[{self.where(key)}]]), got {type_name(value)}", key)
        return [Fields(item, self.label, f"{self.where(key)}[{index}]", self.printable_text) for index, item in enumerate(value)]

    def sub(self, key: str) -> Fields | None:
        value = self._get(key, False, "")
        if value is None:
            return None
        return Fields(value, self.label, self.where(key), self.printable_text)

    def done(self) -> None:
        for key in self.table:
            if key not in self.seen:
                hint = did_you_mean(key, self.seen) or " — remove it"
                raise self.error(f"unknown key '{shown(key)}'{hint}", key)


