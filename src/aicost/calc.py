"""The pure Decimal arithmetic: the cost of a request, a stream, a workload, and a vendor comparison.

No I/O and no terminal here: functions take a catalog, a workload and a pricing date and return frozen
reports.  Money is never rounded in this module; renderers round for display.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from .catalog import SIZE_CLASSES, Catalog, ExchangeRate, Model, PricePeriod
from .catalog.prices import OFF_PEAK
from .currency import priced_in, rates_used
from .errors import ContextWindowError, ParameterError, UnpricedError, did_you_mean, shown
from .request_pricing import (
    MILLION,
    RATE_LABELS,
    STANDARD,
    STANDARD_SPEED,
    STANDARD_TIER,
    THOUSAND,
    VENDOR,
    Breakdown,
    NotOfferedError,
    PricingContext,
    TokenMix,
    batch_discount,
    context_prices,
    offering_period,
    period_cost,
    price_mix,
    price_period,
    request_cost,
    sum_breakdowns,
)
from .workload import ONE, ZERO, Adjustments, Profile, Stream, Workload

# calc is where callers find the arithmetic: the request-level names are re-exported from request_pricing
__all__ = [
    "MILLION", "RATE_LABELS", "STANDARD", "STANDARD_SPEED", "STANDARD_TIER", "THOUSAND", "VENDOR", "Breakdown",
    "NotOfferedError", "PricingContext", "TokenMix", "batch_discount", "context_prices", "offering_period",
    "period_cost", "price_mix", "price_period", "request_cost", "sum_breakdowns",
]

NO_ADJUSTMENTS = Adjustments()


def stream_period(model: Model, stream: Stream, as_of: dt.date) -> PricePeriod:
    """The period a stream's requests are priced at: its host's, in force on `as_of`."""
    with asked_by(stream):
        return offering_period(model, as_of, PricingContext.of(stream).host)


@contextlib.contextmanager
def asked_by(stream: Stream) -> Iterator[None]:
    """A NotOfferedError raised inside names the stream that asks for the tier, host, region, speed or window."""
    try:
        yield
    except NotOfferedError as exc:
        exc.stream = exc.stream or stream.name
        raise


def offers_batch(period: PricePeriod) -> bool:
    """The period gives a batch price (at its base rates or in a tier): the model is sold through a batch API.
    A period with none is priced at its standard rates for a stream's batch share (`batch_at_standard`)."""
    return any(rates.batch_input is not None or rates.batch_output is not None
               for rates in (period.rates, *(tier.rates for tier in period.tiers)))


def stream_request_cost(model: Model, period: PricePeriod, stream: Stream) -> Breakdown:
    """Mean cost of one request of a stream at `period` (its host's: `stream_period`): its batch share at batch rates
    (at standard rates on a model without a batch API: `offers_batch`), its off-peak share at the off-peak window's
    (linear in each share); a stream with size bands is the share-weighted sum of its bands' costs, each band at its
    own long-context tier. A request that does not fit the model's context window (input + output + reasoning) is a
    ContextWindowError: it cannot be sent there at any price."""
    with asked_by(stream):
        return sum_breakdowns(_mean_request_cost(model, period, band, label).scaled(share)
                              for share, label, band in stream.bands())


def _mean_request_cost(model: Model, period: PricePeriod, stream: Stream, band: str = "") -> Breakdown:
    """Mean cost of one request of a stream of one size (a stream without bands, or one band of a stream)."""
    reasoning = stream.reasoning_tokens if model.reasoning else ZERO
    if stream.input_tokens + stream.output_tokens + reasoning > model.context_window:
        raise ContextWindowError(model.id, stream.input_tokens, model.context_window, stream.name,
                                 stream.output_tokens, reasoning, band)
    mix = TokenMix.of(stream, model.reasoning)
    batch_share = stream.batch_share if offers_batch(period) else ZERO  # no batch API: its batch share at standard rates
    parts = []
    for window, window_share in ((None, ONE - stream.off_peak_share), (OFF_PEAK, stream.off_peak_share)):
        for batch, share in ((False, ONE - batch_share), (True, batch_share)):
            if window_share > ZERO and share > ZERO:
                context = PricingContext.of(stream, window, batch)
                parts.append(period_cost(model, period, mix, context).scaled(window_share * share))
    return sum_breakdowns(parts)


def batch_at_standard(pairs: Iterable[tuple[Stream, Model]], as_of: dt.date) -> tuple[str, ...]:
    """The models (ids, sorted) on which a stream's batch share is priced at standard rates: the stream has a batch
    share and the model's period on `as_of` gives no batch price (it has no batch API in the catalog)."""
    found = set()
    for stream, model in pairs:
        period = model.period_on(as_of)
        if stream.batch_share > ZERO and period is not None and not offers_batch(period):
            found.add(model.id)
    return tuple(sorted(found))


