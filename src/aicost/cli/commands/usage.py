"""`aicost usage`: what request logs actually spent, and the workload that reproduces it."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from aicost.cli.groups import ReportOptions, command
from aicost.cli.inputs import open_catalog
from aicost.cli.output import say, write_report
from aicost.errors import EXIT_OK, InputError, printable
from aicost.render import OutputFormat
from aicost.usage import Grouping, LogFormat

if TYPE_CHECKING:
    from aicost.cli.options import (
        CatalogOption,
        CurrencyOption,
        GroupByOption,
        LogFormatOption,
        LogsArgument,
        NoCacheOption,
        SinceOption,
        UntilOption,
        WriteWorkloadOption,
    )
    from aicost.usage import Tally, UsageReport


@command
def usage(
    logs: LogsArgument = None,
    *,
    log_format: LogFormatOption = LogFormat.auto,
    by: GroupByOption = Grouping.model,
    since: SinceOption = None,
    until: UntilOption = None,
    write_workload: WriteWorkloadOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    no_cache: NoCacheOption = False,
    out: ReportOptions,
) -> int:
    """What request logs actually spent, each request at the price in force on its day; records that cannot be
    used are counted by reason, unknown models reported as unpriced, never $0."""
    from aicost.reports.usage import usage_view
    from aicost.usage import Tally, discover, price_tally

    if out.format is OutputFormat.focus and out.summary:
        raise InputError("--summary and --format focus: the step summary is a report, not billing rows — give "
                         "--format focus without --summary, or run usage again for the summary")
    first, last = _period(since, until)
    skipped: list[tuple[str, str]] = []
    files = discover(_log_paths(logs, log_format.value), skipped)
    stdin = _standard_input() if "-" in files else None
    for option, target in (("--output", out.output), ("--write-workload", write_workload)):
        if target is not None:
            _check_target(option, target)
    _refuse_overwriting(files, stdin, out.output, write_workload)
    prices = open_catalog(catalog)
    tally = Tally(prices, first, last, log_format.value)
    _read_cached(files, tally, out.quiet, stdin, no_cache)
    report = price_tally(tally, currency or "USD", files=len(files), skipped_files=skipped)
    workload_text = None if write_workload is None else _workload_text(report, write_workload, prices)
    view = usage_view(report, by.value)
    focus_text = _focus_text(tally, report) if out.format is OutputFormat.focus else None
    if write_workload is not None and workload_text is not None:
        _write_workload(workload_text, write_workload)  # first: when it fails, no report is left behind
    if focus_text is not None:
        write_report(focus_text, out.output)
    else:
        out.emit(view)
    _notes(report, skipped, out, write_workload if workload_text is not None else None)
    return EXIT_OK


def _focus_text(tally: Tally, report: UsageReport) -> str:
    """The FOCUS 1.2 rows (usage.focus) as CSV; their costs add up to the report's total cost."""
    from aicost.render.focus_format import render_focus
    from aicost.usage.focus import focus_rows

    export = focus_rows(tally, report.currency)
    if export.total != report.total_cost:  # the same prices, split by kind of token: a difference is a bug
        raise AssertionError(f"FOCUS rows add up to {export.total}, the report to {report.total_cost}")
    return render_focus(export)


def _period(since: str | None, until: str | None) -> tuple[dt.date | None, dt.date | None]:
    """--since and --until as dates, in order."""
    from aicost.quantities import parse_iso_date

    first = None if since is None else parse_iso_date(since, "since")
    last = None if until is None else parse_iso_date(until, "until")
    if first is not None and last is not None and last < first:
        raise InputError(f"--until {until} is before --since {since} — swap them")
    return first, last


def _log_paths(logs: list[str] | None, log_format: str = "auto") -> list[str]:
    """The logs named, or else the coding agents' own log directories (only the one --log-format names, if any)."""
    from aicost.usage import agent_directories

    paths = list(logs or [])
    if not paths:
        found = agent_directories(os.environ, os.path.expanduser("~"))
        if log_format in AGENT_FORMATS:
            found = {log_format: found.get(log_format, [])}
        paths = [path for directories in found.values() for path in directories]
        if not paths:
            raise InputError("no logs given and no coding agent's logs found (Claude Code: $CLAUDE_CONFIG_DIR, "
                             "~/.config/claude, ~/.claude; Codex: $CODEX_HOME, ~/.codex; Gemini CLI: "
                             "$GEMINI_CLI_HOME, ~/.gemini; Qwen Code: $QWEN_HOME, ~/.qwen) — name log files or "
                             "directories")
    return paths


