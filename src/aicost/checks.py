"""Budget checks and cost diffs: the arithmetic behind `aicost budget` and `aicost diff`.

Pure functions over `CostReport`s (no I/O, no terminal).  A budget check compares a workload's monthly cost
with a budget; a diff matches the streams of two priced workloads by name and says what changed (model,
volume, tokens, prices) and by how much, so a pull request that edits a workload file or moves a pricing
date or catalog shows its cost impact.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from .calc import CostReport, StreamCost
from .workload import Stream

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


def _field_changes(old: Stream, new: Stream, old_cost: StreamCost, new_cost: StreamCost) -> tuple[FieldChange, ...]:
    changes = [
        FieldChange(key, getattr(old, key), getattr(new, key))
        for key in DIFF_FIELDS
        if getattr(old, key) != getattr(new, key)
    ]
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