def stream_tier(period: PricePeriod, stream: Stream) -> int | None:
    """The long-context tier threshold the stream's requests are priced above (with bands, the highest any band
    meets); None: the base prices."""
    tiers = [tier.above_input_tokens for _, _, band in stream.bands()
             if (tier := period.tier_for(band.input_tokens)) is not None]
    return max(tiers) if tiers else None


class StreamCost(NamedTuple):
    name: str
    model: str
    monthly_requests: Decimal
    breakdown: Breakdown  # at list prices
    price_since: dt.date
    tier_above: int | None
    discount: Decimal = ZERO  # money taken off the list cost by a negotiated discount
    platform_fee: Decimal = ZERO  # money added by a platform fee, on the discounted cost
    host: str = VENDOR  # who sells it: "vendor" (the vendor's own API), "bedrock", ...
    service_tier: str = STANDARD_TIER

    @property
    def list_cost(self) -> Decimal:
        return self.breakdown.total

    @property
    def monthly_cost(self) -> Decimal:
        """What is paid: list cost - discount + platform fee."""
        return self.breakdown.total - self.discount + self.platform_fee


class CostReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    streams: tuple[StreamCost, ...]
    exchange_rates: tuple[ExchangeRate, ...] = ()  # the rates its prices were converted at (none: native prices)
    batch_at_standard: tuple[str, ...] = ()  # models whose batch share is priced at standard rates (no batch API)

    @property
    def breakdown(self) -> Breakdown:
        """At list prices, before adjustments."""
        return sum_breakdowns(s.breakdown for s in self.streams)

    @property
    def list_cost(self) -> Decimal:
        return self.breakdown.total

    @property
    def discount(self) -> Decimal:
        return sum((s.discount for s in self.streams), ZERO)

    @property
    def platform_fee(self) -> Decimal:
        return sum((s.platform_fee for s in self.streams), ZERO)

    @property
    def monthly_cost(self) -> Decimal:
        return self.list_cost - self.discount + self.platform_fee


def stream_cost(stream: Stream, catalog: Catalog, as_of: dt.date, adjustments: Adjustments = NO_ADJUSTMENTS,
                profiles: dict[str, Profile] | None = None) -> StreamCost:
    """A stream's monthly cost on its model; the workload's profile for that model, if any, gives its tokens."""
    model = catalog.resolve(stream.model)
    profile = (profiles or {}).get(model.id)
    if profile is not None:
        stream = profile.applied(stream)
    period = stream_period(model, stream, as_of)
    per_request = stream_request_cost(model, period, stream)
    breakdown = per_request.scaled(stream.monthly_requests)
    discount = breakdown.total * adjustments.discount_for(model.id, model.vendor)
    fee = (breakdown.total - discount) * adjustments.platform_fee
    return StreamCost(
        name=stream.name,
        model=model.id,
        monthly_requests=stream.monthly_requests,
        breakdown=breakdown,
        price_since=period.since,
        tier_above=stream_tier(period, stream),
        discount=discount,
        platform_fee=fee,
        host=stream.host or VENDOR,
        service_tier=stream.service_tier or STANDARD_TIER,
    )


def adjusted_factor(model: Model, adjustments: Adjustments) -> Decimal:
    """What a list price becomes after the workload's adjustments: (1 - discount) x (1 + platform fee)."""
    return (ONE - adjustments.discount_for(model.id, model.vendor)) * (ONE + adjustments.platform_fee)


def workload_cost(workload: Workload, catalog: Catalog, as_of: dt.date) -> CostReport:
    """The workload's monthly cost in its currency (the catalog's prices converted to it where they are not)."""
    catalog = priced_in(catalog, workload.currency)
    streams = tuple(stream_cost(stream, catalog, as_of, workload.adjustments, workload.profiles)
                    for stream in workload.streams)
    standard = batch_at_standard(((stream, catalog.resolve(stream.model)) for stream in workload.streams), as_of)
    return CostReport(workload, catalog.version, as_of, streams, rates_used(catalog, (s.model for s in streams)), standard)


# ---------------------------------------------------------------------------------------------- compare


class Candidate(NamedTuple):
    model: str
    vendor: str
    size_class: str
    monthly_cost: Decimal
    ratio_to_baseline: Decimal | None
    same_class: bool = False  # in a class of the workload's own models: a like-for-like alternative
    free_tier: bool = False  # priced at 0: a free tier, whose rate limits the vendor sets
    host: str = VENDOR  # who sells it at this price: "vendor" (the vendor's own API), "bedrock", ...


