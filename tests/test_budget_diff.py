"""`aicost budget` and `aicost diff`: their JSON contract and arithmetic, worked out by hand.

Workloads and prices: see tests/shellhelp.py (OLD costs 8.155 a month at 2025-08-01, NEW 2.694).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.errors import InputError
from aicost.quantities import parse_amount, parse_fraction
from clihelp import run
from shellhelp import AUGUST, NEW_COST, OLD_COST, ON_TEST_CATALOG, TEST_CATALOG, write_workloads

D = Decimal
ENVELOPE = {"schema_version", "catalog_version", "as_of", "currency"}


def doc(*args: str, code: int = 0) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == code, result.stderr
    value: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return value


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = write_workloads(tmp_path)
    return str(old), str(new)


@pytest.mark.parametrize(("text", "value"), [
    ("5000", D(5000)), ("5,000", D(5000)), ("$5000", D(5000)), ("$5,000.50", D("5000.50")), (" $ 12.5 ", D("12.5")),
    ("1,234,567", D(1234567)), ("0", D(0)),
])
def test_amounts_as_people_write_them(text: str, value: Decimal) -> None:
    assert parse_amount(text, "--max") == value


@pytest.mark.parametrize("text", ["", "5,00", "5000$", "five", "1e3", "$", "5.000,00", "nan"])
def test_bad_amounts_name_the_option_and_the_fix(text: str) -> None:
    with pytest.raises(InputError, match=r"^--max .*: not an amount — write a number such as 5000"):
        parse_amount(text, "--max")
    with pytest.raises(InputError, match=r"^--max -5: must not be negative$"):
        parse_amount("-5", "--max")


@pytest.mark.parametrize(("text", "value"), [("80%", D("0.8")), ("12.5 %", D("0.125")), ("0.8", D("0.8")), ("150%", D("1.5"))])
def test_fractions(text: str, value: Decimal) -> None:
    assert parse_fraction(text, "--warn-at", maximum=None) == value


@pytest.mark.parametrize("text", ["80", "-5%", "x%", "abc"])
def test_bad_fractions(text: str) -> None:
    with pytest.raises(InputError, match=r"^--warn-at "):
        parse_fraction(text, "--warn-at", maximum=None)


def test_budget_json_contract(files: tuple[str, str]) -> None:
    old, _ = files
    within = doc("budget", old, "--max", "$10", *ON_TEST_CATALOG)
    assert within.keys() >= ENVELOPE
    # 10 - 8.155 = 1.845 headroom; 8.155 / 10 = 0.8155 used
    assert (within["monthly_cost"], within["budget"], within["headroom"], within["within_budget"]) == (OLD_COST, 10, D("1.845"), True)
    assert (within["budget_used"], within["warning"], within["as_of"]) == (D("0.8155"), False, AUGUST)
    over = doc("budget", old, "--max", "8", *ON_TEST_CATALOG, code=1)
    assert (over["headroom"], over["within_budget"]) == (D("-0.155"), False)


def test_budget_from_the_file_and_warnings(files: tuple[str, str], tmp_path: Path) -> None:
    old, _ = files
    budgeted = tmp_path / "budgeted.toml"
    budgeted.write_text(Path(old).read_text() + "\n[budget]\nmonthly = 9\n")
    result = run("budget", str(budgeted), *ON_TEST_CATALOG, "--warn-at", "90%")
    # 8.155 / 9 = 90.61 % > 90 %: within (exit 0) but warned on stderr; headroom 0.845, shown half-even as $0.84
    assert result.exit_code == 0
    assert "Within budget: $8.16 of $9.00 a month (90.6 %), headroom $0.84" in result.stdout
    assert result.stderr == "aicost: warning: monthly cost $8.16 is 90.6 % of the budget $9.00 (--warn-at 90.0 %)\n"
    document = doc("budget", str(budgeted), *ON_TEST_CATALOG, "--warn-at", "0.95")
    assert document["budget_source"] == f"[budget] monthly in {budgeted}" and document["warning"] is False
    over = run("budget", str(budgeted), *ON_TEST_CATALOG, "--max", "8")
    assert over.exit_code == 1 and "Over budget by $0.16" in over.stdout  # --max beats the file
    assert over.stderr.startswith("aicost: over budget: monthly cost $8.16 exceeds the budget $8.00 by $0.16")


def test_budget_without_any_budget_is_bad_input(files: tuple[str, str]) -> None:
    result = run("budget", files[0], *ON_TEST_CATALOG)
    assert result.exit_code == 2
    assert result.stderr == (f"aicost: error: {files[0]}: no budget to check against — give --max AMOUNT or add "
                             "[budget] monthly = AMOUNT to the workload file\n")


def test_diff_json_contract(files: tuple[str, str]) -> None:
    old, new = files
    document = doc("diff", old, new, *ON_TEST_CATALOG)
    assert document.keys() >= ENVELOPE
    assert (document["old_monthly_cost"], document["new_monthly_cost"], document["change"]) == (OLD_COST, NEW_COST, D("-5.461"))
    assert document["change_share"] == D("-0.669651")  # -5.461 / 8.155 = -0.6696505...
    streams = {s["name"]: s for s in document["streams"]}
    assert list(streams) == ["chat", "extract", "triage"]
    chat = streams["chat"]
    assert (chat["status"], chat["old_model"], chat["new_model"]) == ("changed", "alpha", "beta")
    assert (chat["old_monthly_cost"], chat["new_monthly_cost"], chat["change"]) == (D("5.6"), D("0.65"), D("-4.95"))
    assert chat["changes"] == {"model": {"old": "alpha", "new": "beta"}}
    extract = streams["extract"]
    # alpha-latest resolves to alpha; 730 a month x 0.0028 = 2.044
    assert (extract["status"], extract["new_model"], extract["old_model"], extract["change"]) == ("added", "alpha", None, D("2.044"))
    assert (streams["triage"]["status"], streams["triage"]["change"]) == ("removed", D("-2.555"))
    assert "max_increase" not in document


def test_diff_of_volume_and_tokens(files: tuple[str, str], tmp_path: Path) -> None:
    old, _ = files
    grown = tmp_path / "grown.toml"
    text = Path(old).read_text().replace("requests_per_month = 1000", "requests_per_day = 100")
    text = text.replace("output_tokens = 500", "output_tokens = 1000")
    grown.write_text(text)
    document = doc("diff", old, str(grown), *ON_TEST_CATALOG, "--max-increase", "$20")
    streams = {s["name"]: s for s in document["streams"]}
    # chat: 100 a day x 730 / 24 = 3041.67 a month x 0.0056 = 17.033333; change 17.033333 - 5.60 = 11.433333
    assert streams["chat"]["changes"] == {"monthly_requests": {"old": 1000, "new": D("3041.666667")}}
    assert streams["chat"]["change"] == D("11.433333")
    # triage: output 500 -> 1000: 1460 x (2000 x 0.5 + 1000 x 1.5) / 1e6 = 1460 x 0.0025 = 3.65; change 1.095
    assert streams["triage"]["changes"] == {"output_tokens": {"old": 500, "new": 1000}}
    assert streams["triage"]["change"] == D("1.095")
    # total change 11.433333 + 1.095 = 12.528333, within --max-increase $20
    assert document["change"] == D("12.528333")
    assert (document["max_increase"], document["within_limit"]) == (20, True)


def test_diff_between_two_catalogs(files: tuple[str, str], tmp_path: Path) -> None:
    old, _ = files
    newer = tmp_path / "newer_catalog.toml"
    text = TEST_CATALOG.read_text()
    text = text.replace('catalog_version = "2025.1.0"', 'catalog_version = "2025.2.0"')
    text = re.sub(r"(?m)^input = 4$", "input = 5", text, count=1)  # alpha's July input price 4 -> 5
    newer.write_text(text)
    document = doc("diff", old, old, "--catalog-old", str(TEST_CATALOG), "--catalog-new", str(newer), "--as-of", AUGUST,
                   "--max-increase", "10%", code=1)
    # chat: 1000 x (1000 x 5 + 100 x 16) / 1e6 = 6.60, +1.00; 1.00 / 8.155 = 12.26 % > 10 % (limit 0.8155)
    assert (document["old_catalog_version"], document["catalog_version"]) == ("2025.1.0", "2025.2.0")
    assert (document["change"], document["max_increase"], document["within_limit"]) == (1, D("0.8155"), False)
    chat = next(s for s in document["streams"] if s["name"] == "chat")
    assert chat["changes"] == {"price": {"old": "2025-07-01", "new": "2025-07-01"}}


def test_diff_reads_stdin_once_for_both(files: tuple[str, str]) -> None:
    text = Path(files[0]).read_text()
    result = run("diff", "-", "-", "--catalog", str(TEST_CATALOG), "--as-of-old", "2025-06-01", "--as-of-new", AUGUST,
                 "--format", "json", stdin=text)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert (document["old_workload"], document["new_workload"], document["change"]) == ("<stdin>", "<stdin>", D("-8.4"))


def test_diff_table_says_what_changed(files: tuple[str, str]) -> None:
    result = run("diff", files[1], files[0], *ON_TEST_CATALOG, "--max-increase", "10%")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "Monthly cost up $5.46 (+202.7 %): $2.69 → $8.16"
    assert lines[1] == "The change exceeds --max-increase 10% ($0.27)"
    chat = next(line for line in lines if line.startswith("chat"))
    assert re.search(r"beta → alpha .* \$0\.65 +\$5\.60 +\$4\.95 +model beta → alpha$", chat)


def _sized(tmp_path: Path, name: str, long_band: int, mean_stream: dict[str, Any]) -> str:
    import tomli_w
    path = tmp_path / f"{name}.toml"
    path.write_text(tomli_w.dumps({"version": 1, "name": "sized", "streams": [
        {"name": "s", "model": "alpha", "requests_per_month": 1000,
         "sizes": [{"share": D("0.75"), "input_tokens": 20000, "output_tokens": 500},
                   {"share": D("0.25"), "input_tokens": long_band, "output_tokens": 1000}]},
        {"name": "m", "model": "alpha", "requests_per_month": 1000, **mean_stream}]}), encoding="utf-8")
    return str(path)


def test_diff_of_size_bands_reads_as_bands(tmp_path: Path) -> None:
    old = _sized(tmp_path, "old", 140000, {"input_tokens": 10000, "output_tokens": 500})
    new = _sized(tmp_path, "new", 150000, {"sizes": [
        {"share": D("0.5"), "input_tokens": 10000, "output_tokens": 500},
        {"share": D("0.5"), "input_tokens": 120000, "output_tokens": 500, "reasoning_tokens": 100}]})
    document = doc("diff", old, new, *ON_TEST_CATALOG)
    streams = {s["name"]: s for s in document["streams"]}
    # s (alpha 4 / 16, above 100,000 input 8 / 24 on the whole request):
    #   old 1,000 x (0.75 x (20,000 x 4 + 500 x 16) + 0.25 x (140,000 x 8 + 1,000 x 24)) / 1e6
    #       = 1,000 x (0.75 x 88,000 + 0.25 x 1,144,000) / 1e6 = 1,000 x (66,000 + 286,000) / 1e6 = 352
    #   new band 1 150,000 x 8 + 1,000 x 24 = 1,224,000: 1,000 x (66,000 + 306,000) / 1e6 = 372; change +20
    # Only the band the user changed is reported: not the derived mean input (0.75 x 20,000 + 0.25 x 140,000
    # = 50,000 -> 52,500).
    assert (streams["s"]["old_monthly_cost"], streams["s"]["new_monthly_cost"]) == (352, 372)
    band = {"reasoning_tokens": 0, "cached_input_share": 0, "cache_write_tokens": 0, "cache_write_1h_tokens": 0}
    assert streams["s"]["changes"] == {"sizes": {
        "old": [{"share": D("0.75"), "input_tokens": 20000, "output_tokens": 500, **band},
                {"share": D("0.25"), "input_tokens": 140000, "output_tokens": 1000, **band}],
        "new": [{"share": D("0.75"), "input_tokens": 20000, "output_tokens": 500, **band},
                {"share": D("0.25"), "input_tokens": 150000, "output_tokens": 1000, **band}]}}
    # m, means to bands: old 1,000 x (10,000 x 4 + 500 x 16) / 1e6 = 48;
    #   new 0.5 x 48,000 + 0.5 x (120,000 x 8 + (500 + 100 reasoning) x 24 = 974,400) = 511,200 per Mtok -> 511.2
    # The side of means is one band of share 1; no derived means (input 10,000 -> 65,000, reasoning 0 -> 50).
    assert streams["m"]["new_monthly_cost"] == D("511.2")
    assert streams["m"]["changes"] == {"sizes": {
        "old": [{"share": 1, "input_tokens": 10000, "output_tokens": 500, **band}],
        "new": [{"share": D("0.5"), "input_tokens": 10000, "output_tokens": 500, **band},
                {"share": D("0.5"), "input_tokens": 120000, "output_tokens": 500, **band, "reasoning_tokens": 100}]}}
    result = run("diff", old, new, *ON_TEST_CATALOG, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert ("sizes[1] 0.25 x 140,000 in / 1,000 out → 0.25 x 150,000 in / 1,000 out" in result.stdout)
    assert ("sizes means 10,000 in / 500 out → 0.5 x 10,000 in / 500 out + 0.5 x 120,000 in / 500 out, "
            "100 reasoning" in result.stdout)
    assert "SizeBand" not in result.stdout and "input_tokens" not in result.stdout
