"""Tables on a terminal from 60 columns up: an id, an amount, a count, a ratio is never split across lines.

- the layout (`render/layout.py`) on hand-made tables: the bar goes first, then headers abbreviate, then columns by
  priority; all-zero breakdown columns are hidden and named; a vertical layout when the essentials do not fit;
- every table-printing command drawn for a terminal of 60, 80, 100 and 120 columns (in-process: stdout taken for
  a terminal of that width): no line wider than the terminal, every id and amount of the command's JSON that its
  table is about on one line, whole, and no money, count or ratio, nor a model id, cut anywhere in the output;
- `compare --top N` / `--all` in every format, bars scaled to today's cost;
- a real pseudo-terminal for `compare` (every model) and `cost`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import sys
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aicost.money import money_text, percent_text, price_text
from aicost.render.layout import cells, fit, footer_lines, vertical_lines, wrap_line
from aicost.render.rich_format import render_rich
from aicost.render.table_format import bar
from aicost.render.view import ESSENTIAL, NOTE, SECONDARY, Column, Kind, Table, View, cell_text
from clihelp import on_pseudo_terminal, run_main
from loggen import openai_logs

ROOT = Path(__file__).resolve().parents[1]
AS_OF = "2026-03-01"
WIDTHS = (60, 80, 100, 120)

# ---------------------------------------------------------------------------------------------- the layout

TABLE = Table(
    title="t",
    columns=(
        Column("Model", key="model", priority=ESSENTIAL),
        Column("Requests/month", Kind.COUNT, "requests", "Req/mo"),
        Column("Cached input", Kind.MONEY, "cached", "Cached", SECONDARY, hide_zero=True),
        Column("Input", Kind.MONEY, "input", priority=SECONDARY, hide_zero=True),
        Column("Monthly cost", Kind.MONEY, "cost", "Monthly", ESSENTIAL),
        Column("", Kind.BAR, "bar"),
        Column("Note", key="note", priority=NOTE, wrap=True),
    ),
    rows=(("gpt-4o-mini", 1_000_000, Decimal(0), Decimal("12.5"), Decimal("1234.5"), Decimal("0.5"), "free tier"),
          ("o3", 2_000, Decimal(0), Decimal(0), Decimal("7"), Decimal("1.5"), "")),
    total=("total", 1_002_000, Decimal(0), Decimal("12.5"), Decimal("1241.5"), None, ""),
)
# natural widths: Model 11, Requests/month 14 (short: 9, its cells), Input 6 ($12.50), Monthly cost 12 (short: 9,
# $1,241.50), the bar 6 to 16 and 1 for the `+` of 1.5, Note 9 (its longest word 4); Cached input is 0 on every
# row: hidden from the start.  Gaps of 2.


def test_everything_fits_at_full_width() -> None:
    layout = fit(TABLE, 120)
    assert [TABLE.columns[i].header for i in layout.columns] == ["Model", "Requests/month", "Input", "Monthly cost", "",
                                                                 "Note"]
    # 11 + 14 + 6 + 12 + 17 + 9 = 69, and 5 gaps of 2: 79 columns
    assert layout.widths == (11, 14, 6, 12, 17, 9) and not layout.vertical
    assert layout.zero == ("Cached input",) and layout.narrowed == ()


def test_the_bar_goes_first_then_headers_abbreviate_then_columns_by_priority() -> None:
    # 70: the bar at its least, 7: 11 + 14 + 6 + 12 + 7 + 9 = 59 + 10 = 69; the one column spare goes to the bar
    assert fit(TABLE, 70).widths == (11, 14, 6, 12, 8, 9)
    # 61: without the bar, full headers, the note whole (9: shorter than the 12 free text wraps to): 11 + 14 + 6 +
    # 12 + 9 = 52 + 8 = 60
    layout = fit(TABLE, 61)
    assert layout.headers == ("Model", "Requests/month", "Input", "Monthly cost", "Note")
    assert layout.widths == (11, 14, 6, 12, 9)
    # 56: short headers: 11 + 9 + 6 + 9 + 9 = 44 + 8 = 52
    layout = fit(TABLE, 56)
    assert layout.headers == ("Model", "Req/mo", "Input", "Monthly", "Note") and layout.widths == (11, 9, 6, 9, 9)
    # 50: the note (priority 3) is left out, full headers again: 11 + 14 + 6 + 12 = 43 + 6 = 49
    layout = fit(TABLE, 50)
    assert layout.headers == ("Model", "Requests/month", "Input", "Monthly cost") and layout.narrowed == ("Note",)
    # 41: short headers 11 + 9 + 6 + 9 = 35 + 6 = 41
    layout = fit(TABLE, 41)
    assert layout.headers == ("Model", "Req/mo", "Input", "Monthly") and layout.narrowed == ("Note",)
    # 40: then Input (secondary): short 11 + 9 + 9 = 29 + 4 = 33
    layout = fit(TABLE, 40)
    assert layout.headers == ("Model", "Req/mo", "Monthly") and layout.narrowed == ("Note", "Input")
    # 30: then Requests/month, a main column: a table of 2 rows turns vertical rather than lose it (5 rows show
    # everything); one of 10 rows leaves it out, full headers again: 11 + 12 = 23 + 2 = 25
    assert fit(TABLE, 30).vertical
    longer = TABLE._replace(rows=TABLE.rows * 5)
    layout = fit(longer, 30)
    assert layout.headers == ("Model", "Monthly cost") and layout.narrowed == ("Note", "Input", "Requests/month")
    assert footer_lines((longer,), [layout], 30) == [
        "0 on every row, not shown: Cached input",
        "not shown at 30 columns: Note, Input, Requests/month (a wider terminal, or --format csv or json, shows them)"]


def test_the_columns_of_a_group_are_left_out_together() -> None:
    table = Table("t", (Column("Model", priority=ESSENTIAL),
                        Column("Input", Kind.MONEY, "input", priority=SECONDARY, group="breakdown"),
                        Column("Output", Kind.MONEY, "output", priority=SECONDARY, group="breakdown"),
                        Column("Cost", Kind.MONEY, "cost", priority=ESSENTIAL)),
                  rows=(("gpt-4o", Decimal("1.5"), Decimal("2.5"), Decimal(4)),))
    # Model 6, Input 5 ($1.50), Output 6 (its header), Cost 5 ($4.00): 22 and 3 gaps: 28
    assert fit(table, 28).headers == ("Model", "Input", "Output", "Cost")
    # 27: without Output alone it would fit (16 + 4 = 20), but an input without its output would mislead: both go
    layout = fit(table, 27)
    assert layout.headers == ("Model", "Cost") and layout.narrowed == ("Output", "Input")


def test_widths_count_terminal_columns_not_characters() -> None:
    """A wide (CJK) character takes two columns, a combining accent none: 聊天 is 4 wide, e + U+0301 + te 3."""
    table = Table("t", (Column("Stream", priority=ESSENTIAL), Column("Cost", Kind.MONEY, "cost", priority=ESSENTIAL)),
                  rows=(("聊天机器人", Decimal(1)), ("e\u0301te", Decimal(2))))
    assert (cells("聊天"), cells("e\u0301te")) == (4, 3)
    assert fit(table, 80).widths == (10, 5)  # 5 wide characters; "Stream" is 6


def test_a_table_without_rows_keeps_its_headers() -> None:
    layout = fit(TABLE._replace(rows=(), total=None), 120)
    # no row: nothing is 0 on every row, the bar is 6 to 16 (no `+`), each other column as wide as its header
    assert layout.zero == () and layout.widths == (5, 14, 12, 5, 12, 16, 4)
    text = on_terminal(["pricing", "diff", AS_OF, AS_OF], 80)
    assert "No price differs" in text and "Model" in text


def test_free_text_wraps_between_words_once_the_bar_is_gone() -> None:
    # a note of 42 wraps to 12 at least (its longest word, "standard", is 8), never at "input > 272,000" (15):
    # 58: 11 + 14 + 6 + 12 + 12 = 55 + 8 = 63 > 58; short headers 11 + 9 + 6 + 9 + 12 = 47 + 8 = 55, 3 spare: 15
    noted = TABLE._replace(rows=((*TABLE.rows[0][:6], "no batch API: batch share at standard rates"), TABLE.rows[1]))
    layout = fit(noted, 58)
    assert layout.headers[1] == "Req/mo" and layout.widths == (11, 9, 6, 9, 15)
    threshold = TABLE._replace(rows=((*TABLE.rows[0][:6], "input > 272,000"), TABLE.rows[1]))
    assert fit(threshold, 63).widths[-1] == 15  # 11 + 14 + 6 + 12 + 15 = 58 + 8 = 66 > 63: short, 61
    text = render_rich(View("t", {}, (noted,)), 58, colour=False)
    assert "no batch API:" in text and "batch share at" in text and "standard rates" in text
    assert wrap_line("input > 272,000 and 10.00 USD per 1,000 calls, token prices x 1.1", 9) == [
        "input > 272,000", "and", "10.00 USD", "per 1,000", "calls,", "token", "prices", "x 1.1"]


def test_a_zero_column_is_hidden_only_when_every_cell_is_zero() -> None:
    assert fit(TABLE, 120).zero == ("Cached input",)
    some = TABLE._replace(rows=((*TABLE.rows[0][:2], Decimal("0.01"), *TABLE.rows[0][3:]), TABLE.rows[1]))
    assert fit(some, 120).zero == ()
    unknown = TABLE._replace(rows=tuple((*row[:2], None, *row[3:]) for row in TABLE.rows), total=None)
    assert fit(unknown, 120).zero == ()  # unknown is not 0: shown as —


def test_vertical_when_the_essentials_do_not_fit() -> None:
    # Model 11 + Monthly 9 (short) + a gap = 22 > 20
    layout = fit(TABLE, 20)
    assert layout.vertical and layout.zero == ("Cached input",)
    lines = vertical_lines(TABLE, layout, 20)
    # labels: the longest full header is 14 > 20 // 2: the short ones, padded to 7 ("Monthly") and a gap of 2; values
    # 11 wide: "free tier" fits, "no free tier" (12) does not
    assert [line for line, _ in lines[:5]] == ["Model    gpt-4o-mini", "Req/mo   1,000,000", "Input    $12.50",
                                               "Monthly  $1,234.50", "Note     free tier"]
    assert lines[5] == ("", False) and lines[6][0] == "Model    o3"
    noted = TABLE._replace(rows=((*TABLE.rows[0][:6], "no free tier"),))
    assert [line for line, _ in vertical_lines(noted, fit(noted, 20), 20)][4:6] == ["Note     no free", "         tier"]
    assert [line for line, total in lines if total] == ["Model    total", "Req/mo   1,002,000", "Input    $12.50",
                                                        "Monthly  $1,241.50"]
    assert footer_lines((TABLE,), [layout], 20)[-1] == "one block per row: the table is wider than 20 columns"


def test_text_lines_wrap_between_words_and_keep_percentages_whole() -> None:
    line = "Routing 90.0 % of requests to deepseek-v2 and 10.0 % to gpt-4o"
    assert wrap_line(line, 80) == [line]
    assert wrap_line(line, 13) == ["Routing", "90.0 % of", "requests to", "deepseek-v2", "and 10.0 % to", "gpt-4o"]
    assert wrap_line("costs CHF 1,200.00 a month", 13) == ["costs", "CHF 1,200.00", "a month"]
    # a URL is never cut: on a line of its own where it fits, running past the edge where it does not
    url = "https://platform.claude.com/docs/en/agents-and-tools/tool-use/web-search-tool:"  # 78 characters
    line = f"source since 2025-10-15: Vendor page {url} $10 per 1,000"
    assert wrap_line(line, 80) == ["source since 2025-10-15: Vendor page", url, "$10 per 1,000"]
    assert wrap_line(line, 60) == ["source since 2025-10-15: Vendor page", url, "$10 per 1,000"]


def test_a_bar_past_its_scale_is_full_with_a_plus() -> None:
    assert bar(Decimal("0.5"), 8) == "████"
    assert bar(Decimal("1.5"), 8) == "████████+"
    assert bar(Decimal("0.001"), 8) == "▏"  # 0.064 eighths: never nothing for a non-zero value
    assert bar(Decimal(0), 8) == ""


# ---------------------------------------------------------------------------------------------- every command


def on_terminal(args: list[str], width: int) -> str:
    """The command's stdout, drawn for a terminal of `width` columns."""
    with mock.patch("aicost.cli.output.on_terminal", return_value=True), \
            mock.patch("shutil.get_terminal_size", return_value=os.terminal_size((width, 40))):
        result = run_main(*args, "--quiet")
    assert result.exit_code in (0, 1), result.stderr
    return result.stdout


