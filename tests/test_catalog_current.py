"""The bundled catalog 2026.12.1 kept current on 2026-12-07: the models added in this release priced on their
dates (and not before them), the announced OpenAI shutdowns honoured on both sides of each date, forecasts
stopped by a retirement inside them, and `pricing list --current` naming the newest model of the touched
families. Every figure is worked out by hand in the comment beside it."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from aicost.catalog import load_bundled_catalog
from clihelp import run_main

# 1,000 requests a month of 1,000 input and 1,000 output tokens: 1e6 input and 1e6 output tokens, so the monthly
# cost is the model's input price plus its output price per million.
MILLION_EACH = ("--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "1000")


def monthly(model: str, day: str) -> Decimal:
    result = run_main("cost", "--model", model, *MILLION_EACH, "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.stderr
    value: Decimal = json.loads(result.stdout, parse_float=Decimal)["monthly_cost"]
    return value


def refused(model: str, day: str) -> str:
    result = run_main("cost", "--model", model, *MILLION_EACH, "--as-of", day)
    assert result.exit_code == 2 and result.stdout == ""
    return result.stderr


def test_the_release_is_2026_12_1() -> None:
    catalog = load_bundled_catalog()
    assert (catalog.version, str(catalog.released)) == ("2026.12.1", "2026-12-07")


@pytest.mark.parametrize(("model", "day", "expected"), [
    ("gemini-3.7-flash", "2026-08-13", "4.5"),       # 0.75 + 3.75, introductory, from its release
    ("gemini-3.7-flash", "2026-12-31", "4.5"),       # still introductory on the last day of 2026
    ("gemini-3.7-flash", "2027-01-01", "9"),         # 1.50 + 7.50 from 2027-01-01
    ("qwen3.8-max", "2026-12-07", "8"),              # 2.00 + 6.00 (international list)
    ("qwen3.8-flash", "2026-12-07", "0.62"),         # 0.15 + 0.47 (the vendor's 0.15, not the 0.16 of listings)
    ("gemini-3.5-flash-lite", "2026-07-21", "2.8"),  # 0.30 + 2.50 from its release, no longer from 2026-11-27
    ("glm-5.3-flash", "2026-08-26", "0.325"),        # 0.075 + 0.25, the launch promotion (50 % off)
    ("glm-5.3-flash", "2026-09-09", "0.325"),        # the promotion's last day (it ends 16:00 UTC)
    ("glm-5.3-flash", "2026-09-10", "0.65"),         # 0.15 + 0.50, the list price
])
def test_the_new_models_and_dates_are_priced(model: str, day: str, expected: str) -> None:
    assert monthly(model, day) == Decimal(expected)


def test_a_model_is_not_priced_before_its_release() -> None:
    # unknown is never $0: the day before each release is refused, naming the model
    for model, day in (("gemini-3.7-flash", "2026-08-12"), ("qwen3.8-max", "2026-08-02"),
                       ("qwen3.8-flash", "2026-08-25"), ("gemini-3.5-flash-lite", "2026-07-20"),
                       ("glm-5.3-flash", "2026-08-25")):
        assert model in refused(model, day)


def test_cache_reads_and_batch_of_the_new_models() -> None:
    # Gemini 3.7 Flash, all 1e6 input tokens read from the cache and no output: 1e6 x 0.075 / 1e6 = 0.075
    cached = ("--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "0",
              "--cached-input-share", "1", "--format", "json")
    result = run_main("cost", "--model", "gemini-3.7-flash", *cached, "--as-of", "2026-12-07")
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("0.075")
    # Qwen3.8-Flash: 1e6 x 0.016 / 1e6 = 0.016; Qwen3.8-Max has no cache-read price (the sources disagree): refused
    result = run_main("cost", "--model", "qwen3.8-flash", *cached, "--as-of", "2026-12-07")
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("0.016")
    assert run_main("cost", "--model", "qwen3.8-max", *cached, "--as-of", "2026-12-07").exit_code == 2
    # Gemini 3.7 Flash in the Batch API: 0.375 + 1.875 = 2.25 (half of 4.50)
    result = run_main("cost", "--model", "gemini-3.7-flash", *MILLION_EACH, "--batch-share", "1", "--as-of",
                      "2026-12-07", "--format", "json")
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("2.25")


@pytest.mark.parametrize(("model", "last_day", "price", "retired", "use"), [
    ("o3", "2026-12-10", "10", "2026-12-11", "use gpt-5.6-sol"),          # 2.00 + 8.00
    ("gpt-5", "2026-12-10", "11.25", "2026-12-11", "use gpt-5.6-sol"),    # 1.25 + 10.00
    ("gpt-5-mini", "2026-12-10", "2.25", "2026-12-11", "choose another model"),  # 0.25 + 2.00
    ("gpt-5-nano", "2026-12-10", "0.45", "2026-12-11", "choose another model"),  # 0.05 + 0.40
    ("o4-mini", "2026-10-22", "5.5", "2026-10-23", "choose another model"),      # 1.10 + 4.40
    ("gpt-4.1-nano", "2026-10-22", "0.5", "2026-10-23", "choose another model"),  # 0.10 + 0.40
])
def test_each_shutdown_is_honoured_on_both_sides_of_its_date(model: str, last_day: str, price: str, retired: str,
                                                            use: str) -> None:
    assert monthly(model, last_day) == Decimal(price)
    assert refused(model, retired) == f"aicost: error: {model} was retired on {retired} — {use}\n"
    # the dated snapshot alias goes with it
    alias = load_bundled_catalog().resolve(model).aliases[0]
    assert refused(alias, retired) == f"aicost: error: {model} was retired on {retired} — {use}\n"


def test_the_source_articles_models_stay_priceable_early_in_2026() -> None:
    # gpt-4o 2.50 + 10, gpt-5.2-pro 21 + 168: untouched by this release's retirements
    assert monthly("gpt-4o", "2026-02-15") == Decimal("12.5")
    assert monthly("gpt-5.2-pro", "2026-02-15") == Decimal("189")


def test_a_forecast_stops_at_o3s_shutdown() -> None:
    stream = ("--model", "o3", "--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "1000",
              "--as-of", "2026-11-01")
    # November is priced (2.00 + 8.00 = $10); December holds the shutdown on the 11th: the forecast stops
    result = run_main("forecast", *stream, "--months", "2")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("aicost: error: o3 is retired on 2026-12-11, inside this forecast (to 2026-12): its later "
                             "days have no price — forecast --months 1 (to 2026-11), or move its traffic to "
                             "gpt-5.6-sol\n")
    one = run_main("forecast", *stream, "--months", "1", "--format", "json")
    assert one.exit_code == 0, one.stderr
    assert [m["monthly_cost"] for m in json.loads(one.stdout, parse_float=Decimal)["months"]] == [10]


def current(day: str) -> dict[str, str]:
    listed = json.loads(run_main("pricing", "list", "--current", "--as-of", day, "--format", "json").stdout)
    return {row["family"]: row["model"] for row in listed["models"]}


def test_current_names_the_new_models_and_drops_the_retired_ones() -> None:
    today = current("2026-12-07")
    assert today["qwen3-max"] == "qwen3.8-max"      # was qwen3-max and qwen3-max-intl (2025-09-05)
    assert today["qwen-flash"] == "qwen3.8-flash"   # was qwen-flash (2025-07-28)
    assert today["gemini-flash"] == "gemini-3.8-flash"  # 3.7 Flash (2026-08-13) is older than 3.8 (2026-09-02)
    assert today["gemini-flash-lite"] == "gemini-3.5-flash-lite"
    assert today["o-series"] == "o3"                # still sold until 2026-12-10
    assert "o-mini" not in today                    # o4-mini shut down on 2026-10-23, no newer o-mini
    assert today["gpt-nano"] == "gpt-5.4-nano"
    assert today["glm-flash"] == "glm-5.3-flash"    # was the free glm-4.7-flash (2026-01-19), still sold
    after = current("2026-12-11")
    assert "o-series" not in after                  # o3 shut down, no newer o-series model
    assert after["gpt"] == "gpt-6.1-sol"


@pytest.mark.parametrize(("model", "expected"), [
    # 1,000 requests a month of 300,000 input (100,000 of them cached) + 2,000 output, all above the 272K threshold,
    # so the whole request is at the long-context tier:
    # gpt-6-astra: (200,000 x 20 + 100,000 x 2 + 2,000 x 75) / 1e6 = (4,000,000 + 200,000 + 150,000) / 1e6 = 4.35
    ("gpt-6-astra", "4350"),
    # gpt-6-sol: (200,000 x 4 + 100,000 x 0.40 + 2,000 x 15) / 1e6 = (800,000 + 40,000 + 30,000) / 1e6 = 0.87
    ("gpt-6-sol", "870"),
    # gpt-6-luna: (200,000 x 0.20 + 100,000 x 0.02 + 2,000 x 0.75) / 1e6 = (40,000 + 2,000 + 1,500) / 1e6 = 0.0435
    ("gpt-6-luna", "43.5"),
])
def test_gpt_6_long_requests_are_billed_at_the_long_context_tier(model: str, expected: str) -> None:
    result = run_main("cost", "--model", model, "--requests-per-month", "1000", "--input-tokens", "300000",
                      "--output-tokens", "2000", "--cached-input-share", "0.3333333333333333333333333333",
                      "--as-of", "2026-12-07", "--format", "json")
    assert result.exit_code == 0, result.stderr
    [stream] = json.loads(result.stdout, parse_float=Decimal)["streams"]
    assert stream["long_context_tier_above"] == 272000
    assert Decimal(stream["monthly_cost"]).quantize(Decimal("0.01")) == Decimal(expected).quantize(Decimal("0.01"))
