"""Views of budget checks and cost diffs (`aicost budget`, `aicost diff`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aicost.checks import BudgetCheck, DiffReport, StreamDiff
from aicost.money import decimal_text, money_text, percent_text, quantize
from aicost.render.view import ESSENTIAL, NOTE, SECONDARY, Column, Kind, Table, View
from aicost.workload import SizeBand

from .common import adjustment_notes, batch_notes, envelope, footer

TOKEN_PLACES = Decimal("0.01")


def signed_money(value: Decimal, currency: str = "USD") -> str:
    return f"+{money_text(value, currency)}" if value > 0 else money_text(value, currency)


# ---------------------------------------------------------------------------------------------- budget


def budget_view(check: BudgetCheck) -> View:
    report = check.report
    workload = report.workload
    currency = workload.currency

    def money(value: Decimal) -> str:
        return money_text(value, currency)

    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.as_of, currency, report.exchange_rates),
        "workload": workload.name,
        "monthly_cost": check.monthly_cost,
        "budget": check.budget,
        "headroom": check.headroom,
        "within_budget": check.within_budget,
        "budget_used": check.used,
        "budget_source": check.source,
        "warn_at": check.warn_at,
        "warning": check.warning,
        "batch_at_standard_rates": list(report.batch_at_standard),
    }
    used = check.used
    if check.within_budget:
        line = (f"Within budget: {money(check.monthly_cost)} of {money(check.budget)} a month"
                + (f" ({percent_text(used)})" if used is not None else "") + f", headroom {money(check.headroom)}")
    else:
        line = (f"Over budget by {money(-check.headroom)}: {money(check.monthly_cost)} a month "
                f"against {money(check.budget)}")
    table = Table(
        title=f"Budget of {workload.name}",
        columns=(
            Column("Monthly cost", Kind.MONEY, "monthly_cost", "Monthly", ESSENTIAL),
            Column("Budget", Kind.MONEY, "budget", priority=ESSENTIAL),
            Column("Headroom", Kind.MONEY, "headroom", priority=ESSENTIAL),
            Column("Used", Kind.PERCENT, "budget_used", priority=ESSENTIAL),
            Column("Status", key="status", priority=ESSENTIAL),
            Column("", Kind.BAR, "bar"),
        ),
        rows=((check.monthly_cost, check.budget, check.headroom, used, check.status, min(used, Decimal(1)) if used else None),),
    )
    extra = [f"budget: {check.source}", f"workload: {workload.source}", *adjustment_notes(workload),
             *batch_notes(report.batch_at_standard)]
    if check.warn_at is not None:
        extra.append(f"warn at {percent_text(check.warn_at)} of the budget")
    return View("budget", document, (table,), footer(report.catalog_version, report.as_of, *extra, currency=currency,
                                                     rates=report.exchange_rates), (line,), currency=currency)


# ---------------------------------------------------------------------------------------------- diff

# The stream settings a diff compares, in the order it reports them: every field of a priced stream but its
# name and routing (monthly_requests covers every volume key), so a new stream setting is diffed too.
DEFAULT_TERMS = {"service_tier": "standard", "speed": "standard", "host": "vendor API", "region": "global"}  # for None


def _value_text(key: str, value: Any) -> str:
    if key == "monthly_requests":
        return f"{Decimal(value).quantize(Decimal(1)):,}"
    if value is None and key in DEFAULT_TERMS:
        return DEFAULT_TERMS[key]
    return str(value)


def _tokens_text(value: Decimal) -> str:
    """Tokens per request for people: 20,000; a mean or a proportional share to two places, 149.25."""
    return f"{Decimal(decimal_text(quantize(value, TOKEN_PLACES))):,f}"


def _band_text(band: SizeBand, means: bool) -> str:
    """One band as a diff shows it: `0.7 x 20,000 in / 800 out`, then its reasoning, cached share and cache writes
    where not 0; a side of means (one band of share 1) as `means 1,000 in / 100 out`."""
    text = (("means " if means else f"{decimal_text(band.share)} x ")
            + f"{_tokens_text(band.input_tokens)} in / {_tokens_text(band.output_tokens)} out")
    extras = [f"{_tokens_text(band.reasoning_tokens)} reasoning" if band.reasoning_tokens else "",
              f"cached {percent_text(band.cached_input_share)}" if band.cached_input_share else "",
              f"{_tokens_text(band.cache_write_tokens)} cache writes" if band.cache_write_tokens else "",
              f"{_tokens_text(band.cache_write_1h_tokens)} 1-hour cache writes" if band.cache_write_1h_tokens else ""]
    return text + "".join(f", {extra}" for extra in extras if extra)


def _sizes_text(old: tuple[SizeBand, ...], new: tuple[SizeBand, ...]) -> str:
    """`sizes[1] 0.3 x 400,000 in / 2,000 out → 0.3 x 410,000 in / 2,000 out` for each band that changed when both
    sides have as many bands, else the two sides whole (bands joined by +)."""
    old_texts = [_band_text(band, len(old) == 1 and band.share == 1) for band in old]
    new_texts = [_band_text(band, len(new) == 1 and band.share == 1) for band in new]
    if len(old) == len(new) > 1:
        return "; ".join(f"sizes[{index}] {before} → {after}"
                         for index, (before, after) in enumerate(zip(old_texts, new_texts, strict=True))
                         if before != after) or "sizes (below two decimal places)"
    return f"sizes {' + '.join(old_texts)} → {' + '.join(new_texts)}"


def _changes_text(diff: StreamDiff) -> str:
    parts = []
    for change in diff.fields:
        if change.key == "price":
            parts.append(f"prices (since {change.old} → since {change.new})")
        elif change.key == "sizes":
            parts.append(_sizes_text(change.old, change.new))
        else:
            parts.append(f"{change.key} {_value_text(change.key, change.old)} → {_value_text(change.key, change.new)}")
    return "; ".join(parts)


def _change_document(key: str, value: Any) -> Any:
    """A changed value as JSON gives it: sizes as labelled bands, anything else as it is."""
    if key != "sizes":
        return value
    return [{"share": band.share, "input_tokens": band.input_tokens, "output_tokens": band.output_tokens,
             "reasoning_tokens": band.reasoning_tokens, "cached_input_share": band.cached_input_share,
             "cache_write_tokens": band.cache_write_tokens, "cache_write_1h_tokens": band.cache_write_1h_tokens}
            for band in value]


def _stream_document(diff: StreamDiff) -> dict[str, Any]:
    return {
        "name": diff.name,
        "status": diff.status,
        "old_model": diff.old.model if diff.old else None,
        "new_model": diff.new.model if diff.new else None,
        "old_monthly_requests": diff.old.monthly_requests if diff.old else None,
        "new_monthly_requests": diff.new.monthly_requests if diff.new else None,
        "old_monthly_cost": diff.old_cost,
        "new_monthly_cost": diff.new_cost,
        "change": diff.change,
        "changes": {c.key: {"old": _change_document(c.key, c.old), "new": _change_document(c.key, c.new)}
                    for c in diff.fields},
    }


def diff_view(report: DiffReport) -> View:
    old, new = report.old, report.new
    currency = new.workload.currency
    rates = tuple(dict.fromkeys((*old.exchange_rates, *new.exchange_rates)))

    def money(value: Decimal) -> str:
        return money_text(value, currency)

    document: dict[str, Any] = {
        **envelope(new.catalog_version, new.as_of, currency, rates),
        "old_catalog_version": old.catalog_version,
        "old_as_of": old.as_of,
        "old_workload": old.workload.source,
        "new_workload": new.workload.source,
        "old_monthly_cost": old.monthly_cost,
        "new_monthly_cost": new.monthly_cost,
        "change": report.change,
        "change_share": report.change_share,
        "streams": [_stream_document(d) for d in report.streams],
    }
    if report.max_increase is not None:
        document["max_increase"] = report.max_increase
        document["within_limit"] = report.within_limit
    rows = []
    for d in report.streams:
        models = list(dict.fromkeys(c.model for c in (d.old, d.new) if c is not None))
        model = " → ".join(models)
        requests = d.new.monthly_requests if d.new else None
        rows.append((d.name, d.status, model, requests, d.old_cost if d.old else None, d.new_cost if d.new else None,
                     d.change, _changes_text(d)))
    share = report.change_share
    share_text = f" ({percent_text(share, signed=True)})" if share is not None else ""
    table = Table(
        title=f"Cost change of {new.workload.name}, stream by stream",
        columns=(
            Column("Stream", key="stream", priority=ESSENTIAL),
            Column("Status", key="status"),
            Column("Model", key="model", priority=ESSENTIAL),
            Column("Requests/month", Kind.COUNT, "monthly_requests", "Req/month", SECONDARY),
            Column("Old cost", Kind.MONEY, "old_monthly_cost", "Old", ESSENTIAL),
            Column("New cost", Kind.MONEY, "new_monthly_cost", "New", ESSENTIAL),
            Column("Change", Kind.MONEY, "change", priority=ESSENTIAL),
            Column("What changed", key="changes", priority=NOTE, wrap=True),
        ),
        rows=tuple(rows),
        total=("total", "", "", sum((s.monthly_requests for s in new.streams), Decimal(0)), old.monthly_cost, new.monthly_cost,
               report.change, share_text.strip(" ()")),
    )
    if report.change == 0:
        headline = f"Monthly cost unchanged: {money(new.monthly_cost)}"
    else:
        direction = "up" if report.change > 0 else "down"
        headline = (f"Monthly cost {direction} {money(abs(report.change))}{share_text}: "
                    f"{money(old.monthly_cost)} → {money(new.monthly_cost)}")
    summary = [headline]
    if report.max_increase is not None:
        verdict = "is within" if report.within_limit else "exceeds"
        summary.append(f"The change {verdict} --max-increase {report.max_increase_text} "
                       f"({money(report.max_increase)})")
    extra = (
        f"old: {old.workload.source} · catalog {old.catalog_version} · prices as of {old.as_of}",
        f"new: {new.workload.source} · catalog {new.catalog_version} · prices as of {new.as_of}",
        *adjustment_notes(new.workload),
        *batch_notes(tuple(sorted(set(old.batch_at_standard) | set(new.batch_at_standard)))),
    )
    return View("diff", document, (table,), footer(new.catalog_version, new.as_of, *extra, currency=currency, rates=rates),
                tuple(summary), currency=currency)
