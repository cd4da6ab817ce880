"""msgspec types of a Claude Code log line: the fields `aicost usage` reads; everything else is skipped unbuilt.

Imported only when msgspec is installed (`aicost-calc[logs]`). No `from __future__ import annotations` here: msgspec
reads these annotations as types. Token counts are checked here, in C: whole numbers from 0 to 100,000,000.
"""

from typing import Annotated

import msgspec

Count = Annotated[int, msgspec.Meta(ge=0, le=100_000_000)]  # as usage.MAX_TOKENS_PER_RECORD


class CacheCreation(msgspec.Struct):
    ephemeral_5m_input_tokens: Count | None = None
    ephemeral_1h_input_tokens: Count | None = None


class ServerToolUse(msgspec.Struct):
    web_search_requests: Count | None = None


class Usage(msgspec.Struct):
    input_tokens: Count | None = None
    output_tokens: Count | None = None
    cache_read_input_tokens: Count | None = None
    cache_creation_input_tokens: Count | None = None
    cache_creation: CacheCreation | None = None
    server_tool_use: ServerToolUse | None = None
    service_tier: str | None = None


class Message(msgspec.Struct):
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None


class Line(msgspec.Struct):  # requestId is not read (message.id keys a request): skipped unbuilt, like the rest
    message: Message | None = None
    timestamp: str | None = None


DECODER = msgspec.json.Decoder(Line)
