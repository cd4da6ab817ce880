"""Reading inputs into a tally: one stream (the format told or sniffed), files in parallel worker processes
for large inputs, standard input, and the settling of de-duplication buckets.
"""

from __future__ import annotations

import io
import itertools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aicost.errors import InputError, printable
from aicost.usage.agents import is_codex_line, is_gemini_line, is_gemini_session, read_codex, read_gemini_lines, read_gemini_session
from aicost.usage.dedup import BUCKETS, Deduplicator, spill_errors
from aicost.usage.lines import MAX_LINE_BYTES, LineTooLong, claude_code_decoder, json_decoder, lines_of, open_log, raw_lines, unpacked
from aicost.usage.readers import read_csv, read_json_lines
from aicost.usage.records import Skip, record_of
from aicost.usage.sources import WHOLE_DOCUMENT_LIMIT
from aicost.usage.tally import Tally


def read_stream(stream: Any, label: str, tally: Tally, log_format: str, is_csv_name: bool = False,
                typed_decode: Callable[[bytes], Any] | None = None,
                decode: Callable[[bytes], Any] | None = None, is_codex_name: bool = False) -> str:
    """One log's records into the tally: JSON lines, an aggregate CSV, or one JSON document (a list of records or
    a pretty-printed record), decided by --log-format, the file's name and its first line. A line over
    MAX_LINE_BYTES refuses the whole input (an InputError naming it). A file named as Codex CLI names its rollouts
    (`is_codex_name`) is read as Codex whatever its first line (a cut one is skipped and counted). Returns how it
    was read: "lines" (JSON lines to the end: more lines appended later can be read on their own), "agent" (an
    agent's log, whose reader carries a session's state from line to line: read whole again when it grows),
    "csv", "document" or "empty"."""
    if is_codex_name and log_format == "auto":
        log_format = "codex"
    try:
        return _read_stream(stream, label, tally, log_format, is_csv_name, typed_decode, decode or json_decoder())
    except LineTooLong:
        raise InputError(f"{label}: a line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, the limit of one "
                         "record — is it a log (JSON lines, CSV)?") from None


def _read_stream(stream: Any, label: str, tally: Tally, log_format: str, is_csv_name: bool,
                 typed_decode: Callable[[bytes], Any] | None, decode: Callable[[bytes], Any]) -> str:
    lines = lines_of(stream)
    first = next(lines, None)
    if first is None:
        return "empty"
    stripped = first.lstrip()
    header = {cell.strip().strip('"').lower() for cell in first.decode("utf-8", "replace").split(",")}
    as_csv = log_format == "csv" or (log_format == "auto" and (is_csv_name or {"date", "model"} <= header))
    if as_csv:
        read_csv(_chain(first, lines), tally, label)
        return "csv"
    if _read_agent_log(first, stream, tally, log_format, decode):
        return "agent"
    try:
        decode(first)
    except Skip:
        if not stripped.startswith((b"{", b"[")):  # a stray first line: JSON lines after it, the line counted
            read_json_lines(itertools.chain([first], raw_lines(stream)), tally, typed_decode, decode)
            return "lines"
        second = next(lines, None)
        if second is not None and _decodes(second, decode):  # JSON lines whose first line is broken
            read_json_lines(itertools.chain([first, second], raw_lines(stream)), tally, typed_decode, decode)
            return "lines"
        # one document spread over lines (pretty-printed), else lines read one by one
        start = first + (second or b"")
        text = start + b"".join(_bounded(lines, WHOLE_DOCUMENT_LIMIT - len(start), label))
        try:
            document = decode(text)
        except Skip:
            read_json_lines(text.splitlines(keepends=True), tally, typed_decode, decode)
            return "document"
        _read_document(document, tally, log_format)
        return "document"
    head = [first]
    if stripped.startswith(b"[") and first.rstrip().endswith(b"]"):  # a one-line JSON array of records
        document = decode(first)
        if isinstance(document, list):
            head = []
            for item in document:
                try:
                    tally.add(record_of(item))
                except Skip as skip:
                    tally.skip(skip.reason)
    read_json_lines(itertools.chain(head, raw_lines(stream)), tally, typed_decode, decode)  # no wrapper: fast
    return "lines"


AGENT_READERS: dict[str, Callable[[Iterable[bytes], Tally, Callable[[bytes], Any]], None]] = {
    "codex": read_codex, "gemini-cli": read_gemini_lines}


