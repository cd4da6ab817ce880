"""Routing reports reduced to views: the `route` JSON document of DESIGN's contract plus the tables people read.

`route_view` draws one plan (with an optional target and share sweep), `plan_view` the pair planner.  The JSON
document carries exact values (money rounded to 6 places by the JSON renderer); tables carry the same values.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aicost.calc import Breakdown
from aicost.money import money_text, percent_text
from aicost.render.view import ESSENTIAL, NOTE, SECONDARY, Cell, Column, Kind, Table, View
from aicost.routing import (
    CASCADE,
    KEEP,
    ROUTE,
    ROUTER,
    SWITCH,
    Evaluation,
    Overhead,
    PlanOption,
    PlanReport,
    Proposal,
    RouteReport,
    StreamRoute,
    SweepPoint,
    TargetPlan,
    break_even_router_cost,
)
from aicost.stream_terms import terms_document
from aicost.workload import HOURS_PER_MONTH

from .common import ADJUSTED_TOKENS, BREAKDOWN_COLUMNS, adjustment_notes, batch_notes, bought_lines, breakdown_document, envelope, footer

CHART_WIDTH = 40  # characters for a 100 % saving
QUALITY_PLACES = Decimal("0.0001")


def _percent(value: Decimal | None) -> str:
    return "—" if value is None else percent_text(value)


def _ratio(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.001'), rounding=ROUND_HALF_EVEN)}x"


def overhead_document(overhead: Overhead | None) -> dict[str, Any] | None:
    if overhead is None:
        return None
    if overhead.per_1000_requests is not None:
        return {"per_1000_requests": overhead.per_1000_requests}
    return {"model": overhead.model, "input_tokens": overhead.input_tokens, "output_tokens": overhead.output_tokens}


def _side_document(model: str | None, monthly_requests: Decimal, side: Breakdown) -> dict[str, Any]:
    return {"model": model, "monthly_requests": monthly_requests, "monthly_cost": side.total, **breakdown_document(side)}


def _stream_document(stream: StreamRoute) -> dict[str, Any]:
    plan = stream.plan
    return {
        "name": stream.name,
        "mode": plan.mode,
        "small": plan.small,
        "frontier": plan.frontier,
        "small_share": plan.small_share,
        "escalation": plan.escalation,
        "monthly_requests": stream.monthly_requests,
        "baseline_monthly_cost": stream.baseline_monthly_cost,
        "plan_monthly_cost": stream.plan_monthly_cost,
        "saving": stream.saving,
        "price_ratio": stream.price_ratio,
        "ceiling_saving": stream.ceiling_saving,
        "breakdown": {
            "small": _side_document(plan.small, stream.monthly_requests * plan.small_calls, stream.small_side),
            "frontier": _side_document(plan.frontier, stream.monthly_requests * plan.frontier_calls, stream.frontier_side),
            "router_overhead": stream.router_overhead,
            "verifier_overhead": stream.verifier_overhead,
        },
    }


def _split_text(report: RouteReport) -> str:
    small, frontier = report.small or "the small models", report.frontier or "the frontier models"
    if report.mode == ROUTER:
        return f"Routing {_percent(report.small_share)} of requests to {small} and {_percent(1 - report.small_share)} to {frontier}"
    if report.mode == CASCADE:
        return f"Cascading every request through {small} and escalating {_percent(report.escalation)} to {frontier}"
    return f"Routing {_percent(report.small_share)} of requests to small models (mixed router/cascade streams)"


def _summary(report: RouteReport, target: TargetPlan | None) -> list[str]:
    lines = []
    if target is not None:
        if target.mode == ROUTER:
            need = f"send at least {_percent(target.small_share)} of requests to the small model"
        else:
            need = f"escalate at most {_percent(target.escalation)} of requests to the frontier model"
        lines.append(
            f"To save {_percent(target.target_saving)}: {need} (the best this pair can do is {_percent(target.ceiling_saving)})."
        )
    lines.append(
        f"{_split_text(report)}: {money_text(report.plan_monthly_cost, report.workload.currency)} a month instead of "
        f"{money_text(report.baseline_monthly_cost, report.workload.currency)} all-frontier — saving {_percent(report.saving)}."
    )
    lines.append(
        f"Price ratio small/frontier on this workload's token mix: {_ratio(report.price_ratio)}; "
        f"ceiling at this share (a free small model): {_percent(report.ceiling_saving)}."
    )
    return lines


LONGEST_PAYBACK = Decimal(1_000_000)  # months: past it, "more than" (and no quantize beyond the precision)


def _decision_lines(report: RouteReport, break_even: Decimal | None, evaluation: Evaluation | None) -> list[str]:
    """Break-even of the routing machinery; with --eval-prompts, the evaluation's cost, payback and interval."""
    currency = report.workload.currency
    lines = []
    if break_even is not None:
        lines.append(f"Break-even: routing saves money while the router (or verifier) costs less than "
                     f"{money_text(break_even, currency)} per 1,000 requests.")
    if evaluation is not None:
        months = evaluation.payback_months
        if months is None:
            payback = "never pays back (the plan saves nothing)"
        elif months > LONGEST_PAYBACK:
            payback = f"pays back only after more than {LONGEST_PAYBACK:,} months of savings"
        elif months < Decimal("0.1"):
            hours = (months * HOURS_PER_MONTH).quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)
            payback = f"pays back in {hours} hours of savings"
        else:
            payback = f"pays back in {months.quantize(Decimal('0.01'), rounding=ROUND_HALF_EVEN)} months of savings"
        lines.append(f"Evaluation on {evaluation.prompts:,} prompts: {money_text(evaluation.cost, currency)}, {payback}.")
        if evaluation.share_interval is not None and evaluation.saving_interval is not None:
            low, high = evaluation.share_interval
            lines.append(f"If the small share is measured on those {evaluation.prompts:,} prompts, its 95 % interval is "
                         f"{_percent(low)} to {_percent(high)} (Wilson), and the saving's "
                         f"{_percent(evaluation.saving_interval[0])} to {_percent(evaluation.saving_interval[1])}.")
    return lines


