"""The prices a period holds beyond its standard rates: service tiers, speed modes, time windows, per-call fees and
regional uplifts, with their parsing and validation (the period itself is `model.py`'s).

Every dimension is optional and absent means unknown: a cost that needs a tier, speed, window, fee or region the
period does not give is an error in `calc`, never the base price and never $0.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import zoneinfo
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from aicost.errors import did_you_mean, shown
from aicost.fields import Fields


class Currency(StrEnum):
    """The currencies a price can be held in and a report written in."""

    USD = "USD"
    EUR = "EUR"
    CNY = "CNY"


CURRENCIES = tuple(currency.value for currency in Currency)
MAX_CONTEXT_WINDOW = 10**9
RATE_KEYS = ("input", "output", "cache_read", "cache_write", "batch_input", "batch_output")
TOKEN_RATE_KEYS = ("input", "output", "cache_read", "cache_write")  # what a tier, speed or window may price
MAX_PRICE = Decimal(100_000)  # USD per million tokens; the dearest model on sale charges well under $1,000
MAX_MULTIPLIER = Decimal(100)
MAX_FEE = Decimal(1_000_000)  # per 1,000 calls
SERVICE_TIERS = ("flex", "priority")
SPEED_MODES = ("fast",)
FEES = ("web_search",)
HOSTS = ("bedrock", "vertex", "azure", "openrouter")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OFF_PEAK = "off-peak"  # the window a stream's off_peak_share is priced at
_REGION_PATTERN = r"[a-z][a-z0-9-]{0,30}"
_WINDOW_PATTERN = r"[a-z][a-z0-9-]{0,30}"
_HOURS_PATTERN = r"((?:[01][0-9]|2[0-3]):[0-5][0-9])-((?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)"


class Rates(NamedTuple):
    """Money per million tokens, in the period's currency; None means the source gives no such price (unknown, never free)."""

    input: Decimal | None = None
    output: Decimal | None = None
    cache_read: Decimal | None = None
    cache_write: Decimal | None = None
    batch_input: Decimal | None = None
    batch_output: Decimal | None = None

    def get(self, key: str) -> Decimal | None:
        value: Decimal | None = getattr(self, key)
        return value

    def scaled(self, factor: Decimal) -> Rates:
        return Rates(*(None if value is None else value * factor for value in self))


class Tier(NamedTuple):
    """A long-context tier: a request whose input exceeds the threshold is billed whole at these rates."""

    above_input_tokens: int
    rates: Rates


class ServiceTier(NamedTuple):
    """A service tier (`flex`, `priority`): its own token rates, replacing the standard ones (what it lacks is unknown)."""

    name: str
    rates: Rates
    source: str | None = None  # where this dimension's figures were read, when not the period's own source
    checked: dt.date | None = None


class SpeedMode(NamedTuple):
    """A speed mode (`fast`): either a multiplier on every token price, or its own rates, as the source states it."""

    name: str
    multiplier: Decimal | None = None
    rates: Rates | None = None
    source: str | None = None
    checked: dt.date | None = None


class Window(NamedTuple):
    """A time window with its own prices: on `days` (0 = Monday) during `hours` (local "HH:MM" start, end; the end
    is excluded, 24:00 is midnight) in the IANA `time_zone`, and all day on the local `holidays`."""

    name: str
    time_zone: str
    days: tuple[int, ...]
    hours: tuple[tuple[str, str], ...]
    rates: Rates
    holidays: tuple[dt.date, ...] = ()
    source: str | None = None
    checked: dt.date | None = None

    def contains(self, moment: dt.datetime) -> bool:
        """Whether `moment` (timezone-aware; a naive one is taken as UTC) falls in the window."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        local = moment.astimezone(zoneinfo.ZoneInfo(self.time_zone))
        if local.date() in self.holidays:
            return True
        if local.weekday() not in self.days:
            return False
        clock = local.strftime("%H:%M:%S")
        return any(start <= clock < (end if end != "24:00" else "24") for start, end in self.hours)


class Fee(NamedTuple):
    """A per-call fee, in the period's currency per 1,000 calls (`web_search`)."""

    name: str
    per_thousand: Decimal
    source: str | None = None
    checked: dt.date | None = None


class Uplift(NamedTuple):
    """A regional uplift: token prices x `multiplier` for processing kept in `region` (`us`, `eu`, ...)."""

    region: str
    multiplier: Decimal
    source: str | None = None
    checked: dt.date | None = None


def parse_rates(fields: Fields, keys: tuple[str, ...] = RATE_KEYS) -> Rates:
    values = {key: fields.decimal(key, maximum=MAX_PRICE) for key in keys}
    return Rates(**values)


def cited(fields: Fields) -> tuple[str | None, dt.date | None]:
    """A dimension's own `source` and `checked` (both or neither): where its figures were read when that is not the
    period's source (a reference dataset, say)."""
    source = fields.string("source")
    checked = fields.date("checked")
    if (source is None) != (checked is None):
        raise fields.error("give source and checked together (where the figures were read, and when)",
                           "checked" if checked is None else "source")
    return source, checked


