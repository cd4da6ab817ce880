"""`aicost forecast`, `aicost breakeven subscription` and `aicost breakeven self-host`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions, command
from aicost.cli.inputs import open_inputs, split_names
from aicost.cli.output import say
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK

if TYPE_CHECKING:
    from aicost.cli.options import (
        ElasticityOption,
        GpuHourlyOption,
        GpusOption,
        GrowthOption,
        LocalQualityOption,
        MaxOption,
        ModelsOption,
        MonthsOption,
        PriceChangeFromOption,
        PriceChangeOption,
        PriceTrendOption,
        ScenariosOption,
        SeatPriceOption,
        SeatsOption,
        TokensPerSecondOption,
        UtilizationOption,
        WorkloadArgument,
    )


@command
def forecast(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    months: MonthsOption = 12,
    growth: GrowthOption = None,
    price_change: PriceChangeOption = None,
    price_change_from: PriceChangeFromOption = None,
    price_trend: PriceTrendOption = None,
    elasticity: ElasticityOption = None,
    scenarios: ScenariosOption = False,
    max: MaxOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Monthly cost for the next N months: growth, a price shock, a yearly price trend, demand elasticity; --max
    makes it a budget check (exit 1 when a month is over)."""
    from decimal import Decimal

    from aicost.errors import ParameterError
    from aicost.forecast import MAX_ELASTICITY, ForecastOptions
    from aicost.forecast import forecast as project
    from aicost.quantities import parse_amount, parse_change, parse_number
    from aicost.reports.forecast import forecast_view

    zero = Decimal(0)
    options = ForecastOptions(
        months=months,
        growth=zero if growth is None else parse_change(growth, "growth"),
        price_change=zero if price_change is None else parse_change(price_change, "price_change"),
        price_trend=zero if price_trend is None else parse_change(price_trend, "price_trend"),
        elasticity=zero if elasticity is None else parse_number(elasticity, "elasticity", MAX_ELASTICITY),
        price_change_from=price_change_from,
        growth_overrides=growth is not None,
    ).checked()
    if price_change_from is not None and not options.price_change and not scenarios:
        raise ParameterError("price_change_from", price_change_from, "times a price shock — add --price-change "
                             "(or --scenarios)")
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    limit = None if max is None else parse_amount(max, "max", loaded.currency)
    report = project(loaded, prices, day, options, scenarios)
    out.emit(forecast_view(report, limit))
    if limit is None:
        return EXIT_OK
    from aicost.forecast import months_over
    from aicost.money import money_text

    over = months_over(report.forecasts, limit)
    if over:
        say(f"aicost: over budget: {len(over)} month(s) above --max {money_text(limit, loaded.currency)}: "
            + ", ".join(over))
        return EXIT_CHECK_FAILED
    return EXIT_OK


@command
def breakeven_subscription(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    seats: SeatsOption = 1,
    seat_price: SeatPriceOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Paying per token against a seat subscription: the API cost per seat and the requests at which they are equal."""
    from decimal import Decimal

    from aicost.currency import conversion_factor
    from aicost.forecast import subscription_break_even
    from aicost.quantities import parse_amount
    from aicost.reports.forecast import subscription_view

    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    if seat_price is None:  # the articles' $20 a month, in the report's currency
        price = Decimal(20) * conversion_factor(prices, "USD", loaded.currency)
    else:
        price = parse_amount(seat_price, "seat_price", loaded.currency)
    out.emit(subscription_view(subscription_break_even(loaded, prices, day, seats, price)))
    return EXIT_OK


@command
def breakeven_self_host(
    gpu_hourly: GpuHourlyOption,
    tokens_per_second: TokensPerSecondOption,
    utilization: UtilizationOption,
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    gpus: GpusOption = None,
    quality: LocalQualityOption = None,
    models: ModelsOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Renting GPUs against paying per token: the self-hosted cost per million tokens, the GPUs this workload needs,
    and for each API model the monthly volume above which self-hosting is cheaper (or never)."""
    from decimal import Decimal

    from aicost.calc import select_models
    from aicost.forecast import MAX_TOKENS_PER_SECOND, self_host_break_even
    from aicost.quantities import parse_amount, parse_fraction, parse_positive
    from aicost.reports.forecast import self_host_view

    per_second = parse_positive(tokens_per_second, "tokens_per_second", Decimal("0.001"), MAX_TOKENS_PER_SECOND,
                                "tokens a second")
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    result = self_host_break_even(
        loaded, prices, day, select_models(prices, split_names(models)),
        gpu_hourly=parse_amount(gpu_hourly, "gpu_hourly", loaded.currency),
        tokens_per_second=per_second,
        utilization=parse_fraction(utilization, "utilization"),
        gpus=gpus,
        quality=None if quality is None else parse_fraction(quality, "quality"),
    )
    out.emit(self_host_view(result))
    return EXIT_OK
