"""`pricing import` and `pricing check` on the real reference files in ../shared/data and on small hand-made ones."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest

from aicost.catalog import catalog_from_document, load_bundled_catalog
from aicost.catalog.importers import import_litellm, import_llm_prices
from clihelp import run_main

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
DAY = dt.date(2026, 11, 27)
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")


def litellm(**entries: dict[str, object]) -> dict[str, object]:
    return {"sample_spec": {"mode": "one of chat, embedding"}, **entries}


def test_litellm_mapping_rules() -> None:
    data = litellm(**{
        "gpt-x": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000,
                  "input_cost_per_token": Decimal("2.5e-06"), "output_cost_per_token": Decimal("1e-05"),
                  "cache_read_input_token_cost": Decimal("1.25e-06"), "cache_creation_input_token_cost": 0,
                  "input_cost_per_token_batches": Decimal("1.25e-06"), "output_cost_per_token_batches": Decimal("5e-06"),
                  "input_cost_per_token_above_200k_tokens": Decimal("5e-06"),
                  "output_cost_per_token_above_200k_tokens": Decimal("1.5e-05")},
        "dashscope/qwen-x": {"litellm_provider": "dashscope", "mode": "chat", "max_input_tokens": 258048, "tiered_pricing": [
            {"input_cost_per_token": Decimal("1.2e-06"), "output_cost_per_token": Decimal("6e-06"), "range": [0, 32000]},
            {"input_cost_per_token": Decimal("2.4e-06"), "output_cost_per_token": Decimal("1.2e-05"), "range": [32000, 128000]}]},
        "openai/gpt-x": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1,
                         "input_cost_per_token": 1, "output_cost_per_token": 1},
        "mistral/other": {"litellm_provider": "mistral", "mode": "chat"},
        "text-embedding": {"litellm_provider": "openai", "mode": "embedding"},
        "old": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000, "deprecation_date": "2025-01-01",
                "input_cost_per_token": Decimal("1e-06"), "output_cost_per_token": Decimal("1e-06")},
        "half-tier": {"litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 1000000,
                      "input_cost_per_token": Decimal("3e-06"), "output_cost_per_token": Decimal("1.5e-05"),
                      "input_cost_per_token_above_200k_tokens": "x",
                      "output_cost_per_token_above_200k_tokens": Decimal("2.25e-05")},
        "absurd": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 1000,
                   "input_cost_per_token": Decimal("1e300"), "output_cost_per_token": Decimal("1e-06")},
    })
    imported = import_litellm(data, DAY)
    catalog = catalog_from_document(imported.document, "hand-made")
    gpt = catalog.resolve("gpt-x").periods[0]
    # per token x 1,000,000, exactly: 2.5e-06 -> 2.5, 1e-05 -> 10; a cache write of 0 is left unknown, not free
    assert (gpt.rates.input, gpt.rates.output, gpt.rates.cache_read, gpt.rates.cache_write) == (
        Decimal("2.5"), Decimal(10), Decimal("1.25"), None)
    assert (gpt.rates.batch_input, gpt.rates.batch_output) == (Decimal("1.25"), Decimal(5))
    assert gpt.tiers[0].above_input_tokens == 200000 and gpt.tiers[0].rates.input == Decimal(5)
    qwen = catalog.resolve("qwen-x")
    assert qwen.vendor == "alibaba" and qwen.periods[0].rates.input == Decimal("1.2")
    assert qwen.periods[0].tiers[0].above_input_tokens == 32000 and qwen.periods[0].tiers[0].rates.output == Decimal(12)
    assert imported.imported == 2
    # a long-context tier that cannot be read would make the model look cheaper than it is: the model is skipped
    unusable = "a price that is not usable (text, negative, out of range), or a long-context tier missing one"
    assert dict(imported.skipped) == {"not a model entry": 1, "the same model under another provider prefix": 1,
                                      "a provider aicost does not cover": 1, "not a chat model": 1,
                                      "deprecated before the import date": 1, unusable: 2}


def test_llm_prices_keeps_history() -> None:
    data = {"vendor": "openai", "models": [
        {"id": "gpt-4o", "name": "GPT-4o", "price_history": [
            {"input": 2.5, "output": 10, "from_date": "2024-10-02", "to_date": None, "input_cached": 1.25},
            {"input": 5, "output": 15, "from_date": None, "to_date": "2024-10-02", "input_cached": None}]},
        {"id": "unknown-model", "name": "?", "price_history": [{"input": 1, "output": 1, "from_date": None}]}]}
    imported = import_llm_prices(json.loads(json.dumps(data), parse_float=Decimal), DAY, load_bundled_catalog())
    model = catalog_from_document(imported.document, "hand-made").resolve("gpt-4o")
    assert [(p.since, p.rates.input, p.rates.output) for p in model.periods] == [
        (dt.date(2020, 1, 1), Decimal(5), Decimal(15)), (dt.date(2024, 10, 2), Decimal("2.5"), Decimal(10))]
    assert model.context_window == 128000  # llm-prices has none: the bundled catalog's
    assert sum(imported.skipped.values()) == 1


@needs_shared
def test_import_the_real_litellm_file_and_price_with_it(tmp_path: Path) -> None:
    output = tmp_path / "litellm.toml"
    result = run_main("pricing", "import", "litellm", str(SHARED / "litellm_model_prices.json"), "--output", str(output))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("aicost: imported ") and "a provider aicost does not cover" in result.stderr
    # gpt-4o in LiteLLM: 2.50 / 10: 1,000 requests x (1,000 x 2.5 + 100 x 10) / 1e6 = $3.50
    cost = run_main("cost", "--model", "gpt-4o", "--requests-per-month", "1000", "--input-tokens", "1000",
                    "--output-tokens", "100", "--catalog", str(output), "--format", "csv")
    assert cost.exit_code == 0 and cost.stdout.splitlines()[-1] == "total,,1000,2.5,0,0,1,3.5"


@needs_shared
@pytest.mark.parametrize("name", ["litellm_model_prices.json", "llm_prices_openai.json", "llm_prices_anthropic.json",
                                  "llm_prices_google.json"])
def test_check_against_the_references_is_clean_once_reviewed(name: str) -> None:
    """Every difference with the reference files is explained in pricing/explained.toml: a maintainer's CI job."""
    result = run_main("pricing", "check", "--against", str(SHARED / name), "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert json.loads(result.stdout)["unexplained"] == 0


def test_check_fails_on_an_unexplained_difference(tmp_path: Path) -> None:
    reference = tmp_path / "reference.json"
    # gpt-4o at 2.40 instead of the catalog's 2.50
    reference.write_text(json.dumps({"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000,
                                                "input_cost_per_token": 2.4e-06, "output_cost_per_token": 1e-05}}))
    result = run_main("pricing", "check", "--against", str(reference), "--format", "csv")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == "gpt-4o,input,2.5,2.4,NO"
    explained = tmp_path / "explained.toml"
    explained.write_text('[[explained]]\nmodel = "gpt-4o"\nprice = "input"\nreason = "a test"\n')
    assert run_main("pricing", "check", "--against", str(reference), "--explained", str(explained)).exit_code == 0


