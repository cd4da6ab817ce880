"""How a request was bought (its terms), where it was read (its source) and its long-context tier, together: the
group key packs all of them, `--by agent` and the prices keep the terms, forked readers agree, and the written
workload splits by terms first and by tier (size bands) within each stream, reproducing the run rate.

Prices: model `t` of the catalog below, per million tokens: 2 / 10 on the vendor's API, batch 1 / 5; above 1,000
input tokens 4 / 15, batch 2 / 7.5; web search $10 per 1,000; on bedrock (its id there acme.t-v1:0) 3 / 12, above
1,000 input tokens 6 / 18.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main

D = Decimal
CATALOG = """\
catalog_version = "2026.1.0"
released = 2026-01-01

[[vendors]]
vendor = "acme"
name = "Acme AI"

[[vendors.models]]
id = "t"
class = "standard"
context_window = 1000000

[[vendors.models.periods]]
since = 2026-01-01
input = 2
output = 10
batch_input = 1
batch_output = 5
source = "test"
checked = 2026-01-01

[[vendors.models.periods.tiers]]
above_input_tokens = 1000
input = 4
output = 15
batch_input = 2
batch_output = 7.5

[vendors.models.periods.fees.web_search]
per_1000 = 10
source = "test"
checked = 2026-01-01

[[vendors.models.hosts]]
host = "bedrock"
model_id = "acme.t-v1:0"

[[vendors.models.hosts.periods]]
since = 2026-01-01
input = 3
output = 12
source = "test"
checked = 2026-01-01

