"""A newcomer's questions, answered without writing a file, and with help that teaches."""

from __future__ import annotations

import json
import re
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
        (["--output-tokens", "x"], "--output-tokens: must be a number, got 'x' — write digits only, such as 20000"),
        (["--cached-input-share", "1.5"], "--cached-input-share: must be between 0 and 1, got 1.5"),
        (["--input-tokens", "20k"], "--input-tokens: must be a number, got '20k' — write digits only, such as 20000"),
        (["--input-tokens", "1,500"], "--input-tokens: must be a number, got '1,500' — write digits only, such as 1500"),
        (["--web-search-calls", "1k"], "--web-search-calls: must be a number, got '1k' — write digits only, such as 1000"),
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


# ---------------------------------------------------------------------------------------------- help and completion


def test_help_lists_choices_and_full_summaries() -> None:
    top = run_main("--help").stdout
    commands = top.split("Commands:", 1)[1]
    assert "..." not in commands and "…" not in commands
    assert re.search(r"\n  cost +Monthly spend per stream and in total\.\n", top)
    route_help = run_main("route", "--help").stdout
    assert "--mode [router|cascade]" in route_help or "--mode <router|cascade>" in route_help
    assert "--share SHARE" in route_help and "Examples:" in route_help
    assert run_main("-V").stdout == run_main("--version").stdout != ""


@pytest.mark.slow
def test_every_help_example_runs(tmp_path: Path) -> None:
    """The examples at the end of each command's --help are real command lines: they run (exit 0 or 1)."""
    from aicost.cli.app import EXAMPLES
    from shellhelp import bash, make_bin

    bin_dir = make_bin(tmp_path / "bin")
    work = tmp_path / "work"
    work.mkdir()
    setup = bash("aicost init -q && cp aicost.toml old.toml && cp aicost.toml new.toml && "
                 "aicost pricing export > my-catalog.toml", bin_dir, work)
    assert setup.returncode == 0, setup.stderr
    (work / "model_prices_and_context_window.json").write_text(  # a LiteLLM price file of one entry
        '{"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, '
        '"input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-06}}',
        encoding="utf-8")
    # request logs for `aicost usage`: a gzipped OpenAI log, an aggregate CSV and Claude Code's own directory
    import gzip

    record = ('{"model": "gpt-4o", "created": 1793577600, "usage": {"prompt_tokens": 1000, "completion_tokens": 100}}\n')
    (work / "requests.jsonl.gz").write_bytes(gzip.compress(record.encode()))
    (work / "daily.csv").write_text("date,model,requests,input_tokens,output_tokens\n2026-11-02,gpt-4o,10,10000,1000\n",
                                    encoding="utf-8")
    claude = tmp_path / "claude"
    (claude / "projects" / "p").mkdir(parents=True)
    (claude / "projects" / "p" / "s.jsonl").write_text(
        '{"message": {"id": "m", "model": "claude-sonnet-4", "usage": {"input_tokens": 5, "output_tokens": 5}}, '
        '"requestId": "r", "timestamp": "2026-11-02T10:00:00Z"}\n', encoding="utf-8")
    for path, lines in EXAMPLES.items():
        for index, line in enumerate(lines):
            cwd = work
            if path == ("init",):  # init writes aicost.toml: a directory of its own
                cwd = tmp_path / f"init-{index}"
                cwd.mkdir()
            result = bash(line, bin_dir, cwd, CLAUDE_CONFIG_DIR=str(claude))
            assert result.returncode in (0, 1), (path, line, result.stderr)


def complete(*words: str) -> list[str]:
    import os
    import subprocess
    import sys

    env = {**os.environ, "_AICOST_COMPLETE": "complete_bash", "COMP_WORDS": " ".join(["aicost", *words]),
           "COMP_CWORD": str(len(words))}
    result = subprocess.run([sys.executable, "-m", "aicost"], env=env, capture_output=True, text=True, check=True)
    return [line.split(",", 1)[-1] for line in result.stdout.splitlines()]


@pytest.mark.slow
def test_every_fixed_option_value_completes_in_bash() -> None:
    """Every option with a fixed set of values, in every command, completes to exactly that set (typer's own
    completion protocol); options that take a model complete model ids."""
    from aicost.cli.fast import load_spec

    def commands(node: dict[str, object], path: list[str]) -> list[tuple[list[str], dict[str, object]]]:
        found = []
        for name, entry in node.items():
            assert isinstance(entry, dict)
            if "subcommands" in entry:
                sub = entry["subcommands"]
                assert isinstance(sub, dict)
                found += commands(sub, [*path, name] if name != entry.get("default") else path)
            else:
                found.append(([*path, name] if not (path and path[-1] == "route" and name == "estimate") else path, entry))
        return found

    checked = 0
    for path, entry in commands(load_spec()["commands"], []):
        for param in entry["params"]:  # type: ignore[union-attr]
            if param["argument"] or not isinstance(param["type"], dict) or "choice" not in param["type"]:
                continue
            assert complete(*path, param["opts"][0], "") == param["type"]["choice"], (path, param["name"])
            checked += 1
    assert checked >= 13  # --format (x 11 commands), --class (x 2), --mode, pricing export --format
    assert "claude-sonnet-4" in complete("cost", "--model", "claude-s")
    assert "deepseek-v2" in complete("route", "--small", "deepseek-v")
    assert complete("route", "plan", "--curve", "") == ["random", "routellm-mf-mtbench"]


