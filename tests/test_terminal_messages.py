"""What a new user met on 60-120 column terminals: messages on stderr wrapped between words (never inside an amount,
an id, a date), one line each off a terminal; a note said once; ids no table showed; errors that say what to give.

Workloads: shellhelp's OLD on the round-priced test catalog at 2025-08-01 (total $8.155 a month: chat $5.60 on alpha,
triage $2.555 on beta), and the bundled catalog at a fixed pricing date.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import sys
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest

from aicost.calc import Excluded
from aicost.catalog import load_bundled_catalog
from aicost.errors import FamilyNameError
from aicost.render.layout import wrap_line
from aicost.reports.route import _by_reason
from clihelp import on_pseudo_terminal, run_main
from shellhelp import OLD_TOML, ON_TEST_CATALOG

ROOT = Path(__file__).resolve().parents[1]
DECEMBER = ("--catalog", "bundled", "--as-of", "2026-12-07")


@pytest.fixture()
def old(tmp_path: Path) -> str:
    path = tmp_path / "old.toml"
    path.write_text(OLD_TOML, encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------------------------------------- 1. stderr wrapped


def test_a_message_wider_than_the_terminal_wraps_between_words(old: str) -> None:
    # $8.155 a month against --max 5: over by 3.155; both shown to the cent, half to even: $8.16 and $3.16
    with mock.patch("aicost.cli.output.stderr_width", return_value=40):
        result = run_main("budget", old, "--max", "5", *ON_TEST_CATALOG)
    assert result.exit_code == 1
    # 74 characters on a 40-column terminal: broken at the last space that fits, the amounts whole
    assert result.stderr == "aicost: over budget: monthly cost $8.16\nexceeds the budget $5.00 by $3.16\n"


def test_off_a_terminal_each_message_stays_one_line(old: str) -> None:
    result = run_main("budget", old, "--max", "5", *ON_TEST_CATALOG, env={"COLUMNS": "40"})
    assert result.stderr == "aicost: over budget: monthly cost $8.16 exceeds the budget $5.00 by $3.16\n"


@pytest.mark.parametrize("width", [30, 40, 60, 80])
def test_wrapping_keeps_ids_amounts_dates_and_quoted_names_whole(width: int) -> None:
    text = ("aicost: note: no small model given: proposing gpt-5-nano for streams 'escalations-deep-analysis', "
            "'my chat' ($1,855.56 a month on it alone), over --max from 2027-02 at 86.4 % — --small MODEL chooses another")
    lines = wrap_line(text, width)
    assert all(len(line) <= width for line in lines)
    assert " ".join(lines) == text  # only spaces were turned into line breaks
    for whole in ("gpt-5-nano", "'escalations-deep-analysis',", "'my chat'", "($1,855.56", "2027-02", "86.4 %"):
        assert any(whole in line for line in lines), (whole, lines)


def stderr_on_a_terminal(args: list[str], columns: int) -> str:
    """The installed command's stderr on a pseudo-terminal of `columns` columns (stdout a pipe)."""
    return on_pseudo_terminal(args, columns, "stderr", cwd=str(ROOT))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_real_terminal_stderr_is_wrapped_at_its_width(old: str) -> None:
    text = stderr_on_a_terminal(["budget", old, "--max", "5", *ON_TEST_CATALOG], 60)
    # 74 characters at 60 columns: two lines, "$3.16" whole on the second
    assert text == "aicost: over budget: monthly cost $8.16 exceeds the budget\n$5.00 by $3.16\n"


# ---------------------------------------------------------------------------------------------- 2. said once

TWO_VENDORS = """\
version = 1
name = "held-out"

[[streams]]
name = "chat"
model = "gpt-4o"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
"""


