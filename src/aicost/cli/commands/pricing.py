"""`aicost pricing list | show | history | validate | export | versions | use | update | refresh | diff | import |
check`: look at, check, export, install, refresh and compare the price catalog."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from aicost.catalog import DocumentFormat
from aicost.cli.groups import PricingOptions, ReportOptions, command
from aicost.cli.inputs import catalogs_dir, open_catalog, pricing_date, split_names
from aicost.cli.output import say, write_report, write_stdout
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK, InputError, ParameterError, RemoteError, printable, shown

if TYPE_CHECKING:
    from collections import Counter

    from aicost.catalog import Catalog
    from aicost.catalog.datasets import Dataset, Fetched
    from aicost.catalog.refresh import Refresh
    from aicost.cli.options import (
        AgainstOption,
        AllowDowngradeOption,
        ApplyOption,
        AsOfOption,
        CatalogOption,
        CatalogPathArgument,
        ClassOption,
        CurrentOption,
        ExplainedOption,
        ExportFormatOption,
        FailOnChangeOption,
        FileOption,
        HistoryArgument,
        HistoryVendorOption,
        ImportKindArgument,
        ImportSourceArgument,
        ModelArgument,
        OutputOption,
        PriceSideArgument,
        QuietOption,
        RefreshSourceOption,
        RefreshUrlOption,
        TimeoutOption,
        UrlOption,
        VendorOption,
        VersionArgument,
    )


@command
def pricing_list(
    *,
    vendor: VendorOption = None,
    size_class: ClassOption = None,
    current: CurrentOption = False,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Every model with the prices in force on the pricing date, per million tokens (USD unless --currency); the
    newest of each family is marked, and --current lists only those."""
    from aicost.calc import select_models
    from aicost.currency import priced_in
    from aicost.reports.pricing import pricing_list_view

    day = pricing.day()
    prices = priced_in(pricing.prices(), pricing.currency or "USD")
    chosen = select_models(prices, (), split_names(vendor), [c.value for c in size_class or ()])
    out.emit(pricing_list_view(prices, chosen, day, current_only=current))
    return EXIT_OK


@command
def pricing_show(model: ModelArgument, *, pricing: PricingOptions, out: ReportOptions) -> int:
    """One model: the prices in force on the pricing date, tiers, off-peak windows and sources."""
    return _history(model, pricing, out, only_current=True)


