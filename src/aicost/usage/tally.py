"""The tally of a reading: requests and tokens per (day, model, kind), the records skipped by reason, and the keyed
records handed to de-duplication.  A kind (`group_kind`) holds the requests' shape, their long-context tier and
their terms (service tier, batch, off-peak window: `records.terms_code`), so each group is priced as it was bought.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from aicost.catalog import Catalog
from aicost.catalog.prices import OFF_PEAK, Window
from aicost.errors import UnknownModelError
from aicost.usage.dedup import PACKED, Deduplicator
from aicost.usage.records import AFTER, BEFORE, DUPLICATE, OFF_PEAK_WINDOW, WRONG_FORMAT, Record, Skip, Tokens, moment_of

# ---------------------------------------------------------------------------------------------- aggregation


def shape(uncached: int, read: int, written: int, output: int, reasoning: int, written_1h: int = 0,
          searches: int = 0) -> int:
    """Which kinds of tokens requests have (six bits): requests are grouped by it, so that one kind a model
    has no price for (cache reads before caching existed, a 1-hour write, a web search) leaves unpriced only the
    requests that used it."""
    return ((uncached > 0) | (read > 0) << 1 | (written > written_1h) << 2 | (output + reasoning > 0) << 3
            | (written_1h > 0) << 4 | (searches > 0) << 5)


def group_kind(shape: int, tier: int, terms: int) -> int:
    """A group's third key: the requests' shape, their long-context tier (0: none) and their terms (`terms_code`,
    the off-peak window included) in one integer, the same in every reader and cache."""
    return terms << 16 | tier << 8 | shape


def kind_parts(kind: int) -> tuple[int, int, int]:
    """(shape, long-context tier, terms) of a group's third key."""
    return kind & 255, kind >> 8 & 255, kind >> 16


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
        self.windows: dict[tuple[int, int], tuple[Window, ...]] = {}  # (model, day): the off-peak windows in force
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

    def window_terms(self, model: int, day: int, moment: dt.datetime | str | None) -> int:
        """OFF_PEAK_WINDOW when the request was made in its model's off-peak window (per the catalog period in
        force that day), else 0; a model without windows never reads the moment."""
        windows = self.windows.get((model, day))
        if windows is None:
            windows = ()
            try:
                period = self.catalog.resolve(self.models[model]).period_on(dt.date.fromordinal(day))
                if period is not None:
                    windows = tuple(window for window in period.windows if window.name == OFF_PEAK)
            except UnknownModelError:
                pass
            self.windows[(model, day)] = windows
        if not windows or moment is None:
            return 0
        try:
            when = moment if isinstance(moment, dt.datetime) else moment_of(moment)
        except Skip:
            return 0
        return OFF_PEAK_WINDOW if any(window.contains(when) for window in windows) else 0

    def count_group(self, day: int, model: int, tokens: Tokens, requests: int, input_per_request: int,
                    terms: int = 0) -> None:
        key = (day, model, group_kind(shape(*tokens), self._tier(model, day, input_per_request), terms))
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
        model = self.index_of_model(record.model)
        day = record.day.toordinal()
        terms = record.terms | self.window_terms(model, day, record.moment)
        if record.key is not None:
            self.deduplicator.add(record.key, day, model, record.tokens, terms)
        else:
            per_request = record.tokens.input // record.requests if record.requests else 0
            self.count_group(day, model, record.tokens, record.requests, per_request, terms)

    def settle(self) -> None:
        """Fold the de-duplicated keyed records into the groups."""
        for data in self.deduplicator.buckets():
            self.count_bucket([(data, self.models)])

    def _wins(self, row: tuple[int, ...], kept: tuple[int, ...]) -> bool:
        """Between two copies of one request with the same token total, whichever order they were read in: the
        larger token counts (uncached input first, then cache reads, writes, output, reasoning, 1-hour writes, web
        searches), then the later day, then the model name later in code-point order, then the terms."""
        return ((row[4:], row[1], self.models[row[2]], row[3]) > (kept[4:], kept[1], self.models[kept[2]], kept[3]))

    def count_bucket(self, parts: list[tuple[bytes, list[str]]]) -> None:
        """One bucket's packed records — from one reader or several, each with the model names its indices stand
        for — de-duplicated (the copy with the largest total counts) and counted into the groups."""
        best: dict[int, tuple[int, ...]] = {}
        copies = 0
        unpack = PACKED.iter_unpack
        for data, models in parts:
            copies += len(data) // PACKED.size
            mapping = [self.index_of_model(name) for name in models]
            rows: Iterable[tuple[int, ...]] = unpack(data)
            if mapping != list(range(len(mapping))):  # this reader numbered its models otherwise: renumber
                rows = ((r[0], r[1], mapping[r[2]], *r[3:]) for r in rows)
            for row in rows:
                kept = best.setdefault(row[0], row)
                if kept is not row:
                    total, kept_total = sum(row[4:9]), sum(kept[4:9])  # the five kinds (1-hour writes are writes)
                    if total > kept_total or (total == kept_total and self._wins(row, kept)):
                        best[row[0]] = row  # the copy with the largest token total counts
        groups, thresholds = self.groups, self.thresholds
        for _, day, model, terms, uncached, read, written, output, reasoning, hour, searches in best.values():
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
            key = (day, model, group_kind(shape(uncached, read, written, output, reasoning, hour, searches), tier, terms))
            sums = groups.get(key)
            if sums is None:
                groups[key] = [1, uncached, read, written, output, reasoning, hour, searches]
            else:
                sums[0] += 1
                sums[1] += uncached
                sums[2] += read
                sums[3] += written
                sums[4] += output
                sums[5] += reasoning
                sums[6] += hour
                sums[7] += searches
        dropped = copies - len(best)
        if dropped:
            self.skip(DUPLICATE, dropped)
            self.formats["claude-code"] = self.formats.get("claude-code", 0) - dropped
