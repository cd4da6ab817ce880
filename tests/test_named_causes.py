"""Messages name the real cause and the real place: a sign, a limit, the option or environment variable given, and
the value as it was typed (issue: trust, round three)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest

from clihelp import run_main

STREAM = ["--model", "gpt-4o", "--requests-per-day", "10", "--input-tokens", "10", "--output-tokens", "1"]


def error_line(*args: str, env: dict[str, str] | None = None) -> str:
    result = run_main(*args, env=env)
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("aicost: error: ") and "Traceback" not in result.stderr
    return lines[-1].removeprefix("aicost: error: ")


def with_option(option: str, value: str) -> list[str]:
    arguments = list(STREAM)
    if option in arguments:
        arguments[arguments.index(option) + 1] = value
    else:
        arguments += [option, value]
    return arguments


@pytest.mark.parametrize("command", ["cost", "budget", "forecast"])
@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--input-tokens", "-0.5", "--input-tokens: must be >= 0, got -0.5"),
    ("--output-tokens", "-1e5", "--output-tokens: must be >= 0, got -1e5"),
    ("--reasoning-tokens", "-1e999999999", "--reasoning-tokens: must be >= 0, got -1e999999999"),
    ("--input-tokens", "1e999999999", "--input-tokens: must be at most 100,000,000, got 1e999999999"),
    # an exponent past what a Decimal holds (about 10^18) is kept as text and refused by the same check
    ("--cache-write-tokens", "1E99999999999999999999", "--cache-write-tokens: must be at most 100,000,000, got "
                                                       "1E99999999999999999999"),
    ("--requests-per-day", "-2", "--requests-per-day: must be >= 0, got -2"),
])
def test_a_stream_option_out_of_range_names_the_option_and_its_limit(command: str, option: str, value: str,
                                                                     expected: str) -> None:
    arguments = [command, *with_option(option, value)]
    if command == "budget":
        arguments += ["--max", "100"]
    assert error_line(*arguments) == expected


@pytest.mark.parametrize(("suffix", "text", "expected"), [
    ("json", '{"version": 1, "streams": [{"name": "a", "model": "gpt-4o", "requests_per_month": 1, '
             '"input_tokens": 1, "output_tokens": 1E99999999999999999999}]}',
     "streams[0].output_tokens: must be at most 100,000,000, got 1E99999999999999999999"),
    ("json", '{"version": 1, "streams": [{"name": "a", "model": "gpt-4o", "requests_per_month": -1E99999999999999999999, '
             '"input_tokens": 1, "output_tokens": 1}]}',
     "streams[0].requests_per_month: must be >= 0, got -1E99999999999999999999"),
    ("toml", 'version = 1\n[[streams]]\nname = "a"\nmodel = "gpt-4o"\nrequests_per_month = 1\ninput_tokens = 1\n'
             'output_tokens = 1\ncached_input_share = 1e-99999999999999999999\n',
     "streams[0].cached_input_share: must be 0 or at least 1E-12, got 1e-99999999999999999999"),
])
def test_a_file_number_beyond_any_decimal_names_its_key_and_limit(tmp_path: Path, suffix: str, text: str,
                                                                  expected: str) -> None:
    path = tmp_path / f"w.{suffix}"
    path.write_text(text, encoding="utf-8")
    assert error_line("cost", str(path)) == f"{path}: {expected}"


@pytest.mark.parametrize("prompts", ["1000000001", "1000000000000000000000000000000"])
def test_eval_prompts_past_its_limit_is_named(prompts: str) -> None:
    assert error_line("route", *STREAM, "--small", "gpt-5-nano", "--share", "50%", "--eval-prompts", prompts,
                      "--judge", "gpt-4o") == f"--eval-prompts {prompts}: must be at most 1,000,000,000 prompts"


NINES = "9" * 5000


@pytest.mark.parametrize(("arguments", "expected"), [
    (with_option("--batch-share", NINES + "%"),
     f"--batch-share: must be between 0 and 1, got {'9' * 79}… (5,001 characters)"),
    (with_option("--requests-per-day", "0000" + NINES),
     f"--requests-per-day: must be at most 1,000,000,000,000, got 0000{'9' * 75}… (5,004 characters)"),
    (with_option("--batch-share", "150%"), "--batch-share: must be between 0 and 1, got 150%"),
    (with_option("--cached-input-share", "1.50"), "--cached-input-share: must be between 0 and 1, got 1.50"),
])
def test_a_stream_option_is_echoed_as_typed(arguments: list[str], expected: str) -> None:
    assert error_line("cost", *arguments) == expected


@pytest.mark.parametrize("step", ["0.0000001", "0.00050", "0.05%"])
def test_a_sweep_step_is_echoed_as_typed(step: str) -> None:
    assert error_line("route", *STREAM, "--small", "gpt-5-nano", "--share", "50%", "--sweep", "--step", step) == (
        f"--step {step}: must be at least 0.001 (0.1%) and at most 1 (100%)")


@pytest.fixture(params=["fast", "typer"])
def parser(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each command line both ways: the fast path, and typer (the fast path declining)."""
    if request.param == "fast":
        yield "fast"
        return
    with mock.patch("aicost.cli.fast.run_fast", return_value=None):
        yield "typer"


