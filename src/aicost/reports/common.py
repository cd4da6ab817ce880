"""What every report shares: the JSON envelope, the footer line and the cost breakdown columns.

`reports/` turns the core's reports into views (one module per command group); `render/` draws a view in each
output format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aicost.calc import Breakdown
from aicost.render.view import Column, Kind
from aicost.workload import HOURS_PER_MONTH, Workload

SCHEMA_VERSION = 1


def envelope(catalog_version: str, as_of: dt.date, currency: str = "USD") -> dict[str, Any]:
    """The keys every JSON document starts with."""
    return {"schema_version": SCHEMA_VERSION, "catalog_version": catalog_version, "as_of": as_of, "currency": currency}


def footer(catalog_version: str, as_of: dt.date, *extra: str) -> tuple[str, ...]:
    return (f"catalog {catalog_version} · prices as of {as_of} · month = {HOURS_PER_MONTH} hours · USD", *extra)


def breakdown_document(breakdown: Breakdown) -> dict[str, Decimal]:
    return {
        "input": breakdown.input,
        "cached_input": breakdown.cached_input,
        "cache_write": breakdown.cache_write,
        "output": breakdown.output,
    }


BREAKDOWN_COLUMNS = (
    Column("Input", Kind.MONEY, "input"),
    Column("Cached input", Kind.MONEY, "cached_input"),
    Column("Cache writes", Kind.MONEY, "cache_write"),
    Column("Output", Kind.MONEY, "output"),
)




def adjustment_notes(workload: Workload) -> tuple[str, ...]:
    """A footer line naming the workload's discounts and platform fee, when it has any (the figures include them)."""
    if not workload.adjustments.active:
        return ()
    return (workload.adjustments.describe() + " (list prices in the token columns; costs after adjustments)",)
