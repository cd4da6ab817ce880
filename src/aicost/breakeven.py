"""Break-evens (`aicost breakeven`): paying per token against seat subscriptions, and against GPUs of one's own.

Subscriptions: a seat holder sends r requests a month; on the API they cost r x the workload's cost per request
(its token mix), on a seat the seat price.  Seat holders differ, so a workload may give them as groups (so many
users sending so many requests each): each group goes to whichever is cheaper for it, and the best mix (seats for
the heavy users only, say) can beat both all-API and all-seats.

Self-hosting: a GPU serves prefill (input) tokens at P a second and decode (output and reasoning) tokens at D a
second, busy a share U of a 730-hour month.  For this workload's mix (input share i, output share o = 1 - i) one GPU
serves T = 1 / (i / P + o / D) tokens a second, so its capacity is c = T x 3,600 x 730 x U / 1e6 million tokens a
month for G = hourly x 730.  GPUs are whole: a volume V needs n(V) = max(least, ceil(V / c)) of them.  Against an
API model costing p per million tokens of the mix, self-hosting is cheaper where n(V) x G < p x V:

- in the step of n GPUs, V in ((n-1)c, nc], that is V > nG/p — an interval (nG/p, nc] when nG/p < nc, i.e. when
  p > G/c, the GPU's cost per million tokens at the stated utilisation; otherwise never, at any volume;
- the steps join from the first n = M with MG/p <= (M-1)c (just above (M-1)c the M-th GPU already pays): from
  (M-1)G/p on self-hosting stays cheaper at every volume.  Below it, it is cheaper only in the intervals
  (nG/p, nc] for n = least .. M-2: just above each GPU's capacity the next GPU makes it dearer again.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import NamedTuple

from .calc import CostReport, workload_cost
from .catalog import Catalog, ExchangeRate, Model
from .currency import priced_in, rates_used
from .errors import ParameterError, UnpricedError
from .seats import MAX_GROUP_USERS, MAX_GROUPS, MAX_USER_REQUESTS, per_month
from .seats import UserGroup as UserGroup  # a file's [[seat_holders]] and --users groups alike
from .workload import HOURS_PER_MONTH, ONE, ZERO, Workload

MAX_TOKENS_PER_SECOND = Decimal(10_000_000)
MILLION = Decimal(1_000_000)
SECONDS_PER_HOUR = 3600
MAX_INTERVALS = 100  # bounded intervals listed before the volume above which self-hosting stays cheaper


# ---------------------------------------------------------------------------------------------- subscriptions


class GroupChoice(NamedTuple):
    group: UserGroup
    api_cost: Decimal  # the group's requests on the API, a month
    seats_cost: Decimal  # a seat for each of its users, a month

    @property
    def choice(self) -> str:
        """`subscription` where the seats cost less than the API; `api` otherwise (a tie stays on the API)."""
        return "subscription" if self.seats_cost < self.api_cost else "api"

    @property
    def monthly_cost(self) -> Decimal:
        return min(self.api_cost, self.seats_cost)


def parse_user_groups(text: str) -> tuple[UserGroup, ...]:
    """`light:40:200,heavy:10:3000` — NAME:USERS:REQUESTS, requests per user a month (or `100/day`, x 730 / 24)."""
    groups: list[UserGroup] = []
    for part in (piece.strip() for piece in text.split(",")):
        fields = [field.strip() for field in part.split(":")]
        if len(fields) != 3 or not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", fields[0], flags=re.ASCII):
            raise ParameterError("users", text, f"'{part}' is not NAME:USERS:REQUESTS — write e.g. "
                                 "light:40:200,heavy:10:3000 (requests a month per user, or 100/day)")
        name, users_text, requests_text = fields
        if not re.fullmatch(r"[0-9]{1,9}", users_text, flags=re.ASCII) or not 1 <= int(users_text) <= MAX_GROUP_USERS:
            raise ParameterError("users", text, f"{name}: the users must be a whole number from 1 to {MAX_GROUP_USERS:,}, "
                                 f"got '{users_text}'")
        per_day = requests_text.endswith("/day")
        number = requests_text.removesuffix("/day")
        if not re.fullmatch(r"[0-9]{1,13}(\.[0-9]{1,6})?", number, flags=re.ASCII):
            raise ParameterError("users", text, f"{name}: the requests must be a number of requests a month per user "
                                 f"(or per day with /day), got '{requests_text}'")
        requests = per_month(Decimal(number), per_day)
        if requests > MAX_USER_REQUESTS:
            raise ParameterError("users", text, f"{name}: at most {MAX_USER_REQUESTS:,} requests a month per user")
        if any(group.name == name for group in groups):
            raise ParameterError("users", text, f"the group '{name}' is given twice — give each group once")
        groups.append(UserGroup(name, int(users_text), requests))
    if len(groups) > MAX_GROUPS:
        raise ParameterError("users", None, f"at most {MAX_GROUPS} groups")
    return tuple(groups)


class SubscriptionBreakEven(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    seats: int
    seat_price: Decimal
    monthly_cost: Decimal  # the whole traffic on the API (with groups: their requests at the workload's cost each)
    monthly_requests: Decimal
    exchange_rates: tuple[ExchangeRate, ...] = ()
    groups: tuple[GroupChoice, ...] = ()  # the seat holders' distribution, when given

    @property
    def api_cost_per_seat(self) -> Decimal:
        return self.monthly_cost / self.seats

    @property
    def requests_per_seat(self) -> Decimal:
        return self.monthly_requests / self.seats

    @property
    def cost_per_request(self) -> Decimal | None:
        return self.monthly_cost / self.monthly_requests if self.monthly_requests else None

    @property
    def break_even_requests_per_seat(self) -> Decimal | None:
        """Requests a seat must send in a month for the API to cost what the seat does (None: requests are free)."""
        per_request = self.cost_per_request
        return self.seat_price / per_request if per_request else None

    @property
    def cheaper(self) -> str:
        """All on the API against a seat for everyone."""
        return "api" if self.api_cost_per_seat <= self.seat_price else "subscription"

    @property
    def all_seats_cost(self) -> Decimal:
        return self.seats * self.seat_price

    @property
    def best_monthly_cost(self) -> Decimal:
        """Each group where it costs less (without groups: the cheaper of all-API and all-seats)."""
        if not self.groups:
            return min(self.monthly_cost, self.all_seats_cost)
        return sum((group.monthly_cost for group in self.groups), ZERO)

    @property
    def best(self) -> str:
        """`api`, `subscription` (for everyone) or `mix` (seats for some groups only)."""
        if not self.groups:
            return self.cheaper
        choices = {group.choice for group in self.groups}
        return choices.pop() if len(choices) == 1 else "mix"


def subscription_break_even(workload: Workload, catalog: Catalog, as_of: dt.date, seats: int,
                            seat_price: Decimal, groups: Sequence[UserGroup] = ()) -> SubscriptionBreakEven:
    """With `groups`, the seats are theirs and so are the requests: each group's requests cost the workload's cost
    per request (its token mix); the workload's own volume only sets that cost."""
    if seats < 1:
        raise ParameterError("seats", seats, "must be at least 1 seat")
    today = workload_cost(workload, catalog, as_of)
    requests = sum((s.monthly_requests for s in today.streams), ZERO)
    if not groups:
        return SubscriptionBreakEven(workload, today.catalog_version, as_of, seats, seat_price, today.monthly_cost,
                                     requests, today.exchange_rates)
    if not requests:
        raise ParameterError("users", None, "the workload sends no requests, so a request has no cost to give the "
                             "groups — give the workload a volume")
    per_request = today.monthly_cost / requests
    choices = tuple(GroupChoice(group, group.users * group.requests * per_request, group.users * seat_price)
                    for group in groups)
    group_requests = sum((group.users * group.requests for group in groups), ZERO)
    return SubscriptionBreakEven(workload, today.catalog_version, as_of, sum(group.users for group in groups),
                                 seat_price, group_requests * per_request, group_requests, today.exchange_rates,
                                 choices)


