"""`aicost usage` on hostile input and environments: every case is counted, skipped or refused in one line with
exit 2 — never an internal error, never unbounded memory or time, never a file of the user's replaced."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import struct
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import aicost.usage as usage
from aicost.cli.inputs import open_catalog
from clihelp import run_main

D = Decimal
# gpt-4o on 2026-11-02 at 2.50 / 10 a million: 1,000 x 2.5 + 100 x 10 = 3,500 -> 0.0035
GOOD = ('{"timestamp": "2026-11-02T10:00:00Z", "model": "gpt-4o", "usage": {"prompt_tokens": 1000, '
        '"completion_tokens": 100}}\n')
GOOD_COST = D("0.0035")


def usage_json(*args: str, stdin: bytes | None = b"") -> dict[str, Any]:
    result = run_main("usage", *args, "--format", "json", stdin=stdin)
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def refused(*args: str, stdin: bytes | None = b"") -> str:
    """The one line of a refusal (exit 2)."""
    result = run_main("usage", *args, stdin=stdin)
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("aicost: error: "), result.stderr
    assert "internal error" not in result.stderr
    return result.stderr


def claude_line(stamp: str, model: str = "claude-sonnet-4-6", output: int = 100, message: str = "m1",
                request: str = "r1") -> str:
    return json.dumps({"message": {"id": message, "model": model, "usage": {"input_tokens": 10, "output_tokens": output}},
                       "requestId": request, "timestamp": stamp}) + "\n"


# ------------------------------------------------------------------------------------------ values out of range


def test_out_of_range_timestamps_and_counts_are_skipped(tmp_path: Path) -> None:
    """Timestamps whose UTC day falls outside the years 1 to 9999, in every format, and a 5,000-digit CSV cell."""
    early, late = "0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00-05:00"
    lines = [GOOD]
    for stamp in (early, late):
        lines.append(json.dumps({"timestamp": stamp, "model": "gpt-4o",
                                 "usage": {"prompt_tokens": 1, "completion_tokens": 1}}) + "\n")  # OpenAI
        lines.append(json.dumps({"timestamp": stamp, "model": "claude-sonnet-4-6",
                                 "usage": {"input_tokens": 1, "output_tokens": 1}}) + "\n")  # Anthropic
        lines.append(claude_line(stamp, message=stamp, request=stamp))  # Claude Code (the typed decoder's path)
    lines.append(json.dumps({"created": 9 * 10**400, "model": "gpt-4o",
                             "usage": {"prompt_tokens": 1, "completion_tokens": 1}}) + "\n")  # Unix seconds
    path = tmp_path / "times.jsonl"
    path.write_text("".join(lines), encoding="utf-8")
    document = usage_json(str(path))
    assert document["total_cost"] == GOOD_COST and document["requests"] == 1
    assert document["skipped"] == {"unreadable timestamp": 7}  # 2 stamps x 3 formats + the huge Unix time

    table = tmp_path / "daily.csv"
    table.write_text("date,model,requests,input_tokens,output_tokens\n"
                     f"2026-11-02,gpt-4o,1,{'9' * 5000},1\n"
                     f"{early},gpt-4o,1,1,1\n"
                     f"{late},gpt-4o,1,1,1\n"
                     "2026-11-02,gpt-4o,1,1000,100\n", encoding="utf-8")
    document = usage_json(str(table))
    assert document["total_cost"] == GOOD_COST
    assert document["skipped"] == {"implausibly large token count": 1, "unreadable timestamp": 2}


def test_closed_standard_input(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    assert usage_json(str(path), stdin=None)["total_cost"] == GOOD_COST  # not reading it: no matter
    assert "standard input is closed" in refused("-", stdin=None)
    assert "standard input is closed" in refused(str(path), "-", stdin=None)


def test_full_temporary_directory_is_named(tmp_path: Path) -> None:
    """A parallel read whose spill files cannot be written (here: a file-size limit, as a full disk fails) exits 2
    naming the temporary directory and the fix."""
    logs = tmp_path / "logs"
    logs.mkdir()
    for index in range(2):  # 2,000 keyed lines each: about 280 bytes a bucket, spilled past the 100-byte limit
        (logs / f"{index}.jsonl").write_text("".join(claude_line("2026-11-02T10:00:00Z", message=f"m{index}-{n}")
                                                     for n in range(2000)), encoding="utf-8")
    code = ("import resource, signal, sys\n"
            "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
            "resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))\n"
            "import aicost.usage.dedup as dedup, aicost.usage.reading as reading\n"
            "reading.PARALLEL_BYTES, dedup.SPILL_BYTES = 0, 100\n"
            "from aicost.cli.entry import main\n"
            "sys.argv = ['aicost', 'usage', sys.argv[1]]\n"
            "main()\n")
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", code, str(logs)], capture_output=True, text=True, timeout=60,
                          env=environment, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"aicost: error: temporary directory {tmp_path}: cannot hold the de-duplication")
    assert "set TMPDIR" in done.stderr and done.stderr.count("\n") == 1


# ------------------------------------------------------------------------------------------ compression


def zstd_frame(data: bytes) -> bytes:
    zstandard = pytest.importorskip("zstandard")
    frame: bytes = zstandard.ZstdCompressor().compress(data)
    return frame


SKIPPABLE = struct.pack("<II", 0x184D2A50, 4) + b"pzst"  # what pzstd writes before each frame


def test_compressed_standard_input_and_skippable_frames(tmp_path: Path) -> None:
    text = (GOOD * 3).encode()
    for packed in (gzip.compress(text), zstd_frame(text), SKIPPABLE + zstd_frame(text),
                   zstd_frame(text[:200]) + SKIPPABLE + zstd_frame(text[200:])):
        assert usage_json("-", stdin=packed)["total_cost"] == GOOD_COST * 3
        path = tmp_path / "log.jsonl.zst"
        path.write_bytes(packed)
        assert usage_json(str(path))["total_cost"] == GOOD_COST * 3
    assert "cut short or corrupt" in refused("-", stdin=gzip.compress(text)[:30])
    assert "UTF-16 text — save it as UTF-8" in refused("-", stdin=GOOD.encode("utf-16"))


def test_compression_bombs_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 12 MiB of records that are no request, in about 40 KiB of gzip: past 8 MiB, more than 200 bytes out for each
    # byte in is a bomb
    line = b'{"x": "' + b"a" * 200 + b'"}\n'
    bomb = gzip.compress(line * (12 * 1024 * 1024 // len(line)), compresslevel=6)
    assert len(bomb) < 12 * 1024 * 1024 // 200
    path = tmp_path / "bomb.jsonl.gz"
    path.write_bytes(bomb)
    for args, stdin in (((str(path),), b""), (("-",), bomb)):
        message = refused(*args, stdin=stdin)
        assert "expands more than 200 times when decompressed" in message and "decompress it yourself" in message
    # the absolute cap (1 GiB, here made small): a log that compresses as logs do, but expands past it
    monkeypatch.setattr(usage.lines, "MAX_DECOMPRESSED_BYTES", 4096)
    plain = tmp_path / "plain.jsonl.gz"
    plain.write_bytes(gzip.compress(b"".join(claude_line(f"2026-11-02T10:00:{n % 60:02d}Z", message=str(n)).encode()
                                            for n in range(200))))
    assert "plain.jsonl.gz: decompresses to more than" in refused(str(plain))


def test_endless_lines_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line over the cap refuses the input: from a file, standard input or inside gzip (the cap made small
    here; the real one, 64 MiB, is run against an endless FIFO below)."""
    for module in (usage.lines, usage.readers, usage.reading):  # each reads the cap it imported
        monkeypatch.setattr(module, "MAX_LINE_BYTES", 1000)
    long_line = GOOD + "x" * 5000 + "\n" + GOOD
    path = tmp_path / "long.jsonl"
    path.write_text(long_line, encoding="utf-8")
    assert "long.jsonl: a line is longer than" in refused(str(path))
    assert "standard input: a line is longer than" in refused("-", stdin=long_line.encode())
    assert "standard input: a line is longer than" in refused("-", stdin=gzip.compress(long_line.encode()))
    path.write_text(GOOD + "x" * 999 + "\n", encoding="utf-8")  # 1,000 bytes with its newline: still a line
    assert usage_json(str(path))["skipped"] == {"not valid JSON": 1}


