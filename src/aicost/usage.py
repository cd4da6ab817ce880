"""Observed spend from request logs (`aicost usage`): records read, de-duplicated, priced on their own day.

Every record becomes one normalised request (or, from an aggregate CSV row, many): its UTC day, its model and
its tokens split by how they are billed — uncached input, cache reads, cache writes, visible output, reasoning.
Records that cannot be used are counted by reason, never dropped silently. Claude Code writes one line per
content block of a streamed answer, and copies earlier lines into resumed sessions: lines with the same
`message.id` and `requestId` are one request, and the copy with the largest token total counts.

De-duplication keeps memory flat: each keyed record is packed into 36 bytes and filed into one of 256 buckets by
its key's hash; buckets spill to a temporary directory past a size limit, and each is de-duplicated alone.
Groups (day, model, long-context tier) are then priced at the catalog period in force that day.

Reading is bounded whatever the input: lines are read at most MAX_LINE_BYTES at a time (a longer line refuses
the input), and a gzip or zstd input is decompressed a bounded chunk at a time, refused past
MAX_DECOMPRESSED_BYTES or past MAX_RATIO times its compressed size (a bomb). Directories and globs open regular
files only; what they hold that cannot be read is reported by `discover`, never opened or dropped silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import itertools
import os
import struct
import tempfile
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from .calc import TokenMix, price_period, request_cost
from .catalog import BASE_CURRENCY, Catalog, ExchangeRate, Model
from .currency import priced_in, rates_used
from .errors import InputError, UnknownModelError, UnpricedError, printable
from .workload import HOURS_PER_DAY, HOURS_PER_MONTH, MAX_TOKENS

ZERO = Decimal(0)


class LogFormat(StrEnum):
    """How to read a log (`--log-format`); auto decides per file."""

    auto = "auto"
    claude_code = "claude-code"
    openai = "openai"
    anthropic = "anthropic"
    csv = "csv"


class Grouping(StrEnum):
    """The rows of a usage report (`--by`)."""

    model = "model"
    day = "day"
    month = "month"

CSV_COLUMNS = ("date", "model", "requests", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens",
               "reasoning_tokens")
CSV_REQUIRED = ("date", "model", "requests", "input_tokens", "output_tokens")
MAX_TOKENS_PER_RECORD = MAX_TOKENS  # a workload's limit (100,000,000): ten times the largest context window
MAX_REQUESTS_PER_ROW = 10**12
MAX_MODEL_NAME = 200  # characters; a longer "model" is no model id
MAX_TIMESTAMP = 64  # characters; no ISO 8601 timestamp is longer
MAX_CELL_DIGITS = 24  # a CSV count: 10^12 requests x 10^8 tokens has 21 digits
MAX_LINE_BYTES = 64 * 1024 * 1024  # one line of a log, its newline included
MAX_DECOMPRESSED_BYTES = 1024**3  # what one gzip or zstd input may expand to (1 GiB)
MAX_RATIO = 200  # past RATIO_FLOOR, decompressed bytes per compressed byte read (logs compress 5 to 30 times)
RATIO_FLOOR = 8 * 1024 * 1024

NO_USAGE = "no usage (not a model response)"
UNREADABLE = "not valid JSON"
NOT_OBJECT = "not a JSON object"
NO_MODEL = "no model name"
SYNTHETIC = "Claude Code synthetic message (no API call)"
SYNTHETIC_MODEL = "<synthetic>"
NO_TIME = "no timestamp"
BAD_TIME = "unreadable timestamp"
BAD_TOKENS = "token counts missing, negative or not whole numbers"
INCONSISTENT = "token counts contradict each other (cached or reasoning above the total)"
TOO_LARGE = "implausibly large token count"
WRONG_FORMAT = "not a record of the --log-format given"
DUPLICATE = "duplicate of a Claude Code line (same message.id and requestId)"
BEFORE = "before --since"
AFTER = "after --until"
BAD_ROW = "CSV row: missing or unreadable value"


class Tokens(NamedTuple):
    """Tokens by how they are billed; `output` is the visible answer, `reasoning` the hidden thinking."""

    uncached_input: int = 0
    cache_read: int = 0
    cache_write: int = 0
    output: int = 0
    reasoning: int = 0

    @property
    def total(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write + self.output + self.reasoning

    @property
    def input(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write

    def __add__(self, other: Tokens) -> Tokens:  # type: ignore[override]  # token sums, not tuple concatenation
        return Tokens(*(a + b for a, b in zip(self, other, strict=True)))


class Skip(Exception):
    """A record that cannot be used, with the reason it is counted under."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Record(NamedTuple):
    day: dt.date
    model: str
    tokens: Tokens
    requests: int = 1
    key: int | None = None  # Claude Code's message.id + requestId, hashed: the copies of one request share it
    format: str = "openai"


# ---------------------------------------------------------------------------------------------- fields


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Skip(BAD_TOKENS)
    if value > MAX_TOKENS_PER_RECORD:
        raise Skip(TOO_LARGE)
    return value


def day_of(value: Any) -> dt.date:
    """The UTC day of an ISO 8601 timestamp or date, or of Unix seconds (milliseconds above 1e11). The whole text
    is read (a valid day followed by junk is unreadable); a moment whose UTC day falls outside the years 1 to 9999
    is unreadable too."""
    if value is None or value == "":
        raise Skip(NO_TIME)
    if isinstance(value, bool):
        raise Skip(BAD_TIME)
    if isinstance(value, int | float):
        try:
            seconds = value / 1000 if value > 1e11 else value
            return dt.datetime.fromtimestamp(seconds, dt.UTC).date()
        except (OverflowError, OSError, ValueError):
            raise Skip(BAD_TIME) from None
    if not isinstance(value, str) or len(value) > MAX_TIMESTAMP:
        raise Skip(BAD_TIME)
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is not None:  # no offset given: taken as UTC
            moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise Skip(BAD_TIME) from None
    return moment.date()


