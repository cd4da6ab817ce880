"""`aicost usage` reads Bedrock model ids as the catalog's bedrock offering: the listed (global) id at its prices, a
geographic inference profile (`us.`, `eu.`, ...) at the offering's regional uplift where the catalog has one for that
region (refused where it has none), and a bare in-region id refused (its region is not in the name) — never at the
global price by assumption.

claude-haiku-4-5 on bedrock (bundled catalog, from 2025-10-15): input 1.00, output 5.00 per million tokens at the
global endpoint; regions us, eu, au, jp, apac at x1.1, us-gov at x1.2. claude-sonnet-5 on bedrock has no apac uplift.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

from clihelp import run_main

D = Decimal
HAIKU = "anthropic.claude-haiku-4-5-20251001-v1:0"


def line(model: str) -> str:
    # 1,000 input + 100 output tokens on Monday 2026-11-02
    return json.dumps({"model": model, "timestamp": "2026-11-02T10:00:00Z",
                       "usage": {"input_tokens": 1000, "output_tokens": 100}}) + "\n"


def usage(tmp_path: Path, *models: str, args: tuple[str, ...] = ()) -> dict[str, Any]:
    log = tmp_path / "bedrock.jsonl"
    log.write_text("".join(line(model) for model in models), encoding="utf-8")
    result = run_main("usage", str(log), "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_global_and_geographic_profiles_at_their_prices(tmp_path: Path) -> None:
    # global: 1,000 x 1.00 + 100 x 5.00 = 1,500 -> 0.0015
    assert usage(tmp_path, f"global.{HAIKU}")["total_cost"] == D("0.0015")
    # us. (x1.1): 1,000 x 1.10 + 100 x 5.50 = 1,100 + 550 = 1,650 -> 0.00165; eu., jp., apac. the same
    for region in ("us", "eu", "jp", "apac", "US"):
        document = usage(tmp_path, f"{region}.{HAIKU}")
        assert document["total_cost"] == D("0.00165"), region
        assert document["rows"][0]["model"] == f"claude-haiku-4-5 on bedrock in {region.lower()}"
    # us-gov. (x1.2): 1,000 x 1.20 + 100 x 6.00 = 1,800 -> 0.0018
    assert usage(tmp_path, f"us-gov.{HAIKU}")["total_cost"] == D("0.0018")


def test_unknown_geography_is_unpriced_never_global(tmp_path: Path) -> None:
    document = usage(tmp_path, HAIKU, "apac.anthropic.claude-sonnet-5", "ca.anthropic.claude-sonnet-5")
    assert document["total_cost"] is None and document["requests"] == 3  # nothing priced: unknown, never $0
    reasons = {entry["model"]: entry["reason"] for entry in document["unpriced_models"]}
    assert "the name does not say the region" in reasons[HAIKU]
    assert reasons["claude-sonnet-5 on bedrock in apac"] == ("claude-sonnet-5 offers no region 'apac' — it offers: "
                                                             "us, eu, au, jp")
    assert reasons["claude-sonnet-5 on bedrock in ca"].startswith("claude-sonnet-5 offers no region 'ca'")
    # a prefix that is no inference profile stays an unknown model
    document = usage(tmp_path, f"xx.{HAIKU}")
    assert document["unpriced_models"][0]["reason"].startswith("unknown model")


def test_written_workload_keeps_the_region(tmp_path: Path) -> None:
    written = tmp_path / "observed.toml"
    usage(tmp_path, f"us.{HAIKU}", f"global.{HAIKU}", args=("--write-workload", str(written)))
    streams = tomllib.loads(written.read_text(encoding="utf-8"))["streams"]
    assert [(stream["host"], stream.get("region")) for stream in streams] == [("bedrock", None), ("bedrock", "us")]
    # each stream: 1 request in 24 hours -> 730 / 24 = 30.416666667 a month; the written workload prices each at
    # its own terms: 0.0015 + 0.00165 = 0.00315 a request-pair, x 730 / 24 = 0.0958125
    result = run_main("cost", str(written), "--format", "json", "--as-of", "2026-11-02")
    assert result.exit_code == 0, result.stderr
    total = json.loads(result.stdout, parse_float=Decimal)["monthly_cost"]
    assert abs(D(total) - D("0.0958125")) < D("0.000001")
