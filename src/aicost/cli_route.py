"""`aicost route`: small/frontier routing plans (registered on the shared app).

`aicost route [WORKLOAD] ...` prices one router or cascade plan (with a share sweep or a target saving);
`aicost route plan [WORKLOAD] ...` ranks every model pair.  The group runs its hidden default command when the
first argument is not a subcommand, so both spellings work and `aicost route --help` still shows help.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer import _click as click  # typer 0.28 vendors click; its group classes take these types
from typer._click.shell_completion import CompletionItem
from typer.core import TyperGroup

from .cli_common import (
    AsOfOption,
    CatalogOption,
    FormatOption,
    MaxOption,
    OutputOption,
    QuietOption,
    SummaryOption,
    WorkloadArgument,
    app,
    complete_model,
    emit,
    handle_errors,
    open_catalog,
    open_workload,
    output_format,
    over_budget,
    pricing_date,
    split_names,
)
from .documents import parse_amount, parse_fraction
from .errors import EXIT_CHECK_FAILED, InputError

if TYPE_CHECKING:
    from .routing import Overhead

DEFAULT_COMMAND = "estimate"
DEFAULT_PLAN_SMALL_SHARE = "0.9"  # the article's 90/10 split, when neither --share nor [routing] gives one


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


route_app = typer.Typer(
    cls=DefaultCommandGroup,
    help="Savings of small/frontier routing against all-frontier: router or cascade, sweep, target, planner.",
    no_args_is_help=False,
)
app.add_typer(route_app, name="route")

RouterCostOption = Annotated[
    str | None,
    typer.Option("--router-cost", help="The router's own cost in USD per 1,000 requests.", show_default=False),
]
ClassifierOption = Annotated[
    str | None,
    typer.Option("--classifier", help="A router that calls this model per request (priced from the catalog).",
                 autocompletion=complete_model, show_default=False),
]
ClassifierInputOption = Annotated[
    int | None,
    typer.Option("--classifier-input-tokens", min=0, show_default=False,
                 help="Tokens the classifier reads per request (default: the request's input tokens)."),
]
ClassifierOutputOption = Annotated[
    int | None,
    typer.Option("--classifier-output-tokens", min=0, show_default=False,
                 help="Tokens the classifier writes per request (default: 1)."),
]


def _overhead(
    flat_option: str, flat: str | None, model_option: str, model: str | None, input_tokens: int | None,
    output_tokens: int | None, tokens_option: str,
) -> Overhead | None:
    from .routing import Overhead

    if flat is not None and model is not None:
        raise InputError(f"{flat_option} and {model_option}: give one of them — a flat price or a model, not both")
    if model is None and (input_tokens is not None or output_tokens is not None):
        raise InputError(f"{tokens_option}-input-tokens/-output-tokens need {model_option} MODEL")
    if flat is not None:
        return Overhead(per_1000_requests=parse_amount(flat, flat_option))
    if model is not None:
        return Overhead(model=model, input_tokens=input_tokens, output_tokens=output_tokens)
    return None


def _fraction(text: str | None, option: str) -> Any:

    return None if text is None else parse_fraction(text, option)


@route_app.command(DEFAULT_COMMAND, hidden=True)
@handle_errors
def route_estimate(
    workload: WorkloadArgument = None,
    small: Annotated[
        str | None, typer.Option("--small", help="The small (cheap) model.", autocompletion=complete_model, show_default=False)
    ] = None,
    frontier: Annotated[
        str | None,
        typer.Option("--frontier", help="The frontier model; also the all-frontier baseline (default: each stream's model).",
                     autocompletion=complete_model, show_default=False),
    ] = None,
    share: Annotated[
        str | None, typer.Option("--share", help="Router: the small model's share of requests, 0.9 or 90%.", show_default=False)
    ] = None,
    mode: Annotated[
        str | None, typer.Option("--mode", help="router (each request to one model) or cascade (small first, then escalate).",
                                 show_default=False)
    ] = None,
    escalation: Annotated[
        str | None,
        typer.Option("--escalation", help="Cascade: the share of requests also sent to the frontier model.", show_default=False),
    ] = None,
    router_cost: RouterCostOption = None,
    classifier: ClassifierOption = None,
    classifier_input_tokens: ClassifierInputOption = None,
    classifier_output_tokens: ClassifierOutputOption = None,
    verifier_cost: Annotated[
        str | None, typer.Option("--verifier-cost", help="Cascade: the verifier's cost in USD per 1,000 requests.",
                                 show_default=False)
    ] = None,
    verifier: Annotated[
        str | None, typer.Option("--verifier", help="Cascade: a verifier that calls this model per request.",
                                 autocompletion=complete_model, show_default=False)
    ] = None,
    verifier_input_tokens: Annotated[
        int | None, typer.Option("--verifier-input-tokens", min=0, show_default=False,
                                 help="Tokens the verifier reads (default: the request's input plus output tokens).")
    ] = None,
    verifier_output_tokens: Annotated[
        int | None, typer.Option("--verifier-output-tokens", min=0, show_default=False,
                                 help="Tokens the verifier writes (default: 1).")
    ] = None,
    sweep: Annotated[bool, typer.Option("--sweep", help="Cost and saving across small shares 0 % to 100 %.")] = False,
    step: Annotated[str, typer.Option("--step", help="The sweep's step, 0.1 or 10%.")] = "0.1",
    target_saving: Annotated[
        str | None,
        typer.Option("--target-saving", help="The share (router) or escalation (cascade) that saves this much, e.g. 0.8.",
                     show_default=False),
    ] = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    max: MaxOption = None,
    summary: SummaryOption = False,
) -> None:
    """Savings of routing requests between a small and a frontier model, against all-frontier.

    Router: small_share x C_small + (1 - small_share) x C_frontier + router cost. Cascade: C_small + escalation x
    C_frontier + verifier cost. Defaults come from the workload's [routing] table and each stream's routing table;
    options override both. A month is 730 hours.
    """
    from .routing import RouteOptions, route, solve_target
    from .routing import sweep as sweep_plan
    from .routing_views import route_view

    fmt = output_format(format)
    limit = None if max is None else parse_amount(max, "--max")
    day = pricing_date(as_of)
    if mode is not None and mode not in ("router", "cascade"):
        raise InputError(f"--mode {mode}: unknown routing mode — use router or cascade")
    router_overhead = _overhead("--router-cost", router_cost, "--classifier", classifier, classifier_input_tokens,
                                classifier_output_tokens, "--classifier")
    verifier_overhead = _overhead("--verifier-cost", verifier_cost, "--verifier", verifier, verifier_input_tokens,
                                  verifier_output_tokens, "--verifier")
    prices = open_catalog(catalog)
    options = RouteOptions(
        small=prices.resolve(small).id if small else None,
        frontier=prices.resolve(frontier).id if frontier else None,
        small_share=_fraction(share, "--share"),
        mode=mode,
        escalation=_fraction(escalation, "--escalation"),
        router_overhead=router_overhead,
        verifier_overhead=verifier_overhead,
    )
    for overhead in (router_overhead, verifier_overhead):
        if overhead is not None and overhead.model is not None:
            prices.resolve(overhead.model)
    loaded = open_workload(workload, prices, quiet)
    target = None
    if target_saving is not None:
        target = solve_target(loaded, prices, day, options, parse_fraction(target_saving, "--target-saving"))
        report = target.report
    else:
        report = route(loaded, prices, day, options)
    points = sweep_plan(loaded, prices, day, options, parse_fraction(step, "--step")) if sweep else ()
    emit(route_view(report, target, points, router_overhead, verifier_overhead), fmt, output, summary, quiet)
    if over_budget(report.plan_monthly_cost, limit):
        raise typer.Exit(EXIT_CHECK_FAILED)


@route_app.command("plan")
@handle_errors
def route_plan(
    workload: WorkloadArgument = None,
    candidates: Annotated[
        list[str] | None,
        typer.Option("--candidates", "-m", help="Only these models (ids or aliases, comma-separated); default: the catalog.",
                     autocompletion=complete_model, show_default=False),
    ] = None,
    share: Annotated[
        str | None,
        typer.Option("--share", help="The small share of every plan without --quality-floor (default: [routing] "
                     "small_share, else 0.9).", show_default=False),
    ] = None,
    quality_floor: Annotated[
        str | None,
        typer.Option("--quality-floor", help="Minimum expected quality 0..1 (scores from the workload's [quality] table).",
                     show_default=False),
    ] = None,
    curve: Annotated[
        str, typer.Option("--curve", help="Router quality curve: random, routellm-mf-mtbench, or points "
                          "'frontier_share:gap_fraction,...' such as 0.1:0.4,0.3:0.75.")
    ] = "random",
    router_cost: RouterCostOption = None,
    classifier: ClassifierOption = None,
    classifier_input_tokens: ClassifierInputOption = None,
    classifier_output_tokens: ClassifierOutputOption = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Show the N cheapest plans (0: all).")] = 20,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> None:
    """Every small/frontier pair as a router plan, cheapest first, with the cost-quality Pareto frontier.

    With --quality-floor each pair runs at the smallest frontier share whose expected quality (the router curve
    between the two models' [quality] scores) meets the floor. Models that cannot be priced are excluded.
    """
    from decimal import Decimal

    from .calc import select_models
    from .routing import parse_curve, plan_pairs
    from .routing_views import plan_view

    fmt = output_format(format)
    day = pricing_date(as_of)
    router_curve = parse_curve(curve)
    floor = _fraction(quality_floor, "--quality-floor")
    router_overhead = _overhead("--router-cost", router_cost, "--classifier", classifier, classifier_input_tokens,
                                classifier_output_tokens, "--classifier")
    prices = open_catalog(catalog)
    names = split_names(candidates)
    if candidates is not None and len({prices.resolve(n).id for n in names}) < 2:
        raise InputError("--candidates: give at least two different models")
    models = select_models(prices, names)
    loaded = open_workload(workload, prices, quiet)
    small_share = None
    if floor is None:
        if share is not None:
            small_share = parse_fraction(share, "--share")
        elif loaded.routing.small_share is not None:
            small_share = loaded.routing.small_share
        else:
            small_share = Decimal(DEFAULT_PLAN_SMALL_SHARE)
    elif share is not None:
        raise InputError("--share and --quality-floor: give one — with a floor each pair gets the share that meets it")
    if floor is not None and not loaded.quality:
        raise InputError("--quality-floor needs quality scores: add a [quality] table to the workload (model = score 0..1)")
    report = plan_pairs(loaded, prices, day, models, small_share, floor, router_curve, router_overhead)
    emit(plan_view(report, top), fmt, output, summary, quiet)
