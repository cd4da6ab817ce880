"""The public price datasets `pricing refresh` reads, each reduced to `Offer`s: one dataset's prices in force
today for one model of the six vendors the catalog covers, under the catalog's id where the catalog knows the
model. LiteLLM's price file is read through `importers.import_litellm`; pydantic's genai-prices data and
models.dev's api.json are read here. `recognise` tells which dataset a file is.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from aicost.errors import InputError, RemoteError, UnknownModelError, shown

from .importers import (
    LITELLM_PROVIDERS,
    MAX_IMPORTED_CONTEXT,
    Skipped,
    Unusable,
    import_litellm,
    iso_day,
    plain_price,
)
from .litellm_dimensions import flat_dimensions
from .model import Catalog


class Dataset(StrEnum):
    litellm = "litellm"
    genai_prices = "genai-prices"
    models_dev = "models.dev"


DEFAULT_URLS = {
    Dataset.litellm: "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",
    Dataset.genai_prices: "https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json",
    Dataset.models_dev: "https://models.dev/api.json",
}
GENAI_PRICES_PROVIDERS = {"openai": "openai", "anthropic": "anthropic", "google": "google", "deepseek": "deepseek",
                          "zai": "zhipu", "zhipuai": "zhipu"}
MODELS_DEV_PROVIDERS = {"openai": "openai", "anthropic": "anthropic", "google": "google", "deepseek": "deepseek",
                        "alibaba": "alibaba", "zai": "zhipu", "zhipuai": "zhipu"}
FIELDS = ("input", "output", "cache_read", "cache_write", "cache_write_1h", "batch_input", "batch_output")
_ID = re.compile(r"[a-z0-9][a-z0-9._/-]*")
_NOT_TEXT = re.compile(r"(?:^|[-_.])(?:embed\w*|image|audio|realtime|tts|transcribe|moderation|live|search|computer-use|"
                       r"vision|veo|imagen|gemma)(?:$|[-_.0-9])")  # whole parts of the id: not "olive" for "live"
SNAPSHOT = re.compile(r"^(.+?)(?:-\d{8}|-\d{4}-\d{2}-\d{2}|-latest|@.*)$")


class Offer(NamedTuple):
    """One dataset's prices in force on the day for one model (USD per million tokens)."""

    dataset: Dataset
    model: str  # the catalog's id when the catalog knows the model, else the dataset's id (lower case)
    known: bool  # the catalog has the model
    vendor: str
    name: str
    context_window: int | None
    rates: dict[str, Decimal]  # FIELDS
    tiers: tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]  # (above_input_tokens, ((field, price), ...))
    deprecated: dt.date | None  # a deprecation date the dataset gives
    dimensions: tuple[tuple[str, Decimal], ...] = ()  # service tiers, fast mode, regions, web search (`flat_dimensions`)


class Fetched(NamedTuple):
    dataset: Dataset
    url: str
    fetched: dt.datetime
    offers: list[Offer]
    skipped: Counter[str]


# ---------------------------------------------------------------------------------------------- mapping ids


def _catalog_id(catalog: Catalog, names: list[str]) -> str | None:
    """The catalog id of the first name the catalog knows (by id or alias), or None."""
    for name in names:
        try:
            return catalog.resolve(name).id
        except UnknownModelError:
            continue
    return None


def _target(catalog: Catalog, model_id: str, more: list[str] | None = None) -> tuple[str, bool] | None:
    """(catalog id, True) for a known model, (own id, False) for a new one, None for a dated snapshot or `-latest`
    name of a model the catalog has (those are the same model under another name: never proposed twice)."""
    known = _catalog_id(catalog, [model_id, *(more or [])])
    if known is not None:
        return known, True
    snapshot = SNAPSHOT.match(model_id)
    if snapshot is not None and _catalog_id(catalog, [snapshot.group(1)]) is not None:
        return None
    return model_id, False


def _context(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_IMPORTED_CONTEXT:
        return None
    return value


def _frozen(tiers: dict[int, dict[str, Decimal]]) -> tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]:
    if any("input" not in tier or "output" not in tier for tier in tiers.values()):
        raise Unusable  # a tier that cannot price a request: the model would look cheaper than it is
    return tuple((above, tuple(sorted(tier.items()))) for above, tier in sorted(tiers.items()))


# ---------------------------------------------------------------------------------------------- the datasets


