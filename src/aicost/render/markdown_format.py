"""Markdown output, fit for a pull-request comment or a GitHub Actions step summary.

The first line is a hidden marker, `<!-- aicost:COMMAND -->` (spaces in the command become hyphens, e.g.
`aicost:pricing-history`), so a bot can find its earlier comment and update it in place. Summary lines come
first, then each table as a `###` title and a GitHub pipe table (numbers right-aligned, the total row in bold),
then the footer lines (catalog version, pricing date, notes) as a small-print paragraph.
"""

from __future__ import annotations

from decimal import Decimal

from aicost.errors import printable

from .view import Cell, Column, Kind, Table, View, cell_text, shown_tables

MARKER = "<!-- aicost:{command} -->"


def marker(command: str) -> str:
    return MARKER.format(command=command.replace(" ", "-"))


def escape(text: str) -> str:
    """A cell or line that cannot break the table or start markup: pipes, backslashes and newlines escaped."""
    return printable(text).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _cell(value: Cell, column: Column, currency: str) -> str:
    if column.kind is Kind.PERCENT and isinstance(value, Decimal):
        return cell_text(value, column.kind).replace(" %", "%")
    return escape(cell_text(value, column.kind, currency))


def _table(table: Table, currency: str) -> list[str]:
    keep = [i for i, column in enumerate(table.columns) if column.kind is not Kind.BAR]
    columns = [table.columns[i] for i in keep]
    lines = []
    if table.title:
        lines += [f"### {escape(table.title)}", ""]
    lines.append("| " + " | ".join(escape(c.header) or " " for c in columns) + " |")
    lines.append("|" + "|".join("---:" if c.kind not in (Kind.TEXT, Kind.BAR) else ":---" for c in columns) + "|")
    for row in table.rows:
        lines.append("| " + " | ".join(_cell(row[i], table.columns[i], currency) for i in keep) + " |")
    if table.total is not None:
        cells = [_cell(table.total[i], table.columns[i], currency) for i in keep]
        lines.append("| " + " | ".join(f"**{c}**" if c else "" for c in cells) + " |")
    return lines


def render_markdown(view: View) -> str:
    lines = [marker(view.command), ""]
    for text in view.summary:
        lines += [f"**{escape(text)}**", ""]
    for table in shown_tables(view):
        lines += [*_table(table, view.currency), ""]
    if view.mermaid:
        lines += ["```mermaid", *view.mermaid, "```", ""]
    if view.footer:
        lines.append("<sub>" + "<br>".join(escape(text) for text in view.footer) + "</sub>")
        lines.append("")
    return "\n".join(lines)