@command
def pricing_history(
    model: HistoryArgument = None,
    *,
    vendor: HistoryVendorOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Every price period of one model, oldest first, with its source; of every model of a vendor with --vendor V
    (or `pricing history V`)."""
    if model is not None and vendor is not None:
        raise InputError("pricing history: give a MODEL or --vendor VENDOR, not both")
    if model is None and vendor is None:
        raise InputError("pricing history: give a MODEL (`aicost pricing list` shows them) or --vendor VENDOR")
    if vendor is None:
        assert model is not None
        prices = pricing.prices()
        if model.lower() not in {v.id for v in prices.vendors}:
            return _history(model, pricing, out, only_current=False)
        vendor = model
    return _vendor_history(vendor, pricing, out)


def _vendor_history(vendor: str, pricing: PricingOptions, out: ReportOptions) -> int:
    from aicost.calc import select_models
    from aicost.currency import priced_in
    from aicost.reports.pricing import vendor_history_view

    day = pricing.day()
    prices = pricing.prices()
    chosen = vendor.strip().lower()
    models = select_models(prices, (), [chosen])  # an unknown vendor is named here, with the known ones
    # as the vendor publishes them when all its models share a currency, else (or with --currency) converted
    natives = {model.periods[0].currency for model in models}
    target = pricing.currency or (natives.pop() if len(natives) == 1 else "USD")
    out.emit(vendor_history_view(priced_in(prices, target), chosen, day))
    return EXIT_OK


def _history(model: str, pricing: PricingOptions, out: ReportOptions, only_current: bool) -> int:
    from aicost.currency import priced_in
    from aicost.reports.pricing import pricing_history_view

    day = pricing.day()
    prices = pricing.prices()
    if pricing.currency is not None:
        prices = priced_in(prices, pricing.currency)
    out.emit(pricing_history_view(prices, prices.resolve(model, day), day, only_current=only_current))
    return EXIT_OK


@command
def pricing_validate(path: CatalogPathArgument = None, quiet: QuietOption = False) -> int:
    """Check a catalog: unknown keys, prices >= 0, date order, unique ids, ascending tiers, sources."""
    from aicost.catalog import load_bundled_catalog

    try:
        prices = load_bundled_catalog(from_sources=True) if path is None else open_catalog(path)
    except ParameterError as exc:  # the PATH argument, not --catalog
        raise InputError(f"{shown(path or 'bundled')}: {exc.problem}") from None
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


@command
def pricing_versions(*, out: ReportOptions) -> int:
    """The bundled catalog and every installed one, newest first; the active one marked."""
    from aicost.catalog.store import versions
    from aicost.reports.pricing import versions_view

    out.emit(versions_view(versions(catalogs_dir())))
    return EXIT_OK


def pricing_use(version: VersionArgument, quiet: QuietOption = False) -> int:
    """Make an installed catalog version (or bundled) the one commands use; roll back after an update."""
    from aicost.catalog.store import use

    catalog = use(catalogs_dir(), version)
    if not quiet:
        say(f"aicost: commands now use catalog {catalog.version} ({catalog.origin})")
    return EXIT_OK


def pricing_update(
    url: UrlOption = None,
    file: FileOption = None,
    allow_downgrade: AllowDowngradeOption = False,
    timeout: TimeoutOption = "30",
    quiet: QuietOption = False,
) -> int:
    """Download (or read) a catalog document, validate it whole, install it and make it active; exit 3 and nothing
    changed on any failure. Nothing is ever downloaded without this command; AICOST_OFFLINE=1 refuses it."""
    from aicost.catalog.store import (
        CHECKSUM_SUFFIX,
        DEFAULT_URL,
        catalog_from_bytes,
        fetch,
        fetch_checksum,
        install,
        safe_url,
        verify_checksum,
    )
    from aicost.cli.output import terminal_progress
    if url is not None and file is not None:
        raise InputError("--url and --file: give one of them")
    if url is not None and not url.strip():
        raise InputError("--url '': give the catalog's URL, or leave --url out for this project's published catalog")
    seconds = _seconds(timeout)
    unverified = False  # a download with no checksum published beside it (HTTP 404 for URL.sha256)
    try:
        if file is not None:
            from aicost.documents import read_text

            try:
                label, text = read_text(file, "catalog")
            except InputError as exc:
                raise RemoteError(exc.message) from None
            data, source = text.encode("utf-8"), label
        else:
            source = url or DEFAULT_URL
            data = fetch(source, timeout=seconds, progress=terminal_progress(quiet))
            expected = fetch_checksum(source, timeout=seconds)
            if expected is None:
                unverified = True
            else:
                verify_checksum(data, expected, safe_url(source))
        catalog, added = install(catalogs_dir(), catalog_from_bytes(data, safe_url(source)), allow_downgrade)
    except RemoteError as exc:
        raise RemoteError(f"{exc.template} (nothing changed)", mentions=exc.mentions, fix=exc.fix) from None
    if not quiet:
        if unverified:
            say(f"aicost: note: no checksum published at {safe_url(source + CHECKSUM_SUFFIX)} (HTTP 404); the catalog "
                "was validated but not checked against a checksum")
        if added:
            say(f"aicost: installed catalog {catalog.version} ({len(catalog.models)} models) from {safe_url(source)}; "
                "it is now active — `aicost pricing use VERSION` rolls back")
        else:
            say(f"aicost: catalog {catalog.version} is already installed; it is now active")
    return EXIT_OK


@command
def pricing_diff(
    old: PriceSideArgument,
    new: PriceSideArgument,
    *,
    as_of: AsOfOption = None,
    fail_on_change: FailOnChangeOption = False,
    out: ReportOptions,
) -> int:
    """Every price added, removed or moved between two catalogs (versions or files) or two pricing dates."""
    import re

    from aicost.checks import price_changes
    from aicost.fields import ISO_DATE
    from aicost.quantities import EARLIEST_PRICING_DATE, EARLY_PRICING_DATE, parse_iso_date
    from aicost.reports.pricing import price_diff_view

    day = pricing_date(as_of)

    def side(spec: str, name: str) -> tuple[Catalog, str, dt.date]:
        if re.fullmatch(ISO_DATE, spec):
            catalog = open_catalog(None)
            try:
                on = parse_iso_date(spec, name)
            except ParameterError:
                raise InputError(f"{name.upper()} {spec}: not a date — use YYYY-MM-DD") from None
            if on < EARLIEST_PRICING_DATE:
                raise InputError(f"{name.upper()} {spec}: {EARLY_PRICING_DATE}")
            return catalog, f"catalog {catalog.version} on {spec}", on
        try:
            catalog = open_catalog(spec)
        except ParameterError as exc:
            if "no such file" not in exc.problem:  # it is there, but cannot be used: say why
                raise InputError(f"{name.upper()} {shown(spec)}: {exc.problem}") from None
            raise InputError(f"{shown(spec)}: not a catalog version, a catalog path or a date YYYY-MM-DD — give "
                             f"one as {name.upper()}") from None
        return catalog, f"catalog {catalog.version} ({catalog.origin}) on {day}", day

    old_catalog, old_label, old_day = side(old, "old")
    new_catalog, new_label, new_day = side(new, "new")
    changes = price_changes(old_catalog, old_day, new_catalog, new_day)
    out.emit(price_diff_view(changes, old_label, new_label, day))
    if changes and fail_on_change:
        say(f"aicost: {len(changes)} price(s) differ (--fail-on-change)")
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _none_compared(skipped: Counter[str]) -> str:
    """Why none of a reference's models could be compared, each reason counted (the most frequent first); "not in
    the catalog" only when that is what every skipped model is (a model it has, with an unreadable date, is not)."""
    total = sum(skipped.values())
    reasons = "; ".join(f"{count:,} {reason}" for reason, count in skipped.most_common())
    if all("not in the catalog" in reason or "does not cover" in reason for reason in skipped):
        return f"none of its {total:,} model(s) is in the catalog, so nothing can be compared ({reasons})"
    return f"none of its {total:,} model(s) could be compared: {reasons}"


def _reference_bytes(source: str, timeout: float = 30.0) -> bytes:
    """A price file from a path or an http(s) URL (the network only when a URL is given)."""
    from aicost.catalog.store import fetch
    from aicost.cli.output import terminal_progress
    from aicost.documents import read_text

    if source.startswith(("http://", "https://")):
        return fetch(source, timeout=timeout, progress=terminal_progress(), adjustable=False)  # no --timeout here
    return read_text(source, "price")[1].encode("utf-8")


def pricing_import(
    kind: ImportKindArgument,
    source: ImportSourceArgument,
    output: OutputOption = None,
    quiet: QuietOption = False,
) -> int:
    """Convert LiteLLM's price file or an llm-prices file into a catalog document that --catalog PATH accepts,
    and say what could not be mapped and why."""
    from aicost.catalog import catalog_from_document, load_bundled_catalog
    from aicost.catalog.importers import ImportKind, import_litellm, import_llm_prices, read_json
    from aicost.render.json_format import json_text

    day = dt.date.today()
    data = read_json(_reference_bytes(source), printable(source))
    imported = import_litellm(data, day) if kind is ImportKind.litellm else import_llm_prices(data, day, load_bundled_catalog())
    reasons = ", ".join(f"{count:,} {reason}" for reason, count in imported.skipped.most_common())
    if not imported.imported:
        raise InputError(f"{printable(source)}: no model could be imported ({reasons or 'the file lists none'}) — is it "
                         f"a {kind.value} price file?")
    catalog_from_document(imported.document, "the imported catalog")  # validated before it is written
    if output is not None and output.endswith(".json"):
        text = json_text(imported.document, exact=True) + "\n"
    else:
        import tomli_w

        text = tomli_w.dumps(imported.document)
    write_report(text, output)
    if not quiet:
        say(f"aicost: imported {imported.imported:,} models" + (f"; skipped {sum(imported.skipped.values()):,}: {reasons}"
                                                                 if imported.skipped else ""))
    return EXIT_OK


@command
def pricing_check(
    against: AgainstOption,
    *,
    explained: ExplainedOption = None,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    out: ReportOptions,
) -> int:
    """Compare the catalog with a LiteLLM, llm-prices, genai-prices or models.dev file: prices in force, long-context
    tiers and retirement dates that differ; exit 1 when one is not explained in the reviewed list
    (pricing/explained.toml)."""
    import os

    from aicost.catalog import bundled_catalog_dir
    from aicost.catalog.importers import read_json
    from aicost.catalog.reference_check import check, read_explained, read_reference
    from aicost.documents import read_document
    from aicost.reports.pricing import check_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    try:
        name, quotes, skipped = read_reference(read_json(_reference_bytes(against), printable(against)), day, prices)
    except InputError as exc:
        raise InputError(f"--against {printable(against)}: {exc.message}") from None
    if not quotes and not skipped:
        raise InputError(f"--against {printable(against)}: it lists no model — give LiteLLM's price file, an llm-prices "
                         "vendor file, genai-prices' data.json or models.dev's api.json")
    if not quotes and not out.quiet:  # models of other vendors, or none the catalog has: nothing to compare, not a failure
        say(f"aicost: --against {printable(against)}: {_none_compared(skipped)}")
    path = explained or os.path.join(bundled_catalog_dir(), "explained.toml")
    reviewed = {}
    if explained is not None or os.path.isfile(path):
        label, document = read_document(path, "explained")
        reviewed = read_explained(document, label)
    found = check(prices, name, quotes, skipped, day, reviewed)
    out.emit(check_view(found, prices.version, printable(against), day))
    if found.unexplained:
        say(f"aicost: {found.unexplained} difference(s) with {name} are not explained in {printable(path)}")
        return EXIT_CHECK_FAILED
    return EXIT_OK


def _seconds(timeout: str) -> float:
    """--timeout as seconds, above 0 and at most an hour."""
    try:
        seconds = float(timeout)
    except ValueError:
        raise InputError(f"--timeout {shown(timeout)}: not a number of seconds — write e.g. 30") from None
    if not 0 < seconds <= 3600:
        raise InputError(f"--timeout {shown(timeout)}: must be above 0 and at most 3600 seconds")
    return seconds


@command
def pricing_refresh(
    *,
    source: RefreshSourceOption = None,
    url: RefreshUrlOption = None,
    apply: ApplyOption = False,
    timeout: TimeoutOption = "30",
    out: ReportOptions,
) -> int:
    """Read the public price datasets (LiteLLM, genai-prices, models.dev) and show what they would change in the
    active catalog: new models (unreviewed), moved prices, retirements, and where they disagree; --apply installs
    exactly that as a new local catalog version. Exit 3 and nothing changed on any network or data failure."""
    from aicost.catalog.datasets import Dataset
    from aicost.catalog.refresh import compare
    from aicost.reports.refresh import refresh_view

    reads = _refresh_reads(_refresh_sources(source), url)
    seconds = _seconds(timeout)
    catalog = open_catalog(None)
    day = dt.date.today()
    applied: str | None = None
    try:
        sources, urls, copies = _read_datasets(reads, seconds, out.quiet, day, catalog)
        sources.sort(key=lambda fetched: list(Dataset).index(fetched.dataset))
        refresh = compare(catalog, day, tuple(sources))
        if apply and not refresh.empty:
            applied = _install_refresh(catalog, refresh, day, urls, copies)
    except RemoteError as exc:
        raise RemoteError(f"{exc.template} (nothing changed)", mentions=exc.mentions, fix=exc.fix) from None
    out.emit(refresh_view(refresh, applied))
    if applied is not None and not out.quiet:
        read = ", ".join(fetched.dataset.value for fetched in refresh.sources)
        say(f"aicost: installed catalog {applied} from {read}; it is now active — `aicost pricing use {catalog.version}` "
            "rolls back")
    return EXIT_OK


def _refresh_sources(source: list[str] | None) -> list[Dataset] | None:
    """The datasets --source names (None: not given)."""
    from aicost.catalog.datasets import Dataset

    if not source:
        return None
    names = {d.value: d for d in Dataset}
    chosen: list[Dataset] = []
    for name in split_names(source):
        if name.lower() not in names:
            raise InputError(f"--source {shown(name)}: not a dataset — use litellm, genai-prices or models.dev")
        if names[name.lower()] not in chosen:
            chosen.append(names[name.lower()])
    return chosen


def _url_pair(value: str, chosen: list[Dataset] | None, pairs: list[tuple[Dataset | None, str]]) -> tuple[Dataset | None, str]:
    """One --url value as (dataset, address); dataset None: recognised later by the file's shape."""
    from aicost.catalog.datasets import Dataset

    names = {d.value: d for d in Dataset}
    prefix, equals, rest = value.partition("=")
    named: Dataset | None
    if equals and prefix.lower() in names:
        named, address = names[prefix.lower()], rest
    elif chosen is not None and len(chosen) == 1:
        named, address = chosen[0], value
    elif chosen is None:
        named, address = None, value
    else:
        raise InputError(f"--url {shown(value)}: say which dataset it is for — write DATASET=URL, e.g. "
                         "litellm=https://mirror.example/prices.json")
    if named is not None and chosen is not None and named not in chosen:
        raise InputError(f"--url {shown(value)}: {named.value} is not among the datasets read (--source)")
    if named is not None and any(named == other for other, _ in pairs):
        raise InputError(f"--url {shown(value)}: a second URL for {named.value} — give one per dataset")
    if not address.strip():
        raise InputError(f"--url {shown(value)}: no URL after '=' — give the dataset's http(s) URL or a file")
    return named, address


def _refresh_reads(chosen: list[Dataset] | None, url: list[str] | None) -> list[tuple[Dataset | None, str]]:
    """What to read: each chosen dataset at its --url (or its public URL), then the --url's to recognise."""
    from aicost.catalog.datasets import DEFAULT_URLS, Dataset

    pairs: list[tuple[Dataset | None, str]] = []
    for value in url or []:
        pairs.append(_url_pair(value, chosen, pairs))
    given = {named: address for named, address in pairs if named is not None}
    if chosen is None:  # the datasets --url names (and recognises), or all three public ones
        chosen = list(given) if pairs else list(Dataset)
    reads: list[tuple[Dataset | None, str]] = [(dataset, given.get(dataset, DEFAULT_URLS[dataset])) for dataset in chosen]
    return reads + [(None, address) for named, address in pairs if named is None]


def _dataset_bytes(address: str, seconds: float, quiet: bool) -> tuple[str, bytes]:
    """A dataset's label and bytes: a local copy read from its path (no network), or downloaded."""
    if not address.startswith(("http://", "https://")):
        from aicost.documents import read_text

        try:
            label, text = read_text(address, "price")
        except InputError as exc:
            raise RemoteError(exc.message) from None
        return label, text.encode("utf-8")
    from aicost.catalog.store import fetch, safe_url
    from aicost.cli.output import terminal_progress

    return safe_url(address), fetch(address, timeout=seconds, progress=terminal_progress(quiet))


def _read_datasets(reads: list[tuple[Dataset | None, str]], seconds: float, quiet: bool, day: dt.date,
                   catalog: Catalog) -> tuple[list[Fetched], dict[Dataset, str], set[Dataset]]:
    """Each dataset read and mapped to offers; with the address of each and those read from a local copy."""
    from aicost.catalog.datasets import Fetched, read_dataset, recognise
    from aicost.catalog.importers import read_json

    sources: list[Fetched] = []
    urls: dict[Dataset, str] = {}
    copies: set[Dataset] = set()  # read from a file, not downloaded
    for named, address in reads:
        label, data = _dataset_bytes(address, seconds, quiet)
        fetched = dt.datetime.now(dt.UTC)
        try:
            parsed = read_json(data, label)
        except InputError as exc:
            raise RemoteError(f"{named.value if named else label}: {exc.message}") from None
        dataset = named or recognise(parsed)
        if dataset is None:
            raise RemoteError(f"{label}: not LiteLLM's, genai-prices' or models.dev's data — write DATASET=URL to "
                              "say which it is")
        if dataset in urls:
            raise InputError(f"--url {label}: a second {dataset.value} file — give one per dataset")
        urls[dataset] = address
        if not address.startswith(("http://", "https://")):
            copies.add(dataset)
        offers, skipped = read_dataset(dataset, parsed, day, catalog)
        sources.append(Fetched(dataset, label, fetched, offers, skipped))
    return sources, urls, copies


def _install_refresh(catalog: Catalog, refresh: Refresh, day: dt.date, urls: dict[Dataset, str],
                     copies: set[Dataset]) -> str:
    """Install the refreshed catalog as the next free local version of the day (the same one again when an
    installed version of that name already holds these prices); its version."""
    from aicost.catalog.refresh import applied_catalog, local_version
    from aicost.catalog.store import install, load_installed, versions

    directory = catalogs_dir()
    installed = {item.version: item.origin for item in versions(directory)}
    attempt = 1
    while True:
        version = local_version(catalog.version, day, attempt)
        result = applied_catalog(catalog, refresh, version, urls, copies)
        if version not in installed:
            break
        try:
            if load_installed(installed[version]).models == result.models:
                break
        except InputError:
            break  # unreadable: install replaces it
        attempt += 1
    install(directory, result, allow_downgrade=True)
    return version
