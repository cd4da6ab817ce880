"""The readers of coding agents' own logs: Codex CLI's session rollouts, Gemini CLI's chat files and Qwen Code's
chat files, each into requests (`Record`s) with the de-duplication rule its format needs.

- Codex CLI (`$CODEX_HOME/sessions/**/rollout-*.jsonl`): `turn_context` lines name the model; `event_msg` lines
  of type `token_count` carry `info.total_token_usage` (cumulative over the session) and `info.last_token_usage`
  (the request just made). Codex writes the same snapshot again (rate-limit and UI refreshes) with the total
  unchanged: an event counts only when its cumulative total moved on from the previous one in its file, it counts
  its `last_token_usage` (the difference of the totals where that is missing), and it is keyed by its session (the
  file's first `session_meta` id, else its first timestamp) with (total, last): a copy of the same rollout counts
  once, two sessions with equal counts twice. A forked or sub-agent session (`forked_from_id`,
  `source.subagent.thread_spawn`) starts by replaying its parent's snapshots, stamped at the fork moment (or with
  the parent's own stamps): those leading events, each within a second of the fork's start or of the replayed one
  before, are skipped as REPLAYED (ccusage's rule) and stay on the parent's days. Input includes cached input and
  cache writes (`cache_write_input_tokens`); output includes reasoning (checked against `total_tokens`).
- Gemini CLI (`~/.gemini/tmp/<project>/chats/`): a session is one JSON document (`messages`) or JSON lines (a
  metadata line with `sessionId` and `projectHash`, then messages, rewritten whole when they change); a message
  of type `gemini` has `tokens` (`input` = promptTokenCount with the cached tokens inside, `output`, `cached`,
  `thoughts`, `tool`, `total`) and `model`. Keyed by message `id`: a rewritten message counts once.
- Qwen Code (`~/.qwen/projects/<project>/chats/<session>.jsonl`): an `assistant` record has `usageMetadata`
  (`promptTokenCount` with `cachedContentTokenCount` inside, `candidatesTokenCount` with `thoughtsTokenCount`
  inside unless `totalTokenCount` says otherwise) and `model`. Keyed by its `uuid`: a branched session copies records with their uuid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from aicost.usage.lines import MAX_LINE_BYTES, LineTooLong
from aicost.usage.records import (
    BAD_TOKENS,
    INCONSISTENT,
    MAX_TOKENS_PER_RECORD,
    NO_USAGE,
    NOT_OBJECT,
    TOO_LARGE,
    Record,
    Skip,
    Tokens,
    day_of,
    model_name,
    moment_of,
    record_of,
    request_key,
)
from aicost.usage.tally import Tally

REPEATED = "Codex token count repeated unchanged (no new request)"
REPLAYED = "Codex token count replayed from the parent session into a fork or sub-agent (counted there)"
CODEX_LINE_TYPES = ("session_meta", "turn_context", "event_msg", "response_item", "compacted")  # compared, not hashed
GEMINI_MESSAGE = "gemini"


def _count(value: Any, limit: int = MAX_TOKENS_PER_RECORD) -> int | None:
    """A token count (None where the log gives none): a whole number from 0 to `limit`, else the record is skipped."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Skip(BAD_TOKENS)
    if value > limit:
        raise Skip(TOO_LARGE)
    return value


def _counted(value: Any) -> int:
    return _count(value) or 0


def _key(*parts: Any) -> int:
    """A request's key: stable across runs while the usage cache is on (`records.request_key`)."""
    return request_key(*parts)


SPLITS = ((True, True), (True, False), (False, True), (False, False))  # (cached inside input, thinking inside output)


