"""Third-party price files turned into aicost catalog documents: LiteLLM's price file and simonw's llm-prices.

`import_litellm(data, day)` and `import_llm_prices(data, day, known)` return an `Import`: the catalog document
(the form `pricing export` writes and `--catalog PATH` reads) and what was skipped, entry by entry, with the
reason.  Prices are read exactly (JSON numbers parsed as Decimal, per-token figures times 1,000,000); a cache
write of 0 is not taken as free (LiteLLM writes 0 where a vendor publishes nothing); entries of vendors aicost
does not cover, non-chat models and entries without an input and output price are skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from aicost.errors import InputError
from aicost.fields import ISO_DATE
from aicost.money import decimal_text

from .litellm_dimensions import Unusable as Unusable
from .litellm_dimensions import host_offerings, litellm_dimensions
from .model import Catalog

LITELLM_SOURCE = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
LLM_PRICES_SOURCE = "https://github.com/simonw/llm-prices"
MILLION = Decimal(1_000_000)
MAX_IMPORTED_PRICE = Decimal(100_000)  # the catalog's own limits (catalog.MAX_PRICE, MAX_CONTEXT_WINDOW)
MAX_IMPORTED_CONTEXT = 10**9
VENDOR_NAMES = {"openai": "OpenAI", "anthropic": "Anthropic", "alibaba": "Alibaba Cloud (Qwen)", "zhipu": "Zhipu AI (GLM)",
                "deepseek": "DeepSeek", "google": "Google"}
LITELLM_PROVIDERS = {"openai": "openai", "anthropic": "anthropic", "deepseek": "deepseek", "dashscope": "alibaba",
                     "zai": "zhipu", "gemini": "google", "vertex_ai-language-models": "google"}
_ID = re.compile(r"[a-z0-9][a-z0-9._/-]*")
_ABOVE = re.compile(r"^(input|output|cache_read_input|cache_creation_input)_(?:token_)?cost(?:_per_token)?_above_(\d+)k_tokens$")


class ImportKind(StrEnum):
    litellm = "litellm"
    llm_prices = "llm-prices"


class Import(NamedTuple):
    document: dict[str, Any]
    imported: int
    skipped: Counter[str]  # reason -> entries


def read_json(data: bytes, label: str) -> Any:
    """A third-party price file: JSON, numbers as Decimal, no repeated key in an object."""
    from aicost.documents import _json_object
    from aicost.fields import decimal_or_text

    try:  # a number no Decimal holds stays text: the field it is for skips it as unusable, naming the model
        return json.loads(data.decode("utf-8-sig"), parse_float=decimal_or_text, object_pairs_hook=_json_object)
    except InputError as exc:
        raise InputError(f"{label}: {exc.message}") from None
    except ValueError as exc:  # a JSON error, or an integer past Python's 4,300 digits
        what = "an integer has thousands of digits" if "digits" in str(exc) else type(exc).__name__
        raise InputError(f"{label}: not a usable JSON price file ({what}) — give LiteLLM's or llm-prices' file") from None
    except RecursionError:
        raise InputError(f"{label}: nested too deeply to be a price file") from None


def size_class(model_id: str) -> str:
    """A guess from the name, for imported models: the vendors' own words for their tiers."""
    if re.search(r"(?<!ge)mini|nano|flash|haiku|lite|turbo|small|air", model_id):  # not the "mini" of "gemini"
        return "small"
    if re.search(r"opus|pro|max|sonnet|gpt-5(\.\d+)?$|gpt-4o$|o1$|o3$", model_id):
        return "frontier"
    return "standard"