@pytest.mark.parametrize(("arguments", "env", "expected"), [
    (["budget", *STREAM], {"AICOST_BUDGET": "junk"}, "AICOST_BUDGET=junk: not an amount — "),
    (["cost", *STREAM], {"AICOST_AS_OF": "junk"}, "AICOST_AS_OF=junk: not a date — use YYYY-MM-DD"),
    (["forecast", *STREAM], {"AICOST_AS_OF": "2026-02-30"}, "AICOST_AS_OF=2026-02-30: not a date — use YYYY-MM-DD"),
    (["cost", *STREAM], {"AICOST_CATALOG": "nonexist"}, "AICOST_CATALOG=nonexist: no such file or directory — "),
    (["pricing", "list"], {"AICOST_CATALOG": "nonexist.toml"}, "AICOST_CATALOG=nonexist.toml: no such file or "),
    # the option given on the command line is named, whatever the environment holds
    (["cost", *STREAM, "--as-of", "junk"], {"AICOST_AS_OF": "2026-01-01"}, "--as-of junk: not a date — "),
    (["cost", *STREAM, "--catalog", "nonexist"], {"AICOST_CATALOG": "bundled"}, "--catalog nonexist: no such file"),
])
def test_a_value_from_the_environment_names_the_variable(parser: str, arguments: list[str], env: dict[str, str],
                                                         expected: str) -> None:
    assert error_line(*arguments, env=env).startswith(expected)


@pytest.mark.parametrize(("option", "value", "expected"), [
    ("--as-of-old", "junk", "--as-of-old junk: not a date — use YYYY-MM-DD"),
    ("--as-of-new", "2026-13-01", "--as-of-new 2026-13-01: not a date — use YYYY-MM-DD"),
    ("--catalog-new", "nonexist", "--catalog-new nonexist: no such file or directory — "),
    ("--catalog-old", "9999.1.0", "--catalog-old 9999.1.0: no catalog of that version"),
])
def test_diff_names_the_option_given(tmp_path: Path, parser: str, option: str, value: str, expected: str) -> None:
    for name in ("a.toml", "b.toml"):
        (tmp_path / name).write_text('version = 1\n[[streams]]\nname = "chat"\nmodel = "gpt-4o"\nrequests_per_month = 1\n'
                                     'input_tokens = 1\noutput_tokens = 1\n', encoding="utf-8")
    line = error_line("diff", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), option, value)
    assert line.startswith(expected)


EARLY = "is before 1000-01-01: catalog versions are named by a four-digit year, so no price is dated earlier — give " \
        "a date from 1000-01-01 on"


@pytest.mark.parametrize(("arguments", "env", "expected"), [
    (["pricing", "check", "--against", "REFERENCE", "--as-of", "0999-01-01"], None, f"--as-of 0999-01-01: {EARLY}"),
    (["cost", *STREAM, "--as-of", "0001-01-01"], None, f"--as-of 0001-01-01: {EARLY}"),
    (["forecast", *STREAM], {"AICOST_AS_OF": "0999-12-31"}, f"AICOST_AS_OF=0999-12-31: {EARLY}"),
    (["diff", "W", "W", "--as-of-old", "0500-06-01"], None, f"--as-of-old 0500-06-01: {EARLY}"),
    (["pricing", "diff", "0999-12-31", "2026-01-01"], None, f"OLD 0999-12-31: {EARLY}"),
])
def test_a_pricing_date_before_the_year_1000_is_refused_up_front(tmp_path: Path, arguments: list[str],
                                                                 env: dict[str, str] | None, expected: str) -> None:
    reference = tmp_path / "l.json"
    reference.write_text('{"gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06, '
                         '"output_cost_per_token": 1e-05, "max_input_tokens": 128000}}', encoding="utf-8")
    workload = tmp_path / "w.toml"
    workload.write_text('version = 1\n[[streams]]\nname = "chat"\nmodel = "gpt-4o"\nrequests_per_month = 1\n'
                        'input_tokens = 1\noutput_tokens = 1\n', encoding="utf-8")
    arguments = [str(reference) if a == "REFERENCE" else str(workload) if a == "W" else a for a in arguments]
    assert error_line(*arguments, env=env) == expected


HUGE, TINY = "1E99999999999999999999", "1E-99999999999999999999"  # exponents past what any Decimal holds (~10^18)


@pytest.mark.parametrize(("arguments", "expected"), [
    (["route", *STREAM, "--small", "gpt-5-nano", "--share", HUGE], f"--share {HUGE}: must be between 0 and 1 (100%)"),
    (["cost", *STREAM, "--discount", f"gpt-4o={HUGE}"], f"--discount gpt-4o={HUGE}: must be between 0 and 1 (100%)"),
    (["forecast", *STREAM, "--growth", HUGE], f"--growth {HUGE}: must be between -100 % and +10,000 %"),
    (["forecast", *STREAM, "--elasticity", f"-{HUGE}"], f"--elasticity -{HUGE}: must be between -10 and 10"),
    (["breakeven", "self-host", *STREAM, "--gpu-hourly", "2", "--utilization", "50%", "--tokens-per-second", HUGE],
     f"--tokens-per-second {HUGE}: must be between 0.001 and 10,000,000 tokens a second"),
    (["budget", *STREAM, "--max", "100", "--warn-at", TINY], f"--warn-at {TINY}: must be 0 or at least 1E-12 — write "
                                                             "e.g. 0.8 or 80%"),
])
def test_an_option_beyond_any_decimal_is_out_of_range_not_a_non_number(arguments: list[str], expected: str) -> None:
    assert error_line(*arguments) == expected
