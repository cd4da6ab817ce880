"""The fast path's option table (src/aicost/cli/commands.json), read from the click commands typer builds.

The fast path (`aicost.cli.fast`) parses a command line with this table instead of typer, so the table must
say everything that decides what typer would do with a command line.  It fails closed: every attribute a
click command, group, parameter or parameter type carries is either reproduced by the table, known to matter
only for help or completion (which typer always handles), or required to have its inert value.  Anything else
— a `callback=`, a `parser=` or custom click type, `count`, a prompt, an eager or hidden-value parameter, an
open or clamped range, context settings, or an attribute this module has never heard of (a newer typer) —
makes `build` raise `SpecError`, naming the command, the option and the fix, and the table is not written.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any

import typer
from typer import _click as click
from typer._click import types as click_types
from typer._types import TyperChoice
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

from aicost.cli.options import enum_types
from aicost.cli.typer_internals import DEFAULT_COMMAND, DefaultCommandGroup


class SpecError(Exception):
    """The typer application declares something the fast path does not reproduce."""


@dataclasses.dataclass(frozen=True)
class Inert:
    """An attribute the fast path ignores, so it must keep the value under which ignoring it is exact."""

    value: Any


HELP_ONLY = object()  # read for --help or shell completion only, and typer handles those command lines
REPRODUCED = object()  # written to the table and honoured by the fast path, or checked by the code below

# Every instance attribute of a TyperOption, and what the fast path does with it.
OPTION_ATTRIBUTES: dict[str, object] = {
    "name": REPRODUCED, "opts": REPRODUCED, "secondary_opts": REPRODUCED, "type": REPRODUCED, "default": REPRODUCED,
    "envvar": REPRODUCED, "multiple": REPRODUCED, "required": REPRODUCED, "is_flag": REPRODUCED, "nargs": Inert(1),
    "callback": Inert(None), "count": Inert(False), "prompt": Inert(None), "confirmation_prompt": Inert(False),
    "prompt_required": Inert(True), "hide_input": Inert(False), "is_eager": Inert(False), "expose_value": Inert(True),
    "is_bool_flag": REPRODUCED, "_depr_flag_value": REPRODUCED,  # both follow from is_flag: checked below
    # read only when a context has an auto_envvar_prefix, which the command checks refuse
    "allow_from_autoenv": HELP_ONLY,
    "help": HELP_ONLY, "hidden": HELP_ONLY, "metavar": HELP_ONLY, "show_default": HELP_ONLY, "show_choices": HELP_ONLY,
    # show_envvar words typer's error messages; the fast path never prints one (it declines instead)
    "show_envvar": HELP_ONLY, "rich_help_panel": HELP_ONLY, "_custom_shell_complete": HELP_ONLY,
}
ARGUMENT_ATTRIBUTES: dict[str, object] = {
    "name": REPRODUCED, "opts": REPRODUCED, "secondary_opts": Inert([]), "type": REPRODUCED, "default": REPRODUCED,
    "required": REPRODUCED, "nargs": REPRODUCED, "envvar": Inert(None), "multiple": Inert(False), "callback": Inert(None),
    "is_eager": Inert(False), "expose_value": Inert(True),
    "help": HELP_ONLY, "hidden": HELP_ONLY, "metavar": HELP_ONLY, "show_default": HELP_ONLY, "show_choices": HELP_ONLY,
    "show_envvar": HELP_ONLY, "rich_help_panel": HELP_ONLY, "_custom_shell_complete": HELP_ONLY,
}
COMMAND_ATTRIBUTES: dict[str, object] = {
    "name": REPRODUCED, "params": REPRODUCED, "callback": REPRODUCED,  # the function the fast path calls
    "context_settings": Inert({}), "no_args_is_help": Inert(False), "deprecated": Inert(False),
    "help": HELP_ONLY, "epilog": HELP_ONLY, "short_help": HELP_ONLY, "options_metavar": HELP_ONLY,
    "add_help_option": Inert(True), "_help_option": Inert(None), "hidden": HELP_ONLY, "rich_markup_mode": HELP_ONLY,
    "rich_help_panel": HELP_ONLY,
}
GROUP_ATTRIBUTES: dict[str, object] = {
    **COMMAND_ATTRIBUTES, "callback": REPRODUCED, "params": REPRODUCED, "commands": REPRODUCED,
    "no_args_is_help": HELP_ONLY,  # the fast path only takes a command line that names a command
    "invoke_without_command": Inert(False), "_result_callback": Inert(None), "suggest_commands": HELP_ONLY,
    "subcommand_metavar": HELP_ONLY,
}
# The attributes of each parameter type the table reproduces (any other type, or subclass, is refused).
TYPE_ATTRIBUTES: dict[type, dict[str, object]] = {
    click_types.StringParamType: {},
    click_types.IntParamType: {},
    click_types.IntRange: {"min": REPRODUCED, "max": REPRODUCED, "min_open": Inert(False), "max_open": Inert(False),
                           "clamp": Inert(False)},
    click_types.BoolParamType: {},  # flags only: the fast path never converts a flag's value
    TyperChoice: {"choices": REPRODUCED, "case_sensitive": REPRODUCED},
}
# Options of a group (given before the command's name, so never seen by the fast path, which declines a command
# line that does not start with a command) whose callback typer also runs, with the default, on every command
# line: they must act only when given.  Reviewed by hand: `--version` prints and exits only when it is True.
GROUP_OPTION_CALLBACKS = {"aicost.cli.app:_version_callback"}
# What click itself lets a command line do before the fast path: the help options, from the root's settings.
ROOT_CONTEXT_SETTINGS = {"help_option_names"}
# How click parses a command's arguments: the fast path does exactly this (interspersed, nothing unknown).
COMMAND_CLASS_SETTINGS = {"allow_extra_args": False, "allow_interspersed_args": True, "ignore_unknown_options": False}


def _empty() -> None:
    """A function that does nothing."""


def does_nothing(function: Callable[..., Any]) -> bool:
    """A function whose body is only a docstring (or `pass`): the same bytecode as `_empty`'s."""
    code = getattr(function, "__code__", None)
    return code is not None and code.co_code == _empty.__code__.co_code


