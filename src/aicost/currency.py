"""Currencies: a catalog's prices converted to the currency a report is in, at the catalog's dated rates.

Prices stay in the currency their vendor publishes (USD, or CNY for mainland offerings).  A report in another
currency prices everything on a converted copy of the catalog (`priced_in`), so the arithmetic elsewhere never
mixes currencies; `rates_used` names the rates a report's figures went through.  Every rate is quoted against
the US dollar, so a conversion between two other currencies is a cross rate through it.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from .catalog import BASE_CURRENCY, Catalog, ExchangeRate, Model, PricePeriod, Rates, Tier
from .errors import ParameterError

if TYPE_CHECKING:
    from .workload import Workload


def exchange_rate(catalog: Catalog, currency: str) -> ExchangeRate | None:
    """The catalog's rate for `currency` (None for USD, which every rate is quoted against)."""
    if currency == BASE_CURRENCY:
        return None
    for rate in catalog.exchange_rates:
        if rate.currency == currency:
            return rate
    raise ParameterError("currency", currency, f"catalog {catalog.version} has no exchange rate for {currency} — use "
                         "one of " + ", ".join([BASE_CURRENCY, *(r.currency for r in catalog.exchange_rates)]))


def conversion_factor(catalog: Catalog, source: str, target: str) -> Decimal:
    """What one unit of `source` is worth in `target`: per_usd(target) / per_usd(source), exactly 1 for the same."""
    if source == target:
        return Decimal(1)
    source_rate, target_rate = exchange_rate(catalog, source), exchange_rate(catalog, target)
    factor = target_rate.per_usd if target_rate else Decimal(1)
    return factor / source_rate.per_usd if source_rate else factor


def workload_in_currency(workload: Workload, catalog: Catalog, currency: str | None) -> Workload:
    """The workload reported in `currency`: its budget converted at the catalog's dated rate, so a budget check
    compares amounts of one currency; `calc` and every report then price it in `currency` too (they convert the
    catalog's prices themselves with `priced_in`).  The workload as it
    is when `currency` is None or already the workload's; an unknown currency raises ParameterError("currency")."""
    if currency is None or currency == workload.currency:
        return workload
    return workload.in_currency(currency, conversion_factor(catalog, workload.currency, currency))


def _rates(rates: Rates, factor: Decimal) -> Rates:
    return Rates(*(None if value is None else value * factor for value in rates))


def _period(period: PricePeriod, factor: Decimal, currency: str) -> PricePeriod:
    return period._replace(
        rates=_rates(period.rates, factor),
        currency=currency,
        cache_write_1h=None if period.cache_write_1h is None else period.cache_write_1h * factor,
        tiers=tuple(Tier(tier.above_input_tokens, _rates(tier.rates, factor)) for tier in period.tiers),
        windows=tuple(w._replace(rates=_rates(w.rates, factor)) for w in period.windows),
        service_tiers=tuple(t._replace(rates=_rates(t.rates, factor)) for t in period.service_tiers),
        speeds=tuple(m._replace(rates=None if m.rates is None else _rates(m.rates, factor)) for m in period.speeds),
        fees=tuple(f._replace(per_thousand=f.per_thousand * factor) for f in period.fees),
    )


def _model_currency(model: Model) -> str:
    return model.periods[0].currency  # one currency per model (checked when the catalog loads)


def priced_in(catalog: Catalog, currency: str) -> Catalog:
    """The catalog with every price in `currency`; the same catalog when nothing needs converting."""
    if catalog.currency == currency:
        return catalog
    made = catalog._priced.get(currency)
    if made is not None:
        return made
    exchange_rate(catalog, currency)  # an unknown currency fails here, before any model
    models = []
    converted: dict[str, str] = {}
    for model in catalog.models:
        native = _model_currency(model)
        if model.hosts:
            model = model._replace(hosts=tuple(h._replace(periods=tuple(
                p if p.currency == currency else _period(p, conversion_factor(catalog, p.currency, currency), currency)
                for p in h.periods)) for h in model.hosts))
        if native == currency:
            models.append(model)
            continue
        factor = conversion_factor(catalog, native, currency)
        models.append(model._replace(periods=tuple(_period(p, factor, currency) for p in model.periods)))
        converted[model.id] = native
    priced = Catalog(catalog.version, catalog.released, catalog.vendors, tuple(models), catalog.origin,
                     catalog.exchange_rates, currency, converted)
    catalog._priced[currency] = priced
    return priced


def rates_used(catalog: Catalog, model_ids: Iterable[str]) -> tuple[ExchangeRate, ...]:
    """The rates behind a report's figures: the report currency's own rate (named even when every model happened to
    be priced natively in it) and the rate of each native currency these models were converted from."""
    involved: set[str] = {catalog.currency} if catalog.currency not in (None, BASE_CURRENCY) else set()
    for model_id in model_ids:
        native = catalog.converted.get(model_id)
        if native is not None:
            involved |= {native, catalog.currency or BASE_CURRENCY}
    return tuple(rate for rate in catalog.exchange_rates if rate.currency in involved)
