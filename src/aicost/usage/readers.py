"""The readers of each log format into a tally: JSON lines (Claude Code, Codex, OpenAI-style, LiteLLM; the hot
loop of `aicost usage`) and aggregate CSV rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from aicost.errors import InputError
from aicost.usage.dedup import PACKED
from aicost.usage.lines import MAX_LINE_BYTES, LineTooLong
from aicost.usage.records import (
    AFTER,
    BAD_ROW,
    BAD_TIME,
    BEFORE,
    CSV_COLUMNS,
    CSV_REQUIRED,
    INCONSISTENT,
    KEY_MASK,
    MAX_CELL_DIGITS,
    MAX_MODEL_NAME,
    MAX_REQUESTS_PER_ROW,
    MAX_TIMESTAMP,
    MAX_TOKENS_PER_RECORD,
    NO_MODEL,
    NO_USAGE,
    NOT_OBJECT,
    STABLE_KEYS,
    SYNTHETIC,
    SYNTHETIC_MODEL,
    TIER_CODES,
    TOO_LARGE,
    Record,
    Skip,
    Tokens,
    day_of,
    model_name,
    moment_of,
    record_of,
    stable_key,
    terms_code,
)
from aicost.usage.tally import Tally


def _line_without_usage(line: bytes, decode: Callable[[bytes], Any], skip: Callable[[str], None]) -> bool:
    """A line without a quoted key starting "usage: True for what looks like a JSON object (counted as no usage,
    without decoding it); anything else is decoded to say why it is skipped (a blank line is no record)."""
    if line[:1] == b"{" and (line.endswith(b"}\n") or line.rstrip().endswith(b"}")):
        return True
    if line.strip():
        try:
            skip(NOT_OBJECT if not isinstance(decode(line), dict) else NO_USAGE)
        except Skip as skipped:
            skip(skipped.reason)
    return False


MAX_ORDINAL = dt.date.max.toordinal()


def _untyped(line: bytes) -> Any:
    """No typed decoder (the general reader takes every line)."""
    raise ValueError("no typed decoder")


def _typed_decoder(tally: Tally, typed_decode: Callable[[bytes], Any] | None) -> Callable[[bytes], Any]:
    """The Claude Code decoder when the format allows it, else one that takes no line."""
    if tally.log_format not in ("auto", "claude-code") or typed_decode is None:
        return _untyped
    return typed_decode


def _ordinal_range(since: int | None, until: int | None) -> tuple[int, int]:
    """The day ordinals a record may have: --since to --until, else every day."""
    return (0 if since is None else since, MAX_ORDINAL if until is None else until)


NO_STAMP_YET = "\uffff"  # above every timestamp's text: the first "Z" stamp is below it


def _read_generally(line: bytes, tally: Tally, decode: Callable[[bytes], Any]) -> None:
    """A line the typed decoder does not take, through the general reader of every format."""
    try:
        tally.add(record_of(decode(line)))
    except Skip as skipped:
        tally.skip(skipped.reason)


def _day_ordinal(stamp: str | None, skip: Callable[[str], None], note: Callable[[dt.datetime], None]) -> int | None:
    """The day of a typed line's timestamp of another form than the common UTC "Z" stamp (the hot loop parses
    those), or None (counted); its moment goes to `note` (the hot loop compares "Z" stamps as text)."""
    try:
        day = day_of(stamp).toordinal()
        if (moment := moment_of(stamp)) is not None:
            note(moment)
        return day
    except ValueError:
        skip(BAD_TIME)
    except Skip as skipped:
        skip(skipped.reason)
    return None


def _outside_dates(ordinal: int, since: int | None, until: int | None, skip: Callable[[str], None]) -> bool:
    if since is not None and ordinal < since:
        skip(BEFORE)
        return True
    if until is not None and ordinal > until:
        skip(AFTER)
        return True
    return False


def _new_model(tally: Tally, name: str | None) -> int | None:
    """The index of a model name met for the first time, or None (counted) when it names no model."""
    if name is None or not name.strip() or len(name) > MAX_MODEL_NAME:  # as `model_name` decides
        tally.skip(NO_MODEL)
        return None
    if name == SYNTHETIC_MODEL:
        tally.skip(SYNTHETIC)
        return None
    index = tally.index_of_model(name.strip())
    tally.model_index[name] = index
    return index


def _day_bounds(tally: Tally) -> tuple[int | None, int | None]:
    return (tally.since.toordinal() if tally.since else None, tally.until.toordinal() if tally.until else None)


def _typed_tokens(tally: Tally, usage: Any, model: int, ordinal: int,
                 stamp: str | None) -> tuple[int, int, int, int, int, int, int] | None:
    """A typed Claude Code usage's uncached input, cache reads, cache writes, output, of the writes the 1-hour ones,
    its web searches and its terms code (its service tier, and the off-peak window when its model has one that day);
    None when the lifetimes contradict the total (more 1-hour writes than writes)."""
    uncached, read, written, output = (usage.input_tokens or 0, usage.cache_read_input_tokens or 0,
                                       usage.cache_creation_input_tokens or 0, usage.output_tokens or 0)
    windowed = tally.windowed.get(model)
    if windowed is None:
        windowed = tally.has_windows(model)
    terms = tally.window_terms(model, ordinal, stamp) if windowed else 0
    creation, tool, tier = usage.cache_creation, usage.server_tool_use, usage.service_tier
    if creation is None and tool is None and tier is None:
        return uncached, read, written, output, 0, 0, terms  # the common line: nothing more to read
    hour = 0
    if creation is not None:
        hour = creation.ephemeral_1h_input_tokens or 0
        if usage.cache_creation_input_tokens is None:
            written = (creation.ephemeral_5m_input_tokens or 0) + hour
        if hour > written:
            return None
    searches = (tool.web_search_requests or 0) if tool is not None else 0
    code = TIER_CODES.get(tier) if tier.__class__ is str else None  # "standard", "priority", ... as logs write them
    return uncached, read, written, output, hour, searches, terms | (terms_code(tier) if code is None else code)


def _close_typed_reading(tally: Tally, keyed_bytes: int, typed: int, no_usage: int, first_stamp: str,
                         last_stamp: str) -> None:
    """The counts kept in local variables by the hot loop, into the tally (no "Z" stamp seen: `last_stamp` empty)."""
    if last_stamp:
        tally.note_stamps(first_stamp, last_stamp)
    if keyed_bytes:
        tally.deduplicator.note(keyed_bytes)
    if typed:
        tally.formats["claude-code"] = tally.formats.get("claude-code", 0) + typed
    if no_usage:
        tally.skip(NO_USAGE, no_usage)


def read_json_lines(lines: Iterable[bytes], tally: Tally, typed_decode: Callable[[bytes], Any] | None,
                    decode: Callable[[bytes], Any]) -> None:
    """JSON lines into the tally. A line without a quoted key starting "usage (`usage`, Qwen Code's `usageMetadata`)
    cannot hold a usage object (spaced or compact JSON alike): an object without one is counted as no usage without
    decoding it. A line with one goes through the
    typed Claude Code decoder when there is one (the hot path of large logs, inlined here: the rare cases are the
    helpers above), and anything it does not take through the general reader."""
    typed_decode = _typed_decoder(tally, typed_decode)
    model_index, skip, count = tally.model_index, tally.skip, tally.count_group
    since, until = _day_bounds(tally)
    earliest, latest = _ordinal_range(since, until)
    buffers = tally.deduplicator.buffers
    pack, size = PACKED.pack, PACKED.size
    stable = STABLE_KEYS[0]
    no_usage = typed = keyed_bytes = 0
    first_stamp, last_stamp, note = NO_STAMP_YET, "", tally.note_moment
    longest_line, longest_stamp, parse_time = MAX_LINE_BYTES, MAX_TIMESTAMP, dt.datetime.fromisoformat
    for line in lines:
        if len(line) > longest_line:
            raise LineTooLong()
        # neither "usage" nor Qwen Code's "usageMetadata". rfind, not `in`: CPython's reverse search runs three to
        # four times faster on these lines (and a Claude Code line's usage sits near its end)
        if line.rfind(b'"usage') < 0:
            if line[:1] == b"{" and line[-2:] == b"}\n":  # the common one (an object), counted without a call
                no_usage += 1
            else:
                no_usage += _line_without_usage(line, decode, skip)
            continue
        try:
            item = typed_decode(line)
            message = item.message
            usage = message.usage
            if usage.input_tokens is None and usage.output_tokens is None:
                item = None  # another shape of usage: the general reader knows the other field names
        except Exception:  # not a Claude Code line (or not one it can type): the general reader decides
            item = None
        if item is None:
            _read_generally(line, tally, decode)
            continue
        stamp = item.timestamp
        if stamp.__class__ is str and stamp[-1:] == "Z" and len(stamp) <= longest_stamp:  # the common stamp, inline
            try:
                ordinal = parse_time(stamp).toordinal()
            except ValueError:
                skip(BAD_TIME)
                continue
            if stamp < first_stamp:  # the span observed: "Z" stamps of one form compare as text, in time order
                first_stamp = stamp
            if stamp > last_stamp:
                last_stamp = stamp
        elif (day := _day_ordinal(stamp, skip, note)) is not None:  # any other stamp (its moment noted)
            ordinal = day
        else:
            continue
        if not earliest <= ordinal <= latest:
            _outside_dates(ordinal, since, until, skip)
            continue
        name = message.model
        model = model_index.get(name)
        if model is None:
            model = _new_model(tally, name)
            if model is None:
                continue
        counts = _typed_tokens(tally, usage, model, ordinal, stamp)
        if counts is None:
            skip(INCONSISTENT)
            continue
        uncached, read, written, output, hour, searches, terms = counts
        typed += 1
        if message.id:  # its copies share message.id; a resumed session's copy may lack requestId
            # forked readers share the interpreter's hash key; a cached reading's key is the same in every run
            key = stable_key(message.id) if stable else hash(message.id) & KEY_MASK
            # Claude Code is source 0: the packed day is the bare ordinal
            buffers[key & 255] += pack(key, ordinal, model, terms, uncached, read, written, output, 0, hour, searches)
            keyed_bytes += size
            if keyed_bytes > 1 << 20:
                tally.deduplicator.note(keyed_bytes)
                keyed_bytes = 0
        else:
            count(ordinal, model, Tokens(uncached, read, written, output, 0, hour, searches), 1, uncached + read + written,
                  terms)
    _close_typed_reading(tally, keyed_bytes, typed, no_usage, first_stamp, last_stamp)


def read_csv(lines: Iterable[bytes], tally: Tally, label: str) -> None:
    """An aggregate CSV: one row per day and model (`date, model, requests, input_tokens, cached_input_tokens,
    cache_write_tokens, output_tokens, reasoning_tokens`); input_tokens includes cached and cache-write tokens."""
    import csv

    def rows() -> Iterator[list[str] | None]:
        """Each line's cells, one line at a time: a line the csv module cannot read is None, not the end."""
        for line in lines:
            try:
                yield next(csv.reader([line.decode("utf-8", "replace").rstrip("\r\n")]), [])
            except csv.Error:
                yield None

    reader = rows()
    header = next(reader, None)
    if header is None:
        raise InputError(f"{label}: the CSV header cannot be read — the columns are {', '.join(CSV_COLUMNS)}")
    columns = [name.strip().lower() for name in header]
    missing = [name for name in CSV_REQUIRED if name not in columns]
    if missing:
        raise InputError(f"{label}: the CSV header lacks {', '.join(missing)} — the columns are {', '.join(CSV_COLUMNS)}")
    position = {name: columns.index(name) for name in CSV_COLUMNS if name in columns}
    for row in reader:
        if row is None:
            tally.skip(BAD_ROW)
            continue
        if not any(cell.strip() for cell in row):
            continue  # a blank row is no record
        try:
            def value(name: str, row: list[str] = row) -> int:
                if name not in position:
                    return 0
                cell = row[position[name]].strip() if position[name] < len(row) else ""
                if not cell:
                    return 0
                if not (cell.isascii() and cell.isdigit()):
                    raise Skip(BAD_ROW)
                if len(cell.lstrip("0")) > MAX_CELL_DIGITS:  # before int(): thousands of digits are no count
                    raise Skip(TOO_LARGE)
                number = int(cell)
                if number > MAX_REQUESTS_PER_ROW * MAX_TOKENS_PER_RECORD:
                    raise Skip(TOO_LARGE)
                return number

            if len(row) <= max(position[name] for name in CSV_REQUIRED):
                raise Skip(BAD_ROW)
            day = day_of(row[position["date"]].strip())
            model = model_name(row[position["model"]])
            requests = value("requests")
            given, cached, written = value("input_tokens"), value("cached_input_tokens"), value("cache_write_tokens")
            if requests == 0 or requests > MAX_REQUESTS_PER_ROW:
                raise Skip(BAD_ROW)
            if cached + written > given:
                raise Skip(INCONSISTENT)
            tokens = Tokens(given - cached - written, cached, written, value("output_tokens"), value("reasoning_tokens"))
            tally.add(Record(day, model, tokens, requests=requests, format="csv"))
        except Skip as skip:
            tally.skip(skip.reason)