def qualified(function: Any) -> str:
    return f"{getattr(function, '__module__', '?')}:{getattr(function, '__qualname__', repr(function))}"


def described(value: object) -> str:
    """A value as a message shows it: a function by its module and name (not its address)."""
    return qualified(value) if callable(value) and hasattr(value, "__qualname__") else repr(value)


def check_attributes(where: str, thing: object, rules: dict[str, object]) -> None:
    for attribute, value in vars(thing).items():
        rule = rules.get(attribute)
        if rule is None:
            raise SpecError(f"{where}: {attribute}={described(value)} is an attribute the fast path does not know — "
                            "teach tools/command_table.py and aicost/cli/fast.py to reproduce it, or leave it out")
        if isinstance(rule, Inert) and value != rule.value:
            raise SpecError(f"{where}: {attribute}={described(value)} is not reproduced by the fast path (it needs "
                            f"{rule.value!r}) — check the value inside the command function instead (both paths call "
                            "it), or teach tools/command_table.py and aicost/cli/fast.py to reproduce it")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int):  # bool is an int
        return value
    raise SpecError(f"default {value!r} ({type(value).__name__}) is not a plain value the table can hold")


def type_spec(where: str, kind: click_types.ParamType) -> Any:
    rules = TYPE_ATTRIBUTES.get(type(kind))
    if rules is None:  # a custom click type, parser=, click_type=, float, path, file, datetime...
        raise SpecError(f"{where}: the type {type(kind).__name__} ({kind!r}) is not reproduced by the fast path — "
                        "take text and convert it inside the command function, or teach tools/command_table.py and "
                        "aicost/cli/fast.py this type")
    check_attributes(f"{where} (type {kind!r})", kind, rules)
    if isinstance(kind, TyperChoice):
        if not all(isinstance(choice, str | Enum) for choice in kind.choices):
            raise SpecError(f"{where}: choices {kind.choices!r} are not strings or enum members")
        return {"choice": [str(_plain(choice)) for choice in kind.choices], "case_sensitive": bool(kind.case_sensitive)}
    if isinstance(kind, click_types.IntRange):
        return {"int": [kind.min, kind.max]}
    if isinstance(kind, click_types.IntParamType):
        return {"int": [None, None]}
    if isinstance(kind, click_types.BoolParamType):
        return "bool"
    return "text"


def option_spec(where: str, option: click.Parameter) -> dict[str, Any]:
    if type(option) is not TyperOption:
        raise SpecError(f"{where}: a parameter of class {type(option).__name__} is not reproduced by the fast path")
    check_attributes(where, option, OPTION_ATTRIBUTES)
    assert isinstance(option, TyperOption)
    entry = {"name": option.name, "argument": False, "opts": list(option.opts), "secondary_opts": list(option.secondary_opts),
             "flag": option.is_flag, "multiple": option.multiple, "envvar": option.envvar, "required": option.required,
             "type": type_spec(where, option.type), "default": _plain(option.default)}
    if option.is_flag != option.is_bool_flag or option._depr_flag_value != (True if option.is_flag else None):
        raise SpecError(f"{where}: a flag that is not a plain on/off switch is not reproduced by the fast path")
    if option.is_flag and (entry["type"] != "bool" or option.default is not False or option.multiple):
        raise SpecError(f"{where}: a flag must be a bool defaulting to False (the fast path sets True, or False for "
                        "its secondary --no- names)")
    if not option.is_flag and (entry["type"] == "bool" or option.secondary_opts):
        raise SpecError(f"{where}: a bool option that takes a value is not reproduced by the fast path")
    if option.envvar is not None and (not isinstance(option.envvar, str) or option.multiple or option.is_flag):
        raise SpecError(f"{where}: envvar={option.envvar!r} on a flag, a repeated option or as a list is not reproduced "
                        "by the fast path (click splits and converts those values its own way)")
    return entry


