"""What a terminal of 60 to 130 columns shows of `usage`, `cost` and `pricing show` tables with the newer columns
(1-hour writes, web searches, hosts, regions, terms, long-context tiers): columns are left out one at a time, never
a whole breakdown at once for want of one column, a few rows turn vertical rather than lose a main column, an
all-"—" column goes before any text wraps, and a threshold stays on its label's line."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from clihelp import on_pseudo_terminal, run_main

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
ROOT = Path(__file__).resolve().parents[1]


def terminal(args: list[str], columns: int) -> str:
    return on_pseudo_terminal(args, columns, "stdout", cwd=str(ROOT))


def header_of(text: str, first: str) -> list[str]:
    return next(line for line in text.splitlines() if line.startswith(first + " ")).split()


def test_usage_leaves_out_token_columns_one_at_a_time(tmp_path: Path) -> None:
    # Two Claude Code requests on claude-haiku-4-5, each 1,000 uncached, 50,000 read, 3,000 written (2,000 for an
    # hour), 800 output, 2 web searches: totals 2,000 / 100,000 / 6,000 / 1,600 / 4,000 / 4.
    # Cost: (1,000 x 1 + 50,000 x 0.10 + 1,000 x 1.25 + 2,000 x 2 + 800 x 5) / 1e6 = 0.01525 + 2 x 10 / 1,000 = 0.03525
    # a request, 0.0705 both: $0.07.
    usage = {"input_tokens": 1000, "cache_read_input_tokens": 50000, "cache_creation_input_tokens": 3000,
             "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
             "output_tokens": 800, "server_tool_use": {"web_search_requests": 2}}
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps({"type": "assistant", "requestId": f"req_{n}", "timestamp": "2026-11-02T10:00:00Z",
                                       "message": {"id": f"msg_{n}", "model": "claude-haiku-4-5", "role": "assistant",
                                                   "usage": usage}}) + "\n" for n in range(2)), encoding="utf-8")
    wide = terminal(["usage", str(log)], 130)
    assert header_of(wide, "Model") == ["Model", "Requests", "Uncached", "input", "Cache", "reads", "Cache", "writes",
                                        "Output", "1-hour", "writes", "Web", "searches", "Cost"]
    assert "not shown at" not in wide and "0 on every row, not shown: Reasoning" in wide and "$0.07" in wide
    # 80, short headers: model 16, Requests 8, Uncached 8, Cache rd 8, Cache wr 8, Output 6, 1h wr 5, Searches 8,
    # Cost 5 = 72 and 8 gaps of 2 = 88; without the web searches (the rightmost) 78: every token column but that one
    text = terminal(["usage", str(log)], 80)
    assert header_of(text, "Model") == ["Model", "Requests", "Uncached", "Cache", "rd", "Cache", "wr", "Output", "1h",
                                        "wr", "Cost"]
    assert re.search(r"claude-haiku-4-5 +2 +2,000 +100,000 +6,000 +1,600 +4,000 +\$0\.07$", text, re.M)
    assert "not shown at 80 columns: Web searches (a wider terminal" in text
    # 60: 78 - 5 - 2 (1h wr) - 6 - 2 (Output) - 8 - 2 (Cache wr) = 53: the two leftmost token columns stay
    narrow = terminal(["usage", str(log)], 60)
    assert header_of(narrow, "Model") == ["Model", "Requests", "Uncached", "Cache", "rd", "Cost"]
    assert "not shown at 60 columns: Web searches, 1-hour writes, Output, Cache writes" in " ".join(narrow.split())


HOSTED = """\
name = "observed"
[[streams]]
name = "claude-haiku-4-5 (on bedrock in us)"
model = "claude-haiku-4-5"
requests_per_month = 12000
input_tokens = 42000
output_tokens = 900
cached_input_share = 0.8
cache_write_tokens = 3000
cache_ttl = "1h"
host = "bedrock"
region = "us"
[[streams]]
name = "claude-sonnet-4-6 (1h cache)"
model = "claude-sonnet-4-6"
requests_per_month = 30000
input_tokens = 60000
output_tokens = 1500
cached_input_share = 0.9
cache_write_tokens = 3000
cache_ttl = "1h"
web_search_calls = 0.3
"""
LABELS = ("Stream", "Model", "Host", "Tier", "Terms", "Requests/month", "Input", "Cached input", "Cache writes",
          "Output", "Per-call fees", "Monthly cost")


def shown(text: str) -> set[str]:
    """The columns a cost table shows: its header line's, or the labels of its blocks."""
    lines = text.splitlines()
    header = next((line for line in lines if line.startswith("Stream ")), None)
    if header is not None and "one block per row" not in text:
        return {label for label in LABELS if re.search(rf"(?<!\S){re.escape(label)}(?!\S)", header)}
    return {label for label in LABELS if any(line.startswith(label + "  ") for line in lines)}


def test_cost_shows_at_least_as_much_at_80_columns_as_at_60(tmp_path: Path) -> None:
    workload = tmp_path / "obs.toml"
    workload.write_text(HOSTED, encoding="utf-8")
    at = {columns: terminal(["cost", str(workload), "--as-of", "2026-12-01"], columns) for columns in (60, 80, 130)}
    # 60: the stream (35), model (17) and monthly cost (9) are 65 with their gaps: one block per row, everything
    assert shown(at[60]) == set(LABELS)
    # 80: they fit with the host (7), but the tier, the terms and the requests (main columns) would go: 2 rows (and
    # the total) show everything as blocks instead
    assert shown(at[80]) == set(LABELS) and "one block per row: the table is wider than 80 columns" in at[80]
    assert "Terms           region us, 1h cache" in at[80]
    # 130: every main column on one line; only the breakdown (the money of each token kind) is left out, together
    assert shown(at[130]) == {"Stream", "Model", "Host", "Tier", "Terms", "Requests/month", "Monthly cost"}
    assert "not shown at 130 columns: Per-call fees, Output, Cache writes, Cached input, Input" in at[130]


