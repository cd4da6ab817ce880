"""The usage cache: what a reading of each log file added to the tally, kept between runs so that an unchanged
file is not read again and an appended one is read from where the last run ended.

What is kept is the tally before pricing (the 8 sums per day, model and kind: shape, long-context tier, terms and
source; skipped records by reason; records by format; the span of moments seen, so the run rate is the same;
every keyed record packed with its key and terms), so a new catalog price, another currency or another report
grouping never needs a file read again. The reading settings are part of every entry's name: the log format,
--since and --until, the cache format and aicost's version, and the catalog's model names, its hosts' own model
ids, and when each one's long-context thresholds and off-peak windows changed (a request's tier and its window
are decided while reading); other settings are other entries.

Two kinds of entry, one file each in the cache directory (`<user data directory>/usage-cache`):
- a file entry per log file: its device and inode, the bytes read (up to the end of a complete line), its
  modification time, and a hash of its first HEAD_BYTES and of the TAIL_BYTES before that end. The next run uses
  it when the file is the same one (device, inode), at least as long, and both hashes still match: a file of the
  same length and modification time is not read at all; a longer one that the last run read as JSON lines is read
  from that offset on. An agent's log (Codex CLI, Gemini CLI: their readers carry a session's id, model and running
  token total from line to line, which a read from the middle would not know) is not resumed: when it grew it is
  read again whole. Anything else (shorter, another inode, a hash that differs, the same length with another
  modification time, a CSV or JSON document that changed) is read again from the start. A file whose last line
  was incomplete when read is not kept (its writer was mid-line).
- a run entry per set of files: the settled tally of the whole run (after de-duplication), used as it is when
  every file is still the same length, modification time and hashes. That is the repeat run over unchanged logs.

De-duplication stays exact: a file entry keeps every keyed record it read (48 bytes each), not a de-duplicated
sum, and while the cache is on, keys are a stable hash (the same in every run), so the copies of one request in
a cached file and a freshly read one still meet. Standard input is never cached, nor are compressed files
(they are read whole each time the run entry does not apply), nor anything that is not a regular file.

The cache is an optimisation, never a source of truth it cannot check: an entry is a header (magic, format
version, the length of its JSON metadata, a BLAKE2 digest of the rest), the JSON metadata and the packed
records; an entry that is unreadable, of another version, corrupt, a link or not a regular file, or whose values
are out of range is ignored and written again; nothing in it is evaluated. Entries are written atomically
(a temporary file renamed over), mode 0600, in a directory of mode 0700 that must belong to the user and not be
a symbolic link (else the cache is not used). Past MAX_CACHE_BYTES or MAX_ENTRIES the least recently used
entries are removed. A cache that cannot be written (a full disk, a read-only home) is silently not used.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import re
import stat
import struct
import sys
import tempfile
import time
from hashlib import blake2b
from typing import Any

import aicost
from aicost.catalog.prices import OFF_PEAK
from aicost.errors import printable
from aicost.usage.dedup import BUCKETS, PACKED
from aicost.usage.lines import raw_lines
from aicost.usage.readers import read_json_lines
from aicost.usage.records import DAY_BITS, MAX_MODEL_NAME, SOURCES, STABLE_KEYS
from aicost.usage.tally import DAY_MASK, Tally, kind_parts

MAGIC = b"AICOSTUC"
FORMAT_VERSION = 2  # 2: kinds with terms and source, 8 sums, 48-byte records, the span
HEADER = struct.Struct("<8sII16s")  # magic, format version, JSON metadata length, BLAKE2b-128 of the rest
HEAD_BYTES = 64 * 1024
TAIL_BYTES = 4 * 1024
MAX_CACHE_BYTES = 512 * 1024 * 1024  # entries beyond this, least recently used first, are removed after a run
MAX_ENTRIES = 4096
MAX_META_BYTES = 64 * 1024 * 1024
MAX_COUNT = 10**30  # no count in a tally comes near: a larger one is a corrupt entry
DIRECTORY_NAME = "usage-cache"
_ENTRY_NAME = re.compile(r"^[0-9a-f]{32}\.(?:file|run)$")
_STALE_TEMPORARY = 3600.0  # seconds: a temporary file older than this was left by a run that was killed


class _Bad(Exception):
    """An entry that cannot be used (corrupt, foreign, stale): ignored, and written again."""


def _digest(data: bytes) -> str:
    return blake2b(data, digest_size=16).hexdigest()


def _reading_prices(periods: Any) -> list[list[Any]]:
    """When what a reading decides from a price history changed: the long-context thresholds (a request's tier) and
    the off-peak windows (a request's terms), not the prices themselves."""
    timeline: list[list[Any]] = []
    for period in periods:
        levels = [[tier.above_input_tokens for tier in period.tiers],
                  [[window.name, window.time_zone, list(window.days), [list(hours) for hours in window.hours],
                    [day.isoformat() for day in window.holidays]] for window in period.windows
                   if window.name == OFF_PEAK]]
        if not timeline or timeline[-1][1] != levels:
            timeline.append([period.since.isoformat(), levels])
    return timeline


def settings_of(tally: Tally) -> str:
    """What a reading's tally depends on besides the file's bytes (see the module's docstring)."""
    models = [[model.id, list(model.aliases), _reading_prices(model.periods),
               [[offering.host, offering.model_id, _reading_prices(offering.periods)] for offering in model.hosts]]
              for model in tally.catalog.models]
    text = json.dumps([FORMAT_VERSION, aicost.__version__, PACKED.format, tally.log_format,
                       None if tally.since is None else tally.since.isoformat(),
                       None if tally.until is None else tally.until.isoformat(), models])
    return _digest(text.encode())


def _file_state(fd: int, size: int) -> tuple[str, str]:
    """Hashes of a file's first HEAD_BYTES and of the TAIL_BYTES before `size`."""
    head = os.pread(fd, min(size, HEAD_BYTES), 0)
    tail_length = min(size, TAIL_BYTES)
    tail = os.pread(fd, tail_length, size - tail_length)
    return _digest(head), _digest(tail)


class UsageCache:
    """The cache directory of one run, with the reading settings that name its entries."""

    def __init__(self, directory: str, tally: Tally) -> None:
        self.directory = directory
        self.settings = settings_of(tally)
        self.usable = _prepare(directory)
        self.used: set[str] = set()

    def enable(self, tally: Tally) -> None:
        """Read the tally's files through the cache: keys stable across runs from here on."""
        if self.usable:
            tally.cache = self
            STABLE_KEYS[0] = True

    # ------------------------------------------------------------------------------------------ entries

    def _name(self, kind: str, *parts: str) -> str:
        return os.path.join(self.directory, _digest("\x00".join((self.settings, kind, *parts)).encode()) + "." + kind)

    def _load(self, path: str) -> tuple[dict[str, Any], bytes]:
        """An entry's metadata and packed records, or _Bad."""
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
        except OSError:
            raise _Bad() from None
        try:
            status = os.fstat(fd)
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_CACHE_BYTES or status.st_size < HEADER.size:
                raise _Bad()
            with os.fdopen(os.dup(fd), "rb") as stream:
                data = stream.read(MAX_CACHE_BYTES + 1)
        except OSError:
            raise _Bad() from None
        finally:
            os.close(fd)
        magic, version, meta_length, digest = HEADER.unpack_from(data)
        body = memoryview(data)[HEADER.size:]
        if magic != MAGIC or version != FORMAT_VERSION or meta_length > min(len(body), MAX_META_BYTES):
            raise _Bad()
        if blake2b(body, digest_size=16).digest() != digest:
            raise _Bad()
        try:
            meta = json.loads(bytes(body[:meta_length]))
        except (ValueError, RecursionError):
            raise _Bad() from None
        if not isinstance(meta, dict) or meta.get("settings") != self.settings:
            raise _Bad()
        self.used.add(os.path.basename(path))
        return meta, bytes(body[meta_length:])

    def _store(self, path: str, meta: dict[str, Any], rows: bytes = b"") -> None:
        """An entry written atomically (mode 0600); a cache that cannot be written is not used."""
        meta = {"settings": self.settings, **meta}
        encoded = json.dumps(meta, separators=(",", ":")).encode()
        body = encoded + rows
        data = HEADER.pack(MAGIC, FORMAT_VERSION, len(encoded), blake2b(body, digest_size=16).digest()) + body
        if len(data) > MAX_CACHE_BYTES:
            return
        temporary = None
        try:
            fd, temporary = tempfile.mkstemp(prefix=".tmp-", dir=self.directory)  # mode 0600
            with os.fdopen(fd, "wb") as stream:
                stream.write(data)
            os.replace(temporary, path)
            temporary = None
            self.used.add(os.path.basename(path))
        except OSError:
            pass
        finally:
            if temporary is not None:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    # ------------------------------------------------------------------------------------------ files

    def read_file(self, path: str, stream: Any, tally: Tally, is_csv: bool, typed: Any, decode: Any) -> None:
        """One opened log into the tally through its file entry (see the module's docstring)."""
        from aicost.usage.reading import is_codex_rollout_name, read_stream

        label = printable(path)
        codex = is_codex_rollout_name(path)
        raw = getattr(stream, "raw", None)
        status = os.fstat(stream.fileno()) if isinstance(raw, io.FileIO) else None
        if status is None or not stat.S_ISREG(status.st_mode):  # compressed, or a pipe: read as it is
            read_stream(stream, label, tally, tally.log_format, is_csv, typed, decode, is_codex_name=codex)
            return
        fd = stream.fileno()
        name = self._name("file", os.path.realpath(path))
        child = _child(tally)
        entry = self._usable_entry(name, fd, status, child)
        if entry is not None and entry["size"] == status.st_size:
            _merge(child, tally)
            return
        if entry is not None:  # appended JSON lines: from where the last run ended
            stream.seek(entry["size"])
            read_json_lines(raw_lines(stream), child, typed, decode)
            mode = "lines"
        else:
            mode = read_stream(stream, label, child, tally.log_format, is_csv, typed, decode, is_codex_name=codex)
        end = stream.tell()
        rows = _merge(child, tally)
        if end and mode == "lines" and os.pread(fd, 1, end - 1) != b"\n":
            return  # the last line was incomplete: its writer was mid-line
        after = os.fstat(fd)
        head, tail = _file_state(fd, end)
        self._store(name, {"kind": "file", "device": status.st_dev, "inode": status.st_ino, "size": end,
                           "mtime_ns": after.st_mtime_ns if after.st_size == end else -1, "head": head, "tail": tail,
                           "mode": mode, **_tally_meta(child), "buckets": [len(part) for part in rows]}, b"".join(rows))

    def _usable_entry(self, name: str, fd: int, status: os.stat_result, child: Tally) -> dict[str, Any] | None:
        """The file entry, loaded into `child`, when it still describes the start of this file; else None."""
        try:
            meta, rows = self._load(name)
            size = meta["size"]
            if (meta.get("kind") != "file" or meta["device"] != status.st_dev or meta["inode"] != status.st_ino
                    or not isinstance(size, int) or not 0 <= size <= status.st_size):
                raise _Bad()
            unchanged = size == status.st_size and meta["mtime_ns"] == status.st_mtime_ns
            if not unchanged and (meta["mode"] != "lines" or size == status.st_size):
                raise _Bad()  # rewritten in place, or a CSV or document that changed: read again
            if _file_state(fd, size) != (meta["head"], meta["tail"]):
                raise _Bad()
            _load_tally(meta, child)
            _load_rows(meta, rows, child)
        except (_Bad, KeyError, TypeError, ValueError, OverflowError, struct.error, OSError):
            child.groups.clear()
            child.skipped.clear()
            child.formats.clear()
            child.deduplicator = _fresh_deduplicator()
            child.first_stamp = child.last_stamp = child.first_moment = child.last_moment = None
            return None
        return meta

    # ------------------------------------------------------------------------------------------ runs

    def run_state(self, files: list[str]) -> list[list[Any]] | None:
        """Every file's state before this run reads it, or None when the run cannot be cached (standard input,
        a file that is not a regular one or cannot be read)."""
        if not self.usable or "-" in files:
            return None
        states = []
        for path in files:
            try:  # a FIFO is not opened here: its writer would see this reader come and go
                if not stat.S_ISREG(os.stat(path).st_mode):
                    return None
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            except (OSError, ValueError):
                return None
            try:
                status = os.fstat(fd)
                if not stat.S_ISREG(status.st_mode):
                    return None
                head, tail = _file_state(fd, status.st_size)
            except OSError:
                return None
            finally:
                os.close(fd)
            states.append([os.path.realpath(path), status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns,
                           head, tail])
        return sorted(states)

    def load_run(self, states: list[list[Any]], tally: Tally) -> bool:
        """The settled tally of a run over these very files, into `tally` (True), or nothing (False)."""
        name = self._name("run", *(state[0] for state in states))
        try:
            meta, _ = self._load(name)
            if meta.get("kind") != "run" or meta["files"] != states:
                raise _Bad()
            child = _child(tally)
            _load_tally(meta, child)
        except (_Bad, KeyError, TypeError, ValueError, OverflowError, struct.error, OSError):
            return False
        _merge(child, tally)
        for state in states:  # the files' own entries stay as recently used as the run's
            self.used.add(os.path.basename(self._name("file", state[0])))
        return True

    def store_run(self, states: list[list[Any]], tally: Tally) -> None:
        """The settled tally of this run, for a run over the same unchanged files."""
        meta = _tally_meta(tally)
        del meta["models"]  # its groups name their models
        self._store(self._name("run", *(state[0] for state in states)), {"kind": "run", "files": states, **meta})

    def trim(self) -> None:
        """Least recently used entries removed past MAX_CACHE_BYTES or MAX_ENTRIES; used ones marked as used."""
        if not self.usable:
            return
        now = time.time()
        entries = []
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            path = os.path.join(self.directory, name)
            try:
                status = os.lstat(path)
                if name.startswith(".tmp-") and stat.S_ISREG(status.st_mode) and now - status.st_mtime > _STALE_TEMPORARY:
                    os.unlink(path)
                if not _ENTRY_NAME.match(name) or not stat.S_ISREG(status.st_mode):
                    continue
                if name in self.used:
                    os.utime(path, (now, now), follow_symlinks=False)
                    status = os.lstat(path)
            except OSError:
                continue
            entries.append((status.st_mtime, name, status.st_size))
        entries.sort(reverse=True)
        total = 0
        for count, (_, name, size) in enumerate(entries, start=1):
            total += size
            if total > MAX_CACHE_BYTES or count > MAX_ENTRIES:
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(self.directory, name))


def _prepare(directory: str) -> bool:
    """The cache directory, created mode 0700: usable only if it is a real directory of this user's that others
    cannot write."""
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        status = os.lstat(directory)
    except (OSError, ValueError):
        return False
    if not stat.S_ISDIR(status.st_mode) or status.st_mode & 0o022:
        return False
    return not hasattr(os, "getuid") or status.st_uid == os.getuid()


def _fresh_deduplicator() -> Any:
    from aicost.usage.dedup import Deduplicator

    return Deduplicator()


def _child(tally: Tally) -> Tally:
    """An empty tally for one file, numbering models as `tally` does (the same list), so its groups and packed
    records merge without renumbering."""
    child = Tally(tally.catalog, tally.since, tally.until, tally.log_format)
    child.models, child.model_index, child.thresholds = tally.models, tally.model_index, tally.thresholds
    return child


def _merge(child: Tally, tally: Tally) -> list[bytes]:
    """A file's tally added to the run's; its packed records by bucket, for its entry."""
    for key, sums in child.groups.items():
        kept = tally.groups.get(key)
        if kept is None:
            tally.groups[key] = list(sums)
        else:
            for index, value in enumerate(sums):
                kept[index] += value
    for reason, count in child.skipped.items():
        tally.skip(reason, count)
    for name, count in child.formats.items():
        tally.formats[name] = tally.formats.get(name, 0) + count
    for moment in child.span():
        if moment is not None:
            tally.note_moment(moment)
    rows = list(child.deduplicator.buckets())
    added = 0
    for index, part in enumerate(rows):
        if part:
            tally.deduplicator.buffers[index] += part
            added += len(part)
    if added:
        tally.deduplicator.note(added)
    return rows


def _catalog_names(tally: Tally) -> int:
    """How many model names every tally of this catalog numbers alike (its ids and aliases, in order)."""
    return len({name for model in tally.catalog.models for name in (model.id, *model.aliases)})


def _tally_meta(tally: Tally) -> dict[str, Any]:
    """A tally's counts as JSON: every group's key (its model as a name) and sums, whatever their length; the
    model names its packed records number beyond the catalog's own (the entry's settings pin those)."""
    models = tally.models
    groups = [[[day, models[model], kind], list(sums)] for (day, model, kind), sums in tally.groups.items()]
    span = [None if moment is None else moment.isoformat() for moment in tally.span()]
    return {"groups": groups, "skipped": tally.skipped, "formats": tally.formats,
            "models": models[_catalog_names(tally):], "span": span}


def _count(value: Any) -> int:
    if type(value) is not int or not 0 <= value < MAX_COUNT:
        raise _Bad()
    return value


def _model(tally: Tally, name: Any) -> int:
    if not isinstance(name, str) or not name or len(name) > MAX_MODEL_NAME:
        raise _Bad()
    return tally.index_of_model(name)


def _day(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= dt.date.max.toordinal():
        raise _Bad()
    return value


def _kind(tally: Tally, model: int, day: int, value: Any) -> int:
    """A group's kind, checked: a shape of six bits, a tier the catalog has that day, a known source."""
    kind = _count(value)
    parts = kind_parts(kind)
    tally._tier(model, day, 0)
    if parts.shape >= 64 or parts.tier > len(tally.thresholds[(model, day)]) or parts.source >= len(SOURCES):
        raise _Bad()
    return kind


def _moment(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad()
    moment = dt.datetime.fromisoformat(value)  # ValueError: a corrupt entry
    if moment.tzinfo is not None:
        raise _Bad()
    return moment


def _load_tally(meta: dict[str, Any], tally: Tally) -> None:
    """An entry's counts into an empty tally, every value checked (a day, a model name, a kind the catalog allows,
    8 sums, the span's moments)."""
    for key, sums in meta["groups"]:
        if not isinstance(key, list) or len(key) != 3 or not isinstance(sums, list) or len(sums) != 8:
            raise _Bad()
        day, model = _day(key[0]), _model(tally, key[1])
        tally.groups[(day, model, _kind(tally, model, day, key[2]))] = [_count(value) for value in sums]
    for table, into in ((meta["skipped"], tally.skipped), (meta["formats"], tally.formats)):
        if not isinstance(table, dict):
            raise _Bad()
        for reason, count in table.items():
            if len(reason) > 200 or type(count) is not int or abs(count) >= MAX_COUNT:
                raise _Bad()
            into[reason] = count
    span = meta["span"]
    if not isinstance(span, list) or len(span) != 2:
        raise _Bad()
    for moment in map(_moment, span):
        if moment is not None:
            tally.note_moment(moment)


def _check_rows(rows: bytes, names: int) -> None:
    """Packed records' days (a date, a known source above DAY_BITS), model indices and terms in range, or _Bad."""
    last_day = dt.date.max.toordinal()
    if sys.byteorder == "little":
        words = memoryview(rows).cast("I")
        step = PACKED.size // 4
        days, models, terms = words[2::step], words[3::step], words[4::step]
        if (max(days) >> DAY_BITS >= len(SOURCES) or max(models) >= names or max(terms) >> 8
                or any(not 1 <= day & DAY_MASK <= last_day for day in days)):
            raise _Bad()
    elif any(not 1 <= row[1] & DAY_MASK <= last_day or row[1] >> DAY_BITS >= len(SOURCES) or row[2] >= names
             or row[3] >> 8 for row in PACKED.iter_unpack(rows)):
        raise _Bad()


def _load_rows(meta: dict[str, Any], rows: bytes, tally: Tally) -> None:
    """An entry's packed keyed records into the tally's buckets, renumbered to its models; days and model indices
    checked (token counts are 32-bit by construction)."""
    lengths = meta["buckets"]
    if not PACKED.format.startswith("<QII") or PACKED.size % 4:
        raise _Bad()
    if not isinstance(lengths, list) or len(lengths) != BUCKETS or sum(map(_count, lengths)) != len(rows):
        raise _Bad()
    if any(length % PACKED.size for length in lengths):
        raise _Bad()
    extra = meta["models"]
    if not isinstance(extra, list):
        raise _Bad()
    names = tally.models[:_catalog_names(tally)] + extra
    if rows:
        _check_rows(rows, len(names))
    mapping = [_model(tally, name) for name in names]
    identity = mapping == list(range(len(mapping)))
    start = 0
    for index, length in enumerate(lengths):
        part = rows[start:start + length]
        start += length
        if not identity:
            part = b"".join(PACKED.pack(row[0], row[1], mapping[row[2]], *row[3:]) for row in PACKED.iter_unpack(part))
        tally.deduplicator.buffers[index] += part
    tally.deduplicator.note(len(rows))
