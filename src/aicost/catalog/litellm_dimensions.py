"""LiteLLM's fields for the price dimensions beyond the standard rates, as catalog period keys: 1-hour cache
writes, flex and priority tiers, the fast speed mode, web-search fees, regional uplifts; and its host entries
(Bedrock, Vertex, Azure, OpenRouter) as host offerings of the vendor's models.

A field that is present but not a usable price raises `Unusable` (its model is skipped, as for the standard rates);
a dimension LiteLLM does not give stays absent (unknown)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from .prices import MAX_MULTIPLIER

TIER_FIELDS = {"input_cost_per_token": "input", "output_cost_per_token": "output",
               "cache_read_input_token_cost": "cache_read", "cache_creation_input_token_cost": "cache_write"}
SERVICE_TIERS = ("flex", "priority")
REGION_FIELD = re.compile(r"^regional_processing_uplift_multiplier_([a-z][a-z0-9-]{0,30})$")
# LiteLLM's provider -> aicost's host, and how a host key names the vendor's model
HOST_PROVIDERS = {"bedrock": "bedrock", "bedrock_converse": "bedrock", "vertex_ai-anthropic_models": "vertex",
                  "azure": "azure", "azure_ai": "azure", "openrouter": "openrouter"}
_BEDROCK = re.compile(r"^(?:global\.)?[a-z]+\.([a-z0-9.-]+?)(?:-\d{8})?(?:-v\d+(?::\d+)?)?$")


class Unusable(Exception):
    """A price field that is there but cannot be a price (text, negative, not finite, out of range)."""


def _multiplier(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise Unusable
    number = Decimal(str(value))
    if not number.is_finite() or not 0 < number <= MAX_MULTIPLIER:
        raise Unusable
    return number


def _search_fee(value: Any, price: Any) -> Decimal | None:
    """`search_context_cost_per_query` (a number, or one per search-context size) as a fee per 1,000 calls; None when
    the sizes differ (which one a request uses is not known)."""
    if isinstance(value, dict):
        sizes = {price(v) for v in value.values()}
        if len(sizes) != 1:
            return None
        per_call: Decimal | None = sizes.pop()
    else:
        per_call = price(value)
    return None if per_call is None else per_call / Decimal(1_000_000) * 1000  # `price` gives per million


def litellm_dimensions(entry: dict[str, Any], price: Any) -> dict[str, Any]:
    """The entry's dimensions as period keys; `price` reads a per-token field as a price per million tokens (None:
    absent), raising Unusable when it is not a price."""
    period: dict[str, Any] = {}
    one_hour = price(entry.get("cache_creation_input_token_cost_above_1hr"))
    if one_hour:
        period["cache_write_1h"] = one_hour
    tiers = {}
    for tier in SERVICE_TIERS:
        rates = {key: value for field, key in TIER_FIELDS.items()
                 if (value := price(entry.get(f"{field}_{tier}"))) is not None and not (key == "cache_write" and value == 0)}
        if rates:
            tiers[tier] = rates
    if tiers:
        period["service_tiers"] = tiers
    specific = entry.get("provider_specific_entry")
    regions = {}
    if isinstance(specific, dict):
        if "fast" in specific:
            period["speeds"] = {"fast": {"multiplier": _multiplier(specific["fast"])}}
        regions.update({region: {"multiplier": _multiplier(value)} for region, value in specific.items()
                        if region != "fast" and re.fullmatch(r"[a-z]{2,8}", region)})
    for field, value in entry.items():
        match = REGION_FIELD.match(field)
        if match:
            regions[match.group(1)] = {"multiplier": _multiplier(value)}
    if regions:
        period["regions"] = regions
    if entry.get("search_context_cost_per_query") is not None:
        fee = _search_fee(entry["search_context_cost_per_query"], price)
        if fee is not None:
            period["fees"] = {"web_search": {"per_1000": fee.normalize() + 0}}
    return period


def host_model_id(provider: str, key: str) -> str | None:
    """The vendor's model id a host entry sells (`global.anthropic.claude-haiku-4-5-20251001-v1:0` ->
    claude-haiku-4-5, `vertex_ai/claude-opus-5@default` -> claude-opus-5), or None for a regional variant (`us.…`,
    `azure/eu/…`) or a key it cannot read."""
    name = key.split("/")[-1].lower()
    host = HOST_PROVIDERS[provider]
    if host == "bedrock":
        if not name.startswith(("global.", "anthropic.", "openai.", "zai.", "deepseek.", "qwen.")):
            return None
        match = _BEDROCK.match(name)
        return match.group(1) if match else None
    if host == "azure" and re.match(r"^azure(?:_ai)?/(?:us|eu)/", key):
        return None
    return name.split("@")[0]


def host_offerings(data: dict[str, Any], models: dict[str, dict[str, Any]], day: dt.date,
                   rates_of: Any) -> int:
    """Add LiteLLM's host entries to the imported `models` (id -> model document) as `hosts`, one per host (the
    first entry of each); `rates_of(entry)` reads an entry's rates (Unusable when it cannot). The count added."""
    added = 0
    for key, entry in sorted(data.items(), key=lambda item: not item[0].startswith("global.")):  # global endpoints first
        if not isinstance(entry, dict) or entry.get("mode") != "chat":
            continue
        provider = str(entry.get("litellm_provider"))
        if provider not in HOST_PROVIDERS:
            continue
        model_id = host_model_id(provider, key)
        model = models.get(model_id or "")
        host = HOST_PROVIDERS[provider]
        if model is None or any(h["host"] == host for h in model.get("hosts", [])):
            continue
        try:
            rates = rates_of(entry)
        except Unusable:
            continue
        if "input" not in rates or "output" not in rates:
            continue
        given = entry.get("source")
        period = {"since": day, **rates, "source": given if isinstance(given, str) and given.startswith("http") else
                  "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json",
                  "checked": day, "note": f"Imported from LiteLLM's price file (key '{key}')."}
        model.setdefault("hosts", []).append({"host": host, "model_id": key.split("/", 1)[-1] if "/" in key else key,
                                              "periods": [period]})
        added += 1
    return added


DIMENSION_KEY = re.compile(r"(?:flex|priority)\.(?:input|output|cache_read|cache_write)|fast|region\.[a-z][a-z0-9-]{0,30}|web_search")


def flat_dimensions(period: dict[str, Any]) -> tuple[tuple[str, Decimal], ...]:
    """A period document's dimensions as (key, value) pairs a check compares: `flex.input`, `fast` (a multiplier),
    `region.us` (a multiplier), `web_search` (per 1,000 calls)."""
    flat: list[tuple[str, Decimal]] = []
    for tier, rates in period.get("service_tiers", {}).items():
        flat.extend((f"{tier}.{key}", value) for key, value in rates.items() if key in TIER_FIELDS.values())
    fast = period.get("speeds", {}).get("fast", {}).get("multiplier")
    if fast is not None:
        flat.append(("fast", fast))
    flat.extend((f"region.{region}", entry["multiplier"]) for region, entry in period.get("regions", {}).items())
    fee = period.get("fees", {}).get("web_search")
    if fee is not None:
        flat.append(("web_search", fee["per_1000"]))
    return tuple(flat)
