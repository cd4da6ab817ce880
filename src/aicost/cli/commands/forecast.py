"""`aicost forecast`, `aicost breakeven subscription` and `aicost breakeven self-host`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aicost.cli.groups import AdjustmentOptions, PricingOptions, ReportOptions, StreamOptions, command
from aicost.cli.inputs import open_inputs, split_names
from aicost.cli.output import say
from aicost.errors import EXIT_CHECK_FAILED, EXIT_OK

if TYPE_CHECKING:
    from collections.abc import Sequence

    from aicost.cli.options import (
        DecodeTokensPerSecondOption,
        ElasticityOption,
        GpuHourlyOption,
        GpusOption,
        GrowthOption,
        LocalQualityOption,
        MaxOption,
        ModelsOption,
        MonthsOption,
        PrefillTokensPerSecondOption,
        PriceChangeFromOption,
        PriceChangeOption,
        PriceTrendOption,
        ScenariosOption,
        SeatPriceOption,
        SeatsOption,
        TokensPerSecondOption,
        UsersOption,
        UtilizationOption,
        WorkloadArgument,
    )
    from aicost.seats import UserGroup


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


def groups_volume(groups: Sequence[UserGroup]) -> str:
    """A command-line stream's volume under --users: the groups' requests a month (whole; at most a stream's maximum).
    With groups, the stream's volume only sets the cost per request, which any volume gives alike."""
    from decimal import ROUND_CEILING, Decimal

    from aicost.workload import MAX_REQUESTS

    total = sum((group.users * group.requests for group in groups), Decimal(0))
    return f"{min(max(total.to_integral_value(ROUND_CEILING), Decimal(1)), MAX_REQUESTS):f}"


@command
def breakeven_subscription(
    workload: WorkloadArgument = None,
    *,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    seats: SeatsOption = None,
    seat_price: SeatPriceOption = None,
    users: UsersOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Paying per token against a seat subscription: the API cost per seat and the requests at which they are equal;
    for groups of light and heavy users (--users, or the workload's [[seat_holders]]), the best mix of seats and API."""
    from decimal import Decimal

    from aicost.breakeven import parse_user_groups, subscription_break_even
    from aicost.currency import conversion_factor
    from aicost.errors import InputError, ParameterError
    from aicost.quantities import parse_amount
    from aicost.reports.breakeven import subscription_view

    if users is not None and seats is not None:
        raise ParameterError("seats", seats, "the seats are the {users} groups' — give {seats} or {users}, not both",
                             mentions=("users",))
    groups = () if users is None else parse_user_groups(users)
    if groups and stream.model is not None and not any(
            (stream.requests_per_month, stream.requests_per_day, stream.requests_per_hour)):
        stream = stream._replace(requests_per_month=groups_volume(groups))
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    if seat_price is None:  # the articles' $20 a month, in the report's currency
        price = Decimal(20) * conversion_factor(prices, "USD", loaded.currency)
    else:
        price = parse_amount(seat_price, "seat_price", loaded.currency)
    source = "--users" if groups else None
    notes: list[str] = []
    if loaded.seat_holders:  # the command line overrides the file: --users, or --seats for the average seat
        if groups:
            notes.append("seat holders: the workload's [[seat_holders]] are not used — --users gives the groups")
        elif seats is not None:
            notes.append(f"seat holders: the workload's [[seat_holders]] are not used — --seats {seats} gives the seats")
        else:
            groups, source = loaded.seat_holders, f"[[seat_holders]] in {loaded.source}"
    try:
        result = subscription_break_even(loaded, prices, day, seats or 1, price, groups)
    except ParameterError as exc:  # a problem with the file's groups is worded at the file's key, not at --users
        if exc.parameter != "users" or users is not None:
            raise
        raise InputError(f"{loaded.source}: seat_holders: {exc.problem}") from None
    out.emit(subscription_view(result, groups_source=source, notes=notes))
    return EXIT_OK


@command
def breakeven_self_host(
    gpu_hourly: GpuHourlyOption,
    utilization: UtilizationOption,
    workload: WorkloadArgument = None,
    *,
    tokens_per_second: TokensPerSecondOption = None,
    prefill_tokens_per_second: PrefillTokensPerSecondOption = None,
    decode_tokens_per_second: DecodeTokensPerSecondOption = None,
    stream: StreamOptions,
    terms: AdjustmentOptions,
    gpus: GpusOption = None,
    quality: LocalQualityOption = None,
    models: ModelsOption = None,
    pricing: PricingOptions,
    out: ReportOptions,
) -> int:
    """Renting GPUs against paying per token: the self-hosted cost per million tokens at the stated utilisation, the
    GPUs this workload needs, and for each API model the monthly volumes at which self-hosting is cheaper (whole
    GPUs: bands, then above a volume for good — or never)."""
    from decimal import Decimal

    from aicost.breakeven import MAX_TOKENS_PER_SECOND, self_host_break_even
    from aicost.calc import select_models
    from aicost.quantities import parse_amount, parse_fraction, parse_positive
    from aicost.reports.breakeven import self_host_view

    def rate(text: str | None, option: str) -> Decimal | None:
        return None if text is None else parse_positive(text, option, Decimal("0.001"), MAX_TOKENS_PER_SECOND,
                                                          "tokens a second")

    per_second = rate(tokens_per_second, "tokens_per_second")
    prefill = rate(prefill_tokens_per_second, "prefill_tokens_per_second")
    decode = rate(decode_tokens_per_second, "decode_tokens_per_second")
    day, prices, loaded = open_inputs(workload, stream, terms, pricing, out.quiet)
    result = self_host_break_even(
        loaded, prices, day, select_models(prices, split_names(models)),
        gpu_hourly=parse_amount(gpu_hourly, "gpu_hourly", loaded.currency),
        tokens_per_second=per_second,
        utilization=parse_fraction(utilization, "utilization"),
        gpus=gpus,
        quality=None if quality is None else parse_fraction(quality, "quality"),
        prefill_tokens_per_second=prefill,
        decode_tokens_per_second=decode,
    )
    out.emit(self_host_view(result))
    return EXIT_OK
