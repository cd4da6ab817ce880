"""Views of `aicost pricing list`, `show`, `history`, `versions`, `diff` and `check`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aicost.catalog import (
    BASE_CURRENCY,
    Catalog,
    Model,
    PricePeriod,
    Rates,
    family_of,
    newest_in_families,
    period_document,
)
from aicost.catalog.export import host_document
from aicost.catalog.prices import WEEKDAYS, Fee, ServiceTier, SpeedMode, Uplift, Window
from aicost.currency import rates_used
from aicost.money import quantize, round_money
from aicost.render.view import ESSENTIAL, NOTE, SECONDARY, Column, Kind, Table, View

from .common import SCHEMA_VERSION, envelope, footer

if TYPE_CHECKING:
    from aicost.catalog.reference_check import Check
    from aicost.catalog.store import Installed
    from aicost.checks import PriceChange


def _rate_cells(rates: Rates) -> tuple[Decimal | None, ...]:
    return (rates.input, rates.output, rates.cache_read, rates.cache_write, rates.batch_input, rates.batch_output)


RATE_COLUMNS = (
    Column("Input", Kind.PRICE, "input", priority=ESSENTIAL),
    Column("Output", Kind.PRICE, "output", priority=ESSENTIAL),
    Column("Cache read", Kind.PRICE, "cache_read", "Cache rd", SECONDARY, hide_unknown=True),
    Column("Cache write", Kind.PRICE, "cache_write", "Cache wr", SECONDARY, hide_unknown=True),
    Column("Batch in", Kind.PRICE, "batch_input", "Batch in", NOTE, group="batch", hide_unknown=True),
    Column("Batch out", Kind.PRICE, "batch_output", "Batch out", NOTE, group="batch", hide_unknown=True),
)


SHOWN_PLACES = Decimal("0.000001")


def _shown(period: PricePeriod) -> PricePeriod:
    """A converted period as shown: its prices to 6 decimal places (a cross rate does not terminate); the
    arithmetic keeps them whole."""
    def rates(values: Rates) -> Rates:
        return Rates(*(None if v is None else quantize(v, SHOWN_PLACES).normalize() + 0 for v in values))

    return period._replace(
        rates=rates(period.rates),
        cache_write_1h=None if period.cache_write_1h is None else quantize(period.cache_write_1h, SHOWN_PLACES),
        tiers=tuple(tier._replace(rates=rates(tier.rates)) for tier in period.tiers),
        windows=tuple(window._replace(rates=rates(window.rates)) for window in period.windows),
        service_tiers=tuple(tier._replace(rates=rates(tier.rates)) for tier in period.service_tiers),
        speeds=tuple(m._replace(rates=None if m.rates is None else rates(m.rates)) for m in period.speeds),
        fees=tuple(f._replace(per_thousand=quantize(f.per_thousand, SHOWN_PLACES)) for f in period.fees),
    )


def _list_notes(catalog: Catalog, models: list[Model]) -> list[str]:
    """The price list's notes on currencies converted and cache writes billed as input."""
    notes = []
    as_input = [v for v in catalog.vendors if v.cache_writes is not None and any(m.vendor == v.id for m in models)]
    converted = sorted({catalog.converted[m.id] for m in models if m.id in catalog.converted} - {BASE_CURRENCY})
    for native in converted:
        names = ", ".join(m.id for m in models if catalog.converted.get(m.id) == native)
        notes.append(f"priced by their vendor in {native}, converted: {names} (`aicost pricing show MODEL` shows {native})")
    if as_input:
        notes.append("cache writes without a price are billed as input by " + ", ".join(v.id for v in as_input)
                     + " (" + "; ".join(v.cache_writes.source for v in as_input if v.cache_writes) + ")")
    return notes



