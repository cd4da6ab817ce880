"""The examples in the docs run as written and print what the docs say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_python_api_examples_print_what_the_page_says() -> None:
    """Every Python example of the page, each followed by what it prints, run in order in one namespace."""
    page = (DOCS / "python-api.md").read_text(encoding="utf-8")
    examples = re.findall(r"```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", page, re.S)
    assert len(examples) == 2
    namespace = {"__name__": "example"}
    for code, expected in examples:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "python-api.md", "exec"), namespace)
        assert printed.getvalue() == expected