def _model(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_MODEL_NAME:
        raise Skip(NO_MODEL)
    return value.strip()


def _key(message_id: Any, request_id: Any) -> int | None:
    """The 64-bit key of one request's copies: the same in every reader this process forks (one hash key)."""
    if isinstance(message_id, str) and message_id and isinstance(request_id, str) and request_id:
        return hash((message_id, request_id)) & KEY_MASK
    return None


OPENAI_NAMES = (  # (input, its details, output, its details): totals that include cached and reasoning tokens
    ("prompt_tokens", "prompt_tokens_details", "completion_tokens", "completion_tokens_details"),  # Chat Completions
    ("input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details"),  # Responses
)


def usage_tokens(usage: Any) -> tuple[Tokens, str]:
    """A usage object's tokens, by its field names: OpenAI Chat Completions, OpenAI Responses or Anthropic."""
    if not isinstance(usage, dict):
        raise Skip(BAD_TOKENS)
    for given_key, given_details, answer_key, answer_details in OPENAI_NAMES:
        if given_key == "input_tokens" and answer_details not in usage and given_details not in usage:
            continue  # input_tokens without details: Anthropic's names
        if given_key not in usage and answer_key not in usage:
            continue
        details, output_details = usage.get(given_details) or {}, usage.get(answer_details) or {}
        if not isinstance(details, dict) or not isinstance(output_details, dict):
            raise Skip(BAD_TOKENS)
        given, answered = _count(usage.get(given_key)), _count(usage.get(answer_key))
        cached, reasoning = _count(details.get("cached_tokens")), _count(output_details.get("reasoning_tokens"))
        if cached > given or reasoning > answered:
            raise Skip(INCONSISTENT)
        return Tokens(given - cached, cached, 0, answered - reasoning, reasoning), "openai"
    if "input_tokens" in usage or "output_tokens" in usage:  # Anthropic: input_tokens excludes cache reads and writes
        return Tokens(_count(usage.get("input_tokens")), _count(usage.get("cache_read_input_tokens")),
                      _count(usage.get("cache_creation_input_tokens")), _count(usage.get("output_tokens")), 0), "anthropic"
    raise Skip(BAD_TOKENS)


def record_of(obj: Any) -> Record:
    """One log line's request: a Claude Code line, an OpenAI (Chat Completions, Responses, Batch output) or an
    Anthropic response, or a `{model, usage, timestamp}` record."""
    if not isinstance(obj, dict):
        raise Skip(NOT_OBJECT)
    message = obj.get("message")
    if isinstance(message, dict) and "usage" in message:  # Claude Code
        if message.get("model") == SYNTHETIC_MODEL:
            raise Skip(SYNTHETIC)
        tokens, _ = usage_tokens(message["usage"])
        return Record(day_of(obj.get("timestamp")), _model(message.get("model")), tokens,
                      key=_key(message.get("id"), obj.get("requestId")), format="claude-code")
    body = obj
    response = obj.get("response")
    if isinstance(response, dict) and isinstance(response.get("body"), dict):  # an OpenAI Batch output line
        body = response["body"]
    if "usage" not in body:
        raise Skip(NO_USAGE)
    tokens, family = usage_tokens(body["usage"])
    moment = next((value for value in (obj.get("timestamp"), body.get("created_at"), body.get("created"),
                                       obj.get("created_at"), obj.get("created")) if value is not None), None)
    return Record(day_of(moment), _model(body.get("model")), tokens, format=family)


# ---------------------------------------------------------------------------------------------- decoding


def _stdlib_decoder() -> Callable[[bytes], Any]:
    import json

    def decode(line: bytes) -> Any:
        try:
            return json.loads(line)
        except (ValueError, RecursionError):
            raise Skip(UNREADABLE) from None

    return decode


def json_decoder() -> Callable[[bytes], Any]:
    """msgspec's decoder when it is installed (`aicost-calc[logs]`), else the standard library's; both give plain objects."""
    try:
        import msgspec
    except ImportError:
        return _stdlib_decoder()
    decoder = msgspec.json.Decoder()
    stdlib = _stdlib_decoder()

    def decode(line: bytes) -> Any:
        try:
            return decoder.decode(line)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return stdlib(line)  # the standard library decides what is valid JSON (and allows what it allows)
        except RecursionError:  # nested deeper than any decoder goes: no record of ours
            raise Skip(UNREADABLE) from None

    return decode


def claude_code_decoder() -> Callable[[bytes], Any] | None:
    """msgspec's typed decoder of one Claude Code line — it skips the message content without building it and
    checks the token counts in C, several times faster than decoding everything — or None without msgspec."""
    try:
        from ._claude_code_lines import DECODER
    except ImportError:
        return None
    return DECODER.decode


# ---------------------------------------------------------------------------------------------- reading


class _Checked(io.RawIOBase):
    """Decompressed bytes from `chunks`, a generator that raises EOFError when its source ends before it should (a
    cut or corrupt compressed file): a reader never mistakes a broken file for a shorter one. Past
    MAX_DECOMPRESSED_BYTES the input is refused (a compression bomb), whatever its lines hold."""

    def __init__(self, chunks: Iterator[bytes], closing: Callable[[], None], label: str,
                 consumed: Callable[[], int]) -> None:
        self.chunks, self.closing, self.label, self.consumed = chunks, closing, label, consumed
        self.pending = memoryview(b"")
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.total += len(chunk)
            if self.total > MAX_DECOMPRESSED_BYTES:
                raise InputError(f"{self.label}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 1024**3} GiB, the "
                                 "limit of one compressed log (a compression bomb?) — decompress it yourself and pass "
                                 "the result if it is real")
            if self.total > RATIO_FLOOR and self.total > MAX_RATIO * max(self.consumed(), 1):
                raise InputError(f"{self.label}: expands more than {MAX_RATIO:,} times when decompressed, which no log "
                                 "does (a compression bomb?) — decompress it yourself and pass the result if it is real")
            self.pending = memoryview(chunk)  # sliced without copying: reading a large chunk stays linear
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            self.pending = memoryview(b"")
            self.closing()
        super().close()


ZSTD_FEED = 2048  # compressed bytes per call: zstd expands a byte to at most about 32 KiB, so 64 MiB at once
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _is_zstd(magic: bytes) -> bool:
    """A zstd frame, or a skippable frame (0x184D2A50 to 0x184D2A5F, little-endian), as pzstd writes first."""
    return magic == ZSTD_MAGIC or (len(magic) == 4 and magic[1:] == b"\x2a\x4d\x18" and magic[0] & 0xF0 == 0x50)


def _zstd_stream(raw: Any, path: str | None, label: str) -> Any:
    """A zstd input's bytes: the zstandard package, else a `zstd` program; a cut or corrupt input is an EOFError."""
    try:
        import zstandard
    except ImportError:
        return _zstd_program(raw, path, label)

    counted = _Counted(raw)

    def chunks() -> Iterator[bytes]:
        decompressor = zstandard.ZstdDecompressor().decompressobj()
        started = False
        try:
            while True:
                data = counted.read(1 << 14)
                if not data:
                    break
                view = memoryview(data)
                for start in range(0, len(view), ZSTD_FEED):
                    feed = view[start:start + ZSTD_FEED]
                    while feed:
                        if started and decompressor.eof:  # another frame (or a skippable one) follows
                            decompressor = zstandard.ZstdDecompressor().decompressobj()
                        started = True
                        output = decompressor.decompress(feed)
                        feed = memoryview(decompressor.unused_data) if decompressor.eof else memoryview(b"")
                        if output:
                            yield output
        except zstandard.ZstdError:
            raise EOFError("corrupt zstd data") from None
        if not decompressor.eof:
            raise EOFError("the zstd frame is cut short")

    return io.BufferedReader(_Checked(chunks(), raw.close, label, counted.count), buffer_size=1 << 20)


class _Counted:
    """A compressed source that counts the bytes read from it (for the expansion ratio)."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.read_bytes = raw, 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)
        self.read_bytes += len(data)
        return data

    def count(self) -> int:
        return self.read_bytes

    def close(self) -> None:
        self.raw.close()


def _zstd_program(raw: Any, path: str | None, label: str) -> Any:
    """zstd through the `zstd` program: a file by its path, standard input fed through a pipe."""
    import shutil
    import subprocess
    import threading

    if shutil.which("zstd") is None:
        raw.close()
        raise InputError(f"{label}: zstd data needs the zstandard package (pip install 'aicost-calc[logs]') or a zstd "
                         "program on the PATH")
    counted = _Counted(raw)
    if path is not None:
        try:
            size = os.fstat(raw.fileno()).st_size
        except (OSError, ValueError):
            size = 0
        raw.close()
        counted.read_bytes = size  # the program reads it at its own pace: the whole file is the fair measure
        process = subprocess.Popen(["zstd", "-dcq", "--", path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
    else:
        process = subprocess.Popen(["zstd", "-dcq"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        feeding = process.stdin
        assert feeding is not None

        def feed() -> None:
            try:
                while data := counted.read(1 << 20):
                    feeding.write(data)
            except (OSError, ValueError):
                pass  # the reader stopped (a refusal or the end): nothing more to give
            finally:
                with contextlib.suppress(OSError):
                    feeding.close()

        threading.Thread(target=feed, daemon=True).start()
    assert process.stdout is not None
    output = process.stdout

    def chunks() -> Iterator[bytes]:
        while True:
            data = output.read(1 << 20)
            if not data:
                break
            yield data
        if process.wait() != 0:
            raise EOFError("zstd could not decompress it")

    def closing() -> None:
        output.close()
        if process.poll() is None:
            process.kill()
            process.wait()

    return io.BufferedReader(_Checked(chunks(), closing, label, counted.count), buffer_size=1 << 20)


def _gzip_stream(raw: Any, label: str) -> Any:
    import gzip
    import zlib

    counted = _Counted(raw)
    unpacked = gzip.GzipFile(fileobj=counted, mode="rb")  # type: ignore[call-overload]  # it only reads

    def chunks() -> Iterator[bytes]:
        try:
            while data := unpacked.read(1 << 20):  # each read is bounded: a bomb expands a chunk at a time
                yield data
        except (zlib.error, gzip.BadGzipFile):
            raise EOFError("corrupt gzip data") from None

    def closing() -> None:
        unpacked.close()
        raw.close()

    return io.BufferedReader(_Checked(chunks(), closing, label, counted.count), buffer_size=1 << 20)


def unpacked(raw: Any, label: str, path: str | None = None) -> Any:
    """A binary stream's bytes, decompressed when it starts like gzip or zstd (whatever its name), UTF-16 refused.
    Its first bytes are peeked, so a pipe (standard input, `<(command)`) reads whole. `path`: a file's, for the
    zstd program; None for standard input. Closing the result closes `raw`."""
    magic = raw.peek(4)[:4]
    if magic[:2] == b"\x1f\x8b":
        return _gzip_stream(raw, label)
    if _is_zstd(magic):
        return _zstd_stream(raw, path, label)
    if magic[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raw.close()
        raise InputError(f"{label}: UTF-16 text — save it as UTF-8")
    return raw


def open_log(path: str) -> Any:
    """A log file's bytes, decompressed when it starts like gzip or zstd (whatever its name). The file is opened
    once and its first bytes peeked, so a pipe (`<(command)`) reads whole."""
    raw = io.BufferedReader(io.FileIO(path, "rb"), buffer_size=1 << 20)  # the caller closes it
    return unpacked(raw, printable(path), path)


class LineTooLong(Exception):
    """A line over MAX_LINE_BYTES: no log record is that long (an endless line, a binary file)."""


def raw_lines(stream: Any) -> Iterator[bytes]:
    """The stream's lines, each read with a bound: a line over MAX_LINE_BYTES comes back cut at the bound (the
    reader refuses it with LineTooLong), so an endless line never fills memory."""
    return iter(functools.partial(stream.readline, MAX_LINE_BYTES + 1), b"")


def lines_of(stream: Any) -> Iterator[bytes]:
    """The stream's lines; a BOM is dropped, and blank lines are not records."""
    first = True
    for line in raw_lines(stream):
        if len(line) > MAX_LINE_BYTES:
            raise LineTooLong()
        if first:
            first = False
            if line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
        if line.strip():
            yield line