def pricing_list_view(catalog: Catalog, models: list[Model], as_of: dt.date, current_only: bool = False) -> View:
    """The models' prices in force on `as_of`, in the catalog's currency (USD unless converted); the newest model
    on sale in each family is marked, and `current_only` keeps only those."""
    currency = catalog.currency or BASE_CURRENCY
    newest = newest_in_families(catalog.models, as_of)
    if current_only:
        models = [model for model in models if model.id in newest]
    rates_named = rates_used(catalog, (model.id for model in models))
    entries = []
    rows = []
    retired_notes = []
    for model in models:
        retired = model.retired_on(as_of)
        period = None if retired else model.period_on(as_of)
        if period is not None and model.id in catalog.converted:
            period = _shown(period)
        rates = period.rates if period else Rates()
        if retired:
            retired_notes.append(f"{model.id} †: retired on {model.retired}"
                                 + (f", succeeded by {model.successor}" if model.successor else ""))
        entries.append(
            {
                "model": model.id,
                "name": model.name,
                "vendor": model.vendor,
                "class": model.size_class,
                "context_window": model.context_window,
                "aliases": list(model.aliases),
                "released": model.released,
                "family": family_of(model),
                "newest_in_family": model.id in newest,
                "since": period.since if period else None,
                "input": rates.input,
                "output": rates.output,
                "cache_read": rates.cache_read,
                "cache_write": rates.cache_write,
                "batch_input": rates.batch_input,
                "batch_output": rates.batch_output,
                "long_context_tiers": len(period.tiers) if period else 0,
                "reasoning": model.reasoning,
                "retired": model.retired,
                "successor": model.successor,
                "native_currency": catalog.converted.get(model.id, currency),
            }
        )
        rows.append((model.id + (" †" if retired else ""), "*" if model.id in newest else "", model.vendor, model.size_class,
                     str(model.released) if model.released else None, model.context_window, *_rate_cells(rates)))
    document = {**envelope(catalog.version, as_of, currency, rates_named), "models": entries}
    table = Table(
        title=f"{len(models)} {'current ' if current_only else ''}models, {currency} per million tokens",
        columns=(
            Column("Model", key="model", priority=ESSENTIAL),
            Column("New", key="newest_in_family"),  # which model of a family is current, and since when: before the
            Column("Vendor", key="vendor"),  # secondary prices (cache, batch) on a narrow terminal
            Column("Class", key="class"),
            Column("Released", key="released", short="Rel."),
            Column("Context", Kind.COUNT, "context_window", priority=SECONDARY),
            *RATE_COLUMNS,
        ),
        rows=tuple(rows),
    )
    notes = ["— : not in the catalog: a price unknown (not free), or a release date unknown", *retired_notes]
    if any(model.id in newest for model in models):
        notes.append(f"New * : the newest model of its family on sale on {as_of} (`aicost pricing list --current` lists "
                     "only those; `aicost pricing show MODEL` names the family)")
    notes += _list_notes(catalog, models)
    return View("pricing list", document, (table,), footer(catalog.version, as_of, *notes, currency=currency,
                                                           rates=rates_named), exact=True, currency=currency)


def _days_text(days: tuple[int, ...]) -> str:
    """Weekdays as runs: (0, 1, 2, 3, 4) -> "mon-fri", all seven -> "daily"."""
    if len(days) == len(WEEKDAYS):
        return "daily"
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(WEEKDAYS[run[0]] + (f"-{WEEKDAYS[run[-1]]}" if len(run) > 1 else "") for run in runs)


def _window_text(window: Window) -> str:
    hours = " ".join(f"{start}-{end}" for start, end in window.hours)
    holidays = f" and {len(window.holidays)} holidays" if window.holidays else ""
    zone = window.time_zone.rsplit("/", 1)[-1]  # Asia/Shanghai -> Shanghai: the JSON names the zone in full
    return f"{window.name} {_days_text(window.days)}{holidays} {hours} {zone} time"


