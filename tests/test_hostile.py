"""Hostile documents and a hostile environment, through the real console entry point.

Whatever the input, the outcome is an exit status of the documented set (never 70, the status of a bug), a
failure is one line on stderr, and nothing a terminal would act on (ESC, a raw newline in a value, a bidi
override) reaches stdout or stderr.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from clihelp import Run, run_main

DOCUMENTED_EXIT_STATUSES = {0, 1, 2, 3, 141}

# Literal TOML values a fuzzer or a careless generator would write.
HOSTILE_VALUES = [
    "1", "0", "-0", "-5", "0.5", "1.5", "2", "100000", "1e23", "1e300", "1e999999", "-1e999999", "1e-999999",
    "0.000000000000000000000000000001", "9" * 5000, "9" * 4000, "inf", "-inf", "nan", "true", "false",
    "1979-05-27", "1979-05-27T07:32:00Z", "07:32:00", '""', '" "', '"1"', '"gpt-4o"', '"gpt4o"', '"alpha"',
    '"x\\u001b[2Jy"', '"a\\nb"', '"\\u202eevil"', '"=HYPERLINK(1)"', '"-2+3"', '"@SUM(A1)"', '"\\t"',
    "[]", "[1, 2]", '["a", 1]', "{}", "{ a = 1 }", "[" * 40 + "]" * 40, "[" * 2000 + "]" * 2000,
    '"' + "m" * 20000 + '"',
]
KEYS = [
    "version", "name", "currency", "model", "requests_per_month", "requests_per_day", "requests_per_hour",
    "input_tokens", "output_tokens", "cached_input_share", "cache_write_tokens", "reasoning_tokens", "batch_share",
    "input_token", "junk", '"key\\u001bwith-escape"', '"new\\nline"', "monthly", "small", "frontier", "small_share",
]
BASE_STREAM = {
    "name": '"chat"', "model": '"gpt-4o"', "requests_per_day": "100", "input_tokens": "1000", "output_tokens": "100",
}

assignments = st.lists(st.tuples(st.sampled_from(KEYS), st.sampled_from(HOSTILE_VALUES)), max_size=4)


@st.composite
def toml_workloads(draw: st.DrawFn) -> bytes:
    """A workload that is right but for a few hostile assignments, in the top table, a stream or [budget]."""
    top = {"version": "1", "name": '"w"'}
    stream = dict(BASE_STREAM)
    budget: dict[str, str] = {}
    for key, value in draw(assignments):
        draw(st.sampled_from([top, stream, stream, budget]))[key] = value
    lines = [f"{k} = {v}" for k, v in top.items()]
    for _ in range(draw(st.integers(1, 2))):
        lines += ["[[streams]]", *(f"{k} = {v}" for k, v in stream.items())]
    if budget:
        lines += ["[budget]", *(f"{k} = {v}" for k, v in budget.items())]
    return "\n".join(lines).encode("utf-8")


JSON_DOCUMENTS = [
    b'{"version": 1, "streams": [{"model": "gpt-4o", "requests_per_day": 1, "input_tokens": 1, "output_tokens": 1}]}',
    b'{"version": 1, "version": 1, "streams": []}',
    b'{"version": 1, "name": null, "streams": []}',
    b'{"version": 1, "streams": [null]}',
    b'{"version": NaN}',
    b'{"version": Infinity}',
    b'{"version": 1, "streams": [{"model": "gpt-4o", "requests_per_month": 1e23, "input_tokens": 1, "output_tokens": 1}]}',
    b'{"a": ' + b"[" * 3000 + b"]" * 3000 + b"}",
    b'{"version": ' + b"9" * 5000 + b"}",
    b'{"version": 1, "name": "\\u001b]0;title\\u0007", "streams": []}',
    b"[1, 2]",
    b"{",
]
documents = st.one_of(toml_workloads(), st.sampled_from(JSON_DOCUMENTS), st.binary(max_size=64),
                      st.text(max_size=64).map(lambda text: text.encode("utf-8", "surrogatepass")))

option_values = st.sampled_from(["100", "0", "-1", "1e999999%", "80%", "5,000", "$5000", "abc", "", "\x1b[2J", "1\n2",
                                 "0.5", "150%", "9" * 5000, "2026-02-30", "2026-11-27", "NaN", "inf%"])
commands = st.one_of(
    st.just(["cost"]),
    st.just(["compare", "--class", "frontier"]),
    st.builds(lambda v: ["budget", "--max", v], option_values),
    st.builds(lambda v: ["budget", "--max", "100", "--warn-at", v], option_values),
    st.builds(lambda v: ["cost", "--max", v], option_values),
    st.builds(lambda v: ["route", "--small", "gpt-4o-mini", "--share", v], option_values),
    st.builds(lambda v: ["cost", "--as-of", v], option_values),
    st.builds(lambda v: ["diff", "{W}", "{W}", "--max-increase", v], option_values),
)
formats = st.sampled_from([[], ["--format", "json"], ["--format", "csv"], ["--format", "markdown"]])
environments = st.fixed_dictionaries(
    {},
    optional={
        "AICOST_FORMAT": st.sampled_from(["table", "json", "csv", "markdown", "", "JSON", "yaml", "\x1b[31m"]),
        "AICOST_AS_OF": st.sampled_from(["2026-11-27", "2024-01-01", "", "1900-01-01", "9999-12-31", "x\ny"]),
        "AICOST_CATALOG": st.sampled_from(["", "bundled", "2026.12.0", "2099.1.0", "/nonexistent/catalog", "{HOME}",
                                           "{W}"]),
        "AICOST_HOME": st.sampled_from(["{HOME}", "{W}", "/nonexistent/home", ""]),
        "COLUMNS": st.sampled_from(["0", "-1", "abc", "100000", "20"]),
        "TERM": st.sampled_from(["dumb", "xterm-256color", ""]),
        "AICOST_BUDGET": option_values.filter(lambda v: "\x00" not in v),
    },
)


def assert_clean(result: Run) -> None:
    event(f"exit {result.exit_code}")
    assert result.exit_code in DOCUMENTED_EXIT_STATUSES, result
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result
    lines = result.stderr.splitlines()
    assert all(line.startswith("aicost: ") for line in lines), result
    if result.exit_code == 2:
        assert len(lines) == 1, result
    for text in (result.stdout, result.stderr):
        assert all(char.isprintable() or char == "\n" for char in text), repr(text)


@pytest.mark.slow
@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=documents, command=commands, output_format=formats, environment=environments,
       through_stdin=st.booleans())
def test_hostile_documents_and_environments(
    document: bytes, command: list[str], output_format: list[str], environment: dict[str, str], through_stdin: bool
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        workload = Path(directory, "w.toml")
        workload.write_bytes(document)
        home = Path(directory, "home")
        home.mkdir()
        names = {"{W}": str(workload), "{HOME}": str(home)}
        env = {key: names.get(value, value) for key, value in environment.items()}
        env.setdefault("AICOST_HOME", str(home))
        arguments = [names.get(argument, argument) for argument in command]
        if command[0] != "diff":
            arguments.append("-" if through_stdin else str(workload))
        result = run_main(*arguments, *output_format, stdin=document if through_stdin else b"", env=env)
    assert_clean(result)


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(arguments=st.lists(st.text(min_size=0, max_size=12), max_size=5))
def test_random_arguments(arguments: list[str]) -> None:
    """Random words on the command line: usage errors are one line, exit 2."""
    arguments = [argument for argument in arguments if "\x00" not in argument and argument not in ("-", "--help", "-h")]
    with tempfile.TemporaryDirectory() as directory:
        cwd = os.getcwd()
        os.chdir(directory)
        try:
            result = run_main(*arguments, stdin=b"")
        finally:
            os.chdir(cwd)
    assert_clean(result)


# ---------------------------------------------------------------------------------------------- each defect

TEST_CATALOG = str(Path(__file__).parent / "data" / "test_catalog.toml")


def stream_text(**values: str) -> str:
    fields = {"name": '"chat"', "model": '"alpha"', "requests_per_month": "1000", "input_tokens": "1000",
              "output_tokens": "100", **values}
    return "version = 1\nname = \"w\"\n[[streams]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items() if v)


def run_workload(tmp_path: Path, text: str, *args: str, suffix: str = ".toml") -> Run:
    path = tmp_path / f"w{suffix}"
    path.write_text(text, encoding="utf-8")
    return run_main("cost", str(path), "--catalog", TEST_CATALOG, "--as-of", "2025-08-01", *args)


def assert_error(result: Run, expected: str) -> None:
    assert result.exit_code == 2, result
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("aicost: error: "), result.stderr
    assert expected in result.stderr, result.stderr


def endless_fifo(tmp_path: Path, chunk: bytes) -> Path:
    """A FIFO whose writer never stops (until the reader goes): a stand-in for /dev/zero or `yes |`."""
    fifo = tmp_path / "endless"
    os.mkfifo(fifo)

    def feed() -> None:
        try:
            with open(fifo, "wb") as stream:
                while True:
                    stream.write(chunk)
        except (BrokenPipeError, OSError):
            pass

    import threading

    threading.Thread(target=feed, daemon=True).start()
    return fifo


def test_endless_zeros_are_refused_at_the_first_chunk(tmp_path: Path) -> None:
    result = run_main("cost", str(endless_fifo(tmp_path, b"\0" * 65536)))
    assert_error(result, "is a binary file, not a workload file")


def test_endless_text_is_stopped_at_the_size_cap(tmp_path: Path) -> None:
    result = run_main("cost", str(endless_fifo(tmp_path, b"#" * 65536 + b"\n")))
    assert_error(result, "is larger than 16 MiB, the limit for a workload file")


def test_stdin_over_the_cap(tmp_path: Path) -> None:
    result = run_main("cost", "-", stdin=b"# padding\n" * (16 * 1024 * 1024 // 10 + 1))
    assert_error(result, "<stdin>: is larger than 16 MiB")


def test_stdin_closed() -> None:
    assert_error(run_main("cost", "-", stdin=None), "<stdin>: standard input is closed — pipe the workload file in")


def test_process_substitution_style_pipe_still_works(tmp_path: Path) -> None:
    """`aicost cost <(generate)`: a FIFO path with a writer that ends."""
    fifo = tmp_path / "generated"
    os.mkfifo(fifo)
    import threading

    threading.Thread(target=lambda: fifo.write_text(stream_text(), encoding="utf-8"), daemon=True).start()
    result = run_main("cost", str(fifo), "--catalog", TEST_CATALOG, "--as-of", "2025-08-01", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.endswith("total,,1000,4,0,0,1.6,5.6\n")


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"requests_per_month": "1e300"}, "streams[0].requests_per_month: must be at most 1,000,000,000,000, got 1E+300"),
        ({"requests_per_month": "1e23"}, "must be at most 1,000,000,000,000, got 1E+23"),
        ({"input_tokens": "9" * 5000}, "an integer has thousands of digits"),
        ({"input_tokens": "9" * 400}, "streams[0].input_tokens: must be at most 100,000,000, got an integer of 400 digits"),
        ({"output_tokens": "1e999999"}, "streams[0].output_tokens: must be at most 100,000,000, got 1E+999999"),
        ({"name": '"a\\nb"'}, None),
        ({"model": '"gpt\\n4o"'}, "streams[0].model: unknown model 'gpt\\n4o'"),
        ({"name": '"' + "n" * 20000 + '"'}, "streams[0].name: is 20,000 characters long — at most 10,000 are accepted"),
    ],
)
def test_out_of_range_values_name_the_limit(tmp_path: Path, values: dict[str, str], expected: str | None) -> None:
    result = run_workload(tmp_path, stream_text(**values), "--format", "json")
    if expected is None:  # accepted, and the newline comes out escaped
        assert result.exit_code == 0 and '"name": "a\\nb"' in result.stdout
    else:
        assert_error(result, expected)


def test_version_with_a_newline_is_one_line(tmp_path: Path) -> None:
    assert_error(run_workload(tmp_path, 'version = "1\\n2"\n'), "version: must be the whole number 1, got a string")


def test_version_as_a_string(tmp_path: Path) -> None:
    assert_error(run_workload(tmp_path, 'version = "1"\n'), "version: must be the whole number 1, got a string — write version = 1")


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deep_nesting(tmp_path: Path, depth: int) -> None:
    assert_error(run_workload(tmp_path, "version = 1\nx = " + "[" * depth + "]" * depth + "\n"), "nested more than 32 levels")
    json_text = '{"version": 1, "x": ' + "[" * depth + "]" * depth + "}"
    assert_error(run_workload(tmp_path, json_text, suffix=".json"), "nested more than 32 levels")


def test_typo_is_named_before_the_missing_key(tmp_path: Path) -> None:
    text = stream_text(input_tokens="", input_token="1000")
    assert_error(run_workload(tmp_path, text), "streams[0].input_token: unknown key 'input_token' — did you mean 'input_tokens'?")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"version": 1, "version": 1}', "w.json: invalid JSON: key 'version' appears twice in one object — keep one"),
        ('{"version": 1, "name": null}', "w.json: name: null is not a value — remove the key or give a value"),
        ('{"version": 1, "streams": [null]}', "w.json: streams[0]: null is not a value"),
        ('{"version": NaN}', "NaN is not a number a price or a count can take"),
    ],
)
def test_json_duplicates_and_nulls(tmp_path: Path, text: str, expected: str) -> None:
    assert_error(run_workload(tmp_path, text, suffix=".json"), expected)


def test_control_characters_are_escaped_in_every_format(tmp_path: Path) -> None:
    text = stream_text(name='"=1+2\\u001b[2J\\u202e"') .replace('name = "w"', 'name = "evil\\u001b]0;t\\u0007"')
    for output_format in ("table", "csv", "markdown", "json"):
        result = run_workload(tmp_path, text, "--format", output_format)
        assert result.exit_code == 0
        assert all(char.isprintable() or char == "\n" for char in result.stdout), (output_format, result.stdout)
        assert "\\x1b[2J" in result.stdout or "\\u001b[2J" in result.stdout
    csv_text = run_workload(tmp_path, text, "--format", "csv").stdout
    assert csv_text.splitlines()[1] == "'=1+2\\x1b[2J\\u202e,alpha,1000,4,0,0,1.6,5.6"
    json_text = run_workload(tmp_path, text, "--format", "json").stdout
    assert json.loads(json_text)["streams"][0]["name"] == "=1+2\x1b[2J\u202e"  # escaped, and decodes to the value


def test_control_characters_in_error_messages(tmp_path: Path) -> None:
    result = run_workload(tmp_path, stream_text(model='"\\u001b[31mred"'))
    assert_error(result, "unknown model '\\x1b[31mred'")


@pytest.mark.parametrize("cell", ["=cmd", "+1", "-1", "@x", "\tx", "\rx", "plain", "-"])
def test_csv_formula_rule(cell: str) -> None:
    from aicost.render.csv_format import safe_cell

    assert safe_cell(cell) == (cell if cell == "plain" else "'" + cell)


@pytest.mark.parametrize(
    ("values", "monthly_cost"),
    [
        # 98765432101.234568 requests x 62,500 output tokens x $16 / 1e6 = 98765432101.234568 x $1
        ({"requests_per_month": "98765432101.234568", "input_tokens": "0", "output_tokens": "62500"},
         "98765432101.234568"),
        # 1 request x 3 input tokens x $4 / 1e6 = $0.000012
        ({"requests_per_month": "1", "input_tokens": "3", "output_tokens": "0"}, "0.000012"),
        # 1000 requests x (1000 x $4 + 100 x $16) / 1e6 = $5.6
        ({}, "5.6"),
    ],
)
def test_json_money_is_exact(tmp_path: Path, values: dict[str, str], monthly_cost: str) -> None:
    result = run_workload(tmp_path, stream_text(**values), "--format", "json")
    assert f'"monthly_cost": {monthly_cost},' in result.stdout
    assert json.loads(result.stdout, parse_float=Decimal)["monthly_cost"] == Decimal(monthly_cost)
    csv_total = run_workload(tmp_path, stream_text(**values), "--format", "csv").stdout.splitlines()[-1]
    assert csv_total.endswith("," + monthly_cost)  # JSON prints exactly what CSV prints


def test_no_negative_zero() -> None:
    from aicost.money import decimal_text, money_text, percent_text

    assert money_text(Decimal("-0.000001")) == "-$0.000001"  # two significant digits under a cent, at most 6 places
    assert money_text(Decimal("-0.0000001")) == ">-$0.000001"  # nothing at 6 places: said as a bound, never -$0
    assert money_text(Decimal("-0.004")) == "-$0.0040"
    assert percent_text(Decimal("-0.0001"), signed=True) == "0.0 %"
    assert decimal_text(Decimal("-0E-6")) == "0"
    from aicost.render.json_format import json_text

    assert json_text({"change": Decimal("-0.0000001")}) == '{\n  "change": 0\n}'


def test_huge_percentages_name_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    path.write_text(stream_text(), encoding="utf-8")
    result = run_main("budget", str(path), "--catalog", TEST_CATALOG, "--max", "10", "--warn-at", "1e999999%")
    assert_error(result, "--warn-at 1e999999%: must be between 0 and 100 (10,000%)")
    result = run_main("budget", str(path), "--catalog", TEST_CATALOG, "--max", "9" * 5000)
    assert_error(result, "--max 999999999")
    assert "must be at most 1,000,000,000,000,000" in result.stderr and len(result.stderr) < 300


def catalog_document(**price: str) -> str:
    prices = {"input": "1", "output": "2", **price}
    return (
        'catalog_version = "2099.1.0"\nreleased = 2099-01-01\n[[vendors]]\nvendor = "acme"\n[[vendors.models]]\n'
        'id = "m"\nclass = "small"\ncontext_window = 1000\n[[vendors.models.periods]]\nsince = 2099-01-01\n'
        + "".join(f"{k} = {v}\n" for k, v in prices.items())
        + 'source = "test"\nchecked = 2099-01-01\n'
    )


def test_catalog_price_out_of_range(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(catalog_document(output="1e999999"), encoding="utf-8")
    result = run_main("pricing", "validate", str(path))
    assert_error(result, "vendors[0].models[0].periods[0].output: must be at most 100,000, got 1E+999999")


def test_catalog_vendor_file_outside_its_directory(tmp_path: Path) -> None:
    (tmp_path / "catalog.toml").write_text('catalog_version = "2099.1.0"\nreleased = 2099-01-01\nvendors = ["../x"]\n',
                                           encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(tmp_path)), "vendors: '../x' must be lowercase letters, digits, _ and -")


def test_stored_catalog_must_hold_the_version_its_name_says(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "catalogs").mkdir(parents=True)
    (home / "catalogs" / "2099.2.0.toml").write_text(catalog_document(), encoding="utf-8")
    result = run_main("pricing", "list", "--catalog", "2099.2.0", env={"AICOST_HOME": str(home)})
    assert_error(result, "holds catalog 2099.1.0, not 2099.2.0 as its name says — rename it to 2099.1.0.toml")
    (home / "catalogs" / "2099.1.0.toml").write_text(catalog_document(), encoding="utf-8")
    assert run_main("pricing", "list", "--catalog", "2099.1.0", env={"AICOST_HOME": str(home)}).exit_code == 0


def test_unreadable_home_with_a_catalog_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads through any permission, so the refusal is simulated: looking into the directory fails."""
    from aicost.catalog import model as catalog

    original = os.stat

    def refuse(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if "locked-home" in str(path):
            raise PermissionError(13, "Permission denied")
        return original(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(catalog.os, "stat", refuse)
    result = run_main("cost", "--catalog", "2099.1.0", env={"AICOST_HOME": str(tmp_path / "locked-home")})
    assert_error(result, "cannot look for catalog 2099.1.0 (Permission denied) — check the directory of stored catalogs")


def test_hints_name_commands_that_exist(tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("", encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(empty)), "is empty — write a catalog file (`aicost pricing export` writes")
    result = run_main("cost", "--catalog", "2099.9.0")
    assert_error(result, "no catalog of that version")
    assert "pricing update" not in result.stderr


def test_dangling_default_workload_link(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("aicost.toml").symlink_to("gone.toml")
    assert_error(run_main("cost"), "./aicost.toml: is a symlink to gone.toml, which does not exist")


def test_duplicate_names_found_among_many_streams() -> None:
    from aicost.catalog import catalog_from_document
    from aicost.documents import read_document
    from aicost.errors import InputError
    from aicost.workload import parse_workload

    label, document = read_document(TEST_CATALOG, "catalog")
    catalog = catalog_from_document(document, label)
    stream = {"model": "alpha", "requests_per_month": 1, "input_tokens": 1, "output_tokens": 1}
    streams = [{"name": f"s{i}", **stream} for i in range(20_000)] + [{"name": "s19999", **stream}]
    with pytest.raises(InputError, match="two streams are named 's19999'"):
        parse_workload({"version": 1, "streams": streams}, "many.toml", catalog)


# ---------------------------------------------------------------------------------------------- held-out cases found later


@pytest.mark.parametrize(
    ("values", "extra", "expected"),
    [
        # a tiny non-zero value would underflow Decimal's range in a ratio: refused up front
        ({}, "[budget]\nmonthly = 1e-999999999\n", "budget.monthly: must be 0 or at least 1E-12"),
        ({"requests_per_month": "1e-1000010"}, "", "streams[0].requests_per_month: must be 0 or at least 1E-12"),
        ({}, "[quality]\nalpha = 1e-999999999\n", "quality.alpha: must be 0 or at least 1E-12"),
    ],
)
def test_tiny_values_are_refused(tmp_path: Path, values: dict[str, str], extra: str, expected: str) -> None:
    assert_error(run_workload(tmp_path, stream_text(**values) + extra), expected)


def test_version_must_be_a_whole_number(tmp_path: Path) -> None:
    text = stream_text().replace("version = 1\n", "version = 1.0\n")
    assert_error(run_workload(tmp_path, text), "version: must be the whole number 1, got a number")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--sweep", "--step", "1e-13"], "--step 1e-13: must be 0 or at least 1E-12"),
        (["--sweep", "--step", "1e-9"], "--step 1e-9: must be at least 0.001 (0.1%)"),
        (["--sweep", "--step", "0.0001"], "--step 0.0001: must be at least 0.001"),
        (["--share", "\u0661"], "--share \u0661: not a number"),  # an Arabic-Indic digit one
        (["--share", "1_0%"], "--share 1_0%: not a number"),
        (["--as-of", "20240101"], "--as-of 20240101: not a date"),
        (["--as-of", "2024-W01-1"], "--as-of 2024-W01-1: not a date"),
        (["--classifier", "beta", "--classifier-input-tokens", "99999999999999999999999"], "is not in the range 0<=x<=100000000"),
    ],
)
def test_option_values_out_of_range(tmp_path: Path, args: list[str], expected: str) -> None:
    path = tmp_path / "w.toml"
    path.write_text(stream_text() + '[routing]\nsmall = "beta"\nsmall_share = 0.5\n', encoding="utf-8")
    assert_error(run_main("route", str(path), "--catalog", TEST_CATALOG, *args), expected)


def test_catalog_strings_and_ids_must_be_printable(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(catalog_document().replace('source = "test"', 'source = "te\\u202est"'), encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(path)), "source: 'te\\u202est' holds control characters")
    path.write_text(catalog_document().replace('catalog_version = "2099.1.0"', 'catalog_version = "2099.1.0\\n"'),
                    encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(path)), "catalog_version: '2099.1.0\\n' holds control characters")
    path.write_text(catalog_document().replace('id = "m"', 'id = "m\\n"'), encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(path)), "id: 'm\\n' holds control characters")
    from aicost.catalog import model as catalog

    assert re.fullmatch(catalog._ID_PATTERN, "m\n") is None and re.fullmatch(catalog.VERSION_PATTERN, "2099.1.0\n") is None