def _stream_table(report: RouteReport) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for s in report.streams:
        rows.append(
            (s.name, s.plan.mode, s.plan.small, s.plan.frontier, s.plan.small_share, s.monthly_requests,
             s.baseline_monthly_cost, s.plan_monthly_cost, s.saving, s.price_ratio, s.ceiling_saving)
        )
    total: tuple[Cell, ...] = (
        "total", report.mode, report.small or "", report.frontier or "", report.small_share, report.monthly_requests,
        report.baseline_monthly_cost, report.plan_monthly_cost, report.saving, report.price_ratio, report.ceiling_saving,
    )
    return Table(
        title=f"Routing plan for {report.workload.name}, by stream",
        columns=(
            Column("Stream", key="stream", priority=ESSENTIAL),
            Column("Mode", key="mode", priority=SECONDARY),
            Column("Small", key="small", priority=ESSENTIAL),
            Column("Frontier", key="frontier", priority=ESSENTIAL),
            Column("Small share", Kind.PERCENT, "small_share", "Share"),
            Column("Requests/month", Kind.COUNT, "monthly_requests", "Req/month", SECONDARY),
            Column("All-frontier", Kind.MONEY, "baseline_monthly_cost", "All-front."),
            Column("Plan", Kind.MONEY, "plan_monthly_cost", priority=ESSENTIAL),
            Column("Saving", Kind.PERCENT, "saving", priority=ESSENTIAL),
            Column("Price ratio", Kind.RATIO, "price_ratio", "Ratio", SECONDARY),
            Column("Ceiling", Kind.PERCENT, "ceiling_saving", priority=NOTE),
        ),
        rows=tuple(rows),
        total=total,
    )


def _overhead_model(overhead: Overhead | None) -> str:
    """The model a classifier or verifier overhead is priced on, or "" for a flat price or none."""
    return "" if overhead is None or overhead.model is None else overhead.model


