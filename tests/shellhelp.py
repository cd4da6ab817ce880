"""Run aicost the way scripts and CI do: a real `bash -c` with `aicost` on PATH, no inherited AICOST_* settings.

Also the hand-priced workloads that the script-facing tests share.  Prices come from the round-priced test
catalog (tests/data/test_catalog.toml), mostly at 2025-08-01:
- alpha from 2025-07-01: input 4, output 16 per Mtok (before: 10 / 40); beta: 0.5 / 1.5; gamma-free: 0 / 0.

OLD (`old.toml`):
- chat:   alpha, 1000 requests a month x (1000 in x 4 + 100 out x 16) / 1e6 = 1000 x 0.0056 = 5.60
          (at 2025-06-01: 1000 x (1000 x 10 + 100 x 40) / 1e6 = 14.00)
- triage: beta, 48 a day x 730 / 24 = 1460 a month x (2000 x 0.5 + 500 x 1.5) / 1e6 = 1460 x 0.00175 = 2.555
- total 8.155 (at 2025-06-01: 16.555)
NEW (`new.toml`): chat moves to beta, triage is removed, extract is added:
- chat:    beta, 1000 x (1000 x 0.5 + 100 x 1.5) / 1e6 = 1000 x 0.00065 = 0.65
- extract: alpha, 1 an hour x 730 = 730 a month x (500 x 4 + 50 x 16) / 1e6 = 730 x 0.0028 = 2.044
- total 2.694; NEW - OLD = -5.461; OLD - NEW = +5.461 (+202.7 % of 2.694)
"""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_CATALOG = ROOT / "tests" / "data" / "test_catalog.toml"
AUGUST = "2025-08-01"
ON_TEST_CATALOG = ("--catalog", str(TEST_CATALOG), "--as-of", AUGUST)

OLD_TOML = """\
#:schema ../src/aicost/workload.schema.json
version = 1
name = "support"

[[streams]]
name = "chat"
model = "alpha"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100

[[streams]]
name = "triage"
model = "beta"
requests_per_day = 48
input_tokens = 2000
output_tokens = 500
"""

NEW_TOML = """\
version = 1
name = "support"

[[streams]]
name = "chat"
model = "beta"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100

[[streams]]
name = "extract"
model = "alpha-latest"
requests_per_hour = 1
input_tokens = 500
output_tokens = 50
"""

OLD_COST = Decimal("8.155")
OLD_COST_JUNE = Decimal("16.555")
NEW_COST = Decimal("2.694")

BUDGET_SNIPPET = "\n[budget]\nmonthly = {amount}\n"


def write_workloads(directory: Path) -> tuple[Path, Path]:
    old = directory / "old.toml"
    new = directory / "new.toml"
    old.write_text(OLD_TOML, encoding="utf-8")
    new.write_text(NEW_TOML, encoding="utf-8")
    return old, new


def make_bin(directory: Path) -> Path:
    """A bin directory whose `aicost` runs this interpreter's aicost (the installed script may be another)."""
    directory.mkdir(parents=True, exist_ok=True)
    script = directory / "aicost"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m aicost "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    return directory


def clean_env(bin_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without aicost or GitHub settings, colour off only if asked."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("AICOST_", "GITHUB_", "_AICOST")) and key not in ("NO_COLOR", "COLUMNS", "PYTEST_ADDOPTS")
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["AICOST_OFFLINE"] = "1"
    env.update(extra)
    return env


def bash(script: str, bin_dir: Path, cwd: Path, stdin: str | None = None, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=clean_env(bin_dir, **extra), input=stdin, capture_output=True,
        text=True, timeout=120,
    )


def statuses(stdout: str) -> dict[str, int]:
    """Lines `name=STATUS` printed by a script, as a dict."""
    found = {}
    for line in stdout.splitlines():
        name, sep, value = line.partition("=")
        if sep and value.strip().isdigit():
            found[name.strip()] = int(value)
    return found


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=ci", "-c", "user.email=ci@example.com", *args], cwd=repo, check=True,
                   capture_output=True, timeout=60)


def checkout(tmp_path: Path, base: str | None) -> Path:
    """A repository whose main branch (at origin/main) holds `base` as aicost.toml (None: no such file)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README").write_text("project\n")
    if base is not None:
        (repo / "aicost.toml").write_text(base)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    return repo
