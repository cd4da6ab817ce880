"""Pricing a tally: each (day, model, kind) group at the catalog period in force that day, at its host, as its
requests were bought (its long-context tier, service tier, batch, time window), in the report's currency; unknown
prices are counted, never $0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.calc import PricingContext, TokenMix, offering_period, period_cost
from aicost.catalog import BASE_CURRENCY, Catalog, ExchangeRate, Model, PricePeriod
from aicost.catalog.host_ids import hosted_id
from aicost.catalog.prices import OFF_PEAK
from aicost.currency import priced_in, rates_used
from aicost.errors import UnknownModelError, UnpricedError
from aicost.usage.records import OFF_PEAK_WINDOW, ZERO, Tokens, terms_of
from aicost.usage.tally import Tally, kind_parts, source_of
from aicost.workload import HOURS_PER_DAY, HOURS_PER_MONTH

# ---------------------------------------------------------------------------------------------- pricing and report


class UsageRow(NamedTuple):
    label: str  # a model id, a day, a month or an agent (the format read)
    requests: int
    tokens: Tokens
    cost: Decimal | None  # None: nothing in the row could be priced


class Unpriced(NamedTuple):
    model: str
    requests: int
    tokens: Tokens
    reason: str


TierPart = tuple[int, int, Tokens]  # (the long-context tier's threshold or 0 for the base prices, requests, tokens)


class Observed(NamedTuple):
    """The priced requests of one model bought one way (service tier, batch, cache-write lifetime, host): what a
    written workload's stream reproduces."""

    requests: int
    tokens: Tokens
    cost: Decimal
    off_peak_requests: int = 0  # of them, made in the model's off-peak window
    off_peak_cost: Decimal = ZERO  # what those cost
    tiers: tuple[TierPart, ...] = ()  # the same requests by long-context tier met, by threshold


# (model id, terms code without the window, writes for an hour, host: "bedrock", or "bedrock in us" with a region)
ObservedKey = tuple[str, int, bool, str | None]


class UsageReport(NamedTuple):
    catalog_version: str
    currency: str
    first_day: dt.date | None
    last_day: dt.date | None
    days: int  # the UTC days from the first to the last (or --since to --until), inclusive
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
    mixed_prices: tuple[str, ...] = ()  # models whose requests met more than one price period (tiers are written as bands)
    skipped_files: tuple[tuple[str, str], ...] = ()  # (path, reason): found in a directory or glob, not read
    observed: dict[ObservedKey, Observed] = {}  # noqa: RUF012 — never mutated; price_tally gives each report its own
    # (model id, the long-context tier's threshold or 0 for the base prices) -> (requests, tokens) of the priced ones
    priced_tiers: dict[tuple[str, int], tuple[int, Tokens]] = {}  # noqa: RUF012 — never mutated
    by_agent: tuple[UsageRow, ...] = ()
    hours: Decimal = ZERO  # the span the run rate is scaled from (see `observed_hours`)

    def rows(self, grouping: str) -> tuple[UsageRow, ...]:
        return {"model": self.by_model, "day": self.by_day, "month": self.by_month, "agent": self.by_agent}[grouping]


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


class GroupCost(NamedTuple):
    cost: Decimal
    met: tuple[dt.date, int]  # the prices it met: (the period's first day, the long-context tier)
    above: int  # the long-context tier's threshold, or 0 for the base prices


class GroupPrices(NamedTuple):
    """What a group of requests is priced at: the period in force on its day at its host, its long-context tier's
    threshold (None: the base prices), its mean request and how it was bought."""

    period: PricePeriod
    tier: int
    tier_above: int | None
    mix: TokenMix
    context: PricingContext


def group_prices(model: Model, day: dt.date, kind: int, part: Tokens, host: str | None = None,
                 region: str | None = None) -> GroupPrices:
    """The prices of a tally group (one place for `_group_cost` and the FOCUS rows, so their sums agree)."""
    period = offering_period(model, day, host)
    parts = kind_parts(kind)
    tier_above = period.tiers[parts.tier - 1].above_input_tokens if parts.tier else None
    context = group_context(parts.terms)._replace(host=host, region=region)
    return GroupPrices(period, parts.tier, tier_above, _mix_for(part, tier_above), context)


