"""`aicost forecast`, `aicost breakeven subscription` and `aicost breakeven self-host`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicost.cli.inputs import open_catalog, open_workload, pricing_date, split_names, stream_options
from aicost.cli.output import emit, say
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK
from aicost.render import OutputFormat

if TYPE_CHECKING:
    from aicost.cli.options import (
        AsOfOption,
        BatchShareOption,
        CachedInputShareOption,
        CacheWriteTokensOption,
        CatalogOption,
        CurrencyOption,
        DiscountOption,
        ElasticityOption,
        FormatOption,
        GpuHourlyOption,
        GpusOption,
        GrowthOption,
        InputTokensOption,
        LocalQualityOption,
        MaxOption,
        ModelOption,
        ModelsOption,
        MonthsOption,
        OutputOption,
        OutputTokensOption,
        PlatformFeeOption,
        PriceChangeFromOption,
        PriceChangeOption,
        PriceTrendOption,
        QuietOption,
        ReasoningTokensOption,
        RequestsPerDayOption,
        RequestsPerHourOption,
        RequestsPerMonthOption,
        ScenariosOption,
        SeatPriceOption,
        SeatsOption,
        SummaryOption,
        TokensPerSecondOption,
        UtilizationOption,
        WorkloadArgument,
    )


def forecast(
    workload: WorkloadArgument = None,
    model: ModelOption = None,
    requests_per_month: RequestsPerMonthOption = None,
    requests_per_day: RequestsPerDayOption = None,
    requests_per_hour: RequestsPerHourOption = None,
    input_tokens: InputTokensOption = None,
    output_tokens: OutputTokensOption = None,
    cached_input_share: CachedInputShareOption = None,
    cache_write_tokens: CacheWriteTokensOption = None,
    reasoning_tokens: ReasoningTokensOption = None,
    batch_share: BatchShareOption = None,
    discount: DiscountOption = None,
    platform_fee: PlatformFeeOption = None,
    months: MonthsOption = 12,
    growth: GrowthOption = None,
    price_change: PriceChangeOption = None,
    price_change_from: PriceChangeFromOption = None,
    price_trend: PriceTrendOption = None,
    elasticity: ElasticityOption = None,
    scenarios: ScenariosOption = False,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    max: MaxOption = None,
    summary: SummaryOption = False,
) -> int:
    """Monthly cost for the next N months: growth, a price shock, a yearly price trend, demand elasticity; --max
    makes it a budget check (exit 1 when a month is over)."""
    stream = stream_options(locals())
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
    ).checked()
    if price_change_from is not None and not options.price_change and not scenarios:
        raise ParameterError("price_change_from", price_change_from, "times a price shock — add --price-change "
                             "(or --scenarios)")
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    loaded = open_workload(workload, prices, quiet, model, stream, currency, discount, platform_fee)
    limit = None if max is None else parse_amount(max, "max", loaded.currency)
    report = project(loaded, prices, day, options, scenarios)
    emit(forecast_view(report, limit), format, output, summary, quiet)
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


def breakeven_subscription(
    workload: WorkloadArgument = None,
    model: ModelOption = None,
    requests_per_month: RequestsPerMonthOption = None,
    requests_per_day: RequestsPerDayOption = None,
    requests_per_hour: RequestsPerHourOption = None,
    input_tokens: InputTokensOption = None,
    output_tokens: OutputTokensOption = None,
    cached_input_share: CachedInputShareOption = None,
    cache_write_tokens: CacheWriteTokensOption = None,
    reasoning_tokens: ReasoningTokensOption = None,
    batch_share: BatchShareOption = None,
    discount: DiscountOption = None,
    platform_fee: PlatformFeeOption = None,
    seats: SeatsOption = 1,
    seat_price: SeatPriceOption = None,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> int:
    """Paying per token against a seat subscription: the API cost per seat and the requests at which they are equal."""
    stream = stream_options(locals())
    from decimal import Decimal

    from aicost.currency import conversion_factor
    from aicost.forecast import subscription_break_even
    from aicost.quantities import parse_amount
    from aicost.reports.forecast import subscription_view

    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    loaded = open_workload(workload, prices, quiet, model, stream, currency, discount, platform_fee)
    if seat_price is None:  # the articles' $20 a month, in the report's currency
        price = Decimal(20) * conversion_factor(prices, "USD", loaded.currency)
    else:
        price = parse_amount(seat_price, "seat_price", loaded.currency)
    emit(subscription_view(subscription_break_even(loaded, prices, day, seats, price)), format, output, summary, quiet)
    return EXIT_OK


def breakeven_self_host(
    gpu_hourly: GpuHourlyOption,
    tokens_per_second: TokensPerSecondOption,
    utilization: UtilizationOption,
    workload: WorkloadArgument = None,
    model: ModelOption = None,
    requests_per_month: RequestsPerMonthOption = None,
    requests_per_day: RequestsPerDayOption = None,
    requests_per_hour: RequestsPerHourOption = None,
    input_tokens: InputTokensOption = None,
    output_tokens: OutputTokensOption = None,
    cached_input_share: CachedInputShareOption = None,
    cache_write_tokens: CacheWriteTokensOption = None,
    reasoning_tokens: ReasoningTokensOption = None,
    batch_share: BatchShareOption = None,
    discount: DiscountOption = None,
    platform_fee: PlatformFeeOption = None,
    gpus: GpusOption = None,
    quality: LocalQualityOption = None,
    models: ModelsOption = None,
    format: FormatOption = OutputFormat.table,
    as_of: AsOfOption = None,
    catalog: CatalogOption = None,
    currency: CurrencyOption = None,
    output: OutputOption = None,
    quiet: QuietOption = False,
    summary: SummaryOption = False,
) -> int:
    """Renting GPUs against paying per token: the self-hosted cost per million tokens, the GPUs this workload needs,
    and for each API model the monthly volume above which self-hosting is cheaper (or never)."""
    stream = stream_options(locals())
    from decimal import Decimal

    from aicost.calc import select_models
    from aicost.forecast import MAX_TOKENS_PER_SECOND, self_host_break_even
    from aicost.quantities import parse_amount, parse_fraction, parse_positive
    from aicost.reports.forecast import self_host_view

    per_second = parse_positive(tokens_per_second, "tokens_per_second", Decimal("0.001"), MAX_TOKENS_PER_SECOND,
                                "tokens a second")
    day = pricing_date(as_of)
    prices = open_catalog(catalog)
    loaded = open_workload(workload, prices, quiet, model, stream, currency, discount, platform_fee)
    result = self_host_break_even(
        loaded, prices, day, select_models(prices, split_names(models)),
        gpu_hourly=parse_amount(gpu_hourly, "gpu_hourly", loaded.currency),
        tokens_per_second=per_second,
        utilization=parse_fraction(utilization, "utilization"),
        gpus=gpus,
        quality=None if quality is None else parse_fraction(quality, "quality"),
    )
    emit(self_host_view(result), format, output, summary, quiet)
    return EXIT_OK
