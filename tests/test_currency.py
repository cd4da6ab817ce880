"""Reports in EUR and CNY at the catalog's dated rate, and mainland prices kept in CNY.

The bundled catalog holds 1 USD = 0.8772 EUR and 1 USD = 6.7110 CNY (Federal Reserve daily rates of
2026-09-25).  Every figure below is worked out by hand from those two rates.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.catalog import catalog_document, catalog_from_document, load_bundled_catalog
from aicost.currency import conversion_factor, priced_in
from aicost.errors import InputError
from clihelp import run_main

TODAY = ("--as-of", "2026-11-27")
RATE_SOURCE = "https://github.com/datasets/exchange-rates/blob/main/data/daily.csv"
# One million requests a month of 1,000 input and 100 output tokens: 1e9 input and 1e8 output tokens.
TRAFFIC = ("--requests-per-month", "1000000", "--input-tokens", "1000", "--output-tokens", "100")


def cost_json(*args: str) -> dict[str, Any]:
    result = run_main("cost", *args, *TODAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_a_usd_price_reported_in_eur_and_cny_at_the_named_rate() -> None:
    # gpt-4o at 2.50 / 10: 1e9 x 2.50 / 1e6 + 1e8 x 10 / 1e6 = 2,500 + 1,000 = $3,500
    assert cost_json("--model", "gpt-4o", *TRAFFIC)["monthly_cost"] == 3500
    eur = cost_json("--model", "gpt-4o", *TRAFFIC, "--currency", "EUR")
    # 3,500 x 0.8772 = 3,070.20
    assert (eur["currency"], eur["monthly_cost"]) == ("EUR", Decimal("3070.2"))
    assert eur["exchange_rate"] == {"from": "USD", "to": "EUR", "rate": Decimal("0.8772"), "date": "2026-09-25",
                                    "source": RATE_SOURCE}
    assert eur["monthly_cost"] == 3500 * eur["exchange_rate"]["rate"]  # the output's own rate reproduces it
    cny = cost_json("--model", "gpt-4o", *TRAFFIC, "--currency", "cny")
    # 3,500 x 6.7110 = 23,488.50
    assert (cny["currency"], cny["monthly_cost"], cny["exchange_rate"]["rate"]) == ("CNY", Decimal("23488.5"),
                                                                                   Decimal("6.7110"))


def test_the_table_names_the_currency_and_the_rate() -> None:
    table = run_main("cost", "--model", "gpt-4o", *TRAFFIC, *TODAY, "--currency", "EUR").stdout
    assert "€3,070.20" in table and "$" not in table.split("catalog ")[0]
    assert "· EUR" in table
    assert f"converted at 1 USD = 0.8772 EUR (rate of 2026-09-25: {RATE_SOURCE})" in table


def test_a_mainland_price_stays_in_cny_and_converts_for_other_currencies() -> None:
    # qwen3-max-cn at CNY 2.5 / 10 (input under 32K): 1e9 x 2.5 / 1e6 + 1e8 x 10 / 1e6 = 2,500 + 1,000 = CNY 3,500,
    # no conversion
    native = cost_json("--model", "qwen3-max-cn", *TRAFFIC, "--currency", "CNY")
    assert native["monthly_cost"] == 3500
    usd = cost_json("--model", "qwen3-max-cn", *TRAFFIC)
    # 3,500 / 6.7110 = 521.53181344...; JSON money has 6 places
    assert usd["currency"] == "USD" and "exchange_rate" not in usd
    assert usd["monthly_cost"] == Decimal("521.531813")
    assert [rate["to"] for rate in usd["exchange_rates"]] == ["CNY"]
    eur = cost_json("--model", "qwen3-max-cn", *TRAFFIC, "--currency", "EUR")
    # a cross rate through the dollar: 3,500 x 0.8772 / 6.7110 = 457.48770675...
    assert eur["monthly_cost"] == Decimal("457.487707")
    assert [rate["to"] for rate in eur["exchange_rates"]] == ["EUR", "CNY"]


def test_a_mainland_tier_and_an_unknown_tier_price() -> None:
    # qwen3-max-cn, 50,000 input tokens: the 32K-128K tier, CNY 4 / 16, the whole request at it:
    # 1,000 requests x (50,000 x 4 + 100 x 16) / 1e6 = 200 + 1.6 = CNY 201.60
    document = cost_json("--model", "qwen3-max-cn", "--requests-per-month", "1000", "--input-tokens", "50000",
                         "--output-tokens", "100", "--currency", "CNY")
    assert document["monthly_cost"] == Decimal("201.6")
    assert document["streams"][0]["long_context_tier_above"] == 32000
    # batch prices are published for the first tier only: a long batch request is unpriced, not billed at them
    result = run_main("cost", "--model", "qwen3-max-cn", "--requests-per-month", "1000", "--input-tokens", "50000",
                      "--output-tokens", "100", "--batch-share", "1", *TODAY)
    assert result.exit_code == 2
    assert "no batch input price above 32,000 input tokens" in result.stderr


def test_a_workload_in_eur_checks_its_budget_in_eur(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text('version = 1\ncurrency = "EUR"\n[budget]\nmonthly = 3000\n[[streams]]\nname = "chat"\n'
                    'model = "gpt-4o"\nrequests_per_month = 1000000\ninput_tokens = 1000\noutput_tokens = 100\n',
                    encoding="utf-8")
    result = run_main("budget", str(path), *TODAY, "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    # EUR 3,070.20 against EUR 3,000: over by 70.20
    assert result.exit_code == 1
    assert (document["currency"], document["monthly_cost"], document["headroom"]) == ("EUR", Decimal("3070.2"),
                                                                                     Decimal("-70.2"))
    assert "€3,070.20 exceeds the budget €3,000.00" in result.stderr
    # in USD the EUR budget is converted: 3,000 / 0.8772 = 3,419.972640...; 3,500 is over it by 80.027360
    result = run_main("budget", str(path), *TODAY, "--format", "json", "--currency", "USD")
    document = json.loads(result.stdout, parse_float=Decimal)
    assert result.exit_code == 1
    assert (document["monthly_cost"], document["budget"], document["headroom"]) == (
        3500, Decimal("3419.97264"), Decimal("-80.02736"))


def test_currencies_that_cannot_be_used(tmp_path: Path) -> None:
    result = run_main("cost", "--model", "gpt-4o", *TRAFFIC, "--currency", "GBP")
    assert result.exit_code == 2 and "GBP" in result.stderr and result.stderr[-1] == "\n" and result.stderr.count("\n") == 1
    path = tmp_path / "w.toml"
    path.write_text('version = 1\ncurrency = "GBP"\n[[streams]]\nname = "chat"\nmodel = "gpt-4o"\n'
                    'requests_per_month = 1\ninput_tokens = 1\noutput_tokens = 1\n', encoding="utf-8")
    result = run_main("cost", str(path))
    assert result.exit_code == 2 and "currency 'GBP' is not supported — use one of USD, EUR, CNY" in result.stderr


def test_pricing_list_converts_and_pricing_show_keeps_the_vendors_currency() -> None:
    listed = json.loads(run_main("pricing", "list", *TODAY, "--currency", "EUR", "--format", "json").stdout,
                        parse_float=Decimal)
    rows = {row["model"]: row for row in listed["models"]}
    assert rows["gpt-4o"]["input"] == Decimal("2.193")  # 2.50 x 0.8772
    assert rows["qwen3-max-cn"]["native_currency"] == "CNY"
    # CNY 2.5 x 0.8772 / 6.7110 = 0.32677693..., shown to 6 places
    assert rows["qwen3-max-cn"]["input"] == Decimal("0.326777")
    shown = json.loads(run_main("pricing", "show", "qwen3-max-cn", *TODAY, "--format", "json").stdout,
                       parse_float=Decimal)
    assert shown["currency"] == "CNY" and "exchange_rates" not in shown
    assert (shown["periods"][0]["input"], shown["periods"][0]["currency"]) == (Decimal("2.5"), "CNY")
    table = run_main("pricing", "show", "qwen3-max-cn", *TODAY).stdout
    assert "¥2.50" in table and "¥10.00" in table and "¥3.125" in table


def test_conversion_is_exact_and_goes_through_the_dollar() -> None:
    catalog = load_bundled_catalog()
    assert conversion_factor(catalog, "USD", "USD") == 1
    assert conversion_factor(catalog, "USD", "EUR") == Decimal("0.8772")
    assert conversion_factor(catalog, "CNY", "CNY") == 1
    assert conversion_factor(catalog, "CNY", "EUR") == Decimal("0.8772") / Decimal("6.7110")
    converted = priced_in(catalog, "EUR")
    assert priced_in(converted, "EUR") is converted
    assert converted.resolve("gpt-4o").periods[-1].rates.input == Decimal("2.193")  # 2.50 x 0.8772
    assert set(converted.converted) == {model.id for model in catalog.models}  # every model is USD or CNY


def _catalog_with(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(catalog_document(load_bundled_catalog()))
    change(document)
    return document


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("exchange_rates"), "priced in CNY but the catalog has no exchange rate for it"),
        (lambda d: d["exchange_rates"].append(dict(d["exchange_rates"][0])), "a second rate for EUR"),
        (lambda d: d["exchange_rates"][0].update(per_usd=0), "must be more than 0"),
        (lambda d: d["exchange_rates"][0].update(currency="USD"), "is not a currency to convert to"),
        (lambda d: d["exchange_rates"][0].pop("source"), "source"),
        (lambda d: d["vendors"][0]["models"][0]["periods"][0].update(currency="CNY"), "periods in CNY and USD"),
    ],
)
def test_exchange_rates_are_validated(change: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        catalog_from_document(_catalog_with(change), "broken.toml")


def test_an_amount_in_another_currency_is_refused() -> None:
    # a EUR report: $4,000 is not EUR 4,000
    result = run_main("cost", "--model", "gpt-4o", *TRAFFIC, *TODAY, "--currency", "EUR", "--max", "$4000")
    assert result.exit_code == 2
    assert "--max $4000: is in USD, but the report is in EUR — write the amount in EUR" in result.stderr
    # EUR 3,070.20 against EUR 3,000: over, exit 1
    result = run_main("cost", "--model", "gpt-4o", *TRAFFIC, *TODAY, "--currency", "EUR", "--max", "€3000")
    assert result.exit_code == 1 and "€3,070.20 exceeds --max €3,000.00" in result.stderr


def test_workload_in_currency_converts_the_budget_for_a_python_caller() -> None:
    """The command line's currency policy is a core function: a Python caller gets the same budget conversion."""
    from aicost.currency import workload_in_currency
    from aicost.errors import ParameterError
    from aicost.workload import parse_workload

    catalog = load_bundled_catalog()
    document = {"version": 1, "budget": {"monthly": 1000},
                "streams": [{"name": "chat", "model": "gpt-4o", "requests_per_month": 1, "input_tokens": 1, "output_tokens": 1}]}
    usd = parse_workload(document, "w", catalog)
    eur = workload_in_currency(usd, catalog, "EUR")
    # $1,000 x 0.8772 = EUR 877.20
    assert (eur.currency, eur.budget_monthly) == ("EUR", Decimal("877.2"))
    # EUR 877.20 back to USD: 877.2 / 0.8772 = $1,000 (the cross rate is exact here)
    assert workload_in_currency(eur, catalog, "USD").budget_monthly == Decimal(1000)
    # EUR to CNY goes through the dollar: 877.2 x 6.7110 / 0.8772 = 1,000 x 6.7110 = CNY 6,711.00
    assert workload_in_currency(eur, catalog, "CNY").budget_monthly == Decimal("6711")
    assert workload_in_currency(usd, catalog, None) is usd and workload_in_currency(usd, catalog, "USD") is usd
    with pytest.raises(ParameterError, match=r"^currency GBP: catalog .* has no exchange rate for GBP"):
        workload_in_currency(usd, catalog, "GBP")
