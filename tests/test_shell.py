"""The command line as shell scripts use it: `bash -c`, exit statuses, pipes, environment, terminal manners.

Each test runs one bash script that does several things and prints `name=$?` lines, so the suite stays fast.
Costs are worked out by hand in tests/shellhelp.py.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from shellhelp import (
    AUGUST,
    NEW_COST,
    OLD_COST,
    OLD_COST_JUNE,
    TEST_CATALOG,
    bash,
    clean_env,
    make_bin,
    statuses,
    write_workloads,
)

pytestmark = pytest.mark.slow  # every test runs bash and the installed command

CAT = f"--catalog {TEST_CATALOG} --as-of {AUGUST}"


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(bin directory with `aicost`, working directory with old.toml and new.toml)."""
    root = tmp_path_factory.mktemp("shell")
    bin_dir = make_bin(root / "bin")
    work = root / "work"
    work.mkdir()
    write_workloads(work)
    return bin_dir, work


def test_exit_statuses(place: tuple[Path, Path]) -> None:
    bin_dir, work = place
    script = f"""
    printf '\\n[budget]\\nmonthly = 8.155\\n' | cat old.toml - > budgeted.toml
    aicost budget old.toml {CAT} --max 10 >out.txt 2>err.txt;            echo "budget_within=$?"
    aicost budget old.toml {CAT} --max 8.155 >out.txt 2>err.txt;         echo "budget_equal=$?"
    aicost budget old.toml {CAT} --max 8 >out.txt 2>err.txt;             echo "budget_over=$?"
    aicost budget budgeted.toml {CAT} >out.txt 2>err.txt;                echo "budget_file=$?"
    aicost budget old.toml {CAT} >out.txt 2>budget_none.err;        echo "budget_none=$?"
    aicost budget old.toml {CAT} --max lots >out.txt 2>err.txt;          echo "budget_bad_amount=$?"
    aicost budget old.toml {CAT} --max 10 --warn-at 80% >out.txt 2>warn.err; echo "budget_warn=$?"
    aicost budget old.toml {CAT} --max 10 --warn-at 90% >out.txt 2>nowarn.err; echo "budget_nowarn=$?"
    aicost budget old.toml {CAT} --max 10 --warn-at 80 >out.txt 2>err.txt; echo "budget_bad_warn=$?"
    aicost cost old.toml {CAT} --max '$8' >cost_over.out 2>cost_over.err; echo "cost_over=$?"
    aicost cost old.toml {CAT} --max '5,000' >out.txt 2>err.txt;         echo "cost_within=$?"
    aicost diff new.toml old.toml {CAT} --max-increase 10% >out.txt 2>diff_over.err; echo "diff_pct_over=$?"
    aicost diff new.toml old.toml {CAT} --max-increase 300% >out.txt 2>err.txt; echo "diff_pct_within=$?"
    aicost diff new.toml old.toml {CAT} --max-increase '$5' >out.txt 2>err.txt;  echo "diff_amount_over=$?"
    aicost diff new.toml old.toml {CAT} --max-increase '$5.461' >out.txt 2>err.txt; echo "diff_amount_equal=$?"
    aicost diff old.toml new.toml {CAT} --max-increase 0% >out.txt 2>err.txt;    echo "diff_decrease=$?"
    aicost diff old.toml missing.toml {CAT} >out.txt 2>missing.err;      echo "diff_missing=$?"
    aicost diff old.toml new.toml {CAT} --max-increase ten >out.txt 2>err.txt; echo "diff_bad_limit=$?"
    aicost cost old.toml {CAT} --format yaml >out.txt 2>err.txt;         echo "bad_format=$?"
    aicost cost old.toml {CAT} --no-such-option >out.txt 2>err.txt;      echo "bad_option=$?"
    aicost cost old.toml --catalog {TEST_CATALOG} --as-of 2025-13-01 >out.txt 2>err.txt; echo "bad_date=$?"
    printf 'version = 1\\n[[streams]]\\nname = "x"\\n' | aicost cost - {CAT} >out.txt 2>bad_stdin.err; echo "bad_stdin=$?"
    """
    result = bash(script, bin_dir, work)
    got = statuses(result.stdout)
    assert got == {
        "budget_within": 0, "budget_equal": 0, "budget_over": 1, "budget_file": 0, "budget_none": 2,
        "budget_bad_amount": 2, "budget_warn": 0, "budget_nowarn": 0, "budget_bad_warn": 2,
        "cost_over": 1, "cost_within": 0,
        "diff_pct_over": 1, "diff_pct_within": 0, "diff_amount_over": 1, "diff_amount_equal": 0, "diff_decrease": 0,
        "diff_missing": 2, "diff_bad_limit": 2, "bad_format": 2, "bad_option": 2, "bad_date": 2, "bad_stdin": 2,
    }, result.stderr
    none = (work / "budget_none.err").read_text()
    assert "give --max AMOUNT or add [budget] monthly" in none and none.count("\n") == 1
    # 8.155 / 10 = 81.55 % of the budget: past 80 %, not past 90 %
    assert "warning: monthly cost $8.16 is 81.6 % of the budget $10.00" in (work / "warn.err").read_text()
    assert (work / "nowarn.err").read_text() == ""
    # cost --max still prints the report; the verdict goes to stderr
    assert "$8.16" in (work / "cost_over.out").read_text()
    assert "exceeds --max $8.00 by $0.16" in (work / "cost_over.err").read_text()
    # diff new old: +5.461 on 2.694 = +202.7 %, over 10 % of 2.694 = 0.2694
    assert "+$5.46 (+202.7 %) exceeds --max-increase 10% ($0.27 a month)" in (work / "diff_over.err").read_text()
    for name in ("missing.err", "bad_stdin.err"):
        text = (work / name).read_text()
        assert text.startswith("aicost: error: ") and text.count("\n") == 1 and "Traceback" not in text
    assert "missing.toml: no such workload file" in (work / "missing.err").read_text()
    assert "<stdin>: streams[0]" in (work / "bad_stdin.err").read_text()