@pytest.mark.parametrize("date", ["2026-02-30", "0000-01-01", "2026-13-01", "2026-1-1", "soon", 20270101])
def test_a_deprecation_date_that_is_not_a_date_skips_the_model(tmp_path: Path, date: object) -> None:
    """As with a price that cannot be read, a model whose deprecation date cannot be read is skipped and counted
    (it may be retired already); the others are imported. `pricing import` and `pricing check --against` exit as
    usual, never 70."""
    entry = {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000,
             "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05}
    reference = tmp_path / "litellm.json"
    reference.write_text(json.dumps({"gpt-4o": {**entry, "deprecation_date": date}, "gpt-4.1": entry}))
    imported = run_main("pricing", "import", "litellm", str(reference), "--output", str(tmp_path / "out.json"))
    assert imported.exit_code == 0, imported.stderr
    assert imported.stderr == ("aicost: imported 1 models; skipped 1: 1 a deprecation date that is not a date "
                               "(YYYY-MM-DD, a day that exists)\n")
    catalog = json.loads((tmp_path / "out.json").read_text())
    assert [m["id"] for v in catalog["vendors"] for m in v["models"]] == ["gpt-4.1"]
    checked = run_main("pricing", "check", "--against", str(reference))
    assert checked.exit_code in (0, 1) and "internal error" not in checked.stderr, checked.stderr


def test_a_price_no_decimal_holds_skips_the_model(tmp_path: Path) -> None:
    """1E99999999999999999999 per token: not an arithmetic error while parsing, the model skipped as unusable."""
    path = tmp_path / "litellm.json"
    path.write_text('{"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, '
                    '"input_cost_per_token": 1E99999999999999999999, "output_cost_per_token": 1e-5}, '
                    '"gpt-4o-mini": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, '
                    '"input_cost_per_token": 1.5e-7, "output_cost_per_token": 6e-7}}', encoding="utf-8")
    result = run_main("pricing", "import", "litellm", str(path), "--output", str(tmp_path / "out.toml"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("aicost: imported 1 models; skipped 1: 1 a price that is not usable")
    # gpt-4o-mini kept: 1.5e-7 and 6e-7 per token are 0.15 and 0.60 per million
    assert "0.15" in (tmp_path / "out.toml").read_text(encoding="utf-8")
