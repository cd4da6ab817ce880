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

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from typing import NamedTuple

from aicost.calc import (
    NO_ADJUSTMENTS,
    Breakdown,
    TokenMix,
    adjusted_factor,
    batch_at_standard,
    price_period,
    request_cost,
    stream_cost,
    stream_period,
    stream_request_cost,
    sum_breakdowns,
)
from aicost.catalog import Catalog, ExchangeRate
from aicost.currency import priced_in, rates_used
from aicost.errors import ContextWindowError, InputError, ParameterError, UnpricedError, shown
from aicost.money import quantize
from aicost.stream_terms import terms_text
from aicost.workload import ONE, ROUTING_MODES, ZERO, Adjustments, Profile, RoutingDefaults, Stream, Workload

ROUTER, CASCADE = ROUTING_MODES
JUDGE = "judge"  # an evaluation's judge: reads the request and both answers
THOUSAND = Decimal(1000)
RATIO_PLACES = Decimal("1e-20")
"""Fractions (savings, shares, price ratios) keep 20 places: volumes such as 1,000 a day x 730 / 24 do not
terminate, and Decimal's 28 digits would otherwise show 0.864 as 0.8640000000000000000000000001."""
OVERHEAD_OUTPUT_TOKENS = 1
"""Output tokens of a classifier or verifier call when not given: one label token."""


# ---------------------------------------------------------------------------------------------- overhead


class Overhead(NamedTuple):
    """The routing machinery's own cost per request: a flat price per 1,000 requests, or a model call.

    A model call reads `input_tokens` and writes `output_tokens`; when not given, a router's classifier reads the
    request's input, a cascade's verifier the request's input and the small model's answer, and an evaluation's
    judge the request's input and both answers (each answer the output that model gives: its `[profiles]` entry
    where the workload has one), and each writes one token. A stream with size bands pays the call per band, each
    at its own tier. A model call is paid at the workload's price for that model: list x (1 - its discount) x
    (1 + platform fee), as each side of the route. A flat price is taken as paid.
    """

    per_1000_requests: Decimal | None = None
    model: str | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None

    def per_request(self, stream: Stream, catalog: Catalog, as_of: dt.date,
                    adjustments: Adjustments = NO_ADJUSTMENTS, answers: Sequence[Stream] = ()) -> Decimal:
        """One request's overhead; `answers` are the stream as answered by each model whose answer the call reads
        besides the request (none for a classifier, the small model's for a verifier, both models' for a judge).

        A stream with size bands pays the call band by band, each at its own long-context tier, and each band's
        call must fit the model's context window (input + output): a band that does not is named."""
        if self.per_1000_requests is not None:
            return self.per_1000_requests / THOUSAND
        assert self.model is not None
        model = catalog.resolve(self.model)
        period = price_period(model, as_of)
        output_tokens = Decimal(OVERHEAD_OUTPUT_TOKENS if self.output_tokens is None else self.output_tokens)
        answered = [answer.bands() for answer in answers]  # a profile keeps the bands: band i answers band i
        list_price = ZERO
        for index, (share, label, band) in enumerate(stream.bands()):
            read = band.input_tokens + sum((bands[index][2].output_tokens for bands in answered), ZERO)
            input_tokens = read if self.input_tokens is None else Decimal(self.input_tokens)
            if input_tokens + output_tokens > model.context_window:  # the classifier, verifier or judge reads it too
                raise ContextWindowError(model.id, input_tokens, model.context_window, stream.name, output_tokens,
                                         band=label if self.input_tokens is None else "")  # a given size: no band's
            mix = TokenMix(input_tokens, ZERO, ZERO, output_tokens, input_tokens)
            list_price += share * request_cost(model, period, mix, batch=False).total
        return list_price * adjusted_factor(model, adjustments)


def answers_read(role: str, workload: Workload, stream: Stream, plan: StreamPlan) -> tuple[Stream, ...]:
    """The stream as answered by each model whose answer a classifier (ROUTER), verifier (CASCADE) or judge (JUDGE)
    reads besides the request: each model's answer as the workload profiles it (`Workload.stream_on`), band by band;
    the call reads its output tokens, reasoning left out (hidden)."""
    models = {ROUTER: (), CASCADE: (plan.small,), JUDGE: (plan.small, plan.frontier)}[role]
    return tuple(workload.stream_on(stream, model) for model in models)


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
        raise InputError(f"stream '{stream.name}': the small share must be between 0 and 1, got {shown(small_share)}")
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
    batch_at_standard: tuple[str, ...] = ()  # models whose batch share is priced at standard rates (no batch API)

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
    small_request = stream_request_cost(small, stream_period(small, small_stream, as_of), small_stream).scaled(
        adjusted_factor(small, adjustments))
    frontier_request = stream_request_cost(frontier, stream_period(frontier, frontier_stream, as_of), frontier_stream).scaled(
        adjusted_factor(frontier, adjustments))
    requests = stream.monthly_requests
    router = verifier = ZERO
    # The classifier reads the request; the verifier the request and the small model's answer (its profiled output).
    if plan.mode == ROUTER and options.router_overhead is not None and ZERO < plan.small_share < ONE:
        router = requests * options.router_overhead.per_request(stream, catalog, as_of, adjustments)
    if plan.mode == CASCADE and options.verifier_overhead is not None:
        verifier = requests * options.verifier_overhead.per_request(stream, catalog, as_of, adjustments, (small_stream,))
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
                             f"context window of {stream.input_tokens:,} input tokens{terms_text(stream)}) — give "
                             "{small} MODEL"
                             + ("" if any_vendor else ", or {any_vendor} to look at every vendor's"),
                             mentions=("small", "any_vendor"))
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
    standard = batch_at_standard(((stream, catalog.resolve(model)) for stream, plan in zip(workload.streams, plans, strict=True)
                                  for model in (plan.small, plan.frontier)), as_of)
    return RouteReport(workload, catalog.version, as_of, streams, used, standard)


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
