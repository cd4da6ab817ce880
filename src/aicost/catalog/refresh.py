"""What the public price datasets would change in the active catalog, and that change as a new local catalog
version: the offers of `datasets` are compared with the catalog (`compare`) and, on request, turned into a
catalog document (`applied_document`) that holds exactly what the comparison reported, every taken price sourced
to its dataset.

A price is proposed only where every chosen dataset that gives it gives the same number; where they differ it is
reported as a disagreement and left as it is.  Only prices in force on the day are compared (not long-context
tiers of known models, not announced future prices); a new model takes its tiers when the datasets agree on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.errors import InputError, RemoteError

from .datasets import DEFAULT_URLS, FIELDS, SNAPSHOT, Dataset, Fetched, Offer
from .export import catalog_document
from .importers import VENDOR_NAMES, size_class
from .model import Catalog, Model, catalog_from_document


class NewModel(NamedTuple):
    id: str
    vendor: str
    name: str
    size_class: str
    context_window: int
    rates: dict[str, Decimal]
    tiers: tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]
    datasets: tuple[Dataset, ...]
    retired: dt.date | None = None  # a deprecation date to come (LiteLLM)


class PriceMove(NamedTuple):
    model: str
    price: str
    old: Decimal | None  # None: the catalog has no such price yet
    new: Decimal
    datasets: tuple[Dataset, ...]


class Retirement(NamedTuple):
    model: str
    retired: dt.date
    dataset: Dataset
    catalog: dt.date | None = None  # the catalog's own (reviewed) date: kept, not replaced

    @property
    def applies(self) -> bool:
        return self.catalog is None


class SourceDisagreement(NamedTuple):
    model: str
    price: str
    catalog: Decimal | None
    values: tuple[tuple[Dataset, Decimal], ...]


class Refresh(NamedTuple):
    catalog_version: str
    day: dt.date
    sources: tuple[Fetched, ...]
    new_models: tuple[NewModel, ...]
    price_changes: tuple[PriceMove, ...]
    retirements: tuple[Retirement, ...]
    disagreements: tuple[SourceDisagreement, ...]

    @property
    def empty(self) -> bool:
        return not (self.new_models or self.price_changes or any(r.applies for r in self.retirements))


# ---------------------------------------------------------------------------------------------- comparing


def _catalog_price(model: Model, day: dt.date, field: str) -> Decimal | None:
    period = model.period_on(day)
    if period is None:
        return None
    return period.cache_write_1h if field == "cache_write_1h" else period.rates.get(field)


_Agreed = dict[str, tuple[Decimal, tuple[Dataset, ...]]]  # a price field: the value the datasets agree on, and which


def _earliest_deprecation(offers: list[Offer]) -> dt.date | None:
    return min((o.deprecated for o in offers if o.deprecated is not None), default=None)


def _known_model(catalog: Catalog, day: dt.date, offers: list[Offer], retirements: list[Retirement]) -> tuple[Model | None, bool]:
    """The catalog's model the offers are about (None: a new model), and whether to compare its prices at all: not
    when it is retired by `day` or priced in another currency. A retirement the datasets announce is noted."""
    if not offers[0].known:
        return None, True
    model = catalog.resolve(offers[0].model)
    retired = _earliest_deprecation(offers)
    if retired is not None and retired != model.retired and retired > model.periods[0].since:
        retirements.append(Retirement(model.id, retired, Dataset.litellm, model.retired))
    if model.retired_on(day) or (retired is not None and retired <= day):
        return model, False
    period = model.period_on(day)
    return model, period is not None and period.currency == "USD"


def _agreed_prices(model_id: str, model: Model | None, day: dt.date, priced: list[Offer],
                   disagreements: list[SourceDisagreement]) -> _Agreed | None:
    """The prices every dataset that gives them agrees on; None when they disagree on one (each disagreement noted):
    then none of the model's prices is taken."""
    agreed: _Agreed = {}
    disputed = False
    for field in FIELDS:
        values = tuple((o.dataset, o.rates[field]) for o in priced if field in o.rates)
        if len({value for _, value in values}) > 1:
            ours = _catalog_price(model, day, field) if model is not None else None
            disagreements.append(SourceDisagreement(model_id, field, ours, values))
            disputed = True
        elif values:
            agreed[field] = (values[0][1], tuple(d for d, _ in values))
    return None if disputed else agreed


def _proposed(model_id: str, offers: list[Offer], priced: list[Offer], agreed: _Agreed, proposed_ids: Collection[str],
              day: dt.date, disagreements: list[SourceDisagreement]) -> NewModel | None:
    """A model the catalog lacks, as the datasets describe it; None when there is nothing to propose."""
    if "input" not in agreed or "output" not in agreed or not (agreed["input"][0] or agreed["output"][0]):
        return None  # no price, or $0 for both (an experimental preview): nothing to propose
    if model_id.endswith("-latest"):
        return None  # a moving alias, not a model
    base = SNAPSHOT.match(model_id)
    if base is not None and base.group(1) in proposed_ids:
        return None  # a dated snapshot of a model proposed under its own name
    tiered = {o.tiers for o in priced if o.tiers}
    if len(tiered) > 1:
        disagreements.append(SourceDisagreement(model_id, "tiers", None, ()))
        return None
    first = priced[0]
    context = next(o.context_window for o in priced if o.context_window is not None)
    retired = _earliest_deprecation(offers)
    return NewModel(model_id, first.vendor, first.name, size_class(model_id), context,
                    {field: value for field, (value, _) in agreed.items()},
                    next(iter(tiered)) if tiered else (), tuple(o.dataset for o in priced),
                    retired if retired is not None and retired > day else None)


