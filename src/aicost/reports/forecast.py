"""The view of `aicost forecast` (the break-evens' are in `breakeven.py`)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from aicost.forecast import FIFTY_X_NOTE, Forecast, ForecastReport, months_over
from aicost.money import decimal_text, money_text, percent_text, quantize, round_money
from aicost.render.view import ESSENTIAL, SECONDARY, Column, Kind, Table, View

from .common import envelope, footer

CHART_WIDTH = 40


def _options_text(forecast: Forecast) -> str:
    o = forecast.options
    parts = [f"growth {percent_text(o.growth, signed=True)} a month"]
    if o.price_change:
        parts.append(f"prices {percent_text(o.price_change, signed=True)}"
                     + (f" from {o.price_change_from}" if o.price_change_from else ""))
    if o.price_trend:
        parts.append(f"price trend {percent_text(o.price_trend, signed=True)} a year")
    if o.elasticity:
        parts.append(f"elasticity {decimal_text(o.elasticity)}")
    return ", ".join(parts)


def _forecast_document(forecast: Forecast) -> dict[str, Any]:
    o = forecast.options
    return {
        "name": forecast.name,
        "growth": o.growth,
        "price_change": o.price_change,
        "price_change_from": o.price_change_from,
        "price_trend": o.price_trend,
        "elasticity": o.elasticity,
        "months": [{"month": m.month, "monthly_cost": m.monthly_cost, "price_factor": round_money(m.price_factor),
                    "volume_factor": round_money(m.volume_factor), "days": m.days, "days_in_month": m.days_in_month}
                   for m in forecast.months],
        "total_cost": forecast.total_cost,
    }


def _chart(forecast: Forecast, currency: str) -> tuple[str, ...]:
    """A plain-text bar per month, as long as its cost against the dearest month."""
    top = max((m.monthly_cost for m in forecast.months), default=Decimal(0))
    lines = [f"Monthly cost, {forecast.name} (█ = {money_text(top / CHART_WIDTH, currency)} a month)" if top else
             f"Monthly cost, {forecast.name}"]
    for month in forecast.months:
        length = int((month.monthly_cost / top * CHART_WIDTH).to_integral_value(ROUND_HALF_EVEN)) if top else 0
        lines.append(f"{month.month} |{'█' * length} {money_text(month.monthly_cost, currency)}")
    return tuple(lines)


def _mermaid(report: ForecastReport) -> tuple[str, ...]:
    """A Mermaid xychart of every forecast's monthly cost (GitHub renders it in markdown)."""
    first = report.forecasts[0]
    months = ", ".join(f'"{m.month}"' for m in first.months)
    lines = ["xychart-beta", '    title "Monthly cost"', f"    x-axis [{months}]",
             f'    y-axis "{report.workload.currency} per month"']
    for forecast in report.forecasts:
        values = ", ".join(decimal_text(quantize(m.monthly_cost, Decimal("0.01"))) for m in forecast.months)
        lines.append(f"    line [{values}]")
    return tuple(lines)


def _notes(report: ForecastReport) -> list[str]:
    """The footer's lines: the formula, catalog price changes, a part first month, growth, the 50x scenario."""
    workload = report.workload
    main = report.forecasts[0]
    notes = [f"workload: {workload.source}",
             "cost(m) = today x (1 + growth)^(m-1) x price(m)^(1 + elasticity); price(m) = catalog(m) x (1 + change)"
             " x (1 + trend)^((m-1)/12); catalog(m) = the month's cost at the catalog's prices in force that month "
             "/ today's"]
    if report.price_changes:
        notes.append("catalog price changes inside the forecast: "
                     + ", ".join(f"{model} from {since}" for model, since in report.price_changes))
    first = main.months[0]
    if first.days != first.days_in_month:
        notes.append(f"month 1 ({first.month}) counts {first.days} of its {first.days_in_month} days, from "
                     f"{report.as_of} to its end: its cost is the month's x {first.days}/{first.days_in_month}")
    own = [s.name for s in workload.streams if s.growth is not None]
    if own:
        notes.append(("--growth replaces the streams' own growth: " if main.options.growth_overrides
                      else "streams with their own growth: ") + ", ".join(own))
    if len(report.forecasts) > 1:
        notes.append(FIFTY_X_NOTE)
    return notes