# ---------------------------------------------------------------------------------------------- de-duplication


_PACKED = struct.Struct("<QIIIIIII")  # key, day ordinal, model index, the five token counts: 36 bytes
KEY_MASK = (1 << 64) - 1
BUCKETS = 256
SPILL_BYTES = 64 * 1024 * 1024  # buffered keyed records beyond this go to temporary files


@contextlib.contextmanager
def spill_errors() -> Iterator[None]:
    """A temporary directory that cannot take the spilled buckets (full, missing, read-only) is the environment's
    fault: one line naming it and the fix, not an internal error."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = printable(tempfile.gettempdir())
        raise InputError(f"temporary directory {where}: cannot hold the de-duplication buckets ({printable(reason)}) "
                         "— free space there, or set TMPDIR to a directory with room") from None


class Deduplicator:
    """Keyed records (Claude Code lines), filed into buckets by their key's hash, spilled to disk past a limit."""

    def __init__(self, directory: str | None = None, prefix: str = "0") -> None:
        """`directory`: a shared spill directory (a parallel read's), kept by its owner; else a private one on demand."""
        self.buffers = [bytearray() for _ in range(BUCKETS)]
        self.buffered = 0
        self.directory: tempfile.TemporaryDirectory[str] | None = None
        self.shared = directory
        self.prefix = prefix
        self.records = 0

    def add(self, key: int, day: int, model: int, tokens: Tokens) -> None:
        packed = _PACKED.pack(key, day, model, *tokens)
        self.buffers[key & 255] += packed
        self.buffered += len(packed)
        self.records += 1
        if self.buffered > SPILL_BYTES:
            self._spill()

    def _spill(self) -> None:
        with spill_errors():
            if self.shared is None and self.directory is None:
                self.directory = tempfile.TemporaryDirectory(prefix="aicost-usage-")
            where = self.shared if self.shared is not None else self.directory.name  # type: ignore[union-attr]
            for index, buffer in enumerate(self.buffers):
                if buffer:
                    with open(os.path.join(where, f"{index:03d}.{self.prefix}"), "ab") as spill:
                        spill.write(buffer)
                    buffer.clear()
        self.buffered = 0

    def spill(self) -> None:
        """Everything to the spill directory (a parallel reader hands its buckets on)."""
        self._spill()

    def note(self, added: int) -> None:
        """Records packed straight into the buffers by the hot path: `added` bytes; spill past the limit."""
        self.buffered += added
        self.records += added // _PACKED.size
        if self.buffered > SPILL_BYTES:
            self._spill()

    def buckets(self) -> Iterator[bytes]:
        """Each bucket's packed records (its spilled part first), then the private spill directory is removed."""
        try:
            for index, buffer in enumerate(self.buffers):
                data = bytes(buffer)
                buffer.clear()
                if self.directory is not None:
                    path = os.path.join(self.directory.name, f"{index:03d}.{self.prefix}")
                    if os.path.exists(path):
                        with open(path, "rb") as spill:
                            data = spill.read() + data
                yield data
        finally:
            if self.directory is not None:
                self.directory.cleanup()


