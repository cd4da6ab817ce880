"""Exact costs, worked out by hand on the round-priced test catalog (tests/data/test_catalog.toml)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from aicost.calc import compare, select_models, workload_cost
from aicost.catalog import Catalog
from aicost.errors import UnpricedError
from aicost.workload import parse_workload

D = Decimal
JULY = dt.date(2025, 8, 1)


def workload(catalog: Catalog, **stream: Any) -> Any:
    base: dict[str, Any] = {"name": "s", "model": "alpha", "requests_per_month": 1000}
    base.update(stream)
    return parse_workload({"version": 1, "streams": [base]}, "test.toml", catalog)


def test_month_is_730_hours(catalog: Catalog) -> None:
    doc = {"version": 1, "streams": [
        {"name": "d", "model": "beta", "requests_per_day": 24, "input_tokens": 1, "output_tokens": 1},
        {"name": "h", "model": "beta", "requests_per_hour": 2, "input_tokens": 1, "output_tokens": 1},
    ]}
    w = parse_workload(doc, "t", catalog)
    # 24 a day x 730 / 24 = 730 a month; 2 an hour x 730 = 1460 a month
    assert [s.monthly_requests for s in w.streams] == [D(730), D(1460)]


def test_plain_input_and_output(catalog: Catalog) -> None:
    # beta: 0.5 in / 1.5 out per Mtok. 1000 req x (2000 x 0.5 + 500 x 1.5) / 1e6 = 1000 x 0.00175 = 1.75
    report = workload_cost(workload(catalog, model="beta", input_tokens=2000, output_tokens=500), catalog, JULY)
    assert report.monthly_cost == D("1.75")
    assert report.breakdown.input == D("1.00")
    assert report.breakdown.output == D("0.75")


def test_every_feature_together(catalog: Catalog) -> None:
    # alpha from 2025-07-01: in 4, out 16, cache read 0.4, cache write 5, batch 2 / 8.
    # input 2000, cached share 0.25 -> 500 cached; 100 cache writes; uncached 2000 - 500 - 100 = 1400
    # output 500 + reasoning 300 = 800 billed as output; batch share 0.4.
    # standard request: in 1400x4=5600, cached 500x0.4=200, writes 100x5=500, out 800x16=12800 (per 1e6)
    # batch request:    in 1400x2=2800, cached 200, writes 500, out 800x8=6400
    # mean: in 0.6x5600+0.4x2800=4480; out 0.6x12800+0.4x6400=10240; x1000 requests / 1e6:
    # input 4.48, cached 0.20, writes 0.50, output 10.24, total 15.42
    w = workload(catalog, input_tokens=2000, output_tokens=500, cached_input_share=0.25, cache_write_tokens=100,
                 reasoning_tokens=300, batch_share=0.4)
    report = workload_cost(w, catalog, JULY)
    b = report.breakdown
    assert (b.input, b.cached_input, b.cache_write, b.output) == (D("4.48"), D("0.2"), D("0.5"), D("10.24"))
    assert report.monthly_cost == D("15.42")


def test_reasoning_billed_once_as_output(catalog: Catalog) -> None:
    # out 100 + reasoning 900 = 1000 output tokens x 16 / 1e6 x 1000 requests = 16.00; input 0
    report = workload_cost(workload(catalog, input_tokens=0, output_tokens=100, reasoning_tokens=900), catalog, JULY)
    assert report.monthly_cost == D(16)


@pytest.mark.parametrize(
    ("input_tokens", "expected"),
    [
        # at the threshold (not above it): base rates. 100000 x 4 + 1000 x 16 = 416000 / 1e6 x 1000 = 416
        (100_000, D(416)),
        # one token above: the whole request at the tier. 100001 x 8 + 1000 x 24 = 824008 / 1e6 x 1000 = 824.008
        (100_001, D("824.008")),
    ],
)
def test_long_context_tier_prices_the_whole_request(catalog: Catalog, input_tokens: int, expected: Decimal) -> None:
    report = workload_cost(workload(catalog, input_tokens=input_tokens, output_tokens=1000), catalog, JULY)
    assert report.monthly_cost == expected


def test_tier_with_cache_and_batch(catalog: Catalog) -> None:
    # 190000 input, half cached, all batch, 1000 output, above the 100000 tier (and within alpha's 200000 window):
    # uncached 95000 x batch_input 4 = 380000; cached 95000 x 0.8 = 76000; out 1000 x 12 = 12000
    # (380000 + 76000 + 12000) / 1e6 x 1000 = 468
    w = workload(catalog, input_tokens=190_000, output_tokens=1000, cached_input_share=0.5, batch_share=1)
    assert workload_cost(w, catalog, JULY).monthly_cost == D(468)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # 2025-06-30: first period, 10 in / 40 out: (1000 x 10 + 100 x 40) / 1e6 x 1000 = 14
        (dt.date(2025, 6, 30), D(14)),
        # 2025-07-01: second period, 4 / 16: (1000 x 4 + 100 x 16) / 1e6 x 1000 = 5.6
        (dt.date(2025, 7, 1), D("5.6")),
    ],
)
def test_price_period_on_either_side_of_a_change(catalog: Catalog, day: dt.date, expected: Decimal) -> None:
    w = workload(catalog, input_tokens=1000, output_tokens=100)
    assert workload_cost(w, catalog, day).monthly_cost == expected


def test_before_first_price_is_an_error(catalog: Catalog) -> None:
    with pytest.raises(UnpricedError, match="no price on 2024-12-31"):
        workload_cost(workload(catalog, input_tokens=1, output_tokens=1), catalog, dt.date(2024, 12, 31))


def test_unknown_price_is_never_zero(catalog: Catalog) -> None:
    with pytest.raises(UnpricedError, match="delta has no output price"):
        workload_cost(workload(catalog, model="delta", input_tokens=10, output_tokens=10), catalog, JULY)
    # a cached share on a model with no cache-read price is unpriced too, not free
    with pytest.raises(UnpricedError, match="beta has no cache-read price"):
        workload_cost(workload(catalog, model="beta", input_tokens=10, output_tokens=1, cached_input_share=0.5),
                      catalog, JULY)


def test_unknown_price_not_needed_is_fine(catalog: Catalog) -> None:
    # delta has no output price, but a stream with no output needs none: 1000 x 1000 x 1 / 1e6 = 1
    w = workload(catalog, model="delta", input_tokens=1000, output_tokens=0)
    assert workload_cost(w, catalog, JULY).monthly_cost == D(1)


def test_free_model_costs_zero(catalog: Catalog) -> None:
    w = workload(catalog, model="gamma-free", input_tokens=1000, output_tokens=1000)
    assert workload_cost(w, catalog, JULY).monthly_cost == D(0)


def test_compare_ranks_and_excludes(catalog: Catalog) -> None:
    # 1000 requests of 1000 in / 100 out. alpha (baseline): (4000 + 1600) / 1e6 x 1000 = 5.6
    # beta: (500 + 150) / 1e6 x 1000 = 0.65 -> ratio 0.65 / 5.6; gamma-free 0; delta: no output price
    w = workload(catalog, input_tokens=1000, output_tokens=100)
    report = compare(w, catalog, JULY, select_models(catalog))
    assert report.baseline_monthly_cost == D("5.6")
    assert [(c.model, c.monthly_cost) for c in report.candidates] == [
        ("gamma-free", D(0)), ("beta", D("0.65")), ("alpha", D("5.6"))]
    assert report.candidates[1].ratio_to_baseline == D("0.65") / D("5.6")
    assert [e.model for e in report.excluded] == ["delta"]
    assert "no output price" in report.excluded[0].reason


def test_select_models_filters(catalog: Catalog) -> None:
    assert [m.id for m in select_models(catalog, vendors=["zeta"])] == ["gamma-free", "delta"]
    assert [m.id for m in select_models(catalog, size_classes=["small"])] == ["beta", "gamma-free"]
    assert [m.id for m in select_models(catalog, models=["alpha-latest", "beta"])] == ["alpha", "beta"]


def test_cache_writes_billed_as_input_where_the_vendor_says_so() -> None:
    """OpenAI publishes no cache-write price: writes cost what input costs (its prompt-caching guide)."""
    from aicost.calc import workload_cost
    from aicost.catalog import load_bundled_catalog
    from aicost.workload import parse_workload

    bundled = load_bundled_catalog()
    stream = {"name": "s", "requests_per_month": 1000, "input_tokens": 1000, "cache_write_tokens": 200, "output_tokens": 0}
    day = dt.date(2026, 3, 1)
    openai = workload_cost(parse_workload({"version": 1, "streams": [{**stream, "model": "gpt-4o"}]}, "w", bundled), bundled, day)
    # gpt-4o input $2.50: uncached 800 x 2.5 / 1e6 x 1000 = $2.00; writes 200 x 2.5 / 1e6 x 1000 = $0.50
    assert (openai.breakdown.input, openai.breakdown.cache_write) == (Decimal("2"), Decimal("0.5"))
    # Anthropic publishes its own write price: claude-sonnet-4 writes at $3.75, input $3: 800 x 3 + 200 x 3.75 = $3.15
    sonnet = workload_cost(parse_workload({"version": 1, "streams": [{**stream, "model": "claude-sonnet-4"}]}, "w", bundled),
                           bundled, day)
    assert (sonnet.breakdown.input, sonnet.breakdown.cache_write) == (Decimal("2.4"), Decimal("0.75"))
    # Zhipu says neither: unknown, never $0
    with pytest.raises(UnpricedError, match=r"glm-4\.7 has no cache-write price"):
        workload_cost(parse_workload({"version": 1, "streams": [{**stream, "model": "glm-4.7"}]}, "w", bundled), bundled, day)


def test_a_request_longer_than_the_context_window_cannot_go_there(tmp_path: Any) -> None:
    """250,000 input tokens fit claude-sonnet-4 (1,000,000) but not gpt-4o (128,000): exit 2 naming the window,
    and compare excludes gpt-4o with that reason."""
    from clihelp import run_main

    stream = ["--requests-per-month", "10", "--input-tokens", "250000", "--output-tokens", "10", "--as-of", "2026-03-01"]
    result = run_main("cost", "--model", "gpt-4o", *stream)
    assert (result.exit_code, result.stderr) == (
        2, "aicost: error: stream 'gpt-4o': 250,000 input + 10 output tokens exceed gpt-4o's context window of 128,000 "
           "tokens — "
           "choose a model with a larger window, or send shorter requests\n")
    compared = run_main("compare", "--model", "claude-sonnet-4", *stream, "--models", "gpt-4o,claude-sonnet-4",
                        "--format", "json")
    document = __import__("json").loads(compared.stdout)
    assert [c["model"] for c in document["candidates"]] == ["claude-sonnet-4"]
    assert document["excluded"] == [{"model": "gpt-4o", "host": "vendor", "reason": "stream 'claude-sonnet-4': 250,000 input + 10 output "
                                                                 "tokens exceed "
                                                                 "gpt-4o's context window of 128,000 tokens"}]
    routed = run_main("route", "--model", "claude-sonnet-4", *stream, "--small", "gpt-4o-mini", "--share", "0.5")
    assert routed.exit_code == 2 and "gpt-4o-mini's context window of 128,000 tokens" in routed.stderr
