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