def as_json(args: list[str]) -> dict[str, Any]:
    result = run_main(*args, "--format", "json", "--quiet")
    assert result.exit_code in (0, 1), result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def each(document: Any, path: str) -> Iterator[Any]:
    """The values at a dotted path, `*` for every member of a list: `streams.*.model`."""
    if not path:
        yield document
        return
    head, _, rest = path.partition(".")
    if head == "*":
        for member in document:
            yield from each(member, rest)
    elif isinstance(document, dict) and document.get(head) is not None:
        yield from each(document[head], rest)


def money(value: Decimal | int) -> str:
    return money_text(Decimal(value))


def price(value: Decimal | int) -> str:
    return price_text(Decimal(value))


def count(value: Decimal | int) -> str:
    return f"{Decimal(value).quantize(Decimal(1)):,}"


def ident(value: str) -> str:
    return value


def percent(value: Decimal | int) -> str:
    return percent_text(Decimal(value))


Shown = Callable[[Any], str]

# command line -> the JSON values its table is about (never left out), and how the table writes them
CASES: dict[str, tuple[list[str], list[tuple[str, Shown]]]] = {
    "cost": (["cost"], [("streams.*.name", ident), ("streams.*.model", ident), ("streams.*.monthly_cost", money),
                        ("monthly_cost", money)]),
    "compare": (["compare"], [("candidates.*.model", ident), ("candidates.*.monthly_cost", money),
                              ("excluded.*.model", ident)]),
    "compare --all": (["compare", "--all"], [("candidates.*.model", ident), ("candidates.*.monthly_cost", money)]),
    "route": (["route"], [("streams.*.name", ident), ("streams.*.small", ident), ("streams.*.frontier", ident),
                          ("streams.*.plan_monthly_cost", money), ("streams.*.saving", percent),
                          ("plan_monthly_cost", money), ("breakdown.small.monthly_cost", money),
                          ("breakdown.frontier.monthly_cost", money)]),
    "route --sweep": (["route", "--sweep"], [("sweep.*.plan_monthly_cost", money), ("sweep.*.saving", percent)]),
    "route plan": (["route", "plan", "--top", "8"], [("plans.*.small", ident), ("plans.*.plan_monthly_cost", money)]),
    "budget": (["budget", "--max", "5000"], [("monthly_cost", money), ("budget", money), ("headroom", money)]),
    "diff": (["diff", "{OLD}", "{NEW}"], [("streams.*.name", ident), ("streams.*.old_monthly_cost", money),
                                          ("streams.*.new_monthly_cost", money), ("change", money)]),
    "forecast": (["forecast", "--growth", "10%"], [("months.*.month", ident), ("months.*.monthly_cost", money),
                                                   ("total_cost", money)]),
    "forecast --scenarios": (["forecast", "--scenarios"], [("scenarios.*.months.*.monthly_cost", money),
                                                           ("scenarios.*.total_cost", money)]),
    "breakeven subscription": (["breakeven", "subscription", "--seats", "40", "--seat-price", "20"],
                               [("api_cost_per_seat", money), ("seat_price", money),
                                ("break_even_requests_per_seat", count)]),
    "breakeven self-host": (["breakeven", "self-host", "--gpu-hourly", "2", "--tokens-per-second", "1000",
                                                     "--utilization", "50%"],
                            [("models.*.model", ident), ("models.*.monthly_cost", money)]),
    "usage": (["usage", "{LOG}"], [("rows.*.model", ident), ("rows.*.cost", money), ("total_cost", money)]),
    "pricing list": (["pricing", "list"], [("models.*.model", ident), ("models.*.input", price),
                                           ("models.*.output", price)]),
    "pricing show": (["pricing", "show", "claude-sonnet-4"], [("periods.*.input", price),
                                                              ("periods.*.output", price)]),
    "pricing history": (["pricing", "history", "gpt-4o"], [("periods.*.input", price),
                                                           ("periods.*.output", price)]),
    "pricing versions": (["pricing", "versions"], [("versions.*.version", ident)]),
    "pricing diff": (["pricing", "diff", "2024-10-01", AS_OF], [("changes.*.model", ident), ("changes.*.old", price),
                                                               ("changes.*.new", price)]),
    "pricing check": (["pricing", "check", "--against", "{REF}"], [("disagreements.*.model", ident),
                                                                   ("disagreements.*.catalog", price),
                                                                   ("disagreements.*.reference", price)]),
}
DATED = {"pricing versions", "pricing diff", "usage"}  # no --as-of
JSON_EXTRA = {"compare": ["--top", "15"]}  # what a terminal shows by default