class Excluded(NamedTuple):
    model: str
    reason: str
    host: str = VENDOR


class LikeStream(NamedTuple):
    """One stream of the like-for-like answer: the cheapest model of the stream's own class that can take it."""

    name: str
    size_class: str  # of the model the stream uses today
    model: str
    monthly_cost: Decimal
    kept: bool = False  # no candidate of its class can take it: it stays on its own model
    host: str = VENDOR


class LikeForLike(NamedTuple):
    """Every stream on the cheapest paid model of its own class among the candidates (frontier stays frontier, small
    stays small); a stream no candidate of its class can take stays on its own model."""

    streams: tuple[LikeStream, ...]

    @property
    def monthly_cost(self) -> Decimal:
        return sum((s.monthly_cost for s in self.streams), ZERO)


class CompareReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    baseline_monthly_cost: Decimal | None
    baseline_note: str | None
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]
    workload_classes: tuple[str, ...] = ()  # the size classes of the workload's own models, frontier first
    exchange_rates: tuple[ExchangeRate, ...] = ()
    like_for_like: LikeForLike | None = None  # None: a stream that cannot be priced even on its own model
    batch_at_standard: tuple[str, ...] = ()  # models priced (or in today's cost) with the batch share at standard rates

    @property
    def same_class(self) -> tuple[Candidate, ...]:
        """The candidates in a class of the workload's own models, cheapest first."""
        return tuple(c for c in self.candidates if c.same_class)


def select_models(
    catalog: Catalog,
    models: Iterable[str] = (),
    vendors: Iterable[str] = (),
    size_classes: Iterable[str] = (),
) -> list[Model]:
    """The catalog's models, narrowed by ids/aliases, vendors and size classes (each filter optional)."""
    wanted_models = [catalog.resolve(name) for name in models]
    wanted_vendors = {v.lower() for v in vendors}
    known_vendors = {v.id for v in catalog.vendors}
    for vendor in wanted_vendors:
        if vendor not in known_vendors:
            raise ParameterError(
                "vendor", vendor, f"unknown vendor{did_you_mean(vendor, known_vendors)} — known: " + ", ".join(sorted(known_vendors))
            )
    wanted_classes = set(size_classes)
    for size_class in wanted_classes:
        if size_class not in SIZE_CLASSES:
            raise ParameterError("size_class", size_class, "unknown size class — use frontier, standard or small")
    chosen = wanted_models or list(catalog.models)
    return [
        m
        for m in chosen
        if (not wanted_vendors or m.vendor in wanted_vendors) and (not wanted_classes or m.size_class in wanted_classes)
    ]


ALL_HOSTS = "all"  # `hosts` value: every host that sells a model (the vendor's API included)


def candidate_hosts(model: Model, hosts: Iterable[str]) -> list[str]:
    """The hosts of `hosts` (VENDOR, host names, or ALL_HOSTS) that sell `model`, the vendor's API first."""
    offered = [VENDOR, *(offering.host for offering in model.hosts)]
    wanted = set(hosts)
    return offered if ALL_HOSTS in wanted else [host for host in offered if host in wanted]


def check_hosts(hosts: Iterable[str]) -> tuple[str, ...]:
    """`hosts` checked: VENDOR, ALL_HOSTS or host names the catalog format knows; ParameterError("hosts") else."""
    from .catalog.prices import HOSTS

    known = (VENDOR, ALL_HOSTS, *HOSTS)
    chosen = tuple(hosts)
    for host in chosen:
        if host not in known:
            raise ParameterError("hosts", host, f"unknown host{did_you_mean(host, known)} — use {VENDOR}, {ALL_HOSTS} or "
                                 f"a list of {', '.join((VENDOR, *HOSTS))}")
    return chosen or (VENDOR,)


