"""The worked examples of docs/catalog.md ("Price dimensions"), priced by hand on the bundled catalog on 2026-12-07.
Per request = tokens x price per million / 1,000,000 (+ fees); per month = per request x requests."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from aicost.calc import NotOfferedError, stream_cost
from aicost.catalog import Catalog, load_bundled_catalog
from aicost.workload import Stream
from clihelp import run_main

D = Decimal
DAY = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_bundled_catalog()


def cost(catalog: Catalog, model: str, requests: int, input_tokens: int, output_tokens: int, **more: Any) -> Decimal:
    stream = Stream("s", model, D(requests), D(input_tokens), D(output_tokens), **more)
    return stream_cost(stream, catalog, DAY).monthly_cost


def test_haiku_one_hour_versus_five_minute_writes(bundled: Catalog) -> None:
    # claude-haiku-4-5: input 1.00, cache read 0.10, 5-minute write 1.25, 1-hour write 2.00, output 5.00
    # 20,000 input: 10,000 read (share 0.5), 4,000 written, 6,000 uncached; 500 output
    # 6,000 x 1.00 + 10,000 x 0.10 + 500 x 5.00 = 6,000 + 1,000 + 2,500 = 9,500
    # 5m: + 4,000 x 1.25 = 5,000 -> 14,500 / 1e6 = 0.0145 a request x 100,000 = 1,450
    # 1h: + 4,000 x 2.00 = 8,000 -> 17,500 / 1e6 = 0.0175 a request x 100,000 = 1,750
    common = {"cached_input_share": D("0.5"), "cache_write_tokens": D(4000)}
    assert cost(bundled, "claude-haiku-4-5", 100_000, 20_000, 500, **common) == D(1450)
    assert cost(bundled, "claude-haiku-4-5", 100_000, 20_000, 500, cache_ttl="1h", **common) == D(1750)


def test_gpt5_flex_and_priority(bundled: Catalog) -> None:
    # 3,000 input, 1,200 cached (share 0.4), 1,800 uncached; 800 output; 200,000 requests
    # standard 1.25 / 0.125 / 10: 2,250 + 150 + 8,000 = 10,400 -> 0.0104 x 200,000 = 2,080
    # flex 0.625 / 0.0625 / 5: 1,125 + 75 + 4,000 = 5,200 -> 1,040
    # priority 2.50 / 0.25 / 20: 4,500 + 300 + 16,000 = 20,800 -> 4,160
    shared = {"cached_input_share": D("0.4")}
    assert cost(bundled, "gpt-5", 200_000, 3000, 800, **shared) == D(2080)
    assert cost(bundled, "gpt-5", 200_000, 3000, 800, service_tier="flex", **shared) == D(1040)
    assert cost(bundled, "gpt-5", 200_000, 3000, 800, service_tier="priority", **shared) == D(4160)


def test_web_searches_on_sonnet(bundled: Catalog) -> None:
    # claude-sonnet-4-6 3 / 15: 4,000 x 3 + 600 x 15 = 21,000 -> 0.021 x 50,000 = 1,050
    # 0.3 searches a request x $10 / 1,000 = 0.003 x 50,000 = 150 (breakdown per_call); total 1,200
    stream = Stream("s", "claude-sonnet-4-6", D(50_000), D(4000), D(600), web_search_calls=D("0.3"))
    result = stream_cost(stream, bundled, DAY)
    assert (result.breakdown.per_call, result.monthly_cost) == (D(150), D(1200))


def test_us_resident_opus(bundled: Catalog) -> None:
    # claude-opus-4-6 5 / 25: 10,000 x 5 + 1,000 x 25 = 75,000 -> 0.075 x 10,000 = 750; US-only x 1.1 = 825
    assert cost(bundled, "claude-opus-4-6", 10_000, 10_000, 1000) == D(750)
    assert cost(bundled, "claude-opus-4-6", 10_000, 10_000, 1000, region="us") == D(825)
    # claude-haiku-4-5 predates US-only inference: not offered, named with what is
    with pytest.raises(NotOfferedError, match="claude-haiku-4-5 offers no region 'us' — it offers: none"):
        cost(bundled, "claude-haiku-4-5", 10_000, 10_000, 1000, region="us")


def test_deepseek_off_peak_share(bundled: Catalog) -> None:
    # deepseek-flash peak 0.30 / hit 0.006 / 1.20, off-peak 0.15 / 0.003 / 0.60; 2,000 input half cached, 300 output
    # peak 1,000 x 0.30 + 1,000 x 0.006 + 300 x 1.20 = 300 + 6 + 360 = 666 -> x 1,000,000 / 1e6 = 666
    # off-peak 150 + 3 + 180 = 333; share 0.6: 0.4 x 666 + 0.6 x 333 = 266.4 + 199.8 = 466.2 (= 666 - 333 x 0.6)
    common = {"cached_input_share": D("0.5")}
    assert cost(bundled, "deepseek-flash", 1_000_000, 2000, 300, **common) == D(666)
    assert cost(bundled, "deepseek-flash", 1_000_000, 2000, 300, off_peak_share=D("0.6"), **common) == D("466.2")
    assert cost(bundled, "deepseek-flash", 1_000_000, 2000, 300, off_peak_share=D(1), **common) == D(333)


def test_deepseek_window_at_a_moment(bundled: Catalog) -> None:
    period = bundled.resolve("deepseek-flash").period_on(DAY)
    assert period is not None
    monday_peak = dt.datetime(2026, 12, 7, 2, 30, tzinfo=dt.UTC)  # 10:30 in Beijing
    monday_lunch = dt.datetime(2026, 12, 7, 4, 30, tzinfo=dt.UTC)  # 12:30 in Beijing: off-peak
    saturday = dt.datetime(2026, 12, 5, 2, 30, tzinfo=dt.UTC)
    assert [period.window_at(t) is not None for t in (monday_peak, monday_lunch, saturday)] == [False, True, True]


def test_a_model_across_hosts() -> None:
    # gpt-5.6-terra, 100,000 requests of 10,000 input and 1,000 output tokens:
    # vendor 2.00 / 12.00: 20,000 + 12,000 = 32,000 -> 0.032 x 100,000 = 3,200; azure (since 2026-10-03) the same;
    # bedrock 2.75 / 16.50: 27,500 + 16,500 = 44,000 -> 4,400
    result = run_main("compare", "--model", "gpt-5.6-terra", "--requests-per-month", "100000", "--input-tokens", "10000",
                      "--output-tokens", "1000", "--models", "gpt-5.6-terra", "--hosts", "all", "--as-of", "2026-12-07",
                      "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert [(c["host"], c["monthly_cost"]) for c in document["candidates"]] == [
        ("vendor", 3200), ("azure", 3200), ("bedrock", 4400)]  # the vendor's own API first on a tie
    only = run_main("compare", "--model", "gpt-5.6-terra", "--requests-per-month", "100000", "--input-tokens", "10000",
                    "--output-tokens", "1000", "--models", "gpt-5.6-terra", "--hosts", "bedrock", "--as-of", "2026-12-07",
                    "--format", "json")
    assert [(c["host"], c["monthly_cost"]) for c in json.loads(only.stdout)["candidates"]] == [("bedrock", 4400)]
    bad = run_main("compare", "--model", "gpt-5.6-terra", "--requests-per-month", "1", "--input-tokens", "1",
                   "--output-tokens", "1", "--hosts", "aws")
    assert bad.exit_code == 2 and bad.stderr.startswith("aicost: error: --hosts aws: unknown host"), bad.stderr


def test_cost_names_host_and_tier_and_per_call_fees(bundled: Catalog) -> None:
    from aicost.calc import workload_cost
    from aicost.render.csv_format import render_csv
    from aicost.reports.cost import cost_view
    from aicost.workload import parse_workload

    base = parse_workload({"version": 1, "streams": [
        {"name": "plain", "model": "gpt-5", "requests_per_month": 1000, "input_tokens": 1000, "output_tokens": 100},
        {"name": "search", "model": "claude-haiku-4-5", "requests_per_month": 1000, "input_tokens": 1000,
         "output_tokens": 100}]}, "w", bundled)
    plain, search = base.streams
    workload = base._replace(streams=(plain._replace(service_tier="flex"), search._replace(web_search_calls=D(2)),
                                      search._replace(name="hosted", host="bedrock")))
    view = cost_view(workload_cost(workload, bundled, DAY))
    # flex gpt-5: (1,000 x 0.625 + 100 x 5) / 1e6 x 1,000 = 1.125
    # haiku: (1,000 x 1 + 100 x 5) / 1e6 x 1,000 = 1.5, + 2 searches x $10 / 1,000 x 1,000 = 20 -> 21.5
    # haiku on bedrock (global endpoint, the same prices): 1.5 (it records no web-search fee: searches there are unknown)
    streams = view.document["streams"]
    assert [(s["host"], s["service_tier"], s["monthly_cost"]) for s in streams] == [
        ("vendor", "flex", D("1.125")), ("vendor", "standard", D("21.5")), ("bedrock", "standard", D("1.5"))]
    assert "per_call" not in streams[0]["breakdown"] and streams[1]["breakdown"]["per_call"] == D(20)
    assert view.document["breakdown"]["per_call"] == D(20)
    header, first, _, third = render_csv(view).splitlines()[:4]
    assert header.startswith("stream,model,host,service_tier,monthly_requests,") and ",per_call," in header
    assert first.startswith("plain,gpt-5,vendor,flex,") and third.startswith("hosted,claude-haiku-4-5,bedrock,standard,")


def test_an_offering_a_host_cannot_price_is_excluded_with_its_host() -> None:
    # half the input cached: Azure's gpt-5.6-terra gives no cached-input price after its 2026-10-03 cut
    result = run_main("compare", "--model", "gpt-5.6-terra", "--requests-per-month", "1000", "--input-tokens", "1000",
                      "--output-tokens", "100", "--cached-input-share", "0.5", "--models", "gpt-5.6-terra", "--hosts", "all",
                      "--as-of", "2026-12-07", "--format", "json")
    document = json.loads(result.stdout)
    assert [c["host"] for c in document["candidates"]] == ["vendor", "bedrock"]
    assert document["excluded"] == [{"model": "gpt-5.6-terra", "host": "azure",
                                     "reason": "gpt-5.6-terra has no cache-read price on azure in the catalog (unknown, "
                                               "not free)"}]


def test_a_free_model_is_paid_on_its_hosts() -> None:
    # glm-4.7-flash is free on Z.ai's API (a free tier, left out of the like-for-like answer) but 0.07 / 0.40 on
    # Bedrock and OpenRouter: 100,000 x (1,000 x 0.07 + 100 x 0.40) / 1e6 = 100,000 x 0.00011 = 11
    result = run_main("compare", "--model", "glm-4.7-flash", "--requests-per-month", "100000", "--input-tokens", "1000",
                      "--output-tokens", "100", "--models", "glm-4.7-flash", "--hosts", "all", "--as-of", "2026-12-07",
                      "--format", "json")
    document = json.loads(result.stdout)
    assert [(c["host"], c["monthly_cost"], c["free_tier"]) for c in document["candidates"]] == [
        ("vendor", 0, True), ("bedrock", 11, False), ("openrouter", 11, False)]
    assert document["like_for_like"]["streams"][0]["host"] == "bedrock"