# ---------------------------------------------------------------------------------------------- self-hosting


class CheaperVolumes(NamedTuple):
    """Where self-hosting costs less than an API model, in million tokens a month."""
    intervals: tuple[tuple[Decimal, Decimal], ...]  # (low, high]: cheaper above low up to high, then dearer again
    left_off: int  # further such intervals, not listed
    always_above: Decimal | None  # above it self-hosting stays cheaper at every volume; None: never cheaper


def cheaper_volumes(gpu_month: Decimal, capacity: Decimal, per_mtok: Decimal, least: int = 1) -> CheaperVolumes:
    """The volumes at which `least` or more whole GPUs (`gpu_month` each, `capacity` million tokens a month each)
    cost less than the API at `per_mtok` (see the module's text)."""
    if per_mtok * capacity <= gpu_month:  # the API costs at most a busy GPU per token: never
        return CheaperVolumes((), 0, None)
    # the first M > least with M x G <= p x (M - 1) x c: M >= pc / (pc - G); checked exactly around the estimate
    estimate = per_mtok * capacity / (per_mtok * capacity - gpu_month)
    joined = max(least + 1, math.ceil(estimate) - 1)
    while joined * gpu_month > per_mtok * (joined - 1) * capacity:
        joined += 1
    count = joined - 1 - least
    intervals = tuple((n * gpu_month / per_mtok, n * capacity) for n in range(least, least + min(count, MAX_INTERVALS)))
    return CheaperVolumes(intervals, max(0, count - MAX_INTERVALS), (joined - 1) * gpu_month / per_mtok)


