"""The routing machinery's calls (classifier, verifier, judge) priced as the workload pays them, reading what the
models it checks actually answer.

On the routing test catalog at 2025-08-01 (USD per Mtok): alpha 4 / 16 and beta 0.5 / 1.5 (vendor acme), tiny
0.2 / 0.8, mid 1 / 4 and omega 2 / 8 (vendor routeco).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from aicost.catalog import Catalog, catalog_from_document
from aicost.routing import Overhead, RouteOptions, break_even_router_cost, evaluate, route
from clihelp import run
from test_routing import AUGUST, PLAIN, routing_catalog_document, workload

D = Decimal
RATIO = D("1e-20")

# acme 10 % off, mid (a model's own discount, over routeco's 50 %) 30 % off, and a 10 % platform fee on what is paid
ADJUSTMENTS = {"adjustments": {"discount": {"acme": "10%", "routeco": "50%", "mid": "30%"}, "platform_fee": "10%"}}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_from_document(routing_catalog_document(), "routing test catalog")


def test_a_classifier_is_paid_at_the_workloads_price_as_both_sides(catalog: Catalog) -> None:
    w = workload(catalog, PLAIN, **ADJUSTMENTS)
    options = RouteOptions(small="beta", frontier="alpha", small_share=D("0.8"), router_overhead=Overhead(model="mid"))
    report = route(w, catalog, AUGUST, options)
    # acme's factor (1 - 0.10) x (1 + 0.10) = 0.99; mid's (1 - 0.30) x 1.10 = 0.77 (its own 30 % beats routeco's 50 %)
    # 1,000 requests of 1,000 in / 250 out:
    #   small side  800 on beta:  800 x (1,000 x 0.5 + 250 x 1.5) / 1e6 = 0.70  x 0.99 = 0.693
    #   frontier    200 on alpha: 200 x (1,000 x 4 + 250 x 16) / 1e6   = 1.60  x 0.99 = 1.584
    #   all-frontier 1,000 on alpha: 8.00 x 0.99 = 7.92
    #   classifier  1,000 calls on mid reading 1,000 and writing 1: 1,000 x (1,000 x 1 + 1 x 4) / 1e6 = 1.004 at list
    #               x 0.77 = 0.77308 (the list-price bug said 1.004)
    assert report.small_side.total == D("0.693")
    assert report.frontier_side.total == D("1.584")
    assert report.baseline_monthly_cost == D("7.92")
    assert report.router_overhead == D("0.77308")
    # plan 0.693 + 1.584 + 0.77308 = 3.05008; saving 1 - 3.05008 / 7.92 = 0.61488888...
    assert report.plan_monthly_cost == D("3.05008")
    assert report.saving == (1 - D("3.05008") / D("7.92")).quantize(RATIO)
    # break-even, in what is paid: (7.92 - (0.693 + 1.584)) x 1,000 / 1,000 requests = 5.643 per 1,000
    assert break_even_router_cost(report) == D("5.643")
    # the evaluation's judge is paid the same way: mid reads the prompt and both answers (1,000 + 250 + 250) and
    # writes 1: (1,500 + 4) / 1e6 = 0.001504 x 0.77 = 0.00115808 a prompt; each prompt also runs on both models:
    # (0.000875 + 0.008) x 0.99 = 0.00878625 -> 100 x (0.00878625 + 0.00115808) = 0.994433
    judged = evaluate(w, catalog, AUGUST, options, report, 100, Overhead(model="mid"))
    assert judged.cost == D("0.994433")
    # payback: 0.994433 / (7.92 - 3.05008 = 4.86992) months
    assert judged.payback_months == (D("0.994433") / D("4.86992")).quantize(RATIO)


def test_a_flat_router_price_is_taken_as_paid(catalog: Catalog) -> None:
    # a flat price per 1,000 requests is what the router costs: no vendor's discount or fee applies to it
    w = workload(catalog, PLAIN, **ADJUSTMENTS)
    report = route(w, catalog, AUGUST, RouteOptions(small="beta", frontier="alpha", small_share=D("0.8"),
                                                    router_overhead=Overhead(per_1000_requests=D("0.5"))))
    assert report.router_overhead == D("0.5")  # 1,000 requests x 0.50 / 1,000


def test_the_verifier_reads_the_small_models_profiled_answer(catalog: Catalog) -> None:
    # tiny answers in 100 tokens ([profiles.tiny]); the stream's own output (250) is alpha's
    w = workload(catalog, PLAIN, profiles={"tiny": {"output_tokens": 100}})
    report = route(w, catalog, AUGUST, RouteOptions(small="tiny", frontier="alpha", mode="cascade",
                                                    escalation=D("0.2"), verifier_overhead=Overhead(model="mid")))
    # small side: every request on tiny, 1,000 x (1,000 x 0.2 + 100 x 0.8) / 1e6 = 0.28
    # frontier:   200 escalated to alpha, 200 x (1,000 x 4 + 250 x 16) / 1e6 = 1.60
    # verifier:   mid reads the request and tiny's answer (1,000 + 100) and writes 1:
    #             1,000 x (1,100 x 1 + 1 x 4) / 1e6 = 1.104 (reading the stream's 250 it said 1.254)
    assert report.small_side.total == D("0.28")
    assert report.frontier_side.total == D("1.6")
    assert report.verifier_overhead == D("1.104")
    assert report.plan_monthly_cost == D("2.984")
    # the judge reads the prompt and both answers as profiled: tiny's 100 and alpha's 300 ([profiles.alpha])
    both = workload(catalog, PLAIN, profiles={"tiny": {"output_tokens": 100}, "alpha": {"output_tokens": 300}})
    options = RouteOptions(small="tiny", frontier="alpha", small_share=D("0.8"))
    plan = route(both, catalog, AUGUST, options)
    # per prompt: tiny 0.00028 + alpha (1,000 x 4 + 300 x 16) / 1e6 = 0.0088 + judge mid (1,400 x 1 + 4) / 1e6
    # = 0.001404 -> 0.010484; 10 prompts 0.10484
    assert evaluate(both, catalog, AUGUST, options, plan, 10, Overhead(model="mid")).cost == D("0.10484")


def test_route_json_with_discounts_and_a_classifier(tmp_path: Path) -> None:
    catalog_path = tmp_path / "catalog.toml"
    catalog_path.write_text(tomli_w.dumps(routing_catalog_document()), encoding="utf-8")
    document: dict[str, Any] = {"version": 1, "name": "discounted", "streams": [PLAIN], **ADJUSTMENTS,
                                "routing": {"small": "beta", "frontier": "alpha", "small_share": 0.8}}
    path = tmp_path / "w.toml"
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
    result = run("route", str(path), "--classifier", "mid", "--catalog", str(catalog_path), "--as-of", "2025-08-01",
                 "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout, parse_float=D)
    # as in the first test: classifier 0.77308, plan 3.05008 of 7.92, break-even 5.643 per 1,000 requests
    assert report["breakdown"]["router_overhead"] == D("0.77308")
    assert report["plan_monthly_cost"] == D("3.05008")
    assert report["baseline_monthly_cost"] == D("7.92")
    assert report["break_even"]["max_router_cost_per_1000"] == D("5.643")
