"""`pricing import litellm` maps LiteLLM's fields for the price dimensions, and `pricing check --against` compares
them (prices per token x 1,000,000 = per million; a per-query fee x 1,000 = per 1,000 calls)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

from aicost.catalog import catalog_from_document
from aicost.catalog.importers import import_litellm
from clihelp import run_main

D = Decimal
DAY = dt.date(2026, 11, 27)
CLAUDE = {"litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000,
          "input_cost_per_token": D("5e-06"), "output_cost_per_token": D("2.5e-05"),
          "cache_read_input_token_cost": D("5e-07"), "cache_creation_input_token_cost": D("6.25e-06"),
          "cache_creation_input_token_cost_above_1hr": D("1e-05"),
          "provider_specific_entry": {"us": D("1.1"), "fast": D("6.0")},
          "search_context_cost_per_query": {"search_context_size_low": D("0.01"), "search_context_size_medium": D("0.01"),
                                            "search_context_size_high": D("0.01")}}
GPT = {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 272000,
       "input_cost_per_token": D("1.25e-06"), "output_cost_per_token": D("1e-05"), "cache_read_input_token_cost": D("1.25e-07"),
       "input_cost_per_token_flex": D("6.25e-07"), "output_cost_per_token_flex": D("5e-06"),
       "cache_read_input_token_cost_flex": D("6.25e-08"),
       "input_cost_per_token_priority": D("2.5e-06"), "output_cost_per_token_priority": D("2e-05"),
       "regional_processing_uplift_multiplier_eu": D("1.1")}


def test_litellm_dimensions_and_hosts_are_imported() -> None:
    data = {"claude-x": CLAUDE, "gpt-y": GPT,
            "global.anthropic.claude-x-20260101-v1:0": {**CLAUDE, "litellm_provider": "bedrock_converse",
                                                         "input_cost_per_token": D("5e-06")},
            "us.anthropic.claude-x-20260101-v1:0": {**CLAUDE, "litellm_provider": "bedrock_converse",
                                                     "input_cost_per_token": D("5.5e-06")},
            "vertex_ai/claude-x@default": {**CLAUDE, "litellm_provider": "vertex_ai-anthropic_models"},
            "azure/eu/gpt-y": {**GPT, "litellm_provider": "azure", "input_cost_per_token": D("1.375e-06")},
            "azure/gpt-y": {**GPT, "litellm_provider": "azure"}}
    catalog = catalog_from_document(import_litellm(data, DAY).document, "imported")
    claude = catalog.resolve("claude-x")
    period = claude.periods[0]
    # 1e-05 per token = 10 per million; the fast multiplier and the us uplift as given; $0.01 a search = $10 per 1,000
    assert period.cache_write_1h == D(10)
    assert (period.speed("fast").multiplier, period.uplift("us"), period.fee("web_search")) == (D(6), D("1.1"), D(10))
    # the global Bedrock endpoint (not the regional us. profile) and Vertex, under their own model ids
    assert [(h.host, h.model_id, h.periods[0].rates.input) for h in claude.hosts] == [
        ("bedrock", "global.anthropic.claude-x-20260101-v1:0", D(5)), ("vertex", "claude-x@default", D(5))]
    gpt = catalog.resolve("gpt-y").periods[0]
    flex, priority = gpt.service_tier("flex"), gpt.service_tier("priority")
    assert flex is not None and priority is not None
    assert (flex.rates.input, flex.rates.cache_read, flex.rates.output) == (D("0.625"), D("0.0625"), D(5))
    assert (priority.rates.input, priority.rates.cache_read, priority.rates.output) == (D("2.5"), None, D(20))
    assert gpt.uplift("eu") == D("1.1")
    # Azure's global deployment, not the eu Data Zone
    assert [(h.host, h.periods[0].rates.input) for h in catalog.resolve("gpt-y").hosts] == [("azure", D("1.25"))]


def test_an_unusable_dimension_skips_the_model() -> None:
    data = {"gpt-y": {**GPT, "input_cost_per_token_flex": "cheap"}, "claude-x": {**CLAUDE, "provider_specific_entry": {"fast": D(-2)}}}
    imported = import_litellm(data, DAY)
    assert imported.imported == 0 and sum(imported.skipped.values()) == 2


def test_check_compares_the_dimensions(tmp_path: Path) -> None:
    # the bundled gpt-5 has flex 0.625 / 0.0625 / 5.00 and priority 2.50 / 0.25 / 20.00 (LiteLLM's figures): a reference
    # with priority output at 24 (2.4e-05 per token) is an unexplained difference; claude-haiku-4-5's web search at $12
    # per 1,000 (0.012 a query) against the catalog's $10 is another
    gpt5 = {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 272000, "input_cost_per_token": 1.25e-06,
            "output_cost_per_token": 1e-05, "cache_read_input_token_cost": 1.25e-07, "input_cost_per_token_flex": 6.25e-07,
            "output_cost_per_token_priority": 2.4e-05}
    haiku = {"litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000, "input_cost_per_token": 1e-06,
             "output_cost_per_token": 5e-06, "search_context_cost_per_query": 0.012}
    reference = tmp_path / "reference.json"
    reference.write_text(json.dumps({"gpt-5": gpt5, "claude-haiku-4-5": haiku}))
    result = run_main("pricing", "check", "--against", str(reference), "--as-of", "2026-12-07", "--format", "csv")
    assert result.exit_code == 1, result.stderr
    assert result.stdout.splitlines()[1:] == ["claude-haiku-4-5,web_search,10,12,NO", "gpt-5,priority.output,20,24,NO"]
