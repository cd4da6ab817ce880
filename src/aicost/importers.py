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

from .catalog import Catalog
from .errors import InputError
from .money import decimal_text

LITELLM_SOURCE = "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json"
LLM_PRICES_SOURCE = "https://github.com/simonw/llm-prices"
MILLION = Decimal(1_000_000)
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
    try:
        return json.loads(data.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{label}: not a JSON price file ({type(exc).__name__}) — give LiteLLM's or llm-prices' file") from None


def size_class(model_id: str) -> str:
    """A guess from the name, for imported models: the vendors' own words for their tiers."""
    if re.search(r"mini|nano|flash|haiku|lite|turbo|small|air", model_id):
        return "small"
    if re.search(r"opus|pro|max|sonnet|gpt-5(\.\d+)?$|gpt-4o$|o1$|o3$", model_id):
        return "frontier"
    return "standard"


def _per_million(value: Any) -> Decimal | None:
    """A per-token price as USD per million tokens, exactly: 2.5e-06 -> 2.5, 1e-05 -> 10."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
        return None
    return Decimal(decimal_text(Decimal(value) * MILLION))


def _header(day: dt.date) -> dict[str, Any]:
    return {"catalog_version": f"{day.year}.{day.month}.0", "released": day, "vendors": []}


def _period(day: dt.date, source: str, note: str, rates: dict[str, Decimal]) -> dict[str, Any]:
    return {"since": day, **rates, "source": source, "checked": day, "note": note}


def import_litellm(data: Any, day: dt.date) -> Import:
    if not isinstance(data, dict):
        raise InputError("the LiteLLM file must be a JSON object of model entries")
    skipped: Counter[str] = Counter()
    vendors: dict[str, list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for key, entry in data.items():
        if key == "sample_spec" or not isinstance(entry, dict):
            skipped["not a model entry"] += 1
            continue
        vendor = LITELLM_PROVIDERS.get(str(entry.get("litellm_provider")))
        if vendor is None:
            skipped["a provider aicost does not cover"] += 1
            continue
        if entry.get("mode") != "chat":
            skipped["not a chat model"] += 1
            continue
        model_id = key.split("/")[-1].lower()
        if not _ID.fullmatch(model_id):
            skipped["an id aicost cannot use"] += 1
            continue
        if model_id in seen:
            skipped["the same model under another provider prefix"] += 1
            continue
        rates, tiers = _litellm_rates(entry)
        if "input" not in rates or "output" not in rates:
            skipped["no input and output price"] += 1
            continue
        context = entry.get("max_input_tokens") or entry.get("max_tokens")
        if not isinstance(context, int) or context < 1:
            skipped["no context window"] += 1
            continue
        retired = entry.get("deprecation_date")
        if isinstance(retired, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", retired) and dt.date.fromisoformat(retired) <= day:
            skipped["deprecated before the import date"] += 1
            continue
        seen.add(model_id)
        given = entry.get("source")
        source = given if isinstance(given, str) and given.startswith("http") else LITELLM_SOURCE
        period = _period(day, source, f"Imported from LiteLLM's price file (key '{key}').", rates)
        if tiers:
            period["tiers"] = [{"above_input_tokens": above, **tier} for above, tier in sorted(tiers.items())]
        model: dict[str, Any] = {"id": model_id, "name": model_id, "class": size_class(model_id), "context_window": context,
                                 "periods": [period]}
        if isinstance(retired, str):
            model["note"] = f"LiteLLM gives a deprecation date of {retired}."
        vendors.setdefault(vendor, []).append(model)
    document = _header(day)
    document["vendors"] = [{"vendor": v, "name": VENDOR_NAMES[v], "models": models} for v, models in vendors.items()]
    return Import(document, sum(len(m) for m in vendors.values()), skipped)


def _litellm_rates(entry: dict[str, Any]) -> tuple[dict[str, Decimal], dict[int, dict[str, Decimal]]]:
    rates: dict[str, Decimal] = {}
    names = {"input_cost_per_token": "input", "output_cost_per_token": "output",
             "cache_read_input_token_cost": "cache_read", "cache_creation_input_token_cost": "cache_write",
             "input_cost_per_token_batches": "batch_input", "output_cost_per_token_batches": "batch_output"}
    for field, key in names.items():
        value = _per_million(entry.get(field))
        if value is not None and not (key == "cache_write" and value == 0):
            rates[key] = value
    tiers: dict[int, dict[str, Decimal]] = {}
    for field, value in entry.items():
        match = _ABOVE.match(field)
        price = _per_million(value)
        if match is None or price is None:
            continue
        kind = {"input": "input", "output": "output", "cache_read_input": "cache_read", "cache_creation_input": "cache_write"}
        key = kind[match.group(1)]
        if key == "cache_write" and price == 0:
            continue
        tiers.setdefault(int(match.group(2)) * 1000, {})[key] = price
    tiered = entry.get("tiered_pricing")
    if isinstance(tiered, list) and tiered and "input" not in rates:
        for index, band in enumerate(tiered):
            if not isinstance(band, dict) or not isinstance(band.get("range"), list):
                continue
            band_rates = {k: v for k, v in (("input", _per_million(band.get("input_cost_per_token"))),
                                             ("output", _per_million(band.get("output_cost_per_token")))) if v is not None}
            if index == 0:
                rates.update(band_rates)
            else:
                low = band["range"][0]
                if isinstance(low, int | Decimal) and band_rates:
                    tiers[int(low)] = band_rates
    tiers = {above: tier for above, tier in tiers.items() if "input" in tier and "output" in tier}
    return rates, tiers


def import_llm_prices(data: Any, day: dt.date, known: Catalog | None = None) -> Import:
    """One llm-prices vendor file ({"vendor", "models": [{"id", "name", "price_history": [...]}]}), with history.

    llm-prices gives no context window: it is taken from `known` (the bundled catalog) where the model is there,
    else the model is skipped with that reason."""
    if not isinstance(data, dict) or not isinstance(data.get("models"), list):
        raise InputError("the llm-prices file must be an object with a models list")
    vendor = {"google": "google", "openai": "openai", "anthropic": "anthropic", "deepseek": "deepseek"}.get(str(data.get("vendor")))
    skipped: Counter[str] = Counter()
    if vendor is None:
        skipped["a vendor aicost does not cover"] += len(data["models"])
        return Import({**_header(day), "vendors": []}, 0, skipped)
    context_of = {m.id: m.context_window for m in known.models} if known else {}
    if known:
        context_of.update({alias: m.context_window for m in known.models for alias in m.aliases})
    models = []
    for entry in data["models"]:
        model_id = str(entry.get("id", "")).lower() if isinstance(entry, dict) else ""
        if not _ID.fullmatch(model_id):
            skipped["an id aicost cannot use"] += 1
            continue
        if model_id not in context_of:
            skipped["no context window (llm-prices has none, and the bundled catalog does not know the model)"] += 1
            continue
        periods = []
        for price in sorted((p for p in entry.get("price_history", []) if isinstance(p, dict)),
                            key=lambda p: str(p.get("from_date") or "")):
            rates = {k: v for k, v in (("input", price.get("input")), ("output", price.get("output")),
                                       ("cache_read", price.get("input_cached"))) if isinstance(v, int | Decimal)}
            if "input" not in rates or "output" not in rates:
                continue
            since = dt.date.fromisoformat(price["from_date"]) if price.get("from_date") else dt.date(2020, 1, 1)
            note = "Imported from simonw/llm-prices." + ("" if price.get("from_date") else " No start date given.")
            periods.append(_period(since, LLM_PRICES_SOURCE, note, {k: Decimal(v) for k, v in rates.items()}))
        unique = {p["since"]: p for p in periods}
        if not unique:
            skipped["no input and output price"] += 1
            continue
        models.append({"id": model_id, "name": str(entry.get("name") or model_id), "class": size_class(model_id),
                       "context_window": context_of[model_id], "periods": [unique[s] for s in sorted(unique)]})
    document = {**_header(day), "vendors": [{"vendor": vendor, "name": VENDOR_NAMES[vendor], "models": models}]}
    return Import(document, len(models), skipped)


# ---------------------------------------------------------------------------------------------- truth check


class Disagreement(NamedTuple):
    model: str
    price: str
    catalog: Decimal
    reference: Decimal
    explanation: str | None  # why the difference is expected (from pricing/explained.toml), or None


def import_reference(data: Any, day: dt.date, known: Catalog | None) -> tuple[str, Import]:
    """A LiteLLM or llm-prices file, recognised by its shape."""
    if isinstance(data, dict) and isinstance(data.get("models"), list):
        return "llm-prices", import_llm_prices(data, day, known)
    return "litellm", import_litellm(data, day)


def disagreements(catalog: Catalog, reference: Catalog, reference_name: str, day: dt.date,
                  explained: dict[tuple[str, str, str], str]) -> list[Disagreement]:
    """Every price in force on `day` that the catalog and the reference both give, and give differently."""
    from .catalog import RATE_KEYS

    found = []
    for theirs in reference.models:
        try:
            ours = catalog.resolve(theirs.id)
        except InputError:
            continue
        if ours.retired_on(day) or theirs.retired_on(day):
            continue
        our_period, their_period = ours.period_on(day), theirs.period_on(day)
        if our_period is None or their_period is None:
            continue
        for key in RATE_KEYS:
            a, b = our_period.rates.get(key), their_period.rates.get(key)
            if a is not None and b is not None and a != b:
                reason = explained.get((ours.id, key, reference_name)) or explained.get((ours.id, key, "*"))
                found.append(Disagreement(ours.id, key, a, b, reason))
    return found
