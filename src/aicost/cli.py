"""The core commands: cost, compare, init and the pricing group.

Command modules register themselves on the shared app when imported; `main` is the console entry point.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from .cli_common import (
    WORKLOAD_FILE,
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
    main,
    open_catalog,
    open_workload,
    output_format,
    over_budget,
    pricing_app,
    pricing_date,
    say,
    split_names,
    write_report,
    write_stdout,
)
from .documents import parse_amount
from .errors import EXIT_CHECK_FAILED, InputError

__all__ = ["app", "main"]

ModelArgument = Annotated[str, typer.Argument(help="Model id or alias.", autocompletion=complete_model)]


# ---------------------------------------------------------------------------------------------- commands


@app.command()
@handle_errors
def cost(
    workload: WorkloadArgument = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    max: MaxOption = None,
    summary: SummaryOption = False,
) -> None:
    """Monthly spend per stream and in total, split into input / cached input / cache writes / output."""
    from .calc import workload_cost
    from .views import cost_view

    fmt = output_format(format)
    limit = None if max is None else parse_amount(max, "--max")
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    report = workload_cost(open_workload(workload, prices, quiet), prices, day)
    emit(cost_view(report), fmt, output, summary, quiet)
    if over_budget(report.monthly_cost, limit):
        raise typer.Exit(EXIT_CHECK_FAILED)


@app.command()
@handle_errors
def compare(
    workload: WorkloadArgument = None,
    models: Annotated[
        list[str] | None,
        typer.Option(
            "--models", "-m", help="Only these models (ids or aliases, comma-separated).", autocompletion=complete_model
        ),
    ] = None,
    vendor: Annotated[list[str] | None, typer.Option("--vendor", help="Only this vendor (repeatable).")] = None,
    size_class: Annotated[
        list[str] | None, typer.Option("--class", help="Only this size class: frontier, standard, small.")
    ] = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> None:
    """The whole workload priced on every catalog model, cheapest first, with the ratio to today's cost."""
    from .calc import compare as compare_models
    from .calc import select_models
    from .views import compare_view

    fmt = output_format(format)
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    chosen = select_models(prices, split_names(models), split_names(vendor), split_names(size_class))
    if not chosen:
        raise InputError("no catalog model matches these filters — loosen --models, --vendor or --class")
    report = compare_models(open_workload(workload, prices, quiet), prices, day, chosen)
    emit(compare_view(report), fmt, output, summary, quiet)


@app.command()
@handle_errors
def init(
    path: Annotated[str, typer.Argument(help="Where to write the example workload (- for stdout).")] = WORKLOAD_FILE,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    quiet: QuietOption = False,
) -> None:
    """Write a commented example workload file."""
    from .init_file import example_toml

    text = example_toml()
    if path == "-":
        write_stdout(text)
        return
    if os.path.isfile(path) and not force:
        raise InputError(f"{path}: already exists — use --force to overwrite it, or give another path")
    write_report(text, path)
    if not quiet:
        say(f"aicost: wrote {path}; price it with `aicost cost {path}`")


# ---------------------------------------------------------------------------------------------- pricing


@pricing_app.command("list")
@handle_errors
def pricing_list(
    vendor: Annotated[list[str] | None, typer.Option("--vendor", help="Only this vendor (repeatable).")] = None,
    size_class: Annotated[
        list[str] | None, typer.Option("--class", help="Only this size class: frontier, standard, small.")
    ] = None,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
) -> None:
    """Every model with the prices in force on the pricing date (USD per million tokens)."""
    from .calc import select_models
    from .views import pricing_list_view

    fmt = output_format(format)
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    chosen = select_models(prices, (), split_names(vendor), split_names(size_class))
    emit(pricing_list_view(prices, chosen, day), fmt, output)


@pricing_app.command("show")
@handle_errors
def pricing_show(
    model: ModelArgument,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
) -> None:
    """One model: the prices in force on the pricing date, tiers, off-peak windows and sources."""
    from .views import pricing_history_view

    fmt = output_format(format)
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    emit(pricing_history_view(prices, prices.resolve(model), day, only_current=True), fmt, output)


@pricing_app.command("history")
@handle_errors
def pricing_history(
    model: ModelArgument,
    format: FormatOption = "table",
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
) -> None:
    """Every price period of one model, oldest first, with its source."""
    from .views import pricing_history_view

    fmt = output_format(format)
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    emit(pricing_history_view(prices, prices.resolve(model), day), fmt, output)


@pricing_app.command("validate")
@handle_errors
def pricing_validate(
    path: Annotated[str | None, typer.Argument(help="Catalog directory or exported file (default: bundled).")] = None,
) -> None:
    """Check a catalog: unknown keys, prices >= 0, date order, unique ids, ascending tiers, sources."""
    prices = open_catalog(path)
    periods = sum(len(m.periods) for m in prices.models)
    write_stdout(f"catalog {prices.version} ({prices.origin}): valid — {len(prices.models)} models, {periods} price "
                 "periods\n")


@pricing_app.command("export")
@handle_errors
def pricing_export(
    format: Annotated[str, typer.Option("--format", "-f", help="toml or json.")] = "toml",
    catalog: CatalogOption = None,
    output: OutputOption = None,
) -> None:
    """The whole catalog as one document, the form --catalog PATH accepts."""
    from .catalog import catalog_document

    prices = open_catalog(catalog)
    document = catalog_document(prices)
    if format == "toml":
        import tomli_w

        text = tomli_w.dumps(document)
    elif format == "json":
        from .render.json_format import json_text

        text = json_text(document, exact=True) + "\n"
    else:
        raise InputError(f"--format {format}: pricing export writes toml or json")
    write_report(text, output)




# Command modules that register on the same app.
from . import cli_checks, cli_route  # noqa: E402, F401
