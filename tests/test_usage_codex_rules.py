"""`aicost usage` on the Codex CLI cases an audit priced by hand (issue #23): a forked or sub-agent rollout's
replay of its parent's token counts, two sessions whose first requests have the same counts, a rollout whose first
line is cut, cache writes; a Qwen Code record without a total; a run in which no request could be priced.

Prices (USD per million tokens, the bundled catalog): gpt-5 1.25 input / 0.125 cached / 10 output; gpt-6-astra 10 /
1 cached / 12.50 cache writes / 50 output up to 272K input; qwen3-coder-flash 0.30 / 0.08 / 1.50.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from clihelp import run_main

D = Decimal
NO_AGENTS = {"CLAUDE_CONFIG_DIR": "/nonexistent-claude", "CODEX_HOME": "", "GEMINI_CLI_HOME": "", "QWEN_HOME": "",
             "QWEN_RUNTIME_DIR": ""}
REPLAYED = "Codex token count replayed from the parent session into a fork or sub-agent (counted there)"
NO_USAGE = "no usage (not a model response)"
DUPLICATE = "duplicate copy of a request already counted (same id)"
UNREADABLE = "not valid JSON"


def usage(*args: str) -> dict[str, Any]:
    result = run_main("usage", *args, "--catalog", "bundled", "--format", "json", env=NO_AGENTS)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def meta(stamp: str, ident: str, **extra: Any) -> dict[str, Any]:
    return {"timestamp": stamp, "type": "session_meta", "payload": {
        "id": ident, "timestamp": stamp, "cwd": "/home/dev/shop", "originator": "codex_cli_rs", "cli_version": "0.142.5",
        "instructions": None, "model_provider": "openai", "source": "cli", **extra}}


def context(stamp: str, model: str = "gpt-5") -> dict[str, Any]:
    return {"timestamp": stamp, "type": "turn_context", "payload": {
        "cwd": "/home/dev/shop", "approval_policy": "on-request", "model": model, "effort": "medium", "summary": "auto"}}


def counts(given: int, cached: int, output: int, reasoning: int, written: int | None = None) -> dict[str, int]:
    usage = {"input_tokens": given, "cached_input_tokens": cached, "output_tokens": output,
             "reasoning_output_tokens": reasoning, "total_tokens": given + output}
    if written is not None:
        usage["cache_write_input_tokens"] = written
    return usage


def token_count(stamp: str, total: dict[str, int], last: dict[str, int] | None) -> dict[str, Any]:
    info: dict[str, Any] = {"total_token_usage": total, "model_context_window": 272000}
    if last is not None:
        info["last_token_usage"] = last
    return {"timestamp": stamp, "type": "event_msg", "payload": {
        "type": "token_count", "info": info,
        "rate_limits": {"primary": {"used_percent": 12.0, "window_minutes": 300, "resets_in_seconds": 9000}}}}


def user(stamp: str, text: str) -> dict[str, Any]:
    return {"timestamp": stamp, "type": "response_item", "payload": {
        "type": "message", "role": "user", "content": [{"type": "input_text", "text": text}]}}


def write(path: Path, lines: list[dict[str, Any]]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(line, separators=(",", ":")) + "\n" for line in lines), encoding="utf-8")
    return str(path)


PARENT = "0199f2a4-6c1e-7d30-9a8b-1f2e3d4c5b6a"
FORK = "019a4b10-0000-7c00-8a00-000000000004"
# The parent session: E4 and E6 on 11-02, E8 on 11-03 (gpt-5), each with its running total.
E4, T4 = counts(10_000, 6_000, 500, 200), counts(10_000, 6_000, 500, 200)
E6, T6 = counts(12_000, 8_000, 700, 300), counts(22_000, 14_000, 1_200, 500)
E8, T8 = counts(15_000, 10_000, 900, 400), counts(37_000, 24_000, 2_100, 900)
PARENT_LINES = [meta("2026-11-02T09:00:00.000Z", PARENT), context("2026-11-02T09:00:01.000Z"),
                user("2026-11-02T09:00:01.000Z", "Add a test for the refund endpoint."),
                token_count("2026-11-02T09:00:20.000Z", T4, E4), token_count("2026-11-02T14:00:30.000Z", T6, E6),
                token_count("2026-11-03T10:15:00.000Z", T8, E8)]
# The fork's own requests on 11-04, its totals going on from the parent's: F1 with its own counts, F2 a total alone
# (an older release), so its counts are the difference from F1's total.
F1, TF1 = counts(1_600, 1_024, 120, 0), counts(38_600, 25_024, 2_220, 900)
TF2 = counts(40_600, 26_560, 2_370, 950)


def fork_lines(replay_stamps: tuple[str, str, str]) -> list[dict[str, Any]]:
    """A sub-agent forked from the parent on 11-04 at 08:00:00.250 (the shape codex-cli writes: its own meta naming
    the parent, the parent's meta copied, the parent's token counts replayed), then its own two requests."""
    return [meta("2026-11-04T08:00:00.250Z", FORK, forked_from_id=PARENT,
                 source={"subagent": {"thread_spawn": {"parent_thread_id": PARENT, "depth": 1}}}),
            meta("2026-11-04T08:00:00.251Z", PARENT), context("2026-11-04T08:00:00.251Z"),
            token_count(replay_stamps[0], T4, E4), token_count(replay_stamps[1], T6, E6),
            token_count(replay_stamps[2], T8, E8),
            user("2026-11-04T08:00:02.000Z", "Review the migration."),
            token_count("2026-11-04T08:00:09.000Z", TF1, F1), token_count("2026-11-04T08:03:00.000Z", TF2, None)]


# F1: 576 x 1.25 + 1,024 x 0.125 + 120 x 10 = 720 + 128 + 1,200 = 2,048 -> 0.002048
# F2: 40,600 - 38,600 = 2,000 input, 26,560 - 25,024 = 1,536 cached, 2,370 - 2,220 = 150 output (50 reasoning):
#     464 x 1.25 + 1,536 x 0.125 + 150 x 10 = 580 + 192 + 1,500 = 2,272 -> 0.002272
FORK_OWN = D("0.002048") + D("0.002272")  # 0.00432
# E4: 4,000 x 1.25 + 6,000 x 0.125 + 500 x 10 = 5,000 + 750 + 5,000 = 10,750 -> 0.01075
# E6: 4,000 x 1.25 + 8,000 x 0.125 + 700 x 10 = 5,000 + 1,000 + 7,000 = 13,000 -> 0.013
# E8: 5,000 x 1.25 + 10,000 x 0.125 + 900 x 10 = 6,250 + 1,250 + 9,000 = 16,500 -> 0.0165
PARENT_OWN = {"2026-11-02": D("0.01075") + D("0.013"), "2026-11-03": D("0.0165")}


def test_a_forks_replay_of_its_parent_stays_on_the_parents_days(tmp_path: Path) -> None:
    # the replay stamped at the fork moment, straddling a second tick (08:00:00.25x, then 08:00:01.0xx)
    parent = write(tmp_path / "sessions/2026/11/02/rollout-2026-11-02T09-00-00-parent.jsonl", PARENT_LINES)
    fork = write(tmp_path / "sessions/2026/11/04/rollout-2026-11-04T08-00-00-fork.jsonl", fork_lines(
        ("2026-11-04T08:00:00.252Z", "2026-11-04T08:00:00.990Z", "2026-11-04T08:00:01.003Z")))
    for order in ((parent, fork), (fork, parent)):
        since = usage("--since", "2026-11-04", *order)
        # only the fork's own two requests are of 11-04 (the auditor's 5 requests became 2)
        assert (since["requests"], since["total_cost"]) == (2, FORK_OWN) == (2, D("0.00432"))
        by_day = usage("--by", "day", *order)
        assert {row["day"]: row["cost"] for row in by_day["rows"]} == {**PARENT_OWN, "2026-11-04": FORK_OWN}
        assert by_day["total_cost"] == D("0.02375") + D("0.0165") + D("0.00432") == D("0.04457")
        assert by_day["skipped"][REPLAYED] == 3 and DUPLICATE not in by_day["skipped"]
    # the fork read alone: its replay is still not its own usage (counted in the parent's file, not here)
    alone = usage(fork)
    assert (alone["requests"], alone["total_cost"], alone["skipped"][REPLAYED]) == (2, FORK_OWN, 3)


def test_a_replay_with_the_parents_own_stamps_and_a_sub_agent_without_one(tmp_path: Path) -> None:
    # older forks copy the parent's events with their original stamps, before the fork began: replayed too
    fork = write(tmp_path / "rollout-2026-11-04T08-00-00-fork.jsonl", fork_lines(
        ("2026-11-02T09:00:20.000Z", "2026-11-02T14:00:30.000Z", "2026-11-03T10:15:00.000Z")))
    document = usage(fork)
    assert (document["requests"], document["total_cost"], document["skipped"][REPLAYED]) == (2, FORK_OWN, 3)
    # a sub-agent that replays nothing: its first request, seconds after it began, is its own
    # 1,600 input (1,024 cached), 120 output: 0.002048 as F1
    lines = [line for line in fork_lines(("", "", "")) if line["payload"].get("type") != "token_count"]
    lines = [line for line in lines if line["payload"].get("id") != PARENT or line is lines[0]]
    lines.append(token_count("2026-11-04T08:00:09.000Z", F1, F1))
    document = usage(write(tmp_path / "rollout-2026-11-04T08-00-00-sub.jsonl", lines))
    assert (document["requests"], document["total_cost"]) == (1, D("0.002048"))
    assert REPLAYED not in document["skipped"]


def test_two_sessions_with_the_same_first_counts_are_two_requests(tmp_path: Path) -> None:
    """Two `codex exec` runs, on 11-11 and 11-12, gpt-5, 9,120 input and 48 output each:
    2 x (9,120 x 1.25 + 48 x 10) / 1e6 = 2 x (11,400 + 480) / 1e6 = 2 x 0.01188 = 0.02376."""
    one = counts(9_120, 0, 48, 0)
    runs = []
    for day, ident in (("11", "019a7000-0000-7000-8000-000000000011"), ("12", "019a7000-0000-7000-8000-000000000012")):
        runs.append(write(tmp_path / f"sessions/2026/11/{day}/rollout-2026-11-{day}T10-00-00-{ident}.jsonl", [
            meta(f"2026-11-{day}T10:00:00.000Z", ident, source="exec"), context(f"2026-11-{day}T10:00:00.100Z"),
            token_count(f"2026-11-{day}T10:00:04.000Z", one, one)]))
    document = usage(*runs)
    assert (document["requests"], document["total_cost"]) == (2, D("0.02376"))
    # without a session_meta (an older rollout), each file's first stamp tells its session apart
    bare = [write(tmp_path / f"old-{n}.jsonl", [context(f"2026-11-1{n}T10:00:00.100Z"),
                                                 token_count(f"2026-11-1{n}T10:00:04.000Z", one, one)]) for n in (1, 2)]
    assert (usage(*bare)["requests"], usage(*bare)["total_cost"]) == (2, D("0.02376"))
    # the same rollout in sessions/ and archived_sessions/ is one session: its request counts once (0.01188)
    archived = tmp_path / "archived_sessions" / Path(runs[0]).name
    archived.parent.mkdir()
    archived.write_bytes(Path(runs[0]).read_bytes())
    document = usage(runs[0], str(archived))
    assert (document["requests"], document["total_cost"], document["skipped"][DUPLICATE]) == (1, D("0.01188"), 1)


def test_a_rollout_whose_first_line_is_cut_is_still_read_as_codex(tmp_path: Path) -> None:
    lines = [json.dumps(line, separators=(",", ":")) for line in PARENT_LINES]
    path = tmp_path / "sessions/2026/11/02/rollout-2026-11-02T09-00-00-parent.jsonl"
    path.parent.mkdir(parents=True)
    path.write_text(lines[0][:70] + "\n" + "\n".join(lines[1:]) + "\n", encoding="utf-8")  # the meta line cut
    document = usage(str(path))
    # E4 + E6 + E8 = 0.01075 + 0.013 + 0.0165 = 0.04025; the cut line skipped and counted
    assert (document["requests"], document["total_cost"], document["formats"]) == (3, D("0.04025"), {"codex": 3})
    assert document["skipped"] == {UNREADABLE: 1, NO_USAGE: 2}


def test_codex_cache_writes_are_priced_as_cache_writes(tmp_path: Path) -> None:
    """gpt-6-astra, 100,000 input of which 60,000 cached and 30,000 cache writes, 2,000 output:
    10,000 x 10 + 60,000 x 1 + 30,000 x 12.50 + 2,000 x 50 = 100,000 + 60,000 + 375,000 + 100,000 = 635,000
    -> 0.635 (before, the writes were billed as uncached input: 40,000 x 10 + ... = 0.56)."""
    last = counts(100_000, 60_000, 2_000, 0, written=30_000)
    path = write(tmp_path / "rollout-2026-11-20T10-00-00-astra.jsonl", [
        meta("2026-11-20T10:00:00.000Z", "019a9000-0000-7000-8000-000000000001"),
        context("2026-11-20T10:00:00.100Z", "gpt-6-astra"), token_count("2026-11-20T10:00:30.000Z", last, last)])
    document = usage(path)
    assert (document["requests"], document["total_cost"]) == (1, D("0.635"))
    assert document["tokens"] == {"uncached_input": 10_000, "cache_read": 60_000, "cache_write": 30_000,
                                  "output": 2_000, "reasoning": 0}


def qwen_record(usage_metadata: dict[str, int], model: str = "qwen3-coder-flash") -> str:
    return json.dumps({"uuid": "e1000000-0000-4000-8000-000000000009", "parentUuid": None,
                       "sessionId": "a1b2c3d4-0000-4e5f-8a9b-000000000009", "timestamp": "2026-11-02T14:00:10.000Z",
                       "type": "assistant", "cwd": "/home/dev/shop", "version": "0.2.1",
                       "message": {"role": "model", "parts": [{"text": "Done."}]}, "usageMetadata": usage_metadata,
                       "model": model}) + "\n"


def test_qwen_thoughts_are_inside_the_candidates_when_no_total_says_otherwise(tmp_path: Path) -> None:
    """Prompt 5,000, candidates 700 of which 200 thoughts: 5,000 x 0.30 + 700 x 1.50 = 1,500 + 1,050 = 2,550
    -> 0.00255 (the thoughts billed on top would be 900 x 1.50: 0.00285)."""
    for total in ({"totalTokenCount": 0}, {}):
        path = tmp_path / "chat.jsonl"
        path.write_text(qwen_record({"promptTokenCount": 5000, "candidatesTokenCount": 700, "thoughtsTokenCount": 200,
                                     "cachedContentTokenCount": 0, **total}), encoding="utf-8")
        document = usage(str(path))
        assert (document["requests"], document["total_cost"]) == (1, D("0.00255"))
        assert (document["tokens"]["output"], document["tokens"]["reasoning"]) == (500, 200)


def test_a_run_with_no_priced_request_costs_unknown_not_zero(tmp_path: Path) -> None:
    path = tmp_path / "chat.jsonl"
    path.write_text(qwen_record({"promptTokenCount": 5000, "candidatesTokenCount": 700, "totalTokenCount": 5700},
                                model="coder-model"), encoding="utf-8")
    document = usage(str(path))
    assert (document["requests"], document["total_cost"], document["monthly_run_rate"]) == (1, None, None)
    text = run_main("usage", str(path), "--catalog", "bundled", env={**NO_AGENTS, "COLUMNS": "200"}).stdout
    assert "1 request (2026-11-02) cost — (unpriced: no request could be priced" in text and "$0.00" not in text
    csv = run_main("usage", str(path), "--catalog", "bundled", "--format", "csv", env=NO_AGENTS).stdout
    total = csv.splitlines()[-1].split(",")
    assert (total[0], total[1], total[-1]) == ("total", "1", "")
    markdown = run_main("usage", str(path), "--catalog", "bundled", "--format", "markdown", env=NO_AGENTS).stdout
    assert "$0.00" not in markdown and "—" in markdown
