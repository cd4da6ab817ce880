"""The fast path: run a plain command line without importing typer.

Scripts call aicost in loops (`aicost budget W --format json`), and importing typer and building its commands
costs more than the work itself (docs/decisions.md has the figures).  `commands.json` is the option table of
every command, generated from the typer application by the developer tool `tools/generate.py` (checked by a
drift test).  The generator fails closed: it refuses to write a table for a parameter that carries anything this
module does not reproduce (a callback, a custom type, a prompt, a count...).  This module parses the command
line with that table and calls the same command function typer would call, with the same values.

It takes only what it is sure of: long options (`--format json`, `--format=json`), the short options of the
table (`-f json`), positional arguments, `--`, environment variables of options, defaults.  Anything else —
`--help`, an unknown or abbreviated option, clustered short options, a value that looks like an option, a
value typer would reject, a missing argument — makes it decline, and typer handles the command line with its
own help and error messages.  Tests run every option of every command, valid and invalid, and generated
command lines both ways and compare the results.
"""

from __future__ import annotations

import importlib
import json
import os
from typing import Any

SPEC_FILE = os.path.join(os.path.dirname(__file__), "commands.json")


class Decline(Exception):
    """This command line is for typer."""


def load_spec() -> dict[str, Any]:
    with open(SPEC_FILE, encoding="utf-8") as stream:
        spec: dict[str, Any] = json.load(stream)
    return spec


def find_command(spec: dict[str, Any], arguments: list[str]) -> tuple[dict[str, Any], list[str]]:
    if not arguments or arguments[0] not in spec["commands"]:
        raise Decline
    entry, rest = spec["commands"][arguments[0]], arguments[1:]
    if "subcommands" in entry:
        if rest and rest[0] in entry["subcommands"]:
            entry, rest = entry["subcommands"][rest[0]], rest[1:]
        elif "default" in entry:
            entry = entry["subcommands"][entry["default"]]
        else:
            raise Decline
    if "function" not in entry:
        raise Decline
    return entry, rest


def convert(param: dict[str, Any], text: str) -> Any:
    """The value typer would pass for `text`, or Decline where typer would complain."""
    kind = param["type"]
    if kind == "text":
        return text
    if isinstance(kind, dict) and "int" in kind:
        try:
            number = int(text)
        except ValueError:
            raise Decline from None
        low, high = kind["int"]
        if (low is not None and number < low) or (high is not None and number > high):
            raise Decline
        return number
    if isinstance(kind, dict) and "choice" in kind:
        for choice in kind["choice"]:
            if choice == text or (not kind["case_sensitive"] and choice.casefold() == text.casefold()):
                return choice
    raise Decline


def _options(params: list[dict[str, Any]], rest: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The options of a command line, converted, and its positional values in order."""
    by_opt = {opt: param for param in params if not param["argument"] for opt in param["opts"]}
    negative = {opt: param for param in params if not param["argument"] for opt in param["secondary_opts"]}
    values: dict[str, Any] = {}
    positional: list[str] = []
    index, only_positional = 0, False
    while index < len(rest):
        token = rest[index]
        index += 1
        if only_positional or token == "-" or not token.startswith("-"):
            positional.append(token)
            continue
        if token == "--":
            only_positional = True
            continue
        name, explicit, value = token.partition("=") if token.startswith("--") else (token, "", "")
        param = by_opt.get(name) or negative.get(name)
        if param is None:
            raise Decline
        if param["flag"]:
            if explicit:
                raise Decline
            values[param["name"]] = name not in negative
            continue
        if not explicit:
            if index >= len(rest) or (rest[index].startswith("-") and rest[index] != "-"):
                raise Decline
            value = rest[index]
            index += 1
        converted = convert(param, value)
        if param["multiple"]:
            values.setdefault(param["name"], []).append(converted)
        else:
            values[param["name"]] = converted
    return values, positional


def _arguments(params: list[dict[str, Any]], positional: list[str], values: dict[str, Any]) -> None:
    """The positional values into the arguments, in order; a value left over, or a required argument missing, declines."""
    for param in params:
        if param["argument"]:
            if param.get("nargs", 1) == -1:  # a variadic argument takes every positional value (None for none)
                values[param["name"]] = [convert(param, value) for value in positional] or None
                positional = []
            elif positional:
                values[param["name"]] = convert(param, positional.pop(0))
            elif param["required"]:
                raise Decline
    if positional:
        raise Decline


def _defaults(params: list[dict[str, Any]], values: dict[str, Any], environment: dict[str, str] | None) -> None:
    """What the command line does not give: from the option's environment variable, else its default;
    `environment` receives the parameters whose value came from an environment variable."""
    for param in params:
        if param["name"] in values:
            continue
        if not param["argument"] and param.get("required"):
            raise Decline  # a required option is missing: typer says so
        envvar = None if param["argument"] else param["envvar"]
        if isinstance(envvar, str) and os.environ.get(envvar):
            values[param["name"]] = convert(param, os.environ[envvar])
            if environment is not None:
                environment[param["name"]] = envvar
        else:
            values[param["name"]] = param["default"]


def parse(params: list[dict[str, Any]], rest: list[str], environment: dict[str, str] | None = None
          ) -> dict[str, Any]:
    """The command's values; `environment` receives the parameters whose value came from an environment variable."""
    values, positional = _options(params, rest)
    _arguments(params, list(positional), values)
    _defaults(params, values, environment)
    return values


def with_enums(params: list[dict[str, Any]], values: dict[str, Any]) -> dict[str, Any]:
    """Choice values as the enum members typer passes."""
    for param in params:
        if "enum" not in param or values[param["name"]] is None:
            continue
        module, name = param["enum"].split(":")
        enum = getattr(importlib.import_module(module), name)
        value = values[param["name"]]
        values[param["name"]] = [enum(item) for item in value] if isinstance(value, list) else enum(value)
    return values


def run_fast(arguments: list[str]) -> int | None:
    """The command's exit status, or None when typer should take this command line."""
    try:
        spec = load_spec()
        if any(argument in spec["help_options"] for argument in arguments):
            return None
        entry, rest = find_command(spec, arguments)
        environment: dict[str, str] = {}
        values = with_enums(entry["params"], parse(entry["params"], rest, environment))
    except (Decline, OSError, ValueError, KeyError):  # a table it cannot read (stale, damaged): typer decides
        return None
    module, name = entry["function"].split(":")
    function = getattr(importlib.import_module(module), name)
    from .errors import guarded, note_environment

    note_environment(environment)
    return guarded(function)(**values)