def test_the_proposal_is_said_once_on_a_terminal(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(TWO_VENDORS, encoding="utf-8")
    args = ("route", str(path), "--share", "0.9", *DECEMBER)
    with mock.patch("aicost.cli.output.on_terminal", return_value=True), \
            mock.patch("shutil.get_terminal_size", return_value=os.terminal_size((120, 40))):
        drawn = run_main(*args, env={"NO_COLOR": "1"})
    assert drawn.exit_code == 0, drawn.stderr
    assert "proposing" not in drawn.stderr and drawn.stdout.count("proposing") == 1
    piped = run_main(*args)  # the report goes elsewhere: the person at the terminal reads stderr
    assert piped.stderr.count("proposing") == 1 and piped.stdout.count("proposing") == 1


# ---------------------------------------------------------------------------------------------- 3. whole ids


def test_reasons_are_grouped_without_rewriting_a_successors_id() -> None:
    class Report:
        excluded = (Excluded("claude-sonnet-4", "claude-sonnet-4 was retired on 2026-06-15 — use claude-sonnet-4-6"),
                    Excluded("claude-opus-4", "claude-opus-4 was retired on 2026-06-15 — use claude-opus-4-8"),
                    Excluded("gpt-4", "gpt-4 was retired on 2026-06-15 — use gpt-4.1"),
                    Excluded("x-1", "x-1 was retired on 2026-06-15 — use claude-sonnet-4-6"))
    assert _by_reason(Report()) == {  # type: ignore[arg-type]
        "the model was retired on 2026-06-15 — use claude-sonnet-4-6": ["claude-sonnet-4", "x-1"],
        "the model was retired on 2026-06-15 — use claude-opus-4-8": ["claude-opus-4"],
        "the model was retired on 2026-06-15 — use gpt-4.1": ["gpt-4"],
    }


def test_route_plan_names_the_successors_whole() -> None:
    result = run_main("route", "plan", *DECEMBER, "--quiet")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"the model was retired on 2026-06-15 — use claude-sonnet-4-6 +claude-sonnet-4\n", result.stdout)
    assert "the model-" not in result.stdout


# ---------------------------------------------------------------------------------------------- 4-6. pricing


def test_show_names_the_family_without_a_release_date() -> None:
    result = run_main("pricing", "show", "claude-sonnet-5-5", *DECEMBER)
    assert result.exit_code == 0, result.stderr
    assert "release date unknown, family claude-sonnet (the newest on sale on 2026-12-07)" in result.stdout.splitlines()


