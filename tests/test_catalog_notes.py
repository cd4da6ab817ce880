"""What the catalog's own words say about how it prices: notes and sources as `pricing show` prints them."""

from __future__ import annotations

import json
from pathlib import Path

from clihelp import run

PRICING = Path(__file__).resolve().parent.parent / "pricing"
AT = ("--catalog", "bundled", "--as-of", "2026-12-07")


def test_no_note_says_off_peak_windows_are_left_out_of_the_sums() -> None:
    # off-peak windows price a stream's off_peak_share (and usage logs' requests by their time): a note saying they
    # are "shown, not summed" would contradict `cost --off-peak-share`
    stale = [path.name for path in sorted(PRICING.glob("*.toml")) if "not summed" in path.read_text(encoding="utf-8")]
    assert stale == []


def test_deepseek_flash_note_says_the_windows_are_priced() -> None:
    result = run("pricing", "show", "deepseek-flash", *AT, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    note = next(line for line in result.stdout.splitlines() if line.startswith("note: "))
    assert ("Peak / off-peak billing: the period's prices are the peak (standard) rates; the off-peak windows (half "
            "price) price a stream's off_peak_share, and usage logs' requests by their time.") in note


def test_a_source_line_says_checked_once() -> None:
    # `pricing show` appends each record's `checked` date to its source: a source text ending with a "(checked …)" of
    # its own printed two (gpt-5.6-sol's web search fee: "(checked 2026-03-12) (checked 2026-12-07)")
    import re

    own = [(path.name, line[:60]) for path in sorted(PRICING.glob("*.toml"))
           for line in path.read_text(encoding="utf-8").splitlines()
           if line.startswith("source = ") and re.search(r"\(checked [0-9-]+\)\"$", line)]
    assert own == []
    result = run("pricing", "show", "gpt-5.6-sol", *AT, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    fee = next(line for line in result.stdout.splitlines() if "web search fee:" in line)
    assert fee.endswith("web-search (both pages read 2026-03-12) (checked 2026-12-07)")
    assert fee.count("(checked") == 1


def test_pricing_show_of_a_retired_model_says_so_in_one_line_instead_of_an_empty_table() -> None:
    result = run("pricing", "show", "gemini-2.5-flash", *AT, env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "gemini-2.5-flash was retired on 2026-12-01: no price in force on 2026-12-07 — use gemini-3.5-flash-lite; "
        "`aicost pricing history gemini-2.5-flash` shows its prices",
        "",
    ]
    assert "Since" not in result.stdout  # no header-only table
    assert "retired on 2026-12-01, succeeded by gemini-3.5-flash-lite" in lines
    # JSON keeps its keys: no period in force, the catalog's own successor
    document = json.loads(run("pricing", "show", "gemini-2.5-flash", *AT, "--format", "json").stdout)
    assert (document["periods"], document["current_since"], document["successor"]) == ([], None, "gemini-3.5-flash-lite")


def test_pricing_show_follows_a_retired_successor_to_the_model_on_sale() -> None:
    # gemini-2.0-flash -> gemini-2.5-flash (retired 2026-12-01) -> gemini-3.5-flash-lite
    result = run("pricing", "show", "gemini-2.0-flash", *AT, env={"COLUMNS": "400"})
    lines = result.stdout.splitlines()
    assert lines[0] == ("gemini-2.0-flash was retired on 2026-06-01: no price in force on 2026-12-07 — use "
                        "gemini-3.5-flash-lite; `aicost pricing history gemini-2.0-flash` shows its prices")
    assert ("retired on 2026-06-01, succeeded by gemini-2.5-flash (itself retired; on sale on 2026-12-07: "
            "gemini-3.5-flash-lite)") in lines


def test_pricing_show_before_a_models_first_price_says_when_it_starts() -> None:
    result = run("pricing", "show", "gemini-3.8-flash", "--catalog", "bundled", "--as-of", "2024-01-01",
                 env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        "gemini-3.8-flash has no price in force on 2024-01-01 (its first price is from 2026-09-02); "
        "`aicost pricing history gemini-3.8-flash` shows its prices")
