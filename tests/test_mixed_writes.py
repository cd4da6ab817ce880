"""A stream's requests can write to the prompt cache for five minutes and for an hour at once: `cache_write_tokens`
(at the lifetime of `cache_ttl`, 5m by default) beside `cache_write_1h_tokens` (always an hour) — in a file, in
[defaults], as `--cache-write-1h-tokens`, in size bands — and `usage --write-workload` writes a log line's 5-minute
and 1-hour writes apart, so that the written workload costs what the log did.

Prices: claude-haiku-4-5 from the bundled catalog (input 1.00, cache read 0.10, 5-minute write 1.25, 1-hour write
2.00, output 5.00 per million tokens); model `m` of tests/data/dimensions_catalog.toml: input 2, cache read 0.2,
5-minute write 2.5, 1-hour write 4, output 10.
"""

from __future__ import annotations

import json
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main

D = Decimal
DIMENSIONS = str(Path(__file__).parent / "data" / "dimensions_catalog.toml")
ON_M = ("--catalog", DIMENSIONS, "--as-of", "2026-03-02")


def cost_of(*args: str) -> dict[str, Any]:
    result = run_main("cost", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def workload_file(tmp_path: Path, stream: str, defaults: str = "") -> str:
    path = tmp_path / "w.toml"
    path.write_text(f'version = 1\n{defaults}\n[[streams]]\nname = "s"\nmodel = "m"\nrequests_per_month = 1000\n'
                    f"{stream}", encoding="utf-8")
    return str(path)


MIXED = "input_tokens = 10000\noutput_tokens = 500\ncached_input_share = 0.2\ncache_write_tokens = 1000\n"


def test_a_stream_with_both_writes_priced_by_hand(tmp_path: Path) -> None:
    # 10,000 input: 2,000 read (0.2), 1,000 written for 5 minutes, 3,000 for an hour, 4,000 uncached; 500 output:
    # 4,000 x 2 + 2,000 x 0.2 + 1,000 x 2.5 + 3,000 x 4 + 500 x 10 = 8,000 + 400 + 2,500 + 12,000 + 5,000 = 27,900
    # a request -> 1,000 requests x 27,900 / 1e6 = 27.9 a month; cache writes 2,500 + 12,000 = 14,500 -> 14.5
    document = cost_of(workload_file(tmp_path, MIXED + "cache_write_1h_tokens = 3000\n"), *ON_M)
    assert document["monthly_cost"] == D("27.9")
    assert document["streams"][0]["breakdown"] == {"input": 8, "cached_input": D("0.4"), "cache_write": D("14.5"),
                                                   "output": 5}
    # in [defaults] the same
    assert cost_of(workload_file(tmp_path, MIXED, "[defaults]\ncache_write_1h_tokens = 3000\n"),
                   *ON_M)["monthly_cost"] == D("27.9")
    # cache_ttl = "1h" prices cache_write_tokens for an hour too: 1,000 x (4 - 2.5) = 1,500 more, 29,400 -> 29.4
    assert cost_of(workload_file(tmp_path, MIXED + 'cache_write_1h_tokens = 3000\ncache_ttl = "1h"\n'),
                   *ON_M)["monthly_cost"] == D("29.4")


def test_the_stream_flag(tmp_path: Path) -> None:
    alone = ("--model", "m", "--requests-per-month", "1000", "--input-tokens", "10000", "--output-tokens", "500",
             "--cached-input-share", "0.2")
    flags = (*alone, "--cache-write-tokens", "1000")
    assert cost_of(*flags, "--cache-write-1h-tokens", "3000", *ON_M)["monthly_cost"] == D("27.9")  # as above
    # only 1-hour writes: 5,000 x 2 + 400 + 3,000 x 4 + 5,000 = 27,400 -> 27.4 (no cache_ttl needed)
    assert cost_of(*alone, "--cache-write-1h-tokens", "3000", *ON_M)["monthly_cost"] == D("27.4")
    # with --cache-ttl 1h and no 5-minute writes: the same (both mean an hour)
    assert cost_of(*alone, "--cache-write-1h-tokens", "3000", "--cache-ttl", "1h", *ON_M)["monthly_cost"] == D("27.4")


def test_bands_split_both_writes_in_proportion_to_input(tmp_path: Path) -> None:
    bands = ("sizes = [{share = 0.5, input_tokens = 2000, output_tokens = 100}, "
             "{share = 0.5, input_tokens = 6000, output_tokens = 100%s}]\n")
    writes = "cache_write_tokens = 400\ncache_write_1h_tokens = 1000\n"
    # mean input 4,000: band 0 (2,000) takes 200 5-minute and 500 1-hour writes, band 1 (6,000) 600 and 1,500.
    # band 0: 1,300 x 2 + 200 x 2.5 + 500 x 4 + 100 x 10 = 2,600 + 500 + 2,000 + 1,000 = 6,100
    # band 1: 3,900 x 2 + 600 x 2.5 + 1,500 x 4 + 100 x 10 = 7,800 + 1,500 + 6,000 + 1,000 = 16,300
    # 1,000 x (0.5 x 6,100 + 0.5 x 16,300) / 1e6 = 11.2
    assert cost_of(workload_file(tmp_path, writes + bands % ""), *ON_M)["monthly_cost"] == D("11.2")
    # band 1 gives its own 1-hour writes (0); band 0 keeps its 500: band 1 = 5,400 x 2 + 1,500 + 1,000 = 13,300;
    # 1,000 x (0.5 x 6,100 + 0.5 x 13,300) / 1e6 = 9.7
    own = writes + bands % ", cache_write_1h_tokens = 0"
    assert cost_of(workload_file(tmp_path, own), *ON_M)["monthly_cost"] == D("9.7")


@pytest.mark.parametrize(("stream", "message"), [
    (MIXED + "cache_write_1h_tokens = 8000\n",
     "streams[0].cache_write_1h_tokens: cached input (10000 x 0.2) plus cache_write_tokens (1000) plus "
     "cache_write_1h_tokens (8000) exceeds input_tokens (10000) — input_tokens includes cache reads and writes"),
    (MIXED + "cache_write_1h_tokens = -1\n", "streams[0].cache_write_1h_tokens: must be >= 0, got -1"),
    (MIXED + 'cache_write_1h_tokens = "many"\n', "streams[0].cache_write_1h_tokens: must be a number"),
    # a band's split part: mean input 0.5 x 100 + 0.5 x 1,900 = 1,000; band 0 takes 600 x 100 / 1,000 = 60 1-hour
    # writes, with 100 x 0.5 = 50 read: 110 > 100
    ("cached_input_share = 0.5\ncache_write_1h_tokens = 600\nsizes = [{share = 0.5, input_tokens = 100, "
     "output_tokens = 10}, {share = 0.5, input_tokens = 1900, output_tokens = 10}]\n",
     "streams[0].cache_write_1h_tokens: 600 is split over the bands in proportion to their input, which gives "
     "sizes[0] 60 1-hour cache writes; with its cached input (100 x 0.5) that exceeds its input (100) — a band's "
     "input includes its cache reads and writes: lower cache_write_1h_tokens, or give sizes[0] its own "
     "cache_write_1h_tokens"),
])
def test_bad_1h_writes_are_one_line_and_exit_2(tmp_path: Path, stream: str, message: str) -> None:
    result = run_main("cost", workload_file(tmp_path, stream), *ON_M)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_bad_flag_is_named_as_the_flag() -> None:
    result = run_main("cost", "--model", "m", "--requests-per-month", "10", "--input-tokens", "1000",
                      "--output-tokens", "1", "--cache-write-tokens", "500", "--cache-write-1h-tokens", "600", *ON_M)
    assert result.exit_code == 2
    assert result.stderr == ("aicost: error: --cache-write-1h-tokens: cached input (1000 x 0) plus --cache-write-tokens "
                             "(500) plus --cache-write-1h-tokens (600) exceeds --input-tokens (1000) — --input-tokens "
                             "includes cache reads and writes\n")


def claude_code(usage_fields: dict[str, Any], message_id: str) -> dict[str, Any]:
    return {"type": "assistant", "requestId": f"req_{message_id}", "timestamp": "2026-11-02T10:00:00.000Z",
            "message": {"id": message_id, "model": "claude-haiku-4-5", "role": "assistant", "usage": usage_fields}}


def test_a_logs_mixed_writes_written_back_cost_the_run_rate(tmp_path: Path) -> None:
    def writes(five: int, hour: int) -> dict[str, Any]:
        return {"cache_creation_input_tokens": five + hour,
                "cache_creation": {"ephemeral_5m_input_tokens": five, "ephemeral_1h_input_tokens": hour}}

    lines = [
        # the auditor's line: 100 x 1 + 1,000 x 0.10 + 1,000 x 1.25 + 2,000 x 2 + 200 x 5 = 6,450 -> 0.00645
        claude_code({"input_tokens": 100, "cache_read_input_tokens": 1000, **writes(1000, 2000), "output_tokens": 200},
                    "a"),
        # 1-hour writes only: 500 x 1 + 1,000 x 2 + 100 x 5 = 3,000 -> 0.003
        claude_code({"input_tokens": 500, **writes(0, 1000), "output_tokens": 100}, "b"),
        # 5-minute writes only: 200 x 1 + 800 x 1.25 + 50 x 5 = 1,450 -> 0.00145
        claude_code({"input_tokens": 200, **writes(800, 0), "output_tokens": 50}, "c"),
        # no cache: 1,000 x 1 + 100 x 5 = 1,500 -> 0.0015
        claude_code({"input_tokens": 1000, "output_tokens": 100}, "d"),
    ]
    log = tmp_path / "session.jsonl"
    log.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    written = tmp_path / "observed.toml"
    result = run_main("usage", str(log), "--format", "json", "--write-workload", str(written))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    # 0.00645 + 0.003 + 0.00145 + 0.0015 = 0.0124 in one day: 0.0124 x 730 / 24 = 0.37716666... a month
    assert document["total_cost"] == D("0.0124") and document["monthly_run_rate"] == D("0.377167")
    streams = {stream["name"]: stream for stream in tomllib.loads(written.read_text(encoding="utf-8"))["streams"]}
    # the requests that write for an hour (a, b): 5,600 input / 2 = 2,800; 1,000 read of 5,600; 1,000 / 2 = 500
    # 5-minute writes, 3,000 / 2 = 1,500 1-hour writes; 300 / 2 = 150 output. 2 requests x 730 / 24 a month.
    hour = streams["claude-haiku-4-5 (1h cache)"]
    assert "cache_ttl" not in hour
    assert (hour["input_tokens"], hour["cache_write_tokens"], hour["cache_write_1h_tokens"], hour["output_tokens"]) == (
        2800, 500, 1500, 150)
    assert D(str(hour["requests_per_month"])) == D("60.833333333")
    # the rest (c, d): 2,000 / 2 = 1,000 input, 800 / 2 = 400 5-minute writes, 150 / 2 = 75 output
    rest = streams["claude-haiku-4-5"]
    assert (rest["input_tokens"], rest["cache_write_tokens"], rest["output_tokens"]) == (1000, 400, 75)
    assert "cache_write_1h_tokens" not in rest
    # re-priced: a request of the first stream 300 x 1 + 500 x 0.10 + 500 x 1.25 + 1,500 x 2 + 150 x 5
    # = 300 + 50 + 625 + 3,000 + 750 = 4,725 (with every write at the 1-hour price it would be 5,100: 1,000 x 0.75
    # / 1e6 a line too many), of the second 600 x 1 + 400 x 1.25 + 75 x 5 = 1,475:
    # 60.833333333 x (4,725 + 1,475) / 1e6 = 60.833333333 x 0.0062 = 0.3771666666... -> 0.377167, 0.38 to the cent
    monthly = cost_of(str(written), "--as-of", "2026-11-02")["monthly_cost"]
    assert monthly == document["monthly_run_rate"] == D("0.377167")


def test_diff_shows_a_change_of_1h_writes(tmp_path: Path) -> None:
    stream = 'version = 1\n[[streams]]\nname = "s"\nmodel = "m"\nrequests_per_month = 1000\ninput_tokens = 10000\n' \
             "output_tokens = 500\n"
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    old.write_text(stream + "cache_write_tokens = 4000\n", encoding="utf-8")
    new.write_text(stream + "cache_write_tokens = 1000\ncache_write_1h_tokens = 3000\n", encoding="utf-8")
    result = run_main("diff", str(old), str(new), *ON_M, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    # old 6,000 x 2 + 4,000 x 2.5 + 500 x 10 = 27,000 -> 27; new 12,000 + 1,000 x 2.5 + 3,000 x 4 + 5,000 = 31,500
    # -> 31.5 a month for 1,000 requests
    assert (document["old_monthly_cost"], document["new_monthly_cost"], document["change"]) == (27, D("31.5"), D("4.5"))
    assert document["streams"][0]["changes"] == {"cache_write_tokens": {"old": 4000, "new": 1000},
                                                 "cache_write_1h_tokens": {"old": 0, "new": 3000}}
    text = run_main("diff", str(old), str(new), *ON_M).stdout
    assert "cache_write_tokens 4000 → 1000; cache_write_1h_tokens 0 → 3000" in text


def test_the_documented_example_on_haiku() -> None:
    # docs/workload.md: 1,000 requests of 10,000 input (1,000 written for 5 minutes, 3,000 for an hour) and 500
    # output: (6,000 x 1.00 + 1,000 x 1.25 + 3,000 x 2.00 + 500 x 5.00) / 1e6 = 15,750 / 1e6 a request -> $15.75
    document = cost_of("--model", "claude-haiku-4-5", "--requests-per-month", "1000", "--input-tokens", "10000",
                       "--output-tokens", "500", "--cache-write-tokens", "1000", "--cache-write-1h-tokens", "3000",
                       "--as-of", "2026-11-02")
    assert document["monthly_cost"] == D("15.75")
