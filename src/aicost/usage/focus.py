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

from aicost.calc import TokenMix, price_period, request_cost
from aicost.catalog import Catalog, Model
from aicost.currency import priced_in
from aicost.errors import UnknownModelError, UnpricedError
from aicost.usage.pricing import _mix_for
from aicost.usage.records import ZERO, Tokens
from aicost.usage.tally import Tally

FOCUS_VERSION = "1.2"
MILLION = Decimal(1_000_000)
PRICING_UNIT = "1000000 Tokens"  # FOCUS Unit Format "<quantity> <plural-units>": prices are per million tokens
CONSUMED_UNIT = "Tokens"

# The columns written, in order: FOCUS 1.2 columns (every mandatory one, then the conditional and recommended ones
# that apply), then aicost's own.
COLUMNS = (
    "BilledCost", "BillingAccountId", "BillingAccountName", "BillingCurrency", "BillingPeriodEnd",
    "BillingPeriodStart", "ChargeCategory", "ChargeClass", "ChargeDescription", "ChargePeriodEnd",
    "ChargePeriodStart", "ContractedCost", "EffectiveCost", "InvoiceIssuerName", "ListCost", "PricingQuantity",
    "PricingUnit", "ProviderName", "PublisherName", "ServiceCategory", "ServiceName",
    "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit", "ContractedUnitPrice", "ListUnitPrice", "PricingCategory",
    "ServiceSubcategory", "SkuId", "SkuPriceId",
    "x_TokenKind", "x_Tokens", "x_LoggedModel", "x_PriceTier", "x_CatalogVersion",
)

# token kind (x_TokenKind) -> what it is called in a charge description
KINDS = {"uncached_input": "uncached input", "cache_read": "cache read", "cache_write": "cache write",
         "output": "output", "reasoning": "reasoning (billed as output)"}


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


def _kind_costs(model: Model, day: dt.date, tier: int, part: Tokens) -> dict[str, Decimal]:
    """The group's cost split by kind of token; the kinds add up to the group's cost exactly (reasoning is priced
    alone at the output rate, and output is the rest of the output charge)."""
    period = price_period(model, day)
    tier >>= 4  # the low four bits are the shape (see usage.tally.shape)
    tier_above = period.tiers[tier - 1].above_input_tokens if tier else None
    mix = _mix_for(part, tier_above)
    whole = request_cost(model, period, mix, batch=False)
    reasoning = ZERO
    if part.reasoning:
        alone = TokenMix(ZERO, ZERO, ZERO, Decimal(part.reasoning), mix.input_tokens)
        reasoning = request_cost(model, period, alone, batch=False).output
    return {"uncached_input": whole.input, "cache_read": whole.cached_input, "cache_write": whole.cache_write,
            "output": whole.output - reasoning, "reasoning": reasoning}


def focus_rows(tally: Tally, currency: str) -> FocusExport:
    """The settled tally's priced groups as FOCUS rows, in `currency` (BillingCurrency): one row per UTC day, model,
    long-context tier and kind of token (the tally's groups of one day and model are added together)."""
    catalog: Catalog = priced_in(tally.catalog, currency)
    charges: dict[tuple[int, str, int, int], list[Any]] = {}  # (day, model id, tier, kind) -> [model, cost, tokens, names]
    for (ordinal, model_index, tier), (_, *parts) in tally.groups.items():
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        try:
            model = catalog.resolve(name)
            costs = _kind_costs(model, day, tier, part)
        except (UnknownModelError, UnpricedError):
            continue  # unpriced: not a row (the report's unpriced list says so)
        for position, (kind, cost) in enumerate(costs.items()):
            tokens = getattr(part, kind)
            if tokens:
                charge = charges.setdefault((ordinal, model.id, tier >> 4, position), [model, ZERO, 0, set()])
                charge[1] += cost
                charge[2] += tokens
                charge[3].add(name)
    rows = []
    total = ZERO
    for (ordinal, _, level, position), (model, cost, tokens, names) in sorted(charges.items()):
        total += cost
        vendor = re.sub(r"\s*\(.*\)$", "", catalog.vendor_name(model.vendor))  # "Google (Gemini, reference)"
        rows.append(_row(model, vendor, dt.date.fromordinal(ordinal), level, list(KINDS)[position], cost, tokens, names,
                         currency, catalog.version))
    return FocusExport(tuple(rows), total)


def _row(model: Model, vendor: str, day: dt.date, level: int, kind: str, cost: Decimal, tokens: int, names: set[str],
         currency: str, version: str) -> dict[str, str]:
    start, end = _month(day)
    quantity = Decimal(tokens) / MILLION
    unit_price = _number(cost / quantity)
    tiers = price_period(model, day).tiers
    return {
        "BilledCost": _number(cost), "BillingAccountId": "unknown", "BillingAccountName": "",
        "BillingCurrency": currency, "BillingPeriodEnd": _moment(end), "BillingPeriodStart": _moment(start),
        "ChargeCategory": "Usage", "ChargeClass": "",
        "ChargeDescription": f"{model.id} {KINDS[kind]} tokens on {day.isoformat()}",
        "ChargePeriodEnd": _moment(day + dt.timedelta(days=1)), "ChargePeriodStart": _moment(day),
        "ContractedCost": _number(cost), "EffectiveCost": _number(cost), "InvoiceIssuerName": vendor,
        "ListCost": _number(cost), "PricingQuantity": _number(quantity), "PricingUnit": PRICING_UNIT,
        "ProviderName": vendor, "PublisherName": vendor, "ServiceCategory": "AI and Machine Learning",
        "ServiceName": f"{vendor} API", "ChargeFrequency": "Usage-Based", "ConsumedQuantity": str(tokens),
        "ConsumedUnit": CONSUMED_UNIT, "ContractedUnitPrice": unit_price, "ListUnitPrice": unit_price,
        "PricingCategory": "Standard", "ServiceSubcategory": "Generative AI", "SkuId": model.id,
        "SkuPriceId": f"{model.id}:{kind}" + (f":above-{tiers[level - 1].above_input_tokens}" if level else ""),
        "x_TokenKind": kind, "x_Tokens": str(tokens), "x_LoggedModel": " ".join(sorted(names)),
        "x_PriceTier": f"above {tiers[level - 1].above_input_tokens} input tokens" if level else "standard",
        "x_CatalogVersion": version,
    }