AGENT_FORMATS = ("claude-code", "codex", "gemini-cli", "qwen-code")


def _notes(report: UsageReport, skipped: list[tuple[str, str]], out: ReportOptions, written: str | None) -> None:
    """What stderr says after the report: what CSV leaves out, the files not read, the workload written."""
    quiet = out.quiet
    if out.format in (OutputFormat.csv, OutputFormat.focus) and not quiet and (report.skipped or report.unpriced):
        say(f"aicost: note: the CSV has the rows only; {sum(report.skipped.values()):,} record(s) not counted and "
            f"{sum(u.requests for u in report.unpriced):,} unpriced request(s) are in --format json or table")
    if skipped and not quiet:
        named = "; ".join(f"{printable(path)} ({reason})" for path, reason in skipped[:3])
        more = f"; and {len(skipped) - 3:,} more" if len(skipped) > 3 else ""
        say(f"aicost: note: {len(skipped):,} file(s) found in directories or globs not read: {named}{more}")
    if written is not None:
        if report.mixed_prices:
            say("aicost: note: the requests of " + ", ".join(report.mixed_prices) + " met more than one price "
                "period; the workload is priced at one, so `aicost cost` will differ from the observed run rate")
        if not quiet:
            say(f"aicost: wrote {printable(written)}; `aicost cost {printable(written)}` prices it")


def _standard_input() -> Any:
    """Standard input's bytes, or None when it is closed (`<&-`): reading it then says so."""
    stream = sys.stdin
    if stream is None:
        return None
    return getattr(stream, "buffer", None)


def _read_cached(files: list[str], tally: Tally, quiet: bool, stdin: Any, no_cache: bool) -> None:
    """Every file into the tally through the usage cache (usage.cache), unless --no-cache: a run over the same
    unchanged files takes its settled tally from there; otherwise each file is read from where it last ended."""
    from aicost.cli.inputs import user_data_dir
    from aicost.usage import STABLE_KEYS, UsageCache
    from aicost.usage.cache import DIRECTORY_NAME

    if no_cache:
        _read_all(files, tally, quiet, stdin)
        return
    cache = UsageCache(os.path.join(user_data_dir(), DIRECTORY_NAME), tally)
    states = cache.run_state(files)
    if states is not None and cache.load_run(states, tally):
        cache.trim()
        return
    cache.enable(tally)
    try:
        _read_all(files, tally, quiet, stdin)
        tally.settle()
    finally:
        STABLE_KEYS[0] = False
        tally.cache = None
    if states is not None:
        cache.store_run(states, tally)
    cache.trim()


def _read_all(files: list[str], tally: Tally, quiet: bool, stdin: Any) -> None:
    """Every file into the tally, on every core for large inputs, with a progress bar on a terminal."""
    from aicost.usage import PARALLEL_BYTES, file_size, read_logs

    total = sum(file_size(path) for path in files if path != "-")
    progress = _Bar(total) if not quiet and total > PARALLEL_BYTES and sys.stderr.isatty() else None
    try:
        with _terminate_like_interrupt():
            read_logs(files, tally, workers=min(8, os.cpu_count() or 1), stdin=stdin,
                      done=None if progress is None else progress.advance)
    finally:
        if progress is not None:
            progress.stop()


@contextlib.contextmanager
def _terminate_like_interrupt() -> Iterator[None]:
    """While logs are read, SIGTERM raises as Ctrl-C does, so the de-duplication spill in $TMPDIR is removed
    (exit 143). Forked readers inherit the handler: each removes its own work, and the reader's spill directory
    is removed by this process."""
    import signal
    import threading

    from aicost.cli.errors import Terminated

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _check_target(option: str, path: str) -> None:
    """What --output or --write-workload names must be a file in an existing directory: said before any log is
    read, and before anything is written."""
    if not path.strip():
        raise InputError(f"{option} '{printable(path)}': the path is empty — give a file path")
    if path.endswith(os.sep) or os.path.isdir(path):
        raise InputError(f"{option} {printable(path)}: is a directory — give a file path such as "
                         f"{printable(path.rstrip(os.sep) or '.')}{os.sep}observed.toml")
    real = os.path.realpath(path)  # through links, dangling ones too: where an atomic write puts its file
    parent = os.path.dirname(real)
    if not os.path.isdir(parent):
        raise InputError(f"{option} {printable(path)}: the directory {printable(parent)} does not exist — create it "
                         "or choose another path")
    if (not os.path.exists(real) or os.path.isfile(real)) and not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(f"{option} {printable(path)}: cannot write in the directory {printable(parent)} (Permission "
                         "denied) — choose another path")


