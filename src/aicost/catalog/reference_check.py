"""`aicost pricing check --against`: the catalog against one reference price file, and the reviewed explanations.

Four references are read, each recognised by its shape: LiteLLM's price file, an llm-prices vendor file (through
`importers`), pydantic/genai-prices' data.json and models.dev's api.json (through the readers of `refresh`).  Each
is reduced to `Quote`s, one reference's view of one catalog model on the day: its prices, its long-context tiers
(None when the reference cannot express tiers: llm-prices) and a deprecation date (LiteLLM's `deprecation_date`;
genai-prices and models.dev flag deprecation without a date, which cannot be compared).  Three kinds of difference
are found:

- prices in force on the day that both give, and give differently (not for a model retired on the day);
- long-context tiers of a model both price on the day: a threshold on one side only, or a price of one threshold
  that both give differently;
- retirements: a reference date where the catalog has none, or another one.

A difference is explained by an entry of pricing/explained.toml naming the catalog model, what differs (a price
key, `tiers` or `retirement`) and the reference (or `*` for every one).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any, NamedTuple

from aicost.errors import InputError, UnknownModelError, shown

from .importers import Disagreement, Unusable, import_llm_prices, iso_day, plain_price
from .litellm_dimensions import DIMENSION_KEY
from .model import Catalog, Model, catalog_from_document
from .prices import RATE_KEYS, PricePeriod

REFERENCES = ("litellm", "llm-prices", "genai-prices", "models.dev")
PRICE_KEYS = (*RATE_KEYS, "cache_write_1h")
TIERS = "tiers"
RETIREMENT = "retirement"
EXPLAINABLE = (*PRICE_KEYS, TIERS, RETIREMENT)
Explained = dict[tuple[str, str, str], str]  # (catalog model id, what differs, reference or "*") -> reason
Frozen = tuple[tuple[int, tuple[tuple[str, Decimal], ...]], ...]  # (above_input_tokens, ((price key, price), ...))


class Quote(NamedTuple):
    """One reference's view of one catalog model on the day."""

    model: str  # the catalog's id
    rates: dict[str, Decimal]  # PRICE_KEYS, USD per million tokens; empty: the reference gives only a date
    tiers: Frozen | None  # None: the reference cannot express long-context tiers
    deprecated: dt.date | None


class TierDifference(NamedTuple):
    model: str
    above_input_tokens: int
    price: str
    catalog: Decimal | None  # None: the catalog has no tier above this threshold (or no such price in it)
    reference: Decimal | None  # None: the reference has no tier above this threshold (or no such price in it)
    explanation: str | None


class RetirementDifference(NamedTuple):
    model: str
    catalog: dt.date | None  # None: the catalog gives no retirement date
    reference: dt.date
    sold: bool  # the catalog still sells the model on the check date
    explanation: str | None


class Check(NamedTuple):
    reference: str  # one of REFERENCES
    compared: int  # catalog models the reference gives
    skipped: Counter[str]  # the reference's entries not compared, by reason
    prices: tuple[Disagreement, ...]
    tiers: tuple[TierDifference, ...]
    retirements: tuple[RetirementDifference, ...]

    @property
    def unexplained(self) -> int:
        explanations = [d.explanation for d in self.prices] + [d.explanation for d in self.tiers] + [
            d.explanation for d in self.retirements]
        return explanations.count(None)


NOT_IN_CATALOG = "not in the catalog"


# ---------------------------------------------------------------------------------------------- reading


def _llm_prices_quotes(data: Any, day: dt.date, catalog: Catalog) -> tuple[list[Quote], Counter[str]]:
    imported = import_llm_prices(data, day, catalog)  # the context windows it lacks: the catalog's, never compared
    skipped = Counter({reason if not reason.startswith("no context window") else NOT_IN_CATALOG: count
                       for reason, count in imported.skipped.items()})
    quotes: list[Quote] = []
    if not imported.imported:
        return quotes, skipped
    for model in catalog_from_document(imported.document, "the llm-prices file").models:
        try:
            ours = catalog.resolve(model.id)
        except UnknownModelError:
            skipped[NOT_IN_CATALOG] += 1
            continue
        period = model.period_on(day)
        if period is None:
            skipped["no price in force on the day"] += 1
            continue
        rates = {key: value for key in RATE_KEYS if (value := period.rates.get(key)) is not None}
        quotes.append(Quote(ours.id, rates, None, None))
    return quotes, skipped


