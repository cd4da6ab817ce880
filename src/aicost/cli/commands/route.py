"""`aicost route` (one router or cascade plan, a share sweep or a target saving) and `aicost route plan`."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions, command
from aicost.cli.inputs import open_inputs, over_budget, split_names
from aicost.cli.output import on_terminal_table, say
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK, ParameterError

if TYPE_CHECKING:
    from aicost.catalog import Catalog
    from aicost.cli.options import (
        AnyVendorOption,
        CandidatesOption,
        ClassifierInputOption,
        ClassifierOption,
        ClassifierOutputOption,
        CurveOption,
        EscalationOption,
        EvalPromptsOption,
        FrontierOption,
        JudgeCostOption,
        JudgeOption,
        MaxOption,
        ModeOption,
        PlanShareOption,
        QualityFloorOption,
        RouterCostOption,
        ShareOption,
        SmallOption,
        StepOption,
        SweepOption,
        TargetSavingOption,
        TopOption,
        VerifierCostOption,
        VerifierInputOption,
        VerifierOption,
        VerifierOutputOption,
        WorkloadArgument,
    )
    from aicost.routing import Overhead, RouteReport

MAX_EVAL_PROMPTS = 1_000_000_000  # an evaluation of a billion prompts; past it the payback passes any precision
DEFAULT_PLAN_SMALL_SHARE = Decimal("0.9")  # the article's 90/10 split, when neither --share nor [routing] gives one


def overhead(
    flat_option: str, flat: str | None, model_option: str, model: str | None, input_tokens: int | None,
    output_tokens: int | None, catalog: Catalog, currency: str | None = None,
) -> Overhead | None:
    """A router's or verifier's cost: a flat price per 1,000 requests, or a model priced per request."""
    from aicost.errors import InputError
    from aicost.quantities import parse_amount
    from aicost.routing import Overhead

    if flat is not None and model is not None:
        raise InputError(f"{flat_option} and {model_option}: give one of them — a flat price or a model, not both")
    if model is None and (input_tokens is not None or output_tokens is not None):
        raise InputError(f"{model_option}-input-tokens/-output-tokens need {model_option} MODEL")
    if flat is not None:
        return Overhead(per_1000_requests=parse_amount(flat, flat_option.removeprefix("--").replace("-", "_"), currency))
    if model is not None:
        return Overhead(model=catalog.resolve(model).id, input_tokens=input_tokens, output_tokens=output_tokens)
    return None


@command
def route_estimate(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    small: SmallOption = None,
    any_vendor: AnyVendorOption = False,
    frontier: FrontierOption = None,
    share: ShareOption = None,
    mode: ModeOption = None,
    escalation: EscalationOption = None,
    router_cost: RouterCostOption = None,
    classifier: ClassifierOption = None,
    classifier_input_tokens: ClassifierInputOption = None,
    classifier_output_tokens: ClassifierOutputOption = None,
    verifier_cost: VerifierCostOption = None,
    verifier: VerifierOption = None,
    verifier_input_tokens: VerifierInputOption = None,
    verifier_output_tokens: VerifierOutputOption = None,
    sweep: SweepOption = False,
    step: StepOption = "0.1",
    target_saving: TargetSavingOption = None,
    eval_prompts: EvalPromptsOption = None,
    judge: JudgeOption = None,
    judge_cost: JudgeCostOption = None,
    max: MaxOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Savings of routing requests between a small and a frontier model, against all-frontier.

    Router: small_share x C_small + (1 - small_share) x C_frontier + router cost. Cascade: C_small + escalation x
    C_frontier + verifier cost. Defaults come from the workload's [routing] table and each stream's routing table;
    options override both. A month is 730 hours.
    """
    from aicost.quantities import parse_amount, parse_fraction
    from aicost.reports.route import proposal_lines, route_view
    from aicost.routing import RouteOptions, propose_small, route, solve_target
    from aicost.routing import sweep as sweep_plan

    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    limit = None if max is None else parse_amount(max, "max", loaded.currency)
    router_overhead = overhead("--router-cost", router_cost, "--classifier", classifier, classifier_input_tokens,
                               classifier_output_tokens, prices, loaded.currency)
    verifier_overhead = overhead("--verifier-cost", verifier_cost, "--verifier", verifier, verifier_input_tokens,
                                 verifier_output_tokens, prices, loaded.currency)
    options = RouteOptions(
        small=prices.resolve(small, day).id if small else None,
        frontier=prices.resolve(frontier, day).id if frontier else None,
        small_share=None if share is None else parse_fraction(share, "small_share"),
        mode=None if mode is None else mode.value,
        escalation=None if escalation is None else parse_fraction(escalation, "escalation"),
        router_overhead=router_overhead,
        verifier_overhead=verifier_overhead,
    )
    if any_vendor and small:
        raise ParameterError("any_vendor", None, "proposes a small model — leave it out when --small names one")
    loaded, proposals = propose_small(loaded, prices, day, options, any_vendor)
    if not out.quiet and not on_terminal_table(out.format, out.output):  # on a terminal the report's summary says it
        for text in proposal_lines(proposals, loaded.currency):
            say(f"aicost: note: {text}")
    target = None
    if target_saving is not None:
        target = solve_target(loaded, prices, day, options, parse_fraction(target_saving, "target_saving"))
        report = target.report
    else:
        report = route(loaded, prices, day, options)
    from aicost.quantities import AsTyped

    # AsTyped: a step out of range is echoed as typed (--step 0.0000001), not as a Decimal (1E-7)
    points = sweep_plan(loaded, prices, day, options, AsTyped(parse_fraction(step, "step"), step)) if sweep else ()
    judging = overhead("--judge-cost", judge_cost, "--judge", judge, None, None, prices, loaded.currency)
    if judging is not None and eval_prompts is None:
        raise ParameterError("eval_prompts", None, "a judge prices an evaluation: add --eval-prompts N")
    evaluation = None
    if eval_prompts is not None and eval_prompts > MAX_EVAL_PROMPTS:
        raise ParameterError("eval_prompts", eval_prompts, f"must be at most {MAX_EVAL_PROMPTS:,} prompts")
    if eval_prompts is not None:
        from aicost.routing import evaluate

        plan_options_used = options if target is None else options.with_small_share(target.small_share)
        evaluation = evaluate(loaded, prices, day, plan_options_used, report, eval_prompts, judging)
    out.emit(route_view(report, target, points, router_overhead, verifier_overhead, evaluation, proposals))
    warn_if_dearer(report)
    return EXIT_CHECK_FAILED if over_budget(report.plan_monthly_cost, limit, report.workload.currency) else EXIT_OK