def _write_workload(text: str, path: str) -> None:
    """The workload, written before the report: if it cannot be written, nothing is (the report is not left
    behind); if the report then fails, the workload stays, complete."""
    from aicost.errors import OutputError

    try:
        write_report(text, path)
    except OutputError as exc:
        raise OutputError(f"--write-workload {exc.message.replace('the report', 'the workload')}; no report was "
                          "written") from None


def _identity(path: str) -> tuple[int, int] | None:
    """The file a path names, through any links (device and inode), or None when there is none yet."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def _refuse_overwriting(files: list[str], stdin: Any, output: str | None, write_workload: str | None) -> None:
    """Neither --output nor --write-workload may replace one of the logs being read (through a link, another name
    or standard input redirected from it), nor name the same file as the other."""
    import stat

    inputs = {identity for path in files if path != "-" and (identity := _identity(path)) is not None}
    if stdin is not None:
        try:
            status = os.fstat(stdin.fileno())
            if stat.S_ISREG(status.st_mode):
                inputs.add((status.st_dev, status.st_ino))
        except (OSError, ValueError, AttributeError):
            pass  # no descriptor (an in-memory stream): nothing on disk to protect
    targets = [(option, path, _identity(path)) for option, path in (("--output", output),
                                                                    ("--write-workload", write_workload)) if path]
    # where each path leads, through every link — a dangling link leads to the file a write would create
    input_paths = {os.path.realpath(path) for path in files if path != "-"}
    for option, path, identity in targets:
        if (identity is not None and identity in inputs) or os.path.realpath(path) in input_paths:
            raise InputError(f"{option} {printable(path)}: is one of the logs being read — write to another file")
    if len(targets) == 2 and ((targets[0][2] is not None and targets[0][2] == targets[1][2])
                              or os.path.realpath(targets[0][1]) == os.path.realpath(targets[1][1])):
        raise InputError(f"--output and --write-workload name the same file ({printable(targets[0][1])}) — give each "
                         "its own")


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


def _workload_text(report: Any, path: str, catalog: Any) -> str:
    """The workload file's text, checked as `aicost cost` will read it: a stream it would refuse is named, with
    why, and nothing is written (not the report either)."""
    import tomllib
    from decimal import Decimal

    import tomli_w

    from aicost.errors import AicostError, UnpricedError
    from aicost.usage import hours_text, workload_document, workload_problem
    from aicost.workload import parse_workload

    try:
        document = workload_document(report)
    except UnpricedError as exc:
        raise InputError(f"--write-workload {printable(path)}: {exc.message}") from None
    problem = workload_problem(document, catalog, dt.date.today())  # the date `aicost cost` prices at by default
    if problem is not None:
        raise InputError(f"--write-workload {printable(path)}: {problem}; nothing was written — leave those requests "
                         "out (--since, --until) or write no workload")
    header = ("# Written by `aicost usage` from observed requests: one stream per model (and per host, service tier,\n"
              "# batch or 1-hour cache writes where the logs say so), its requests scaled to a 730-hour month from\n"
              f"# {hours_text(report.hours)} hours observed ({report.first_day} to {report.last_day}), its mean tokens "
              "per request\n# (sizes: one band per long-context tier, where its requests met more than one), its web "
              "searches\n# per request and its off-peak share.\n")
    text = header + tomli_w.dumps(document)
    try:  # what `aicost cost` reads: the same checks, on the text about to be written
        parse_workload(tomllib.loads(text, parse_float=Decimal), printable(path), catalog)
    except AicostError as exc:
        raise InputError(f"--write-workload {printable(path)}: the workload would not be accepted ({exc.message}); "
                         "nothing was written") from None
    return text