def _named(fields: Fields, key: str, name: str, known: tuple[str, ...]) -> str:
    if name not in known:
        raise fields.error(f"'{shown(name)}' is not known{did_you_mean(name, known)} — use one of {', '.join(known)}", key)
    return name


def _priced(fields: Fields, rates: Rates, what: str) -> Rates:
    if all(value is None for value in rates):
        raise fields.error(f"{what} gives no price — add input, output, cache_read or cache_write")
    return rates


def parse_service_tiers(fields: Fields | None) -> tuple[ServiceTier, ...]:
    if fields is None:
        return ()
    tiers = []
    for name in list(fields.table):
        sub = fields.sub(_named(fields, name, name, SERVICE_TIERS))
        assert sub is not None
        tiers.append(ServiceTier(name, _priced(sub, parse_rates(sub, TOKEN_RATE_KEYS), f"service tier {name}"), *cited(sub)))
        sub.done()
    return tuple(tiers)


def parse_speeds(fields: Fields | None) -> tuple[SpeedMode, ...]:
    if fields is None:
        return ()
    modes = []
    for name in list(fields.table):
        sub = fields.sub(_named(fields, name, name, SPEED_MODES))
        assert sub is not None
        multiplier = sub.decimal("multiplier", maximum=MAX_MULTIPLIER)
        rates = parse_rates(sub, TOKEN_RATE_KEYS)
        given = any(value is not None for value in rates)
        if (multiplier is None) == (not given):
            raise sub.error("give either multiplier or rates (input, output, ...) — the one the source states")
        if multiplier is not None and multiplier == 0:
            raise sub.error("must be more than 0", "multiplier")
        modes.append(SpeedMode(name, multiplier, rates if given else None, *cited(sub)))
        sub.done()
    return tuple(modes)


def _hours(fields: Fields) -> tuple[tuple[str, str], ...]:
    spans = []
    for text in fields.string_list("hours"):
        match = re.fullmatch(_HOURS_PATTERN, text)
        if match is None or match.group(1) >= match.group(2).replace("24:00", "24"):
            raise fields.error(f"'{shown(text)}' is not a span HH:MM-HH:MM of one day (start before end; end 24:00 "
                               "is midnight)", "hours")
        spans.append((match.group(1), match.group(2)))
    if not spans:
        raise fields.error('is required — add hours = ["HH:MM-HH:MM", ...] (local time)', "hours")
    return tuple(spans)


def _holidays(fields: Fields) -> tuple[dt.date, ...]:
    value = fields.raw("holidays")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(day, dt.date) and not isinstance(day, dt.datetime)
                                              for day in value):
        raise fields.error("must be a list of dates YYYY-MM-DD", "holidays")
    return tuple(value)


