"""Every option and argument of the command line, declared once as an `Annotated` type.

The command modules (`commands/`) annotate their parameters with these names, and the option groups
(`groups.py`: the stream, the adjustments, the pricing, the report) their fields, as text that only typer needs:
`typer_callback` evaluates those annotations in this module's namespace when `app.py` registers a command, so the
command modules never import typer and the fast path (`fast.py`) runs them without it.  Choices are enums, so
typer validates them, lists them in `--help` and completes them in the shell.
"""

from __future__ import annotations

import os
import typing
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

import typer

from aicost.catalog import Catalog, Currency, DocumentFormat, SizeClass
from aicost.catalog.importers import ImportKind
from aicost.render import OutputFormat
from aicost.routing import CurveName
from aicost.stream_terms import CACHE_TTLS, KNOWN_HOSTS, SERVICE_TIERS, SPEEDS, VENDOR_HOST
from aicost.usage import Grouping, LogFormat
from aicost.workload import MAX_TOKENS, RoutingMode

from .inputs import BUDGET_VARIABLE, WORKLOAD_FILE, open_catalog


def _catalog_for(ctx: typer.Context) -> Catalog | None:
    """The catalog a completion should read: --catalog as typed so far, $AICOST_CATALOG, else the active one."""
    from aicost.errors import AicostError

    spec = ctx.params.get("catalog") or os.environ.get("AICOST_CATALOG")
    try:
        return open_catalog(spec if isinstance(spec, str) else None)
    except AicostError:
        return None


def _complete_last(incomplete: str, names: list[str]) -> list[str]:
    """Complete the last item of a comma-separated list: `gpt-4o,clau` → `gpt-4o,claude-sonnet-4`, ..."""
    done, _, last = incomplete.rpartition(",")
    prefix = f"{done}," if done else ""
    return [prefix + name for name in names if name.startswith(last)]


def _model_names(ctx: typer.Context) -> list[str]:
    catalog = _catalog_for(ctx)
    return [] if catalog is None else [name for m in catalog.models for name in (m.id, *m.aliases)]


