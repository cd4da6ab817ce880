"""The fast path cannot drift from typer.

- Generation fails closed: a parameter, command or group that carries anything the fast path does not reproduce
  (a validating callback, a custom type, a count, a prompt, context settings, an attribute never seen before)
  makes `tools/generate.py` refuse to write the option table, naming the option.
- Every option of every command in the generated table, with a valid and an invalid value (and no value), and
  every option's environment variable, runs both ways — through the console entry point as installed (the fast
  path when it takes the line) and through typer alone — with identical exit status, stdout and stderr; valid
  values are taken by the fast path, values typer rejects are not.
"""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any
from unittest import mock

import pytest
import typer
from typer import _click as click
from typer._click import types as click_types
from typer.core import TyperOption

from aicost.cli import fast
from aicost.cli.app import COMMANDS, app
from aicost.cli.options import STREAM_PANEL
from clihelp import Run, run_main
from test_house import WORKLOAD_TEXT  # the same workload as the fuzzed agreement test
from toolshelp import tool

command_table = tool("command_table")
generate = tool("generate")
ROOT = Path(__file__).resolve().parents[1]
TEST_CATALOG = str(Path(__file__).parent / "data" / "test_catalog.toml")


def real_root() -> click.Command:
    """The click commands typer builds for the real application (fresh objects at each call)."""
    return typer.main.get_command(app)


def command(root: click.Command, path: str) -> click.Command:
    """The command at `path` ("route plan"; "" for the root)."""
    for name in path.split():
        root = root.commands[name]  # type: ignore[attr-defined]
    return root


def param(root: click.Command, path: str, name: str) -> click.Parameter:
    return next(p for p in command(root, path).params if name in (p.name, *p.opts))


# ---------------------------------------------------------------------------------------------- generation fails closed


def test_the_committed_table_is_what_the_application_declares() -> None:
    assert command_table.build(real_root(), COMMANDS) == fast.load_spec()


def reject_over_50(value: int) -> int:
    if value > 50:
        raise typer.BadParameter("at most 50")
    return value


TopOption = Annotated[int, typer.Option("--top", min=0)]
CheckedTopOption = Annotated[int, typer.Option("--top", min=0, callback=reject_over_50)]


def plan(top: TopOption = 5) -> int:
    return top


def checked_plan(top: CheckedTopOption = 5) -> int:
    return top


def small_app(function: Callable[..., int]) -> typer.Typer:
    """`aicost route plan --top N` alone, as `function` declares it."""
    application = typer.Typer(add_completion=False)
    route = typer.Typer()

    @application.callback()
    def root() -> None:
        """Does nothing."""

    route.command("plan")(function)
    application.add_typer(route, name="route")
    return application


def test_a_validating_callback_declared_with_typer_is_refused() -> None:
    """The issue's experiment: `--top` with a callback that rejects values over 50.  Without the callback the
    same declaration builds, so the refusal is the callback's."""
    table = command_table.from_app(small_app(plan), {("route", "plan"): plan})
    assert table["commands"]["route"]["subcommands"]["plan"]["params"][0]["type"] == {"int": [0, None]}
    with pytest.raises(command_table.SpecError, match=r"^aicost route plan --top: callback=test_fast_path:reject_over_50 is not "):
        command_table.from_app(small_app(checked_plan), {("route", "plan"): checked_plan})


def test_generate_check_fails_on_a_callback_added_to_the_real_application(capsys: pytest.CaptureFixture[str]) -> None:
    """`python tools/generate.py --check` (what the drift test runs) exits 1 and names the option."""
    real_get_command = typer.main.get_command

    def with_callback(application: typer.Typer) -> click.Command:
        root = real_get_command(application)
        param(root, "route plan", "--top").callback = lambda ctx, parameter, value: reject_over_50(value)
        return root

    with mock.patch.object(typer.main, "get_command", with_callback):
        assert generate.main(["--check"]) == 1
        assert generate.main([]) == 1  # nor is anything written (the drift test checks the committed files)
    assert capsys.readouterr().err.count("generate: aicost route plan --top: callback=test_fast_path:") == 2


ColourOption = Annotated[bool, typer.Option("--colour/--no-colour")]


def paint(colour: ColourOption = False) -> int:
    return int(colour)


