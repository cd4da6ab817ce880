"""What one log record is: the formats read, the reasons a record is skipped, its tokens split by how they
are billed, and the fields of a JSON record (day, model, token counts, the Claude Code de-duplication key).
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from enum import StrEnum
from hashlib import blake2b
from typing import Any, NamedTuple

from aicost.workload import MAX_TOKENS

ZERO = Decimal(0)


class LogFormat(StrEnum):
    """How to read a log (`--log-format`); auto decides per file."""

    auto = "auto"
    claude_code = "claude-code"
    openai = "openai"
    anthropic = "anthropic"
    csv = "csv"
    codex = "codex"
    gemini_cli = "gemini-cli"
    qwen_code = "qwen-code"


class Grouping(StrEnum):
    """The rows of a usage report (`--by`)."""

    model = "model"
    day = "day"
    month = "month"
    agent = "agent"


# Where each request came from (the format it was read in: an agent's own logs or an API's responses), by a fixed
# index: the groups of a tally carry it in the top bits of their kind (see `tally.group_kind`), and the keyed
# records of de-duplication above their day ordinal (Claude Code is 0: its hot path packs the bare ordinal).
SOURCES = ("claude-code", "openai", "anthropic", "csv", "codex", "gemini-cli", "qwen-code")
SOURCE_INDEX = {name: index for index, name in enumerate(SOURCES)}
DAY_BITS = 24  # a packed day ordinal (at most 3,652,059 for 9999-12-31) fits in 22 bits; the source sits above

CSV_COLUMNS = ("date", "model", "requests", "input_tokens", "cached_input_tokens", "cache_write_tokens", "output_tokens",
               "reasoning_tokens")
CSV_REQUIRED = ("date", "model", "requests", "input_tokens", "output_tokens")
MAX_TOKENS_PER_RECORD = MAX_TOKENS  # a workload's limit (100,000,000): ten times the largest context window
MAX_REQUESTS_PER_ROW = 10**12
MAX_MODEL_NAME = 200  # characters; a longer "model" is no model id
MAX_TIMESTAMP = 64  # characters; no ISO 8601 timestamp is longer
MAX_CELL_DIGITS = 24  # a CSV count: 10^12 requests x 10^8 tokens has 21 digits

NO_USAGE = "no usage (not a model response)"
UNREADABLE = "not valid JSON"
NOT_OBJECT = "not a JSON object"
NO_MODEL = "no model name"
SYNTHETIC = "Claude Code synthetic message (no API call)"
SYNTHETIC_MODEL = "<synthetic>"
NO_TIME = "no timestamp"
BAD_TIME = "unreadable timestamp"
BAD_TOKENS = "token counts missing, negative or not whole numbers"
INCONSISTENT = "token counts contradict each other (cached or reasoning above the total)"
TOO_LARGE = "implausibly large token count"
WRONG_FORMAT = "not a record of the log format given"
DUPLICATE = "duplicate copy of a request already counted (same id)"
BEFORE = "before the since day"
AFTER = "after the until day"
BAD_ROW = "CSV row: missing or unreadable value"

KEY_MASK = (1 << 64) - 1  # a de-duplication key: the hash of a message id (Claude Code's message.id), 64 bits


class Tokens(NamedTuple):
    """Tokens by how they are billed; `output` is the visible answer, `reasoning` the hidden thinking;
    `cache_write_1h` the part of `cache_write` bought for an hour (the rest for five minutes); `web_search_calls`
    the web searches made (a count of calls, not tokens, at a per-call fee)."""

    uncached_input: int = 0
    cache_read: int = 0
    cache_write: int = 0
    output: int = 0
    reasoning: int = 0
    cache_write_1h: int = 0
    web_search_calls: int = 0

    @property
    def total(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write + self.output + self.reasoning

    @property
    def input(self) -> int:
        return self.uncached_input + self.cache_read + self.cache_write

    def __add__(self, other: Tokens) -> Tokens:  # type: ignore[override]  # token sums, not tuple concatenation
        return Tokens(*(a + b for a, b in zip(self, other, strict=True)))


class Skip(Exception):
    """A record that cannot be used, with the reason it is counted under."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Record(NamedTuple):
    day: dt.date
    model: str
    tokens: Tokens
    requests: int = 1
    key: int | None = None  # a message id, hashed: the copies of one request share it
    format: str = "openai"
    terms: int = 0  # how it was bought: service tier and batch (`terms_code`); the time window is the tally's
    # when, to the second (naive UTC), where the record says: the observed span, and a time window's price
    moment: dt.datetime | None = None


# ---------------------------------------------------------------------------------------------- terms

# How a request was bought, as a small number (the same in every reader and cache): the service tier in the low two
# bits, batch in the third, the vendor's off-peak time window in the fourth (set by the tally, which knows the
# catalog's windows).
STANDARD_TIER, FLEX, PRIORITY, OTHER_TIER = 0, 1, 2, 3
TIER_NAMES = {STANDARD_TIER: None, FLEX: "flex", PRIORITY: "priority", OTHER_TIER: "other"}
TIER_CODES = {None: STANDARD_TIER, "standard": STANDARD_TIER, "default": STANDARD_TIER, "auto": STANDARD_TIER,
              "standard_only": STANDARD_TIER, "flex": FLEX, "priority": PRIORITY}