class ApiAlternative(NamedTuple):
    model: str
    monthly_cost: Decimal | None  # the workload on this API model (None: cannot be priced)
    cost_per_mtok: Decimal | None  # of this workload's token mix
    break_even_mtok: Decimal | None  # monthly volume above which the GPUs always cost less; None: never
    reason: str | None = None  # why it cannot be priced
    cheaper: CheaperVolumes = CheaperVolumes((), 0, None)


class SelfHostBreakEven(NamedTuple):
    workload: Workload
    catalog_version: str
    as_of: dt.date
    gpu_hourly: Decimal
    tokens_per_second: Decimal  # for this workload's mix: 1 / (input share / prefill + output share / decode)
    utilization: Decimal
    gpus: int
    gpus_needed: int
    workload_mtok: Decimal  # million tokens a month (input, output and reasoning)
    quality: Decimal | None
    alternatives: tuple[ApiAlternative, ...]
    exchange_rates: tuple[ExchangeRate, ...] = ()
    prefill_tokens_per_second: Decimal = ZERO
    decode_tokens_per_second: Decimal = ZERO
    input_share: Decimal = ZERO  # of the workload's tokens, the input (prefill) ones

    @property
    def self_host_cost_per_mtok(self) -> Decimal:
        """hourly price / (tokens per second x 3,600 x utilisation / 1e6): a GPU's cost per million tokens it serves
        at the stated utilisation."""
        return self.gpu_hourly / (self.tokens_per_second * SECONDS_PER_HOUR * self.utilization / MILLION)

    @property
    def capacity_per_gpu_mtok(self) -> Decimal:
        """Million tokens of this mix one GPU serves in a 730-hour month at that utilisation."""
        return self.tokens_per_second * SECONDS_PER_HOUR * HOURS_PER_MONTH * self.utilization / MILLION

    @property
    def capacity_mtok(self) -> Decimal:
        """Million tokens the GPUs serve in a 730-hour month at that utilisation."""
        return self.gpus * self.capacity_per_gpu_mtok

    @property
    def monthly_cost(self) -> Decimal:
        return self.gpus * self.gpu_hourly * HOURS_PER_MONTH


def token_volumes(report: CostReport) -> tuple[Decimal, Decimal]:
    """Million input tokens and million output (and reasoning) tokens a month."""
    pairs = list(zip(report.streams, report.workload.streams, strict=True))
    return (sum((s.monthly_requests * stream.input_tokens for s, stream in pairs), ZERO) / MILLION,
            sum((s.monthly_requests * (stream.output_tokens + stream.reasoning_tokens) for s, stream in pairs), ZERO)
            / MILLION)


def workload_mtok(report: CostReport) -> Decimal:
    return sum(token_volumes(report), ZERO)