def _breakdown_table(report: RouteReport, router: Overhead | None = None, verifier: Overhead | None = None) -> Table:
    small, frontier = report.small_side, report.frontier_side
    none = (None, None, None, None)
    rows: tuple[tuple[Cell, ...], ...] = (
        ("small model", report.small or "(per stream)", report.small_requests, small.input, small.cached_input,
         small.cache_write, small.output, small.total),
        ("frontier model", report.frontier or "(per stream)", report.frontier_requests, frontier.input,
         frontier.cached_input, frontier.cache_write, frontier.output, frontier.total),
        ("router overhead", _overhead_model(router), None, *none, report.router_overhead),
        ("verifier overhead", _overhead_model(verifier), None, *none, report.verifier_overhead),
    )
    both = small + frontier
    return Table(
        title="Plan breakdown (monthly)",
        columns=(
            Column("Part", key="part", priority=ESSENTIAL),
            Column("Model", key="model", priority=ESSENTIAL),
            Column("Calls/month", Kind.COUNT, "monthly_requests", "Calls"),
            *BREAKDOWN_COLUMNS,
            Column("Monthly cost", Kind.MONEY, "monthly_cost", "Monthly", ESSENTIAL),
        ),
        rows=rows,
        total=("plan", "", None, both.input, both.cached_input, both.cache_write, both.output, report.plan_monthly_cost),
    )


def _sweep_table(points: tuple[SweepPoint, ...], mode: str) -> Table:
    cascade = mode == CASCADE
    columns = [Column("Small share", Kind.PERCENT, "small_share", "Share", ESSENTIAL)]
    if cascade:
        columns.append(Column("Escalation", Kind.PERCENT, "escalation", "Escal."))
    columns += [Column("Plan", Kind.MONEY, "plan_monthly_cost", priority=ESSENTIAL),
                Column("Saving", Kind.PERCENT, "saving", priority=ESSENTIAL)]
    rows = tuple(
        (p.small_share, *((1 - p.small_share,) if cascade else ()), p.plan_monthly_cost, p.saving) for p in points
    )
    return Table(title="Cost and saving across shares", columns=tuple(columns), rows=rows)


def sweep_chart(points: tuple[SweepPoint, ...]) -> tuple[str, ...]:
    """A plain-text bar per share: the bar's length is the saving (40 characters = 100 %)."""
    lines = [f"Saving by small share (█ = {Decimal(100) / CHART_WIDTH:.1f} %; | marks 0)"]
    for point in points:
        value = point.saving
        label = f"{(point.small_share * 100).quantize(Decimal('0.1')):>5} %"
        if value is None:
            lines.append(f"{label} |")
            continue
        length = int((max(Decimal(0), min(Decimal(1), value)) * CHART_WIDTH).to_integral_value(rounding=ROUND_HALF_EVEN))
        bar = "█" * length if value >= 0 else "(costs more)"
        lines.append(f"{label} |{bar} {_percent(value)}")
    return tuple(lines)


def proposal_lines(proposals: tuple[Proposal, ...], currency: str) -> list[str]:
    """What aicost chose where no small model was given: one line per model, naming its streams and why it."""
    by_model: dict[tuple[str, str | None], list[Proposal]] = {}
    for proposal in proposals:
        by_model.setdefault((proposal.small, proposal.vendor), []).append(proposal)
    lines = []
    for (small, vendor), chosen in by_model.items():
        among = f"small {vendor} model" if vendor else "small model of any vendor"
        names = ", ".join(f"'{p.stream}'" for p in chosen)
        cost = money_text(sum((p.monthly_cost for p in chosen), Decimal(0)), currency)
        lines.append(f"no small model given: proposing {small} for {'stream' if len(chosen) == 1 else 'streams'} "
                     f"{names}, the cheapest {among} that takes these requests ({cost} a month on it alone) — "
                     "--small MODEL chooses another")
    return lines


