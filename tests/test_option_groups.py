"""Option groups are declared once: a command that takes a group has exactly the group's options, everywhere.

Every expectation here is derived from the groups' own declarations (`aicost.cli.groups`), never listed again,
so a new field of a group is checked on every command that takes it: in typer's commands (help and completion),
in the fast path's table, and in the value the command function receives.  The last tests make that edit — a
stream option added to `StreamOptions` — and watch it appear on every stream command without any other change.
"""

from __future__ import annotations

import inspect
import typing
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import pytest
import typer
from typer import _click as click
from typer.core import TyperArgument

from aicost.cli import app as app_module
from aicost.cli import fast, groups, options
from aicost.cli.app import COMMANDS
from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions
from clihelp import run_main
from toolshelp import tool

command_table = tool("command_table")
option_table = tool("option_table")


def declared(group: type[Any]) -> dict[str, tuple[str, ...]]:
    """{field: its option names} as the group's annotations declare them (evaluated as the typer application does)."""
    hints = typing.get_type_hints(group, localns=vars(options), include_extras=True)
    found = {}
    for field in group._fields:
        (info,) = [m for m in typing.get_args(hints[field])[1:] if isinstance(m, typer.models.ParameterInfo)]
        found[field] = (info.default, *(info.param_decls or ())) if isinstance(info.default, str) else tuple(info.param_decls)
    return found


def taken(function: Any) -> set[str]:
    """The names of the groups a command's function takes (its grouped signature, as written)."""
    return {p.annotation for p in inspect.signature(inspect.unwrap(function)).parameters.values()
            if p.annotation in groups.GROUPS}


def click_command(root: click.Command, path: tuple[str, ...]) -> click.Command:
    for name in path:
        root = root.commands[name]  # type: ignore[attr-defined]
    return root


