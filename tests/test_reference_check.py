"""`pricing check --against` on the four reference shapes: prices, long-context tiers and retirements compared,
explanations matched, stale explanations found.

The reference files in data/check are small hand-made copies in the real shapes (LiteLLM's price file,
genai-prices' v2 data.json, models.dev's api.json, an llm-prices vendor file), checked against data/check/
catalog.toml (real ids, round prices) on 2026-12-07.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.catalog import catalog_from_document, load_bundled_catalog
from aicost.catalog.importers import read_json
from aicost.catalog.reference_check import check, read_explained, read_reference, stale_explanations
from aicost.documents import read_document
from clihelp import run_main

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "check"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
AT = ["--as-of", "2026-12-07", "--catalog", str(DATA / "catalog.toml")]
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data is not beside the checkout")


@pytest.fixture
def none_explained(tmp_path: Path) -> str:
    path = tmp_path / "explained.toml"
    path.write_text("# nothing reviewed\n", encoding="utf-8")
    return str(path)


def run_check(name: str, explained: str, *more: str) -> tuple[int, dict[str, Any], str]:
    result = run_main("pricing", "check", "--against", str(DATA / name), "--explained", explained, *AT, "--format", "json",
                      *more)
    return result.exit_code, json.loads(result.stdout, parse_float=Decimal), result.stderr


def rows(document: dict[str, Any], key: str) -> list[tuple[Any, ...]]:
    return [tuple(v for k, v in row.items() if k != "explained") for row in document[key]]


def test_litellm_retirements_tiers_and_prices(none_explained: str) -> None:
    code, document, stderr = run_check("litellm.json", none_explained)
    assert code == 1
    assert document["reference"] == "litellm"
    # claude-haiku-4-5, claude-opus-4 (its snapshot), claude-opus-4-1, gpt-4o, gpt-5.6-terra; not mistral's model
    assert document["compared"] == 5
    # gpt-4o at 2.4e-06 per token: 2.4e-06 x 1,000,000 = 2.40 against the catalog's 2.50
    assert rows(document, "disagreements") == [("gpt-4o", "input", Decimal("2.5"), Decimal("2.4"))]
    # gpt-4o: LiteLLM's *_above_128k_tokens (5e-06 -> 5, 1.5e-05 -> 15), a tier the catalog does not have;
    # gpt-5.6-terra >272K: output 2e-05 -> 20 against the catalog's 18 (input 4, cache read 0.40 agree: no row)
    assert rows(document, "tiers") == [
        ("gpt-4o", 128000, "input", None, Decimal(5)), ("gpt-4o", 128000, "output", None, Decimal(15)),
        ("gpt-5.6-terra", 272000, "output", Decimal(18), Decimal(20))]
    # claude-haiku-4-5: deprecated 2026-11-01, the catalog gives no date and still sells it on 2026-12-07;
    # claude-opus-4 (the dated snapshot's date, under the catalog's undated id): 2026-06-15 against 2026-05-14;
    # claude-opus-4-1: 2026-08-05 on both sides, no row; mistral's model is not the catalog's
    assert rows(document, "retirements") == [("claude-haiku-4-5", None, "2026-11-01", True),
                                             ("claude-opus-4", "2026-06-15", "2026-05-14", False)]
    assert document["unexplained"] == 1 + 3 + 2
    assert stderr.endswith(f"aicost: 6 difference(s) with litellm are not explained in {none_explained}\n")


def test_explained_differences_pass_and_each_names_its_reference(tmp_path: Path) -> None:
    explained = tmp_path / "explained.toml"
    entries = [("gpt-4o", "input", "litellm"), ("gpt-4o", "tiers", "*"), ("gpt-5.6-terra", "tiers", "litellm"),
               ("claude-haiku-4-5", "retirement", "litellm"), ("claude-opus-4", "retirement", "genai-prices")]
    explained.write_text("".join(f'[[explained]]\nmodel = "{m}"\nprice = "{p}"\nreference = "{r}"\nreason = "r-{m}-{p}"\n\n'
                                 for m, p, r in entries), encoding="utf-8")
    code, document, _ = run_check("litellm.json", str(explained))
    # claude-opus-4's retirement is explained for genai-prices only: still unexplained against LiteLLM
    assert code == 1 and document["unexplained"] == 1
    assert [r["explained"] for r in document["retirements"]] == ["r-claude-haiku-4-5-retirement", None]
    assert {t["explained"] for t in document["tiers"] if t["model"] == "gpt-4o"} == {"r-gpt-4o-tiers"}
    explained.write_text(explained.read_text().replace('reference = "genai-prices"', 'reference = "litellm"'))
    code, document, stderr = run_check("litellm.json", str(explained))
    assert (code, document["unexplained"], stderr) == (0, 0, "")


def test_genai_prices_data_is_read(none_explained: str) -> None:
    code, document, _ = run_check("genai-prices.json", none_explained)
    assert code == 1 and document["reference"] == "genai-prices"
    # claude-opus-5's 1-hour cache write: 12 against the catalog's 10 (its other prices agree)
    assert rows(document, "disagreements") == [("claude-opus-5", "cache_write_1h", Decimal(10), Decimal(12))]
    # gpt-4o: tiered input and output from 128,000 tokens (5 and 15); gpt-5.6-terra: genai-prices gives no tier,
    # so the catalog's >272K tier is on one side only, each of its three prices a row
    assert rows(document, "tiers") == [
        ("gpt-4o", 128000, "input", None, Decimal(5)), ("gpt-4o", 128000, "output", None, Decimal(15)),
        ("gpt-5.6-terra", 272000, "input", Decimal(4), None), ("gpt-5.6-terra", 272000, "output", Decimal(18), None),
        ("gpt-5.6-terra", 272000, "cache_read", Decimal("0.4"), None)]
    # claude-haiku-4-5 is flagged `deprecated` without a date: nothing to compare a retirement date with
    assert document["retirements"] == []


def test_models_dev_api_json_is_read(none_explained: str) -> None:
    code, document, _ = run_check("models-dev.json", none_explained)
    assert code == 1 and document["reference"] == "models.dev"
    assert rows(document, "disagreements") == [("gpt-4.1", "cache_read", Decimal("0.5"), Decimal("0.4"))]
    # context_over_200k: a tier above 200,000 input tokens the catalog does not give for claude-opus-5
    assert rows(document, "tiers") == [("claude-opus-5", 200000, "input", None, Decimal(10)),
                                       ("claude-opus-5", 200000, "output", None, Decimal("37.5"))]
    assert document["unexplained"] == 3


def test_the_table_shows_tiers_and_retirements_and_csv_the_prices(none_explained: str) -> None:
    table = run_main("pricing", "check", "--against", str(DATA / "litellm.json"), "--explained", none_explained, *AT,
                     env={"COLUMNS": "200"})
    assert table.exit_code == 1
    assert table.stdout.startswith("1 price(s), 3 tier price(s) and 2 retirement(s) differ from litellm: 6 unexplained\n")
    assert "Retirements (sold: the catalog still sells the model on 2026-12-07)" in table.stdout
    line = next(line for line in table.stdout.splitlines() if line.startswith("claude-opus-4 "))
    assert line.split() == ["claude-opus-4", "2026-06-15", "2026-05-14", "no", "NO"]
    csv = run_main("pricing", "check", "--against", str(DATA / "litellm.json"), "--explained", none_explained, *AT,
                   "--format", "csv")
    assert csv.stdout.splitlines() == ["model,price,catalog,reference,explained", "gpt-4o,input,2.5,2.4,NO"]


def test_an_llm_prices_file_of_another_vendor_is_read_and_compares_nothing(none_explained: str) -> None:
    code, document, stderr = run_check("llm-prices-mistral.json", none_explained)
    assert code == 0 and document["reference"] == "llm-prices" and document["unexplained"] == 0
    assert "none of its 1 model(s) is in the catalog" in stderr and "1 a vendor aicost does not cover" in stderr


def test_llm_prices_z_ai_file_is_zhipu(none_explained: str) -> None:
    """llm-prices names Zhipu's file and vendor `z.ai`: read as Zhipu; glm-4.7 is not in the test catalog."""
    code, document, stderr = run_check("llm-prices-z.ai.json", none_explained)
    assert (code, document["reference"], stderr.count("\n")) == (1, "llm-prices", 1)
    assert rows(document, "disagreements") == [("glm-5", "cache_read", Decimal("0.2"), Decimal("0.25"))]


