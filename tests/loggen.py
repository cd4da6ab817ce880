"""Generated request logs with known totals, for the usage tests and the benchmark (`tests/benchmark_usage.py`).

`claude_code_logs` writes Claude Code style session files: one JSON line per content block of a streamed answer
(copies of one request share message.id and requestId and carry the same usage), user lines without usage, and
earlier lines copied into a later session (as resumed sessions do). It returns what the copies add up to once
de-duplicated: requests and tokens per model, computed while writing, independently of aicost.
"""

from __future__ import annotations

import json
import random
import uuid
from pathlib import Path
from typing import Any

MODELS = ("claude-sonnet-4-20250514", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001")
TEXT = "I'll look at the failing test first and then update the handler so the retry respects the timeout. "


def claude_code_line(message_id: str, request_id: str, model: str, usage: dict[str, int], timestamp: str,
                     session: str, spaced: bool = False) -> str:
    line = {
        "parentUuid": str(uuid.UUID(int=random.getrandbits(128))),
        "isSidechain": False,
        "userType": "external",
        "cwd": "/home/dev/projects/webapp",
        "sessionId": session,
        "version": "1.0.98",
        "gitBranch": "main",
        "message": {"id": message_id, "type": "message", "role": "assistant", "model": model,
                    "content": [{"type": "text", "text": TEXT * random.randint(1, 3)}], "stop_reason": None,
                    "stop_sequence": None, "usage": {**usage, "service_tier": "standard"}},
        "requestId": request_id,
        "type": "assistant",
        "uuid": str(uuid.UUID(int=random.getrandbits(128))),
        "timestamp": timestamp,
    }
    return json.dumps(line) if spaced else json.dumps(line, separators=(",", ":"))


def user_line(session: str, timestamp: str) -> str:
    return json.dumps({"type": "user", "sessionId": session, "timestamp": timestamp,
                       "message": {"role": "user", "content": [{"type": "text", "text": TEXT}]}}, separators=(",", ":"))


def claude_code_logs(root: Path, records: int, seed: int = 7, files: int = 20, duplicate_share: float = 0.2,
                     days: tuple[str, ...] = ("2026-11-02", "2026-11-03", "2026-11-04"),
                     spaced_every: int | None = 50) -> dict[str, Any]:
    """Write about `records` assistant lines under root/projects/ (every `spaced_every`-th one as spaced JSON);
    return the de-duplicated truth."""
    random.seed(seed)
    projects = root / "projects"
    truth: dict[str, Any] = {"requests": 0, "lines": 0, "duplicates": 0, "user_lines": 0,
                             "tokens": {"input": 0, "cache_read": 0, "cache_write": 0, "output": 0}, "by_model": {}}
    written: list[str] = []  # earlier lines, some copied into later sessions
    per_file = max(1, records // files)
    lines_total = 0
    for index in range(files):
        project = projects / f"project-{index % 4}"
        project.mkdir(parents=True, exist_ok=True)
        session = str(uuid.UUID(int=random.getrandbits(128)))
        with open(project / f"{session}.jsonl", "w", encoding="utf-8") as out:
            count = 0
            while count < per_file and lines_total < records:
                if written and random.random() < duplicate_share / 4:  # a resumed session copies an earlier line
                    out.write(random.choice(written) + "\n")
                    truth["duplicates"] += 1
                    truth["lines"] += 1
                    count += 1
                    lines_total += 1
                    continue
                day = random.choice(days)
                timestamp = f"{day}T{random.randint(0, 23):02d}:{random.randint(0, 59):02d}:{random.randint(0, 59):02d}.000Z"
                out.write(user_line(session, timestamp) + "\n")
                truth["user_lines"] += 1
                model = random.choice(MODELS)
                usage = {"input_tokens": random.randint(1, 50), "cache_creation_input_tokens": random.randint(0, 5000),
                         "cache_read_input_tokens": random.randint(0, 60000), "output_tokens": random.randint(1, 2000)}
                message_id = f"msg_{uuid.UUID(int=random.getrandbits(128)).hex[:24]}"
                request_id = f"req_{uuid.UUID(int=random.getrandbits(128)).hex[:24]}"
                copies = 2 if random.random() < duplicate_share else 1  # one line per content block
                for copy in range(copies):
                    line = claude_code_line(message_id, request_id, model, usage, timestamp, session,
                                            spaced=spaced_every is not None and lines_total % spaced_every == 0)
                    out.write(line + "\n")
                    if copy == 0 and len(written) < 1000:
                        written.append(line)
                    truth["lines"] += 1
                    count += 1
                    lines_total += 1
                truth["duplicates"] += copies - 1
                truth["requests"] += 1
                tokens = truth["tokens"]
                tokens["input"] += usage["input_tokens"]
                tokens["cache_read"] += usage["cache_read_input_tokens"]
                tokens["cache_write"] += usage["cache_creation_input_tokens"]
                tokens["output"] += usage["output_tokens"]
                model_truth = truth["by_model"].setdefault(model, {"requests": 0, "input": 0, "cache_read": 0,
                                                                   "cache_write": 0, "output": 0})
                model_truth["requests"] += 1
                model_truth["input"] += usage["input_tokens"]
                model_truth["cache_read"] += usage["cache_read_input_tokens"]
                model_truth["cache_write"] += usage["cache_creation_input_tokens"]
                model_truth["output"] += usage["output_tokens"]
    return truth


def openai_logs(path: Path, records: int, seed: int = 11) -> None:
    """OpenAI Chat Completions responses (one per line) on gpt-4o and o3, over three UTC days."""
    random.seed(seed)
    start = 1793577600  # 2026-11-02T00:00:00Z
    with open(path, "w", encoding="utf-8") as out:
        for _ in range(records):
            model = random.choice(("gpt-4o", "o3"))
            prompt = random.randint(100, 8000)
            completion = random.randint(10, 1500)
            reasoning = random.randint(0, completion) if model == "o3" else 0
            usage: dict[str, Any] = {"prompt_tokens": prompt, "completion_tokens": completion,
                                     "total_tokens": prompt + completion,
                                     "prompt_tokens_details": {"cached_tokens": random.randint(0, prompt // 2)},
                                     "completion_tokens_details": {"reasoning_tokens": reasoning}}
            out.write(json.dumps({"id": f"chatcmpl-{random.getrandbits(64):x}", "object": "chat.completion",
                                  "created": start + random.randint(0, 3 * 86400 - 1), "model": model,
                                  "usage": usage}) + "\n")