def litellm_offers(data: Any, day: dt.date, catalog: Catalog) -> tuple[list[Offer], Counter[str]]:
    """LiteLLM's price file through the LiteLLM importer (its provider and id rules), plus its deprecation dates
    (which the importer drops with the models already deprecated)."""
    imported = import_litellm(data, day)
    skipped = Counter(imported.skipped)
    deprecations: dict[str, dt.date] = {}
    for key, entry in data.items():
        if isinstance(entry, dict) and LITELLM_PROVIDERS.get(str(entry.get("litellm_provider"))) is not None \
                and entry.get("mode") == "chat":
            retired = iso_day(entry.get("deprecation_date"))
            model_id = key.split("/")[-1].lower()
            if retired is not None and model_id not in deprecations:
                deprecations[model_id] = retired
    offers: list[Offer] = []
    seen: set[str] = set()
    for vendor in imported.document["vendors"]:
        for model in vendor["models"]:
            period = model["periods"][0]
            rates = {key: period[key] for key in FIELDS if key in period}
            tiers = {tier["above_input_tokens"]: {k: v for k, v in tier.items() if k in FIELDS}
                     for tier in period.get("tiers", [])}
            if _NOT_TEXT.search(model["id"]):
                skipped["not a text chat model"] += 1
                continue
            target = _target(catalog, model["id"])
            if target is None:
                skipped["a dated snapshot of a model the catalog has"] += 1
                continue
            seen.add(model["id"])
            offers.append(Offer(Dataset.litellm, target[0], target[1], vendor["vendor"], model["id"],
                                model["context_window"], rates, _frozen(tiers), deprecations.get(model["id"]),
                                flat_dimensions(period)))
    # deprecation dates no offer carries (the importer leaves out models already deprecated; a dated snapshot of a
    # known model is not offered): a retirement for the catalog's model, under its id or alias, or for an Anthropic-
    # style snapshot (`-YYYYMMDD`, the model's own API id) under the undated id
    attached = {offer.model for offer in offers if offer.deprecated is not None}
    for model_id, retired in deprecations.items():
        if model_id in seen:
            continue
        dated = re.fullmatch(r"(.+)-\d{8}", model_id)
        known = _catalog_id(catalog, [model_id]) or (_catalog_id(catalog, [dated.group(1)]) if dated else None)
        if known is not None and known not in attached:
            attached.add(known)
            offers.append(Offer(Dataset.litellm, known, True, "", model_id, None, {}, (), retired))
    return offers, skipped


_GENAI_FIELDS = {"input_mtok": "input", "output_mtok": "output", "cache_read_mtok": "cache_read",
                 "cache_write_mtok": "cache_write", "cache_write_1h_mtok": "cache_write_1h"}


def _genai_prices(prices: Any, day: dt.date) -> Any:
    """The genai-prices price set in force on `day`: a plain set, or the last conditional one whose start date has
    come.  Prices by time of day (off-peak) are not mapped: Unusable."""
    if isinstance(prices, dict):
        return prices
    if not isinstance(prices, list) or not prices:
        raise Unusable
    chosen = None
    for conditional in prices:
        if not isinstance(conditional, dict) or not isinstance(conditional.get("prices"), dict):
            raise Unusable
        constraint = conditional.get("constraint")
        if constraint is None:
            chosen = conditional["prices"]
            continue
        if not isinstance(constraint, dict) or "start_date" not in constraint:
            raise TimeOfDay
        start = iso_day(constraint["start_date"])
        if start is None:
            raise Unusable
        if start <= day:
            chosen = conditional["prices"]
    if chosen is None:
        raise Unusable
    return chosen


class TimeOfDay(Unusable):
    """Prices by time of day: the catalog's off-peak windows are reviewed by hand."""


def _collect(offers: list[Offer], skipped: Counter[str], entries: Iterable[Any], offer: Callable[[Any], Offer]) -> None:
    """Each entry through `offer`: its offer, or its reason counted."""
    for entry in entries:
        try:
            offers.append(offer(entry))
        except Skipped as skip:
            skipped[skip.reason] += 1