# ---------------------------------------------------------------------------------------------- aggregation


def shape(uncached: int, read: int, written: int, output: int, reasoning: int) -> int:
    """Which kinds of tokens requests have (four bits): requests are grouped by it, so that one kind a model
    has no price for (cache reads before caching existed, say) leaves unpriced only the requests that used it."""
    return (uncached > 0) | (read > 0) << 1 | (written > 0) << 2 | (output + reasoning > 0) << 3


class Tally:
    """Requests and tokens per (day, model, tier), with skipped records by reason."""

    def __init__(self, catalog: Catalog, since: dt.date | None, until: dt.date | None, log_format: str) -> None:
        self.catalog = catalog
        self.since, self.until, self.log_format = since, until, log_format
        self.groups: dict[tuple[int, int, int], list[int]] = {}  # (day ordinal, model index, tier index)
        # Every reader numbers the catalog's names alike (its ids and aliases, in order): the second stage of a
        # parallel read then renumbers nothing unless a reader met a name the catalog does not know.
        self.models: list[str] = sorted({name for model in catalog.models for name in (model.id, *model.aliases)})
        self.model_index: dict[str, int] = {name: index for index, name in enumerate(self.models)}
        self.thresholds: dict[tuple[int, int], tuple[int, ...]] = {}
        self.skipped: dict[str, int] = {}
        self.formats: dict[str, int] = {}
        self.deduplicator = Deduplicator()

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def export(self) -> dict[str, Any]:
        """What a parallel reader hands back: its groups by model name, skipped records, formats and model names."""
        groups = {(day, self.models[model], tier): sums for (day, model, tier), sums in self.groups.items()}
        return {"groups": groups, "skipped": self.skipped, "formats": self.formats, "models": self.models}

    def merge(self, part: dict[str, Any]) -> None:
        for (day, name, tier), sums in part["groups"].items():
            key = (day, self._model(name), tier)
            kept = self.groups.get(key)
            if kept is None:
                self.groups[key] = list(sums)
            else:
                for index, value in enumerate(sums):
                    kept[index] += value
        for reason, count in part["skipped"].items():
            self.skip(reason, count)
        for name, count in part["formats"].items():
            self.formats[name] = self.formats.get(name, 0) + count

    def _model(self, name: str) -> int:
        index = self.model_index.get(name)
        if index is None:
            index = len(self.models)
            self.models.append(name)
            self.model_index[name] = index
        return index

    def _tier(self, model: int, day: int, input_tokens: int) -> int:
        """Which long-context tier a request of this size falls in on that day (0: none), per the catalog."""
        thresholds = self.thresholds.get((model, day))
        if thresholds is None:
            thresholds = ()
            try:
                found = self.catalog.resolve(self.models[model])
                period = found.period_on(dt.date.fromordinal(day))
                if period is not None:
                    thresholds = tuple(tier.above_input_tokens for tier in period.tiers)
            except UnknownModelError:
                pass
            self.thresholds[(model, day)] = thresholds
        tier = 0
        for index, threshold in enumerate(thresholds, start=1):
            if input_tokens > threshold:
                tier = index
        return tier

    def _count(self, day: int, model: int, tokens: Tokens, requests: int, input_per_request: int) -> None:
        key = (day, model, self._tier(model, day, input_per_request) << 4 | shape(*tokens))
        sums = self.groups.get(key)
        if sums is None:
            self.groups[key] = [requests, *tokens]
        else:
            sums[0] += requests
            for index, value in enumerate(tokens, start=1):
                sums[index] += value

    def add(self, record: Record) -> None:
        if self.log_format not in ("auto", record.format):
            raise Skip(WRONG_FORMAT)
        if self.since is not None and record.day < self.since:
            raise Skip(BEFORE)
        if self.until is not None and record.day > self.until:
            raise Skip(AFTER)
        self.formats[record.format] = self.formats.get(record.format, 0) + record.requests
        model = self._model(record.model)
        if record.key is not None:
            self.deduplicator.add(record.key, record.day.toordinal(), model, record.tokens)
        else:
            per_request = record.tokens.input // record.requests if record.requests else 0
            self._count(record.day.toordinal(), model, record.tokens, record.requests, per_request)

    def settle(self) -> None:
        """Fold the de-duplicated keyed records into the groups."""
        for data in self.deduplicator.buckets():
            self.count_bucket([(data, self.models)])

    def _wins(self, row: tuple[int, ...], kept: tuple[int, ...]) -> bool:
        """Between two copies of one request with the same token total, whichever order they were read in: the
        larger token counts (uncached input first, then cache reads, writes, output, reasoning), then the later day,
        then the model name later in code-point order."""
        return (row[3:], row[1], self.models[row[2]]) > (kept[3:], kept[1], self.models[kept[2]])

    def count_bucket(self, parts: list[tuple[bytes, list[str]]]) -> None:
        """One bucket's packed records — from one reader or several, each with the model names its indices stand
        for — de-duplicated (the copy with the largest total counts) and counted into the groups."""
        best: dict[int, tuple[int, ...]] = {}
        copies = 0
        unpack = _PACKED.iter_unpack
        for data, models in parts:
            copies += len(data) // _PACKED.size
            mapping = [self._model(name) for name in models]
            rows: Iterable[tuple[int, ...]] = unpack(data)
            if mapping != list(range(len(mapping))):  # this reader numbered its models otherwise: renumber
                rows = ((r[0], r[1], mapping[r[2]], r[3], r[4], r[5], r[6], r[7]) for r in rows)
            for row in rows:
                kept = best.setdefault(row[0], row)
                if kept is not row:
                    total, kept_total = sum(row[3:]), sum(kept[3:])
                    if total > kept_total or (total == kept_total and self._wins(row, kept)):
                        best[row[0]] = row  # the copy with the largest token total counts
        groups, thresholds = self.groups, self.thresholds
        for _, day, model, uncached, read, written, output, reasoning in best.values():
            limits = thresholds.get((model, day))
            if limits is None:
                self._tier(model, day, 0)
                limits = thresholds[(model, day)]
            tier = 0
            if limits:
                size = uncached + read + written
                for index, threshold in enumerate(limits, start=1):
                    if size > threshold:
                        tier = index
            key = (day, model, tier << 4 | shape(uncached, read, written, output, reasoning))
            sums = groups.get(key)
            if sums is None:
                groups[key] = [1, uncached, read, written, output, reasoning]
            else:
                sums[0] += 1
                sums[1] += uncached
                sums[2] += read
                sums[3] += written
                sums[4] += output
                sums[5] += reasoning
        dropped = copies - len(best)
        if dropped:
            self.skip(DUPLICATE, dropped)
            self.formats["claude-code"] = self.formats.get("claude-code", 0) - dropped


