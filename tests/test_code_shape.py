"""The shape of the code: functions small enough to read, modules short enough to hold in mind.

- No function or method of the package or the tools is above cyclomatic complexity 25 as radon counts it (every
  branch, loop, except, boolean operator and comprehension: ruff's C901, configured in pyproject.toml, counts fewer).
- No module of the package is above 600 lines, except generated data.
Functions still above the bound are listed with the reason; the list may only shrink (a listed function that is
back under the bound fails the test until it is removed from the list).
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "aicost"
MAX_COMPLEXITY = 25
MAX_LINES = 600
GENERATED = {"catalog/_bundled.py"}  # the bundled catalog as Python, from pricing/*.toml (tools/generate.py)
# Functions allowed above the bound, each with its reason (none today; the list may only shrink).
KNOWN: dict[str, str] = {}


def sources() -> list[Path]:
    return sorted([*PACKAGE.rglob("*.py"), *(ROOT / "tools").glob("*.py")])


def complexities() -> dict[str, int]:
    radon = pytest.importorskip("radon.complexity")  # in the test and dev extras
    found = {}
    for path in sources():
        if path.relative_to(PACKAGE.parent.parent).as_posix() == "src/aicost/catalog/_bundled.py":
            continue
        for block in radon.cc_visit(path.read_text(encoding="utf-8")):
            name = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
            found[f"{path.relative_to(ROOT).as_posix()}:{name}"] = block.complexity
            for method in getattr(block, "methods", []):
                found[f"{path.relative_to(ROOT).as_posix()}:{block.name}.{method.name}"] = method.complexity
    return found


def test_no_function_is_above_the_complexity_bound() -> None:
    found = complexities()
    above = {name: value for name, value in found.items() if value > MAX_COMPLEXITY and name not in KNOWN}
    assert above == {}
    stale = {name for name in KNOWN if found.get(name, 0) <= MAX_COMPLEXITY}
    assert stale == set(), "back under the bound: remove them from KNOWN"


def test_no_module_is_above_the_size_bound() -> None:
    long = {path.relative_to(PACKAGE).as_posix(): lines for path in PACKAGE.rglob("*.py")
            if path.relative_to(PACKAGE).as_posix() not in GENERATED
            and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_bounds_see_what_they_measure() -> None:
    found = complexities()
    assert found["src/aicost/routing/planner.py:plan_options"] > 5  # a real function is measured
    assert "src/aicost/usage/readers.py:read_json_lines" in found and "tools/generate.py:main" in found
    assert max(len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.rglob("*.py")) > 300
