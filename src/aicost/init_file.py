"""`aicost init`: the built-in example workload as a commented TOML file (values written by tomli-w)."""

from __future__ import annotations

from typing import Any

from .workload import EXAMPLE_WORKLOAD, HOURS_PER_MONTH

HEADER = """\
# aicost workload file (format version 1).
# Price it with `aicost cost {path}`, rank vendors with `aicost compare {path}`.
# Volumes use a {hours}-hour month (365 x 24 / 12): requests_per_day x 730 / 24, requests_per_hour x 730.
"""


def command_path(path: str) -> str:
    """The file as a shell command names it (quoted where it must be); a name with control characters, which no
    comment line can hold, as the default name."""
    import shlex

    if any(ord(c) < 32 or ord(c) == 127 for c in path):
        return "aicost.toml"
    return shlex.quote(path)

STREAM_COMMENT = """\
# One [[streams]] table per kind of traffic. Give exactly one of requests_per_month, requests_per_day,
# requests_per_hour. Token counts are means per request; input_tokens includes cache reads and writes.
# Optional keys:
#   cached_input_share = 0.5   # share of input tokens read from the prompt cache (0..1)
#   cache_write_tokens = 0     # of the input tokens, how many are written to the cache (cache_write_1h_tokens: for an hour)
#   reasoning_tokens = 0       # hidden reasoning tokens, billed as output
#   batch_share = 0.0          # share of requests sent through a batch API (0..1)
#   service_tier = "flex"      # standard, flex or priority, where the model offers it (not with batch_share)
#   cache_ttl = "1h"           # 5m or 1h: the lifetime cache_write_tokens are bought for
#   off_peak_share = 0.5       # share of requests in the vendor's discounted hours (DeepSeek)
#   host = "bedrock"           # who sells the model: bedrock, vertex, azure, openrouter (default: the vendor)
#   region = "us"              # a region with an uplift (us, eu, ...); speed = "fast" where offered
#   web_search_calls = 0.2     # mean web searches per request, at the per-call fee
"""

SECTION_COMMENTS = {
    "defaults": "# Merged into every stream; a stream's own keys win.",
    "budget": "# `aicost budget` exits 1 when the monthly cost is above this (USD).",
    "routing": "# Defaults for `aicost route`: the small model's share of requests goes to `small`.",
}


def example_toml(path: str = "aicost.toml") -> str:
    """The example workload as a commented file; its comments name `path`, where it is written."""
    import tomli_w

    def dump(document: dict[str, Any]) -> str:
        return tomli_w.dumps(document).strip() + "\n"

    parts = [HEADER.format(path=command_path(path), hours=HOURS_PER_MONTH)]
    top = {key: EXAMPLE_WORKLOAD[key] for key in ("version", "name", "currency")}
    parts.append(dump(top))
    parts.append(SECTION_COMMENTS["defaults"] + "\n" + dump({"defaults": EXAMPLE_WORKLOAD["defaults"]}))
    parts.append(STREAM_COMMENT + dump({"streams": EXAMPLE_WORKLOAD["streams"]}))
    for key in ("budget", "routing"):
        parts.append(SECTION_COMMENTS[key] + "\n" + dump({key: EXAMPLE_WORKLOAD[key]}))
    return "\n".join(parts)
