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
from aicost.usage.records import AFTER, BEFORE, DUPLICATE, WRONG_FORMAT, Record, Skip, Tokens

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
        self.cache: Any = None  # a usage.cache.UsageCache when files are read through the usage cache

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

    def count_group(self, day: int, model: int, tokens: Tokens, requests: int, input_per_request: int) -> None:
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
        model = self.index_of_model(record.model)
        if record.key is not None:
            self.deduplicator.add(record.key, record.day.toordinal(), model, record.tokens)
        else:
            per_request = record.tokens.input // record.requests if record.requests else 0
            self.count_group(record.day.toordinal(), model, record.tokens, record.requests, per_request)

    def settle(self) -> None:
        """Fold the de-duplicated keyed records into the groups."""
        for data in self.deduplicator.buckets():
            if data:  # settled already (or never filled): nothing to renumber or count
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
        unpack = PACKED.iter_unpack
        for data, models in parts:
            copies += len(data) // PACKED.size
            mapping = [self.index_of_model(name) for name in models]
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
