"""`--format csv` and `--format markdown` for every reporting command, `--output` and `--summary`.

CSV is read back with the csv module and must give the same totals as JSON; markdown must be GitHub pipe
tables under a hidden `<!-- aicost:COMMAND -->` marker.  Workloads and their hand-worked costs: shellhelp.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from aicost.render.csv_format import render_csv
from aicost.render.markdown_format import render_markdown
from aicost.render.view import Column, Kind, Table, View
from clihelp import run
from shellhelp import NEW_COST, OLD_COST, ON_TEST_CATALOG, write_workloads


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    old, new = write_workloads(tmp_path)
    return str(old), str(new)


def reports(files: tuple[str, str]) -> dict[str, tuple[str, ...]]:
    old, new = files
    return {
        "cost": ("cost", old, *ON_TEST_CATALOG),
        "compare": ("compare", old, *ON_TEST_CATALOG),
        "budget": ("budget", old, "--max", "10", *ON_TEST_CATALOG),
        "diff": ("diff", old, new, *ON_TEST_CATALOG),
        "pricing-list": ("pricing", "list", *ON_TEST_CATALOG),
        "pricing-history": ("pricing", "history", "alpha", *ON_TEST_CATALOG),
    }


def output(args: tuple[str, ...], fmt: str) -> str:
    result = run(*args, "--format", fmt)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def json_doc(text: str) -> dict[str, object]:
    value: dict[str, object] = json.loads(text, parse_float=Decimal)
    return value


def test_cost_csv_gives_the_json_totals(files: tuple[str, str]) -> None:
    args = reports(files)["cost"]
    document = json_doc(output(args, "json"))
    rows = csv_rows(output(args, "csv"))
    data, total = rows[:-1], rows[-1]
    assert [r["stream"] for r in data] == ["chat", "triage"] and total["stream"] == "total"
    # chat 5.60 + triage 2.555 = 8.155, exact in CSV (6 places, no symbols)
    assert [r["monthly_cost"] for r in data] == ["5.6", "2.555"]
    assert sum(Decimal(r["monthly_cost"]) for r in data) == Decimal(total["monthly_cost"]) == document["monthly_cost"] == OLD_COST
    streams = document["streams"]
    assert isinstance(streams, list)
    for row, stream in zip(data, streams, strict=True):
        assert Decimal(row["monthly_cost"]) == stream["monthly_cost"]
        assert Decimal(row["monthly_requests"]) == stream["monthly_requests"]
        assert sum(Decimal(row[k]) for k in ("input", "cached_input", "cache_write", "output")) == stream["monthly_cost"]
    assert data[1]["monthly_requests"] == "1460"  # 48 a day x 730 / 24


def test_every_report_csv_matches_json(files: tuple[str, str]) -> None:
    commands = reports(files)
    compare_rows = csv_rows(output(commands["compare"], "csv"))
    compare = json_doc(output(commands["compare"], "json"))
    candidates = compare["candidates"]
    assert isinstance(candidates, list)
    assert [(r["model"], Decimal(r["monthly_cost"])) for r in compare_rows] == [(c["model"], c["monthly_cost"]) for c in candidates]
    assert "bar" not in compare_rows[0]  # the chart column is for terminals only
    # gamma-free is free (0, ratio 0); on beta everything: chat 1000 x 0.00065 = 0.65 + triage 2.555 = 3.205,
    # ratio 3.205 / 8.155 = 0.3930104...; alpha: chat 5.60 + triage 1460 x (2000 x 4 + 500 x 16) / 1e6 = 23.36
    # -> 28.96; delta has no output price: excluded, and not in the csv (only the first table is)
    assert [(r["rank"], r["model"], r["monthly_cost"], r["ratio_to_baseline"]) for r in compare_rows] == [
        ("1", "gamma-free", "0", "0"), ("2", "beta", "3.205", "0.39301"), ("3", "alpha", "28.96", "3.551196")]
    assert [e["model"] for e in compare["excluded"]] == ["delta"]  # type: ignore[union-attr]

    budget = csv_rows(output(commands["budget"], "csv"))
    assert budget == [{"monthly_cost": "8.155", "budget": "10", "headroom": "1.845", "budget_used": "0.8155", "status": "within"}]

    diff_rows = csv_rows(output(commands["diff"], "csv"))
    diff = json_doc(output(commands["diff"], "json"))
    data = diff_rows[:-1]
    assert [(r["stream"], r["status"]) for r in data] == [("chat", "changed"), ("extract", "added"), ("triage", "removed")]
    assert sum(Decimal(r["change"]) for r in data) == Decimal(diff_rows[-1]["change"]) == diff["change"] == NEW_COST - OLD_COST
    assert data[1]["old_monthly_cost"] == "" and data[2]["new_monthly_cost"] == ""  # absent, not zero

    prices = csv_rows(output(commands["pricing-list"], "csv"))
    # delta publishes no output price: an empty field, never 0
    assert {r["model"]: (r["input"], r["output"]) for r in prices}["delta"] == ("1", "")


def test_markdown_is_a_pull_request_comment(files: tuple[str, str]) -> None:
    for command, args in reports(files).items():
        text = output(args, "markdown")
        lines = text.splitlines()
        assert lines[0] == f"<!-- aicost:{command} -->", command
        header = next(i for i, line in enumerate(lines) if line.startswith("| "))
        assert re.fullmatch(r"\|(:---|---:)(\|(:---|---:))*\|", lines[header + 1]), lines[header + 1]
        width = lines[header].count(" | ") + 1
        body = []
        for line in lines[header + 2 :]:
            if not line.startswith("|"):
                break
            body.append(line)
        assert body and all(len(re.split(r"(?<!\\)\|", line)) - 2 == width for line in body), command
        assert "\x1b[" not in text and "█" not in text
        assert lines[-1].startswith("<sub>catalog 2025.1.0")
    cost = output(reports(files)["cost"], "markdown")
    assert "| chat | alpha | 1,000 | $4.00 | $0.00 | $0.00 | $1.60 | $5.60 |" in cost
    assert "| **total** |  | **2,460** |" in cost
    diff = output(reports(files)["diff"], "markdown")
    assert "**Monthly cost down $5.46 (-67.0 %): $8.16 → $2.69**" in diff  # -5.461 / 8.155 = -66.96 %


def test_markdown_and_csv_escape_and_choose_the_first_table() -> None:
    view = View(
        "pricing list",
        {},
        (
            Table("a | b", (Column("Name"), Column("Cost", Kind.MONEY), Column("", Kind.BAR, "bar")),
                  (("x|y", Decimal("1234.5"), Decimal("0.5")), ("z,\"q\"", None, None))),
            Table("second", (Column("Other"),), (("ignored in csv",),)),
        ),
        footer=("catalog x",),
    )
    md = render_markdown(view)
    assert md.startswith("<!-- aicost:pricing-list -->\n")
    assert "### a \\| b" in md and "| x\\|y | $1,234.50 |" in md and "### second" in md
    assert render_csv(view) == 'name,cost\nx|y,1234.5\n"z,""q""",\n'