def complete_model(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for a model argument or option: catalog ids and aliases (of --catalog when typed)."""
    return [name for name in _model_names(ctx) if name.startswith(incomplete)]


def complete_models(ctx: typer.Context, incomplete: str) -> list[str]:
    """Model ids and aliases for an option that takes a comma-separated list (--models, --candidates)."""
    return _complete_last(incomplete, _model_names(ctx))


def complete_vendor(ctx: typer.Context, incomplete: str) -> list[str]:
    catalog = _catalog_for(ctx)
    return [] if catalog is None else _complete_last(incomplete, [vendor.id for vendor in catalog.vendors])


def complete_curve(incomplete: str) -> list[str]:
    return [curve.value for curve in CurveName if curve.value.startswith(incomplete)]


# ---------------------------------------------------------------------------------------------- shared

FormatOption = Annotated[
    OutputFormat,
    typer.Option("--format", "-f", envvar="AICOST_FORMAT", case_sensitive=False,
                 help="Output format (focus: FOCUS 1.2 billing rows, usage only)."),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", metavar="DATE", envvar="AICOST_AS_OF", help="Pricing date YYYY-MM-DD (default: today).", show_default=False),
]
CurrencyOption = Annotated[
    Currency | None,
    typer.Option(
        "--currency",
        envvar="AICOST_CURRENCY",
        case_sensitive=False,
        show_default=False,
        help="Report currency (default: the workload's, else USD), converted at the catalog's dated rate.",
    ),
]
CatalogOption = Annotated[
    str | None,
    typer.Option(
        "--catalog",
        metavar="PATH|VERSION",
        envvar="AICOST_CATALOG",
        show_default=False,
        help="Catalog directory, exported catalog file, or version (default: the bundled catalog).",
    ),
]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="No notes on stderr (warnings and errors still print).")]
OutputOption = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        show_default=False,
        help="Write the report to FILE instead of stdout: a file is replaced atomically (through a symlink), "
        "a device or FIFO is written directly.",
    ),
]
SummaryOption = Annotated[
    bool,
    typer.Option("--summary", help="Also append the markdown report to $GITHUB_STEP_SUMMARY (GitHub Actions), when set."),
]
MaxOption = Annotated[
    str | None,
    typer.Option(
        "--max",
        metavar="AMOUNT",
        show_default=False,
        help="Monthly budget, e.g. 5000, 5,000 or '$5000' (quoted: the shell expands $5): exit status 1 when the cost is over it.",
    ),
]
WorkloadArgument = Annotated[
    str | None,
    typer.Argument(
        show_default=False, help=f"Workload file (TOML or JSON), or - for stdin. Default: ./{WORKLOAD_FILE}, else the built-in example."
    ),
]
ModelArgument = Annotated[str, typer.Argument(help="Model id or alias.", autocompletion=complete_model)]
HistoryArgument = Annotated[
    str | None,
    typer.Argument(metavar="[MODEL|VENDOR]", show_default=False, autocompletion=complete_model,
                   help="Model id or alias; or a vendor (every model of it, as --vendor)."),
]
HistoryVendorOption = Annotated[
    str | None,
    typer.Option("--vendor", metavar="VENDOR", autocompletion=complete_vendor, show_default=False,
                 help="Every model of this vendor, model by model: openai, anthropic, alibaba, zhipu, deepseek, google."),
]

# One stream on the command line instead of a file: the workload keys as options, checked as a file's are.
STREAM_PANEL = "One stream instead of a workload file"


def stream_option(flag: str, help: str, metavar: str | None = None,
                  autocompletion: Callable[..., list[str]] | None = None) -> Any:
    """A stream key as an option (the fields of `groups.StreamOptions`): text, checked as a workload file's value."""
    if metavar is None:
        metavar = "SHARE" if flag.endswith("share") else "TOKENS" if flag.endswith("tokens") else "REQUESTS"
    return typer.Option(flag, metavar=metavar, show_default=False, rich_help_panel=STREAM_PANEL, help=help,
                        autocompletion=autocompletion)


def _complete_choices(choices: tuple[str, ...]) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        return [choice for choice in choices if choice.startswith(incomplete)]

    return complete


complete_service_tier = _complete_choices(SERVICE_TIERS)
complete_speed = _complete_choices(SPEEDS)
complete_cache_ttl = _complete_choices(CACHE_TTLS)


def complete_host(ctx: typer.Context, incomplete: str) -> list[str]:
    """Hosts: the well-known ones, then `vendor` and every vendor of the catalog (the vendor's own API)."""
    catalog = _catalog_for(ctx)
    vendors = [] if catalog is None else [vendor.id for vendor in catalog.vendors]
    return [name for name in (*KNOWN_HOSTS, VENDOR_HOST, *vendors) if name.startswith(incomplete)]


def complete_hosts(ctx: typer.Context, incomplete: str) -> list[str]:
    """`--hosts`: vendor, all, or a comma-separated list of vendor and the hosts (well-known and the catalog's)."""
    catalog = _catalog_for(ctx)
    hosts = [] if catalog is None else [o.host for m in catalog.models for o in m.hosts]
    names = list(dict.fromkeys((*KNOWN_HOSTS, *hosts)))
    if "," in incomplete:
        return _complete_last(incomplete, [VENDOR_HOST, *names])
    return [name for name in (VENDOR_HOST, "all", *names) if name.startswith(incomplete)]


def complete_region(ctx: typer.Context, incomplete: str) -> list[str]:
    """`--region`: `global` (the default: no uplift), then every region the catalog has an uplift for (on the
    vendor's API or a host), sorted."""
    catalog = _catalog_for(ctx)
    periods = [p for m in (catalog.models if catalog else ()) for p in (*m.periods, *(p for o in m.hosts for p in o.periods))]
    return [region for region in ["global", *sorted({u.region for p in periods for u in p.regions})]
            if region.startswith(incomplete)]


# Negotiated terms on the command line (`groups.AdjustmentOptions`): the workload's [adjustments], laid over the file's.
ADJUSTMENTS_PANEL = "Adjustments (over the workload's [adjustments])"
ModelsOption = Annotated[
    list[str] | None,
    typer.Option(
        "--models", "-m", metavar="MODEL,...", help="Only these models (ids or aliases, comma-separated).", autocompletion=complete_models
    ),
]
VendorOption = Annotated[
    list[str] | None,
    typer.Option(
        "--vendor",
        metavar="VENDOR,...",
        autocompletion=complete_vendor,
        help="Only these vendors (comma-separated or repeated): openai, anthropic, alibaba, zhipu, deepseek, google.",
    ),
]
ClassOption = Annotated[list[SizeClass] | None, typer.Option("--class", help="Only this size class (repeatable).")]
CurrentOption = Annotated[
    bool, typer.Option("--current", help="Only the newest model of each family the vendor sells on the pricing date.")
]
InitPathArgument = Annotated[str, typer.Argument(help="Where to write the example workload (- for stdout).")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]
CatalogPathArgument = Annotated[
    str | None, typer.Argument(help="Catalog directory or exported file (default: bundled).", show_default=False)
]
ExportFormatOption = Annotated[DocumentFormat, typer.Option("--format", "-f", case_sensitive=False, help="Document format.")]

# ---------------------------------------------------------------------------------------------- budget and diff

BudgetMaxOption = Annotated[
    str | None,
    typer.Option(
        "--max",
        metavar="AMOUNT",
        show_default=False,
        help=f"Monthly budget, e.g. 5000, 5,000 or '$5000' (default: ${BUDGET_VARIABLE}, else the workload's [budget] monthly).",
    ),
]
WarnAtOption = Annotated[
    str | None,
    typer.Option(
        "--warn-at", metavar="SHARE", show_default=False, help="Warn on stderr when the cost passes this share of the budget, e.g. 80%."
    ),
]
OldArgument = Annotated[str, typer.Argument(help="The workload before (a file, or - for stdin).")]
NewArgument = Annotated[str, typer.Argument(help="The workload after (a file, or - for stdin; - - reads stdin once for both).")]
MaxIncreaseOption = Annotated[
    str | None,
    typer.Option(
        "--max-increase",
        metavar="SHARE%|$AMOUNT",
        show_default=False,
        help="Exit 1 when the monthly cost rises by more than this: a share of the old cost (10%) or an amount ($500).",
    ),
]
AsOfOldOption = Annotated[
    str | None, typer.Option("--as-of-old", metavar="DATE", help="Pricing date of OLD (default: --as-of).", show_default=False)
]
AsOfNewOption = Annotated[
    str | None, typer.Option("--as-of-new", metavar="DATE", help="Pricing date of NEW (default: --as-of).", show_default=False)
]
CatalogOldOption = Annotated[
    str | None, typer.Option("--catalog-old", metavar="PATH|VERSION", help="Catalog of OLD (default: --catalog).", show_default=False)
]
CatalogNewOption = Annotated[
    str | None, typer.Option("--catalog-new", metavar="PATH|VERSION", help="Catalog of NEW (default: --catalog).", show_default=False)
]

# ---------------------------------------------------------------------------------------------- route

SmallOption = Annotated[
    str | None,
    typer.Option("--small", metavar="MODEL", autocompletion=complete_model, show_default=False,
                 help="The small (cheap) model (default: [routing] small, else the cheapest small model of the frontier "
                 "model's vendor that takes the requests, said on stderr)."),
]
AnyVendorOption = Annotated[
    bool,
    typer.Option("--any-vendor", help="Without --small: propose the cheapest small model of every vendor (default: of the "
                 "frontier model's vendor)."),
]
FrontierOption = Annotated[
    str | None,
    typer.Option(
        "--frontier",
        metavar="MODEL",
        help="The frontier model; also the all-frontier baseline (default: each stream's model).",
        autocompletion=complete_model,
        show_default=False,
    ),
]
ShareOption = Annotated[
    str | None,
    typer.Option("--share", metavar="SHARE", help="Router: the small model's share of requests, 0.9 or 90%.", show_default=False),
]
ModeOption = Annotated[
    RoutingMode | None,
    typer.Option(
        "--mode",
        case_sensitive=False,
        show_default=False,
        help="router (each request to one model) or cascade (small first, then escalate).",
    ),
]
EscalationOption = Annotated[
    str | None,
    typer.Option(
        "--escalation", metavar="SHARE", help="Cascade: the share of requests also sent to the frontier model.", show_default=False
    ),
]
RouterCostOption = Annotated[
    str | None, typer.Option("--router-cost", metavar="AMOUNT", help="Router cost per 1,000 requests.",
                 show_default=False)
]
ClassifierOption = Annotated[
    str | None,
    typer.Option(
        "--classifier",
        metavar="MODEL",
        help="A router that calls this model per request (priced from the catalog).",
        autocompletion=complete_model,
        show_default=False,
    ),
]


def _overhead_tokens(flag: str, help: str) -> Any:
    """Tokens a router's classifier or a cascade's verifier reads or writes per request."""
    return typer.Option(flag, metavar="TOKENS", min=0, max=MAX_TOKENS, show_default=False, help=help)


ClassifierInputOption = Annotated[int | None, _overhead_tokens(
    "--classifier-input-tokens", "Tokens the classifier reads per request (default: the request's input tokens).")]
ClassifierOutputOption = Annotated[int | None, _overhead_tokens(
    "--classifier-output-tokens", "Tokens the classifier writes per request (default: 1).")]
VerifierCostOption = Annotated[
    str | None,
    typer.Option("--verifier-cost", metavar="AMOUNT", help="Cascade: verifier cost per 1,000 requests.",
                 show_default=False),
]
VerifierOption = Annotated[
    str | None,
    typer.Option(
        "--verifier",
        metavar="MODEL",
        help="Cascade: a verifier that calls this model per request.",
        autocompletion=complete_model,
        show_default=False,
    ),
]
VerifierInputOption = Annotated[int | None, _overhead_tokens(
    "--verifier-input-tokens", "Tokens the verifier reads (default: the request's input plus the small model's output tokens).")]
VerifierOutputOption = Annotated[int | None, _overhead_tokens(
    "--verifier-output-tokens", "Tokens the verifier writes (default: 1).")]
SweepOption = Annotated[bool, typer.Option("--sweep", help="Cost and saving across small shares 0 % to 100 %.")]
StepOption = Annotated[str, typer.Option("--step", metavar="SHARE", help="The sweep's step, 0.1 or 10%.")]
TargetSavingOption = Annotated[
    str | None,
    typer.Option(
        "--target-saving",
        metavar="SHARE",
        show_default=False,
        help="The share (router) or escalation (cascade) that saves this much, e.g. 0.8.",
    ),
]
CandidatesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--candidates",
        "-m",
        metavar="MODEL,...",
        help="Only these models (ids or aliases, comma-separated); default: the catalog.",
        autocompletion=complete_models,
        show_default=False,
    ),
]
PlanShareOption = Annotated[
    str | None,
    typer.Option(
        "--share",
        metavar="SHARE",
        show_default=False,
        help="The small share of every plan without --quality-floor (default: [routing] small_share, else 0.9).",
    ),
]
QualityFloorOption = Annotated[
    str | None,
    typer.Option(
        "--quality-floor",
        metavar="SCORE",
        help="Minimum expected quality 0..1 (scores from the workload's [quality] table).",
        show_default=False,
    ),
]
CurveOption = Annotated[
    str,
    typer.Option(
        "--curve",
        metavar="CURVE|POINTS",
        autocompletion=complete_curve,
        help="Router quality curve: "
        + ", ".join(c.value for c in CurveName)
        + " (RouteLLM's best case: its matrix-factorisation router on MT Bench), or points "
        "'frontier_share:gap_fraction,...' such as 0.1:0.4,0.3:0.75.",
    ),
]
EvalPromptsOption = Annotated[
    int | None,
    typer.Option("--eval-prompts", metavar="N", min=1, show_default=False,
                 help="Prompts in the evaluation behind the split: its cost, payback and the saving's 95 % interval."),
]
JudgeOption = Annotated[
    str | None,
    typer.Option("--judge", metavar="MODEL", autocompletion=complete_model, show_default=False,
                 help="The evaluation's judge model: reads each prompt and both answers, writes one token."),
]
JudgeCostOption = Annotated[
    str | None,
    typer.Option("--judge-cost", metavar="AMOUNT", show_default=False,
                 help="The evaluation's judging cost per 1,000 prompts (instead of --judge)."),
]
MonthsOption = Annotated[int, typer.Option("--months", metavar="N", min=1, max=120, help="Months to forecast.")]
GrowthOption = Annotated[
    str | None, typer.Option("--growth", metavar="RATE", show_default=False,
                             help="Monthly volume growth, compounding: 5% (replaces the streams' own growth).")]
