"""JSON output: the view's document, written by hand so that money stays exact.

Decisions:
- Money and every other Decimal is a JSON number written as a decimal literal with no exponent, rounded to
  6 places (half-even) unless `exact` (catalog prices): `98765432101.234568`, `0.000012`, `1200`, never
  `1.2e-05` and never through a binary float.  It is the same text CSV prints for the same value.
- Strings escape what JSON requires and also every character a terminal would act on (ESC, C1 controls, bidi
  overrides, lone surrogates) as `\\uXXXX`, so the document is pure printable text and decodes to the same value.
- Layout is that of `json.dumps(indent=2, ensure_ascii=False)`.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .view import View, decimal_text, round_money


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


def render_json(view: View) -> str:
    return json_text(view.document, exact=view.exact) + "\n"
