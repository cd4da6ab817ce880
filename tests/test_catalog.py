"""The shipped catalog passes its own validation and carries the source article's prices; bad catalogs fail."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.catalog import catalog_document, catalog_from_document, load_bundled_catalog, load_catalog
from aicost.errors import InputError, UnknownModelError

EARLY_2026 = dt.date(2026, 2, 15)
TODAY = dt.date(2026, 11, 25)

# The source article's table ("early 2026", USD per million tokens); None = not given (unknown).
SEED_TABLE = {
    "gpt-4o": ("2.50", "10.00"),
    "claude-sonnet-4": ("3.00", "15.00"),
    "gpt-5.2-pro": ("21.00", "168.00"),
    "qwen3-max": ("0.46", "1.84"),
    "qwen3.5-plus": ("0.12", None),
    "glm-4.7": ("0.60", "2.20"),
    "glm-4.7-flash": ("0", "0"),
    "deepseek-v2": ("0.14", "0.28"),
}


def test_shipped_catalog_is_valid_and_large_enough() -> None:
    catalog = load_bundled_catalog()
    assert catalog.version == "2026.12.1"
    assert len(catalog.models) >= 25
    vendors = {m.vendor for m in catalog.models}
    assert vendors == {"openai", "anthropic", "alibaba", "zhipu", "deepseek", "google"}
    for vendor in vendors:
        classes = {m.size_class for m in catalog.models if m.vendor == vendor}
        assert {"small", "frontier"} <= classes, vendor


@pytest.mark.parametrize("day", [EARLY_2026, TODAY])
@pytest.mark.parametrize(("model_id", "prices"), SEED_TABLE.items())
def test_seed_table_prices(model_id: str, prices: tuple[str, str | None], day: dt.date) -> None:
    period = load_bundled_catalog().resolve(model_id).period_on(day)
    assert period is not None
    expected_input, expected_output = prices
    assert period.rates.input == Decimal(expected_input)
    if expected_output is None:
        assert period.rates.output is None  # unknown, not free
    else:
        assert period.rates.output == Decimal(expected_output)


def test_every_period_is_sourced_and_dated() -> None:
    for model in load_bundled_catalog().models:
        for period in model.periods:
            assert period.source.strip(), model.id
            assert period.checked >= period.since or period.checked.year >= 2024, model.id


def test_price_history() -> None:
    catalog = load_bundled_catalog()
    gpt4o = catalog.resolve("gpt-4o")
    launch = gpt4o.period_on(dt.date(2024, 6, 1))
    assert launch is not None
    assert (launch.rates.input, launch.rates.output) == (Decimal("5.00"), Decimal("15.00"))
    assert len(catalog.resolve("deepseek-chat").periods) >= 3


def test_article_period_keeps_vendor_prices() -> None:
    # claude-sonnet-4's early-2026 period carries cache, batch and the long-context tier, not only 3 / 15
    period = load_bundled_catalog().resolve("claude-sonnet-4").period_on(EARLY_2026)
    assert period is not None
    assert period.rates.cache_read == Decimal("0.30")
    assert period.rates.cache_write == Decimal("3.75")
    assert period.rates.batch_input == Decimal("1.50")
    assert [t.above_input_tokens for t in period.tiers] == [200000]
    assert period.tiers[0].rates.input == Decimal("6.00")


def test_aliases_resolve_and_suggest() -> None:
    catalog = load_bundled_catalog()
    assert catalog.resolve("GPT-4o").id == "gpt-4o"
    with pytest.raises(UnknownModelError, match="did you mean 'gpt-4o'"):
        catalog.resolve("gpt4o")


def test_export_round_trips() -> None:
    catalog = load_bundled_catalog()
    again = catalog_from_document(catalog_document(catalog), "exported")
    assert again.models == catalog.models
    assert again.version == catalog.version


def broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(catalog_document(load_bundled_catalog()))
    change(document)
    return document


def first_period(d: dict[str, Any]) -> dict[str, Any]:
    period: dict[str, Any] = d["vendors"][0]["models"][0]["periods"][0]
    return period


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: first_period(d).update(colour="red"), "unknown key 'colour'"),
        (lambda d: first_period(d).update(input=Decimal(-1)), "input: must be >= 0"),
        (lambda d: first_period(d).pop("source"), "source: is required"),
        (lambda d: first_period(d).pop("checked"), "checked: is required"),
        (lambda d: d["vendors"][0]["models"][0]["periods"].reverse(), "periods must be in date order"),
        (lambda d: d["vendors"][0]["models"][1].update(aliases=["gpt-4o"]), "ids and aliases must be unique"),
        (lambda d: d["vendors"][0]["models"][0].update({"class": "huge"}), "is not a size class"),
        (lambda d: d.update(catalog_version="v1"), "is not a CalVer version"),
        (
            lambda d: first_period(d).update(tiers=[{"above_input_tokens": 200, "input": 1}, {"above_input_tokens": 100, "input": 2}]),
            "ascending order",
        ),
    ],
)
def test_validation_rejects(change: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        catalog_from_document(broken(change), "broken.toml")


def test_catalog_version_lookup() -> None:
    assert load_catalog("2026.12.1").version == "2026.12.1"
    with pytest.raises(InputError, match="no catalog of that version"):
        load_catalog("2020.1.0")


def test_the_generated_bundled_catalog_is_the_toml_catalog() -> None:
    """`_bundled_catalog` (what commands load) rebuilds exactly what pricing/*.toml validates to."""
    generated, from_sources = load_bundled_catalog(), load_bundled_catalog(from_sources=True)
    assert (generated.version, generated.released, generated.vendors) == (from_sources.version, from_sources.released,
                                                                          from_sources.vendors)
    assert generated.models == from_sources.models


RETIRING = """catalog_version = "2099.1.0"
released = 2099-01-01
[[vendors]]
vendor = "acme"
[[vendors.models]]
id = "old-model"
class = "small"
context_window = 2000  # holds a request of 1,000 input + 500 output tokens
retired = 2099-06-01
successor = "new-model"
[[vendors.models.periods]]
since = 2099-01-01
input = 1
output = 2
source = "test"
checked = 2099-01-01
[[vendors.models]]
id = "new-model"
class = "small"
context_window = 2000
[[vendors.models.periods]]
since = 2099-05-01
input = 0.5
output = 1
source = "test"
checked = 2099-05-01
"""


def test_retired_models_price_before_and_refuse_after(tmp_path: Path) -> None:
    """--as-of on both sides of a retirement: the period's price the day before, the retirement message on the day."""
    from clihelp import run_main

    catalog = tmp_path / "c.toml"
    catalog.write_text(RETIRING, encoding="utf-8")
    stream = ["--model", "old-model", "--requests-per-month", "1000", "--input-tokens", "1000", "--output-tokens", "500"]
    # 1000 x (1000 x $1 + 500 x $2) / 1e6 = $2
    before = run_main("cost", *stream, "--catalog", str(catalog), "--as-of", "2099-05-31", "--format", "csv")
    assert before.exit_code == 0 and before.stdout.splitlines()[-1] == "total,,1000,1,0,0,1,2"
    after = run_main("cost", *stream, "--catalog", str(catalog), "--as-of", "2099-06-01")
    assert (after.exit_code, after.stderr) == (2, "aicost: error: old-model was retired on 2099-06-01 — use new-model\n")
    compared = run_main("compare", *stream, "--catalog", str(catalog), "--as-of", "2099-06-01", "--format", "json")
    assert '"reason": "old-model was retired on 2099-06-01 — use new-model"' in compared.stdout
    listed = run_main("pricing", "list", "--catalog", str(catalog), "--as-of", "2099-06-01")
    assert "old-model †" in listed.stdout and "old-model †: retired on 2099-06-01, succeeded by new-model" in listed.stdout
    exported = run_main("pricing", "export", "--catalog", str(catalog)).stdout
    assert 'retired = 2099-06-01\nsuccessor = "new-model"' in exported


def test_a_successor_must_exist(tmp_path: Path) -> None:
    from clihelp import run_main

    catalog = tmp_path / "c.toml"
    catalog.write_text(RETIRING.replace('successor = "new-model"', 'successor = "nothing"'), encoding="utf-8")
    result = run_main("pricing", "validate", str(catalog))
    assert result.exit_code == 2 and "successor 'nothing' is not a model id of the catalog" in result.stderr


def test_both_sides_of_every_price_change_and_retirement() -> None:
    """For every model of the shipped catalog: the day before each period, the previous period's prices (or none);
    on its first day, its own; from a retirement on, the retirement."""
    from aicost.calc import price_period
    from aicost.errors import RetiredError, UnpricedError

    for model in load_bundled_catalog().models:
        for index, period in enumerate(model.periods):
            day_before = period.since - dt.timedelta(days=1)
            if index == 0:
                with pytest.raises(UnpricedError):
                    price_period(model, day_before)
            else:
                assert price_period(model, day_before) is model.periods[index - 1]
            if not model.retired_on(period.since):
                assert price_period(model, period.since) is period
        if model.retired is not None:
            assert price_period(model, model.retired - dt.timedelta(days=1)) is model.period_on(model.retired)
            with pytest.raises(RetiredError, match=f"retired on {model.retired}"):
                price_period(model, model.retired)


def test_snapshots_keep_their_own_history() -> None:
    """gpt-4o-2024-08-06 cost 2.50 / 10 from its release, while the gpt-4o alias still served the 5 / 15 snapshot."""
    catalog = load_bundled_catalog()
    day = dt.date(2024, 9, 1)
    assert catalog.resolve("gpt-4o-2024-08-06").period_on(day).rates.input == Decimal("2.50")  # type: ignore[union-attr]
    assert catalog.resolve("gpt-4o").period_on(day).rates.input == Decimal("5.00")  # type: ignore[union-attr]


def test_ids_and_aliases_that_differ_only_in_case_conflict(tmp_path: Path) -> None:
    """Models are looked up whatever the case, so an alias 'New-Model' on one model and the id 'new-model' of another
    would make `--model New-Model` and `--model new-model` name different models: refused, both named."""
    from clihelp import run_main

    catalog = tmp_path / "c.toml"
    catalog.write_text(RETIRING.replace('successor = "new-model"\n', 'aliases = ["New-Model"]\n'), encoding="utf-8")
    result = run_main("pricing", "validate", str(catalog))
    assert result.exit_code == 2
    assert result.stderr == (f"aicost: error: {catalog}: 'new-model' (as 'New-Model') names both old-model and new-model "
                             "— ids and aliases must be unique, whatever their case\n")
    # an alias in capitals is found whatever the case it is written in
    catalog.write_text(RETIRING.replace('successor = "new-model"\n', 'aliases = ["Old-Alias"]\n'), encoding="utf-8")
    listed = run_main("pricing", "history", "OLD-ALIAS", "--catalog", str(catalog), "--format", "json")
    assert listed.exit_code == 0 and '"model": "old-model"' in listed.stdout, listed.stderr
