"""The GitHub Actions job of docs/scripting.md, run end to end as the runner would: `bash -eo pipefail`, a git
checkout with the base branch at origin/BASE, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT pointing at files.

PRICE_STEP is the `run:` block of the documented "Price the workload" step, verbatim (checked below). Costs:
tests/shellhelp.py (OLD 8.155 a month, NEW 2.694, on the test catalog at 2025-08-01, pinned through AICOST_* as the job does).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from shellhelp import AUGUST, NEW_TOML, OLD_TOML, TEST_CATALOG, checkout, clean_env, make_bin

PRICE_STEP = """\
git show "origin/$GITHUB_BASE_REF:aicost.toml" > "$RUNNER_TEMP/base.toml" 2>"$RUNNER_TEMP/git-show.err" \\
  || cp aicost.toml "$RUNNER_TEMP/base.toml"      # a new workload file: no base to compare with
aicost cost aicost.toml --format markdown --summary > aicost-comment.md
aicost diff "$RUNNER_TEMP/base.toml" aicost.toml --format markdown --summary >> aicost-comment.md
status=0
aicost budget aicost.toml --format markdown --summary >> aicost-comment.md || status=$?
[ "$status" -le 1 ] || exit "$status"             # 2: bad input fails the job at once
echo "budget=$status" >> "$GITHUB_OUTPUT"
"""


def pull_request(tmp_path: Path, base: str | None, head: str) -> tuple[subprocess.CompletedProcess[str], Path]:
    """A repository whose base branch holds `base` (None: no workload file yet) and whose checkout holds `head`;
    runs the price step."""
    repo = checkout(tmp_path, base)
    (repo / "aicost.toml").write_text(head)
    runner_temp = tmp_path / "runner"
    runner_temp.mkdir()
    env = clean_env(
        make_bin(tmp_path / "bin"),
        GITHUB_BASE_REF="main",
        GITHUB_STEP_SUMMARY=str(runner_temp / "step_summary.md"),
        GITHUB_OUTPUT=str(runner_temp / "output.txt"),
        RUNNER_TEMP=str(runner_temp),
        AICOST_CATALOG=str(TEST_CATALOG),  # the job pins the catalog and the pricing date the same way
        AICOST_AS_OF=AUGUST,
    )
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", PRICE_STEP], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=120)
    return result, runner_temp


def markers(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("<!-- aicost:")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("budget", "status", "headline"),
    [
        ("10", 0, "Within budget: $2.69 of $10.00 a month (26.9 %), headroom $7.31"),  # 2.694 / 10
        ("2", 1, "Over budget by $0.69: $2.69 a month against $2.00"),  # 2.694 - 2
    ],
)
def test_pull_request_is_priced_commented_and_checked(tmp_path: Path, budget: str, status: int, headline: str) -> None:
    head = NEW_TOML + f"\n[budget]\nmonthly = {budget}\n"
    result, runner = pull_request(tmp_path, OLD_TOML, head)
    assert result.returncode == 0, result.stderr
    assert (runner / "output.txt").read_text() == f"budget={status}\n"
    summary = (runner / "step_summary.md").read_text()
    comment = (tmp_path / "repo" / "aicost-comment.md").read_text()
    assert markers(summary) == markers(comment) == ["<!-- aicost:cost -->", "<!-- aicost:diff -->", "<!-- aicost:budget -->"]
    # the pull request moves chat to beta and swaps triage for extract: 8.155 -> 2.694, -5.461 (-67.0 %)
    assert "**Monthly cost down $5.46 (-67.0 %): $8.16 → $2.69**" in comment
    assert "| chat | changed | alpha → beta |" in comment
    assert f"**{headline}**" in comment
    assert "\x1b[" not in comment


@pytest.mark.slow
def test_bad_workload_fails_the_job_with_status_2(tmp_path: Path) -> None:
    result, runner = pull_request(tmp_path, OLD_TOML, OLD_TOML.replace("input_tokens = 1000", "input_tokens = -5"))
    assert result.returncode == 2
    assert "aicost.toml: streams[0].input_tokens: must be >= 0, got -5" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (runner / "output.txt").exists()


@pytest.mark.slow
def test_new_workload_file_compares_with_itself(tmp_path: Path) -> None:
    result, runner = pull_request(tmp_path, None, OLD_TOML + "\n[budget]\nmonthly = 9\n")
    assert result.returncode == 0, result.stderr
    assert (runner / "output.txt").read_text() == "budget=0\n"
    assert "Monthly cost unchanged: $8.16" in (runner / "step_summary.md").read_text()


def test_the_documented_step_is_the_tested_step() -> None:
    import textwrap

    page = (Path(__file__).resolve().parents[1] / "docs" / "scripting.md").read_text(encoding="utf-8")
    assert textwrap.indent(PRICE_STEP, " " * 10) in page
    assert "pip install aicost\n" not in page
