"""Who would hold seats (`[[seat_holders]]`): groups of users alike, for `aicost breakeven subscription`.

Seat holders are not average: a few heavy users among many light ones change which of seats and the API is
cheaper.  A workload may give them as groups, each so many users sending so many requests a month (or a day) each
— the file form of the command line's NAME:USERS:REQUESTS groups, with the same bounds.  Parsed here, priced in
`breakeven.subscription_break_even`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from .errors import shown
from .fields import Fields, type_name
from .workload import HOURS_PER_DAY, HOURS_PER_MONTH

SEAT_HOLDER_KEYS = ("name", "users", "requests_per_month", "requests_per_day")
SEAT_VOLUME_KEYS = ("requests_per_month", "requests_per_day")  # per user; exactly one
MAX_GROUPS = 100
MAX_GROUP_USERS = 100_000_000
MAX_USER_REQUESTS = Decimal(10) ** 12  # a month per user


class UserGroup(NamedTuple):
    """Seat holders alike: `users` of them, each sending `requests` requests a month."""
    name: str
    users: int
    requests: Decimal


def per_month(requests: Decimal, per_day: bool) -> Decimal:
    """A user's requests a month: as given, or a day's x 730 / 24."""
    return requests * HOURS_PER_MONTH / HOURS_PER_DAY if per_day else requests


def _group(table: Fields) -> UserGroup:
    if table.has("requests_per_hour"):
        raise table.error("a seat holder's requests are counted a month or a day — use requests_per_month or "
                          "requests_per_day", "requests_per_hour")
    table.check_keys(SEAT_HOLDER_KEYS)
    name = table.req_string("name")
    users = table.integer("users", required=True, minimum=1, maximum=MAX_GROUP_USERS)
    assert users is not None
    given = [key for key in SEAT_VOLUME_KEYS if table.has(key)]
    if len(given) > 1:
        raise table.error("gives both requests_per_month and requests_per_day — keep exactly one")
    if not given:
        raise table.error("has no requests — add requests_per_month (what each of its users sends a month) or "
                          "requests_per_day")
    key = given[0]
    written = table.decimal(key, maximum=MAX_USER_REQUESTS)
    assert written is not None
    requests = per_month(written, key == "requests_per_day")
    if requests > MAX_USER_REQUESTS:
        raise table.error(f"is {requests:,.0f} requests a month per user — at most {MAX_USER_REQUESTS:,} are accepted",
                          key)
    table.done()
    return UserGroup(name, users, requests)


def parse_seat_holders(top: Fields) -> tuple[UserGroup, ...]:
    """The workload's `[[seat_holders]]`: 1 to MAX_GROUPS groups, each named once; none when the key is absent."""
    raw = top.raw("seat_holders")
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        got = "an empty list" if isinstance(raw, list) else type_name(raw)
        raise top.error(f"must be a list of groups ([[seat_holders]] tables with name, users and requests_per_month), "
                        f"got {got}", "seat_holders")
    if len(raw) > MAX_GROUPS:
        raise top.error(f"has {len(raw)} groups — at most {MAX_GROUPS} are accepted", "seat_holders")
    groups: list[UserGroup] = []
    named: dict[str, int] = {}
    for index, table in enumerate(top.tables("seat_holders")):
        group = _group(table)
        earlier = named.setdefault(group.name, index)
        if earlier != index:
            raise table.error(f"'{shown(group.name)}' is also the name of seat_holders[{earlier}] — give each group "
                              "its own name", "name")
        groups.append(group)
    return tuple(groups)
