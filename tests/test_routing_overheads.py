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


# A banded stream on the bundled catalog (prices in force on 2026-12-01, USD per Mtok): gpt-5.4 2.50 / 15 and, for a
# request above 272,000 input tokens, 5 / 22.50 on the whole request; gpt-5.4-mini 0.75 / 4.50 (no tier, a
# 1,050,000-token window); gpt-4o-mini a 128,000-token window.
BANDED = {"version": 1, "name": "banded", "streams": [{
    "name": "chat", "model": "gpt-5.4", "requests_per_month": 10000,
    "sizes": [{"share": 0.9, "input_tokens": 20000, "output_tokens": 800},
              {"share": 0.1, "input_tokens": 400000, "output_tokens": 2000}],
    "routing": {"small": "gpt-5.4-mini", "small_share": 0.7}}]}


def _banded_route(tmp_path: Path, *flags: str) -> Any:
    path = tmp_path / "banded.toml"
    path.write_text(tomli_w.dumps(BANDED), encoding="utf-8")
    return run("route", str(path), "--as-of", "2026-12-01", "--format", "json", *flags)


def test_a_classifier_and_a_judge_pay_each_band_at_its_own_tier(tmp_path: Path) -> None:
    result = _banded_route(tmp_path, "--classifier", "gpt-5.4")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout, parse_float=D)
    # the classifier reads each band's input and writes 1 token:
    #   sizes[0]  20,000 x 2.50 + 1 x 15    = 50,015      (per Mtok: below 272,000)
    #   sizes[1] 400,000 x 5.00 + 1 x 22.50 = 2,000,022.5 (the whole call above 272,000)
    #   0.9 x 50,015 + 0.1 x 2,000,022.5 = 45,013.5 + 200,002.25 = 245,015.75 per million requests
    #   x 10,000 requests = 2,450.1575 a month (the mean, 58,000 in, priced once below the tier said 1,450.15)
    assert report["breakdown"]["router_overhead"] == D("2450.1575")
    judged = _banded_route(tmp_path, "--eval-prompts", "100", "--judge", "gpt-5.4")
    assert judged.exit_code == 0, judged.stderr
    evaluation = json.loads(judged.stdout, parse_float=D)["evaluation"]
    # per prompt, both models answer it: all-frontier 2,603 / 10,000 = 0.2603 and all-small on gpt-5.4-mini
    #   0.9 x (20,000 x 0.75 + 800 x 4.5) + 0.1 x (400,000 x 0.75 + 2,000 x 4.5) = 0.9 x 18,600 + 0.1 x 309,000
    #   = 47,640 per Mtok -> 0.04764;
    # and the judge reads the prompt and both answers, writing 1 token:
    #   sizes[0]  (20,000 + 800 + 800) x 2.50 + 15      = 54,015
    #   sizes[1] (400,000 + 2,000 + 2,000) x 5.00 + 22.5 = 2,020,022.5
    #   0.9 x 54,015 + 0.1 x 2,020,022.5 = 48,613.5 + 202,002.25 = 250,615.75 -> 0.25061575
    # 100 x (0.2603 + 0.04764 + 0.25061575) = 100 x 0.55855575 = 55.855575 (the mean once said 45.7555)
    assert evaluation["cost"] == D("55.855575")


def test_a_verifier_pays_each_band_at_its_own_tier(tmp_path: Path) -> None:
    result = _banded_route(tmp_path, "--mode", "cascade", "--escalation", "0.3", "--verifier", "gpt-5.4")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout, parse_float=D)
    # the verifier reads each band's input and the small model's answer in that band, and writes 1 token:
    #   sizes[0]  (20,000 + 800) x 2.50 + 15      = 52,015
    #   sizes[1] (400,000 + 2,000) x 5.00 + 22.5 = 2,010,022.5
    #   0.9 x 52,015 + 0.1 x 2,010,022.5 = 46,813.5 + 201,002.25 = 247,815.75 per Mtok x 10,000 = 2,478.1575
    assert report["breakdown"]["verifier_overhead"] == D("2478.1575")


@pytest.mark.parametrize("flags", [("--classifier", "gpt-4o-mini"),
                                   ("--mode", "cascade", "--escalation", "0.3", "--verifier", "gpt-4o-mini"),
                                   ("--eval-prompts", "10", "--judge", "gpt-4o-mini")])
def test_a_call_model_whose_window_cannot_hold_a_band_is_refused(tmp_path: Path, flags: tuple[str, ...]) -> None:
    # the 400,000-token band does not fit gpt-4o-mini's 128,000-token window (the 58,000-token mean would)
    result = _banded_route(tmp_path, *flags)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "stream 'chat' sizes[1]: 40" in result.stderr
    assert "exceed gpt-4o-mini's context window of 128,000 tokens" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
