"""A workload's `[[seat_holders]]`: the seat holders' distribution for `aicost breakeven subscription`, from the file
(TOML or JSON) when --users is not given; --users and --seats override it; bad groups are refused at their key."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main

D = Decimal
DAY = ("--as-of", "2026-11-01")
# 100,000 requests a month on gpt-4o (2.50 / 10 a million) of 2,000 input and 500 output tokens:
# a request costs (2,000 x 2.5 + 500 x 10) / 1e6 = (5,000 + 5,000) / 1e6 = $0.01; the workload $1,000 a month
STREAM = """version = 1
name = "assistant"

[[streams]]
name = "chat"
model = "gpt-4o"
requests_per_month = 100000
input_tokens = 2000
output_tokens = 500
"""
GROUPS = """
[[seat_holders]]
name = "light"
users = 40
requests_per_month = 200

[[seat_holders]]
name = "heavy"
users = 10
requests_per_month = 3000
"""


def write(tmp_path: Path, text: str, name: str = "w.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def run_json(*args: str) -> dict[str, Any]:
    result = run_main("breakeven", "subscription", *args, *DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def groups_of(document: dict[str, Any]) -> list[tuple[str, int, Decimal, Decimal, Decimal, str]]:
    return [(g["name"], g["users"], g["requests_per_user"], g["api_monthly_cost"], g["seats_monthly_cost"], g["cheaper"])
            for g in document["groups"]]


def test_the_files_groups_give_the_flags_answer_seats_for_the_heavy_only(tmp_path: Path) -> None:
    """40 light users x 200 requests x $0.01 = $80 on the API, 40 seats x $20 = $800: the API;
    10 heavy users x 3,000 x $0.01 = $300 on the API, 10 seats x $20 = $200: seats.
    All on the API 80 + 300 = $380; a seat for everyone 50 x 20 = $1,000; seats for the heavy only 80 + 200 = $280."""
    from_file = run_json(write(tmp_path, STREAM + GROUPS))
    assert (from_file["seats"], from_file["monthly_cost"], from_file["all_seats_monthly_cost"]) == (50, 380, 1000)
    assert (from_file["best"], from_file["best_monthly_cost"]) == ("mix", 280)
    assert groups_of(from_file) == [("light", 40, 200, 80, 800, "api"), ("heavy", 10, 3000, 300, 200, "subscription")]
    assert from_file["groups_source"] == f"[[seat_holders]] in {tmp_path / 'w.toml'}"
    from_flag = run_json(write(tmp_path, STREAM, "plain.toml"), "--users", "light:40:200,heavy:10:3000")
    assert from_flag["groups_source"] == "--users"
    assert {**from_file, "groups_source": None} == {**from_flag, "groups_source": None}
    table = run_main("breakeven", "subscription", write(tmp_path, STREAM + GROUPS), *DAY).stdout
    assert ("All on the API $380.00 a month; a seat for everyone $1,000.00; best: seats for heavy only, the others on "
            "the API, $280.00 a month.") in table
    assert f"groups: from [[seat_holders]] in {tmp_path / 'w.toml'}\n" in table


def test_requests_per_day_and_a_json_workload(tmp_path: Path) -> None:
    """5 heavy users at 100 requests a day: 100 x 730 / 24 = 3,041.666667 a month each, x $0.01 = $30.416667 each;
    on the API 5 x 30.416667 = $152.083333 against 5 seats x $20 = $100: seats for everyone, as heavy:5:100/day."""
    document = json.loads(json.dumps({
        "version": 1, "name": "assistant",
        "streams": [{"name": "chat", "model": "gpt-4o", "requests_per_month": 100000, "input_tokens": 2000,
                     "output_tokens": 500}],
        "seat_holders": [{"name": "heavy", "users": 5, "requests_per_day": 100}]}))
    from_json = run_json(write(tmp_path, json.dumps(document), "w.json"))
    assert (from_json["best"], from_json["best_monthly_cost"], from_json["monthly_cost"]) == (
        "subscription", 100, D("152.083333"))
    assert groups_of(from_json) == [("heavy", 5, D("3041.666667"), D("152.083333"), 100, "subscription")]
    from_flag = run_json(write(tmp_path, STREAM), "--users", "heavy:5:100/day")
    assert {**from_json, "groups_source": None} == {**from_flag, "groups_source": None}


def test_the_command_line_overrides_the_files_groups(tmp_path: Path) -> None:
    path = write(tmp_path, STREAM + GROUPS)
    # --users replaces the file's groups: 3 users x 1,000 requests x $0.01 = $30 against 3 x $20 = $60: the API
    document = run_json(path, "--users", "solo:3:1000")
    assert (groups_of(document), document["groups_source"], document["best_monthly_cost"]) == (
        [("solo", 3, 1000, 30, 60, "api")], "--users", 30)
    table = run_main("breakeven", "subscription", path, "--users", "solo:3:1000", *DAY).stdout
    assert "seat holders: the workload's [[seat_holders]] are not used — --users gives the groups" in table
    # --seats asks for the average seat instead: the workload's $1,000 over 4 seats = $250 a seat against $20
    document = run_json(path, "--seats", "4")
    assert "groups" not in document and "groups_source" not in document
    assert (document["seats"], document["monthly_cost"], document["api_cost_per_seat"]) == (4, 1000, 250)
    assert (document["best"], document["best_monthly_cost"]) == ("subscription", 80)  # 4 x $20
    table = run_main("breakeven", "subscription", path, "--seats", "4", *DAY).stdout
    assert "seat holders: the workload's [[seat_holders]] are not used — --seats 4 gives the seats" in table


def test_other_commands_read_past_the_groups(tmp_path: Path) -> None:
    result = run_main("cost", write(tmp_path, STREAM + GROUPS), *DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == 1000  # 100,000 x $0.01


def group(**keys: object) -> str:
    body = "\n".join(f"{key} = {json.dumps(value)}" for key, value in keys.items())
    return f"\n[[seat_holders]]\n{body}\n"


LIGHT = {"name": "light", "users": 40, "requests_per_month": 200}
BAD = [
    (group(**{**LIGHT, "users": 0}), "seat_holders[0].users: must be >= 1, got 0"),
    (group(**{**LIGHT, "users": 100_000_001}), "seat_holders[0].users: must be at most 100,000,000, got 100000001"),
    (group(**{**LIGHT, "users": 2.5}), "seat_holders[0].users: must be a whole number, got 2.5"),
    (group(**{**LIGHT, "users": "40"}), "seat_holders[0].users: must be a whole number, got a string"),
    (group(**{**LIGHT, "requests_per_month": -1}), "seat_holders[0].requests_per_month: must be >= 0, got -1"),
    (group(**{**LIGHT, "requests_per_month": 10**13}),
     "seat_holders[0].requests_per_month: must be at most 1,000,000,000,000, got 10000000000000"),
    # 40,000,000,000 a day x 730 / 24 = 1,216,666,666,666.67 a month: above 10^12
    (group(name="light", users=1, requests_per_day=40_000_000_000),
     "seat_holders[0].requests_per_day: is 1,216,666,666,667 requests a month per user — at most "
     "1,000,000,000,000 are accepted"),
    (group(**LIGHT, requests_per_day=5),
     "seat_holders[0]: gives both requests_per_month and requests_per_day — keep exactly one"),
    (group(name="light", users=40),
     "seat_holders[0]: has no requests — add requests_per_month (what each of its users sends a month) or requests_per_day"),
    (group(name="light", users=40, requests_per_hour=5),
     "seat_holders[0].requests_per_hour: a seat holder's requests are counted a month or a day — use "
     "requests_per_month or requests_per_day"),
    (group(name="light", user=40, requests_per_month=200), "seat_holders[0].user: unknown key 'user' — did you mean 'users'?"),
    (group(users=40, requests_per_month=200), 'seat_holders[0].name: is required — add name = "..."'),
    (group(name="light", requests_per_month=200), "seat_holders[0].users: is required — add users = <integer>"),
    (group(**LIGHT) + group(**{**LIGHT, "users": 2}),
     "seat_holders[1].name: 'light' is also the name of seat_holders[0] — give each group its own name"),
    ("\nseat_holders = []\n", "seat_holders: must be a list of groups ([[seat_holders]] tables with name, users and "
                              "requests_per_month), got an empty list"),
    ("\n[seat_holders]\nname = \"light\"\n", "seat_holders: must be a list of groups ([[seat_holders]] tables with "
                                             "name, users and requests_per_month), got a table"),
    ("\nseat_holders = [1]\n", "seat_holders[0]: must be a table, got an integer"),
    ("".join(group(name=f"g{index}", users=1, requests_per_month=1) for index in range(101)),
     "seat_holders: has 101 groups — at most 100 are accepted"),
]


@pytest.mark.parametrize(("text", "message"), BAD, ids=[message.split(" — ")[0][:60] for _, message in BAD])
def test_bad_groups_are_refused_at_their_key(tmp_path: Path, text: str, message: str) -> None:
    # a bare key after [[streams]] would be the stream's: top-level keys go first, tables after
    path = write(tmp_path, STREAM + text if text.startswith("\n[") else text + STREAM)
    result = run_main("breakeven", "subscription", path, *DAY)
    assert result.exit_code == 2, result.stderr
    assert result.stderr == f"aicost: error: {path}: {message}\n"
    assert run_main("cost", path, *DAY).stderr == result.stderr  # refused by every command that reads the file


def test_groups_need_a_workload_that_sends_requests(tmp_path: Path) -> None:
    path = write(tmp_path, STREAM.replace("requests_per_month = 100000", "requests_per_month = 0") + GROUPS)
    result = run_main("breakeven", "subscription", path, *DAY)
    assert (result.exit_code, result.stderr) == (2, f"aicost: error: {path}: seat_holders: the workload sends no "
                                                    "requests, so a request has no cost to give the groups — give the "
                                                    "workload a volume\n")


def test_users_on_the_command_line_need_no_volume() -> None:
    """--users gives the requests; the stream's flags give only the cost of one, $0.01 (2,000 x 2.5 + 500 x 10 a
    million): 40 x 200 x 0.01 = $80 against $800 (api), 10 x 3,000 x 0.01 = $300 against $200 (seats)."""
    stream = ("--model", "gpt-4o", "--input-tokens", "2000", "--output-tokens", "500")
    document = run_json(*stream, "--users", "light:40:200,heavy:10:3000")
    assert groups_of(document) == [("light", 40, 200, 80, 800, "api"), ("heavy", 10, 3000, 300, 200, "subscription")]
    assert (document["best"], document["best_monthly_cost"]) == ("mix", 280)
    # without groups the volume is needed: one line saying whose
    result = run_main("breakeven", "subscription", *stream, *DAY)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("aicost: error: the stream of --model gpt-4o has no volume — add one of "
                             "--requests-per-month, --requests-per-day, --requests-per-hour\n")
