"""`aicost usage`: request logs read, de-duplicated, priced on their own day; the workload that reproduces them."""

from __future__ import annotations

import gzip
import json
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main
from loggen import claude_code_logs, openai_logs

D = Decimal
CENT = D("0.01")

# Every line below is priced by hand (USD per million tokens, at the period in force on the record's UTC day):
MIXED = "\n".join([
    # gpt-4o on 2024-10-01, the launch price 5 / 15: 1,000 x 5 + 100 x 15 = 6,500 -> 0.0065
    '{"object": "chat.completion", "created": 1727784000, "model": "gpt-4o", '
    '"usage": {"prompt_tokens": 1000, "completion_tokens": 100}}',
    # gpt-4o on 2024-10-02, after the cut to 2.50 / 10 (cache read 1.25), compact JSON:
    # 600 x 2.5 + 400 x 1.25 + 100 x 10 = 1,500 + 500 + 1,000 = 3,000 -> 0.003
    '{"created":1727870400,"model":"gpt-4o","usage":{"prompt_tokens":1000,"completion_tokens":100,'
    '"prompt_tokens_details":{"cached_tokens":400}}}',
    # the Responses API on 2024-10-02: 2,000 x 2.5 + 300 x 10 = 8,000 -> 0.008
    '{"created_at": 1727870400, "model": "gpt-4o", "usage": {"input_tokens": 2000, "output_tokens": 300, '
    '"input_tokens_details": {"cached_tokens": 0}, "output_tokens_details": {"reasoning_tokens": 0}}}',
    # Anthropic on 2025-06-01, claude-sonnet-4 at 3 / 15, cache read 0.30, write 3.75:
    # 100 x 3 + 1,000 x 0.3 + 200 x 3.75 + 50 x 15 = 300 + 300 + 750 + 750 = 2,100 -> 0.0021
    '{"timestamp": "2025-06-01T08:00:00+02:00", "model": "claude-sonnet-4", "usage": {"input_tokens": 100, '
    '"cache_read_input_tokens": 1000, "cache_creation_input_tokens": 200, "output_tokens": 50}}',
    # o3 on 2025-07-01 at 2 / 8: 400 of the 500 completion tokens are reasoning, all billed as output:
    # 100 x 2 + 500 x 8 = 4,200 -> 0.0042
    '{"timestamp": "2025-07-01T12:00:00Z", "model": "o3", "usage": {"prompt_tokens": 100, "completion_tokens": 500, '
    '"completion_tokens_details": {"reasoning_tokens": 400}}}',
    # an OpenAI Batch output line: the same gpt-4o request as the second one, at batch prices (1.25 / 5; cache reads
    # at the cache-read price 1.25, halved inside a batch by OpenAI's [batch_cache] rule: 0.625):
    # 600 x 1.25 + 400 x 0.625 + 100 x 5 = 750 + 250 + 500 = 1,500 -> 0.0015
    '{"custom_id": "r1", "response": {"status_code": 200, "body": {"created": 1727870400, "model": "gpt-4o", '
    '"usage": {"prompt_tokens": 1000, "completion_tokens": 100, "prompt_tokens_details": {"cached_tokens": 400}}}}}',
    # not counted, each for its reason:
    '{"model": "mystery-9", "created": 1727870400, "usage": {"prompt_tokens": 10, "completion_tokens": 1}}',
    '{"created": 1727870400, "usage": {"prompt_tokens": 10, "completion_tokens": 1}}',
    '{"model": "gpt-4o", "created": 1727870400, "usage": {"prompt_tokens": -10, "completion_tokens": 1}}',
    '{"model": "gpt-4o", "created": 1727870400, "usage": {"prompt_tokens": 10, "completion_tokens": 1, '
    '"prompt_tokens_details": {"cached_tokens": 20}}}',
    '{"model": "gpt-4o", "usage": {"prompt_tokens": 10, "completion_tokens": 1}}',
    '{"object": "list", "data": []}',
    '[1, 2]',
    '{"model": "gpt-4o", "usage": {"prompt_tokens": 10',
    "",
])
MIXED_TOTAL = D("0.0065") + D("0.003") + D("0.008") + D("0.0021") + D("0.0042") + D("0.0015")  # 0.0253


