"""JSON output: the view's document as JSON text, with exact money and printable strings.

The writer is the core's, `aicost.documents.json_text` (an installed catalog is written by it too); its module
docstring gives the decisions."""

from __future__ import annotations

from aicost.documents import json_string, json_text

from .view import View

__all__ = ["json_string", "json_text", "render_json"]


def render_json(view: View) -> str:
    return json_text(view.document, exact=view.exact) + "\n"
