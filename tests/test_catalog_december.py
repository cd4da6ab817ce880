"""The bundled catalog 2026.12.0 on 2026-12-07: a current model of each vendor priced, the retired ones refused
with their successor, the newest of each family, rates dated after June 2026, and the catalog's age and
freshness hint. Every figure is worked out by hand in the comment beside it."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from aicost.catalog import load_bundled_catalog, stale_catalog_hint
from clihelp import run_main

DAY = ("--as-of", "2026-12-07")
# 1,000 requests a month of 1,000 input and 1,000 output tokens: 1e6 input and 1e6 output tokens, so the monthly
# cost is the model's input price plus its output price per million.
MILLION_EACH = ("--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "1000")


def monthly(model: str, *args: str) -> Decimal:
    result = run_main("cost", "--model", model, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    value: Decimal = json.loads(result.stdout, parse_float=Decimal)["monthly_cost"]
    return value


@pytest.mark.parametrize(("model", "expected"), [
    ("claude-opus-5-5", "24"),          # 4 + 20
    ("claude-sonnet-5-5", "12"),        # 2 + 10
    ("claude-opus-5", "30"),            # 5 + 25
    ("gpt-6-sol", "12"),                # 2 + 10
    ("gpt-6.1-sol", "12"),              # 2 + 10
    ("gpt-5.5-pro", "210"),             # 30 + 180
    ("gemini-3.8-flash", "4.5"),        # 0.75 + 3.75 (introductory price)
    ("deepseek-flash", "1.5"),          # 0.30 + 1.20, peak (standard) rates
    ("deepseek-v4-flash", "1.5"),       # the legacy name, billed at deepseek-flash's prices since 2026-09-10
    ("deepseek-v4-pro", "5.28"),        # 1.32 + 3.96, peak

    ("glm-5.1", "5.8"),                 # 1.40 + 4.40
    ("glm-5.3", "5.8"),                 # 1.40 + 4.40
    ("qwen3.5-plus-intl", "2.8"),       # 0.40 + 2.40
])
def test_a_current_model_of_each_vendor_is_priced(model: str, expected: str) -> None:
    assert monthly(model, *MILLION_EACH, *DAY) == Decimal(expected)


def test_tiers_and_scheduled_prices_of_the_new_models() -> None:
    # Haiku 5.5, 150,000 input tokens: over 100K, the whole request at 0.50 / 2.50:
    # 1,000 x (150,000 x 0.50 + 1,000 x 2.50) / 1e6 = 75 + 2.50 = 77.50 (at 0.10 / 0.50 it would be 15.50)
    long_prompts = ("--requests-per-month", "1000", "--input-tokens", "150000", "--output-tokens", "1000")
    assert monthly("claude-haiku-5-5", *long_prompts, *DAY) == Decimal("77.5")
    assert monthly("claude-haiku-5-5", *MILLION_EACH, *DAY) == Decimal("0.6")  # 0.10 + 0.50
    # GPT-5.5 Pro over 272K: 1,000 x (300,000 x 60 + 1,000 x 270) / 1e6 = 18,000 + 270 = 18,270
    over_272k = ("--requests-per-month", "1000", "--input-tokens", "300000", "--output-tokens", "1000")
    assert monthly("gpt-5.5-pro", *over_272k, *DAY) == Decimal("18270")
    # Gemini 3.8 Flash after its introductory price: 1.50 + 7.50
    assert monthly("gemini-3.8-flash", *MILLION_EACH, "--as-of", "2027-01-15") == Decimal("9")
    # Sonnet 5.5's cache reads fell from 0.20 to 0.10 on 2026-10-07: 1,000 requests of 1,000 input tokens, all
    # read from the cache, and no output: 1e6 x 0.20 / 1e6 = 0.20 before, 0.10 after
    cached = ("--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "0",
              "--cached-input-share", "1")
    assert monthly("claude-sonnet-5-5", *cached, "--as-of", "2026-10-01") == Decimal("0.2")
    assert monthly("claude-sonnet-5-5", *cached, *DAY) == Decimal("0.1")


@pytest.mark.parametrize(("model", "retired", "successor"), [
    ("claude-sonnet-4", "2026-06-15", "claude-sonnet-4-6"),
    ("claude-opus-4", "2026-06-15", "claude-opus-4-8"),
    ("claude-opus-4-1", "2026-08-05", "claude-opus-5"),
    ("claude-sonnet-4-5", "2026-11-30", "claude-sonnet-5-5"),
    # gemini-2.0-flash's successor gemini-2.5-flash retired on 2026-12-01 too: the refusal names the end of the chain
    ("gemini-2.0-flash", "2026-06-01", "gemini-3.5-flash-lite"),
    ("gemini-2.5-pro", "2026-12-01", "gemini-3.8-flash"),
    ("gemini-2.5-flash", "2026-12-01", "gemini-3.5-flash-lite"),
    ("deepseek-chat", "2026-07-24", "deepseek-v4-flash"),
])
def test_each_retired_model_is_refused_with_its_successor(model: str, retired: str, successor: str) -> None:
    result = run_main("cost", "--model", model, *MILLION_EACH, *DAY)
    assert result.exit_code == 2
    assert result.stderr == f"aicost: error: {model} was retired on {retired} — use {successor}\n"
    # the successor named is on sale that day
    assert not load_bundled_catalog().resolve(successor).retired_on(dt.date(2026, 12, 7))
    assert monthly(successor, *MILLION_EACH, *DAY) > 0


def test_a_successor_is_the_one_on_sale_on_the_day_priced() -> None:
    # gemini-2.0-flash (retired 2026-06-01) -> gemini-2.5-flash (on sale until 2026-12-01) -> gemini-3.5-flash-lite
    result = run_main("cost", "--model", "gemini-2.0-flash", *MILLION_EACH, "--as-of", "2026-11-30")
    assert result.stderr == "aicost: error: gemini-2.0-flash was retired on 2026-06-01 — use gemini-2.5-flash\n"
    result = run_main("cost", "--model", "gemini-2.0-flash", *MILLION_EACH, "--as-of", "2026-12-01")
    assert result.stderr == "aicost: error: gemini-2.0-flash was retired on 2026-06-01 — use gemini-3.5-flash-lite\n"
    model = load_bundled_catalog().resolve("gemini-2.0-flash")
    assert model.successor == "gemini-2.5-flash"  # the catalog's own record is unchanged (pricing show, export)
    assert model.successor_chain == (("gemini-2.5-flash", dt.date(2026, 12, 1)), ("gemini-3.5-flash-lite", None))


def test_deepseek_moved_to_peak_prices_in_august() -> None:
    # deepseek-v4-flash: 0.14 + 0.28 until 2026-08-15; peak 0.44 + 1.32 from 2026-08-16; 0.30 + 1.20 from 2026-09-10
    assert monthly("deepseek-v4-flash", *MILLION_EACH, "--as-of", "2026-08-15") == Decimal("0.42")
    assert monthly("deepseek-v4-flash", *MILLION_EACH, "--as-of", "2026-08-16") == Decimal("1.76")
    assert monthly("deepseek-v4-flash", *MILLION_EACH, "--as-of", "2026-09-10") == Decimal("1.5")
    # deepseek-flash does not exist before its release: no price, not $0
    before = run_main("cost", "--model", "deepseek-flash", *MILLION_EACH, "--as-of", "2026-09-09")
    assert before.exit_code == 2 and "deepseek-flash" in before.stderr


def test_the_early_2026_answers_are_unchanged() -> None:
    """The source article's figures stay priceable on their dates although the models have retired since."""
    early = ("--as-of", "2026-02-15")
    assert monthly("claude-sonnet-4", *MILLION_EACH, *early) == Decimal("18")  # 3 + 15
    assert monthly("deepseek-v2", *MILLION_EACH, *early) == Decimal("0.42")    # 0.14 + 0.28
    assert monthly("gpt-4o", *MILLION_EACH, *early) == Decimal("12.5")         # 2.50 + 10


