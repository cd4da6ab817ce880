"""The workload that reproduces observed usage: one stream per model at the observed monthly rate and mean
token mix, and the check that the written document is a workload aicost accepts.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from typing import Any

from aicost.catalog import BASE_CURRENCY, Catalog, Model
from aicost.errors import UnpricedError
from aicost.usage.pricing import UsageReport
from aicost.usage.records import Tokens
from aicost.workload import HOURS_PER_MONTH, MAX_TOKENS

# ---------------------------------------------------------------------------------------------- workload


MEAN_PLACES = Decimal("1e-9")
SHARE_PLACES = Decimal("1e-15")


def _rounded(value: Decimal, places: Decimal, rounding: str) -> Decimal | int:
    """`value` to `places`, written as plainly as TOML allows: a whole number as an integer."""
    rounded = value.quantize(places, rounding=rounding)
    return int(rounded) if rounded == rounded.to_integral_value() else rounded.normalize() + 0  # + 0: no exponent


def _sizes_of(model: Model, count: int, tokens: Tokens) -> dict[str, Any]:
    """The mean request of `count` requests: input, output, cached share, cache writes and reasoning. A model that
    does not reason carries the reasoning tokens it was billed as output."""
    n = Decimal(count)

    def mean(value: int, rounding: str = ROUND_HALF_EVEN) -> Decimal | int:
        return _rounded(Decimal(value) / n, MEAN_PLACES, rounding)

    reasoning = tokens.reasoning if model.reasoning else 0
    output = tokens.output + (0 if model.reasoning else tokens.reasoning)
    # input up, its cached share and cache writes down: their sum never exceeds the input after rounding
    sizes: dict[str, Any] = {"input_tokens": mean(tokens.input, ROUND_CEILING), "output_tokens": mean(output)}
    if tokens.cache_read:
        sizes["cached_input_share"] = _rounded(Decimal(tokens.cache_read) / tokens.input, SHARE_PLACES, ROUND_DOWN)
    if tokens.cache_write:
        sizes["cache_write_tokens"] = mean(tokens.cache_write, ROUND_DOWN)
    if reasoning:
        sizes["reasoning_tokens"] = mean(reasoning)
    return sizes


def size_bands(report: UsageReport, model_id: str) -> list[dict[str, Any]] | None:
    """A model's requests as size bands, one per long-context tier they met, or None if they all met one (the mean
    then prices them exactly). Each band's share is its requests' (to 15 places, the last band taking the rest, so
    that they sum to exactly 1); its sizes are its own requests' means, so that each band is priced at its tier."""
    tiers = sorted((above, count, tokens) for (model, above), (count, tokens) in report.priced_tiers.items()
                   if model == model_id)
    if len(tiers) < 2:
        return None
    model, total, _ = report.priced[model_id]
    bands: list[dict[str, Any]] = []
    rest = Decimal(1)
    for index, (_, count, tokens) in enumerate(tiers):
        share = rest if index == len(tiers) - 1 else Decimal(count / Decimal(total)).quantize(SHARE_PLACES, ROUND_DOWN)
        rest -= share
        bands.append({"share": _rounded(share, SHARE_PLACES, ROUND_DOWN), **_sizes_of(model, count, tokens)})
    return bands


def workload_document(report: UsageReport, name: str = "observed") -> dict[str, Any]:
    """A workload with one stream per priced model: its observed requests scaled to a 730-hour month and its mean
    tokens per request — or, where its requests met more than one long-context tier, its size bands, one per tier
    — so that `aicost cost` reproduces the observed monthly run rate (at the same prices).
    A model that does not reason carries the reasoning tokens it was billed as output."""
    if not report.hours or not report.priced:
        raise UnpricedError("no priced requests to describe — nothing to write")
    scale = Decimal(HOURS_PER_MONTH) / report.hours  # as the run rate is scaled
    streams = []
    for model_id, (model, count, tokens) in sorted(report.priced.items()):
        stream: dict[str, Any] = {
            "name": model_id,
            "model": model_id,
            "requests_per_month": _rounded(Decimal(count) * scale, MEAN_PLACES, ROUND_HALF_EVEN),
        }
        bands = size_bands(report, model_id)
        if bands is None:
            stream.update(_sizes_of(model, count, tokens))
        else:
            stream["sizes"] = bands
        streams.append(stream)
    document: dict[str, Any] = {"version": 1, "name": name}
    if report.currency != BASE_CURRENCY:
        document["currency"] = report.currency
    document["streams"] = streams
    return document


WORKLOAD_TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_write_tokens", "reasoning_tokens")


def workload_problem(document: dict[str, Any], catalog: Catalog, day: dt.date) -> str | None:
    """Why `aicost cost` would refuse a written workload — the first stream whose mean request is above a
    workload's limits or longer than its model's context window, or whose model has no price on `day` (the date
    `aicost cost` prices at by default: today), such as a model retired since the logs were written — or None."""
    from aicost.calc import price_period
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
            price_period(model, day)
        except UnpricedError as exc:
            return (f"stream '{name}' cannot be written: a workload is priced today ({day.isoformat()}) by default, "
                    f"and {exc.message}")
    return None
