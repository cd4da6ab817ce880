"""Pricing a tally: each (day, model, tier) group at the catalog period in force that day, in the report's
currency; unknown prices are counted, never $0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.calc import PricingContext, TokenMix, offering_period, period_cost, price_period
from aicost.catalog import BASE_CURRENCY, Catalog, ExchangeRate, Model
from aicost.catalog.prices import OFF_PEAK
from aicost.currency import priced_in, rates_used
from aicost.errors import UnknownModelError, UnpricedError
from aicost.usage.records import OFF_PEAK_WINDOW, ZERO, Tokens, terms_of
from aicost.usage.tally import Tally, kind_parts
from aicost.workload import HOURS_PER_DAY, HOURS_PER_MONTH

# ---------------------------------------------------------------------------------------------- pricing and report


class UsageRow(NamedTuple):
    label: str  # a model id, a day or a month
    requests: int
    tokens: Tokens
    cost: Decimal | None  # None: nothing in the row could be priced


class Unpriced(NamedTuple):
    model: str
    requests: int
    tokens: Tokens
    reason: str


class Observed(NamedTuple):
    """The priced requests of one model bought one way (service tier, batch, cache-write lifetime): what a written
    workload's stream reproduces."""

    requests: int
    tokens: Tokens
    cost: Decimal
    off_peak_requests: int = 0  # of them, made in the model's off-peak window
    off_peak_cost: Decimal = ZERO  # what those cost


ObservedKey = tuple[str, int, bool, str | None]  # (model id, terms code without the window, writes for an hour, host)


class UsageReport(NamedTuple):
    catalog_version: str
    currency: str
    first_day: dt.date | None
    last_day: dt.date | None
    days: int  # the window the run rate is scaled from
    requests: int
    tokens: Tokens
    total_cost: Decimal
    monthly_run_rate: Decimal
    skipped: dict[str, int]
    unpriced: tuple[Unpriced, ...]
    by_model: tuple[UsageRow, ...]
    by_day: tuple[UsageRow, ...]
    by_month: tuple[UsageRow, ...]
    formats: dict[str, int]
    files: int
    priced: dict[str, tuple[Model, int, Tokens]]  # model id -> (model, requests, tokens) of the priced requests
    exchange_rates: tuple[ExchangeRate, ...] = ()
    mixed_prices: tuple[str, ...] = ()  # models whose requests met more than one price period or tier
    skipped_files: tuple[tuple[str, str], ...] = ()  # (path, reason): found in a directory or glob, not read
    observed: dict[ObservedKey, Observed] = {}  # noqa: RUF012 — never mutated; price_tally gives each report its own

    def rows(self, grouping: str) -> tuple[UsageRow, ...]:
        return {"model": self.by_model, "day": self.by_day, "month": self.by_month}[grouping]


def _mix_for(tokens: Tokens, tier_above: int | None) -> TokenMix:
    """The group's tokens as one request whose input selects the group's tier (its requests' own tier)."""
    selector = Decimal(tier_above + 1) if tier_above is not None else ZERO
    return TokenMix(Decimal(tokens.uncached_input), Decimal(tokens.cache_read),
                    Decimal(tokens.cache_write - tokens.cache_write_1h), Decimal(tokens.output + tokens.reasoning),
                    selector, Decimal(tokens.cache_write_1h), Decimal(tokens.web_search_calls))


def group_context(terms: int) -> PricingContext:
    """How a group's requests were bought (its terms code) as a pricing context; UnpricedError for a service tier
    aicost does not price."""
    service_tier, batch, off_peak = terms_of(terms)
    if service_tier == "other":
        raise UnpricedError("requests at a service tier aicost does not price (not standard, flex, priority or batch: "
                            "scale, say) are left unpriced, never priced at standard rates")
    return PricingContext(service_tier=service_tier, window=OFF_PEAK if off_peak else None, batch=batch)


def _group_cost(model: Model, day: dt.date, kind: int, part: Tokens,
                host: str | None = None) -> tuple[Decimal, tuple[dt.date, int]]:
    """A group's cost at the period in force on its day at its host, as its requests were bought (service tier,
    batch, time window), and which prices it met (the period, the tier)."""
    period = price_period(model, day) if host is None else offering_period(model, day, host)
    _, tier, terms = kind_parts(kind)
    tier_above = period.tiers[tier - 1].above_input_tokens if tier else None
    context = group_context(terms)._replace(host=host)
    return period_cost(model, period, _mix_for(part, tier_above), context).total, (period.since, tier)