def table_entry(table: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    entry: dict[str, Any] = {"subcommands": table["commands"]}
    for name in path:
        entry = entry["subcommands"][name]
    return entry


GROUPS = (StreamOptions, AdjustmentOptions, PricingOptions, ReportOptions)


def test_every_group_is_taken_by_the_commands_that_share_it() -> None:
    """The groups are real: the stream by every command that prices a workload, the report by every command that
    writes one, and so on (a group nobody takes would be a declaration with no effect)."""
    takers = {group.__name__: sorted(" ".join(path) for path, f in COMMANDS.items() if group.__name__ in taken(f)) for group in GROUPS}
    stream_commands = ["breakeven self-host", "breakeven subscription", "budget", "compare", "cost", "forecast",
                       "route estimate", "route plan"]
    assert takers["StreamOptions"] == stream_commands
    assert takers["AdjustmentOptions"] == sorted([*stream_commands, "diff"])
    assert takers["PricingOptions"] == sorted([*stream_commands, "diff", "pricing history", "pricing list", "pricing show"])
    assert len(takers["ReportOptions"]) == 17  # every command that writes a report in --format table|json|csv|markdown


def test_the_docs_table_lists_every_option_of_every_group() -> None:
    """docs/commands.md's table (generated; the drift test keeps it current) has one row per field of each group."""
    page = (Path(__file__).resolve().parents[1] / "docs" / "commands.md").read_text(encoding="utf-8")
    for group in GROUPS:
        for names in declared(group).values():
            assert f"| `{names[0]}`" in page


@pytest.mark.parametrize("path", list(COMMANDS), ids=[" ".join(p) for p in COMMANDS])
def test_a_command_has_exactly_the_options_of_the_groups_it_takes(path: tuple[str, ...]) -> None:
    """Typer's command (what --help shows and the shell completes) and the fast path's table hold every option of
    each group the command takes, with the group's names; a command without the stream or the adjustments has none
    of their options (their fields are theirs alone)."""
    function = COMMANDS[path]
    params = {str(p.name): p for p in click_command(typer.main.get_command(app_module.app), path).params
              if not isinstance(p, TyperArgument)}
    spec = {p["name"]: p for p in table_entry(fast.load_spec(), path)["params"] if not p["argument"]}
    for group in GROUPS:
        for field, names in declared(group).items():
            if group.__name__ in taken(function):
                assert tuple(params[field].opts) == tuple(n for n in names if n.startswith("-") and "/" not in n)
                assert spec[field]["opts"] == list(params[field].opts)
            elif group in (StreamOptions, AdjustmentOptions):
                assert field not in params and field not in spec


def test_the_stream_options_are_the_stream_panel() -> None:
    """The stream's own help panel holds the stream group's options, no more and no fewer."""
    root = typer.main.get_command(app_module.app)
    for path, function in COMMANDS.items():
        panel = {str(p.name) for p in click_command(root, path).params
                 if getattr(p, "rich_help_panel", None) == options.STREAM_PANEL}
        assert panel == (set(StreamOptions._fields) if "StreamOptions" in taken(function) else set())


def test_the_function_receives_each_group_as_one_typed_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways in, the command function gets a StreamOptions, a PricingOptions and a ReportOptions built from the
    options given (the packing is `groups.command`, which both paths call)."""
    from aicost.cli.commands import cost

    received: list[tuple[Any, ...]] = []

    def opened(path: Any, stream: Any, terms: Any, pricing: Any, quiet: Any) -> Any:
        received.append((stream, terms, pricing))
        raise KeyboardInterrupt  # stop here: what was received is all this test needs

    monkeypatch.setattr(cost, "open_inputs", opened)
    line = ["cost", "--model", "gpt-4o", "--input-tokens", "1500", "--discount", "openai=10%", "--as-of", "2026-03-01",
            "--format", "json"]
    taken_by_fast: list[int | None] = []
    real_run_fast = fast.run_fast
    monkeypatch.setattr(fast, "run_fast", lambda arguments: taken_by_fast.append(real_run_fast(arguments)) or taken_by_fast[-1])
    assert run_main(*line).exit_code == 130  # interrupted where the test stopped it
    monkeypatch.setattr(fast, "run_fast", lambda arguments: None)  # typer alone
    assert run_main(*line).exit_code == 130
    assert taken_by_fast == [130]
    assert len(received) == 2 and received[0] == received[1]
    stream, terms, pricing = received[0]
    assert stream == StreamOptions(model="gpt-4o", input_tokens="1500")
    assert stream.given() == {"input_tokens": "1500"}
    assert terms == AdjustmentOptions(discount=["openai=10%"])
    assert pricing == PricingOptions(as_of="2026-03-01")


# ---------------------------------------------------------------------------------------------- one edit


class WiderStream(NamedTuple):
    """StreamOptions with one more field, declared as a new stream option would be: one line."""

    model: Any = None
    requests_per_month: Any = None
    requests_per_day: Any = None
    requests_per_hour: Any = None
    input_tokens: Any = None
    output_tokens: Any = None
    cached_input_share: Any = None
    cache_write_tokens: Any = None
    reasoning_tokens: Any = None
    batch_share: Any = None
    audio_tokens: Annotated[str | None, stream_option("--audio-tokens", "Mean audio input tokens a request.")] = None  # type: ignore[name-defined]  # noqa: F821

    def given(self) -> dict[str, str]:
        return {k: v for k, v in self._asdict().items() if k != "model" and v is not None}


def widened() -> type[Any]:
    """WiderStream with StreamOptions' own declarations for the fields they share (copied, not restated)."""
    annotations = dict(StreamOptions.__annotations__)
    annotations["audio_tokens"] = WiderStream.__annotations__["audio_tokens"]
    WiderStream.__annotations__.update(annotations)
    return WiderStream


@pytest.fixture
def one_more_stream_option(monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    monkeypatch.setitem(groups.GROUPS, "StreamOptions", widened())
    return app_module.build_app()


def test_one_new_field_is_an_option_of_every_stream_command(one_more_stream_option: typer.Typer) -> None:
    """The edit is the field alone: every command that takes the stream has --audio-tokens in typer's command, in
    its --help and in the stream panel, the generated table holds it, so the fast path takes it, and so does the
    docs' table of the option groups."""
    root = typer.main.get_command(one_more_stream_option)
    table = command_table.build(root, COMMANDS)
    stream_rows = option_table.table(root, COMMANDS).split("**")[2]  # the block of the first group: the stream
    assert stream_rows.endswith("| `--audio-tokens` | `TOKENS` | Mean audio input tokens a request. |\n\n")
    stream_commands = [path for path, function in COMMANDS.items() if "StreamOptions" in taken(function)]
    assert len(stream_commands) == 8
    for path in COMMANDS:
        command = click_command(root, path)
        names = {str(p.name): p for p in command.params}
        entry = {p["name"]: p for p in table_entry(table, path)["params"]}
        if path not in stream_commands:
            assert "audio_tokens" not in names and "audio_tokens" not in entry
            continue
        assert names["audio_tokens"].opts == ["--audio-tokens"]
        assert getattr(names["audio_tokens"], "rich_help_panel", None) == options.STREAM_PANEL
        with click.Context(command, info_name=path[-1]) as context:
            assert "--audio-tokens TOKENS" in command.get_help(context)
        params = table_entry(table, path)["params"]
        required = [word for p in params if p["required"] and not p["argument"] for word in (p["opts"][0], "1")]
        parsed = fast.parse(params, ["--audio-tokens", "40", "--model", "gpt-4o", *required])
        assert parsed["audio_tokens"] == "40"


def test_one_new_field_reaches_the_command_in_the_group(one_more_stream_option: typer.Typer,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The packed value carries the new field: the command sees it among the stream keys given."""
    from aicost.cli.commands import cost

    received: list[Any] = []

    def opened(path: Any, stream: Any, *rest: Any) -> Any:
        received.append(stream)
        raise KeyboardInterrupt

    monkeypatch.setattr(cost, "open_inputs", opened)
    with pytest.raises(KeyboardInterrupt):
        cost.cost(**{**{name: None for name in WiderStream._fields}, "model": "gpt-4o", "audio_tokens": "40"})
    (stream,) = received
    assert type(stream) is WiderStream and stream.given() == {"audio_tokens": "40"}


def test_a_python_caller_may_give_a_group_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """The decorated function takes the fields (as the command line gives them) or the group's value, not both."""
    from aicost.cli.commands import cost

    received: list[Any] = []

    def opened(path: Any, stream: Any, *rest: Any) -> Any:
        received.append(stream)
        raise KeyboardInterrupt

    monkeypatch.setattr(cost, "open_inputs", opened)
    given = StreamOptions(model="gpt-4o", requests_per_day="10")
    with pytest.raises(KeyboardInterrupt):
        cost.cost(stream=given)
    assert received == [given]
    with pytest.raises(TypeError, match=r"^cost: give stream or its fields \['model'\], not both$"):
        cost.cost(stream=given, model="o3")


def test_a_group_parameter_must_be_keyword_only() -> None:
    def positional(stream: StreamOptions) -> int:
        return 0

    with pytest.raises(TypeError, match="the group parameter stream must be keyword-only"):
        groups.command(positional)