def route_view(
    report: RouteReport,
    target: TargetPlan | None = None,
    sweep_points: tuple[SweepPoint, ...] = (),
    router_overhead: Overhead | None = None,
    verifier_overhead: Overhead | None = None,
    evaluation: Evaluation | None = None,
    proposals: tuple[Proposal, ...] = (),
) -> View:
    workload = report.workload
    break_even = break_even_router_cost(report)
    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.as_of, workload.currency, report.exchange_rates),
        "workload": workload.name,
        "mode": report.mode,
        "small": report.small,
        "frontier": report.frontier,
        "small_share": report.small_share,
        "escalation": report.escalation,
        "baseline_monthly_cost": report.baseline_monthly_cost,
        "plan_monthly_cost": report.plan_monthly_cost,
        "saving": report.saving,
        "price_ratio": report.price_ratio,
        "ceiling_saving": report.ceiling_saving,
        "breakdown": {
            "small": _side_document(report.small, report.small_requests, report.small_side),
            "frontier": _side_document(report.frontier, report.frontier_requests, report.frontier_side),
            "router_overhead": report.router_overhead,
            "verifier_overhead": report.verifier_overhead,
        },
        "overheads": {"router": overhead_document(router_overhead), "verifier": overhead_document(verifier_overhead)},
        "break_even": {"max_router_cost_per_1000": break_even},
        "streams": [{**_stream_document(s), **terms_document(bought)}  # how each stream is bought, where not the default
                    for s, bought in zip(report.streams, report.workload.streams, strict=True)],
        "proposed": [{"stream": p.stream, "small": p.small, "among": p.vendor or "any vendor",
                      "small_alone_monthly_cost": p.monthly_cost} for p in proposals],
        "batch_at_standard_rates": list(report.batch_at_standard),
    }
    if evaluation is not None:
        document["evaluation"] = {"prompts": evaluation.prompts, "cost": evaluation.cost,
                                  "payback_months": evaluation.payback_months,
                                  "share_interval": None if evaluation.share_interval is None else list(evaluation.share_interval)}
        document["saving_interval"] = None if evaluation.saving_interval is None else list(evaluation.saving_interval)
    tables = [_stream_table(report), _breakdown_table(report, router_overhead, verifier_overhead)]
    if target is not None:
        document["target"] = {
            "target_saving": target.target_saving,
            "mode": target.mode,
            "small_share": target.small_share,
            "escalation": target.escalation,
            "ceiling_saving": target.ceiling_saving,
        }
    chart: tuple[str, ...] = ()
    if sweep_points:
        document["sweep"] = [
            {
                "small_share": p.small_share,
                **({"escalation": 1 - p.small_share} if report.mode == CASCADE else {}),
                "plan_monthly_cost": p.plan_monthly_cost,
                "saving": p.saving,
            }
            for p in sweep_points
        ]
        tables.insert(0, _sweep_table(sweep_points, report.mode))  # first: csv writes the first table only
        chart = sweep_chart(sweep_points)
    notes = [f"workload: {workload.source}", "saving = 1 - plan / all-frontier; the baseline runs every request on the frontier model",
             *bought_lines(workload), *adjustment_notes(workload, ADJUSTED_TOKENS), *batch_notes(report.batch_at_standard)]
    return View(
        "route",
        document,
        tuple(tables),
        footer(report.catalog_version, report.as_of, *notes, currency=workload.currency, rates=report.exchange_rates),
        tuple([line[0].upper() + line[1:] + "." for line in proposal_lines(proposals, workload.currency)]
              + _summary(report, target) + _decision_lines(report, break_even, evaluation)),
        chart,
        currency=workload.currency,
    )


# ---------------------------------------------------------------------------------------------- planner


def _plan_document(plan: PlanOption) -> dict[str, Any]:
    return {
        "kind": plan.kind,
        "small": plan.small,
        "frontier": plan.frontier,
        "small_share": plan.small_share,
        "baseline_monthly_cost": plan.baseline_monthly_cost,
        "plan_monthly_cost": plan.plan_monthly_cost,
        "saving": plan.saving,
        "router_overhead": plan.router_overhead,
        "price_ratio": plan.price_ratio,
        "quality": plan.quality,
        "dominated": plan.dominated,
    }


def _mark(plan: PlanOption) -> str:
    return {None: "", True: "dominated", False: "pareto"}[plan.dominated]


