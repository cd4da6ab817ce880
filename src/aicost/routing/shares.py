"""Choosing the small share of a routing plan: measured by an evaluation (the prompts it costs, its payback and the
Wilson interval of the share it measures), solved for a target saving, or swept from 0 to 1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext
from typing import NamedTuple

from aicost.catalog import Catalog
from aicost.currency import priced_in
from aicost.errors import ParameterError
from aicost.money import percent_text, quantize
from aicost.routing.estimate import (
    CASCADE,
    JUDGE,
    RATIO_PLACES,
    ROUTER,
    Overhead,
    RouteOptions,
    RouteReport,
    answers_read,
    fraction,
    route,
    saving,
)
from aicost.workload import ONE, ROUTING_MODES, ZERO, Workload

Z_95 = Decimal("1.959963984540054")  # the standard normal's 97.5th percentile: a two-sided 95 % interval


def wilson_interval(share: Decimal, prompts: int) -> tuple[Decimal, Decimal]:
    """The 95 % Wilson score interval of a proportion observed as `share` of `prompts` trials."""
    n = Decimal(prompts)
    with localcontext() as context:
        context.prec = 40
        z2 = Z_95 * Z_95
        denominator = ONE + z2 / n
        centre = (share + z2 / (2 * n)) / denominator
        half = Z_95 * (share * (ONE - share) / n + z2 / (4 * n * n)).sqrt() / denominator
        low, high = max(ZERO, centre - half), min(ONE, centre + half)
    return quantize(low, RATIO_PLACES), quantize(high, RATIO_PLACES)


class Evaluation(NamedTuple):
    """What it costs to measure a router on N prompts, how soon the saving repays it, and how sure the saving is."""

    prompts: int
    cost: Decimal  # the N prompts on both models, and the judge if any
    payback_months: Decimal | None  # cost / monthly saving; None when the plan saves nothing
    share_interval: tuple[Decimal, Decimal] | None  # 95 % Wilson interval of the small share measured on N prompts
    saving_interval: tuple[Decimal, Decimal] | None  # the plan's saving at the two ends of that interval


def evaluate(workload: Workload, catalog: Catalog, as_of: dt.date, options: RouteOptions, report: RouteReport,
             prompts: int, judge: Overhead | None = None) -> Evaluation:
    """The evaluation behind a routing decision: N prompts of this workload's mix answered by both models (and
    graded by a judge model or at a flat price, when given), its payback against the plan's monthly saving, and the
    saving's 95 % interval when the small share is itself an estimate from those N prompts."""
    if prompts < 1:
        raise ParameterError("eval_prompts", prompts, "must be at least 1 prompt")
    catalog = priced_in(catalog, workload.currency)
    requests = report.monthly_requests
    if not requests:
        raise ParameterError("eval_prompts", prompts, "the workload sends no requests — there is no mix to sample")
    per_prompt = (report.small_alone_monthly_cost + report.baseline_monthly_cost) / requests
    if judge is not None:
        # the judge reads the prompt and both answers (each model's profiled output), at the workload's price
        per_prompt += sum((s.monthly_requests * judge.per_request(s, catalog, as_of, workload.adjustments,
                                                                    answers_read(JUDGE, workload, s, planned.plan))
                           for s, planned in zip(workload.streams, report.streams, strict=True)), ZERO) / requests
    cost = per_prompt * prompts
    monthly_saving = report.baseline_monthly_cost - report.plan_monthly_cost
    payback = fraction(cost, monthly_saving) if monthly_saving > 0 else None
    shares = {(s.plan.mode, s.plan.small_share) for s in report.streams}
    if len(shares) != 1:
        return Evaluation(prompts, cost, payback, None, None)  # one interval needs one split
    ((_, share),) = shares
    low, high = wilson_interval(share, prompts)
    savings = [route(workload, catalog, as_of, options.with_small_share(x)).saving for x in (low, high)]
    if any(value is None for value in savings):
        return Evaluation(prompts, cost, payback, (low, high), None)
    ends = sorted(value for value in savings if value is not None)
    return Evaluation(prompts, cost, payback, (low, high), (ends[0], ends[1]))


class TargetPlan(NamedTuple):
    """The split that reaches a target saving: the smallest small share (router) or the largest escalation (cascade)."""

    target_saving: Decimal
    mode: str
    small_share: Decimal
    ceiling_saving: Decimal  # the best saving any split of this pair gives, overhead included
    report: RouteReport

    @property
    def escalation(self) -> Decimal | None:
        return ONE - self.small_share if self.mode == CASCADE else None


