"""Per-model token profiles and the reasoning flag: each model is billed for the tokens it actually produces."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main

TODAY = ("--as-of", "2026-11-27")
# 100,000 requests a month of 1,000 input tokens, 300 visible output tokens and 3,000 hidden reasoning tokens.
# o3 (2.00 / 8.00) reasons; gpt-4o-mini (0.15 / 0.60) does not.
WORKLOAD = """version = 1
name = "agents"

[[streams]]
name = "plan"
model = "o3"
requests_per_month = 100000
input_tokens = 1000
output_tokens = 300
reasoning_tokens = 3000
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(*args: str) -> dict[str, Any]:
    result = run_main(*args, *TODAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_reasoning_tokens_are_billed_only_by_a_model_that_reasons(tmp_path: Path) -> None:
    path = write(tmp_path, WORKLOAD)
    # o3: 1e8 input x 2 / 1e6 = 200; (300 + 3,000) x 1e5 = 3.3e8 output x 8 / 1e6 = 2,640 -> 2,840
    assert run_json("cost", path)["monthly_cost"] == 2840
    # gpt-4o-mini: 1e8 x 0.15 / 1e6 = 15; only the 300 visible tokens: 3e7 x 0.60 / 1e6 = 18 -> 33
    # (billing it the 3,000 reasoning tokens too would say 15 + 3.3e8 x 0.60 / 1e6 = 213)
    assert run_json("cost", path, "--model", "gpt-4o-mini")["monthly_cost"] == 33
    listed = {m["model"]: m for m in run_json("pricing", "list")["models"]}
    assert listed["o3"]["reasoning"] is True and listed["gpt-4o-mini"]["reasoning"] is False


def test_a_profile_gives_a_models_own_tokens_in_cost_compare_and_route(tmp_path: Path) -> None:
    path = write(tmp_path, WORKLOAD + '\n[profiles."gpt-4o-mini"]\noutput_tokens = 500\n')
    # gpt-4o-mini answers with 500 tokens: 15 + 5e7 x 0.60 / 1e6 = 30 -> 45
    assert run_json("cost", path, "--model", "gpt-4o-mini")["monthly_cost"] == 45
    candidates = {c["model"]: c for c in run_json("compare", path, "--models", "o3,gpt-4o-mini")["candidates"]}
    assert (candidates["gpt-4o-mini"]["monthly_cost"], candidates["o3"]["monthly_cost"]) == (45, 2840)
    # route at 50 %: small side 50,000 x (1,000 x 0.15 + 500 x 0.60) / 1e6 = 22.50; frontier side
    # 50,000 x (1,000 x 2 + 3,300 x 8) / 1e6 = 1,420 -> 1,442.50 against 2,840 all-o3
    routed = run_json("route", path, "--small", "gpt-4o-mini", "--share", "0.5")
    assert (routed["plan_monthly_cost"], routed["baseline_monthly_cost"]) == (Decimal("1442.5"), 2840)
    # a profile for o3 itself changes today's cost: 2,000 reasoning tokens -> 200 + 2.3e8 x 8 / 1e6 = 2,040
    path = write(tmp_path, WORKLOAD + '\n[profiles.o3]\nreasoning_tokens = 2000\n')
    assert run_json("cost", path)["monthly_cost"] == 2040


def test_profiles_are_checked(tmp_path: Path) -> None:
    cases = {
        '[profiles."gpt-4o-mini"]\ninput_tokens = 5\n': "profiles.gpt-4o-mini.input_tokens: unknown key 'input_tokens'",
        '[profiles."no-such-model"]\noutput_tokens = 5\n': "profiles.no-such-model",
        '[profiles."gpt-4o-mini"]\noutput_tokens = -5\n': "profiles.gpt-4o-mini.output_tokens: must be >= 0",
        '[profiles]\n"gpt-4o-mini" = 5\n': "profiles.gpt-4o-mini: must be a table",
    }
    for text, message in cases.items():
        result = run_main("cost", write(tmp_path, WORKLOAD + text), *TODAY)
        assert result.exit_code == 2, (text, result.stdout)
        assert message in result.stderr and result.stderr.count("\n") == 1, (text, result.stderr)


ONE_STREAM = """version = 1
[[streams]]
name = "a"
model = "gpt-4o"
requests_per_day = 10
input_tokens = 10
output_tokens = 10
"""


@pytest.mark.parametrize(("section", "first", "second", "where"), [
    ('[profiles.O3]\noutput_tokens = 5\n[profiles.o3]\noutput_tokens = 50\n', "O3", "o3", "profiles.o3"),
    ('[adjustments]\ndiscount = {"GPT-4o" = 0.1, "gpt-4o" = 0.2}\n', "GPT-4o", "gpt-4o", "adjustments.discount.gpt-4o"),
    ('[quality]\n"gpt-4o" = 0.5\n"GPT-4O" = 0.6\n', "gpt-4o", "GPT-4O", "quality.GPT-4O"),
])
def test_keys_that_name_one_model_twice_are_refused(tmp_path: Path, section: str, first: str, second: str,
                                                    where: str) -> None:
    """Model ids are matched whatever their case, so two keys that differ only in case are one key written twice:
    refused with both named, never the last silently winning."""
    model = "o3" if first.lower() == "o3" else "gpt-4o"
    result = run_main("cost", write(tmp_path, ONE_STREAM + section), "--as-of", "2026-03-01")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"aicost: error: {tmp_path / 'w.toml'}: {where}: '{first}' and '{second}' both name {model} "
                             "(ids are matched whatever their case, aliases name their model) — keep one\n")
