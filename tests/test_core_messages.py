"""Core messages name parameters, never the command line's flags or commands: the CLI words them.

Every string literal of every core module (the modules tests/test_layers.py finds, docstrings aside) is scanned
for a flag (`--timeout`) or a command (`aicost pricing list`). A message that points at another parameter writes
it as a placeholder (`{timeout}`) listed in the error's `mentions`: Python shows the parameter's name, the CLI its
flag; a command that fixes an error is the error's `fix`, which only the CLI words.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from aicost.cli.errors import error_text
from aicost.errors import LIST_MODELS, ParameterError, RemoteError
from test_layers import CORE, PACKAGE

FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
COMMAND = re.compile(r"\baicost (pricing|cost|compare|route|budget|diff|forecast|breakeven|usage|init|check)\b")
# Strings that are not messages, with the reason they may name a command.
EXCEPTIONS = {
    ("aicost.init_file", 9): "the commented example workload `aicost init` writes: it tells its reader which commands use it",
    ("aicost.init_file", 43): "the same example workload's comments",
    ("aicost.init_file", 44): "the same example workload's comments",
    ("aicost.catalog.refresh", 243): "provenance written into the catalog the command installs: the note names what wrote it",
}


def source_of(module: str) -> Path:
    path = PACKAGE.joinpath(*module.split(".")[1:])
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def documentation(tree: ast.AST) -> set[int]:
    """The string constants that are documentation: docstrings, and strings standing alone as statements."""
    return {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def flagged(module: str) -> list[tuple[int, str]]:
    tree = ast.parse(source_of(module).read_text(encoding="utf-8"))
    docs = documentation(tree)
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and (FLAG.search(node.value) or COMMAND.search(node.value))]


def test_no_core_message_names_a_flag_or_a_command() -> None:
    found = {f"{module}:{line}: {text[:80]!r}" for module in CORE if module != "aicost.catalog._bundled"
             for line, text in flagged(module) if (module, line) not in EXCEPTIONS}
    assert found == set()


def test_the_exceptions_are_still_there() -> None:
    """An exception that no longer matches is stale: remove it (a moved line must be moved here too)."""
    for (module, line), reason in EXCEPTIONS.items():
        assert line in {found for found, _ in flagged(module)}, (module, line, reason)


def test_the_scan_sees_flags_and_commands() -> None:
    assert FLAG.search("give a longer --timeout") and FLAG.search("(--as-of)") and not FLAG.search("well-known --")
    assert COMMAND.search("run `aicost pricing use bundled`") and not COMMAND.search("a provider aicost does not cover")


def test_a_mentioned_parameter_is_its_name_in_python_and_its_flag_on_the_command_line() -> None:
    error = ParameterError("scenarios", None, "sets the prices itself — drop {price_change} and {price_trend}",
                           mentions=("price_change", "price_trend"))
    assert error.message == "scenarios: sets the prices itself — drop price_change and price_trend"
    assert error_text(error) == "--scenarios: sets the prices itself — drop --price-change and --price-trend"
    error = ParameterError("small_share", "1.2", "must be between 0 and 1")
    assert (error.message, error_text(error)) == ("small_share 1.2: must be between 0 and 1", "--share 1.2: must be between 0 and 1")
    remote = RemoteError("prices: not complete within 5 s — give a longer {timeout}", mentions=("timeout",))
    assert (remote.message, error_text(remote)) == ("prices: not complete within 5 s — give a longer timeout",
                                                    "prices: not complete within 5 s — give a longer --timeout")


def test_a_fix_is_a_command_only_on_the_command_line() -> None:
    error = ParameterError("discount", "opnai=10%", "'opnai' is neither a vendor nor a model", fix=LIST_MODELS)
    assert error.message == "discount opnai=10%: 'opnai' is neither a vendor nor a model"
    assert error_text(error) == ("--discount opnai=10%: 'opnai' is neither a vendor nor a model (`aicost pricing list` shows "
                                 "the models)")
