"""The pure Decimal arithmetic: the cost of a request, a stream, a workload, and a vendor comparison.

No I/O and no terminal here: functions take a catalog, a workload and a pricing date and return frozen
reports.  Money is never rounded in this module; renderers round for display.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from .catalog import SIZE_CLASSES, Catalog, ExchangeRate, Model, PricePeriod, Rates
from .catalog.prices import OFF_PEAK
from .currency import priced_in, rates_used
from .errors import ContextWindowError, InputError, ParameterError, RetiredError, UnpricedError, did_you_mean
from .workload import ONE, ZERO, Adjustments, Profile, Stream, Workload

NO_ADJUSTMENTS = Adjustments()

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)
RATE_LABELS = {
    "input": "input",
    "output": "output",
    "cache_read": "cache-read",
    "cache_write": "cache-write",
    "batch_input": "batch input",
    "batch_output": "batch output",
}


VENDOR = "vendor"  # the host name of the vendor's own API (the default host)
STANDARD_TIER = "standard"  # the service tier name of the standard prices
STANDARD_SPEED = "standard"


class Breakdown(NamedTuple):
    """Money split by what it pays for; `output` includes reasoning tokens (billed as output); `per_call` is the
    per-call fees (web searches)."""

    input: Decimal = ZERO
    cached_input: Decimal = ZERO
    cache_write: Decimal = ZERO
    output: Decimal = ZERO
    per_call: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.input + self.cached_input + self.cache_write + self.output + self.per_call

    def __add__(self, other: Breakdown) -> Breakdown:  # type: ignore[override]  # money, not tuple concatenation
        return Breakdown(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))

    def scaled(self, factor: Decimal) -> Breakdown:
        return Breakdown(*(part * factor for part in self))


def sum_breakdowns(parts: Iterable[Breakdown]) -> Breakdown:
    total = Breakdown()
    for part in parts:
        total = total + part
    return total


class TokenMix(NamedTuple):
    """Mean tokens of one request, each input token counted once at one rate; `cache_write` tokens are bought for
    five minutes, `cache_write_1h` for an hour; `web_search_calls` the request's web searches (a mean)."""

    uncached_input: Decimal
    cache_read: Decimal
    cache_write: Decimal
    output: Decimal  # visible output plus hidden reasoning
    input_tokens: Decimal  # the whole request's input, which selects a long-context tier
    cache_write_1h: Decimal = ZERO
    web_search_calls: Decimal = ZERO

    @classmethod
    def of(cls, stream: Stream, reasoning: bool = True) -> TokenMix:
        """The stream's mean request; its reasoning tokens are billed (as output) only by a model that reasons; its
        cache writes at the lifetime of its `cache_ttl`."""
        cached = stream.input_tokens * stream.cached_input_share
        writes = Decimal(stream.cache_write_tokens)
        hour = stream.cache_ttl == "1h"
        return cls(
            uncached_input=stream.input_tokens - cached - writes,
            cache_read=cached,
            cache_write=ZERO if hour else writes,
            output=Decimal(stream.output_tokens + (stream.reasoning_tokens if reasoning else 0)),
            input_tokens=stream.input_tokens,
            cache_write_1h=writes if hour else ZERO,
            web_search_calls=Decimal(stream.web_search_calls),
        )


class PricingContext(NamedTuple):
    """How a request is bought, beyond its tokens: each None is the standard choice (the standard tier and speed,
    the vendor's own API, global processing, standard hours)."""

    service_tier: str | None = None  # "flex" | "priority"
    speed: str | None = None  # "fast"
    host: str | None = None  # "bedrock" | "vertex" | "azure" | "openrouter"
    region: str | None = None  # a regional uplift ("us", "eu", ...)
    window: str | None = None  # a time window's name ("off-peak"), e.g. from `PricePeriod.window_at(moment).name`
    batch: bool = False  # at batch prices (not with a service tier)

    @classmethod
    def of(cls, stream: Stream, window: str | None = None, batch: bool = False) -> PricingContext:
        """The stream's choices ("standard" and "vendor" written out are the same as none)."""
        return cls(
            service_tier=None if stream.service_tier in (None, STANDARD_TIER) else stream.service_tier,
            speed=None if stream.speed in (None, STANDARD_SPEED) else stream.speed,
            host=None if stream.host in (None, VENDOR) else stream.host,
            region=stream.region,
            window=window,
            batch=batch,
        )


STANDARD = PricingContext()


class NotOfferedError(UnpricedError):
    """A service tier, speed mode, host, region or time window the model does not offer (on that date)."""

    def __init__(self, model: str, what: str, name: str, offered: Iterable[str]) -> None:
        self.model = model
        self.what = what
        self.name = name
        self.offered = tuple(offered)
        known = ", ".join(self.offered) if self.offered else "none"
        super().__init__(f"{model} offers no {what} '{name}'{did_you_mean(name, self.offered)} — it offers: {known}")


