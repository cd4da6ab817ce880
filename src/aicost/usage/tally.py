"""The tally of a reading: requests and tokens per (day, model, kind), the records skipped by reason, and the keyed
records handed to de-duplication.  A kind (`group_kind`) holds the requests' shape, their long-context tier, their
terms (service tier, batch, off-peak window: `records.terms_code`) and their source (the format read), so each
group is priced as it was bought and reported by agent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from aicost.catalog import Catalog
from aicost.catalog.host_ids import hosted_id
from aicost.catalog.prices import OFF_PEAK, PricePeriod, Window
from aicost.errors import UnknownModelError
from aicost.usage.dedup import PACKED, Deduplicator
from aicost.usage.records import (
    AFTER,
    BEFORE,
    DAY_BITS,
    DUPLICATE,
    OFF_PEAK_WINDOW,
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


def shape(uncached: int, read: int, written: int, output: int, reasoning: int, written_1h: int = 0,
          searches: int = 0) -> int:
    """Which kinds of tokens requests have (six bits): requests are grouped by it, so that one kind a model
    has no price for (cache reads before caching existed, a 1-hour write, a web search) leaves unpriced only the
    requests that used it."""
    return ((uncached > 0) | (read > 0) << 1 | (written > written_1h) << 2 | (output + reasoning > 0) << 3
            | (written_1h > 0) << 4 | (searches > 0) << 5)


# A group's kind (the third part of its key): four fields in one integer, the same in every reader and cache.
SHAPE_BITS, TIER_BITS, TERMS_BITS = 8, 8, 8  # shape in bits 0-7, long-context tier 8-15, terms 16-23, source above
TIER_SHIFT = SHAPE_BITS
TERMS_SHIFT = TIER_SHIFT + TIER_BITS
SOURCE_SHIFT = TERMS_SHIFT + TERMS_BITS


class Kind(NamedTuple):
    """A group's kind, decoded: its requests' shape (`shape`), their long-context tier (0: none), their terms
    (`records.terms_code`, the off-peak window included) and their source (an index into `records.SOURCES`)."""

    shape: int
    tier: int
    terms: int
    source: int


def group_kind(shape: int, tier: int, terms: int = 0, source: int = 0) -> int:
    """A group's kind as one integer: shape in bits 0-7, long-context tier in bits 8-15, terms in bits 16-23 and
    the source (the format read) from bit 24 up. Decoded by `kind_parts` (and `source_of`), nowhere by hand."""
    return source << SOURCE_SHIFT | terms << TERMS_SHIFT | tier << TIER_SHIFT | shape


def kind_parts(kind: int) -> Kind:
    """A group's kind decoded: (shape, long-context tier, terms, source)."""
    return Kind(kind & 255, kind >> TIER_SHIFT & 255, kind >> TERMS_SHIFT & 255, kind >> SOURCE_SHIFT)


def source_of(kind: int) -> str:
    """The source (format read: claude-code, codex, csv...) a group's kind names."""
    return SOURCES[kind >> SOURCE_SHIFT]


