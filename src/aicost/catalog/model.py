"""The price catalog: load, validate and query model prices with their history, tiers and sources.

The bundled catalog is the `pricing/` directory (a header `catalog.toml` plus one TOML file per vendor); an
exported catalog is the same content as one document (`vendors` holding the vendor tables).  Both load
through `load_catalog`, and both are validated the same way: unknown keys rejected, prices >= 0, periods
in date order, ids and aliases unique, tiers ascending, every period sourced and dated.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import stat
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from aicost.documents import parse_document, read_document, read_text
from aicost.errors import FamilyNameError, InputError, ParameterError, UnknownModelError, did_you_mean, printable, shown
from aicost.fields import Fields

from .prices import (
    CURRENCIES,
    MAX_CONTEXT_WINDOW,
    HostOffering,
    PricePeriod,
    parse_hosts,
    parse_periods,
)


class SizeClass(StrEnum):
    """How a model is positioned by its vendor: compare like with like (`compare --class frontier`)."""

    frontier = "frontier"
    standard = "standard"
    small = "small"


SIZE_CLASSES = tuple(size_class.value for size_class in SizeClass)


class DocumentFormat(StrEnum):
    """The forms of an exported catalog document (`catalog_document`)."""

    toml = "toml"
    json = "json"
BASE_CURRENCY = "USD"  # every exchange rate is quoted against it: 1 USD = per_usd units of the other currency
MAX_RATE_PER_USD = Decimal(1_000_000)
HEADER_FILE = "catalog.toml"
_ID_PATTERN = r"[a-z0-9][a-z0-9._/-]*"
_FAMILY_PATTERN = r"[a-z0-9][a-z0-9.-]*"
_VENDOR_PATTERN = r"[a-z0-9][a-z0-9_-]*"  # also a file name beside catalog.toml: no '/' or '..'
# YYYY.M.PATCH, no leading zeros; a local build adds a suffix (`pricing refresh --apply`: 2026.12.0+refresh.20261207)
VERSION_PATTERN = r"[0-9]{4}\.(?:1[0-2]|[1-9])\.(?:0|[1-9][0-9]{0,8})(?:\+refresh\.[0-9]{8}(?:\.[1-9][0-9]{0,3})?)?"


class ExchangeRate(NamedTuple):
    """1 USD = `per_usd` units of `currency`, as published by `source` for `date` (a reference rate, not a quote)."""

    currency: str
    per_usd: Decimal
    date: dt.date
    source: str
    note: str | None = None


class Model(NamedTuple):
    id: str
    vendor: str
    name: str
    size_class: str
    context_window: int
    periods: tuple[PricePeriod, ...]
    aliases: tuple[str, ...] = ()
    note: str | None = None
    retired: dt.date | None = None  # from this day the vendor no longer serves it
    successor: str | None = None  # the model id the vendor moved its users to
    cache_writes_as_input: bool = False  # the vendor bills cache writes as input where no cache_write price is given
    batch_cache_discounted: bool = False  # inside a batch its cache reads and writes take the batch discount too
    reasoning: bool = False  # it can think before answering, and bills those hidden tokens as output
    released: dt.date | None = None  # the day the vendor made it generally available through its API
    family: str | None = None  # the line it belongs to ("claude-sonnet"): its newest sold model is the current one
    hosts: tuple[HostOffering, ...] = ()  # other hosts selling it; the vendor's own API is `periods`
    # the successor's own successors, in order, each with its retirement date (set by Catalog; see successor_on)
    successor_chain: tuple[tuple[str, dt.date | None], ...] = ()

    def offering(self, host: str) -> HostOffering | None:
        return next((h for h in self.hosts if h.host == host), None)

    def retired_on(self, day: dt.date) -> bool:
        return self.retired is not None and day >= self.retired

    def successor_on(self, day: dt.date) -> str | None:
        """The model its users should move to on `day`: its successor, or, when that one is retired too, the first of
        the successor's own successors still on sale (None when every one is retired)."""
        if self.successor is None:
            return None
        chain = self.successor_chain or ((self.successor, None),)
        return next((model for model, retired in chain if retired is None or day < retired), None)

    def period_on(self, day: dt.date) -> PricePeriod | None:
        """The price period in force on `day`, or None before the first one (retirement is `retired_on`'s)."""
        current = None
        for period in self.periods:
            if period.since <= day:
                current = period
        return current