def _read_document(document: Any, tally: Tally, log_format: str) -> None:
    """One JSON document read whole: a Gemini CLI session, a list of records, or one record."""
    if is_gemini_session(document) and log_format in ("auto", "gemini-cli"):
        read_gemini_session(document, tally)
        return
    for item in document if isinstance(document, list) else [document]:
        try:
            tally.add(record_of(item))
        except Skip as skip:
            tally.skip(skip.reason)


def _read_agent_log(first: bytes, stream: Any, tally: Tally, log_format: str, decode: Callable[[bytes], Any]) -> bool:
    """An agent's log read whole by its own reader when its first line shows it (or --log-format names it): True."""
    if log_format not in AGENT_READERS and log_format != "auto":
        return False
    reader = _agent_reader(first, log_format, decode)
    if reader is None:
        return False
    reader(itertools.chain([first], raw_lines(stream)), tally, decode)
    return True


def _agent_reader(first: bytes, log_format: str,
                  decode: Callable[[bytes], Any]) -> Callable[[Iterable[bytes], Tally, Callable[[bytes], Any]], None] | None:
    """The reader of an agent's log whose first line shows it (or that --log-format names), or None: Codex CLI's
    rollout lines, Gemini CLI's session metadata line or message; a Gemini CLI session written as one document
    (its first line an opening brace) is read whole, as any document is."""
    try:
        obj = decode(first)
    except Skip:
        obj = None
    if log_format == "codex" or (log_format == "auto" and is_codex_line(obj)):
        return read_codex
    if is_gemini_session(obj) and log_format in ("auto", "gemini-cli"):
        return lambda _lines, tally, _decode: read_gemini_session(obj, tally)
    if (log_format == "gemini-cli" and obj is not None) or (log_format == "auto" and is_gemini_line(obj)):
        return read_gemini_lines
    return None


def _decodes(line: bytes, decode: Callable[[bytes], Any]) -> bool:
    try:
        decode(line)
    except Skip:
        return False
    return True


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def _bounded(lines: Iterator[bytes], limit: int, label: str) -> Iterator[bytes]:
    read = 0
    for line in lines:
        read += len(line)
        if read > limit:
            raise InputError(f"{label}: a JSON document over {WHOLE_DOCUMENT_LIMIT // (1024 * 1024)} MiB — write it as "
                             "JSON lines (one record per line)")
        yield line


PARALLEL_BYTES = 32 * 1024 * 1024  # smaller inputs are read in one process: starting more costs more than it saves
_SHARED: dict[str, Any] = {}  # what forked readers inherit: the tally's settings and the spill directory