def compare(catalog: Catalog, day: dt.date, sources: tuple[Fetched, ...]) -> Refresh:
    """What the datasets would change: new models, moved prices, retirements, and their disagreements."""
    by_model: dict[str, list[Offer]] = {}
    for fetched in sources:
        for offer in fetched.offers:
            by_model.setdefault(offer.model, []).append(offer)
    new_models: list[NewModel] = []
    moves: list[PriceMove] = []
    retirements: list[Retirement] = []
    disagreements: list[SourceDisagreement] = []
    for model_id, offers in sorted(by_model.items()):
        model, comparable = _known_model(catalog, day, offers, retirements)
        priced = [o for o in offers if o.rates]
        if not comparable or not priced:
            continue
        agreed = _agreed_prices(model_id, model, day, priced, disagreements)
        if agreed is None:
            continue
        if model is not None:
            moves.extend(PriceMove(model.id, field, ours, value, datasets) for field, (value, datasets) in agreed.items()
                         if (ours := _catalog_price(model, day, field)) != value)
            continue
        proposed = _proposed(model_id, offers, priced, agreed, by_model, day, disagreements)
        if proposed is not None:
            new_models.append(proposed)
    return Refresh(catalog.version, day, sources, tuple(new_models), tuple(moves), tuple(retirements),
                   tuple(disagreements))


# ---------------------------------------------------------------------------------------------- applying


def local_version(base: str, day: dt.date, attempt: int = 1) -> str:
    """The version a refresh installs: the base catalog's CalVer (without a previous refresh's suffix) with a local
    suffix naming the day, and a counter from the second refresh of one day with other prices."""
    release = base.split("+", 1)[0]
    return f"{release}+refresh.{day:%Y%m%d}" + (f".{attempt}" if attempt > 1 else "")


def _provenance(datasets: tuple[Dataset, ...], urls: dict[Dataset, str], day: dt.date,
                copies: Collection[Dataset]) -> dict[str, Any]:
    """Where a taken price comes from: the dataset's URL (the public one for a dataset read from a local copy, which
    the note says), the other datasets that agree, today as the day it was checked, and that no one reviewed it."""
    def url(dataset: Dataset) -> str:
        return DEFAULT_URLS[dataset] if dataset in copies else urls[dataset]

    names = " and ".join(d.value + (" (a local copy)" if d in copies else "") for d in datasets)
    doc: dict[str, Any] = {"source": url(datasets[0])}
    if len(datasets) > 1:
        doc["also_sources"] = [url(d) for d in datasets[1:]]
    doc["checked"] = day
    doc["note"] = f"from {names}, not reviewed"
    return doc


def _tier_documents(tiers: tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]) -> list[dict[str, Any]]:
    return [{"above_input_tokens": above, **{k: v for k, v in prices if k != "cache_write_1h"}} for above, prices in tiers]


def applied_document(catalog: Catalog, refresh: Refresh, version: str, urls: dict[Dataset, str],
                     copies: Collection[Dataset] = ()) -> dict[str, Any]:
    """The catalog with exactly the report's changes: a new period from the day for each moved model (the other
    prices, tiers and off-peak windows of the period it follows kept), the retirement dates, the new models."""
    day = refresh.day
    document = catalog_document(catalog)
    document["catalog_version"] = version
    document["released"] = day
    models = {m["id"]: m for vendor in document["vendors"] for m in vendor["models"]}
    moved: dict[str, list[PriceMove]] = {}
    for move in refresh.price_changes:
        moved.setdefault(move.model, []).append(move)
    for model_id, changes in moved.items():
        model = models[model_id]
        periods = model["periods"]
        current = max((p for p in periods if p["since"] <= day), key=lambda p: p["since"])
        period = {k: v for k, v in current.items() if k not in ("source", "also_sources", "checked", "note")}
        period["since"] = day
        for change in changes:
            period[change.price] = change.new
        datasets = tuple(dict.fromkeys(d for change in changes for d in change.datasets))
        period.update(_provenance(datasets, urls, day, copies))
        period["note"] += "; prices not named by it kept from the period before"
        model["periods"] = sorted([p for p in periods if p["since"] != day] + [period], key=lambda p: p["since"])
    for retirement in refresh.retirements:
        if retirement.applies:
            models[retirement.model]["retired"] = retirement.retired
    vendors = {v["vendor"]: v for v in document["vendors"]}
    for new in refresh.new_models:
        period = {"since": day, **new.rates}
        if new.tiers:
            period["tiers"] = _tier_documents(new.tiers)
        period.update(_provenance(new.datasets, urls, day, copies))
        entry = {"id": new.id, "name": new.name, "class": new.size_class, "context_window": new.context_window,
                 "note": f"Proposed by `aicost pricing refresh` from {' and '.join(d.value for d in new.datasets)}, not "
                         "reviewed; its class is a guess from its name.",
                 "periods": [period]}
        if new.retired is not None:
            entry["retired"] = new.retired
        if new.vendor not in vendors:
            vendors[new.vendor] = {"vendor": new.vendor, "name": VENDOR_NAMES[new.vendor], "models": []}
            document["vendors"].append(vendors[new.vendor])
        vendors[new.vendor]["models"].append(entry)
    return document


def applied_catalog(catalog: Catalog, refresh: Refresh, version: str, urls: dict[Dataset, str],
                    copies: Collection[Dataset] = ()) -> Catalog:
    """The applied document, validated whole; a RemoteError when the datasets' prices cannot form a valid catalog."""
    try:
        return catalog_from_document(applied_document(catalog, refresh, version, urls, copies), f"catalog {version}")
    except InputError as exc:
        raise RemoteError(f"the datasets' prices do not form a valid catalog: {exc.message}") from None
