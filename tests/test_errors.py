"""Bad input of every kind: exit status 2, one line on stderr naming the place and the fix, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aicost.catalog import Catalog
from aicost.errors import InputError
from aicost.workload import parse_workload
from clihelp import run, run_main

GOOD_STREAM = 'name = "chat"\nmodel = "gpt-4o"\nrequests_per_day = 100\ninput_tokens = 1000\noutput_tokens = 100\n'


def workload_text(stream: str = GOOD_STREAM, top: str = "version = 1\n") -> str:
    return f"{top}\n[[streams]]\n{stream}"


CASES = [
    ("malformed TOML", "version = 1\n[[streams]\nname = 1\n", "invalid TOML"),
    ("empty file", "", "is empty"),
    ("whitespace only", "  \n\n", "is empty"),
    ("negative tokens", workload_text(GOOD_STREAM.replace("input_tokens = 1000", "input_tokens = -5")),
     "streams[0].input_tokens: must be >= 0, got -5"),
    ("tokens as text", workload_text(GOOD_STREAM.replace("output_tokens = 100", 'output_tokens = "100"')),
     "streams[0].output_tokens: must be a number, got '100' — write it without quotes"),
    ("share above 1", workload_text(GOOD_STREAM + "cached_input_share = 1.5\n"),
     "streams[0].cached_input_share: must be between 0 and 1, got 1.5"),
    ("negative share", workload_text(GOOD_STREAM + "batch_share = -0.1\n"), "streams[0].batch_share: must be >= 0"),
    ("two volume keys", workload_text(GOOD_STREAM + "requests_per_month = 5\n"),
     "gives both requests_per_month and requests_per_day — keep exactly one"),
    ("no volume", workload_text(GOOD_STREAM.replace("requests_per_day = 100\n", "")), "has no volume"),
    ("unknown key", workload_text(GOOD_STREAM + "input_token = 3\n"), "unknown key 'input_token' — did you mean 'input_tokens'?"),
    ("unknown top-level key", "colour = 1\n" + workload_text(), "unknown key 'colour'"),
    ("unknown model", workload_text(GOOD_STREAM.replace('"gpt-4o"', '"gpt4o"')),
     "streams[0].model: unknown model 'gpt4o' — did you mean 'gpt-4o'?"),
    ("unknown format version", workload_text(top="version = 2\n"), "format version 2 is not supported"),
    ("no streams", "version = 1\nname = 'x'\n", "has no streams"),
    ("missing model", workload_text(GOOD_STREAM.replace('model = "gpt-4o"\n', "")), "streams[0].model: is required"),
    ("cache writes beyond input", workload_text(GOOD_STREAM + "cached_input_share = 0.9\ncache_write_tokens = 200\n"),
     "exceeds input_tokens"),
    ("duplicate stream names", workload_text() + "\n[[streams]]\n" + GOOD_STREAM, "two streams are named 'chat'"),
    ("streams not a list", "version = 1\nstreams = 3\n", "streams: must be a list of tables"),
    ("bad JSON", '{"version": 1, "streams": [}', "invalid JSON"),
    ("JSON array", "[1, 2]", "invalid TOML"),
    ("currency not supported", workload_text(top='version = 1\ncurrency = "GBP"\n'), "currency 'GBP' is not supported"),
    ("budget negative", workload_text() + "\n[budget]\nmonthly = -1\n", "budget.monthly: must be >= 0"),
    ("routing share above 1", workload_text() + "\n[routing]\nsmall_share = 2\n", "routing.small_share: must be between 0 and 1"),
    ("boolean tokens", workload_text(GOOD_STREAM.replace("output_tokens = 100", "output_tokens = true")),
     "must be a number, got a boolean"),
]


def assert_one_clean_line(stderr: str, expected: str) -> None:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("aicost: error: ")
    assert expected in lines[0]
    assert "Traceback" not in stderr


@pytest.mark.parametrize(("kind", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_workload_file(tmp_path: Path, kind: str, text: str, expected: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    result = run("cost", str(path))
    assert result.exit_code == 2, (kind, result.stdout, result.stderr)
    assert result.stdout == ""
    assert_one_clean_line(result.stderr, expected)
    assert str(path) in result.stderr


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    result = run("cost", str(path))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "is a binary file")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_bytes(b'name = "caf\xe9"\n')
    result = run("cost", str(path))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "is not UTF-8")


def test_missing_file(tmp_path: Path) -> None:
    result = run("compare", str(tmp_path / "nope.toml"))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "no such workload file — check the path")


def test_directory_instead_of_file(tmp_path: Path) -> None:
    result = run("cost", str(tmp_path))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "is a directory")


def test_unreadable_catalog_override(tmp_path: Path) -> None:
    broken = tmp_path / "catalog.toml"
    broken.write_text("catalog_version = \n", encoding="utf-8")
    result = run("cost", "--catalog", str(broken))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "invalid TOML")


def test_missing_catalog_override(tmp_path: Path) -> None:
    result = run("compare", "--catalog", str(tmp_path / "none.toml"))
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "no such file or directory")


def test_bad_as_of_date() -> None:
    result = run("cost", "--as-of", "2026-13-01")
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "--as-of 2026-13-01: not a date — use YYYY-MM-DD")


def test_unknown_format() -> None:
    result = run("cost", "--format", "yaml")
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "Invalid value for '--format' / '-f': 'yaml' is not one of")


def test_unknown_model_in_pricing_show() -> None:
    result = run("pricing", "show", "claude-sonet-4")
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "did you mean 'claude-sonnet-4'?")


def test_unknown_option_is_usage_error() -> None:
    result = run("cost", "--frobnicate")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_unknown_vendor_filter() -> None:
    result = run("compare", "--vendor", "openia")
    assert result.exit_code == 2
    assert_one_clean_line(result.stderr, "did you mean 'openai'?")


# ---------------------------------------------------------------------------------------------- property test

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**9), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(["gpt-4o", "alpha", "beta", "nope"]),
)
stream_keys = st.sampled_from([
    "name", "model", "requests_per_month", "requests_per_day", "requests_per_hour", "input_tokens", "output_tokens",
    "cached_input_share", "cache_write_tokens", "reasoning_tokens", "batch_share", "routing", "junk",
])
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                      max_leaves=8)
streams = st.lists(st.dictionaries(stream_keys, values, max_size=10), max_size=3)
documents = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.just(1), scalars),
        "name": values,
        "currency": st.sampled_from(["USD", "EUR", 3]),
        "streams": st.one_of(streams, values),
        "defaults": st.one_of(st.dictionaries(stream_keys, values, max_size=4), values),
        "budget": st.one_of(st.fixed_dictionaries({"monthly": values}), values),
        "routing": values,
        "quality": values,
        "other": values,
    },
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_parser_never_crashes(catalog: Catalog, document: dict[str, object]) -> None:
    """Random documents either parse or raise InputError — never another exception."""
    try:
        parse_workload(document, "random.toml", catalog)
    except InputError as exc:
        assert "\n" not in exc.message


LONG = "x" * 5000


@pytest.mark.parametrize("args", [
    ["cost", "--format", LONG],
    ["cost", "--format", LONG[:3000] + " " + LONG[:3000]],
    ["cost", "--currency", LONG],
    ["cost", "--bogus-" + LONG],
    ["forecast", "--months", "9" * 5000],
    ["cost", "a/" * 3000],
    ["pricing", "use", LONG],
])
def test_echoed_values_are_cut(args: list[str]) -> None:
    """typer's own errors and every other echo: a 5,000-character value is shown as 80 characters and its length."""
    result = run_main(*args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr[:300]
    assert len(result.stderr) < 420 and "characters)" in result.stderr, result.stderr[:500]


def test_typer_names_an_environment_variable_only_when_the_value_came_from_it() -> None:
    result = run_main("cost", "--format", "xml", env={"AICOST_FORMAT": "json"})
    assert result.stderr == ("aicost: error: Invalid value for '--format' / '-f': 'xml' is not one of 'table', 'json', "
                             "'csv', 'markdown', 'focus'. — see `aicost cost --help`\n")
    result = run_main("cost", env={"AICOST_FORMAT": "xml"})
    assert result.stderr == ("aicost: error: Invalid value for '--format' / '-f' (env var: 'AICOST_FORMAT'): 'xml' is "
                             "not one of 'table', 'json', 'csv', 'markdown', 'focus'. — see `aicost cost --help`\n")


STREAM = ["--model", "gpt-4o", "--requests-per-day", "10", "--input-tokens", "10", "--output-tokens", "10"]
SELF_HOST = ["breakeven", "self-host", *STREAM, "--gpu-hourly", "2", "--utilization", "50%"]


@pytest.mark.parametrize(("args", "message"), [
    ([*SELF_HOST, "--tokens-per-second", "-5"], "--tokens-per-second -5: must be more than 0 tokens a second (it is "
                                                 "negative)"),
    ([*SELF_HOST, "--tokens-per-second", "-0"], "--tokens-per-second -0: must be more than 0 tokens a second"),
    ([*SELF_HOST, "--tokens-per-second", "--5"], "--tokens-per-second --5: not a number — write e.g. 2500"),
    ([*SELF_HOST, "--tokens-per-second", "1e400"], "--tokens-per-second 1e400: must be between 0.001 and 10,000,000 "
                                                   "tokens a second"),
    (["forecast", *STREAM, "--growth", "-5"], "--growth -5: a bare number is a change above -1 and at most 1 (0.3 "
                                              "is +30%) — write -5% for a percentage"),
    (["forecast", *STREAM, "--price-change", "30"], "--price-change 30: a bare number is a change above -1 and at most "
                                                    "1 (0.3 is +30%) — write 30% for a percentage"),
])
def test_messages_name_the_real_cause(args: list[str], message: str) -> None:
    result = run_main(*args)
    assert result.exit_code == 2 and result.stderr == f"aicost: error: {message}\n"