def test_output_file_and_step_summary(files: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = reports(files)
    target = tmp_path / "report.json"
    result = run(*args["cost"], "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert json_doc(target.read_text())["monthly_cost"] == OLD_COST
    assert not list(tmp_path.glob(".report.json.*"))  # no temporary file left behind

    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for name in ("cost", "budget", "diff", "compare"):
        result = run(*args[name], "--format", "json", "--summary")
        assert result.exit_code == 0 and json_doc(result.stdout), result.stderr
    text = summary.read_text()
    assert text.startswith("earlier step\n<!-- aicost:cost -->")
    assert [line for line in text.splitlines() if line.startswith("<!--")] == [
        "<!-- aicost:cost -->", "<!-- aicost:budget -->", "<!-- aicost:diff -->", "<!-- aicost:compare -->"]

    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    result = run(*args["cost"], "--summary")
    assert result.exit_code == 0 and "GITHUB_STEP_SUMMARY is not set" in result.stderr
    assert run(*args["cost"], "--summary", "-q").stderr == ""


def test_output_into_a_missing_directory_is_bad_input(files: tuple[str, str], tmp_path: Path) -> None:
    result = run(*reports(files)["cost"], "--output", str(tmp_path / "nope" / "x.csv"))
    assert result.exit_code == 2 and "does not exist" in result.stderr
