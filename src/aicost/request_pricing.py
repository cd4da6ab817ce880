"""One request's price: its tokens (`TokenMix`) under how it is bought (`PricingContext`: service tier, speed mode,
host, region, time window, batch) at one price period — the one place the catalog's rates are multiplied.

No I/O and no terminal here; money is never rounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from .catalog import Model, PricePeriod, Rates
from .errors import InputError, RetiredError, UnpricedError, did_you_mean
from .workload import ONE, ZERO, Stream

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
        cache_write_tokens at the lifetime of its `cache_ttl`, its cache_write_1h_tokens for an hour."""
        cached = stream.input_tokens * stream.cached_input_share
        writes = Decimal(stream.cache_write_tokens)
        hour = stream.cache_ttl == "1h"
        one_hour = Decimal(stream.cache_write_1h_tokens)
        return cls(
            uncached_input=stream.input_tokens - cached - writes - one_hour,
            cache_read=cached,
            cache_write=ZERO if hour else writes,
            output=Decimal(stream.output_tokens + (stream.reasoning_tokens if reasoning else 0)),
            input_tokens=stream.input_tokens,
            cache_write_1h=(writes if hour else ZERO) + one_hour,
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
        self.stream: str | None = None  # the stream that asks for it, once known (`calc.stream_cost` sets it)
        known = ", ".join(self.offered) if self.offered else "none"
        super().__init__(f"{model} offers no {what} '{name}'{did_you_mean(name, self.offered)} — it offers: {known}")

    @property
    def field(self) -> str:
        """The stream's field that asks for it: service_tier, speed, host, region or off_peak_share."""
        return next((field for words, field in NOT_OFFERED_FIELDS if self.what.startswith(words)), "host")


NOT_OFFERED_FIELDS = (("service tier", "service_tier"), ("speed mode", "speed"), ("host", "host"),
                      ("region", "region"), ("time window", "off_peak_share"))


def price_period(model: Model, as_of: dt.date) -> PricePeriod:
    """The period in force on `as_of`; RetiredError from the retirement date on, UnpricedError before the first."""
    if model.retired_on(as_of):
        raise RetiredError(model.id, model.retired, model.successor_on(as_of))
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


def batch_discount(model: Model, rates: Rates, where: str = "") -> Decimal:
    """What a batch pays of the standard price: batch input / input of the same rates (0.5 for a 50 % discount);
    a vendor whose batch discount stacks with prompt caching (`[batch_cache] billed_as = "batch"`) applies it to cache
    reads and writes inside a batch."""
    standard = _rate(model, rates, "input", where)
    batched = _rate(model, rates, "batch_input", where)
    return batched / standard if standard else ONE


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
        return tokens * _rate(model, rates, key, where) * in_batch(key) / MILLION

    def in_batch(key: str) -> Decimal:
        """A cache price inside a batch: discounted where the vendor's batch discount stacks with caching."""
        if context.batch and key in ("cache_read", "cache_write") and model.batch_cache_discounted:
            return batch_discount(model, rates, where)
        return ONE

    def one_hour(tokens: Decimal) -> Decimal:
        if tokens == 0:
            return ZERO
        if prices.cache_write_1h is None:
            if model.cache_writes_as_input and rates.cache_write is None:
                return cost(tokens, input_key)  # written tokens cost input, whatever their lifetime
            raise UnpricedError(f"{model.id} has no 1-hour cache-write price{where} in the catalog (unknown, not free)")
        return tokens * prices.cache_write_1h * in_batch("cache_write") / MILLION

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
