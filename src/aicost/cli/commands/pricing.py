"""`aicost pricing list | show | history | validate | export`: look at, check and export the price catalog."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicost.catalog import DocumentFormat
from aicost.cli.inputs import open_catalog, pricing_date, split_names
from aicost.cli.output import emit, write_report, write_stdout
from aicost.errors import EXIT_OK, InputError, ParameterError, printable
from aicost.render import OutputFormat

if TYPE_CHECKING:
    from aicost.cli.options import (
        AsOfOption,
        CatalogOption,
        CatalogPathArgument,
        ClassOption,
        ExportFormatOption,
        FormatOption,
        ModelArgument,
        OutputOption,
        QuietOption,
        VendorOption,
    )


def pricing_list(
    vendor: VendorOption = None,
    size_class: ClassOption = None,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> int:
    """Every model with the prices in force on the pricing date (USD per million tokens)."""
    from aicost.calc import select_models
    from aicost.reports.pricing import pricing_list_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    chosen = select_models(prices, (), split_names(vendor), [c.value for c in size_class or ()])
    emit(pricing_list_view(prices, chosen, day), format, output, quiet=quiet)
    return EXIT_OK


def pricing_show(
    model: ModelArgument,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> int:
    """One model: the prices in force on the pricing date, tiers, off-peak windows and sources."""
    return _history(model, format, as_of, catalog, output, quiet, only_current=True)


def pricing_history(
    model: ModelArgument,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> int:
    """Every price period of one model, oldest first, with its source."""
    return _history(model, format, as_of, catalog, output, quiet, only_current=False)


def _history(model: str, format: OutputFormat, as_of: str | None, catalog: str | None, output: str | None, quiet: bool,
             only_current: bool) -> int:
    from aicost.reports.pricing import pricing_history_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    emit(pricing_history_view(prices, prices.resolve(model), day, only_current=only_current), format, output, quiet=quiet)
    return EXIT_OK


def pricing_validate(path: CatalogPathArgument = None, quiet: QuietOption = False) -> int:
    """Check a catalog: unknown keys, prices >= 0, date order, unique ids, ascending tiers, sources."""
    from aicost.catalog import load_bundled_catalog

    try:
        prices = load_bundled_catalog(from_sources=True) if path is None else open_catalog(path)
    except ParameterError as exc:  # the PATH argument, not --catalog
        raise InputError(exc.worded(printable(path or "bundled"))) from None
    periods = sum(len(m.periods) for m in prices.models)
    if not quiet:
        write_stdout(printable(f"catalog {prices.version} ({prices.origin}): valid — {len(prices.models)} models, "
                               f"{periods} price periods") + "\n")
    return EXIT_OK


def pricing_export(
    format: ExportFormatOption = DocumentFormat.toml,
    catalog: CatalogOption = None,
    output: OutputOption = None,
) -> int:
    """The whole catalog as one document, the form --catalog PATH accepts."""
    from aicost.catalog import catalog_document

    document = catalog_document(open_catalog(catalog))
    if format is DocumentFormat.json:
        from aicost.render.json_format import json_text

        text = json_text(document, exact=True) + "\n"
    else:
        import tomli_w

        text = tomli_w.dumps(document)
    write_report(text, output)
    return EXIT_OK