PriceChangeOption = Annotated[
    str | None, typer.Option("--price-change", metavar="CHANGE", show_default=False,
                             help="A price shock on every month from --price-change-from: +30% or 0.3 a rise, -20% or "
                                  "-0.2 a fall (above -100%).")]
PriceChangeFromOption = Annotated[
    str | None, typer.Option("--price-change-from", metavar="YYYY-MM", show_default=False,
                             help="The month the price shock starts (default: month 1).")]
PriceTrendOption = Annotated[
    str | None, typer.Option("--price-trend", metavar="RATE", show_default=False,
                             help="A yearly price trend, applied monthly: -50% halves prices in a year.")]
ElasticityOption = Annotated[
    str | None, typer.Option("--elasticity", metavar="E", show_default=False,
                             help="Demand elasticity: volume x price^E, e.g. -0.29 (+10% price: -2.7% volume).")]
ScenariosOption = Annotated[
    bool, typer.Option("--scenarios", help="Side by side: prices as today, +30 %, +50 %, and the current models' "
                                           "prices falling 50x a year (a fall that comes from moving to newer models, "
                                           "not from today's models getting cheaper).")]
SeatsOption = Annotated[int | None, typer.Option("--seats", metavar="N", min=1, max=100_000_000, show_default=False,
                                                 help="Seats the subscription would need (default 1; not with --users).")]
