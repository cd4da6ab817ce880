"""Everything that reaches into typer's internals (its vendored click), in one place.

- `DefaultCommandGroup`: `aicost route [WORKLOAD]` runs the hidden default command, `aicost route plan` the
  planner, and `aicost route --help` still shows help.
- `enable_completion` and `completion_script`: typer registers its shell classes only when it adds its own
  `--install-completion`, which aicost does not want; the committed scripts are generated from here.
- `command_spec`: the option table of every command, read from the click commands typer builds, for the fast
  path (`fast.py`) and its drift test.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import typer
from typer import _click as click
from typer._click import types as click_types
from typer._click.shell_completion import CompletionItem
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperGroup, TyperOption

PROG_NAME = "aicost"
COMPLETE_VARIABLE = "_AICOST_COMPLETE"  # typer's protocol: source_bash, complete_zsh, ...
DEFAULT_COMMAND = "estimate"


class DefaultCommandGroup(TyperGroup):
    """A group that runs DEFAULT_COMMAND when the first argument is not one of its subcommands."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = args[0] if args else None
        if first is None and ctx.resilient_parsing:
            pass  # completing `aicost route <TAB>`: stay on the group (see shell_complete)
        elif first is None or (first not in self.commands and first not in ctx.help_option_names):
            args = [DEFAULT_COMMAND, *args]
        return super().parse_args(ctx, args)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        """The subcommands and the default command's options."""
        results = super().shell_complete(ctx, incomplete)
        default = self.commands[DEFAULT_COMMAND]
        with click.Context(default, info_name=ctx.info_name, parent=ctx.parent, resilient_parsing=True) as default_ctx:
            results.extend(default.shell_complete(default_ctx, incomplete))
        unique: dict[str, CompletionItem] = {}
        for item in results:
            unique.setdefault(item.value, item)
        return list(unique.values())

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The default command's help (usage `aicost route [OPTIONS] [WORKLOAD]`), then the subcommands."""
        default = self.commands[DEFAULT_COMMAND]
        with click.Context(default, info_name=ctx.info_name, parent=ctx.parent) as default_ctx:
            default.format_help(default_ctx, formatter)
        self.format_commands(ctx, formatter)


def is_bare_group(exc: Exception) -> bool:
    """A group run with no command (`aicost`, `aicost pricing`): click's error holds the group's whole help."""
    from typer._click.exceptions import NoArgsIsHelpError

    return isinstance(exc, NoArgsIsHelpError)


def value_from_environment(exc: Exception) -> bool:
    """Whether the value a usage error is about came from the option's environment variable (click names the
    variable in every such error, also when the value was typed on the command line)."""
    from typer._click.core import ParameterSource

    context, param = getattr(exc, "ctx", None), getattr(exc, "param", None)
    if context is None or param is None or param.name is None:
        return False
    return bool(context.get_parameter_source(param.name) == ParameterSource.ENVIRONMENT)


def enable_completion() -> None:
    from typer._completion_classes import completion_init

    completion_init()


def completion_script(app: typer.Typer, shell: str) -> str:
    """Typer's completion script for `shell`, exactly as `_AICOST_COMPLETE=source_<shell> aicost` prints it."""
    from typer._click.shell_completion import ShellComplete, get_completion_class

    enable_completion()
    completer_class = get_completion_class(shell)
    assert completer_class is not None, shell
    completer = completer_class(typer.main.get_command(app), {}, PROG_NAME, COMPLETE_VARIABLE)
    # ShellComplete.source directly: typer's BashComplete.source first runs bash to check its version.
    return ShellComplete.source(completer) + "\n"


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _parameter_spec(parameter: click.Parameter) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": parameter.name}
    if isinstance(parameter, TyperArgument):
        entry.update(argument=True, required=parameter.required, nargs=parameter.nargs)
    else:
        assert isinstance(parameter, TyperOption)
        entry.update(argument=False, opts=[*parameter.opts, *parameter.secondary_opts], flag=bool(parameter.is_flag),
                     multiple=parameter.multiple, envvar=parameter.envvar, required=parameter.required)
    kind = parameter.type
    if isinstance(kind, TyperChoice):
        entry["type"] = {"choice": [str(_plain(choice)) for choice in kind.choices], "case_sensitive": kind.case_sensitive}
    elif isinstance(kind, click_types.IntRange):
        entry["type"] = {"int": [kind.min, kind.max]}
    elif isinstance(kind, click_types.IntParamType):
        entry["type"] = {"int": [None, None]}
    elif isinstance(kind, click_types.BoolParamType):
        entry["type"] = "bool"
    else:
        assert isinstance(kind, click_types.StringParamType), (parameter.name, kind)
        entry["type"] = "text"
    entry["default"] = _plain(parameter.default)
    return entry


def command_spec(app: typer.Typer, functions: dict[tuple[str, ...], Callable[..., int]]) -> dict[str, Any]:
    """{name: {"function": "module:name", "params": [...]}, group: {"subcommands": {...}, "default": ...}}."""
    from aicost.cli.options import enum_types

    def walk(command: click.Command, path: tuple[str, ...]) -> dict[str, Any]:
        if isinstance(command, TyperGroup):
            entry: dict[str, Any] = {"subcommands": {name: walk(sub, (*path, name)) for name, sub in command.commands.items()}}
            if isinstance(command, DefaultCommandGroup):
                entry["default"] = DEFAULT_COMMAND
            return entry
        function = functions[path]
        params = [_parameter_spec(p) for p in command.params]
        for param in params:
            if param["name"] in enum_types(function):
                param["enum"] = enum_types(function)[param["name"]]
        return {"function": f"{function.__module__}:{function.__name__}", "params": params}

    root = typer.main.get_command(app)
    assert isinstance(root, TyperGroup)
    return {"commands": {name: walk(command, (name,)) for name, command in root.commands.items()}}