class CacheWrites(NamedTuple):
    """A vendor's billing rule, with where it says so: how it bills prompt-cache writes when its periods give no
    `cache_write` price (`[cache_writes]`), or cache reads and writes inside a batch (`[batch_cache]`)."""

    billed_as: str  # cache_writes: "input"; batch_cache: "batch" (the batch discount applies) or "standard"
    source: str
    checked: dt.date


BATCH_CACHE_RULES = ("batch", "standard")


class Vendor(NamedTuple):
    id: str
    name: str
    pricing_page: str | None = None
    cache_writes: CacheWrites | None = None
    batch_cache: CacheWrites | None = None  # None: cache reads and writes keep their standard prices in a batch


STALE_AFTER_DAYS = 60  # a catalog older than this on the pricing date gets a hint to update it
_RELEASED: dict[str, dt.date] = {}  # version -> release date of every catalog loaded (a version names one set of prices)


def catalog_released(version: str) -> dt.date | None:
    """The release date of a catalog version loaded in this process, if any."""
    return _RELEASED.get(version)


def catalog_age(version: str, day: dt.date) -> int | None:
    """How many days old the catalog is on `day` (its release date to the pricing date); None when the version is
    unknown or released after `day` (a past date priced with a later catalog: its age does not apply)."""
    released = _RELEASED.get(version)
    if released is None or released > day:
        return None
    return (day - released).days


def catalog_stamp(version: str, day: dt.date) -> str:
    """How a report names its catalog: `catalog 2026.12.0 (3 days old)` on the pricing date, or with its release
    date when that comes after the pricing date."""
    age = catalog_age(version, day)
    if age is not None:
        return f"catalog {version} ({age} day{'' if age == 1 else 's'} old)"
    released = _RELEASED.get(version)
    return f"catalog {version}" + (f" (released {released})" if released is not None else "")


def stale_catalog_hint(version: str, day: dt.date, today: dt.date | None = None) -> str | None:
    """One line for stderr when a report about today's prices (or later ones) uses a catalog more than
    STALE_AFTER_DAYS old on the pricing date, else None. A past pricing date gets no hint: the catalog recorded
    that day's prices, and the report says how old it was then."""
    if day < (today or dt.date.today()):
        return None
    age = catalog_age(version, day)
    if age is None or age <= STALE_AFTER_DAYS:
        return None
    return f"catalog {version} is {age} days old on {day} (released {_RELEASED[version]}): prices may have changed since"


def _with_successor_chains(models: tuple[Model, ...]) -> tuple[Model, ...]:
    """The models, each retired one with the chain of successors its users move along (a successor that is retired in
    turn names the next); a loop ends the chain."""
    by_id = {model.id: model for model in models}
    result = []
    for model in models:
        chain: list[tuple[str, dt.date | None]] = []
        seen = {model.id}
        following = by_id.get(model.successor) if model.successor is not None else None
        while following is not None and following.id not in seen:
            chain.append((following.id, following.retired))
            seen.add(following.id)
            following = by_id.get(following.successor) if following.successor is not None else None
        result.append(model._replace(successor_chain=tuple(chain)) if chain else model)
    return tuple(result)


