"""The layers: the core is a library that knows nothing of the command line, the reports or the terminal.

The core is every module of the package outside `cli/`, `render/` and `reports/` (found by walking the
package, so a new module is checked without being listed here), except `__main__`, the command's entry point.
- Imported alone, in a fresh interpreter, a core module loads no typer, click, rich or httpx, and no module of
  `aicost.cli`, `aicost.render` or `aicost.reports`.
- Read as source, a core module never imports typer, click, rich or those layers, even inside a function;
  httpx only in the catalog store, inside the function that downloads.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import aicost

PACKAGE = Path(aicost.__file__).resolve().parent
OUTER_LAYERS = ("aicost.cli", "aicost.render", "aicost.reports")
NOT_CORE = ("aicost.__main__",)
LIBRARIES = {"typer", "click", "rich", "httpx"}
# The only core code that may import one of them, inside the function that needs it: the download of `pricing
# update` (httpx).  The core draws nothing: a download's progress bar is the command line's.
LAZY_ONLY = {"httpx": {"aicost.catalog.store"}}


def core_modules() -> list[str]:
    names = ["aicost"]
    for module in pkgutil.walk_packages([str(PACKAGE)], prefix="aicost."):
        if not module.name.startswith(tuple(f"{layer}." for layer in OUTER_LAYERS) + OUTER_LAYERS + NOT_CORE):
            names.append(module.name)
    return sorted(names)


CORE = core_modules()


def test_the_core_is_found_by_walking_the_package() -> None:
    assert {"aicost.catalog", "aicost.calc", "aicost.routing", "aicost.usage", "aicost.catalog.store", "aicost.money",
            "aicost.documents", "aicost.forecast", "aicost.catalog._bundled", "aicost.catalog.model",
            "aicost.catalog.datasets", "aicost.usage.readers", "aicost.usage.claude_code_lines", "aicost.routing.planner",
            "aicost.routing.curves"} <= set(CORE)
    assert not [name for name in CORE if name.startswith(OUTER_LAYERS) or name in NOT_CORE]
    assert len(CORE) >= 35  # every module of the catalog, usage and routing packages too


def forbidden(loaded: list[str]) -> list[str]:
    return sorted(name for name in loaded if name.split(".")[0] in LIBRARIES or name.startswith(OUTER_LAYERS))


@pytest.mark.slow
def test_each_core_module_imported_alone_loads_no_outer_layer() -> None:
    code = "import importlib, json, sys; importlib.import_module(sys.argv[1]); print(json.dumps(sorted(sys.modules)))"
    children = {name: subprocess.Popen([sys.executable, "-c", code, name], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True) for name in CORE}
    leaks = {}
    for name, child in children.items():
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, (name, err)
        loaded = forbidden(json.loads(out))
        if loaded:
            leaks[name] = loaded
    assert leaks == {}


def imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(module, at import time) for every import statement of a module's source."""
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend((alias.name, not in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:  # relative: resolved against the package below
                    base = "." * child.level + base
                found.append((base, not in_function))
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree, False)
    return found


def absolute(module: str, importer: str, is_package: bool) -> str:
    if not module.startswith("."):
        return module
    level = len(module) - len(module.lstrip("."))
    parts = importer.split(".")
    base = parts if is_package else parts[:-1]
    base = base[: len(base) - (level - 1)]
    rest = module.lstrip(".")
    return ".".join([*base, rest] if rest else base)


def test_core_source_never_imports_an_outer_layer() -> None:
    problems = []
    for name in CORE:
        path = PACKAGE.joinpath(*name.split(".")[1:])
        is_package = path.is_dir()
        source = path / "__init__.py" if is_package else path.with_suffix(".py")
        for module, at_import in imports(ast.parse(source.read_text(encoding="utf-8"))):
            target = absolute(module, name, is_package)
            top = target.split(".")[0]
            if target.startswith(OUTER_LAYERS) or (top in LIBRARIES and name not in LAZY_ONLY.get(top, ())):
                problems.append(f"{name} imports {target}")
            elif top in LAZY_ONLY and at_import:
                problems.append(f"{name} imports {target} at import time (import it inside the function that needs it)")
    assert problems == []


def test_the_import_checker_sees_relative_and_lazy_imports() -> None:
    tree = ast.parse("from .render.json_format import json_text\nimport os\ndef f():\n    import httpx\n")
    assert imports(tree) == [(".render.json_format", True), ("os", True), ("httpx", False)]
    assert absolute(".render.json_format", "aicost.checks", False) == "aicost.render.json_format"
    assert absolute("..money", "aicost.catalog.store", False) == "aicost.money"
    assert absolute(".store", "aicost.catalog", True) == "aicost.catalog.store"
