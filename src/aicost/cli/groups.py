"""Option groups: the options many commands share, each group declared once and received as one typed value.

A group is a named tuple whose fields are options: `StreamOptions` (one stream instead of a workload file),
`AdjustmentOptions` (`--discount`, `--platform-fee`), `PricingOptions` (`--as-of`, `--catalog`, `--currency`) and
`ReportOptions` (`--format`, `--output`, `--quiet`, `--summary`).  A command takes a group as one keyword-only
parameter annotated with the group's class, and is decorated with `@command`:

    @command
    def cost(workload: WorkloadArgument = None, *, stream: StreamOptions, ..., out: ReportOptions) -> int:

The command line sees the group's fields as the command's own options — in `--help`, in shell completion, in the
fast path's table — because `signature` expands every group into its fields, and `command` packs the values of
those options back into the group before the function runs.  Both the typer application and the fast path call
the decorated function, so the packing happens in this one place.  A new field of a group is a new option of
every command that takes the group, and nothing else changes.

A field's annotation is its typer declaration.  This module imports no typer (the fast path imports it with the
commands): its annotations stay text (postponed evaluation) and only the typer application evaluates them, in
the namespace of `options.py` (`options.typer_callback`), so every name they use is one `options.py` defines.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple

from aicost.render import OutputFormat

if TYPE_CHECKING:
    import datetime as dt
    import inspect

    import typer

    from aicost.catalog import Catalog
    from aicost.render.view import View

    from .options import (
        ADJUSTMENTS_PANEL,
        STREAM_PANEL,
        AsOfOption,
        CatalogOption,
        CurrencyOption,
        FormatOption,
        OutputOption,
        QuietOption,
        SummaryOption,
        complete_cache_ttl,
        complete_host,
        complete_model,
        complete_region,
        complete_service_tier,
        complete_speed,
        stream_option,
    )


class StreamOptions(NamedTuple):
    """One stream on the command line instead of a workload file: the workload's stream keys as options, checked
    as a file's stream is.  A field's name is the workload key it gives (`model` excepted: it names the stream)."""

    model: Annotated[str | None, typer.Option(
        "--model", metavar="MODEL", autocompletion=complete_model, show_default=False, rich_help_panel=STREAM_PANEL,
        help="The stream's model; with a workload file, every stream re-priced on this model.")] = None
    requests_per_month: Annotated[str | None, stream_option("--requests-per-month", "Requests a month.")] = None
    requests_per_day: Annotated[str | None, stream_option("--requests-per-day", "Requests a day (x 730 / 24 a month).")] = None
    requests_per_hour: Annotated[str | None, stream_option("--requests-per-hour", "Requests an hour (x 730 a month).")] = None
    input_tokens: Annotated[str | None, stream_option(
        "--input-tokens", "Mean input tokens a request, cache reads and writes included.")] = None
    output_tokens: Annotated[str | None, stream_option("--output-tokens", "Mean output tokens a request.")] = None
    cached_input_share: Annotated[str | None, stream_option(
        "--cached-input-share", "Share of input tokens read from the prompt cache, 0.5 or 50%.")] = None
    cache_write_tokens: Annotated[str | None, stream_option(
        "--cache-write-tokens", "Of the input tokens, how many are written to the cache (for --cache-ttl).")] = None
    cache_write_1h_tokens: Annotated[str | None, stream_option(
        "--cache-write-1h-tokens", "Of the input tokens, how many are written to the cache for an hour.")] = None
    reasoning_tokens: Annotated[str | None, stream_option(
        "--reasoning-tokens", "Mean hidden reasoning tokens, billed as output.")] = None
    batch_share: Annotated[str | None, stream_option("--batch-share", "Share of requests sent through a batch API.")] = None
    service_tier: Annotated[str | None, stream_option(
        "--service-tier", "standard, flex or priority (where the model offers it); not with --batch-share.", "TIER",
        complete_service_tier)] = None
    speed: Annotated[str | None, stream_option(
        "--speed", "standard or fast (where the model offers a fast mode).", "SPEED", complete_speed)] = None
    cache_ttl: Annotated[str | None, stream_option(
        "--cache-ttl", "5m or 1h: the lifetime --cache-write-tokens are bought for (1h needs cache writes).",
        "TTL", complete_cache_ttl)] = None
    off_peak_share: Annotated[str | None, stream_option(
        "--off-peak-share", "Share of requests sent in the vendor's discounted time window, 0.5 or 50%.")] = None
    host: Annotated[str | None, stream_option(
        "--host", "Who sells the model: bedrock, vertex, azure, openrouter, ... (default: the vendor's own API).",
        "HOST", complete_host)] = None
    region: Annotated[str | None, stream_option(
        "--region", "A region with an uplift the catalog knows, e.g. us or eu (default: global).", "REGION",
        complete_region)] = None
    web_search_calls: Annotated[str | None, stream_option(
        "--web-search-calls", "Mean web searches a request, at the per-call fee.", "CALLS")] = None
    size: Annotated[list[str] | None, typer.Option(
        "--size", metavar="SHARE:INPUT:OUTPUT", show_default=False, rich_help_panel=STREAM_PANEL,
        help="A size band instead of --input-tokens/--output-tokens, e.g. 90%:20000:800 (repeatable; the shares sum "
        "to 1): each band is priced at its own long-context tier.")] = None

    def given(self) -> dict[str, str]:
        """The stream keys given on the command line, as the user wrote them (`model` and the bands of --size not
        included)."""
        return {key: value for key, value in self._asdict().items() if key not in ("model", "size") and value is not None}


class AdjustmentOptions(NamedTuple):
    """Negotiated terms on the command line, laid over the workload's [adjustments] entry by entry."""

    discount: Annotated[list[str] | None, typer.Option(
        "--discount", metavar="VENDOR|MODEL=SHARE", show_default=False, rich_help_panel=ADJUSTMENTS_PANEL,
        help="A negotiated discount, e.g. openai=15% or gpt-4o=0.2 (repeatable); replaces the file's for that vendor "
        "or model, and a model's own discount wins over its vendor's.")] = None
    platform_fee: Annotated[str | None, typer.Option(
        "--platform-fee", metavar="SHARE", show_default=False, rich_help_panel=ADJUSTMENTS_PANEL,
        help="A fee on everything paid after discounts, e.g. 5.5% (a gateway's credit fee); replaces the file's.")] = None