class Catalog:
    """A catalog version: its vendors and models, with an index of every id and alias."""

    __slots__ = ("_index", "_priced", "converted", "currency", "exchange_rates", "models", "origin", "released",
                 "vendors", "version")

    def __init__(self, version: str, released: dt.date, vendors: tuple[Vendor, ...], models: tuple[Model, ...],
                 origin: str = "bundled", exchange_rates: tuple[ExchangeRate, ...] = (),
                 currency: str | None = None, converted: dict[str, str] | None = None) -> None:
        self.version = version
        self.released = released
        _RELEASED[version] = released
        self.vendors = vendors
        self.models = models = _with_successor_chains(models)
        self.origin = origin
        self.exchange_rates = exchange_rates
        self.currency = currency  # None: each period in the currency its vendor publishes; else all converted to it
        self.converted = converted or {}  # model id -> the currency its prices were converted from
        self._priced: dict[str, Catalog] = {}  # this catalog priced in a currency, made once (currency.priced_in)
        self._index: dict[str, Model] = {}
        for model in models:
            self._index[model.id] = model
            for alias in model.aliases:
                self._index[alias] = model
                self._index.setdefault(alias.lower(), model)  # case-insensitive; _check_unique keeps it unambiguous

    def __repr__(self) -> str:
        return f"Catalog({self.version!r}, {len(self.models)} models, origin={self.origin!r})"

    def models_by_id(self) -> dict[str, Model]:
        return {model.id: model for model in self.models}

    def resolve(self, name: str, day: dt.date | None = None) -> Model:
        """A model by id or alias (case-insensitive), or an error with a suggestion: for a family's name, its newest
        model on sale on `day` (today when not given)."""
        model = self._index.get(name) or self._index.get(name.lower())
        if model is None:
            members = [m for m in self.models if m.family is not None and m.family.lower() == name.lower()]
            if members:
                on = day or dt.date.today()
                from .families import newest_in_families

                newest = tuple(m.id for m in members if m.id in newest_in_families(members, on))
                raise FamilyNameError(name, members[0].family or name, newest, on)
            raise UnknownModelError(name, did_you_mean(name.lower(), self._index))
        return model

    def vendor_name(self, vendor_id: str) -> str:
        for vendor in self.vendors:
            if vendor.id == vendor_id:
                return vendor.name
        return vendor_id


# ---------------------------------------------------------------------------------------------- loading


def _model(fields: Fields, vendor_id: str) -> Model:
    model_id = fields.req_string("id")
    if not re.fullmatch(_ID_PATTERN, model_id):
        raise fields.error(f"'{shown(model_id)}' must be lowercase letters, digits and . _ / -", "id")
    size_class = fields.req_string("class")
    if size_class not in SIZE_CLASSES:
        raise fields.error(
            f"'{shown(size_class)}' is not a size class{did_you_mean(size_class, SIZE_CLASSES)} — use one of "
            + ", ".join(SIZE_CLASSES),
            "class",
        )
    context_window = fields.integer("context_window", required=True, minimum=1, maximum=MAX_CONTEXT_WINDOW)
    periods = parse_periods(fields)
    retired = fields.date("retired")
    if retired is not None and retired <= periods[0].since:
        raise fields.error(f"{retired} is not after the first price period ({periods[0].since})", "retired")
    released = fields.date("released")
    if released is not None and retired is not None and retired <= released:
        raise fields.error(f"{retired} is not after the release date ({released})", "retired")
    family = fields.string("family")
    if family is not None and not re.fullmatch(_FAMILY_PATTERN, family):
        raise fields.error(f"'{shown(family)}' must be lowercase letters, digits, . and - (e.g. claude-sonnet)", "family")
    successor = fields.string("successor")
    if successor == model_id:
        raise fields.error("a model cannot succeed itself — name the model its users moved to", "successor")
    if successor is not None and retired is None:
        raise fields.error("a successor needs a retirement date — add retired = YYYY-MM-DD", "successor")
    model = Model(
        id=model_id,
        vendor=vendor_id,
        name=fields.string("name") or model_id,
        size_class=size_class,
        context_window=context_window,  # type: ignore[arg-type]
        periods=tuple(periods),
        aliases=tuple(fields.string_list("aliases")),
        note=fields.string("note"),
        retired=retired,
        successor=successor,
        reasoning=fields.boolean("reasoning") or False,
        released=released,
        family=family,
        hosts=parse_hosts(fields),
    )
    fields.done()
    return model


