"""A developer tool: the JSON Schema (draft 2020-12) of the workload file, built from the key lists in `workload.py`.

Editors use it to complete and check `aicost.toml` (taplo / Even Better TOML) or a JSON workload (VS Code).
The committed copy, `src/aicost/workload.schema.json`, is written by `python tools/generate.py` and a test
fails when it drifts from this function.  What a schema cannot say (cached input plus cache writes within
input_tokens, unique stream names, model ids known to the catalog) `aicost` itself checks when it loads.
"""

from __future__ import annotations

import json
from typing import Any

from aicost.catalog import CURRENCIES
from aicost.seats import MAX_GROUP_USERS, MAX_GROUPS, MAX_USER_REQUESTS, SEAT_HOLDER_KEYS, SEAT_VOLUME_KEYS
from aicost.stream_terms import CALL_KEYS, CHOICE_KEYS, NAME_KEYS, NAME_PATTERN
from aicost.workload import (
    BUDGET_KEYS,
    FORMAT_VERSION,
    HOURS_PER_MONTH,
    MAX_SIZE_BANDS,
    MAX_TOKENS,
    MEAN_KEYS,
    REQUIRED_STREAM_KEYS,
    ROUTING_KEYS,
    ROUTING_MODEL_KEYS,
    ROUTING_MODES,
    ROUTING_SHARE_KEYS,
    SCHEMA_KEY,
    SHARE_KEYS,
    SIZE_KEYS,
    STREAM_KEYS,
    TOKEN_KEYS,
    TOP_LEVEL_KEYS,
    VOLUME_KEYS,
)

SCHEMA_ID = "https://raw.githubusercontent.com/aicost/aicost/main/src/aicost/workload.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"

DESCRIPTIONS = {
    "version": f"Format version of the workload file: {FORMAT_VERSION}.",
    "name": "Name of the workload, shown in reports.",
    "currency": "Currency of the reports and the budget; prices in another currency are converted at the catalog's dated rate.",
    "defaults": "Stream keys merged into every stream (a stream's own keys win; a stream's volume replaces the default volume).",
    "streams": "The traffic: one table per kind of request.",
    "budget": "The monthly budget that `aicost budget` checks when --max is not given.",
    "routing": "Defaults for `aicost route`.",
    "quality": "Quality scores 0..1 by model id or alias, used by the routing planner.",
    "profiles": "Per-model token counts by model id or alias: output_tokens and reasoning_tokens that model answers with, "
                "instead of the streams' own, in cost, compare and route.",
    "adjustments": "Negotiated discounts and a platform fee, applied to every price and shown in reports.",
    "seat_holders": "Who would hold seats, for `aicost breakeven subscription` (--users replaces them): groups of users "
                    "alike, each group with its name, its users and the requests each of them sends a month (or a day). "
                    "Each group goes to seats or the API, whichever costs it less.",
    "discount": "Discount by vendor id or model id (a model's own wins): 0.15 or \"15%\".",
    "platform_fee": "A fee on everything after discounts, e.g. a gateway's credit fee: 0.055 or \"5.5%\".",
    "monthly": "Monthly budget in the workload's currency.",
    "model": "A catalog model id or alias (`aicost pricing list`).",
    "requests_per_month": f"Requests in a month ({HOURS_PER_MONTH} hours). Give exactly one volume key.",
    "requests_per_day": f"Requests a day; a month is {HOURS_PER_MONTH} hours, so x {HOURS_PER_MONTH} / 24. Give exactly one volume key.",
    "requests_per_hour": f"Requests an hour; x {HOURS_PER_MONTH} for a month. Give exactly one volume key.",
    "input_tokens": "Mean input tokens per request, cache reads and writes included.",
    "output_tokens": "Mean output tokens per request.",
    "cached_input_share": "Share 0..1 of the input tokens read from the prompt cache: 0.5 or \"50%\".",
    "cache_write_tokens": "Of the input tokens, how many are written to the prompt cache.",
    "reasoning_tokens": "Mean hidden reasoning tokens per request, billed as output.",
    "batch_share": "Share 0..1 of requests sent through a batch API: 0.5 or \"50%\".",
    "service_tier": "standard, flex or priority, where the model offers it (`aicost pricing show MODEL`); not with "
                    "batch_share above 0.",
    "speed": "standard or fast, where the model offers a fast mode.",
    "cache_ttl": "5m or 1h: the lifetime the cache writes are bought for (1h needs cache writes: cache_write_tokens "
                 "above 0, or in a size band).",
    "off_peak_share": "Share 0..1 of requests sent in the vendor's discounted time window (DeepSeek's off-peak hours): 0.5 or \"50%\".",
    "host": "Who sells the model: bedrock, vertex, azure, openrouter, ... where the catalog lists the model there; "
            "default: the vendor's own API.",
    "region": "A region with an uplift the catalog knows for the model (us, eu, ...); default: global processing.",
    "web_search_calls": "Mean web searches per request, priced at the model's per-call fee.",
    "sizes": "Size bands instead of the mean input_tokens and output_tokens: each a share of the stream's requests "
             "(the shares sum to exactly 1) with its own input_tokens and output_tokens (and optionally "
             "reasoning_tokens, cached_input_share, cache_write_tokens), priced at its own long-context tier.",
    "share": "The band's share of the stream's requests, above 0 and at most 1: 0.1 or \"10%\".",
    "growth": "Monthly volume growth for aicost forecast, compounding (0.05 = +5 % a month; above -1).",
    "small": "The small model (id or alias).",
    "frontier": "The frontier model (id or alias).",
    "small_share": "Router: the small model's share of requests, 0..1.",
    "mode": "router (each request to one model) or cascade (small first, escalations also to the frontier).",
    "escalation": "Cascade: the share of requests also sent to the frontier model, 0..1.",
}

