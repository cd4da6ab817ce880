"""Small/frontier routing arithmetic: router and cascade plans, overheads, target savings, sweeps and a pair planner.

Each side of a plan is priced with calc's per-stream functions on its own model, so that model's cache, batch and
long-context prices apply to its share of the traffic.  Everything is Decimal and nothing is rounded here.

- Router: each request goes to one model.
  monthly cost = N x (small_share x C_small + (1 - small_share) x C_frontier) + router overhead
- Cascade: every request goes to the small model; the escalated share is also sent to the frontier model.
  monthly cost = N x (C_small + escalation x C_frontier) + verifier overhead
- saving = 1 - plan cost / all-frontier cost (the whole workload on the frontier model).

In reports, `small_share` is the share of requests answered by the small model: the router's share, or
1 - escalation for a cascade.  At that share a free small model (and no overhead) would save exactly
`small_share` — the ceiling of the plan.  No I/O and no terminal here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from enum import StrEnum
from typing import NamedTuple

from .calc import (
    NO_ADJUSTMENTS,
    Breakdown,
    Excluded,
    TokenMix,
    adjusted_factor,
    price_period,
    request_cost,
    stream_cost,
    stream_request_cost,
    sum_breakdowns,
    workload_cost,
)
from .catalog import Catalog, ExchangeRate, Model
from .currency import priced_in, rates_used
from .errors import ContextWindowError, InputError, ParameterError, UnpricedError
from .money import percent_text, quantize
from .quantities import parse_fraction
from .workload import ONE, ROUTING_MODES, ZERO, Adjustments, Profile, RoutingDefaults, Stream, Workload

ROUTER, CASCADE = ROUTING_MODES
JUDGE = "judge"  # an evaluation's judge: reads the request and both answers
Z_95 = Decimal("1.959963984540054")  # the standard normal's 97.5th percentile: a two-sided 95 % interval
THOUSAND = Decimal(1000)
HUNDRED = Decimal(100)
RATIO_PLACES = Decimal("1e-20")
"""Fractions (savings, shares, price ratios) keep 20 places: volumes such as 1,000 a day x 730 / 24 do not
terminate, and Decimal's 28 digits would otherwise show 0.864 as 0.8640000000000000000000000001."""
OVERHEAD_OUTPUT_TOKENS = 1
"""Output tokens of a classifier or verifier call when not given: one label token."""


# ---------------------------------------------------------------------------------------------- parsing


# ---------------------------------------------------------------------------------------------- overhead


class Overhead(NamedTuple):
    """The routing machinery's own cost per request: a flat price per 1,000 requests, or a model call.

    A model call reads `input_tokens` and writes `output_tokens`; when not given, a router's classifier reads
    the request's input and a cascade's verifier reads the request's input and the small model's output, and
    either writes one token.
    """

    per_1000_requests: Decimal | None = None
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None

    def per_request(self, role: str, stream: Stream, catalog: Catalog, as_of: dt.date) -> Decimal:
        if self.per_1000_requests is not None:
            return self.per_1000_requests / THOUSAND
        assert self.model is not None
        model = catalog.resolve(self.model)
        answers = {ROUTER: 0, CASCADE: 1, JUDGE: 2}[role]  # a classifier reads the request; a verifier, one answer too
        default_input = stream.input_tokens + answers * stream.output_tokens
        input_tokens = default_input if self.input_tokens is None else self.input_tokens
        if input_tokens > model.context_window:  # the classifier, verifier or judge must read it too
            raise ContextWindowError(model.id, input_tokens, model.context_window, stream.name)
        output_tokens = OVERHEAD_OUTPUT_TOKENS if self.output_tokens is None else self.output_tokens
        mix = TokenMix(Decimal(input_tokens), ZERO, ZERO, Decimal(output_tokens), Decimal(input_tokens))
        return request_cost(model, price_period(model, as_of), mix, batch=False).total


# ---------------------------------------------------------------------------------------------- one plan


class RouteOptions(NamedTuple):
    """Routing choices for a whole run; each one given overrides a stream's `routing` table and the file's `[routing]`."""

    small: str | None = None
    frontier: str | None = None
    small_share: Decimal | None = None
    mode: str | None = None
    escalation: Decimal | None = None
    router_overhead: Overhead | None = None
    verifier_overhead: Overhead | None = None

    def with_small_share(self, small_share: Decimal) -> RouteOptions:
        """Every stream at one split: a router's small share, or a cascade's escalation of 1 - small_share."""
        return self._replace(small_share=small_share, escalation=ONE - small_share)