def test_an_on_off_flag_is_reproduced() -> None:
    """`--colour/--no-colour`: the table holds both names, and the fast path sets True or False as typer does."""
    application = typer.Typer(add_completion=False)

    @application.callback()
    def root() -> None:
        """Does nothing."""

    application.command("paint")(paint)
    entry = command_table.from_app(application, {("paint",): paint})["commands"]["paint"]
    (param,) = entry["params"]
    assert (param["opts"], param["secondary_opts"], param["flag"], param["default"]) == (["--colour"], ["--no-colour"], True, False)
    assert fast.parse(entry["params"], ["--no-colour"]) == {"colour": False}
    assert fast.parse(entry["params"], ["--no-colour", "--colour"]) == {"colour": True}  # the last one wins, as in click
    assert fast.parse(entry["params"], []) == {"colour": False}
    with pytest.raises(fast.Decline):
        fast.parse(entry["params"], ["--no-colour=1"])
    click_command = typer.main.get_command(application).commands["paint"]  # type: ignore[attr-defined]
    assert click_command.main(["--no-colour", "--colour"], standalone_mode=False) == 1


class Loud(TyperOption):
    """An option class that could parse its own way."""


class Percent(click_types.ParamType):
    name = "percent"

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return value


def set_attribute(path: str, name: str, attribute: str, value: Any) -> Callable[[click.Command], None]:
    return lambda root: setattr(param(root, path, name), attribute, value)


def set_command(path: str, attribute: str, value: Any) -> Callable[[click.Command], None]:
    return lambda root: setattr(command(root, path), attribute, value)


def busy_callback() -> None:
    print("set up")


def add_root_option(root: click.Command) -> None:
    root.params = [*root.params, TyperOption(param_decls=["--debug"], is_flag=True, is_eager=True, callback=lambda value: value)]


def retype(root: click.Command) -> None:
    param(root, "cost", "--quiet").__class__ = Loud


REFUSED: dict[str, tuple[Callable[[click.Command], None], str]] = {
    "callback": (set_attribute("route plan", "--top", "callback", lambda *args: args[-1]), "--top: callback="),
    "count": (set_attribute("cost", "--quiet", "count", True), "--quiet: count=True"),
    "prompt": (set_attribute("cost", "--as-of", "prompt", "Date"), "--as-of: prompt='Date'"),
    "confirmation prompt": (set_attribute("cost", "--as-of", "confirmation_prompt", True), "confirmation_prompt=True"),
    "hidden input": (set_attribute("cost", "--as-of", "hide_input", True), "hide_input=True"),
    "prompt without a value": (set_attribute("cost", "--as-of", "prompt_required", False), "prompt_required=False"),
    "eager": (set_attribute("cost", "--as-of", "is_eager", True), "is_eager=True"),
    "hidden value": (set_attribute("cost", "--as-of", "expose_value", False), "expose_value=False"),
    "two values": (set_attribute("cost", "--as-of", "nargs", 2), "nargs=2"),
    "parser=": (set_attribute("route plan", "--top", "type", click_types.FuncParamType(int)), "FuncParamType"),
    "custom click type": (set_attribute("cost", "--max", "type", Percent()), "type Percent"),
    "float": (set_attribute("cost", "--max", "type", click_types.FloatRange(0, 10)), "type FloatRange"),
    "clamped range": (set_attribute("route plan", "--top", "type", click_types.IntRange(0, 50, clamp=True)), "clamp=True"),
    "open range": (set_attribute("route plan", "--top", "type", click_types.IntRange(0, 50, max_open=True)), "max_open=True"),
    "envvar list": (set_attribute("cost", "--format", "envvar", ["A", "B"]), "envvar=['A', 'B']"),
    "envvar on a flag": (set_attribute("cost", "--quiet", "envvar", "QUIET"), "envvar='QUIET'"),
    "envvar on a list": (set_attribute("compare", "--models", "envvar", "MODELS"), "envvar='MODELS'"),
    "a new attribute": (set_attribute("cost", "--as-of", "deprecated", True), "deprecated=True is an attribute"),
    "an option class": (retype, "class Loud"),
    "argument callback": (set_attribute("cost", "workload", "callback", lambda *args: args[-1]), "WORKLOAD: callback="),
    "argument envvar": (set_attribute("cost", "workload", "envvar", "WORKLOAD"), "envvar='WORKLOAD'"),
    "argument nargs": (set_attribute("diff", "old", "nargs", 2), "nargs=2"),
    "context settings": (set_command("cost", "context_settings", {"ignore_unknown_options": True}), "context_settings="),
    "extra arguments": (set_command("cost", "allow_extra_args", True), "allow_extra_args=True"),
    "options after arguments only": (set_command("cost", "allow_interspersed_args", False), "allow_interspersed_args"),
    "no args is help": (set_command("cost", "no_args_is_help", True), "no_args_is_help=True"),
    "deprecated command": (set_command("cost", "deprecated", True), "deprecated=True"),
    "another function": (set_command("cost", "callback", busy_callback), "not the function COMMANDS names"),
    "group callback": (set_command("pricing", "callback", busy_callback), "the group's callback"),
    "group invoked alone": (set_command("pricing", "invoke_without_command", True), "invoke_without_command=True"),
    "root settings": (set_command("", "context_settings", {"help_option_names": ["-h"], "token_normalize_func": str.lower}),
                      "token_normalize_func"),
    "root option": (add_root_option, "the group option debug"),
}