def warn_if_dearer(report: RouteReport) -> None:
    """Warnings on stderr (even with --quiet) for a plan that loses money, and a "small" model dearer than the frontier."""
    from aicost.money import money_text, quantize

    ratio = report.price_ratio
    if ratio is not None and ratio > 1:
        say(f"aicost: warning: the small model costs {quantize(ratio, Decimal('0.001'))}x the frontier model on this "
            "workload — swap them, or choose a cheaper small model")
    if report.plan_monthly_cost > report.baseline_monthly_cost:
        currency = report.workload.currency
        say(f"aicost: warning: this plan costs more than all-frontier ({money_text(report.plan_monthly_cost, currency)} "
            f"against {money_text(report.baseline_monthly_cost, currency)} a month)")


@command
def route_plan(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    frontier: FrontierOption = None,
    candidates: CandidatesOption = None,
    share: PlanShareOption = None,
    quality_floor: QualityFloorOption = None,
    curve: CurveOption = "random",
    router_cost: RouterCostOption = None,
    classifier: ClassifierOption = None,
    classifier_input_tokens: ClassifierInputOption = None,
    classifier_output_tokens: ClassifierOutputOption = None,
    top: TopOption = 20,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Every small/frontier pair as a router plan, cheapest first, with the cost-quality Pareto frontier.

    With --quality-floor each pair runs at the smallest frontier share whose expected quality (the router curve
    between the two models' [quality] scores) meets the floor. Models that cannot be priced are excluded.
    """
    from aicost.calc import select_models
    from aicost.quantities import parse_fraction
    from aicost.reports.route import plan_view
    from aicost.routing import parse_curve, plan_options

    router_curve = parse_curve(curve)
    floor = None if quality_floor is None else parse_fraction(quality_floor, "quality_floor")
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    router_overhead = overhead("--router-cost", router_cost, "--classifier", classifier, classifier_input_tokens,
                               classifier_output_tokens, prices, loaded.currency)
    names = split_names(candidates)
    models = select_models(prices, names)
    small_share = None
    if floor is None:
        if share is not None:
            small_share = parse_fraction(share, "small_share")
        elif loaded.routing.small_share is not None:
            small_share = loaded.routing.small_share
        else:
            small_share = DEFAULT_PLAN_SMALL_SHARE
    elif share is not None:
        raise ParameterError("small_share", share, "give a share or --quality-floor, not both — with a floor each pair "
                             "gets the share that meets it")
    if floor is not None and not loaded.quality:
        raise ParameterError("quality_floor", quality_floor, "needs quality scores: add a [quality] table to the workload "
                             "(model = score 0..1)")
    report = plan_options(loaded, prices, day, models, small_share, floor, router_curve, router_overhead,
                          None if frontier is None else prices.resolve(frontier, day).id)
    out.emit(plan_view(report, top))
    return EXIT_OK