# a money, count or ratio token, whole: $1,234.56 / 1,234 / 0.108x (a token is split when it matches none)
MONEY = re.compile(r"^[+-]?\$\d{1,3}(,\d{3})*(\.\d+)?$")
COUNT = re.compile(r"^\d{1,3}(,\d{3})*(\.\d+)?$")
RATIO = re.compile(r"^\d+\.\d{3}x$")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    place = tmp_path_factory.mktemp("terminal")
    old = run_main("init", "-").stdout
    (place / "old.toml").write_text(old, encoding="utf-8")
    (place / "new.toml").write_text(old.replace('"gpt-4o"', '"gpt-4o-mini"', 1), encoding="utf-8")
    openai_logs(place / "requests.jsonl", 300)
    # gpt-4o at 2.40 instead of the catalog's 2.50, claude-sonnet-4 at 3.30 instead of 3.00
    (place / "reference.json").write_text(json.dumps({
        "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "max_input_tokens": 128000, "input_cost_per_token": 2.4e-06,
                   "output_cost_per_token": 1e-05},
        "claude-sonnet-4-20250514": {"litellm_provider": "anthropic", "mode": "chat", "max_input_tokens": 200000,
                                     "input_cost_per_token": 3.3e-06,
                                     "output_cost_per_token": 1.5e-05}}), encoding="utf-8")
    return {"{OLD}": str(place / "old.toml"), "{NEW}": str(place / "new.toml"), "{LOG}": str(place / "requests.jsonl"),
            "{REF}": str(place / "reference.json")}