def _per_million(value: Any) -> Decimal | None:
    """A per-token price as USD per million tokens, exactly: 2.5e-06 -> 2.5, 1e-05 -> 10."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite() or value < 0:
        return None
    if Decimal(value).adjusted() > 10 or Decimal(value).adjusted() < -30:
        return None
    return Decimal(decimal_text(Decimal(value) * MILLION))


def plain_price(value: Any) -> Decimal:
    """A price already per million tokens (llm-prices)."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or not Decimal(value).is_finite():
        raise Unusable
    price = Decimal(value)
    if price < 0 or price > MAX_IMPORTED_PRICE or (price and price < Decimal("1e-6")):
        raise Unusable
    return price


def _header(day: dt.date) -> dict[str, Any]:
    return {"catalog_version": f"{day.year}.{day.month}.0", "released": day, "vendors": []}


def _period(day: dt.date, source: str, note: str, rates: dict[str, Decimal]) -> dict[str, Any]:
    return {"since": day, **rates, "source": source, "checked": day, "note": note}


class Skipped(Exception):
    """An entry of a price file that is not imported, and why (the reasons are counted)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _litellm_context(entry: dict[str, Any]) -> int:
    context = entry.get("max_input_tokens") or entry.get("max_tokens")
    if isinstance(context, bool) or not isinstance(context, int) or not 1 <= context <= MAX_IMPORTED_CONTEXT:
        raise Skipped("no usable context window")
    return context


def _litellm_retirement(entry: dict[str, Any], day: dt.date) -> dt.date | None:
    retired = entry.get("deprecation_date")
    retired_on = iso_day(retired)
    if retired is not None and retired_on is None:  # as with an unreadable price: the model is not imported
        raise Skipped("a deprecation date that is not a date (YYYY-MM-DD, a day that exists)")
    if retired_on is not None and retired_on <= day:
        raise Skipped("deprecated before the import date")
    return retired_on


def _litellm_model(key: str, entry: Any, day: dt.date, seen: set[str]) -> tuple[str, dict[str, Any]]:
    """One entry of LiteLLM's file: its vendor and its catalog model document."""
    if key == "sample_spec" or not isinstance(entry, dict):
        raise Skipped("not a model entry")
    vendor = LITELLM_PROVIDERS.get(str(entry.get("litellm_provider")))
    if vendor is None:
        raise Skipped("a provider aicost does not cover")
    if entry.get("mode") != "chat":
        raise Skipped("not a chat model")
    model_id = key.split("/")[-1].lower()
    if not _ID.fullmatch(model_id) or len(model_id) > 200:
        raise Skipped("an id aicost cannot use")
    if model_id in seen:
        raise Skipped("the same model under another provider prefix")
    try:
        rates, tiers = _litellm_rates(entry)
    except Unusable:
        raise Skipped("a price that is not usable (text, negative, out of range), or a long-context tier missing one") from None
    if "input" not in rates or "output" not in rates:
        raise Skipped("no input and output price")
    context = _litellm_context(entry)
    retired_on = _litellm_retirement(entry, day)
    seen.add(model_id)
    given = entry.get("source")
    source = given if isinstance(given, str) and given.startswith("http") else LITELLM_SOURCE
    period = _period(day, source, f"Imported from LiteLLM's price file (key '{key}').", rates)
    try:
        period.update(litellm_dimensions(entry, _price))
    except Unusable:
        raise Skipped("a price that is not usable (text, negative, out of range), or a long-context tier missing one") from None
    if tiers:
        period["tiers"] = [{"above_input_tokens": above, **tier} for above, tier in sorted(tiers.items())]
    model: dict[str, Any] = {"id": model_id, "name": model_id, "class": size_class(model_id), "context_window": context,
                             "periods": [period]}
    if retired_on is not None:
        model["note"] = f"LiteLLM gives a deprecation date of {retired_on}."
    return vendor, model


