"""The workload that reproduces observed usage: one stream per model and way of buying it (service tier, batch,
1-hour cache writes, host) at the observed monthly rate, its mean request — or size bands, one per long-context tier
its requests met — its web searches and off-peak share, and the check that the written document is a workload
aicost accepts.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

from aicost.catalog import BASE_CURRENCY, Catalog, Model
from aicost.errors import UnpricedError
from aicost.usage.pricing import Observed, TierPart, UsageReport
from aicost.usage.records import ZERO, Tokens, terms_of
from aicost.workload import HOURS_PER_MONTH, MAX_TOKENS

# ---------------------------------------------------------------------------------------------- workload


ONE = Decimal(1)
MEAN_PLACES = Decimal("1e-9")
SHARE_PLACES = Decimal("1e-15")


def _rounded(value: Decimal, places: Decimal, rounding: str) -> Decimal | int:
    """`value` to `places`, written as plainly as TOML allows: a whole number as an integer."""
    rounded = value.quantize(places, rounding=rounding)
    return int(rounded) if rounded == rounded.to_integral_value() else rounded.normalize() + 0  # + 0: no exponent


def _sizes_of(model: Model, count: int, tokens: Tokens) -> dict[str, Any]:
    """The mean request of `count` requests: input, output, cached share, cache writes (5-minute ones as
    cache_write_tokens, 1-hour ones as cache_write_1h_tokens) and reasoning. A model that does not reason carries
    the reasoning tokens it was billed as output."""
    n = Decimal(count)

    def mean(value: int, rounding: str = ROUND_HALF_EVEN) -> Decimal | int:
        return _rounded(Decimal(value) / n, MEAN_PLACES, rounding)

    reasoning = tokens.reasoning if model.reasoning else 0
    output = tokens.output + (0 if model.reasoning else tokens.reasoning)
    # input up, its cached share and cache writes down: their sum never exceeds the input after rounding
    sizes: dict[str, Any] = {"input_tokens": mean(tokens.input, ROUND_CEILING), "output_tokens": mean(output)}
    if tokens.cache_read:
        sizes["cached_input_share"] = _rounded(Decimal(tokens.cache_read) / tokens.input, SHARE_PLACES, ROUND_DOWN)
    if tokens.cache_write - tokens.cache_write_1h:
        sizes["cache_write_tokens"] = mean(tokens.cache_write - tokens.cache_write_1h, ROUND_DOWN)
    if tokens.cache_write_1h:
        sizes["cache_write_1h_tokens"] = mean(tokens.cache_write_1h, ROUND_DOWN)
    if reasoning:
        sizes["reasoning_tokens"] = mean(reasoning)
    return sizes


def size_bands(model: Model, tiers: tuple[TierPart, ...]) -> list[dict[str, Any]] | None:
    """Requests as size bands, one per long-context tier they met, or None if they all met one (the mean then
    prices them exactly). Each band's share is its requests' (to 15 places, the last band taking the rest, so that
    they sum to exactly 1); its sizes are its own requests' means, so that each band is priced at its tier."""
    if len(tiers) < 2:
        return None
    total = sum(count for _, count, _ in tiers)
    bands: list[dict[str, Any]] = []
    rest = Decimal(1)
    for index, (_, count, tokens) in enumerate(tiers):
        share = rest if index == len(tiers) - 1 else Decimal(count / Decimal(total)).quantize(SHARE_PLACES, ROUND_DOWN)
        rest -= share
        bands.append({"share": _rounded(share, SHARE_PLACES, ROUND_DOWN), **_sizes_of(model, count, tokens)})
    return bands


def workload_document(report: UsageReport, name: str = "observed") -> dict[str, Any]:
    """A workload with one stream per priced model and way of buying it (service tier, batch, 1-hour cache writes,
    host): its observed requests scaled to a 730-hour month (as the run rate is, from the hours observed), its mean
    tokens per request (its 5-minute writes as cache_write_tokens, its 1-hour writes as cache_write_1h_tokens, so
    that a request with both is priced as billed) — or, where its requests met more than one long-context tier, its
    size bands, one per tier — its web searches per request, and the share of requests in the model's off-peak window, so that `aicost cost`
    reproduces the observed monthly run rate (at the same prices). A model that does not reason carries the
    reasoning tokens it was billed as output."""
    if not report.hours or not report.priced:
        raise UnpricedError("no priced requests to describe — nothing to write")
    scale = Decimal(HOURS_PER_MONTH) / report.hours  # as the run rate is scaled
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
            stream["host"], _, region = host.partition(" in ")  # "bedrock in us": a Bedrock inference profile's region
            if region:
                stream["region"] = region
        if tier:
            stream["service_tier"] = tier
        if batch:
            stream["batch_share"] = 1
        if seen.off_peak_requests and report.last_day is not None:
            share = _off_peak_share(model, stream, seen, scale, report.last_day)
            if share:
                stream["off_peak_share"] = share
        streams.append(stream)
    document: dict[str, Any] = {"version": 1, "name": name}
    if report.currency != BASE_CURRENCY:
        document["currency"] = report.currency
    document["streams"] = streams
    return document


