"""Observed usage as FOCUS 1.2 rows (the FinOps Open Cost and Usage Specification's billing-data format), for
cost reports that take FOCUS exports: one row per UTC day, model and kind of token (uncached input, cache reads,
cache writes, output, reasoning), priced as `usage` prices it, so the rows' costs add up to its total_cost.

Every mandatory column of FOCUS 1.2 is present, with the conditional and recommended ones that apply to metered
API usage; aicost's own columns start with `x_`. What logs cannot say is left empty where the specification
allows a null (BillingAccountName, ChargeClass) and said plainly where it does not (BillingAccountId: "unknown").
List prices are what was paid as far as aicost knows: ListCost = ContractedCost = EffectiveCost = BilledCost.
Requests on models without a price are not rows (a FOCUS cost cannot be unknown, and unknown is not $0).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.calc import Breakdown, TokenMix, offering_period, period_cost
from aicost.catalog import Catalog, Model
from aicost.currency import priced_in
from aicost.errors import UnknownModelError, UnpricedError
from aicost.usage.pricing import Resolver, group_prices
from aicost.usage.records import ZERO, Tokens, terms_of
from aicost.usage.tally import Tally, kind_parts

FOCUS_VERSION = "1.2"
MILLION = Decimal(1_000_000)
PRICING_UNIT = "1000000 Tokens"  # FOCUS Unit Format "<quantity> <plural-units>": prices are per million tokens
CONSUMED_UNIT = "Tokens"
CALLS_PRICING_UNIT = "1000 Calls"  # a per-call fee (web searches) is priced per thousand calls
CALLS_UNIT = "Calls"
THOUSAND = Decimal(1000)

# The columns written, in order: FOCUS 1.2 columns (every mandatory one, then the conditional and recommended ones
# that apply), then aicost's own.
COLUMNS = (
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
    "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
    "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "ListUnitPrice", "PricingCategory",
    "ServiceSubcategory", "SkuId", "SkuPriceId",
    "x_TokenKind", "x_Tokens", "x_LoggedModel", "x_PriceTier", "x_PricingTerms", "x_Host", "x_CatalogVersion",
)

# token kind (x_TokenKind) -> what it is called in a charge description
# token kind (x_TokenKind) -> what it is called in a charge description; web_search is a per-call fee, not tokens
KINDS = {"uncached_input": "uncached input tokens", "cache_read": "cache read tokens",
         "cache_write": "cache write (5-minute) tokens", "cache_write_1h": "cache write (1-hour) tokens",
         "output": "output tokens", "reasoning": "reasoning tokens (billed as output)", "web_search": "web search calls"}


class FocusExport(NamedTuple):
    rows: tuple[dict[str, str], ...]
    total: Decimal  # the rows' BilledCost added up


def _moment(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def _number(value: Decimal) -> str:
    """A decimal as FOCUS's NumericFormat writes it: plain digits, no exponent, no trailing zeros."""
    text = format(value.normalize(), "f") if value else "0"
    return text


class Charge(NamedTuple):
    """What one row adds up: a day's charges of one model at one host, tier, way of buying and kind."""

    ordinal: int
    model_id: str
    host: str  # "" for the vendor's own API
    region: str  # "" for global processing (a Bedrock inference profile's region otherwise)
    terms: int
    tier: int
    position: int  # the kind's place in KINDS


def _quantities(part: Tokens) -> dict[str, int]:
    """A group's quantity of each kind: its tokens (5-minute writes without the 1-hour ones), its web searches."""
    return {"uncached_input": part.uncached_input, "cache_read": part.cache_read,
            "cache_write": part.cache_write - part.cache_write_1h, "cache_write_1h": part.cache_write_1h,
            "output": part.output, "reasoning": part.reasoning, "web_search": part.web_search_calls}


def _kind_costs(model: Model, day: dt.date, kind: int, part: Tokens, host: str | None,
                region: str | None = None) -> dict[str, Decimal]:
    """The group's cost split by kind, priced exactly as usage.pricing._group_cost prices it (the period in force at
    its host, its long-context tier, service tier, batch and off-peak window); the kinds add up to that cost
    exactly: 1-hour writes and reasoning are priced alone (reasoning at the output rate) and taken from the
    writes' and output's charges, web searches are the per-call fees."""
    period, _, _, mix, context = group_prices(model, day, kind, part, host, region)
    whole = period_cost(model, period, mix, context)

    def alone(**counts: Decimal) -> Breakdown:
        return period_cost(model, period, TokenMix(ZERO, ZERO, ZERO, ZERO, mix.input_tokens)._replace(**counts), context)

    hour = alone(cache_write_1h=mix.cache_write_1h).cache_write if part.cache_write_1h else ZERO
    reasoning = alone(output=Decimal(part.reasoning)).output if part.reasoning else ZERO
    return {"uncached_input": whole.input, "cache_read": whole.cached_input, "cache_write": whole.cache_write - hour,
            "cache_write_1h": hour, "output": whole.output - reasoning, "reasoning": reasoning,
            "web_search": whole.per_call}


