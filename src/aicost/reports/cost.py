"""Views of `aicost cost` and `aicost compare`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from aicost.calc import STANDARD_SPEED, STANDARD_TIER, VENDOR, Candidate, CompareReport, CostReport
from aicost.money import money_text, percent_text
from aicost.render.view import ESSENTIAL, NOTE, SECONDARY, Column, Kind, Table, View, cell_text
from aicost.stream_terms import terms_document
from aicost.workload import Stream

from .common import BREAKDOWN_COLUMNS, LIST_TOKENS, adjustment_notes, batch_notes, breakdown_document, envelope, footer


def cost_view(report: CostReport) -> View:
    workload = report.workload
    adjusted = workload.adjustments.active
    # host and tier columns when a stream is not on the vendor's API at standard prices; per-call fees where they apply
    bought = any(s.host != VENDOR or s.service_tier != STANDARD_TIER for s in report.streams)
    terms = [terms_cell(given) for given in workload.streams]  # speed, region, cache lifetime, off-peak share
    termed = any(terms)
    fees = any(s.breakdown.per_call for s in report.streams)
    streams = []
    rows = []
    for stream, given, term in zip(report.streams, workload.streams, terms, strict=True):
        entry: dict[str, Any] = {
            "name": stream.name,
            "model": stream.model,
            "host": stream.host,
            "service_tier": stream.service_tier,
            "monthly_requests": stream.monthly_requests,
            "monthly_cost": stream.monthly_cost,
            "breakdown": breakdown_document(stream.breakdown),
            "price_since": stream.price_since,
        }
        entry.update({key: value for key, value in terms_document(given).items() if key not in entry})  # speed, ...
        if adjusted:
            entry.update(list_monthly_cost=stream.list_cost, discount=stream.discount, platform_fee=stream.platform_fee)
        if stream.tier_above is not None:
            entry["long_context_tier_above"] = stream.tier_above
        streams.append(entry)
        b = stream.breakdown
        adjustment_cells = (stream.discount, stream.platform_fee) if adjusted else ()
        rows.append(
            (stream.name, stream.model, *((stream.host, stream.service_tier) if bought else ()),
             *((term,) if termed else ()), stream.monthly_requests,
             b.input, b.cached_input, b.cache_write, b.output, *((b.per_call,) if fees else ()), *adjustment_cells,
             stream.monthly_cost)
        )
    total = report.breakdown
    document = {
        **envelope(report.catalog_version, report.as_of, workload.currency, report.exchange_rates),
        "workload": workload.name,
        "monthly_cost": report.monthly_cost,
        "breakdown": breakdown_document(total),
        "streams": streams,
        "batch_at_standard_rates": list(report.batch_at_standard),
    }
    adjustment_columns: tuple[Column, ...] = ()
    total_adjustments: tuple[Decimal, ...] = ()
    if adjusted:
        document.update(list_monthly_cost=report.list_cost, discount=report.discount, platform_fee=report.platform_fee)
        adjustment_columns = (Column("Discount (off)", Kind.MONEY, "discount", "Discount", SECONDARY),
                              Column("Platform fee", Kind.MONEY, "platform_fee", "Fee", SECONDARY))
        total_adjustments = (report.discount, report.platform_fee)
    table = Table(
        title=f"Monthly cost of {workload.name}",
        columns=(
            Column("Stream", key="stream", priority=ESSENTIAL),
            Column("Model", key="model", priority=ESSENTIAL),
            *((Column("Host", key="host"), Column("Tier", key="service_tier")) if bought else ()),
            *((Column("Terms", key="terms"),) if termed else ()),
            Column("Requests/month", Kind.COUNT, "monthly_requests", "Req/month"),
            *BREAKDOWN_COLUMNS,
            *((PER_CALL_COLUMN,) if fees else ()),
            *adjustment_columns,
            Column("Monthly cost", Kind.MONEY, "monthly_cost", "Monthly", ESSENTIAL),
        ),
        rows=tuple(rows),
        total=("total", "", *(("", "") if bought else ()), *(("",) if termed else ()),
               sum((s.monthly_requests for s in report.streams), Decimal(0)),
               total.input, total.cached_input, total.cache_write, total.output, *((total.per_call,) if fees else ()),
               *total_adjustments, report.monthly_cost),
    )
    return View("cost", document, (table,), footer(report.catalog_version, report.as_of, f"workload: {workload.source}",
                                                   *adjustment_notes(workload, LIST_TOKENS),
                                                   *batch_notes(report.batch_at_standard), currency=workload.currency,
                                                   rates=report.exchange_rates), currency=workload.currency)


def terms_cell(stream: Stream) -> str:
    """A stream's terms beside its host and tier, for the table: "fast, region eu, 1h cache, off-peak 25%"; empty
    for the defaults (standard speed, no region, 5-minute cache writes, no off-peak share)."""
    parts = [stream.speed] if stream.speed not in (None, STANDARD_SPEED) else []
    parts += [f"region {stream.region}"] if stream.region else []
    parts += ["1h cache"] if stream.cache_ttl == "1h" else []
    parts += [f"off-peak {percent_text(stream.off_peak_share)}"] if stream.off_peak_share else []
    return ", ".join(parts)


PER_CALL_COLUMN = Column("Per-call fees", Kind.MONEY, "per_call", "Fees", SECONDARY, group="breakdown")


def _like_ratio(report: CompareReport) -> Decimal | None:
    like, baseline = report.like_for_like, report.baseline_monthly_cost
    return like.monthly_cost / baseline if like is not None and baseline else None


def _like_document(report: CompareReport) -> dict[str, Any] | None:
    """Each stream on the cheapest paid model of its own class (JSON `like_for_like`), or None."""
    like = report.like_for_like
    if like is None:
        return None
    return {
        "monthly_cost": like.monthly_cost,
        "ratio_to_baseline": _like_ratio(report),
        "streams": [{"name": s.name, "class": s.size_class, "model": s.model, **_host_key(s.host),
                     "monthly_cost": s.monthly_cost, "kept": s.kept} for s in like.streams],
    }


def bar_scale(report: CompareReport) -> Decimal:
    """What a full bar stands for in `compare`: today's cost (a bar is the share of it a model would cost; a dearer
    model gets a full bar and a `+`), or, when today's cost is unknown or 0, the dearest model of the whole ranking.
    The same for every row whatever is shown (`--top`, `--vendor`), so a bar's length means the same money."""
    if report.baseline_monthly_cost:
        return report.baseline_monthly_cost
    return max((c.monthly_cost for c in report.candidates), default=Decimal(0))