def _stream(label: str, model: Model, seen: Observed, scale: Decimal) -> dict[str, Any]:
    """A stream's volume, its mean request or size bands, and its web searches (the terms are added by the caller)."""
    stream: dict[str, Any] = {
        "name": label,
        "model": model.id,
        "requests_per_month": _rounded(Decimal(seen.requests) * scale, MEAN_PLACES, ROUND_HALF_EVEN),
    }
    bands = size_bands(model, seen.tiers)
    if bands is None:
        stream.update(_sizes_of(model, seen.requests, seen.tokens))
    else:
        stream["sizes"] = bands
    if seen.tokens.web_search_calls:
        stream["web_search_calls"] = _rounded(Decimal(seen.tokens.web_search_calls) / seen.requests, MEAN_PLACES,
                                              ROUND_HALF_EVEN)
    return stream


def _written_stream(model: Model, stream: dict[str, Any]) -> Any:
    """The written stream as the workload reader builds it (its bands each with their own sizes)."""
    from aicost.workload import SizeBand, Stream, with_bands

    def band_of(table: dict[str, Any], share: Decimal) -> SizeBand:
        return SizeBand(share, Decimal(table["input_tokens"]), Decimal(table["output_tokens"]),
                        Decimal(table.get("reasoning_tokens", 0)), Decimal(table.get("cached_input_share", 0)),
                        Decimal(table.get("cache_write_tokens", 0)), Decimal(table.get("cache_write_1h_tokens", 0)))

    bands = tuple(band_of(band, Decimal(band["share"])) for band in stream.get("sizes", [stream | {"share": 1}]))
    written = Stream(stream["name"], model.id, Decimal(stream["requests_per_month"]), bands[0].input_tokens,
                     bands[0].output_tokens, service_tier=stream.get("service_tier"),
                     batch_share=Decimal(stream.get("batch_share", 0)), host=stream.get("host"),
                     web_search_calls=Decimal(stream.get("web_search_calls", 0)))
    return with_bands(written, bands) if "sizes" in stream else written._replace(
        reasoning_tokens=bands[0].reasoning_tokens, cached_input_share=bands[0].cached_input_share,
        cache_write_tokens=bands[0].cache_write_tokens, cache_write_1h_tokens=bands[0].cache_write_1h_tokens)


def _off_peak_share(model: Model, stream: dict[str, Any], seen: Observed, scale: Decimal,
                    day: dt.date) -> Decimal | int:
    """The off-peak share that makes the written stream cost what its requests did: the share s with
    requests x ((1 - s) x peak + s x off-peak) = the observed cost scaled to a month, at the written mean request
    (or bands) and the prices of `day` (the last day observed). It is the share of requests made off-peak when peak
    and off-peak requests are alike; where they differ (longer requests at night, say) it is the share that
    reproduces the spend. Without an off-peak price difference on `day`, the share of requests."""
    from aicost.calc import offering_period, stream_request_cost

    counted = _rounded(Decimal(seen.off_peak_requests) / seen.requests, SHARE_PLACES, ROUND_HALF_EVEN)
    requests = Decimal(stream["requests_per_month"])
    try:
        period = offering_period(model, day, stream.get("host"))
        written = _written_stream(model, stream)
        peak = stream_request_cost(model, period, written).total
        off_peak = stream_request_cost(model, period, written._replace(off_peak_share=ONE)).total
    except UnpricedError:
        return counted
    if off_peak == peak or not requests:
        return counted
    share = (seen.cost * scale / requests - peak) / (off_peak - peak)
    return _rounded(min(max(share, ZERO), ONE), SHARE_PLACES, ROUND_HALF_EVEN)


WORKLOAD_TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_write_tokens", "cache_write_1h_tokens",
                       "reasoning_tokens")


def workload_problem(document: dict[str, Any], catalog: Catalog, day: dt.date) -> str | None:
    """Why `aicost cost` would refuse a written workload — the first stream whose mean request is above a
    workload's limits or longer than its model's context window, or whose model has no price on `day` (the date
    `aicost cost` prices at by default: today), such as a model retired since the logs were written — or None."""
    from aicost.calc import offering_period
    from aicost.workload import MAX_REQUESTS

    for stream in document["streams"]:
        name = stream["name"]
        model = catalog.resolve(stream["model"])
        for index, band in enumerate(stream.get("sizes", [stream])):
            its = f"its band sizes[{index}]" if "sizes" in stream else "its mean request"
            for key in WORKLOAD_TOKEN_KEYS:
                if band.get(key, 0) > MAX_TOKENS:
                    return (f"stream '{name}' cannot be written: {its} has {band[key]:,} {key}, above the "
                            f"{MAX_TOKENS:,} a workload allows")
            reasoning = band.get("reasoning_tokens", 0)
            if band["input_tokens"] + band["output_tokens"] + reasoning > model.context_window:
                tokens = f"{band['input_tokens']:,} input + {band['output_tokens']:,} output" + (
                    f" + {reasoning:,} reasoning" if reasoning else "")
                return (f"stream '{name}' cannot be written: {its} has {tokens} tokens, above {model.id}'s context "
                        f"window of {model.context_window:,}")
        if stream["requests_per_month"] > MAX_REQUESTS:
            return (f"stream '{name}' cannot be written: {stream['requests_per_month']:,} requests a month, above the "
                    f"{int(MAX_REQUESTS):,} a workload allows")
        try:
            offering_period(model, day, stream.get("host"))
        except UnpricedError as exc:
            return (f"stream '{name}' cannot be written: a workload is priced today ({day.isoformat()}) by default, "
                    f"and {exc.message}")
    return None
