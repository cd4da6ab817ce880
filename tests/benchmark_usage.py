"""Benchmark (not a unit test): `aicost usage` against ccusage on the same generated Claude Code logs.

Run from the checkout, with the `logs` extra installed:

    pip install -e ".[logs]"
    python tests/benchmark_usage.py [--records 1000000 3000000] [--runs 3] [--dir /tmp/aicost-bench]

For each size it writes Claude Code style session files (tests/loggen.py: one line per content block, 20 % of the
requests streamed as two copies, earlier lines copied into later sessions, a user line per request; compact JSON,
because ccusage 20.0.24 misses spaced JSON lines), checks that aicost and ccusage both report the generator's
de-duplicated token totals, then times them in turns (aicost, ccusage, aicost, ...) after one warm-up each:
median wall seconds, records (assistant lines) per second and each one's peak memory, the largest process among
those the command waited for. In the race aicost runs with --no-cache: every record read and de-duplicated, as
ccusage does on every run. ccusage 20.0.24 is installed from npm into --dir with `npm install`, run with
`--offline` and CLAUDE_CONFIG_DIR pointing at the logs; without npm it is skipped, with a message.

Then the usage cache: per size, --runs times, a first run with an empty cache (which reads everything and writes
the cache) and a second run over the same unchanged logs, both with the cache on and in the same run of this
script; their totals must equal the --no-cache totals. The ratio is the median of first / second.

The targets (issue 23): at 3 M records aicost >= 3x ccusage's records/s and < 200 MiB, totals equal; a second
cached run >= 20x faster than the first. Each row says whether it met them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from loggen import claude_code_logs

CCUSAGE_VERSION = "20.0.24"
MEASURE = (
    "import resource, subprocess, sys, time\n"
    "start = time.perf_counter()\n"
    "done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)\n"
    "wall = time.perf_counter() - start\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "print(wall, peak, done.returncode, file=sys.stderr)\n"
    "sys.stdout.buffer.write(done.stdout)\n"
)


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, bytes]:
    """Wall seconds, peak MiB (the largest process it waited for) and stdout of one run."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], env=env, capture_output=True, check=True)
    wall, peak, status = done.stderr.decode().split()[-3:]
    if status != "0":
        raise SystemExit(f"{command[0]} exited {status}")
    return float(wall), int(peak) / 1024, done.stdout


