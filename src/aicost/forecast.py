"""Forecasts and break-evens: the articles' arguments as numbers for one workload (`aicost forecast`, `breakeven`).

A forecast starts from today's monthly cost of each stream and moves it month by month:

    cost(stream, m)    = today(stream) x (1 + growth)^(m-1) x price(stream, m)^(1 + elasticity)
    price(stream, m)   = catalog(stream, m) x (1 + price_change) x (1 + price_trend)^((m-1)/12)
    catalog(stream, m) = the stream's cost at the catalog's prices in force in month m / today's

Each month is priced at the catalog's price periods of that month (`monthly_stream_costs`): month 1 from the
pricing date to its end, later months from their first day to their last, a period that starts inside a month
weighted by its days.  Month 1 is a part month when the pricing date is not the 1st: its cost (and volume) is the
month's rate x the days from the pricing date to the month's end, both included, over the month's days.  A model
that retires inside the window stops the forecast.  The growth of a stream is the forecast's when it is given
(`growth_overrides`), else the stream's own `growth`, else the forecast's default; a price shock applies from
`price_change_from` (default month 1); a yearly trend is applied monthly as (1 + rate)^(1/12); with a
constant-elasticity demand, volume follows price^elasticity (the articles cite about -0.29).

The break-evens (a seat subscription, GPUs of one's own) are in `breakeven.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import NamedTuple

from .breakeven import (  # the break-evens live in their own module; these names stay importable from here
    SelfHostBreakEven as SelfHostBreakEven,
)
from .breakeven import (
    SubscriptionBreakEven as SubscriptionBreakEven,
)
from .breakeven import (
    self_host_break_even as self_host_break_even,
)
from .breakeven import (
    subscription_break_even as subscription_break_even,
)
from .calc import CostReport, workload_cost
from .catalog import Catalog, ExchangeRate
from .errors import InputError, ParameterError, RetiredError
from .workload import ONE, ZERO, Workload

MAX_MONTHS = 120
MAX_TOKENS_PER_SECOND = Decimal(10_000_000)
LARGEST_MONTH = Decimal(10) ** 15  # a forecast month above this is refused: no budget is that large
MAX_ELASTICITY = Decimal(10)
MILLION = Decimal(1_000_000)
SECONDS_PER_HOUR = 3600


class ForecastOptions(NamedTuple):
    months: int = 12
    growth: Decimal = ZERO  # monthly, for streams that give none
    price_change: Decimal = ZERO  # a shock on every month: 0.3 = prices 30 % higher
    price_trend: Decimal = ZERO  # yearly: -0.5 = prices halve in a year
    elasticity: Decimal = ZERO
    price_change_from: str | None = None  # YYYY-MM: the month the shock starts (None: month 1)
    growth_overrides: bool = False  # True: `growth` replaces the streams' own growth (it was given explicitly)

    def checked(self) -> ForecastOptions:
        if not 1 <= self.months <= MAX_MONTHS:
            raise ParameterError("months", self.months, f"must be a whole number of months from 1 to {MAX_MONTHS}")
        for name, value in (("growth", self.growth), ("price_change", self.price_change),
                            ("price_trend", self.price_trend)):
            if value <= -ONE:
                raise ParameterError(name, value, "must be above -100 % (a fall of 100 % leaves nothing)")
        if self.price_change_from is not None and not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])",
                                                                   self.price_change_from, flags=re.ASCII):
            raise ParameterError("price_change_from", self.price_change_from, "is not a month — write YYYY-MM, e.g. 2027-03")
        if abs(self.elasticity) > MAX_ELASTICITY:
            raise ParameterError("elasticity", self.elasticity, f"must be between -{MAX_ELASTICITY} and {MAX_ELASTICITY} "
                                 "(the articles cite -0.29)")
        return self


class ForecastMonth(NamedTuple):
    month: str  # YYYY-MM
    price_factor: Decimal  # prices against today's
    volume_factor: Decimal  # requests against today's (growth and elasticity), weighted by today's cost
    monthly_cost: Decimal
    days: int = 0  # the days of the month counted: fewer than days_in_month only in a month 1 that starts late
    days_in_month: int = 0


class Forecast(NamedTuple):
    name: str
    options: ForecastOptions
    months: tuple[ForecastMonth, ...]

    @property
    def total_cost(self) -> Decimal:
        return sum((m.monthly_cost for m in self.months), ZERO)

    @property
    def peak(self) -> ForecastMonth:
        return max(self.months, key=lambda m: (m.monthly_cost, m.month))


class ForecastReport(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    today: CostReport
    forecasts: tuple[Forecast, ...]  # the one asked for, or the scenarios (base first)
    exchange_rates: tuple[ExchangeRate, ...] = ()
    price_changes: tuple[tuple[str, dt.date], ...] = ()  # (model, since): catalog periods that start in the window


def _power(base: Decimal, exponent: Decimal) -> Decimal:
    """base ** exponent for a positive base and any exponent, to 28 significant digits."""
    if exponent == 0 or base == ONE:
        return ONE
    with localcontext() as context:
        context.prec = 34
        result = base ** exponent
    return +result


def _month_label(start: dt.date, offset: int) -> str:
    index = start.year * 12 + start.month - 1 + offset
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_start(start: dt.date, offset: int) -> dt.date:
    index = start.year * 12 + start.month - 1 + offset
    return dt.date(index // 12, index % 12 + 1, 1)


def _month_days(start: dt.date, offset: int) -> int:
    return (_month_start(start, offset + 1) - _month_start(start, offset)).days


def first_month_days(as_of: dt.date) -> tuple[int, int]:
    """Month 1's counted days and the month's days: from `as_of` to the month's last day, both included."""
    following = _month_start(as_of, 1)
    length = (following - dt.date(as_of.year, as_of.month, 1)).days
    return (following - as_of).days, length