def read_json_lines(lines: Iterable[bytes], tally: Tally, typed_decode: Callable[[bytes], Any] | None,
                    decode: Callable[[bytes], Any]) -> None:
    """JSON lines into the tally. A line without a quoted "usage" key cannot hold a usage object (spaced or compact
    JSON alike): an object without one is counted as no usage without decoding it. A line with one goes through the
    typed Claude Code decoder when there is one (the hot path of large logs, inlined here), and anything it does
    not take through the general reader."""
    if typed_decode is None or tally.log_format not in ("auto", "claude-code"):
        typed_decode = None
    model_index, skip, count = tally.model_index, tally.skip, tally._count
    since = tally.since.toordinal() if tally.since else None
    until = tally.until.toordinal() if tally.until else None
    buffers = tally.deduplicator.buffers
    pack, size = _PACKED.pack, _PACKED.size
    dated = since is not None or until is not None
    no_usage = typed = keyed_bytes = 0
    parse_time, longest_line, longest_stamp = dt.datetime.fromisoformat, MAX_LINE_BYTES, MAX_TIMESTAMP
    for line in lines:
        if len(line) > longest_line:
            raise LineTooLong()
        if b'"usage"' not in line:
            if line[:1] == b"{" and (line.endswith(b"}\n") or line.rstrip().endswith(b"}")):
                no_usage += 1
            elif not line.strip():
                continue  # a blank line is no record
            else:
                try:
                    skip(NOT_OBJECT if not isinstance(decode(line), dict) else NO_USAGE)
                except Skip as skipped:
                    skip(skipped.reason)
            continue
        item = None
        if typed_decode is not None:
            try:
                item = typed_decode(line)
                message = item.message
                usage = message.usage
                if usage.input_tokens is None and usage.output_tokens is None:
                    item = None  # another shape of usage: the general reader knows the other field names
            except Exception:  # not a Claude Code line (or not one it can type): the general reader decides
                item = None
        if item is None:
            try:
                tally.add(record_of(decode(line)))
            except Skip as skipped:
                skip(skipped.reason)
            continue
        stamp = item.timestamp
        try:
            if stamp is not None and stamp[-1:] == "Z" and len(stamp) <= longest_stamp:  # UTC, the common case
                ordinal = parse_time(stamp).toordinal()
            else:
                ordinal = day_of(stamp).toordinal()
        except ValueError:
            skip(BAD_TIME)
            continue
        except Skip as skipped:
            skip(skipped.reason)
            continue
        if dated:
            if since is not None and ordinal < since:
                skip(BEFORE)
                continue
            if until is not None and ordinal > until:
                skip(AFTER)
                continue
        name = message.model
        model = model_index.get(name)
        if model is None:
            if name is None or not name.strip() or len(name) > MAX_MODEL_NAME:  # as `_model` decides
                skip(NO_MODEL)
                continue
            if name == SYNTHETIC_MODEL:
                skip(SYNTHETIC)
                continue
            model = tally._model(name.strip())
            model_index[name] = model
        typed += 1
        uncached, read, written, output = (usage.input_tokens or 0, usage.cache_read_input_tokens or 0,
                                           usage.cache_creation_input_tokens or 0, usage.output_tokens or 0)
        request = item.requestId
        if message.id and request:
            key = hash((message.id, request)) & KEY_MASK  # forked readers share the interpreter's hash key
            buffers[key & 255] += pack(key, ordinal, model, uncached, read, written, output, 0)
            keyed_bytes += size
            if keyed_bytes > 1 << 20:
                tally.deduplicator.note(keyed_bytes)
                keyed_bytes = 0
        else:
            count(ordinal, model, Tokens(uncached, read, written, output, 0), 1, uncached + read + written)
    if keyed_bytes:
        tally.deduplicator.note(keyed_bytes)
    if typed:
        tally.formats["claude-code"] = tally.formats.get("claude-code", 0) + typed
    if no_usage:
        skip(NO_USAGE, no_usage)


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
            model = _model(row[position["model"]])
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


# ---------------------------------------------------------------------------------------------- sources


LOG_SUFFIXES = (".jsonl", ".ndjson", ".json", ".log", ".csv")
COMPRESSED_SUFFIXES = ("", ".gz", ".zst")
WHOLE_DOCUMENT_LIMIT = 64 * 1024 * 1024  # a (pretty-printed) JSON document, not JSON lines, is read whole
CLAUDE_CONFIG_VARIABLE = "CLAUDE_CONFIG_DIR"


