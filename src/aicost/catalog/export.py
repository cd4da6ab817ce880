"""A catalog as one plain document: the form `pricing export` writes and `--catalog PATH` and `pricing update`
accept (the inverse of `catalog_from_document`)."""

from __future__ import annotations

from typing import Any

from .model import RATE_KEYS, Catalog, ExchangeRate, Model, PricePeriod, Rates


def _rates_document(rates: Rates, keys: tuple[str, ...] = RATE_KEYS) -> dict[str, Any]:
    return {key: rates.get(key) for key in keys if rates.get(key) is not None}


def period_document(period: PricePeriod) -> dict[str, Any]:
    doc: dict[str, Any] = {"since": period.since, **_rates_document(period.rates)}
    if period.cache_write_1h is not None:
        doc["cache_write_1h"] = period.cache_write_1h
    doc["currency"] = period.currency
    if period.tiers:
        doc["tiers"] = [{"above_input_tokens": t.above_input_tokens, **_rates_document(t.rates)} for t in period.tiers]
    if period.off_peak:
        doc["off_peak"] = [
            {"start_utc": w.start_utc, "end_utc": w.end_utc, **_rates_document(w.rates, ("input", "output", "cache_read"))}
            for w in period.off_peak
        ]
    doc["source"] = period.source
    if period.also_sources:
        doc["also_sources"] = list(period.also_sources)
    doc["checked"] = period.checked
    if period.note:
        doc["note"] = period.note
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