PLAN_WORDS = {KEEP: "keep today", SWITCH: "switch to", ROUTE: "route to"}
PLAN_COLUMNS = (
    Column("#", key="rank", priority=SECONDARY),
    Column("Plan", key="plan", priority=ESSENTIAL),
    Column("Model", key="small", priority=ESSENTIAL),
    Column("Anchor", key="frontier"),
    Column("Share", Kind.PERCENT, "small_share"),
    Column("Monthly cost", Kind.MONEY, "plan_monthly_cost", "Monthly", ESSENTIAL),
    Column("vs today", Kind.PERCENT, "saving"),
    Column("Price ratio", Kind.RATIO, "price_ratio", "Ratio", SECONDARY),
    Column("Quality", key="quality", priority=SECONDARY),
    Column("Pareto", key="pareto", priority=NOTE),
)


def _quality_text(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(QUALITY_PLACES, rounding=ROUND_HALF_EVEN)}"


def _plan_rows(plans: tuple[PlanOption, ...], ranks: dict[int, int]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (str(ranks[id(p)]), PLAN_WORDS[p.kind], p.small, p.frontier or "", p.small_share,
         p.plan_monthly_cost, p.saving, p.price_ratio,
         None if p.quality is None else p.quality.quantize(QUALITY_PLACES, rounding=ROUND_HALF_EVEN), _mark(p))
        for p in plans
    )


def _model_list(models: list[str], shown: int = 6) -> str:
    if len(models) <= shown:
        return ", ".join(models)
    return ", ".join(models[:shown]) + f" and {len(models) - shown} more (--format json lists all)"


def _by_reason(report: PlanReport) -> dict[str, list[str]]:
    """Excluded models grouped by reason (a model's own id in its reason is generalised; an id inside another id, a
    successor's `claude-sonnet-4-6` for `claude-sonnet-4`, is left alone)."""
    groups: dict[str, list[str]] = {}
    for excluded in report.excluded:
        own = re.compile(r"(?<![\w.-])" + re.escape(excluded.model) + r"(?![\w-]|\.\w)")  # whole ids only
        groups.setdefault(own.sub("the model", excluded.reason), []).append(excluded.model)
    return groups


def _plan_summary(report: PlanReport) -> list[str]:
    """What the planner can say: keep today's setup, a ranking by cost alone (no floor), or the cheapest plan that
    meets the floor."""
    best = report.plans[0]
    currency = report.workload.currency
    if best.kind == KEEP:
        summary = [f"Keep today's setup ({best.small}): {money_text(best.plan_monthly_cost, currency)} a month — no plan "
                   "here is cheaper" + (f"; expected quality {_quality_text(best.quality)}." if best.quality is not None
                                        else ".")]
    elif report.quality_floor is None:
        cheapest, dearest = report.plans[0].plan_monthly_cost, report.plans[-1].plan_monthly_cost
        summary = ["Ranked by cost alone: with no quality floor aicost cannot tell whether a cheaper model answers well "
                   f"enough, so it recommends none of these {len(report.plans)} plans ({money_text(cheapest, currency)} to "
                   f"{money_text(dearest, currency)} a month; today {money_text(report.today_monthly_cost, currency)})."]
        summary.append("For a recommendation: score the models on your own evaluation in a [quality] table (model = 0..1)"
                       " and give --quality-floor SCORE." if not report.pareto else
                       "The Pareto frontier below shows what each saving costs in quality; --quality-floor SCORE picks "
                       "the cheapest plan that is good enough.")
    else:
        if best.kind == SWITCH:
            split = f"every request to {best.small} (no routing)"
        else:
            split = f"{_percent(best.small_share)} of requests to {best.small}, the rest to {best.frontier}"
        verdict = (f"saving {_percent(best.saving)} against today's {money_text(report.today_monthly_cost, currency)}"
                   if best.saving is not None and best.saving > 0 else
                   f"no cheaper than today's {money_text(report.today_monthly_cost, currency)}")
        summary = [f"Cheapest plan: {split}: {money_text(best.plan_monthly_cost, currency)} a month, {verdict}"
                   + (f", expected quality {_quality_text(best.quality)}." if best.quality is not None else ".")]
    return summary


