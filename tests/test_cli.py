"""The real command line against golden output (colour off, fixed width), and its JSON contract.

Regenerate the golden files after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_cli.py`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import run
from conftest import DATA, TEST_CATALOG

GOLDEN = Path(__file__).parent / "golden"
FEATURES = str(DATA / "features.toml")
ON_TEST_CATALOG = ("--catalog", str(TEST_CATALOG), "--as-of", "2025-08-01")


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cost_features.txt", ("cost", FEATURES, *ON_TEST_CATALOG)),
        ("compare_features.txt", ("compare", FEATURES, *ON_TEST_CATALOG)),
        ("compare_example.txt", ("compare", "--as-of", "2026-03-01", "--vendor", "deepseek,zhipu")),
        ("pricing_show_sonnet.txt", ("pricing", "show", "claude-sonnet-4", "--as-of", "2026-03-01")),
        ("pricing_history_gpt4o.txt", ("pricing", "history", "gpt-4o", "--as-of", "2026-03-01")),
    ],
)
def test_golden_output(name: str, args: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # no ./aicost.toml here: the built-in example
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    check_golden(name, result.stdout.replace(str(DATA) + os.sep, "tests/data/"))


def test_cost_json_contract() -> None:
    result = run("cost", FEATURES, "--format", "json", *ON_TEST_CATALOG)
    document = json.loads(result.stdout, parse_float=Decimal)
    assert {"schema_version", "catalog_version", "as_of", "currency", "monthly_cost", "streams"} <= document.keys()
    assert document["schema_version"] == 1
    assert document["catalog_version"] == "2025.1.0"
    assert document["as_of"] == "2025-08-01"
    agent, long_docs, triage = document["streams"]
    # agent: worked in tests/test_calc.py::test_every_feature_together -> 15.42
    assert agent["monthly_cost"] == Decimal("15.42")
    assert agent["breakdown"] == {"input": Decimal("4.48"), "cached_input": Decimal("0.2"), "cache_write": Decimal("0.5"),
                                  "output": Decimal("10.24")}
    # long-docs: 24/day x 730/24 = 730 requests; 100001 input > 100000 -> whole request at the tier (8 / 24):
    # (100001 x 8 + 1000 x 24) / 1e6 = 0.824008 x 730 = 601.52584
    assert long_docs["monthly_requests"] == 730
    assert long_docs["monthly_cost"] == Decimal("601.52584")
    assert long_docs["long_context_tier_above"] == 100000
    # triage: 2/hour x 730 = 1460 requests x (2000 x 0.5 + 500 x 1.5) / 1e6 = 1460 x 0.00175 = 2.555
    assert triage["monthly_cost"] == Decimal("2.555")
    # total 15.42 + 601.52584 + 2.555 = 619.50084
    assert document["monthly_cost"] == Decimal("619.50084")


def test_compare_json_contract() -> None:
    result = run("compare", FEATURES, "--format", "json", *ON_TEST_CATALOG)
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["baseline_monthly_cost"] == Decimal("619.50084")
    assert [c["model"] for c in document["candidates"]] == ["alpha"]
    assert set(document["candidates"][0]) >= {"model", "vendor", "monthly_cost", "ratio_to_baseline"}
    # all on alpha, triage moves from beta: 1460 x (2000 x 4 + 500 x 16) / 1e6 = 23.36
    # 15.42 + 601.52584 + 23.36 = 640.30584; / 619.50084 = 1.0335835... -> 1.033583 (6 places)
    assert document["candidates"][0]["monthly_cost"] == Decimal("640.30584")
    assert document["candidates"][0]["ratio_to_baseline"] == Decimal("1.033583")
    # beta has no cache prices, gamma-free none either (the workload caches), delta no output price
    assert {e["model"] for e in document["excluded"]} == {"beta", "gamma-free", "delta"}
    assert all(e["reason"] for e in document["excluded"])
    assert {e["host"] for e in document["excluded"]} == {"vendor"}  # always named, the vendor's own API here


def test_example_workload_is_announced_on_stderr(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("cost", "--as-of", "2026-03-01", "--format", "json")
    assert "built-in example" in result.stderr
    # chat: 20000/day x 730/24 = 608333.33... requests x (1800 x 3 + 350 x 15) / 1e6 = x 0.01065 = 6478.75
    # ticket-triage (gpt-4o from [defaults]): 400/h x 730 = 292000 x (900 x 2.5 + 60 x 10) / 1e6 = 832.2
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("7310.95")


def test_local_workload_file_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "aicost.toml").write_text(
        'version = 1\n[[streams]]\nmodel = "gpt-4o"\nrequests_per_month = 1000\ninput_tokens = 1000\noutput_tokens = 100\n',
        encoding="utf-8",
    )
    result = run("cost", "--as-of", "2026-03-01", "--format", "json")
    assert "using ./aicost.toml" in result.stderr
    # 1000 x (1000 x 2.5 + 100 x 10) / 1e6 = 3.5
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("3.5")


def test_stdin_workload() -> None:
    text = (DATA / "features.toml").read_text(encoding="utf-8")
    result = run("cost", "-", "--format", "json", *ON_TEST_CATALOG, stdin=text)
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("619.50084")


def test_json_workload_with_same_keys(tmp_path: Path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"version": 1, "streams": [
        {"name": "a", "model": "beta", "requests_per_month": 1000, "input_tokens": 2000, "output_tokens": 500}]}))
    result = run("cost", str(path), "--format", "json", *ON_TEST_CATALOG)
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("1.75")


def test_init_writes_a_file_that_prices_like_the_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").exit_code == 0
    text = (tmp_path / "aicost.toml").read_text(encoding="utf-8")
    assert text.startswith("# aicost workload file")
    again = run("init")
    assert again.exit_code == 2 and "already exists" in again.stderr
    assert (tmp_path / "aicost.toml").read_text(encoding="utf-8") == text  # nothing lost
    from_file = run("cost", "aicost.toml", "--as-of", "2026-03-01", "--format", "json")
    assert json.loads(from_file.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("7310.95")


def test_pricing_history_json_periods() -> None:
    document = json.loads(run("pricing", "history", "gpt-4o", "--format", "json").stdout, parse_float=Decimal)
    first, second = document["periods"][:2]
    assert (first["since"], first["input"], first["output"]) == ("2024-05-13", Decimal("5.00"), Decimal("15.00"))
    assert (second["input"], second["output"]) == (Decimal("2.50"), Decimal("10.00"))


def test_export_is_accepted_by_catalog_option(tmp_path: Path) -> None:
    exported = tmp_path / "catalog.json"
    assert run("pricing", "export", "--format", "json", "--output", str(exported)).exit_code == 0
    result = run("cost", "--catalog", str(exported), "--as-of", "2026-03-01", "--format", "json")
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("7310.95")
    toml_export = tmp_path / "catalog.toml"
    assert run("pricing", "export", "--output", str(toml_export)).exit_code == 0
    assert run("pricing", "validate", str(toml_export)).exit_code == 0


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("aicost ")


@pytest.mark.slow
def test_console_entry_points(tmp_path: Path) -> None:
    """The installed script and `python -m aicost` both run, from outside the checkout."""
    env = {**os.environ, "NO_COLOR": "1"}
    module = subprocess.run([sys.executable, "-m", "aicost", "cost", "--as-of", "2026-03-01", "-f", "json"],
                            capture_output=True, text=True, cwd=tmp_path, env=env, check=False)
    assert module.returncode == 0, module.stderr
    assert json.loads(module.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("7310.95")
    bad = subprocess.run([sys.executable, "-m", "aicost", "cost", "missing.toml"], capture_output=True, text=True,
                         cwd=tmp_path, env=env, check=False)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stdout == ""