def _placed(dataset: Dataset, model_id: str, more: list[str] | None, vendor: str, entry: dict[str, Any],
            context: int | None, undated_deprecation: bool, rates: dict[str, Decimal],
            tiers: tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...], catalog: Catalog, seen: set[str]) -> Offer:
    """The offer of an entry with usable prices, once per model: the catalog's model it is, or a new one that has a
    context window and no undated deprecation."""
    target = _target(catalog, model_id, more)
    if target is None:
        raise Skipped("a dated snapshot of a model the catalog has")
    if target[0] in seen:
        raise Skipped("the same model under another provider")
    if undated_deprecation and not target[1]:
        raise Skipped("deprecated (no date given)")
    if context is None and not target[1]:
        raise Skipped("no context window")
    seen.add(target[0])
    name = entry.get("name") if isinstance(entry.get("name"), str) else model_id
    return Offer(dataset, target[0], target[1], vendor, shown(name, limit=100), context, rates, tiers, None)


def _genai_rates(prices: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]]]:
    """A genai-prices price set: each price a number or {base, tiers: [{start, price}]}."""
    rates: dict[str, Decimal] = {}
    tiers: dict[int, dict[str, Decimal]] = {}
    for field, key in _GENAI_FIELDS.items():
        value = prices.get(field)
        if isinstance(value, dict):
            rates[key] = plain_price(value.get("base"))
            for tier in value.get("tiers") or []:
                start = tier.get("start") if isinstance(tier, dict) else None
                if isinstance(start, bool) or not isinstance(start, int) or not 0 < start <= MAX_IMPORTED_CONTEXT:
                    raise Unusable
                tiers.setdefault(start, {})[key] = plain_price(tier.get("price"))
        elif value is not None:
            rates[key] = plain_price(value)
    return rates, tiers


def _genai_offer(vendor: str, entry: Any, day: dt.date, catalog: Catalog, seen: set[str]) -> Offer:
    raw = entry.get("id") if isinstance(entry, dict) else None
    model_id = raw.lower() if isinstance(raw, str) else ""
    if not _ID.fullmatch(model_id) or len(model_id) > 200:
        raise Skipped("an id aicost cannot use")
    if vendor == "google" and not model_id.startswith("gemini"):
        raise Skipped("another vendor's model hosted by the provider")
    if _NOT_TEXT.search(model_id):
        raise Skipped("not a text chat model")
    try:
        rates, tiers = _genai_rates(_genai_prices(entry.get("prices"), day))
        frozen = _frozen(tiers)
    except TimeOfDay:
        raise Skipped("prices by time of day (off-peak windows are reviewed by hand)") from None
    except Unusable:
        raise Skipped("a price that is not usable") from None
    if "input" not in rates or "output" not in rates:
        raise Skipped("no input and output price")
    more = [c[k].lower() for c in _clauses(entry.get("match")) for k in ("equals", "starts_with") if isinstance(c.get(k), str)]
    return _placed(Dataset.genai_prices, model_id, more, vendor, entry, _context(entry.get("context_window")),
                   entry.get("deprecated") is True, rates, frozen, catalog, seen)


def genai_prices_offers(data: Any, day: dt.date, catalog: Catalog) -> tuple[list[Offer], Counter[str]]:
    """pydantic/genai-prices' data.json: a list of providers, each with models {id, name, match, context_window,
    prices, deprecated}; prices per million tokens, a plain set or conditional sets (start date, time of day),
    each price a number or {base, tiers: [{start, price}]}."""
    if not isinstance(data, list) or not all(isinstance(p, dict) for p in data):
        raise InputError("the genai-prices data must be a JSON list of providers")
    skipped: Counter[str] = Counter()
    offers: list[Offer] = []
    seen: set[str] = set()
    for provider in data:
        models = provider.get("models") if isinstance(provider.get("models"), list) else []
        vendor = GENAI_PRICES_PROVIDERS.get(str(provider.get("id")))
        if vendor is None:
            skipped["a provider aicost does not cover"] += len(models)
            continue
        _collect(offers, skipped, models, functools.partial(_genai_offer, vendor, day=day, catalog=catalog, seen=seen))
    return offers, skipped


def _clauses(match: Any) -> list[dict[str, Any]]:
    """The simple clauses of a genai-prices match (through `or`), the names a model is asked for by."""
    if not isinstance(match, dict):
        return []
    if isinstance(match.get("or"), list):
        return [c for sub in match["or"] for c in _clauses(sub)]
    return [match]


