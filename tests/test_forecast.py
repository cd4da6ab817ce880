"""`aicost forecast` and `aicost breakeven`: hand-worked arithmetic on workloads of their own."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clihelp import run_main

D = Decimal
DAY = ("--as-of", "2026-11-01")  # month 1 is a whole month (a later day makes it a part month, see below)
# 100,000 requests a month on gpt-4o (2.50 / 10) of 2,000 input and 500 output tokens:
# 100,000 x (2,000 x 2.5 + 500 x 10) / 1e6 = 100,000 x 0.01 = $1,000 a month; 250 million tokens a month
WORKLOAD = """version = 1
name = "assistant"

[[streams]]
name = "chat"
model = "gpt-4o"
requests_per_month = 100000
input_tokens = 2000
output_tokens = 500
"""


def write(tmp_path: Path, text: str = WORKLOAD) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(*args: str) -> dict[str, Any]:
    result = run_main(*args, *DAY, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"))


def test_growth_compounds_and_the_command_line_overrides_a_streams_own(tmp_path: Path) -> None:
    document = run_json("forecast", write(tmp_path), "--months", "3", "--growth", "10%")
    # 1,000, 1,000 x 1.1 = 1,100, 1,000 x 1.21 = 1,210; total 3,310
    assert [(m["month"], m["monthly_cost"]) for m in document["months"]] == [
        ("2026-11", 1000), ("2026-12", 1100), ("2027-01", 1210)]
    assert document["total_cost"] == 3310
    # a second stream with its own growth of -50 % a month keeps it when the command line gives none:
    # chat 1,000 -> 1,000 -> 1,000, batch 1,000 -> 500 -> 250
    text = WORKLOAD + '\n[[streams]]\nname = "batch"\nmodel = "gpt-4o"\nrequests_per_month = 100000\n' \
        "input_tokens = 2000\noutput_tokens = 500\ngrowth = -0.5\n"
    document = run_json("forecast", write(tmp_path, text), "--months", "3")
    assert [m["monthly_cost"] for m in document["months"]] == [2000, 1500, 1250]
    # --growth 10% on the command line replaces it, as every other option replaces the file's: both streams
    # 1,000 -> 1,100 -> 1,210, twice: 2,000, 2,200, 2,420
    document = run_json("forecast", write(tmp_path, text), "--months", "3", "--growth", "10%")
    assert [m["monthly_cost"] for m in document["months"]] == [2000, 2200, 2420]
    table = run_main("forecast", write(tmp_path, text), "--months", "3", "--growth", "10%", *DAY).stdout
    assert "--growth replaces the streams' own growth: batch" in table


def test_month_1_counts_only_the_days_left_after_the_pricing_date(tmp_path: Path) -> None:
    """--as-of 2026-11-27: November has 30 days; month 1 counts the 27th to the 30th, both included: 4 days.
    $1,000 a month x 4/30 = $133.333333; December and January are whole months: 1,100 and 1,210 (growth counts
    from month 1 whatever its length)."""
    result = run_main("forecast", write(tmp_path), "--months", "3", "--growth", "10%", "--as-of", "2026-11-27",
                      "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    assert [(m["month"], m["monthly_cost"], m["days"], m["days_in_month"]) for m in document["months"]] == [
        ("2026-11", D("133.333333"), 4, 30), ("2026-12", 1100, 31, 31), ("2027-01", 1210, 31, 31)]
    # the volume is the part month's too (4/30 = 0.133333), the price as today's
    assert (document["months"][0]["volume_factor"], document["months"][0]["price_factor"]) == (D("0.133333"), 1)
    assert document["total_cost"] == D("2443.333333")  # 133.333333 + 1,100 + 1,210
    # the last day of a month counts 1 day; the first counts the whole month
    last = run_main("forecast", write(tmp_path), "--months", "1", "--as-of", "2026-12-31", "--format", "json")
    assert json.loads(last.stdout, parse_float=Decimal)["months"][0]["monthly_cost"] == D("32.258065")  # 1,000 / 31
    table = run_main("forecast", write(tmp_path), "--months", "2", "--as-of", "2026-11-27").stdout
    assert "month 1 (2026-11) counts 4 of its 30 days, from 2026-11-27 to its end: its cost is the month's x 4/30" \
        in table
    assert "2 months: $1,133.33 in all; month 1 $133.33 (4 of 30 days), month 2 $1,000.00 a month." in table


def test_a_shock_a_trend_and_elasticity(tmp_path: Path) -> None:
    # +30 % on every month, month 1 included: 1,300 a month
    document = run_json("forecast", write(tmp_path), "--months", "2", "--price-change", "+30%")
    assert [m["monthly_cost"] for m in document["months"]] == [1300, 1300]
    # a trend of -75 % a year: month 13 is 1,000 x 0.25 = 250; month 7 is 1,000 x 0.25^(6/12) = 500
    document = run_json("forecast", write(tmp_path), "--months", "13", "--price-trend", "-75%")
    months = [m["monthly_cost"] for m in document["months"]]
    assert (months[0], months[6], months[12]) == (1000, 500, 250)
    # elasticity -0.5 with prices up 44 %: volume x 1.44^-0.5 = 1 / 1.2; cost 1,000 x 1.44 / 1.2 = 1,200
    document = run_json("forecast", write(tmp_path), "--months", "1", "--price-change", "44%", "--elasticity", "-0.5")
    assert document["months"][0]["monthly_cost"] == 1200
    assert document["months"][0]["volume_factor"] == D("0.833333")


def test_scenarios_and_the_budget_check(tmp_path: Path) -> None:
    result = run_main("forecast", write(tmp_path), *DAY, "--months", "2", "--scenarios", "--max", "1400", "-f", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    by_name = {s["name"]: s for s in document["scenarios"]}
    assert [m["monthly_cost"] for m in by_name["+30 % prices"]["months"]] == [1300, 1300]
    assert by_name["+50 % prices"]["total_cost"] == 3000
    # 50x a year: month 2 is 1,000 x 0.02^(1/12) = 1,000 x e^(-3.912023 / 12) = 721.80
    assert cents(by_name["prices fall 50x a year"]["months"][1]["monthly_cost"]) == D("721.80")
    # only the +50 % months (1,500) are over 1,400: exit 1, the months named
    assert result.exit_code == 1 and document["months_over"] == ["2026-11", "2026-12"]
    assert "2 month(s) above --max $1,400.00" in result.stderr
    assert run_main("forecast", write(tmp_path), *DAY, "--months", "2", "--max", "1000").exit_code == 0
    markdown = run_main("forecast", write(tmp_path), *DAY, "--months", "2", "--scenarios", "-f", "markdown").stdout
    assert "```mermaid\nxychart-beta" in markdown and "    line [1300, 1300]" in markdown


def test_a_shock_that_starts_at_a_later_month(tmp_path: Path) -> None:
    """"Prices rise 30 % from March": November to February as today ($1,000), March and April $1,000 x 1.3 = $1,300;
    six months = 4 x 1,000 + 2 x 1,300 = 6,600."""
    document = run_json("forecast", write(tmp_path), "--months", "6", "--price-change", "+30%", "--price-change-from",
                        "2027-03")
    assert [(m["month"], m["monthly_cost"], m["price_factor"]) for m in document["months"]] == [
        ("2026-11", 1000, 1), ("2026-12", 1000, 1), ("2027-01", 1000, 1), ("2027-02", 1000, 1),
        ("2027-03", 1300, D("1.3")), ("2027-04", 1300, D("1.3"))]
    assert document["total_cost"] == 6600 and document["price_change_from"] == "2027-03"


def test_the_50x_scenario_says_what_it_cuts(tmp_path: Path) -> None:
    table = run_main("forecast", write(tmp_path), "--months", "2", "--scenarios", *DAY).stdout
    assert ("prices fall 50x a year: the current models' own prices cut by a -98 % yearly trend; the articles' 50x is "
            "the price of equal capability, reached by moving to newer models") in table.replace("\n", " ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--months", "0"], "--months"),
        (["--growth", "-100%"], "--growth -100%: must be above -100 %"),
        (["--growth", "-150%"], "--growth -150%: must be above -100 %"),
        (["--price-trend", "lots"], "--price-trend lots: not a number"),
        (["--elasticity", "-99"], "--elasticity -99: must be between -10 and 10"),
        (["--scenarios", "--price-change", "10%"], "drop --price-change and --price-trend"),
    ],
)
def test_forecast_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_main("forecast", write(tmp_path), *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr


def test_subscription_break_even(tmp_path: Path) -> None:
    document = run_json("breakeven", "subscription", write(tmp_path), "--seats", "100")
    # 1,000 / 100 seats = 10 a seat, under the 20 default: the API is cheaper; a request costs 0.01, so a seat
    # breaks even at 20 / 0.01 = 2,000 requests a month (each seat sends 1,000)
    assert (document["api_cost_per_seat"], document["seat_price"], document["cheaper"]) == (10, 20, "api")
    assert (document["break_even_requests_per_seat"], document["requests_per_seat"]) == (2000, 1000)
    document = run_json("breakeven", "subscription", write(tmp_path), "--seats", "40", "--seat-price", "20")
    assert (document["api_cost_per_seat"], document["cheaper"]) == (25, "subscription")
    euros = run_json("breakeven", "subscription", write(tmp_path), "--seats", "100", "--currency", "EUR")
    assert euros["seat_price"] == D("17.544")  # USD 20 x 0.8772


def test_self_host_break_even(tmp_path: Path) -> None:
    document = run_json("breakeven", "self-host", write(tmp_path), "--gpu-hourly", "2", "--tokens-per-second", "1000",
                        "--utilization", "50%", "--models", "gpt-4o,deepseek-v2,gpt-4o-mini", "--quality", "80%")
    # a GPU serves 1,000 x 3,600 x 0.5 = 1.8 million tokens an hour: 2 / 1.8 = 1.111... per million tokens
    assert document["self_host_cost_per_mtok"].quantize(D("0.000001")) == D("1.111111")
    # 250 million tokens a month; one GPU serves 1.8 x 730 = 1,314: one GPU, 2 x 730 = 1,460 a month
    assert (document["workload_mtok"], document["gpus"], document["monthly_cost"]) == (250, 1, 1460)
    models = {m["model"]: m for m in document["models"]}
    # gpt-4o: 1,000 / 250 = 4 per million tokens; the GPU's 1,460 pays above 1,460 / 4 = 365 million tokens
    assert (models["gpt-4o"]["cost_per_mtok"], models["gpt-4o"]["break_even_mtok"]) == (4, 365)
    # gpt-4o-mini (0.15 / 0.60): 100,000 x (2,000 x 0.15 + 500 x 0.6) / 1e6 = 60 a month, 0.24 per million tokens,
    # below the GPU's 1.11 even at full use: never
    assert (models["gpt-4o-mini"]["cost_per_mtok"], models["gpt-4o-mini"]["break_even_mtok"]) == (D("0.24"), None)
    assert document["quality"] == D("0.8")
    table = run_main("breakeven", "self-host", write(tmp_path), "--gpu-hourly", "2", "--tokens-per-second", "1000",
                     "--utilization", "50%", "--models", "gpt-4o-mini", *DAY).stdout
    assert "never" in table


# 320,000 requests a month on gpt-4o of 2,000 in and 500 out: 320,000 x 2,500 = 800 million tokens, $3,200 a month,
# 4 per million tokens.  A GPU at $3.20 an hour costs 3.2 x 730 = $2,336 a month; at 1,000 tokens a second busy 30 %
# it serves 1,000 x 3,600 x 730 x 0.3 / 1e6 = 788.4 million tokens a month — 800 is just above it: 2 GPUs.
JUST_ABOVE = WORKLOAD.replace("requests_per_month = 100000", "requests_per_month = 320000")
GPU = ("--gpu-hourly", "3.20", "--utilization", "30%", "--models", "gpt-4o")


def test_self_hosting_just_above_one_gpus_capacity_is_dearer(tmp_path: Path) -> None:
    """The issue's shape: one GPU pays from 2,336 / 4 = 584 million tokens, but 800 needs two GPUs, $4,672 against
    the API's $3,200.  Cheaper in step n (n GPUs, volume in ((n-1)c, nc]) above n x 584:
      n = 1: (584, 788.4];  n = 2: (1,168, 1,576.8];  n = 3: from 1,752, and 1,752 <= 2 x 788.4 = 1,576.8? no:
      (1,752, 2,365.2];  n = 4: 4 x 584 = 2,336 <= 3 x 788.4 = 2,365.2: the steps join — cheaper for good above
      the start of step 3, 3 x 584 = 1,752."""
    document = run_json("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU,
                        "--tokens-per-second", "1000")
    assert (document["workload_mtok"], document["gpus_needed"], document["gpus"], document["monthly_cost"]) == (
        800, 2, 2, 4672)
    assert document["capacity_per_gpu_mtok"] == D("788.4")
    assert document["self_host_cost_per_mtok"] == D("2.962963")  # 3.2 / (1,000 x 3,600 x 0.3 / 1e6) = 3.2 / 1.08
    gpt = document["models"][0]
    assert (gpt["monthly_cost"], gpt["cost_per_mtok"], gpt["break_even_mtok"]) == (3200, 4, 1752)
    assert gpt["cheaper_intervals"] == [{"from_mtok": 584, "to_mtok": D("788.4")},
                                        {"from_mtok": 1168, "to_mtok": D("1576.8")}]
    assert gpt["cheaper_intervals_left_off"] == 0
    table = run_main("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU, "--tokens-per-second", "1000",
                     *DAY).stdout
    assert "584.00 to 788.40, 1,168.00 to 1,576.80 and above 1,752.00" in table
    assert "At this volume the GPUs cost less than 0 of 1 API models" in table  # $4,672 > $3,200
    assert "per million tokens at the stated utilisation" in table and "full use" not in table


def test_prefill_and_decode_throughputs_are_separate(tmp_path: Path) -> None:
    """Prefill 4,000 tokens a second, decode 250: the mix is 2,000 in and 500 out (80 % input), so a GPU spends
    0.8 / 4,000 + 0.2 / 250 = 0.0002 + 0.0008 = 0.001 s a token: 1,000 tokens a second — the same GPU as above."""
    document = run_json("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU,
                        "--prefill-tokens-per-second", "4000", "--decode-tokens-per-second", "250")
    text = run_main("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU,
                    "--prefill-tokens-per-second", "4000", "--decode-tokens-per-second", "250", *DAY).stdout
    # --tokens-per-second is the shorthand for both; either may replace it: decode 250, prefill 1,000 ->
    # 0.8 / 1,000 + 0.2 / 250 = 0.0016 s a token: 625 tokens a second
    shorthand = run_json("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU,
                         "--tokens-per-second", "1000", "--decode-tokens-per-second", "250")
    missing = run_main("breakeven", "self-host", write(tmp_path, JUST_ABOVE), *GPU,
                       "--prefill-tokens-per-second", "4000")
    assert (document["tokens_per_second"], document["prefill_tokens_per_second"], document["decode_tokens_per_second"],
            document["input_share"]) == (1000, 4000, 250, D("0.8"))
    assert document["models"][0]["break_even_mtok"] == 1752
    assert "1000 tokens/s for this mix: 1 / (80.0 % input / 4000 prefill + 20.0 % output / 250 decode)" in text
    assert shorthand["tokens_per_second"] == 625
    assert missing.exit_code == 2 and missing.stderr == (
        "aicost: error: --decode-tokens-per-second: a GPU's throughput is needed — give --tokens-per-second for both, "
        "or --prefill-tokens-per-second and --decode-tokens-per-second\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--gpu-hourly", "2", "--tokens-per-second", "0", "--utilization", "50%"], "must be more than 0 tokens"),
        (["--gpu-hourly", "2", "--tokens-per-second", "1000", "--utilization", "0"], "must be above 0 and at most 1"),
        (["--gpu-hourly", "2", "--tokens-per-second", "1000", "--utilization", "150%"], "--utilization 150%"),
        (["--gpu-hourly", "2", "--tokens-per-second", "fast", "--utilization", "50%"], "--tokens-per-second fast"),
        (["--gpu-hourly", "-2", "--tokens-per-second", "1000", "--utilization", "50%"], "--gpu-hourly -2"),
    ],
)
def test_self_host_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_main("breakeven", "self-host", write(tmp_path), *args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_held_out_refusals_and_the_first_gpu(tmp_path: Path) -> None:
    # a missing required option is typer's "Missing option", exit 2, not an internal error
    result = run_main("breakeven", "self-host", write(tmp_path), "--tokens-per-second", "2500", "--utilization", "60%")
    assert result.exit_code == 2 and "--gpu-hourly" in result.stderr and "internal error" not in result.stderr
    # ten times the traffic (2,500 million tokens a month) needs 2 GPUs of 1,314; self-hosting still beats gpt-4o
    # (4 per million tokens) from the volume one GPU costs: 1,460 / 4 = 365 million tokens
    big = WORKLOAD.replace("requests_per_month = 100000", "requests_per_month = 1000000")
    document = run_json("breakeven", "self-host", write(tmp_path, big), "--gpu-hourly", "2", "--tokens-per-second",
                        "1000", "--utilization", "50%", "--models", "gpt-4o")
    assert (document["gpus"], document["models"][0]["break_even_mtok"]) == (2, 365)
    # a forecast that runs past any budget is refused rather than printed with hundreds of digits
    result = run_main("forecast", write(tmp_path), "--months", "120", "--growth", "10000%")
    assert result.exit_code == 2 and "by month 7 — lower --growth, or the months" in result.stderr
    # a shock is named as the shock, not as a growth of 0: 1e12 requests a day of 1e6 input tokens at $0.75 per
    # million = 1e12 x 730 / 24 x 0.75 = $2.28e13 a month, x 101 passes 1e15 in month 1
    result = run_main("forecast", "--model", "gemini-3.6-flash", "--requests-per-day", "1000000000000",
                      "--input-tokens", "1000000", "--output-tokens", "0", *DAY, "--months", "1",
                      "--price-change", "10000%", "--growth", "0")
    assert result.stderr == ("aicost: error: the forecast passes 1,000,000,000,000,000 a month by month 1 — lower "
                             "--price-change, or the months\n")
    result = run_main("forecast", write(tmp_path), "--growth", "20000%")
    assert result.exit_code == 2 and "must be between -100 % and +10,000 %" in result.stderr
    result = run_main("breakeven", "subscription", write(tmp_path), "--seat-price", "-20")
    assert result.exit_code == 2 and "--seat-price -20: must not be negative" in result.stderr


def test_a_retirement_inside_the_forecast_stops_it(tmp_path: Path) -> None:
    """deepseek-chat retires on 2026-07-24: July and August have days without a price, so the forecast stops
    (exit 2) and names the months it can give (June alone) and the successor; a window before the retirement runs."""
    stream = ["--model", "deepseek-chat", "--requests-per-day", "100", "--input-tokens", "100", "--output-tokens", "10",
              "--as-of", "2026-06-01"]
    result = run_main("forecast", *stream, "--months", "3", "--max", "1000000")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == ("aicost: error: deepseek-chat is retired on 2026-07-24, inside this forecast (to 2026-08): "
                             "its later days have no price — forecast --months 1 (to 2026-06), or move its traffic to "
                             "deepseek-v4-flash\n")
    assert run_main("forecast", *stream, "--months", "1").exit_code == 0


# gemini-3.6-flash: 0.75 / 3.75 until 2026-12-31, 1.50 / 7.50 from 2027-01-01 (the bundled catalog).
GEMINI = ("--model", "gemini-3.6-flash", "--requests-per-day", "4000", "--input-tokens", "3000", "--output-tokens", "500")


def test_each_month_is_priced_at_the_period_in_force_that_month() -> None:
    """The budget gate of the issue: 4,000 requests a day = 4,000 x 730 / 24 = 121,666.67 requests a month.
    Until 2026-12-31: (3,000 x 0.75 + 500 x 3.75) / 1e6 = 0.004125 a request → $501.875 a month.
    From 2027-01-01:  (3,000 x 1.50 + 500 x 7.50) / 1e6 = 0.00825 a request  → $1,003.75 a month (> $1,000)."""
    result = run_main("forecast", *GEMINI, "--months", "4", "--max", "1000", *DAY, "--format", "json")
    assert result.exit_code == 1, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert [(m["month"], cents(m["monthly_cost"]), m["price_factor"]) for m in document["months"]] == [
        ("2026-11", D("501.88"), 1), ("2026-12", D("501.88"), 1), ("2027-01", D("1003.75"), 2),
        ("2027-02", D("1003.75"), 2)]
    # 2 x 501.875 + 2 x 1,003.75 = 3,011.25
    assert cents(document["total_cost"]) == D("3011.25")
    assert document["months_over"] == ["2027-01", "2027-02"]
    assert document["catalog_price_changes"] == [{"model": "gemini-3.6-flash", "since": "2027-01-01"}]
    assert "2 month(s) above --max $1,000.00: 2027-01, 2027-02" in result.stderr
    # two months, both before the new price: within budget
    assert run_main("forecast", *GEMINI, "--months", "2", "--max", "1000", *DAY).exit_code == 0


def test_a_shock_applies_on_top_of_the_catalog_and_from_its_month() -> None:
    """--price-change +10% --price-change-from 2027-02: November to January as the catalog says, February
    1,003.75 x 1.1 = 1,104.125; with --elasticity -0.5 February's volume is (2 x 1.1)^-0.5 against today's (the
    catalog's doubling counts as a price change too): 501.875 x 2.2^0.5 = 501.875 x 1.4832397 = 744.40."""
    document = run_json("forecast", *GEMINI, "--months", "4", "--price-change", "+10%", "--price-change-from", "2027-02")
    assert [m["monthly_cost"].quantize(D("0.001")) for m in document["months"]] == [
        D("501.875"), D("501.875"), D("1003.750"), D("1104.125")]
    assert document["price_change_from"] == "2027-02"
    document = run_json("forecast", *GEMINI, "--months", "4", "--price-change", "+10%", "--price-change-from", "2027-02",
                        "--elasticity", "-0.5")
    assert cents(document["months"][3]["monthly_cost"]) == D("744.40")
    assert document["months"][3]["volume_factor"] == D("0.674200")  # 2.2^-0.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--price-change-from", "2027-02"], "--price-change-from 2027-02: times a price shock — add --price-change"),
        (["--price-change", "5%", "--price-change-from", "2027-05"],
         "--price-change-from 2027-05: must be a month of the forecast, from 2026-11 to 2027-02"),
        (["--price-change", "5%", "--price-change-from", "2026-10"], "must be a month of the forecast"),
        (["--price-change", "5%", "--price-change-from", "2027-13"], "--price-change-from 2027-13: is not a month"),
    ],
)
def test_price_change_from_refusals(args: list[str], message: str) -> None:
    result = run_main("forecast", *GEMINI, "--months", "4", *DAY, *args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


MID_MONTH = """catalog_version = "2099.1.0"
released = 2099-01-01
[[vendors]]
vendor = "acme"
[[vendors.models]]
id = "m"
class = "small"
context_window = 100000
[[vendors.models.periods]]
since = 2099-01-01
input = 1
output = 1
source = "test"
checked = 2099-01-01
[[vendors.models.periods]]
since = 2099-02-11
input = 3
output = 3
source = "test"
checked = 2099-01-01
"""


def test_a_price_that_changes_inside_a_month_is_weighted_by_its_days(tmp_path: Path) -> None:
    """1,000 requests a month of 1,000 tokens in and out: $2 a month at 1/1, $6 at 3/3.  February 2099 has 28 days:
    10 at the old price, 18 at the new: 2 x 10/28 + 6 x 18/28 = (20 + 108) / 28 = 4.571428...  Month 1 (January,
    from --as-of 2099-01-20) is a part month, 20 to 31 = 12 of 31 days: 2 x 12/31 = 0.774194; March: 6."""
    catalog = tmp_path / "c.toml"
    catalog.write_text(MID_MONTH, encoding="utf-8")
    result = run_main("forecast", "--model", "m", "--requests-per-month", "1000", "--input-tokens", "1000",
                      "--output-tokens", "1000", "--catalog", str(catalog), "--as-of", "2099-01-20", "--months", "3",
                      "--format", "json")
    assert result.exit_code == 0, result.stderr
    costs = [m["monthly_cost"] for m in json.loads(result.stdout, parse_float=Decimal)["months"]]
    assert costs[0] == D("0.774194") and costs[2] == 6 and cents(costs[1]) == D("4.57")
    # month 1 counts from the as-of date: from 2099-02-20 (9 days of February left, all at 3/3) it is $6
    result = run_main("forecast", "--model", "m", "--requests-per-month", "1000", "--input-tokens", "1000",
                      "--output-tokens", "1000", "--catalog", str(catalog), "--as-of", "2099-02-05", "--months", "1",
                      "--format", "json")
    # 2099-02-05 to 2099-02-28: 24 days, 6 at $2 and 18 at $6: the rate (12 + 108) / 24 = 5 a month, for 24 of
    # February's 28 days: 5 x 24/28 = 4.285714
    assert json.loads(result.stdout, parse_float=Decimal)["months"][0]["monthly_cost"] == D("4.285714")


def test_scenarios_on_top_of_the_catalog_from_a_month() -> None:
    """--scenarios --price-change-from 2027-02: the +30 % and +50 % rises start in February, on top of January's
    catalog doubling: 1,003.75 x 1.3 = 1,304.875 and 1,003.75 x 1.5 = 1,505.625; January is 1,003.75 in both."""
    document = run_json("forecast", *GEMINI, "--months", "4", "--scenarios", "--price-change-from", "2027-02")
    by_name = {s["name"]: [m["monthly_cost"].quantize(D("0.001")) for m in s["months"]] for s in document["scenarios"]}
    assert by_name["+30 % prices"] == [D("501.875"), D("501.875"), D("1003.750"), D("1304.875")]
    assert by_name["+50 % prices"][2:] == [D("1003.750"), D("1505.625")]


STREAM = ("--model", "gpt-4o", "--requests-per-day", "10", "--input-tokens", "10", "--output-tokens", "1")


@pytest.mark.parametrize(("extra", "env", "fix"), [
    # 9999-12 is month index 9999*12+11; the last month a forecast may reach is 9999-11 (the day after it, 9999-12-01,
    # is still a date): from 9999-12 not one month fits, from 9999-01 only 11 (January to November), from 9990-01
    # 9 years and 11 months = 119
    (("--as-of", "9999-12-31"), None, "give an earlier --as-of"),
    (("--as-of", "9999-12-01", "--scenarios"), None, "give an earlier --as-of"),
    (("--as-of", "9999-01-01", "--months", "120"), None, "give --months 11 or fewer, or an earlier --as-of"),
    (("--as-of", "9990-01-01", "--months", "120"), None, "give --months 119 or fewer, or an earlier --as-of"),
    ((), {"AICOST_AS_OF": "9999-12-31"}, "give an earlier --as-of"),
])
def test_a_forecast_past_the_last_date_is_refused_naming_the_limit(extra: tuple[str, ...], env: dict[str, str] | None,
                                                                    fix: str) -> None:
    result = run_main("forecast", *STREAM, *extra, env=env)
    assert result.exit_code == 2, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("aicost: error: --months: the forecast from 999") and "would run past 9999-11" in line
    assert line.endswith(fix)


def test_a_forecast_ending_in_the_last_month_runs() -> None:
    result = run_main("forecast", *STREAM, "--as-of", "9999-11-30", "--months", "1", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [month["month"] for month in json.loads(result.stdout)["months"]] == ["9999-11"]


def test_cheaper_volumes_from_a_floor_of_gpus_and_the_bands_left_off() -> None:
    from aicost.breakeven import cheaper_volumes

    # at least 2 GPUs of 788.4 (2,336 a month each) against 4 per million tokens: 2 GPUs cover (0, 1,576.8] and
    # pay above 2 x 584 = 1,168; 3 GPUs pay above 1,752 (> 1,576.8: a gap); 4 x 584 = 2,336 <= 3 x 788.4 = 2,365.2
    # joins the steps: always cheaper above 1,752
    floor = cheaper_volumes(D(2336), D("788.4"), D(4), least=2)
    assert (floor.intervals, floor.left_off, floor.always_above) == (((1168, D("1576.8")),), 0, 1752)
    # a GPU a hair cheaper per token than the API (1.001 against 1 per unit of capacity): the steps join only from
    # M = 1.001 / 0.001 = 1,001 GPUs; 999 bands before it, 100 listed, 899 left off; always above 1,000 / 1.001
    thin = cheaper_volumes(D(1), D(1), D("1.001"))
    assert (len(thin.intervals), thin.left_off, thin.intervals[0]) == (100, 899, (D(1) / D("1.001"), 1))
    assert thin.always_above == D(1000) / D("1.001")
    # the API no dearer per token than a busy GPU: never, at any volume
    assert cheaper_volumes(D(2336), D("584"), D(4)) == ((), 0, None)


def test_subscription_seats_for_the_heavy_users_only_beat_both(tmp_path: Path) -> None:
    """A request of the workload costs $0.01 (2,000 x 2.5 + 500 x 10) / 1e6.  40 light users sending 200 requests a
    month cost $2 each on the API, 10 heavy ones sending 3,000 cost $30 each; a seat is $20.
      all on the API: 40 x 2 + 10 x 30 = 80 + 300 = $380;  a seat for everyone: 50 x 20 = $1,000;
      seats for the heavy only: 80 + 10 x 20 = $280 — cheaper than both."""
    document = run_json("breakeven", "subscription", write(tmp_path), "--users", "light:40:200,heavy:10:3000")
    assert (document["seats"], document["monthly_cost"], document["all_seats_monthly_cost"]) == (50, 380, 1000)
    assert (document["best"], document["best_monthly_cost"]) == ("mix", 280)
    # the average seat (38,000 requests / 50 = 760, $7.60) says the API — the answer an average gives
    assert (document["requests_per_seat"], document["api_cost_per_seat"], document["cheaper"]) == (760, D("7.6"), "api")
    assert [(g["name"], g["api_monthly_cost"], g["seats_monthly_cost"], g["cheaper"]) for g in document["groups"]] == [
        ("light", 80, 800, "api"), ("heavy", 300, 200, "subscription")]
    table = run_main("breakeven", "subscription", write(tmp_path), "--users", "light:40:200,heavy:10:3000", *DAY).stdout
    assert ("All on the API $380.00 a month; a seat for everyone $1,000.00; best: seats for heavy only, the others on "
            "the API, $280.00 a month.") in table
    # per day: 100 requests a day = 100 x 730 / 24 = 3,041.67 a month, $30.42 on the API: everyone on a seat when all
    # are heavy — 5 x 20 = $100 against 5 x 30.416667 = $152.083333
    document = run_json("breakeven", "subscription", write(tmp_path), "--users", "heavy:5:100/day")
    assert (document["best"], document["best_monthly_cost"], document["monthly_cost"]) == (
        "subscription", 100, D("152.083333"))
    # without groups the best is the cheaper of all-API and all-seats: 100 seats at $20 = $2,000 against $1,000
    document = run_json("breakeven", "subscription", write(tmp_path), "--seats", "100")
    assert (document["best"], document["best_monthly_cost"], "groups" in document) == ("api", 1000, False)


@pytest.mark.parametrize(("args", "message"), [
    (["--users", "light:40"], "--users light:40: 'light:40' is not NAME:USERS:REQUESTS"),
    (["--users", "light:0:200"], "light: the users must be a whole number from 1 to 100,000,000, got '0'"),
    (["--users", "light:4:lots"], "light: the requests must be a number of requests a month per user"),
    (["--users", "a:1:1,a:2:2"], "the group 'a' is given twice"),
    (["--users", "a:1:1", "--seats", "5"], "--seats 5: the seats are the --users groups' — give --seats or --users"),
])
def test_subscription_group_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_main("breakeven", "subscription", write(tmp_path), *args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr


@settings(max_examples=150, deadline=None)
@given(gpu_month=st.integers(100, 5000), capacity=st.integers(50, 3000), per_mtok_20ths=st.integers(1, 400),
       least=st.integers(1, 4), volume_share=st.integers(1, 399))
def test_cheaper_volumes_agree_with_counting_whole_gpus(gpu_month: int, capacity: int, per_mtok_20ths: int,
                                                        least: int, volume_share: int) -> None:
    """At any volume V, self-hosting is cheaper exactly when max(least, ceil(V / c)) GPUs cost less than p x V."""
    from aicost.breakeven import cheaper_volumes

    g, c, p = D(gpu_month), D(capacity), D(per_mtok_20ths) / 20
    found = cheaper_volumes(g, c, p, least)
    volume = ((found.always_above or D(0)) * 2 + 5 * c * least) * volume_share / 400
    gpus = max(least, math.ceil(volume / c))
    if found.always_above is None:
        predicted: bool | None = False
    elif volume > found.always_above:
        predicted = True
    elif found.left_off:
        predicted = None  # a band not listed
    else:
        predicted = any(low < volume <= high for low, high in found.intervals)
    if predicted is not None:
        assert predicted == (gpus * g < p * volume)
