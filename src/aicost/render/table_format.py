"""Plain-text tables for a terminal or a log: aligned columns, fixed width when piped, colour only on request."""

from __future__ import annotations

from decimal import Decimal

from aicost.errors import printable

from .view import Cell, Column, Kind, Table, View, cell_text, shown_tables

BAR_WIDTH = 20
BOLD, DIM, RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"


def bar(fraction: Decimal, width: int = BAR_WIDTH) -> str:
    """A bar of up to `width` eighth-blocks; any non-zero value shows at least a sliver, and a fraction past 1
    (dearer than the scale) a full bar and a `+`."""
    eighths = int((max(Decimal(0), min(Decimal(1), fraction)) * width * 8).to_integral_value())
    if fraction > 0 and eighths == 0:
        eighths = 1
    full, rest = divmod(eighths, 8)
    return "█" * full + ("" if rest == 0 else " ▏▎▍▌▋▊▉"[rest]) + ("+" if fraction > 1 else "")


def _cell(value: Cell, column: Column, currency: str) -> str:
    if column.kind is Kind.BAR:
        return "" if value is None or isinstance(value, str) else bar(Decimal(value))
    return cell_text(value, column.kind, currency)


def _table(table: Table, colour: bool, currency: str) -> list[str]:
    columns = table.columns
    body = [[_cell(v, c, currency) for v, c in zip(row, columns, strict=True)] for row in table.rows]
    total = [_cell(v, c, currency) for v, c in zip(table.total, columns, strict=True)] if table.total else None
    widths = [max(len(c.header), 1) for c in columns]  # a rule under every column, one left empty too
    for row in body + ([total] if total else []):
        widths = [max(w, len(text)) for w, text in zip(widths, row, strict=True)]

    def line(cells: list[str]) -> str:
        parts = []
        for text, column, width in zip(cells, columns, widths, strict=True):
            right = column.kind not in (Kind.TEXT, Kind.BAR)
            parts.append(text.rjust(width) if right else text.ljust(width))
        return "  ".join(parts).rstrip()

    header = line([c.header for c in columns])
    rule = "  ".join("─" * w for w in widths)
    lines = []
    if table.title:
        title = printable(table.title)
        lines.append(f"{BOLD}{title}{RESET}" if colour else title)
    lines.append(f"{BOLD}{header}{RESET}" if colour else header)
    lines.append(rule)
    lines.extend(line(row) for row in body)
    if total:
        lines.append(rule)
        lines.append(line(total))
    return lines


def render_table(view: View, colour: bool = False) -> str:
    lines: list[str] = [printable(text) for text in view.summary]
    if view.summary:
        lines.append("")
    for index, table in enumerate(shown_tables(view)):
        if index:
            lines.append("")
        lines.extend(_table(table, colour, view.currency))
    if view.chart:
        lines.append("")
        lines.extend(printable(text) for text in view.chart)
    if view.footer:
        if lines and lines[-1]:  # after the summary's blank line when no table is drawn
            lines.append("")
        lines.extend(f"{DIM}{printable(text)}{RESET}" if colour else printable(text) for text in view.footer)
    return "\n".join(lines) + "\n"