def on_terminal(args: list[str], width: int) -> str:
    with mock.patch("aicost.cli.output.on_terminal", return_value=True), \
            mock.patch("shutil.get_terminal_size", return_value=os.terminal_size((width, 40))):
        result = run_main(*args, "--quiet", env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_vendor_history_keeps_applies_to_at_60_columns() -> None:
    text = on_terminal(["pricing", "history", "--vendor", "deepseek", *DECEMBER], 60)
    header = next(line for line in text.splitlines() if line.startswith("Model"))
    assert header.split()[:4] == ["Model", "Since", "Applies", "to"]
    assert re.search(r"off-peak\s", text) and "00:30-08:30" in text and "Shanghai" in text


def test_pricing_list_keeps_the_release_date_and_the_marker_at_80_columns() -> None:
    text = on_terminal(["pricing", "list", "--vendor", "anthropic", *DECEMBER], 80)
    header = next(line for line in text.splitlines() if line.startswith("Model"))
    assert header.split() == ["Model", "New", "Vendor", "Class", "Released", "Input", "Output"]
    # claude-sonnet-5-5 has no release date in the catalog: the legend of "—" says a date may be unknown too
    row = next(line for line in text.splitlines() if line.startswith("claude-sonnet-5-5 "))
    assert row.split()[:5] == ["claude-sonnet-5-5", "*", "anthropic", "frontier", "—"]
    assert "— : not in the catalog: a price unknown (not free), or a release date unknown" in " ".join(text.split())


# ---------------------------------------------------------------------------------------------- 7. ids in tables


def test_the_verifier_and_the_classifier_are_named() -> None:
    cascade = run_main("route", "--mode", "cascade", "--escalation", "10%", "--verifier", "gpt-5-mini", *DECEMBER,
                       "--quiet")
    assert re.search(r"\nverifier overhead +gpt-5-mini ", cascade.stdout), cascade.stdout
    router = run_main("route", "--classifier", "gpt-5-mini", *DECEMBER, "--quiet")
    assert re.search(r"\nrouter overhead +gpt-5-mini ", router.stdout)
    assert re.search(r"\nverifier overhead +— ", router.stdout)  # none: no model to name


def test_breakeven_says_the_workloads_total(old: str) -> None:
    result = run_main("breakeven", "subscription", old, "--seats", "2", *ON_TEST_CATALOG)
    assert result.exit_code == 0, result.stderr
    # $8.155 a month in all ($8.16 to the cent), $8.155 / 2 = $4.0775 ($4.08) a seat
    assert result.stdout.startswith("On the API the workload costs $8.16 a month in all, $4.08 for each of 2 seats.\n")


# ---------------------------------------------------------------------------------------------- 8, 9, 11. errors


def test_a_family_name_names_its_newest_model() -> None:
    catalog = load_bundled_catalog()
    with pytest.raises(FamilyNameError) as caught:
        catalog.resolve("Claude-Sonnet", dt.date(2026, 12, 7))
    assert caught.value.newest == ("claude-sonnet-5-5",) and caught.value.family == "claude-sonnet"
    assert caught.value.message == ("'Claude-Sonnet' is a family, not a model: its newest model on sale on 2026-12-07 is "
                                    "claude-sonnet-5-5 — give that id or another of the family")  # the CLI adds its hint
    # on the pricing date asked for: on 2026-03-01 claude-sonnet-4-6 (released 2026-02-17) was the newest on sale
    result = run_main("pricing", "show", "claude-sonnet", "--catalog", "bundled", "--as-of", "2026-03-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("aicost: error: 'claude-sonnet' is a family, not a model: its newest model on sale on "
                                    "2026-03-01 is claude-sonnet-4-6 — give that id")
    # --model and --small too, on the pricing date
    for args in (("cost", "--model", "claude-sonnet"), ("route", "--small", "claude-sonnet")):
        refused = run_main(*args, "--catalog", "bundled", "--as-of", "2026-03-01", "--quiet")
        assert refused.exit_code == 2 and ("'claude-sonnet' is a family, not a model: its newest model on sale on "
                                           "2026-03-01 is claude-sonnet-4-6") in refused.stderr, refused.stderr
    typo = run_main("pricing", "show", "claude-sonet", *DECEMBER)
    assert "is a family" not in typo.stderr and "did you mean" in typo.stderr  # a typo is still a typo


def test_route_without_a_share_says_what_to_give(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(TWO_VENDORS + '\n[routing]\nsmall = "gpt-5-nano"\n', encoding="utf-8")
    result = run_main("route", str(path), *DECEMBER)
    assert result.exit_code == 2
    assert result.stderr == ("aicost: error: --share: stream 'chat' needs the small model's share of requests — give it "
                             "(e.g. 90%), or set `[routing] small_share` in the workload file\n")


@pytest.mark.parametrize(("option", "value", "hint"), [("--discount", "openai=15", "write 15% for a percentage"),
                                                       ("--platform-fee", "5.5", "write 5.5% for a percentage")])
def test_a_bare_percentage_suggests_the_percent_sign(option: str, value: str, hint: str) -> None:
    result = run_main("cost", option, value, "--quiet")
    assert result.exit_code == 2
    assert result.stderr == f"aicost: error: {option} {value}: must be between 0 and 1 (100%) — {hint}\n"


def test_a_bad_amount_suggests_a_quoted_symbol() -> None:
    result = run_main("budget", "--max", "abc", "--quiet")
    assert result.stderr == ("aicost: error: --max abc: not an amount — write a number such as 5000, 5,000 or 5000.50 "
                             "(a currency symbol may lead, in single quotes so that the shell keeps it: '$5000')\n")


# ---------------------------------------------------------------------------------------------- 10. plain class


def test_compare_csv_and_markdown_carry_the_plain_class(old: str) -> None:
    text = run_main("compare", old, *ON_TEST_CATALOG, "--format", "csv", "--quiet").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    document = json.loads(run_main("compare", old, *ON_TEST_CATALOG, "--format", "json", "--quiet").stdout,
                          parse_float=Decimal)
    assert [(row["model"], row["class"], row["same_class"] == "*") for row in rows] == [
        (c["model"], c["class"], c["same_class"]) for c in document["candidates"]]
    assert all(not row["class"].endswith("*") for row in rows)
    markdown = run_main("compare", old, *ON_TEST_CATALOG, "--format", "markdown", "--quiet").stdout
    assert " * |" not in markdown.replace("| * |", "")  # a star only in a cell of its own