def month_offset(start: dt.date, label: str) -> int:
    """Months from `start`'s month to the month `label` (YYYY-MM): 0 for start's own month."""
    year, month = (int(part) for part in label.split("-"))
    return year * 12 + month - 1 - (start.year * 12 + start.month - 1)


def month_spans(as_of: dt.date, months: int, changes: Sequence[dt.date]) -> list[list[tuple[dt.date, int]]]:
    """For each month of the forecast, the days on which prices change inside it, each with the number of days its
    prices are in force: month 1 runs from `as_of` to its end, later months from their first day to their last.
    `changes` are the days a price period starts (or a model retires)."""
    spans = []
    for offset in range(months):
        first = as_of if offset == 0 else _month_start(as_of, offset)
        end = _month_start(as_of, offset + 1)  # the day after the month
        starts = sorted({first, *(day for day in changes if first < day < end)})
        spans.append([(day, ((starts[i + 1] if i + 1 < len(starts) else end) - day).days)
                      for i, day in enumerate(starts)])
    return spans


def monthly_stream_costs(workload: Workload, catalog: Catalog, as_of: dt.date, months: int
                         ) -> tuple[tuple[Decimal, ...], ...]:
    """Each stream's monthly cost in each month of the forecast, at the catalog's prices in force that month.

    A month whose prices change inside it is priced day by day: each period's monthly cost weighted by the days it
    is in force (month 1 counts from `as_of`).  A model that retires inside the window stops the forecast
    (RetiredError, naming the months that can be forecast): its later months have no price."""
    last = _month_start(as_of, months) - dt.timedelta(days=1)
    models = [catalog.resolve(stream.model) for stream in workload.streams]
    for model in dict.fromkeys(models):
        if model.retired is not None and as_of < model.retired <= last:
            usable = month_offset(as_of, f"{model.retired:%Y-%m}")  # the months that end before it retires
            advice = (f"forecast {{months}} {usable} (to {_month_label(as_of, usable - 1)})" if usable >= 1
                      else "forecast a model that is still served")
            successor = model.successor_on(last)  # on sale at the forecast's end
            raise RetiredError(model.id, model.retired, successor,
                               f"{model.id} is retired on {model.retired}, inside this forecast (to "
                               f"{_month_label(as_of, months - 1)}): its later days have no price — {advice}"
                               + (f", or move its traffic to {successor}" if successor else ""),
                               mentions=("months",))
    changes = sorted({period.since for model in models for period in model.periods})
    cache: dict[dt.date, tuple[Decimal, ...]] = {}
    result = []
    for spans in month_spans(as_of, months, changes):
        total_days = sum(days for _, days in spans)
        costs = [ZERO] * len(workload.streams)
        for day, days in spans:
            if day not in cache:
                cache[day] = tuple(s.monthly_cost for s in workload_cost(workload, catalog, day).streams)
            for index, cost in enumerate(cache[day]):
                costs[index] += cost * days / total_days if len(spans) > 1 else cost
        result.append(tuple(costs))
    return tuple(result)