class StreamPlan(NamedTuple):
    """The resolved routing of one stream."""

    mode: str
    small: str
    frontier: str
    small_share: Decimal  # share of requests answered by the small model alone

    @property
    def escalation(self) -> Decimal | None:
        return ONE - self.small_share if self.mode == CASCADE else None

    @property
    def small_calls(self) -> Decimal:
        """Calls to the small model per request."""
        return self.small_share if self.mode == ROUTER else ONE

    @property
    def frontier_calls(self) -> Decimal:
        """Calls to the frontier model per request."""
        return ONE - self.small_share


def _layers(options: RouteOptions, stream: Stream, workload: Workload) -> list[RoutingDefaults]:
    flags = RoutingDefaults(options.small, options.frontier, options.small_share, options.mode, options.escalation)
    return [flags, stream.routing or RoutingDefaults(), workload.routing]


def resolve_plan(options: RouteOptions, stream: Stream, workload: Workload, catalog: Catalog) -> StreamPlan:
    """Flags over the stream's `routing` over the file's `[routing]`; the frontier defaults to the stream's model."""
    layers = _layers(options, stream, workload)
    mode = next((layer.mode for layer in layers if layer.mode), ROUTER)
    if mode not in ROUTING_MODES:
        raise ParameterError("mode", mode, "unknown routing mode — use router or cascade")
    small = next((layer.small for layer in layers if layer.small), None)
    if small is None:
        raise ParameterError("small", None, f"stream '{stream.name}' has no small model — give one, or set small in [routing]")
    frontier = next((layer.frontier for layer in layers if layer.frontier), stream.model)
    small_id, frontier_id = catalog.resolve(small).id, catalog.resolve(frontier).id
    if small_id == frontier_id:
        raise InputError(f"stream '{stream.name}': small and frontier are both {small_id} — routing needs two models")
    small_share: Decimal | None = None
    for layer in layers:  # a layer's own parameter for the mode, else its other one (share = 1 - escalation)
        first, second = (layer.small_share, layer.escalation) if mode == ROUTER else (layer.escalation, layer.small_share)
        if first is not None:
            small_share = first if mode == ROUTER else ONE - first
            break
        if second is not None:
            small_share = ONE - second if mode == ROUTER else second
            break
    if small_share is None:
        parameter, what, example = (("small_share", "the small model's share of requests", "90%") if mode == ROUTER else
                                    ("escalation", "the share of requests escalated to the frontier model", "10%"))
        raise ParameterError(parameter, None, f"stream '{stream.name}' needs {what} — give it (e.g. {example}), or set "
                             f"`[routing] {parameter}` in the workload file")
    if not ZERO <= small_share <= ONE:
        raise InputError(f"stream '{stream.name}': the small share must be between 0 and 1, got {small_share}")
    return StreamPlan(mode, small_id, frontier_id, small_share)


class StreamRoute(NamedTuple):
    """One stream under its plan; money is monthly."""

    name: str
    monthly_requests: Decimal
    plan: StreamPlan
    small_side: Breakdown  # the small model's calls
    frontier_side: Breakdown  # the frontier model's calls
    router_overhead: Decimal
    verifier_overhead: Decimal
    small_alone_monthly_cost: Decimal  # every request on the small model
    baseline_monthly_cost: Decimal  # every request on the frontier model

    @property
    def plan_monthly_cost(self) -> Decimal:
        return self.small_side.total + self.frontier_side.total + self.router_overhead + self.verifier_overhead

    @property
    def saving(self) -> Decimal | None:
        return saving(self.plan_monthly_cost, self.baseline_monthly_cost)

    @property
    def price_ratio(self) -> Decimal | None:
        """C_small / C_frontier on this stream's token mix."""
        return fraction(self.small_alone_monthly_cost, self.baseline_monthly_cost) if self.baseline_monthly_cost else None

    @property
    def ceiling_saving(self) -> Decimal:
        """What a free small model would save at this share, without overhead."""
        return self.plan.small_share