def is_piece(token: str, ids: frozenset[str]) -> bool:
    """Whether a token is the piece of an amount, a count, a ratio or an id (`ids`) cut by a line break."""
    if "$" in token:
        return not MONEY.match(token.rstrip("."))
    if re.fullmatch(r"[\d,.]+", token) and "," in token:
        return not COUNT.match(token.rstrip("."))
    if re.fullmatch(r"\d*\.\d*x", token):
        return not RATIO.match(token)
    return token not in ids and len(token) >= 4 and any(i.startswith(token) and len(i) > len(token) for i in ids)


def split_tokens(lines: list[str], ids: frozenset[str]) -> list[str]:
    """Tokens that are the piece of a money amount, count, ratio or model id cut across lines."""
    found = []
    for line in lines:
        for raw in line.split():
            token = raw.strip("()[],;:·")
            if token.endswith(".") and not token[:-1].endswith(tuple("0123456789")):
                token = token[:-1].strip("()[],;:·")  # a sentence's full stop after a bracket: "($7,310.95)."
            if token and is_piece(token, ids):
                found.append(token)
    return found


@functools.cache
def known_words() -> frozenset[str]:
    """Every model id of the catalog, its vendors and families (deepseek is no piece of deepseek-v2, nor
    claude-sonnet of claude-sonnet-4)."""
    models = as_json(["pricing", "list", "--as-of", AS_OF])["models"]
    return frozenset({m["model"] for m in models} | {m["vendor"] for m in models} | {m["family"] for m in models if m.get("family")})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(CASES))