def _group_cost(model: Model, day: dt.date, kind: int, part: Tokens, host: str | None = None,
                region: str | None = None) -> GroupCost:
    """A group's cost at the period in force on its day at its host, as its requests were bought (service tier,
    batch, time window), and which prices it met (the period, the tier)."""
    prices = group_prices(model, day, kind, part, host, region)
    cost = period_cost(model, prices.period, prices.mix, prices.context).total
    return GroupCost(cost, (prices.period.since, prices.tier), prices.tier_above or 0)


class Resolver:
    """A log's model name as (catalog model, host, region): an id or alias of the catalog is the vendor's own API
    (host None); another host's own model id (`global.anthropic.claude-haiku-4-5-20251001-v1:0` on bedrock, as its
    logs name it) is that model at that host, and a Bedrock geographic inference profile of it
    (`us.anthropic.claude-haiku-4-5-20251001-v1:0`) that host in the profile's region (see catalog.host_ids)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def __call__(self, name: str) -> tuple[Model, str | None, str | None]:
        try:
            return self.catalog.resolve(name), None, None
        except UnknownModelError:
            found = hosted_id(self.catalog, name)
            if found is None:
                raise
            if found.in_region:
                regions = sorted({uplift.region for offering in found.model.hosts if offering.host == found.host
                                  for period in offering.periods for uplift in period.regions})
                raise UnpricedError(
                    f"{name} is an in-region {found.host} id: the name does not say the region, and {found.host} "
                    f"prices {found.model.id} by region ({', '.join(regions) or 'none recorded'}) — log the "
                    "inference profile id (global., us., eu., ...) to price it") from None
            return found.model, found.host, found.region


def _where(host: str | None, region: str | None) -> str | None:
    """Where requests were bought: None (the vendor's API), "bedrock", or "bedrock in us" (a region's profile)."""
    return f"{host} in {region}" if host is not None and region is not None else host


def _observe(observed: dict[ObservedKey, Observed], model_id: str, host: str | None, kind: int, count: int,
             part: Tokens, priced: GroupCost) -> None:
    """Count a priced group into its model's way of buying it, and there into its long-context tier."""
    terms, cost = kind_parts(kind).terms, priced.cost
    key = (model_id, terms & ~OFF_PEAK_WINDOW, part.cache_write_1h > 0, host)
    window = bool(terms & OFF_PEAK_WINDOW)
    seen = observed.get(key, Observed(0, Tokens(), ZERO))
    tiers = {above: (requests, tokens) for above, requests, tokens in seen.tiers}
    kept_count, kept_tokens = tiers.get(priced.above, (0, Tokens()))
    tiers[priced.above] = (kept_count + count, kept_tokens + part)
    observed[key] = Observed(seen.requests + count, seen.tokens + part, seen.cost + cost,
                             seen.off_peak_requests + (count if window else 0), seen.off_peak_cost + (cost if window else ZERO),
                             tuple((above, *tiers[above]) for above in sorted(tiers)))


def _add_priced(priced: dict[str, tuple[Model, int, Tokens]], model: Model, count: int, part: Tokens) -> None:
    """Count a priced group into its model's priced requests and tokens."""
    _, kept_count, kept_tokens = priced.get(model.id, (model, 0, Tokens()))
    priced[model.id] = (model, kept_count + count, kept_tokens + part)


def _add_to_tier(tiers: dict[tuple[str, int], tuple[int, Tokens]], model: Model, above: int, count: int,
                 part: Tokens) -> None:
    """Count a priced group into its model's long-context tier, keyed by the tier's threshold (0: base prices)."""
    kept_count, kept_tokens = tiers.get((model.id, above), (0, Tokens()))
    tiers[(model.id, above)] = (kept_count + count, kept_tokens + part)


