"""CSV output: the view's primary table as one header row and data rows, numbers exact and bare.

Decisions, so that `csv.DictReader` and spreadsheets get a rectangle:
- Only the **first** table of a view is written (it is the report: streams, candidates, models). Secondary
  tables (for example `compare`'s excluded models, which hold reasons, not numbers) are left to the other
  formats; `--format json` has everything.
- The header row is each column's `csv_key`; chart columns (bars) are left out.
- The table's total row is written last, its first cell `total`, so the file keeps the report's figure;
  a script that sums the data rows skips it by that cell.
- Numbers are `plain_number`: money rounded to 6 decimal places, no currency symbol, no thousands separator;
  an absent value (unknown price) is an empty field, never 0.
- Text cells are safe to open in a spreadsheet: control characters are escaped (a newline as `\n`), and a
  cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so it is shown as
  text and never run as a formula (OWASP's rule for CSV injection).  Numbers are never prefixed.
"""

from __future__ import annotations

import csv
import io

from aicost.errors import printable

from .view import Cell, Column, Kind, Table, View, plain_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """A text cell a spreadsheet shows as text: a would-be formula gets a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _field(value: Cell, column: Column) -> str:
    if isinstance(value, str):
        return safe_cell(printable(value))
    return plain_number(value)


def _columns(table: Table) -> list[int]:
    return [index for index, column in enumerate(table.columns) if column.kind is not Kind.BAR]


def render_csv(view: View) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not view.tables:
        return ""
    table = view.tables[0]
    keep = _columns(table)
    columns: list[Column] = [table.columns[i] for i in keep]
    writer.writerow([column.csv_key for column in columns])
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    for row in rows:
        writer.writerow([_field(row[i], table.columns[i]) for i in keep])
    return buffer.getvalue()