def split_tokens(given: int, cached: int, answered: int, thinking: int, total: int | None, extra_input: int = 0,
                 thinking_inside: bool = True, written: int = 0) -> Tokens:
    """An agent's counts as billed tokens. By default `given` holds the cached tokens (every vendor's API counts
    them in the prompt) and `answered` holds the thinking ones when `thinking_inside` (OpenAI's output tokens) or
    not (Gemini's candidates). Where the log states a `total` that only another reading adds up to, that reading
    is taken: the log's own arithmetic decides. `extra_input` (Gemini's tool-use prompt) is uncached input besides;
    `written` (Codex's cache writes) is always inside `given`."""
    default = (True, thinking_inside)

    def fits(option: tuple[bool, bool], check_total: bool) -> bool:
        cached_in, thinking_in = option
        if written + (cached if cached_in else 0) > given or (thinking_in and thinking > answered):
            return False
        return not check_total or total == (given + answered + extra_input + (0 if cached_in else cached)
                                            + (0 if thinking_in else thinking))

    chosen = next((option for option in (default, *SPLITS) if fits(option, total is not None)), None)
    if chosen is None:
        if not fits(default, False):
            raise Skip(INCONSISTENT)
        chosen = default  # a total no reading adds up to: the vendor's semantics
    cached_in, thinking_in = chosen
    return Tokens((given - written - cached if cached_in else given - written) + extra_input, cached, written,
                  answered - thinking if thinking_in else answered, thinking)


# ---------------------------------------------------------------------------------------------- Codex CLI


def is_codex_line(obj: Any) -> bool:
    """A Codex CLI rollout line: a `type` of its own with a `payload` object."""
    return isinstance(obj, dict) and obj.get("type") in CODEX_LINE_TYPES and isinstance(obj.get("payload"), dict)


MAX_SESSION_TOKENS = 10**15  # a session's running total: billions in long sessions, never this


CACHE_WRITE_NAMES = ("cache_write_input_tokens", "cache_creation_input_tokens")  # newer codex-cli; inside input


def _codex_usage(usage: Any, limit: int = MAX_TOKENS_PER_RECORD) -> tuple[int, int, int, int, int, int | None] | None:
    """(input, cached input, cache writes, output, reasoning, total) of a Codex token usage object, or None when it
    has none; each count at most `limit` (one request's, unless it is a session's running total). Newer codex-cli
    releases write `cache_write_input_tokens` (inside `input_tokens`, as the cached ones are)."""
    if not isinstance(usage, dict):
        return None
    names = ("input_tokens", "cached_input_tokens", next((name for name in CACHE_WRITE_NAMES if name in usage),
             CACHE_WRITE_NAMES[0]), "output_tokens", "reasoning_output_tokens", "total_tokens")
    counts = [_count(usage.get(name), limit) for name in names]
    return counts[0] or 0, counts[1] or 0, counts[2] or 0, counts[3] or 0, counts[4] or 0, counts[5]


def _codex_model(payload: dict[str, Any]) -> str | None:
    for holder in (payload, payload.get("info")):
        if isinstance(holder, dict) and isinstance(holder.get("model"), str) and holder["model"].strip():
            return str(holder["model"])
    return None


REPLAY_GAP = dt.timedelta(seconds=1)  # a fork's replay is written in milliseconds; a real request takes longer


def _forked_from(payload: dict[str, Any]) -> bool:
    """A `session_meta` of a forked session (`forked_from_id`) or a sub-agent's (`source.subagent.thread_spawn`)."""
    source = payload.get("source")
    subagent = source.get("subagent") if isinstance(source, dict) else None
    return (isinstance(payload.get("forked_from_id"), str) and bool(payload["forked_from_id"])) or (
        isinstance(subagent, dict) and isinstance(subagent.get("thread_spawn"), dict))


CodexCounts = tuple[int, int, int, int, int, int | None]


def _difference(total: CodexCounts, previous: CodexCounts | None) -> CodexCounts:
    """A request's counts where an older release wrote the running total alone: the difference from the previous
    total (from zero when there is none, or when the total fell back: a new session written into the file)."""
    base = previous if previous is not None and all(a >= b for a, b in zip(total[:5], previous[:5], strict=True)) \
        else (0, 0, 0, 0, 0, 0)
    last = (total[0] - base[0], total[1] - base[1], total[2] - base[2], total[3] - base[3], total[4] - base[4], None)
    if max(last[:5]) > MAX_TOKENS_PER_RECORD:
        raise Skip(TOO_LARGE)
    return last


