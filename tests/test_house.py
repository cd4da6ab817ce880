"""The house: a core that is a library, one place per concern, the fast path equal to typer, rich on a terminal.

- `cost --format json` loads neither typer nor rich (tests/test_layers.py checks every core module alone);
- the fast path and typer give the same exit status, stdout and stderr on generated command lines;
- on a terminal of 80 and 120 columns no line is wider than the terminal; colour only without NO_COLOR;
- every output format renders every report.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from aicost.cli import fast
from aicost.render import OutputFormat
from clihelp import Run, run_main

ROOT = Path(__file__).resolve().parents[1]
TEST_CATALOG = str(Path(__file__).parent / "data" / "test_catalog.toml")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def modules_after(code: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint('\\n'.join(sys.modules))"],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return set(result.stdout.split())


@pytest.mark.slow
def test_cost_json_imports_neither_typer_nor_rich(tmp_path: Path) -> None:
    code = ("import sys; sys.argv = ['aicost', 'cost', '--format', 'json', '--as-of', '2026-03-01']\n"
            "from aicost.cli import main\ntry:\n    main()\nexcept SystemExit as exc:\n    assert exc.code == 0, exc.code")
    loaded = modules_after(code)
    assert "aicost.calc" in loaded
    assert not {name.split(".")[0] for name in loaded} & {"typer", "rich", "click", "httpx"}


def test_private_typer_api_in_one_module() -> None:
    """In the package, one module; outside it, the developer tools that read typer's model to generate files."""
    users = sorted(path.relative_to(ROOT).as_posix() for folder in ("src", "tools") for path in (ROOT / folder).rglob("*.py")
                   if re.search(r"typer\._|from typer import _", path.read_text(encoding="utf-8")))
    assert users == ["src/aicost/cli/typer_internals.py", "tools/command_table.py", "tools/generate.py"]


# ---------------------------------------------------------------------------------------------- fast path = typer


def run_typer_only(*args: str, env: dict[str, str] | None = None) -> Run:
    with mock.patch.object(fast, "run_fast", lambda arguments: None):
        return run_main(*args, env=env)


def test_fast_path_takes_the_common_command_lines(tmp_path: Path) -> None:
    workload = tmp_path / "w.toml"
    workload.write_text(run_main("init", "-").stdout, encoding="utf-8")
    for args in (["cost", str(workload), "--format", "json"], ["budget", str(workload), "--max", "5000", "-f", "csv"],
                 ["compare", str(workload), "--class", "frontier", "-m", "gpt-4o,o3"], ["route", str(workload)],
                 ["compare", str(workload), "--top", "3"], ["compare", str(workload), "--all", "-f", "csv"],
                 ["pricing", "list", "--vendor=openai"], ["route", "plan", str(workload), "--top", "3"]):
        with mock.patch("aicost.cli.entry.run_typer", side_effect=AssertionError("typer was used")):
            assert run_main(*args).exit_code in (0, 1), args


WORKLOAD_TEXT = """version = 1
name = "w"
[[streams]]
name = "chat"
model = "alpha"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
[routing]
small = "beta"
small_share = 0.5
[budget]
monthly = 5
"""

WORDS = ["cost", "compare", "budget", "route", "plan", "pricing", "list", "show", "history", "export", "validate",
         "diff", "init", "alpha", "beta", "{W}", "{W}", "-", "--", "--format", "-f", "json", "csv", "JSON", "markdown",
         "yaml", "--format=csv", "--class", "frontier", "Frontier", "--vendor", "acme", "--models", "-m", "alpha,beta",
         "--max", "5", "$4", "--warn-at", "50%", "--share", "0.3", "1.5", "--mode", "cascade", "router", "--sweep",
         "--step", "0.25", "--top", "2", "-1", "x", "--quiet", "-q", "--as-of", "2025-08-01", "--catalog", TEST_CATALOG,
         "--curve", "random", "--quality-floor", "--output", "--frontier", "--small", "--escalation", "--unknown", "-fjson",
         "--quiet=1", "--max-increase", "10%", "--all"]


COMMAND_LINES = [["cost", "{W}"], ["compare", "{W}"], ["budget", "{W}"], ["route", "{W}"], ["route", "plan", "{W}"],
                 ["pricing", "list"], ["pricing", "show", "alpha"], ["pricing", "history", "beta"], ["diff", "{W}", "{W}"],
                 ["cost"], ["route"], ["pricing", "export"], ["forecast", "{W}"], ["breakeven", "subscription", "{W}"],
                 ["breakeven", "self-host", "{W}"], ["usage", "{W}"]]
OPTIONS = [["--format", "json"], ["--format", "CSV"], ["-f", "markdown"], ["--format=csv"], ["--class", "frontier"],
           ["--vendor", "acme"], ["-m", "alpha,beta"], ["--max", "5"], ["--max", "$4.50"], ["--warn-at", "50%"],
           ["--share", "0.3"], ["--mode", "cascade"], ["--escalation", "0.2"], ["--sweep"], ["--step", "0.25"], ["--top", "2"],
           ["--quiet"], ["-q"], ["--as-of", "2025-08-01"], ["--curve", "random"], ["--max-increase", "10%"],
           ["--small", "beta"], ["--frontier", "alpha"], ["--target-saving", "0.2"], ["--router-cost", "1"],
           ["--classifier", "beta"], ["--verifier-cost", "2"], ["--quality-floor", "0.5"], ["--output", "out.txt"],
           ["--summary"], ["--catalog-old", TEST_CATALOG], ["--as-of-new", "2025-01-01"], ["--months", "3"],
           ["--growth", "5%"], ["--scenarios"], ["--price-change", "+30%"], ["--seats", "3"], ["--gpu-hourly", "2"],
           ["--tokens-per-second", "100"], ["--utilization", "50%"], ["--by", "day"], ["--currency", "EUR"],
           ["--all"], ["--top", "0"]]
