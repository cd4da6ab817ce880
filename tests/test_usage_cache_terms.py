"""The usage cache with agents' logs and with how requests were bought: a Codex rollout appended to, a copy of a
cached rollout, tiers, batch results, another host, web searches and 1-hour writes total the same with and without
the cache (the run rate too); and the FOCUS rows of such logs add up to total_cost.

Prices (USD per million tokens): the bundled gpt-5 1.25 input / 0.125 cached / 10 output; claude-haiku-4-5 1 input,
0.10 cache read, 1.25 5-minute write, 2 1-hour write, 5 output; model `t` of test_usage_terms_sources' catalog.
"""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

from clihelp import run_main
from test_usage_codex_rules import NO_AGENTS, context, counts, meta, token_count
from test_usage_terms import HAIKU_USAGE
from test_usage_terms import claude_code as haiku_line
from test_usage_terms_sources import catalog_path, claude_code, the_log, write

D = Decimal
SESSION = "0199f2a4-6c1e-7d30-9a8b-1f2e3d4c5b6a"
ROLLOUT = f"rollout-2026-11-02T09-00-00-{SESSION}.jsonl"


def usage(*args: str) -> dict[str, Any]:
    result = run_main("usage", *args, "--format", "json", env=NO_AGENTS)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def totals(document: dict[str, Any]) -> tuple[Any, ...]:
    return (document["requests"], document["tokens"], document["total_cost"], document["skipped"],
            document["formats"], document["hours"], document["monthly_run_rate"], document["rows"])


def lines(*objects: dict[str, Any]) -> str:
    return "".join(json.dumps(obj) + "\n" for obj in objects)


