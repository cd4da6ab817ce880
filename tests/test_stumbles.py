"""The newcomer's small stumbles: an amount the shell ate, init's comment, the environment table, tiny amounts."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import run

ROOT = Path(__file__).parent.parent
TEST_CATALOG = str(Path(__file__).parent / "data" / "test_catalog.toml")
def shell_hint(arrives: str) -> str:
    """What aicost says of `arrives`, echoed as typed: `000` came from `$N000`, N the digit the shell took."""
    return (f"the shell probably expanded `$` and the digit after it (`$N{arrives}` reaches aicost as `{arrives}`: `$N` "
            f"is a shell variable, even in double quotes) — put the amount in single quotes ('$N{arrives}') or leave "
            f"out the $ (N{arrives}), N being the digit you typed")


@pytest.mark.parametrize(("typed", "arrives"), [("$2,000", ",000"), ("$5000", "000"), ("$1.50", ".50"),
                                                ("$2,500.75", ",500.75")])
@pytest.mark.parametrize("command", ["budget", "cost", "forecast"])
def test_an_amount_the_shell_ate_says_so(command: str, typed: str, arrives: str) -> None:
    del typed  # what the user typed, unquoted: the shell passes `arrives`
    result = run(command, "--max", arrives, "--quiet")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"aicost: error: --max {arrives}: {shell_hint(arrives)}\n"


def test_a_real_amount_is_still_read() -> None:
    # 0 and 5,000,000 are amounts, not a shell's leftovers: the built-in example is over the first, within the second
    assert run("budget", "--max", "0", "--quiet").exit_code == 1
    assert run("budget", "--max", "5,000,000", "--quiet").exit_code == 0


def test_max_increase_the_shell_ate(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(run("init", "-").stdout, encoding="utf-8")
    result = run("diff", str(path), str(path), "--max-increase", "00")  # `$500` unquoted
    assert result.exit_code == 2
    assert result.stderr == ("aicost: error: --max-increase 00: the shell probably expanded `$` and the digit after "
                             "it (`$N00` reaches aicost as `00`: `$N` is a shell variable, even in double quotes) — put "
                             "the amount in single quotes: --max-increase '$N00'\n")


@pytest.mark.parametrize(("name", "named"), [("small.toml", "small.toml"), ("my costs.toml", "'my costs.toml'")])
def test_init_names_the_file_it_wrote(tmp_path: Path, name: str, named: str) -> None:
    path = tmp_path / name
    result = run("init", str(path))
    assert result.exit_code == 0
    quoted = named.replace(name, str(path)) if named.startswith("'") else str(path)
    assert path.read_text(encoding="utf-8").splitlines()[1] == (
        f"# Price it with `aicost cost {quoted}`, rank vendors with `aicost compare {quoted}`.")
    assert result.stderr == f"aicost: wrote {path}; price it with `aicost cost {quoted}`\n"
    assert "`aicost cost aicost.toml`" in run("init", "-").stdout  # on stdout: the default name


def test_every_aicost_variable_the_code_reads_is_in_the_environment_table() -> None:
    read = set()
    for source in (ROOT / "src" / "aicost").rglob("*.py"):
        read |= set(re.findall(r"(?<![_A-Z])AICOST_[A-Z_]+", source.read_text(encoding="utf-8")))
    table = (ROOT / "docs" / "scripting.md").read_text(encoding="utf-8").split("## Environment variables")[1]
    documented = set(re.findall(r"^\| `(AICOST_[A-Z_]+)` \|", table, flags=re.MULTILINE))
    assert "AICOST_CURRENCY" in read and read == documented


def test_tiny_amounts_keep_two_significant_digits_in_every_format(tmp_path: Path) -> None:
    path = tmp_path / "tiny.toml"
    # 1 request x 3 input tokens x $4 (alpha) / 1e6 = $0.000012
    path.write_text('version = 1\nname = "tiny"\n[[streams]]\nname = "chat"\nmodel = "alpha"\nrequests_per_month = 1\n'
                    "input_tokens = 3\noutput_tokens = 0\n", encoding="utf-8")
    args = ("cost", str(path), "--catalog", TEST_CATALOG, "--as-of", "2025-08-01")
    table = run(*args).stdout
    assert "$0.000012" in table and "$0.0000 " not in table and "$0.0000\n" not in table
    assert "$0.000012" in run(*args, "--format", "markdown").stdout
    assert run(*args, "--format", "csv").stdout.splitlines()[-1].endswith(",0.000012")
    assert json.loads(run(*args, "--format", "json").stdout, parse_float=Decimal)["monthly_cost"] == Decimal("0.000012")


@pytest.mark.parametrize(("amount", "text"), [
    ("0.0034", "$0.0034"), ("0.000123", "$0.00012"), ("0.0000125", "$0.000012"),  # half-even at 6 places
    ("0.0000004", "<$0.000001"), ("0", "$0.00"), ("0.01", "$0.01"), ("1234.565", "$1,234.56")])
def test_money_text(amount: str, text: str) -> None:
    from aicost.money import money_text

    assert money_text(Decimal(amount)) == text