def _is_legacy_llm_prices(data: Any) -> bool:
    """llm-prices' older root file, prices.json: {model id: {name, input, output} or {name, dynamicPricing}}."""
    return isinstance(data, dict) and bool(data) and all(
        isinstance(entry, dict) and "litellm_provider" not in entry and "models" not in entry
        and ("input" in entry or "dynamicPricing" in entry) for entry in data.values())


def _legacy_llm_prices_quotes(data: dict[str, Any], day: dt.date, catalog: Catalog) -> tuple[list[Quote], Counter[str]]:
    """Prices per million tokens; `dynamicPricing` gives a price before and after a cutoff (an ISO time)."""
    skipped: Counter[str] = Counter()
    quotes = []
    for key, entry in data.items():
        try:
            model = catalog.resolve(key.lower())
        except UnknownModelError:
            skipped[NOT_IN_CATALOG] += 1
            continue
        dynamic = entry.get("dynamicPricing")
        try:
            prices = entry
            if dynamic is not None:  # the day of the cutoff counts as after it
                cutoff = iso_day(str(dynamic["cutoffDate"])[:10])
                if cutoff is None:
                    raise Unusable
                prices = dynamic["afterCutoff" if cutoff <= day else "beforeCutoff"]
            rates = {k: plain_price(prices[k]) for k in ("input", "output")}
        except (Unusable, KeyError, TypeError):
            skipped["a price or date that is not usable"] += 1
            continue
        quotes.append(Quote(model.id, rates, None, None))
    return quotes, skipped


def read_reference(data: Any, day: dt.date, catalog: Catalog) -> tuple[str, list[Quote], Counter[str]]:
    """The reference's name and its quotes for the catalog's models, with what was skipped; an InputError naming
    the fix when the file is none of the shapes."""
    from .datasets import READERS, recognise

    if isinstance(data, dict) and isinstance(data.get("models"), list):
        return ("llm-prices", *_llm_prices_quotes(data, day, catalog))
    if _is_legacy_llm_prices(data):
        return ("llm-prices", *_legacy_llm_prices_quotes(data, day, catalog))
    dataset = recognise(data)
    if dataset is None:
        raise InputError("not a price file aicost knows — give LiteLLM's price file, an llm-prices vendor file, "
                         "genai-prices' data.json or models.dev's api.json")
    try:
        offers, skipped = READERS[dataset](data, day, catalog)
    except (AttributeError, TypeError, KeyError):
        raise InputError(f"not the shape of {dataset.value}'s data file") from None
    skipped = Counter(skipped)
    quotes = []
    for offer in offers:
        if not offer.known:
            skipped[NOT_IN_CATALOG] += 1
            continue
        quotes.append(Quote(offer.model, {**offer.rates, **dict(offer.dimensions)}, offer.tiers, offer.deprecated))
    return dataset.value, quotes, skipped


def read_explained(document: dict[str, Any], label: str) -> Explained:
    """pricing/explained.toml's entries: model, price (a price key, `tiers` or `retirement`), reference, reason."""
    from aicost.fields import Fields

    top = Fields(document, label, "")
    reviewed: Explained = {}
    for entry in top.tables("explained"):
        what = entry.req_string("price")
        if what not in EXPLAINABLE and not DIMENSION_KEY.fullmatch(what):
            raise entry.error(f"'{shown(what)}' is not something a check compares — use one of {', '.join(EXPLAINABLE)}",
                              "price")
        reference = entry.string("reference") or "*"
        if reference not in (*REFERENCES, "*"):
            raise entry.error(f"'{shown(reference)}' is not a reference — use one of {', '.join(REFERENCES)} or *",
                              "reference")
        reviewed[(entry.req_string("model"), what, reference)] = entry.req_string("reason")
        entry.done()
    top.done()
    return reviewed


# ---------------------------------------------------------------------------------------------- comparing


def _reason(explained: Explained, model: str, what: str, reference: str) -> str | None:
    return explained.get((model, what, reference)) or explained.get((model, what, "*"))


