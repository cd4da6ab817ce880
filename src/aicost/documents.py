"""Read TOML or JSON documents and validate their fields with messages that name the place and the fix.

Both the price catalog and workload files go through here, so every message has the same shape:
``FILE: key.path: what is wrong — the fix``.  Numbers are parsed straight to ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import sys
import tomllib
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, BinaryIO

from .errors import InputError, printable, shown

STDIN = "-"
LARGEST_INTEGER = 10**12  # no count in a workload or catalog comes near; the field's own limit is often lower
LARGEST_NUMBER = Decimal(10**15)  # keeps every sum and rounding of money exact to the cent and below
MAX_STRING_LENGTH = 10_000  # a name, a model id, a source URL or a note


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close match exists, else ''."""
    if len(name) > 200:  # no id is that long; comparing would only cost time
        return ""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{matches[0]}'?" if matches else ""


MEBIBYTE = 1024 * 1024
MAX_DOCUMENT_BYTES = 16 * MEBIBYTE  # a workload or catalog file; 20,000 streams take about 3 MiB
MAX_NESTING = 32  # tables and lists inside each other; a workload needs 3, a catalog 5
_CHUNK = 64 * 1024


def _read_bounded(stream: BinaryIO, label: str, what: str) -> bytes:
    """At most MAX_DOCUMENT_BYTES, read in chunks so that /dev/zero or an endless pipe is stopped early."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            return b"".join(chunks)
        if b"\x00" in chunk:
            raise InputError(f"{label}: is a binary file, not a {what} file (TOML or JSON) — give the right file")
        total += len(chunk)
        if total > MAX_DOCUMENT_BYTES:
            raise InputError(
                f"{label}: is larger than {MAX_DOCUMENT_BYTES // MEBIBYTE} MiB, the limit for a {what} file — "
                "give the right file, or split it"
            )
        chunks.append(chunk)


def read_text(path: str, what: str) -> tuple[str, str]:
    """Return (label, text) of a file or of standard input for '-', bounded in size and checked to be UTF-8 text."""
    if path == STDIN:
        label = "<stdin>"
        if sys.stdin is None or sys.stdin.closed:
            raise InputError(f"{label}: standard input is closed — pipe the {what} file in, or give its path")
        try:
            data = _read_bounded(sys.stdin.buffer, label, what)
        except OSError as exc:
            raise InputError(f"{label}: cannot read standard input ({exc.strerror}) — pipe the {what} file in, "
                             "or give its path") from None
    else:
        label = printable(path)
        if not path:
            raise InputError(f"'': an empty path is not a {what} file — give the file's path")
        try:
            with open(path, "rb") as stream:
                data = _read_bounded(stream, label, what)
        except FileNotFoundError:
            raise InputError(f"{label}: no such {what} file — check the path") from None
        except IsADirectoryError:
            raise InputError(f"{label}: is a directory, not a {what} file — give the file's path") from None
        except ValueError:  # an embedded NUL byte
            raise InputError(f"{label}: is not a usable path (it holds a NUL byte) — give the file's path") from None
        except OSError as exc:
            raise InputError(f"{label}: cannot read the {what} file ({exc.strerror}) — check the path and its "
                             "permissions") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: is not UTF-8 text — save the {what} file as UTF-8") from None
    if not text.strip():
        raise InputError(f"{label}: is empty — {EMPTY_HINTS.get(what, f'write a {what} file')}")
    return label, text


EMPTY_HINTS = {
    "workload": "write a workload file (`aicost init` writes an example)",
    "catalog": "give a catalog file (`aicost pricing export` writes the bundled one)",
}


class _NullValue(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """JSON objects without duplicate keys: the second of two equal keys would silently win."""
    table: dict[str, Any] = {}
    for key, value in pairs:
        if key in table:
            raise InputError(f"key '{shown(key)}' appears twice in one object — keep one")
        table[key] = value
    return table


def _json_constant(name: str) -> Any:
    raise InputError(f"{name} is not a number a price or a count can take — write a finite number")


def _check_shape(document: dict[str, Any], label: str, what: str) -> None:
    """No nesting deeper than MAX_NESTING and no JSON null, found without recursion (a hostile file may nest deeply)."""
    stack: list[tuple[Any, str, int]] = [(document, "", 1)]
    while stack:
        value, where, depth = stack.pop()
        if depth > MAX_NESTING:
            raise InputError(f"{label}: {where or '(top level)'}: nested more than {MAX_NESTING} levels deep — "
                             f"a {what} file is a few tables of plain values")
        if isinstance(value, dict):
            for key, item in value.items():
                place = f"{where}.{key}" if where else str(key)
                if item is None:
                    raise InputError(f"{label}: {shown(place)}: null is not a value — remove the key or give a value")
                if isinstance(item, dict | list):
                    stack.append((item, place, depth + 1))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if item is None:
                    raise InputError(f"{label}: {shown(where)}[{index}]: null is not a value — remove it or give a value")
                if isinstance(item, dict | list):
                    stack.append((item, f"{where}[{index}]", depth + 1))


def parse_document(label: str, text: str, what: str) -> dict[str, Any]:
    """Parse TOML, or JSON when the text starts with '{' or the name ends in .json."""
    stripped = text.lstrip()
    value: Any
    try:
        if label.endswith(".json") or stripped.startswith("{"):
            try:
                value = json.loads(text, parse_float=Decimal, object_pairs_hook=_json_object, parse_constant=_json_constant)
            except json.JSONDecodeError as exc:
                raise InputError(f"{label}:{exc.lineno}: invalid JSON ({exc.msg}) — fix the {what} file") from None
            except InputError as exc:
                raise InputError(f"{label}: invalid JSON: {exc.message}") from None
            if not isinstance(value, dict):
                raise InputError(f"{label}: the JSON document must be an object — fix the {what} file")
        else:
            try:
                value = tomllib.loads(text, parse_float=Decimal)
            except tomllib.TOMLDecodeError as exc:
                message = str(exc)
                line = ""
                if "(at line " in message:
                    line = ":" + message.split("(at line ", 1)[1].split(",", 1)[0]
                    message = message.split(" (at line ", 1)[0]
                raise InputError(f"{label}{line}: invalid TOML ({printable(message)}) — fix the {what} file") from None
    except RecursionError:
        raise InputError(f"{label}: nested more than {MAX_NESTING} levels deep — a {what} file is a few tables of "
                         "plain values") from None
    except ValueError as exc:  # an integer too long to convert (Python's limit of 4,300 digits)
        if "digits" not in str(exc):
            raise
        raise InputError(f"{label}: an integer has thousands of digits — no count or price is that large; "
                         f"fix the {what} file") from None
    _check_shape(value, label, what)
    document: dict[str, Any] = value
    return document


def read_document(path: str, what: str) -> tuple[str, dict[str, Any]]:
    label, text = read_text(path, what)
    return label, parse_document(label, text, what)


def _type_name(value: object) -> str:
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
    return type(value).__name__


class Fields:
    """Typed access to one table of a document; `done()` rejects keys nobody asked for."""

    def __init__(self, table: object, label: str, path: str) -> None:
        self.label = label
        self.path = path
        if not isinstance(table, dict):
            raise self.error(f"must be a table, got {_type_name(table)}")
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
            got = "an empty string" if isinstance(value, str) else _type_name(value)
            raise self.error(f"must be a non-empty string, got {got}", key)
        if len(value) > MAX_STRING_LENGTH:
            raise self.error(f"is {len(value):,} characters long — at most {MAX_STRING_LENGTH:,} are accepted", key)
        return value

    def req_string(self, key: str) -> str:
        value = self.string(key, required=True)
        assert value is not None
        return value

    def integer(self, key: str, required: bool = False, minimum: int = 0, maximum: int = LARGEST_INTEGER) -> int | None:
        value = self._get(key, required, f"{key} = <integer>")
        if value is None:
            return None
        if isinstance(value, Decimal):
            raise self.error(f"must be a whole number, got {shown(value)}", key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"must be a whole number, got {_type_name(value)}", key)
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
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise self.error(f"must be a number, got {_type_name(value)}", key)
        if isinstance(value, int) and value.bit_length() > 128:
            raise self.error(f"must be at most {maximum:,}, got {shown(value)}", key)
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise self.error(f"must be a finite number, got {shown(value)}", key)
        if minimum is not None and number < minimum:
            raise self.error(f"must be >= {minimum}, got {shown(value)}", key)
        if number > maximum:
            if minimum is not None and maximum <= 1:
                raise self.error(f"must be between {minimum} and {maximum}, got {shown(value)}", key)
            raise self.error(f"must be at most {maximum:,}, got {shown(value)}", key)
        return number

    def date(self, key: str, required: bool = False) -> dt.date | None:
        value = self._get(key, required, f"{key} = YYYY-MM-DD")
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(f"must be a date YYYY-MM-DD, got {shown(repr(value))}", key)

    def string_list(self, key: str) -> list[str]:
        value = self._get(key, False, "")
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
            raise self.error("must be a list of non-empty strings", key)
        return list(value)

    def tables(self, key: str, required: bool = False) -> list[Fields]:
        value = self._get(key, required, f"at least one [[{self.where(key)}]] table")
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"must be a list of tables ([[{self.where(key)}]]), got {_type_name(value)}", key)
        return [Fields(item, self.label, f"{self.where(key)}[{index}]") for index, item in enumerate(value)]

    def sub(self, key: str) -> Fields | None:
        value = self._get(key, False, "")
        if value is None:
            return None
        return Fields(value, self.label, self.where(key))

    def done(self) -> None:
        for key in self.table:
            if key not in self.seen:
                hint = did_you_mean(key, self.seen) or " — remove it"
                raise self.error(f"unknown key '{shown(key)}'{hint}", key)


def parse_iso_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: '{shown(text)}' is not a date — use YYYY-MM-DD") from None


_AMOUNT = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?", re.ASCII)
HUNDRED = Decimal(100)
LARGEST_SHARE = Decimal(100)  # 10,000 %: the most an open-ended share (--warn-at, --max-increase 50%) may be


def parse_amount(text: str, option: str) -> Decimal:
    """A money amount as people write it: 5000, 5,000, $5000, $5,000.50 (never negative)."""
    cleaned = text.strip().removeprefix("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise InputError(f"{option} '{shown(text)}': not an amount — write a number such as 5000, 5,000 or $5000")
    amount = Decimal(cleaned.replace(",", ""))
    if amount > LARGEST_NUMBER:
        raise InputError(f"{option} '{shown(text)}': must be at most {LARGEST_NUMBER:,} — write the amount in dollars")
    return amount


def parse_fraction(text: str, option: str, maximum: Decimal | None = Decimal(1), allow_maximum: bool = True) -> Decimal:
    """A share written as a percentage (80%, 12.5 %) or a fraction (0.8), at most `maximum` when given.

    A bare number above 1 is refused rather than guessed at: "80" could mean 80 % or 80 times.  Without a
    `maximum`, a share may exceed 100 % up to LARGEST_SHARE (10,000 %).
    """
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    quoted = shown(text)
    try:
        value = Decimal(cleaned.removesuffix("%").strip())
    except InvalidOperation:
        raise InputError(f"{option} {quoted}: not a number — write a fraction such as 0.8 or a percentage such as 80%") from None
    if not value.is_finite():
        raise InputError(f"{option} {quoted}: must be a finite number — write e.g. 0.8 or 80%")
    if value < 0:
        raise InputError(f"{option} {quoted}: must not be negative — write e.g. 0.8 or 80%")
    if value.adjusted() > 6:
        value = LARGEST_SHARE * 2  # far out of range; refused below with the limit named
    elif percent:
        value = value / HUNDRED
    elif value > 1 and maximum is None:
        raise InputError(f"{option} {quoted}: a bare number is a fraction 0..1 — write {quoted}% for a percentage")
    upper_limit = LARGEST_SHARE if maximum is None else maximum
    if value > upper_limit or (value == upper_limit and not allow_maximum):
        percent_limit = f"{upper_limit * HUNDRED:,.0f}%"
        upper = f"{upper_limit} ({percent_limit})" if allow_maximum else f"below {upper_limit} ({percent_limit})"
        raise InputError(f"{option} {quoted}: must be between 0 and {upper}")
    return value