SeatPriceOption = Annotated[
    str | None, typer.Option("--seat-price", metavar="AMOUNT", show_default=False,
                             help="A seat's monthly price (default: USD 20, as ChatGPT Plus and Claude Pro).")]
GpuHourlyOption = Annotated[str, typer.Option("--gpu-hourly", metavar="AMOUNT", help="One GPU's price per hour.")]
TokensPerSecondOption = Annotated[
    str | None, typer.Option("--tokens-per-second", metavar="T", show_default=False,
                             help="Tokens one GPU serves a second, prefill and decode alike (a shorthand for both "
                                  "options below).")]
PrefillTokensPerSecondOption = Annotated[
    str | None, typer.Option("--prefill-tokens-per-second", metavar="T", show_default=False,
                             help="Input (prompt) tokens one GPU prefills a second (replaces --tokens-per-second).")]
DecodeTokensPerSecondOption = Annotated[
    str | None, typer.Option("--decode-tokens-per-second", metavar="T", show_default=False,
                             help="Output (and reasoning) tokens one GPU decodes a second, across its batch "
                                  "(replaces --tokens-per-second).")]
UsersOption = Annotated[
    str | None, typer.Option("--users", metavar="NAME:USERS:REQUESTS,...", show_default=False,
                             help="The seat holders by group: light:40:200,heavy:10:3000 (requests a month per user, "
                                  "or 100/day); the best mix of seats and API is reported. Replaces the workload's "
                                  "[[seat_holders]].")]
