"""Read TOML or JSON documents: bounded in size, checked to be UTF-8 text, parsed with numbers as ``Decimal``;
and write a document as JSON text with its Decimals exact.

Both the price catalog and workload files are read here; `fields.Fields` then validates what they hold.

Writing JSON (`json_text`, for an installed catalog, `pricing export` and every `--format json` report):
- Money and every other Decimal is a JSON number written as a decimal literal with no exponent, rounded to
  6 places (half-even) unless `exact` (catalog prices): `98765432101.234568`, `0.000012`, `1200`, never
  `1.2e-05` and never through a binary float.  It is the same text CSV prints for the same value.
- Strings escape what JSON requires and also every character a terminal would act on (ESC, C1 controls, bidi
  overrides, lone surrogates) as `\\uXXXX`, so the document is pure printable text and decodes to the same value.
- Layout is that of `json.dumps(indent=2, ensure_ascii=False)`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
import tomllib
from decimal import Decimal
from typing import Any, BinaryIO

from .errors import EmptyDocumentError, InputError, printable, shown
from .fields import decimal_or_text
from .fileio import note_input
from .money import decimal_text, round_money

STDIN = "-"


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
        with contextlib.suppress(OSError, ValueError, AttributeError):  # no descriptor: nothing on disk to protect
            note_input(sys.stdin.fileno())  # standard input redirected from a file: no output may replace it
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
                note_input(stream.fileno())
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
        raise EmptyDocumentError(label, what)
    return label, text


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
                value = json.loads(text, parse_float=decimal_or_text, object_pairs_hook=_json_object, parse_constant=_json_constant)
            except json.JSONDecodeError as exc:
                raise InputError(f"{label}:{exc.lineno}: invalid JSON ({exc.msg}) — fix the {what} file") from None
            except InputError as exc:
                raise InputError(f"{label}: invalid JSON: {exc.message}") from None
            if not isinstance(value, dict):
                raise InputError(f"{label}: the JSON document must be an object — fix the {what} file")
        else:
            try:
                value = tomllib.loads(text, parse_float=decimal_or_text)
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


def json_string(text: str) -> str:
    encoded = json.dumps(text, ensure_ascii=False)
    if encoded.isprintable():
        return encoded
    out = []
    for char in encoded:
        if char.isprintable():
            out.append(char)
        elif ord(char) < 0x10000:
            out.append(f"\\u{ord(char):04x}")
        else:  # a non-printable astral character: a surrogate pair, as JSON spells it
            code = ord(char) - 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
    return "".join(out)


def _scalar(value: Any, exact: bool) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return decimal_text(value if exact else round_money(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return json_string(value.isoformat())
    if isinstance(value, str):
        return json_string(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def json_text(value: Any, exact: bool = False) -> str:
    """`value` (dicts, lists, tuples, strings, numbers, Decimals, dates) as indented JSON text, no trailing newline."""
    parts: list[str] = []

    def write(item: Any, indent: str) -> None:
        inner = indent + "  "
        if isinstance(item, dict):
            if not item:
                parts.append("{}")
                return
            parts.append("{")
            for index, (key, member) in enumerate(item.items()):
                parts.append(("," if index else "") + "\n" + inner + json_string(str(key)) + ": ")
                write(member, inner)
            parts.append("\n" + indent + "}")
        elif isinstance(item, list | tuple):
            if not item:
                parts.append("[]")
                return
            parts.append("[")
            for index, member in enumerate(item):
                parts.append(("," if index else "") + "\n" + inner)
                write(member, inner)
            parts.append("\n" + indent + "]")
        else:
            parts.append(_scalar(item, exact))

    write(value, "")
    return "".join(parts)