def _period_rows(period: PricePeriod) -> list[tuple[Any, ...]]:
    """A period's rows: its standard prices, then every dimension it has (tiers, 1-hour writes, service tiers,
    speed modes, windows, regions, fees); a multiplier or a fee is worded in the 'Applies to' column."""
    empty = (None,) * 6
    rows: list[tuple[Any, ...]] = [(str(period.since), "all requests", *_rate_cells(period.rates))]
    if period.cache_write_1h is not None:
        rows.append(("", "1-hour cache writes", None, None, None, period.cache_write_1h, None, None))
    for tier in period.tiers:
        rows.append(("", f"input > {tier.above_input_tokens:,}", *_rate_cells(tier.rates)))
    for service in period.service_tiers:
        rows.append(("", f"{service.name} tier", *_rate_cells(service.rates)))
    for mode in period.speeds:
        if mode.rates is not None:
            rows.append(("", f"{mode.name} mode", *_rate_cells(mode.rates)))
        else:
            rows.append(("", f"{mode.name} mode: token prices x {mode.multiplier}", *empty))
    for window in period.windows:
        rows.append(("", _window_text(window), *_rate_cells(window.rates)))
    for uplift in period.regions:
        rows.append(("", f"region {uplift.region}: token prices x {uplift.multiplier}", *empty))
    for fee in period.fees:
        rows.append(("", f"{fee.name.replace('_', ' ')}: {fee.per_thousand} {period.currency} per 1,000 calls", *empty))
    return rows


def _dimension_sources(period: PricePeriod, prefix: str) -> list[str]:
    """A source line for each dimension of `period` read from a source of its own."""
    named: list[tuple[str, ServiceTier | SpeedMode | Window | Uplift | Fee]] = [
        (f"{t.name} tier", t) for t in period.service_tiers]
    named += [(f"{m.name} mode", m) for m in period.speeds]
    named += [(f"{w.name} window", w) for w in period.windows] + [(f"region {u.region}", u) for u in period.regions]
    named += [(f.name.replace("_", " ") + " fee", f) for f in period.fees]
    lines = dict.fromkeys(f"{prefix} {label}: {d.source} (checked {d.checked})" for label, d in named if d.source)
    return list(lines)


def _host_rows(model: Model, only_current: bool, as_of: dt.date) -> tuple[list[tuple[Any, ...]], list[str]]:
    """The rows and source lines of the model's other hosts, each period labelled with its host and model id."""
    rows: list[tuple[Any, ...]] = []
    sources = []
    for offering in model.hosts:
        current = offering.period_on(as_of)
        periods = ([current] if current else []) if only_current else list(offering.periods)
        for period in periods:
            period_rows = _period_rows(period)
            first = period_rows[0]
            rows.append((first[0], f"on {offering.host}", *first[2:]))  # its model id: in the sources
            rows.extend(period_rows[1:])
            cited = "; ".join((period.source, *period.also_sources))
            sources.append(f"{offering.host} ({offering.model_id}) since {period.since}: {cited} (checked {period.checked})"
                           + (f" — {period.note}" if period.note else ""))
            sources.extend(_dimension_sources(period, f"{offering.host} since {period.since},"))
    return rows, sources