@pytest.mark.parametrize(("day", "expected"), [
    # glm-5's dynamicPricing: 1.00 before the cutoff of 2026-12-01, 1.20 from that day
    ("2026-12-07", [("glm-5", "input", Decimal(1), Decimal("1.2")), ("gpt-4.1", "output", Decimal(8), Decimal(7))]),
    ("2026-11-30", [("gpt-4.1", "output", Decimal(8), Decimal(7))]),
])
def test_llm_prices_older_root_file_is_read(none_explained: str, day: str, expected: list[tuple[Any, ...]]) -> None:
    """llm-prices' prices.json ({id: {name, input, output}}): gpt-4o agrees, claude-opus-4 is retired on the day (its
    prices not compared), deepseek-chat is not in the test catalog."""
    result = run_main("pricing", "check", "--against", str(DATA / "llm-prices-legacy.json"), "--explained", none_explained,
                      "--catalog", str(DATA / "catalog.toml"), "--as-of", day, "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    assert (result.exit_code, document["reference"]) == (1, "llm-prices")
    assert rows(document, "disagreements") == expected


@pytest.mark.parametrize(("entry", "message"), [
    ('price = "tier"', "'tier' is not something a check compares — use one of input, output"),
    ('price = "input"\nreference = "openrouter"', "'openrouter' is not a reference — use one of litellm, llm-prices"),
])
def test_an_explanation_of_nothing_a_check_compares_is_refused(tmp_path: Path, entry: str, message: str) -> None:
    explained = tmp_path / "explained.toml"
    explained.write_text(f'[[explained]]\nmodel = "gpt-4o"\n{entry}\nreason = "x"\n', encoding="utf-8")
    result = run_main("pricing", "check", "--against", str(DATA / "litellm.json"), "--explained", str(explained), *AT)
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and message in result.stderr and "explained.toml" in result.stderr


def test_a_json_file_of_no_known_shape_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "prices.json"
    other.write_text('{"gpt-4o": {"price": 1}}', encoding="utf-8")
    result = run_main("pricing", "check", "--against", str(other), *AT)
    assert result.exit_code == 2
    assert result.stderr == (f"aicost: error: --against {other}: not a price file aicost knows — give LiteLLM's price "
                             "file, an llm-prices vendor file, genai-prices' data.json or models.dev's api.json\n")


def checks_of(files: list[Path], day: dt.date, explained: dict[tuple[str, str, str], str]) -> list[Any]:
    catalog = load_bundled_catalog()
    found = []
    for path in files:
        name, quotes, skipped = read_reference(read_json(path.read_bytes(), str(path)), day, catalog)
        found.append(check(catalog, name, quotes, skipped, day, explained))
    return found


def test_stale_explanations_are_the_ones_no_difference_uses() -> None:
    explained = {("gpt-4o", "input", "litellm"): "used", ("gpt-4o", "tiers", "*"): "used",
                 ("gpt-4o", "input", "models.dev"): "no such difference with models.dev",
                 ("claude-opus-4", "retirement", "litellm"): "used", ("o3", "input", "*"): "no difference at all"}
    ours = catalog_from_document(read_document(str(DATA / "catalog.toml"), "catalog")[1], "the test catalog")
    day = dt.date(2026, 12, 7)
    found = []
    for name in ("litellm.json", "models-dev.json"):
        path = DATA / name
        reference, quotes, skipped = read_reference(read_json(path.read_bytes(), name), day, ours)
        found.append(check(ours, reference, quotes, skipped, day, explained))
    assert stale_explanations(explained, found) == [("gpt-4o", "input", "models.dev"), ("o3", "input", "*")]


@needs_shared
def test_no_entry_of_explained_toml_is_stale_against_the_reference_copies() -> None:
    """Every reviewed explanation still explains a difference with the stored reference copies (LiteLLM's file and
    llm-prices' vendor files): one that explains nothing is to be removed."""
    label, document = read_document(str(ROOT / "pricing" / "explained.toml"), "explained")
    explained = read_explained(document, label)
    found = checks_of(sorted(SHARED.glob("*.json")), dt.date(2026, 12, 7), explained)
    assert {c.reference for c in found} == {"litellm", "llm-prices"}
    assert [c.unexplained for c in found] == [0] * len(found)
    assert stale_explanations(explained, found) == []


def test_models_skipped_for_unreadable_dates_are_not_called_missing(tmp_path: Path) -> None:
    """A LiteLLM file whose only models (gpt-4o and gpt-4.1, both in the catalog) have deprecation dates that do not
    exist: nothing is compared, and the note says why — not that they are not in the catalog."""
    entry = {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
             "output_cost_per_token": 1e-05, "max_input_tokens": 128000, "max_output_tokens": 16384}
    path = tmp_path / "litellm.json"
    path.write_text(json.dumps({"gpt-4o": {**entry, "deprecation_date": "2026-02-30"},
                                "gpt-4.1": {**entry, "deprecation_date": "0000-01-01"}}), encoding="utf-8")
    result = run_main("pricing", "check", "--against", str(path), "--as-of", "2026-11-02", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["disagreements"] == []
    assert result.stderr == (f"aicost: --against {path}: none of its 2 model(s) could be compared: 2 a deprecation "
                             "date that is not a date (YYYY-MM-DD, a day that exists)\n")
