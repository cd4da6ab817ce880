"""`aicost route` without a small model proposes one, and says so; `route plan` without quality scores ranks by cost.

Held-out-style workloads on the bundled catalog at 2026-03-01, arithmetic in the comments (USD per Mtok):
gpt-4o 2.50 / 10, gpt-5-nano 0.05 / 0.40, gpt-4.1-nano 0.10 / 0.40, gpt-4o-mini 0.15 / 0.60,
claude-sonnet-4 3 / 15, claude-haiku-4-5 1 / 5 (context 200,000).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import Run, run

AT = ("--catalog", "bundled", "--as-of", "2026-03-01")

TWO_VENDORS = """\
version = 1
name = "held-out"

[[streams]]
name = "chat"
model = "gpt-4o"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100

[[streams]]
name = "review"
model = "claude-sonnet-4"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
"""

LONG_DOCS = """
[[streams]]
name = "long-docs"
model = "claude-sonnet-4"
requests_per_month = 100
input_tokens = 300000
output_tokens = 1000
"""


def workload(tmp_path: Path, text: str) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def route(path: str, *args: str) -> Run:
    return run("route", path, "--share", "0.9", *AT, *args)


def document(result: Run) -> dict[str, Any]:
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return parsed


def test_route_without_small_picks_the_cheapest_small_model_of_each_streams_vendor(tmp_path: Path) -> None:
    result = route(workload(tmp_path, TWO_VENDORS), "--format", "json")
    routed = document(result)
    # chat (gpt-4o, OpenAI), 1,000 requests of 1,000 in / 100 out, on OpenAI's small models:
    #   gpt-5-nano   1,000 x (1,000 x 0.05 + 100 x 0.40) / 1e6 = $0.09  <- the cheapest
    #   gpt-4.1-nano 1,000 x (1,000 x 0.10 + 100 x 0.40) / 1e6 = $0.14
    #   gpt-4o-mini  1,000 x (1,000 x 0.15 + 100 x 0.60) / 1e6 = $0.21
    # review (claude-sonnet-4, Anthropic): its one small model, claude-haiku-4-5: 1,000 x (1,000 + 500) / 1e6 = $1.50
    assert routed["proposed"] == [
        {"stream": "chat", "small": "gpt-5-nano", "among": "openai", "small_alone_monthly_cost": Decimal("0.09")},
        {"stream": "review", "small": "claude-haiku-4-5", "among": "anthropic", "small_alone_monthly_cost": Decimal("1.5")},
    ]
    assert [(s["small"], s["frontier"]) for s in routed["streams"]] == [("gpt-5-nano", "gpt-4o"),
                                                                         ("claude-haiku-4-5", "claude-sonnet-4")]
    # plan: chat 0.9 x 0.09 + 0.1 x 3.50 = 0.431; review 0.9 x 1.50 + 0.1 x 4.50 = 1.80; total 2.231 of 8.00
    assert routed["plan_monthly_cost"] == Decimal("2.231") and routed["baseline_monthly_cost"] == Decimal("8")
    assert ("aicost: note: no small model given: proposing gpt-5-nano for stream 'chat', the cheapest small openai model "
            "that takes these requests ($0.09 a month on it alone) — --small MODEL chooses another") in result.stderr
    table = route(workload(tmp_path, TWO_VENDORS), "--quiet")
    assert table.stderr == ""
    assert table.stdout.startswith("No small model given: proposing gpt-5-nano for stream 'chat', the cheapest small "
                                   "openai model")


def test_any_vendor_picks_the_cheapest_small_model_that_fits_every_stream(tmp_path: Path) -> None:
    path = workload(tmp_path, TWO_VENDORS + LONG_DOCS)
    refused = route(path)
    # long-docs reads 300,000 tokens: claude-haiku-4-5's window is 200,000, and Anthropic has no other small model
    assert refused.exit_code == 2 and refused.stdout == ""
    assert refused.stderr == ("aicost: error: stream 'long-docs': anthropic has no small model that can take its requests "
                              "on 2026-03-01 (priced, not free, a context window of 300,000 input tokens) — give --small "
                              "MODEL, or --any-vendor to look at every vendor's\n")
    routed = document(route(path, "--any-vendor", "--format", "json"))
    # every vendor's small models, free tiers left out; long-docs on gpt-5-nano (window 400,000):
    #   100 x (300,000 x 0.05 + 1,000 x 0.40) / 1e6 = $1.54; gpt-4.1-nano's 100 x (300,000 x 0.10 + 400) / 1e6 = $3.04
    assert [(p["stream"], p["small"], p["among"], p["small_alone_monthly_cost"]) for p in routed["proposed"]] == [
        ("chat", "gpt-5-nano", "any vendor", Decimal("0.09")), ("review", "gpt-5-nano", "any vendor", Decimal("0.09")),
        ("long-docs", "gpt-5-nano", "any vendor", Decimal("1.54"))]
    assert routed["small"] == "gpt-5-nano"


def test_a_small_model_given_is_used_and_nothing_is_proposed(tmp_path: Path) -> None:
    path = workload(tmp_path, TWO_VENDORS + '\n[routing]\nsmall = "gpt-4o-mini"\n')
    result = route(path, "--format", "json")
    assert document(result)["proposed"] == [] and "proposing" not in result.stderr
    assert document(route(path, "--small", "gpt-4.1-nano", "--format", "json"))["small"] == "gpt-4.1-nano"
    both = route(path, "--small", "gpt-4.1-nano", "--any-vendor")
    assert both.exit_code == 2 and "--any-vendor: proposes a small model — leave it out when --small names one" in both.stderr


@pytest.mark.parametrize("frontier", ["gpt-4o", "claude-sonnet-4"])
def test_the_vendor_is_the_frontier_models(tmp_path: Path, frontier: str) -> None:
    routed = document(route(workload(tmp_path, TWO_VENDORS), "--frontier", frontier, "--format", "json"))
    expected = {"gpt-4o": "gpt-5-nano", "claude-sonnet-4": "claude-haiku-4-5"}[frontier]
    assert {p["small"] for p in routed["proposed"]} == {expected}


def test_route_plan_without_a_floor_ranks_by_cost_and_recommends_nothing(tmp_path: Path) -> None:
    path = workload(tmp_path, TWO_VENDORS)
    args = ("route", "plan", path, *AT, "--candidates", "gpt-5-nano,claude-haiku-4-5")
    planned = json.loads(run(*args, "--format", "json").stdout, parse_float=Decimal)
    assert (planned["ranked_by"], planned["recommended"]) == ("cost", None)
    # plans: switch all to gpt-5-nano 2 x 0.09 = 0.18; route 90 % to it: chat 0.431 + review 0.9 x 0.09 + 0.1 x 4.50 =
    # 0.531, total 0.962; switch to claude-haiku-4-5 2 x 1.50 = 3.00; route to it: chat 0.9 x 1.5 + 0.35 = 1.70 + review
    # 1.80 = 3.50; the anchors as switches: gpt-4o 2 x 3.50 = 7.00, claude-sonnet-4 2 x 4.50 = 9.00; today 3.50 + 4.50
    assert [(p["kind"], p["small"], p["plan_monthly_cost"]) for p in planned["plans"]] == [
        ("switch", "gpt-5-nano", Decimal("0.18")), ("route", "gpt-5-nano", Decimal("0.962")),
        ("switch", "claude-haiku-4-5", Decimal("3")), ("route", "claude-haiku-4-5", Decimal("3.5")),
        ("switch", "gpt-4o", 7), ("keep", "gpt-4o, claude-sonnet-4", 8), ("switch", "claude-sonnet-4", 9)]
    table = run(*args).stdout
    assert table.startswith(
        "Ranked by cost alone: with no quality floor aicost cannot tell whether a cheaper model answers well enough, so "
        "it recommends none of these 7 plans ($0.18 to $9.00 a month; today $8.00).\nFor a recommendation: score the "
        "models on your own evaluation in a [quality] table (model = 0..1) and give --quality-floor SCORE.\n")
    assert "Cheapest plan" not in table
    scored = workload(tmp_path, TWO_VENDORS + "\n[quality]\ngpt-5-nano = 0.6\nclaude-haiku-4-5 = 0.7\ngpt-4o = 0.8\n"
                      '"claude-sonnet-4" = 0.9\n')
    floor = json.loads(run("route", "plan", scored, *AT, "--candidates", "gpt-5-nano,claude-haiku-4-5",
                           "--quality-floor", "0.6", "--format", "json").stdout, parse_float=Decimal)
    # at a floor of 0.6 every plan qualifies; the cheapest, switching everything to gpt-5-nano (0.6), is recommended
    assert floor["ranked_by"] == "cost, under the quality floor"
    assert (floor["recommended"]["kind"], floor["recommended"]["small"]) == ("switch", "gpt-5-nano")