def test_a_codex_rollout_appended_to_is_read_whole_again(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    rollout = logs / ROLLOUT
    rollout.write_text(lines(
        meta("2026-11-02T09:00:00.000Z", SESSION), context("2026-11-02T09:00:01.000Z"),
        # r1: 1,000 given of which 400 cached, 100 output: 600 x 1.25 + 400 x 0.125 + 100 x 10 = 750 + 50 + 1,000
        # = 1,800 millionths
        token_count("2026-11-02T09:00:05.000Z", counts(1000, 400, 100, 0), counts(1000, 400, 100, 0)),
        # r2: the running total alone, 2,500 / 1,000 / 300, less r1: 1,500 given, 600 cached, 200 output:
        # 900 x 1.25 + 600 x 0.125 + 200 x 10 = 1,125 + 75 + 2,000 = 3,200 millionths
        token_count("2026-11-02T10:00:05.000Z", counts(2500, 1000, 300, 0), None)))
    first = usage(str(logs), "--catalog", "bundled")
    assert (first["requests"], first["total_cost"]) == (2, D("0.005"))  # 1,800 + 3,200 millionths
    assert totals(usage(str(logs), "--catalog", "bundled")) == totals(first)  # served from the cache
    # appended: r3 as a running total alone (3,000 / 1,000 / 350), less r2's total: 500 given, no cached, 50 output:
    # 500 x 1.25 + 50 x 10 = 625 + 500 = 1,125 millionths. Read from the end of the last run, the reader would not know
    # the session's running total (nor its id): the rollout is read whole again.
    with rollout.open("a", encoding="utf-8") as stream:
        stream.write(lines(token_count("2026-11-02T11:00:05.000Z", counts(3000, 1000, 350, 0), None)))
    appended = usage(str(logs), "--catalog", "bundled")
    assert (appended["requests"], appended["total_cost"]) == (3, D("0.006125"))  # 1,800 + 3,200 + 1,125 millionths
    assert totals(appended) == totals(usage(str(logs), "--catalog", "bundled", "--no-cache"))
    # two hours observed (09:00:00 to 11:00:05), counted as a day: the same with and without the cache
    assert appended["hours"] == 24


def test_a_copy_of_a_cached_rollout_meets_it(tmp_path: Path) -> None:
    """A cached file's keys (the session's, stable while the cache is on) meet a fresh copy's: counted once."""
    logs = tmp_path / "logs"
    logs.mkdir()
    body = lines(meta("2026-11-02T09:00:00.000Z", SESSION), context("2026-11-02T09:00:01.000Z"),
                 token_count("2026-11-02T09:00:05.000Z", counts(1000, 400, 100, 0), counts(1000, 400, 100, 0)))
    (logs / ROLLOUT).write_text(body)
    assert usage(str(logs), "--catalog", "bundled")["total_cost"] == D("0.0018")  # r1 of the test above
    (logs / "copy").mkdir()
    (logs / "copy" / ROLLOUT).write_text(body)
    both = usage(str(logs), "--catalog", "bundled")
    assert (both["requests"], both["total_cost"]) == (1, D("0.0018"))
    # the copy's request is a duplicate; its two other lines (session metadata, turn context) are no usage, as the
    # original's are: 2 + 2
    assert both["skipped"] == {"duplicate copy of a request already counted (same id)": 1,
                               "no usage (not a model response)": 4}
    assert totals(both) == totals(usage(str(logs), "--catalog", "bundled", "--no-cache"))


def test_tiers_batch_hosts_and_searches_through_the_cache(tmp_path: Path) -> None:
    catalog = catalog_path(tmp_path)
    logs = tmp_path / "logs"
    logs.mkdir()
    the_log(logs)
    claude = write(logs / "claude.jsonl", claude_code("msg_1", "2026-03-02T07:00:00Z", 500, 100))
    first = usage(str(logs), "--catalog", catalog)
    # the_log's 0.0565 and 500 x 2 + 100 x 10 = 2,000 millionths
    assert first["total_cost"] == D("0.0585")
    assert totals(usage(str(logs), "--catalog", catalog)) == totals(first)
    # appended JSON lines, resumed: a copy of msg_1 (counted once) and msg_2 above 1,000 input tokens with a search,
    # 2,000 x 4 + 100 x 15 = 9,500 -> 0.0095, + 10 / 1,000 = 0.01 -> 0.0195, at 09:00 (the span grows to 8 hours)
    with claude.open("a", encoding="utf-8") as stream:
        stream.write(lines(claude_code("msg_1", "2026-03-02T07:00:00Z", 500, 100),
                           claude_code("msg_2", "2026-03-02T09:00:00Z", 2000, 100, searches=1)))
    appended = usage(str(logs), "--catalog", catalog)
    assert appended["total_cost"] == D("0.078")  # 0.0585 + 0.0195
    assert appended["tokens"]["web_search_calls"] == 3  # 2 in the_log, 1 appended
    for grouping in ("model", "agent", "day"):
        cached = usage(str(logs), "--catalog", catalog, "--by", grouping)
        assert totals(cached) == totals(usage(str(logs), "--catalog", catalog, "--by", grouping, "--no-cache"))


def test_one_hour_writes_through_the_cache(tmp_path: Path) -> None:
    log = tmp_path / "haiku.jsonl"
    log.write_text(lines(haiku_line(HAIKU_USAGE)))
    assert usage(str(log), "--catalog", "bundled")["total_cost"] == D("0.00645")  # test_usage_terms' arithmetic
    with log.open("a", encoding="utf-8") as stream:  # resumed from the end: a second such request
        stream.write(lines(haiku_line(HAIKU_USAGE, message_id="msg_2", stamp="2026-11-02T12:00:00.000Z")))
    appended = usage(str(log), "--catalog", "bundled")
    assert appended["total_cost"] == D("0.0129")  # 2 x 6,450 millionths
    assert (appended["tokens"]["cache_write"], appended["tokens"]["cache_write_1h"]) == (6000, 4000)
    assert totals(appended) == totals(usage(str(log), "--catalog", "bundled", "--no-cache"))


def focus(*args: str) -> list[dict[str, str]]:
    result = run_main("usage", *args, "--format", "focus", env=NO_AGENTS)
    assert result.exit_code == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_focus_rows_of_tiers_batch_hosts_and_searches_add_up(tmp_path: Path) -> None:
    catalog = catalog_path(tmp_path)
    rows = focus(str(the_log(tmp_path)), "--catalog", catalog)
    assert sum(D(row["BilledCost"]) for row in rows) == D("0.0565")  # the_log's total_cost
    searches = [row for row in rows if row["x_TokenKind"] == "web_search"]
    # 2 searches at $10 per 1,000 = 0.02: a per-call fee, in calls
    assert [(row["BilledCost"], row["ConsumedQuantity"], row["ConsumedUnit"], row["PricingUnit"], row["x_Tokens"])
            for row in searches] == [("0.02", "2", "Calls", "1000 Calls", "")]
    assert searches[0]["ListUnitPrice"] == "10"  # per 1,000 calls
    by_way = {(row["x_Host"], row["x_PricingTerms"], row["x_PriceTier"], row["x_TokenKind"]): D(row["BilledCost"])
              for row in rows}
    # batch above 1,000 input tokens: 3,000 x 2 = 6,000 millionths input, 200 x 7.5 = 1,500 output
    assert by_way[("", "batch", "above 1000 input tokens", "uncached_input")] == D("0.006")
    assert by_way[("", "batch", "above 1000 input tokens", "output")] == D("0.0015")
    # bedrock at its own prices: 500 x 3 = 1,500 millionths input; above the tier 2,000 x 6 = 12,000
    assert by_way[("bedrock", "standard", "standard", "uncached_input")] == D("0.0015")
    assert by_way[("bedrock", "standard", "above 1000 input tokens", "uncached_input")] == D("0.012")


def test_focus_rows_of_one_hour_writes_are_their_own_kind(tmp_path: Path) -> None:
    log = tmp_path / "haiku.jsonl"
    log.write_text(lines(haiku_line(HAIKU_USAGE)))
    rows = {row["x_TokenKind"]: (D(row["BilledCost"]), row["ConsumedQuantity"])
            for row in focus(str(log), "--catalog", "bundled")}
    # 100 x 1, 1,000 x 0.10, 1,000 x 1.25 (5 minutes), 2,000 x 2 (an hour), 200 x 5 millionths: 0.00645 in all
    assert rows == {"uncached_input": (D("0.0001"), "100"), "cache_read": (D("0.0001"), "1000"),
                    "cache_write": (D("0.00125"), "1000"), "cache_write_1h": (D("0.004"), "2000"),
                    "output": (D("0.001"), "200")}
    assert sum(cost for cost, _ in rows.values()) == D("0.00645")


def test_an_all_unpriced_run_has_no_focus_rows(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", {"model": "mystery-9", "created": 1727870400,
                                         "usage": {"prompt_tokens": 10, "completion_tokens": 1}})
    assert focus(str(log)) == []
    assert usage(str(log))["total_cost"] is None


