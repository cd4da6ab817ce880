"""Benchmarks (not a unit test): CLI start-up against bare Python, and pricing throughput.

Run from the checkout after installing:  python tests/benchmark.py [--runs 21]

Start-up is measured in pairs: bare `python -c pass`, then the aicost command, again and again (after two
warm-up pairs), so that both see the same machine; the ratio is taken pair by pair and the median quoted.
Python's bytecode for aicost is compiled first (`compileall`), as `pip install` does: an installed command
never compiles its modules at start-up.  One row measures the other case, with no bytecode at all (every
module compiled from source on every run, as happens where PYTHONDONTWRITEBYTECODE is set on a checkout).
Throughput is measured in-process with time.perf_counter over the pure core.  The README quotes this output.
"""

from __future__ import annotations

import argparse
import compileall
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
from pathlib import Path

WORKLOAD = """version = 1
name = "bench"
[[streams]]
name = "chat"
model = "claude-sonnet-4-6"
requests_per_day = 20000
input_tokens = 1800
output_tokens = 350
"""


# The console entry point with the fast path declining every command line, so that typer parses it.
TYPER_ONLY = [sys.executable, "-c", "import sys; import aicost.cli.fast as fast; fast.run_fast = lambda arguments: None; "
              "from aicost.cli import main; sys.argv = ['aicost', *sys.argv[1:]]; main()"]


def wall(command: Sequence[str], cwd: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def paired(command: Sequence[str], runs: int, cwd: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Median wall time of bare Python and of `command`, and the median of their pair-by-pair ratios."""
    bare_command = [sys.executable, "-c", "pass"]
    for _ in range(2):
        wall(bare_command, cwd, env)
        wall(command, cwd, env)
    bare, timed, ratios = [], [], []
    for _ in range(runs):
        b = wall(bare_command, cwd, env)
        a = wall(command, cwd, env)
        bare.append(b)
        timed.append(a)
        ratios.append(a / b)
    return statistics.median(bare), statistics.median(timed), statistics.median(ratios)


def startup(runs: int) -> None:
    import aicost

    compileall.compile_dir(str(Path(aicost.__file__).parent), quiet=1)
    script = shutil.which("aicost")
    aicost_command = [script] if script else [sys.executable, "-m", "aicost"]
    env = {**os.environ, "NO_COLOR": "1"}
    with tempfile.TemporaryDirectory() as work:
        Path(work, "w.toml").write_text(WORKLOAD, encoding="utf-8")
        rows = [
            ("aicost cost W --format json", ["cost", "w.toml", "--format", "json"], env),
            ("aicost cost W (table, piped)", ["cost", "w.toml"], env),
            ("aicost budget W --max 5000", ["budget", "w.toml", "--max", "5000"], env),
            ("aicost compare W (every model)", ["compare", "w.toml"], env),
            ("aicost cost --help (typer)", ["cost", "--help"], env),
        ]
        print(f"{'command':40} {'median':>9} {'bare':>8} {'ratio':>7}")
        for label, args, environment in rows:
            bare, timed, ratio = paired([*aicost_command, *args], runs, work, environment)
            print(f"{label:40} {timed * 1000:7.1f}ms {bare * 1000:6.1f}ms {ratio:6.2f}x")
        # The same command line with the fast path switched off (typer parses it), and the floor of any design
        # that parses with typer: importing typer and nothing else.
        for label, command in (("aicost cost W --format json, typer path", [*TYPER_ONLY, "cost", "w.toml", "--format", "json"]),
                               ("python -c 'import typer'", [sys.executable, "-c", "import typer"])):
            bare, timed, ratio = paired(command, runs, work, env)
            print(f"{label:40} {timed * 1000:7.1f}ms {bare * 1000:6.1f}ms {ratio:6.2f}x")
        with tempfile.TemporaryDirectory() as no_cache:
            cold = {**env, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": no_cache}
            bare, timed, ratio = paired([*aicost_command, "cost", "w.toml", "--format", "json"], runs, work, cold)
            print(f"{'aicost cost W --format json, no bytecode':40} {timed * 1000:7.1f}ms {bare * 1000:6.1f}ms {ratio:6.2f}x")


def throughput() -> None:
    from aicost.calc import compare, select_models, workload_cost
    from aicost.catalog import load_bundled_catalog
    from aicost.documents import parse_document
    from aicost.workload import parse_workload

    catalog = load_bundled_catalog()
    day = dt.date(2026, 3, 1)
    models = [m.id for m in catalog.models if m.period_on(day) is not None and m.period_on(day).rates.output is not None]
    streams = [
        {"name": f"s{i}", "model": models[i % len(models)], "requests_per_day": 1000 + i, "input_tokens": 1500 + i,
         "output_tokens": 300, "batch_share": 0} for i in range(1000)
    ]
    workload = parse_workload({"version": 1, "streams": streams}, "bench", catalog)
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
        load_bundled_catalog(from_sources=True)
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
    print(f"stream costs per second              {1 / per_stream:10,.0f}")
    print(f"compare, 1,000 streams x {len(catalog.models)} models     {compare_seconds * 1000:7.0f} ms")
    print(f"catalog from pricing/*.toml, checked {load_ms:7.1f} ms")
    print(f"20,000 streams: TOML parse {(parsed - start) * 1000:.0f} ms, checking {(validated - parsed) * 1000:.0f} ms, "
          f"pricing {(priced - validated) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    print(f"{platform.python_implementation()} {platform.python_version()} on {platform.machine()}, "
          f"{os.cpu_count()} cores, {platform.system()}")
    startup(args.runs)
    throughput()


if __name__ == "__main__":
    main()