def test_current_lists_the_newest_of_each_family() -> None:
    listed = json.loads(run_main("pricing", "list", "--current", *DAY, "--format", "json").stdout)
    families = {row["family"]: row["model"] for row in listed["models"]}
    assert families["claude-sonnet"] == "claude-sonnet-5-5"
    assert families["claude-opus"] == "claude-opus-5-5"
    assert families["claude-haiku"] == "claude-haiku-5-5"
    assert families["gpt"] == "gpt-6.1-sol"
    assert families["gemini-flash"] == "gemini-3.8-flash"
    assert families["deepseek-flash"] == "deepseek-flash"
    assert families["glm"] == "glm-5.3"
    assert all(row["newest_in_family"] for row in listed["models"])
    assert "claude-sonnet-4" not in {row["model"] for row in listed["models"]}  # retired: never current


def test_the_exchange_rates_are_dated_after_june_2026() -> None:
    catalog = load_bundled_catalog()
    assert catalog.version == "2026.12.1" and catalog.released == dt.date(2026, 12, 7)
    rates = {rate.currency: rate for rate in catalog.exchange_rates}
    assert rates["EUR"].date > dt.date(2026, 6, 30) and rates["CNY"].date > dt.date(2026, 6, 30)
    assert (rates["EUR"].per_usd, rates["CNY"].per_usd) == (Decimal("0.8772"), Decimal("6.7110"))


