"""Tables for a person at a terminal, drawn by rich and fitted to the terminal's width.

Only `emit` calls this, and only when stdout is a terminal and the format is `table`; JSON, CSV, markdown and
piped tables never import rich.  Columns shrink and their cells wrap to fit the width; no line is printed past
the edge.  Colour and emphasis (bold headers and totals, dim footer) only when `colour` is true; otherwise
the same layout without any escape sequence.  Text from input is escaped first (`printable`) and given to
rich as plain text, never as markup, so a stream named `[red]x` is shown as written.
"""

from __future__ import annotations

import io
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from aicost.errors import printable

from .table_format import bar
from .view import Cell, Column, Kind, Table, View, cell_text


def _cell(value: Cell, column: Column, currency: str) -> str:
    if column.kind is Kind.BAR:
        return "" if value is None or isinstance(value, str) else bar(Decimal(value))
    return cell_text(value, column.kind, currency)


def _table(table: Table, currency: str) -> RichTable:
    drawn = RichTable(
        title=Text(printable(table.title), style="bold") if table.title else None,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        header_style="bold",
    )
    for column in table.columns:
        numeric = column.kind not in (Kind.TEXT, Kind.BAR)
        drawn.add_column(column.header, justify="right" if numeric else "left",
                         overflow="crop" if column.kind is Kind.BAR else "fold", no_wrap=column.kind is Kind.BAR)
    for row in table.rows:
        drawn.add_row(*(Text(_cell(v, c, currency)) for v, c in zip(row, table.columns, strict=True)))
    if table.total is not None:
        drawn.add_section()
        drawn.add_row(*(Text(_cell(v, c, currency), style="bold") for v, c in zip(table.total, table.columns, strict=True)))
    return drawn


def render_rich(view: View, width: int, colour: bool) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=max(width, 20), force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, highlight=False, markup=False, emoji=False)
    for line in view.summary:
        console.print(Text(printable(line), style="bold"))
    for table in view.tables:
        console.print()
        console.print(_table(table, view.currency))
    if view.chart:
        console.print()
        for line in view.chart:
            console.print(Text(printable(line)))
    if view.footer:
        console.print()
        for line in view.footer:
            console.print(Text(printable(line), style="dim"))
    return buffer.getvalue()
