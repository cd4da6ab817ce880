"""JSON output: the view's document with money rounded to 6 decimal places."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from .view import View, round_money


def plain_json(value: Any, exact: bool = False) -> Any:
    """Dates as ISO text; Decimals as numbers, rounded to 6 places unless `exact` (catalog prices)."""
    if isinstance(value, Decimal):
        rounded = value if exact else round_money(value)
        return int(rounded) if rounded == rounded.to_integral_value() else float(rounded)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: plain_json(item, exact) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain_json(item, exact) for item in value]
    return value


def render_json(view: View) -> str:
    return json.dumps(plain_json(view.document), indent=2, ensure_ascii=False) + "\n"