def test_off_peak_windows_name_the_entries(tmp_path: Path) -> None:
    """A request's off-peak window is decided while reading: a catalog whose window moved has entries of its own."""
    home = Path(os.environ["AICOST_HOME"]) / "usage-cache"
    text = (Path(__file__).parent / "data" / "dimensions_catalog.toml").read_text(encoding="utf-8")
    first = tmp_path / "first.toml"
    first.write_text(text, encoding="utf-8")
    # model m on Monday 2026-03-02 at 12:00 UTC, 20:00 in Shanghai: off-peak (18:00-24:00), 1 / 5 per million:
    # 1,000 x 1 + 100 x 5 = 1,500 millionths
    log = write(tmp_path / "log.jsonl", {"model": "m", "timestamp": "2026-03-02T12:00:00Z",
                                         "usage": {"input_tokens": 1000, "output_tokens": 100}})
    assert usage(str(log), "--catalog", str(first))["total_cost"] == D("0.0015")
    rows = focus(str(log), "--catalog", str(first))
    assert {row["x_PricingTerms"] for row in rows} == {"standard off-peak"}
    assert sum(D(row["BilledCost"]) for row in rows) == D("0.0015")
    entries = len(list(home.iterdir()))
    moved = tmp_path / "moved.toml"
    moved.write_text(text.replace('"18:00-24:00"', '"21:00-24:00"', 1), encoding="utf-8")
    # 20:00 is peak now, 2 / 10: 1,000 x 2 + 100 x 10 = 3,000 millionths (the cached off-peak terms are not reused)
    assert usage(str(log), "--catalog", str(moved))["total_cost"] == D("0.003")
    assert len(list(home.iterdir())) == 2 * entries