def test_pipes_and_stdin(place: tuple[Path, Path]) -> None:
    bin_dir, work = place
    script = f"""
    set -o pipefail
    cat old.toml | aicost cost - {CAT} --format json > cost.json;              echo "cost_stdin=$?"
    aicost diff - new.toml {CAT} --format json < old.toml > diff.json;         echo "diff_stdin_old=$?"
    aicost diff old.toml - {CAT} --format json < new.toml > diff2.json;        echo "diff_stdin_new=$?"
    cat old.toml | aicost diff - - --catalog {TEST_CATALOG} --as-of-old 2025-06-01 --as-of-new {AUGUST} \
        --format json > dates.json;                                             echo "diff_dates=$?"
    aicost cost old.toml {CAT} --format csv | python3 -c 'import csv,sys; print(len(list(csv.reader(sys.stdin))))' \
        > rows.txt;                                                             echo "csv_pipe=$?"
    aicost cost old.toml {CAT} --format json | aicost cost - {CAT} >out.txt 2>err.txt; echo "json_is_not_workload=$?"
    """
    result = bash(script, bin_dir, work)
    assert statuses(result.stdout) == {
        "cost_stdin": 0, "diff_stdin_old": 0, "diff_stdin_new": 0, "diff_dates": 0, "csv_pipe": 0,
        "json_is_not_workload": 2,
    }, result.stderr
    cost = json.loads((work / "cost.json").read_text(), parse_float=Decimal)
    assert cost["monthly_cost"] == OLD_COST
    for name in ("diff.json", "diff2.json"):
        diff = json.loads((work / name).read_text(), parse_float=Decimal)
        assert (diff["old_monthly_cost"], diff["new_monthly_cost"], diff["change"]) == (OLD_COST, NEW_COST, Decimal("-5.461"))
    dates = json.loads((work / "dates.json").read_text(), parse_float=Decimal)
    # chat 14.00 -> 5.60 at alpha's July prices; triage (beta, one period) 2.555 both times
    assert (dates["old_monthly_cost"], dates["new_monthly_cost"], dates["change"]) == (OLD_COST_JUNE, OLD_COST, Decimal("-8.4"))
    assert (dates["old_as_of"], dates["as_of"]) == ("2025-06-01", AUGUST)
    by_name = {s["name"]: s for s in dates["streams"]}
    assert by_name["chat"]["status"] == "changed" and set(by_name["chat"]["changes"]) == {"price"}
    assert by_name["triage"]["status"] == "unchanged"
    assert (work / "rows.txt").read_text().strip() == "4"  # header, chat, triage, total