def price_period(model: Model, as_of: dt.date) -> PricePeriod:
    """The period in force on `as_of`; RetiredError from the retirement date on, UnpricedError before the first."""
    if model.retired_on(as_of):
        raise RetiredError(model.id, model.retired, model.successor)
    period = model.period_on(as_of)
    if period is None:
        raise UnpricedError(f"{model.id} has no price on {as_of} (its first price is from {model.periods[0].since})")
    return period


def offering_period(model: Model, as_of: dt.date, host: str | None = None) -> PricePeriod:
    """The period in force on `as_of` at `host` (None or "vendor": the vendor's own API); NotOfferedError for a
    host that does not sell the model, UnpricedError before the host's first price."""
    if host in (None, VENDOR):
        return price_period(model, as_of)
    assert host is not None
    offering = model.offering(host)
    if offering is None:
        raise NotOfferedError(model.id, "host", host, (VENDOR, *(h.host for h in model.hosts)))
    period = offering.period_on(as_of)
    if period is None:
        raise UnpricedError(f"{model.id} on {host} has no price on {as_of} (its first price there is from "
                            f"{offering.periods[0].since})")
    return period


def _rate(model: Model, rates: Rates, key: str, where: str) -> Decimal:
    value = rates.get(key)
    if value is None:
        raise UnpricedError(f"{model.id} has no {RATE_LABELS[key]} price{where} in the catalog (unknown, not free)")
    return value


class _Prices(NamedTuple):
    rates: Rates
    cache_write_1h: Decimal | None
    where: str  # " above 200,000 input tokens", " at the flex tier", ...


def _base_prices(model: Model, period: PricePeriod, mix: TokenMix, context: PricingContext) -> _Prices:
    """The rates a time window, service tier or long-context tier puts in place of the standard ones."""
    tier = period.tier_for(mix.input_tokens)
    above = f" above {tier.above_input_tokens:,} input tokens" if tier else ""
    host = f" on {context.host}" if context.host else ""
    if context.window is not None:
        window = period.window(context.window)
        if window is None:
            raise NotOfferedError(model.id, "time window", context.window, dict.fromkeys(w.name for w in period.windows))
        if tier is not None or context.service_tier is not None:
            what = f"the {context.service_tier} tier" if context.service_tier else f"requests{above}"
            raise UnpricedError(f"{model.id} has no price for {what} in its {window.name} window{host} in the catalog "
                                "(unknown, not free)")
        return _Prices(window.rates, None, f" in its {window.name} window{host}")
    if context.service_tier is not None:
        service = period.service_tier(context.service_tier)
        if service is None:
            offered = (STANDARD_TIER, *(t.name for t in period.service_tiers))
            raise NotOfferedError(model.id, f"service tier{host}", context.service_tier, offered)
        where = f" at the {service.name} tier{host}"
        if tier is not None:
            raise UnpricedError(f"{model.id} has no price{where}{above} in the catalog (unknown, not free)")
        return _Prices(service.rates, None, where)
    if tier is not None:
        return _Prices(tier.rates, None, above + host)
    return _Prices(period.rates, period.cache_write_1h, host)


def context_prices(model: Model, period: PricePeriod, mix: TokenMix, context: PricingContext) -> _Prices:
    """The prices one request pays under `context`: the window's, tier's or long-context tier's rates, then a speed
    mode's multiplier (or its own rates) and a region's uplift on every token price."""
    if context.batch and context.service_tier is not None:
        raise InputError(f"{model.id}: a batch request has no service tier — price the batch share without one")
    prices = _base_prices(model, period, mix, context)
    if context.speed is not None:
        mode = period.speed(context.speed)
        if mode is None:
            raise NotOfferedError(model.id, "speed mode", context.speed, (STANDARD_SPEED, *(m.name for m in period.speeds)))
        where = prices.where + f" in {mode.name} mode"
        if mode.multiplier is not None:
            one_hour = None if prices.cache_write_1h is None else prices.cache_write_1h * mode.multiplier
            prices = _Prices(prices.rates.scaled(mode.multiplier), one_hour, where)
        elif prices.rates is not period.rates:  # its own rates are the standard request's: not a tier's or window's
            raise UnpricedError(f"{model.id} has no price{where} (unknown, not free)")
        else:
            assert mode.rates is not None
            prices = _Prices(mode.rates, None, where)
    if context.region is not None:
        uplift = period.uplift(context.region)
        if uplift is None:
            raise NotOfferedError(model.id, "region", context.region, (u.region for u in period.regions))
        one_hour = None if prices.cache_write_1h is None else prices.cache_write_1h * uplift
        prices = _Prices(prices.rates.scaled(uplift), one_hour, prices.where + f" in region {context.region}")
    return prices