def _host_key(host: str) -> dict[str, str]:
    """`host` in a like-for-like stream where it is not the vendor's own API."""
    return {} if host == VENDOR else {"host": host}


def _on(host: str) -> str:
    return "" if host == VENDOR else f" on {host}"


def _like_line(report: CompareReport, classes: str, money: Callable[[Decimal], str]) -> str:
    """The like-for-like answer: one model for every stream, or each stream on the cheapest of its class."""
    like = report.like_for_like
    if like is None:
        return "No like-for-like answer: a stream cannot be priced even on its own model"
    ratio = _like_ratio(report)
    ratio_text = f" ({cell_text(ratio, Kind.RATIO)} today)" if ratio is not None else ""
    models = {s.model for s in like.streams}
    if len(models) == 1 and not any(s.kept for s in like.streams):
        hosts = {s.host for s in like.streams}
        on = "" if hosts == {VENDOR} or len(hosts) > 1 else f" on {hosts.pop()}"
        return f"Cheapest like for like ({classes}): {models.pop()}{on} at {money(like.monthly_cost)} a month{ratio_text}"
    return "Cheapest like for like, each stream in its class: " + ", ".join(
        f"{s.name} stays on {s.model} (no {s.size_class} candidate takes it)" if s.kept else
        f"{s.name} → {s.model}{_on(s.host)} ({s.size_class})" for s in like.streams) + f": {money(like.monthly_cost)} a month{ratio_text}"


def _compare_summary(report: CompareReport, classes: str) -> list[str]:
    currency = report.workload.currency

    def money(value: Decimal) -> str:
        return money_text(value, currency)

    summary: list[str] = []
    if report.baseline_monthly_cost is not None:
        summary.append(f"Today's cost on the workload's own models: {money(report.baseline_monthly_cost)} a month")
    else:
        summary.append(f"Today's cost cannot be computed: {report.baseline_note}")
    summary.append(_like_line(report, classes, money))
    if not report.candidates:
        summary.append(_nothing_ranked(report))
    per_vendor = _per_vendor(report)
    if per_vendor:
        summary.append("Your class, cheapest per vendor: " + " · ".join(
            f"{c.model} {money(c.monthly_cost)}" for c in per_vendor))
    return summary


def _nothing_ranked(report: CompareReport) -> str:
    """The sentence that stands for an empty ranking: no offering prices every stream (or none was there to price)."""
    hosted = any(e.host != VENDOR for e in report.excluded)
    what = "offering (model x host)" if hosted else "model"
    if report.excluded:
        return f"No {what} prices every stream of {report.workload.name}, so none is ranked: each is listed under Excluded"
    return "No model to rank: the models and hosts asked for leave none"


def _per_vendor(report: CompareReport) -> list[Candidate]:
    """The cheapest candidate of the workload's class per vendor, as the summary names them (none with two classes)."""
    if len(report.workload_classes) != 1:
        return []
    per_vendor: dict[str, Candidate] = {}
    for candidate in report.same_class:
        per_vendor.setdefault(candidate.vendor, candidate)
    return list(per_vendor.values())


