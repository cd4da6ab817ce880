"""A stream's terms of sale: the service tier, speed mode, cache-write lifetime, time-window share, host, region and
per-call fees it is priced under (the workload keys `service_tier`, `speed`, `cache_ttl`, `off_peak_share`, `host`,
`region`, `web_search_calls`, and the stream flags of the same names).

Here only their syntax and range are checked: whether a model is offered on a tier, by a host or in a region is the
pricing arithmetic's question (it names what the model does offer).  The defaults are held as None (the standard
tier, standard speed, the vendor's own API, global processing), so a stream that gives none of them is the stream it
always was.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .errors import shown
from .fields import Fields

if TYPE_CHECKING:
    from .workload import Stream

SERVICE_TIERS = ("standard", "flex", "priority")  # "standard" is held as None
SPEEDS = ("standard", "fast")  # "standard" is held as None
CACHE_TTLS = ("5m", "1h")  # the lifetime cache writes are bought for
KNOWN_HOSTS = ("bedrock", "vertex", "azure", "openrouter")  # offered in completion; any host the catalog knows is taken
VENDOR_HOST = "vendor"  # held as None: the vendor's own API (its id names it too)
GLOBAL_REGION = "global"  # held as None: no regional uplift
NAME_PATTERN = "^[a-z0-9][a-z0-9._-]{0,63}$"  # a host or a region as the catalog names them: us, eu, us-east-1, bedrock
CHOICE_KEYS = {"service_tier": SERVICE_TIERS, "speed": SPEEDS, "cache_ttl": CACHE_TTLS}
NAME_KEYS = ("host", "region")
CALL_KEYS = ("web_search_calls",)  # means per request, >= 0, at a per-call fee
WINDOW_SHARE_KEYS = ("off_peak_share",)  # 0..1
TERM_KEYS = ("service_tier", "speed", "cache_ttl", "off_peak_share", "host", "region", "web_search_calls")
EXCLUSIVE_TIERS = ("flex", "priority")  # not with a batch share: a batch request is billed at batch rates


def _choice(fields: Fields, key: str) -> str | None:
    value = fields.string(key)
    if value is None:
        return None
    choices = CHOICE_KEYS[key]
    if value not in choices:
        raise fields.error(f"must be one of {', '.join(choices)}, got '{shown(value)}'", key)
    return value


def _name(fields: Fields, key: str, vendor: str) -> str | None:
    value = fields.string(key)
    if value is None:
        return None
    if not re.fullmatch(NAME_PATTERN, value):
        example = "bedrock, vertex, azure, openrouter" if key == "host" else "us, eu"
        raise fields.error(f"'{shown(value)}' is not a name the catalog uses — write it in lower case letters, digits, "
                           f"'.', '_' or '-' (e.g. {example})", key)
    if key == "host" and value in (vendor, VENDOR_HOST):
        return None  # the vendor's own API: the default host
    if key == "region" and value == GLOBAL_REGION:
        return None
    return value


ONE_HOUR_WITHOUT_WRITES = ('"1h" prices the cache writes, and this stream writes none — add cache_write_tokens (of '
                           'the input tokens, how many are written to the cache) or drop cache_ttl')


def stream_terms(fields: Fields, vendor: str, batch_share: Decimal, cache_write_tokens: Decimal | None,
                 call_limit: Decimal) -> dict[str, Any]:
    """The stream's terms as `Stream` fields, checked: `vendor` is the model's (its name as a host is the default
    host), `batch_share` and `cache_write_tokens` the stream's own, its cache writes of both lifetimes (a tier is
    not sold with batch; a 1-hour lifetime needs cache writes to price: None when the caller checks that, a stream
    with size bands), `call_limit` the most calls a request may make."""
    tier = _choice(fields, "service_tier")
    if tier in EXCLUSIVE_TIERS and batch_share > 0:
        raise fields.error(f"the {tier} tier and batch_share {batch_share} are exclusive (a batch request is billed at "
                           "batch rates) — drop service_tier or give a batch_share of 0", "service_tier")
    speed = _choice(fields, "speed")
    cache_ttl = _choice(fields, "cache_ttl") or "5m"
    if cache_ttl == "1h" and cache_write_tokens == 0:
        raise fields.error(ONE_HOUR_WITHOUT_WRITES, "cache_ttl")
    off_peak = fields.share("off_peak_share")
    calls = fields.decimal("web_search_calls", maximum=call_limit)
    return {
        "service_tier": None if tier == "standard" else tier,
        "speed": None if speed == "standard" else speed,
        "cache_ttl": cache_ttl,
        "off_peak_share": off_peak if off_peak is not None else Decimal(0),
        "host": _name(fields, "host", vendor),
        "region": _name(fields, "region", vendor),
        "web_search_calls": calls if calls is not None else Decimal(0),
    }


def terms_document(stream: Stream) -> dict[str, Any]:
    """The terms a stream gives, as workload keys (what a written workload or a JSON report echoes): the defaults
    left out."""
    document: dict[str, Any] = {}
    for key, value in (("service_tier", stream.service_tier), ("speed", stream.speed), ("host", stream.host),
                       ("region", stream.region)):
        if value is not None:
            document[key] = value
    if stream.cache_ttl != "5m":
        document["cache_ttl"] = stream.cache_ttl
    if stream.off_peak_share:
        document["off_peak_share"] = stream.off_peak_share
    if stream.web_search_calls:
        document["web_search_calls"] = stream.web_search_calls
    return document


def terms_text(stream: Stream) -> str:
    """The terms a stream gives that a model must be offered under, for a message: ", on bedrock, flex tier"; empty
    for a stream on the defaults."""
    parts = [f"on {stream.host}"] if stream.host else []
    parts += [f"{stream.service_tier} tier"] if stream.service_tier else []
    parts += [f"{stream.speed} speed"] if stream.speed else []
    parts += [f"region {stream.region}"] if stream.region else []
    parts += ["1-hour cache writes"] if stream.cache_ttl == "1h" or stream.cache_write_1h_tokens else []
    parts += ["off-peak window"] if stream.off_peak_share else []
    parts += ["web search"] if stream.web_search_calls else []
    return "".join(f", {part}" for part in parts)
