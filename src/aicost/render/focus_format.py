"""`aicost usage --format focus`: FOCUS 1.2 rows (usage.focus) as CSV, one header row of the columns' names.

Costs and quantities are written exact (no rounding), so the rows' BilledCost adds up to the report's
total_cost; text that came from a log (the model name) is made safe for a spreadsheet as in every CSV.
"""

from __future__ import annotations

import csv
import io

from aicost.errors import printable
from aicost.usage.focus import COLUMNS, FocusExport

from .csv_format import safe_cell

TEXT_FROM_LOGS = ("x_LoggedModel",)


def render_focus(export: FocusExport) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in export.rows:
        writer.writerow([safe_cell(printable(row[name])) if name in TEXT_FROM_LOGS else row[name] for name in COLUMNS])
    return buffer.getvalue()
