"""Routing arithmetic worked out by hand: router, cascade, overheads, per-stream plans, targets, sweeps, planner.

Prices (USD per Mtok) at 2025-08-01: the shared test catalog's alpha 4 / 16 (cache read 0.4) and beta 0.5 / 1.5
(no cache prices), plus the routing models added below by `routing_catalog` (the shared file is left alone
because other tests rank every model in it): tiny 0.2 / 0.8 (cache read 0.02), mid 1 / 4, omega 2 / 8.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicost.catalog import Catalog, catalog_from_document
from aicost.documents import read_document
from aicost.errors import InputError, UnpricedError
from aicost.quantities import parse_fraction
from aicost.routing import (
    RANDOM_CURVE,
    ROUTELLM_MF_MTBENCH,
    Overhead,
    RouteOptions,
    break_even_router_cost,
    dominated_flags,
    evaluate,
    parse_curve,
    plan_options,
    route,
    solve_target,
    sweep,
    wilson_interval,
)
from aicost.workload import Workload, parse_workload
from conftest import TEST_CATALOG

D = Decimal
AUGUST = dt.date(2025, 8, 1)
PLACES = D("1e-18")


def _model(model_id: str, size_class: str, **prices: str) -> dict[str, Any]:
    period = {"since": dt.date(2025, 1, 1), "source": "test", "checked": dt.date(2025, 1, 1)}
    period.update({key: D(value) for key, value in prices.items()})
    return {"id": model_id, "class": size_class, "context_window": 100000, "periods": [period]}


ROUTING_VENDOR = {
    "vendor": "routeco",
    "name": "Routing test models",
    "models": [
        _model("tiny", "small", input="0.2", output="0.8", cache_read="0.02", cache_write="0.25",
               batch_input="0.1", batch_output="0.4"),
        _model("mid", "standard", input="1", output="4", cache_read="0.1"),
        _model("omega", "frontier", input="2", output="8", cache_read="0.2"),
    ],
}


def routing_catalog_document() -> dict[str, Any]:
    """The shared test catalog plus the routing vendor."""
    _, document = read_document(str(TEST_CATALOG), "catalog")
    document["vendors"].append(ROUTING_VENDOR)
    return document


@pytest.fixture(scope="module")
def routing_catalog() -> Catalog:
    return catalog_from_document(routing_catalog_document(), "routing test catalog")


def workload(catalog: Catalog, *streams: dict[str, Any], **top: Any) -> Workload:
    document: dict[str, Any] = {"version": 1, "streams": list(streams), **top}
    return parse_workload(document, "test.toml", catalog)


# 1000 requests of 1000 in / 250 out:
#   alpha (4 / 16): (1000 x 4 + 250 x 16) / 1e6 = 0.008 a request -> 8.00 a month
#   beta (0.5 / 1.5): (500 + 375) / 1e6 = 0.000875 -> 0.875 a month; price ratio 0.875 / 8 = 0.109375
PLAIN = {"name": "plain", "model": "alpha", "requests_per_month": 1000, "input_tokens": 1000, "output_tokens": 250}
# 1000 requests of 2000 in (half from the cache) / 200 out:
#   alpha: (1000 x 4 + 1000 x 0.4 + 200 x 16) / 1e6 = 0.0076 -> 7.60 a month
#   tiny:  (1000 x 0.2 + 1000 x 0.02 + 200 x 0.8) / 1e6 = 0.00038 -> 0.38 a month; ratio 0.05
CACHED = {"name": "cached", "model": "alpha", "requests_per_month": 1000, "input_tokens": 2000, "output_tokens": 200,
          "cached_input_share": D("0.5")}


def test_router_saving_is_share_times_one_minus_ratio(routing_catalog: Catalog) -> None:
    # plan = 0.8 x 0.875 + 0.2 x 8 = 0.7 + 1.6 = 2.3; saving = 1 - 2.3 / 8 = 0.7125 = 0.8 x (1 - 0.109375)
    report = route(workload(routing_catalog, PLAIN), routing_catalog, AUGUST,
                   RouteOptions(small="beta", frontier="alpha", small_share=D("0.8")))
    assert report.baseline_monthly_cost == D(8)
    assert report.plan_monthly_cost == D("2.3")
    assert report.saving == D("0.7125")
    assert report.price_ratio == D("0.109375")
    assert report.ceiling_saving == D("0.8")
    assert (report.mode, report.small, report.frontier, report.small_share) == ("router", "beta", "alpha", D("0.8"))
    # calls: 800 to beta, 200 to alpha
    assert (report.small_requests, report.frontier_requests) == (D(800), D(200))
    assert report.small_side.total == D("0.7") and report.frontier_side.total == D("1.6")


def test_router_overhead_flat_and_classifier(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    # 0.50 per 1,000 requests x 1000 requests = 0.50; plan 2.8; saving 1 - 2.8 / 8 = 0.65
    flat = route(w, routing_catalog, AUGUST, RouteOptions(
        small="beta", frontier="alpha", small_share=D("0.8"), router_overhead=Overhead(per_1000_requests=D("0.5"))))
    assert flat.router_overhead == D("0.5")
    assert flat.plan_monthly_cost == D("2.8")
    assert flat.saving == D("0.65")
    # classifier on beta reading 200 and writing 2 tokens: (200 x 0.5 + 2 x 1.5) / 1e6 = 0.000103 -> 0.103 a month
    classifier = route(w, routing_catalog, AUGUST, RouteOptions(
        small="beta", frontier="alpha", small_share=D("0.8"),
        router_overhead=Overhead(model="beta", input_tokens=200, output_tokens=2)))
    assert classifier.router_overhead == D("0.103")
    assert classifier.plan_monthly_cost == D("2.403")
    # default classifier tokens: the request's input (1000) and one output token: (500 + 1.5) / 1e6 x 1000 = 0.5015
    default = route(w, routing_catalog, AUGUST, RouteOptions(
        small="beta", frontier="alpha", small_share=D("0.8"), router_overhead=Overhead(model="beta")))
    assert default.router_overhead == D("0.5015")


def test_cascade_pays_both_calls_and_the_verifier(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    # every request on beta (0.875) + 20 % also on alpha (0.2 x 8 = 1.6) = 2.475; saving 1 - 2.475 / 8 = 0.690625
    cascade = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", mode="cascade",
                                                             escalation=D("0.2")))
    assert cascade.plan_monthly_cost == D("2.475")
    assert cascade.saving == D("0.690625")
    assert cascade.escalation == D("0.2")
    assert cascade.small_share == D("0.8")  # answered by the small model alone
    assert cascade.ceiling_saving == D("0.8")  # = 1 - escalation
    assert (cascade.small_requests, cascade.frontier_requests) == (D(1000), D(200))
    # verifier at 1.00 per 1,000 requests: 3.475; saving 1 - 3.475 / 8 = 0.565625
    flat = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", mode="cascade",
                                                          escalation=D("0.2"),
                                                          verifier_overhead=Overhead(per_1000_requests=D(1))))
    assert flat.verifier_overhead == D(1)
    assert flat.saving == D("0.565625")
    # verifier model beta reads input + output (1250) and writes 1: (625 + 1.5) / 1e6 x 1000 = 0.6265
    model = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", mode="cascade",
                                                           escalation=D("0.2"), verifier_overhead=Overhead(model="beta")))
    assert model.verifier_overhead == D("0.6265")
    assert model.plan_monthly_cost == D("3.1015")


def test_each_model_prices_its_own_cache_share(routing_catalog: Catalog) -> None:
    # plan = 0.9 x 0.38 + 0.1 x 7.6 = 0.342 + 0.76 = 1.102; saving 1 - 1.102 / 7.6 = 0.855 = 0.9 x (1 - 0.05)
    report = route(workload(routing_catalog, CACHED), routing_catalog, AUGUST,
                   RouteOptions(small="tiny", frontier="alpha", small_share=D("0.9")))
    assert report.plan_monthly_cost == D("1.102")
    assert report.saving == D("0.855")
    assert report.price_ratio == D("0.05")
    small, frontier = report.small_side, report.frontier_side
    # tiny on 900 requests: input 1000 x 0.2 = 200 -> 0.18; cache reads 1000 x 0.02 = 20 -> 0.018; output 160 -> 0.144
    assert (small.input, small.cached_input, small.output) == (D("0.18"), D("0.018"), D("0.144"))
    # alpha on 100 requests: input 4000 -> 0.4; cache reads 400 -> 0.04; output 3200 -> 0.32
    assert (frontier.input, frontier.cached_input, frontier.output) == (D("0.4"), D("0.04"), D("0.32"))


def test_a_small_model_without_cache_prices_is_not_free(routing_catalog: Catalog) -> None:
    with pytest.raises(UnpricedError, match="beta has no cache-read price"):
        route(workload(routing_catalog, CACHED), routing_catalog, AUGUST,
              RouteOptions(small="beta", frontier="alpha", small_share=D("0.9")))


def test_stream_routing_overrides_file_and_flags_override_both(routing_catalog: Catalog) -> None:
    cached = {**CACHED, "routing": {"small": "tiny", "small_share": D("0.5")}}
    w = workload(routing_catalog, cached, PLAIN,
                 routing={"small": "beta", "frontier": "alpha", "small_share": D("0.9")})
    report = route(w, routing_catalog, AUGUST, RouteOptions())
    by_name = {s.name: s for s in report.streams}
    # cached: tiny at its own 0.5: 0.5 x 0.38 + 0.5 x 7.6 = 3.99; plain: beta at the file's 0.9: 0.7875 + 0.8 = 1.5875
    assert (by_name["cached"].plan.small, by_name["cached"].plan.small_share) == ("tiny", D("0.5"))
    assert by_name["cached"].plan_monthly_cost == D("3.99")
    assert (by_name["plain"].plan.small, by_name["plain"].plan.small_share) == ("beta", D("0.9"))
    assert by_name["plain"].plan_monthly_cost == D("1.5875")
    assert report.plan_monthly_cost == D("5.5775")
    assert report.baseline_monthly_cost == D("15.6")
    assert report.small is None and report.frontier == "alpha"  # mixed small models
    assert report.small_share == D("0.7")  # (500 + 900) / 2000 requests
    # ceiling: (0.5 x 7.6 + 0.9 x 8) / 15.6 = 11 / 15.6
    assert abs(report.ceiling_saving - D(11) / D("15.6")) < PLACES  # type: ignore[operator]
    assert abs(report.saving - (1 - D("5.5775") / D("15.6"))) < PLACES  # type: ignore[operator]
    # --share 0.8 overrides both: cached 0.8 x 0.38 + 0.2 x 7.6 = 1.824; plain 0.7 + 1.6 = 2.3
    flagged = route(w, routing_catalog, AUGUST, RouteOptions(small_share=D("0.8")))
    assert [s.plan_monthly_cost for s in flagged.streams] == [D("1.824"), D("2.3")]
    # --small tiny overrides the file's beta on plain: tiny (200 + 200) / 1e6 x 1000 = 0.4
    tiny = route(w, routing_catalog, AUGUST, RouteOptions(small="tiny"))
    assert [s.small_alone_monthly_cost for s in tiny.streams] == [D("0.38"), D("0.4")]


def test_frontier_defaults_to_the_streams_model_and_small_is_required(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    report = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", small_share=D("0.8")))
    assert report.frontier == "alpha"
    with pytest.raises(InputError, match="no small model"):
        route(w, routing_catalog, AUGUST, RouteOptions(small_share=D("0.8")))
    with pytest.raises(InputError, match=r"needs the small model's share of requests — give it \(e.g. 90%\)"):
        route(w, routing_catalog, AUGUST, RouteOptions(small="beta"))
    with pytest.raises(InputError, match="both alpha"):
        route(w, routing_catalog, AUGUST, RouteOptions(small="alpha-latest", small_share=D("0.8")))


def test_cascade_escalation_from_the_share_at_the_same_layer(routing_catalog: Catalog) -> None:
    # [routing] gives only small_share 0.9: a cascade escalates 1 - 0.9 = 0.1: 0.875 + 0.1 x 8 = 1.675
    w = workload(routing_catalog, PLAIN, routing={"small": "beta", "small_share": D("0.9"), "mode": "cascade"})
    report = route(w, routing_catalog, AUGUST, RouteOptions())
    assert report.escalation == D("0.1")
    assert report.plan_monthly_cost == D("1.675")
    # --escalation on the command line wins: 0.875 + 0.3 x 8 = 3.275
    assert route(w, routing_catalog, AUGUST, RouteOptions(escalation=D("0.3"))).plan_monthly_cost == D("3.275")


def test_overhead_must_match_the_mode(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    with pytest.raises(InputError, match="router mode"):
        route(w, routing_catalog, AUGUST, RouteOptions(small="beta", mode="cascade", escalation=D("0.1"),
                                                       router_overhead=Overhead(per_1000_requests=D(1))))
    with pytest.raises(InputError, match="applies to cascade mode only"):
        route(w, routing_catalog, AUGUST, RouteOptions(small="beta", small_share=D("0.9"),
                                                       verifier_overhead=Overhead(per_1000_requests=D(1))))


# ---------------------------------------------------------------------------------------------- target and sweep


def test_target_router_solves_the_linear_equation(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    options = RouteOptions(small="beta", frontier="alpha")
    # saving(s) = s x (1 - 0.109375) = 0.890625 s; 0.4453125 -> s = 0.5
    target = solve_target(w, routing_catalog, AUGUST, options, D("0.4453125"))
    assert target.small_share == D("0.5")
    assert target.report.saving == D("0.4453125")
    assert target.ceiling_saving == D("0.890625")
    # with 0.50 a month of router overhead: s = (X x 8 + 0.5) / (8 - 0.875); X = 0.471875 -> 4.275 / 7.125 = 0.6
    with_router = RouteOptions(small="beta", frontier="alpha", router_overhead=Overhead(per_1000_requests=D("0.5")))
    target = solve_target(w, routing_catalog, AUGUST, with_router, D("0.471875"))
    assert target.small_share == D("0.6")
    # the ceiling: all on beta, where no request is split and no router runs: 1 - 0.875 / 8 = 0.890625
    assert target.ceiling_saving == D("0.890625")


def test_target_above_the_ceiling_is_refused_with_the_ceiling(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    with pytest.raises(InputError, match=r"above the ceiling of 89\.1 % \(0\.890625\)"):
        solve_target(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha"), D("0.9"))
    with_router = RouteOptions(small="beta", frontier="alpha", router_overhead=Overhead(per_1000_requests=D("0.5")))
    with pytest.raises(InputError, match=r"above the ceiling of 89\.1 % \(0\.890625\)"):
        solve_target(w, routing_catalog, AUGUST, with_router, D("0.9"))
    # 83 %: 1.36 a month; a split would need s = (8 + 0.5 - 1.36) / 7.125 > 1, so every request goes to beta
    target = solve_target(w, routing_catalog, AUGUST, with_router, D("0.83"))
    assert (target.small_share, target.report.plan_monthly_cost) == (1, D("0.875"))


def test_target_cascade_gives_the_escalation_allowed(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    options = RouteOptions(small="beta", frontier="alpha", mode="cascade")
    # saving(e) = 1 - (0.875 + 8e) / 8 = 0.890625 - e; 0.690625 -> e = 0.2
    target = solve_target(w, routing_catalog, AUGUST, options, D("0.690625"))
    assert target.escalation == D("0.2")
    assert target.report.plan_monthly_cost == D("2.475")
    # verifier 1.00 a month: e = 0.890625 - 1/8 - X; X = 0.5 -> e = 0.265625
    verified = RouteOptions(small="beta", frontier="alpha", mode="cascade",
                            verifier_overhead=Overhead(per_1000_requests=D(1)))
    assert solve_target(w, routing_catalog, AUGUST, verified, D("0.5")).escalation == D("0.265625")
    with pytest.raises(InputError, match=r"ceiling of 76\.6 % \(0\.765625\) .* at 0 % escalation"):
        solve_target(w, routing_catalog, AUGUST, verified, D("0.77"))


def test_target_refuses_a_small_model_that_is_not_cheaper(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    with pytest.raises(InputError, match="cannot save"):
        solve_target(w, routing_catalog, AUGUST, RouteOptions(small="alpha", frontier="beta"), D("0.1"))


def test_sweep_steps_from_zero_to_one(routing_catalog: Catalog) -> None:
    # plan(s) = 8 - 7.125 s; saving = 0.890625 s
    points = sweep(workload(routing_catalog, PLAIN), routing_catalog, AUGUST,
                   RouteOptions(small="beta", frontier="alpha"), D("0.25"))
    assert [p.small_share for p in points] == [D(0), D("0.25"), D("0.5"), D("0.75"), D(1)]
    assert [p.plan_monthly_cost for p in points] == [D(8), D("6.21875"), D("4.4375"), D("2.65625"), D("0.875")]
    assert [p.saving for p in points] == [D(0), D("0.22265625"), D("0.4453125"), D("0.66796875"), D("0.890625")]
    # a step that does not divide 1 still ends at 1
    odd = sweep(workload(routing_catalog, PLAIN), routing_catalog, AUGUST,
                RouteOptions(small="beta", frontier="alpha"), D("0.3"))
    assert [p.small_share for p in odd] == [D(0), D("0.3"), D("0.6"), D("0.9"), D(1)]


def test_article_claim_on_the_shipped_catalog() -> None:
    # DeepSeek V2 0.14 / 0.28 and GPT-4o 2.50 / 10 at 3:1: per 1M tokens 0.175 vs 4.375, ratio 0.04;
    # saving 0.9 x (1 - 0.04) = 0.864, whatever the volume (1,000 a day is 30,416.67 a month)
    from aicost.catalog import load_catalog

    shipped = load_catalog()
    stream = {"name": "chat", "model": "gpt-4o", "requests_per_day": 1000, "input_tokens": 750, "output_tokens": 250}
    report = route(workload(shipped, stream), shipped, dt.date(2026, 3, 1),
                   RouteOptions(small="deepseek-v2", frontier="gpt-4o", small_share=D("0.9")))
    assert report.saving == D("0.864")
    assert report.price_ratio == D("0.04")


# ---------------------------------------------------------------------------------------------- curves and planner


def test_parse_fraction() -> None:
    assert parse_fraction("0.9", "--share") == D("0.9")
    assert parse_fraction("90%", "--share") == D("0.9")
    assert parse_fraction(" 12.5 % ", "--share") == D("0.125")
    for bad in ("1.5", "-0.1", "abc", "nan", "150%"):
        with pytest.raises(InputError, match="--share"):
            parse_fraction(bad, "--share")


def test_curves() -> None:
    assert RANDOM_CURVE.gap_recovered(D("0.3")) == D("0.3")
    # RouteLLM MF on MT Bench: 50 % of the gap at 13.4 % strong calls, 80 % at 31.3 %
    assert ROUTELLM_MF_MTBENCH.frontier_share_for(D("0.5")) == D("0.134")
    assert ROUTELLM_MF_MTBENCH.frontier_share_for(D("0.8")) == D("0.313")
    # 65 %: halfway between 0.134 and 0.313 -> 0.2235
    assert ROUTELLM_MF_MTBENCH.frontier_share_for(D("0.65")) == D("0.2235")
    assert ROUTELLM_MF_MTBENCH.gap_recovered(D("0.2235")) == D("0.65")
    # quality 0.6 -> 0.9 at 13.4 % frontier calls: 0.6 + 0.5 x 0.3 = 0.75
    assert ROUTELLM_MF_MTBENCH.quality(D("0.6"), D("0.9"), D("0.134")) == D("0.75")
    user = parse_curve("0.1:0.4,0.3:0.75")
    assert user.points == ((D(0), D(0)), (D("0.1"), D("0.4")), (D("0.3"), D("0.75")), (D(1), D(1)))
    # 0.575 of the gap: on (0.1, 0.4)-(0.3, 0.75): 0.1 + 0.175 x 0.2 / 0.35 = 0.2
    assert user.frontier_share_for(D("0.575")) == D("0.2")
    assert parse_curve("random") is RANDOM_CURVE
    for bad in ("", "fast", "0.1", "0.3:0.5,0.1:0.6", "0:0.2", "0.5:1.2"):
        with pytest.raises(InputError, match=r"^curve "):
            parse_curve(bad)


PLANNER = {"name": "plain", "model": "alpha", "requests_per_month": 1000, "input_tokens": 1000, "output_tokens": 250}
# monthly on each model (1000 x (1000 in + 250 out)): tiny 0.4, beta 0.875, mid 2, omega 4, alpha 8 (today)
QUALITY = {"tiny": D("0.6"), "beta": D("0.5"), "mid": D("0.75"), "omega": D("0.85"), "alpha": D("1")}
ALL = ("alpha", "beta", "tiny", "mid", "omega")


def _models(catalog: Catalog, *ids: str) -> list[Any]:
    return [catalog.resolve(model_id) for model_id in ids]


def _by_plan(report: Any) -> dict[tuple[str, str], Any]:
    return {(p.kind, p.small): p for p in report.plans}


def test_planner_anchors_on_today_and_offers_switches(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER, quality=QUALITY)
    report = plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, *ALL), quality_floor=D("0.8"))
    assert (report.anchors, report.today_monthly_cost, report.today_quality) == (("alpha",), 8, 1)
    # beta costs more than tiny (0.875 > 0.4) and scores lower (0.5 < 0.6): dropped, with the reason
    assert [(e.model, e.reason) for e in report.excluded] == [
        ("beta", "dearer than tiny on this workload and no better (quality 0.5 against 0.6)")]
    plans = _by_plan(report)
    # random curve, anchor alpha (1.0): frontier share = (0.8 - q) / (1 - q)
    # mid: 0.05 / 0.25 = 0.2 -> 0.8 x 2 + 0.2 x 8 = 3.20, saving 1 - 3.2 / 8 = 0.6
    assert (plans[("route", "mid")].small_share, plans[("route", "mid")].plan_monthly_cost) == (D("0.8"), D("3.2"))
    assert plans[("route", "mid")].saving == D("0.6") and plans[("route", "mid")].frontier == "alpha"
    # tiny: 0.2 / 0.4 = 0.5 -> 0.5 x 0.4 + 0.5 x 8 = 4.20
    assert plans[("route", "tiny")].plan_monthly_cost == D("4.2")
    # omega alone meets the floor: a switch at 4.00 (quality 0.85), not a route at a 100 % share
    assert (plans[("switch", "omega")].plan_monthly_cost, plans[("switch", "omega")].quality) == (4, D("0.85"))
    assert ("route", "omega") not in plans and ("switch", "alpha") not in plans  # alpha is today
    # today's setup is listed for reference, last here
    assert [(p.kind, p.small) for p in report.plans] == [("route", "mid"), ("switch", "omega"), ("route", "tiny"),
                                                         ("keep", "alpha")]
    # pareto: mid (3.2, 0.8), omega (4, 0.85) and today (8, 1.0); tiny's route (4.2, 0.8) is dominated
    assert [(p.kind, p.small) for p in report.pareto] == [("route", "mid"), ("switch", "omega"), ("keep", "alpha")]
    assert plans[("route", "tiny")].dominated is True


def test_router_overhead_only_where_requests_are_split(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER, quality=QUALITY)
    # 0.50 per 1,000 requests x 1,000 requests = 0.50 a month, on routes only
    report = plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, *ALL), quality_floor=D("0.8"),
                          router_overhead=Overhead(per_1000_requests=D("0.5")))
    plans = _by_plan(report)
    assert plans[("route", "mid")].plan_monthly_cost == D("3.7")  # 3.20 + 0.50
    assert plans[("switch", "omega")].plan_monthly_cost == 4 and plans[("switch", "omega")].router_overhead == 0
    # route --share 1 routes nothing: no router cost; --share 0.5 pays it
    options = RouteOptions(small="tiny", router_overhead=Overhead(per_1000_requests=D("0.5")))
    alone = route(w, routing_catalog, AUGUST, options._replace(small_share=D(1)))
    assert (alone.plan_monthly_cost, alone.router_overhead) == (D("0.4"), 0)
    split = route(w, routing_catalog, AUGUST, options._replace(small_share=D("0.5")))
    assert (split.plan_monthly_cost, split.router_overhead) == (D("4.7"), D("0.5"))  # 0.2 + 4 + 0.5


def test_target_saving_with_an_overhead_paid_only_inside(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER)
    options = RouteOptions(small="tiny", router_overhead=Overhead(per_1000_requests=D("0.5")))
    # cost(x) = 8 - 7.6 x + 0.5 inside (0, 1); 50 % = 4.00: x = 4.5 / 7.6 = 0.59210526315789473684
    target = solve_target(w, routing_catalog, AUGUST, options, D("0.5"))
    assert target.small_share == D("0.59210526315789473684")
    assert abs(target.report.plan_monthly_cost - 4) < D("1e-15")
    # 94 %: 0.48 a month; inside it would need x = 8.02 / 7.6 > 1, but tiny alone (no router) costs 0.40
    target = solve_target(w, routing_catalog, AUGUST, options, D("0.94"))
    assert (target.small_share, target.report.plan_monthly_cost) == (1, D("0.4"))


def test_planner_at_a_fixed_share_with_and_without_scores(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER, quality={"beta": D("0.6"), "alpha": D("0.9")})
    report = plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, "alpha", "beta", "tiny", "delta"),
                          small_share=D("0.9"))
    plans = _by_plan(report)
    # delta has no output price: excluded with the reason, never $0
    assert [(e.model, "no output price" in e.reason) for e in report.excluded] == [("delta", True)]
    # beta's route: 0.9 x 0.875 + 0.1 x 8 = 1.5875; quality 0.6 + 0.1 x 0.3 = 0.63 (random curve)
    assert (plans[("route", "beta")].plan_monthly_cost, plans[("route", "beta")].quality) == (D("1.5875"), D("0.63"))
    # tiny has no score: its plans carry no quality and are not compared
    assert plans[("route", "tiny")].quality is None and plans[("route", "tiny")].dominated is None
    # switches tiny 0.40, beta 0.875; routes tiny 0.9 x 0.4 + 0.8 = 1.16, beta 1.5875
    assert [(p.kind, p.small, p.plan_monthly_cost) for p in report.plans] == [
        ("switch", "tiny", D("0.4")), ("switch", "beta", D("0.875")), ("route", "tiny", D("1.16")),
        ("route", "beta", D("1.5875")), ("keep", "alpha", 8)]


def test_planner_with_another_frontier_and_per_stream_anchors(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER)
    report = plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, "tiny", "omega"), small_share=D("0.5"),
                          frontier="omega")
    # anchor omega (4.00), today alpha (8.00): tiny's route 0.5 x 0.4 + 0.5 x 4 = 2.20, saving 1 - 2.2 / 8 = 0.725
    plans = _by_plan(report)
    assert (plans[("route", "tiny")].plan_monthly_cost, plans[("route", "tiny")].saving) == (D("2.2"), D("0.725"))
    assert plans[("route", "tiny")].price_ratio == D("0.1")  # 0.4 / 4
    assert set(plans) == {("switch", "tiny"), ("switch", "omega"), ("route", "tiny"), ("keep", "alpha")}
    second = {**PLANNER, "name": "second", "model": "omega"}
    report = plan_options(workload(routing_catalog, PLANNER, second), routing_catalog, AUGUST,
                          _models(routing_catalog, "tiny"), small_share=D("0.5"))
    # each stream on its own model: 0.5 x 0.4 + 0.5 x 8 = 4.2 and 0.5 x 0.4 + 0.5 x 4 = 2.2; today 12
    (routed,) = [p for p in report.plans if p.kind == "route"]
    assert (report.anchors, routed.frontier, routed.plan_monthly_cost, report.today_monthly_cost) == (
        ("alpha", "omega"), "alpha, omega", D("6.4"), 12)


def test_planner_quality_floor_errors(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLANNER, quality=QUALITY)
    with pytest.raises(InputError, match=r"no plan reaches it — the best score .* 1 \(alpha\)"):
        plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, "alpha", "beta"), quality_floor=D("1.5"))
    partial = workload(routing_catalog, PLANNER, quality={"alpha": D("0.9"), "beta": D("0.6")})
    report = plan_options(partial, routing_catalog, AUGUST, _models(routing_catalog, "alpha", "beta", "tiny"),
                          quality_floor=D("0.7"))
    assert [e.model for e in report.excluded] == ["tiny"]
    assert "no quality score" in report.excluded[0].reason
    unscored_anchor = workload(routing_catalog, PLANNER, quality={"beta": D("0.6")})
    with pytest.raises(InputError, match="the frontier model alpha has no quality score"):
        plan_options(unscored_anchor, routing_catalog, AUGUST, _models(routing_catalog, "beta"), quality_floor=D("0.5"))


def _brute_force_dominated(points: list[tuple[Decimal, Decimal]]) -> list[bool]:
    return [
        any(c2 <= c and q2 >= q and (c2 < c or q2 > q) for j, (c2, q2) in enumerate(points) if j != i)
        for i, (c, q) in enumerate(points)
    ]


small_decimals = st.integers(min_value=0, max_value=6).map(lambda n: D(n) / 4)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(small_decimals, small_decimals), max_size=25))
def test_dominated_flags_match_brute_force(points: list[tuple[Decimal, Decimal]]) -> None:
    # few distinct values, so ties in cost and in quality are common
    assert dominated_flags(points) == _brute_force_dominated(points)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=20), min_size=5, max_size=5),
    st.integers(min_value=0, max_value=20),
    st.sampled_from(["random", "routellm-mf-mtbench", "0.1:0.4,0.3:0.75"]),
)
def test_planner_pareto_matches_brute_force(
    routing_catalog: Catalog, scores: list[int], floor: int, curve: str
) -> None:
    ids = ["tiny", "beta", "mid", "omega", "alpha"]
    quality = {model_id: D(score) / 20 for model_id, score in zip(ids, scores, strict=True)}
    w = workload(routing_catalog, PLANNER, quality=quality)
    models = _models(routing_catalog, *ids)
    cost = {"tiny": D("0.4"), "beta": D("0.875"), "mid": D(2), "omega": D(4), "alpha": D(8)}
    for quality_floor, share in ((D(floor) / 20, None), (None, D("0.7"))):
        try:
            report = plan_options(w, routing_catalog, AUGUST, models, share, quality_floor, parse_curve(curve))
        except InputError:
            continue
        points = [(p.plan_monthly_cost, p.quality) for p in report.plans]
        assert all(q is not None for _, q in points)
        assert [p.dominated for p in report.plans] == _brute_force_dominated(points)  # type: ignore[arg-type]
        # a model dearer and no better than another is never offered
        offered = {p.small for p in report.plans if p.kind != "keep"} - {"alpha"}  # today's model is never dropped
        for model in offered:
            assert not any(cost[o] <= cost[model] and quality[o] >= quality[model]
                           and (cost[o] < cost[model] or quality[o] > quality[model]) for o in ids if o != model)
        # no two plans are the same plan; with a floor every plan meets it
        assert len({(p.kind, p.small) for p in report.plans}) == len(report.plans)
        if quality_floor is not None:
            assert all(p.quality is not None and p.quality >= quality_floor for p in report.plans)
        assert [p.plan_monthly_cost for p in report.plans] == sorted(p.plan_monthly_cost for p in report.plans)


# ---------------------------------------------------------------------------------------------- break-even, evaluation


def test_break_even_router_cost(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    report = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", small_share=D("0.8")))
    # plan 0.8 x 0.875 + 0.2 x 8 = 2.30 against 8.00: 5.70 a month to spare over 1,000 requests = 5.70 per 1,000
    assert break_even_router_cost(report) == D("5.7")
    # the margin is the same whatever the router costs today: 0.50 per 1,000 leaves the break-even at 5.70
    priced = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", small_share=D("0.8"),
                                                           router_overhead=Overhead(per_1000_requests=D("0.5"))))
    assert break_even_router_cost(priced) == D("5.7")
    # nothing routed (a 100 % share) needs no router; a dearer "small" model never saves
    everything = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", small_share=D(1)))
    assert break_even_router_cost(everything) is None
    backwards = route(w, routing_catalog, AUGUST, RouteOptions(small="alpha", frontier="beta", small_share=D("0.5")))
    assert break_even_router_cost(backwards) is None


def test_wilson_interval_at_several_sample_sizes() -> None:
    # 95 %: z = 1.959964; centre (p + z^2/2n) / (1 + z^2/n), half z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n).
    # p = 0.9, n = 100: centre 0.919207 / 1.038415 = 0.885202, half 0.061856 / 1.038415 = 0.059568
    for n, low, high in ((10, "0.59585", "0.982124"), (100, "0.825634", "0.944771"), (1000, "0.879848", "0.917091")):
        interval = wilson_interval(D("0.9"), n)
        assert tuple(x.quantize(D("0.000001")) for x in interval) == (D(low), D(high)), n
    assert wilson_interval(D(1), 50)[1] == 1 and wilson_interval(D(0), 50)[0] == 0


def test_evaluation_cost_payback_and_saving_interval(routing_catalog: Catalog) -> None:
    w = workload(routing_catalog, PLAIN)
    options = RouteOptions(small="beta", frontier="alpha", small_share=D("0.9"))
    report = route(w, routing_catalog, AUGUST, options)
    # plan 0.9 x 0.875 + 0.1 x 8 = 1.5875; monthly saving 8 - 1.5875 = 6.4125
    evaluation = evaluate(w, routing_catalog, AUGUST, options, report, 100)
    # 100 prompts on both: 100 x (0.000875 + 0.008) = 0.8875; payback 0.8875 / 6.4125 = 0.13840155945419103314
    assert evaluation.cost == D("0.8875")
    assert evaluation.payback_months == D("0.13840155945419103314")
    # the share's interval at n = 100 (see above); saving(x) = x x (1 - 0.875 / 8) = 0.890625 x
    low, high = evaluation.share_interval or (D(0), D(0))
    assert (evaluation.saving_interval or (D(0), D(0))) == (
        (D("0.890625") * low).quantize(RATIO), (D("0.890625") * high).quantize(RATIO))
    # a judge model (alpha) reads the prompt and both answers (1,000 + 2 x 250 tokens) and writes one token:
    # (1,500 x 4 + 16) / 1e6 = 0.006016 a prompt -> 0.8875 + 0.6016 = 1.4891
    judged = evaluate(w, routing_catalog, AUGUST, options, report, 100, Overhead(model="alpha"))
    assert judged.cost == D("1.4891")
    with pytest.raises(InputError, match="at least 1 prompt"):
        evaluate(w, routing_catalog, AUGUST, options, report, 0)


RATIO = D("1e-20")


def test_dearer_and_no_better_is_judged_stream_by_stream() -> None:
    from aicost.routing import dearer_and_no_better

    quality = {"a": D("0.5"), "b": D("0.6")}
    # b costs more on the first stream (2 > 1): whatever a's total, b does not beat it everywhere
    assert dearer_and_no_better({"a": [D(1), D(5)], "b": [D(2), D(2)]}, quality) == {}
    # b is cheaper on both streams and better: a is dropped
    assert dearer_and_no_better({"a": [D(3), D(5)], "b": [D(2), D(2)]}, quality) == {
        "a": "dearer than b on this workload and no better (quality 0.5 against 0.6)"}


def test_break_even_counts_only_the_requests_a_router_sees(routing_catalog: Catalog) -> None:
    still = {**PLAIN, "name": "still", "routing": {"small_share": 0}}
    w = workload(routing_catalog, {**PLAIN, "routing": {"small_share": D("0.8")}}, still)
    report = route(w, routing_catalog, AUGUST, RouteOptions(small="beta", frontier="alpha"))
    # plain: 8 - (0.8 x 0.875 + 0.2 x 8) = 5.70 saved over its 1,000 routed requests; still routes nothing.
    # 5.70 per 1,000 requests the router sees (not 2.85 over all 2,000)
    assert break_even_router_cost(report) == D("5.7")


def test_an_overhead_model_must_fit_the_request_too() -> None:
    from clihelp import run_main

    result = run_main("route", "--model", "gpt-4.1", "--requests-per-month", "1000", "--input-tokens", "300000",
                      "--output-tokens", "100", "--small", "gpt-4.1-mini", "--share", "0.5", "--classifier",
                      "gpt-4o-mini", "--as-of", "2026-11-27")
    assert result.exit_code == 2
    # the classifier's call is its input and the 1 token it writes, as every window check counts input + output
    assert "300,000 input + 1 output tokens exceed gpt-4o-mini's context window of 128,000 tokens" in result.stderr


def test_keep_today_needs_every_stream_to_meet_the_floor(routing_catalog: Catalog) -> None:
    busy = {**PLANNER, "requests_per_month": 3000}
    weak = {**PLANNER, "name": "weak", "model": "beta"}
    w = workload(routing_catalog, busy, weak, quality={"alpha": D("0.9"), "beta": D("0.6"), "omega": D("0.85")})
    # today's mean quality (0.9 x 3,000 + 0.6 x 1,000) / 4,000 = 0.825 is above 0.8, but the weak stream is not
    report = plan_options(w, routing_catalog, AUGUST, _models(routing_catalog, "omega"), quality_floor=D("0.8"))
    assert [(p.kind, p.small) for p in report.plans] == [("switch", "omega"), ("switch", "alpha")]
