"""Renderers: one module per output format, each a function of a `View` (see `view.py`)."""

from __future__ import annotations

from enum import StrEnum

from .view import View


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"
    focus = "focus"  # FOCUS 1.2 billing rows: `aicost usage` only (render/focus_format.py)


def render(view: View, output_format: OutputFormat, colour: bool = False) -> str:
    if output_format is OutputFormat.json:
        from .json_format import render_json

        return render_json(view)
    if output_format is OutputFormat.csv:
        from .csv_format import render_csv

        return render_csv(view)
    if output_format is OutputFormat.markdown:
        from .markdown_format import render_markdown

        return render_markdown(view)
    from .table_format import render_table

    return render_table(view, colour=colour)