def _pair_text(report: RouteReport) -> str:
    if report.small and report.frontier:
        return f"{report.small} → {report.frontier}"
    return "these pairs"


def solve_target(
    workload: Workload, catalog: Catalog, as_of: dt.date, options: RouteOptions, target_saving: Decimal
) -> TargetPlan:
    """Solve plan(x) = (1 - target) x baseline for the small share x; the plan cost is linear in x in both modes."""
    catalog = priced_in(catalog, workload.currency)
    all_frontier = route(workload, catalog, as_of, options.with_small_share(ZERO))
    all_small = route(workload, catalog, as_of, options.with_small_share(ONE))
    mode = all_frontier.mode
    if mode not in ROUTING_MODES:
        raise ParameterError("target_saving", target_saving, "needs one routing mode for every stream — choose the mode")
    baseline = all_frontier.baseline_monthly_cost
    if not baseline:
        raise ParameterError("target_saving", target_saving, "the workload costs nothing on the frontier model — there is nothing to save")
    cost_at_zero, cost_at_one = all_frontier.plan_monthly_cost, all_small.plan_monthly_cost
    ceiling = ONE - fraction(min(cost_at_zero, cost_at_one), baseline)
    pair = _pair_text(all_frontier)
    where = "100 % small share" if mode == ROUTER else "0 % escalation"
    ratio = all_frontier.price_ratio
    ratio_text = f"; the small side costs {quantize(ratio, Decimal('0.001'))}x the frontier side" if ratio is not None else ""
    if cost_at_one >= cost_at_zero:
        raise ParameterError(
            "target_saving", target_saving, f"{pair} cannot save by routing on this workload{ratio_text} "
            f"(ceiling {percent_text(ceiling)}) — choose a cheaper small model"
        )
    if target_saving > ceiling:
        raise ParameterError(
            "target_saving", target_saving, f"above the ceiling of {percent_text(ceiling)} "
            f"({quantize(ceiling, Decimal('0.000001'))}) for {pair} at {where} on this workload{ratio_text} — lower the "
            "target, pick a cheaper small model or a cheaper router/verifier"
        )
    target_cost = (ONE - target_saving) * baseline
    # Between the ends the plan cost is linear in the share; a router's overhead is paid only there (at 0 and 1 no
    # request is split), so the line runs from cost_at_zero + overhead to cost_at_one + overhead.
    overhead = route(workload, catalog, as_of, options.with_small_share(Decimal("0.5"))).router_overhead
    small_share = fraction(target_cost - cost_at_zero - overhead, cost_at_one - cost_at_zero)
    small_share = min(ONE, max(ZERO, small_share))  # at 1 (no router) the small model alone meets the target
    report = route(workload, catalog, as_of, options.with_small_share(small_share))
    return TargetPlan(target_saving, mode, small_share, ceiling, report)


class SweepPoint(NamedTuple):
    small_share: Decimal
    plan_monthly_cost: Decimal
    baseline_monthly_cost: Decimal

    @property
    def saving(self) -> Decimal | None:
        return saving(self.plan_monthly_cost, self.baseline_monthly_cost)


SMALLEST_STEP = Decimal("0.001")  # a sweep of at most 1,001 shares


def sweep_shares(step: Decimal) -> tuple[Decimal, ...]:
    """0, step, 2 x step, ... and always 1."""
    if not SMALLEST_STEP <= step <= ONE:
        raise ParameterError("step", step, f"must be at least {SMALLEST_STEP} ({(SMALLEST_STEP * 100).normalize()}%) and at most 1 (100%)")
    shares: list[Decimal] = []
    share = ZERO
    while share < ONE:
        shares.append(share)
        share += step
    shares.append(ONE)
    return tuple(shares)


def sweep(
    workload: Workload, catalog: Catalog, as_of: dt.date, options: RouteOptions, step: Decimal
) -> tuple[SweepPoint, ...]:
    """Plan cost and saving with every stream at each small share (a cascade escalates 1 - share)."""
    catalog = priced_in(catalog, workload.currency)
    points = []
    for share in sweep_shares(step):
        report = route(workload, catalog, as_of, options.with_small_share(share))
        points.append(SweepPoint(share, report.plan_monthly_cost, report.baseline_monthly_cost))
    return tuple(points)