def test_every_id_and_amount_is_whole_on_one_line(name: str, width: int, files: dict[str, str]) -> None:
    words, expected = CASES[name]
    args = [files.get(word, word) for word in words] + ([] if name in DATED else ["--as-of", AS_OF])
    document = as_json(args + JSON_EXTRA.get(name, []))
    text = on_terminal(args, width)
    lines = text.splitlines()
    assert len(lines) > 3
    # a line wider than the terminal is one word longer than it (a URL), never cut
    wide = [line for line in lines if len(line) > width]
    assert all(" " not in line.strip() for line in wide), "\n".join(wide)
    values = [(path, shown(value)) for path, shown in expected for value in each(document, path)]
    assert values, name
    for path, value in values:
        pattern = re.compile(r"(?<![\w$.,-])" + re.escape(value) + r"(?![\w,-]|\.\d)")
        assert any(pattern.search(line) for line in lines), f"{name} at {width}: {path} {value!r} not whole on a line\n{text}"
    assert split_tokens(lines, known_words()) == [], text


def test_the_split_detector_sees_what_rich_used_to_print() -> None:
    """What the issue saw at 80 columns: `glm-4.` / `5-flas` / `h`, `$12,54` / `9.92`, `1,520,8` / `33`."""
    assert split_tokens(["1  glm-4.   zhipu  $12,54  1,520,8  0.10", "   5-flas         9.92     33  .108x  50x"],
                        frozenset({"glm-4.5-flash"})) == ["glm-4.", "$12,54", "1,520,8", ".108x"]