def parse_windows(tables: list[Fields]) -> tuple[Window, ...]:
    windows: list[Window] = []
    for fields in tables:
        name = fields.string("name") or OFF_PEAK
        if not re.fullmatch(_WINDOW_PATTERN, name):
            raise fields.error(f"'{shown(name)}' must be lowercase letters, digits and - (e.g. off-peak)", "name")
        zone = fields.req_string("time_zone")
        try:
            zoneinfo.ZoneInfo(zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise fields.error(f"'{shown(zone)}' is not an IANA time zone (e.g. Asia/Shanghai, UTC)", "time_zone") from None
        days = []
        for day in fields.string_list("days"):
            days.append(WEEKDAYS.index(_named(fields, "days", day, WEEKDAYS)))
        if not days:
            raise fields.error('is required — add days = ["mon", ...]', "days")
        window = Window(name, zone, tuple(sorted(set(days))), _hours(fields),
                        _priced(fields, parse_rates(fields, TOKEN_RATE_KEYS), f"window {name}"), _holidays(fields),
                        *cited(fields))
        fields.done()
        same = [w for w in windows if w.name == name and w.rates != window.rates]
        if same:
            raise fields.error(f"window '{name}' is also given with other prices — one name, one set of prices", "name")
        windows.append(window)
    return tuple(windows)


def parse_fees(fields: Fields | None) -> tuple[Fee, ...]:
    if fields is None:
        return ()
    fees = []
    for name in list(fields.table):
        sub = fields.sub(_named(fields, name, name, FEES))
        assert sub is not None
        value = sub.decimal("per_1000", required=True, maximum=MAX_FEE)
        assert value is not None
        fees.append(Fee(name, value, *cited(sub)))
        sub.done()
    return tuple(fees)


def parse_regions(fields: Fields | None) -> tuple[Uplift, ...]:
    if fields is None:
        return ()
    uplifts = []
    for region in list(fields.table):
        if not re.fullmatch(_REGION_PATTERN, region):
            raise fields.error(f"'{shown(region)}' must be lowercase letters, digits and - (e.g. us, eu)", region)
        sub = fields.sub(region)
        assert sub is not None
        value = sub.decimal("multiplier", required=True, maximum=MAX_MULTIPLIER)
        if value is None or value == 0:
            raise sub.error("must be more than 0 — the multiplier on token prices (1.1 for +10 %)", "multiplier")
        uplifts.append(Uplift(region, value, *cited(sub)))
        sub.done()
    return tuple(uplifts)


class PricePeriod(NamedTuple):
    since: dt.date
    rates: Rates
    source: str
    checked: dt.date
    currency: str = "USD"
    cache_write_1h: Decimal | None = None  # a cache write bought for one hour (Anthropic); `cache_write` is 5 minutes
    tiers: tuple[Tier, ...] = ()
    windows: tuple[Window, ...] = ()
    also_sources: tuple[str, ...] = ()
    note: str | None = None
    service_tiers: tuple[ServiceTier, ...] = ()
    speeds: tuple[SpeedMode, ...] = ()
    fees: tuple[Fee, ...] = ()  # per 1,000 calls, in the period's currency
    regions: tuple[Uplift, ...] = ()

    def tier_for(self, input_tokens: int | Decimal) -> Tier | None:
        """The highest tier whose threshold the request's input exceeds, if any."""
        chosen = None
        for tier in self.tiers:
            if input_tokens > tier.above_input_tokens:
                chosen = tier
        return chosen

    def window_at(self, moment: dt.datetime) -> Window | None:
        """The time window `moment` falls in (timezone-aware; naive is UTC), or None: standard hours."""
        for window in self.windows:
            if window.contains(moment):
                return window
        return None

    def window(self, name: str) -> Window | None:
        return next((w for w in self.windows if w.name == name), None)

    def service_tier(self, name: str) -> ServiceTier | None:
        return next((t for t in self.service_tiers if t.name == name), None)

    def speed(self, name: str) -> SpeedMode | None:
        return next((m for m in self.speeds if m.name == name), None)

    def fee(self, name: str) -> Decimal | None:
        return next((f.per_thousand for f in self.fees if f.name == name), None)

    def uplift(self, region: str) -> Decimal | None:
        return next((u.multiplier for u in self.regions if u.region == region), None)


class HostOffering(NamedTuple):
    """The model as another host sells it (`bedrock`, `vertex`, `azure`, `openrouter`): the host's own model id and
    price history, each period sourced and dated."""

    host: str
    model_id: str
    periods: tuple[PricePeriod, ...]
    note: str | None = None

    def period_on(self, day: dt.date) -> PricePeriod | None:
        current = None
        for period in self.periods:
            if period.since <= day:
                current = period
        return current


def parse_period(fields: Fields) -> PricePeriod:
    since = fields.date("since", required=True)
    checked = fields.date("checked", required=True)
    source = fields.req_string("source")
    currency = fields.string("currency") or "USD"
    if currency not in CURRENCIES:
        raise fields.error(f"currency '{shown(currency)}' is not supported — use one of {', '.join(CURRENCIES)}", "currency")
    rates = parse_rates(fields)
    tiers: list[Tier] = []
    for tier_fields in fields.tables("tiers"):
        threshold = tier_fields.integer("above_input_tokens", required=True, maximum=MAX_CONTEXT_WINDOW)
        assert threshold is not None
        if tiers and threshold <= tiers[-1].above_input_tokens:
            raise tier_fields.error("tiers must be in ascending order of above_input_tokens", "above_input_tokens")
        tiers.append(Tier(threshold, parse_rates(tier_fields)))
        tier_fields.done()
    period = PricePeriod(
        since=since,  # type: ignore[arg-type]
        rates=rates,
        source=source,
        checked=checked,  # type: ignore[arg-type]
        currency=currency,
        cache_write_1h=fields.decimal("cache_write_1h", maximum=MAX_PRICE),
        tiers=tuple(tiers),
        windows=parse_windows(fields.tables("windows")),
        also_sources=tuple(fields.string_list("also_sources")),
        note=fields.string("note"),
        service_tiers=parse_service_tiers(fields.sub("service_tiers")),
        speeds=parse_speeds(fields.sub("speeds")),
        fees=parse_fees(fields.sub("fees")),
        regions=parse_regions(fields.sub("regions")),
    )
    fields.done()
    return period


def parse_periods(fields: Fields) -> tuple[PricePeriod, ...]:
    periods = [parse_period(p) for p in fields.tables("periods", required=True)]
    if not periods:
        raise fields.error("needs at least one price period", "periods")
    for earlier, later in itertools.pairwise(periods):
        if later.since <= earlier.since:
            raise fields.error(
                f"periods must be in date order: {later.since} does not follow {earlier.since}", "periods"
            )
    return tuple(periods)


def parse_hosts(fields: Fields) -> tuple[HostOffering, ...]:
    offerings: list[HostOffering] = []
    for host_fields in fields.tables("hosts"):
        host = host_fields.req_string("host")
        if host not in HOSTS:
            raise host_fields.error(f"'{shown(host)}' is not a host{did_you_mean(host, HOSTS)} — use one of "
                                    + ", ".join(HOSTS), "host")
        if any(o.host == host for o in offerings):
            raise host_fields.error(f"a second offering by {host} — keep one per host", "host")
        model_id = host_fields.req_string("model_id")
        offerings.append(HostOffering(host, model_id, parse_periods(host_fields), host_fields.string("note")))
        host_fields.done()
    return tuple(offerings)