def test_catalog_without_models(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text('catalog_version = "2099.1.0"\nreleased = 2099-01-01\nvendors = []\n', encoding="utf-8")
    assert_error(run_main("pricing", "validate", str(path)), "the catalog has no models")


def test_validate_escapes_the_directory_name(tmp_path: Path) -> None:
    import shutil

    directory = tmp_path / "cat\x1b[31mRED\u202e"
    shutil.copytree(Path(__file__).resolve().parents[1] / "pricing", directory)
    result = run_main("pricing", "validate", str(directory))
    assert result.exit_code == 0 and "\\x1b[31mRED\\u202e" in result.stdout and "\x1b" not in result.stdout


def test_validate_names_its_path_argument(tmp_path: Path) -> None:
    result = run_main("pricing", "validate", str(tmp_path / "none"))
    assert_error(result, f"{tmp_path / 'none'}: no such file or directory")
    assert "--catalog" not in result.stderr


def test_bare_command_prints_help_and_one_error_line() -> None:
    result = run_main()
    assert result.exit_code == 2 and "Commands" in result.stdout
    assert result.stderr == "aicost: error: a command is missing — see `aicost --help`\n"
    result = run_main("pricing")
    assert result.exit_code == 2 and result.stderr == "aicost: error: a command is missing — see `aicost pricing --help`\n"


def test_help_on_a_full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import io
    import sys

    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    stderr = io.StringIO()
    monkeypatch.setattr(sys, "argv", ["aicost", "cost", "--help"])
    monkeypatch.setattr(sys, "stdout", Full())
    monkeypatch.setattr(sys, "stderr", stderr)
    from aicost.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code == 2
    assert stderr.getvalue() == "aicost: error: cannot write to standard output (No space left on device) — check the disk\n"


def test_pricing_json_keeps_catalog_prices_exact(tmp_path: Path) -> None:
    path = tmp_path / "catalog.toml"
    path.write_text(catalog_document(input="0.0000001"), encoding="utf-8")
    result = run_main("pricing", "list", "--catalog", str(path), "--format", "json", "--as-of", "2099-02-01")
    assert '"input": 0.0000001,' in result.stdout
    csv_text = run_main("pricing", "list", "--catalog", str(path), "--format", "csv", "--as-of", "2099-02-01").stdout
    assert csv_text.splitlines()[1].startswith("m,*,acme,small,,1000,")  # newest; no release date; bare context window


# Every command that takes a stream on its command line, with what it needs besides the stream.
STREAM_COMMANDS = {
    "cost": [], "compare": [], "budget": ["--max", "100"], "route": ["--small", "gpt-4o-mini", "--share", "0.5"],
    "route plan": [], "forecast": ["--months", "2"], "breakeven subscription": [],
    "breakeven self-host": ["--gpu-hourly", "2", "--tokens-per-second", "1000", "--utilization", "50%"],
}
STREAM_FLAGS = ("--requests-per-month", "--requests-per-day", "--requests-per-hour", "--input-tokens",
                "--output-tokens", "--cached-input-share", "--cache-write-tokens", "--reasoning-tokens", "--batch-share")
VALID_STREAM = {"--requests-per-day": "100", "--input-tokens": "1000", "--output-tokens": "100"}


def stream_line(command: str, flag: str, value: str) -> list[str]:
    values = dict(VALID_STREAM)
    if flag.startswith("--requests-per-"):
        del values["--requests-per-day"]
    values[flag] = value
    return [*command.split(), "--model", "gpt-4o", *[part for pair in values.items() for part in pair],
            *STREAM_COMMANDS[command], "--as-of", "2026-03-01", "--catalog", "bundled"]


@pytest.mark.parametrize("command", list(STREAM_COMMANDS))
@pytest.mark.parametrize("sign", ["", "-"])
def test_thousands_of_digits_in_any_stream_option(command: str, sign: str) -> None:
    """5,000 digits (past Python's 4,300-digit limit on int()) in every stream option: the same clean exit 2 as in
    a file, one line naming the option, the value cut."""
    for flag in STREAM_FLAGS:
        result = run_main(*stream_line(command, flag, sign + "7" * 5000))
        assert result.exit_code == 2, (command, flag, result.stderr[:300])
        assert result.stderr.count("\n") == 1 and len(result.stderr) < 400 and flag in result.stderr, result.stderr
        assert "internal error" not in result.stderr


stream_values = st.one_of(
    st.tuples(st.sampled_from(["", "-"]), st.sampled_from("123456789"), st.integers(0, 6000)).map(
        lambda t: t[0] + t[1] * (t[2] + 1)),  # up to 6,001 digits, past Python's int() limit of 4,300
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.from_regex(r"-?[0-9]{1,3}(\.[0-9]{1,4})?%?", fullmatch=True),
    st.text(max_size=20),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(command=st.sampled_from(list(STREAM_COMMANDS)), flag=st.sampled_from(STREAM_FLAGS), value=stream_values)
def test_any_stream_option_value(command: str, flag: str, value: str) -> None:
    """Huge integers, negatives, decimals and garbage in every stream option of every command that takes a stream:
    a report (0), a failed check (1) or one clean line (2) — never an internal error, never a long echo."""
    if "\x00" in value:  # no command line can hold a NUL
        return
    result = run_main(*stream_line(command, flag, value))
    event(f"exit {result.exit_code}")
    assert result.exit_code in (0, 1, 2), result.stderr[:300]
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and "internal error" not in result.stderr, result.stderr[:300]
        assert len(result.stderr) < 600, result.stderr[:300]
