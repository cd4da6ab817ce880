"""Reports reduced to views: the JSON document of DESIGN's contract plus the tables people read.

One function per report; the renderers in `render/` turn a view into table, json, csv or markdown text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from .calc import Breakdown, CompareReport, CostReport
from .catalog import Catalog, Model, PricePeriod, Rates, period_document
from .render.view import Column, Kind, Table, View, money_text
from .workload import HOURS_PER_MONTH

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


def cost_view(report: CostReport) -> View:
    workload = report.workload
    streams = []
    rows = []
    for stream in report.streams:
        entry: dict[str, Any] = {
            "name": stream.name,
            "model": stream.model,
            "monthly_requests": stream.monthly_requests,
            "monthly_cost": stream.monthly_cost,
            "breakdown": breakdown_document(stream.breakdown),
            "price_since": stream.price_since,
        }
        if stream.tier_above is not None:
            entry["long_context_tier_above"] = stream.tier_above
        streams.append(entry)
        b = stream.breakdown
        rows.append(
            (stream.name, stream.model, stream.monthly_requests, b.input, b.cached_input, b.cache_write, b.output,
             stream.monthly_cost)
        )
    total = report.breakdown
    document = {
        **envelope(report.catalog_version, report.as_of, workload.currency),
        "workload": workload.name,
        "monthly_cost": report.monthly_cost,
        "breakdown": breakdown_document(total),
        "streams": streams,
    }
    table = Table(
        title=f"Monthly cost of {workload.name}",
        columns=(
            Column("Stream", key="stream"),
            Column("Model", key="model"),
            Column("Requests/month", Kind.COUNT, "monthly_requests"),
            *BREAKDOWN_COLUMNS,
            Column("Monthly cost", Kind.MONEY, "monthly_cost"),
        ),
        rows=tuple(rows),
        total=("total", "", sum((s.monthly_requests for s in report.streams), Decimal(0)), total.input,
               total.cached_input, total.cache_write, total.output, report.monthly_cost),
    )
    return View("cost", document, (table,), footer(report.catalog_version, report.as_of, f"workload: {workload.source}"))


def compare_view(report: CompareReport) -> View:
    workload = report.workload
    document = {
        **envelope(report.catalog_version, report.as_of, workload.currency),
        "workload": workload.name,
        "baseline_monthly_cost": report.baseline_monthly_cost,
        "candidates": [
            {
                "model": c.model,
                "vendor": c.vendor,
                "class": c.size_class,
                "monthly_cost": c.monthly_cost,
                "ratio_to_baseline": c.ratio_to_baseline,
            }
            for c in report.candidates
        ],
        "excluded": [{"model": e.model, "reason": e.reason} for e in report.excluded],
    }
    most = max((c.monthly_cost for c in report.candidates), default=Decimal(0))
    rows = tuple(
        (str(rank), c.model, c.vendor, c.size_class, c.monthly_cost, c.ratio_to_baseline,
         (c.monthly_cost / most) if most else Decimal(0))
        for rank, c in enumerate(report.candidates, start=1)
    )
    tables = [
        Table(
            title=f"{workload.name} priced on {len(report.candidates)} models, cheapest first",
            columns=(
                Column("#", key="rank"),
                Column("Model", key="model"),
                Column("Vendor", key="vendor"),
                Column("Class", key="class"),
                Column("Monthly cost", Kind.MONEY, "monthly_cost"),
                Column("vs today", Kind.RATIO, "ratio_to_baseline"),
                Column("", Kind.BAR, "bar"),
            ),
            rows=rows,
        )
    ]
    if report.excluded:
        tables.append(
            Table(
                title="Excluded (cannot be priced: unknown is not free)",
                columns=(Column("Model", key="model"), Column("Reason", key="reason")),
                rows=tuple((e.model, e.reason) for e in report.excluded),
            )
        )
    if report.baseline_monthly_cost is not None:
        summary = (f"Today's cost on the workload's own models: {money_text(report.baseline_monthly_cost)} a month",)
    else:
        summary = (f"Today's cost cannot be computed: {report.baseline_note}",)
    return View("compare", document, tuple(tables), footer(report.catalog_version, report.as_of,
                                                           f"workload: {workload.source}"), summary)


# ---------------------------------------------------------------------------------------------- pricing


def _rate_cells(rates: Rates) -> tuple[Decimal | None, ...]:
    return (rates.input, rates.output, rates.cache_read, rates.cache_write, rates.batch_input, rates.batch_output)


RATE_COLUMNS = (
    Column("Input", Kind.PRICE, "input"),
    Column("Output", Kind.PRICE, "output"),
    Column("Cache read", Kind.PRICE, "cache_read"),
    Column("Cache write", Kind.PRICE, "cache_write"),
    Column("Batch in", Kind.PRICE, "batch_input"),
    Column("Batch out", Kind.PRICE, "batch_output"),
)


def pricing_list_view(catalog: Catalog, models: list[Model], as_of: dt.date) -> View:
    entries = []
    rows = []
    for model in models:
        period = model.period_on(as_of)
        rates = period.rates if period else Rates()
        entries.append(
            {
                "model": model.id,
                "name": model.name,
                "vendor": model.vendor,
                "class": model.size_class,
                "context_window": model.context_window,
                "aliases": list(model.aliases),
                "since": period.since if period else None,
                "input": rates.input,
                "output": rates.output,
                "cache_read": rates.cache_read,
                "cache_write": rates.cache_write,
                "batch_input": rates.batch_input,
                "batch_output": rates.batch_output,
                "long_context_tiers": len(period.tiers) if period else 0,
            }
        )
        rows.append((model.id, model.vendor, model.size_class, f"{model.context_window:,}", *_rate_cells(rates)))
    document = {**envelope(catalog.version, as_of), "models": entries}
    table = Table(
        title=f"{len(models)} models, USD per million tokens",
        columns=(
            Column("Model", key="model"),
            Column("Vendor", key="vendor"),
            Column("Class", key="class"),
            Column("Context", Kind.COUNT, "context_window"),
            *RATE_COLUMNS,
        ),
        rows=tuple(rows),
    )
    return View("pricing list", document, (table,), footer(catalog.version, as_of, "— : no price in the catalog (unknown, not free)"))


def _period_rows(period: PricePeriod) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = [(str(period.since), "all requests", *_rate_cells(period.rates))]
    for tier in period.tiers:
        rows.append(("", f"input > {tier.above_input_tokens:,}", *_rate_cells(tier.rates)))
    for window in period.off_peak:
        r = window.rates
        rows.append(("", f"off-peak {window.start_utc}-{window.end_utc} UTC", r.input, r.output, r.cache_read, None, None, None))
    return rows


def pricing_history_view(catalog: Catalog, model: Model, as_of: dt.date, only_current: bool = False) -> View:
    current = model.period_on(as_of)
    periods = [current] if only_current and current else ([] if only_current else list(model.periods))
    rows: list[tuple[Any, ...]] = []
    for period in periods:
        rows.extend(_period_rows(period))
    sources = []
    for period in periods:
        cited = "; ".join((period.source, *period.also_sources))
        sources.append(f"since {period.since}: {cited} (checked {period.checked})" + (f" — {period.note}" if period.note else ""))
    document = {
        **envelope(catalog.version, as_of),
        "model": model.id,
        "name": model.name,
        "vendor": model.vendor,
        "class": model.size_class,
        "context_window": model.context_window,
        "aliases": list(model.aliases),
        "current_since": current.since if current else None,
        "periods": [period_document(p) for p in periods],
    }
    title = f"{model.name} ({model.id}, {catalog.vendor_name(model.vendor)}, {model.size_class}, context {model.context_window:,})"
    table = Table(
        title=title + (f" — prices in force on {as_of}" if only_current else " — price history"),
        columns=(Column("Since", key="since"), Column("Applies to", key="applies_to"), *RATE_COLUMNS),
        rows=tuple(rows),
    )
    extra = [*(f"source {line}" for line in sources)]
    if model.note:
        extra.append(f"note: {model.note}")
    if current is None:
        extra.append(f"no price in force on {as_of}")
    return View("pricing history", document, (table,), footer(catalog.version, as_of, *extra))