# ---------------------------------------------------------------------------------------------- freshness

OLD = """catalog_version = "2099.1.0"
released = 2099-01-01
[[vendors]]
vendor = "acme"
[[vendors.models]]
id = "m"
class = "small"
context_window = 1000
[[vendors.models.periods]]
since = 2099-01-01
input = 1
output = 2
source = "test"
checked = 2099-01-01
"""


def test_the_footer_names_the_catalogs_age() -> None:
    shown = run_main("pricing", "show", "gpt-4o", "--as-of", "2026-12-10").stdout
    assert "catalog 2026.12.1 (3 days old) · prices as of 2026-12-10" in shown
    earlier = run_main("pricing", "show", "gpt-4o", "--as-of", "2026-03-01").stdout
    assert "catalog 2026.12.1 (released 2026-12-07) · prices as of 2026-03-01" in earlier


def test_a_stale_catalog_gets_one_hint_on_stderr(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(OLD, encoding="utf-8")
    stream = ("--catalog", str(path), "--model", "m", "--requests-per-month", "1", "--input-tokens", "1",
              "--output-tokens", "1")
    # 2099-01-01 to 2099-03-02 is 31 + 28 + 1 = 60 days: not more than 60, no hint; a day later, 61 days: a hint
    assert run_main("cost", *stream, "--as-of", "2099-03-02").stderr == ""
    result = run_main("cost", *stream, "--as-of", "2099-03-03")
    assert result.exit_code == 0
    assert result.stderr == ("aicost: hint: catalog 2099.1.0 is 61 days old on 2099-03-03 (released 2099-01-01): "
                             "prices may have changed since — `aicost pricing update` installs a newer one\n")
    assert "catalog 2099.1.0 (61 days old)" in result.stdout
    assert run_main("cost", *stream, "--as-of", "2099-03-03", "--quiet").stderr == ""
    assert run_main("cost", *stream, "--as-of", "2099-03-03", "--format", "json").stderr == ""
    assert run_main("cost", *stream, "--as-of", "2099-03-03", "--format", "csv").stderr == result.stderr


def test_the_hint_is_for_todays_prices_not_for_past_dates() -> None:
    today = dt.date(2027, 6, 1)
    catalog = load_bundled_catalog()
    # 2026-12-07 to 2027-06-01: 24 (Dec) + 31 + 28 + 31 + 30 + 31 + 1 = 176 days
    assert stale_catalog_hint(catalog.version, today, today=today) == (
        "catalog 2026.12.1 is 176 days old on 2027-06-01 (released 2026-12-07): prices may have changed since")
    assert stale_catalog_hint(catalog.version, dt.date(2027, 3, 1), today=today) is None  # a past pricing date
    assert stale_catalog_hint(catalog.version, dt.date(2027, 1, 1), today=dt.date(2027, 1, 1)) is None  # 25 days


def test_check_reads_llm_prices_qwen_file(tmp_path: Path) -> None:
    """llm-prices calls Alibaba 'qwen': its file is read; a model the catalog has is compared, one it lacks is
    counted, and a file with none the catalog has compares nothing instead of failing."""
    def qwen_file(*models: tuple[str, float, float]) -> str:
        path = tmp_path / "qwen.json"
        path.write_text(json.dumps({"vendor": "qwen", "models": [
            {"id": model, "name": model, "price_history": [{"input": i, "output": o, "from_date": None, "to_date": None,
                                                             "input_cached": None}]} for model, i, o in models]}),
            encoding="utf-8")
        return str(path)

    only_new = run_main("pricing", "check", "--against", qwen_file(("qwen3.6-plus", 0.5, 3)), *DAY, "--format", "json")
    assert only_new.exit_code == 0
    assert json.loads(only_new.stdout)["disagreements"] == []
    assert "none of its 1 model(s) is in the catalog" in only_new.stderr
    # qwen3.5-plus-intl is 0.40 / 2.40 in the catalog; a reference at 0.40 / 2.00 differs on output only
    known = run_main("pricing", "check", "--against", qwen_file(("qwen3.5-plus-intl", 0.4, 2.0), ("qwen3.6-plus", 0.5, 3)),
                     *DAY, "--format", "json")
    assert known.exit_code == 1
    found = json.loads(known.stdout, parse_float=Decimal)["disagreements"]
    assert [(d["model"], d["price"], d["catalog"], d["reference"]) for d in found] == [
        ("qwen3.5-plus-intl", "output", Decimal("2.4"), Decimal("2"))]
