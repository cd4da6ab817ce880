"""Router quality curves: how much of the quality gap between a small and a frontier model a router recovers
for a share of frontier calls (the RouteLLM preset, a random router, or points given by the user)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from aicost.errors import ParameterError
from aicost.quantities import parse_fraction
from aicost.workload import ONE, ZERO


class RouterCurve(NamedTuple):
    """How much of the quality gap a router recovers for a share of frontier calls: points (frontier share, fraction).

    Piecewise linear through the points, from (0, 0) to (1, 1).
    """

    name: str
    points: tuple[tuple[Decimal, Decimal], ...]

    def gap_recovered(self, frontier_share: Decimal) -> Decimal:
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            if frontier_share <= x1:
                return y0 + (frontier_share - x0) * (y1 - y0) / (x1 - x0)
        return ONE

    def frontier_share_for(self, gap_fraction: Decimal) -> Decimal:
        """The smallest frontier share that recovers `gap_fraction` of the quality gap."""
        if gap_fraction <= ZERO:
            return ZERO
        for (x0, y0), (x1, y1) in itertools.pairwise(self.points):
            if y1 >= gap_fraction:
                return x0 + (gap_fraction - y0) * (x1 - x0) / (y1 - y0)
        return ONE

    def quality(self, small_quality: Decimal, frontier_quality: Decimal, frontier_share: Decimal) -> Decimal:
        return small_quality + self.gap_recovered(frontier_share) * (frontier_quality - small_quality)


RANDOM_CURVE = RouterCurve("random", ((ZERO, ZERO), (ONE, ONE)))
ROUTELLM_MF_MTBENCH = RouterCurve(
    "routellm-mf-mtbench", ((ZERO, ZERO), (Decimal("0.134"), Decimal("0.5")), (Decimal("0.313"), Decimal("0.8")), (ONE, ONE))
)
"""The RouteLLM paper's best case: its matrix-factorisation router trained on Arena preferences augmented with
LLM-judge labels, on MT Bench — 50 % of the quality gap at 13.4 % frontier calls, 80 % at 31.3 % (Ong et al.,
"RouteLLM: Learning to Route LLMs with Preference Data", 2024, arXiv:2406.18665). Other routers and benchmarks
need more frontier calls."""
CURVES = {curve.name: curve for curve in (RANDOM_CURVE, ROUTELLM_MF_MTBENCH)}


class CurveName(StrEnum):
    """The router quality curves known by name; `parse_curve` also takes points."""

    random = RANDOM_CURVE.name
    routellm_mf_mtbench = ROUTELLM_MF_MTBENCH.name


def parse_curve(text: str) -> RouterCurve:
    """A preset name, or points 'frontier_share:gap_fraction,...' (0,0 and 1,1 are added)."""
    name = text.strip().lower()
    if name in CURVES:
        return CURVES[name]
    hint = "use random, routellm-mf-mtbench, or points such as 0.1:0.4,0.3:0.75"

    def error(problem: str) -> ParameterError:
        return ParameterError("curve", text, problem)

    points: dict[Decimal, Decimal] = {ZERO: ZERO, ONE: ONE}
    for part in (p for p in text.split(",") if p.strip()):
        if part.count(":") != 1:
            raise error(f"{hint} (frontier share : fraction of the quality gap)")
        share_text, gap_text = part.split(":")
        share = parse_fraction(share_text, "curve")
        gap = parse_fraction(gap_text, "curve")
        if (share == ZERO and gap != ZERO) or (share == ONE and gap != ONE):
            raise error(f"{hint} — a router recovers 0 of the gap at 0 frontier calls and all of it at 1")
        if share in points and points[share] != gap:
            raise error(f"{hint} — frontier share {share} is given twice")
        points[share] = gap
    if not any(p.strip() for p in text.split(",")):
        raise error(hint)
    ordered = tuple(sorted(points.items()))
    for (_, y0), (x1, y1) in itertools.pairwise(ordered):
        if y1 < y0:
            raise error(f"{hint} — the fraction of the gap must not fall as the frontier share grows (at {x1})")
    return RouterCurve(text.strip(), ordered)