def pricing_history_view(catalog: Catalog, model: Model, as_of: dt.date, only_current: bool = False) -> View:
    """One model's periods in the currency its vendor publishes, or in the catalog's if it was converted."""
    currency = model.periods[0].currency
    rates_named = rates_used(catalog, (model.id,))
    if model.id in catalog.converted:
        model = model._replace(periods=tuple(_shown(p) for p in model.periods),
                               hosts=tuple(h._replace(periods=tuple(_shown(p) for p in h.periods)) for h in model.hosts))
    current = None if model.retired_on(as_of) else model.period_on(as_of)
    periods = [current] if only_current and current else ([] if only_current else list(model.periods))
    rows: list[tuple[Any, ...]] = []
    for period in periods:
        rows.extend(_period_rows(period))
    sources = []
    for period in periods:
        cited = "; ".join((period.source, *period.also_sources))
        sources.append(f"since {period.since}: {cited} (checked {period.checked})" + (f" — {period.note}" if period.note else ""))
        sources.extend(_dimension_sources(period, f"since {period.since},"))
    host_rows, host_sources = _host_rows(model, only_current, as_of)
    rows.extend(host_rows)
    sources.extend(host_sources)
    document = {
        **envelope(catalog.version, as_of, currency, rates_named),
        "model": model.id,
        "name": model.name,
        "vendor": model.vendor,
        "class": model.size_class,
        "context_window": model.context_window,
        "aliases": list(model.aliases),
        "reasoning": model.reasoning,
        "released": model.released,
        "family": family_of(model),
        "newest_in_family": model.id in newest_in_families(catalog.models, as_of),
        "retired": model.retired,
        "successor": model.successor,
        "current_since": current.since if current else None,
        "periods": [period_document(p) for p in periods],
        "hosts": [host_document(h) for h in model.hosts],
    }
    reasons = ", reasoning" if model.reasoning else ""
    title = (f"{model.name} ({model.id}, {catalog.vendor_name(model.vendor)}, {model.size_class}, context "
             f"{model.context_window:,}{reasons})")
    table = Table(
        title=title + (f" — prices in force on {as_of}" if only_current else " — price history"),
        columns=(Column("Since", key="since", priority=ESSENTIAL),
                 Column("Applies to", key="applies_to", priority=ESSENTIAL, wrap=True), *RATE_COLUMNS),
        rows=tuple(rows),
        hide_empty=True,  # `pricing show` of a model with no price that day: the summary says why, in one line
    )
    on_sale = model.successor_on(as_of)
    summary = _no_price_line(model, as_of, on_sale) if only_current and not rows else ()
    extra = [*(f"source {line}" for line in sources), *_model_notes(catalog, model, as_of, on_sale)]
    if (current is None or model.retired_on(as_of)) and not summary:
        extra.append(f"no price in force on {as_of}")
    return View("pricing history", document, (table,), footer(catalog.version, as_of, *extra, currency=currency,
                                                              rates=rates_named), summary, exact=True, currency=currency)


def _model_notes(catalog: Catalog, model: Model, as_of: dt.date, on_sale: str | None) -> list[str]:
    """The footer lines of `pricing show/history` about the model: release and family, note, retirement."""
    released = f"released {model.released}" if model.released is not None else "release date unknown"
    newest = model.id in newest_in_families(catalog.models, as_of)
    notes = [f"{released}, family {family_of(model)}" + (f" (the newest on sale on {as_of})" if newest else "")]
    if model.note:
        notes.append(f"note: {model.note}")
    if model.retired is not None:
        notes.append(f"retired on {model.retired}" + (f", succeeded by {model.successor}" if model.successor else "")
                     + (f" (itself retired; on sale on {as_of}: {on_sale})" if on_sale and on_sale != model.successor else ""))
    return notes


def _no_price_line(model: Model, as_of: dt.date, on_sale: str | None) -> tuple[str, ...]:
    """The line `pricing show` prints in place of a table when `model` has no price in force on `as_of`."""
    history = f"`aicost pricing history {model.id}` shows its prices"
    if model.retired is not None and model.retired_on(as_of):
        use = f"use {on_sale}" if on_sale else "choose another model"
        return (f"{model.id} was retired on {model.retired}: no price in force on {as_of} — {use}; {history}",)
    return (f"{model.id} has no price in force on {as_of} (its first price is from {model.periods[0].since}); {history}",)


