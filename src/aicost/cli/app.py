"""The typer application: every command of `commands/` registered with the options of `options.py`.

Importing this module imports typer; the fast path (`fast.py`) runs the same command functions without it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from aicost import __version__

from . import options
from .commands import checks, cost, pricing, route
from .errors import guarded
from .output import write_stdout
from .typer_internals import DefaultCommandGroup

HELP = (
    "LLM API cost calculator and routing planner. Prices a workload file on a versioned catalog of GPT, Claude, "
    "Qwen, GLM and DeepSeek prices. A month is 730 hours (365 x 24 / 12): requests_per_day x 730 / 24."
)

# Every command, by its path on the command line.  The fast path's table (commands.json) is generated from it.
COMMANDS: dict[tuple[str, ...], Callable[..., int]] = {
    ("cost",): cost.cost,
    ("compare",): cost.compare,
    ("route", "estimate"): route.route_estimate,
    ("route", "plan"): route.route_plan,
    ("budget",): checks.budget,
    ("diff",): checks.diff,
    ("init",): cost.init,
    ("pricing", "list"): pricing.pricing_list,
    ("pricing", "show"): pricing.pricing_show,
    ("pricing", "history"): pricing.pricing_history,
    ("pricing", "validate"): pricing.pricing_validate,
    ("pricing", "export"): pricing.pricing_export,
}

# The command modules annotate their parameters with the names of `options`; typer resolves them here.
for module in (cost, pricing, checks, route):
    vars(module).update(options.annotation_names())

app = typer.Typer(
    name="aicost",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
pricing_app = typer.Typer(help="Look at, check and export the price catalog.", no_args_is_help=True)
route_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Savings of small/frontier routing against all-frontier: router or cascade, sweep, target, planner.",
    no_args_is_help=False,
)
app.add_typer(route_app, name="route")
app.add_typer(pricing_app, name="pricing")
GROUPS = {"pricing": pricing_app, "route": route_app}


def _version_callback(value: bool) -> None:
    if value:
        write_stdout(f"aicost {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """LLM API cost calculator and routing planner."""


for path, function in COMMANDS.items():
    group = GROUPS[path[0]] if len(path) == 2 else app
    group.command(path[-1], hidden=path == ("route", "estimate"))(guarded(function))