def logs(root: Path, records: int) -> dict[str, Any]:
    truth_file = root / "truth.json"
    if truth_file.exists():
        truth: dict[str, Any] = json.loads(truth_file.read_text())
        return truth
    root.mkdir(parents=True, exist_ok=True)
    truth = claude_code_logs(root, records, files=max(20, records // 5000), spaced_every=None)
    truth_file.write_text(json.dumps(truth))
    return truth


def ccusage(directory: Path) -> list[str] | None:
    binary = directory / "ccusage" / "node_modules" / ".bin" / "ccusage"
    if binary.exists():
        return [str(binary), "daily", "--offline", "--json"]
    if shutil.which("npm") is None:
        print("npm is not installed: ccusage is skipped")
        return None
    subprocess.run(["npm", "install", "--silent", "--prefix", str(directory / "ccusage"), f"ccusage@{CCUSAGE_VERSION}"],
                   check=True)
    return [str(binary), "daily", "--offline", "--json"]


def check(truth: dict[str, Any], aicost_out: bytes, ccusage_out: bytes | None) -> None:
    tokens = truth["tokens"]
    document = json.loads(aicost_out)
    ours = document["tokens"]
    assert (ours["uncached_input"], ours["cache_read"], ours["cache_write"], ours["output"]) == (
        tokens["input"], tokens["cache_read"], tokens["cache_write"], tokens["output"]), (ours, tokens)
    assert document["requests"] == truth["requests"]
    if ccusage_out is not None:
        theirs = json.loads(ccusage_out)["totals"]
        assert (theirs["inputTokens"], theirs["cacheReadTokens"], theirs["cacheCreationTokens"], theirs["outputTokens"]) == (
            tokens["input"], tokens["cache_read"], tokens["cache_write"], tokens["output"]), (theirs, tokens)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, nargs="+", default=[1_000_000, 3_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "aicost-usage-bench"))
    args = parser.parse_args()
    import compileall

    import aicost

    compileall.compile_dir(str(Path(aicost.__file__).parent), quiet=1)  # as `pip install` does: no run compiles it
    directory = Path(args.dir)
    directory.mkdir(parents=True, exist_ok=True)
    repeats: list[tuple[int, int, list[tuple[float, float]]]] = []
    aicost = [sys.executable, "-m", "aicost", "usage", "--format", "json", "--quiet", "--no-cache"]
    cached = [sys.executable, "-m", "aicost", "usage", "--format", "json", "--quiet"]
    theirs = ccusage(directory)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip() if theirs else "-"
    load = " ".join(f"{value:.1f}" for value in os.getloadavg()) if hasattr(os, "getloadavg") else "-"
    print(f"machine: {os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, node {node}, "
          f"{time.strftime('%Y-%m-%d %H:%M %Z')}, load average {load}")
    print("| records | lines | aicost s | ccusage s | aicost records/s | ccusage records/s | ratio | aicost MiB | ccusage MiB |"
          " targets |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for records in args.records:
        root = directory / f"logs-{records}"
        truth = logs(root, records)
        env = {**os.environ, "CLAUDE_CONFIG_DIR": str(root), "AICOST_HOME": str(directory / "aicost-home")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        _, _, ours_out = run(aicost, env)  # warm-up, and the totals check
        _, _, theirs_out = run(theirs, env) if theirs else (0.0, 0.0, None)
        check(truth, ours_out, theirs_out)
        ours_runs, theirs_runs = [], []
        for _ in range(args.runs):
            ours_runs.append(run(aicost, env)[:2])
            if theirs:
                theirs_runs.append(run(theirs, env)[:2])
        lines = truth["lines"]
        ours_wall = statistics.median(wall for wall, _ in ours_runs)
        ours_peak = max(peak for _, peak in ours_runs)
        cells = [f"{lines:,}", f"{lines + truth['user_lines']:,}", f"{ours_wall:.2f}", "-", f"{lines / ours_wall:,.0f}",
                 "-", "-", f"{ours_peak:.0f}", "-", "no ccusage"]
        if theirs_runs:
            theirs_wall = statistics.median(wall for wall, _ in theirs_runs)
            ratio = statistics.median(b[0] / a[0] for a, b in zip(ours_runs, theirs_runs, strict=True))
            cells[3], cells[5] = f"{theirs_wall:.2f}", f"{lines / theirs_wall:,.0f}"
            cells[6] = f"{ratio:.2f}x"
            cells[8] = f"{max(peak for _, peak in theirs_runs):.0f}"
            if records >= 3_000_000:
                cells[9] = "met" if ratio >= 3 and ours_peak < 200 else "NOT met (>= 3x, < 200 MiB)"
            else:
                cells[9] = "(set at 3 M)"
        print("| " + " | ".join(cells) + " |")
        repeats.append((records, lines, repeat_runs(cached, env, ours_out, directory, args.runs)))
    print()
    print("| records | first run s (empty cache) | second run s (unchanged logs) | ratio | target |")
    print("|---|---|---|---|---|")
    for records, _, runs in repeats:
        ratio = statistics.median(first / second for first, second in runs)
        first_wall = statistics.median(first for first, _ in runs)
        second_wall = statistics.median(second for _, second in runs)
        met = ("met" if ratio >= 20 else "NOT met (>= 20x)") if records >= 3_000_000 else "(set at 3 M)"
        print(f"| {records:,} | {first_wall:.2f} | {second_wall:.3f} | {ratio:.1f}x | {met} |")
    if hasattr(os, "getloadavg"):
        print(f"load average at the end: {' '.join(f'{value:.1f}' for value in os.getloadavg())}")


def repeat_runs(command: list[str], env: dict[str, str], uncached: bytes, directory: Path,
                runs: int) -> list[tuple[float, float]]:
    """(first, second) wall seconds of `runs` pairs, each first run with an empty cache of its own; every run's
    totals must equal those of the --no-cache run."""
    pairs = []
    expected = totals_of(uncached)
    for _ in range(runs):
        home = Path(tempfile.mkdtemp(prefix="aicost-home-", dir=directory))
        try:
            cached_env = {**env, "AICOST_HOME": str(home)}
            first, _, first_out = run(command, cached_env)
            second, _, second_out = run(command, cached_env)
            assert totals_of(first_out) == totals_of(second_out) == expected, "cached totals differ"
            pairs.append((first, second))
        finally:
            shutil.rmtree(home, ignore_errors=True)
    return pairs


def totals_of(output: bytes) -> tuple[Any, ...]:
    document = json.loads(output)
    return (document["requests"], document["tokens"], document["total_cost"], document["skipped"])

if __name__ == "__main__":
    main()