_TEXT: dict[str, Any] = {"type": "string", "minLength": 1, "pattern": "\\S"}
_SHARE: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": 1}
_PERCENT: dict[str, Any] = {"type": "string", "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*%\\s*$"}
_SHARE_OR_PERCENT: dict[str, Any] = {"oneOf": [_SHARE, _PERCENT]}  # a stream's shares: 0.5 or "50%"
_AMOUNT: dict[str, Any] = {"type": "number", "minimum": 0}
_TOKENS: dict[str, Any] = {"type": "number", "minimum": 0}  # means per request: decimals allowed


def _described(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": DESCRIPTIONS[key], **schema} if key in DESCRIPTIONS else dict(schema)


def _routing_schema() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key in ROUTING_KEYS:
        if key in ROUTING_MODEL_KEYS:
            properties[key] = _described(key, _TEXT)
        elif key in ROUTING_SHARE_KEYS:
            properties[key] = _described(key, _SHARE)
        elif key == "mode":
            properties[key] = _described(key, {"enum": list(ROUTING_MODES)})
        else:
            raise AssertionError(f"routing key {key!r} has no schema type: classify it in workload.py")
    return {"type": "object", "additionalProperties": False, "properties": properties}


def _stream_properties() -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for key in STREAM_KEYS:
        if key in ("name", "model"):
            properties[key] = _described(key, _TEXT)
        elif key in VOLUME_KEYS:
            properties[key] = _described(key, _AMOUNT)
        elif key in TOKEN_KEYS:
            properties[key] = _described(key, _TOKENS)
        elif key in SHARE_KEYS:
            properties[key] = _described(key, _SHARE_OR_PERCENT)
        elif key in CHOICE_KEYS:
            properties[key] = _described(key, {"enum": list(CHOICE_KEYS[key])})
        elif key in NAME_KEYS:
            properties[key] = _described(key, {"type": "string", "pattern": NAME_PATTERN})
        elif key in CALL_KEYS:
            properties[key] = _described(key, {**_TOKENS, "maximum": MAX_TOKENS})
        elif key == "routing":
            properties[key] = {"description": "Routing defaults for this stream.", "$ref": "#/$defs/routing"}
        elif key == "growth":
            properties[key] = _described(key, {"type": "number", "exclusiveMinimum": -1, "maximum": 100})
        elif key == "sizes":
            properties[key] = _described(key, _sizes_schema())
        else:
            raise AssertionError(f"stream key {key!r} has no schema type: classify it in workload.py")
    return properties


def _sizes_schema() -> dict[str, Any]:
    share = {"oneOf": [{"type": "number", "exclusiveMinimum": 0, "maximum": 1},
                       {"type": "string", "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*%\\s*$"}]}
    band: dict[str, Any] = {"share": _described("share", share)}
    for key in SIZE_KEYS[1:]:
        band[key] = _described(key, _SHARE_OR_PERCENT if key in SHARE_KEYS else {**_TOKENS, "maximum": MAX_TOKENS})
    return {"type": "array", "minItems": 1, "maxItems": MAX_SIZE_BANDS, "items": {
        "type": "object", "additionalProperties": False, "required": list(SIZE_KEYS[:3]), "properties": band}}


def _seat_holders_schema() -> dict[str, Any]:
    requests = {"type": "number", "minimum": 0, "maximum": int(MAX_USER_REQUESTS)}
    properties: dict[str, Any] = {
        "name": {"description": "The group's name, unique among the groups.", **_TEXT},
        "users": {"description": "How many users the group has.", "type": "integer", "minimum": 1,
                  "maximum": MAX_GROUP_USERS},
        "requests_per_month": {"description": "Requests each user sends in a month. Give exactly one of "
                               "requests_per_month and requests_per_day.", **requests},
        "requests_per_day": {"description": f"Requests each user sends a day (x {HOURS_PER_MONTH} / 24 for a month). "
                             "Give exactly one of requests_per_month and requests_per_day.", **requests},
    }
    assert tuple(properties) == SEAT_HOLDER_KEYS, "classify the new seat holder key in tools/workload_schema.py"
    return {"type": "array", "minItems": 1, "maxItems": MAX_GROUPS, "items": {
        "type": "object", "additionalProperties": False, "required": ["name", "users"], "properties": properties,
        "oneOf": [{"required": [key]} for key in SEAT_VOLUME_KEYS]}}


def _means_or_sizes() -> dict[str, Any]:
    """A stream gives the mean sizes or the bands, not both."""
    return {"not": {"anyOf": [{"required": ["sizes", key]} for key in MEAN_KEYS]}}


def _at_most_one_volume() -> dict[str, Any]:
    pairs = [[a, b] for i, a in enumerate(VOLUME_KEYS) for b in VOLUME_KEYS[i + 1 :]]
    return {"not": {"anyOf": [{"required": pair} for pair in pairs]}}


def _unless_in_defaults(condition: dict[str, Any], stream_rule: dict[str, Any]) -> dict[str, Any]:
    """Every stream must satisfy `stream_rule` unless [defaults] satisfies `condition`."""
    return {
        "if": {"required": ["defaults"], "properties": {"defaults": condition}},
        "else": {"properties": {"streams": {"items": stream_rule}}},
    }


def workload_schema() -> dict[str, Any]:
    stream_properties = _stream_properties()
    defaults_properties = {key: value for key, value in stream_properties.items() if key != "name"}
    top: dict[str, Any] = {}
    for key in TOP_LEVEL_KEYS:
        if key == SCHEMA_KEY:
            top[key] = {"type": "string", "description": "The JSON Schema of this file, for editors; ignored by aicost."}
        elif key == "version":
            top[key] = _described(key, {"const": FORMAT_VERSION})
        elif key == "name":
            top[key] = _described(key, _TEXT)
        elif key == "currency":
            top[key] = _described(key, {"enum": list(CURRENCIES), "default": CURRENCIES[0]})
        elif key == "defaults":
            top[key] = _described(key, {"$ref": "#/$defs/defaults"})
        elif key == "streams":
            top[key] = _described(key, {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/stream"}})
        elif key == "budget":
            top[key] = _described(key, {
                "type": "object",
                "additionalProperties": False,
                "required": list(BUDGET_KEYS),
                "properties": {k: _described(k, _AMOUNT) for k in BUDGET_KEYS},
            })
        elif key == "routing":
            top[key] = _described(key, {"$ref": "#/$defs/routing"})
        elif key == "quality":
            top[key] = _described(key, {"type": "object", "additionalProperties": _SHARE})
        elif key == "profiles":
            tokens = {"type": "number", "minimum": 0, "maximum": MAX_TOKENS}
            top[key] = _described(key, {"type": "object", "additionalProperties": {
                "type": "object", "additionalProperties": False,
                "properties": {"output_tokens": tokens, "reasoning_tokens": tokens}}})
        elif key == "adjustments":
            share_or_percent = {"oneOf": [_SHARE, {"type": "string", "pattern": "^\\s*[0-9]*\\.?[0-9]+\\s*%\\s*$"}]}
            top[key] = _described(key, {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "discount": _described("discount", {"type": "object", "additionalProperties": share_or_percent}),
                    "platform_fee": _described("platform_fee", share_or_percent),
                },
            })
        elif key == "seat_holders":
            top[key] = _described(key, _seat_holders_schema())
        else:
            raise AssertionError(f"top-level key {key!r} has no schema type: classify it in schema.py")
    rules = [_unless_in_defaults({"required": [key]}, {"required": [key]}) for key in REQUIRED_STREAM_KEYS
             if key not in MEAN_KEYS]
    rules += [_unless_in_defaults({"anyOf": [{"required": [key]}, {"required": ["sizes"]}]},
                                  {"anyOf": [{"required": [key]}, {"required": ["sizes"]}]}) for key in MEAN_KEYS]
    rules.append(
        _unless_in_defaults(
            {"anyOf": [{"required": [key]} for key in VOLUME_KEYS]},
            {"anyOf": [{"required": [key]} for key in VOLUME_KEYS]},
        )
    )
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "aicost workload file",
        "description": (
            f"An aicost workload, format version {FORMAT_VERSION} (TOML, or JSON with the same keys). "
            f"A month is {HOURS_PER_MONTH} hours. Generated from aicost's code by `python tools/generate.py`."
        ),
        "type": "object",
        "additionalProperties": False,
        "required": ["streams"],
        "properties": top,
        "allOf": rules,
        "$defs": {
            "stream": {
                "type": "object",
                "additionalProperties": False,
                "properties": stream_properties,
                "allOf": [_at_most_one_volume(), _means_or_sizes()],
            },
            "defaults": {
                "type": "object",
                "additionalProperties": False,
                "properties": defaults_properties,
                "allOf": [_at_most_one_volume(), _means_or_sizes()],
            },
            "routing": _routing_schema(),
        },
    }


def schema_text() -> str:
    """The committed file's exact text."""
    return json.dumps(workload_schema(), indent=2, ensure_ascii=False) + "\n"