def test_cost_hides_the_zero_cache_columns_and_says_so() -> None:
    text = on_terminal(["cost", "--as-of", AS_OF], 120)
    header = next(line for line in text.splitlines() if line.startswith("Stream"))
    assert header.split() == ["Stream", "Model", "Requests/month", "Input", "Output", "Monthly", "cost"]
    assert "0 on every row, not shown: Cached input, Cache writes" in text
    piped = run_main("cost", "--as-of", AS_OF).stdout  # piped: every column, as before
    assert "Cached input  Cache writes" in piped and "not shown" not in piped


def test_a_narrow_terminal_names_the_columns_it_left_out() -> None:
    text = on_terminal(["pricing", "list", "--as-of", AS_OF], 60)
    header = next(line for line in text.splitlines() if line.startswith("Model"))
    # the essentials (model, input, output), the newest-in-family marker and the vendor fit; the secondary prices, the
    # context, then (right to left among the main columns) the release date and the class do not
    assert header.split() == ["Model", "New", "Vendor", "Input", "Output"]
    assert ("not shown at 60 columns: Batch out, Batch in, Cache write, Cache read, Context, Released, Class (a wider terminal, or "
            "--format csv or json, shows them)") in " ".join(text.split())


# ---------------------------------------------------------------------------------------------- compare --top


