"""`aicost usage` on coding agents' own logs (Codex CLI, Gemini CLI, Qwen Code), `--by agent`, the Claude Code
de-duplication by message.id alone, and the run rate over the span the requests cover.

The fixtures under tests/data/agents/home are laid out as each agent writes them (~/.codex, ~/.gemini, ~/.qwen),
made by hand from the formats the agents' sources define: no real user's data. Every total below is priced by hand
(USD per million tokens, the bundled catalog's prices on the request's day):
gpt-5 and gpt-5.1 1.25 input / 0.125 cached / 10 output; gemini-2.5-pro 1.25 / 0.125 / 10; gemini-2.5-flash
0.30 / 0.03 / 2.50; qwen3-coder-plus 1.00 / 0.10 / 5.00 up to 32K input, 1.80 / 0.18 / 9.00 above;
qwen3-coder-flash 0.30 / 0.08 / 1.50; claude-sonnet-4-6 3 / 0.30 / 15. Reasoning is billed as output.
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main

D = Decimal
HOME = Path(__file__).parent / "data" / "agents" / "home"
NO_AGENTS = {"CLAUDE_CONFIG_DIR": "/nonexistent-claude", "CODEX_HOME": "", "GEMINI_CLI_HOME": "", "QWEN_HOME": "",
             "QWEN_RUNTIME_DIR": ""}
NO_USAGE = "no usage (not a model response)"
DUPLICATE = "duplicate copy of a request already counted (same id)"
REPEATED = "Codex token count repeated unchanged (no new request)"
REPLAYED = "Codex token count replayed from the parent session into a fork or sub-agent (counted there)"
WRONG = "not a record of the --log-format given"

# Codex CLI (two rollouts: a session, and one forked from it that replays its parent's two snapshots first):
# A gpt-5: input 12,000 of which 8,000 cached, output 900 of which 600 reasoning:
#   4,000 x 1.25 + 8,000 x 0.125 + 900 x 10 = 5,000 + 1,000 + 9,000 = 15,000 -> 0.015
#   (then the same snapshot again, total unchanged: repeated, not a request)
# B gpt-5.1 (turn_context switched): last 18,000 / 12,000 cached, output 1,200 / 400 reasoning:
#   6,000 x 1.25 + 12,000 x 0.125 + 1,200 x 10 = 7,500 + 1,500 + 12,000 = 21,000 -> 0.021
# C gpt-5.1, a total without last_token_usage: 31,000 / 20,500 / 2,200 / 1,000 minus B's total 30,000 / 20,000 /
#   2,100 / 1,000 = 1,000 / 500 / 100 / 0: 500 x 1.25 + 500 x 0.125 + 100 x 10 = 625 + 62.5 + 1,000 -> 0.0016875
# the fork replays A and B (stamped at its start: replayed, counted in the parent only), then D gpt-5: 14,000 / 9,500 / 400 / 200:
#   4,500 x 1.25 + 9,500 x 0.125 + 400 x 10 = 5,625 + 1,187.5 + 4,000 = 10,812.5 -> 0.0108125
CODEX_TOTAL = D("0.015") + D("0.021") + D("0.0016875") + D("0.0108125")  # 0.0485
# Gemini CLI (a session document and a session in JSON lines):
# gemini-2.5-pro input 10,000 (6,000 cached inside), output 500, thoughts 800 (total 11,300 = 10,000 + 500 + 800):
#   4,000 x 1.25 + 6,000 x 0.125 + (500 + 800) x 10 = 5,000 + 750 + 13,000 = 18,750 -> 0.01875
# gemini-2.5-flash input 2,000 + tool prompt 50, output 100: 2,050 x 0.30 + 100 x 2.50 = 615 + 250 -> 0.000865
# gemini-2.5-flash (JSON lines, the message written three times: without tokens, then twice alike):
#   8,000 x 0.30 + (300 + 200) x 2.50 = 2,400 + 1,250 = 3,650 -> 0.00365
GEMINI_TOTAL = D("0.01875") + D("0.000865") + D("0.00365")  # 0.023265
# Qwen Code (a session and one branched from it, which copies the first answer with its uuid):
# qwen3-coder-plus prompt 12,000 (9,000 cached inside), candidates 600:
#   3,000 x 1.00 + 9,000 x 0.10 + 600 x 5 = 3,000 + 900 + 3,000 = 6,900 -> 0.0069
# qwen3-coder-flash prompt 5,000, candidates 700 of which 200 thoughts (total 5,700 = 5,000 + 700):
#   5,000 x 0.30 + 700 x 1.50 = 1,500 + 1,050 = 2,550 -> 0.00255
# qwen3-coder-plus prompt 40,000 (30,000 cached), candidates 1,000, above the 32K tier:
#   10,000 x 1.80 + 30,000 x 0.18 + 1,000 x 9 = 18,000 + 5,400 + 9,000 = 32,400 -> 0.0324
# coder-model (Qwen OAuth's name, not in the catalog): unpriced, never $0
QWEN_TOTAL = D("0.0069") + D("0.00255") + D("0.0324")  # 0.04185


def usage_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run_main("usage", *args, "--catalog", "bundled", "--format", "json", env={**NO_AGENTS, **(env or {})})
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def rows(document: dict[str, Any], key: str = "model") -> dict[str, Decimal | None]:
    return {row[key]: row["cost"] for row in document["rows"]}


def test_codex_sessions_from_codex_home(tmp_path: Path) -> None:
    document = usage_json(env={"CODEX_HOME": str(HOME / ".codex"), "HOME": str(tmp_path)})
    assert document["total_cost"] == CODEX_TOTAL == D("0.0485")
    assert (document["requests"], document["formats"], document["files"]) == (4, {"codex": 4}, 2)
    # uncached 4,000 + 6,000 + 500 + 4,500; cached 8,000 + 12,000 + 500 + 9,500; visible output 300 + 800 + 100 +
    # 200; reasoning 600 + 400 + 0 + 200
    assert document["tokens"] == {"uncached_input": 15000, "cache_read": 30000, "cache_write": 0, "output": 1400,
                                  "reasoning": 1200}
    # no usage: the session's meta, two turn contexts, two user and one assistant message, a rate-limit-only count;
    # the fork's meta, turn context and user message
    assert document["skipped"] == {NO_USAGE: 10, REPLAYED: 2, REPEATED: 1}
    # A + D on gpt-5, B + C on gpt-5.1 (the fork's replayed copy of B, which names gpt-5, is not counted);
    # JSON money has six decimals, half to even: 0.0258125 -> 0.025812, 0.0226875 -> 0.022688
    assert rows(document) == {"gpt-5": D("0.025812"), "gpt-5.1": D("0.022688")}


def test_gemini_cli_sessions_from_its_home(tmp_path: Path) -> None:
    document = usage_json(env={"GEMINI_CLI_HOME": str(HOME)})
    assert document["total_cost"] == GEMINI_TOTAL == D("0.023265")
    assert (document["requests"], document["formats"], document["files"]) == (3, {"gemini-cli": 3}, 2)
    assert document["tokens"] == {"uncached_input": 4000 + 2050 + 8000, "cache_read": 6000, "cache_write": 0,
                                  "output": 500 + 100 + 300, "reasoning": 800 + 200}
    # no usage: the document's user and info messages; the lines' metadata, user message, the answer written before
    # its tokens, `$set` and `$rewindTo`
    assert document["skipped"] == {NO_USAGE: 7, DUPLICATE: 1}
    assert rows(document) == {"gemini-2.5-pro": D("0.01875"), "gemini-2.5-flash": D("0.000865") + D("0.00365")}


def test_qwen_code_sessions_from_its_home() -> None:
    document = usage_json(env={"QWEN_HOME": str(HOME / ".qwen")})
    assert document["total_cost"] == QWEN_TOTAL == D("0.04185")
    assert (document["requests"], document["formats"]) == (4, {"qwen-code": 4})
    assert document["tokens"] == {"uncached_input": 3000 + 5000 + 10000 + 1000, "cache_read": 9000 + 30000,
                                  "cache_write": 0, "output": 600 + 500 + 1000 + 100, "reasoning": 200}
    # no usage: the session's user, tool result and telemetry records, the branch's copied user record
    assert document["skipped"] == {NO_USAGE: 4, DUPLICATE: 1}
    assert rows(document) == {"qwen3-coder-plus": D("0.0069") + D("0.0324"), "qwen3-coder-flash": D("0.00255"),
                              "coder-model": None}
    (unpriced,) = document["unpriced_models"]
    assert (unpriced["model"], unpriced["requests"]) == ("coder-model", 1)


def test_every_agent_from_the_home_directory_by_agent() -> None:
    document = usage_json("--by", "agent", env={"HOME": str(HOME)})
    assert document["total_cost"] == CODEX_TOTAL + GEMINI_TOTAL + QWEN_TOTAL == D("0.113615")
    assert document["group_by"] == "agent"
    assert rows(document, "agent") == {"codex": CODEX_TOTAL, "qwen-code": QWEN_TOTAL, "gemini-cli": GEMINI_TOTAL}
    assert [row["requests"] for row in document["rows"]] == [4, 4, 3]
    # the requests span 2026-11-02T09:00:05Z (Codex's first) to 2026-11-04T16:05:00Z (Qwen's last):
    # 2 days 7 h 4 min 55 s = 55 + 295 / 3,600 hours = 55.081944...; run rate 0.113615 x 730 / that
    hours = D(55) + D(295) / 3600
    assert document["hours"] == hours.quantize(D("0.000001"), ROUND_HALF_EVEN)
    assert document["monthly_run_rate"] == (D("0.113615") * 730 / hours).quantize(D("0.000001"), ROUND_HALF_EVEN)
    # --log-format names one agent: only its own directories are read
    assert usage_json("--log-format", "gemini-cli", env={"HOME": str(HOME)})["total_cost"] == GEMINI_TOTAL


def test_each_format_is_recognised_by_its_first_line(tmp_path: Path) -> None:
    files = sorted(str(path) for path in HOME.rglob("*") if path.is_file())
    document = usage_json(*files)
    assert document["formats"] == {"codex": 4, "gemini-cli": 3, "qwen-code": 4}
    assert document["total_cost"] == D("0.113615")
    # --log-format gemini-cli reads the Qwen Code records as not of that format; a Claude Code line read as Codex too
    (qwen,) = [name for name in files if name.endswith("000000000001.jsonl")]
    assert usage_json("--log-format", "gemini-cli", qwen)["skipped"] == {WRONG: 2, NO_USAGE: 3}
    claude = tmp_path / "claude.jsonl"
    claude.write_text(claude_line("m1", "2026-11-02T10:00:00Z"), encoding="utf-8")
    assert usage_json("--log-format", "codex", str(claude))["skipped"] == {WRONG: 1}


def test_agent_rules_on_small_logs(tmp_path: Path) -> None:
    """Codex: a cumulative total that falls back (a new session written into the file) starts again from zero;
    Gemini CLI: a total that counts the cached tokens on top of the input says they are outside it."""
    codex = tmp_path / "rollout.jsonl"
    lines = [{"timestamp": "2026-11-02T10:00:00Z", "type": "turn_context", "payload": {"model": "gpt-5"}}]
    for stamp, total in (("2026-11-02T10:00:01Z", 2000), ("2026-11-02T10:00:02Z", 1000)):
        lines.append({"timestamp": stamp, "type": "event_msg", "payload": {"type": "token_count", "info": {
            "total_token_usage": {"input_tokens": total, "cached_input_tokens": 0, "output_tokens": 100,
                                  "reasoning_output_tokens": 0, "total_tokens": total + 100}}}})
    codex.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    # 2,000 + 1,000 (from zero again) input at 1.25, 100 + 100 output at 10: 3,750 + 2,000 = 5,750 -> 0.00575
    document = usage_json(str(codex))
    assert (document["requests"], document["total_cost"]) == (2, D("0.00575"))
    # a long session's running total passes 100 million tokens (one request's limit); its request still counts:
    # 1,000 x 1.25 + 100 x 10 = 1,250 + 1,000 = 2,250 -> 0.00225
    long = tmp_path / "long.jsonl"
    long.write_text(json.dumps(lines[0]) + "\n" + json.dumps({"timestamp": "2026-11-02T10:00:01Z", "type": "event_msg",
        "payload": {"type": "token_count", "info": {
            "total_token_usage": {"input_tokens": 150_000_000, "cached_input_tokens": 0, "output_tokens": 2_000_000,
                                  "reasoning_output_tokens": 0, "total_tokens": 152_000_000},
            "last_token_usage": {"input_tokens": 1000, "cached_input_tokens": 0, "output_tokens": 100,
                                 "reasoning_output_tokens": 0, "total_tokens": 1100}}}}) + "\n", encoding="utf-8")
    document = usage_json(str(long))
    assert (document["requests"], document["total_cost"], document["skipped"]) == (1, D("0.00225"), {NO_USAGE: 1})
    gemini = tmp_path / "session.json"
    gemini.write_text(json.dumps({"sessionId": "s", "projectHash": "p", "messages": [
        {"id": "g1", "timestamp": "2026-11-02T10:00:00Z", "type": "gemini", "model": "gemini-2.5-flash",
         "tokens": {"input": 1000, "cached": 4000, "output": 100, "thoughts": 0, "tool": 0, "total": 5100}}]},
        indent=2), encoding="utf-8")
    # total 5,100 = 1,000 + 4,000 + 100: the cached 4,000 are on top of the input:
    # 1,000 x 0.30 + 4,000 x 0.03 + 100 x 2.50 = 300 + 120 + 250 = 670 -> 0.00067
    document = usage_json(str(gemini))
    assert (document["requests"], document["total_cost"], document["formats"]) == (1, D("0.00067"), {"gemini-cli": 1})


# ------------------------------------------------------------------------------------------ Claude Code copies


def claude_line(message: str | None, stamp: str, request: str | None = None, output: int = 100) -> str:
    body: dict[str, Any] = {"model": "claude-sonnet-4-6", "usage": {"input_tokens": 1000, "output_tokens": output}}
    if message is not None:
        body["id"] = message
    line: dict[str, Any] = {"type": "assistant", "message": body, "timestamp": stamp}
    if request is not None:
        line["requestId"] = request
    return json.dumps(line) + "\n"


def test_a_resumed_claude_code_session_copy_counts_once(tmp_path: Path) -> None:
    first = tmp_path / "projects" / "one"
    first.mkdir(parents=True)
    # the original: a streamed answer written as two lines (output 40, then 100), message.id and requestId
    (first / "a.jsonl").write_text(claude_line("msg_1", "2026-11-02T10:00:00Z", "req_1", output=40)
                                   + claude_line("msg_1", "2026-11-02T10:00:01Z", "req_1"), encoding="utf-8")
    second = tmp_path / "projects" / "two"
    second.mkdir(parents=True)
    # the resumed session copies the line with message.id only (no requestId): the same request
    (second / "b.jsonl").write_text(claude_line("msg_1", "2026-11-02T10:00:01Z"), encoding="utf-8")
    document = usage_json(env={"CLAUDE_CONFIG_DIR": str(tmp_path)})
    # one request, its largest copy: 1,000 x 3 + 100 x 15 = 3,000 + 1,500 = 4,500 -> 0.0045
    assert (document["requests"], document["total_cost"]) == (1, D("0.0045"))
    assert document["skipped"] == {DUPLICATE: 2}
    assert document["formats"] == {"claude-code": 1}


# ------------------------------------------------------------------------------------------ the run rate's span


@pytest.mark.parametrize(("bounds", "hours"), [
    # 2026-11-02T03:00Z to 2026-11-05T00:00Z: 69 hours, not the 96 of its four calendar days
    ((), 69),
    # --since and --until: their whole days, midnight to midnight, 4 x 24 = 96 hours
    (("--since", "2026-11-02", "--until", "2026-11-05"), 96),
    # --since alone: from its midnight to the last request, 72 hours
    (("--since", "2026-11-02"), 72),
])
def test_the_run_rate_scales_the_hours_the_requests_span(tmp_path: Path, bounds: tuple[str, ...], hours: int) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(claude_line("msg_1", "2026-11-02T03:00:00Z") + claude_line("msg_2", "2026-11-05T00:00:00Z"),
                   encoding="utf-8")
    document = usage_json(str(log), *bounds)
    # two requests of 1,000 x 3 + 100 x 15 = 4,500 -> 0.0045 each, 0.009
    assert document["total_cost"] == D("0.009")
    assert (document["days"], document["hours"]) == (4, hours)
    assert document["monthly_run_rate"] == (D("0.009") * 730 / hours).quantize(D("0.000001"), ROUND_HALF_EVEN)


def test_a_span_under_a_day_counts_as_a_day(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(claude_line("msg_1", "2026-11-02T10:00:00Z") + claude_line("msg_2", "2026-11-02T13:00:00Z"),
                   encoding="utf-8")
    document = usage_json(str(log))
    # 3 hours observed, scaled from 24: 0.009 x 730 / 24 = 0.27375
    assert (document["hours"], document["monthly_run_rate"]) == (24, D("0.27375"))


def test_forked_readers_give_the_same_report() -> None:
    """The agents' files shared out among two forked readers: the same totals, copies, span and rows by agent as one
    reader gives (copies in different readers meet in the de-duplication buckets)."""
    from aicost import usage
    from aicost.catalog import load_bundled_catalog

    catalog = load_bundled_catalog()
    files = sorted(str(path) for path in HOME.rglob("*") if path.is_file())
    reports = []
    for workers in (1, 2):
        tally = usage.Tally(catalog, None, None, "auto")
        saved = usage.reading.PARALLEL_BYTES
        usage.reading.PARALLEL_BYTES = 0
        try:
            usage.read_logs(files, tally, workers=workers)
        finally:
            usage.reading.PARALLEL_BYTES = saved
        report = usage.price_tally(tally)
        reports.append((report.total_cost, report.requests, report.skipped, report.formats, report.by_agent,
                        report.hours))
    assert reports[0] == reports[1]
    assert reports[0][0] == D("0.113615") and reports[0][5] == D(55) + D(295) / 3600


@pytest.mark.parametrize("log_format", ["auto", "codex", "gemini-cli", "qwen-code"])
def test_odd_values_in_agents_logs_are_skipped_not_crashed_on(tmp_path: Path, log_format: str) -> None:
    """Types no agent writes (a list as a line type, a dict as a uuid, counts as text or fractions, a session total
    too large for one request as its own counts): each line counted under a reason, never a traceback."""
    log = tmp_path / "odd.jsonl"
    lines = [
        {"type": ["event_msg"], "payload": {"type": "token_count"}},
        {"timestamp": "2026-11-02T10:00:00Z", "type": "turn_context", "payload": {"model": {"name": "gpt-5"}}},
        {"timestamp": "2026-11-02T10:00:01Z", "type": "event_msg", "payload": {"type": "token_count", "info": {
            "total_token_usage": {"input_tokens": "12", "output_tokens": 1.5}}}},
        {"timestamp": "2026-11-02T10:00:02Z", "type": "event_msg", "payload": {"type": "token_count", "info": {
            "total_token_usage": {"input_tokens": 200_000_000, "output_tokens": 1}}}},
        {"id": {}, "type": "gemini", "timestamp": [], "model": 5, "tokens": {"input": -1}},
        {"uuid": {}, "type": "assistant", "usageMetadata": {"promptTokenCount": True}},
        {"uuid": "u", "type": "assistant", "timestamp": "2026-11-02T10:00:00Z", "model": "qwen3-coder-plus",
         "usageMetadata": {"promptTokenCount": 10, "cachedContentTokenCount": 20, "totalTokenCount": 10}},
    ]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_main("usage", str(log), "--log-format", log_format, "--catalog", "bundled", "--format", "json",
                      env=NO_AGENTS)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["requests"] == 0
    assert sum(document["skipped"].values()) == len(lines)


def test_codex_model_names_map_to_catalog_ids(tmp_path: Path) -> None:
    """The names Codex CLI logs carry are the catalog's aliases of the models billed alike: gpt-5.1-codex-max is
    gpt-5.1 (1.25 / 0.125 / 10); gpt-5.3-codex, not in the catalog, is unpriced (never $0)."""
    log = tmp_path / "rollout.jsonl"
    lines = []
    for second, model in ((1, "gpt-5.1-codex-max"), (3, "gpt-5.3-codex")):
        usage = {"input_tokens": 1000 * second, "cached_input_tokens": 0, "output_tokens": 100,
                 "reasoning_output_tokens": 0, "total_tokens": 1000 * second + 100}
        lines += [{"timestamp": f"2026-11-02T10:00:0{second}Z", "type": "turn_context", "payload": {"model": model}},
                  {"timestamp": f"2026-11-02T10:00:0{second + 1}Z", "type": "event_msg", "payload": {
                      "type": "token_count", "info": {"last_token_usage": usage}}}]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    document = usage_json(str(log))
    # 1,000 x 1.25 + 100 x 10 = 1,250 + 1,000 = 2,250 -> 0.00225
    assert rows(document) == {"gpt-5.1": D("0.00225"), "gpt-5.3-codex": None}
    assert document["total_cost"] == D("0.00225") and document["unpriced_models"][0]["requests"] == 1