def read_logs(paths: list[str], tally: Tally, workers: int = 1, stdin: Any = None,
              done: Callable[[int], None] | None = None) -> None:
    """Every log into the tally. Large inputs on several cores: the files are shared out among forked readers
    (balanced by size), each packing its Claude Code lines into buckets in one spill directory; then the buckets
    are shared out and de-duplicated across readers. `done` hears of each file's (or group's) bytes."""
    typed, decode = claude_code_decoder(), json_decoder()
    files = [path for path in paths if path != "-"]
    if "-" in paths:
        read_standard_input(stdin, tally, typed, decode)
    sizes = {path: file_size(path) for path in files}
    workers = min(workers, len(files))
    if workers < 2 or sum(sizes.values()) < PARALLEL_BYTES or not hasattr(os, "fork"):
        for path in files:
            read_file(path, tally, typed, decode)
            if done is not None:
                done(sizes[path])
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    groups: list[list[str]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for path in sorted(files, key=lambda name: -sizes[name]):
        lightest = loads.index(min(loads))
        groups[lightest].append(path)
        loads[lightest] += sizes[path]
    with spill_errors():
        spill_directory = tempfile.TemporaryDirectory(prefix="aicost-usage-")
    with spill_directory as shared:
        _SHARED.update(catalog=tally.catalog, since=tally.since, until=tally.until, log_format=tally.log_format,
                       directory=shared, cache=tally.cache)
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
        try:
            models: dict[str, list[str]] = {}
            for index, part in enumerate(pool.map(_read_group, list(enumerate(groups)))):
                tally.merge(part)
                models[str(index)] = part["models"]
                if done is not None:
                    done(loads[index])
            ranges = [list(range(start, BUCKETS, workers)) for start in range(workers)]
            for part in pool.map(_settle_buckets, [(indices, models) for indices in ranges]):
                tally.merge(part)
        except BaseException:  # Ctrl-C, SIGTERM, a refused input: the readers stop now, not when their work is done
            for process in list((pool._processes or {}).values()):
                process.kill()  # SIGKILL: their work is thrown away, and this process removes the spill
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        else:
            pool.shutdown(wait=True)
        finally:
            _SHARED.clear()


def read_standard_input(stdin: Any, tally: Tally, typed: Callable[[bytes], Any] | None,
                        decode: Callable[[bytes], Any]) -> None:
    """Standard input (`-`) into the tally, decompressed when it starts like gzip or zstd, as a file is."""
    label = "standard input"
    if stdin is None or getattr(stdin, "closed", False):
        raise InputError("standard input is closed — pipe the logs in, or name the log files")
    if not hasattr(stdin, "peek"):  # a stream without a buffer of its own (an in-memory one)
        stdin = io.BufferedReader(stdin)
    try:
        stream = unpacked(stdin, label)
        try:
            read_stream(stream, label, tally, tally.log_format, False, typed, decode)
        finally:
            if stream is not stdin:
                stream.close()
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise InputError(f"{label}: cannot read ({printable(reason)}) — check what is piped in") from None
    except EOFError:
        raise InputError(f"{label}: the compressed data is cut short or corrupt — send it again") from None
    except MemoryError:
        raise InputError(too_large_to_decode(label)) from None


def too_large_to_decode(label: str) -> str:
    """A line or document within the size limits whose values (millions of them) outgrow the memory there is."""
    return (f"{label}: a line or JSON document holds more values than fit in memory — is it a log? Records are one "
            "per line")


def file_size(path: str) -> int:
    """A file's size in bytes, 0 when it cannot be read (reading it will say why)."""
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def read_file(path: str, tally: Tally, typed: Callable[[bytes], Any] | None, decode: Callable[[bytes], Any]) -> None:
    """One log file into the tally; an unreadable or cut-short file is an InputError naming it."""
    is_csv = path.lower().removesuffix(".gz").removesuffix(".zst").endswith(".csv")
    try:
        with open_log(path) as stream:
            if tally.cache is not None:  # usage.cache: what is unchanged since the last run is not read again
                tally.cache.read_file(path, stream, tally, is_csv, typed, decode)
            else:
                read_stream(stream, printable(path), tally, tally.log_format, is_csv, typed, decode,
                            is_codex_name=is_codex_rollout_name(path))
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise InputError(f"{printable(path)}: cannot read ({printable(reason)}) — check the path and its "
                         "permissions") from None
    except EOFError:
        raise InputError(f"{printable(path)}: the compressed file is cut short or corrupt — fetch it again") from None
    except MemoryError:
        raise InputError(too_large_to_decode(printable(path))) from None


def is_codex_rollout_name(path: str) -> bool:
    """A file named as Codex CLI names its session rollouts: `rollout-*.jsonl` (maybe .gz or .zst)."""
    name = os.path.basename(path).removesuffix(".gz").removesuffix(".zst")
    return name.startswith("rollout-") and name.endswith(".jsonl")


def _tally() -> Tally:
    tally = Tally(_SHARED["catalog"], _SHARED["since"], _SHARED["until"], _SHARED["log_format"])
    tally.cache = _SHARED["cache"]
    return tally


def _read_group(job: tuple[int, list[str]]) -> dict[str, Any]:
    """A forked reader: its files into a tally of its own, keyed records spilled for the second stage."""
    index, paths = job
    tally = _tally()
    tally.deduplicator = Deduplicator(_SHARED["directory"], prefix=str(index))
    typed, decode = claude_code_decoder(), json_decoder()
    for path in paths:
        read_file(path, tally, typed, decode)
    tally.deduplicator.spill()
    return tally.export()


def _settle_buckets(job: tuple[list[int], dict[str, list[str]]]) -> dict[str, Any]:
    """A forked de-duplicator: these buckets of every reader, de-duplicated together and counted."""
    indices, models = job
    tally = _tally()
    directory = _SHARED["directory"]
    for index in indices:
        parts = []
        for prefix, names in models.items():
            path = os.path.join(directory, f"{index:03d}.{prefix}")
            if os.path.exists(path):
                with open(path, "rb") as spill:
                    parts.append((spill.read(), names))
        if parts:
            tally.count_bucket(parts)
    return tally.export()