def test_compare_shows_every_model_on_a_terminal_unless_top_cuts_it() -> None:
    """A terminal lists what the JSON holds (every candidate); --top N cuts the list and says how many more."""
    everything = as_json(["compare", "--as-of", AS_OF])
    total = everything["candidates_total"]
    assert total == len(everything["candidates"]) > 20
    text = on_terminal(["compare", "--as-of", AS_OF], 80)
    ranks = [line.split()[0] for line in text.splitlines() if re.match(r"^\d+ ", line)]
    assert ranks == [str(n) for n in range(1, total + 1)] and "more: --all" not in text
    for candidate in everything["candidates"]:  # every id whole on a line, as the JSON has it
        assert any(re.search(rf"(?<![\w.-]){re.escape(candidate['model'])}(?![\w.-])", line) for line in text.splitlines())
    cut = on_terminal(["compare", "--as-of", AS_OF, "--top", "15"], 100)
    assert [line.split()[0] for line in cut.splitlines() if re.match(r"^\d+ ", line)] == [str(n) for n in range(1, 16)]
    assert f"… {total - 15} more: --all (or --top N) shows them" in cut and "— the 15 cheapest" in cut
    assert on_terminal(["compare", "--as-of", AS_OF, "--all"], 80) == text  # --all says the default explicitly
    piped = run_main("compare", "--as-of", AS_OF).stdout
    assert sum(1 for line in piped.splitlines() if re.match(r"^\d+ ", line)) == total


@pytest.mark.parametrize("output_format", ["json", "csv", "markdown", "table"])
def test_compare_top_in_every_format(output_format: str) -> None:
    everything = as_json(["compare", "--as-of", AS_OF])
    result = run_main("compare", "--as-of", AS_OF, "--top", "3", "--format", output_format, "--quiet")
    assert result.exit_code == 0
    cheapest = [c["model"] for c in everything["candidates"][:3]]
    if output_format == "json":
        document = json.loads(result.stdout)
        assert [c["model"] for c in document["candidates"]] == cheapest
        assert document["candidates_total"] == everything["candidates_total"]
        assert document["baseline_monthly_cost"] == float(everything["baseline_monthly_cost"])
    elif output_format == "csv":
        assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == cheapest
    else:
        assert all(model in result.stdout for model in cheapest)
        assert everything["candidates"][3]["model"] not in result.stdout.split()
        assert f"… {everything['candidates_total'] - 3} more" in result.stdout


def test_compare_top_and_all_together_is_an_error() -> None:
    result = run_main("compare", "--top", "3", "--all")
    assert result.exit_code == 2
    assert result.stderr == ("aicost: error: --top: --all shows every model and --top N the N cheapest — give one of "
                             "them\n")
    assert run_main("compare", "--top", "0", "--all", "--format", "csv").exit_code == 0


def test_compare_bars_are_shares_of_todays_cost_whatever_is_shown() -> None:
    """The built-in example costs $7,310.95 a month today (2026-03-01); gpt-4o-mini costs $341.93 on it: 341.93 /
    7310.95 = 0.04677 of a 20-block bar = 7.48 eighths, rounded to 7: one ▉; the same with --vendor and --top,
    where it is the dearest row shown (it used to get the full bar)."""
    for extra in (["--all"], ["--vendor", "openai", "--top", "3"]):
        piped = run_main("compare", "--as-of", AS_OF, "--quiet", *extra).stdout
        row = next(line for line in piped.splitlines() if re.match(r"\d+ +gpt-4o-mini ", line))
        assert row.split()[-1] == "▉", row
    # claude-opus-4 costs more than today: a full bar and a +
    piped = run_main("compare", "--as-of", AS_OF, "--quiet", "--models", "claude-opus-4,gpt-4o-mini").stdout
    assert next(line for line in piped.splitlines() if re.match(r"\d+ +claude-opus-4 ", line)).split()[-1] == "█" * 20 + "+"