def compare(workload: Workload, catalog: Catalog, as_of: dt.date, models: list[Model],
            hosts: Iterable[str] = (VENDOR,)) -> CompareReport:
    """The whole workload on each model at each of `hosts` that sells it (VENDOR: the vendor's own API; ALL_HOSTS:
    every host), cheapest first; offerings that cannot be priced are excluded. Today's cost is the workload as
    written (each stream at its own host)."""
    hosts = check_hosts(hosts)
    catalog = priced_in(catalog, workload.currency)
    baseline: Decimal | None
    try:
        baseline = workload_cost(workload, catalog, as_of).monthly_cost
        baseline_note = None
    except UnpricedError as exc:
        baseline, baseline_note = None, exc.message
    own_models = [catalog.resolve(stream.model) for stream in workload.streams]
    own = {model.size_class for model in own_models}
    classes = tuple(size_class for size_class in SIZE_CLASSES if size_class in own)
    candidates: list[Candidate] = []
    excluded: list[Excluded] = []
    # per stream, the cheapest (cost, model id, host) of its class so far; paid models only (a free tier's rate limits
    # are its vendor's, not an answer for production traffic)
    best: list[tuple[Decimal, str, bool, str] | None] = [None] * len(workload.streams)  # vendor's API first on a tie
    for model, host in ((m, h) for m in models for h in candidate_hosts(m, hosts)):
        costs, failure = _offering_costs(workload, catalog, as_of, model, host)
        for index, (cost, own_model) in enumerate(zip(costs, own_models, strict=True)):
            if cost is not None and model.size_class == own_model.size_class and not (host == VENDOR and _free(model, as_of)):
                current = best[index]
                if current is None or (cost, model.id, host != VENDOR, host) < current:
                    best[index] = (cost, model.id, host != VENDOR, host)
        if failure is not None:
            excluded.append(Excluded(model.id, _exclusion_reason(workload, costs, failure), host))
            continue
        total = sum((c for c in costs if c is not None), ZERO)
        ratio = total / baseline if baseline else None
        candidates.append(Candidate(model.id, model.vendor, model.size_class, total, ratio, model.size_class in own,
                                    total == 0, host))
    candidates.sort(key=lambda c: (c.monthly_cost, c.model, c.host != VENDOR, c.host))
    like = _like_for_like(workload, catalog, as_of, own_models, best)
    priced = [*(c.model for c in candidates), *(model.id for model in own_models),
              *(s.model for s in (like.streams if like else ()))]
    return CompareReport(workload, catalog.version, as_of, baseline, baseline_note, tuple(candidates), tuple(excluded),
                         classes, rates_used(catalog, priced), like,
                         _compare_batch_at_standard(workload, catalog, as_of, candidates, like))


def _compare_batch_at_standard(workload: Workload, catalog: Catalog, as_of: dt.date, candidates: list[Candidate],
                               like: LikeForLike | None) -> tuple[str, ...]:
    """The models of a comparison whose batch share is priced at standard rates: a candidate takes every stream;
    today's models and the like-for-like answer, each its own streams."""
    pairs = [(stream, catalog.resolve(c.model)) for c in candidates for stream in workload.streams]
    pairs += [(stream, catalog.resolve(stream.model)) for stream in workload.streams]
    if like is not None:
        pairs += [(stream, catalog.resolve(s.model)) for stream, s in zip(workload.streams, like.streams, strict=True)]
    return batch_at_standard(pairs, as_of)


def _offering_costs(workload: Workload, catalog: Catalog, as_of: dt.date, model: Model,
                    host: str) -> tuple[list[Decimal | None], UnpricedError | None]:
    """Each stream's monthly cost on `model` at `host` (None where it cannot be priced), and the first failure."""
    costs: list[Decimal | None] = []
    failure: UnpricedError | None = None
    for stream in workload.streams:
        try:
            costs.append(stream_cost(stream._replace(model=model.id, host=None if host == VENDOR else host), catalog,
                                     as_of, workload.adjustments, workload.profiles).monthly_cost)
        except UnpricedError as exc:
            costs.append(None)
            failure = failure or exc
    return costs, failure


def _exclusion_reason(workload: Workload, costs: list[Decimal | None], failure: UnpricedError) -> str:
    """Why an offering is left out of the ranking: the failure, naming the stream it is about when the offering prices
    some other stream (so that a like-for-like answer using it for that other stream reads as the exception it is)."""
    first = next(stream for stream, cost in zip(workload.streams, costs, strict=True) if cost is None)
    if all(cost is None for cost in costs) or "stream '" in failure.message:
        return failure.message
    return f"stream '{shown(first.name)}': {failure.message}"


def _free(model: Model, as_of: dt.date) -> bool:
    """Priced at 0 for input and output on `as_of`: a free tier."""
    period = model.period_on(as_of)
    return period is not None and period.rates.input == 0 and period.rates.output == 0


def _like_for_like(workload: Workload, catalog: Catalog, as_of: dt.date, own_models: list[Model],
                   best: list[tuple[Decimal, str, bool, str] | None]) -> LikeForLike | None:
    streams: list[LikeStream] = []
    for stream, own_model, found in zip(workload.streams, own_models, best, strict=True):
        if found is not None:
            streams.append(LikeStream(stream.name, own_model.size_class, found[1], found[0], host=found[3]))
            continue
        try:
            cost = stream_cost(stream, catalog, as_of, workload.adjustments, workload.profiles).monthly_cost
        except UnpricedError:
            return None
        streams.append(LikeStream(stream.name, own_model.size_class, own_model.id, cost, kept=True,
                                  host=stream.host or VENDOR))
    return LikeForLike(tuple(streams))