@pytest.mark.parametrize("change", REFUSED, ids=list(REFUSED))
def test_generation_refuses_what_the_fast_path_does_not_reproduce(change: str) -> None:
    mutate, words = REFUSED[change]
    root = real_root()
    command_table.build(root, COMMANDS)  # builds before the change
    mutate(root)
    with pytest.raises(command_table.SpecError) as refused:
        command_table.build(root, COMMANDS)
    assert words in str(refused.value)


def test_a_table_the_fast_path_cannot_read_sends_the_line_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    for table in ({"commands": {}}, {"help_options": ["--help"], "commands": {"cost": {"function": "x:y", "params": [{}]}}}):
        monkeypatch.setattr(fast, "load_spec", lambda table=table: table)
        assert fast.run_fast(["cost", "w.toml"]) is None


# ---------------------------------------------------------------------------------------------- every option, both ways

LITELLM_JSON = ('{"alpha": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 4e-06, '
                '"output_cost_per_token": 1.6e-05}}')
USAGE_CSV = "date,model,requests,input_tokens,output_tokens\n2025-07-01,alpha,10,10000,1000\n"
FILES = {"w.toml": WORKLOAD_TEXT, "prices.json": LITELLM_JSON, "usage.csv": USAGE_CSV}
ENVIRONMENT = {"AICOST_CATALOG": TEST_CATALOG, "AICOST_AS_OF": "2025-08-01"}

# A value for each argument, by command and name.
ARGUMENTS = {
    ("init", "path"): "new.toml", ("pricing validate", "path"): TEST_CATALOG, ("pricing import", "kind"): "litellm",
    ("pricing import", "source"): "prices.json", ("pricing use", "version"): "bundled",
    ("pricing diff", "old"): "2025-01-01", ("pricing diff", "new"): "2025-08-01", ("usage", "logs"): "usage.csv",
}
ARGUMENTS_BY_NAME = {"workload": "w.toml", "model": "alpha", "old": "w.toml", "new": "w.toml"}
# A valid and an invalid value for each option that takes text, by option then by its metavar.
TEXT_BY_OPTION = {
    "--against": ("prices.json", "missing.json"), "--explained": (str(ROOT / "pricing" / "explained.toml"), "w.toml"),
    "--file": (TEST_CATALOG, "w.toml"), "--url": ("http://127.0.0.1:9/catalog.json", "ftp://example.com/catalog.json"),
    "--output": ("out.txt", "missing/out.txt"), "--write-workload": ("observed.toml", "missing/observed.toml"),
    "--curve": ("random", "0.5:1.2"), "--step": ("0.25", "0"), "--utilization": ("50%", "150%"),
    "--tokens-per-second": ("100", "fast"), "--prefill-tokens-per-second": ("5000", "fast"),
    "--decode-tokens-per-second": ("500", "slow"), "--users": ("light:4:20,heavy:1:3000", "light:4"),
    "--elasticity": ("-0.29", "lots"), "--timeout": ("5", "soon"),
    "--source": ("litellm", "nosuch"), "--hosts": ("all", "nosuch"),
    "--discount": ("15%", "lots"), "--platform-fee": ("5%", "lots"), "--price-change-from": ("2025-01-01", "2025-13-01"),
    "--size": ("1:1000:100", "0.5:1000"),
}
TEXT_BY_METAVAR = {
    "DATE": ("2025-08-01", "2025-13-01"), "SHARE": ("50%", "150%"), "TOKENS": ("100", "-1"), "REQUESTS": ("1000", "many"),
    "AMOUNT": ("5", "lots"), "MODEL": ("beta", "nosuch"), "MODEL,...": ("alpha,beta", "alpha,nosuch"),
    "VENDOR,...": ("acme", "nosuch"),
    "VENDOR": ("acme", "nosuch"), "PATH|VERSION": (TEST_CATALOG, "no-such-catalog"), "RATE": ("5%", "lots"),
    "CHANGE": ("+30%", "lots"), "SCORE": ("0.5", "2"), "SHARE%|$AMOUNT": ("10%", "lots"),
    "TIER": ("standard", "cheap"), "SPEED": ("standard", "slow"), "TTL": ("5m", "2h"), "HOST": ("acme", "Bed Rock"),
    "REGION": ("global", "U S"), "CALLS": ("0", "-1"),
}
STREAM_BASE = ["--model", "alpha", "--requests-per-day", "1000", "--input-tokens", "1000", "--output-tokens", "100"]