def focus_rows(tally: Tally, currency: str) -> FocusExport:
    """The settled tally's priced groups as FOCUS rows, in `currency` (BillingCurrency): one row per UTC day, model,
    host, long-context tier, way of buying (service tier, batch, off-peak window) and kind (the tally's groups that
    share these, of whichever source, are added together)."""
    catalog: Catalog = priced_in(tally.catalog, currency)
    resolve = Resolver(catalog)
    charges: dict[Charge, list[Any]] = {}  # -> [model, cost, quantity, logged names]
    for (ordinal, model_index, kind), (_, *parts) in tally.groups.items():
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        try:
            model, host, region = resolve(name)
            costs = _kind_costs(model, day, kind, part, host, region)
        except (UnknownModelError, UnpricedError):
            continue  # unpriced: not a row (the report's unpriced list says so)
        quantities = _quantities(part)
        terms = kind_parts(kind).terms
        for position, (token_kind, cost) in enumerate(costs.items()):
            if quantities[token_kind]:
                key = Charge(ordinal, model.id, host or "", region or "", terms, kind_parts(kind).tier, position)
                charge = charges.setdefault(key, [model, ZERO, 0, set()])
                charge[1] += cost
                charge[2] += quantities[token_kind]
                charge[3].add(name)
    rows = []
    total = ZERO
    for key, (model, cost, quantity, names) in sorted(charges.items()):
        total += cost
        vendor = re.sub(r"\s*\(.*\)$", "", catalog.vendor_name(model.vendor))  # "Google (Gemini, reference)"
        rows.append(_row(model, vendor, key, cost, quantity, names, currency, catalog.version))
    return FocusExport(tuple(rows), total)


def terms_text(terms: int) -> str:
    """A way of buying in words: "standard", "flex", "priority", "batch", each maybe "off-peak"."""
    service_tier, batch, off_peak = terms_of(terms)
    words = ["batch" if batch else service_tier or "standard"]
    if off_peak:
        words.append("off-peak")
    return " ".join(words)


def _row(model: Model, vendor: str, key: Charge, cost: Decimal, quantity: int, names: set[str], currency: str,
         version: str) -> dict[str, str]:
    day = dt.date.fromordinal(key.ordinal)
    kind = list(KINDS)[key.position]
    start, end = _month(day)
    calls = kind == "web_search"
    pricing_quantity = Decimal(quantity) / (THOUSAND if calls else MILLION)
    unit_price = _number(cost / pricing_quantity)
    period = offering_period(model, day, key.host or None)
    above = period.tiers[key.tier - 1].above_input_tokens if key.tier else None
    terms = terms_text(key.terms)
    where = f"{key.host} in {key.region}" if key.region else key.host
    at = f" on {where}" if where else ""
    sku_price = (f"{model.id}:{kind}" + (f":above-{above}" if above is not None else "")
                 + ("" if terms == "standard" else f":{terms.replace(' ', '-')}") + (f"@{where}".replace(" in ", ":") if where else ""))
    return {
        "BilledCost": _number(cost), "BillingAccountId": "unknown", "BillingAccountName": "",
        "BillingCurrency": currency, "BillingPeriodEnd": _moment(end), "BillingPeriodStart": _moment(start),
        "ChargeCategory": "Usage", "ChargeClass": "",
        "ChargeDescription": f"{model.id}{at} {KINDS[kind]} on {day.isoformat()}"
                             + ("" if terms == "standard" else f" ({terms})"),
        "ChargePeriodEnd": _moment(day + dt.timedelta(days=1)), "ChargePeriodStart": _moment(day),
        "ContractedCost": _number(cost), "EffectiveCost": _number(cost), "InvoiceIssuerName": vendor,
        "ListCost": _number(cost), "PricingQuantity": _number(pricing_quantity),
        "PricingUnit": CALLS_PRICING_UNIT if calls else PRICING_UNIT,
        "ProviderName": vendor, "PublisherName": vendor, "ServiceCategory": "AI and Machine Learning",
        "ServiceName": f"{vendor} API", "ChargeFrequency": "Usage-Based", "ConsumedQuantity": str(quantity),
        "ConsumedUnit": CALLS_UNIT if calls else CONSUMED_UNIT, "ContractedUnitPrice": unit_price,
        "ListUnitPrice": unit_price, "PricingCategory": "Standard", "ServiceSubcategory": "Generative AI",
        "SkuId": model.id, "SkuPriceId": sku_price,
        "x_TokenKind": kind, "x_Tokens": "" if calls else str(quantity), "x_LoggedModel": " ".join(sorted(names)),
        "x_PriceTier": f"above {above} input tokens" if above is not None else "standard",
        "x_PricingTerms": terms, "x_Host": where, "x_CatalogVersion": version,
    }