def fraction(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator to 20 decimal places (see RATIO_PLACES)."""
    with localcontext() as context:
        context.prec = 60
        return quantize(numerator / denominator, RATIO_PLACES)


def saving(plan_monthly_cost: Decimal, baseline_monthly_cost: Decimal) -> Decimal | None:
    return ONE - fraction(plan_monthly_cost, baseline_monthly_cost) if baseline_monthly_cost else None


def _common(values: Iterable[str]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


class RouteReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    streams: tuple[StreamRoute, ...]
    exchange_rates: tuple[ExchangeRate, ...] = ()

    @property
    def mode(self) -> str:
        return _common(s.plan.mode for s in self.streams) or "mixed"

    @property
    def small(self) -> str | None:
        return _common(s.plan.small for s in self.streams)

    @property
    def frontier(self) -> str | None:
        return _common(s.plan.frontier for s in self.streams)

    @property
    def monthly_requests(self) -> Decimal:
        return sum((s.monthly_requests for s in self.streams), ZERO)

    @property
    def small_share(self) -> Decimal:
        """Share of all requests answered by the small model alone."""
        if not self.monthly_requests:
            return _common_share(self.streams)
        return fraction(sum((s.plan.small_share * s.monthly_requests for s in self.streams), ZERO), self.monthly_requests)

    @property
    def escalation(self) -> Decimal | None:
        return ONE - self.small_share if self.mode == CASCADE else None

    @property
    def small_side(self) -> Breakdown:
        return sum_breakdowns(s.small_side for s in self.streams)

    @property
    def frontier_side(self) -> Breakdown:
        return sum_breakdowns(s.frontier_side for s in self.streams)

    @property
    def small_requests(self) -> Decimal:
        """Monthly calls to small models."""
        return sum((s.monthly_requests * s.plan.small_calls for s in self.streams), ZERO)

    @property
    def frontier_requests(self) -> Decimal:
        return sum((s.monthly_requests * s.plan.frontier_calls for s in self.streams), ZERO)

    @property
    def router_overhead(self) -> Decimal:
        return sum((s.router_overhead for s in self.streams), ZERO)

    @property
    def verifier_overhead(self) -> Decimal:
        return sum((s.verifier_overhead for s in self.streams), ZERO)

    @property
    def baseline_monthly_cost(self) -> Decimal:
        return sum((s.baseline_monthly_cost for s in self.streams), ZERO)

    @property
    def small_alone_monthly_cost(self) -> Decimal:
        return sum((s.small_alone_monthly_cost for s in self.streams), ZERO)

    @property
    def plan_monthly_cost(self) -> Decimal:
        return sum((s.plan_monthly_cost for s in self.streams), ZERO)

    @property
    def saving(self) -> Decimal | None:
        return saving(self.plan_monthly_cost, self.baseline_monthly_cost)

    @property
    def price_ratio(self) -> Decimal | None:
        """The whole workload on the small model(s) over the whole workload on the frontier model(s)."""
        baseline = self.baseline_monthly_cost
        return fraction(self.small_alone_monthly_cost, baseline) if baseline else None

    @property
    def ceiling_saving(self) -> Decimal | None:
        """The saving of these shares with free small models and no overhead."""
        baseline = self.baseline_monthly_cost
        if not baseline:
            return None
        return fraction(sum((s.plan.small_share * s.baseline_monthly_cost for s in self.streams), ZERO), baseline)


def _common_share(streams: Sequence[StreamRoute]) -> Decimal:
    shares = {s.plan.small_share for s in streams}
    return shares.pop() if len(shares) == 1 else ZERO


def stream_route(
    stream: Stream, plan: StreamPlan, options: RouteOptions, catalog: Catalog, as_of: dt.date,
    adjustments: Adjustments = NO_ADJUSTMENTS, profiles: dict[str, Profile] | None = None,
) -> StreamRoute:
    small, frontier = catalog.resolve(plan.small), catalog.resolve(plan.frontier)
    # Each side at the price the workload pays: list x (1 - its discount) x (1 + platform fee), with the tokens
    # that model answers with (its profile in the workload, if any).
    small_stream, frontier_stream = (stream if profiles is None or m.id not in profiles else profiles[m.id].applied(stream)
                                     for m in (small, frontier))
    small_request = stream_request_cost(small, price_period(small, as_of), small_stream).scaled(
        adjusted_factor(small, adjustments))
    frontier_request = stream_request_cost(frontier, price_period(frontier, as_of), frontier_stream).scaled(
        adjusted_factor(frontier, adjustments))
    requests = stream.monthly_requests
    router = verifier = ZERO
    if plan.mode == ROUTER and options.router_overhead is not None and ZERO < plan.small_share < ONE:
        router = requests * options.router_overhead.per_request(ROUTER, stream, catalog, as_of)
    if plan.mode == CASCADE and options.verifier_overhead is not None:
        verifier = requests * options.verifier_overhead.per_request(CASCADE, stream, catalog, as_of)
    return StreamRoute(
        name=stream.name,
        monthly_requests=requests,
        plan=plan,
        small_side=small_request.scaled(requests * plan.small_calls),
        frontier_side=frontier_request.scaled(requests * plan.frontier_calls),
        router_overhead=router,
        verifier_overhead=verifier,
        small_alone_monthly_cost=small_request.total * requests,
        baseline_monthly_cost=frontier_request.total * requests,
    )


class Proposal(NamedTuple):
    """A small model aicost chose for a stream that had none (no --small, no `small` in its routing or [routing])."""

    stream: str
    small: str
    vendor: str | None  # the vendor it was chosen among (the frontier model's); None: every vendor
    monthly_cost: Decimal  # the stream's monthly cost on it, after adjustments


def propose_small(workload: Workload, catalog: Catalog, as_of: dt.date, options: RouteOptions,
                  any_vendor: bool = False) -> tuple[Workload, tuple[Proposal, ...]]:
    """The workload with a small model in each stream's routing that had none, and what was chosen.

    For such a stream the proposal is the cheapest small-class model of its frontier model's vendor (of every vendor
    with `any_vendor`) that can take the stream's requests: not retired and priced on `as_of`, every price the stream
    needs known, its context window holding the requests, and not free (a free tier's rate limits are the vendor's,
    not something aicost can check). The cheapest is the stream's monthly cost on it, after the workload's
    adjustments and with the model's profile; ties go to the model id first in order. Streams that have a small model
    are left as they are. An InputError names a stream for which nothing qualifies.
    """
    catalog = priced_in(catalog, workload.currency)
    streams: list[Stream] = []
    proposals: list[Proposal] = []
    for stream in workload.streams:
        layers = _layers(options, stream, workload)
        if any(layer.small for layer in layers):
            streams.append(stream)
            continue
        frontier = catalog.resolve(next((layer.frontier for layer in layers if layer.frontier), stream.model))
        vendor = None if any_vendor else frontier.vendor
        best: tuple[Decimal, str] | None = None
        for model in catalog.models:
            if model.size_class != "small" or model.id == frontier.id or (vendor is not None and model.vendor != vendor):
                continue
            try:
                rates = price_period(model, as_of).rates
                cost = stream_cost(stream._replace(model=model.id), catalog, as_of, workload.adjustments,
                                   workload.profiles).monthly_cost
            except UnpricedError:  # retired, not yet priced, a price it needs unknown, or too small a window
                continue
            if rates.input == 0 and rates.output == 0:
                continue  # a free tier
            if best is None or (cost, model.id) < best:
                best = (cost, model.id)
        if best is None:
            among = f"{vendor} has no small model" if vendor else "no vendor has a small model"
            raise InputError(f"stream '{stream.name}': {among} that can take its requests on {as_of} (priced, not free, a "
                             f"context window of {stream.input_tokens:,} input tokens) — give --small MODEL"
                             + ("" if any_vendor else ", or --any-vendor to look at every vendor's"))
        cost, small = best
        streams.append(stream._replace(routing=(stream.routing or RoutingDefaults())._replace(small=small)))
        proposals.append(Proposal(stream.name, small, vendor, cost))
    return workload._replace(streams=tuple(streams)), tuple(proposals)


def route(workload: Workload, catalog: Catalog, as_of: dt.date, options: RouteOptions) -> RouteReport:
    """The workload under its routing plan, stream by stream, against all-frontier."""
    catalog = priced_in(catalog, workload.currency)
    plans = [resolve_plan(options, stream, workload, catalog) for stream in workload.streams]
    modes = {plan.mode for plan in plans}
    if options.router_overhead is not None and ROUTER not in modes:
        raise ParameterError("router_overhead", None, "a router overhead applies to router mode; a cascade pays a verifier")
    if options.verifier_overhead is not None and CASCADE not in modes:
        raise ParameterError("verifier_overhead", None, "a verifier overhead applies to cascade mode only")
    streams = tuple(
        stream_route(stream, plan, options, catalog, as_of, workload.adjustments, workload.profiles)
        for stream, plan in zip(workload.streams, plans, strict=True)
    )
    used = rates_used(catalog, {catalog.resolve(m).id for s in streams for m in (s.plan.small, s.plan.frontier)})
    return RouteReport(workload, catalog.version, as_of, streams, used)


# ---------------------------------------------------------------------------------------------- target and sweep


def break_even_router_cost(report: RouteReport) -> Decimal | None:
    """The largest routing overhead (router or verifier) per 1,000 requests it handles at which the plan still saves
    anything: (all-frontier - the plan without its overhead) x 1,000 / the requests of the streams it routes (a
    stream at a 0 % or 100 % share runs no router). None when nothing is routed or even free machinery would not
    save."""
    routed = [s for s in report.streams if s.plan.mode == CASCADE or ZERO < s.plan.small_share < ONE]
    requests = sum((s.monthly_requests for s in routed), ZERO)  # the requests the machinery handles
    if not requests:
        return None
    margin = report.baseline_monthly_cost - (report.plan_monthly_cost - report.router_overhead - report.verifier_overhead)
    return margin * THOUSAND / requests if margin > 0 else None


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
        per_prompt += sum((s.monthly_requests * judge.per_request(JUDGE, s, catalog, as_of) for s in workload.streams),
                          ZERO) / requests
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


# ---------------------------------------------------------------------------------------------- router curves


class RouterCurve(NamedTuple):
    """How much of the quality gap a router recovers for a share of frontier calls: points (frontier share, fraction).

    Piecewise linear through the points, from (0, 0) to (1, 1).
    """

    name: str
    points: tuple[tuple[Decimal, Decimal], ...]

    def gap_recovered(self, frontier_share: Decimal) -> Decimal:
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            if frontier_share <= x1:
                return y0 + (frontier_share - x0) * (y1 - y0) / (x1 - x0)
        return ONE

    def frontier_share_for(self, gap_fraction: Decimal) -> Decimal:
        """The smallest frontier share that recovers `gap_fraction` of the quality gap."""
        if gap_fraction <= ZERO:
            return ZERO
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            if y1 >= gap_fraction:
                return x0 + (gap_fraction - y0) * (x1 - x0) / (y1 - y0)
        return ONE

    def quality(self, small_quality: Decimal, frontier_quality: Decimal, frontier_share: Decimal) -> Decimal:
        return small_quality + self.gap_recovered(frontier_share) * (frontier_quality - small_quality)


RANDOM_CURVE = RouterCurve("random", ((ZERO, ZERO), (ONE, ONE)))
ROUTELLM_MF_MTBENCH = RouterCurve(
    "routellm-mf-mtbench", ((ZERO, ZERO), (Decimal("0.134"), Decimal("0.5")), (Decimal("0.313"), Decimal("0.8")), (ONE, ONE))
)
"""The RouteLLM paper's best case: its matrix-factorisation router trained on Arena preferences augmented with
LLM-judge labels, on MT Bench — 50 % of the quality gap at 13.4 % frontier calls, 80 % at 31.3 % (Ong et al.,
"RouteLLM: Learning to Route LLMs with Preference Data", 2024, arXiv:2406.18665). Other routers and benchmarks
need more frontier calls."""
CURVES = {curve.name: curve for curve in (RANDOM_CURVE, ROUTELLM_MF_MTBENCH)}


class CurveName(StrEnum):
    """The router quality curves known by name; `parse_curve` also takes points."""

    random = RANDOM_CURVE.name
    routellm_mf_mtbench = ROUTELLM_MF_MTBENCH.name


def parse_curve(text: str) -> RouterCurve:
    """A preset name, or points 'frontier_share:gap_fraction,...' (0,0 and 1,1 are added)."""
    name = text.strip().lower()
    if name in CURVES:
        return CURVES[name]
    hint = "use random, routellm-mf-mtbench, or points such as 0.1:0.4,0.3:0.75"

    def error(problem: str) -> ParameterError:
        return ParameterError("curve", text, problem)

    points: dict[Decimal, Decimal] = {ZERO: ZERO, ONE: ONE}
    for part in (p for p in text.split(",") if p.strip()):
        if part.count(":") != 1:
            raise error(f"{hint} (frontier share : fraction of the quality gap)")
        share_text, gap_text = part.split(":")
        share = parse_fraction(share_text, "curve")
        gap = parse_fraction(gap_text, "curve")
        if (share == ZERO and gap != ZERO) or (share == ONE and gap != ONE):
            raise error(f"{hint} — a router recovers 0 of the gap at 0 frontier calls and all of it at 1")
        if share in points and points[share] != gap:
            raise error(f"{hint} — frontier share {share} is given twice")
        points[share] = gap
    if not any(p.strip() for p in text.split(",")):
        raise error(hint)
    ordered = tuple(sorted(points.items()))
    for (_, y0), (x1, y1) in itertools.pairwise(ordered):
        if y1 < y0:
            raise error(f"{hint} — the fraction of the gap must not fall as the frontier share grows (at {x1})")
    return RouterCurve(text.strip(), ordered)


# ---------------------------------------------------------------------------------------------- planner


KEEP, SWITCH, ROUTE = "keep", "switch", "route"


class PlanOption(NamedTuple):
    """One way to serve the whole workload, against today's spend; money is monthly.

    A switch moves every request to one model (`small`); a route sends the small share of each stream's requests
    to `small` and the rest to the stream's anchor (`frontier`: --frontier, else the model the stream uses today).
    """

    kind: str  # KEEP (today's setup, for reference), SWITCH or ROUTE
    small: str  # the model taking the small share; for KEEP today's models, comma-separated
    frontier: str | None  # the anchor of a route (several, comma-separated, when streams differ); None for a switch
    small_share: Decimal  # of all requests, weighted by requests
    plan_monthly_cost: Decimal  # router overhead included where requests are split
    baseline_monthly_cost: Decimal  # today's spend: the workload as it runs now
    router_overhead: Decimal
    small_alone_monthly_cost: Decimal  # every request on `small`
    frontier_alone_monthly_cost: Decimal  # every request on the anchors (a switch: the same as small alone)
    quality: Decimal | None = None  # expected quality per request (weighted by requests); None when unscored
    dominated: bool | None = None  # None: quality unknown, not compared

    @property
    def frontier_share(self) -> Decimal:
        return ONE - self.small_share

    @property
    def saving(self) -> Decimal | None:
        return saving(self.plan_monthly_cost, self.baseline_monthly_cost)

    @property
    def price_ratio(self) -> Decimal | None:
        """The workload on the small model over the workload on the anchors (a route's price ratio)."""
        if self.kind != ROUTE or not self.frontier_alone_monthly_cost:
            return None
        return fraction(self.small_alone_monthly_cost, self.frontier_alone_monthly_cost)


class PlanReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    curve: RouterCurve
    quality_floor: Decimal | None
    fixed_small_share: Decimal | None  # the split of every route when no floor is given
    anchors: tuple[str, ...]  # the frontier model of each stream
    today_monthly_cost: Decimal
    today_quality: Decimal | None
    plans: tuple[PlanOption, ...]  # cheapest first
    excluded: tuple[Excluded, ...]  # models that cannot be used, or are dearer and no better than another
    unreachable: tuple[str, ...]  # candidate small models whose routes cannot reach the floor
    exchange_rates: tuple[ExchangeRate, ...] = ()

    @property
    def pareto(self) -> tuple[PlanOption, ...]:
        return tuple(p for p in self.plans if p.dominated is False)


def dominated_flags(points: Sequence[tuple[Decimal, Decimal]]) -> list[bool]:
    """For (cost, quality) points: is each dominated (another costs <= and has quality >=, one strictly)?

    Sorted by cost then quality (best first), a point is dominated when a strictly cheaper point has quality
    >= its own, or a point of the same cost has strictly higher quality.
    """
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    flags = [False] * len(points)
    best_cheaper: Decimal | None = None  # the best quality among strictly cheaper points
    index = 0
    while index < len(order):
        cost = points[order[index]][0]
        group = [i for i in order[index:] if points[i][0] == cost]
        top_quality = points[group[0]][1]
        for i in group:
            quality = points[i][1]
            flags[i] = quality < top_quality or (best_cheaper is not None and best_cheaper >= quality)
        best_cheaper = top_quality if best_cheaper is None else max(best_cheaper, top_quality)
        index += len(group)
    return flags


def _weighted(values: Sequence[Decimal], weights: Sequence[Decimal]) -> Decimal:
    total = sum(weights, ZERO)
    if not total:
        return sum(values, ZERO) / len(values)
    return fraction(sum((v * w for v, w in zip(values, weights, strict=True)), ZERO), total)


def dearer_and_no_better(costs: dict[str, list[Decimal]], quality: dict[str, Decimal]) -> dict[str, str]:
    """Scored models that cost at least as much as another scored one on every stream and score no higher (strictly
    one way or the other): whatever the split, the other does better. The reason each is dropped names it."""
    reasons: dict[str, str] = {}
    ordered = sorted(costs.items(), key=lambda item: (sum(item[1], ZERO), item[0]))
    for model, parts in costs.items():
        if model not in quality:
            continue
        for other, other_parts in ordered:
            if other == model or other not in quality:
                continue
            cheaper_everywhere = all(a <= b for a, b in zip(other_parts, parts, strict=True))
            strictly = any(a < b for a, b in zip(other_parts, parts, strict=True)) or quality[other] > quality[model]
            if cheaper_everywhere and quality[other] >= quality[model] and strictly:
                reasons[model] = (f"dearer than {other} on this workload and no better (quality {quality[model]} against "
                                  f"{quality[other]})")
                break
    return reasons


def plan_options(
    workload: Workload,
    catalog: Catalog,
    as_of: dt.date,
    models: Sequence[Model],
    small_share: Decimal | None = None,
    quality_floor: Decimal | None = None,
    curve: RouterCurve = RANDOM_CURVE,
    router_overhead: Overhead | None = None,
    frontier: str | None = None,
) -> PlanReport:
    """Which small model, at which split — or which single model — against today's spend.

    Each stream is anchored on its frontier model (`frontier`, else the model it uses today). For each candidate
    model the planner offers a switch (every request to it) and a route (its small share to the candidate, the rest
    to the anchor: `small_share`, or with a quality floor the smallest frontier share whose expected quality meets
    it). Router overhead is paid only where requests are split. Candidates that cannot be priced, lack a score a
    floor needs, or are dearer and no better than another are excluded with the reason; plans that repeat another
    (a route at a 100 % small share is a switch) or that are today's own setup are left out.
    """
    if quality_floor is None and small_share is None:
        raise ParameterError("small_share", None, "give a small share or a quality floor")
    catalog = priced_in(catalog, workload.currency)
    streams = workload.streams
    anchors = tuple(catalog.resolve(frontier or stream.model).id for stream in streams)
    requests = [stream.monthly_requests for stream in streams]
    adjustments = workload.adjustments

    def stream_on(stream: Stream, model_id: str) -> Decimal:
        return stream_cost(stream._replace(model=model_id), catalog, as_of, adjustments, workload.profiles).monthly_cost

    today = workload_cost(workload, catalog, as_of).monthly_cost
    today_scores = [workload.quality.get(catalog.resolve(stream.model).id) for stream in streams]
    today_quality = None if any(q is None for q in today_scores) else _weighted(
        [q for q in today_scores if q is not None], requests)
    anchor_cost: list[Decimal] = []
    for stream, anchor in zip(streams, anchors, strict=True):
        anchor_cost.append(stream_on(stream, anchor))  # an anchor that cannot be priced is the user's error
    if quality_floor is not None:
        for anchor in dict.fromkeys(anchors):
            if anchor not in workload.quality:
                raise ParameterError("quality_floor", quality_floor, f"the frontier model {anchor} has no quality score — "
                                     "add it to the workload's [quality] table")
    overhead_per_stream = [
        ZERO if router_overhead is None else s.monthly_requests * router_overhead.per_request(ROUTER, s, catalog, as_of)
        for s in streams
    ]
    excluded: list[Excluded] = []
    costs: dict[str, list[Decimal]] = {}
    for candidate in dict.fromkeys(catalog.resolve(m.id).id for m in models):
        try:
            costs[candidate] = [stream_on(stream, candidate) for stream in streams]
        except UnpricedError as exc:
            excluded.append(Excluded(candidate, exc.message))
            continue
        if quality_floor is not None and candidate not in workload.quality:
            del costs[candidate]
            excluded.append(Excluded(candidate, "no quality score in the workload's [quality] table — needed by a quality floor"))
    for model, reason in dearer_and_no_better(costs, workload.quality).items():
        if model not in anchors:
            del costs[model]
            excluded.append(Excluded(model, reason))

    switch_only: set[str] = set()
    for anchor in dict.fromkeys(anchors):  # switching everything to an anchor is an option too
        if anchor not in costs:
            with contextlib.suppress(UnpricedError):  # a stream it cannot take: no such switch
                costs[anchor] = [stream_on(stream, anchor) for stream in streams]
                switch_only.add(anchor)
    plans: list[PlanOption] = []
    unreachable: list[str] = []
    anchor_label = ", ".join(dict.fromkeys(anchors))
    anchor_total = sum(anchor_cost, ZERO)
    for model, parts in costs.items():
        score = workload.quality.get(model)
        # the switch: every request to this model
        meets_floor = quality_floor is None or (score is not None and score >= quality_floor)
        if meets_floor and not all(catalog.resolve(stream.model).id == model for stream in streams):  # else: today
            total = sum(parts, ZERO)
            plans.append(PlanOption(SWITCH, model, None, ONE, total, today, ZERO, total, total, score))
        # the route: its small share to this model, the rest to each stream's anchor
        if model in switch_only or all(anchor == model for anchor in anchors):
            continue
        shares: list[Decimal] = []
        qualities: list[Decimal | None] = []
        reachable = True
        for anchor in anchors:
            q_anchor = workload.quality.get(anchor)
            if anchor == model:
                shares.append(ONE)
                qualities.append(score)
                continue
            if quality_floor is None:
                assert small_share is not None
                share = small_share
                qualities.append(None if score is None or q_anchor is None else curve.quality(score, q_anchor, ONE - share))
            else:
                assert score is not None and q_anchor is not None
                if score >= quality_floor:
                    share, quality = ONE, score
                elif q_anchor < quality_floor:
                    reachable = False
                    break
                else:  # score < floor <= q_anchor: recover this fraction of the gap
                    share = ONE - curve.frontier_share_for((quality_floor - score) / (q_anchor - score))
                    quality = quality_floor
                qualities.append(quality)
            shares.append(share)
        if not reachable:
            unreachable.append(model)
            continue
        if all(share == ONE for share in shares):
            continue  # every request on this model: the switch above
        if all(share == ZERO for share in shares):
            continue  # every request on the anchors: no routing
        split = [ZERO < share < ONE and anchor != model for share, anchor in zip(shares, anchors, strict=True)]
        overhead = sum((o for o, used in zip(overhead_per_stream, split, strict=True) if used), ZERO)
        cost = sum((share * small + (ONE - share) * big
                    for share, small, big in zip(shares, parts, anchor_cost, strict=True)), ZERO) + overhead
        expected = None if any(q is None for q in qualities) else _weighted([q for q in qualities if q is not None], requests)
        plans.append(PlanOption(ROUTE, model, anchor_label, _weighted(shares, requests), cost, today, overhead,
                                sum(parts, ZERO), anchor_total, expected))
    if quality_floor is None or all(q is not None and q >= quality_floor for q in today_scores):  # stream by stream
        today_models = ", ".join(dict.fromkeys(catalog.resolve(stream.model).id for stream in streams))
        plans.append(PlanOption(KEEP, today_models, None, ONE, today, today, ZERO, today, today, today_quality))
    if not plans:
        if quality_floor is not None and costs:
            best = max(costs, key=lambda m: (workload.quality[m], m))
            raise ParameterError(
                "quality_floor", quality_floor, "no plan reaches it — the best score among the priced models is "
                f"{workload.quality[best]} ({best}); lower the floor or add a better model"
            )
        raise InputError(
            f"no plan to offer — {len(costs)} candidate model(s) can be used here besides today's setup"
            + (f" ({len(excluded)} excluded: {', '.join(e.model for e in excluded[:5])}"
               + (", …)" if len(excluded) > 5 else ")") if excluded else "")
        )
    scored = [index for index, plan in enumerate(plans) if plan.quality is not None]
    flags = dominated_flags([(plans[i].plan_monthly_cost, plans[i].quality or ZERO) for i in scored])
    for index, flag in zip(scored, flags, strict=True):
        plans[index] = plans[index]._replace(dominated=flag)
    plans.sort(key=lambda p: (p.plan_monthly_cost, -(p.quality if p.quality is not None else Decimal(-1)),
                              (KEEP, SWITCH, ROUTE).index(p.kind), p.small))
    used = {plan.small for plan in plans if plan.kind != KEEP} | set(anchors) | {
        catalog.resolve(stream.model).id for stream in streams}
    return PlanReport(
        workload=workload,
        catalog_version=catalog.version,
        as_of=as_of,
        curve=curve,
        quality_floor=quality_floor,
        fixed_small_share=small_share if quality_floor is None else None,
        anchors=anchors,
        today_monthly_cost=today,
        today_quality=today_quality,
        plans=tuple(plans),
        excluded=tuple(excluded),
        unreachable=tuple(unreachable),
        exchange_rates=rates_used(catalog, used),
    )