def _models_dev_rates(cost: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]]]:
    """models.dev's cost: input, output, cache_read, cache_write and context_over_200k (the same fields above 200k)."""
    rates: dict[str, Decimal] = {k: plain_price(cost[k]) for k in ("input", "output", "cache_read", "cache_write") if k in cost}
    if rates.get("cache_write") == 0:
        del rates["cache_write"]  # 0 where the vendor publishes nothing: unknown, not free
    over = cost.get("context_over_200k")
    tiers: dict[int, dict[str, Decimal]] = {}
    if isinstance(over, dict):
        tiers[200_000] = {k: plain_price(over[k]) for k in ("input", "output", "cache_read", "cache_write")
                          if k in over and not (k == "cache_write" and over[k] == 0)}
    elif over is not None:
        raise Unusable
    return rates, tiers


def _models_dev_offer(vendor: str, item: tuple[str, Any], catalog: Catalog, seen: set[str]) -> Offer:
    key, entry = item
    model_id = key.lower()
    if not isinstance(entry, dict) or not _ID.fullmatch(model_id) or len(model_id) > 200:
        raise Skipped("an id aicost cannot use")
    modalities = entry.get("modalities")
    output = modalities.get("output") if isinstance(modalities, dict) else None
    if _NOT_TEXT.search(model_id) or (isinstance(output, list) and "text" not in output):
        raise Skipped("not a text chat model")
    cost = entry.get("cost")
    if not isinstance(cost, dict) or "input" not in cost or "output" not in cost:
        raise Skipped("no input and output price")
    try:
        rates, tiers = _models_dev_rates(cost)
        frozen = _frozen(tiers)
    except Unusable:
        raise Skipped("a price that is not usable") from None
    limit = entry.get("limit")
    context = _context(limit.get("context")) if isinstance(limit, dict) else None
    return _placed(Dataset.models_dev, model_id, None, vendor, entry, context, entry.get("status") == "deprecated", rates,
                   frozen, catalog, seen)


def models_dev_offers(data: Any, day: dt.date, catalog: Catalog) -> tuple[list[Offer], Counter[str]]:
    """models.dev's api.json: {provider id: {id, name, models: {model id: {id, name, modalities, cost: {input, output,
    cache_read, cache_write, context_over_200k}, limit: {context, output}, status}}}}; prices per million tokens."""
    if isinstance(data, dict) and isinstance(data.get("providers"), dict):
        data = data["providers"]
    if not isinstance(data, dict) or not all(isinstance(p, dict) for p in data.values()):
        raise InputError("the models.dev data must be a JSON object of providers")
    skipped: Counter[str] = Counter()
    offers: list[Offer] = []
    seen: set[str] = set()
    for provider_id, provider in data.items():
        models = provider.get("models") if isinstance(provider.get("models"), dict) else {}
        vendor = MODELS_DEV_PROVIDERS.get(provider_id)
        if vendor is None:
            skipped["a provider aicost does not cover"] += len(models)
            continue
        _collect(offers, skipped, models.items(), functools.partial(_models_dev_offer, vendor, catalog=catalog, seen=seen))
    return offers, skipped


def recognise(data: Any) -> Dataset | None:
    """Which dataset a file is, by its shape: a list of providers with model lists (genai-prices), an object of model
    entries with `litellm_provider` (LiteLLM), an object of providers with model objects (models.dev)."""
    if isinstance(data, list):
        return Dataset.genai_prices if any(isinstance(p, dict) and isinstance(p.get("models"), list) for p in data) else None
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("providers"), dict):
        return Dataset.models_dev
    values = [value for value in data.values() if isinstance(value, dict)]
    if any("litellm_provider" in value for value in values):
        return Dataset.litellm
    if any(isinstance(value.get("models"), dict) for value in values):
        return Dataset.models_dev
    return None


READERS = {Dataset.litellm: litellm_offers, Dataset.genai_prices: genai_prices_offers,
           Dataset.models_dev: models_dev_offers}


def read_dataset(dataset: Dataset, data: Any, day: dt.date, catalog: Catalog) -> tuple[list[Offer], Counter[str]]:
    """A dataset's offers; a RemoteError (exit 3) when its shape is not the dataset's, or nothing in it maps."""
    try:
        offers, skipped = READERS[dataset](data, day, catalog)
    except InputError as exc:
        raise RemoteError(f"{dataset.value}: {exc.message}") from None
    except (AttributeError, TypeError, KeyError):
        raise RemoteError(f"{dataset.value}: not the shape of its data file") from None
    if not offers:
        reasons = ", ".join(f"{count:,} {reason}" for reason, count in skipped.most_common(3))
        raise RemoteError(f"{dataset.value}: no model of the six vendors could be read ({reasons or 'it lists none'}) "
                          "— is it the dataset's file?")
    return offers, skipped