def claude_code_directories(environ: dict[str, str] | os._Environ[str], home: str) -> list[str]:
    """Where Claude Code keeps its logs: $CLAUDE_CONFIG_DIR (comma-separated), else ~/.config/claude and ~/.claude;
    the `projects` directory inside each that exists."""
    configured = environ.get(CLAUDE_CONFIG_VARIABLE, "")
    roots = [part.strip() for part in configured.split(",") if part.strip()] if configured.strip() else [
        os.path.join(home, ".config", "claude"), os.path.join(home, ".claude")]
    return [os.path.join(root, "projects") for root in roots if os.path.isdir(os.path.join(root, "projects"))]


def _is_log_name(name: str) -> bool:
    return any(name.endswith(suffix + packed) for suffix in LOG_SUFFIXES for packed in COMPRESSED_SUFFIXES)


def discover(paths: Iterable[str], skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Files to read: each path as given ("-" is standard input), a directory's log files (recursively, by name:
    .jsonl, .ndjson, .json, .log, .csv, each maybe .gz or .zst), or a glob's matches, in a stable order. What a
    directory or a glob holds that cannot be read as a file — a FIFO, a socket, a device, an unreadable file or
    subdirectory, a dangling link — is not opened: it goes to `skipped` as (path, reason). A path named as such is
    read whatever it is (a pipe: `<(command)`)."""
    skipped = [] if skipped is None else skipped
    found: list[str] = []
    for path in paths:
        if path == "-":
            found.append(path)
        elif os.path.isdir(path):
            found.extend(_walk(path, skipped))
        elif os.path.exists(path) or os.path.islink(path):
            found.append(path)
        elif _has_magic(path):
            matches = _glob(path)
            if not matches:
                raise InputError(f"{printable(path)}: no file matches this pattern — check the path")
            for match in matches:
                if os.path.isdir(match):
                    found.extend(_walk(match, skipped))
                elif (reason := _unusable(match)) is not None:
                    skipped.append((match, reason))
                else:
                    found.append(match)
        else:
            try:
                os.stat(path)
            except PermissionError:  # a directory on the way cannot be searched: not "no such file"
                raise InputError(f"{printable(path)}: cannot reach it (Permission denied) — check the permissions of "
                                 "the directories on its path") from None
            except (OSError, ValueError):
                pass
            raise InputError(f"{printable(path)}: no such file or directory — give log files, directories or a glob")
    return _unique_files(found)


def _has_magic(path: str) -> bool:
    import glob

    return glob.has_magic(path)


def _unusable(path: str) -> str | None:
    """Why a file found in a directory or by a glob cannot be read as a log, or None when it can."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read it ({exc.strerror or type(exc).__name__})"
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
        return f"{kind}, not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot read it (Permission denied)"
    return None


def _walk(top: str, skipped: list[tuple[str, str]]) -> list[str]:
    """A directory's log files, sorted; its links to directories are not followed (os.walk's default)."""
    inside: list[str] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else top
        reason = exc.strerror or type(exc).__name__
        if where == top:
            raise InputError(f"{printable(top)}: cannot read this directory ({printable(reason)}) — check its "
                             "permissions") from None
        skipped.append((where, f"cannot read this directory ({reason})"))

    for root, directories, names in os.walk(top, onerror=failed):
        directories.sort()
        for name in sorted(names):
            if _is_log_name(name):
                path = os.path.join(root, name)
                reason = _unusable(path)
                if reason is None:
                    inside.append(path)
                else:
                    skipped.append((path, reason))
    return sorted(inside)


def _glob(pattern: str) -> list[str]:
    """A glob's matches, sorted. `**` (any number of directories) is walked here, not by the glob module, which
    follows a directory link every time it meets one (two links in a loop never finish): links are followed, but
    no directory is entered twice. As in the glob module, `*` and `**` do not match names starting with a dot."""
    import fnmatch
    import glob

    parts = pattern.split(os.sep)
    if "**" not in parts:
        return sorted(glob.glob(pattern))
    first = next(index for index, part in enumerate(parts) if glob.has_magic(part))
    base = os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")
    wanted: list[str] = []
    for part in parts[first:]:
        if not (part == "**" and wanted[-1:] == ["**"]):  # `**/**` is `**`
            wanted.append(part)
    directories_only = wanted[-1] == ""
    if directories_only:
        wanted.pop()

    def matches(patterns: list[str], names: list[str]) -> bool:
        if not patterns:
            return not names
        head = patterns[0]
        if head == "**":
            for taken in range(len(names) + 1):
                if taken and names[taken - 1].startswith("."):
                    return False
                if matches(patterns[1:], names[taken:]):
                    return True
            return False
        if not names or (names[0].startswith(".") and not head.startswith(".")):
            return False
        return fnmatch.fnmatchcase(names[0], head) and matches(patterns[1:], names[1:])

    start = base or os.curdir
    found: list[str] = []
    try:
        status = os.stat(start)
    except OSError:
        return []
    seen = {(status.st_dev, status.st_ino)}
    for root, directories, names in os.walk(start, followlinks=True):
        kept = []
        for name in sorted(directories):
            try:
                status = os.stat(os.path.join(root, name))
            except OSError:
                continue
            if (status.st_dev, status.st_ino) not in seen:  # a link to a directory met before: not again
                seen.add((status.st_dev, status.st_ino))
                kept.append(name)
        directories[:] = kept
        relative = os.path.relpath(root, start)
        prefix = [] if relative == os.curdir else relative.split(os.sep)
        for name in [*kept, *([] if directories_only else names)]:
            if matches(wanted, [*prefix, name]):
                found.append(os.path.join(base, *prefix, name) if base else os.path.join(*prefix, name))
    return sorted(found)


def _unique_files(paths: list[str]) -> list[str]:
    """Each file once, however it was named (`a.jsonl ./a.jsonl`, a symlink, a glob through a link loop)."""
    seen: set[tuple[int, int]] = set()
    unique = []
    for path in paths:
        if path != "-":
            try:
                status = os.stat(path)
            except OSError:
                unique.append(path)  # reading it will say what is wrong
                continue
            identity = (status.st_dev, status.st_ino)
            if identity in seen:
                continue
            seen.add(identity)
        unique.append(path)
    return unique


def read_stream(stream: Any, label: str, tally: Tally, log_format: str, is_csv_name: bool = False,
                typed_decode: Callable[[bytes], Any] | None = None,
                decode: Callable[[bytes], Any] | None = None) -> None:
    """One log's records into the tally: JSON lines, an aggregate CSV, or one JSON document (a list of records or
    a pretty-printed record), decided by --log-format, the file's name and its first line. A line over
    MAX_LINE_BYTES refuses the whole input (an InputError naming it)."""
    try:
        _read_stream(stream, label, tally, log_format, is_csv_name, typed_decode, decode or json_decoder())
    except LineTooLong:
        raise InputError(f"{label}: a line is longer than {MAX_LINE_BYTES // (1024 * 1024)} MiB, the limit of one "
                         "record — is it a log (JSON lines, CSV)?") from None


