"""A stream's terms of sale (service tier, speed, cache lifetime, off-peak share, host, region, web searches): read
from a workload file, its [defaults] and the stream flags, checked for syntax and range with one-line messages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from aicost.catalog import Catalog
from aicost.errors import InputError
from aicost.workload import Stream, parse_workload
from clihelp import run

D = Decimal


def workload(stream: dict[str, Any], defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    document: dict[str, Any] = {"version": 1, "streams": [{"name": "s", "model": "alpha", "requests_per_month": 1000,
                                                           "input_tokens": 1000, "output_tokens": 100, **stream}]}
    if defaults is not None:
        document["defaults"] = defaults
    return document


def parsed(catalog: Catalog, stream: dict[str, Any], defaults: dict[str, Any] | None = None) -> Stream:
    return parse_workload(workload(stream, defaults), "w.toml", catalog).streams[0]


def test_a_stream_without_terms_keeps_the_defaults(catalog: Catalog) -> None:
    stream = parsed(catalog, {})
    assert (stream.service_tier, stream.speed, stream.cache_ttl, stream.off_peak_share, stream.host, stream.region,
            stream.web_search_calls) == (None, None, "5m", D(0), None, None, D(0))


def test_every_term_is_read(catalog: Catalog) -> None:
    stream = parsed(catalog, {"service_tier": "flex", "speed": "fast", "cache_ttl": "1h", "cache_write_tokens": 200,
                              "off_peak_share": 0.25, "host": "bedrock", "region": "us", "web_search_calls": 0.4})
    assert (stream.service_tier, stream.speed, stream.cache_ttl, stream.off_peak_share, stream.host, stream.region,
            stream.web_search_calls) == ("flex", "fast", "1h", D("0.25"), "bedrock", "us", D("0.4"))


def test_the_defaults_are_spelled_as_none(catalog: Catalog) -> None:
    # "standard" tier and speed, the vendor's own name as host (alpha is sold by acme) and "global" are the defaults
    stream = parsed(catalog, {"service_tier": "standard", "speed": "standard", "host": "acme", "region": "global",
                              "cache_ttl": "5m"})
    assert (stream.service_tier, stream.speed, stream.host, stream.region, stream.cache_ttl) == (None, None, None, None,
                                                                                                 "5m")
    assert parsed(catalog, {"host": "vendor"}).host is None


def test_terms_come_from_defaults_and_a_stream_overrides_them(catalog: Catalog) -> None:
    document = workload({}, {"host": "vertex", "service_tier": "priority"})
    document["streams"].append({"name": "t", "model": "alpha", "requests_per_day": 10, "input_tokens": 10,
                                "output_tokens": 1, "host": "azure"})
    first, second = parse_workload(document, "w.toml", catalog).streams
    assert (first.host, first.service_tier) == ("vertex", "priority")
    assert (second.host, second.service_tier) == ("azure", "priority")


@pytest.mark.parametrize(("stream", "message"), [
    ({"service_tier": "cheap"}, "w.toml: streams[0].service_tier: must be one of standard, flex, priority, got 'cheap'"),
    ({"speed": "slow"}, "w.toml: streams[0].speed: must be one of standard, fast, got 'slow'"),
    ({"cache_ttl": "2h"}, "w.toml: streams[0].cache_ttl: must be one of 5m, 1h, got '2h'"),
    ({"service_tier": 2}, "w.toml: streams[0].service_tier: must be a non-empty string, got an integer"),
    ({"host": "AWS Bedrock"}, "w.toml: streams[0].host: 'AWS Bedrock' is not a name the catalog uses — write it in "
                              "lower case letters, digits, '.', '_' or '-' (e.g. bedrock, vertex, azure, openrouter)"),
    ({"region": "EU"}, "w.toml: streams[0].region: 'EU' is not a name the catalog uses — write it in lower case "
                       "letters, digits, '.', '_' or '-' (e.g. us, eu)"),
    ({"off_peak_share": 1.5}, "w.toml: streams[0].off_peak_share: must be between 0 and 1, got 1.5"),
    ({"web_search_calls": -1}, "w.toml: streams[0].web_search_calls: must be >= 0, got -1"),
    ({"web_search_calls": 10**9}, "w.toml: streams[0].web_search_calls: must be at most 100,000,000, got 1000000000"),
    ({"service_tier": "flex", "batch_share": 0.5},
     "w.toml: streams[0].service_tier: the flex tier and batch_share 0.5 are exclusive (a batch request is billed at "
     "batch rates) — drop service_tier or give a batch_share of 0"),
    ({"cache_ttl": "1h"}, 'w.toml: streams[0].cache_ttl: "1h" prices the cache writes, and this stream writes none — '
                          "add cache_write_tokens (of the input tokens, how many are written to the cache) or drop "
                          "cache_ttl"),
])
def test_bad_terms_get_one_line_naming_the_place_and_the_fix(catalog: Catalog, stream: dict[str, Any],
                                                             message: str) -> None:
    with pytest.raises(InputError) as caught:
        parsed(catalog, stream)
    assert caught.value.message == message


def test_a_tier_with_a_zero_batch_share_and_batch_on_the_standard_tier_are_fine(catalog: Catalog) -> None:
    assert parsed(catalog, {"service_tier": "priority", "batch_share": 0}).service_tier == "priority"
    assert parsed(catalog, {"service_tier": "standard", "batch_share": 0.5}).batch_share == D("0.5")


STREAM = ["--model", "alpha", "--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "100"]


@pytest.mark.parametrize(("flags", "message"), [
    (["--service-tier", "flex", "--batch-share", "50%"],
     "aicost: error: --service-tier: the flex tier and --batch-share 0.5 are exclusive (a batch request is billed at "
     "batch rates) — drop --service-tier or give a --batch-share of 0"),
    (["--speed", "ludicrous"], "aicost: error: --speed: must be one of standard, fast, got 'ludicrous'"),
    (["--host", "Bedrock"], "aicost: error: --host: 'Bedrock' is not a name the catalog uses — write it in lower case "
                            "letters, digits, '.', '_' or '-' (e.g. bedrock, vertex, azure, openrouter)"),
    (["--off-peak-share", "150%"], "aicost: error: --off-peak-share: must be between 0 and 1, got 150%"),
    (["--web-search-calls", "-2"], "aicost: error: --web-search-calls: must be >= 0, got -2"),
    (["--cache-ttl", "1h"], 'aicost: error: --cache-ttl: "1h" prices the cache writes, and this stream writes none — '
                            "add --cache-write-tokens (of the input tokens, how many are written to the cache) or "
                            "drop --cache-ttl"),
])
def test_stream_flags_are_checked_as_the_file_is(flags: list[str], message: str) -> None:
    from shellhelp import TEST_CATALOG

    result = run("cost", *STREAM, *flags, "--catalog", str(TEST_CATALOG))
    assert result.exit_code == 2
    assert result.stderr.strip() == message


def test_a_workload_file_and_a_term_flag_are_one_or_the_other(tmp_path: Any) -> None:
    from shellhelp import TEST_CATALOG

    path = tmp_path / "w.toml"
    path.write_text('version = 1\n[[streams]]\nmodel = "alpha"\nrequests_per_month = 10\ninput_tokens = 1\n'
                    'output_tokens = 1\n', encoding="utf-8")
    result = run("cost", str(path), "--host", "bedrock", "--catalog", str(TEST_CATALOG))
    assert result.exit_code == 2
    assert "give one or the other" in result.stderr


@pytest.mark.slow
def test_the_term_flags_complete_in_bash() -> None:
    from test_newcomer import complete

    assert complete("cost", "--service-tier", "") == ["standard", "flex", "priority"]
    assert complete("route", "--speed", "f") == ["fast"]
    assert complete("budget", "--cache-ttl", "") == ["5m", "1h"]
    hosts = complete("cost", "--host", "")
    assert hosts[:4] == ["bedrock", "vertex", "azure", "openrouter"] and "vendor" in hosts and "anthropic" in hosts
    # global (the default, no uplift) first, then the regions the bundled catalog has uplifts for (Anthropic us;
    # Bedrock us, eu, au, jp, apac, us-gov; OpenAI eu)
    assert complete("cost", "--region", "") == ["global", "apac", "au", "eu", "jp", "us", "us-gov"]
    assert complete("cost", "--region", "g") == ["global"]
    assert complete("route", "--region", "u") == ["us", "us-gov"]
    assert complete("compare", "--hosts", "") == ["vendor", "all", "bedrock", "vertex", "azure", "openrouter"]
    assert complete("compare", "--hosts", "a") == ["all", "azure"]
    assert complete("compare", "--hosts", "vendor,b") == ["bedrock"]  # the last item of a list (the word's prefix kept)