def _check_rate(name: str, value: Decimal) -> None:
    if value <= 0:
        raise ParameterError(name, value, "must be more than 0 tokens a second")
    if not Decimal("0.001") <= value <= MAX_TOKENS_PER_SECOND:
        raise ParameterError(name, value, f"must be between 0.001 and {MAX_TOKENS_PER_SECOND:,} tokens a second")


def mixed_rate(prefill: Decimal, decode: Decimal, input_mtok: Decimal, output_mtok: Decimal) -> tuple[Decimal, Decimal]:
    """(tokens a second one GPU serves of this mix, the input share): a GPU spends input/prefill + output/decode
    seconds on it.  A workload without tokens takes the output share 1 (decode)."""
    total = input_mtok + output_mtok
    share = input_mtok / total if total else ZERO
    if prefill == decode:
        return prefill, share
    return ONE / (share / prefill + (ONE - share) / decode), share


def self_host_break_even(workload: Workload, catalog: Catalog, as_of: dt.date, models: Sequence[Model],
                         gpu_hourly: Decimal, tokens_per_second: Decimal | None, utilization: Decimal,
                         gpus: int | None = None, quality: Decimal | None = None, *,
                         prefill_tokens_per_second: Decimal | None = None,
                         decode_tokens_per_second: Decimal | None = None) -> SelfHostBreakEven:
    """`tokens_per_second` is the shorthand for prefill and decode alike; each of the two may replace it."""
    prefill = prefill_tokens_per_second if prefill_tokens_per_second is not None else tokens_per_second
    decode = decode_tokens_per_second if decode_tokens_per_second is not None else tokens_per_second
    if prefill is None or decode is None:
        missing = ("tokens_per_second" if prefill is None and decode is None
                   else "prefill_tokens_per_second" if prefill is None else "decode_tokens_per_second")
        raise ParameterError(missing, None, "a GPU's throughput is needed — give {tokens_per_second} for both, or "
                             "{prefill_tokens_per_second} and {decode_tokens_per_second}",
                             mentions=("tokens_per_second", "prefill_tokens_per_second", "decode_tokens_per_second"))
    for name, value in (("tokens_per_second", tokens_per_second), ("prefill_tokens_per_second", prefill),
                        ("decode_tokens_per_second", decode)):
        if value is not None:
            _check_rate(name, value)
    if not ZERO < utilization <= ONE:
        raise ParameterError("utilization", utilization, "must be above 0 and at most 1 (100 %)")
    if gpu_hourly <= 0:
        raise ParameterError("gpu_hourly", gpu_hourly, "must be more than 0 — a GPU that costs nothing always wins")
    if gpus is not None and gpus < 1:
        raise ParameterError("gpus", gpus, "must be at least 1 GPU")
    catalog = priced_in(catalog, workload.currency)
    today = workload_cost(workload, catalog, as_of)
    input_mtok, output_mtok = token_volumes(today)
    volume = input_mtok + output_mtok
    rate, input_share = mixed_rate(prefill, decode, input_mtok, output_mtok)
    per_gpu = rate * SECONDS_PER_HOUR * HOURS_PER_MONTH * utilization / MILLION
    needed = max(1, math.ceil(volume / per_gpu))
    gpu_month = gpu_hourly * HOURS_PER_MONTH
    alternatives = []
    for model in dict.fromkeys(models):
        try:
            cost = workload_cost(workload.with_model(model.id), catalog, as_of).monthly_cost
        except UnpricedError as exc:
            alternatives.append(ApiAlternative(model.id, None, None, None, exc.message))
            continue
        per_mtok = cost / volume if volume else None
        cheaper = cheaper_volumes(gpu_month, per_gpu, per_mtok, gpus or 1) if per_mtok else CheaperVolumes((), 0, None)
        alternatives.append(ApiAlternative(model.id, cost, per_mtok, cheaper.always_above, None, cheaper))
    alternatives.sort(key=lambda a: (a.monthly_cost is None, a.monthly_cost or ZERO, a.model))
    used = rates_used(catalog, [a.model for a in alternatives if a.monthly_cost is not None])
    return SelfHostBreakEven(workload, today.catalog_version, as_of, gpu_hourly, rate, utilization,
                             gpus if gpus is not None else needed, needed, volume, quality, tuple(alternatives), used,
                             prefill, decode, input_share)