def vendor_history_view(catalog: Catalog, vendor: str, as_of: dt.date) -> View:
    """Every price period of every model of one vendor, model by model (catalog order), oldest period first; the
    period in force on `as_of` is marked. Prices are in the catalog's currency (converted ones to 6 places)."""
    currency = catalog.currency or BASE_CURRENCY
    models = [model for model in catalog.models if model.vendor == vendor]
    rates_named = rates_used(catalog, (model.id for model in models))
    entries = []
    rows: list[tuple[Any, ...]] = []
    for model in models:
        if model.id in catalog.converted:
            model = model._replace(periods=tuple(_shown(p) for p in model.periods))
        current = None if model.retired_on(as_of) else model.period_on(as_of)
        label = model.id + (" †" if model.retired_on(as_of) else "")
        for period in model.periods:
            for index, row in enumerate(_period_rows(period)):
                mark = "*" if index == 0 and current is not None and period.since == current.since else ""
                rows.append((label, mark, *row))
        rows.extend((label, "", *row) for row in _host_rows(model, False, as_of)[0])
        entries.append({
            "model": model.id,
            "name": model.name,
            "class": model.size_class,
            "context_window": model.context_window,
            "retired": model.retired,
            "successor": model.successor,
            "current_since": current.since if current else None,
            "native_currency": catalog.converted.get(model.id, currency),
            "periods": [period_document(p) for p in model.periods],
            "hosts": [host_document(h) for h in model.hosts],
        })
    document = {**envelope(catalog.version, as_of, currency, rates_named), "vendor": vendor, "models": entries}
    periods = sum(len(model.periods) for model in models)
    table = Table(
        title=f"{catalog.vendor_name(vendor)}: price history of {len(models)} models ({periods} periods), {currency} per "
        "million tokens",
        columns=(Column("Model", key="model", priority=ESSENTIAL), Column("Now", key="in_force"),
                 Column("Since", key="since", priority=ESSENTIAL),
                 # essential: without it a tier's or an off-peak window's row reads as an undated period
                 Column("Applies to", key="applies_to", priority=ESSENTIAL, wrap=True), *RATE_COLUMNS),
        rows=tuple(rows),
    )
    notes = [f"* : in force on {as_of}; † : retired; `aicost pricing history MODEL` shows each period's sources",
             "— : no price in the catalog (unknown, not free)"]
    converted = sorted({catalog.converted[m.id] for m in models if m.id in catalog.converted} - {currency})
    for native in converted:
        names = ", ".join(m.id for m in models if catalog.converted.get(m.id) == native)
        notes.append(f"priced by their vendor in {native}, converted: {names} (`--currency {native}` shows them as "
                     "published)")
    return View("pricing history", document, (table,), footer(catalog.version, as_of, *notes, currency=currency,
                                                              rates=rates_named), exact=True, currency=currency)


# ---------------------------------------------------------------------------------------------- versions and diffs


def versions_view(installed: list[Installed]) -> View:
    active = next((item for item in installed if item.active), installed[0])
    document = {
        "schema_version": SCHEMA_VERSION,
        "active": active.version,
        "versions": [{"version": i.version, "released": i.released, "origin": i.origin, "active": i.active}
                     for i in installed],
    }
    table = Table(
        title="Catalog versions, newest first",
        columns=(Column("Version", key="version", priority=ESSENTIAL), Column("Released", key="released"),
                 Column("Active", key="active"), Column("From", key="origin", priority=SECONDARY, wrap=True)),
        rows=tuple((i.version, str(i.released) if i.released else "—", "*" if i.active else "", i.origin) for i in installed),
    )
    return View("pricing versions", document, (table,),
                ("* : used when --catalog is not given; `aicost pricing use VERSION` changes it",))


def price_diff_view(changes: tuple[PriceChange, ...], old: str, new: str, as_of: dt.date) -> View:
    document = {
        "schema_version": SCHEMA_VERSION,
        "as_of": as_of,
        "old": old,
        "new": new,
        "changes": [{"model": c.model, "price": c.price, "kind": c.kind, "old": c.old, "new": c.new,
                     "change": None if c.change_share is None else round_money(c.change_share)} for c in changes],
    }
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in ("changed", "added", "removed")}
    summary = (f"{len(changes)} price(s) differ: {counts['changed']} moved, {counts['added']} added, "
               f"{counts['removed']} removed" if changes else "No price differs",)
    table = Table(
        title=f"Prices, USD per million tokens: {old} → {new}",
        columns=(Column("Model", key="model", priority=ESSENTIAL), Column("Price", key="price", priority=ESSENTIAL),
                 Column("Change", key="kind"), Column("Old", Kind.PRICE, "old", priority=ESSENTIAL),
                 Column("New", Kind.PRICE, "new", priority=ESSENTIAL), Column("Moved", Kind.PERCENT, "change")),
        rows=tuple((c.model, c.price, c.kind, c.old, c.new, c.change_share) for c in changes),
    )
    return View("pricing diff", document, (table,), (f"old: {old}", f"new: {new}"), summary, exact=True)


