"""Budget checks and cost diffs: the arithmetic behind `aicost budget` and `aicost diff`, and their views.

Pure functions over `CostReport`s (no I/O, no terminal).  A budget check compares a workload's monthly cost
with a budget; a diff matches the streams of two priced workloads by name and says what changed (model,
volume, tokens, prices) and by how much, so a pull request that edits a workload file or moves a pricing
date or catalog shows its cost impact.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
from decimal import Decimal
from typing import Any

from .calc import CostReport, StreamCost
from .render.view import Column, Kind, Table, View, money_text, percent_text
from .views import envelope, footer
from .workload import Stream

ZERO = Decimal(0)
HUNDRED = Decimal(100)


def signed_money(value: Decimal) -> str:
    return f"+{money_text(value)}" if value > 0 else money_text(value)


# ---------------------------------------------------------------------------------------------- budget


@dataclass(frozen=True)
class BudgetCheck:
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


def budget_view(check: BudgetCheck) -> View:
    report = check.report
    workload = report.workload
    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.as_of, workload.currency),
        "workload": workload.name,
        "monthly_cost": check.monthly_cost,
        "budget": check.budget,
        "headroom": check.headroom,
        "within_budget": check.within_budget,
        "budget_used": check.used,
        "budget_source": check.source,
        "warn_at": check.warn_at,
        "warning": check.warning,
    }
    used = check.used
    if check.within_budget:
        line = (f"Within budget: {money_text(check.monthly_cost)} of {money_text(check.budget)} a month"
                + (f" ({percent_text(used)})" if used is not None else "") + f", headroom {money_text(check.headroom)}")
    else:
        line = (f"Over budget by {money_text(-check.headroom)}: {money_text(check.monthly_cost)} a month "
                f"against {money_text(check.budget)}")
    table = Table(
        title=f"Budget of {workload.name}",
        columns=(
            Column("Monthly cost", Kind.MONEY, "monthly_cost"),
            Column("Budget", Kind.MONEY, "budget"),
            Column("Headroom", Kind.MONEY, "headroom"),
            Column("Used", Kind.PERCENT, "budget_used"),
            Column("Status", key="status"),
            Column("", Kind.BAR, "bar"),
        ),
        rows=((check.monthly_cost, check.budget, check.headroom, used, check.status, min(used, Decimal(1)) if used else None),),
    )
    extra = [f"budget: {check.source}", f"workload: {workload.source}"]
    if check.warn_at is not None:
        extra.append(f"warn at {percent_text(check.warn_at)} of the budget")
    return View("budget", document, (table,), footer(report.catalog_version, report.as_of, *extra), (line,))


# ---------------------------------------------------------------------------------------------- diff

# The stream settings a diff compares, in the order it reports them: every field of a priced stream but its
# name and routing (monthly_requests covers every volume key), so a new stream setting is diffed too.
DIFF_FIELDS = tuple(f.name for f in dataclass_fields(Stream) if f.name not in ("name", "routing"))


@dataclass(frozen=True)
class FieldChange:
    key: str
    old: Any
    new: Any


@dataclass(frozen=True)
class StreamDiff:
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


@dataclass(frozen=True)
class DiffReport:
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


def _value_text(key: str, value: Any) -> str:
    if key == "monthly_requests":
        return f"{Decimal(value).quantize(Decimal(1)):,}"
    return str(value)


def _changes_text(diff: StreamDiff) -> str:
    parts = []
    for change in diff.fields:
        label = "prices" if change.key == "price" else change.key
        if change.key == "price":
            parts.append(f"prices (since {change.old} → since {change.new})")
        else:
            parts.append(f"{label} {_value_text(change.key, change.old)} → {_value_text(change.key, change.new)}")
    return "; ".join(parts)


def _stream_document(diff: StreamDiff) -> dict[str, Any]:
    return {
        "name": diff.name,
        "status": diff.status,
        "old_model": diff.old.model if diff.old else None,
        "new_model": diff.new.model if diff.new else None,
        "old_monthly_requests": diff.old.monthly_requests if diff.old else None,
        "new_monthly_requests": diff.new.monthly_requests if diff.new else None,
        "old_monthly_cost": diff.old_cost,
        "new_monthly_cost": diff.new_cost,
        "change": diff.change,
        "changes": {c.key: {"old": c.old, "new": c.new} for c in diff.fields},
    }


def diff_view(report: DiffReport) -> View:
    old, new = report.old, report.new
    document: dict[str, Any] = {
        **envelope(new.catalog_version, new.as_of, new.workload.currency),
        "old_catalog_version": old.catalog_version,
        "old_as_of": old.as_of,
        "old_workload": old.workload.source,
        "new_workload": new.workload.source,
        "old_monthly_cost": old.monthly_cost,
        "new_monthly_cost": new.monthly_cost,
        "change": report.change,
        "change_share": report.change_share,
        "streams": [_stream_document(d) for d in report.streams],
    }
    if report.max_increase is not None:
        document["max_increase"] = report.max_increase
        document["within_limit"] = report.within_limit
    rows = []
    for d in report.streams:
        models = list(dict.fromkeys(c.model for c in (d.old, d.new) if c is not None))
        model = " → ".join(models)
        requests = d.new.monthly_requests if d.new else None
        rows.append((d.name, d.status, model, requests, d.old_cost if d.old else None, d.new_cost if d.new else None,
                     d.change, _changes_text(d)))
    share = report.change_share
    share_text = f" ({percent_text(share, signed=True)})" if share is not None else ""
    table = Table(
        title=f"Cost change of {new.workload.name}, stream by stream",
        columns=(
            Column("Stream", key="stream"),
            Column("Status", key="status"),
            Column("Model", key="model"),
            Column("Requests/month", Kind.COUNT, "monthly_requests"),
            Column("Old cost", Kind.MONEY, "old_monthly_cost"),
            Column("New cost", Kind.MONEY, "new_monthly_cost"),
            Column("Change", Kind.MONEY, "change"),
            Column("What changed", key="changes"),
        ),
        rows=tuple(rows),
        total=("total", "", "", sum((s.monthly_requests for s in new.streams), ZERO), old.monthly_cost, new.monthly_cost,
               report.change, share_text.strip(" ()")),
    )
    if report.change == 0:
        headline = f"Monthly cost unchanged: {money_text(new.monthly_cost)}"
    else:
        direction = "up" if report.change > 0 else "down"
        headline = (f"Monthly cost {direction} {money_text(abs(report.change))}{share_text}: "
                    f"{money_text(old.monthly_cost)} → {money_text(new.monthly_cost)}")
    summary = [headline]
    if report.max_increase is not None:
        verdict = "is within" if report.within_limit else "passes"
        summary.append(f"The change {verdict} --max-increase {report.max_increase_text} "
                       f"({money_text(report.max_increase)})")
    extra = (
        f"old: {old.workload.source} · catalog {old.catalog_version} · prices as of {old.as_of}",
        f"new: {new.workload.source} · catalog {new.catalog_version} · prices as of {new.as_of}",
    )
    return View("diff", document, (table,), footer(new.catalog_version, new.as_of, *extra), tuple(summary))
