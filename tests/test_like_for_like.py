"""compare's like-for-like answer keeps each stream in its own class: a frontier stream on the cheapest paid frontier
model, a small stream on the cheapest paid small model (a held-out-style workload on the bundled catalog)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from clihelp import run

AT = ("--catalog", "bundled", "--as-of", "2026-03-01")

# An Opus-class agent and a Haiku-class triage stream.  Today, at 2026-03-01 (USD per Mtok):
#   agent  on claude-opus-4-1 (15 / 75):  60,000 x (6,000 x 15 + 800 x 75) / 1e6 = 60,000 x 0.15 = $9,000
#   triage on claude-haiku-4-5 (1 / 5): 1,500,000 x (800 x 1 + 50 x 5) / 1e6 = 1,500,000 x 0.00105 = $1,575
MIXED = """\
version = 1
name = "mixed"

[[streams]]
name = "agent"
model = "claude-opus-4-1"
requests_per_month = 60000
input_tokens = 6000
output_tokens = 800

[[streams]]
name = "triage"
model = "claude-haiku-4-5"
requests_per_month = 1500000
input_tokens = 800
output_tokens = 50
"""


def compare(tmp_path: Path, *args: str) -> dict[str, Any]:
    path = tmp_path / "mixed.toml"
    path.write_text(MIXED, encoding="utf-8")
    result = run("compare", str(path), *AT, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_each_stream_goes_to_the_cheapest_paid_model_of_its_class(tmp_path: Path) -> None:
    document = compare(tmp_path)
    assert document["baseline_monthly_cost"] == Decimal("10575")  # 9,000 + 1,575
    # agent, frontier: deepseek-chat (0.28 / 0.42): 60,000 x (6,000 x 0.28 + 800 x 0.42) / 1e6 = 60,000 x 0.002016
    #   = $120.96 (deepseek-reasoner costs the same; the tie goes to the id first in order)
    # triage, small: gpt-5-nano (0.05 / 0.40): 1,500,000 x (800 x 0.05 + 50 x 0.40) / 1e6 = 1,500,000 x 0.00006 = $90
    #   (the free tiers glm-4.7-flash and glm-4.5-flash, at $0, are not an answer for production traffic)
    # total 210.96; ratio 210.96 / 10,575 = 0.0199489... -> 0.019949
    assert document["like_for_like"] == {
        "monthly_cost": Decimal("210.96"),
        "ratio_to_baseline": Decimal("0.019949"),
        "streams": [
            {"name": "agent", "class": "frontier", "model": "deepseek-chat", "monthly_cost": Decimal("120.96"),
             "kept": False},
            {"name": "triage", "class": "small", "model": "gpt-5-nano", "monthly_cost": Decimal("90"), "kept": False},
        ],
    }
    # the whole workload on one small model is cheaper still, but it is not like for like
    assert document["candidates"][0]["class"] == "small"


def test_the_summary_line_names_each_streams_model(tmp_path: Path) -> None:
    path = tmp_path / "mixed.toml"
    path.write_text(MIXED, encoding="utf-8")
    lines = run("compare", str(path), *AT).stdout.splitlines()
    assert lines[1] == ("Cheapest like for like, each stream in its class: agent → deepseek-chat (frontier), triage → "
                        "gpt-5-nano (small): $210.96 a month (0.020x today)")


def test_a_stream_no_candidate_of_its_class_can_take_stays_on_its_own_model(tmp_path: Path) -> None:
    document = compare(tmp_path, "--models", "gpt-5-nano,gpt-4.1-nano")
    # no frontier candidate: agent stays on claude-opus-4-1 ($9,000); triage on gpt-5-nano ($90, gpt-4.1-nano's
    # 1,500,000 x (800 x 0.10 + 50 x 0.40) / 1e6 = $150 is dearer): 9,090
    like = document["like_for_like"]
    assert like["monthly_cost"] == Decimal("9090")
    assert [(s["name"], s["model"], s["kept"]) for s in like["streams"]] == [("agent", "claude-opus-4-1", True),
                                                                             ("triage", "gpt-5-nano", False)]


# A frontier stream bought plainly and a small stream half off-peak (a DeepSeek window no Bedrock offering sells).
# At 2026-12-07 (USD per Mtok):
#   a on gpt-4o (2.50 / 10): 1,000 x (1,000 x 2.50 + 200 x 10) / 1e6 = 1,000 x 0.0045 = $4.50
#   b on deepseek-flash: peak (0.30 / 1.20) 500 x (300 + 240) / 1e6 = $0.27, off-peak (0.15 / 0.60)
#     500 x (150 + 120) / 1e6 = $0.135: $0.405; today 4.50 + 0.405 = $4.905
HALF_OFF_PEAK = """\
version = 1
name = "w"

