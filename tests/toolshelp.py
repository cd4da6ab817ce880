"""The developer tools of `tools/` (not part of the installed package), imported as the checkout runs them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def tool(name: str) -> ModuleType:
    """`tools/<name>.py` as a module (the tools import each other as `python tools/generate.py` lets them)."""
    if str(TOOLS) not in sys.path:
        sys.path.insert(0, str(TOOLS))
    return importlib.import_module(name)