def test_max_increase_says_which_unit(tmp_path: Path) -> None:
    """One rule for every option: a bare number is a fraction (0.05 = 5 %); money needs $ where both are taken."""
    path = tmp_path / "w.toml"
    path.write_text(FILE, encoding="utf-8")
    result = run_main("diff", str(path), str(path), "--max-increase", "0.05", *EARLY_2026)
    assert result.exit_code == 2
    assert result.stderr == ("aicost: error: --max-increase 0.05: write a share of the old cost with % (10%) or an "
                             "amount with its currency symbol, in single quotes ('$500')\n")
    assert run_main("diff", str(path), str(path), "--max-increase", "$0.05", *EARLY_2026).exit_code == 0
    assert run_main("diff", str(path), str(path), "--max-increase", "5%", *EARLY_2026).exit_code == 0


def test_compare_shows_the_like_for_like_answer() -> None:
    """The question "where is claude-sonnet-4's traffic cheapest?" answered in its own class, free tiers flagged."""
    document = as_json("compare", *STREAM)
    assert document["workload_classes"] == ["frontier"]
    candidates = document["candidates"]
    assert isinstance(candidates, list)
    assert all(c["same_class"] == (c["class"] == "frontier") for c in candidates)
    free = [c["model"] for c in candidates if c["free_tier"]]
    assert "glm-4.7-flash" in free and all(c["monthly_cost"] == 0 for c in candidates if c["free_tier"])
    text = run_main("compare", *STREAM, *EARLY_2026).stdout
    best = next(c for c in candidates if c["same_class"])
    assert text.splitlines()[1].startswith(f"Cheapest like for like (frontier): {best['model']} at $")
    assert "free tier" in text and "* your class: frontier" in text


@pytest.mark.slow
def test_lists_complete_item_by_item() -> None:
    from aicost.cli.options import _complete_last

    assert _complete_last("gpt-4o,clau", ["claude-sonnet-4", "gpt-4o"]) == ["gpt-4o,claude-sonnet-4"]
    assert _complete_last("", ["openai", "anthropic"]) == ["openai", "anthropic"]
    assert complete("compare", "--vendor", "open") == ["openai"]


def test_a_files_shares_may_be_percentages(tmp_path: Path) -> None:
    """cached_input_share = "50%" is 0.5, batch_share = "20%" is 0.2, as on the command line: the same cost."""
    path = tmp_path / "w.toml"
    path.write_text(FILE + 'cached_input_share = "50%"\nbatch_share = "20%"\n', encoding="utf-8")
    flags = as_json("cost", *STREAM, "--cached-input-share", "0.5", "--batch-share", "0.2")
    assert as_json("cost", str(path))["monthly_cost"] == flags["monthly_cost"]
    path.write_text(FILE + 'off_peak_share = "lots"\n', encoding="utf-8")
    result = run_main("cost", str(path), *EARLY_2026)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"aicost: error: {path}: streams[0].off_peak_share: must be a number, got 'lots' — write "
                             "a fraction such as 0.8 or a percentage such as 80%\n")


def test_a_size_bands_number_is_quoted() -> None:
    result = run_main("cost", "--model", "claude-sonnet-4", "--requests-per-day", "50000", "--size", "1:20k:800")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("aicost: error: --size #1 input_tokens: must be a number, got '20k' — write digits only, "
                             "such as 20000\n")


@pytest.mark.parametrize("columns", ["60", "80", "100"])
def test_help_never_splits_a_flag_and_speaks_plainly(columns: str) -> None:
    """Help is wrapped at spaces only: `--input-tokens` is never cut into `--input-` / `tokens`, and help speaks of
    no source a newcomer has not read."""
    from aicost.cli.app import COMMANDS

    for path in sorted({*COMMANDS, ("breakeven",), ("pricing",)}):
        words = [word for word in path if word != "estimate"]
        text = run_main(*words, "--help", env={"COLUMNS": columns}).stdout
        assert text, words
        split = [line for line in text.splitlines() if re.search(r"(^|[\s(/])--[a-z0-9-]*-$", line.rstrip())]
        assert split == [], (words, split)
        assert "articles" not in text, words
    size = run_main("cost", "--help", env={"COLUMNS": "80"}).stdout
    assert "--input-tokens/--output-tokens" in size
