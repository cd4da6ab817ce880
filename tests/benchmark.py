"""Benchmarks (not a unit test): CLI start-up against bare Python, and pricing throughput.

Run from the checkout after installing:  python tests/benchmark.py [--runs 30]
Start-up is the median wall time of whole processes (after two warm-up runs); throughput is measured
in-process with time.perf_counter over the pure core.  The README quotes the figures it prints.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence


def wall_times(command: Sequence[str], runs: int, cwd: str) -> list[float]:
    env = {**os.environ, "NO_COLOR": "1"}
    for _ in range(2):
        subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return times


def startup(runs: int) -> None:
    script = shutil.which("aicost")
    aicost = [script] if script else [sys.executable, "-m", "aicost"]
    with tempfile.TemporaryDirectory() as empty:  # no ./aicost.toml: the built-in example
        bare = statistics.median(wall_times([sys.executable, "-c", "pass"], runs, empty))
        cost = statistics.median(wall_times([*aicost, "cost", "--as-of", "2026-03-01"], runs, empty))
        compare = statistics.median(wall_times([*aicost, "compare", "--as-of", "2026-03-01"], runs, empty))
        as_json = statistics.median(wall_times([*aicost, "cost", "--format", "json", "--as-of", "2026-03-01"], runs, empty))
    print(f"python -c pass            {bare * 1000:7.1f} ms")
    print(f"aicost cost (example)     {cost * 1000:7.1f} ms   {cost / bare:4.2f}x bare Python")
    print(f"aicost cost --format json {as_json * 1000:7.1f} ms   {as_json / bare:4.2f}x bare Python")
    print(f"aicost compare (example)  {compare * 1000:7.1f} ms   {compare / bare:4.2f}x bare Python")


def throughput() -> None:
    from aicost.calc import compare, select_models, workload_cost
    from aicost.catalog import load_bundled_catalog
    from aicost.documents import parse_document
    from aicost.workload import parse_workload

    catalog = load_bundled_catalog()
    models = [m.id for m in catalog.models if m.id not in ("qwen3.5-plus", "deepseek-chat", "deepseek-reasoner")]
    streams = [
        {"name": f"s{i}", "model": models[i % len(models)], "requests_per_day": 1000 + i, "input_tokens": 1500 + i,
         "output_tokens": 300, "batch_share": 0} for i in range(1000)
    ]
    workload = parse_workload({"version": 1, "streams": streams}, "bench", catalog)
    day = dt.date(2026, 3, 1)
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        workload_cost(workload, catalog, day)
    per_stream = (time.perf_counter() - start) / (rounds * len(streams))
    start = time.perf_counter()
    compare(workload, catalog, day, select_models(catalog))
    compare_seconds = time.perf_counter() - start
    load_start = time.perf_counter()
    for _ in range(10):
        load_bundled_catalog()
    load_ms = (time.perf_counter() - load_start) / 10 * 1000
    many = "version = 1\n" + "".join(
        f'[[streams]]\nname = "s{i}"\nmodel = "{models[i % len(models)]}"\nrequests_per_day = {1000 + i}\n'
        f"input_tokens = {1500 + i}\noutput_tokens = 300\n" for i in range(20_000)
    )
    start = time.perf_counter()
    document = parse_document("bench.toml", many, "workload")
    parsed = time.perf_counter()
    checked = parse_workload(document, "bench.toml", catalog)
    validated = time.perf_counter()
    workload_cost(checked, catalog, day)
    priced = time.perf_counter()
    print(f"20,000 streams: TOML parse {(parsed - start) * 1000:.0f} ms, checking {(validated - parsed) * 1000:.0f} ms, "
          f"pricing {(priced - validated) * 1000:.0f} ms")
    print(f"stream costs per second   {1 / per_stream:10,.0f}")
    print(f"compare, 1,000 streams x {len(catalog.models)} models: {compare_seconds * 1000:.0f} ms")
    print(f"catalog load              {load_ms:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    startup(args.runs)
    throughput()


if __name__ == "__main__":
    main()