def _vendor_id(fields: Fields, key: str, value: str) -> str:
    if not re.fullmatch(_VENDOR_PATTERN, value):
        raise fields.error(f"'{shown(value)}' must be lowercase letters, digits, _ and - (it names a file)", key)
    return value


def _cache_writes(fields: Fields | None, rules: tuple[str, ...] = ("input",)) -> CacheWrites | None:
    if fields is None:
        return None
    billed_as = fields.req_string("billed_as")
    if billed_as not in rules:
        known = " or ".join(f'"{rule}"' for rule in rules)
        raise fields.error(f"'{shown(billed_as)}' is not known — the billing rule is {known}", "billed_as")
    source = fields.req_string("source")
    checked = fields.date("checked", required=True)
    assert checked is not None
    fields.done()
    return CacheWrites(billed_as, source, checked)


def _vendor(fields: Fields) -> tuple[Vendor, list[Model]]:
    vendor_id = _vendor_id(fields, "vendor", fields.req_string("vendor"))
    cache_writes = _cache_writes(fields.sub("cache_writes"))
    batch_cache = _cache_writes(fields.sub("batch_cache"), BATCH_CACHE_RULES)
    vendor = Vendor(vendor_id, fields.string("name") or vendor_id, fields.string("pricing_page"), cache_writes, batch_cache)
    discounted = batch_cache is not None and batch_cache.billed_as == "batch"
    models = [_model(m, vendor_id)._replace(cache_writes_as_input=cache_writes is not None, batch_cache_discounted=discounted)
              for m in fields.tables("models", required=True)]
    fields.done()
    return vendor, models


def _header(fields: Fields) -> tuple[str, dt.date, tuple[ExchangeRate, ...]]:
    version = fields.req_string("catalog_version")
    if not re.fullmatch(VERSION_PATTERN, version):
        raise fields.error(f"'{shown(version)}' is not a CalVer version — use YYYY.MM.PATCH, e.g. 2026.11.0", "catalog_version")
    released = fields.date("released", required=True)
    assert released is not None
    rates: list[ExchangeRate] = []
    for rate_fields in fields.tables("exchange_rates"):
        currency = rate_fields.req_string("currency")
        if currency not in CURRENCIES or currency == BASE_CURRENCY:
            others = ", ".join(c for c in CURRENCIES if c != BASE_CURRENCY)
            raise rate_fields.error(f"'{shown(currency)}' is not a currency to convert to — use one of {others}", "currency")
        if any(rate.currency == currency for rate in rates):
            raise rate_fields.error(f"a second rate for {currency} — keep one (the catalog holds one rate per currency)",
                                    "currency")
        per_usd = rate_fields.decimal("per_usd", required=True, maximum=MAX_RATE_PER_USD)
        if per_usd is None or per_usd == 0:
            raise rate_fields.error("must be more than 0 — units of the currency one US dollar buys", "per_usd")
        date = rate_fields.date("date", required=True)
        assert date is not None
        rates.append(ExchangeRate(currency, per_usd, date, rate_fields.req_string("source"), rate_fields.string("note")))
        rate_fields.done()
    return version, released, tuple(rates)


def _check_currencies(models: list[Model], rates: tuple[ExchangeRate, ...], label: str) -> None:
    """A price held in another currency than USD needs the catalog's rate for it (to be converted for reports)."""
    known = {BASE_CURRENCY, *(rate.currency for rate in rates)}
    for model in models:
        currencies = {period.currency for period in model.periods}
        missing = {p.currency for offering in model.hosts for p in offering.periods} - known
        if missing:
            raise InputError(f"{label}: {model.id}: a host's price in {missing.pop()} but the catalog has no exchange "
                             "rate for it — add an [[exchange_rates]] entry to the catalog header")
        if len(currencies) > 1:
            raise InputError(f"{label}: {model.id}: periods in {' and '.join(sorted(currencies))} — a model is priced in "
                             "one currency; make the other offering its own model")
        missing = currencies - known
        if missing:
            raise InputError(f"{label}: {model.id}: priced in {missing.pop()} but the catalog has no exchange rate for it "
                             "— add an [[exchange_rates]] entry to the catalog header")


