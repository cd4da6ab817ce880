"""Every console example in the README and docs/ runs, and prints what the page shows.

A ```console block is a transcript: lines starting with `$ ` are commands, the lines after each are what it
printed (stdout and stderr together, as a terminal shows them, but piped: plain tables). A line holding only
`…` ends a command's shown output early: the lines before it must match, the rest is not shown.  Each block
runs as one bash session in a fresh directory holding a copy of docs/examples/, with `aicost` on PATH, no
AICOST_* settings and prices as of EXAMPLES_DATE (the pages say so).

    UPDATE_EXAMPLES=1 pytest tests/test_examples.py    # rewrite the pages' outputs after an intended change
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from shellhelp import clean_env, make_bin

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
EXAMPLES_DIR = ROOT / "docs" / "examples"
EXAMPLES_DATE = "2026-11-27"
ELIDED = "…"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def transcript(block: str) -> list[tuple[str, list[str]]]:
    """[(command, shown output lines)] of a console block."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        else:
            assert steps, f"output before any command: {line!r}"
            steps[-1][1].append(line)
    return steps


def run_block(block: str, bin_dir: Path, work: Path) -> list[list[str]]:
    """What each command of the block prints, run in one bash session."""
    marker = "@@aicost-example-step@@"
    # Each step: the marker, then $? restored to the previous command's status (for `echo $?`), then the command.
    script = "status=0\n" + "\n".join(f"echo '{marker}'\n(exit $status)\n{{ {command}\n}} 2>&1\nstatus=$?"
                                       for command, _ in transcript(block))
    result = subprocess.run(["bash", "-c", script], cwd=work, capture_output=True, text=True, timeout=300,
                            env=clean_env(bin_dir, AICOST_AS_OF=EXAMPLES_DATE, NO_COLOR="1"))
    outputs = result.stdout.split(marker + "\n")[1:]
    return [output.splitlines() for output in outputs]


def shown(expected: list[str], actual: list[str]) -> list[str]:
    """`actual` cut where the page cuts `expected` (at `…`; a page that shows nothing before it gets 8 lines)."""
    if ELIDED in expected:
        cut = expected.index(ELIDED) or 8
        return [*actual[:cut], ELIDED] if len(actual) > cut else actual
    return actual


def blocks() -> list[tuple[Path, int, str]]:
    found = []
    for page in PAGES:
        for number, match in enumerate(BLOCK.finditer(page.read_text(encoding="utf-8"))):
            found.append((page, number, match.group(1)))
    return found


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bin(tmp_path_factory.mktemp("examples") / "bin")


@pytest.mark.slow
@pytest.mark.parametrize(("page", "number", "block"), blocks(), ids=lambda v: v.name if isinstance(v, Path) else str(v)[:1])
def test_console_example(page: Path, number: int, block: str, bin_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES_DIR, work)  # docs/ pages name the files directly, the README by their path
    shutil.copytree(EXAMPLES_DIR, work / "docs" / "examples")
    steps = transcript(block)
    outputs = run_block(block, bin_dir, work)
    assert len(outputs) == len(steps)
    expected_text = "".join(f"$ {command}\n" + "".join(f"{line}\n" for line in expected) for command, expected in steps)
    actual_text = "".join(f"$ {command}\n" + "".join(f"{line}\n" for line in shown(expected, actual))
                          for (command, expected), actual in zip(steps, outputs, strict=True))
    if os.environ.get("UPDATE_EXAMPLES") and actual_text != expected_text:
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f"```console\n{block}```", f"```console\n{actual_text}```", 1), encoding="utf-8")
        return
    assert actual_text == expected_text, f"{page.name}, console block {number + 1}"


def test_every_page_with_commands_has_examples() -> None:
    assert len(blocks()) >= 10
