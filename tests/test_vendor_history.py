"""`aicost pricing history --vendor V` (and `pricing history V`): every period of every model of one vendor."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from clihelp import run

AT = ("--catalog", "bundled", "--as-of", "2026-03-01")


def history(*args: str) -> dict[str, Any]:
    result = run("pricing", "history", *args, *AT, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_every_period_of_every_model_of_the_vendor() -> None:
    document = history("--vendor", "deepseek")
    assert (document["vendor"], document["currency"]) == ("deepseek", "USD")
    periods = {m["model"]: [p["since"] for p in m["periods"]] for m in document["models"]}
    # the six DeepSeek models of the catalog, 2 + 8 + 6 + 5 + 3 + 1 = 25 periods (V4 Flash and Pro gain the 2026-08-23
    # period of the weekend rule), each model's oldest first
    assert list(periods) == ["deepseek-v2", "deepseek-chat", "deepseek-reasoner", "deepseek-v4-flash", "deepseek-v4-pro",
                             "deepseek-flash"]
    assert periods["deepseek-chat"] == ["2024-05-06", "2024-08-02", "2025-02-08", "2025-02-26", "2025-09-05",
                                        "2025-09-29", "2026-04-24", "2026-04-26"]
    assert sum(len(p) for p in periods.values()) == 25
    chat = document["models"][1]
    # in force on 2026-03-01: the 2025-09-29 period, 0.28 in / 0.42 out (as `pricing history deepseek-chat` says)
    assert chat["current_since"] == "2025-09-29"
    assert (chat["periods"][5]["input"], chat["periods"][5]["output"]) == (Decimal("0.28"), Decimal("0.42"))
    assert document["models"][4]["current_since"] is None  # deepseek-v4-pro is priced from 2026-04-26
    single = history("deepseek-chat")
    assert single["periods"] == chat["periods"]


def test_a_vendor_as_the_argument_is_the_same_as_the_option() -> None:
    assert history("deepseek") == history("--vendor", "deepseek")
    table = run("pricing", "history", "DeepSeek", *AT).stdout
    assert table.startswith("DeepSeek: price history of 6 models (25 periods), USD per million tokens\n")
    assert "deepseek-chat      *    2025-09-29  all requests" in table


def test_bad_vendor_history_lines() -> None:
    unknown = run("pricing", "history", "--vendor", "deepseeek", *AT)
    assert unknown.exit_code == 2 and unknown.stderr == (
        "aicost: error: --vendor deepseeek: unknown vendor — did you mean 'deepseek'? — known: alibaba, anthropic, "
        "deepseek, google, openai, zhipu\n")
    both = run("pricing", "history", "gpt-4o", "--vendor", "openai", *AT)
    assert both.exit_code == 2 and both.stderr == "aicost: error: pricing history: give a MODEL or --vendor VENDOR, not both\n"
    neither = run("pricing", "history", *AT)
    assert neither.exit_code == 2 and "give a MODEL" in neither.stderr
