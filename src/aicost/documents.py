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
from pathlib import Path
from typing import Any

from .errors import InputError

STDIN = "-"


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """' — did you mean 'x'?' when a close match exists, else ''."""
    matches = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f" — did you mean '{matches[0]}'?" if matches else ""


def read_text(path: str, what: str) -> tuple[str, str]:
    """Return (label, text) of a file or of standard input for '-'."""
    if path == STDIN:
        data = sys.stdin.buffer.read()
        label = "<stdin>"
    else:
        file = Path(path)
        label = path
        try:
            data = file.read_bytes()
        except FileNotFoundError:
            raise InputError(f"{label}: no such {what} file — check the path") from None
        except IsADirectoryError:
            raise InputError(f"{label}: is a directory, not a {what} file — give the file's path") from None
        except OSError as exc:
            raise InputError(f"{label}: cannot read the {what} file ({exc.strerror}) — check its permissions") from None
    if b"\x00" in data:
        raise InputError(f"{label}: is a binary file, not a {what} file (TOML or JSON) — give the right file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}: is not UTF-8 text — save the {what} file as UTF-8") from None
    if not text.strip():
        raise InputError(f"{label}: is empty — write a {what} file (`aicost init` writes an example)")
    return label, text


def parse_document(label: str, text: str, what: str) -> dict[str, Any]:
    """Parse TOML, or JSON when the text starts with '{' or the name ends in .json."""
    stripped = text.lstrip()
    if label.endswith(".json") or stripped.startswith("{"):
        try:
            value = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise InputError(f"{label}:{exc.lineno}: invalid JSON ({exc.msg}) — fix the {what} file") from None
        if not isinstance(value, dict):
            raise InputError(f"{label}: the JSON document must be an object — fix the {what} file")
        return value
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = ""
        if "(at line " in message:
            line = ":" + message.split("(at line ", 1)[1].split(",", 1)[0]
            message = message.split(" (at line ", 1)[0]
        raise InputError(f"{label}{line}: invalid TOML ({message}) — fix the {what} file") from None


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
    if isinstance(value, dt.datetime | dt.date):
        return "a date"
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
        return InputError(f"{self.label}: {self.where(key)}: {message}")

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
            raise self.error(f"must be a non-empty string, got {_type_name(value)}", key)
        return value

    def req_string(self, key: str) -> str:
        value = self.string(key, required=True)
        assert value is not None
        return value

    def integer(self, key: str, required: bool = False, minimum: int = 0) -> int | None:
        value = self._get(key, required, f"{key} = <integer>")
        if value is None:
            return None
        if isinstance(value, Decimal):
            raise self.error(f"must be a whole number, got {value}", key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(f"must be a whole number, got {_type_name(value)}", key)
        if value < minimum:
            raise self.error(f"must be >= {minimum}, got {value}", key)
        return value

    def decimal(
        self,
        key: str,
        required: bool = False,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal | None = None,
    ) -> Decimal | None:
        value = self._get(key, required, f"{key} = <number>")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | Decimal | float):
            raise self.error(f"must be a number, got {_type_name(value)}", key)
        number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        if not number.is_finite():
            raise self.error(f"must be a finite number, got {value}", key)
        if minimum is not None and number < minimum:
            raise self.error(f"must be >= {minimum}, got {value}", key)
        if maximum is not None and number > maximum:
            raise self.error(f"must be between {minimum} and {maximum}, got {value}", key)
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
        raise self.error(f"must be a date YYYY-MM-DD, got {value!r}", key)

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
                raise self.error(f"unknown key '{key}'{hint}", key)


def parse_iso_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: '{text}' is not a date — use YYYY-MM-DD") from None


_AMOUNT = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")
HUNDRED = Decimal(100)


def parse_amount(text: str, option: str) -> Decimal:
    """A money amount as people write it: 5000, 5,000, $5000, $5,000.50 (never negative)."""
    cleaned = text.strip().removeprefix("$").strip()
    if not _AMOUNT.fullmatch(cleaned):
        raise InputError(f"{option} {text!r}: not an amount — write a number such as 5000, 5,000 or $5000")
    return Decimal(cleaned.replace(",", ""))


def parse_fraction(text: str, option: str, maximum: Decimal | None = Decimal(1), allow_maximum: bool = True) -> Decimal:
    """A share written as a percentage (80%, 12.5 %) or a fraction (0.8), at most `maximum` when given.

    A bare number above 1 is refused rather than guessed at: "80" could mean 80 % or 80 times.
    """
    cleaned = text.strip()
    percent = cleaned.endswith("%")
    try:
        value = Decimal(cleaned.removesuffix("%").strip())
    except InvalidOperation:
        raise InputError(f"{option} {text!r}: not a number — write a fraction such as 0.8 or a percentage such as 80%") from None
    if not value.is_finite():
        raise InputError(f"{option} {text!r}: must be a finite number — write e.g. 0.8 or 80%")
    if percent:
        value = value / HUNDRED
    elif value > 1 and maximum is None:
        raise InputError(f"{option} {text}: a bare number is a fraction 0..1 — write {text}% for a percentage")
    if value < 0:
        raise InputError(f"{option} {text}: must not be negative — write e.g. 0.8 or 80%")
    if maximum is not None and (value > maximum or (value == maximum and not allow_maximum)):
        upper = f"{maximum} ({maximum * HUNDRED:.0f}%)" if allow_maximum else f"below {maximum} ({maximum * HUNDRED:.0f}%)"
        raise InputError(f"{option} {text}: must be between 0 and {upper}")
    return value
