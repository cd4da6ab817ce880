"""The log lines docs/usage.md shows, one of each format aicost reads, fed to `aicost usage` exactly as written."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from clihelp import run

USAGE_DOC = Path(__file__).parent.parent / "docs" / "usage.md"

# label: (file suffix, format detected, model priced, requests, cost at the bundled catalog's prices of 2026-11-02)
EXPECTED = {
    # gpt-4o-2024-08-06 at 2.50 / 1.25 cached / 10: (776 x 2.50 + 1,024 x 1.25 + 350 x 10) / 1e6 = 0.00672
    "OpenAI Chat Completions": (".jsonl", "openai", "gpt-4o-2024-08-06", 1, "0.00672"),
    # o3 at 2 / 8, reasoning billed as output: (2,500 x 2 + (400 + 1,500) x 8) / 1e6 = 0.0202
    "OpenAI Responses": (".jsonl", "openai", "o3", 1, "0.0202"),
    # gpt-4o-mini at its batch prices 0.075 / 0.30: (600 x 0.075 + 40 x 0.30) / 1e6 = (45 + 12) / 1e6 = 0.000057
    "OpenAI Batch output": (".jsonl", "openai", "gpt-4o-mini", 1, "0.000057"),
    # claude-sonnet-4-6 at 3 / 15: (2,095 x 3 + 503 x 15) / 1e6 = 0.01383
    "Anthropic": (".jsonl", "anthropic", "claude-sonnet-4-6", 1, "0.01383"),
    # claude-sonnet-4-6, cache read 0.30, 5-minute write 3.75: (4 x 3 + 15,000 x 0.30 + 1,200 x 3.75 + 250 x 15) / 1e6
    # = (12 + 4,500 + 4,500 + 3,750) / 1e6 = 0.012762
    "Claude Code": (".jsonl", "claude-code", "claude-sonnet-4-6", 1, "0.012762"),
    # gpt-5 at 1.25 / 0.125 cached / 10: 24,000 input of which 20,480 cached, 1,200 output of which 800 reasoning:
    # (3,520 x 1.25 + 20,480 x 0.125 + 1,200 x 10) / 1e6 = (4,400 + 2,560 + 12,000) / 1e6 = 0.01896
    "Codex CLI": (".jsonl", "codex", "gpt-5", 1, "0.01896"),
    # gemini-2.5-flash at 0.30 / 0.03 cached / 2.50: input 9,000 of which 6,000 cached, output 400 + thoughts 600
    # (total 10,000 = 9,000 + 400 + 600): (3,000 x 0.30 + 6,000 x 0.03 + 1,000 x 2.50) / 1e6 = 3,580 / 1e6 = 0.00358
    "Gemini CLI": (".jsonl", "gemini-cli", "gemini-2.5-flash", 1, "0.00358"),
    # qwen3-coder-plus at 1.00 / 0.10 cached / 5.00 (up to 32K input): prompt 20,000 of which 16,000 cached, 500 out:
    # (4,000 x 1.00 + 16,000 x 0.10 + 500 x 5) / 1e6 = (4,000 + 1,600 + 2,500) / 1e6 = 0.0081
    "Qwen Code": (".jsonl", "qwen-code", "qwen3-coder-plus", 1, "0.0081"),
    # gpt-4o: (6,000 x 2.50 + 4,000 x 1.25 + 1,000 x 10) / 1e6 = 0.03
    "Aggregate CSV": (".csv", "csv", "gpt-4o", 10, "0.03"),
}


def doc_lines() -> dict[str, str]:
    """Each `**Label** (...):` of the section and the fenced block under it."""
    text = USAGE_DOC.read_text(encoding="utf-8")
    section = text.split("### One real-shaped line of each format", 1)[1].split("\n## ", 1)[0]
    found = re.findall(r"^\*\*(.+?)\*\*.*?\n\n```(?:json|csv)\n(.*?)```", section, flags=re.M | re.S)
    return {label: block for label, block in found}


def test_the_section_shows_every_format() -> None:
    assert list(doc_lines()) == list(EXPECTED)


@pytest.mark.parametrize("label", list(EXPECTED))
def test_each_doc_line_is_read_and_priced(tmp_path: Path, label: str) -> None:
    suffix, log_format, model, requests, cost = EXPECTED[label]
    path = tmp_path / f"log{suffix}"
    path.write_text(doc_lines()[label], encoding="utf-8")
    result = run("usage", str(path), "--catalog", "bundled", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["formats"] == {log_format: requests}
    # the Codex turn context is a line without usage, counted as such
    no_usage = {"no usage (not a model response)": 1} if log_format == "codex" else {}
    assert (document["skipped"], document["unpriced_models"]) == (no_usage, [])
    assert [row["model"] for row in document["rows"]] == [model]
    assert (document["requests"], document["total_cost"], document["last_day"]) == (requests, Decimal(cost), "2026-11-02")
