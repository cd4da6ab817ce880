"""Tables for a person at a terminal, drawn by rich and fitted to the terminal's width.

Only `emit` calls this, and only when stdout is a terminal and the format is `table`; JSON, CSV, markdown and
piped tables never import rich.  `layout.fit` decides, for every table, which columns are shown under which
headers and how wide, or that the table turns vertical; rich draws exactly that, so an id, an amount, a count
or a ratio is never wrapped or cut (only free text wraps, between words).  Lines of text (summary, titles,
footer) wrap between words.  Colour and emphasis (bold headers and totals, dim footer) only when `colour` is
true; otherwise the same layout without any escape sequence.  Text from input is escaped first (`printable`)
and given to rich as plain text, never as markup, so a stream named `[red]x` is shown as written.
"""

from __future__ import annotations

import io
from decimal import Decimal

from rich import box
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from aicost.errors import printable

from .layout import GAP, Layout, bar_over, cells, fit, footer_lines, vertical_lines, wrap_line
from .table_format import bar
from .view import Cell, Column, Kind, Table, View, cell_text, shown_tables


def _cell(value: Cell, column: Column, currency: str, width: int, over: bool) -> str:
    if column.kind is Kind.BAR:
        return "" if value is None or isinstance(value, str) else bar(Decimal(value), width - (1 if over else 0))
    return cell_text(value, column.kind, currency)


def _table(table: Table, layout: Layout, currency: str) -> RichTable:
    drawn = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, GAP - 1, 0, 0),
                      header_style="bold")
    columns = [table.columns[index] for index in layout.columns]
    over = {index: bar_over(table, index) for index in layout.columns if table.columns[index].kind is Kind.BAR}
    for column, header, width in zip(columns, layout.headers, layout.widths, strict=True):
        numeric = column.kind not in (Kind.TEXT, Kind.BAR)
        drawn.add_column(header, justify="right" if numeric else "left", width=width, no_wrap=not column.wrap,
                         overflow="fold" if column.wrap else "crop")

    def cell_lines(index: int, width: int, value: Cell) -> str:
        text = _cell(value, table.columns[index], currency, width, over.get(index, False))
        # free text broken here, between words, never at a space that holds a phrase together ("input > 272,000")
        return "\n".join(wrap_line(text, width)) if table.columns[index].wrap else text

    def drawn_cells(row: tuple[Cell, ...], style: str = "") -> list[Text]:
        return [Text(cell_lines(index, width, row[index]), style=style)
                for index, width in zip(layout.columns, layout.widths, strict=True)]

    for row in table.rows:
        drawn.add_row(*drawn_cells(row))
    if table.total is not None:
        drawn.add_section()
        drawn.add_row(*drawn_cells(table.total, "bold"))
    return drawn


def render_rich(view: View, width: int, colour: bool) -> str:
    buffer = io.StringIO()
    width = max(width, 20)
    console = Console(file=buffer, width=width, force_terminal=colour, no_color=not colour,
                      color_system="standard" if colour else None, highlight=False, markup=False, emoji=False)

    def say(text: str, style: str = "") -> None:
        for line in wrap_line(printable(text), width):
            if cells(line) <= width or " " not in line:  # a line that fits, or one word wider than the terminal
                console.print(Text(line, style=style), no_wrap=True, overflow="ignore", crop=False)
            else:  # wide characters: rich counts them, and breaks between words too
                console.print(Text(line, style=style))

    for line in view.summary:
        say(line, "bold")
    layouts = []
    for table in shown_tables(view):
        layout = fit(table, width, view.currency)
        layouts.append(layout)
        console.print()
        if table.title:
            say(table.title, "bold")
        if layout.vertical:
            for line, total in vertical_lines(table, layout, width, view.currency):
                console.print(Text(line, style="bold" if total else ""), no_wrap=True, overflow="ignore", crop=False)
        else:
            console.print(_table(table, layout, view.currency))
    if view.chart:
        console.print()
        for line in view.chart:
            say(line)
    footer = [*view.footer, *footer_lines(shown_tables(view), layouts, width)]
    if footer:
        console.print()
        for line in footer:
            say(line, "dim")
    return buffer.getvalue()
