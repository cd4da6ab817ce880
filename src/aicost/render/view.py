"""What every renderer draws: a report reduced to a JSON document, tables of typed cells and footer lines.

Cells keep their exact values (Decimal money, ratios, counts); each format decides how to show them, and
rounding happens only there.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from aicost.errors import printable
from aicost.money import decimal_text, money_text, percent_text, price_text, quantize, round_money

__all__ = ["decimal_text", "money_text", "percent_text", "round_money"]


class Kind(Enum):
    TEXT = "text"
    MONEY = "money"
    PRICE = "price"  # a catalog price per million tokens: shown exactly, never rounded to cents
    COUNT = "count"  # requests, tokens: shown rounded to whole numbers
    RATIO = "ratio"  # a multiple, shown as 0.42x
    PERCENT = "percent"  # a fraction, shown as 86.4 %
    BAR = "bar"  # a fraction 0..1 drawn as a bar; table format only


# A column's priority on a terminal too narrow for the whole table (see `layout.py`): bars go first, then the
# highest number, right to left; ESSENTIAL columns are never left out (the table turns vertical instead).
ESSENTIAL = 0  # what the table is about: ids, the headline amount
MAIN = 1  # the default
SECONDARY = 2  # a breakdown of another column, a second price
NOTE = 3  # remarks, reasons, the least useful


class Column(NamedTuple):
    header: str
    kind: Kind = Kind.TEXT
    key: str = ""  # the csv header; defaults to the header in snake case
    short: str = ""  # the header on a narrow terminal; defaults to the header
    priority: int = MAIN  # which columns a narrow terminal leaves out first (see above)
    wrap: bool = False  # free text that may wrap between words on a terminal (ids, numbers and amounts never do)
    hide_zero: bool = False  # left out on a terminal when every cell is 0 (the footer says so)
    group: str = ""  # columns of one group (a breakdown) are left out together, when the first of them would be
    hide_unknown: bool = False  # left out on a terminal when every cell is unknown (—), the footer says so

    @property
    def csv_key(self) -> str:
        return self.key or self.header.lower().replace(" ", "_").replace("/", "_")


Cell = str | int | Decimal | None


class Table(NamedTuple):
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total: tuple[Cell, ...] | None = None  # a final row set apart
    hide_empty: bool = False  # with no rows, left out of the text formats (the summary says why); CSV keeps its header


class View(NamedTuple):
    command: str
    document: dict[str, Any]  # the JSON document, exact values
    tables: tuple[Table, ...]
    footer: tuple[str, ...] = ()  # lines under the tables (catalog version, pricing date, notes)
    summary: tuple[str, ...] = ()  # one-line results shown above the tables
    chart: tuple[str, ...] = ()  # plain-text chart lines, table format only
    exact: bool = False  # numbers in the document are catalog prices, written unrounded (else money: 6 places)
    currency: str = "USD"  # of every money and price cell
    mermaid: tuple[str, ...] = ()  # a Mermaid diagram's lines, markdown format only (GitHub draws it)


def shown_tables(view: View) -> tuple[Table, ...]:
    """The tables the text formats (terminal, table, markdown) draw: a `hide_empty` table with no rows is left out."""
    return tuple(table for table in view.tables if table.rows or not table.hide_empty)


def cell_text(value: Cell, kind: Kind, currency: str = "USD") -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return printable(value)
    if kind is Kind.MONEY:
        return money_text(Decimal(value), currency)
    if kind is Kind.PRICE:
        return price_text(Decimal(value), currency)
    if kind is Kind.COUNT:
        return f"{quantize(Decimal(value), Decimal(1)):,}"
    if kind is Kind.RATIO:
        return f"{quantize(Decimal(value), Decimal('0.001'))}x"
    if kind is Kind.PERCENT:
        return percent_text(Decimal(value))
    return str(value)


def plain_number(value: Cell) -> str:
    """A cell for machine-readable text (csv): exact to 6 places, no symbols."""
    if value is None:
        return ""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, int):
        return str(value)
    return decimal_text(round_money(value))