def _read_stream(stream: Any, label: str, tally: Tally, log_format: str, is_csv_name: bool,
                 typed_decode: Callable[[bytes], Any] | None, decode: Callable[[bytes], Any]) -> None:
    lines = lines_of(stream)
    first = next(lines, None)
    if first is None:
        return
    stripped = first.lstrip()
    header = {cell.strip().strip('"').lower() for cell in first.decode("utf-8", "replace").split(",")}
    as_csv = log_format == "csv" or (log_format == "auto" and (is_csv_name or {"date", "model"} <= header))
    if as_csv:
        read_csv(_chain(first, lines), tally, label)
        return
    try:
        decode(first)
    except Skip:
        if not stripped.startswith((b"{", b"[")):  # a stray first line: JSON lines after it, the line counted
            read_json_lines(itertools.chain([first], raw_lines(stream)), tally, typed_decode, decode)
            return
        second = next(lines, None)
        if second is not None and _decodes(second, decode):  # JSON lines whose first line is broken
            read_json_lines(itertools.chain([first, second], raw_lines(stream)), tally, typed_decode, decode)
            return
        # one document spread over lines (pretty-printed), else lines read one by one
        start = first + (second or b"")
        text = start + b"".join(_bounded(lines, WHOLE_DOCUMENT_LIMIT - len(start), label))
        try:
            document = decode(text)
        except Skip:
            read_json_lines(text.splitlines(keepends=True), tally, typed_decode, decode)
            return
        records = document if isinstance(document, list) else [document]
        for item in records:
            try:
                tally.add(record_of(item))
            except Skip as skip:
                tally.skip(skip.reason)
        return
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
                       directory=shared)
        try:
            with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
                models: dict[str, list[str]] = {}
                for index, part in enumerate(pool.map(_read_group, list(enumerate(groups)))):
                    tally.merge(part)
                    models[str(index)] = part["models"]
                    if done is not None:
                        done(loads[index])
                ranges = [list(range(start, BUCKETS, workers)) for start in range(workers)]
                for part in pool.map(_settle_buckets, [(indices, models) for indices in ranges]):
                    tally.merge(part)
        finally:
            _SHARED.clear()


def read_standard_input(stdin: Any, tally: Tally, typed: Callable[[bytes], Any] | None,
                        decode: Callable[[bytes], Any]) -> None:
    """Standard input (`-`) into the tally, decompressed when it starts like gzip or zstd, as a file is."""
    label = "standard input"
    if stdin is None or getattr(stdin, "closed", False):
        raise InputError("standard input is closed — pipe the logs in (`... | aicost usage -`), or name the log files")
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
            read_stream(stream, printable(path), tally, tally.log_format, is_csv, typed, decode)
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise InputError(f"{printable(path)}: cannot read ({printable(reason)}) — check the path and its "
                         "permissions") from None
    except EOFError:
        raise InputError(f"{printable(path)}: the compressed file is cut short or corrupt — fetch it again") from None
    except MemoryError:
        raise InputError(too_large_to_decode(printable(path))) from None


def _tally() -> Tally:
    return Tally(_SHARED["catalog"], _SHARED["since"], _SHARED["until"], _SHARED["log_format"])


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


# ---------------------------------------------------------------------------------------------- pricing and report


class UsageRow(NamedTuple):
    label: str  # a model id, a day or a month
    requests: int
    tokens: Tokens
    cost: Decimal | None  # None: nothing in the row could be priced


class Unpriced(NamedTuple):
    model: str
    requests: int
    tokens: Tokens
    reason: str


class UsageReport(NamedTuple):
    catalog_version: str
    currency: str
    first_day: dt.date | None
    last_day: dt.date | None
    days: int  # the window the run rate is scaled from
    requests: int
    tokens: Tokens
    total_cost: Decimal
    monthly_run_rate: Decimal
    skipped: dict[str, int]
    unpriced: tuple[Unpriced, ...]
    by_model: tuple[UsageRow, ...]
    by_day: tuple[UsageRow, ...]
    by_month: tuple[UsageRow, ...]
    formats: dict[str, int]
    files: int
    priced: dict[str, tuple[Model, int, Tokens]]  # model id -> (model, requests, tokens) of the priced requests
    exchange_rates: tuple[ExchangeRate, ...] = ()
    mixed_prices: tuple[str, ...] = ()  # models whose requests met more than one price period or tier
    skipped_files: tuple[tuple[str, str], ...] = ()  # (path, reason): found in a directory or glob, not read

    def rows(self, grouping: str) -> tuple[UsageRow, ...]:
        return {"model": self.by_model, "day": self.by_day, "month": self.by_month}[grouping]


def _mix_for(tokens: Tokens, tier_above: int | None) -> TokenMix:
    """The group's tokens as one request whose input selects the group's tier (its requests' own tier)."""
    selector = Decimal(tier_above + 1) if tier_above is not None else ZERO
    return TokenMix(Decimal(tokens.uncached_input), Decimal(tokens.cache_read), Decimal(tokens.cache_write),
                    Decimal(tokens.output + tokens.reasoning), selector)


