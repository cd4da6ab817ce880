"""`aicost usage --format focus`: FOCUS 1.2 billing rows whose costs add up to the report's total."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from aicost.usage.focus import COLUMNS
from clihelp import run_main

D = Decimal

# The FOCUS 1.2 columns and their feature levels, from the specification's column pages
# (github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, tag v1.2 = commit 7296e3146fb931ee32b6496fa6e4200e7f4384f7,
# specification/columns/columns.mdpp and each column's "Feature level" in specification/columns/<column>.md).
FOCUS_1_2 = {
    "AvailabilityZone": "Recommended", "BilledCost": "Mandatory", "BillingAccountId": "Mandatory",
    "BillingAccountName": "Mandatory", "BillingAccountType": "Conditional", "BillingCurrency": "Mandatory",
    "BillingPeriodEnd": "Mandatory", "BillingPeriodStart": "Mandatory", "CapacityReservationId": "Conditional",
    "CapacityReservationStatus": "Conditional", "ChargeCategory": "Mandatory", "ChargeClass": "Mandatory",
    "ChargeDescription": "Mandatory", "ChargeFrequency": "Recommended", "ChargePeriodEnd": "Mandatory",
    "ChargePeriodStart": "Mandatory", "CommitmentDiscountCategory": "Conditional",
    "CommitmentDiscountId": "Conditional", "CommitmentDiscountName": "Conditional",
    "CommitmentDiscountQuantity": "Conditional", "CommitmentDiscountStatus": "Conditional",
    "CommitmentDiscountType": "Conditional", "CommitmentDiscountUnit": "Conditional",
    "ConsumedQuantity": "Conditional", "ConsumedUnit": "Conditional", "ContractedCost": "Mandatory",
    "ContractedUnitPrice": "Conditional", "EffectiveCost": "Mandatory", "InvoiceId": "Recommended",
    "InvoiceIssuerName": "Mandatory", "ListCost": "Mandatory", "ListUnitPrice": "Conditional",
    "PricingCategory": "Conditional", "PricingCurrency": "Conditional",
    "PricingCurrencyContractedUnitPrice": "Conditional", "PricingCurrencyEffectiveCost": "Conditional",
    "PricingCurrencyListUnitPrice": "Conditional", "PricingQuantity": "Mandatory", "PricingUnit": "Mandatory",
    "ProviderName": "Mandatory", "PublisherName": "Mandatory", "RegionId": "Conditional", "RegionName": "Conditional",
    "ResourceId": "Conditional", "ResourceName": "Conditional", "ResourceType": "Conditional",
    "ServiceCategory": "Mandatory", "ServiceName": "Mandatory", "ServiceSubcategory": "Recommended",
    "SkuId": "Conditional", "SkuMeter": "Conditional", "SkuPriceDetails": "Conditional", "SkuPriceId": "Conditional",
    "SubAccountId": "Conditional", "SubAccountName": "Conditional", "SubAccountType": "Conditional",
    "Tags": "Conditional",
}

LOG = "\n".join([
    # gpt-4o on 2024-10-02 at 2.50 / 10 per million, cache reads 1.25: 600 uncached, 400 cache reads, 100 output
    '{"created":1727870400,"model":"gpt-4o","usage":{"prompt_tokens":1000,"completion_tokens":100,'
    '"prompt_tokens_details":{"cached_tokens":400}}}',
    # o3 on 2025-07-01 at 2 / 8: 100 input; 500 completion tokens of which 400 reasoning
    '{"timestamp": "2025-07-01T12:00:00Z", "model": "o3", "usage": {"prompt_tokens": 100, "completion_tokens": 500, '
    '"completion_tokens_details": {"reasoning_tokens": 400}}}',
    # a model no catalog prices: not a row (unknown is not $0)
    '{"model": "mystery-9", "created": 1727870400, "usage": {"prompt_tokens": 10, "completion_tokens": 1}}',
]) + "\n"


def focus(*args: str) -> tuple[list[str], list[dict[str, str]], str]:
    result = run_main("usage", *args, "--format", "focus")
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    rows = list(reader)
    return list(reader.fieldnames or []), rows, result.stderr


def test_the_columns_are_focus_1_2_with_every_mandatory_one() -> None:
    mandatory = {name for name, level in FOCUS_1_2.items() if level == "Mandatory"}
    assert len(mandatory) == 21
    assert mandatory <= set(COLUMNS)
    assert {name for name in COLUMNS if not name.startswith("x_")} <= set(FOCUS_1_2)
    assert len(set(COLUMNS)) == len(COLUMNS)


def test_rows_per_day_model_and_token_kind_add_up_to_the_total(tmp_path: Path) -> None:
    log = tmp_path / "api.jsonl"
    log.write_text(LOG, encoding="utf-8")
    header, rows, stderr = focus(str(log))
    assert header == list(COLUMNS)
    got = [(r["ChargePeriodStart"], r["SkuId"], r["x_TokenKind"], r["ConsumedQuantity"], r["PricingQuantity"],
            r["ListUnitPrice"], r["BilledCost"]) for r in rows]
    assert got == [
        ("2024-10-02T00:00:00Z", "gpt-4o", "uncached_input", "600", "0.0006", "2.5", "0.0015"),  # 600 x 2.5 / 1M
        ("2024-10-02T00:00:00Z", "gpt-4o", "cache_read", "400", "0.0004", "1.25", "0.0005"),  # 400 x 1.25 / 1M
        ("2024-10-02T00:00:00Z", "gpt-4o", "output", "100", "0.0001", "10", "0.001"),  # 100 x 10 / 1M
        ("2025-07-01T00:00:00Z", "o3", "uncached_input", "100", "0.0001", "2", "0.0002"),  # 100 x 2 / 1M
        ("2025-07-01T00:00:00Z", "o3", "output", "100", "0.0001", "8", "0.0008"),  # 100 visible x 8 / 1M
        ("2025-07-01T00:00:00Z", "o3", "reasoning", "400", "0.0004", "8", "0.0032"),  # 400 x 8 / 1M, as output
    ]
    total = sum(D(r["BilledCost"]) for r in rows)
    assert total == D("0.0072")  # 0.0015 + 0.0005 + 0.001 + 0.0002 + 0.0008 + 0.0032
    report = json.loads(run_main("usage", str(log), "--format", "json").stdout, parse_float=D)
    assert report["total_cost"] == total
    first = rows[0]
    assert {key: first[key] for key in ("BillingPeriodStart", "BillingPeriodEnd", "ChargePeriodEnd", "ChargeCategory",
                                        "ChargeClass", "BillingCurrency", "ProviderName", "PublisherName",
                                        "InvoiceIssuerName", "ServiceName", "ServiceCategory", "PricingUnit",
                                        "ConsumedUnit", "SkuPriceId", "x_LoggedModel")} == {
        "BillingPeriodStart": "2024-10-01T00:00:00Z", "BillingPeriodEnd": "2024-11-01T00:00:00Z",
        "ChargePeriodEnd": "2024-10-03T00:00:00Z", "ChargeCategory": "Usage", "ChargeClass": "",
        "BillingCurrency": "USD", "ProviderName": "OpenAI", "PublisherName": "OpenAI", "InvoiceIssuerName": "OpenAI",
        "ServiceName": "OpenAI API", "ServiceCategory": "AI and Machine Learning", "PricingUnit": "1000000 Tokens",
        "ConsumedUnit": "Tokens", "SkuPriceId": "gpt-4o:uncached_input", "x_LoggedModel": "gpt-4o"}
    for row in rows:  # list prices: every cost column the same
        assert row["BilledCost"] == row["EffectiveCost"] == row["ListCost"] == row["ContractedCost"]
        assert D(row["ListUnitPrice"]) * D(row["PricingQuantity"]) == D(row["BilledCost"])
    assert "1 unpriced request(s)" in stderr


def test_another_currency_and_an_output_file(tmp_path: Path) -> None:
    log = tmp_path / "api.jsonl"
    log.write_text(LOG, encoding="utf-8")
    target = tmp_path / "focus.csv"
    result = run_main("usage", str(log), "--format", "focus", "--currency", "EUR", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert {row["BillingCurrency"] for row in rows} == {"EUR"}
    report = json.loads(run_main("usage", str(log), "--format", "json", "--currency", "EUR").stdout, parse_float=D)
    total = sum(D(row["BilledCost"]) for row in rows)
    assert total.quantize(D("0.000001")) == report["total_cost"]  # the JSON report rounds money to 6 places
    assert total > 0


@pytest.mark.parametrize("args", [["cost"], ["compare"], ["pricing", "list"]])
def test_other_reports_refuse_focus(args: list[str]) -> None:
    result = run_main(*args, "--format", "focus")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == ("aicost: error: --format focus: FOCUS billing rows are what `aicost usage` "
                                              "writes — use --format csv or json here")


def test_focus_with_summary_is_refused(tmp_path: Path) -> None:
    log = tmp_path / "api.jsonl"
    log.write_text(LOG, encoding="utf-8")
    result = run_main("usage", str(log), "--format", "focus", "--summary")
    assert result.exit_code == 2
    assert result.stderr.startswith("aicost: error: --summary and --format focus")


def test_a_long_context_tier_and_reasoning_have_rows_of_their_own(tmp_path: Path) -> None:
    from conftest import TEST_CATALOG

    log = tmp_path / "api.jsonl"
    # alpha (test catalog, vendor "Acme AI") on 2025-08-01: 4 / 16 per million, above 100,000 input tokens 8 / 24.
    # 200,000 input tokens select the tier: 200,000 x 8 / 1M = 1.6; 1,000 completion tokens, 600 of them reasoning,
    # all at the tier's output price: 400 x 24 / 1M = 0.0096 and 600 x 24 / 1M = 0.0144
    log.write_text('{"timestamp": "2025-08-01T09:00:00Z", "model": "alpha", "usage": {"prompt_tokens": 200000, '
                   '"completion_tokens": 1000, "completion_tokens_details": {"reasoning_tokens": 600}}}\n',
                   encoding="utf-8")
    _, rows, _ = focus(str(log), "--catalog", str(TEST_CATALOG))
    assert [(r["SkuPriceId"], r["x_PriceTier"], r["ListUnitPrice"], r["BilledCost"], r["ProviderName"]) for r in rows] == [
        ("alpha:uncached_input:above-100000", "above 100000 input tokens", "8", "1.6", "Acme AI"),
        ("alpha:output:above-100000", "above 100000 input tokens", "24", "0.0096", "Acme AI"),
        ("alpha:reasoning:above-100000", "above 100000 input tokens", "24", "0.0144", "Acme AI"),
    ]
    report = json.loads(run_main("usage", str(log), "--catalog", str(TEST_CATALOG), "--format", "json").stdout,
                        parse_float=D)
    assert report["total_cost"] == sum(D(r["BilledCost"]) for r in rows) == D("1.624")  # 1.6 + 0.0096 + 0.0144


def test_a_bedrock_inference_profile_is_a_row_at_its_region(tmp_path: Path) -> None:
    # claude-haiku-4-5 through Bedrock's US profile: the bedrock offering's price (1 / 5 per million) with its us
    # uplift 1.1: 1,000 x 1.1 + 100 x 5.5 = 1,100 + 550 = 1,650 -> $0.00165, in two rows (input, output)
    log = tmp_path / "bedrock.jsonl"
    log.write_text('{"timestamp": "2026-11-02T10:00:00Z", "model": "us.anthropic.claude-haiku-4-5-20251001-v1:0", '
                   '"usage": {"input_tokens": 1000, "output_tokens": 100}}\n', encoding="utf-8")
    _, rows, _ = focus(str(log))
    assert sum(D(row["BilledCost"]) for row in rows) == D("0.00165")
    assert {row["x_Host"] for row in rows} == {"bedrock in us"}  # the host and its region, as docs/usage.md says
    assert {row["SkuPriceId"] for row in rows} == {"claude-haiku-4-5:uncached_input@bedrock:us",
                                                   "claude-haiku-4-5:output@bedrock:us"}
    assert {row["x_TokenKind"]: D(row["BilledCost"]) for row in rows} == {"uncached_input": D("0.0011"),
                                                                          "output": D("0.00055")}
