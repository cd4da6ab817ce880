"""Budget checks and cost diffs: the arithmetic behind `aicost budget` and `aicost diff`.

Pure functions over `CostReport`s (no I/O, no terminal).  A budget check compares a workload's monthly cost
with a budget; a diff matches the streams of two priced workloads by name and says what changed (model,
volume, tokens, prices) and by how much, so a pull request that edits a workload file or moves a pricing
date or catalog shows its cost impact.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from .calc import CostReport, StreamCost
from .catalog import Catalog
from .workload import ONE, SizeBand, Stream

ZERO = Decimal(0)
HUNDRED = Decimal(100)


class BudgetCheck(NamedTuple):
    report: CostReport
    budget: Decimal
    source: str  # where the budget came from: "--max", "AICOST_BUDGET", or "[budget] monthly in FILE"
    warn_at: Decimal | None = None  # a fraction of the budget

    @property
    def monthly_cost(self) -> Decimal:
        return self.report.monthly_cost

    @property
    def headroom(self) -> Decimal:
        return self.budget - self.monthly_cost

    @property
    def within_budget(self) -> bool:
        return self.monthly_cost <= self.budget

    @property
    def used(self) -> Decimal | None:
        """The share of the budget spent (None for a zero budget)."""
        return self.monthly_cost / self.budget if self.budget else None

    @property
    def warning(self) -> bool:
        """Within budget but past the --warn-at share of it."""
        return self.within_budget and self.warn_at is not None and self.monthly_cost > self.warn_at * self.budget

    @property
    def status(self) -> str:
        return "over" if not self.within_budget else ("warning" if self.warning else "within")


DIFF_FIELDS = tuple(name for name in Stream._fields if name not in ("name", "routing"))


class FieldChange(NamedTuple):
    key: str
    old: Any
    new: Any


class StreamDiff(NamedTuple):
    name: str
    status: str  # added, removed, changed, unchanged
    old: StreamCost | None
    new: StreamCost | None
    fields: tuple[FieldChange, ...]

    @property
    def old_cost(self) -> Decimal:
        return self.old.monthly_cost if self.old else ZERO

    @property
    def new_cost(self) -> Decimal:
        return self.new.monthly_cost if self.new else ZERO

    @property
    def change(self) -> Decimal:
        return self.new_cost - self.old_cost


class DiffReport(NamedTuple):
    old: CostReport
    new: CostReport
    streams: tuple[StreamDiff, ...]
    max_increase: Decimal | None = None  # the limit in money
    max_increase_text: str | None = None  # as the user wrote it

    @property
    def change(self) -> Decimal:
        return self.new.monthly_cost - self.old.monthly_cost

    @property
    def change_share(self) -> Decimal | None:
        return self.change / self.old.monthly_cost if self.old.monthly_cost else None

    @property
    def within_limit(self) -> bool:
        return self.max_increase is None or self.change <= self.max_increase


BAND_MEANS = ("input_tokens", "output_tokens", "reasoning_tokens", "cached_input_share", "cache_write_tokens",
              "cache_write_1h_tokens")
"""The figures a stream with `sizes` holds as its bands' share-weighted means: derived, never what the user wrote."""


def sized_bands(stream: Stream) -> tuple[SizeBand, ...]:
    """A stream's sizes as a diff compares them: its bands, or its means as one band of share 1."""
    if stream.sizes:
        return stream.sizes
    return (SizeBand(ONE, stream.input_tokens, stream.output_tokens, stream.reasoning_tokens,
                     stream.cached_input_share, stream.cache_write_tokens, stream.cache_write_1h_tokens),)


def _field_changes(old: Stream, new: Stream, old_cost: StreamCost, new_cost: StreamCost) -> tuple[FieldChange, ...]:
    """What differs between the two sides of a stream. Where either side gives `sizes`, the sizes are compared band
    by band (a side of means as one band of share 1) and the derived means are left out."""
    sized = bool(old.sizes or new.sizes)
    changes = []
    for key in DIFF_FIELDS:
        if sized and key in BAND_MEANS:
            continue
        before, after = ((sized_bands(old), sized_bands(new)) if key == "sizes" and sized
                         else (getattr(old, key), getattr(new, key)))
        if before != after:
            changes.append(FieldChange(key, before, after))
    if not changes and old_cost.monthly_cost != new_cost.monthly_cost:
        changes.append(FieldChange("price", old_cost.price_since, new_cost.price_since))
    return tuple(changes)


def diff_reports(old: CostReport, new: CostReport) -> tuple[StreamDiff, ...]:
    """Streams matched by name: those of NEW in their order, then those only OLD had."""
    old_streams = {s.name: (s, c) for s, c in zip(old.workload.streams, old.streams, strict=True)}
    new_names = {s.name for s in new.workload.streams}
    diffs = []
    for stream, cost in zip(new.workload.streams, new.streams, strict=True):
        if stream.name not in old_streams:
            diffs.append(StreamDiff(stream.name, "added", None, cost, ()))
            continue
        old_stream, old_cost = old_streams[stream.name]
        fields = _field_changes(old_stream, stream, old_cost, cost)
        diffs.append(StreamDiff(stream.name, "changed" if fields else "unchanged", old_cost, cost, fields))
    for stream, cost in zip(old.workload.streams, old.streams, strict=True):
        if stream.name not in new_names:
            diffs.append(StreamDiff(stream.name, "removed", cost, None, ()))
    return tuple(diffs)


def limit_amount(old_cost: Decimal, amount: Decimal | None, share: Decimal | None) -> Decimal | None:
    """--max-increase as money: an amount as given, or a share of the old monthly cost."""
    if amount is not None:
        return amount
    if share is not None:
        return old_cost * share
    return None




# ---------------------------------------------------------------------------------------------- price changes


class PriceChange(NamedTuple):
    """One price that differs between two catalogs or dates: added (old None), removed (new None) or moved."""

    model: str
    price: str  # a rate key: input, output, cache_read, ...
    old: Decimal | None
    new: Decimal | None

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"

    @property
    def change_share(self) -> Decimal | None:
        """(new - old) / old for a moved price; None when added, removed or from 0."""
        if self.old is None or self.new is None or self.old == 0:
            return None
        return (self.new - self.old) / self.old


def price_changes(old: Catalog, old_day: dt.date, new: Catalog, new_day: dt.date) -> tuple[PriceChange, ...]:
    """Every price in force on `old_day` in `old` that is added, removed or different on `new_day` in `new`."""
    from .catalog import RATE_KEYS, Rates

    def rates(catalog: Catalog, model_id: str, day: dt.date) -> Rates:
        model = catalog.models_by_id().get(model_id)
        if model is None or model.retired_on(day):
            return Rates()
        period = model.period_on(day)
        return period.rates if period else Rates()

    ids = [m.id for m in old.models] + [m.id for m in new.models if m.id not in old.models_by_id()]
    changes = []
    for model_id in ids:
        before, after = rates(old, model_id, old_day), rates(new, model_id, new_day)
        for key in RATE_KEYS:
            a, b = before.get(key), after.get(key)
            if a != b:
                changes.append(PriceChange(model_id, key, a, b))
    return tuple(changes)
