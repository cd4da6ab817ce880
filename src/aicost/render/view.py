"""What every renderer draws: a report reduced to a JSON document, tables of typed cells and footer lines.

Cells keep their exact values (Decimal money, ratios, counts); each format decides how to show them, and
rounding happens only there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from enum import Enum
from typing import Any


class Kind(Enum):
    TEXT = "text"
    MONEY = "money"
    PRICE = "price"  # a catalog price per million tokens: shown exactly, never rounded to cents
    COUNT = "count"  # requests, tokens: shown rounded to whole numbers
    RATIO = "ratio"  # a multiple, shown as 0.42x
    PERCENT = "percent"  # a fraction, shown as 86.4 %
    BAR = "bar"  # a fraction 0..1 drawn as a bar; table format only


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.TEXT
    key: str = ""  # the csv header; defaults to the header in snake case

    @property
    def csv_key(self) -> str:
        return self.key or self.header.lower().replace(" ", "_").replace("/", "_")


Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None  # a final row set apart


@dataclass(frozen=True)
class View:
    command: str
    document: dict[str, Any]  # the JSON document, exact values
    tables: tuple[Table, ...]
    footer: tuple[str, ...] = ()  # lines under the tables (catalog version, pricing date, notes)
    summary: tuple[str, ...] = ()  # one-line results shown above the tables
    chart: tuple[str, ...] = field(default=())  # plain-text chart lines, table format only


MONEY_PLACES = Decimal("0.000001")
CENT = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    """The one rounding of money for machine output: 6 decimal places, half-even."""
    return value.quantize(MONEY_PLACES, rounding=ROUND_HALF_EVEN)


def money_text(value: Decimal) -> str:
    """Money for people: $1,234.57; amounts under a cent keep four places so they never show as $0.00."""
    sign = "-" if value < 0 else ""
    magnitude = abs(value)
    if magnitude != 0 and magnitude < CENT:
        return f"{sign}${magnitude.quantize(Decimal('0.0001'), rounding=ROUND_HALF_EVEN):,}"
    return f"{sign}${magnitude.quantize(CENT, rounding=ROUND_HALF_EVEN):,}"


def percent_text(fraction: Decimal, signed: bool = False) -> str:
    """A fraction for people: 0.864 -> '86.4 %' (one place, half-even); `signed` adds '+' to increases."""
    text = f"{(fraction * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_EVEN)} %"
    return f"+{text}" if signed and fraction > 0 else text


def cell_text(value: Cell, kind: Kind) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if kind is Kind.MONEY:
        return money_text(Decimal(value))
    if kind is Kind.PRICE:
        exact = Decimal(value)
        shown = exact.quantize(CENT) if exact == exact.quantize(CENT) else exact.normalize()
        return f"${shown:f}"
    if kind is Kind.COUNT:
        return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_EVEN):,}"
    if kind is Kind.RATIO:
        return f"{Decimal(value).quantize(Decimal('0.001'), rounding=ROUND_HALF_EVEN)}x"
    if kind is Kind.PERCENT:
        return percent_text(Decimal(value))
    return str(value)


def plain_number(value: Cell, kind: Kind) -> str:
    """A cell for machine-readable text (csv): exact to 6 places, no symbols."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    rounded = round_money(value).normalize()
    text = f"{rounded:f}"
    return text
