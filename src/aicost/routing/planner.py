"""The pair planner: which small model, at which split — or which single model — against today's spend, with
the quality each plan is expected to keep and the Pareto front of cost and quality."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from aicost.calc import (
    Excluded,
    batch_at_standard,
    stream_cost,
    workload_cost,
)
from aicost.catalog import Catalog, ExchangeRate, Model
from aicost.currency import priced_in, rates_used
from aicost.errors import InputError, ParameterError, UnpricedError
from aicost.routing.curves import RANDOM_CURVE, RouterCurve
from aicost.routing.estimate import Overhead, fraction, saving
from aicost.workload import ONE, ZERO, Stream, Workload

KEEP, SWITCH, ROUTE = "keep", "switch", "route"


class PlanOption(NamedTuple):
    """One way to serve the whole workload, against today's spend; money is monthly.

    A switch moves every request to one model (`small`); a route sends the small share of each stream's requests
    to `small` and the rest to the stream's anchor (`frontier`: --frontier, else the model the stream uses today).
    """

    kind: str  # KEEP (today's setup, for reference), SWITCH or ROUTE
    small: str  # the model taking the small share; for KEEP today's models, comma-separated
    frontier: str | None  # the anchor of a route (several, comma-separated, when streams differ); None for a switch
    small_share: Decimal  # of all requests, weighted by requests
    plan_monthly_cost: Decimal  # router overhead included where requests are split
    baseline_monthly_cost: Decimal  # today's spend: the workload as it runs now
    router_overhead: Decimal
    small_alone_monthly_cost: Decimal  # every request on `small`
    frontier_alone_monthly_cost: Decimal  # every request on the anchors (a switch: the same as small alone)
    quality: Decimal | None = None  # expected quality per request (weighted by requests); None when unscored
    dominated: bool | None = None  # None: quality unknown, not compared

    @property
    def frontier_share(self) -> Decimal:
        return ONE - self.small_share

    @property
    def saving(self) -> Decimal | None:
        return saving(self.plan_monthly_cost, self.baseline_monthly_cost)

    @property
    def price_ratio(self) -> Decimal | None:
        """The workload on the small model over the workload on the anchors (a route's price ratio)."""
        if self.kind != ROUTE or not self.frontier_alone_monthly_cost:
            return None
        return fraction(self.small_alone_monthly_cost, self.frontier_alone_monthly_cost)


class PlanReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    curve: RouterCurve
    quality_floor: Decimal | None
    fixed_small_share: Decimal | None  # the split of every route when no floor is given
    anchors: tuple[str, ...]  # the frontier model of each stream
    today_monthly_cost: Decimal
    today_quality: Decimal | None
    plans: tuple[PlanOption, ...]  # cheapest first
    excluded: tuple[Excluded, ...]  # models that cannot be used, or are dearer and no better than another
    unreachable: tuple[str, ...]  # candidate small models whose routes cannot reach the floor
    exchange_rates: tuple[ExchangeRate, ...] = ()
    batch_at_standard: tuple[str, ...] = ()  # models whose batch share is priced at standard rates (no batch API)

    @property
    def pareto(self) -> tuple[PlanOption, ...]:
        return tuple(p for p in self.plans if p.dominated is False)


def dominated_flags(points: Sequence[tuple[Decimal, Decimal]]) -> list[bool]:
    """For (cost, quality) points: is each dominated (another costs <= and has quality >=, one strictly)?

    Sorted by cost then quality (best first), a point is dominated when a strictly cheaper point has quality
    >= its own, or a point of the same cost has strictly higher quality.
    """
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    flags = [False] * len(points)
    best_cheaper: Decimal | None = None  # the best quality among strictly cheaper points
    index = 0
    while index < len(order):
        cost = points[order[index]][0]
        group = [i for i in order[index:] if points[i][0] == cost]
        top_quality = points[group[0]][1]
        for i in group:
            quality = points[i][1]
            flags[i] = quality < top_quality or (best_cheaper is not None and best_cheaper >= quality)
        best_cheaper = top_quality if best_cheaper is None else max(best_cheaper, top_quality)
        index += len(group)
    return flags


def _weighted(values: Sequence[Decimal], weights: Sequence[Decimal]) -> Decimal:
    total = sum(weights, ZERO)
    if not total:
        return sum(values, ZERO) / len(values)
    return fraction(sum((v * w for v, w in zip(values, weights, strict=True)), ZERO), total)


def dearer_and_no_better(costs: dict[str, list[Decimal]], quality: dict[str, Decimal]) -> dict[str, str]:
    """Scored models that cost at least as much as another scored one on every stream and score no higher (strictly
    one way or the other): whatever the split, the other does better. The reason each is dropped names it."""
    reasons: dict[str, str] = {}
    ordered = sorted(costs.items(), key=lambda item: (sum(item[1], ZERO), item[0]))
    for model, parts in costs.items():
        if model not in quality:
            continue
        for other, other_parts in ordered:
            if other == model or other not in quality:
                continue
            cheaper_everywhere = all(a <= b for a, b in zip(other_parts, parts, strict=True))
            strictly = any(a < b for a, b in zip(other_parts, parts, strict=True)) or quality[other] > quality[model]
            if cheaper_everywhere and quality[other] >= quality[model] and strictly:
                reasons[model] = (f"dearer than {other} on this workload and no better (quality {quality[model]} against "
                                  f"{quality[other]})")
                break
    return reasons


class _Setting(NamedTuple):
    """What every plan of one planning run is measured against: the workload on its anchors and today."""

    workload: Workload
    catalog: Catalog  # priced in the workload's currency
    as_of: dt.date
    anchors: tuple[str, ...]  # the frontier model of each stream
    requests: list[Decimal]  # each stream's monthly requests: the weights of shares and qualities
    anchor_cost: list[Decimal]  # each stream on its anchor
    router_overhead: list[Decimal]  # each stream's router overhead, paid where its requests are split
    today: Decimal
    small_share: Decimal | None
    quality_floor: Decimal | None
    curve: RouterCurve

    def stream_on(self, stream: Stream, model_id: str) -> Decimal:
        workload = self.workload
        return stream_cost(stream._replace(model=model_id), self.catalog, self.as_of, workload.adjustments,
                           workload.profiles).monthly_cost

    def on(self, model_id: str) -> list[Decimal]:
        """Each stream's monthly cost with every request on `model_id` (UnpricedError when it cannot take one)."""
        return [self.stream_on(stream, model_id) for stream in self.workload.streams]

    def weighted(self, values: Sequence[Decimal | None]) -> Decimal | None:
        """The request-weighted mean, or None when a value is unknown."""
        if any(value is None for value in values):
            return None
        return _weighted([value for value in values if value is not None], self.requests)


def _setting(workload: Workload, catalog: Catalog, as_of: dt.date, small_share: Decimal | None,
             quality_floor: Decimal | None, curve: RouterCurve, router_overhead: Overhead | None,
             frontier: str | None) -> _Setting:
    catalog = priced_in(catalog, workload.currency)
    streams = workload.streams
    anchors = tuple(catalog.resolve(frontier or stream.model).id for stream in streams)
    setting = _Setting(workload, catalog, as_of, anchors, [stream.monthly_requests for stream in streams], [], [],
                       workload_cost(workload, catalog, as_of).monthly_cost, small_share, quality_floor, curve)
    for stream, anchor in zip(streams, anchors, strict=True):
        setting.anchor_cost.append(setting.stream_on(stream, anchor))  # an anchor that cannot be priced is the user's error
    if quality_floor is not None:
        for anchor in dict.fromkeys(anchors):
            if anchor not in workload.quality:
                raise ParameterError("quality_floor", quality_floor, f"the frontier model {anchor} has no quality score — "
                                     "add it to the workload's [quality] table")
    setting.router_overhead.extend(
        ZERO if router_overhead is None else s.monthly_requests * router_overhead.per_request(s, catalog, as_of,
                                                                                              workload.adjustments)
        for s in streams
    )
    return setting


def _candidate_costs(setting: _Setting, models: Sequence[Model]) -> tuple[dict[str, list[Decimal]], list[Excluded], set[str]]:
    """Each usable candidate's cost per stream, the candidates excluded with their reason, and the anchors that are
    offered only as a switch (not candidates themselves)."""
    quality = setting.workload.quality
    excluded: list[Excluded] = []
    costs: dict[str, list[Decimal]] = {}
    for candidate in dict.fromkeys(setting.catalog.resolve(m.id).id for m in models):
        try:
            costs[candidate] = setting.on(candidate)
        except UnpricedError as exc:
            excluded.append(Excluded(candidate, exc.message))
            continue
        if setting.quality_floor is not None and candidate not in quality:
            del costs[candidate]
            excluded.append(Excluded(candidate, "no quality score in the workload's [quality] table — needed by a quality floor"))
    for model, reason in dearer_and_no_better(costs, quality).items():
        if model not in setting.anchors:
            del costs[model]
            excluded.append(Excluded(model, reason))
    switch_only: set[str] = set()
    for anchor in dict.fromkeys(setting.anchors):  # switching everything to an anchor is an option too
        if anchor not in costs:
            with contextlib.suppress(UnpricedError):  # a stream it cannot take: no such switch
                costs[anchor] = setting.on(anchor)
                switch_only.add(anchor)
    return costs, excluded, switch_only


def _switch(setting: _Setting, model: str, parts: list[Decimal]) -> PlanOption | None:
    """Every request to `model`, unless it misses the floor or is today's setup."""
    score = setting.workload.quality.get(model)
    floor = setting.quality_floor
    if floor is not None and (score is None or score < floor):
        return None
    if all(setting.catalog.resolve(stream.model).id == model for stream in setting.workload.streams):
        return None  # today
    total = sum(parts, ZERO)
    return PlanOption(SWITCH, model, None, ONE, total, setting.today, ZERO, total, total, score)


def _stream_split(setting: _Setting, model: str, score: Decimal | None, anchor: str) -> tuple[Decimal, Decimal | None] | None:
    """One stream's small share when `model` takes it from `anchor`, and its expected quality; None when a quality
    floor cannot be reached on it."""
    q_anchor = setting.workload.quality.get(anchor)
    if anchor == model:
        return ONE, score
    floor = setting.quality_floor
    if floor is None:
        assert setting.small_share is not None
        share = setting.small_share
        return share, None if score is None or q_anchor is None else setting.curve.quality(score, q_anchor, ONE - share)
    assert score is not None and q_anchor is not None
    if score >= floor:
        return ONE, score
    if q_anchor < floor:
        return None
    # score < floor <= q_anchor: recover this fraction of the gap
    return ONE - setting.curve.frontier_share_for((floor - score) / (q_anchor - score)), floor


def _route(setting: _Setting, model: str, parts: list[Decimal]) -> PlanOption | bool:
    """The small share of each stream to `model`, the rest to its anchor: the plan, False when the floor is out
    of reach, True when the split is no route (every request on one side)."""
    score = setting.workload.quality.get(model)
    splits = [_stream_split(setting, model, score, anchor) for anchor in setting.anchors]
    if any(split is None for split in splits):
        return False
    shares = [split[0] for split in splits if split is not None]
    if all(share == ONE for share in shares) or all(share == ZERO for share in shares):
        return True  # every request on this model (the switch), or on the anchors (no routing)
    used = [ZERO < share < ONE and anchor != model for share, anchor in zip(shares, setting.anchors, strict=True)]
    overhead = sum((o for o, split in zip(setting.router_overhead, used, strict=True) if split), ZERO)
    cost = sum((share * small + (ONE - share) * big
                for share, small, big in zip(shares, parts, setting.anchor_cost, strict=True)), ZERO) + overhead
    expected = setting.weighted([split[1] for split in splits if split is not None])
    anchor_label = ", ".join(dict.fromkeys(setting.anchors))
    share = _weighted(shares, setting.requests)
    return PlanOption(ROUTE, model, anchor_label, share, cost, setting.today, overhead, sum(parts, ZERO),
                      sum(setting.anchor_cost, ZERO), expected)


def _no_plan(setting: _Setting, costs: dict[str, list[Decimal]], excluded: list[Excluded]) -> InputError:
    quality = setting.workload.quality
    if setting.quality_floor is not None and costs:
        best = max(costs, key=lambda m: (quality[m], m))
        return ParameterError("quality_floor", setting.quality_floor, "no plan reaches it — the best score among the "
                              f"priced models is {quality[best]} ({best}); lower the floor or add a better model")
    listed = ""
    if excluded:
        more = ", …" if len(excluded) > 5 else ""
        listed = f" ({len(excluded)} excluded: {', '.join(e.model for e in excluded[:5])}{more})"
    return InputError(f"no plan to offer — {len(costs)} candidate model(s) can be used here besides today's setup{listed}")


def _ranked(plans: list[PlanOption]) -> tuple[PlanOption, ...]:
    """The plans cheapest first (better quality, then keep, switch, route on a tie), those with a quality marked
    dominated or not."""
    scored = [index for index, plan in enumerate(plans) if plan.quality is not None]
    flags = dominated_flags([(plans[i].plan_monthly_cost, plans[i].quality or ZERO) for i in scored])
    for index, flag in zip(scored, flags, strict=True):
        plans[index] = plans[index]._replace(dominated=flag)
    plans.sort(key=lambda p: (p.plan_monthly_cost, -(p.quality if p.quality is not None else Decimal(-1)),
                              (KEEP, SWITCH, ROUTE).index(p.kind), p.small))
    return tuple(plans)


def plan_options(
    workload: Workload,
    catalog: Catalog,
    as_of: dt.date,
    models: Sequence[Model],
    small_share: Decimal | None = None,
    quality_floor: Decimal | None = None,
    curve: RouterCurve = RANDOM_CURVE,
    router_overhead: Overhead | None = None,
    frontier: str | None = None,
) -> PlanReport:
    """Which small model, at which split — or which single model — against today's spend.

    Each stream is anchored on its frontier model (`frontier`, else the model it uses today). For each candidate
    model the planner offers a switch (every request to it) and a route (its small share to the candidate, the rest
    to the anchor: `small_share`, or with a quality floor the smallest frontier share whose expected quality meets
    it). Router overhead is paid only where requests are split. Candidates that cannot be priced, lack a score a
    floor needs, or are dearer and no better than another are excluded with the reason; plans that repeat another
    (a route at a 100 % small share is a switch) or that are today's own setup are left out.
    """
    if quality_floor is None and small_share is None:
        raise ParameterError("small_share", None, "give a small share or a quality floor")
    setting = _setting(workload, catalog, as_of, small_share, quality_floor, curve, router_overhead, frontier)
    catalog = setting.catalog
    costs, excluded, switch_only = _candidate_costs(setting, models)
    plans: list[PlanOption] = []
    unreachable: list[str] = []
    for model, parts in costs.items():
        switch = _switch(setting, model, parts)
        if switch is not None:
            plans.append(switch)
        if model in switch_only or all(anchor == model for anchor in setting.anchors):
            continue
        route = _route(setting, model, parts)
        if route is False:
            unreachable.append(model)
        elif isinstance(route, PlanOption):
            plans.append(route)
    today_models = [catalog.resolve(stream.model).id for stream in workload.streams]
    today_scores = [workload.quality.get(model) for model in today_models]
    today_quality = setting.weighted(today_scores)
    if quality_floor is None or all(q is not None and q >= quality_floor for q in today_scores):  # stream by stream
        today = setting.today
        plans.append(PlanOption(KEEP, ", ".join(dict.fromkeys(today_models)), None, ONE, today, today, ZERO, today, today,
                                today_quality))
    if not plans:
        raise _no_plan(setting, costs, excluded)
    used = {plan.small for plan in plans if plan.kind != KEEP} | set(setting.anchors) | set(today_models)
    return PlanReport(
        workload=workload,
        catalog_version=catalog.version,
        as_of=as_of,
        curve=curve,
        quality_floor=quality_floor,
        fixed_small_share=small_share if quality_floor is None else None,
        anchors=setting.anchors,
        today_monthly_cost=setting.today,
        today_quality=today_quality,
        plans=_ranked(plans),
        excluded=tuple(excluded),
        unreachable=tuple(unreachable),
        exchange_rates=rates_used(catalog, used),
        batch_at_standard=batch_at_standard(((stream, catalog.resolve(model)) for model in sorted(used)
                                             for stream in workload.streams), as_of),
    )
