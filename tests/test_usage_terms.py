"""`aicost usage` prices what a log line says: 1-hour cache writes, the service tier, web searches, batch results, the
time window of the request — and `--write-workload` keeps those splits so `aicost cost` reproduces the run rate.

Prices: claude-haiku-4-5 and deepseek-flash from the bundled catalog; model `m` of tests/data/dimensions_catalog.toml:
input 2, output 10, cache read 0.2, 5-minute write 2.5, 1-hour write 4 per million tokens; batch 1 / 5; flex 1 / 0.1
/ 5; priority 4 / 0.4 / 20; web search $10 per 1,000; off-peak 1 / 0.1 / 5 outside 09:00-18:00 Shanghai time on
weekdays (and all weekend).
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
DIMENSIONS = str(Path(__file__).parent / "data" / "dimensions_catalog.toml")
PEAK = "2026-03-02T04:00:00Z"  # a Monday, 12:00 in Shanghai: peak hours
OFF_PEAK = "2026-03-02T12:00:00Z"  # the same Monday, 20:00 in Shanghai: off-peak


def usage(path: Path, *args: str) -> dict[str, Any]:
    result = run_main("usage", str(path), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def write(tmp_path: Path, *lines: dict[str, Any], name: str = "log.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def claude_code(usage_fields: dict[str, Any], model: str = "claude-haiku-4-5", stamp: str = "2026-11-02T10:00:00.000Z",
                message_id: str = "msg_1") -> dict[str, Any]:
    return {"type": "assistant", "requestId": f"req_{message_id}", "timestamp": stamp,
            "message": {"id": message_id, "model": model, "role": "assistant", "usage": usage_fields}}


# claude-haiku-4-5 (in force from 2025-10-15): input 1.00, cache read 0.10, 5-minute write 1.25, 1-hour write 2.00,
# output 5.00. 100 uncached + 1,000 read + 1,000 written for 5 minutes + 2,000 written for an hour + 200 output:
# 100 x 1 + 1,000 x 0.10 + 1,000 x 1.25 + 2,000 x 2.00 + 200 x 5 = 100 + 100 + 1,250 + 4,000 + 1,000 = 6,450 -> 0.00645
# (all 3,000 writes at the 5-minute price would be 100 + 100 + 3,750 + 1,000 = 4,950 -> 0.00495)
HAIKU_USAGE = {"input_tokens": 100, "cache_read_input_tokens": 1000, "cache_creation_input_tokens": 3000,
               "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
               "output_tokens": 200, "service_tier": "standard"}


def test_claude_code_1h_writes_at_the_1h_price(tmp_path: Path) -> None:
    document = usage(write(tmp_path, claude_code(HAIKU_USAGE)))
    assert document["total_cost"] == D("0.00645")
    assert document["tokens"]["cache_write"] == 3000 and document["tokens"]["cache_write_1h"] == 2000
    five_minutes = {**HAIKU_USAGE, "cache_creation": {"ephemeral_5m_input_tokens": 3000, "ephemeral_1h_input_tokens": 0}}
    assert usage(write(tmp_path, claude_code(five_minutes)))["total_cost"] == D("0.00495")


def test_anthropic_api_line_reads_the_same_fields(tmp_path: Path) -> None:
    line = {"id": "msg_2", "type": "message", "model": "claude-haiku-4-5", "usage": HAIKU_USAGE,
            "timestamp": "2026-11-02T10:00:00Z"}
    assert usage(write(tmp_path, line))["total_cost"] == D("0.00645")
    # only the lifetimes given: the writes are their sum (1,000 + 2,000), priced as above
    bare = {**HAIKU_USAGE}
    del bare["cache_creation_input_tokens"]
    assert usage(write(tmp_path, {**line, "usage": bare}))["total_cost"] == D("0.00645")


def test_more_1h_writes_than_writes_is_skipped_as_inconsistent(tmp_path: Path) -> None:
    wrong = {**HAIKU_USAGE, "cache_creation_input_tokens": 1500}  # 2,000 of 1,500 written for an hour
    for line in (claude_code(wrong), {"model": "claude-haiku-4-5", "usage": wrong, "timestamp": "2026-11-02T10:00:00Z"}):
        document = usage(write(tmp_path, line))
        assert document["requests"] == 0
        assert document["skipped"] == {"token counts contradict each other (cached or reasoning above the total)": 1}


def openai(tier: str | None, stamp: str = PEAK, model: str = "m") -> dict[str, Any]:
    # 1,000 prompt tokens of which 200 cached, 100 completion tokens
    line: dict[str, Any] = {"object": "chat.completion", "model": model, "created": stamp,
                            "usage": {"prompt_tokens": 1000, "completion_tokens": 100,
                                      "prompt_tokens_details": {"cached_tokens": 200}}}
    if tier is not None:
        line["service_tier"] = tier
    return line


@pytest.mark.parametrize(("tier", "cost"), [
    ("default", "0.00264"),  # standard: 800 x 2 + 200 x 0.2 + 100 x 10 = 1,600 + 40 + 1,000 = 2,640
    ("flex", "0.00132"),  # 800 x 1 + 200 x 0.1 + 100 x 5 = 800 + 20 + 500 = 1,320
    ("priority", "0.00528"),  # 800 x 4 + 200 x 0.4 + 100 x 20 = 3,200 + 80 + 2,000 = 5,280
    (None, "0.00264"),
])
def test_openai_service_tier(tmp_path: Path, tier: str | None, cost: str) -> None:
    assert usage(write(tmp_path, openai(tier)), "--catalog", DIMENSIONS)["total_cost"] == D(cost)


def test_a_tier_aicost_does_not_price_is_unpriced_never_standard(tmp_path: Path) -> None:
    document = usage(write(tmp_path, openai("scale")), "--catalog", DIMENSIONS)
    assert document["total_cost"] is None  # nothing could be priced: unknown, never $0
    [unpriced] = document["unpriced_models"]
    assert (unpriced["model"], unpriced["requests"]) == ("m", 1)
    assert "service tier aicost does not price" in unpriced["reason"]


def test_batch_results_at_batch_prices(tmp_path: Path) -> None:
    # at the batch prices 1 / 5 (cache reads at 0.2): 800 x 1 + 200 x 0.2 + 100 x 5 = 800 + 40 + 500 = 1,340
    openai_batch = {"custom_id": "r1", "response": {"status_code": 200, "body": openai("default")}}
    assert usage(write(tmp_path, openai_batch), "--catalog", DIMENSIONS)["total_cost"] == D("0.00134")
    # an Anthropic Message Batches result (with the timestamp a logger added): 1,000 x 1 + 100 x 5 = 1,500
    anthropic_batch = {"custom_id": "r2", "timestamp": PEAK, "result": {"type": "succeeded", "message": {
        "id": "msg_3", "type": "message", "model": "m", "usage": {"input_tokens": 1000, "output_tokens": 100}}}}
    assert usage(write(tmp_path, anthropic_batch), "--catalog", DIMENSIONS)["total_cost"] == D("0.0015")
    # Anthropic's usage.service_tier "batch" says the same
    tagged = {"model": "m", "timestamp": PEAK,
              "usage": {"input_tokens": 1000, "output_tokens": 100, "service_tier": "batch"}}
    assert usage(write(tmp_path, tagged), "--catalog", DIMENSIONS)["total_cost"] == D("0.0015")


def test_web_searches_at_the_per_call_fee(tmp_path: Path) -> None:
    # 1,000 x 2 + 100 x 10 = 3,000 -> 0.003, plus 3 searches x $10 / 1,000 = 0.03: 0.033
    line = {"model": "m", "timestamp": PEAK, "usage": {"input_tokens": 1000, "output_tokens": 100,
                                                       "server_tool_use": {"web_search_requests": 3}}}
    document = usage(write(tmp_path, line), "--catalog", DIMENSIONS)
    assert document["total_cost"] == D("0.033")
    assert document["tokens"]["web_search_calls"] == 3
    # the same on a Claude Code line (the typed reader)
    typed = claude_code({"input_tokens": 1000, "output_tokens": 100, "server_tool_use": {"web_search_requests": 3}},
                        model="m", stamp=PEAK)
    assert usage(write(tmp_path, typed), "--catalog", DIMENSIONS)["total_cost"] == D("0.033")
    # a model without a web-search fee: unpriced, never free
    document = usage(write(tmp_path, {**line, "model": "plain"}), "--catalog", DIMENSIONS)
    assert document["total_cost"] is None and document["unpriced_models"][0]["reason"].startswith("plain has no web-search")


def test_deepseek_requests_at_the_price_of_their_window(tmp_path: Path) -> None:
    # deepseek-flash: peak 0.30 / 1.20 (09:00-12:00 and 14:00-18:00 Beijing time, Monday to Friday), off-peak
    # 0.15 / 0.60. Monday 2026-11-02 02:00 UTC is 10:00 in Beijing (peak): 1,000 x 0.30 + 100 x 1.20 = 420;
    # 12:00 UTC is 20:00 (off-peak): 1,000 x 0.15 + 100 x 0.60 = 210; Saturday 2026-11-07 02:00 UTC: off-peak, 210
    def line(stamp: str) -> dict[str, Any]:
        return openai(None, stamp, "deepseek-flash") | {"usage": {"prompt_tokens": 1000, "completion_tokens": 100}}

    lines = [line("2026-11-02T02:00:00Z"), line("2026-11-02T12:00:00Z"), line("2026-11-07T02:00:00Z")]
    assert usage(write(tmp_path, lines[0]))["total_cost"] == D("0.00042")
    assert usage(write(tmp_path, lines[1]))["total_cost"] == D("0.00021")
    assert usage(write(tmp_path, *lines))["total_cost"] == D("0.00084")  # 420 + 210 + 210


def test_deepseek_cache_hit_tokens_are_cache_reads(tmp_path: Path) -> None:
    # DeepSeek's OpenAI-compatible usage names its cache reads `prompt_cache_hit_tokens` (no prompt_tokens_details).
    # deepseek-v4-pro off-peak (Saturday 2026-12-05 10:00 UTC = 18:00 in Shanghai): input 0.66, cache read 0.022,
    # output 1.98. 2,000 prompt tokens (500 hit, 1,500 miss) + 300 completion:
    # 1,500 x 0.66 + 500 x 0.022 + 300 x 1.98 = 990 + 11 + 594 = 1,595 -> 0.001595
    # (all 2,000 as uncached input would be 1,320 + 594 = 1,914 -> 0.001914)
    line = {"object": "chat.completion", "model": "deepseek-v4-pro", "created": "2026-12-05T10:00:00Z",
            "usage": {"prompt_tokens": 2000, "completion_tokens": 300, "total_tokens": 2300,
                      "prompt_cache_hit_tokens": 500, "prompt_cache_miss_tokens": 1500}}
    document = usage(write(tmp_path, line))
    assert document["total_cost"] == D("0.001595")
    assert document["tokens"]["cache_read"] == 500 and document["tokens"]["uncached_input"] == 1500
    # without prompt_tokens, the prompt is hit + miss: the same 2,000 tokens, the same cost
    del line["usage"]["prompt_tokens"]
    assert usage(write(tmp_path, line))["total_cost"] == D("0.001595")
    # more hits than the prompt: an inconsistent line, skipped rather than priced
    line["usage"] |= {"prompt_tokens": 400}
    document = usage(write(tmp_path, line))
    assert document["requests"] == 0 and list(document["skipped"].values()) == [1]


def observed_log(tmp_path: Path) -> Path:
    """Model m bought every way, on Monday 2026-03-02 (one day observed)."""
    anthropic = {"model": "m", "timestamp": PEAK}
    return write(
        tmp_path,
        # standard, peak: 1,000 x 2 + 100 x 10 = 3,000 -> 0.003
        {**anthropic, "usage": {"input_tokens": 1000, "output_tokens": 100}},
        # standard, off-peak, a longer request: 3,000 x 1 + 300 x 5 = 4,500 -> 0.0045
        {**anthropic, "timestamp": OFF_PEAK, "usage": {"input_tokens": 3000, "output_tokens": 300}},
        # standard, peak, 3 web searches: 0.003 + 0.03 = 0.033
        {**anthropic, "usage": {"input_tokens": 1000, "output_tokens": 100, "server_tool_use": {"web_search_requests": 3}}},
        openai("flex"),  # 0.00132
        openai("priority"),  # 0.00528
        {"custom_id": "r1", "response": {"status_code": 200, "body": openai("default")}},  # batch: 0.00134
        # 1-hour writes: 100 x 2 + 2,000 x 4 + 10 x 10 = 200 + 8,000 + 100 = 8,300 -> 0.0083
        {**anthropic, "usage": {"input_tokens": 100, "cache_creation_input_tokens": 2000, "output_tokens": 10,
                                "cache_creation": {"ephemeral_1h_input_tokens": 2000}}},
    )


def test_the_written_workload_keeps_the_splits_and_reproduces_the_run_rate(tmp_path: Path) -> None:
    written = tmp_path / "observed.toml"
    document = usage(observed_log(tmp_path), "--catalog", DIMENSIONS, "--write-workload", str(written))
    # 0.0405 (standard) + 0.00132 (flex) + 0.00528 (priority) + 0.00134 (batch) + 0.0083 (1-hour) = 0.05674;
    # one day observed: 0.05674 x 730 / 24 = 41.4202 / 24 = 1.72584166... a month
    assert document["total_cost"] == D("0.05674")
    assert document["monthly_run_rate"] == D("1.725842")
    streams = {stream["name"]: stream for stream in tomllib.loads(written.read_text(encoding="utf-8"))["streams"]}
    assert set(streams) == {"m", "m (flex)", "m (priority)", "m (batch)", "m (1h cache)"}
    assert streams["m (flex)"]["service_tier"] == "flex" and streams["m (priority)"]["service_tier"] == "priority"
    assert streams["m (batch)"]["batch_share"] == 1
    one_hour = streams["m (1h cache)"]
    # its 1-hour writes as cache_write_1h_tokens (cache_ttl stays 5m: the stream writes nothing for five minutes)
    assert (one_hour["cache_write_1h_tokens"], one_hour["input_tokens"]) == (2000, 2100)
    assert "cache_ttl" not in one_hour and "cache_write_tokens" not in one_hour
    standard = streams["m"]
    assert standard["web_search_calls"] == 1  # 3 searches over 3 requests
    # The standard stream's mean request: 5,000 / 3 input, 500 / 3 output, 1 search: at peak prices
    # (5,000 / 3 x 2 + 500 / 3 x 10) / 1e6 + 0.01 = 0.015, off-peak (5,000 / 3 x 1 + 500 / 3 x 5) / 1e6 + 0.01 = 0.0125.
    # Observed 0.0405 / 3 = 0.0135 a request: the share s with 0.015 - s x 0.0025 = 0.0135 is 0.6 (one request in
    # three was off-peak, but the longer one).
    assert abs(D(str(standard["off_peak_share"])) - D("0.6")) < D("1e-6")
    cost = run_main("cost", str(written), "--catalog", DIMENSIONS, "--as-of", "2026-03-02", "--format", "json")
    assert cost.exit_code == 0, cost.stderr
    monthly = json.loads(cost.stdout, parse_float=Decimal)["monthly_cost"]
    assert abs(monthly - D("1.725842")) < D("0.000002")  # to the cent, and closer


def test_a_hosts_own_model_id_is_priced_at_that_host(tmp_path: Path) -> None:
    # m on bedrock (its model id there acme.m-v1:0, from 2026-02-01): 2.2 / 11. 1,000 input and 100 output tokens:
    # 1,000 x 2.2 + 100 x 11 = 3,300 -> 0.0033 (on the vendor's API 0.003)
    line = {"model": "acme.m-v1:0", "timestamp": PEAK, "usage": {"input_tokens": 1000, "output_tokens": 100}}
    written = tmp_path / "observed.toml"
    document = usage(write(tmp_path, line), "--catalog", DIMENSIONS, "--write-workload", str(written))
    assert document["total_cost"] == D("0.0033")
    assert [row["model"] for row in document["rows"]] == ["m on bedrock"]
    [stream] = tomllib.loads(written.read_text(encoding="utf-8"))["streams"]
    assert (stream["name"], stream["model"], stream["host"]) == ("m (on bedrock)", "m", "bedrock")
    cost = run_main("cost", str(written), "--catalog", DIMENSIONS, "--as-of", "2026-03-02", "--format", "json")
    # 0.0033 x 730 / 24 = 0.100375 a month, as the run rate
    assert json.loads(cost.stdout, parse_float=Decimal)["monthly_cost"] == document["monthly_run_rate"] == D("0.100375")


@pytest.mark.parametrize(("tier", "cost"), [
    # gpt-5 on 2026-11-02: standard 1.25 / cached 0.125 / 10; 800 uncached + 200 cached + 100 output tokens:
    ("default", "0.002025"),  # 800 x 1.25 + 200 x 0.125 + 100 x 10 = 1,000 + 25 + 1,000 = 2,025
    ("flex", "0.001012"),  # flex 0.625 / 0.0625 / 5: 500 + 12.5 + 500 = 1,012.5 (JSON: 6 places, half-even)
    ("priority", "0.00405"),  # priority 2.50 / 0.25 / 20: 2,000 + 50 + 2,000 = 4,050
])
def test_gpt_5_log_lines_at_their_tier(tmp_path: Path, tier: str, cost: str) -> None:
    line = openai(tier, "2026-11-02T10:00:00Z", "gpt-5")
    assert usage(write(tmp_path, line), "--catalog", "bundled")["total_cost"] == D(cost)


def test_claude_code_web_searches_on_the_bundled_catalog(tmp_path: Path) -> None:
    # claude-haiku-4-5: 1,000 x 1.00 + 100 x 5.00 = 1,500 -> 0.0015, plus 3 searches at $10 per 1,000 = 0.03: 0.0315
    line = claude_code({"input_tokens": 1000, "output_tokens": 100, "server_tool_use": {"web_search_requests": 3},
                        "service_tier": "standard"})
    document = usage(write(tmp_path, line), "--catalog", "bundled")
    assert (document["total_cost"], document["tokens"]["web_search_calls"]) == (D("0.0315"), 3)


def test_copies_of_one_claude_code_request_count_once_with_their_lifetimes(tmp_path: Path) -> None:
    # Claude Code writes a line per content block: the copies share message.id and count once; a resumed session's
    # copy without its requestId is the same request (de-duplication by message.id alone), 1-hour writes kept
    line = claude_code(HAIKU_USAGE)
    resumed = {key: value for key, value in line.items() if key != "requestId"}
    document = usage(write(tmp_path, line, line, resumed))
    assert (document["requests"], document["total_cost"]) == (1, D("0.00645"))
    assert document["tokens"]["cache_write_1h"] == 2000
    assert document["skipped"] == {"duplicate copy of a request already counted (same id)": 2}
    assert document["formats"] == {"claude-code": 1}
    table = run_main("usage", str(tmp_path / "log.jsonl")).stdout
    assert "1-hour writes" in table and "2,000" in table  # the 1-hour writes shown where a log has some
    assert "Web searches" not in table