def _check_unique(models: list[Model], label: str) -> None:
    """Ids and aliases name one model each; a successor names a model of the catalog."""
    ids = {model.id for model in models}
    for model in models:
        if model.successor is not None and model.successor not in ids:
            raise InputError(f"{label}: {model.id}: successor '{shown(model.successor)}' is not a model id of the catalog "
                             "— name one, or remove successor")
    owner: dict[str, tuple[str, str]] = {}  # lowercased name -> (model id, the name as written)
    for model in models:
        for name in (model.id, *model.aliases):
            first = owner.get(name.lower())
            if first is not None and first[0] != model.id:
                shown_first = "" if first[1] == name else f" (as '{shown(first[1])}')"
                raise InputError(f"{label}: '{shown(name)}'{shown_first} names both {first[0]} and {model.id} — ids and "
                                 "aliases must be unique, whatever their case")
            owner.setdefault(name.lower(), (model.id, name))


def catalog_from_document(document: dict[str, Any], label: str) -> Catalog:
    """A catalog from one exported document (header keys plus `vendors` as a list of vendor tables)."""
    fields = Fields(document, label, "", printable_text=True)
    version, released, rates = _header(fields)
    vendors: list[Vendor] = []
    models: list[Model] = []
    for vendor_fields in fields.tables("vendors", required=True):
        vendor, vendor_models = _vendor(vendor_fields)
        vendors.append(vendor)
        models.extend(vendor_models)
    fields.done()
    if not models:
        raise fields.error("the catalog has no models — add [[vendors]] tables with [[vendors.models]]", "vendors")
    _check_unique(models, label)
    _check_currencies(models, rates, label)
    return Catalog(version, released, tuple(vendors), tuple(models), origin=label, exchange_rates=rates)


def catalog_from_directory(directory: str | os.PathLike[str], label: str | None = None) -> Catalog:
    """A catalog from a `pricing/`-style directory: catalog.toml plus one file per vendor."""
    directory = os.fspath(directory)
    origin = label or printable(directory)
    header_label, header_text = read_text(os.path.join(directory, HEADER_FILE), "catalog")
    header = Fields(parse_document(header_label, header_text, "catalog"), header_label, "", printable_text=True)
    version, released, rates = _header(header)
    vendor_ids = [_vendor_id(header, "vendors", vendor_id) for vendor_id in header.string_list("vendors")]
    if not vendor_ids:
        raise header.error("must list the vendor files — add vendors = [\"openai\", ...]", "vendors")
    header.done()
    vendors: list[Vendor] = []
    models: list[Model] = []
    for vendor_id in vendor_ids:
        vendor_label, document = read_document(os.path.join(directory, f"{vendor_id}.toml"), "catalog")
        vendor, vendor_models = _vendor(Fields(document, vendor_label, "", printable_text=True))
        if vendor.id != vendor_id:
            raise InputError(f"{vendor_label}: vendor: '{vendor.id}' must equal the file name '{vendor_id}'")
        vendors.append(vendor)
        models.extend(vendor_models)
    if not models:
        raise InputError(f"{origin}: the catalog has no models — add [[models]] tables to its vendor files")
    _check_unique(models, origin)
    _check_currencies(models, rates, origin)
    return Catalog(version, released, tuple(vendors), tuple(models), origin=origin, exchange_rates=rates)