[[vendors.models.hosts.periods.tiers]]
above_input_tokens = 1000
input = 6
output = 18
"""


def catalog_path(tmp_path: Path) -> str:
    path = tmp_path / "catalog.toml"
    path.write_text(CATALOG, encoding="utf-8")
    return str(path)


def api(model: str, stamp: str, given: int, answered: int, searches: int = 0) -> dict[str, Any]:
    usage: dict[str, Any] = {"input_tokens": given, "output_tokens": answered}
    if searches:
        usage["server_tool_use"] = {"web_search_requests": searches}
    return {"model": model, "timestamp": stamp, "usage": usage}


def batch(model: str, stamp: str, given: int, answered: int) -> dict[str, Any]:
    message = {"model": model, "usage": {"input_tokens": given, "output_tokens": answered}}
    return {"custom_id": "c", "timestamp": stamp, "result": {"type": "succeeded", "message": message}}


def claude_code(message_id: str, stamp: str, given: int, answered: int, searches: int = 0) -> dict[str, Any]:
    usage: dict[str, Any] = {"input_tokens": given, "output_tokens": answered}
    if searches:
        usage["server_tool_use"] = {"web_search_requests": searches}
    return {"type": "assistant", "timestamp": stamp, "message": {"id": message_id, "model": "t", "usage": usage}}


def write(path: Path, *lines: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def usage_json(*args: str) -> dict[str, Any]:
    result = run_main("usage", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_a_group_kind_packs_shape_tier_terms_and_source() -> None:
    from aicost.usage.tally import Kind, group_kind, kind_parts, source_of

    # shape 0b101001 = 41, tier 2, terms 5 (flex + batch bits), source 4 (codex):
    # 4 << 24 | 5 << 16 | 2 << 8 | 41 = 67,108,864 + 327,680 + 512 + 41 = 67,437,097
    assert group_kind(41, 2, 5, 4) == 67_437_097
    assert kind_parts(67_437_097) == Kind(shape=41, tier=2, terms=5, source=4)
    assert source_of(67_437_097) == "codex"
    # every field at its largest value in use (shape 63, tier 15, terms 15, source 6) decodes back alone
    assert kind_parts(group_kind(63, 15, 15, 6)) == Kind(63, 15, 15, 6)
    assert kind_parts(group_kind(0, 0, 0, 0)) == Kind(0, 0, 0, 0) and source_of(0) == "claude-code"


def the_log(tmp_path: Path) -> Path:
    """Model t bought three ways on Monday 2026-03-02, each way with requests on both sides of 1,000 input tokens."""
    return write(
        tmp_path / "log.jsonl",
        # the vendor's API: 500 x 2 + 100 x 10 = 2,000 -> 0.002
        api("t", "2026-03-02T01:00:00Z", 500, 100),
        # above 1,000 input tokens, with 2 web searches: 2,000 x 4 + 100 x 15 = 9,500 -> 0.0095; + 2 x 10 / 1,000 =
        # 0.02 -> 0.0295
        api("t", "2026-03-02T02:00:00Z", 2000, 100, searches=2),
        # batch results: 500 x 1 + 100 x 5 = 1,000 -> 0.001; above: 3,000 x 2 + 200 x 7.5 = 7,500 -> 0.0075
        batch("t", "2026-03-02T03:00:00Z", 500, 100),
        batch("t", "2026-03-02T04:00:00Z", 3000, 200),
        # on bedrock: 500 x 3 + 100 x 12 = 2,700 -> 0.0027; above: 2,000 x 6 + 100 x 18 = 13,800 -> 0.0138
        api("acme.t-v1:0", "2026-03-02T05:00:00Z", 500, 100),
        api("acme.t-v1:0", "2026-03-02T06:00:00Z", 2000, 100),
    )


def test_streams_by_terms_each_with_bands_reproduce_the_run_rate(tmp_path: Path) -> None:
    catalog = catalog_path(tmp_path)
    written = tmp_path / "observed.toml"
    document = usage_json(str(the_log(tmp_path)), "--catalog", catalog, "--write-workload", str(written))
    # 0.002 + 0.0295 + 0.001 + 0.0075 + 0.0027 + 0.0138 = 0.0565; five hours observed, counted as a day (24 hours):
    # 0.0565 x 730 / 24 = 41.245 / 24 = 1.718541666... a month
    assert document["total_cost"] == D("0.0565") and document["hours"] == 24
    assert document["monthly_run_rate"] == D("1.718542")
    streams = {stream["name"]: stream for stream in tomllib.loads(written.read_text(encoding="utf-8"),
                                                                        parse_float=Decimal)["streams"]}
    assert set(streams) == {"t", "t (batch)", "t (on bedrock)"}
    # each stream: two requests, one per tier, each band half of them with its own request's sizes
    assert streams["t"]["sizes"] == [{"share": 0.5, "input_tokens": 500, "output_tokens": 100},
                                     {"share": 0.5, "input_tokens": 2000, "output_tokens": 100}]
    assert streams["t"]["web_search_calls"] == 1  # 2 searches over 2 requests
    assert (streams["t (batch)"]["batch_share"], streams["t (batch)"]["sizes"][1]["input_tokens"]) == (1, 3000)
    assert (streams["t (on bedrock)"]["host"], len(streams["t (on bedrock)"]["sizes"])) == ("bedrock", 2)
    # 2 requests a stream x 730 / 24 = 60.833333333 a month
    assert {stream["requests_per_month"] for stream in streams.values()} == {D("60.833333333")}
    cost = run_main("cost", str(written), "--catalog", catalog, "--as-of", "2026-03-02", "--format", "json")
    assert cost.exit_code == 0, cost.stderr
    monthly = json.loads(cost.stdout, parse_float=Decimal)["monthly_cost"]
    assert abs(monthly - D("1.718542")) < D("0.000002")  # to the cent, and closer


def test_rows_by_agent_keep_each_requests_terms(tmp_path: Path) -> None:
    catalog = catalog_path(tmp_path)
    log = write(
        tmp_path / "mixed.jsonl",
        # Claude Code, two copies of one request (one without its requestId) and one above the tier with a search:
        # 500 x 2 + 100 x 10 = 0.002; 2,000 x 4 + 100 x 15 = 9,500 -> 0.0095 + 0.01 = 0.0195
        claude_code("msg_1", "2026-03-02T01:00:00Z", 500, 100) | {"requestId": "req_1"},
        claude_code("msg_1", "2026-03-02T01:00:00Z", 500, 100),
        claude_code("msg_2", "2026-03-02T02:00:00Z", 2000, 100, searches=1),
        # Anthropic's API: a batch result above the tier, 3,000 x 2 + 200 x 7.5 = 7,500 -> 0.0075, and a standard
        # request 0.002
        batch("t", "2026-03-02T03:00:00Z", 3000, 200),
        api("t", "2026-03-02T04:00:00Z", 500, 100),
    )
    document = usage_json(str(log), "--catalog", catalog, "--by", "agent")
    rows = {row["agent"]: (row["requests"], row["cost"]) for row in document["rows"]}
    assert rows == {"claude-code": (2, D("0.0215")), "anthropic": (2, D("0.0095"))}
    assert document["skipped"] == {"duplicate copy of a request already counted (same id)": 1}
    assert document["total_cost"] == D("0.031")  # 0.0215 + 0.0095


def test_forked_readers_agree_on_terms_sources_and_tiers(tmp_path: Path) -> None:
    """Two files shared out among two forked readers give what one reader gives: the groups' terms, sources and
    tiers survive `Tally.export()` and `merge()`, and copies in different readers meet in the buckets."""
    from aicost import usage
    from aicost.catalog import load_catalog

    catalog = load_catalog(catalog_path(tmp_path))
    first = the_log(tmp_path)
    second = write(tmp_path / "second.jsonl", claude_code("msg_1", "2026-03-02T07:00:00Z", 500, 100),
                   claude_code("msg_1", "2026-03-02T07:00:00Z", 2000, 100, searches=1),
                   batch("t", "2026-03-02T08:00:00Z", 3000, 200))
    reports = []
    for workers in (1, 2):
        tally = usage.Tally(catalog, None, None, "auto")
        saved = usage.reading.PARALLEL_BYTES
        usage.reading.PARALLEL_BYTES = 0
        try:
            usage.read_logs([str(first), str(second)], tally, workers=workers)
        finally:
            usage.reading.PARALLEL_BYTES = saved
        report = usage.price_tally(tally)
        reports.append((report.total_cost, report.requests, report.skipped, report.by_agent, report.observed,
                        report.hours))
    assert reports[0] == reports[1]
    # the log's 0.0565, the larger Claude Code copy (0.0095 + 0.01 = 0.0195) and one more batch result (0.0075)
    assert reports[0][:2] == (D("0.0835"), 8)


@pytest.mark.parametrize("ttl_source", ["band", "stream"])
def test_a_one_hour_stream_with_bands_needs_writes_somewhere(tmp_path: Path, ttl_source: str) -> None:
    # cache_ttl = "1h" with size bands: the writes may be a band's own or the stream's split over the bands
    writes = ({"sizes": [{"share": 0.5, "input_tokens": 500, "output_tokens": 10, "cache_write_tokens": 100},
                         {"share": 0.5, "input_tokens": 500, "output_tokens": 10}]} if ttl_source == "band" else
              {"cache_write_tokens": 100, "sizes": [{"share": 0.5, "input_tokens": 500, "output_tokens": 10},
                                                    {"share": 0.5, "input_tokens": 500, "output_tokens": 10}]})
    workload = {"version": 1, "streams": [{"name": "s", "model": "claude-haiku-4-5", "requests_per_month": 1000,
                                           "cache_ttl": "1h", **writes}]}
    path = tmp_path / "w.json"
    path.write_text(json.dumps(workload), encoding="utf-8")
    result = run_main("cost", str(path), "--as-of", "2026-11-02", "--format", "json")
    assert result.exit_code == 0, result.stderr
    # claude-haiku-4-5: input 1.00, 1-hour writes 2.00, output 5.00. "band": band 1 400 x 1 + 100 x 2 + 10 x 5 =
    # 650, band 2 500 + 50 = 550; "stream": 100 split in proportion to input, 100 each: 650 and 650.
    # 1,000 x (0.5 x 650 + 0.5 x 550) / 1e6 = 0.6, or 1,000 x 650 / 1e6 = 0.65
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == (D("0.6") if ttl_source == "band"
                                                                               else D("0.65"))
    none = {"version": 1, "streams": [{"name": "s", "model": "claude-haiku-4-5", "requests_per_month": 1000,
                                       "cache_ttl": "1h", "sizes": [{"share": 1, "input_tokens": 500,
                                                                     "output_tokens": 10}]}]}
    path.write_text(json.dumps(none), encoding="utf-8")
    refused = run_main("cost", str(path), "--as-of", "2026-11-02")
    assert refused.exit_code == 2 and "cache_ttl" in refused.stderr and "writes none" in refused.stderr