def project(today: CostReport, options: ForecastOptions, name: str = "forecast",
            month_costs: Sequence[Sequence[Decimal]] | None = None) -> Forecast:
    """Month by month from today's cost of each stream (see the module's formula).  `month_costs` are each stream's
    cost in each month at the catalog's prices of that month (default: today's, every month)."""
    options = options.checked()
    streams = today.streams
    growth = {s.name: (stream.growth if stream.growth is not None and not options.growth_overrides else options.growth)
              for s, stream in zip(streams, today.workload.streams, strict=True)}
    shock_from = 0 if options.price_change_from is None else month_offset(today.as_of, options.price_change_from)
    if not 0 <= shock_from < options.months:
        raise ParameterError("price_change_from", options.price_change_from,
                             f"must be a month of the forecast, from {_month_label(today.as_of, 0)} to "
                             f"{_month_label(today.as_of, options.months - 1)}")
    base = today.monthly_cost
    first_days, first_length = first_month_days(today.as_of)
    months = []
    for offset in range(options.months):
        change = options.price_change if offset >= shock_from else ZERO
        scenario = (ONE + change) * _power(ONE + options.price_trend, Decimal(offset) / 12)
        cost = ZERO
        volume = ZERO  # the month's volume at today's prices
        for index, stream in enumerate(streams):
            catalog_cost = month_costs[offset][index] if month_costs is not None else stream.monthly_cost
            catalog_factor = catalog_cost / stream.monthly_cost if stream.monthly_cost else ONE
            price = scenario * catalog_factor
            grown = _power(ONE + growth[stream.name], Decimal(offset)) * _power(price, options.elasticity)
            cost += stream.monthly_cost * grown * price
            volume += stream.monthly_cost * grown
        if offset == 0 and first_days != first_length:  # a part month: its remaining days only
            cost, volume = cost * first_days / first_length, volume * first_days / first_length
        if cost > LARGEST_MONTH:
            causes = [text for text, value in (("{growth}", options.growth),
                                               ("the streams' own growth", any(growth.values()) and not options.growth),
                                               ("{price_change}", change), ("{price_trend}", options.price_trend))
                      if value]
            raise InputError(f"the forecast passes {LARGEST_MONTH:,.0f} a month by month {offset + 1} — "
                             + (f"lower {' or '.join(causes)}, or the months" if causes
                                else "the workload is too large to forecast"),
                             mentions=("growth", "price_change", "price_trend"))
        days = (first_days, first_length) if offset == 0 else (_month_days(today.as_of, offset),) * 2
        months.append(ForecastMonth(_month_label(today.as_of, offset), cost / volume if volume else scenario,
                                    volume / base if base else ONE, cost, *days))
    return Forecast(name, options, tuple(months))


SCENARIOS = (
    ("base", ZERO, ZERO),
    ("+30 % prices", Decimal("0.3"), ZERO),
    ("+50 % prices", Decimal("0.5"), ZERO),
    ("prices fall 50x a year", ZERO, Decimal("-0.98")),
)
"""The articles' futures: prices as today; the 30 % and 50 % rises to budget for (subsidised prices); and the
median fall of inference prices, 50x a year, applied as a yearly trend of -98 % on the workload's own models' prices.
The articles' 50x is the price of equal capability, reached by moving to newer, cheaper models: this scenario
prices the same traffic as if the current models' own prices fell that fast (no vendor has announced such cuts)."""

FIFTY_X_NOTE = ("prices fall 50x a year: the current models' own prices cut by a -98 % yearly trend; the articles' 50x "
                "is the price of equal capability, reached by moving to newer models, not a cut of these models' prices")


LAST_MONTH = 9999 * 12 + 10  # 9999-11: a forecast's last month; the day after it must still be a date (9999-12-01)


def check_window(as_of: dt.date, months: int) -> None:
    """Refuse a forecast whose last month is past 9999-11 (the day after it would be past the last date there is)."""
    first = as_of.year * 12 + as_of.month - 1
    if first + months - 1 > LAST_MONTH:
        fits = LAST_MONTH - first + 1
        fix = f"give {{months}} {fits} or fewer, or an earlier {{as_of}}" if fits >= 1 else "give an earlier {as_of}"
        raise ParameterError("months", None, f"the forecast from {as_of} for {months} month(s) would run past 9999-11, "
                             f"the last month aicost can forecast — {fix}", mentions=("as_of",))


def forecast(workload: Workload, catalog: Catalog, as_of: dt.date, options: ForecastOptions,
             scenarios: bool = False) -> ForecastReport:
    options = options.checked()
    check_window(as_of, options.months)
    today = workload_cost(workload, catalog, as_of)
    month_costs = monthly_stream_costs(workload, catalog, as_of, options.months)
    if scenarios:
        if options.price_change or options.price_trend:
            raise ParameterError("scenarios", None, "sets the prices itself — drop {price_change} and {price_trend}",
                                 mentions=("price_change", "price_trend"))
        forecasts = tuple(project(today, options._replace(price_change=change, price_trend=trend), name, month_costs)
                          for name, change, trend in SCENARIOS)
    else:
        forecasts = (project(today, options, month_costs=month_costs),)
    last = _month_start(as_of, options.months)
    changes = tuple(sorted({(model.id, period.since) for model in (catalog.resolve(s.model) for s in workload.streams)
                            for period in model.periods if as_of < period.since < last}, key=lambda c: (c[1], c[0])))
    return ForecastReport(workload, today.catalog_version, as_of, today, forecasts, today.exchange_rates, changes)


def months_over(forecasts: Sequence[Forecast], limit: Decimal) -> list[str]:
    """The months (YYYY-MM) in which any of the forecasts costs more than `limit`."""
    return sorted({month.month for forecast in forecasts for month in forecast.months if month.monthly_cost > limit})