def test_an_endless_fifo_within_a_memory_limit(tmp_path: Path) -> None:
    """An endless source without newlines (a FIFO fed forever, like `usage /dev/zero`), under a 1 GiB address-
    space limit: exit 2 naming the line cap, within seconds."""
    fifo = tmp_path / "endless.jsonl"
    os.mkfifo(fifo)

    def feed() -> None:
        chunk = b"\0" * (1 << 20)
        try:
            with open(fifo, "wb") as out:
                while True:
                    out.write(chunk)
        except (BrokenPipeError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    code = ("import resource, sys\n"
            "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
            "from aicost.cli.entry import main\n"
            "sys.argv = ['aicost', 'usage', sys.argv[1]]\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True, text=True, timeout=60,
                          check=False)
    feeder.join(timeout=10)
    assert done.returncode == 2, done.stderr
    assert done.stderr == (f"aicost: error: {fifo}: a line is longer than 64 MiB, the limit of one record — is it a "
                           "log (JSON lines, CSV)?\n")


# ------------------------------------------------------------------------------------------ directories and globs


def test_fifos_and_unreadable_entries_in_directories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = tmp_path / "logs"
    (logs / "closed").mkdir(parents=True)
    (logs / "good.jsonl").write_text(GOOD, encoding="utf-8")
    (logs / "closed" / "hidden.jsonl").write_text(GOOD, encoding="utf-8")
    (logs / "secret.jsonl").write_text(GOOD, encoding="utf-8")
    os.mkfifo(logs / "pipe.jsonl")  # opened, it would wait for a writer forever
    (logs / "gone.jsonl").symlink_to(tmp_path / "nowhere")
    secret, closed = str(logs / "secret.jsonl"), str(logs / "closed")
    # permissions as an unprivileged user meets them (the tests may run as root, who reads everything)
    real_access, real_scandir = os.access, os.scandir
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: path != secret and real_access(path, mode, **kw))

    denied = {closed}

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = run_main("usage", str(logs), "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["total_cost"] == GOOD_COST and document["files"] == 1
    assert document["skipped_files"] == [  # in the order of the walk: a directory's files, then its subdirectories
        {"path": str(logs / "gone.jsonl"), "reason": "cannot read it (No such file or directory)"},
        {"path": str(logs / "pipe.jsonl"), "reason": "a FIFO, not a regular file"},
        {"path": secret, "reason": "cannot read it (Permission denied)"},
        {"path": closed, "reason": "cannot read this directory (Permission denied)"},
    ]
    assert result.stderr == (f"aicost: note: 4 file(s) found in directories or globs not read: {logs / 'gone.jsonl'} "
                             f"(cannot read it (No such file or directory)); {logs / 'pipe.jsonl'} (a FIFO, not a "
                             f"regular file); {secret} (cannot read it (Permission denied)); and 1 more\n")
    table = run_main("usage", str(logs)).stdout
    assert "Files not read (found in a directory or by a glob)" in table
    # a directory named on the command line that cannot be read is an error, not a skip
    denied.add(str(logs))
    assert f"{logs}: cannot read this directory (Permission denied)" in refused(str(logs))


def test_symlink_loops_under_a_recursive_glob(tmp_path: Path) -> None:
    deep = tmp_path / "logs" / "a" / "b"
    deep.mkdir(parents=True)
    (deep / "one.jsonl").write_text(GOOD, encoding="utf-8")
    (deep / "up").symlink_to("../..")  # two loops: each would be followed again and again by the glob module
    (tmp_path / "logs" / "a" / "side").symlink_to("..")
    (tmp_path / "logs" / "elsewhere").symlink_to(deep)
    document = usage_json(f"{tmp_path}/logs/**/*.jsonl")
    assert document["files"] == 1 and document["total_cost"] == GOOD_COST
    # each directory is entered once, by the first name met in sorted order, level by level (here the link
    # `elsewhere` at the top names a/b before the walk reaches it): however many loops, the walk ends
    assert usage.sources._glob(f"{tmp_path}/logs/**/*.jsonl") == [f"{tmp_path}/logs/elsewhere/one.jsonl"]
    assert usage.sources._glob(f"{tmp_path}/logs/**") == [f"{tmp_path}/logs/{name}" for name in
                                                  ("a", "elsewhere", "elsewhere/one.jsonl")]


# ------------------------------------------------------------------------------------------ the same answer always


def read(lines: list[str], parallel: bool = False, typed: bool = True) -> dict[str, Any]:
    """What the tally of these lines prices to: read in one process, or by two forked readers (one file each)."""
    import tempfile

    tally = usage.Tally(open_catalog(None), None, None, "auto")
    with tempfile.TemporaryDirectory() as where:
        paths = []
        for index, part in enumerate((lines[::2], lines[1::2]) if parallel else (lines,)):
            path = os.path.join(where, f"{index}.jsonl")
            Path(path).write_text("".join(part), encoding="utf-8")
            paths.append(path)
        if parallel:
            saved = usage.reading.PARALLEL_BYTES
            usage.reading.PARALLEL_BYTES = 0
            try:
                usage.read_logs(paths, tally, workers=2)
            finally:
                usage.reading.PARALLEL_BYTES = saved
        else:
            decode = usage.json_decoder()
            for path in paths:
                usage.read_file(path, tally, usage.claude_code_decoder() if typed else None, decode)
    report = usage.price_tally(tally)
    return {"cost": report.total_cost, "requests": report.requests, "tokens": report.tokens,
            "models": sorted(report.priced), "skipped": report.skipped}


def test_a_bad_timestamp_never_changes_a_valid_copy() -> None:
    """Copies of one request: one with a valid timestamp, one whose timestamp starts like a valid day. The bad copy
    is skipped in either order (it was counted after a valid line of the same day, and then won as the larger)."""
    valid = claude_line("2026-11-02T10:00:00Z", output=100)
    for bad_stamp in ("2026-11-02Tjunk:00Z", "2026-11-02T99:00:00Z", "", "2026-11-02 10:00:00+25:00"):
        bad = claude_line(bad_stamp, output=5000)
        for typed in (True, False):
            first, second = read([valid, bad], typed=typed), read([bad, valid], typed=typed)
            assert first == second, bad_stamp
            # claude-sonnet-4-6 at 3 / 15: 10 x 3 + 100 x 15 = 1,530 -> 0.00153
            assert first["cost"] == D("0.00153") and first["requests"] == 1


def test_long_model_names_alike_in_both_decoders() -> None:
    for length, counted in ((200, 1), (201, 0)):
        line = claude_line("2026-11-02T10:00:00Z", model="m" * length)
        typed, plain = read([line], typed=True), read([line], typed=False)
        assert typed == plain and typed["requests"] == counted


def test_copies_with_different_models_resolve_alike_in_every_order_and_reader() -> None:
    """Two copies (same message.id and requestId) of equal token totals on two models: the rule (largest total,
    then the larger counts, the later day, the later model name) picks the same one however they are read."""
    lines = [claude_line("2026-11-02T10:00:00Z", model=model, message=f"m{n}", request=f"r{n}")
             for n in range(20) for model in ("claude-sonnet-4-6", "claude-opus-4-1")]
    results = [read(order, parallel=parallel) for order in (lines, lines[::-1]) for parallel in (False, True)]
    assert all(result == results[0] for result in results)
    # claude-sonnet-4-6 (later in code-point order than claude-opus-4-1) wins each pair: 20 x 0.00153
    assert results[0]["models"] == ["claude-sonnet-4-6"] and results[0]["cost"] == 20 * D("0.00153")


# ------------------------------------------------------------------------------------------ what is written


def test_output_never_replaces_an_input(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    log.write_text(GOOD, encoding="utf-8")
    (tmp_path / "link").symlink_to(log)
    for target in (str(log), str(tmp_path / "link"), f"{tmp_path}/./log.jsonl"):
        for option in ("--output", "--write-workload"):
            assert "is one of the logs being read" in refused(str(log), option, target)
    assert log.read_text(encoding="utf-8") == GOOD
    # standard input redirected from the log is one of the inputs too
    with log.open("rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "aicost", "usage", "-", "--output", str(tmp_path / "link")],
                              stdin=stdin, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2 and "--output" in done.stderr and "is one of the logs being read" in done.stderr
    assert log.read_text(encoding="utf-8") == GOOD
    # a workload target that cannot be written is said before --output is written
    report = tmp_path / "report.txt"
    assert "--write-workload" in refused(str(log), "--output", str(report), "--write-workload", str(tmp_path))
    assert "does not exist" in refused(str(log), "--output", str(report), "--write-workload",
                                       str(tmp_path / "no" / "w.toml"))
    assert "name the same file" in refused(str(log), "--output", str(report), "--write-workload", str(report))
    assert not report.exists()


def test_only_workloads_cost_accepts_are_written(tmp_path: Path) -> None:
    workload, report = tmp_path / "w.toml", tmp_path / "report.txt"
    cases = {
        # a 5,000,000-token request on gpt-4o (a 128,000-token window)
        "window.jsonl": ('{"timestamp": "2026-11-02T10:00:00Z", "model": "gpt-4o", "usage": {"prompt_tokens": '
                         '5000000, "completion_tokens": 5}}\n', "its mean request has 5,000,000 input + 5 output tokens, above "
                         "gpt-4o's context window of 128,000"),
        # one row: one request of 10^9 input tokens, above a workload's 10^8
        "tokens.csv": ("date,model,requests,input_tokens,output_tokens\n2026-11-02,gpt-4.1,1,1000000000,1\n",
                       "its mean request has 1,000,000,000 input_tokens, above the 100,000,000 a workload allows"),
        # 10^12 requests in one day: 10^12 x 730 / 24 a month, above a workload's 10^12
        "requests.csv": ("date,model,requests,input_tokens,output_tokens\n2026-11-02,gpt-4o,1000000000000,1000000000000,1\n",
                         "30,416,666,666,666.666666667 requests a month, above the 1,000,000,000,000"),
    }
    for name, (text, reason) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        message = refused(str(path), "--write-workload", str(workload), "--output", str(report))
        assert f"--write-workload {workload}: stream '" in message and reason in message, message
        assert "nothing was written" in message
        assert not workload.exists() and not report.exists()


def test_values_that_outgrow_memory_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A line within the cap can still hold millions of values (`[{},{},...]`): when decoding it runs out of
    memory (under `ulimit -v`), the input is refused in one line, not an internal error. Memory running out is
    simulated here: a real run takes seconds and a memory limit."""
    def exhausted() -> Any:
        def decode(line: bytes) -> Any:
            raise MemoryError
        return decode

    monkeypatch.setattr(usage.reading, "json_decoder", exhausted)
    path = tmp_path / "values.json"
    path.write_text("[" + "{}," * 1000 + "{}]\n", encoding="utf-8")
    assert "values.json: a line or JSON document holds more values than fit in memory" in refused(str(path))
    assert "standard input: a line or JSON document" in refused("-", stdin=path.read_bytes())


def test_a_path_behind_a_closed_directory_is_not_called_missing(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`usage locked/in/x.jsonl` where `locked` is mode 000 (as an unprivileged user meets it; simulated, since
    the tests may run as root): the cause is the permission, not a missing file."""
    hidden = str(tmp_path / "locked" / "in" / "x.jsonl")
    real_stat = os.stat

    def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
        if os.fspath(path) == hidden:
            raise PermissionError(13, "Permission denied", hidden)
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    assert f"{hidden}: cannot reach it (Permission denied)" in refused(hidden)
    assert "no such file or directory" in refused(str(tmp_path / "missing.jsonl"))


def test_the_zstd_program_path_is_bounded_too(tmp_path: Path) -> None:
    """Without the zstandard package a `zstd` program decompresses: standard input is fed to it through a pipe,
    skippable frames are read past, and a bomb is refused the same way."""
    import shutil

    if shutil.which("zstd") is None:
        pytest.skip("no zstd program on the PATH")
    text = (GOOD * 3).encode()
    good = SKIPPABLE + zstd_frame(text)
    line = b'{"x": "' + b"a" * 200 + b'"}\n'
    bomb = zstd_frame(line * (12 * 1024 * 1024 // len(line)))
    (tmp_path / "good.zst").write_bytes(good)
    (tmp_path / "bomb.zst").write_bytes(bomb)
    code = ("import sys; sys.modules['zstandard'] = None\n"
            "from aicost.cli.entry import main; sys.argv = ['aicost', 'usage', *sys.argv[1:], '-f', 'json']; main()")

    def run(args: list[str], stdin: bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-c", code, *args], input=stdin, capture_output=True, timeout=60,
                              check=False)

    for args, stdin in (([str(tmp_path / "good.zst")], b""), (["-"], good)):
        done = run(args, stdin)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout, parse_float=Decimal)["total_cost"] == GOOD_COST * 3
    for args, stdin in (([str(tmp_path / "bomb.zst")], b""), (["-"], bomb)):
        done = run(args, stdin)
        assert done.returncode == 2 and b"expands more than 200 times" in done.stderr, done.stderr
        assert done.stderr.count(b"\n") == 1


def test_integers_of_thousands_of_digits_are_counted_for_their_field(tmp_path: Path) -> None:
    """A 5,000-digit `created` (Chat Completions, Responses, Batch output) is an unreadable timestamp, and a
    5,000-digit token count an implausibly large one — not a line that is not JSON (the standard library's int()
    refuses more than 4,300 digits) — and both decoders agree."""
    huge = "9" * 5000
    chat = '{"created": HUGE, "model": "gpt-4o", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}\n'.replace("HUGE", huge)
    responses = '{"created_at": HUGE, "model": "gpt-4o", "usage": {"input_tokens": 1, "output_tokens": 1}}\n'.replace("HUGE", huge)
    batch = ('{"response": {"body": {"created": HUGE, "model": "gpt-4o", "usage": {"prompt_tokens": 1, '
             '"completion_tokens": 1}}}}\n'.replace("HUGE", huge))
    negative = '{"created": -HUGE, "model": "gpt-4o", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}\n'.replace("HUGE", huge)
    tokens = ('{"timestamp": "2026-11-02T10:00:00Z", "model": "gpt-4o", "usage": {"prompt_tokens": HUGE, '
              '"completion_tokens": 1}}\n'.replace("HUGE", huge))
    path = tmp_path / "huge.jsonl"
    path.write_text(GOOD + chat + responses + batch + negative + tokens, encoding="utf-8")
    document = usage_json(str(path))
    assert document["total_cost"] == GOOD_COST and document["requests"] == 1
    assert document["skipped"] == {"unreadable timestamp": 4, "implausibly large token count": 1}
    plain = usage.lines._stdlib_decoder()
    for line in (chat, responses, batch, negative, tokens):
        assert usage.json_decoder()(line.encode()) == plain(line.encode())


def test_targets_meeting_through_a_dangling_link_are_refused(tmp_path: Path) -> None:
    """`ln -s w.toml link.toml; usage --write-workload link.toml --output w.toml` (and the reverse) name one file
    that does not exist yet: refused before reading, nothing written; a dangling link to a log's path too."""
    log = tmp_path / "log.jsonl"
    log.write_text(GOOD, encoding="utf-8")
    (tmp_path / "link.toml").symlink_to("w.toml")
    workload, link = str(tmp_path / "w.toml"), str(tmp_path / "link.toml")
    for first, second in ((link, workload), (workload, link)):
        assert "name the same file" in refused(str(log), "--write-workload", first, "--output", second)
        assert "name the same file" in refused(str(log), "--output", first, "--write-workload", second)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "aicost-home") == ["link.toml", "log.jsonl"]


def test_a_workload_that_cannot_be_written_leaves_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The workload is written first: a full disk under it is one line naming the workload (not "the report"),
    exit 2, and the report is not written; an unwritable directory is said before any log is read."""
    import errno

    from aicost import fileio

    log = tmp_path / "log.jsonl"
    log.write_text(GOOD, encoding="utf-8")
    report, workload = tmp_path / "other.txt", tmp_path / "w.toml"
    real_fsync = os.fsync

    def full_disk(descriptor: int) -> None:
        if os.readlink(f"/proc/self/fd/{descriptor}").startswith(str(tmp_path / ".w.toml")):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(descriptor)

    monkeypatch.setattr(fileio.os, "fsync", full_disk)
    message = refused(str(log), "--output", str(report), "--write-workload", str(workload))
    assert message == (f"aicost: error: --write-workload {workload}: cannot write the workload (No space left on "
                       "device); the file is unchanged; no report was written\n")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "aicost-home") == ["log.jsonl"]
    monkeypatch.undo()
    # a directory the user cannot write in (simulated: running as root, every directory is writable)
    monkeypatch.setattr(os, "access", lambda path, mode: not str(path).endswith("ro"))
    (tmp_path / "ro").mkdir()
    message = refused(str(log), "--output", str(report), "--write-workload", str(tmp_path / "ro" / "w.toml"))
    assert "--write-workload" in message and "cannot write in the directory" in message
    assert not report.exists()


def test_other_encodings_and_unread_compressions_are_refused(tmp_path: Path) -> None:
    """UTF-16 and UTF-32 with or without a byte-order mark, inside gzip and zstd too, a UTF-16 CSV, and xz,
    bzip2 and zip input: one line naming what it is, exit 2 — never 0 requests with exit 0."""
    import bz2
    import lzma
    import zipfile

    cases = {
        "UTF-16-LE text": GOOD.encode("utf-16-le"), "UTF-16-BE text": GOOD.encode("utf-16-be"),
        "UTF-32-LE text": GOOD.encode("utf-32-le"), "UTF-32-BE text": GOOD.encode("utf-32-be"),
        "UTF-32 text": GOOD.encode("utf-32"), "UTF-16 text": GOOD.encode("utf-16"),
        "xz-compressed input is not read": lzma.compress(GOOD.encode()),
        "bzip2-compressed input is not read": bz2.compress(GOOD.encode()),
    }
    for expected, data in cases.items():
        path = tmp_path / "log.jsonl"
        path.write_bytes(data)
        assert f"log.jsonl: {expected}" in refused(str(path)), expected
        assert f"standard input: {expected}" in refused("-", stdin=data), expected
    with zipfile.ZipFile(tmp_path / "log.zip", "w") as archive:
        archive.writestr("log.jsonl", GOOD)
    assert "zip-compressed input is not read — decompress it first" in refused(str(tmp_path / "log.zip"))
    # inside gzip: the decompressed bytes are checked
    packed = tmp_path / "log.jsonl.gz"
    packed.write_bytes(gzip.compress(GOOD.encode("utf-16")))
    assert "log.jsonl.gz (decompressed): UTF-16 text — save it as UTF-8" in refused(str(packed))
    assert "standard input (decompressed): UTF-32-LE text" in refused("-", stdin=gzip.compress(GOOD.encode("utf-32-le")))
    zstd = tmp_path / "log.jsonl.zst"
    zstd.write_bytes(zstd_frame(GOOD.encode("utf-16")))
    assert "log.jsonl.zst (decompressed): UTF-16 text — save it as UTF-8" in refused(str(zstd))
    # a UTF-16 CSV is named by its encoding, not by a header it seems to lack
    table = tmp_path / "daily.csv"
    table.write_bytes("date,model,requests,input_tokens,output_tokens\n2026-11-02,gpt-4o,1,1000,100\n".encode("utf-16-le"))
    assert "daily.csv: UTF-16-LE text — save it as UTF-8" in refused(str(table))
    # UTF-8, with or without its mark, is read
    path = tmp_path / "log.jsonl"
    path.write_bytes(GOOD.encode("utf-8-sig"))
    assert usage_json(str(path))["total_cost"] == GOOD_COST


def test_sigterm_while_reading_removes_the_spill(tmp_path: Path) -> None:
    """SIGTERM (what `timeout` and container stops send) while a FIFO of Claude Code lines is read: the
    de-duplication spill in $TMPDIR is removed as after Ctrl-C, one line, exit 143 (128 + 15)."""
    import signal
    import time

    spill_root = tmp_path / "tmp"
    spill_root.mkdir()
    fifo = tmp_path / "log.fifo"
    os.mkfifo(fifo)
    program = ("import sys; import aicost.usage.dedup as dedup; dedup.SPILL_BYTES = 4096; "
               "from aicost.cli.entry import main; sys.argv = ['aicost'] + sys.argv[1:]; main()")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AICOST_")}
    env.update(TMPDIR=str(spill_root), AICOST_HOME=str(tmp_path / "home"))
    process = subprocess.Popen([sys.executable, "-c", program, "usage", str(fifo), "--log-format", "claude-code"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        with fifo.open("w", encoding="utf-8") as writer:
            # 40,000 records x 36 packed bytes: past the 1 MiB the reader gathers before it checks the spill limit
            writer.write("".join(claude_line("2026-11-02T10:00:00Z", message=f"m{index}", request=f"r{index}")
                                 for index in range(40_000)))
            writer.flush()
            for _ in range(200):
                if any(spill_root.iterdir()):
                    break
                time.sleep(0.05)
            assert [p.name.startswith("aicost-usage-") for p in spill_root.iterdir()] == [True]
            process.send_signal(signal.SIGTERM)
            _, stderr = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 143 and stderr == b"aicost: terminated\n", (process.returncode, stderr)
    assert list(spill_root.iterdir()) == []


def test_unreadable_directories_under_globs_are_listed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A mode-000 directory (simulated: the tests may run as root) under `d/**/*.jsonl` is listed as not read,
    not dropped; matched by `d/*` it is skipped and listed, exit 0; a glob whose own directory cannot be read
    says Permission denied, not "no file matches"."""
    d = tmp_path / "d"
    (d / "lockdir").mkdir(parents=True)
    (d / "good.jsonl").write_text(GOOD, encoding="utf-8")
    (d / "lockdir" / "hidden.jsonl").write_text(GOOD, encoding="utf-8")
    (tmp_path / "d3").mkdir()
    (tmp_path / "d3" / "x.jsonl").write_text(GOOD, encoding="utf-8")
    denied = {str(d / "lockdir"), str(tmp_path / "d3")}
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if os.fspath(path) in denied:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    lock = {"path": str(d / "lockdir"), "reason": "cannot read this directory (Permission denied)"}
    for pattern in (f"{d}/**/*.jsonl", f"{d}/*"):
        document = usage_json(pattern)
        assert document["total_cost"] == GOOD_COST and document["files"] == 1, pattern
        assert document["skipped_files"] == [lock], pattern
    for pattern in (f"{tmp_path}/d3/*.jsonl", f"{tmp_path}/d3/**/*.jsonl"):
        message = refused(pattern)
        assert f"{pattern}: cannot read the directory {tmp_path}/d3 (Permission denied)" in message, message
    assert "no file matches this pattern" in refused(f"{d}/*.csv")


def test_a_model_retired_since_the_logs_is_not_written_into_a_workload(tmp_path: Path) -> None:
    """claude-sonnet-4-5, retired on 2026-11-30 (successor claude-sonnet-5-5), logged on 2026-11-02: the report
    prices it, but `aicost cost` (today, after the retirement) would refuse the workload — so the stream is named
    with the retirement and its successor, exit 2, and neither the workload nor the report is written."""
    import datetime as dt

    if dt.date.today() < dt.date(2026, 11, 30):
        pytest.skip("the retirement is still ahead on this machine's clock")
    log = tmp_path / "old.jsonl"
    log.write_text(GOOD + '{"timestamp": "2026-11-02T11:00:00Z", "model": "claude-sonnet-4-5", "usage": '
                   '{"input_tokens": 1000, "output_tokens": 100}}\n', encoding="utf-8")
    workload, report = tmp_path / "w.toml", tmp_path / "report.txt"
    # the report alone prices it at its price on its day: 1,000 x 3 + 100 x 15 = 4,500 -> 0.0045, plus gpt-4o's
    assert usage_json(str(log))["total_cost"] == GOOD_COST + D("0.0045")
    message = refused(str(log), "--write-workload", str(workload), "--output", str(report))
    assert (f"--write-workload {workload}: stream 'claude-sonnet-4-5' cannot be written: a workload is priced today "
            f"({dt.date.today().isoformat()}) by default, and claude-sonnet-4-5 was retired on 2026-11-30 — use "
            "claude-sonnet-5-5; nothing was written") in message, message
    assert not workload.exists() and not report.exists()


def test_sigterm_stops_forked_readers_and_removes_their_spill(tmp_path: Path) -> None:
    """SIGTERM to aicost alone (`kill PID`) while a forked reader waits on a FIFO: the readers are stopped, their
    shared spill directory removed, exit 143 — not a wait for a reader whose input never ends."""
    import signal
    import time

    spill_root = tmp_path / "tmp"
    spill_root.mkdir()
    fifos = [tmp_path / "a.fifo", tmp_path / "b.fifo"]
    for fifo in fifos:
        os.mkfifo(fifo)
    program = ("import sys; import aicost.usage.reading as reading; reading.PARALLEL_BYTES = 0; "
               "from aicost.cli.entry import main; sys.argv = ['aicost'] + sys.argv[1:]; main()")
    env = {key: value for key, value in os.environ.items() if not key.startswith("AICOST_")}
    env.update(TMPDIR=str(spill_root), AICOST_HOME=str(tmp_path / "home"))
    process = subprocess.Popen([sys.executable, "-c", program, "usage", *map(str, fifos)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    writers = []
    try:
        # a reader has opened the first FIFO (both, of size 0, fall to one reader): it reads and waits for more
        writers.append(fifos[0].open("w", encoding="utf-8"))
        writers[-1].write(GOOD)
        writers[-1].flush()
        assert [p.name.startswith("aicost-usage-") for p in spill_root.iterdir()] == [True]
        time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
    finally:
        for writer in writers:
            with contextlib.suppress(BrokenPipeError):
                writer.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 143 and stderr == b"aicost: terminated\n", (process.returncode, stderr)
    assert list(spill_root.iterdir()) == []