def _days_covered(start: dt.date | None, end: dt.date | None) -> int:
    return (end - start).days + 1 if start is not None and end is not None and end >= start else 0


def hours_text(hours: Decimal) -> str:
    """Hours as a person reads them: to two decimals, no trailing zeros (69, 69.5, 69.01)."""
    return f"{hours.quantize(Decimal('0.01')).normalize():f}"


MINIMUM_HOURS = Decimal(HOURS_PER_DAY)  # a shorter span is no daily rhythm to scale from


def observed_hours(first: dt.datetime | None, last: dt.datetime | None, since: dt.date | None,
                   until: dt.date | None) -> Decimal:
    """The hours the run rate is scaled from: from --since's midnight (else the first request's moment) to the
    midnight ending --until (else the last request's moment), to the second; a record without a time of day covers
    its whole UTC day. A span under a day counts as one day. Zero when nothing was seen."""
    start = dt.datetime(since.year, since.month, since.day) if since is not None else first
    end = (dt.datetime(until.year, until.month, until.day) + dt.timedelta(days=1)) if until is not None else last
    if start is None or end is None:
        return ZERO
    seconds = Decimal(max(0, int((end - start).total_seconds())))
    return max(seconds / 3600, MINIMUM_HOURS)


def price_tally(tally: Tally, currency: str = BASE_CURRENCY, files: int = 0,
                skipped_files: Iterable[tuple[str, str]] = ()) -> UsageReport:
    """Price every group at the period in force on its day; a group that cannot be priced is reported, never $0.
    Reasoning tokens are billed as output whatever the model: the vendor billed them."""
    tally.settle()
    catalog = priced_in(tally.catalog, currency)
    by_model: dict[str, list[Any]] = {}
    by_day: dict[dt.date, list[Any]] = {}
    by_month: dict[str, list[Any]] = {}
    by_agent: dict[str, list[Any]] = {}
    unpriced: dict[str, list[Any]] = {}
    priced: dict[str, tuple[Model, int, Tokens]] = {}
    prices_met: dict[str, set[tuple[dt.date, int]]] = {}
    observed: dict[ObservedKey, Observed] = {}
    resolve = Resolver(catalog)
    priced_tiers: dict[tuple[str, int], tuple[int, Tokens]] = {}
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

    for (ordinal, model_index, kind), (count, *parts) in sorted(tally.groups.items()):
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        requests += count
        tokens = tokens + part
        cost: Decimal | None = None
        label = name
        try:
            model, host, region = resolve(name)
            where = _where(host, region)
            label = model.id if where is None else f"{model.id} on {where}"
            group = _group_cost(model, day, kind, part, host, region)
            cost = group.cost
            _observe(observed, model.id, where, kind, count, part, group)
            prices_met.setdefault(model.id, set()).add(group.met)
            _add_priced(priced, model, count, part)
            _add_to_tier(priced_tiers, model, group.above, count, part)
        except (UnknownModelError, UnpricedError) as exc:
            entry = unpriced.setdefault(label, [0, Tokens(), exc.message])
            entry[0] += count
            entry[1] = entry[1] + part
        if cost is not None:
            total_cost += cost
        into(by_model, label, count, part, cost)
        into(by_day, day, count, part, cost)
        into(by_month, day.strftime("%Y-%m"), count, part, cost)
        into(by_agent, source_of(kind), count, part, cost)

    days = _days_covered(tally.since or first_day, tally.until or last_day)
    hours = observed_hours(*tally.span(), tally.since, tally.until) if ordinals else ZERO
    run_rate = total_cost * HOURS_PER_MONTH / hours if hours else ZERO
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
        mixed_prices=tuple(sorted(model for model, met in prices_met.items() if len({since for since, _ in met}) > 1)),
        skipped_files=tuple(skipped_files),
        observed=observed,
        priced_tiers=priced_tiers,
        by_agent=tuple(UsageRow(agent, count, part, cost) for agent, (count, part, cost)
                       in sorted(by_agent.items(), key=lambda item: (-(item[1][2] or ZERO), item[0]))),
        hours=hours,
    )
