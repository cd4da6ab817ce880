"""Everything that reaches into typer's internals (its vendored click), in one place.

- `DefaultCommandGroup`: `aicost route [WORKLOAD]` runs the hidden default command, `aicost route plan` the
  planner, and `aicost route --help` still shows help.
- `environment_sources`: which of the running command's values came from environment variables.
- `enable_completion`: typer registers its shell classes only when it adds its own `--install-completion`,
  which aicost does not want.
- `keep_flags_whole`: help is wrapped at spaces only, never inside a hyphenated word such as `--input-tokens`.

The developer tools under `tools/` read typer's model too (the completion scripts and the fast path's option
table are generated from it); the installed package never runs them.
"""

from __future__ import annotations

from typer import _click as click
from typer._click.core import ParameterSource
from typer._click.globals import get_current_context
from typer._click.shell_completion import CompletionItem
from typer.core import TyperGroup

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


def environment_sources() -> dict[str, str]:
    """The running command's parameters whose value typer took from an environment variable, with its name."""
    context = get_current_context(silent=True)
    if context is None:
        return {}
    return {param.name: param.envvar for param in context.command.params
            if param.name and isinstance(param.envvar, str)
            and context.get_parameter_source(param.name) is ParameterSource.ENVIRONMENT}


def keep_flags_whole() -> None:
    """click wraps help text with textwrap's default of breaking after hyphens (`--input-` / `tokens`); wrap at
    spaces only, so a flag's name is never split across lines (a word longer than the column is still cut)."""
    from typer._click import _textwrap

    base = _textwrap.TextWrapper
    if getattr(base, "keeps_flags_whole", False):
        return

    class SpacesOnly(base):  # type: ignore[misc, valid-type]
        keeps_flags_whole = True

        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, break_on_hyphens=False, **kwargs)

    _textwrap.TextWrapper = SpacesOnly  # type: ignore[misc]
