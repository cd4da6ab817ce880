"""A newcomer's questions, answered without writing a file, and with help that teaches."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import run_main

STREAM = ["--model", "claude-sonnet-4", "--requests-per-day", "50000", "--input-tokens", "1500", "--output-tokens", "400"]
FILE = """version = 1
name = "command line"
[[streams]]
name = "claude-sonnet-4"
model = "claude-sonnet-4"
requests_per_day = 50000
input_tokens = 1500
output_tokens = 400
"""
EARLY_2026 = ["--as-of", "2026-02-15"]


def as_json(*args: str) -> dict[str, object]:
    result = run_main(*args, *EARLY_2026, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout, parse_float=Decimal)  # type: ignore[no-any-return]


def test_stream_options_price_like_the_file(tmp_path: Path) -> None:
    # 50,000 requests a day x 730 / 24 = 1,520,833.33 a month; claude-sonnet-4 early 2026: $3 in, $15 out a million
    # a request: (1,500 x 3 + 400 x 15) / 1e6 = $0.0105; a month: 1,520,833.33 x 0.0105 = $15,968.75
    path = tmp_path / "w.toml"
    path.write_text(FILE, encoding="utf-8")
    assert as_json("cost", *STREAM)["monthly_cost"] == Decimal("15968.75")
    for command in (["cost"], ["compare", "--class", "frontier"], ["budget", "--max", "20000"],
                    ["route", "--small", "deepseek-v2", "--share", "0.9"]):
        flags, file = as_json(*command, *STREAM), as_json(*command, str(path))
        flags.pop("workload_source", None), file.pop("workload_source", None)
        assert flags == file, command
    assert as_json("budget", *STREAM, "--max", "20000")["monthly_cost"] == Decimal("15968.75")
    # router: 0.9 x DeepSeek V2 ($0.14 / $0.28) + 0.1 x claude-sonnet-4 on the same 1,520,833.33 requests
    # small a request: (1,500 x 0.14 + 400 x 0.28) / 1e6 = $0.000322; 0.9 x 1,520,833.33 x 0.000322 = $440.7375
    # frontier: 0.1 x 15,968.75 = $1,596.875; plan $2,037.6125
    assert as_json("route", *STREAM, "--small", "deepseek-v2", "--share", "0.9")["plan_monthly_cost"] == Decimal("2037.6125")


def test_model_alone_reprices_a_file_on_one_model(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(FILE.replace('model = "claude-sonnet-4"', 'model = "gpt-4o"'), encoding="utf-8")
    # gpt-4o at $2.50 / $10: (1,500 x 2.5 + 400 x 10) / 1e6 = $0.00775 x 1,520,833.33 = $11,786.458333
    assert as_json("cost", str(path))["monthly_cost"] == Decimal("11786.458333")
    assert as_json("cost", str(path), "--model", "claude-sonnet-4")["monthly_cost"] == Decimal("15968.75")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--input-tokens", "-5"], "--input-tokens: must be >= 0, got -5"),
        (["--output-tokens", "x"], "--output-tokens: must be a whole number, got a string"),
        (["--cached-input-share", "1.5"], "--cached-input-share: must be between 0 and 1, got 1.5"),
        (["--requests-per-month", "5"], "gives both --requests-per-month and --requests-per-day — keep exactly one"),
        (["--model", "claude-sonet-4"], "--model: unknown model 'claude-sonet-4' — did you mean 'claude-sonnet-4'?"),
    ],
)
def test_stream_options_are_checked_like_a_file(args: list[str], message: str) -> None:
    base = {STREAM[i]: STREAM[i + 1] for i in range(0, len(STREAM), 2)}
    base.update({args[i]: args[i + 1] for i in range(0, len(args), 2)})
    result = run_main("cost", *[word for pair in base.items() for word in pair])
    assert result.exit_code == 2
    assert result.stderr == f"aicost: error: {message}\n"


def test_stream_options_need_a_model_and_no_file(tmp_path: Path) -> None:
    result = run_main("cost", "--requests-per-day", "5", "--input-tokens", "1", "--output-tokens", "1")
    assert result.exit_code == 2 and "add --model MODEL" in result.stderr
    path = tmp_path / "w.toml"
    path.write_text(FILE, encoding="utf-8")
    result = run_main("cost", str(path), *STREAM)
    assert result.exit_code == 2 and "give one or the other" in result.stderr