def usage_json(*args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    result = run_main("usage", *args, "--format", "json", env=env)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_every_format_priced_on_its_own_day(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED + "\n", encoding="utf-8")
    document = usage_json(str(path))
    assert document["total_cost"] == MIXED_TOTAL == D("0.0253")
    assert document["requests"] == 7  # six priced, one on an unknown model
    # uncached: 1000 + 600 + 2000 + 100 + 100 + 600 (+10 on mystery-9); cache reads 400 + 1000 + 400
    # visible output: 100 + 100 + 300 + 50 + (500 - 400) + 100 (+1 on mystery-9)
    assert document["tokens"] == {"uncached_input": 4410, "cache_read": 1800, "cache_write": 200, "output": 751,
                                  "reasoning": 400}
    assert document["skipped"] == {
        "no model name": 1,
        "token counts missing, negative or not whole numbers": 1,
        "token counts contradict each other (cached or reasoning above the total)": 1,
        "no timestamp": 1,
        "no usage (not a model response)": 1,
        "not a JSON object": 1,
        "not valid JSON": 1,
    }
    (unpriced,) = document["unpriced_models"]
    assert (unpriced["model"], unpriced["requests"]) == ("mystery-9", 1)
    assert "unknown model" in unpriced["reason"]
    # 2024-10-01 (a Unix time) to 2025-07-01: 274 calendar days, but the requests span 2024-10-01T12:00Z (1727784000)
    # to 2025-07-01T12:00Z: 273 days = 6,552 hours; run rate 0.0253 x 730 / 6,552
    assert (document["first_day"], document["last_day"], document["days"]) == ("2024-10-01", "2025-07-01", 274)
    assert document["hours"] == 6552
    assert document["monthly_run_rate"] == (MIXED_TOTAL * 730 / 6552).quantize(D("0.000001"), ROUND_HALF_EVEN)
    rows = {row["model"]: row for row in document["rows"]}
    assert rows["gpt-4o"]["cost"] == D("0.019") and rows["mystery-9"]["cost"] is None
    by_day = {row["day"]: row["cost"] for row in usage_json(str(path), "--by", "day")["rows"]}
    assert by_day["2024-10-01"] == D("0.0065") and by_day["2024-10-02"] == D("0.0125")
    # the +02:00 timestamp is 06:00 UTC on 2025-06-01
    assert by_day["2025-06-01"] == D("0.0021")
    by_month = {row["month"]: row["cost"] for row in usage_json(str(path), "--by", "month")["rows"]}
    assert by_month == {"2024-10": D("0.019"), "2025-06": D("0.0021"), "2025-07": D("0.0042")}  # 0.0205 - 0.003 + 0.0015


def test_since_until_and_the_table(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(MIXED, encoding="utf-8")
    document = usage_json(str(path), "--since", "2024-10-02", "--until", "2024-10-31")
    # the three 2024-10-02 gpt-4o requests (the batch one at batch prices) and the unknown model:
    # 0.003 + 0.008 + 0.0015 = 0.0125
    assert document["total_cost"] == D("0.0125")
    assert document["skipped"]["before --since"] == 1 and document["skipped"]["after --until"] == 2
    # 30 days from --since to --until: 0.0125 x 730 / 720
    assert document["days"] == 30
    assert document["monthly_run_rate"] == (D("0.0125") * 730 / 720).quantize(D("0.000001"), ROUND_HALF_EVEN)
    table = run_main("usage", str(path)).stdout
    assert "Records not counted" in table and "Unpriced (not in the cost: unknown is not free)" in table
    assert "mystery-9" in table


def test_claude_code_copies_count_once_with_the_largest_total(tmp_path: Path) -> None:
    sonnet = '"model":"claude-sonnet-4-6"'  # Sonnet 4 retired on 2026-06-15; 4.6 bills the same 3 / 0.30 / 3.75 / 15
    lines = [
        '{"type":"user","message":{"role":"user","content":"hi"},"timestamp":"2026-11-02T10:00:00.000Z"}',
        # two copies of one request: the second, with the larger total, counts:
        # 10 x 3 + 5,000 x 0.3 + 1,000 x 3.75 + 300 x 15 = 30 + 1,500 + 3,750 + 4,500 = 9,780 -> 0.00978
        '{"message":{"id":"msg_1",' + sonnet + ',"usage":{"input_tokens":10,"cache_creation_input_tokens":1000,'
        '"cache_read_input_tokens":5000,"output_tokens":100}},"requestId":"req_1","timestamp":"2026-11-02T10:00:01Z"}',
        '{"message":{"id":"msg_1",' + sonnet + ',"usage":{"input_tokens":10,"cache_creation_input_tokens":1000,'
        '"cache_read_input_tokens":5000,"output_tokens":300}},"requestId":"req_1","timestamp":"2026-11-02T10:00:02Z"}',
        # spaced JSON is read like compact JSON: 20 x 3 + 50 x 15 = 810 -> 0.00081
        '{"message": {"id": "msg_2", "model": "claude-sonnet-4-6", "usage": {"input_tokens": 20, '
        '"output_tokens": 50}}, "requestId": "req_2", "timestamp": "2026-11-03T10:00:00.000Z"}',
        # a resumed session's copy of msg_2 carrying message.id alone (no requestId): the same request, once
        '{"message": {"id": "msg_2", "model": "claude-sonnet-4-6", "usage": {"input_tokens": 20, '
        '"output_tokens": 50}}, "timestamp": "2026-11-03T10:00:00.000Z"}',
        # no message.id at all: nothing to match it by, counted as it is: 20 x 3 + 50 x 15 -> 0.00081
        '{"message": {"model": "claude-sonnet-4-6", "usage": {"input_tokens": 20, '
        '"output_tokens": 50}}, "timestamp": "2026-11-03T11:00:00.000Z"}',
    ]
    first = tmp_path / "projects" / "a"
    first.mkdir(parents=True)
    (first / "one.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # a resumed session copies msg_1 (the smaller copy) into another file: still one request
    second = tmp_path / "projects" / "b"
    second.mkdir(parents=True)
    (second / "two.jsonl.gz").write_bytes(gzip.compress((lines[1] + "\n").encode()))
    document = usage_json(env={"CLAUDE_CONFIG_DIR": f"{tmp_path / 'nowhere'},{tmp_path}"})
    assert document["total_cost"] == D("0.00978") + D("0.00081") * 2
    assert document["requests"] == 3
    assert document["tokens"] == {"uncached_input": 50, "cache_read": 5000, "cache_write": 1000, "output": 400,
                                  "reasoning": 0}
    # copies dropped: msg_1's smaller copy in one.jsonl and in two.jsonl.gz, msg_2's copy without requestId
    assert document["skipped"] == {"duplicate copy of a request already counted (same id)": 3,
                                   "no usage (not a model response)": 1}
    assert document["files"] == 2


def test_an_aggregate_csv(tmp_path: Path) -> None:
    path = tmp_path / "daily.csv"
    path.write_text("date,model,requests,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,"
                    "reasoning_tokens\n"
                    # 10 requests: 10,000 input of which 4,000 cached; 1,000 output: 6,000 x 2.5 + 4,000 x 1.25 +
                    # 1,000 x 10 = 15,000 + 5,000 + 10,000 = 30,000 -> 0.03
                    "2026-11-02,gpt-4o,10,10000,4000,0,1000,0\n"
                    # o3: 5,000 x 2 + (1,000 + 2,000) x 8 = 10,000 + 24,000 -> 0.034
                    "2026-11-03,o3,5,5000,0,0,1000,2000\n"
                    "2026-11-03,o3,0,5000,0,0,1000,2000\n"
                    "2026-11-03,o3,5,50,100,0,1000,2000\n"
                    "not-a-date,o3,5,5000,0,0,1000,2000\n", encoding="utf-8")
    document = usage_json(str(path))
    assert document["total_cost"] == D("0.064")
    assert document["requests"] == 15
    assert document["tokens"]["reasoning"] == 2000
    assert document["skipped"] == {"CSV row: missing or unreadable value": 1, "unreadable timestamp": 1,
                                   "token counts contradict each other (cached or reasoning above the total)": 1}
    bad = tmp_path / "bad.csv"
    bad.write_text("day,model,requests\n", encoding="utf-8")
    result = run_main("usage", str(bad))
    assert result.exit_code == 2 and "the CSV header lacks date, input_tokens, output_tokens" in result.stderr


def test_written_workload_reproduces_the_run_rate_to_the_cent(tmp_path: Path) -> None:
    truth = claude_code_logs(tmp_path, 3000, seed=3, files=6)
    assert truth["duplicates"] > 0
    workload = tmp_path / "observed.toml"
    document = usage_json("--write-workload", str(workload), env={"CLAUDE_CONFIG_DIR": str(tmp_path)})
    assert document["requests"] == truth["requests"]
    tokens = truth["tokens"]
    assert document["tokens"] == {"uncached_input": tokens["input"], "cache_read": tokens["cache_read"],
                                  "cache_write": tokens["cache_write"], "output": tokens["output"], "reasoning": 0}
    cost = run_main("cost", str(workload), "--as-of", document["last_day"], "--format", "json")
    assert cost.exit_code == 0, cost.stderr
    monthly = json.loads(cost.stdout, parse_float=Decimal)["monthly_cost"]
    assert monthly.quantize(CENT) == document["monthly_run_rate"].quantize(CENT)
    # and `compare` answers what the same traffic would cost elsewhere
    compare = run_main("compare", str(workload), "--as-of", document["last_day"], "--models", "claude-haiku-4-5")
    assert compare.exit_code == 0 and "claude-haiku-4-5" in compare.stdout


def test_duckdb_aggregate_prices_like_the_raw_logs(tmp_path: Path) -> None:
    """The DuckDB query in docs/usage.md, run for real on generated OpenAI logs: its CSV prices as the raw logs."""
    duckdb = pytest.importorskip("duckdb")
    logs = tmp_path / "logs"
    logs.mkdir()
    openai_logs(logs / "requests.jsonl", 2000)
    query = _docs_query("duckdb").replace("'logs/*.jsonl'", f"'{logs}/*.jsonl'").replace(
        "'daily.csv'", f"'{tmp_path / 'daily.csv'}'")
    connection = duckdb.connect()
    for statement in query.split(";"):
        if statement.strip():
            connection.execute(statement)
    raw = usage_json(str(logs))
    aggregate = usage_json(str(tmp_path / "daily.csv"))
    for key in ("total_cost", "requests", "tokens", "first_day", "last_day", "days"):
        assert raw[key] == aggregate[key], key
    # the run rate: the raw logs from their first request's moment to their last; a daily row covers its whole day
    assert aggregate["hours"] == 24 * aggregate["days"] and raw["hours"] <= aggregate["hours"]
    for document in (raw, aggregate):
        expected = document["total_cost"] * 730 / document["hours"]
        assert abs(document["monthly_run_rate"] - expected) < D("0.000001"), document["hours"]
    assert raw["skipped"] == aggregate["skipped"] == {}


def _docs_query(engine: str) -> str:
    text = (Path(__file__).resolve().parent.parent / "docs" / "usage.md").read_text(encoding="utf-8")
    start = text.index(f"```sql\n-- {engine}")
    return text[start + len("```sql\n"):text.index("```", start + 6)]


def test_refusals(tmp_path: Path) -> None:
    result = run_main("usage", str(tmp_path / "missing.jsonl"))
    assert result.exit_code == 2 and "no such file or directory" in result.stderr
    result = run_main("usage", str(tmp_path / "*.nothing"))
    assert result.exit_code == 2 and "no file matches" in result.stderr
    result = run_main("usage", env={"CLAUDE_CONFIG_DIR": str(tmp_path / "none"), "HOME": str(tmp_path),
                                    "CODEX_HOME": "", "GEMINI_CLI_HOME": "", "QWEN_HOME": "", "QWEN_RUNTIME_DIR": ""})
    assert result.exit_code == 2 and "no coding agent's logs found" in result.stderr
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(MIXED.encode())[:40])
    result = run_main("usage", str(cut))
    assert result.exit_code == 2 and "cut short" in result.stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    document = usage_json(str(empty))
    assert (document["requests"], document["total_cost"], document["monthly_run_rate"]) == (0, 0, 0)
    result = run_main("usage", str(empty), "--write-workload", str(tmp_path / "w.toml"))
    assert result.exit_code == 2 and "nothing to write" in result.stderr
    result = run_main("usage", str(empty), "--since", "2026-02-01", "--until", "2026-01-01")
    assert result.exit_code == 2 and "before --since" in result.stderr


def test_zstd_logs(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    path = tmp_path / "requests.log"  # the content, not the name, says it is compressed
    path.write_bytes(zstandard.ZstdCompressor().compress(MIXED.encode()))
    assert usage_json(str(path))["total_cost"] == MIXED_TOTAL


def test_standard_input_formats_and_hostile_lines(tmp_path: Path) -> None:
    hostile = "\n".join([
        '{"model": "gpt-4o", "created": 1727870400, "usage": {"prompt_tokens": 99999999999999999999, '
        '"completion_tokens": 1}}',
        '{"usage": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"model": "gpt-4o", "created": 1e400, "usage": {"prompt_tokens": 1, "completion_tokens": 1}}',
        '{"model": "gpt-4o", "created": "yesterday", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}',
    ]).encode() + b"\n\xff\xfe{\"usage\": 1}\n" + MIXED.encode()
    result = run_main("usage", "-", "--format", "json", stdin=hostile)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["total_cost"] == MIXED_TOTAL  # the hostile lines are counted as skipped, never priced
    skipped = document["skipped"]
    assert skipped["implausibly large token count"] == 1
    assert skipped["not valid JSON"] == 3  # the deep nesting, the invalid UTF-8 and MIXED's own cut line
    assert skipped["unreadable timestamp"] == 2
    csv_text = run_main("usage", "-", "--format", "csv", stdin=MIXED.encode()).stdout
    assert csv_text.splitlines()[0] == "model,requests,uncached_input,cache_read,cache_write,output,reasoning,cost"
    markdown = run_main("usage", "-", "--format", "markdown", "--by", "month", stdin=MIXED.encode()).stdout
    assert "| 2024-10 |" in markdown
    euros = json.loads(run_main("usage", "-", "--format", "json", "--currency", "EUR", stdin=MIXED.encode()).stdout,
                       parse_float=Decimal)
    # 0.0253 x 0.8772 = 0.02219316
    assert (euros["currency"], euros["total_cost"]) == ("EUR", D("0.022193"))


def test_held_out_hostile_cases(tmp_path: Path) -> None:
    """Cases a hostile pass found: each is counted or refused in one line, never an internal error."""
    # a request a model cannot price that day (gpt-4o had no cache price on 2024-10-01) leaves the others priced:
    # the plain request costs 1,000 x 5 + 100 x 15 = 6,500 -> 0.0065
    day = tmp_path / "day.jsonl"
    day.write_text('{"created": 1727784000, "model": "gpt-4o", "usage": {"prompt_tokens": 1000, '
                   '"completion_tokens": 100, "prompt_tokens_details": {"cached_tokens": 500}}}\n'
                   '{"created": 1727784000, "model": "gpt-4o", "usage": {"prompt_tokens": 1000, '
                   '"completion_tokens": 100}}\n', encoding="utf-8")
    document = usage_json(str(day))
    assert document["total_cost"] == D("0.0065")
    assert [(u["model"], u["requests"]) for u in document["unpriced_models"]] == [("gpt-4o", 1)]
    # the same file named twice, or through a link, is read once
    (tmp_path / "link.jsonl").symlink_to(day)
    assert usage_json(str(day), f"{tmp_path}/./day.jsonl", str(tmp_path / "link.jsonl"))["requests"] == 2
    # a bad first line does not make a JSON-lines file a CSV; invalid UTF-8 and a BOM are no internal error
    odd = tmp_path / "odd.jsonl"
    odd.write_bytes(b"\xef\xbb\xbfgarbage line\n"
                    b'{"created": 1727784000, "model": "gpt-4o", "usage": {"prompt_tokens": 1, "x": "\xff"}}\n'
                    + day.read_bytes().split(b"\n")[1] + b"\n")
    document = usage_json(str(odd))
    assert document["total_cost"] == D("0.0065") and document["skipped"]["not valid JSON"] == 2
    # UTF-16 is refused with the fix
    (tmp_path / "wide.jsonl").write_bytes("{}\n".encode("utf-16"))
    result = run_main("usage", str(tmp_path / "wide.jsonl"))
    assert result.exit_code == 2 and "UTF-16 text — save it as UTF-8" in result.stderr
    # CSV: a lone carriage return, a digit the int() of Python would not take, a blank row
    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"date,model,requests,input_tokens,output_tokens\n2026-11-02,gpt-4o,1,\rx,1\n"
                     + "2026-11-02,gpt-4o,²,1,1\n\n2026-11-02,gpt-4o,10,10000,1000\n".encode())
    document = usage_json(str(rows))
    # 10 x (1,000 x 2.5 + 100 x 10) / 1e6 = 0.035
    assert document["total_cost"] == D("0.035") and document["skipped"] == {"CSV row: missing or unreadable value": 2}
    # --write-workload never replaces a log being read, nor writes an empty workload
    result = run_main("usage", str(day), "--write-workload", str(day))
    assert result.exit_code == 2 and "is one of the logs being read" in result.stderr
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text('{"created": 1727784000, "model": "mystery", "usage": {"prompt_tokens": 1}}\n', encoding="utf-8")
    result = run_main("usage", str(unknown), "--write-workload", str(tmp_path / "w.toml"))
    assert result.exit_code == 2 and "nothing to write" in result.stderr
    # Claude Code's synthetic messages are no API call
    synthetic = tmp_path / "projects" / "p"
    synthetic.mkdir(parents=True)
    (synthetic / "s.jsonl").write_text('{"message": {"id": "m", "model": "<synthetic>", "usage": {"input_tokens": 0, '
                                       '"output_tokens": 0}}, "requestId": "r", "timestamp": "2026-11-02T10:00:00Z"}\n',
                                       encoding="utf-8")
    document = usage_json(str(tmp_path / "projects"))
    assert document["skipped"] == {"Claude Code synthetic message (no API call)": 1} and document["requests"] == 0


def test_cut_and_corrupt_zstd_are_refused(tmp_path: Path) -> None:
    zstandard = pytest.importorskip("zstandard")
    packed = zstandard.ZstdCompressor().compress(MIXED.encode() * 50)
    (tmp_path / "cut.jsonl.zst").write_bytes(packed[: len(packed) // 2])
    result = run_main("usage", str(tmp_path / "cut.jsonl.zst"))
    assert result.exit_code == 2 and "cut short" in result.stderr
    (tmp_path / "bad.jsonl.zst").write_bytes(packed[:8] + b"\x00" * 64 + packed[72:])
    result = run_main("usage", str(tmp_path / "bad.jsonl.zst"))
    assert result.exit_code == 2 and "bad.jsonl.zst" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.slow
def test_without_the_logs_extra_the_same_totals(tmp_path: Path) -> None:
    """msgspec and zstandard are optional: the standard library's json reads the same records."""
    import subprocess
    import sys

    claude_code_logs(tmp_path, 400, seed=5, files=3)
    (tmp_path / "mixed.jsonl").write_text(MIXED, encoding="utf-8")
    code = ("import sys; sys.modules['msgspec'] = None; sys.modules['zstandard'] = None\n"
            "from aicost.cli.entry import main; sys.argv = ['aicost', 'usage', *sys.argv[1:], '-f', 'json']; main()")
    paths = [str(tmp_path / "projects"), str(tmp_path / "mixed.jsonl")]
    plain = subprocess.run([sys.executable, "-c", code, *paths], capture_output=True, text=True, check=False)
    assert plain.returncode == 0, plain.stderr
    assert json.loads(plain.stdout) == json.loads(run_main("usage", *paths, "--format", "json").stdout)