DECEMBER = ["--catalog", "bundled", "--as-of", "2026-12-07"]


def test_pricing_show_keeps_a_threshold_on_its_labels_line() -> None:
    text = terminal(["pricing", "show", "gpt-5.6-sol", *DECEMBER], 80)
    # Since 10, Input 6, Output 6, Cache read 10, Cache write 11, Batch in 8, Batch out 9 and 7 gaps = 74: "Applies
    # to" would have 6 of 80, less than its longest phrase ("input > 272,000": 15) — the batch prices (the least
    # useful) go, together, and the text has 80 - (10 + 6 + 6 + 10 + 11 + 5 x 2) = 27
    assert header_of(text, "Since") == ["Since", "Applies", "to", "Input", "Output", "Cache", "read", "Cache", "write"]
    assert re.search(r"^ +input > 272,000 +\$10\.00 +\$45\.00 +\$1\.00 +\$12\.50$", text, re.M), text
    assert "not shown at 80 columns: Batch out, Batch in (a wider terminal" in text
    assert "web search: 10.00 USD per" in text  # an amount and its currency on one line


def test_pricing_show_leaves_out_columns_of_dashes_before_wrapping() -> None:
    # deepseek-flash has no cache-write, batch-input nor batch-output price: "—" on every row, left out from the start
    text = terminal(["pricing", "show", "deepseek-flash", *DECEMBER], 80)
    assert header_of(text, "Since") == ["Since", "Applies", "to", "Input", "Output", "Cache", "read"]
    assert "— on every row, not shown: Cache write, Batch in, Batch out" in text and "not shown at" not in text
    # the off-peak window in 2 lines of 80 - (10 + 6 + 6 + 10 + 4 x 2) = 40 (5 lines of 11 before)
    assert re.search(r"^ +off-peak mon-fri 00:00-09:00 12:00-14:00 +\$0\.15 +\$0\.60 +\$0\.003\n +18:00-24:00 Shanghai "
                     r"time *$", text, re.M), text


def test_a_piped_table_rules_an_empty_column_too() -> None:
    # the 2 cheapest on bedrock are small models, the example workload is frontier: no star in the star column
    result = run_main("compare", "--hosts", "bedrock", "--top", "2", *DECEMBER, "--quiet")
    lines = result.stdout.splitlines()
    header = next(index for index, line in enumerate(lines) if line.startswith("#  Model"))
    assert [line.split()[4:6] for line in lines[header + 2:header + 4]] == [["small", "$187.22"], ["small", "$2,509.98"]]
    # #, Model, Vendor, Host, Class, the star (1, empty), Monthly cost, vs today, the bar (7), Note: ten rules
    assert lines[header + 1].split() == ["─", "─" * 16, "─" * 9, "─" * 7, "─" * 5, "─", "─" * 12, "─" * 8, "─" * 7,
                                         "─" * 4]


def test_compare_keeps_a_short_note_whole() -> None:
    # at 80 the note had 8 columns and wrapped "free tier" in two; a text shorter than 12 wraps only when the table's
    # essentials would not fit otherwise: #, model, vendor, host, class, the (empty) star, "Monthly" (short), vs today:
    # 80 - (1 + 13 + 7 + 10 + 5 + 0 + 7 + 8 + 8 gaps x 2) = 13 for the note ("Monthly cost" in full would leave 8)
    text = terminal(["compare", "--hosts", "all", "--top", "5", *DECEMBER], 80)
    assert re.search(r"^1 +glm-4\.5-flash +zhipu +vendor +small +\$0\.00 +0\.000x +free tier *$", text, re.M), text


def test_route_and_breakeven_say_how_the_stream_is_bought() -> None:
    stream = ["--input-tokens", "3000", "--output-tokens", "500", "--requests-per-month", "100000", *DECEMBER, "-q"]
    flex = run_main("route", "--model", "gpt-5", *stream, "--service-tier", "flex", "--small", "gpt-5-nano",
                    "--share", "80%")
    assert flex.exit_code == 0, flex.stderr
    assert "\nbought as: flex tier\n" in flex.stdout
    standard = run_main("route", "--model", "gpt-5", *stream, "--small", "gpt-5-nano", "--share", "80%")
    assert "bought as" not in standard.stdout  # the vendor's own API at standard prices: nothing to say
    seats = run_main("breakeven", "subscription", "--model", "claude-sonnet-4-6", *stream, "--cache-write-tokens", "2000",
                     "--cache-ttl", "1h", "--region", "us", "--seats", "10", "--seat-price", "20")
    assert seats.exit_code == 0, seats.stderr
    assert "\nbought as: region us, 1h cache\n" in seats.stdout
    gpus = run_main("breakeven", "self-host", "--model", "gpt-5", *stream, "--service-tier", "priority", "--gpu-hourly", "2",
                    "--tokens-per-second", "1000", "--utilization", "50%")
    assert gpus.exit_code == 0, gpus.stderr
    assert "\nbought as: priority tier\n" in gpus.stdout
