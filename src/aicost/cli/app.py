"""The typer application: every command of `commands/` registered with the options of `options.py`.

Importing this module imports typer; the fast path (`fast.py`) runs the same command functions without it.  Each
command is registered as `options.typer_callback` presents it: its option groups expanded into their options and
its annotations evaluated among the declarations of `options.py` (the command modules never import typer).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer

from aicost import __version__

from . import options
from .commands import checks, cost, forecast, pricing, route, usage
from .errors import guarded
from .output import write_stdout
from .typer_internals import DefaultCommandGroup, keep_flags_whole

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
    ("usage",): usage.usage,
    ("forecast",): forecast.forecast,
    ("breakeven", "subscription"): forecast.breakeven_subscription,
    ("breakeven", "self-host"): forecast.breakeven_self_host,
    ("pricing", "list"): pricing.pricing_list,
    ("pricing", "show"): pricing.pricing_show,
    ("pricing", "history"): pricing.pricing_history,
    ("pricing", "validate"): pricing.pricing_validate,
    ("pricing", "export"): pricing.pricing_export,
    ("pricing", "versions"): pricing.pricing_versions,
    ("pricing", "use"): pricing.pricing_use,
    ("pricing", "update"): pricing.pricing_update,
    ("pricing", "diff"): pricing.pricing_diff,
    ("pricing", "import"): pricing.pricing_import,
    ("pricing", "check"): pricing.pricing_check,
    ("pricing", "refresh"): pricing.pricing_refresh,
}

# What `aicost --help` lists: one short line each, never cut.
SUMMARIES: dict[tuple[str, ...], str] = {
    ("cost",): "Monthly spend per stream and in total.",
    ("compare",): "The workload on every model, cheapest first.",
    ("route", "estimate"): "Savings of small/frontier routing.",
    ("route", "plan"): "Which small model at which split, or which model, against today.",
    ("budget",): "Check the monthly cost against a budget (exit 1 over).",
    ("diff",): "Cost change between two workloads, dates or catalogs.",
    ("init",): "Write a commented example workload file.",
    ("usage",): "What request logs spent; write the workload that reproduces it.",
    ("forecast",): "Monthly cost ahead: growth, price shocks and trends, elasticity.",
    ("breakeven", "subscription"): "Paying per token against a $20 seat.",
    ("breakeven", "self-host"): "Paying per token against renting GPUs.",
    ("pricing", "list"): "Every model with its prices today (USD per million tokens).",
    ("pricing", "show"): "One model's prices, tiers and sources.",
    ("pricing", "history"): "Every price period of one model, with sources.",
    ("pricing", "validate"): "Check a catalog file or directory.",
    ("pricing", "export"): "The whole catalog as one TOML or JSON document.",
    ("pricing", "versions"): "The bundled and installed catalogs; the active one.",
    ("pricing", "use"): "Choose the catalog version commands use (roll back).",
    ("pricing", "update"): "Install a newer catalog (download, or --file).",
    ("pricing", "diff"): "Prices added, removed or moved between catalogs or dates.",
    ("pricing", "import"): "Convert a LiteLLM or llm-prices file into a catalog.",
    ("pricing", "check"): "Compare the catalog with a public price dataset.",
    ("pricing", "refresh"): "What the public price datasets would change; --apply installs it.",
}

# Examples at the end of each command's --help (click keeps a paragraph that starts with \b as written).
EXAMPLES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("cost",): ("aicost cost aicost.toml",
                "aicost cost --model claude-sonnet-4-6 --requests-per-day 50000 --input-tokens 1500 --output-tokens 400",
                "aicost cost aicost.toml --format json --as-of 2026-03-01"),
    ("compare",): ("aicost compare aicost.toml --class frontier", "aicost compare aicost.toml --vendor openai,anthropic",
                   "aicost compare aicost.toml --top 5", "aicost compare aicost.toml --all"),
    ("route", "estimate"): ("aicost route aicost.toml --small deepseek-v2 --frontier gpt-4o --share 90%",
                            "aicost route aicost.toml --small gpt-4o-mini --sweep",
                            "aicost route aicost.toml --mode cascade --escalation 20%"),
    ("route", "plan"): ("aicost route plan aicost.toml --share 80%",
                         "aicost route plan aicost.toml --candidates gpt-4o,gpt-4o-mini,deepseek-v2 --top 5"),
    ("budget",): ("aicost budget aicost.toml --max 2000", "aicost budget aicost.toml --max 5,000 --warn-at 80%"),
    ("diff",): ("aicost diff old.toml new.toml --max-increase 10%",
                "aicost diff aicost.toml aicost.toml --as-of-old 2026-03-01 --as-of-new 2026-12-07"),
    ("init",): ("aicost init", "aicost init - > my-workload.toml"),
    ("forecast",): ("aicost forecast aicost.toml --months 12 --growth 5%",
                    "aicost forecast aicost.toml --scenarios --elasticity -0.29",
                    "aicost forecast aicost.toml --price-change +30% --max 10000"),
    ("breakeven", "subscription"): ("aicost breakeven subscription aicost.toml --seats 50",),
    ("breakeven", "self-host"): ("aicost breakeven self-host aicost.toml --gpu-hourly 2.50 --tokens-per-second 2500 "
                                 "--utilization 60%",),
    ("usage",): ("aicost usage", "aicost usage requests.jsonl.gz --by day --since 2026-11-01",
                 "aicost usage daily.csv --write-workload observed.toml"),
    ("pricing", "list"): ("aicost pricing list --vendor deepseek", "aicost pricing list --class small --format csv"),
    ("pricing", "show"): ("aicost pricing show claude-sonnet-4-6",),
    ("pricing", "history"): ("aicost pricing history deepseek-chat --format json",),
    ("pricing", "validate"): ("aicost pricing validate", "aicost pricing validate my-catalog.toml"),
    ("pricing", "export"): ("aicost pricing export > catalog.toml", "aicost pricing export --format json -o catalog.json"),
    ("pricing", "versions"): ("aicost pricing versions",),
    ("pricing", "use"): ("aicost pricing use bundled",),
    ("pricing", "update"): ("aicost pricing update --file my-catalog.toml", "AICOST_OFFLINE=1 aicost pricing use bundled"),
    ("pricing", "diff"): ("aicost pricing diff 2025-06-01 2026-03-01", "aicost pricing diff bundled my-catalog.toml --fail-on-change"),
    ("pricing", "import"): ("aicost pricing import litellm model_prices_and_context_window.json -o litellm.toml",),
    ("pricing", "check"): ("aicost pricing check --against model_prices_and_context_window.json",),
    ("pricing", "refresh"): ("aicost pricing refresh --source litellm --url model_prices_and_context_window.json",
                             "aicost pricing refresh --source litellm --url litellm=model_prices_and_context_window.json "
                             "--format json --apply"),
}


def epilog(path: tuple[str, ...]) -> str:
    return "Examples:\n\n\b\n" + "\n".join(f"  {line}" for line in EXAMPLES[path])


def _version_callback(value: bool) -> None:
    if value:
        write_stdout(f"aicost {__version__}\n")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version_callback, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """LLM API cost calculator and routing planner."""


def build_app() -> typer.Typer:
    """The typer application with every command of COMMANDS, as `options.typer_callback` presents it."""
    keep_flags_whole()
    root = typer.Typer(
        name="aicost",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    root.callback()(_root)
    groups = {
        "pricing": typer.Typer(help="Look at, check and export the price catalog.",
                               short_help="Look at, check and export the price catalog.", no_args_is_help=True),
        "route": typer.Typer(
            cls=DefaultCommandGroup,
            help="Savings of small/frontier routing against all-frontier: router or cascade, sweep, target, planner.",
            short_help=SUMMARIES[("route", "estimate")],
            no_args_is_help=False,
        ),
        "breakeven": typer.Typer(help="Paying per token against a subscription seat, or against GPUs of your own.",
                                 short_help="Break-even against a seat subscription or self-hosting.", no_args_is_help=True),
    }
    for name in ("route", "pricing", "breakeven"):
        root.add_typer(groups[name], name=name)
    for path, function in COMMANDS.items():
        group = groups[path[0]] if len(path) == 2 else root
        group.command(path[-1], hidden=path == ("route", "estimate"), short_help=SUMMARIES[path], epilog=epilog(path))(
            options.typer_callback(guarded(function))
        )
    return root


app = build_app()
