"""`aicost usage`: what request logs actually spent, and the workload that reproduces it."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from aicost.cli.inputs import open_catalog
from aicost.cli.output import emit, say, write_report
from aicost.errors import EXIT_OK, InputError, printable
from aicost.render import OutputFormat
from aicost.usage import Grouping, LogFormat

if TYPE_CHECKING:
    from aicost.cli.options import (
        CatalogOption,
        CurrencyOption,
        FormatOption,
        GroupByOption,
        LogFormatOption,
        LogsArgument,
        OutputOption,
        QuietOption,
        SinceOption,
        UntilOption,
        WriteWorkloadOption,
    )
    from aicost.usage import Tally


def usage(
    logs: LogsArgument = None,
    log_format: LogFormatOption = LogFormat.auto,
    by: GroupByOption = Grouping.model,
    since: SinceOption = None,
    until: UntilOption = None,
    write_workload: WriteWorkloadOption = None,
    format: FormatOption = OutputFormat.table,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> int:
    """What request logs actually spent, each request at the price in force on its day; records that cannot be
    used are counted by reason, unknown models reported as unpriced, never $0."""
    from aicost.quantities import parse_iso_date
    from aicost.reports.usage import usage_view
    from aicost.usage import Tally, claude_code_directories, discover, price_tally

    first = None if since is None else parse_iso_date(since, "since")
    last = None if until is None else parse_iso_date(until, "until")
    if first is not None and last is not None and last < first:
        raise InputError(f"--until {until} is before --since {since} — swap them")
    paths = list(logs or [])
    if not paths:
        paths = claude_code_directories(os.environ, os.path.expanduser("~"))
        if not paths:
            raise InputError("no logs given and no Claude Code logs found ($CLAUDE_CONFIG_DIR, ~/.config/claude, "
                             "~/.claude) — name log files or directories")
    files = discover(paths)
    if write_workload is not None:
        _refuse_overwriting(write_workload, files)
    prices = open_catalog(catalog)
    tally = Tally(prices, first, last, log_format.value)
    _read_all(files, tally, quiet)
    report = price_tally(tally, currency or "USD", files=len(files))
    emit(usage_view(report, by.value), format, output, quiet=quiet)
    if format is OutputFormat.csv and not quiet and (report.skipped or report.unpriced):
        say(f"aicost: note: the CSV has the rows only; {sum(report.skipped.values()):,} record(s) not counted and "
            f"{sum(u.requests for u in report.unpriced):,} unpriced request(s) are in --format json or table")
    if write_workload is not None:
        _write_workload(report, write_workload, quiet)
    return EXIT_OK


def _read_all(files: list[str], tally: Tally, quiet: bool) -> None:
    """Every file into the tally, on every core for large inputs, with a progress bar on a terminal."""
    from aicost.usage import PARALLEL_BYTES, file_size, read_logs

    total = sum(file_size(path) for path in files if path != "-")
    progress = _Bar(total) if not quiet and total > PARALLEL_BYTES and sys.stderr.isatty() else None
    try:
        read_logs(files, tally, workers=min(8, os.cpu_count() or 1), stdin=sys.stdin.buffer,
                  done=None if progress is None else progress.advance)
    finally:
        if progress is not None:
            progress.stop()


def _refuse_overwriting(target: str, files: list[str]) -> None:
    """--write-workload must not replace one of the logs being read."""
    try:
        status = os.stat(target)
    except OSError:
        return
    for path in files:
        try:
            other = os.stat(path) if path != "-" else None
        except OSError:
            continue
        if other is not None and (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino):
            raise InputError(f"--write-workload {printable(target)}: is one of the logs being read — write the "
                             "workload to another file")


class _Bar:
    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("reading logs"), BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                                 console=Console(stderr=True), transient=True)
        self.task = self.progress.add_task("logs", total=total)
        self.progress.start()

    def advance(self, amount: int) -> None:
        self.progress.advance(self.task, amount)

    def stop(self) -> None:
        self.progress.stop()


def _write_workload(report: Any, path: str, quiet: bool) -> None:
    import tomli_w

    from aicost.errors import UnpricedError
    from aicost.usage import workload_document

    try:
        document = workload_document(report)
    except UnpricedError as exc:
        raise InputError(f"--write-workload {printable(path)}: {exc.message}") from None
    header = ("# Written by `aicost usage` from observed requests: one stream per model, its requests scaled to a\n"
              f"# 730-hour month from {report.days} day(s) ({report.first_day} to {report.last_day}) and its mean "
              "tokens per request.\n")
    write_report(header + tomli_w.dumps(document), path)
    if report.mixed_prices:
        say("aicost: note: the requests of " + ", ".join(report.mixed_prices) + " met more than one price period "
            "or long-context tier; the workload prices their mean request at one, so `aicost cost` will differ from "
            "the observed run rate")
    if not quiet:
        say(f"aicost: wrote {printable(path)}; `aicost cost {printable(path)}` prices it")