def import_litellm(data: Any, day: dt.date) -> Import:
    if not isinstance(data, dict):
        raise InputError("the LiteLLM file must be a JSON object of model entries")
    skipped: Counter[str] = Counter()
    vendors: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for key, entry in data.items():
        try:
            vendor, model = _litellm_model(key, entry, day, seen)
        except Skipped as skip:
            skipped[skip.reason] += 1
            continue
        vendors.setdefault(vendor, []).append(model)
    by_id = {model["id"]: model for models in vendors.values() for model in models}
    host_offerings(data, by_id, day, lambda entry: _litellm_rates(entry)[0])
    document = _header(day)
    document["vendors"] = [{"vendor": v, "name": VENDOR_NAMES[v], "models": models} for v, models in vendors.items()]
    return Import(document, sum(len(m) for m in vendors.values()), skipped)


def iso_day(value: Any) -> dt.date | None:
    """An ISO date (YYYY-MM-DD) of a day that exists (not 2026-02-30, not year 0), else None."""
    if not isinstance(value, str) or not re.fullmatch(ISO_DATE, value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _price(value: Any) -> Decimal | None:
    """A per-token price field: None when absent; Unusable when present but not a price."""
    if value is None:
        return None
    price = _per_million(value)
    if price is None or not price.is_finite() or price > MAX_IMPORTED_PRICE or (price and price < Decimal("1e-6")):
        raise Unusable
    return price


LITELLM_FIELDS = {"input_cost_per_token": "input", "output_cost_per_token": "output",
                  "cache_read_input_token_cost": "cache_read", "cache_creation_input_token_cost": "cache_write",
                  "input_cost_per_token_batches": "batch_input", "output_cost_per_token_batches": "batch_output"}
LITELLM_ABOVE_KINDS = {"input": "input", "output": "output", "cache_read_input": "cache_read",
                       "cache_creation_input": "cache_write"}


def _litellm_above_tiers(entry: dict[str, Any]) -> dict[int, dict[str, Decimal]]:
    """The long-context prices of fields such as `input_cost_per_token_above_200k_tokens`."""
    tiers: dict[int, dict[str, Decimal]] = {}
    for field, value in entry.items():
        match = _ABOVE.match(field)
        if match is None:
            continue
        price = _price(value)
        if price is None or int(match.group(2)) * 1000 > MAX_IMPORTED_CONTEXT:
            raise Unusable
        key = LITELLM_ABOVE_KINDS[match.group(1)]
        if key == "cache_write" and price == 0:
            continue
        tiers.setdefault(int(match.group(2)) * 1000, {})[key] = price
    return tiers


def _litellm_bands(tiered: Any, rates: dict[str, Decimal], tiers: dict[int, dict[str, Decimal]]) -> None:
    """`tiered_pricing` bands ({range: [low, high], input_cost_per_token, output_cost_per_token}): the first gives
    the rates, each later one a tier above its low end."""
    if not isinstance(tiered, list) or not tiered:
        raise Unusable
    previous = -1
    for index, band in enumerate(tiered):
        if not isinstance(band, dict) or not isinstance(band.get("range"), list) or not band["range"]:
            raise Unusable
        low = band["range"][0]
        if isinstance(low, bool) or not isinstance(low, int | Decimal) or not previous < low <= MAX_IMPORTED_CONTEXT:
            raise Unusable
        previous = int(low)
        band_rates = {"input": _price(band.get("input_cost_per_token")), "output": _price(band.get("output_cost_per_token"))}
        if None in band_rates.values():
            raise Unusable
        if index == 0:
            rates.update({k: v for k, v in band_rates.items() if v is not None})
        else:
            tiers[int(low)] = {k: v for k, v in band_rates.items() if v is not None}


def _litellm_rates(entry: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]]]:
    rates: dict[str, Decimal] = {}
    for field, key in LITELLM_FIELDS.items():
        value = _price(entry.get(field))
        if value is not None and not (key == "cache_write" and value == 0):
            rates[key] = value
    tiers = _litellm_above_tiers(entry)
    tiered = entry.get("tiered_pricing")
    if tiered is not None and "input" not in rates:
        _litellm_bands(tiered, rates, tiers)
    if any("input" not in tier or "output" not in tier for tier in tiers.values()):
        raise Unusable  # a tier that cannot price a request: the model would look cheaper than it is
    return rates, tiers