def _named_batch_at_standard(report: CompareReport, shown: tuple[Candidate, ...]) -> tuple[str, ...]:
    """The models priced with their batch share at standard rates that the report names: the candidates shown, the
    workload's own models (today's cost), the like-for-like answer's and the summary's cheapest per vendor."""
    named = {c.model for c in (*shown, *_per_vendor(report))} | {s.model for s in report.workload.streams}
    if report.like_for_like is not None:
        named |= {s.model for s in report.like_for_like.streams}
    return tuple(model for model in report.batch_at_standard if model in named)


def _candidate_note(candidate: Candidate, batch_at_standard: tuple[str, ...]) -> str:
    notes = ["free tier"] if candidate.free_tier else []
    if candidate.model in batch_at_standard:
        notes.append("no batch API: batch share at standard rates")
    return "; ".join(notes)


def compare_view(report: CompareReport, top: int = 0) -> View:
    """The candidates cheapest first (the `top` cheapest, 0: all), with the like-for-like answer at a glance: the
    classes of the workload's own models are starred, and the summary names the cheapest of them and the cheapest
    per vendor (of every candidate, shown or not); free tiers are flagged."""
    workload = report.workload
    shown = report.candidates[:top] if top > 0 else report.candidates
    batch_at_standard = _named_batch_at_standard(report, shown)
    document = {
        **envelope(report.catalog_version, report.as_of, workload.currency, report.exchange_rates),
        "workload": workload.name,
        "baseline_monthly_cost": report.baseline_monthly_cost,
        "workload_classes": list(report.workload_classes),
        "candidates_total": len(report.candidates),
        "candidates": [
            {
                "model": c.model,
                "vendor": c.vendor,
                "host": c.host,
                "class": c.size_class,
                "monthly_cost": c.monthly_cost,
                "ratio_to_baseline": c.ratio_to_baseline,
                "same_class": c.same_class,
                "free_tier": c.free_tier,
            }
            for c in shown
        ],
        "excluded": [{"model": e.model, "host": e.host, "reason": e.reason} for e in report.excluded],
        "like_for_like": _like_document(report),
        "batch_at_standard_rates": list(batch_at_standard),
    }
    scale = bar_scale(report)
    hosted = any(c.host != VENDOR for c in report.candidates) or any(e.host != VENDOR for e in report.excluded)
    rows = tuple(
        (str(rank), c.model, c.vendor, *((c.host,) if hosted else ()), c.size_class, "*" if c.same_class else "",
         c.monthly_cost, c.ratio_to_baseline, (c.monthly_cost / scale) if scale else Decimal(0),
         _candidate_note(c, report.batch_at_standard))
        for rank, c in enumerate(shown, start=1)
    )
    classes = ", ".join(report.workload_classes)
    tables = [
        Table(
            title=f"{workload.name} priced on {len(report.candidates)} {'offerings (model x host)' if hosted else 'models'}, "
                  f"cheapest first (* your class: {classes})"
                  + (f" — the {len(shown)} cheapest" if len(shown) < len(report.candidates) else ""),
            columns=(
                Column("#", key="rank", priority=SECONDARY),
                Column("Model", key="model", priority=ESSENTIAL),
                Column("Vendor", key="vendor", priority=SECONDARY),
                *((Column("Host", key="host", priority=ESSENTIAL),) if hosted else ()),
                Column("Class", key="class"),
                Column("", key="same_class"),  # the star of a class the workload uses: a column of its own, so that
                # csv's `class` is the plain class
                Column("Monthly cost", Kind.MONEY, "monthly_cost", "Monthly", ESSENTIAL),
                Column("vs today", Kind.RATIO, "ratio_to_baseline"),
                Column("", Kind.BAR, "bar"),
                Column("Note", key="note", priority=NOTE, wrap=True),
            ),
            rows=rows,
            hide_empty=True,  # nothing ranked: the summary says so in one sentence
        )
    ]
    if report.excluded:
        tables.append(
            Table(
                title="Excluded (cannot be priced: unknown is not free)",
                columns=(Column("Model", key="model", priority=ESSENTIAL),
                         *((Column("Host", key="host", priority=ESSENTIAL),) if hosted else ()),
                         Column("Reason", key="reason", priority=ESSENTIAL, wrap=True)),
                rows=tuple((e.model, *((e.host,) if hosted else ()), e.reason) for e in report.excluded),
            )
        )
    currency = workload.currency
    summary = _compare_summary(report, classes)
    notes = [f"workload: {workload.source}", *adjustment_notes(workload), *batch_notes(batch_at_standard)]
    if len(shown) < len(report.candidates):
        notes.append(f"… {len(report.candidates) - len(shown)} more: --all (or --top N) shows them")
    if any(c.free_tier for c in shown):
        notes.append("free tier: priced at 0 by its vendor, with rate limits the vendor sets — `aicost pricing show MODEL`")
    return View("compare", document, tuple(tables),
                footer(report.catalog_version, report.as_of, *notes, currency=currency, rates=report.exchange_rates),
                tuple(summary), currency=currency)


# ---------------------------------------------------------------------------------------------- pricing