def forecast_view(report: ForecastReport, limit: Decimal | None = None) -> View:
    workload = report.workload
    currency = workload.currency
    main = report.forecasts[0]
    document: dict[str, Any] = {
        **envelope(report.catalog_version, report.as_of, currency, report.exchange_rates),
        "workload": workload.name,
        "today_monthly_cost": report.today.monthly_cost,
        **{key: value for key, value in _forecast_document(main).items() if key in ("months", "total_cost")},
        "growth": main.options.growth,
        "price_change": main.options.price_change,
        "price_change_from": main.options.price_change_from,
        "catalog_price_changes": [{"model": model, "since": since} for model, since in report.price_changes],
        "price_trend": main.options.price_trend,
        "elasticity": main.options.elasticity,
    }
    if len(report.forecasts) > 1:
        document["scenarios"] = [_forecast_document(f) for f in report.forecasts]
    if limit is not None:
        document["max"] = limit
        document["months_over"] = months_over(report.forecasts, limit)
    if len(report.forecasts) == 1:
        table = Table(
            title=f"{workload.name}: {main.options.months} months from today ({_options_text(main)})",
            columns=(Column("Month", key="month", priority=ESSENTIAL), Column("Prices", Kind.RATIO, "price_factor", priority=SECONDARY),
                     Column("Volume", Kind.RATIO, "volume_factor", priority=SECONDARY),
                     Column("Monthly cost", Kind.MONEY, "monthly_cost", "Monthly", ESSENTIAL)),
            rows=tuple((m.month, m.price_factor, m.volume_factor, m.monthly_cost) for m in main.months),
            total=("total", None, None, main.total_cost),
        )
        first = main.months[0]
        part = f" ({first.days} of {first.days_in_month} days)" if first.days != first.days_in_month else ""
        summary = [f"{main.options.months} months: {money_text(main.total_cost, currency)} in all; month 1 "
                   f"{money_text(first.monthly_cost, currency)}{part}, month {main.options.months} "
                   f"{money_text(main.months[-1].monthly_cost, currency)} a month."]
        chart = _chart(main, currency)
    else:
        table = Table(
            title=f"{workload.name}: {main.options.months} months under the articles' price scenarios "
                  f"(growth {percent_text(main.options.growth, signed=True)} a month"
                  + (f", elasticity {decimal_text(main.options.elasticity)}" if main.options.elasticity else "") + ")",
            columns=(Column("Month", key="month", priority=ESSENTIAL),
                     *(Column(f.name, Kind.MONEY, f.name.replace(" ", "_"), priority=ESSENTIAL) for f in report.forecasts)),
            rows=tuple((m.month, *(f.months[i].monthly_cost for f in report.forecasts))
                       for i, m in enumerate(main.months)),
            total=("total", *(f.total_cost for f in report.forecasts)),
        )
        summary = [f"{f.name}: {money_text(f.total_cost, currency)} over {f.options.months} months, peak "
                   f"{money_text(f.peak.monthly_cost, currency)} ({f.peak.month})" for f in report.forecasts]
        chart = ()
    if limit is not None:
        over = document["months_over"]
        summary.append(f"Over --max {money_text(limit, currency)} in {len(over)} month(s): {', '.join(over)}." if over
                       else f"Every month stays within --max {money_text(limit, currency)}.")
    notes = _notes(report)
    return View("forecast", document, (table,), footer(report.catalog_version, report.as_of, *notes, currency=currency,
                                                        rates=report.exchange_rates),
                tuple(summary), chart, currency=currency, mermaid=_mermaid(report))
