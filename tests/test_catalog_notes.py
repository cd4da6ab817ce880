"""What the catalog's own words say about how it prices: notes and sources as `pricing show` prints them."""

from __future__ import annotations

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
