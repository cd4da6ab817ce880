"""The examples in the docs run as written and print what the docs say."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_python_api_example_prints_what_the_page_says() -> None:
    page = (DOCS / "python-api.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", page, re.S)
    expected = re.search(r"prints\n\n```text\n(.*?)```", page, re.S)
    assert code and expected
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code.group(1), "python-api.md", "exec"), {"__name__": "example"})
    assert printed.getvalue() == expected.group(1)