class Tally:
    """Requests and tokens per (day, model, kind), with skipped records by reason. A group's kind (`group_kind`)
    holds its requests' shape, long-context tier, terms and source (the format read, `SOURCES`)."""

    def __init__(self, catalog: Catalog, since: dt.date | None, until: dt.date | None, log_format: str) -> None:
        self.catalog = catalog
        self.since, self.until, self.log_format = since, until, log_format
        self.groups: dict[tuple[int, int, int], list[int]] = {}  # (day ordinal, model index, kind): the 8 sums
        # Every reader numbers the catalog's names alike (its ids and aliases, in order): the second stage of a
        # parallel read then renumbers nothing unless a reader met a name the catalog does not know.
        self.models: list[str] = sorted({name for model in catalog.models for name in (model.id, *model.aliases)})
        self.model_index: dict[str, int] = {name: index for index, name in enumerate(self.models)}
        self.thresholds: dict[tuple[int, int], tuple[int, ...]] = {}
        self.windows: dict[tuple[int, int], tuple[Window, ...]] = {}  # (model, day): the off-peak windows in force
        self.windowed: dict[int, bool] = {}  # model -> whether any of its prices has an off-peak window (`has_windows`)
        self.skipped: dict[str, int] = {}
        self.formats: dict[str, int] = {}
        self.deduplicator = Deduplicator()
        self.cache: Any = None  # a usage.cache.UsageCache when files are read through the usage cache
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
        """What a parallel reader hands back: its groups keyed (day ordinal, model name, kind: `group_kind`'s shape,
        long-context tier, terms and source) with their 8 sums (requests and the seven counts of `Tokens`), skipped
        records, formats, model names and the span of its moments (first, last: naive UTC or None)."""
        groups = {(day, self.models[model], kind): sums for (day, model, kind), sums in self.groups.items()}
        return {"groups": groups, "skipped": self.skipped, "formats": self.formats, "models": self.models,
                "span": self.span()}

    def merge(self, part: dict[str, Any]) -> None:
        for (day, name, kind), sums in part["groups"].items():
            key = (day, self.index_of_model(name), kind)
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

    def _period(self, model: int, day: int) -> PricePeriod | None:
        """The catalog period in force that day for a model name: a catalog id or alias (the vendor's API), or another
        host's own model id (that host's period, as pricing reads it); None for a name the catalog does not know."""
        name, when = self.models[model], dt.date.fromordinal(day)
        try:
            return self.catalog.resolve(name).period_on(when)
        except UnknownModelError:
            hosted = hosted_id(self.catalog, name)  # a host's id, or a Bedrock inference profile of it
            offering = hosted.model.offering(hosted.host) if hosted is not None else None
            return offering.period_on(when) if offering is not None else None

    def _tier(self, model: int, day: int, input_tokens: int) -> int:
        """Which long-context tier a request of this size falls in on that day (0: none), per the catalog."""
        thresholds = self.thresholds.get((model, day))
        if thresholds is None:
            period = self._period(model, day)
            thresholds = tuple(tier.above_input_tokens for tier in period.tiers) if period is not None else ()
            self.thresholds[(model, day)] = thresholds
        tier = 0
        for index, threshold in enumerate(thresholds, start=1):
            if input_tokens > threshold:
                tier = index
        return tier

    def has_windows(self, model: int) -> bool:
        """Whether any price period of the model (as the name resolves: the vendor's or a host's) has an off-peak
        window: a model without one never needs a request's moment (the common case, decided once per model)."""
        found = self.windowed.get(model)
        if found is None:
            name = self.models[model]
            try:
                periods = self.catalog.resolve(name).periods
            except UnknownModelError:
                hosted = hosted_id(self.catalog, name)
                offering = hosted.model.offering(hosted.host) if hosted is not None else None
                periods = offering.periods if offering is not None else ()
            found = self.windowed[model] = any(window.name == OFF_PEAK for p in periods for window in p.windows)
        return found

    def window_terms(self, model: int, day: int, moment: dt.datetime | str | None) -> int:
        """OFF_PEAK_WINDOW when the request was made in its model's off-peak window (per the catalog period in
        force that day), else 0; a model without windows never reads the moment."""
        windows = self.windows.get((model, day))
        if windows is None:
            period = self._period(model, day)
            windows = tuple(window for window in period.windows if window.name == OFF_PEAK) if period is not None else ()
            self.windows[(model, day)] = windows
        if not windows or moment is None:
            return 0
        when = moment if isinstance(moment, dt.datetime) else moment_of(moment)
        return OFF_PEAK_WINDOW if when is not None and any(window.contains(when) for window in windows) else 0

    def count_group(self, day: int, model: int, tokens: Tokens, requests: int, input_per_request: int,
                    terms: int = 0, source: int = 0) -> None:
        key = (day, model, group_kind(shape(*tokens), self._tier(model, day, input_per_request), terms, source))
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
        day = record.day.toordinal()
        terms = record.terms | self.window_terms(model, day, record.moment)
        source = SOURCE_INDEX[record.format]
        if record.key is not None:
            self.deduplicator.add(record.key, day | source << DAY_BITS, model, record.tokens, terms)
        else:
            per_request = record.tokens.input // record.requests if record.requests else 0
            self.count_group(day, model, record.tokens, record.requests, per_request, terms, source)

    def settle(self) -> None:
        """Fold the de-duplicated keyed records into the groups."""
        for data in self.deduplicator.buckets():
            if data:  # settled already (or never filled): nothing to renumber or count
                self.count_bucket([(data, self.models)])

    def _wins(self, row: tuple[int, ...], kept: tuple[int, ...]) -> bool:
        """Between two copies of one request with the same token total, whichever order they were read in: the
        larger token counts (uncached input first, then cache reads, writes, output, reasoning, 1-hour writes, web
        searches), then the later day, then the model name later in code-point order, then the terms."""
        return ((row[4:], row[1], self.models[row[2]], row[3]) > (kept[4:], kept[1], self.models[kept[2]], kept[3]))

    def count_bucket(self, parts: list[tuple[bytes, list[str]]]) -> None:
        """One bucket's packed records — from one reader or several, each with the model names its indices stand
        for — de-duplicated (the copy with the largest total counts) and counted into the groups. A packed day holds
        its source above DAY_BITS (Claude Code, 0, packs the bare ordinal)."""
        best, dropped = self._deduplicate(parts)
        # Counted first under a key of the packed fields as they are (packed day, model, terms, shape, tier), folded
        # into the groups' (day, model, kind) keys once per key below: no per-record split of the day or
        # `group_kind` call. The long-context limits are looked up once per (packed day, model) of the bucket.
        counted: dict[tuple[int, int, int, int, int], list[int]] = {}
        limits_of: dict[tuple[int, int], tuple[int, ...]] = {}
        for _, packed_day, model, terms, uncached, read, written, output, reasoning, hour, searches in best.values():
            limits = limits_of.get((packed_day, model))
            if limits is None:
                limits = limits_of[(packed_day, model)] = self._limits(model, packed_day & DAY_MASK)
            tier = 0
            if limits:
                size = uncached + read + written
                for index, threshold in enumerate(limits, start=1):
                    if size > threshold:
                        tier = index
            # `shape` inlined (the same six bits): a call per record is a tenth of settling
            kinds = ((uncached > 0) | (read > 0) << 1 | (written > hour) << 2 | (output + reasoning > 0) << 3
                     | (hour > 0) << 4 | (searches > 0) << 5)
            key = (packed_day, model, terms, kinds, tier)
            sums = counted.get(key)
            if sums is None:
                counted[key] = [1, uncached, read, written, output, reasoning, hour, searches]
            else:
                sums[0] += 1
                sums[1] += uncached
                sums[2] += read
                sums[3] += written
                sums[4] += output
                sums[5] += reasoning
                sums[6] += hour
                sums[7] += searches
        groups = self.groups
        for (packed_day, model, terms, kinds, tier), counts in counted.items():
            group = (packed_day & DAY_MASK, model, group_kind(kinds, tier, terms, packed_day >> DAY_BITS))
            sums = groups.get(group)
            if sums is None:
                groups[group] = counts
            else:
                for index, value in enumerate(counts):
                    sums[index] += value
        for source, count in dropped.items():
            self.skip(DUPLICATE, count)
            self.formats[SOURCES[source]] = self.formats.get(SOURCES[source], 0) - count

    def _limits(self, model: int, day: int) -> tuple[int, ...]:
        """The long-context tiers' input thresholds of a model that day (`_tier`'s, looked up once)."""
        limits = self.thresholds.get((model, day))
        if limits is None:
            self._tier(model, day, 0)
            limits = self.thresholds[(model, day)]
        return limits

    def _deduplicate(self, parts: list[tuple[bytes, list[str]]]) -> tuple[dict[int, tuple[int, ...]], dict[int, int]]:
        """One bucket's records by key, the copy with the largest token total kept, and the copies dropped by
        source (the source of the packed day of each copy that lost)."""
        best: dict[int, tuple[int, ...]] = {}
        dropped: dict[int, int] = {}
        unpack, setdefault = PACKED.iter_unpack, best.setdefault
        for data, models in parts:
            rows: Iterable[tuple[int, ...]] = unpack(data)
            if models is not self.models:  # the tally's own records need no renumbering (nor a look at each name)
                mapping = [self.index_of_model(name) for name in models]
                if mapping != list(range(len(mapping))):  # this reader numbered its models otherwise: renumber
                    rows = ((r[0], r[1], mapping[r[2]], *r[3:]) for r in rows)
            for row in rows:
                kept = setdefault(row[0], row)
                if kept is not row:
                    # Only a duplicate is counted, under the source of the copy that loses: most rows pay nothing.
                    # A copy equal to the kept one in every field (the common duplicate) loses at once: compared
                    # in C, without the token totals or the tie-break.
                    if row != kept:
                        total, kept_total = sum(row[4:9]), sum(kept[4:9])  # the five kinds (1-hour writes are writes)
                        if total > kept_total or (total == kept_total and self._wins(row, kept)):
                            best[row[0]] = row  # the copy with the largest token total counts
                            row = kept
                    source = row[1] >> DAY_BITS
                    dropped[source] = dropped.get(source, 0) + 1
        return best, dropped