BATCH = 4
OFF_PEAK_WINDOW = 8


def terms_code(service_tier: Any, batch: bool = False) -> int:
    """A log's service tier ("default", "flex", "priority", Anthropic's "standard", "batch", ...) and whether the
    request went through a batch API, as a terms code. A tier aicost does not price ("scale") is OTHER_TIER: its
    requests are reported unpriced, never at standard rates."""
    if batch or service_tier == "batch":
        return BATCH
    if isinstance(service_tier, str):
        service_tier = service_tier.strip().lower() or None
    code = TIER_CODES.get(service_tier) if service_tier is None or isinstance(service_tier, str) else None
    return OTHER_TIER if code is None else code


def terms_of(code: int) -> tuple[str | None, bool, bool]:
    """A terms code as (service tier or None for standard, batch, in the off-peak window)."""
    return TIER_NAMES[code & 3], bool(code & BATCH), bool(code & OFF_PEAK_WINDOW)


# ---------------------------------------------------------------------------------------------- fields


def _count(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Skip(BAD_TOKENS)
    if value > MAX_TOKENS_PER_RECORD:
        raise Skip(TOO_LARGE)
    return value


def day_of(value: Any) -> dt.date:
    """The UTC day of an ISO 8601 timestamp or date, or of Unix seconds (milliseconds above 1e11). The whole text
    is read (a valid day followed by junk is unreadable); a moment whose UTC day falls outside the years 1 to 9999
    is unreadable too."""
    return utc_moment(value).date()


def utc_moment(value: Any) -> dt.datetime:
    """The UTC moment (naive) of a timestamp as `day_of` reads it, or Skip saying why it has none; a moment
    without an offset is taken as UTC."""
    if value is None or value == "":
        raise Skip(NO_TIME)
    if isinstance(value, bool):
        raise Skip(BAD_TIME)
    if isinstance(value, int | float):
        try:
            seconds = value / 1000 if value > 1e11 else value
            return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            raise Skip(BAD_TIME) from None
    if not isinstance(value, str) or len(value) > MAX_TIMESTAMP:
        raise Skip(BAD_TIME)
    try:
        moment = dt.datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise Skip(BAD_TIME) from None
    return moment.replace(tzinfo=None)


def moment_of(value: Any) -> dt.datetime | None:
    """The UTC moment (naive) of an ISO 8601 timestamp or of Unix seconds, or None where it has none that can be
    read (its day is read by `day_of`, which says why)."""
    try:
        return utc_moment(value)
    except Skip:
        return None


def model_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_MODEL_NAME:
        raise Skip(NO_MODEL)
    return value.strip()


STABLE_KEYS = [False]  # True while a reading keeps its keys in the usage cache (usage.cache): stable across runs


def stable_key(*parts: Any) -> int:
    """A request's 64-bit key that every run computes alike (a cached file's keys meet a fresh file's): BLAKE2b-64
    of its message id (one string, the hot path), or of the parts' JSON (an agent's key: strings, numbers, tuples)."""
    text = parts[0] if len(parts) == 1 and isinstance(parts[0], str) else json.dumps(parts, separators=(",", ":"))
    return int.from_bytes(blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest(), "little")


def request_key(*parts: Any) -> int:
    """One request's de-duplication key: the same in every reader this process forks (one hash key), and in every
    run while STABLE_KEYS holds (the usage cache is on)."""
    if STABLE_KEYS[0]:
        return stable_key(*parts)
    return hash(parts[0] if len(parts) == 1 else parts) & KEY_MASK


def _key(message_id: Any) -> int | None:
    """The 64-bit key of one request's copies: its message.id (the vendor's id of one response, unique to it), the
    same in every reader this process forks (one hash key), and in every run while the cache is on. requestId is
    not needed: a resumed session's copy may carry message.id alone, and one message id never answers two
    requests."""
    if isinstance(message_id, str) and message_id:
        return request_key(message_id)
    return None


OPENAI_NAMES = (  # (input, its details, output, its details): totals that include cached and reasoning tokens
    ("prompt_tokens", "prompt_tokens_details", "completion_tokens", "completion_tokens_details"),  # Chat Completions
    ("input_tokens", "input_tokens_details", "output_tokens", "output_tokens_details"),  # Responses
)


def usage_tokens(usage: Any) -> tuple[Tokens, str]:
    """A usage object's tokens, by its field names: OpenAI Chat Completions, OpenAI Responses or Anthropic. An
    OpenAI-compatible DeepSeek usage gives its cache reads as `prompt_cache_hit_tokens` (of `prompt_tokens`)."""
    if not isinstance(usage, dict):
        raise Skip(BAD_TOKENS)
    for given_key, given_details, answer_key, answer_details in OPENAI_NAMES:
        if given_key == "input_tokens" and answer_details not in usage and given_details not in usage:
            continue  # input_tokens without details: Anthropic's names
        if given_key not in usage and answer_key not in usage:
            continue
        details, output_details = usage.get(given_details) or {}, usage.get(answer_details) or {}
        if not isinstance(details, dict) or not isinstance(output_details, dict):
            raise Skip(BAD_TOKENS)
        given, answered = _count(usage.get(given_key)), _count(usage.get(answer_key))
        cached, reasoning = _count(details.get("cached_tokens")), _count(output_details.get("reasoning_tokens"))
        if "cached_tokens" not in details and "prompt_cache_hit_tokens" in usage:  # DeepSeek's own names
            cached = _count(usage.get("prompt_cache_hit_tokens"))
            if given_key not in usage:
                given = cached + _count(usage.get("prompt_cache_miss_tokens"))
        if cached > given or reasoning > answered:
            raise Skip(INCONSISTENT)
        return Tokens(given - cached, cached, 0, answered - reasoning, reasoning), "openai"
    if "input_tokens" in usage or "output_tokens" in usage:  # Anthropic: input_tokens excludes cache reads and writes
        written, one_hour = anthropic_writes(usage.get("cache_creation_input_tokens"), usage.get("cache_creation"))
        return Tokens(_count(usage.get("input_tokens")), _count(usage.get("cache_read_input_tokens")), written,
                      _count(usage.get("output_tokens")), 0, one_hour, web_searches(usage.get("server_tool_use"))), "anthropic"
    raise Skip(BAD_TOKENS)


def anthropic_writes(total: Any, lifetimes: Any) -> tuple[int, int]:
    """Anthropic's cache writes (`cache_creation_input_tokens`) and, of them, those bought for an hour
    (`cache_creation.ephemeral_1h_input_tokens`); without the total, the two lifetimes' sum."""
    written = _count(total)
    if lifetimes is None:
        return written, 0
    if not isinstance(lifetimes, dict):
        raise Skip(BAD_TOKENS)
    five, hour = _count(lifetimes.get("ephemeral_5m_input_tokens")), _count(lifetimes.get("ephemeral_1h_input_tokens"))
    if total is None:
        written = five + hour
    if hour > written:
        raise Skip(INCONSISTENT)
    return written, hour


def web_searches(server_tool_use: Any) -> int:
    """Anthropic's `server_tool_use.web_search_requests`: the web searches a request made, each at a per-call fee."""
    if server_tool_use is None:
        return 0
    if not isinstance(server_tool_use, dict):
        raise Skip(BAD_TOKENS)
    return _count(server_tool_use.get("web_search_requests"))


def record_of(obj: Any) -> Record:
    """One log line's request: a Claude Code line, a Qwen Code chat record, a Gemini CLI message, an OpenAI (Chat
    Completions, Responses, Batch output) or an Anthropic response, or a `{model, usage, timestamp}` record."""
    if not isinstance(obj, dict):
        raise Skip(NOT_OBJECT)
    message = obj.get("message")
    if isinstance(message, dict) and "usage" in message:  # Claude Code
        if message.get("model") == SYNTHETIC_MODEL:
            raise Skip(SYNTHETIC)
        tokens, _ = usage_tokens(message["usage"])
        moment = utc_moment(obj.get("timestamp"))
        return Record(moment.date(), model_name(message.get("model")), tokens, key=_key(message.get("id")),
                      format="claude-code", terms=terms_code(_usage_tier(message["usage"])), moment=moment)
    if "usageMetadata" in obj or obj.get("type") == "gemini":  # a Qwen Code chat record, a Gemini CLI message
        from aicost.usage.agents import gemini_record, is_qwen_record, qwen_record

        if is_qwen_record(obj):
            return qwen_record(obj)
        if isinstance(obj.get("tokens"), dict):
            return gemini_record(obj)
    body, batch = obj, False
    response, result = obj.get("response"), obj.get("result")
    if isinstance(response, dict) and isinstance(response.get("body"), dict):  # an OpenAI Batch output line
        body, batch = response["body"], True
    elif isinstance(result, dict) and isinstance(result.get("message"), dict):  # an Anthropic Message Batches result
        body, batch = result["message"], True
    if "usage" not in body:
        raise Skip(NO_USAGE)
    tokens, family = usage_tokens(body["usage"])
    stamp = next((value for value in (obj.get("timestamp"), body.get("created_at"), body.get("created"),
                                      obj.get("created_at"), obj.get("created")) if value is not None), None)
    moment = utc_moment(stamp)
    tier = body.get("service_tier") if "service_tier" in body else _usage_tier(body["usage"])
    return Record(moment.date(), model_name(body.get("model")), tokens, format=family, terms=terms_code(tier, batch),
                  moment=moment)


def _usage_tier(usage: Any) -> Any:
    """Anthropic's `usage.service_tier` ("standard", "priority", "batch")."""
    return usage.get("service_tier") if isinstance(usage, dict) else None