class CodexSession:
    """The state of one rollout file: its session, the model in force, the last cumulative total, and, in a forked
    or sub-agent session, how long the parent's replayed events last."""

    def __init__(self) -> None:
        self.model: str | None = None
        self.total: CodexCounts | None = None
        self.session: str | None = None  # the file's own session id (its first `session_meta`)
        self.start: str | None = None  # else the first timestamp of the file: a session's start is its own
        self.replay_until: dt.datetime | None = None  # a fork's events up to here are its parent's, replayed

    def _meta(self, obj: dict[str, Any], payload: dict[str, Any]) -> None:
        """The first `session_meta` is the file's own (a fork then copies its parent's): its id, and whether it
        is a fork or sub-agent whose parent's events come next, stamped at (or before) its start."""
        if self.session is not None:
            return
        ident = payload.get("id")
        self.session = ident if isinstance(ident, str) and ident else ""
        moment = moment_of(obj.get("timestamp"))
        if _forked_from(payload) and moment is not None:
            self.replay_until = moment + REPLAY_GAP

    def _replayed(self, stamp: Any) -> bool:
        """Whether a token count is the parent's, replayed: in a fork or sub-agent file, each of the leading counts
        stamped no later than a second after the fork began (or after the replayed count before it); the first
        later one is the session's own, and so is everything after it."""
        if self.replay_until is None:
            return False
        moment = moment_of(stamp)
        if moment is not None and moment <= self.replay_until:
            self.replay_until = max(self.replay_until, moment + REPLAY_GAP)
            return True
        self.replay_until = None
        return False

    def record(self, obj: dict[str, Any]) -> Record | None:
        """The request a line stands for, or None (a line of another kind, or no tokens); a snapshot that repeats
        the last is skipped as REPEATED, a parent's snapshot replayed into a fork as REPLAYED."""
        payload = obj["payload"]
        kind = obj.get("type")
        if self.start is None and isinstance(obj.get("timestamp"), str):
            self.start = obj["timestamp"]
        if kind == "session_meta":
            self._meta(obj, payload)
            return None
        if kind == "turn_context":
            self.model = _codex_model(payload) or self.model
            return None
        if kind != "event_msg" or payload.get("type") != "token_count":
            return None
        info = payload.get("info")
        if not isinstance(info, dict):
            return None  # a rate-limit refresh without counts
        total = _codex_usage(info.get("total_token_usage"), MAX_SESSION_TOKENS)
        last = _codex_usage(info.get("last_token_usage"))
        previous, key = self.total, None
        stamp = obj.get("timestamp")
        if self._replayed(stamp):
            self.total = total if total is not None else previous  # the baseline the fork's own counts go on from
            raise Skip(REPLAYED)
        if total is not None:
            if total == previous:
                raise Skip(REPEATED)  # the same snapshot written again: no new request
            self.total = total
            key = _key("codex", self.session or self.start, total, last)
        if last is None:
            if total is None:
                return None
            last = _difference(total, previous)
        given, cached, written, answered, thinking, stated = last
        if not (given or cached or written or answered or thinking):
            return None
        tokens = split_tokens(given, cached, answered, thinking, stated, written=written)
        name = model_name(_codex_model(payload) or self.model)
        return Record(day_of(stamp), name, tokens, key=key, format="codex", moment=moment_of(stamp))


def read_codex(lines: Iterable[bytes], tally: Tally, decode: Callable[[bytes], Any]) -> None:
    """A Codex CLI rollout file into the tally, line by line, one session's state across them."""
    session = CodexSession()
    for line in lines:
        if len(line) > MAX_LINE_BYTES:
            raise LineTooLong()
        if not line.strip():
            continue
        try:
            obj = decode(line)
            if not is_codex_line(obj):
                tally.add(record_of(obj))  # another format's line: read as everywhere else
                continue
            record = session.record(obj)
            if record is None:
                raise Skip(NO_USAGE)
            tally.add(record)
        except Skip as skipped:
            tally.skip(skipped.reason)


# ---------------------------------------------------------------------------------------------- Gemini CLI


def is_gemini_metadata(obj: Any) -> bool:
    """The first line of a Gemini CLI session in JSON lines: its `sessionId` and `projectHash`, no messages."""
    return isinstance(obj, dict) and isinstance(obj.get("sessionId"), str) and "projectHash" in obj \
        and "messages" not in obj and "type" not in obj


