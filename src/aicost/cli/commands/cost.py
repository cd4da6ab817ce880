"""`aicost cost`, `aicost compare` and `aicost init`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions, command
from aicost.cli.inputs import WORKLOAD_FILE, open_inputs, open_workload, over_budget, split_names
from aicost.cli.output import say, write_report, write_stdout
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK, ParameterError

if TYPE_CHECKING:
    from aicost.cli.options import (
        AllOption,
        ClassOption,
        CompareTopOption,
        ForceOption,
        HostsOption,
        InitPathArgument,
        MaxOption,
        ModelsOption,
        QuietOption,
        VendorOption,
        WorkloadArgument,
    )


@command
def cost(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    max: MaxOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Monthly spend per stream and in total, split into input / cached input / cache writes / output."""
    from aicost.calc import workload_cost
    from aicost.quantities import parse_amount
    from aicost.reports.cost import cost_view

    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    limit = None if max is None else parse_amount(max, "max", loaded.currency)
    report = workload_cost(loaded, prices, day)
    out.emit(cost_view(report))
    return EXIT_CHECK_FAILED if over_budget(report.monthly_cost, limit, report.workload.currency) else EXIT_OK


@command
def compare(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    models: ModelsOption = None,
    vendor: VendorOption = None,
    size_class: ClassOption = None,
    top: CompareTopOption = None,
    show_all: AllOption = False,
    hosts: HostsOption = "vendor",
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """The whole workload priced on every catalog model, cheapest first, with the ratio to today's cost."""
    if show_all and top:
        raise ParameterError("top", None, "--all shows every model and --top N the N cheapest — give one of them")
    from aicost.calc import compare as compare_models
    from aicost.calc import select_models
    from aicost.reports.cost import compare_view

    day = pricing.day()
    prices = pricing.prices()
    chosen = select_models(prices, split_names(models), split_names(vendor), [c.value for c in size_class or ()])
    if not chosen:
        raise ParameterError("models", None, "no catalog model matches these filters — loosen --models, --vendor or --class")
    loaded = open_workload(workload, prices, out.quiet, stream, terms, pricing.currency, day)
    report = compare_models(loaded, prices, day, chosen, split_names([hosts]))
    out.emit(compare_view(report, top or 0))
    return EXIT_OK


@command
def init(path: InitPathArgument = WORKLOAD_FILE, force: ForceOption = False, quiet: QuietOption = False) -> int:
    """Write a commented example workload file."""
    from aicost.errors import InputError, printable
    from aicost.init_file import command_path, example_toml

    text = example_toml(WORKLOAD_FILE if path == "-" else path)
    if path == "-":
        write_stdout(text)
        return EXIT_OK
    if os.path.isfile(path) and not force:
        raise InputError(f"{path}: already exists — use --force to overwrite it, or give another path")
    write_report(text, path)
    if not quiet:
        say(f"aicost: wrote {printable(path)}; price it with `aicost cost {command_path(path)}`")
    return EXIT_OK
