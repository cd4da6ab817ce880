"""msgspec types of a Claude Code log line: the fields `aicost usage` reads; everything else is skipped unbuilt.

Imported only when msgspec is installed (`aicost[logs]`). No `from __future__ import annotations` here: msgspec
reads these annotations as types.
"""

import msgspec


class Usage(msgspec.Struct):
    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_input_tokens: int | None = None
    cache_creation_input_tokens: int | None = None


class Message(msgspec.Struct):
    usage: Usage | None = None
    model: str | None = None
    id: str | None = None


class Line(msgspec.Struct):
    message: Message | None = None
    requestId: str | None = None
    timestamp: str | None = None


DECODER = msgspec.json.Decoder(Line)
