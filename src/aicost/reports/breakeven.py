"""Views of `aicost breakeven subscription` and `aicost breakeven self-host`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from aicost.breakeven import ApiAlternative, SelfHostBreakEven, SubscriptionBreakEven
from aicost.money import decimal_text, money_text, percent_text, price_text, quantize
from aicost.render.view import ESSENTIAL, Column, Kind, Table, View
from aicost.workload import HOURS_PER_MONTH

from .common import bought_lines, envelope, footer

SHOWN_INTERVALS = 4  # bounded intervals a table cell lists before "… (N more)"
HUNDREDTH = Decimal("0.01")


def _mtok(value: Decimal) -> str:
    return f"{quantize(value, HUNDREDTH):,}"


def _group_rows(result: SubscriptionBreakEven) -> Table:
    currency = result.workload.currency
    return Table(
        title=f"Seat holders by group: a seat at {money_text(result.seat_price, currency)} or the API at "
              f"{price_text(quantize(result.cost_per_request or Decimal(0), Decimal('0.000001')), currency)} a request",
        columns=(Column("Group", key="group", priority=ESSENTIAL), Column("Users", Kind.COUNT, "users", priority=ESSENTIAL),
                 Column("Requests/user", Kind.COUNT, "requests_per_user", "Req/user", ESSENTIAL),
                 Column("API", Kind.MONEY, "api_monthly_cost", priority=ESSENTIAL),
                 Column("Seats", Kind.MONEY, "seats_monthly_cost", priority=ESSENTIAL),
                 Column("Cheaper", key="cheaper", priority=ESSENTIAL)),
        rows=tuple((g.group.name, g.group.users, g.group.requests, g.api_cost, g.seats_cost, g.choice)
                   for g in result.groups),
        total=("all", sum(g.group.users for g in result.groups), None, result.monthly_cost, result.all_seats_cost,
               result.best),
    )


def _mix_lines(result: SubscriptionBreakEven) -> list[str]:
    currency = result.workload.currency
    seats = [g.group.name for g in result.groups if g.choice == "subscription"]
    best = {"api": "everyone on the API", "subscription": "a seat for everyone",
            "mix": f"seats for {', '.join(seats)} only, the others on the API"}[result.best]
    return [f"All on the API {money_text(result.monthly_cost, currency)} a month; a seat for everyone "
            f"{money_text(result.all_seats_cost, currency)}; best: {best}, "
            f"{money_text(result.best_monthly_cost, currency)} a month."]


def subscription_view(result: SubscriptionBreakEven, groups_source: str | None = None,
                      notes: Sequence[str] = ()) -> View:
    """`groups_source`: where the groups came from (`--users`, or `[[seat_holders]] in FILE`); `notes`: further
    footer lines."""
    workload = result.workload
    currency = workload.currency
    break_even = result.break_even_requests_per_seat
    document: dict[str, Any] = {
        **envelope(result.catalog_version, result.as_of, currency, result.exchange_rates),
        "workload": workload.name,
        "seats": result.seats,
        "seat_price": result.seat_price,
        "monthly_cost": result.monthly_cost,
        "api_cost_per_seat": result.api_cost_per_seat,
        "requests_per_seat": result.requests_per_seat,
        "cost_per_request": result.cost_per_request,
        "break_even_requests_per_seat": break_even,
        "cheaper": result.cheaper,
        "all_seats_monthly_cost": result.all_seats_cost,
        "best": result.best,
        "best_monthly_cost": result.best_monthly_cost,
    }
    if result.groups:
        document["groups_source"] = groups_source
        document["groups"] = [{"name": g.group.name, "users": g.group.users, "requests_per_user": g.group.requests,
                               "api_monthly_cost": g.api_cost, "seats_monthly_cost": g.seats_cost,
                               "cheaper": g.choice, "monthly_cost": g.monthly_cost} for g in result.groups]
    table = Table(
        title=f"{workload.name} on the API against {result.seats:,} seat(s) at {money_text(result.seat_price, currency)}",
        columns=(Column("Seats", Kind.COUNT, "seats", priority=ESSENTIAL),
                 Column("Requests/seat", Kind.COUNT, "requests_per_seat", "Req/seat", ESSENTIAL),
                 Column("API cost/seat", Kind.MONEY, "api_cost_per_seat", "API/seat", ESSENTIAL),
                 Column("Seat price", Kind.MONEY, "seat_price", "Seat", ESSENTIAL),
                 Column("Break-even requests/seat", Kind.COUNT, "break_even_requests_per_seat", "Break-even", ESSENTIAL),
                 Column("Cheaper", key="cheaper", priority=ESSENTIAL)),
        rows=((result.seats, result.requests_per_seat, result.api_cost_per_seat, result.seat_price, break_even,
               result.cheaper),),
    )
    if break_even is None:
        line = "The API costs nothing for this traffic: any seat price is dearer."
    else:
        line = (f"Per seat the API costs {money_text(result.api_cost_per_seat, currency)} a month against a "
                f"{money_text(result.seat_price, currency)} seat: "
                f"{'paying per token' if result.cheaper == 'api' else 'the subscription'} is cheaper"
                + (" on average" if result.groups else "") + "; a seat breaks even at "
                f"{quantize(break_even, Decimal(1)):,} requests a month.")
    who = (f"the groups' {quantize(result.monthly_requests, Decimal(1)):,} requests cost" if result.groups
           else "the workload costs")
    total = (f"On the API {who} {money_text(result.monthly_cost, currency)} a month"
             + (f" in all, {money_text(result.api_cost_per_seat, currency)} for each of {result.seats:,} seats."
                if result.seats != 1 else "."))
    footer_notes = [f"workload: {workload.source}", *bought_lines(workload),
                    "break-even requests per seat = seat price / API cost per request", *notes]
    tables = [table]
    summary = [total, line]
    if result.groups:
        tables.append(_group_rows(result))
        summary += _mix_lines(result)
        if groups_source is not None:
            footer_notes.append(f"groups: from {groups_source}")
        footer_notes.append("groups: each user's requests cost the workload's cost per request (its token mix); the "
                            "workload's own volume only sets that cost; each group goes where it costs less")
    return View("breakeven subscription", document, tuple(tables),
                footer(result.catalog_version, result.as_of, *footer_notes, currency=currency,
                       rates=result.exchange_rates),
                tuple(summary), currency=currency)


def cheaper_text(alternative: ApiAlternative) -> str:
    """`never`, `above X`, or the intervals before it: `a to b, c to d and above X` (million tokens a month)."""
    cheaper = alternative.cheaper
    if cheaper.always_above is None:
        return "never"
    shown = [f"{_mtok(low)} to {_mtok(high)}" for low, high in cheaper.intervals[:SHOWN_INTERVALS]]
    more = len(cheaper.intervals) - SHOWN_INTERVALS + cheaper.left_off
    if more > 0:
        shown.append(f"… ({more:,} more)")
    above = f"above {_mtok(cheaper.always_above)}"
    return f"{', '.join(shown)} and {above}" if shown else above


def _self_host_document(result: SelfHostBreakEven) -> dict[str, Any]:
    return {
        **envelope(result.catalog_version, result.as_of, result.workload.currency, result.exchange_rates),
        "workload": result.workload.name,
        "gpu_hourly": result.gpu_hourly,
        "tokens_per_second": result.tokens_per_second,
        "prefill_tokens_per_second": result.prefill_tokens_per_second,
        "decode_tokens_per_second": result.decode_tokens_per_second,
        "input_share": result.input_share,
        "utilization": result.utilization,
        "self_host_cost_per_mtok": result.self_host_cost_per_mtok,
        "gpus": result.gpus,
        "gpus_needed": result.gpus_needed,
        "monthly_cost": result.monthly_cost,
        "capacity_per_gpu_mtok": result.capacity_per_gpu_mtok,
        "capacity_mtok": result.capacity_mtok,
        "workload_mtok": result.workload_mtok,
        "quality": result.quality,
        "models": [{"model": a.model, "monthly_cost": a.monthly_cost, "cost_per_mtok": a.cost_per_mtok,
                    "break_even_mtok": a.break_even_mtok,
                    "cheaper_intervals": [{"from_mtok": low, "to_mtok": high} for low, high in a.cheaper.intervals],
                    "cheaper_intervals_left_off": a.cheaper.left_off, "reason": a.reason}
                   for a in result.alternatives],
    }


def _throughput_text(result: SelfHostBreakEven) -> str:
    rate = decimal_text(quantize(result.tokens_per_second, HUNDREDTH))
    if result.prefill_tokens_per_second == result.decode_tokens_per_second:
        return f"{rate} tokens/s"
    return (f"{rate} tokens/s for this mix: 1 / ({percent_text(result.input_share)} input / "
            f"{decimal_text(result.prefill_tokens_per_second)} prefill + "
            f"{percent_text(1 - result.input_share)} output / {decimal_text(result.decode_tokens_per_second)} decode)")


def self_host_view(result: SelfHostBreakEven) -> View:
    workload = result.workload
    currency = workload.currency
    priced = [a for a in result.alternatives if a.monthly_cost is not None]
    table = Table(
        title=f"{workload.name} ({_mtok(result.workload_mtok)} million tokens a month) on the API, "
              f"against {result.gpus} GPU(s) at {money_text(result.monthly_cost, currency)} a month",
        columns=(Column("Model", key="model", priority=ESSENTIAL),
                 Column("API monthly cost", Kind.MONEY, "monthly_cost", "API/month", ESSENTIAL),
                 Column("API cost/Mtok", Kind.MONEY, "cost_per_mtok", "API/Mtok"),
                 Column("Self-hosting cheaper at (Mtok/month)", key="self_host_cheaper", short="Self-host cheaper",
                        priority=ESSENTIAL, wrap=True)),
        rows=tuple((a.model, a.monthly_cost, a.cost_per_mtok, cheaper_text(a)) for a in priced),
    )
    summary = [f"Self-hosted: {money_text(result.self_host_cost_per_mtok, currency)} per million tokens at the stated "
               f"utilisation (hourly {money_text(result.gpu_hourly, currency)} / ({_throughput_text(result)} x 3,600 x "
               f"{percent_text(result.utilization)})); one GPU serves {_mtok(result.capacity_per_gpu_mtok)} million "
               f"tokens a month; this workload needs {result.gpus_needed} GPU(s)."]
    if result.gpus < result.gpus_needed:
        summary.append(f"{result.gpus} GPU(s) serve {_mtok(result.capacity_mtok)} million tokens a "
                       f"month: not enough for this workload's {_mtok(result.workload_mtok)}.")
    never = sum(1 for a in priced if a.break_even_mtok is None)
    if result.gpus >= result.gpus_needed:
        cheaper = [a for a in priced if a.monthly_cost is not None and a.monthly_cost > result.monthly_cost]
        summary.append(f"At this volume the GPUs cost less than {len(cheaper)} of {len(priced)} API models; "
                       f"{never} never break even.")
    else:
        summary.append(f"{never} of {len(priced)} API models never break even.")
    least = f"{result.gpus} GPUs" if result.gpus > 1 and result.gpus != result.gpus_needed else "1 GPU"
    notes = [f"workload: {workload.source}", *bought_lines(workload),
             f"a month is {HOURS_PER_MONTH} GPU hours; GPUs are whole (from {least}, one more whenever the volume "
             "passes their capacity), so self-hosting can be cheaper in bands a to b (just above b the next GPU makes "
             "it dearer) and stays cheaper only above the last figure; never: the API costs less per token than a "
             "GPU at the stated utilisation"]
    if result.quality is not None:
        notes.append(f"quality: the local model gives {percent_text(result.quality)} of the API model's quality (your "
                     "figure) — the break-even compares cost only")
    tables = [table]
    unpriced = [a for a in result.alternatives if a.monthly_cost is None]
    if unpriced:
        tables.append(Table(title="Excluded (cannot be priced: unknown is not free)",
                            columns=(Column("Model", key="model", priority=ESSENTIAL),
                                     Column("Reason", key="reason", priority=ESSENTIAL, wrap=True)),
                            rows=tuple((a.model, a.reason) for a in unpriced)))
    return View("breakeven self-host", _self_host_document(result), tuple(tables),
                footer(result.catalog_version, result.as_of, *notes, currency=currency, rates=result.exchange_rates),
                tuple(summary), currency=currency)