def plan_view(report: PlanReport, top: int = 0) -> View:
    """The planner: the `top` cheapest options (0 = all) against today's spend, the Pareto frontier, exclusions."""
    workload = report.workload
    currency = workload.currency
    shown = report.plans if top <= 0 else report.plans[:top]
    best = report.plans[0]
    ranks = {id(plan): rank for rank, plan in enumerate(report.plans, start=1)}
    anchors = ", ".join(dict.fromkeys(report.anchors))
    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.as_of, currency, report.exchange_rates),
        "workload": workload.name,
        "mode": ROUTER,
        "anchors": list(report.anchors),
        "today_monthly_cost": report.today_monthly_cost,
        "today_quality": report.today_quality,
        # the cheapest plan (that meets the quality floor, when one is given)
        "kind": best.kind,
        "small": best.small,
        "frontier": best.frontier,
        "small_share": best.small_share,
        "baseline_monthly_cost": best.baseline_monthly_cost,
        "plan_monthly_cost": best.plan_monthly_cost,
        "saving": best.saving,
        "curve": {"name": report.curve.name, "points": [[x, y] for x, y in report.curve.points]},
        "quality_floor": report.quality_floor,
        "plans_total": len(report.plans),
        "plans": [_plan_document(p) for p in shown],
        "pareto": [_plan_document(p) for p in report.pareto],
        "excluded": [{"model": e.model, "reason": e.reason} for e in report.excluded],
        "unreachable": list(report.unreachable),
        # what aicost can justify: the cheapest plan under a quality floor, or keeping today's setup when nothing is
        # cheaper; without a floor a ranking by cost says nothing of whether a cheaper model answers well enough
        "ranked_by": "cost" if report.quality_floor is None else "cost, under the quality floor",
        "recommended": _plan_document(best) if report.quality_floor is not None or best.kind == KEEP else None,
        "batch_at_standard_rates": list(report.batch_at_standard),
    }
    if report.quality_floor is not None:
        title = f"Cheapest ways to reach quality {report.quality_floor} ({report.curve.name} router curve)"
    else:
        title = f"Cheapest options, routes at a {_percent(report.fixed_small_share)} small share"
    title += f" — anchor {anchors}, today {money_text(report.today_monthly_cost, currency)} a month"
    if top > 0 and len(report.plans) > top:
        title += f" — {top} of {len(report.plans)}"
    tables = [Table(title=title, columns=PLAN_COLUMNS, rows=_plan_rows(shown, ranks))]
    if report.pareto:
        tables.append(
            Table(
                title="Cost-quality Pareto frontier (no other plan is as cheap and as good)",
                columns=PLAN_COLUMNS,
                rows=_plan_rows(report.pareto, ranks),
            )
        )
    if report.excluded:
        tables.append(
            Table(
                title="Excluded models",
                columns=(Column("Reason", key="reason", priority=ESSENTIAL, wrap=True),
                         Column("Models", key="models", priority=ESSENTIAL, wrap=True)),
                rows=tuple((reason, _model_list(models)) for reason, models in _by_reason(report).items()),
            )
        )
    summary = _plan_summary(report)
    notes = [f"workload: {workload.source}", *adjustment_notes(workload), *batch_notes(report.batch_at_standard),
             "anchor = each stream's frontier model (--frontier, else the model it uses today); vs today = saving "
             "against today's spend; router overhead only where requests are split",
             "dominated: another plan costs no more and scores no lower"]
    if report.unreachable:
        notes.append(f"{len(report.unreachable)} model(s) cannot reach the quality floor routed with the anchor: "
                     + _model_list(list(report.unreachable)))
    if not report.pareto:
        notes.append("no quality scores for these plans: add a [quality] table (model = score 0..1) to mark dominated plans")
    if top > 0 and len(report.plans) > top:
        notes.append(f"showing the {top} cheapest of {len(report.plans)} plans; --top 0 shows all")
    return View("route plan", document, tuple(tables),
                footer(report.catalog_version, report.as_of, *notes, currency=currency, rates=report.exchange_rates),
                tuple(summary), currency=currency)
