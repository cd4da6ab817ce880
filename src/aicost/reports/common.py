"""What every report shares: the JSON envelope, the footer line and the cost breakdown columns.

`reports/` turns the core's reports into views (one module per command group); `render/` draws a view in each
output format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from aicost.calc import Breakdown
from aicost.catalog import BASE_CURRENCY, ExchangeRate, catalog_stamp
from aicost.money import decimal_text, percent_text
from aicost.render.view import SECONDARY, Column, Kind
from aicost.workload import HOURS_PER_MONTH, Stream, Workload

SCHEMA_VERSION = 1


def named_rate_document(rate: ExchangeRate) -> dict[str, Any]:
    """A rate as reports name it: 1 `from` = `rate` `to`, the rate's own date and its source."""
    return {"from": BASE_CURRENCY, "to": rate.currency, "rate": rate.per_usd, "date": rate.date, "source": rate.source}


def envelope(catalog_version: str, as_of: dt.date | None, currency: str = BASE_CURRENCY,
             rates: tuple[ExchangeRate, ...] = ()) -> dict[str, Any]:
    """The keys every JSON document starts with; a report in another currency than the catalog's USD names the
    rate it was converted at (`exchange_rate`), and `exchange_rates` lists every rate its figures went through
    (a mainland price in CNY on its way to USD, say)."""
    document: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "catalog_version": catalog_version, "as_of": as_of,
                                "currency": currency}
    own = [rate for rate in rates if rate.currency == currency]
    if own:
        document["exchange_rate"] = named_rate_document(own[0])
    if rates:
        document["exchange_rates"] = [named_rate_document(rate) for rate in rates]
    return document


def rate_lines(rates: tuple[ExchangeRate, ...]) -> tuple[str, ...]:
    return tuple(f"converted at 1 {BASE_CURRENCY} = {decimal_text(rate.per_usd)} {rate.currency} (rate of {rate.date}: "
                 f"{rate.source})" for rate in rates)


def footer(catalog_version: str, as_of: dt.date, *extra: str, currency: str = BASE_CURRENCY,
           rates: tuple[ExchangeRate, ...] = ()) -> tuple[str, ...]:
    return (f"{catalog_stamp(catalog_version, as_of)} · prices as of {as_of} · month = {HOURS_PER_MONTH} hours · {currency}",
            *rate_lines(rates), *extra)


def breakdown_document(breakdown: Breakdown) -> dict[str, Decimal]:
    """The breakdown's money; `per_call` (web-search and other per-call fees) only where fees apply."""
    document = {
        "input": breakdown.input,
        "cached_input": breakdown.cached_input,
        "cache_write": breakdown.cache_write,
        "output": breakdown.output,
    }
    if breakdown.per_call:
        document["per_call"] = breakdown.per_call
    return document


BREAKDOWN_COLUMNS = (
    Column("Input", Kind.MONEY, "input", priority=SECONDARY, hide_zero=True, group="breakdown"),
    Column("Cached input", Kind.MONEY, "cached_input", "Cached", SECONDARY, hide_zero=True, group="breakdown"),
    Column("Cache writes", Kind.MONEY, "cache_write", "Cache wr.", SECONDARY, hide_zero=True, group="breakdown"),
    Column("Output", Kind.MONEY, "output", priority=SECONDARY, hide_zero=True, group="breakdown"),
)




LIST_TOKENS, ADJUSTED_TOKENS, NO_TOKENS = "list", "adjusted", "none"
"""What a report's token columns (Input, Cached input, Cache writes, Output) hold, for its adjustments note: list
prices (`cost`, which adds discount and fee columns), amounts after adjustments (`route`'s plan breakdown), or no
token columns at all."""
_TOKEN_COLUMNS = {LIST_TOKENS: "list prices in the token columns; costs after adjustments",
                  ADJUSTED_TOKENS: "every amount after adjustments, the token columns too",
                  NO_TOKENS: "costs after adjustments"}


def adjustment_notes(workload: Workload, token_columns: str = NO_TOKENS) -> tuple[str, ...]:
    """A footer line naming the workload's discounts and platform fee, when it has any (the figures include them),
    and saying what the report's token columns hold (`token_columns`: LIST_TOKENS, ADJUSTED_TOKENS or NO_TOKENS)."""
    if not workload.adjustments.active:
        return ()
    return (f"{workload.adjustments.describe()} ({_TOKEN_COLUMNS[token_columns]})",)


def batch_notes(models: tuple[str, ...]) -> tuple[str, ...]:
    """A footer line naming the models whose batch share is priced at standard rates (no batch price in the catalog:
    they have no batch API), when there are any; JSON has them as `batch_at_standard_rates`."""
    if not models:
        return ()
    return ("no batch API in the catalog (no batch price): the batch share is priced at standard rates, an upper bound, on "
            + ", ".join(models),)


def bought_text(stream: Stream) -> str:
    """How a stream is bought where it is not the default (the vendor's own API, standard tier and speed, 5-minute
    cache writes, no region, off-peak window or web search): "flex tier, on bedrock, region us, 1h cache"."""
    parts = [f"{stream.service_tier} tier"] if stream.service_tier not in (None, "standard") else []
    parts += [f"{stream.speed} speed"] if stream.speed not in (None, "standard") else []
    parts += [f"on {stream.host}"] if stream.host not in (None, "vendor") else []
    parts += [f"region {stream.region}"] if stream.region not in (None, "global") else []
    parts += ["1h cache"] if stream.cache_ttl == "1h" else []
    parts += [f"off-peak {percent_text(stream.off_peak_share)}"] if stream.off_peak_share else []
    parts += [f"{decimal_text(stream.web_search_calls)} web searches a request"] if stream.web_search_calls else []
    return ", ".join(parts)


def bought_lines(workload: Workload) -> list[str]:
    """A footer line saying how the workload's streams are bought, where any is not on the defaults (the table of
    `route` or `breakeven` has no column for it): "bought as: flex tier, region us", or per stream."""
    described = [(stream.name, bought_text(stream)) for stream in workload.streams]
    named = [(name, text) for name, text in described if text]
    if not named:
        return []
    if len(named) == len(described) and len({text for _, text in named}) == 1:
        return [f"bought as: {named[0][1]}"]
    return ["bought as: " + "; ".join(f"'{name}' {text}" for name, text in named)
            + ("; the others standard" if len(named) < len(described) else "")]