class Resolver:
    """A log's model name as (catalog model, host): an id or alias of the catalog is the vendor's own API (host None);
    another host's own model id (`anthropic.claude-haiku-4-5-20251001-v1:0` on bedrock, as its logs name it) is
    that model at that host."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.hosted = {offering.model_id.lower(): (model, offering.host) for model in catalog.models
                       for offering in model.hosts}

    def __call__(self, name: str) -> tuple[Model, str | None]:
        try:
            return self.catalog.resolve(name), None
        except UnknownModelError:
            found = self.hosted.get(name.lower())
            if found is None:
                raise
            return found


def _observe(observed: dict[ObservedKey, Observed], model_id: str, host: str | None, kind: int, count: int,
             part: Tokens, cost: Decimal) -> None:
    _, _, terms = kind_parts(kind)
    key = (model_id, terms & ~OFF_PEAK_WINDOW, part.cache_write_1h > 0, host)
    window = bool(terms & OFF_PEAK_WINDOW)
    seen = observed.get(key, Observed(0, Tokens(), ZERO))
    observed[key] = Observed(seen.requests + count, seen.tokens + part, seen.cost + cost,
                             seen.off_peak_requests + (count if window else 0), seen.off_peak_cost + (cost if window else ZERO))


def _days_covered(start: dt.date | None, end: dt.date | None) -> int:
    return (end - start).days + 1 if start is not None and end is not None and end >= start else 0


def price_tally(tally: Tally, currency: str = BASE_CURRENCY, files: int = 0,
                skipped_files: Iterable[tuple[str, str]] = ()) -> UsageReport:
    """Price every group at the period in force on its day; a group that cannot be priced is reported, never $0.
    Reasoning tokens are billed as output whatever the model: the vendor billed them."""
    tally.settle()
    catalog = priced_in(tally.catalog, currency)
    by_model: dict[str, list[Any]] = {}
    by_day: dict[dt.date, list[Any]] = {}
    by_month: dict[str, list[Any]] = {}
    unpriced: dict[str, list[Any]] = {}
    priced: dict[str, tuple[Model, int, Tokens]] = {}
    prices_met: dict[str, set[tuple[dt.date, int]]] = {}
    observed: dict[ObservedKey, Observed] = {}
    resolve = Resolver(catalog)
    total_cost, requests, tokens = ZERO, 0, Tokens()
    ordinals = [ordinal for ordinal, _, _ in tally.groups]
    first_day = dt.date.fromordinal(min(ordinals)) if ordinals else None
    last_day = dt.date.fromordinal(max(ordinals)) if ordinals else None

    def into(table: dict[Any, list[Any]], key: Any, count: int, part: Tokens, cost: Decimal | None) -> None:
        row = table.setdefault(key, [0, Tokens(), None])
        row[0] += count
        row[1] = row[1] + part
        if cost is not None:
            row[2] = cost if row[2] is None else row[2] + cost

    for (ordinal, model_index, tier), (count, *parts) in sorted(tally.groups.items()):
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        requests += count
        tokens = tokens + part
        cost: Decimal | None = None
        label = name
        try:
            model, host = resolve(name)
            label = model.id if host is None else f"{model.id} on {host}"
            cost, met = _group_cost(model, day, tier, part, host)
            _observe(observed, model.id, host, tier, count, part, cost)
            prices_met.setdefault(model.id, set()).add(met)
            kept = priced.get(model.id)
            priced[model.id] = (model, count + (kept[1] if kept else 0), part + (kept[2] if kept else Tokens()))
        except (UnknownModelError, UnpricedError) as exc:
            entry = unpriced.setdefault(label, [0, Tokens(), exc.message])
            entry[0] += count
            entry[1] = entry[1] + part
        if cost is not None:
            total_cost += cost
        into(by_model, label, count, part, cost)
        into(by_day, day, count, part, cost)
        into(by_month, day.strftime("%Y-%m"), count, part, cost)

    days = _days_covered(tally.since or first_day, tally.until or last_day)
    run_rate = total_cost * HOURS_PER_MONTH / (HOURS_PER_DAY * days) if days else ZERO
    model_rows = sorted(by_model.items(), key=lambda item: (-(item[1][2] or ZERO), item[0]))
    return UsageReport(
        catalog_version=catalog.version,
        currency=currency,
        first_day=first_day,
        last_day=last_day,
        days=days,
        requests=requests,
        tokens=tokens,
        total_cost=total_cost,
        monthly_run_rate=run_rate,
        skipped=dict(sorted(tally.skipped.items(), key=lambda item: (-item[1], item[0]))),
        unpriced=tuple(Unpriced(model, count, part, reason) for model, (count, part, reason) in sorted(unpriced.items())),
        by_model=tuple(UsageRow(label, count, part, cost) for label, (count, part, cost) in model_rows),
        by_day=tuple(UsageRow(str(day), count, part, cost) for day, (count, part, cost) in sorted(by_day.items())),
        by_month=tuple(UsageRow(month, count, part, cost) for month, (count, part, cost) in sorted(by_month.items())),
        formats={name: count for name, count in sorted(tally.formats.items()) if count},
        files=files,
        priced=priced,
        exchange_rates=rates_used(catalog, priced),
        mixed_prices=tuple(sorted(model for model, met in prices_met.items() if len(met) > 1)),
        skipped_files=tuple(skipped_files),
        observed=observed,
    )
