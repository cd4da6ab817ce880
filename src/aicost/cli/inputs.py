"""Where the command line finds its inputs: the catalog (and the user data directory), the workload, the date.

No typer here: the command modules and the fast path share these.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from aicost.errors import InputError, printable

from .output import say

if TYPE_CHECKING:
    from decimal import Decimal

    from aicost.catalog import Catalog
    from aicost.workload import Workload

    from .groups import AdjustmentOptions, PricingOptions, StreamOptions

WORKLOAD_FILE = "aicost.toml"
BUDGET_VARIABLE = "AICOST_BUDGET"
HOME_VARIABLE = "AICOST_HOME"


def user_data_dir() -> str:
    """Where catalogs of other versions are kept: $AICOST_HOME, else the platform's user data directory."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return override
    home = os.path.expanduser("~")
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local"), "aicost")
    if os.uname().sysname == "Darwin":
        return os.path.join(home, "Library", "Application Support", "aicost")
    return os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share"), "aicost")


def catalogs_dir() -> str:
    """Where `pricing update` installs catalogs and `pricing use` records the active one."""
    return os.path.join(user_data_dir(), "catalogs")


def open_catalog(spec: str | None, parameter: str = "catalog") -> Catalog:
    """The catalog of --catalog (or of `parameter`: --catalog-old): bundled, a path, or a version (bundled, or kept in
    the user data directory); without one, the active catalog (`pricing use`, `pricing update`), else the bundled
    one."""
    from aicost.errors import ParameterError

    try:
        return _open_catalog(spec)
    except ParameterError as exc:
        if exc.parameter != "catalog" or parameter == "catalog":
            raise
        raise ParameterError(parameter, exc.value, exc.problem) from None


def _open_catalog(spec: str | None) -> Catalog:
    from aicost.catalog import load_catalog, load_version

    stored = catalogs_dir()
    if spec is None and os.path.isdir(stored):  # no directory, no marker: the store's code is not even imported
        from aicost.catalog.store import active_version
        from aicost.errors import ParameterError

        active = active_version(stored)
        if active is not None:
            try:
                return load_version(active, stored=stored)
            except ParameterError:
                raise InputError(f"the active catalog {printable(active)} (chosen by `aicost pricing use` or `pricing "
                                 f"update`) is not in {printable(stored)} — run `aicost pricing use bundled`") from None
    return load_catalog(spec, stored=stored)


def pricing_date(value: str | None, parameter: str = "as_of") -> dt.date:
    """The pricing date of --as-of (or of `parameter`: --as-of-old), else today; never before the year 1000."""
    from aicost.quantities import parse_pricing_date

    return dt.date.today() if value is None else parse_pricing_date(value, parameter)


COMMAND_LINE = "command line"


def _literal(text: str) -> object:
    """A stream option's text as the value a workload file would hold: 1500 → 1500, 0.5 → 0.5, 50% → 0.5.  Out of
    range values (negative, thousands of digits, an exponent no Decimal holds) are left to the workload's own check,
    which names the limit and echoes the value as it was typed (`AsTyped`, `Unrepresentable`)."""
    import re
    from decimal import Decimal

    from aicost.fields import Unrepresentable, decimal_or_text
    from aicost.quantities import NUMBER, AsTyped, whole_number

    cleaned = text.strip()
    if re.fullmatch(r"-?[0-9]+", cleaned):
        whole = whole_number(cleaned)
        return AsTyped(whole, text) if isinstance(whole, Decimal) else whole
    number = cleaned.removesuffix("%").strip()
    if re.fullmatch(f"[-+]?{NUMBER}", number, flags=re.ASCII):  # a sign kept: -0.5 is refused as negative, not text
        value = decimal_or_text(number)
        if isinstance(value, Unrepresentable):
            return Unrepresentable(text)
        return AsTyped(value / 100 if cleaned.endswith("%") else value, text)
    return text


def with_adjustments(workload: Workload, catalog: Catalog, terms: AdjustmentOptions) -> Workload:
    """The workload with `--discount` and `--platform-fee` laid over its [adjustments]: a flag's discount replaces the
    file's for the same vendor or model (the file's others stay), `--platform-fee` replaces the file's fee."""
    if not terms.discount and terms.platform_fee is None:
        return workload
    from aicost.workload import adjustment_flags

    flags = adjustment_flags(terms.discount or [], terms.platform_fee, catalog)
    return workload._replace(adjustments=workload.adjustments.merged(flags, fee_given=terms.platform_fee is not None))


def open_inputs(path: str | None, stream: StreamOptions, terms: AdjustmentOptions, pricing: PricingOptions,
                quiet: bool) -> tuple[dt.date, Catalog, Workload]:
    """What a command that prices a workload starts from: the pricing date, the catalog and the workload
    (`open_workload`)."""
    day = pricing.day()
    catalog = pricing.prices()
    return day, catalog, open_workload(path, catalog, quiet, stream, terms, pricing.currency, day)