def argument_spec(where: str, argument: click.Parameter) -> dict[str, Any]:
    if type(argument) is not TyperArgument:
        raise SpecError(f"{where}: a parameter of class {type(argument).__name__} is not reproduced by the fast path")
    check_attributes(where, argument, ARGUMENT_ATTRIBUTES)
    if argument.nargs not in (1, -1):
        raise SpecError(f"{where}: nargs={argument.nargs} is not reproduced by the fast path (1 or -1)")
    return {"name": argument.name, "argument": True, "required": argument.required, "nargs": argument.nargs,
            "type": type_spec(where, argument.type), "default": _plain(argument.default)}


def check_command_class(where: str, command: click.Command, expected: tuple[type, ...]) -> None:
    if type(command) not in expected:
        raise SpecError(f"{where}: a command of class {type(command).__name__} is not reproduced by the fast path")


def group_spec(path: tuple[str, ...], group: click.Command, functions: dict[tuple[str, ...], Callable[..., int]]) -> dict[str, Any]:
    where = "aicost " + " ".join(path) if path else "aicost"
    check_command_class(where, group, (TyperGroup, DefaultCommandGroup))
    assert isinstance(group, TyperGroup)
    rules = GROUP_ATTRIBUTES
    if not path:  # the root's context settings reach every command: only the help option names, which the table holds
        rules = {**GROUP_ATTRIBUTES, "context_settings": REPRODUCED}
        if set(group.context_settings) - ROOT_CONTEXT_SETTINGS:
            raise SpecError(f"{where}: context settings {sorted(group.context_settings)} are not reproduced by the fast "
                            f"path (only {sorted(ROOT_CONTEXT_SETTINGS)})")
    check_attributes(where, group, rules)
    if group.callback is not None and not does_nothing(inspect.unwrap(group.callback)):
        raise SpecError(f"{where}: the group's callback {qualified(group.callback)} does something, and typer runs it "
                        "before every command while the fast path does not — move the work into the commands")
    for parameter in group.params:
        callback = getattr(parameter, "callback", None)
        if not (isinstance(parameter, TyperOption) and parameter.is_flag and parameter.is_eager and parameter.envvar is None
                and not parameter.required and (callback is None or qualified(callback) in GROUP_OPTION_CALLBACKS)):
            raise SpecError(f"{where}: the group option {parameter.name} is not reproduced by the fast path (only eager "
                            f"flags whose callback acts when given: {sorted(GROUP_OPTION_CALLBACKS)})")
    entry: dict[str, Any] = {"subcommands": {name: command_entry((*path, name), sub, functions)
                                             for name, sub in group.commands.items()}}
    if isinstance(group, DefaultCommandGroup):
        entry["default"] = DEFAULT_COMMAND
    return entry


def command_entry(path: tuple[str, ...], command: click.Command, functions: dict[tuple[str, ...], Callable[..., int]]) -> dict[str, Any]:
    if isinstance(command, TyperGroup):
        return group_spec(path, command, functions)
    where = "aicost " + " ".join(path)
    check_command_class(where, command, (TyperCommand,))
    check_attributes(where, command, COMMAND_ATTRIBUTES)
    for setting, value in COMMAND_CLASS_SETTINGS.items():
        if getattr(command, setting) != value:
            raise SpecError(f"{where}: {setting}={getattr(command, setting)!r} is not reproduced by the fast path")
    function = functions.get(path)
    if function is None or command.callback is None or inspect.unwrap(command.callback) is not inspect.unwrap(function):
        raise SpecError(f"{where}: typer calls {qualified(command.callback)}, not the function COMMANDS names for it")
    params = []
    enums = enum_types(function)
    for parameter in command.params:
        label = f"{where} {parameter.opts[0] if isinstance(parameter, TyperOption) else str(parameter.name).upper()}"
        param = argument_spec(label, parameter) if isinstance(parameter, TyperArgument) else option_spec(label, parameter)
        if param["name"] in enums:
            param["enum"] = enums[param["name"]]
        params.append(param)
    return {"function": f"{function.__module__}:{function.__name__}", "params": params}


def build(root: click.Command, functions: dict[tuple[str, ...], Callable[..., int]]) -> dict[str, Any]:
    """{"help_options": [...], "commands": {name: {"function": "module:name", "params": [...]}, group: {"subcommands":
    {...}, "default": ...}}} for the click command `root` (typer.main.get_command(app)), or SpecError."""
    entry = group_spec((), root, functions)
    assert isinstance(root, TyperGroup)
    return {"help_options": list(root.context_settings.get("help_option_names", ["--help"])),
            "commands": entry["subcommands"]}


def from_app(app: typer.Typer, functions: dict[tuple[str, ...], Callable[..., int]]) -> dict[str, Any]:
    return build(typer.main.get_command(app), functions)