def _price(period: PricePeriod, key: str) -> Decimal | None:
    """The period's price `key`: a rate, `cache_write_1h`, or a dimension (`flex.input`, `fast`, `region.us`,
    `web_search`)."""
    if key == "cache_write_1h":
        return period.cache_write_1h
    if key in RATE_KEYS:
        return period.rates.get(key)
    name, _, rate = key.partition(".")
    if name in ("flex", "priority"):
        tier = period.service_tier(name)
        return None if tier is None else tier.rates.get(rate)
    if name == "fast":
        mode = period.speed("fast")
        return None if mode is None else mode.multiplier
    if name == "region":
        return period.uplift(rate)
    return period.fee("web_search") if name == "web_search" else None


def _tier_rows(model: Model, period: PricePeriod, theirs: Frozen) -> list[tuple[int, str, Decimal | None, Decimal | None]]:
    ours = {tier.above_input_tokens: {k: v for k in RATE_KEYS if (v := tier.rates.get(k)) is not None}
            for tier in period.tiers}
    their = {above: dict(prices) for above, prices in theirs}
    rows: list[tuple[int, str, Decimal | None, Decimal | None]] = []
    for above in sorted({*ours, *their}):
        a, b = ours.get(above), their.get(above)
        if a is None or b is None:  # a tier on one side only: each price it holds
            side = a or b or {}
            rows.extend((above, key, a[key] if a is not None else None, b[key] if b is not None else None)
                        for key in PRICE_KEYS if key in side)
            continue
        rows.extend((above, key, a[key], b[key]) for key in PRICE_KEYS if key in a and key in b and a[key] != b[key])
    return rows


def check(catalog: Catalog, reference: str, quotes: list[Quote], skipped: Counter[str], day: dt.date,
          explained: Explained) -> Check:
    """Every difference between the catalog and the reference's quotes, each with its reviewed explanation."""
    by_model: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_model.setdefault(quote.model, []).append(quote)
    prices: dict[tuple[str, str, Decimal, Decimal], None] = {}
    tiers: dict[tuple[str, int, str, Decimal | None, Decimal | None], None] = {}
    retirements: list[RetirementDifference] = []
    for model_id, theirs in sorted(by_model.items()):
        model = catalog.resolve(model_id)
        dated = min((q.deprecated for q in theirs if q.deprecated is not None), default=None)
        # as `pricing refresh`: a date before the model's first price is another model's under the same name
        if dated is not None and dated != model.retired and dated > model.periods[0].since:
            retirements.append(RetirementDifference(model.id, model.retired, dated, not model.retired_on(day),
                                                    _reason(explained, model.id, RETIREMENT, reference)))
        period = model.period_on(day)
        if model.retired_on(day) or (dated is not None and dated <= day) or period is None or period.currency != "USD":
            continue  # prices are compared while both sell the model, in the references' currency
        for quote in theirs:
            if not quote.rates:
                continue
            for key in (*PRICE_KEYS, *(k for k in quote.rates if k not in PRICE_KEYS)):
                ours, their = _price(period, key), quote.rates.get(key)
                if ours is not None and their is not None and ours != their:
                    prices[(model.id, key, ours, their)] = None
            if quote.tiers is not None:
                for row in _tier_rows(model, period, quote.tiers):
                    tiers[(model.id, *row)] = None
    return Check(
        reference, len(by_model), skipped,
        tuple(Disagreement(m, k, a, b, _reason(explained, m, k, reference)) for m, k, a, b in prices),
        tuple(TierDifference(m, above, k, a, b, _reason(explained, m, TIERS, reference)) for m, above, k, a, b in tiers),
        tuple(retirements))


def stale_explanations(explained: Explained, checks: list[Check]) -> list[tuple[str, str, str]]:
    """The entries of `explained` that explain no difference found by any of `checks` (run against every
    reference file the entries name): stale, to be removed."""
    used: set[tuple[str, str, str]] = set()
    for found in checks:
        differences = [(d.model, d.price) for d in found.prices] + [(d.model, TIERS) for d in found.tiers] + [
            (d.model, RETIREMENT) for d in found.retirements]
        for model, what in differences:
            used.update({(model, what, found.reference), (model, what, "*")})
    return [key for key in explained if key not in used]