UtilizationOption = Annotated[
    str, typer.Option("--utilization", metavar="SHARE", help="Share of the hours the GPUs are busy: 60% or 0.6.")]
GpusOption = Annotated[
    int | None, typer.Option("--gpus", metavar="N", min=1, max=1_000_000, show_default=False,
                             help="GPUs to price (default: as many as this workload needs); the break-even counts from this many "
                                  "up.")]
LocalQualityOption = Annotated[
    str | None, typer.Option("--quality", metavar="SHARE", show_default=False,
                             help="The local model's quality against the API model's: 80% (a note; costs only).")]
LogsArgument = Annotated[
    list[str] | None,
    typer.Argument(show_default=False, help="Log files, directories or globs (- for stdin; .gz and .zst are read "
                   "as they are). Default: Claude Code's logs ($CLAUDE_CONFIG_DIR, else ~/.config/claude and ~/.claude)."),
]
LogFormatOption = Annotated[
    LogFormat, typer.Option("--log-format", case_sensitive=False, help="How to read the logs (auto: per file).")
]
GroupByOption = Annotated[Grouping, typer.Option(
    "--by", case_sensitive=False, help="One row per model, day, month or agent (the coding agent or API whose log it is).")]
SinceOption = Annotated[
    str | None, typer.Option("--since", metavar="DATE", show_default=False, help="Only records from this UTC day on.")
]
UntilOption = Annotated[
    str | None, typer.Option("--until", metavar="DATE", show_default=False, help="Only records up to this UTC day.")
]
WriteWorkloadOption = Annotated[
    str | None,
    typer.Option("--write-workload", metavar="FILE", show_default=False,
                 help="Also write a workload (one stream per model, service tier, batch and cache lifetime) that reproduces "
                 "the observed monthly run rate."),
]
NoCacheOption = Annotated[
    bool, typer.Option("--no-cache", help="Read every log whole, neither using nor updating the usage cache.")
]
TopOption = Annotated[int, typer.Option("--top", metavar="N", min=0, help="Show the N cheapest plans (0: all).")]
CompareTopOption = Annotated[
    int | None,
    typer.Option("--top", metavar="N", min=0, show_default=False,
                 help="Show the N cheapest models (0: all). Default: all, in every format."),
]
AllOption = Annotated[bool, typer.Option("--all", help="Show every model (the default; as --top 0).")]
HostsOption = Annotated[
    str,
    typer.Option("--hosts", metavar="vendor|all|HOST,...", autocompletion=complete_hosts,
                 help="Rank each model at these hosts: vendor (its vendor's own API), all (every host that sells it), "
                      "or a list of vendor, bedrock, vertex, azure, openrouter."),
]


