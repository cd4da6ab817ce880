"""The view of `aicost usage`: spend by model, day or month, tokens by kind, skipped records, unpriced models."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from aicost.money import money_text
from aicost.render.view import ESSENTIAL, SECONDARY, Column, Kind, Table, View
from aicost.usage import AFTER, BEFORE, WRONG_FORMAT, Tokens, UsageReport, UsageRow, hours_text
from aicost.workload import HOURS_PER_MONTH

from .common import envelope, rate_lines

TOKEN_COLUMNS = (
    Column("Uncached input", Kind.COUNT, "uncached_input", "Uncached", SECONDARY, hide_zero=True),
    Column("Cache reads", Kind.COUNT, "cache_read", "Cache rd", SECONDARY, hide_zero=True),
    Column("Cache writes", Kind.COUNT, "cache_write", "Cache wr", SECONDARY, hide_zero=True),
    Column("Output", Kind.COUNT, "output", priority=SECONDARY, hide_zero=True),
    Column("Reasoning", Kind.COUNT, "reasoning", "Reason.", SECONDARY, hide_zero=True),
)
# Shown (and in JSON) only where a log says so: 1-hour cache writes (part of the cache writes) and web searches (calls,
# not tokens).  On a narrow terminal the token columns are left out one at a time, right to left.
EXTRA_COLUMNS = (
    Column("1-hour writes", Kind.COUNT, "cache_write_1h", "1h wr", SECONDARY, hide_zero=True),
    Column("Web searches", Kind.COUNT, "web_search_calls", "Searches", SECONDARY, hide_zero=True),
)
EXTRA_KEYS = ("cache_write_1h", "web_search_calls")


HOURS_PLACES = Decimal("0.000001")
AGENT_NOTES = {
    "codex": "Codex token counts: a snapshot whose cumulative total did not move is not a request, nor is a fork's "
             "replay of its parent's; the logs do not say the service tier: standard prices",
    "gemini-cli": "Gemini CLI messages with the same id are one request (a rewritten message counts once)",
    "qwen-code": "Qwen Code records with the same uuid are one request (a branched session's copy counts once)",
}

# The reasons the core words with its parameters, worded with the command line's options.
REASONS = {WRONG_FORMAT: "not a record of the --log-format given", BEFORE: "before --since", AFTER: "after --until"}


def tokens_document(tokens: Tokens) -> dict[str, int]:
    """The token counts; `cache_write_1h` (of `cache_write`) and `web_search_calls` only where there are some."""
    document = {"uncached_input": tokens.uncached_input, "cache_read": tokens.cache_read,
                "cache_write": tokens.cache_write, "output": tokens.output, "reasoning": tokens.reasoning}
    document.update({key: getattr(tokens, key) for key in EXTRA_KEYS if getattr(tokens, key)})
    return document


def _row_document(grouping: str, row: UsageRow) -> dict[str, Any]:
    return {grouping: row.label, "requests": row.requests, "tokens": tokens_document(row.tokens), "cost": row.cost}


def _summary(report: UsageReport, total_cost: Decimal | None, run_rate: Decimal | None,
             unpriced_requests: int) -> list[str]:
    """The headline: the requests, their cost and the run rate — "—" when none could be priced (never $0)."""
    currency = report.currency
    if not report.days:
        summary = ["No requests found in these logs."]
    else:
        period = f"{report.first_day} to {report.last_day}" if report.first_day != report.last_day else str(report.first_day)
        requests = f"{report.requests:,} request{'' if report.requests == 1 else 's'} ({period})"
        if total_cost is None or run_rate is None:
            summary = [f"{requests} cost — (unpriced: no request could be priced, and unknown is not $0)."]
        else:
            summary = [f"{requests} cost {money_text(total_cost, currency)}: {money_text(run_rate, currency)} a month "
                       f"at this rate ({hours_text(report.hours)} hours observed, scaled to {HOURS_PER_MONTH})."]
    if report.unpriced:
        summary.append(f"{unpriced_requests:,} request(s) on {len(report.unpriced)} model(s) could not be priced and "
                       "are not in the cost.")
    return summary


def usage_view(report: UsageReport, grouping: str = "model") -> View:
    currency = report.currency
    rows = report.rows(grouping)
    # No request could be priced: the cost is unknown, never $0 (null in JSON, empty in CSV, — in tables).
    unpriced_requests = sum(u.requests for u in report.unpriced)
    priced = not (report.requests and unpriced_requests >= report.requests)
    total_cost = report.total_cost if priced else None
    run_rate = report.monthly_run_rate if priced else None
    skipped = {REASONS.get(reason, reason): count for reason, count in report.skipped.items()}
    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.last_day, currency, report.exchange_rates),
        "first_day": report.first_day,
        "last_day": report.last_day,
        "days": report.days,
        "hours": report.hours.quantize(HOURS_PLACES),
        "files": report.files,
        "formats": report.formats,
        "requests": report.requests,
        "tokens": tokens_document(report.tokens),
        "total_cost": total_cost,
        "monthly_run_rate": run_rate,
        "skipped": skipped,
        "unpriced_models": [{"model": u.model, "requests": u.requests, "tokens": tokens_document(u.tokens),
                             "reason": u.reason} for u in report.unpriced],
        "skipped_files": [{"path": path, "reason": reason} for path, reason in report.skipped_files],
        "group_by": grouping,
        "rows": [_row_document(grouping, row) for row in rows],
    }
    t = report.tokens
    extra = [index for index, key in enumerate(EXTRA_KEYS) if getattr(t, key)]
    counted = len(TOKEN_COLUMNS)

    def counts(tokens: Tokens) -> tuple[int, ...]:
        return (*tokens[:counted], *(tokens[counted + index] for index in extra))

    table = Table(
        title=f"Observed spend by {grouping}, each request at the price of its day",
        columns=(Column(grouping.capitalize(), key=grouping, priority=ESSENTIAL), Column("Requests", Kind.COUNT, "requests"),
                 *TOKEN_COLUMNS, *(EXTRA_COLUMNS[index] for index in extra), Column("Cost", Kind.MONEY, "cost",
                                                                                   priority=ESSENTIAL)),
        rows=tuple((row.label, row.requests, *counts(row.tokens), row.cost) for row in rows),
        total=("total", report.requests, *counts(t), total_cost),
    )
    tables = [table]
    if report.skipped:
        tables.append(Table(title="Records not counted", columns=(Column("Reason", key="reason", priority=ESSENTIAL, wrap=True),
                                                                  Column("Records", Kind.COUNT, "records",
                                                                         priority=ESSENTIAL)),
                            rows=tuple(skipped.items())))
    if report.skipped_files:
        tables.append(Table(title="Files not read (found in a directory or by a glob)",
                            columns=(Column("File", key="path"), Column("Reason", key="reason")),
                            rows=tuple(report.skipped_files)))
    if report.unpriced:
        tables.append(Table(title="Unpriced (not in the cost: unknown is not free)",
                            columns=(Column("Model", key="model", priority=ESSENTIAL),
                                     Column("Requests", Kind.COUNT, "requests", priority=ESSENTIAL),
                                     Column("Reason", key="reason", priority=ESSENTIAL, wrap=True)),
                            rows=tuple((u.model, u.requests, u.reason) for u in report.unpriced)))
    summary = _summary(report, total_cost, run_rate, unpriced_requests)
    formats = ", ".join(f"{name} {count:,}" for name, count in report.formats.items())
    notes = [f"{report.files} file(s)" + (f"; records by format: {formats}" if formats else ""),
             "each request priced at the catalog period in force on its UTC day; reasoning tokens billed as output"]
    if "claude-code" in report.formats:
        notes.append("Claude Code lines with the same message.id are one request (the largest copy counts)")
    notes.extend(note for agent, note in AGENT_NOTES.items() if agent in report.formats)
    if report.tokens.cache_write:
        notes.append("cache writes at the price of their lifetime: 5 minutes unless the log says 1 hour")
    if report.tokens.web_search_calls:
        notes.append("web searches at the model's per-call fee")
    lines = (f"catalog {report.catalog_version} · each request at the price of its UTC day · month = {HOURS_PER_MONTH} "
             f"hours · {currency}", *rate_lines(report.exchange_rates), *notes)
    return View("usage", document, tuple(tables), lines, tuple(summary), currency=currency)