def test_environment_precedence_and_discovery(place: tuple[Path, Path], tmp_path: Path) -> None:
    """flags > AICOST_* environment > the workload file > built-in defaults."""
    bin_dir, work = place
    (tmp_path / "aicost.toml").write_text((work / "old.toml").read_text() + "\n[budget]\nmonthly = 9\n")
    script = """
    aicost cost > env_format.out 2> discovered.err;                          echo "env_format=$?"
    aicost cost --format csv > flag_format.out 2>err.txt;                  echo "flag_format=$?"
    AICOST_AS_OF=2025-06-01 aicost cost -q > env_date.out 2> quiet.err;       echo "env_date=$?"
    AICOST_AS_OF=2025-06-01 aicost cost --as-of 2025-08-01 -q > flag_date.out; echo "flag_date=$?"
    aicost budget -q -f table > out.txt;                                    echo "file_budget=$?"
    AICOST_BUDGET=8 aicost budget -q > env_budget.out;                        echo "env_budget=$?"
    AICOST_BUDGET=8 aicost budget --max 10 -q > flag_budget.out;              echo "flag_budget=$?"
    AICOST_FORMAT=yaml aicost cost -q 2> env_bad.err;                         echo "env_bad_format=$?"
    """
    result = bash(script, bin_dir, tmp_path, AICOST_FORMAT="json", AICOST_CATALOG=str(TEST_CATALOG), AICOST_AS_OF=AUGUST)
    assert statuses(result.stdout) == {
        "env_format": 0, "flag_format": 0, "env_date": 0, "flag_date": 0, "file_budget": 0, "env_budget": 1,
        "flag_budget": 0, "env_bad_format": 2,
    }, result.stderr
    assert json.loads((tmp_path / "env_format.out").read_text(), parse_float=Decimal)["monthly_cost"] == OLD_COST
    assert (tmp_path / "discovered.err").read_text() == "aicost: using ./aicost.toml\n"
    assert (tmp_path / "flag_format.out").read_text().startswith("stream,model,")
    assert json.loads((tmp_path / "env_date.out").read_text(), parse_float=Decimal)["monthly_cost"] == OLD_COST_JUNE
    assert json.loads((tmp_path / "flag_date.out").read_text(), parse_float=Decimal)["monthly_cost"] == OLD_COST
    assert (tmp_path / "quiet.err").read_text() == ""
    env_budget = json.loads((tmp_path / "env_budget.out").read_text(), parse_float=Decimal)
    assert (env_budget["budget"], env_budget["budget_source"], env_budget["within_budget"]) == (8, "$AICOST_BUDGET", False)
    flag_budget = json.loads((tmp_path / "flag_budget.out").read_text(), parse_float=Decimal)
    assert (flag_budget["budget"], flag_budget["budget_source"], flag_budget["headroom"]) == (10, "--max", Decimal("1.845"))
    assert "Invalid value for '--format' / '-f' (env var: 'AICOST_FORMAT'): 'yaml'" in (tmp_path / "env_bad.err").read_text()


def test_no_colour_and_fixed_width_when_piped(place: tuple[Path, Path]) -> None:
    bin_dir, work = place
    script = f"""
    aicost cost old.toml {CAT} > narrow.out 2>&1
    COLUMNS=300 aicost cost old.toml {CAT} > wide.out 2>&1
    aicost compare old.toml {CAT} --format markdown 2>&1 | cat > md.out
    """
    result = bash(script, bin_dir, work)  # NO_COLOR unset: a pipe alone turns colour off
    assert result.returncode == 0, result.stderr
    narrow, wide = (work / "narrow.out").read_text(), (work / "wide.out").read_text()
    assert narrow == wide
    for text in (narrow, (work / "md.out").read_text()):
        assert "\x1b[" not in text


def _on_terminal(args: list[str], env: dict[str, str]) -> str:
    """Run with stdout and stderr on a pseudo-terminal; return what it printed."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=30)
    os.close(leader)
    return b"".join(chunks).decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_only_on_a_terminal_without_no_color(place: tuple[Path, Path]) -> None:
    bin_dir, work = place
    args = [sys.executable, "-m", "aicost", "cost", str(work / "old.toml"), "--catalog", str(TEST_CATALOG), "--as-of", AUGUST]
    coloured = _on_terminal(args, clean_env(bin_dir, TERM="xterm"))
    plain = _on_terminal(args, clean_env(bin_dir, TERM="xterm", NO_COLOR="1"))
    assert "\x1b[1m" in coloured
    assert "\x1b[" not in plain and "$8.16" in plain


def test_tables_on_stdout_everything_else_on_stderr(place: tuple[Path, Path], tmp_path: Path) -> None:
    bin_dir, work = place
    script = f"""
    aicost cost old.toml {CAT} --format csv --max 1 > out.csv 2> out.err; echo "rc=$?"
    aicost cost old.toml {CAT} --output report.csv --format csv > output.out 2>&1; echo "output=$?"
    """
    result = bash(script, bin_dir, work)
    assert statuses(result.stdout) == {"rc": 1, "output": 0}
    rows = list(csv.DictReader(io.StringIO((work / "out.csv").read_text())))
    assert [r["stream"] for r in rows] == ["chat", "triage", "total"]
    assert (work / "out.err").read_text().startswith("aicost: over budget")
    assert (work / "output.out").read_text() == ""
    assert (work / "report.csv").read_text() == (work / "out.csv").read_text()