# llm-prices' vendor names (its file names: data/<vendor>.json) -> aicost's vendor ids
LLM_PRICES_VENDORS = {"google": "google", "openai": "openai", "anthropic": "anthropic", "deepseek": "deepseek",
                      "qwen": "alibaba", "zhipu": "zhipu", "zai": "zhipu", "z.ai": "zhipu"}
NOT_COVERED = "a vendor aicost does not cover"


def _llm_prices_periods(entry: dict[str, Any]) -> list[dict[str, Any]]:
    """A model's price history as catalog periods, in date order (Unusable or ValueError when one cannot be read)."""
    periods = []
    for price in (p for p in entry.get("price_history", []) if isinstance(p, dict)):
        start = price.get("from_date")
        if start is not None and (not isinstance(start, str) or not re.fullmatch(ISO_DATE, start)):
            raise Unusable
        since = dt.date.fromisoformat(start) if start else dt.date(2020, 1, 1)
        rates = {k: plain_price(v) for k, v in (("input", price.get("input")), ("output", price.get("output")),
                                                  ("cache_read", price.get("input_cached"))) if v is not None}
        if "input" not in rates or "output" not in rates:
            continue
        note = "Imported from simonw/llm-prices." + ("" if start else " No start date given.")
        periods.append(_period(since, LLM_PRICES_SOURCE, note, rates))
    periods.sort(key=lambda period: period["since"])
    return periods


def _llm_prices_model(entry: Any, context_of: dict[str, int]) -> dict[str, Any]:
    model_id = str(entry.get("id", "")).lower() if isinstance(entry, dict) else ""
    if not _ID.fullmatch(model_id):
        raise Skipped("an id aicost cannot use")
    if model_id not in context_of:
        raise Skipped("no context window (llm-prices has none, and the bundled catalog does not know the model)")
    try:
        periods = _llm_prices_periods(entry)
    except (Unusable, ValueError):
        raise Skipped("a price or date that is not usable") from None
    if len({p["since"] for p in periods}) != len(periods):
        raise Skipped("two prices from the same date")
    if not periods:
        raise Skipped("no input and output price")
    return {"id": model_id, "name": str(entry.get("name") or model_id), "class": size_class(model_id),
            "context_window": context_of[model_id], "periods": periods}


def import_llm_prices(data: Any, day: dt.date, known: Catalog | None = None) -> Import:
    """One llm-prices vendor file ({"vendor", "models": [{"id", "name", "price_history": [...]}]}), with history.

    llm-prices gives no context window: it is taken from `known` (the bundled catalog) where the model is there,
    else the model is skipped with that reason."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise InputError("the llm-prices file must be an object with a models list")
    vendor = LLM_PRICES_VENDORS.get(str(data.get("vendor")))
    skipped: Counter[str] = Counter()
    if vendor is None:
        skipped[NOT_COVERED] += len(data["models"])
        return Import({**_header(day), "vendors": []}, 0, skipped)
    context_of = {m.id: m.context_window for m in known.models} if known else {}
    if known:
        context_of.update({alias: m.context_window for m in known.models for alias in m.aliases})
    models = []
    for entry in data["models"]:
        try:
            models.append(_llm_prices_model(entry, context_of))
        except Skipped as skip:
            skipped[skip.reason] += 1
    document = {**_header(day), "vendors": [{"vendor": vendor, "name": VENDOR_NAMES[vendor], "models": models}]}
    return Import(document, len(models), skipped)


# ---------------------------------------------------------------------------------------------- truth check


class Disagreement(NamedTuple):
    """A price in force on the day that the catalog and a reference give differently (`reference_check`)."""

    model: str
    price: str
    catalog: Decimal
    reference: Decimal
    explanation: str | None  # why the difference is expected (from pricing/explained.toml), or None