def price_tally(tally: Tally, currency: str = BASE_CURRENCY, files: int = 0,
                skipped_files: Iterable[tuple[str, str]] = ()) -> UsageReport:
    """Price every group at the period in force on its day; a group that cannot be priced is reported, never $0.
    Reasoning tokens are billed as output whatever the model: the vendor billed them."""
    tally.settle()
    catalog = priced_in(tally.catalog, currency)
    by_model: dict[str, list[Any]] = {}
    by_day: dict[dt.date, list[Any]] = {}
    by_month: dict[str, list[Any]] = {}
    unpriced: dict[str, list[Any]] = {}
    priced: dict[str, tuple[Model, int, Tokens]] = {}
    prices_met: dict[str, set[tuple[dt.date, int]]] = {}
    total_cost, requests, tokens = ZERO, 0, Tokens()
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def into(table: dict[Any, list[Any]], key: Any, count: int, part: Tokens, cost: Decimal | None) -> None:
        row = table.setdefault(key, [0, Tokens(), None])
        row[0] += count
        row[1] = row[1] + part
        if cost is not None:
            row[2] = cost if row[2] is None else row[2] + cost

    for (ordinal, model_index, tier), (count, *parts) in sorted(tally.groups.items()):
        day = dt.date.fromordinal(ordinal)
        part = Tokens(*parts)
        name = tally.models[model_index]
        first_day = day if first_day is None or day < first_day else first_day
        last_day = day if last_day is None or day > last_day else last_day
        requests += count
        tokens = tokens + part
        cost: Decimal | None = None
        label = name
        try:
            model = catalog.resolve(name)
            label = model.id
            period = price_period(model, day)
            tier >>= 4  # the low four bits are the shape (see `shape`)
            tier_above = period.tiers[tier - 1].above_input_tokens if tier else None
            cost = request_cost(model, period, _mix_for(part, tier_above), batch=False).total
            prices_met.setdefault(model.id, set()).add((period.since, tier))
            kept = priced.get(model.id)
            priced[model.id] = (model, count + (kept[1] if kept else 0), part + (kept[2] if kept else Tokens()))
        except (UnknownModelError, UnpricedError) as exc:
            entry = unpriced.setdefault(label, [0, Tokens(), exc.message])
            entry[0] += count
            entry[1] = entry[1] + part
        if cost is not None:
            total_cost += cost
        into(by_model, label, count, part, cost)
        into(by_day, day, count, part, cost)
        into(by_month, day.strftime("%Y-%m"), count, part, cost)

    start = tally.since or first_day
    end = tally.until or last_day
    days = (end - start).days + 1 if start is not None and end is not None and end >= start else 0
    run_rate = total_cost * HOURS_PER_MONTH / (HOURS_PER_DAY * days) if days else ZERO
    model_rows = sorted(by_model.items(), key=lambda item: (-(item[1][2] or ZERO), item[0]))
    return UsageReport(
        catalog_version=catalog.version,
        currency=currency,
        first_day=first_day,
        last_day=last_day,
        days=days,
        requests=requests,
        tokens=tokens,
        total_cost=total_cost,
        monthly_run_rate=run_rate,
        skipped=dict(sorted(tally.skipped.items(), key=lambda item: (-item[1], item[0]))),
        unpriced=tuple(Unpriced(model, count, part, reason) for model, (count, part, reason) in sorted(unpriced.items())),
        by_model=tuple(UsageRow(label, count, part, cost) for label, (count, part, cost) in model_rows),
        by_day=tuple(UsageRow(str(day), count, part, cost) for day, (count, part, cost) in sorted(by_day.items())),
        by_month=tuple(UsageRow(month, count, part, cost) for month, (count, part, cost) in sorted(by_month.items())),
        formats={name: count for name, count in sorted(tally.formats.items()) if count},
        files=files,
        priced=priced,
        exchange_rates=rates_used(catalog, priced),
        mixed_prices=tuple(sorted(model for model, met in prices_met.items() if len(met) > 1)),
        skipped_files=tuple(skipped_files),
    )


# ---------------------------------------------------------------------------------------------- workload


MEAN_PLACES = Decimal("1e-9")
SHARE_PLACES = Decimal("1e-15")


def _rounded(value: Decimal, places: Decimal, rounding: str) -> Decimal | int:
    """`value` to `places`, written as plainly as TOML allows: a whole number as an integer."""
    rounded = value.quantize(places, rounding=rounding)
    return int(rounded) if rounded == rounded.to_integral_value() else rounded.normalize() + 0  # + 0: no exponent


def workload_document(report: UsageReport, name: str = "observed") -> dict[str, Any]:
    """A workload with one stream per priced model: its observed requests scaled to a 730-hour month and its mean
    tokens per request, so that `aicost cost` reproduces the observed monthly run rate (at the same prices).
    A model that does not reason carries the reasoning tokens it was billed as output."""
    if not report.days or not report.priced:
        raise UnpricedError("no priced requests to describe — nothing to write")
    scale = Decimal(HOURS_PER_MONTH) / (HOURS_PER_DAY * report.days)
    streams = []
    for model_id, (model, count, tokens) in sorted(report.priced.items()):
        n = Decimal(count)

        def mean(value: int, rounding: str = ROUND_HALF_EVEN, n: Decimal = n) -> Decimal | int:
            return _rounded(Decimal(value) / n, MEAN_PLACES, rounding)

        reasoning = tokens.reasoning if model.reasoning else 0
        output = tokens.output + (0 if model.reasoning else tokens.reasoning)
        stream: dict[str, Any] = {
            "name": model_id,
            "model": model_id,
            "requests_per_month": _rounded(n * scale, MEAN_PLACES, ROUND_HALF_EVEN),
            # input up, its cached share and cache writes down: their sum never exceeds the input after rounding
            "input_tokens": mean(tokens.input, ROUND_CEILING),
            "output_tokens": mean(output),
        }
        if tokens.cache_read:
            stream["cached_input_share"] = _rounded(Decimal(tokens.cache_read) / tokens.input, SHARE_PLACES, ROUND_DOWN)
        if tokens.cache_write:
            stream["cache_write_tokens"] = mean(tokens.cache_write, ROUND_DOWN)
        if reasoning:
            stream["reasoning_tokens"] = mean(reasoning)
        streams.append(stream)
    document: dict[str, Any] = {"version": 1, "name": name}
    if report.currency != BASE_CURRENCY:
        document["currency"] = report.currency
    document["streams"] = streams
    return document


WORKLOAD_TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_write_tokens", "reasoning_tokens")


def workload_problem(document: dict[str, Any], catalog: Catalog) -> str | None:
    """Why `aicost cost` would refuse a written workload — the first stream whose mean request is above a
    workload's limits or longer than its model's context window — or None."""
    from .workload import MAX_REQUESTS

    for stream in document["streams"]:
        name = stream["name"]
        for key in WORKLOAD_TOKEN_KEYS:
            if stream.get(key, 0) > MAX_TOKENS:
                return (f"stream '{name}' cannot be written: its mean request has {stream[key]:,} {key}, above the "
                        f"{MAX_TOKENS:,} a workload allows")
        if stream["requests_per_month"] > MAX_REQUESTS:
            return (f"stream '{name}' cannot be written: {stream['requests_per_month']:,} requests a month, above the "
                    f"{int(MAX_REQUESTS):,} a workload allows")
        model = catalog.resolve(stream["model"])
        if stream["input_tokens"] > model.context_window:
            return (f"stream '{name}' cannot be written: its mean request has {stream['input_tokens']:,} input tokens, "
                    f"above {model.id}'s context window of {model.context_window:,}")
    return None
