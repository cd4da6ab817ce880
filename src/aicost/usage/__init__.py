"""Observed spend from request logs (`aicost usage`): records read, de-duplicated, priced on their own day.

Every record becomes one normalised request (or, from an aggregate CSV row, many): its UTC day, its model and
its tokens split by how they are billed — uncached input, cache reads, cache writes, visible output, reasoning.
Records that cannot be used are counted by reason, never dropped silently. Claude Code writes one line per
content block of a streamed answer, and copies earlier lines into resumed sessions: lines with the same
`message.id` are one request, and the copy with the largest token total counts. Coding agents' own logs (Codex
CLI, Gemini CLI, Qwen Code) are read by `agents`, each with its de-duplication rule.

The package, in the order a reading goes:
- `sources`: paths, directories and globs to the regular files to open; what cannot be read is reported; the
  agents' default log directories.
- `lines`: bytes to lines within bounds (MAX_LINE_BYTES a line; gzip and zstd decompressed a bounded chunk at a
  time, refused past MAX_DECOMPRESSED_BYTES or MAX_RATIO times the compressed size) and the JSON decoders.
- `records`: what a record is (its tokens, its day, its model, why it is skipped); `claude_code_lines`: the
  msgspec types of Claude Code's lines (only when msgspec is installed).
- `readers`: one reader per log format into a `tally` (JSON lines; aggregate CSV rows); `agents`: Codex CLI,
  Gemini CLI and Qwen Code logs.
- `dedup`: keyed records packed into 48 bytes, filed into 256 buckets that spill to disk, settled alone.
- `reading`: one stream, files in parallel worker processes, standard input.
- `cache`: what each file added to the tally, kept between runs (unchanged files unread, appended ones resumed).
- `pricing`: groups (day, model, kind: shape, long-context tier, terms, source) priced at the catalog period in
  force that day, as they were bought.
- `focus`: the priced groups as FOCUS 1.2 billing rows.
- `workload_writer`: the workload that reproduces the observed usage.

`aicost.usage` is the documented import path: the public names of these modules are re-exported here.
"""

from .cache import (
    MAX_CACHE_BYTES,
    MAX_ENTRIES,
    UsageCache,
)
from .dedup import (
    BUCKETS,
    PACKED,
    SPILL_BYTES,
    Deduplicator,
    spill_errors,
)
from .lines import (
    MAX_DECOMPRESSED_BYTES,
    MAX_LINE_BYTES,
    MAX_RATIO,
    RATIO_FLOOR,
    ZSTD_FEED,
    ZSTD_MAGIC,
    LineTooLong,
    claude_code_decoder,
    json_decoder,
    lines_of,
    open_log,
    raw_lines,
    unpacked,
)
from .pricing import (
    Unpriced,
    UsageReport,
    UsageRow,
    hours_text,
    observed_hours,
    price_tally,
)
from .readers import (
    read_csv,
    read_json_lines,
)
from .reading import (
    PARALLEL_BYTES,
    file_size,
    read_file,
    read_logs,
    read_standard_input,
    read_stream,
    too_large_to_decode,
)
from .records import (
    AFTER,
    BAD_ROW,
    BAD_TIME,
    BAD_TOKENS,
    BEFORE,
    CSV_COLUMNS,
    CSV_REQUIRED,
    DUPLICATE,
    INCONSISTENT,
    KEY_MASK,
    MAX_CELL_DIGITS,
    MAX_MODEL_NAME,
    MAX_REQUESTS_PER_ROW,
    MAX_TIMESTAMP,
    MAX_TOKENS_PER_RECORD,
    NO_MODEL,
    NO_TIME,
    NO_USAGE,
    NOT_OBJECT,
    OPENAI_NAMES,
    SOURCES,
    STABLE_KEYS,
    SYNTHETIC,
    SYNTHETIC_MODEL,
    TOO_LARGE,
    UNREADABLE,
    WRONG_FORMAT,
    Grouping,
    LogFormat,
    Record,
    Skip,
    Tokens,
    day_of,
    model_name,
    record_of,
    stable_key,
    usage_tokens,
)
from .sources import (
    CLAUDE_CONFIG_VARIABLE,
    COMPRESSED_SUFFIXES,
    LOG_SUFFIXES,
    WHOLE_DOCUMENT_LIMIT,
    agent_directories,
    claude_code_directories,
    discover,
)
from .tally import (
    Tally,
    shape,
)
from .workload_writer import (
    MEAN_PLACES,
    SHARE_PLACES,
    WORKLOAD_TOKEN_KEYS,
    workload_document,
    workload_problem,
)

__all__ = [
    "AFTER",
    "BAD_ROW",
    "BAD_TIME",
    "BAD_TOKENS",
    "BEFORE",
    "BUCKETS",
    "CLAUDE_CONFIG_VARIABLE",
    "COMPRESSED_SUFFIXES",
    "CSV_COLUMNS",
    "CSV_REQUIRED",
    "DUPLICATE",
    "INCONSISTENT",
    "KEY_MASK",
    "LOG_SUFFIXES",
    "MAX_CACHE_BYTES",
    "MAX_CELL_DIGITS",
    "MAX_DECOMPRESSED_BYTES",
    "MAX_ENTRIES",
    "MAX_LINE_BYTES",
    "MAX_MODEL_NAME",
    "MAX_RATIO",
    "MAX_REQUESTS_PER_ROW",
    "MAX_TIMESTAMP",
    "MAX_TOKENS_PER_RECORD",
    "MEAN_PLACES",
    "NOT_OBJECT",
    "NO_MODEL",
    "NO_TIME",
    "NO_USAGE",
    "OPENAI_NAMES",
    "PACKED",
    "PARALLEL_BYTES",
    "RATIO_FLOOR",
    "SHARE_PLACES",
    "SOURCES",
    "SPILL_BYTES",
    "STABLE_KEYS",
    "SYNTHETIC",
    "SYNTHETIC_MODEL",
    "TOO_LARGE",
    "UNREADABLE",
    "WHOLE_DOCUMENT_LIMIT",
    "WORKLOAD_TOKEN_KEYS",
    "WRONG_FORMAT",
    "ZSTD_FEED",
    "ZSTD_MAGIC",
    "Deduplicator",
    "Grouping",
    "LineTooLong",
    "LogFormat",
    "Record",
    "Skip",
    "Tally",
    "Tokens",
    "Unpriced",
    "UsageCache",
    "UsageReport",
    "UsageRow",
    "agent_directories",
    "claude_code_decoder",
    "claude_code_directories",
    "day_of",
    "discover",
    "file_size",
    "hours_text",
    "json_decoder",
    "lines_of",
    "model_name",
    "observed_hours",
    "open_log",
    "price_tally",
    "raw_lines",
    "read_csv",
    "read_file",
    "read_json_lines",
    "read_logs",
    "read_standard_input",
    "read_stream",
    "record_of",
    "shape",
    "spill_errors",
    "stable_key",
    "too_large_to_decode",
    "unpacked",
    "usage_tokens",
    "workload_document",
    "workload_problem",
]
