"""A stream's terms (tier, speed, cache lifetime, off-peak share, host, region, web searches) travel through every
command that prices it: cost, budget, diff, forecast, breakeven, --model re-pricing, route and route plan. Each number
is worked out by hand.

Prices: claude-haiku-4-5 and deepseek-flash from the bundled catalog; on tests/data/dimensions_catalog.toml (with two
small models added below) model `m`: input 2, output 10 per million tokens; flex 1 / 5; on bedrock (from 2026-02-01)
2.2 / 11 and eu x1.1 there; web search $10 per 1,000; off-peak 1 / 5.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import Run, run

D = Decimal
DIMENSIONS = Path(__file__).parent / "data" / "dimensions_catalog.toml"
SMALL_MODELS = """
[[vendors.models]]
id = "s1"
class = "small"
context_window = 100000

[[vendors.models.periods]]
since = 2026-01-01
input = 0.1
output = 0.4
source = "test"
checked = 2026-01-01

[[vendors.models]]
id = "s2"
class = "small"
context_window = 100000

[[vendors.models.periods]]
since = 2026-01-01
input = 0.2
output = 0.8
source = "test"
checked = 2026-01-01

[[vendors.models.hosts]]
host = "bedrock"
model_id = "acme.s2-v1:0"

[[vendors.models.hosts.periods]]
since = 2026-02-01
input = 0.3
output = 1.2
source = "test"
checked = 2026-01-01
"""
# 1,000 requests a month of 1,000 input and 100 output tokens on m: 1,000 x 2 + 100 x 10 = 3,000 a request -> $3.00
STREAM = ["--model", "m", "--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "100",
          "--as-of", "2026-03-02"]


@pytest.fixture
def catalog(tmp_path: Path) -> str:
    path = tmp_path / "catalog.toml"
    path.write_text(DIMENSIONS.read_text(encoding="utf-8") + SMALL_MODELS, encoding="utf-8")
    return str(path)


def as_json(*args: str, code: int = 0) -> dict[str, Any]:
    result = run(*args, "--format", "json", "--quiet")
    assert result.exit_code == code, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def refused(*args: str) -> Run:
    result = run(*args)
    assert result.exit_code == 2 and result.stdout == "", result
    assert len(result.stderr.strip().splitlines()) == 1
    return result


@pytest.mark.parametrize(("flags", "monthly"), [
    ([], "3"),
    (["--service-tier", "flex"], "1.5"),  # 1,000 x 1 + 100 x 5 = 1,500 a request
    (["--service-tier", "standard", "--host", "vendor"], "3"),  # the defaults spelled out
    (["--host", "bedrock"], "3.3"),  # 1,000 x 2.2 + 100 x 11 = 3,300
    (["--host", "bedrock", "--region", "eu"], "3.63"),  # 3,300 x 1.1
    (["--web-search-calls", "0.5"], "8"),  # 3,000 / 1e6 + 0.5 x 10 / 1,000 = 0.003 + 0.005 = 0.008 a request
    (["--off-peak-share", "50%"], "2.25"),  # 0.5 x 3.00 + 0.5 x (1,000 x 1 + 100 x 5 = 1,500 -> 1.50)
])
def test_cost_prices_the_stream_as_it_is_bought(catalog: str, flags: list[str], monthly: str) -> None:
    assert as_json("cost", *STREAM, *flags, "--catalog", catalog)["monthly_cost"] == D(monthly)


def test_one_hour_writes_on_claude_haiku_4_5() -> None:
    # 1,000 requests of 10,000 input tokens, 4,000 of them written to the cache, and 500 output tokens.
    # 5-minute writes (1.25): 6,000 x 1 + 4,000 x 1.25 + 500 x 5 = 6,000 + 5,000 + 2,500 = 13,500 -> $13.50 a month;
    # 1-hour writes (2.00): 6,000 + 8,000 + 2,500 = 16,500 -> $16.50.
    stream = ["--model", "claude-haiku-4-5", "--requests-per-month", "1000", "--input-tokens", "10000",
              "--cache-write-tokens", "4000", "--output-tokens", "500", "--as-of", "2026-12-01", "--catalog", "bundled"]
    assert as_json("cost", *stream)["monthly_cost"] == D("13.5")
    assert as_json("cost", *stream, "--cache-ttl", "5m")["monthly_cost"] == D("13.5")
    assert as_json("cost", *stream, "--cache-ttl", "1h")["monthly_cost"] == D("16.5")


def test_flex_cache_writes_at_flex_input_where_writes_are_billed_as_input() -> None:
    # gpt-5 flex: input 0.625, output 5.00; OpenAI bills a cache write as input and flex gives no cache-write price, so
    # the 4,000 written tokens cost flex input: 10,000 x 0.625 + 500 x 5 = 6,250 + 2,500 = 8,750 -> $8.75 a month
    stream = ["--requests-per-month", "1000", "--input-tokens", "10000", "--cache-write-tokens", "4000",
              "--output-tokens", "500", "--as-of", "2026-12-01", "--catalog", "bundled", "--service-tier", "flex"]
    assert as_json("cost", "--model", "gpt-5", *stream)["monthly_cost"] == D("8.75")
    # Google says neither: a flex write on gemini-3.1-flash-lite is unknown, not free
    result = run("cost", "--model", "gemini-3.1-flash-lite", *stream)
    assert result.exit_code == 2
    assert "gemini-3.1-flash-lite has no cache-write price at the flex tier" in result.stderr


@pytest.mark.parametrize(("share", "monthly"), [("0", "0.42"), ("0.25", "0.3675"), ("0.5", "0.315"), ("1", "0.21")])
def test_a_deepseek_off_peak_share_is_linear(share: str, monthly: str) -> None:
    # deepseek-flash: peak 0.30 / 1.20, off-peak 0.15 / 0.60. 1,000 requests of 1,000 input and 100 output tokens:
    # peak 1,000 x 0.30 + 100 x 1.20 = 420 a request -> $0.42 a month, off-peak half that, $0.21; a share s costs
    # 0.42 - 0.21 x s.
    stream = ["--model", "deepseek-flash", "--requests-per-month", "1000", "--input-tokens", "1000",
              "--output-tokens", "100", "--as-of", "2026-12-01", "--catalog", "bundled"]
    assert as_json("cost", *stream, "--off-peak-share", share)["monthly_cost"] == D(monthly)


def test_budget_counts_the_host(catalog: str) -> None:
    over = as_json("budget", *STREAM, "--host", "bedrock", "--max", "3.2", "--catalog", catalog, code=1)
    assert (over["monthly_cost"], over["within_budget"]) == (D("3.3"), False)
    assert as_json("budget", *STREAM, "--max", "3.2", "--catalog", catalog)["within_budget"] is True


def test_diff_shows_a_change_of_host_and_tier(catalog: str, tmp_path: Path) -> None:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    stream = ('version = 1\n[[streams]]\nname = "chat"\nmodel = "m"\nrequests_per_month = 1000\ninput_tokens = 1000\n'
              'output_tokens = 100\n')
    old.write_text(stream, encoding="utf-8")
    new.write_text(stream + 'host = "bedrock"\n', encoding="utf-8")
    document = as_json("diff", str(old), str(new), "--catalog", catalog, "--as-of", "2026-03-02")
    assert (document["old_monthly_cost"], document["new_monthly_cost"], document["change"]) == (D(3), D("3.3"), D("0.3"))
    [chat] = document["streams"]
    assert (chat["status"], chat["changes"]) == ("changed", {"host": {"old": None, "new": "bedrock"}})
    text = run("diff", str(old), str(new), "--catalog", catalog, "--as-of", "2026-03-02").stdout
    assert "host vendor API → bedrock" in text
    new.write_text(stream + 'service_tier = "flex"\n', encoding="utf-8")
    assert "service_tier standard → flex" in run("diff", str(old), str(new), "--catalog", catalog, "--as-of",
                                                 "2026-03-02").stdout


def test_forecast_and_breakeven_price_the_tier(catalog: str) -> None:
    forecast = as_json("forecast", *STREAM, "--service-tier", "flex", "--months", "2", "--catalog", catalog)
    # flex 1.5 a month; month 1 counts only the days from --as-of (2026-03-02) to its end: 30 of March's 31 days,
    # 1.5 x 30 / 31 = 45 / 31 = 1.4516129...; total 45 / 31 + 1.5 = 183 / 62 = 2.9516129...
    assert [month["monthly_cost"] for month in forecast["months"]] == [D("1.451613"), D("1.5")]
    assert forecast["total_cost"] == D("2.951613")
    breakeven = as_json("breakeven", "subscription", *STREAM, "--service-tier", "flex", "--seats", "1",
                        "--catalog", catalog)
    assert breakeven["api_cost_per_seat"] == D("1.5")


def test_model_repricing_keeps_the_streams_terms(catalog: str, tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('version = 1\n[[streams]]\nname = "chat"\nmodel = "plain"\nrequests_per_month = 1000\n'
                    'input_tokens = 1000\noutput_tokens = 100\nservice_tier = "flex"\n', encoding="utf-8")
    # re-priced on m, the stream stays on the flex tier: $1.50
    assert as_json("cost", str(path), "--model", "m", "--as-of", "2026-03-02", "--catalog", catalog)["monthly_cost"] == D("1.5")
    # plain (the file's own model) offers no flex tier: exit 2 naming what it offers
    result = refused("cost", str(path), "--as-of", "2026-03-02", "--catalog", catalog)
    assert result.stderr == (f"aicost: error: {path}: streams[0].service_tier: plain offers no service tier 'flex' — "
                             "drop it or choose one it offers: standard\n")


def test_route_prices_both_sides_on_the_streams_host(catalog: str) -> None:
    # Without --small, the proposal is the cheapest small model that bedrock sells: s1 (cheaper) is not on bedrock,
    # s2 is, at 0.3 / 1.2 there: 1,000 x 0.3 + 100 x 1.2 = 420 a request -> $0.42 a month alone.
    # Half the requests each way: 0.5 x 0.42 + 0.5 x 3.30 = 0.21 + 1.65 = $1.86 against $3.30 all on m at bedrock;
    # saving 1 - 1.86 / 3.30 = 0.436364.
    document = as_json("route", *STREAM, "--host", "bedrock", "--share", "0.5", "--catalog", catalog)
    assert (document["small"], document["baseline_monthly_cost"], document["plan_monthly_cost"], document["saving"]) == (
        "s2", D("3.3"), D("1.86"), D("0.436364"))
    assert [(p["small"], p["small_alone_monthly_cost"]) for p in document["proposed"]] == [("s2", D("0.42"))]
    assert document["streams"][0]["host"] == "bedrock"  # each stream says how it is bought
    # a small model named for it that bedrock does not sell is the user's error
    result = refused("route", *STREAM, "--host", "bedrock", "--share", "0.5", "--small", "s1", "--catalog", catalog)
    assert result.stderr == ("aicost: error: --host bedrock: s1 offers no host 'bedrock' (stream 'm' asks for it) — "
                             "drop it or choose one it offers: vendor, or choose another model\n")
    # no small model offers the flex tier: the proposal says which terms nothing could take
    result = refused("route", *STREAM, "--service-tier", "flex", "--catalog", catalog)
    assert "acme has no small model that can take its requests on 2026-03-02" in result.stderr
    assert "flex tier" in result.stderr


def test_route_plan_lists_the_models_the_host_does_not_sell(catalog: str) -> None:
    document = as_json("route", "plan", *STREAM, "--host", "bedrock", "--catalog", catalog)
    excluded = {entry["model"]: entry["reason"] for entry in document["excluded"]}
    assert excluded == {"plain": "plain offers no host 'bedrock' — it offers: vendor",
                        "s1": "s1 offers no host 'bedrock' — it offers: vendor"}


@pytest.mark.parametrize(("tier", "monthly"), [("standard", "750"), ("flex", "375"), ("priority", "1500")])
def test_gpt_5_flex_and_priority(tier: str, monthly: str) -> None:
    # 100,000 requests of 2,000 input and 500 output tokens on gpt-5: standard (2,000 x 1.25 + 500 x 10) / 1e6 =
    # 0.0075 a request -> $750; flex (2,000 x 0.625 + 500 x 5) / 1e6 = 0.00375 -> $375; priority (2,000 x 2.50 +
    # 500 x 20) / 1e6 = 0.015 -> $1,500
    stream = ["--model", "gpt-5", "--requests-per-month", "100000", "--input-tokens", "2000", "--output-tokens", "500",
              "--as-of", "2026-12-01", "--catalog", "bundled"]
    document = as_json("cost", *stream, "--service-tier", tier)
    assert (document["monthly_cost"], document["streams"][0]["service_tier"]) == (D(monthly), tier)


def test_web_searches_on_a_claude_model() -> None:
    # claude-haiku-4-5, 1,000 requests of 1,000 input and 100 output tokens, half a search each: tokens (1,000 x 1 +
    # 100 x 5) / 1e6 x 1,000 = $1.50, searches 0.5 x $10 / 1,000 x 1,000 = $5.00: $6.50
    stream = ["--model", "claude-haiku-4-5", "--requests-per-month", "1000", "--input-tokens", "1000",
              "--output-tokens", "100", "--web-search-calls", "0.5", "--as-of", "2026-12-01", "--catalog", "bundled"]
    document = as_json("cost", *stream)
    assert (document["monthly_cost"], document["streams"][0]["breakdown"]["per_call"]) == (D("6.5"), D(5))


def test_cost_json_echoes_the_streams_terms(catalog: str) -> None:
    # half off-peak and one search a request: 0.5 x $3.00 + 0.5 x $1.50 + 1 x $10 / 1,000 x 1,000 = 2.25 + 10 = $12.25
    document = as_json("cost", *STREAM, "--off-peak-share", "0.5", "--web-search-calls", "1", "--catalog", catalog)
    [stream] = document["streams"]
    assert (stream["monthly_cost"], stream["breakdown"]["per_call"]) == (D("12.25"), D(10))
    assert {key: stream[key] for key in ("host", "service_tier", "off_peak_share", "web_search_calls")} == {
        "host": "vendor", "service_tier": "standard", "off_peak_share": D("0.5"), "web_search_calls": 1}
    assert "cache_ttl" not in stream and "region" not in stream  # the defaults are not echoed


def test_not_offered_names_the_flag_the_file_and_the_stream(catalog: str, tmp_path: Path) -> None:
    # the command line: the flag and its value, and the fix
    plain = [arg if arg != "m" else "plain" for arg in STREAM]
    for option, value, words, offered in (("--service-tier", "flex", "service tier", "standard"),
                                          ("--speed", "fast", "speed mode", "standard"),
                                          ("--region", "eu", "region", "none")):
        result = refused("cost", *plain, option, value, "--catalog", catalog)
        fix = "drop it: it offers none" if offered == "none" else f"drop it or choose one it offers: {offered}"
        assert result.stderr == f"aicost: error: {option} {value}: plain offers no {words} '{value}' — {fix}\n"
    result = refused("cost", *plain, "--off-peak-share", "0.5", "--catalog", catalog)
    assert result.stderr == ("aicost: error: --off-peak-share: plain offers no time window 'off-peak' — drop it: "
                             "it offers none\n")
    # a file: its name, the stream's index and field
    path = tmp_path / "w.toml"
    path.write_text('version = 1\n[[streams]]\nname = "a"\nmodel = "m"\nrequests_per_month = 1000\n'
                    'input_tokens = 1000\noutput_tokens = 100\n[[streams]]\nname = "b"\nmodel = "plain"\n'
                    'requests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 100\nhost = "azure"\n',
                    encoding="utf-8")
    result = refused("cost", str(path), "--as-of", "2026-03-02", "--catalog", catalog)
    assert result.stderr == (f"aicost: error: {path}: streams[1].host: plain offers no host 'azure' — drop it or "
                             "choose one it offers: vendor\n")
    # route's small model tried on a stream of the file: the stream that asks for the host
    path.write_text('version = 1\n[[streams]]\nname = "a"\nmodel = "m"\nrequests_per_month = 1000\n'
                    'input_tokens = 1000\noutput_tokens = 100\nhost = "bedrock"\n', encoding="utf-8")
    result = refused("route", str(path), "--small", "s1", "--share", "0.5", "--as-of", "2026-03-02",
                     "--catalog", catalog)
    assert result.stderr == (f"aicost: error: {path}: streams[0].host: s1 offers no host 'bedrock' (stream 'a' asks "
                             "for it) — drop it or choose one it offers: vendor, or choose another model\n")
