"""`aicost cost`, `aicost compare` and `aicost init`."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aicost.cli.inputs import WORKLOAD_FILE, open_catalog, open_workload, over_budget, pricing_date, split_names, stream_options
from aicost.cli.output import emit, say, write_report, write_stdout
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK, ParameterError
from aicost.render import OutputFormat

if TYPE_CHECKING:
    from aicost.cli.options import (
        AllOption,
        AsOfOption,
        BatchShareOption,
        CachedInputShareOption,
        CacheWriteTokensOption,
        CatalogOption,
        ClassOption,
        CompareTopOption,
        CurrencyOption,
        DiscountOption,
        ForceOption,
        FormatOption,
        InitPathArgument,
        InputTokensOption,
        MaxOption,
        ModelOption,
        ModelsOption,
        OutputOption,
        OutputTokensOption,
        PlatformFeeOption,
        QuietOption,
        ReasoningTokensOption,
        RequestsPerDayOption,
        RequestsPerHourOption,
        RequestsPerMonthOption,
        SummaryOption,
        VendorOption,
        WorkloadArgument,
    )


def cost(
    workload: WorkloadArgument = None,
    model: ModelOption = None,
    requests_per_month: RequestsPerMonthOption = None,
    requests_per_day: RequestsPerDayOption = None,
    requests_per_hour: RequestsPerHourOption = None,
    input_tokens: InputTokensOption = None,
    output_tokens: OutputTokensOption = None,
    cached_input_share: CachedInputShareOption = None,
    cache_write_tokens: CacheWriteTokensOption = None,
    reasoning_tokens: ReasoningTokensOption = None,
    batch_share: BatchShareOption = None,
    discount: DiscountOption = None,
    platform_fee: PlatformFeeOption = None,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    max: MaxOption = None,
    summary: SummaryOption = False,
) -> int:
    """Monthly spend per stream and in total, split into input / cached input / cache writes / output."""
    stream = stream_options(locals())
    from aicost.calc import workload_cost
    from aicost.quantities import parse_amount
    from aicost.reports.cost import cost_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    loaded = open_workload(workload, prices, quiet, model, stream, currency, discount, platform_fee)
    limit = None if max is None else parse_amount(max, "max", loaded.currency)
    report = workload_cost(loaded, prices, day)
    emit(cost_view(report), format, output, summary, quiet)
    return EXIT_CHECK_FAILED if over_budget(report.monthly_cost, limit, report.workload.currency) else EXIT_OK


def compare(
    workload: WorkloadArgument = None,
    model: ModelOption = None,
    requests_per_month: RequestsPerMonthOption = None,
    requests_per_day: RequestsPerDayOption = None,
    requests_per_hour: RequestsPerHourOption = None,
    input_tokens: InputTokensOption = None,
    output_tokens: OutputTokensOption = None,
    cached_input_share: CachedInputShareOption = None,
    cache_write_tokens: CacheWriteTokensOption = None,
    reasoning_tokens: ReasoningTokensOption = None,
    batch_share: BatchShareOption = None,
    discount: DiscountOption = None,
    platform_fee: PlatformFeeOption = None,
    models: ModelsOption = None,
    vendor: VendorOption = None,
    size_class: ClassOption = None,
    top: CompareTopOption = None,
    show_all: AllOption = False,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> int:
    """The whole workload priced on every catalog model, cheapest first, with the ratio to today's cost."""
    stream = stream_options(locals())
    if show_all and top:
        raise ParameterError("top", None, "--all shows every model and --top N the N cheapest — give one of them")
    from aicost.calc import compare as compare_models
    from aicost.calc import select_models
    from aicost.reports.cost import compare_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    chosen = select_models(prices, split_names(models), split_names(vendor), [c.value for c in size_class or ()])
    if not chosen:
        raise ParameterError("models", None, "no catalog model matches these filters — loosen --models, --vendor or --class")
    loaded = open_workload(workload, prices, quiet, model, stream, currency, discount, platform_fee)
    report = compare_models(loaded, prices, day, chosen)
    emit(compare_view(report, top or 0), format, output, summary, quiet)
    return EXIT_OK


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