def open_workload(path: str | None, catalog: Catalog, quiet: bool, stream: StreamOptions, terms: AdjustmentOptions,
                  currency: str | None, day: dt.date | None = None) -> Workload:
    """The workload argument; without one, ./aicost.toml, else the built-in example (each said on stderr).

    Stream options (`--requests-per-day 50000 --input-tokens 1500 ...` with `--model`) describe one stream
    instead of a file, checked exactly as a file's stream is.  `--model` alone re-prices a workload (a file,
    ./aicost.toml or the example) with every stream on that model.  `--discount` and `--platform-fee` are laid over
    the workload's [adjustments] (`with_adjustments`).  It is reported in `currency` (`workload_in_currency`).
    A family's name given as `--model` is refused with its newest model on sale on `day` (the pricing date).
    """
    from aicost.currency import workload_in_currency
    from aicost.errors import FamilyNameError, UnknownModelError

    if stream.model is not None:
        try:
            catalog.resolve(stream.model, day)
        except FamilyNameError as exc:
            from aicost.cli.errors import FAMILY_HINT

            raise InputError(f"--model: {exc.message}{FAMILY_HINT}") from None
        except UnknownModelError:
            pass  # worded where the workload is read

    from .errors import note_workload

    loaded = workload_in_currency(_open_workload(path, catalog, quiet, stream), catalog, currency)
    note_workload(loaded.source, ((s.name, s.model) for s in loaded.streams))
    return with_adjustments(loaded, catalog, terms)


def _open_workload(path: str | None, catalog: Catalog, quiet: bool, stream: StreamOptions) -> Workload:
    from aicost.workload import example_workload, load_workload, parse_workload

    model = stream.model
    given: dict[str, object] = {key: _literal(value) for key, value in stream.given().items()}
    if stream.size:
        given["sizes"] = [_size_band(text) for text in stream.size]
    if given:
        if path is not None:
            raise InputError("a workload file and stream options (--requests-per-day, --input-tokens, ...): give one or "
                             "the other — --model alone re-prices the file on one model")
        if model is None:
            raise InputError("stream options describe one stream: add --model MODEL")
        document = {"version": 1, "name": COMMAND_LINE,
                    "streams": [{"name": model, "model": model, **given}]}
        try:
            return parse_workload(document, COMMAND_LINE, catalog)
        except InputError as exc:
            message = _in_flags(exc.message)
            if message.startswith("has no volume"):  # the stream of the options: say so
                message = f"the stream of --model {printable(model)} {message}"
            raise InputError(message) from None
    if path is not None:
        loaded = load_workload(path, catalog)
    elif os.path.islink(WORKLOAD_FILE) and not os.path.exists(WORKLOAD_FILE):
        raise InputError(f"./{WORKLOAD_FILE}: is a symlink to {printable(os.readlink(WORKLOAD_FILE))}, which does not "
                         "exist — fix or remove the link, or name a workload file")
    elif os.path.isfile(WORKLOAD_FILE):
        if not quiet:
            say(f"aicost: using ./{WORKLOAD_FILE}")
        loaded = load_workload(WORKLOAD_FILE, catalog)
    else:
        if model is not None:
            raise InputError("--model alone needs traffic to price: add --requests-per-day (or -month, -hour), "
                             "--input-tokens and --output-tokens, or name a workload file")
        if not quiet:
            say(f"aicost: no workload given and no ./{WORKLOAD_FILE}: pricing the built-in example "
                "(`aicost init` writes it to a file)")
        loaded = example_workload(catalog)
    if model is not None:
        loaded = loaded.with_model(catalog.resolve(model).id)
    return loaded


def _size_band(text: str) -> dict[str, object]:
    """One --size SHARE:INPUT:OUTPUT as the band a workload file would hold, checked there."""
    parts = text.split(":")
    if len(parts) != 3 or not all(part.strip() for part in parts):
        raise InputError(f"--size {printable(text)}: write SHARE:INPUT:OUTPUT, e.g. 90%:20000:800 (a share of the "
                         "requests, their input and output tokens)")
    return dict(zip(("share", "input_tokens", "output_tokens"), map(_literal, parts), strict=True))


def _in_flags(message: str) -> str:
    """A check of the command-line stream, worded with the options: `streams[0].input_tokens` → `--input-tokens`,
    `streams[0].sizes[1].share` → `--size #2 share`."""
    import re

    message = message.removeprefix(f"{COMMAND_LINE}: ")
    band = re.match(r"streams\[0\]\.sizes\[([0-9]+)\](?:\.([a-z0-9_]+))?", message)
    if band is not None:  # one --size: its number, and the part of it
        return f"--size #{int(band.group(1)) + 1}" + (f" {band.group(2)}" if band.group(2) else "") + message[band.end():]
    message = re.sub(r"^streams\[0\]\.sizes\b", "--size", message)
    # a band named inside the message: its --size number; a --size band cannot give its own cache writes
    message = re.sub(r", or give sizes\[[0-9]+\] its own cache_write(?:_1h)?_tokens", "", message)
    message = re.sub(r"\bsizes\[([0-9]+)\]", lambda m: f"--size #{int(m.group(1)) + 1}", message)
    message = re.sub(r"^streams\[0\]\.([a-z0-9_]+)", lambda m: "--" + m.group(1).replace("_", "-"), message)
    message = re.sub(r"^streams\[0\]: ", "", message)
    message = re.sub(r"(?<!-)\bsizes\b", "--size", message)
    from .groups import StreamOptions

    for key in StreamOptions._fields:
        if key in ("model", "size"):  # their own words in many messages ("unknown model")
            continue
        message = re.sub(rf"(?<![-\w]){key}(?!\w)", "--" + key.replace("_", "-"), message)
    return message


def over_budget(monthly_cost: Decimal, limit: Decimal | None, currency: str = "USD") -> bool:
    """The `--max` check of a report command: a warning on stderr (even with --quiet) when over the limit."""
    if limit is None or monthly_cost <= limit:
        return False
    from aicost.money import money_text

    say(f"aicost: over budget: monthly cost {money_text(monthly_cost, currency)} exceeds --max "
        f"{money_text(limit, currency)} by {money_text(monthly_cost - limit, currency)}")
    return True


def split_names(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated option values as one list: `-m a,b -m c` → a, b, c."""
    names: list[str] = []
    for value in values or []:
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return names
