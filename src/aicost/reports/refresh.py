"""The view of `aicost pricing refresh`: what the public datasets would change in the active catalog."""

from __future__ import annotations

from typing import Any

from aicost.catalog.datasets import Dataset
from aicost.catalog.refresh import Refresh
from aicost.render.view import Cell, Column, Kind, Table, View

from .common import envelope, footer


def _names(datasets: tuple[Dataset, ...]) -> str:
    return ", ".join(d.value for d in datasets)


def refresh_document(refresh: Refresh, applied: str | None) -> dict[str, Any]:
    return {
        **envelope(refresh.catalog_version, refresh.day),
        "new_models": [{"model": m.id, "vendor": m.vendor, "name": m.name, "class": m.size_class, "reviewed": False,
                        "context_window": m.context_window, "prices": dict(m.rates),
                        "tiers": [{"above_input_tokens": above, **dict(prices)} for above, prices in m.tiers],
                        "datasets": [d.value for d in m.datasets], "retired": m.retired} for m in refresh.new_models],
        "price_changes": [{"model": c.model, "price": c.price, "old": c.old, "new": c.new,
                           "datasets": [d.value for d in c.datasets]} for c in refresh.price_changes],
        "retirements": [{"model": r.model, "retired": r.retired, "dataset": r.dataset.value, "catalog": r.catalog}
                        for r in refresh.retirements],
        "disagreements": [{"model": d.model, "price": d.price, "catalog": d.catalog,
                           "values": {dataset.value: value for dataset, value in d.values}} for d in refresh.disagreements],
        "sources": [{"dataset": s.dataset.value, "url": s.url, "fetched": s.fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
                     "models": len(s.offers), "skipped": dict(s.skipped.most_common())} for s in refresh.sources],
        "applied": applied,
    }


def refresh_view(refresh: Refresh, applied: str | None) -> View:
    rows: list[tuple[Cell, ...]] = []
    for m in refresh.new_models:
        detail = (f"{m.vendor} · class {m.size_class} (unreviewed) · context {m.context_window:,} · from {_names(m.datasets)}"
                  + (f" · deprecated from {m.retired}" if m.retired else ""))
        rows.extend(("new model", m.id, field, None, value, detail) for field, value in m.rates.items())
        rows.extend(("new model", m.id, f"{field} above {above:,}", None, value, detail)
                    for above, prices in m.tiers for field, value in prices)
    rows.extend(("price", c.model, c.price, c.old, c.new, f"from {_names(c.datasets)}") for c in refresh.price_changes)
    rows.extend(("retirement", r.model, "", None, None, f"retired from {r.retired} ({r.dataset.value}'s deprecation date)"
                 + ("" if r.applies else f"; kept: the catalog's reviewed date is {r.catalog}")) for r in refresh.retirements)
    changes = Table(
        title=f"What the public datasets would change in catalog {refresh.catalog_version}, prices in force on {refresh.day}",
        columns=(Column("Change", key="change"), Column("Model", key="model"), Column("Price", key="price"),
                 Column("Old", Kind.PRICE, "old"), Column("New", Kind.PRICE, "new"), Column("Detail", key="detail")),
        rows=tuple(rows),
    )
    chosen = tuple(s.dataset for s in refresh.sources)
    disagreements = Table(
        title="Where the datasets disagree (left as they are)",
        columns=(Column("Model", key="model"), Column("Price", key="price"), Column("Catalog", Kind.PRICE, "catalog"),
                 *(Column(d.value, Kind.PRICE, d.value) for d in chosen)),
        rows=tuple((d.model, d.price, d.catalog, *(dict(d.values).get(dataset) for dataset in chosen))
                   for d in refresh.disagreements),
    )
    sources = Table(
        title="Datasets read",
        columns=(Column("Dataset", key="dataset"), Column("URL", key="url"), Column("Models", Kind.COUNT, "models"),
                 Column("Skipped", Kind.COUNT, "skipped")),
        rows=tuple((s.dataset.value, s.url, len(s.offers), sum(s.skipped.values())) for s in refresh.sources),
    )
    summary = (f"{len(refresh.new_models)} new model(s), {len(refresh.price_changes)} price change(s), "
               f"{len(refresh.retirements)} retirement(s), {len(refresh.disagreements)} disagreement(s)",)
    if applied is not None:
        note = f"installed as catalog {applied}, now active — `aicost pricing use {refresh.catalog_version}` rolls back"
    elif refresh.empty:
        note = "nothing to apply"
    else:
        note = "nothing installed — add --apply to install exactly this as a new local catalog version"
    tables = (changes, *((disagreements,) if refresh.disagreements else ()), sources)
    return View("pricing refresh", refresh_document(refresh, applied), tables,
                footer(refresh.catalog_version, refresh.day, note), summary, exact=True)