def typer_callback(function: Callable[..., int]) -> Callable[..., int]:
    """`function` (a `groups.command`) as typer reads it: every option group expanded into its options
    (`groups.signature`), each annotation evaluated in this module's namespace, where the option declarations are
    (and in the function's own module: a name it defines itself wins, as it would for typer)."""
    import functools
    import inspect

    from .groups import signature

    flat = signature(function)
    namespace = {**globals(), **getattr(inspect.unwrap(function), "__globals__", {})}
    resolved = flat.replace(
        parameters=[p.replace(annotation=eval(p.annotation, namespace) if isinstance(p.annotation, str) else p.annotation)
                    for p in flat.parameters.values()],
        return_annotation=int,
    )

    @functools.wraps(function)
    def run(**values: Any) -> int:
        from .errors import note_environment
        from .typer_internals import environment_sources

        note_environment(environment_sources())
        return function(**values)

    run.__signature__ = resolved  # type: ignore[attr-defined]
    run.__annotations__ = {p.name: p.annotation for p in resolved.parameters.values()} | {"return": int}
    return run


def enum_types(function: Callable[..., Any]) -> dict[str, str]:
    """The parameters of a command whose values are enum members: {name: "module:Enum"} (for the fast path)."""
    found: dict[str, str] = {}
    for name, hint in typer_callback(function).__annotations__.items():
        pending = [hint]
        while pending:
            current = pending.pop()
            if isinstance(current, type) and issubclass(current, Enum):
                found[name] = f"{current.__module__}:{current.__qualname__}"
            else:
                pending.extend(typing.get_args(current))
    return found


# ---------------------------------------------------------------------------------------------- catalog versions

VersionArgument = Annotated[str, typer.Argument(help="A catalog version, e.g. 2026.12.0, or bundled.", show_default=False)]
PriceSideArgument = Annotated[
    str, typer.Argument(help="A catalog (version or path) or a pricing date YYYY-MM-DD (on the active catalog).")
]
FailOnChangeOption = Annotated[bool, typer.Option("--fail-on-change", help="Exit 1 when any price differs (for CI).")]
UrlOption = Annotated[
    str | None,
    typer.Option("--url", metavar="URL", show_default=False, help="Where to download the catalog document (default: this "
                 "project's published export)."),
]
FileOption = Annotated[
    str | None, typer.Option("--file", metavar="PATH", show_default=False, help="Install a catalog document from a file.")
]
AllowDowngradeOption = Annotated[
    bool, typer.Option("--allow-downgrade", help="Install a version older than the active one.")
]
TimeoutOption = Annotated[str, typer.Option("--timeout", metavar="SECONDS", help="Give up on the network after this long.")]

ImportKindArgument = Annotated[ImportKind, typer.Argument(help="The file's format.", case_sensitive=False)]
ImportSourceArgument = Annotated[str, typer.Argument(metavar="FILE|URL", help="The price file: a path or an http(s) URL.")]
AgainstOption = Annotated[
    str, typer.Option("--against", metavar="FILE|URL",
                      help="A LiteLLM, llm-prices, genai-prices or models.dev file: a path or an http(s) URL."),
]
ExplainedOption = Annotated[
    str | None,
    typer.Option("--explained", metavar="FILE", show_default=False,
                 help="Reviewed differences (default: pricing/explained.toml of the bundled catalog)."),
]
RefreshSourceOption = Annotated[
    list[str] | None,
    typer.Option("--source", metavar="DATASET", show_default=False,
                 help="litellm, genai-prices or models.dev; repeat it or give a comma list (default: all three)."),
]
RefreshUrlOption = Annotated[
    list[str] | None,
    typer.Option("--url", metavar="DATASET=URL", show_default=False,
                 help="Read a dataset from this URL (a mirror) or file instead of its public URL, one per dataset; "
                 "without --source, only the datasets given here are read (a bare URL is recognised by its shape)."),
]
ApplyOption = Annotated[
    bool, typer.Option("--apply", help="Install what the report shows as a new local catalog version and make it active.")
]