[[streams]]
name = "a"
model = "gpt-4o"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 200

[[streams]]
name = "b"
model = "deepseek-flash"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 200
off_peak_share = 0.5
"""
ON_BEDROCK = ("--catalog", "bundled", "--as-of", "2026-12-07", "--hosts", "bedrock")


def test_no_offering_prices_every_stream_says_so_instead_of_an_empty_ranking(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(HALF_OFF_PEAK, encoding="utf-8")
    result = run("compare", str(path), *ON_BEDROCK, "--top", "3")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    # a on claude-sonnet-5 at bedrock (2.00 / 10.00): 1,000 x (2,000 + 2,000) / 1e6 = $4.00, the cheapest frontier
    # offering there that takes a as bought; b stays on deepseek-flash ($0.405): 4.405 / 4.905 = 0.898x
    # (money shown to the cent, half to even: 4.905 -> $4.90, 4.405 -> $4.40)
    assert lines[:3] == [
        "Today's cost on the workload's own models: $4.90 a month",
        "Cheapest like for like, each stream in its class: a → claude-sonnet-5 on bedrock (frontier), b stays on "
        "deepseek-flash (no small candidate takes it): $4.40 a month (0.898x today)",
        "No offering (model x host) prices every stream of w, so none is ranked: each is listed under Excluded",
    ]
    assert "priced on 0" not in result.stdout  # no header-only ranking under the sentence
    # the exclusion names the stream it is about, so a → claude-sonnet-5 above reads as the exception it is
    assert any(line.split() == ["claude-sonnet-5", "bedrock", "stream", "'b':", "claude-sonnet-5", "offers", "no",
                                "time", "window", "'off-peak'", "—", "it", "offers:", "none"] for line in lines)
    document = json.loads(run("compare", str(path), *ON_BEDROCK, "--format", "json").stdout, parse_float=Decimal)
    assert (document["candidates"], document["candidates_total"]) == ([], 0)
    assert {"model": "claude-sonnet-5", "host": "bedrock",
            "reason": "stream 'b': claude-sonnet-5 offers no time window 'off-peak' — it offers: none"} in document["excluded"]
    assert document["like_for_like"]["streams"] == [
        {"name": "a", "class": "frontier", "model": "claude-sonnet-5", "host": "bedrock", "monthly_cost": Decimal("4"),
         "kept": False},
        {"name": "b", "class": "small", "model": "deepseek-flash", "monthly_cost": Decimal("0.405"), "kept": True},
    ]
    # csv keeps the ranking's header, a rectangle with no rows
    csv = run("compare", str(path), *ON_BEDROCK, "--format", "csv").stdout
    assert csv == "rank,model,vendor,host,class,same_class,monthly_cost,ratio_to_baseline,note\n"


def test_an_exclusion_that_holds_for_every_stream_names_none(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(HALF_OFF_PEAK.replace("off_peak_share = 0.5", ""), encoding="utf-8")
    document = json.loads(run("compare", str(path), "--catalog", "bundled", "--as-of", "2026-12-07",
                              "--models", "gemini-2.0-flash", "--format", "json").stdout)
    # retired for every stream: no stream named; its successor gemini-2.5-flash retired on 2026-12-01 in turn, so the
    # reason names the end of the chain, on sale that day
    assert [e["reason"] for e in document["excluded"]] == [
        "gemini-2.0-flash was retired on 2026-06-01 — use gemini-3.5-flash-lite"]