# ---------------------------------------------------------------------------------------------- a real terminal


def real_terminal(args: list[str], columns: int) -> str:
    """The installed command's stdout on a pseudo-terminal of `columns` columns, no colour."""
    return on_pseudo_terminal(args, columns, "stdout", cwd=str(ROOT))


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize(("args", "columns"), [(["compare", "-q"], 80), (["cost", "-q"], 60),
                                               (["pricing", "list", "--vendor", "openai"], 100), (["route", "-q"], 120)])
def test_on_a_real_terminal_no_model_id_is_cut(args: list[str], columns: int) -> None:
    text = real_terminal([*args, "--as-of", AS_OF], columns)
    lines = text.splitlines()
    document = as_json([*args, "--as-of", AS_OF, "--top", "15"] if "compare" in args else [*args, "--as-of", AS_OF])
    entries = document.get("candidates") or document.get("models") or document.get("streams") or []
    models = [entry.get("model") or entry.get("small") for entry in entries]
    assert models and max(len(line) for line in lines) <= columns
    for model in models:
        assert any(re.search(r"(?<![\w.-])" + re.escape(model) + r"(?![\w.-])", line) for line in lines), model
    assert split_tokens(lines, known_words()) == []
    assert dt.date.fromisoformat(AS_OF).isoformat() in text


# ---------------------------------------------------------------------------------------------- any table, any width

IDS = ["gpt-4o", "gpt-4o-mini", "claude-sonnet-4-5", "gemini-2.5-flash-lite", "deepseek-v4-flash", "聊天机器人", "o3"]
NOTES = ["free tier", "retired on 2026-07-24 — use deepseek-v4-flash", "no output price in the catalog", ""]
KINDS = [Kind.TEXT, Kind.MONEY, Kind.COUNT, Kind.RATIO, Kind.PERCENT, Kind.BAR]
AMOUNTS = st.decimals(min_value=0, max_value=10**9, places=4, allow_nan=False, allow_infinity=False)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=8))
    columns = tuple(Column(draw(st.sampled_from(["Model", "Monthly cost", "Requests/month", "", "Note", "x"])), kind,
                           f"c{n}", draw(st.sampled_from(["", "Short"])), draw(st.integers(0, 3)),
                           wrap=kind is Kind.TEXT and draw(st.booleans()), hide_zero=draw(st.booleans()))
                    for n, kind in enumerate(kinds))

    def cell(column: Column) -> Any:
        if column.kind is Kind.TEXT:
            return draw(st.sampled_from(NOTES if column.wrap else IDS))
        if column.kind is Kind.BAR:
            return draw(st.decimals(min_value=0, max_value=3, places=3))
        return draw(st.one_of(st.none(), st.just(Decimal(0)), AMOUNTS))

    rows = tuple(tuple(cell(column) for column in columns) for _ in range(draw(st.integers(0, 4))))
    return Table("a title", columns, rows)


@settings(max_examples=80, deadline=None)
@given(table=tables(), width=st.integers(60, 130))
def test_any_table_at_any_width_keeps_its_values_whole(table: Table, width: int) -> None:
    layout = fit(table, width)
    text = render_rich(View("t", {}, (table,)), width, colour=False)
    lines = text.splitlines()
    if not layout.vertical:
        assert max(cells(line) for line in lines) <= width, text
    for row in table.rows:
        for index in layout.columns:
            column = table.columns[index]
            if column.kind is Kind.BAR:
                continue
            value = cell_text(row[index], column.kind)
            pieces = value.split() if column.wrap else [value]
            assert all(any(piece in line for line in lines) for piece in pieces), (value, text)
    assert all(table.columns[i].priority > 0 or layout.vertical for i in range(len(table.columns))
               if i not in layout.columns and table.columns[i].kind is not Kind.BAR
               and table.columns[i].header not in layout.zero)
