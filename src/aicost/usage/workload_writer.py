"""The workload that reproduces observed usage: one stream per model and way of buying it (service tier, batch,
1-hour cache writes) at the observed monthly rate, mean token mix, web searches and off-peak share, and the check
that the written document is a workload aicost accepts.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

from aicost.catalog import BASE_CURRENCY, Catalog, Model
from aicost.errors import UnpricedError
from aicost.usage.pricing import Observed, UsageReport
from aicost.usage.records import ZERO, terms_of
from aicost.workload import HOURS_PER_DAY, HOURS_PER_MONTH, MAX_TOKENS

# ---------------------------------------------------------------------------------------------- workload


ONE = Decimal(1)
MEAN_PLACES = Decimal("1e-9")
SHARE_PLACES = Decimal("1e-15")


def _rounded(value: Decimal, places: Decimal, rounding: str) -> Decimal | int:
    """`value` to `places`, written as plainly as TOML allows: a whole number as an integer."""
    rounded = value.quantize(places, rounding=rounding)
    return int(rounded) if rounded == rounded.to_integral_value() else rounded.normalize() + 0  # + 0: no exponent


def workload_document(report: UsageReport, name: str = "observed") -> dict[str, Any]:
    """A workload with one stream per priced model and way of buying it (service tier, batch, 1-hour cache writes):
    its observed requests scaled to a 730-hour month, its mean tokens and web searches per request, and the share
    of requests in the model's off-peak window, so that `aicost cost` reproduces the observed monthly run rate (at
    the same prices). A model that does not reason carries the reasoning tokens it was billed as output."""
    if not report.days or not report.priced:
        raise UnpricedError("no priced requests to describe — nothing to write")
    scale = Decimal(HOURS_PER_MONTH) / (HOURS_PER_DAY * report.days)
    streams = []
    ways: dict[str, int] = {}
    for model_id, _, _, _ in report.observed:
        ways[model_id] = ways.get(model_id, 0) + 1
    for (model_id, terms, one_hour, host), seen in sorted(report.observed.items(), key=lambda item: (*item[0][:3],
                                                                                                  item[0][3] or "")):
        model = report.priced[model_id][0]
        tier, batch, _ = terms_of(terms)
        parts = [part for part, given in ((f"on {host}", host), (tier, tier), ("batch", batch), ("1h cache", one_hour))
                 if given]
        label = model_id + "".join(f" ({part})" for part in parts) if ways[model_id] > 1 or parts else model_id
        stream = _stream(label, model, seen, scale)
        if host:
            stream["host"] = host
        if tier:
            stream["service_tier"] = tier
        if batch:
            stream["batch_share"] = 1
        if one_hour:
            stream["cache_ttl"] = "1h"
        if seen.off_peak_requests and report.last_day is not None:
            share = _off_peak_share(model, stream, seen, scale, report.last_day, host)
            if share:
                stream["off_peak_share"] = share
        streams.append(stream)
    document: dict[str, Any] = {"version": 1, "name": name}
    if report.currency != BASE_CURRENCY:
        document["currency"] = report.currency
    document["streams"] = streams
    return document


def _stream(label: str, model: Model, seen: Observed, scale: Decimal) -> dict[str, Any]:
    """A stream's volume and mean request (the terms are added by the caller)."""
    n = Decimal(seen.requests)
    tokens = seen.tokens

    def mean(value: int, rounding: str = ROUND_HALF_EVEN) -> Decimal | int:
        return _rounded(Decimal(value) / n, MEAN_PLACES, rounding)

    reasoning = tokens.reasoning if model.reasoning else 0
    output = tokens.output + (0 if model.reasoning else tokens.reasoning)
    stream: dict[str, Any] = {
        "name": label,
        "model": model.id,
        "requests_per_month": _rounded(n * scale, MEAN_PLACES, ROUND_HALF_EVEN),
        # input up, its cached share and cache writes down: their sum never exceeds the input after rounding
        "input_tokens": mean(tokens.input, ROUND_CEILING),
        "output_tokens": mean(output),
    }
    if tokens.cache_read:
        stream["cached_input_share"] = _rounded(Decimal(tokens.cache_read) / tokens.input, SHARE_PLACES, ROUND_DOWN)
    if tokens.cache_write:
        stream["cache_write_tokens"] = mean(tokens.cache_write, ROUND_DOWN)
    if reasoning:
        stream["reasoning_tokens"] = mean(reasoning)
    if tokens.web_search_calls:
        stream["web_search_calls"] = mean(tokens.web_search_calls)
    return stream


