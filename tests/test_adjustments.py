"""Negotiated discounts and a platform fee: applied to every price, shown separately in the reports."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import run_main

WORKLOAD = """version = 1
name = "negotiated"

[[streams]]
name = "chat"
model = "gpt-4o"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100

[[streams]]
name = "review"
model = "claude-sonnet-4"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100

[adjustments]
discount = { openai = "15%" }
platform_fee = "5.5%"
"""
EARLY_2026 = ("--as-of", "2026-03-01")


def write(tmp_path: Path, text: str = WORKLOAD) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_cost_shows_list_discount_fee_and_net(tmp_path: Path) -> None:
    result = run_main("cost", write(tmp_path), *EARLY_2026, "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    chat, review = document["streams"]
    # chat, gpt-4o at 2.50 / 10: 1,000 x (1,000 x 2.5 + 100 x 10) / 1e6 = $3.50 list;
    # OpenAI's 15 %: -0.525 -> 2.975; fee 5.5 % of 2.975 = 0.163625; net 3.138625
    assert (chat["list_monthly_cost"], chat["discount"], chat["platform_fee"], chat["monthly_cost"]) == (
        Decimal("3.5"), Decimal("0.525"), Decimal("0.163625"), Decimal("3.138625"))
    # review, claude-sonnet-4 at 3 / 15: 1,000 x (1,000 x 3 + 100 x 15) / 1e6 = $4.50; no discount; fee 0.2475
    assert (review["discount"], review["platform_fee"], review["monthly_cost"]) == (0, Decimal("0.2475"), Decimal("4.7475"))
    # total: list 8.00 - 0.525 + 0.411125 = 7.886125
    assert (document["list_monthly_cost"], document["discount"], document["platform_fee"], document["monthly_cost"]) == (
        8, Decimal("0.525"), Decimal("0.411125"), Decimal("7.886125"))
    table = run_main("cost", write(tmp_path), *EARLY_2026).stdout
    assert "Discount (off)  Platform fee" in table and "$0.52" in table  # 0.525, half-even
    assert "adjustments: openai -15 %, platform fee +5.5 %" in table
    csv_text = run_main("cost", write(tmp_path), *EARLY_2026, "--format", "csv").stdout
    assert csv_text.splitlines()[-1] == "total,,2000,5.5,0,0,2.5,0.525,0.411125,7.886125"


def test_a_model_discount_wins_over_its_vendors(tmp_path: Path) -> None:
    text = WORKLOAD.replace('discount = { openai = "15%" }', 'discount = { openai = "15%", "gpt-4o" = 0.2 }')
    document = json.loads(run_main("cost", write(tmp_path, text), *EARLY_2026, "--format", "json").stdout,
                          parse_float=Decimal)
    # 3.50 x 20 % = 0.70
    assert document["streams"][0]["discount"] == Decimal("0.7")


def test_every_report_uses_the_adjusted_prices(tmp_path: Path) -> None:
    path = write(tmp_path)
    compared = json.loads(run_main("compare", path, *EARLY_2026, "--models", "gpt-4o,claude-sonnet-4", "--format", "json")
                          .stdout, parse_float=Decimal)
    costs = {c["model"]: c["monthly_cost"] for c in compared["candidates"]}
    # both streams on gpt-4o: 2 x 3.50 = 7.00, -15 % = 5.95, +5.5 % = 6.27725
    # both on claude-sonnet-4: 2 x 4.50 = 9.00, +5.5 % = 9.495
    assert costs == {"gpt-4o": Decimal("6.27725"), "claude-sonnet-4": Decimal("9.495")}
    assert compared["baseline_monthly_cost"] == Decimal("7.886125")
    budget = run_main("budget", path, *EARLY_2026, "--max", "7.88", "--format", "json")
    assert budget.exit_code == 1 and json.loads(budget.stdout, parse_float=Decimal)["monthly_cost"] == Decimal("7.886125")
    routed = json.loads(run_main("route", path, *EARLY_2026, "--small", "gpt-4o-mini", "--frontier", "gpt-4o", "--share",
                                 "0.5", "--format", "json").stdout, parse_float=Decimal)
    # all-frontier = both streams on gpt-4o after adjustments = 6.27725 (as compare says)
    assert routed["baseline_monthly_cost"] == Decimal("6.27725")


@pytest.mark.parametrize(
    ("adjustments", "message"),
    [
        ('discount = { opneai = "15%" }', "adjustments.discount.opneai: 'opneai' is neither a vendor nor a model of the "
                                           "catalog — did you mean 'openai'?"),
        ('discount = { openai = "150%" }', "adjustments.discount.openai: must be between 0 and 1 (100%)"),
        ('platform_fee = 2', "adjustments.platform_fee: must be between 0 and 1, got 2"),
        ('rebate = "5%"', "adjustments.rebate: unknown key 'rebate'"),
    ],
)
def test_bad_adjustments_are_named(tmp_path: Path, adjustments: str, message: str) -> None:
    text = WORKLOAD.split("[adjustments]")[0] + "[adjustments]\n" + adjustments + "\n"
    result = run_main("cost", write(tmp_path, text))
    assert result.exit_code == 2 and message in result.stderr, result.stderr


# ---------------------------------------------------------------------------------------------- the same as flags

PLAIN = WORKLOAD.split("[adjustments]")[0]


@pytest.mark.parametrize("command", [("cost",), ("budget", "--max", "100"), ("compare", "--models", "gpt-4o,claude-sonnet-4"),
                                     ("forecast", "--months", "2"),
                                     ("route", "--small", "gpt-4o-mini", "--frontier", "gpt-4o", "--share", "0.5")])
def test_flags_price_exactly_as_the_files_adjustments(tmp_path: Path, command: tuple[str, ...]) -> None:
    with_file = run_main(command[0], write(tmp_path), *command[1:], *EARLY_2026, "--format", "json")
    flagged_path = tmp_path / "plain.toml"
    flagged_path.write_text(PLAIN, encoding="utf-8")
    with_flags = run_main(command[0], str(flagged_path), *command[1:], *EARLY_2026, "--format", "json",
                          "--discount", "openai=15%", "--platform-fee", "0.055")
    assert with_flags.exit_code == with_file.exit_code == 0, with_flags.stderr
    assert json.loads(with_flags.stdout) == json.loads(with_file.stdout)


def test_flags_on_a_command_line_stream(tmp_path: Path) -> None:
    result = run_main("cost", "--model", "gpt-4o", "--requests-per-month", "1000", "--input-tokens", "1000",
                      "--output-tokens", "100", "--discount", "gpt-4o=20%", "--platform-fee", "10%", *EARLY_2026,
                      "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    # 1,000 x (1,000 x 2.50 + 100 x 10) / 1e6 = 3.50 list; -20 % = 0.70 off -> 2.80; +10 % fee = 0.28 -> 3.08
    assert (document["discount"], document["platform_fee"], document["monthly_cost"]) == (
        Decimal("0.7"), Decimal("0.28"), Decimal("3.08"))


def test_a_flag_replaces_the_files_entry_for_the_same_name_and_keeps_the_others(tmp_path: Path) -> None:
    text = WORKLOAD.replace('discount = { openai = "15%" }', 'discount = { openai = "15%", anthropic = "10%" }')
    result = run_main("cost", write(tmp_path, text), *EARLY_2026, "--format", "json", "--discount", "openai=30%",
                      "--platform-fee", "0%")
    chat, review = json.loads(result.stdout, parse_float=Decimal)["streams"]
    # chat (gpt-4o, 3.50 list): the flag's 30 % replaces the file's 15 %: 3.50 x 0.7 = 2.45; the fee is now 0
    assert (chat["discount"], chat["platform_fee"], chat["monthly_cost"]) == (Decimal("1.05"), 0, Decimal("2.45"))
    # review (claude-sonnet-4, 4.50 list): the file's anthropic 10 % stays: 4.50 x 0.9 = 4.05
    assert (review["discount"], review["monthly_cost"]) == (Decimal("0.45"), Decimal("4.05"))
    table = run_main("cost", write(tmp_path, text), *EARLY_2026, "--discount", "openai=30%", "--platform-fee", "0%").stdout
    assert "adjustments: openai -30 %, anthropic -10 % (" in table


def test_a_model_flag_wins_over_a_vendor_discount_in_the_file(tmp_path: Path) -> None:
    result = run_main("cost", write(tmp_path), *EARLY_2026, "--format", "json", "--discount", "gpt-4o=0.2")
    chat = json.loads(result.stdout, parse_float=Decimal)["streams"][0]
    # the model's own 20 % beats the file's openai 15 %: 3.50 x 0.2 = 0.70 off; fee 5.5 % of 2.80 = 0.154
    assert (chat["discount"], chat["platform_fee"], chat["monthly_cost"]) == (Decimal("0.7"), Decimal("0.154"),
                                                                              Decimal("2.954"))


def test_diff_lays_the_flags_over_both_sides(tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text(PLAIN, encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text(PLAIN.replace("requests_per_month = 1000", "requests_per_month = 2000", 1), encoding="utf-8")
    result = run_main("diff", str(old), str(new), *EARLY_2026, "--discount", "openai=50%", "--format", "json")
    document = json.loads(result.stdout, parse_float=Decimal)
    # old: chat 3.50 x 0.5 = 1.75 + review 4.50 = 6.25; new: chat doubles to 3.50 + 4.50 = 8.00
    assert (document["old_monthly_cost"], document["new_monthly_cost"], document["change"]) == (
        Decimal("6.25"), Decimal("8"), Decimal("1.75"))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--discount", "opneai=15%"), "--discount opneai=15%: 'opneai' is neither a vendor nor a model of the catalog — "
                                       "did you mean 'openai'? (vendors: openai, anthropic,"),
        (("--discount", "openai"), "--discount openai: write VENDOR=SHARE or MODEL=SHARE, e.g. openai=15%"),
        (("--discount", "openai=150%"), "--discount openai=150%: must be between 0 and 1 (100%)"),
        (("--discount", "openai=15"), "--discount openai=15: must be between 0 and 1 (100%)"),
        (("--platform-fee", "2"), "--platform-fee 2: must be between 0 and 1 (100%)"),
        (("--platform-fee", "a lot"), "--platform-fee a lot: not a number"),
    ],
)
def test_bad_flags_are_named(tmp_path: Path, flags: tuple[str, ...], message: str) -> None:
    result = run_main("cost", write(tmp_path), *flags)
    assert result.exit_code == 2 and message in result.stderr and result.stdout == "", result.stderr


def test_the_fast_path_takes_repeated_discounts_as_typer_does(tmp_path: Path) -> None:
    from unittest import mock

    from aicost.cli import fast

    args = ("cost", write(tmp_path, PLAIN), *EARLY_2026, "--discount", "openai=15%", "--discount", "anthropic=10%",
            "--platform-fee", "5.5%", "--format", "json")
    with mock.patch("aicost.cli.entry.run_typer", side_effect=AssertionError("typer was used")):
        fast_result = run_main(*args)
    with mock.patch.object(fast, "run_fast", lambda arguments: None):
        typer_result = run_main(*args)
    assert fast_result == typer_result and fast_result.exit_code == 0
    # review (claude-sonnet-4, 4.50 list): anthropic's 10 % -> 4.05, +5.5 % = 4.27275; chat as the file: 3.138625
    streams = json.loads(fast_result.stdout, parse_float=Decimal)["streams"]
    assert [s["monthly_cost"] for s in streams] == [Decimal("3.138625"), Decimal("4.27275")]


def test_each_footer_says_what_its_token_columns_hold(tmp_path: Path) -> None:
    path = write(tmp_path)
    routed = run_main("route", path, *EARLY_2026, "--small", "gpt-4o-mini", "--frontier", "gpt-4o", "--share", "0.5",
                      "--format", "json")
    frontier = json.loads(routed.stdout, parse_float=Decimal)["breakdown"]["frontier"]
    # route's plan breakdown is what is paid: gpt-4o's 1,000 calls (half of 2 x 1,000) read 1,000 x 1,000 tokens at
    # 2.50 = 2.50 list, x (1 - 0.15) = 2.125, x 1.055 = 2.241875; output 1,000 x 100 x 10 / 1e6 = 1.00 -> 0.89675
    assert (frontier["input"], frontier["output"]) == (Decimal("2.241875"), Decimal("0.89675"))
    table = run_main("route", path, *EARLY_2026, "--small", "gpt-4o-mini", "--frontier", "gpt-4o", "--share", "0.5").stdout
    assert "frontier model     gpt-4o             1,000  $2.24" in table  # not the list $2.50
    assert "adjustments: openai -15 %, platform fee +5.5 % (every amount after adjustments, the token columns too)" in table
    # cost keeps the token columns at list prices, then the discount and fee columns
    assert ("adjustments: openai -15 %, platform fee +5.5 % (list prices in the token columns; costs after adjustments)"
            in run_main("cost", path, *EARLY_2026).stdout)
    # reports without token columns say only that their costs are after adjustments
    for command in (("budget", path, "--max", "100"), ("compare", path, "--top", "3"), ("route", "plan", path),
                    ("diff", path, path)):
        text = run_main(*command, *EARLY_2026).stdout
        assert "adjustments: openai -15 %, platform fee +5.5 % (costs after adjustments)" in text, command
