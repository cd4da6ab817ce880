"""Commands made for scripts and CI: budget and diff (registered on the shared app).

Both report like every other command (`--format table|json|csv|markdown`, `--output`, `--summary`) and say
their verdict in the exit status: 0 within the limit, 1 over it, 2 bad input.
"""

from __future__ import annotations

from typing import Annotated

import typer
from typer._click.core import ParameterSource

from .cli_common import (
    AsOfOption,
    CatalogOption,
    FormatOption,
    OutputOption,
    QuietOption,
    SummaryOption,
    WorkloadArgument,
    app,
    emit,
    handle_errors,
    open_catalog,
    open_workload,
    output_format,
    pricing_date,
    say,
)
from .documents import parse_amount, parse_fraction
from .errors import EXIT_CHECK_FAILED, InputError

BUDGET_VARIABLE = "AICOST_BUDGET"

BudgetMaxOption = Annotated[
    str | None,
    typer.Option(
        "--max",
        envvar=BUDGET_VARIABLE,
        help="Monthly budget, e.g. 5000, 5,000 or $5000 (default: the workload's [budget] monthly).",
        show_default=False,
    ),
]
WarnAtOption = Annotated[
    str | None,
    typer.Option("--warn-at", help="Warn on stderr when the cost passes this share of the budget, e.g. 80%.",
                 show_default=False),
]


@app.command()
@handle_errors
def budget(
    ctx: typer.Context,
    workload: WorkloadArgument = None,
    max: BudgetMaxOption = None,
    warn_at: WarnAtOption = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> None:
    """Check the monthly cost against --max or the file's [budget] monthly: exit 0 within, 1 over, 2 bad input."""
    from .calc import workload_cost
    from .checks import BudgetCheck, budget_view
    from .render.view import money_text, percent_text

    fmt = output_format(format)
    limit = None if max is None else parse_amount(max, "--max")
    warn = None if warn_at is None else parse_fraction(warn_at, "--warn-at", maximum=None)
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    loaded = open_workload(workload, prices, quiet)
    if limit is not None:
        from_environment = ctx.get_parameter_source("max") is ParameterSource.ENVIRONMENT
        source = f"${BUDGET_VARIABLE}" if from_environment else "--max"
    elif loaded.budget_monthly is not None:
        limit, source = loaded.budget_monthly, f"[budget] monthly in {loaded.source}"
    else:
        raise InputError(f"{loaded.source}: no budget to check against — give --max AMOUNT or add "
                         "[budget] monthly = AMOUNT to the workload file")
    check = BudgetCheck(workload_cost(loaded, prices, day), limit, source, warn)
    emit(budget_view(check), fmt, output, summary, quiet)
    if check.warning:
        assert check.used is not None and check.warn_at is not None
        say(f"aicost: warning: monthly cost {money_text(check.monthly_cost)} is {percent_text(check.used)} of the "
            f"budget {money_text(check.budget)} (--warn-at {percent_text(check.warn_at)})")
    if not check.within_budget:
        say(f"aicost: over budget: monthly cost {money_text(check.monthly_cost)} exceeds the budget "
            f"{money_text(check.budget)} by {money_text(-check.headroom)}")
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
@handle_errors
def diff(
    old: Annotated[str, typer.Argument(help="The workload before (a file, or - for stdin).")],
    new: Annotated[str, typer.Argument(help="The workload after (a file, or - for stdin; - - reads stdin once for both).")],
    max_increase: Annotated[
        str | None,
        typer.Option("--max-increase", help="Exit 1 when the monthly cost rises by more than this: 10% of the old "
                     "cost, or an amount such as 500.", show_default=False),
    ] = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    as_of_old: Annotated[
        str | None, typer.Option("--as-of-old", help="Pricing date of OLD (default: --as-of).", show_default=False)
    ] = None,
    as_of_new: Annotated[
        str | None, typer.Option("--as-of-new", help="Pricing date of NEW (default: --as-of).", show_default=False)
    ] = None,
    catalog: CatalogOption = None,
    catalog_old: Annotated[
        str | None, typer.Option("--catalog-old", help="Catalog of OLD (default: --catalog).", show_default=False)
    ] = None,
    catalog_new: Annotated[
        str | None, typer.Option("--catalog-new", help="Catalog of NEW (default: --catalog).", show_default=False)
    ] = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> None:
    """Cost change between two workload files, pricing dates or catalogs, stream by stream: for pull requests."""
    from .calc import workload_cost
    from .checks import DiffReport, diff_reports, diff_view, limit_amount, signed_money
    from .documents import read_document
    from .render.view import money_text, percent_text
    from .workload import parse_workload

    fmt = output_format(format)
    amount = share = None
    if max_increase is not None:
        if max_increase.strip().endswith("%"):
            share = parse_fraction(max_increase, "--max-increase", maximum=None)
        else:
            amount = parse_amount(max_increase, "--max-increase")
    day_old = pricing_date(as_of_old if as_of_old is not None else as_of)
    day_new = pricing_date(as_of_new if as_of_new is not None else as_of)
    prices_old = open_catalog(catalog_old if catalog_old is not None else catalog)
    prices_new = prices_old if catalog_new == catalog_old else open_catalog(catalog_new if catalog_new is not None else catalog)
    # The same path (even "-") is read once: `diff W W --as-of-old ... --as-of-new ...` compares two dates.
    old_label, old_document = read_document(old, "workload")
    new_label, new_document = (old_label, old_document) if new == old else read_document(new, "workload")
    old_report = workload_cost(parse_workload(old_document, old_label, prices_old), prices_old, day_old)
    new_report = workload_cost(parse_workload(new_document, new_label, prices_new), prices_new, day_new)
    limit = limit_amount(old_report.monthly_cost, amount, share)
    report = DiffReport(old_report, new_report, diff_reports(old_report, new_report), limit, max_increase)
    emit(diff_view(report), fmt, output, summary, quiet)
    if not report.within_limit:
        assert limit is not None
        share_text = f" ({percent_text(report.change_share, signed=True)})" if report.change_share is not None else ""
        say(f"aicost: cost increase {signed_money(report.change)}{share_text} passes --max-increase "
            f"{max_increase} ({money_text(limit)} a month)")
        raise typer.Exit(EXIT_CHECK_FAILED)