def is_gemini_line(obj: Any) -> bool:
    """A line of a Gemini CLI session in JSON lines: its metadata, or a `gemini` message with its `tokens`."""
    return is_gemini_metadata(obj) or (isinstance(obj, dict) and obj.get("type") == GEMINI_MESSAGE
                                        and isinstance(obj.get("tokens"), dict))


def is_gemini_session(obj: Any) -> bool:
    """A Gemini CLI session as one JSON document: `sessionId`, `projectHash` and a list of `messages`."""
    return isinstance(obj, dict) and isinstance(obj.get("messages"), list) and "projectHash" in obj


def gemini_record(message: Any, model: str | None = None) -> Record:
    """A Gemini CLI message of type `gemini` with its `tokens`, as a request keyed by its `id`."""
    if not isinstance(message, dict):
        raise Skip(NOT_OBJECT)
    tokens = message.get("tokens")
    if message.get("type") != GEMINI_MESSAGE or not isinstance(tokens, dict):
        raise Skip(NO_USAGE)
    split = split_tokens(_counted(tokens.get("input")), _counted(tokens.get("cached")), _counted(tokens.get("output")),
                         _counted(tokens.get("thoughts")), _count(tokens.get("total")), _counted(tokens.get("tool")),
                         thinking_inside=False)
    if not split.total:
        raise Skip(NO_USAGE)
    ident = message.get("id")
    stamp = message.get("timestamp")
    return Record(day_of(stamp), model_name(message.get("model") or model), split,
                  key=_key("gemini-cli", ident) if isinstance(ident, str) and ident else None, format="gemini-cli",
                  moment=moment_of(stamp))


def read_gemini_session(document: dict[str, Any], tally: Tally) -> None:
    """A Gemini CLI session document: each of its `gemini` messages."""
    for message in document["messages"]:
        try:
            tally.add(gemini_record(message))
        except Skip as skipped:
            tally.skip(skipped.reason)


def read_gemini_lines(lines: Iterable[bytes], tally: Tally, decode: Callable[[bytes], Any]) -> None:
    """A Gemini CLI session in JSON lines: messages (a rewritten one keyed alike); the metadata line, `$set` and
    `$rewindTo` records are no requests (counted as no usage: a rewound request was still billed and counts)."""
    for line in lines:
        if len(line) > MAX_LINE_BYTES:
            raise LineTooLong()
        if not line.strip():
            continue
        try:
            obj = decode(line)
            tally.add(gemini_record(obj) if isinstance(obj, dict) and obj.get("type") == GEMINI_MESSAGE
                      else record_of(obj))
        except Skip as skipped:
            tally.skip(skipped.reason)


# ---------------------------------------------------------------------------------------------- Qwen Code


def is_qwen_record(obj: Any) -> bool:
    """A Qwen Code chat record with usage: `usageMetadata` on an `assistant` record with a `uuid`."""
    return isinstance(obj, dict) and isinstance(obj.get("usageMetadata"), dict) and isinstance(obj.get("uuid"), str)


def qwen_record(obj: dict[str, Any]) -> Record:
    """A Qwen Code assistant record as a request keyed by its `uuid` (a branched session's copy keeps it)."""
    if obj.get("type") != "assistant":
        raise Skip(NO_USAGE)
    usage = obj["usageMetadata"]
    # Qwen Code's OpenAI-compatible converter writes completion_tokens (reasoning inside, OpenAI's rule) as
    # candidatesTokenCount and reasoning_tokens as thoughtsTokenCount: thoughts are inside the candidates unless a
    # total says otherwise; a total of 0 is the converter's stand-in for none.
    tokens = split_tokens(_counted(usage.get("promptTokenCount")), _counted(usage.get("cachedContentTokenCount")),
                          _counted(usage.get("candidatesTokenCount")), _counted(usage.get("thoughtsTokenCount")),
                          _count(usage.get("totalTokenCount")) or None, _counted(usage.get("toolUsePromptTokenCount")),
                          thinking_inside=True)
    if not tokens.total:
        raise Skip(NO_USAGE)
    stamp = obj.get("timestamp")
    return Record(day_of(stamp), model_name(obj.get("model")), tokens, key=_key("qwen-code", obj["uuid"]),
                  format="qwen-code", moment=moment_of(stamp))