def commands(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    for name, entry in node.items():
        if "subcommands" in entry:
            yield from commands(entry["subcommands"], (*path, name))
        else:
            yield (*path, name), entry


def words(path: tuple[str, ...]) -> list[str]:
    """The command line's words for `path`: the hidden default `route estimate` is typed `route`."""
    return ["route"] if path == ("route", "estimate") else list(path)


@functools.cache
def metavars() -> dict[tuple[str, str], str | None]:
    root = real_root()
    return {(" ".join(path), str(p.name)): p.metavar for path in COMMANDS for p in command(root, " ".join(path)).params}


@functools.cache
def stream_options() -> set[str]:
    """The options that describe one stream on the command line (their own panel in --help)."""
    return {str(p.name) for path in COMMANDS for p in command(real_root(), " ".join(path)).params
            if getattr(p, "rich_help_panel", None) == STREAM_PANEL}


def samples(where: str, parameter: dict[str, Any], metavar: str | None) -> tuple[list[str], list[str], bool]:
    """Valid values, invalid values, and whether typer itself rejects the invalid ones (before the command runs)."""
    kind = parameter["type"]
    if isinstance(kind, dict) and "choice" in kind:
        last = kind["choice"][-1]
        return [kind["choice"][0], last if kind["case_sensitive"] else last.upper()], ["bogus"], True
    if isinstance(kind, dict) and "int" in kind:
        low, high = kind["int"]
        invalid = ["x", *([str(low - 1)] if low is not None else []), *([str(high + 1)] if high is not None else [])]
        return [str(low if low is not None else 1), *([str(high)] if high is not None else [])], invalid, True  # bounds
    name = parameter["opts"][0]
    pair = TEXT_BY_OPTION.get(name) or TEXT_BY_METAVAR.get(metavar or "")
    assert pair is not None, f"{where} {name}: add a valid and an invalid value to TEXT_BY_OPTION in {__file__}"
    return [pair[0]], [pair[1]], False


def option_words(option: str, value: str) -> list[str]:
    """`--opt value`, or `--opt=value` where the value starts with a dash (click would take it as an option)."""
    return [f"{option}={value}"] if value.startswith("-") and option.startswith("--") else [option, value]


Case = tuple[str, list[str], dict[str, str], str]  # label, arguments, environment, expectation


def cases_of(path: tuple[str, ...], entry: dict[str, Any], metavar: dict[tuple[str, str], str | None]) -> list[Case]:
    where = " ".join(path)
    params = entry["params"]
    arguments = [ARGUMENTS.get((where, p["name"])) or ARGUMENTS_BY_NAME[p["name"]] for p in params if p["argument"]]
    required: list[str] = []
    for p in params:
        if not p["argument"] and p["required"]:
            required += option_words(p["opts"][0], samples(where, p, metavar[(where, p["name"])])[0][0])
    bases = [[*words(path), *arguments, *required]]
    if any("--model" in p.get("opts", ()) for p in params):  # one stream on the command line, as the README opens
        bases.append([*words(path), *STREAM_BASE, *required])
    found: list[Case] = [(f"{where}: base", base, {}, "fast") for base in bases]
    for p in params:
        if p["argument"]:
            continue
        label = f"{where} {p['opts'][0]}"
        if p["flag"]:
            for spelling in (*p["opts"], *p["secondary_opts"]):
                found.append((f"{label}: {spelling}", [*bases[0], spelling], {}, "fast"))
                found.append((f"{label}: {spelling}=1", [*bases[0], f"{spelling}=1"], {}, "typer"))
            continue
        valid, invalid, parser_rejects = samples(where, p, metavar[(where, p["name"])])
        on = bases if p["name"] in stream_options() else bases[:1]
        spelled = [(spelling, valid[0]) for spelling in p["opts"][1:]]  # other spellings (-f): the first value
        for spelling, value in [*((p["opts"][0], value) for value in valid), *spelled]:
            found += [(f"{label}: {spelling} {value}", [*base, *option_words(spelling, value)], {}, "fast") for base in on]
        for value in invalid:
            found.append((f"{label}: {value} (invalid)", [*bases[0], *option_words(p["opts"][0], value)], {},
                          "typer" if parser_rejects else "either"))
        found.append((f"{label}: no value", [*bases[0], p["opts"][0]], {}, "typer"))
        if p["envvar"]:
            found.append((f"{label}: ${p['envvar']}", bases[0], {p["envvar"]: valid[-1]}, "fast"))
            found.append((f"{label}: ${p['envvar']} invalid", bases[0], {p["envvar"]: invalid[0]},
                          "typer" if parser_rejects else "either"))
    return found


@pytest.fixture(scope="module")
def typer_once() -> Iterator[None]:
    """typer builds the application's click commands once for the module, not at every run (45 ms each)."""
    built: dict[int, click.Command] = {}
    real_get_command = typer.main.get_command

    def get_command(application: typer.Typer) -> click.Command:
        if id(application) not in built:
            built[id(application)] = real_get_command(application)
        return built[id(application)]

    with mock.patch.object(typer.main, "get_command", get_command):
        yield


def snapshot(directory: Path) -> dict[str, tuple[bool, int, int]]:
    return {entry.name: (entry.is_dir(), entry.stat().st_size, entry.stat().st_mtime_ns) for entry in os.scandir(directory)}


MADE: dict[Path, dict[str, tuple[bool, int, int]]] = {}


def run_in(directory: Path, arguments: list[str], env: dict[str, str], typer_only: bool) -> tuple[Run, bool]:
    """One run in `directory` holding FILES and nothing else (remade when a run changed it), so that both runs
    see the same files and echo the same paths."""
    if not directory.is_dir() or snapshot(directory) != MADE.get(directory):
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir()
        for name, text in FILES.items():
            (directory / name).write_text(text, encoding="utf-8")
        MADE[directory] = snapshot(directory)
    taken: list[int | None] = []
    real_run_fast = fast.run_fast

    def recording(words: list[str]) -> int | None:
        taken.append(None if typer_only else real_run_fast(words))
        return taken[-1]

    cwd = os.getcwd()
    os.chdir(directory)
    try:
        with mock.patch.object(fast, "run_fast", recording):
            result = run_main(*arguments, env={**ENVIRONMENT, "AICOST_HOME": str(directory / "home"), **env})
    finally:
        os.chdir(cwd)
    return result, bool(taken) and taken[0] is not None


SPEC = fast.load_spec()
PATHS = [path for path, _ in commands(SPEC["commands"])]


@pytest.mark.usefixtures("typer_once")
@pytest.mark.parametrize("path", PATHS, ids=[" ".join(path) for path in PATHS])
def test_every_option_agrees_with_typer(path: tuple[str, ...], tmp_path: Path) -> None:
    entry = dict(commands(SPEC["commands"]))[path]
    disagreements = []
    cases = cases_of(path, entry, metavars())
    for label, arguments, env, expected in cases:
        both, fast_took = run_in(tmp_path / "run", arguments, env, typer_only=False)
        typer_alone, _ = run_in(tmp_path / "run", arguments, env, typer_only=True)
        if both != typer_alone:
            disagreements.append(f"{label}: {arguments} {env}\n  fast path: {both}\n  typer:     {typer_alone}")
        elif expected == "fast" and not fast_took:
            disagreements.append(f"{label}: {arguments} {env}: the fast path declined a valid command line ({both})")
        elif expected == "typer" and (fast_took or both.exit_code != 2):
            disagreements.append(f"{label}: {arguments} {env}: typer rejects it, the fast path took it ({both})")
    assert not disagreements, "\n".join(disagreements)
    driven = {label.split(":")[0] for label, *_ in cases}
    assert driven == {f"{' '.join(path)}: base"[:-6]} | {f"{' '.join(path)} {p['opts'][0]}" for p in entry["params"]
                                                          if not p["argument"]}