def period_cost(model: Model, period: PricePeriod, mix: TokenMix, context: PricingContext = STANDARD) -> Breakdown:
    """The cost of one request at one period's prices (already the context's host's) under `context`."""
    prices = context_prices(model, period, mix, context)
    rates, where = prices.rates, prices.where
    input_key, output_key = ("batch_input", "batch_output") if context.batch else ("input", "output")

    def cost(tokens: Decimal, key: str) -> Decimal:
        if tokens == 0:
            return ZERO
        if key == "cache_write" and rates.cache_write is None and model.cache_writes_as_input:
            key = input_key  # the vendor bills a cache write as an ordinary input token
        return tokens * _rate(model, rates, key, where) / MILLION

    def one_hour(tokens: Decimal) -> Decimal:
        if tokens == 0:
            return ZERO
        if prices.cache_write_1h is None:
            if model.cache_writes_as_input and rates.cache_write is None:
                return cost(tokens, input_key)  # written tokens cost input, whatever their lifetime
            raise UnpricedError(f"{model.id} has no 1-hour cache-write price{where} in the catalog (unknown, not free)")
        return tokens * prices.cache_write_1h / MILLION

    return Breakdown(
        input=cost(mix.uncached_input, input_key),
        cached_input=cost(mix.cache_read, "cache_read"),
        cache_write=cost(mix.cache_write, "cache_write") + one_hour(mix.cache_write_1h),
        output=cost(mix.output, output_key),
        per_call=_per_call(model, period, mix, where),
    )


def _per_call(model: Model, period: PricePeriod, mix: TokenMix, where: str) -> Decimal:
    if mix.web_search_calls == 0:
        return ZERO
    fee = period.fee("web_search")
    if fee is None:
        raise UnpricedError(f"{model.id} has no web-search fee{where} in the catalog (unknown, not free)")
    return mix.web_search_calls * fee / THOUSAND


def price_mix(model: Model, as_of: dt.date, mix: TokenMix, context: PricingContext = STANDARD) -> Breakdown:
    """The cost of one request of `mix` on `model` on `as_of` under `context` (its host's period in force that day).
    Raises UnpricedError for a price the catalog does not give, NotOfferedError (an UnpricedError) for a tier,
    speed, host, region or window the model does not offer, RetiredError for a retired model."""
    return period_cost(model, offering_period(model, as_of, context.host), mix, context)


def request_cost(model: Model, period: PricePeriod, mix: TokenMix, batch: bool) -> Breakdown:
    """The cost of one request at one period's standard prices (or batch prices); a long-context tier prices the whole
    request."""
    return period_cost(model, period, mix, PricingContext(batch=batch))


def stream_period(model: Model, stream: Stream, as_of: dt.date) -> PricePeriod:
    """The period a stream's requests are priced at: its host's, in force on `as_of`."""
    return offering_period(model, as_of, PricingContext.of(stream).host)


def stream_request_cost(model: Model, period: PricePeriod, stream: Stream) -> Breakdown:
    """Mean cost of one request of a stream at `period` (its host's: `stream_period`): its batch share at batch rates,
    its off-peak share at the off-peak window's (linear in each share); a request whose input does not fit the
    model's context window is a ContextWindowError (it cannot be sent there at any price)."""
    if stream.input_tokens > model.context_window:
        raise ContextWindowError(model.id, stream.input_tokens, model.context_window, stream.name)
    mix = TokenMix.of(stream, model.reasoning)
    parts = []
    for window, window_share in ((None, ONE - stream.off_peak_share), (OFF_PEAK, stream.off_peak_share)):
        for batch, batch_share in ((False, ONE - stream.batch_share), (True, stream.batch_share)):
            if window_share > ZERO and batch_share > ZERO:
                context = PricingContext.of(stream, window, batch)
                parts.append(period_cost(model, period, mix, context).scaled(window_share * batch_share))
    return sum_breakdowns(parts)


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
    tier = period.tier_for(stream.input_tokens)
    breakdown = per_request.scaled(stream.monthly_requests)
    discount = breakdown.total * adjustments.discount_for(model.id, model.vendor)
    fee = (breakdown.total - discount) * adjustments.platform_fee
    return StreamCost(
        name=stream.name,
        model=model.id,
        monthly_requests=stream.monthly_requests,
        breakdown=breakdown,
        price_since=period.since,
        tier_above=tier.above_input_tokens if tier else None,
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
    return CostReport(workload, catalog.version, as_of, streams, rates_used(catalog, (s.model for s in streams)))


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
            excluded.append(Excluded(model.id, failure.message, host))
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
                         classes, rates_used(catalog, priced), like)


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