# the command line's adjustments and routing proposals (a repeatable option, a flag)
OPTIONS += [["--discount", "alpha=10%"], ["--discount", "acme=0.2"], ["--discount", "nobody=5%"], ["--discount", "alpha"],
            ["--platform-fee", "5.5%"], ["--any-vendor"]]
COMMAND_LINES += [["pricing", "history", "--vendor", "acme"], ["pricing", "history"]]
command_lines = st.one_of(
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8),
    st.builds(lambda command, options: command + [word for option in options for word in option],
              st.sampled_from(COMMAND_LINES), st.lists(st.sampled_from(OPTIONS), max_size=4)),
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(words=command_lines,
       environment=st.fixed_dictionaries({}, optional={"AICOST_FORMAT": st.sampled_from(["csv", "JSON", "bad", ""]),
                                                      "AICOST_AS_OF": st.sampled_from(["2025-08-01", "bad"]),
                                                      "AICOST_BUDGET": st.sampled_from(["3", "bad"])}))
def test_fast_path_and_typer_agree(words: list[str], environment: dict[str, str]) -> None:
    """Each side runs in a fresh directory of its own (`init` writes there), the workload named relatively."""
    args = ["w.toml" if word == "{W}" else word for word in words]
    env = {"AICOST_CATALOG": TEST_CATALOG, "AICOST_AS_OF": "2025-08-01", **environment}
    taken: list[int | None] = []
    real_run_fast = fast.run_fast

    def recording(arguments: list[str]) -> int | None:
        taken.append(real_run_fast(arguments))
        return taken[-1]

    def in_fresh_directory(run: Callable[[], Run]) -> Run:
        cwd = os.getcwd()
        with tempfile.TemporaryDirectory() as directory:
            Path(directory, "w.toml").write_text(WORKLOAD_TEXT, encoding="utf-8")
            os.chdir(directory)
            try:
                return run()
            finally:
                os.chdir(cwd)

    with mock.patch.object(fast, "run_fast", recording):
        both = in_fresh_directory(lambda: run_main(*args, env=env))
    typer_only = in_fresh_directory(lambda: run_typer_only(*args, env=env))
    event("fast path" if taken and taken[0] is not None else "typer")
    event(f"exit {both.exit_code}")
    assert both == typer_only, args


# ---------------------------------------------------------------------------------------------- terminal widths


def run_on_terminal(args: list[str], columns: int, env: dict[str, str]) -> str:
    """The command in a child whose stdout is a pseudo-terminal of `columns` columns."""
    main_fd, child_fd = os.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    environment = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES", "NO_COLOR")}
    environment.update(env, TERM="xterm-256color")
    process = subprocess.Popen([sys.executable, "-m", "aicost", *args], stdout=child_fd, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, env=environment, cwd=ROOT)
    os.close(child_fd)
    chunks = []
    while True:
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(main_fd)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


COMMANDS = [["cost"], ["compare"], ["route"], ["route", "--sweep"], ["pricing", "list"], ["budget", "--max", "5000"],
            ["route", "plan", "--top", "5"], ["forecast", "--scenarios"]]


@pytest.mark.slow
@pytest.mark.parametrize("columns", [80, 120])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_no_line_wider_than_the_terminal(args: list[str], columns: int) -> None:
    text = run_on_terminal([*args, "--as-of", "2026-03-01"], columns, {})
    lines = ANSI.sub("", text).splitlines()
    assert len(lines) > 5
    assert max(len(line) for line in lines) <= columns, "\n".join(line for line in lines if len(line) > columns)
    assert "\x1b[" in text  # styled on a colour terminal
    plain = run_on_terminal([*args, "--as-of", "2026-03-01"], columns, {"NO_COLOR": "1"})
    assert "\x1b[" not in plain
    assert ANSI.sub("", text) == plain  # the same layout, without the styling


def test_piped_tables_keep_their_natural_width(tmp_path: Path) -> None:
    """Not on a terminal, a table is as wide as its content whatever COLUMNS says: stable logs and diffs."""
    narrow = run_main("route", "--as-of", "2026-03-01", env={"COLUMNS": "40"}).stdout
    wide = run_main("route", "--as-of", "2026-03-01", env={"COLUMNS": "300"}).stdout
    assert narrow == wide
    table = [line for line in narrow.splitlines() if "─" in line]
    assert table and max(len(line) for line in narrow.splitlines()) > 40


# ---------------------------------------------------------------------------------------------- formats


@pytest.mark.parametrize("output_format", [member.value for member in OutputFormat if member is not OutputFormat.focus])
@pytest.mark.parametrize("args", [["cost"], ["compare"], ["route", "--sweep"], ["route", "plan"], ["budget", "--max", "1"],
                                  ["pricing", "list"], ["pricing", "history", "gpt-4o"], ["diff", "{W}", "{W}"]])
def test_every_format_renders_every_report(tmp_path: Path, output_format: str, args: list[str]) -> None:
    workload = tmp_path / "w.toml"
    workload.write_text(run_main("init", "-").stdout, encoding="utf-8")
    args = [str(workload) if arg == "{W}" else arg for arg in args]
    result = run_main(*args, "--as-of", "2026-03-01", "--format", output_format)
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout.strip()