class PricingOptions(NamedTuple):
    """Which prices: the pricing date, the catalog and the report's currency."""

    as_of: AsOfOption = None
    catalog: CatalogOption = None
    currency: CurrencyOption = None

    def day(self) -> dt.date:
        """The pricing date: --as-of, else today."""
        from .inputs import pricing_date

        return pricing_date(self.as_of)

    def prices(self) -> Catalog:
        """The catalog of --catalog, else the active one."""
        from .inputs import open_catalog

        return open_catalog(self.catalog)


class ReportOptions(NamedTuple):
    """Where and how a report is written."""

    format: FormatOption = OutputFormat.table
    output: OutputOption = None
    quiet: QuietOption = False
    summary: SummaryOption = False

    def emit(self, view: View) -> None:
        """Write the report (see `output.emit`)."""
        from .output import emit

        emit(view, self.format, self.output, self.summary, self.quiet)


GROUPS: dict[str, type[Any]] = {group.__name__: group for group in (StreamOptions, AdjustmentOptions, PricingOptions,
                                                                     ReportOptions)}


def command(function: Callable[..., int]) -> Callable[..., int]:
    """A command whose group parameters are received as the options of their fields (see the module's text)."""
    code = function.__code__
    keyword_only = code.co_varnames[code.co_argcount:code.co_argcount + code.co_kwonlyargcount]
    groups = {name: annotation for name, annotation in function.__annotations__.items() if annotation in GROUPS}
    for name in groups:
        if name not in keyword_only:
            raise TypeError(f"{function.__qualname__}: the group parameter {name} must be keyword-only (after *)")

    @functools.wraps(function)
    def packed(**values: Any) -> int:
        for name, group_name in groups.items():
            group = GROUPS[group_name]
            fields = {field: values.pop(field) for field in group._fields if field in values}
            if name not in values:  # a caller in Python may give the group itself
                values[name] = group(**fields)
            elif fields:
                raise TypeError(f"{function.__qualname__}: give {name} or its fields {sorted(fields)}, not both")
        return function(**values)

    return packed


def signature(function: Callable[..., Any]) -> inspect.Signature:
    """The parameters the command line gives a `@command` function: each group parameter replaced by its fields,
    in order, keyword-only, with their defaults and their annotations as written (text)."""
    import inspect

    grouped = inspect.signature(inspect.unwrap(function))
    parameters: list[inspect.Parameter] = []
    for parameter in grouped.parameters.values():
        group = GROUPS.get(parameter.annotation) if isinstance(parameter.annotation, str) else None
        if group is None:
            parameters.append(parameter)
            continue
        for field in group._fields:
            annotation = group.__annotations__[field]
            parameters.append(inspect.Parameter(field, inspect.Parameter.KEYWORD_ONLY,
                                                default=group._field_defaults.get(field, inspect.Parameter.empty),
                                                annotation=getattr(annotation, "__forward_arg__", annotation)))
    return grouped.replace(parameters=parameters)