def check_view(found: Check, catalog_version: str, source: str, as_of: dt.date) -> View:
    reference = found.reference
    document = {
        **envelope(catalog_version, as_of),
        "reference": reference,
        "source": source,
        "compared": found.compared,
        "disagreements": [{"model": d.model, "price": d.price, "catalog": d.catalog, "reference": d.reference,
                           "explained": d.explanation} for d in found.prices],
        "tiers": [{"model": d.model, "above_input_tokens": d.above_input_tokens, "price": d.price, "catalog": d.catalog,
                   "reference": d.reference, "explained": d.explanation} for d in found.tiers],
        "retirements": [{"model": d.model, "catalog": d.catalog, "reference": d.reference, "sold": d.sold,
                         "explained": d.explanation} for d in found.retirements],
        "unexplained": found.unexplained,
    }
    summary = (f"{len(found.prices)} price(s), {len(found.tiers)} tier price(s) and {len(found.retirements)} "
               f"retirement(s) differ from {reference}: {found.unexplained} unexplained",)
    tables = [Table(
        title=f"Catalog {catalog_version} against {reference} ({source}), prices in force on {as_of}",
        columns=(Column("Model", key="model", priority=ESSENTIAL), Column("Price", key="price", priority=ESSENTIAL),
                 Column("Catalog", Kind.PRICE, "catalog", priority=ESSENTIAL),
                 Column("Reference", Kind.PRICE, "reference", "Ref.", ESSENTIAL),
                 Column("Explained", key="explained", priority=NOTE, wrap=True)),
        rows=tuple((d.model, d.price, d.catalog, d.reference, d.explanation or "NO") for d in found.prices),
    )]
    if found.tiers:
        tables.append(Table(
            title=f"Long-context tiers in force on {as_of} (— : no such tier or price on that side)",
            columns=(Column("Model", key="model", priority=ESSENTIAL),
                     Column("Above input tokens", Kind.COUNT, "above_input_tokens", "Above", ESSENTIAL),
                     Column("Price", key="price", priority=ESSENTIAL),
                     Column("Catalog", Kind.PRICE, "catalog", priority=ESSENTIAL),
                     Column("Reference", Kind.PRICE, "reference", "Ref.", ESSENTIAL),
                     Column("Explained", key="explained", priority=NOTE, wrap=True)),
            rows=tuple((d.model, d.above_input_tokens, d.price, d.catalog, d.reference, d.explanation or "NO")
                       for d in found.tiers),
        ))
    if found.retirements:
        tables.append(Table(
            title=f"Retirements (sold: the catalog still sells the model on {as_of})",
            columns=(Column("Model", key="model", priority=ESSENTIAL),
                     Column("Catalog retires", key="catalog", short="Catalog", priority=ESSENTIAL),
                     Column("Reference date", key="reference", short="Ref.", priority=ESSENTIAL),
                     Column("Sold", key="sold", priority=ESSENTIAL),
                     Column("Explained", key="explained", priority=NOTE, wrap=True)),
            rows=tuple((d.model, str(d.catalog) if d.catalog else None, str(d.reference), "yes" if d.sold else "no",
                        d.explanation or "NO") for d in found.retirements),
        ))
    return View("pricing check", document, tuple(tables), footer(catalog_version, as_of), summary, exact=True)
