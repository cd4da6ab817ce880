"""Pricing a tally: each (day, model, tier) group at the catalog period in force that day, in the report's
currency; unknown prices are counted, never $0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.calc import TokenMix, price_period, request_cost
from aicost.catalog import BASE_CURRENCY, ExchangeRate, Model
from aicost.currency import priced_in, rates_used
from aicost.errors import UnknownModelError, UnpricedError
from aicost.usage.records import ZERO, Tokens
from aicost.usage.tally import Tally, source_of
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
    # (model id, the long-context tier's threshold or 0 for the base prices) -> (requests, tokens) of the priced ones
    priced_tiers: dict[tuple[str, int], tuple[int, Tokens]] = {}  # noqa: RUF012 — never mutated
    by_agent: tuple[UsageRow, ...] = ()
    hours: Decimal = ZERO  # the span the run rate is scaled from (see `observed_hours`)

    def rows(self, grouping: str) -> tuple[UsageRow, ...]:
        return {"model": self.by_model, "day": self.by_day, "month": self.by_month, "agent": self.by_agent}[grouping]


def _mix_for(tokens: Tokens, tier_above: int | None) -> TokenMix:
    """The group's tokens as one request whose input selects the group's tier (its requests' own tier)."""
    selector = Decimal(tier_above + 1) if tier_above is not None else ZERO
    return TokenMix(Decimal(tokens.uncached_input), Decimal(tokens.cache_read), Decimal(tokens.cache_write),
                    Decimal(tokens.output + tokens.reasoning), selector)


def _group_cost(model: Model, day: dt.date, tier: int, part: Tokens) -> tuple[Decimal, tuple[dt.date, int]]:
    """A group's cost at the period in force on its day, and which prices it met (the period, the tier)."""
    period = price_period(model, day)
    tier = tier >> 4 & 15  # the low four bits are the shape (see `shape`), the source above bit 8
    tier_above = period.tiers[tier - 1].above_input_tokens if tier else None
    return request_cost(model, period, _mix_for(part, tier_above), batch=False).total, (period.since, tier)


def _add_to_tier(tiers: dict[tuple[str, int], tuple[int, Tokens]], model: Model, day: dt.date, tier: int, count: int,
                 part: Tokens) -> None:
    """Count a priced group into its model's long-context tier, keyed by the tier's threshold (0: base prices)."""
    index = tier >> 4 & 15  # the low four bits are the shape (see `shape`), the source above bit 8
    above = price_period(model, day).tiers[index - 1].above_input_tokens if index else 0
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

    for (ordinal, model_index, tier), (count, *parts) in sorted(tally.groups.items()):
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        requests += count
        tokens = tokens + part
        cost: Decimal | None = None
        label = name
        try:
            model = catalog.resolve(name)
            label = model.id
            cost, met = _group_cost(model, day, tier, part)
            prices_met.setdefault(model.id, set()).add(met)
            kept = priced.get(model.id)
            priced[model.id] = (model, count + (kept[1] if kept else 0), part + (kept[2] if kept else Tokens()))
            _add_to_tier(priced_tiers, model, day, tier, count, part)
        except (UnknownModelError, UnpricedError) as exc:
            entry = unpriced.setdefault(label, [0, Tokens(), exc.message])
            entry[0] += count
            entry[1] = entry[1] + part
        if cost is not None:
            total_cost += cost
        into(by_model, label, count, part, cost)
        into(by_day, day, count, part, cost)
        into(by_month, day.strftime("%Y-%m"), count, part, cost)
        into(by_agent, source_of(tier), count, part, cost)

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
        priced_tiers=priced_tiers,
        by_agent=tuple(UsageRow(agent, count, part, cost) for agent, (count, part, cost)
                       in sorted(by_agent.items(), key=lambda item: (-(item[1][2] or ZERO), item[0]))),
        hours=hours,
    )
