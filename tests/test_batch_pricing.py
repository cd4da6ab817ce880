"""The batch share: at batch rates where a model has a batch API, at standard rates (with a note) where it has none.

On the routing test catalog at 2025-08-01 (USD per Mtok): alpha 4 / 16, batch 2 / 8 (vendor acme); beta 0.5 / 1.5,
no batch price (acme); tiny 0.2 / 0.8, batch 0.1 / 0.4; mid 1 / 4 and omega 2 / 8, no batch price (routeco).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from aicost.calc import compare, select_models, workload_cost
from aicost.catalog import Catalog, catalog_from_document
from aicost.errors import UnpricedError
from aicost.routing import RouteOptions, route
from clihelp import run
from test_routing import AUGUST, _model, routing_catalog_document, workload

D = Decimal

# 1,000 requests a month of 1,000 in / 250 out, a fifth of them through a batch API
BATCHED = {"name": "nightly", "model": "alpha", "requests_per_month": 1000, "input_tokens": 1000, "output_tokens": 250,
           "batch_share": D("0.2")}


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return catalog_from_document(routing_catalog_document(), "routing test catalog")


def test_a_model_without_a_batch_api_prices_its_batch_share_at_standard_rates(catalog: Catalog) -> None:
    w = workload(catalog, BATCHED, {**BATCHED, "name": "cheap", "model": "beta"})
    report = workload_cost(w, catalog, AUGUST)
    # alpha: 800 x (1,000 x 4 + 250 x 16) / 1e6 = 6.40 + 200 x (1,000 x 2 + 250 x 8) / 1e6 = 0.80 -> 7.20
    # beta has no batch price at all (no batch API): all 1,000 at 0.5 / 1.5, (500 + 375) / 1e6 x 1,000 = 0.875
    assert [s.monthly_cost for s in report.streams] == [D("7.2"), D("0.875")]
    assert report.monthly_cost == D("8.075")
    assert report.batch_at_standard == ("beta",)


def test_a_model_with_a_batch_api_but_an_unknown_batch_price_is_still_not_free() -> None:
    document = routing_catalog_document()
    document["vendors"][-1]["models"].append(_model("half", "small", input="1", output="2", batch_input="0.5"))
    catalog = catalog_from_document(document, "test")
    w = workload(catalog, {**BATCHED, "model": "half"})
    # it sells batch input, so its batch output price is unknown, never its standard price or 0
    with pytest.raises(UnpricedError, match="no batch output price"):
        workload_cost(w, catalog, AUGUST)


def test_compare_ranks_the_models_without_a_batch_api_instead_of_excluding_them(catalog: Catalog) -> None:
    w = workload(catalog, BATCHED)
    report = compare(w, catalog, AUGUST, select_models(catalog, ["alpha", "beta", "tiny", "mid", "omega"]))
    # tiny (batch API): 800 x (200 + 200) / 1e6 = 0.32 + 200 x (100 + 100) / 1e6 = 0.04 -> 0.36
    # beta 0.875, mid (1,000 + 1,000) / 1e6 x 1,000 = 2.00, omega 4.00: all at standard rates; alpha 7.20
    assert [(c.model, c.monthly_cost) for c in report.candidates] == [
        ("tiny", D("0.36")), ("beta", D("0.875")), ("mid", D("2")), ("omega", D("4")), ("alpha", D("7.2"))]
    assert report.excluded == ()
    assert report.batch_at_standard == ("beta", "mid", "omega")


def test_route_prices_each_side_by_its_own_batch_api(catalog: Catalog) -> None:
    w = workload(catalog, BATCHED)
    report = route(w, catalog, AUGUST, RouteOptions(small="mid", frontier="alpha", small_share=D("0.8")))
    # small side: 800 requests on mid, no batch API: 800 x 0.002 = 1.60
    # frontier: 200 on alpha, a request 0.8 x 0.008 + 0.2 x 0.004 = 0.0072: 1.44; plan 3.04 against 7.20
    assert report.small_side.total == D("1.6")
    assert report.frontier_side.total == D("1.44")
    assert report.plan_monthly_cost == D("3.04")
    assert report.batch_at_standard == ("mid",)


def _files(tmp_path: Path, stream: dict[str, Any]) -> tuple[str, str]:
    catalog_path = tmp_path / "catalog.toml"
    catalog_path.write_text(tomli_w.dumps(routing_catalog_document()), encoding="utf-8")
    path = tmp_path / "w.toml"
    path.write_text(tomli_w.dumps({"version": 1, "name": "batched", "streams": [stream]}), encoding="utf-8")
    return str(catalog_path), str(path)


def test_compare_says_so_in_the_table_and_in_json(tmp_path: Path) -> None:
    catalog_path, path = _files(tmp_path, BATCHED)
    args = ("compare", path, "--models", "alpha,beta,tiny,mid", "--catalog", catalog_path, "--as-of", "2025-08-01")
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=D)
    assert document["batch_at_standard_rates"] == ["beta", "mid"]
    assert {c["model"]: c["monthly_cost"] for c in document["candidates"]} == {
        "tiny": D("0.36"), "beta": D("0.875"), "mid": D(2), "alpha": D("7.2")}
    text = run(*args, env={"COLUMNS": "200"}).stdout
    assert "no batch API in the catalog (no batch price): the batch share is priced at standard rates, an upper bound, on beta, mid" in text
    rows = {line.split()[1]: line for line in text.splitlines() if line[:1].isdigit()}
    assert "no batch API: batch share at standard rates" in rows["mid"]
    assert "batch" not in rows["tiny"]
    # cost names it the same way: 1,000 requests on beta at 0.5 / 1.5 = 0.875
    cost = json.loads(run("cost", path, "--model", "beta", "--catalog", catalog_path, "--as-of", "2025-08-01",
                          "--format", "json").stdout, parse_float=D)
    assert (cost["monthly_cost"], cost["batch_at_standard_rates"]) == (D("0.875"), ["beta"])


# ---------------------------------------------------------------------------------------------- batch and cache together

# 1,000 requests of 2,000 in (500 read from the cache, 100 written to it), 500 out, 40 % of them in a batch
CACHED_BATCH = {"name": "docs", "model": "stacked", "requests_per_month": 1000, "input_tokens": 2000,
                "output_tokens": 500, "cached_input_share": D("0.25"), "cache_write_tokens": 100, "batch_share": D("0.4")}


def _batch_cache_catalog(rule: str | None) -> Catalog:
    """A vendor of one model, 4 / 16, cache read 0.4, cache write 5, batch 2 / 8, with `[batch_cache] billed_as = rule`
    (None: no table)."""
    vendor: dict[str, Any] = {"vendor": "cacheco", "models": [
        _model("stacked", "frontier", input="4", output="16", cache_read="0.4", cache_write="5", batch_input="2",
               batch_output="8")]}
    if rule is not None:
        vendor["batch_cache"] = {"billed_as": rule, "source": "https://example.com/batch", "checked": AUGUST}
    document = routing_catalog_document()
    document["vendors"].append(vendor)
    return catalog_from_document(document, "test")


@pytest.mark.parametrize(("rule", "monthly"), [("batch", "11.44"), ("standard", "11.58"), (None, "11.58")])
def test_cache_reads_and_writes_in_a_batch_follow_the_vendors_rule(rule: str | None, monthly: str) -> None:
    catalog = _batch_cache_catalog(rule)
    report = workload_cost(workload(catalog, CACHED_BATCH), catalog, AUGUST)
    # a request: 1,400 uncached, 500 cached, 100 written, 500 out
    #   standard: (1,400 x 4 + 500 x 0.4 + 100 x 5 + 500 x 16) / 1e6 = (5,600 + 200 + 500 + 8,000) / 1e6 = 0.0143
    #   batch, "batch" (the discount stacks: 2 / 4 = 0.5 on the cache prices too):
    #          (1,400 x 2 + 500 x 0.2 + 100 x 2.5 + 500 x 8) / 1e6 = (2,800 + 100 + 250 + 4,000) / 1e6 = 0.00715
    #   batch, "standard" or no table (cache prices as outside a batch):
    #          (2,800 + 200 + 500 + 4,000) / 1e6 = 0.0075
    #   month: 1,000 x (0.6 x 0.0143 + 0.4 x 0.00715) = 8.58 + 2.86 = 11.44, or 8.58 + 3.00 = 11.58
    assert report.monthly_cost == D(monthly)


def test_a_batch_cache_rule_is_validated_and_survives_export() -> None:
    from aicost.catalog import catalog_document
    from aicost.errors import InputError

    with pytest.raises(InputError, match=r"batch_cache\.billed_as: 'half' is not known — the billing rule is \"batch\" or \"standard\""):
        _batch_cache_catalog("half")
    catalog = _batch_cache_catalog("batch")
    exported = catalog_document(catalog)
    entry = next(v for v in exported["vendors"] if v["vendor"] == "cacheco")
    assert entry["batch_cache"] == {"billed_as": "batch", "source": "https://example.com/batch", "checked": AUGUST}
    again = catalog_from_document(exported, "exported")
    assert again.resolve("stacked").batch_cache_discounted and not again.resolve("alpha").batch_cache_discounted
    assert workload_cost(workload(again, CACHED_BATCH), again, AUGUST).monthly_cost == D("11.44")


def test_the_shipped_vendors_rules() -> None:
    from aicost.catalog import load_bundled_catalog

    vendors = {vendor.id: vendor for vendor in load_bundled_catalog().vendors}
    rules = {vendor_id: (v.batch_cache.billed_as if v.batch_cache else None) for vendor_id, v in vendors.items()}
    # Anthropic and OpenAI discount cache reads and writes in a batch; Google prices a cache hit as outside one;
    # Alibaba, Zhipu and DeepSeek have no batch price in the catalog, so the question does not arise
    expected = {"openai": "batch", "anthropic": "batch", "alibaba": None, "zhipu": None, "deepseek": None,
                "google": "standard"}
    assert {vendor_id: rules.get(vendor_id) for vendor_id in expected} == expected
    assert all(v.batch_cache is None or v.batch_cache.source.startswith("https://") for v in vendors.values())
    # Claude Haiku 4.5 (1 / 5, cache read 0.1, write 1.25, batch 0.5 / 2.5), every request in a batch, 1,000 requests
    # of 10,000 in (8,000 cached, 200 written) and 500 out:
    # (1,800 x 0.5 + 8,000 x 0.05 + 200 x 0.625 + 500 x 2.5) / 1e6 = (900 + 400 + 125 + 1,250) / 1e6 = 0.002675 -> 2.675
    # (2.675, not the 3.20 of cache prices kept whole inside the batch)
    result = run("cost", "--model", "claude-haiku-4-5", "--requests-per-month", "1000", "--input-tokens", "10000",
                 "--cached-input-share", "80%", "--cache-write-tokens", "200", "--output-tokens", "500",
                 "--batch-share", "100%", "--as-of", "2026-12-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout, parse_float=D)["monthly_cost"] == D("2.675")


def test_compare_top_names_only_the_models_the_report_shows(tmp_path: Path) -> None:
    catalog_path, path = _files(tmp_path, BATCHED)
    args = ("compare", path, "--models", "alpha,beta,tiny,mid,omega", "--catalog", catalog_path, "--as-of", "2025-08-01",
            "--top", "2")
    # ranked tiny 0.36, beta 0.875, mid 2.00, omega 4.00, alpha 7.20 (as above); --top 2 shows tiny and beta.
    # Without a batch API: beta, mid, omega. The report names beta (a row) and omega (the like-for-like answer,
    # the frontier class's cheapest, and the cheapest of that class per vendor: omega 4.00, alpha 7.20), not mid.
    document = json.loads(run(*args, "--format", "json").stdout, parse_float=D)
    assert [c["model"] for c in document["candidates"]] == ["tiny", "beta"]
    assert document["batch_at_standard_rates"] == ["beta", "omega"]
    text = run(*args, env={"COLUMNS": "200"}).stdout
    assert "Cheapest like for like (frontier): omega at $4.00 a month" in text
    assert "the batch share is priced at standard rates, an upper bound, on beta, omega\n" in text
    # all of them shown: all three named
    everything = json.loads(run(*args[:-2], "--format", "json").stdout, parse_float=D)
    assert everything["batch_at_standard_rates"] == ["beta", "mid", "omega"]
