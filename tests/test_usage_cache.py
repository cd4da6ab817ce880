"""The usage cache (usage.cache): repeat runs read only what changed, with totals identical to a full reading."""

from __future__ import annotations

import gzip
import json
import os
import stat
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from clihelp import run_main
from loggen import claude_code_logs

D = Decimal


def line(message: str, request: str, uncached: int, read: int, written: int, output: int,
         day: str = "2026-11-02", model: str = "claude-haiku-4-5") -> str:
    """One Claude Code assistant line (compact JSON, as Claude Code writes it)."""
    return json.dumps({"type": "assistant", "requestId": request, "timestamp": f"{day}T10:00:00.000Z",
                       "message": {"id": message, "model": model, "role": "assistant", "content": [],
                                   "usage": {"input_tokens": uncached, "cache_read_input_tokens": read,
                                             "cache_creation_input_tokens": written, "output_tokens": output}}},
                      separators=(",", ":")) + "\n"


def usage(*args: str) -> dict[str, Any]:
    result = run_main("usage", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def totals(document: dict[str, Any]) -> tuple[Any, ...]:
    return (document["requests"], document["tokens"], document["total_cost"], document["skipped"],
            document["formats"])


def entries(home: Path) -> list[Path]:
    directory = home / "usage-cache"
    return sorted(path for path in directory.iterdir() if not path.name.startswith(".")) if directory.exists() else []


@pytest.fixture
def home() -> Path:
    return Path(os.environ["AICOST_HOME"])


def test_appended_and_rewritten_files_total_as_a_full_reading(tmp_path: Path, home: Path) -> None:
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    # claude-haiku-4-5 at 1 / 5 per million, cache read 0.10, write 1.25:
    # r1: 1,000 x 1 + 100 x 5 = 1,500 millionths; r2 (two copies, the larger counts): 2,000 x 0.10 + 200 x 5 = 1,200
    first.write_text(line("m1", "q1", 1000, 0, 0, 100) + line("m2", "q2", 0, 2000, 0, 100))
    second.write_text(line("m2", "q2", 0, 2000, 0, 200) + "\n")
    cold = usage(str(tmp_path))
    assert cold["requests"] == 2
    assert cold["total_cost"] == D("0.0027")  # 1,500 + 1,200 millionths
    assert len(entries(home)) == 3  # one per file, one for the run
    assert totals(usage(str(tmp_path))) == totals(cold) == totals(usage(str(tmp_path), "--no-cache"))

    # appended: r3 (800 cache writes x 1.25 + 10 x 5 = 1,050) and a third copy of r1, smaller (it does not count)
    with first.open("a") as stream:
        stream.write(line("m3", "q3", 0, 0, 800, 10) + line("m1", "q1", 500, 0, 0, 100))
    appended = usage(str(tmp_path))
    assert totals(appended) == totals(usage(str(tmp_path), "--no-cache"))
    assert appended["requests"] == 3
    assert appended["total_cost"] == D("0.00375")  # 1,500 + 1,200 + 1,050 millionths
    assert appended["skipped"]["duplicate copy of a request already counted (same id)"] == 2

    # rewritten shorter, and another first line: r2 alone in b.jsonl now (its larger copy there, 1,200)
    first.write_text(line("m9", "q9", 10, 0, 0, 0))  # 10 x 1 = 10 millionths
    rewritten = usage(str(tmp_path))
    assert totals(rewritten) == totals(usage(str(tmp_path), "--no-cache"))
    assert (rewritten["requests"], rewritten["total_cost"]) == (2, D("0.00121"))

    # rewritten in place at the same length (another inode): read again
    replacement = tmp_path / "new"
    replacement.write_text(line("m8", "q8", 20, 0, 0, 0))  # 20 x 1 = 20 millionths, the same length as m9's line
    os.replace(replacement, first)
    assert usage(str(tmp_path))["total_cost"] == D("0.00122")


def test_an_appended_file_is_read_from_where_it_ended(tmp_path: Path) -> None:
    """Proof that the cached start is not read again: a change in the middle of the file that keeps its length,
    its modification time and the hashed head and tail is not seen once lines are appended (what the cache
    trusts of an append-only log, as docs/usage.md says)."""
    log = tmp_path / "session.jsonl"
    padding = [line(f"p{index}", f"pr{index}", 1, 0, 0, 0) for index in range(2000)]  # 2,000 requests of 1 token
    middle = line("mid", "mq", 1000, 0, 0, 0)
    log.write_text("".join(padding[:1000]) + middle + "".join(padding[1000:]))
    assert log.stat().st_size > 64 * 1024 + 4 * 1024
    before = usage(str(log))
    assert before["tokens"]["uncached_input"] == 3000  # 2,000 + 1,000
    status = log.stat()
    data = log.read_bytes().replace(b'"input_tokens":1000,', b'"input_tokens":9000,')
    log.write_bytes(data)
    os.utime(log, ns=(status.st_atime_ns, status.st_mtime_ns))
    with log.open("a") as stream:
        stream.write(line("new", "nq", 5, 0, 0, 0))
    assert usage(str(log))["tokens"]["uncached_input"] == 3005  # the cached start, then the appended line
    assert usage(str(log), "--no-cache")["tokens"]["uncached_input"] == 11005  # a full reading sees the change


def test_generated_sessions_with_copies_across_files(tmp_path: Path, home: Path) -> None:
    truth = claude_code_logs(tmp_path / "logs", 3000, files=6)
    cold = usage(str(tmp_path / "logs"))
    assert cold["requests"] == truth["requests"]
    warm = usage(str(tmp_path / "logs"))
    assert totals(warm) == totals(cold)
    # one session appended with copies of lines of another (a resumed session): still de-duplicated across files
    files = sorted((tmp_path / "logs").rglob("*.jsonl"))
    copied = files[0].read_text().splitlines(keepends=True)[:40]
    with files[1].open("a") as stream:
        stream.writelines(copied)
    assert totals(usage(str(tmp_path / "logs"))) == totals(usage(str(tmp_path / "logs"), "--no-cache"))
    assert usage(str(tmp_path / "logs"))["requests"] == truth["requests"]


def test_an_incomplete_last_line_is_read_again_when_complete(tmp_path: Path) -> None:
    log = tmp_path / "live.jsonl"
    whole = line("m2", "q2", 300, 0, 0, 0)
    log.write_text(line("m1", "q1", 100, 0, 0, 0) + whole[:40])  # the writer is mid-line
    assert usage(str(log))["tokens"]["uncached_input"] == 100
    with log.open("a") as stream:
        stream.write(whole[40:])
    assert usage(str(log))["tokens"]["uncached_input"] == 400  # 100 + 300


def test_no_cache_writes_nothing_and_stdin_and_compressed_files_are_not_cached(tmp_path: Path, home: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text(line("m1", "q1", 100, 0, 0, 0))
    usage(str(log), "--no-cache")
    assert entries(home) == []
    result = run_main("usage", "-", "--format", "json", stdin=log.read_bytes())
    assert result.exit_code == 0 and json.loads(result.stdout)["requests"] == 1
    assert entries(home) == []
    packed = tmp_path / "b.jsonl.gz"
    packed.write_bytes(gzip.compress(line("m2", "q2", 7, 0, 0, 0).encode()))
    usage(str(packed))
    assert [path.suffix for path in entries(home)] == [".run"]  # the run, not the compressed file
    assert usage(str(packed))["tokens"]["uncached_input"] == 7


def test_entries_are_private_and_the_directory_not_followed_through_a_link(tmp_path: Path, home: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text(line("m1", "q1", 100, 0, 0, 0))
    usage(str(log))
    assert stat.S_IMODE((home / "usage-cache").stat().st_mode) == 0o700
    assert {stat.S_IMODE(path.stat().st_mode) for path in entries(home)} == {0o600}
    # a cache directory that is a link (to anywhere) is not used: nothing is written through it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    other_home = tmp_path / "other-home"
    other_home.mkdir()
    (other_home / "usage-cache").symlink_to(elsewhere)
    result = run_main("usage", str(log), "--format", "json", env={"AICOST_HOME": str(other_home)})
    assert result.exit_code == 0 and json.loads(result.stdout)["requests"] == 1
    assert list(elsewhere.iterdir()) == []


@pytest.mark.parametrize("damage", ["garbage", "truncated", "version", "flipped", "link", "fifo", "directory",
                                    "hostile"])
def test_a_corrupt_or_hostile_cache_is_ignored_and_rebuilt(tmp_path: Path, home: Path, damage: str) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "a.jsonl").write_text(line("m1", "q1", 100, 0, 0, 10) + line("m2", "q2", 0, 50, 0, 0))
    (logs / "b.jsonl").write_text(line("m2", "q2", 0, 60, 0, 0))
    truth = totals(usage(str(logs), "--no-cache"))
    assert totals(usage(str(logs))) == truth
    secret = tmp_path / "secret"
    secret.write_bytes(b"not for the cache")
    for entry in entries(home):
        data = entry.read_bytes()
        entry.unlink()
        if damage == "garbage":
            entry.write_bytes(b"\x00garbage" * 10)
        elif damage == "truncated":
            entry.write_bytes(data[: len(data) // 2])
        elif damage == "version":
            entry.write_bytes(data[:8] + (99).to_bytes(4, "little") + data[12:])
        elif damage == "flipped":
            entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
        elif damage == "link":
            entry.symlink_to(secret)
        elif damage == "fifo":
            os.mkfifo(entry)
        elif damage == "directory":
            entry.mkdir()
        else:  # well-formed, its digest right, its values out of range: a day past 9999, a tier the model lacks
            rewrite_meta(entry, data)
    for _ in range(2):  # ignored, then rebuilt (or, when it cannot be replaced, ignored again)
        assert totals(usage(str(logs))) == truth
        assert totals(usage(str(logs / "a.jsonl"), str(logs / "b.jsonl"))) == truth
    assert secret.read_bytes() == b"not for the cache"


def rewrite_meta(entry: Path, data: bytes) -> None:
    """The entry with every group's day set past the last date and its tier set to 9, the digest made right."""
    from hashlib import blake2b

    from aicost.usage.cache import HEADER

    _, version, length, _ = HEADER.unpack_from(data)
    meta = json.loads(data[HEADER.size:HEADER.size + length])
    for key, _sums in meta["groups"]:
        key[0], key[2] = 10**7, 9 << 4
    encoded = json.dumps(meta).encode()
    body = encoded + data[HEADER.size + length:]
    entry.write_bytes(HEADER.pack(b"AICOSTUC", version, len(encoded), blake2b(body, digest_size=16).digest()) + body)


def test_the_cache_is_bounded_least_recently_used_first(tmp_path: Path, home: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import aicost.usage.cache as cache

    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for index in range(4):
        log = tmp_path / f"{index}.jsonl"
        log.write_text(line(f"m{index}", f"q{index}", 100, 0, 0, 0))
        usage(str(log))  # a file entry and a run entry each
    assert len(entries(home)) == 3
    last = tmp_path / "3.jsonl"
    assert usage(str(last))["requests"] == 1
    monkeypatch.setattr(cache, "MAX_CACHE_BYTES", 1)  # no entry fits: every one removed after the run
    assert usage(str(last))["requests"] == 1
    assert entries(home) == []


def test_a_new_price_or_currency_reuses_the_cache(tmp_path: Path, home: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text(line("m1", "q1", 1000, 0, 0, 0))
    usage(str(log))
    before = {path.name: path.stat().st_mtime_ns for path in entries(home)}
    euros = usage(str(log), "--currency", "EUR")
    assert euros["currency"] == "EUR" and euros["requests"] == 1
    assert {path.name for path in entries(home)} == set(before)  # the same entries served it


def test_parallel_readers_use_and_fill_the_cache(tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forked readers (large inputs; forced here) read through the cache too, and spill small buckets."""
    import aicost.usage.dedup as dedup
    import aicost.usage.reading as reading

    truth = claude_code_logs(tmp_path / "logs", 2000, files=4)
    monkeypatch.setattr(reading, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(dedup, "SPILL_BYTES", 100)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    cold = usage(str(tmp_path / "logs"))
    assert cold["requests"] == truth["requests"]
    assert len([path for path in entries(home) if path.suffix == ".file"]) == 4
    files = sorted((tmp_path / "logs").rglob("*.jsonl"))
    with files[2].open("a") as stream:  # the next run resumes it in a forked reader
        stream.writelines(files[0].read_text().splitlines(keepends=True)[:30])
    appended = usage(str(tmp_path / "logs"))
    assert totals(appended) == totals(usage(str(tmp_path / "logs"), "--no-cache"))
    assert (appended["requests"], appended["tokens"]) == (cold["requests"], cold["tokens"])  # copies only


def test_other_days_or_formats_keep_entries_of_their_own(tmp_path: Path, home: Path) -> None:
    log = tmp_path / "a.jsonl"
    log.write_text(line("m1", "q1", 100, 0, 0, 0, day="2026-11-01") + line("m2", "q2", 20, 0, 0, 0, day="2026-11-03"))
    for args in (["--since", "2026-11-02"], [], ["--until", "2026-11-02"], ["--log-format", "openai"], []):
        assert totals(usage(str(log), *args)) == totals(usage(str(log), *args, "--no-cache"))
    assert usage(str(log), "--since", "2026-11-02")["tokens"]["uncached_input"] == 20
    assert usage(str(log), "--until", "2026-11-02")["tokens"]["uncached_input"] == 100
    assert len(entries(home)) == 8  # a file entry and a run entry for each of the four settings


def test_a_catalog_with_new_prices_reuses_the_cache_and_new_thresholds_do_not(tmp_path: Path, home: Path) -> None:
    from conftest import TEST_CATALOG

    text = TEST_CATALOG.read_text(encoding="utf-8")
    log = tmp_path / "a.jsonl"
    # alpha on 2025-08-01 (the 2025-07-01 period: input 4 per million, 8 above 100,000 input tokens)
    log.write_text(line("m1", "q1", 1000, 0, 0, 0, day="2025-08-01", model="alpha"))
    first = tmp_path / "first.toml"
    first.write_text(text, encoding="utf-8")
    assert usage(str(log), "--catalog", str(first))["total_cost"] == D("0.004")  # 1,000 x 4 / 1M
    names = {path.name for path in entries(home)}
    cheaper = tmp_path / "cheaper.toml"
    cheaper.write_text(text.replace('since = 2025-07-01\ninput = 4\n', 'since = 2025-07-01\ninput = 2\n', 1),
                       encoding="utf-8")
    assert usage(str(log), "--catalog", str(cheaper))["total_cost"] == D("0.002")  # 1,000 x 2 / 1M
    assert {path.name for path in entries(home)} == names  # the same entries: prices are not in them
    lower = tmp_path / "lower.toml"
    lower.write_text(text.replace("above_input_tokens = 100000", "above_input_tokens = 500", 1), encoding="utf-8")
    assert usage(str(log), "--catalog", str(lower))["total_cost"] == D("0.008")  # above 500: 1,000 x 8 / 1M
    assert len(entries(home)) == 2 * len(names)  # another threshold: entries of its own