def _off_peak_share(model: Model, stream: dict[str, Any], seen: Observed, scale: Decimal, day: dt.date,
                    host: str | None) -> Decimal | int:
    """The off-peak share that makes the written stream cost what its requests did: the share s with
    requests x ((1 - s) x peak + s x off-peak) = the observed cost scaled to a month, at the written mean request and
    the prices of `day` (the last day observed). It is the share of requests made off-peak when peak and off-peak
    requests are alike; where they differ (longer requests at night, say) it is the share that reproduces the
    spend. Without an off-peak price difference on `day`, the share of requests."""
    from aicost.calc import PricingContext, TokenMix, offering_period, period_cost
    from aicost.catalog.prices import OFF_PEAK
    from aicost.workload import Stream

    counted = Decimal(seen.off_peak_requests) / seen.requests
    try:
        period = offering_period(model, day, host)
    except UnpricedError:
        return _rounded(counted, SHARE_PLACES, ROUND_HALF_EVEN)
    requests = Decimal(stream["requests_per_month"])
    written = Stream(stream["name"], model.id, requests, Decimal(stream["input_tokens"]), Decimal(stream["output_tokens"]),
                     Decimal(stream.get("cached_input_share", 0)), Decimal(stream.get("cache_write_tokens", 0)),
                     Decimal(stream.get("reasoning_tokens", 0)), cache_ttl=stream.get("cache_ttl", "5m"),
                     web_search_calls=Decimal(stream.get("web_search_calls", 0)))
    mix = TokenMix.of(written, model.reasoning)
    tier, batch = stream.get("service_tier"), bool(stream.get("batch_share"))
    try:
        context = PricingContext(service_tier=tier, batch=batch, host=host)
        peak = period_cost(model, period, mix, context).total
        off_peak = period_cost(model, period, mix, context._replace(window=OFF_PEAK)).total
    except UnpricedError:
        return _rounded(counted, SHARE_PLACES, ROUND_HALF_EVEN)
    if off_peak == peak or not requests:
        return _rounded(counted, SHARE_PLACES, ROUND_HALF_EVEN)
    share = (seen.cost * scale / requests - peak) / (off_peak - peak)
    return _rounded(min(max(share, ZERO), ONE), SHARE_PLACES, ROUND_HALF_EVEN)


WORKLOAD_TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_write_tokens", "reasoning_tokens")


def workload_problem(document: dict[str, Any], catalog: Catalog, day: dt.date) -> str | None:
    """Why `aicost cost` would refuse a written workload — the first stream whose mean request is above a
    workload's limits or longer than its model's context window, or whose model has no price on `day` (the date
    `aicost cost` prices at by default: today), such as a model retired since the logs were written — or None."""
    from aicost.calc import offering_period
    from aicost.workload import MAX_REQUESTS

    for stream in document["streams"]:
        name = stream["name"]
        for key in WORKLOAD_TOKEN_KEYS:
            if stream.get(key, 0) > MAX_TOKENS:
                return (f"stream '{name}' cannot be written: its mean request has {stream[key]:,} {key}, above the "
                        f"{MAX_TOKENS:,} a workload allows")
        if stream["requests_per_month"] > MAX_REQUESTS:
            return (f"stream '{name}' cannot be written: {stream['requests_per_month']:,} requests a month, above the "
                    f"{int(MAX_REQUESTS):,} a workload allows")
        model = catalog.resolve(stream["model"])
        if stream["input_tokens"] > model.context_window:
            return (f"stream '{name}' cannot be written: its mean request has {stream['input_tokens']:,} input tokens, "
                    f"above {model.id}'s context window of {model.context_window:,}")
        try:
            offering_period(model, day, stream.get("host"))
        except UnpricedError as exc:
            return (f"stream '{name}' cannot be written: a workload is priced today ({day.isoformat()}) by default, "
                    f"and {exc.message}")
    return None