def bundled_catalog_dir() -> str:
    """The `pricing/` directory: inside the installed package, or at the top of a source checkout."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # aicost/catalog/model.py -> aicost
    packaged = os.path.join(package, "pricing")
    if os.path.isfile(os.path.join(packaged, HEADER_FILE)):
        return packaged
    return os.path.join(os.path.dirname(os.path.dirname(package)), "pricing")


def load_bundled_catalog(from_sources: bool = False) -> Catalog:
    """The catalog shipped with aicost.  It is read from `catalog/_bundled.py`, a module generated from the pricing/
    TOML files (`python tools/generate.py`) that loads in a millisecond; `from_sources` reads and validates the
    TOML files themselves (what `pricing validate` and the drift test do)."""
    if not from_sources:
        from ._bundled import CATALOG

        return CATALOG
    return catalog_from_directory(bundled_catalog_dir(), label="bundled")


def load_catalog(spec: str | None = None, stored: str | os.PathLike[str] | None = None) -> Catalog:
    """A catalog by `spec`: None or "bundled", a version string (the bundled catalog, or a file
    `stored/VERSION.toml|json` — never a file of that name in the current directory: write ./NAME for one), a
    `pricing/`-style directory, an exported file, or "-" (stdin)."""
    if spec is None or spec == "bundled":
        return load_bundled_catalog()
    if re.fullmatch(VERSION_PATTERN, spec, flags=re.ASCII):
        return load_version(spec, stored)
    if spec == "-":
        label, document = read_document(spec, "catalog")
        return catalog_from_document(document, label)
    try:
        is_directory = stat.S_ISDIR(os.stat(spec).st_mode)
        exists = True
        has_header = False
        if is_directory:
            with contextlib.suppress(FileNotFoundError, NotADirectoryError):
                has_header = stat.S_ISREG(os.stat(os.path.join(spec, HEADER_FILE)).st_mode)
    except (FileNotFoundError, NotADirectoryError):
        is_directory = exists = has_header = False
    except (OSError, ValueError) as exc:  # a directory on the way that cannot be searched is not "no such file"
        raise ParameterError("catalog", spec, f"cannot look at it ({getattr(exc, 'strerror', None) or exc}) — check the "
                             "path and its permissions") from None
    if is_directory:
        if not has_header:
            raise ParameterError("catalog", spec, f"the directory has no {HEADER_FILE} — give a pricing directory or an "
                                 "exported catalog file")
        return catalog_from_directory(spec)
    if exists:
        label, document = read_document(spec, "catalog")
        return catalog_from_document(document, label)
    raise ParameterError("catalog", spec, "no such file or directory — give a catalog path or a version")


def load_version(version: str, stored: str | os.PathLike[str] | None = None) -> Catalog:
    """The catalog of `version` (YYYY.M.PATCH): the bundled one, or the file `stored/VERSION.toml|json` — looked up
    only there, never relative to the current directory."""
    if not re.fullmatch(VERSION_PATTERN, version, flags=re.ASCII):
        raise ParameterError("catalog", version, "is not a catalog version (YYYY.M.PATCH, e.g. 2026.12.0)")
    bundled = load_bundled_catalog()
    if bundled.version == version:
        return bundled
    for suffix in (".toml", ".json"):
        if stored is None:
            break
        candidate = os.path.join(os.path.abspath(stored), f"{version}{suffix}")
        try:
            found = stat.S_ISREG(os.stat(candidate).st_mode)
        except (FileNotFoundError, NotADirectoryError):
            found = False
        except OSError as exc:
            raise InputError(f"{printable(candidate)}: cannot look for catalog {version} ({exc.strerror}) — check the "
                             "directory of stored catalogs") from None
        if found:
            label, document = read_document(candidate, "catalog")
            catalog = catalog_from_document(document, label)
            if catalog.version != version:
                raise InputError(f"{label}: holds catalog {catalog.version}, not {version} as its name says — rename "
                                 f"it to {catalog.version}{suffix}")
            return catalog
    raise ParameterError("catalog", version, f"no catalog of that version (bundled is {bundled.version}) — give a "
                         "catalog directory or an exported catalog file (./NAME for a file named like a version)")

