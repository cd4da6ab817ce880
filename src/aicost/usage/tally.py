"""The tally of a reading: requests and tokens per (day, model, long-context tier), the records skipped by
reason, and the keyed records handed to de-duplication.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from aicost.catalog import Catalog
from aicost.errors import UnknownModelError
from aicost.usage.dedup import PACKED, Deduplicator
from aicost.usage.records import (
    AFTER,
    BEFORE,
    DAY_BITS,
    DUPLICATE,
    SOURCE_INDEX,
    SOURCES,
    WRONG_FORMAT,
    Record,
    Skip,
    Tokens,
    moment_of,
)

DAY_MASK = (1 << DAY_BITS) - 1

# ---------------------------------------------------------------------------------------------- aggregation


def shape(uncached: int, read: int, written: int, output: int, reasoning: int) -> int:
    """Which kinds of tokens requests have (four bits): requests are grouped by it, so that one kind a model
    has no price for (cache reads before caching existed, say) leaves unpriced only the requests that used it."""
    return (uncached > 0) | (read > 0) << 1 | (written > 0) << 2 | (output + reasoning > 0) << 3


def source_of(tier: int) -> str:
    """The source (format) a group's third key part names: its bits above the tier and the shape."""
    return SOURCES[tier >> 8]


class Tally:
    """Requests and tokens per (day, model, tier), with skipped records by reason. A group's third key part holds
    its source (the format read, `SOURCES`) above bit 8, its long-context tier in bits 4 to 7, its shape below."""

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
        # The first and last moment seen (naive UTC): ISO 8601 "Z" stamps compared as text (one form within a log),
        # moments of other forms as datetimes; settled into `span()`.
        self.first_stamp: str | None = None
        self.last_stamp: str | None = None
        self.first_moment: dt.datetime | None = None
        self.last_moment: dt.datetime | None = None

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def note_stamps(self, first: str | None, last: str | None) -> None:
        """The earliest and latest UTC "Z" timestamps of a stretch of lines (text of one form compares in time)."""
        if first is not None and (self.first_stamp is None or first < self.first_stamp):
            self.first_stamp = first
        if last is not None and (self.last_stamp is None or last > self.last_stamp):
            self.last_stamp = last

    def note_moment(self, moment: dt.datetime) -> None:
        """A moment (naive UTC) seen."""
        if self.first_moment is None or moment < self.first_moment:
            self.first_moment = moment
        if self.last_moment is None or moment > self.last_moment:
            self.last_moment = moment

    def note_day(self, day: dt.date) -> None:
        """A record without a time of day (an aggregate row) covers its whole day."""
        start = dt.datetime(day.year, day.month, day.day)
        self.note_moment(start)
        self.note_moment(start + dt.timedelta(days=1) if day < dt.date.max else start)

    def span(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The first and last moment seen (naive UTC), the "Z" stamps and the other moments together."""
        moments = [self.first_moment, self.last_moment]
        for stamp in (self.first_stamp, self.last_stamp):
            if stamp is not None:
                moments.append(moment_of(stamp))
        known = [moment for moment in moments if moment is not None]
        return (min(known), max(known)) if known else (None, None)

    def export(self) -> dict[str, Any]:
        """What a parallel reader hands back: its groups by model name, skipped records, formats, model names and
        the span of its moments."""
        groups = {(day, self.models[model], tier): sums for (day, model, tier), sums in self.groups.items()}
        return {"groups": groups, "skipped": self.skipped, "formats": self.formats, "models": self.models,
                "span": self.span()}

    def merge(self, part: dict[str, Any]) -> None:
        for (day, name, tier), sums in part["groups"].items():
            key = (day, self.index_of_model(name), tier)
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
        for moment in part.get("span", ()):
            if moment is not None:
                self.note_moment(moment)

    def index_of_model(self, name: str) -> int:
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

    def count_group(self, day: int, model: int, tokens: Tokens, requests: int, input_per_request: int,
                    source: int = 0) -> None:
        key = (day, model, source << 8 | self._tier(model, day, input_per_request) << 4 | shape(*tokens))
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
        if record.moment is not None:
            self.note_moment(record.moment)
        else:
            self.note_day(record.day)
        model = self.index_of_model(record.model)
        source = SOURCE_INDEX[record.format]
        if record.key is not None:
            self.deduplicator.add(record.key, record.day.toordinal() | source << DAY_BITS, model, record.tokens)
        else:
            per_request = record.tokens.input // record.requests if record.requests else 0
            self.count_group(record.day.toordinal(), model, record.tokens, record.requests, per_request, source)

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
        for — de-duplicated (the copy with the largest total counts) and counted into the groups. A packed day holds
        its source above DAY_BITS (Claude Code, 0, packs the bare ordinal)."""
        best: dict[int, tuple[int, ...]] = {}
        copies: dict[int, int] = {}
        unpack = PACKED.iter_unpack
        for data, models in parts:
            mapping = [self.index_of_model(name) for name in models]
            rows: Iterable[tuple[int, ...]] = unpack(data)
            if mapping != list(range(len(mapping))):  # this reader numbered its models otherwise: renumber
                rows = ((r[0], r[1], mapping[r[2]], r[3], r[4], r[5], r[6], r[7]) for r in rows)
            for row in rows:
                source = row[1] >> DAY_BITS
                copies[source] = copies.get(source, 0) + 1
                kept = best.setdefault(row[0], row)
                if kept is not row:
                    total, kept_total = sum(row[3:]), sum(kept[3:])
                    if total > kept_total or (total == kept_total and self._wins(row, kept)):
                        best[row[0]] = row  # the copy with the largest token total counts
        groups, thresholds = self.groups, self.thresholds
        for _, packed_day, model, uncached, read, written, output, reasoning in best.values():
            day, source = packed_day & DAY_MASK, packed_day >> DAY_BITS
            copies[source] -= 1
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
            key = (day, model, source << 8 | tier << 4 | shape(uncached, read, written, output, reasoning))
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
        for source, dropped in copies.items():
            if dropped:
                self.skip(DUPLICATE, dropped)
                self.formats[SOURCES[source]] = self.formats.get(SOURCES[source], 0) - dropped
