"""A catalog as one plain document: the form `pricing export` writes and `--catalog PATH` and `pricing update`
accept (the inverse of `catalog_from_document`)."""

from __future__ import annotations

from typing import Any

from .model import Catalog, ExchangeRate, Model
from .prices import RATE_KEYS, TOKEN_RATE_KEYS, Fee, HostOffering, PricePeriod, Rates, ServiceTier, SpeedMode, Uplift, Window


def _rates_document(rates: Rates, keys: tuple[str, ...] = RATE_KEYS) -> dict[str, Any]:
    return {key: rates.get(key) for key in keys if rates.get(key) is not None}


def period_document(period: PricePeriod) -> dict[str, Any]:
    doc: dict[str, Any] = {"since": period.since, **_rates_document(period.rates)}
    if period.cache_write_1h is not None:
        doc["cache_write_1h"] = period.cache_write_1h
    doc["currency"] = period.currency
    if period.tiers:
        doc["tiers"] = [{"above_input_tokens": t.above_input_tokens, **_rates_document(t.rates)} for t in period.tiers]
    if period.service_tiers:
        doc["service_tiers"] = {t.name: _rates_document(t.rates, TOKEN_RATE_KEYS) | _cited(t) for t in period.service_tiers}
    if period.speeds:
        doc["speeds"] = {m.name: ({"multiplier": m.multiplier} if m.multiplier is not None else {})
                         | (_rates_document(m.rates, TOKEN_RATE_KEYS) if m.rates is not None else {}) | _cited(m)
                         for m in period.speeds}
    if period.windows:
        doc["windows"] = [window_document(w) for w in period.windows]
    if period.fees:
        doc["fees"] = {fee.name: {"per_1000": fee.per_thousand} | _cited(fee) for fee in period.fees}
    if period.regions:
        doc["regions"] = {uplift.region: {"multiplier": uplift.multiplier} | _cited(uplift) for uplift in period.regions}
    doc["source"] = period.source
    if period.also_sources:
        doc["also_sources"] = list(period.also_sources)
    doc["checked"] = period.checked
    if period.note:
        doc["note"] = period.note
    return doc


def _cited(dimension: ServiceTier | SpeedMode | Window | Fee | Uplift) -> dict[str, Any]:
    if dimension.source is None:
        return {}
    return {"source": dimension.source, "checked": dimension.checked}


def window_document(window: Window) -> dict[str, Any]:
    from .prices import WEEKDAYS

    doc: dict[str, Any] = {"name": window.name, "time_zone": window.time_zone,
                           "days": [WEEKDAYS[day] for day in window.days],
                           "hours": [f"{start}-{end}" for start, end in window.hours]}
    if window.holidays:
        doc["holidays"] = list(window.holidays)
    return doc | _rates_document(window.rates, TOKEN_RATE_KEYS) | _cited(window)


def host_document(offering: HostOffering) -> dict[str, Any]:
    doc: dict[str, Any] = {"host": offering.host, "model_id": offering.model_id}
    if offering.note:
        doc["note"] = offering.note
    doc["periods"] = [period_document(p) for p in offering.periods]
    return doc


def model_document(model: Model) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": model.id, "name": model.name}
    if model.aliases:
        doc["aliases"] = list(model.aliases)
    doc["class"] = model.size_class
    doc["context_window"] = model.context_window
    if model.note:
        doc["note"] = model.note
    if model.retired is not None:
        doc["retired"] = model.retired
    if model.successor is not None:
        doc["successor"] = model.successor
    if model.reasoning:
        doc["reasoning"] = True
    if model.released is not None:
        doc["released"] = model.released
    if model.family is not None:
        doc["family"] = model.family
    doc["periods"] = [period_document(p) for p in model.periods]
    if model.hosts:
        doc["hosts"] = [host_document(h) for h in model.hosts]
    return doc


def catalog_document(catalog: Catalog) -> dict[str, Any]:
    """The whole catalog as one document, the form `--catalog PATH` and `pricing update` accept."""
    vendors = []
    for vendor in catalog.vendors:
        entry: dict[str, Any] = {"vendor": vendor.id, "name": vendor.name}
        if vendor.pricing_page:
            entry["pricing_page"] = vendor.pricing_page
        if vendor.cache_writes is not None:
            entry["cache_writes"] = dict(vendor.cache_writes._asdict())
        if vendor.batch_cache is not None:
            entry["batch_cache"] = dict(vendor.batch_cache._asdict())
        entry["models"] = [model_document(m) for m in catalog.models if m.vendor == vendor.id]
        vendors.append(entry)
    document: dict[str, Any] = {"catalog_version": catalog.version, "released": catalog.released}
    if catalog.exchange_rates:
        document["exchange_rates"] = [exchange_rate_document(rate) for rate in catalog.exchange_rates]
    document["vendors"] = vendors
    return document


def exchange_rate_document(rate: ExchangeRate) -> dict[str, Any]:
    document: dict[str, Any] = {"currency": rate.currency, "per_usd": rate.per_usd, "date": rate.date,
                                "source": rate.source}
    if rate.note:
        document["note"] = rate.note
    return document
