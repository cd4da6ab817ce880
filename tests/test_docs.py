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


def test_the_currency_section_quotes_the_rates_the_catalog_holds() -> None:
    """docs/catalog.md names the bundled catalog's exchange rates and their date, as a EUR report's footer does."""
    from aicost.catalog import load_bundled_catalog
    from aicost.money import decimal_text

    page = (DOCS / "catalog.md").read_text(encoding="utf-8")
    section = page[page.index("## Currencies"):page.index("## Reasoning models")]
    rates = {rate.currency: rate for rate in load_bundled_catalog().exchange_rates}
    eur, cny = rates["EUR"], rates["CNY"]
    assert eur.date == cny.date  # one day's rates, quoted once
    # e.g. "daily rates of 2026-09-25 (1 USD = 0.8772 EUR = 6.711 CNY)"
    assert (f"of {eur.date} (1 USD = {decimal_text(eur.per_usd)} EUR = {decimal_text(cny.per_usd)} CNY)"
            in " ".join(section.split()))
    assert f"`converted at 1 USD = {decimal_text(eur.per_usd)} EUR (rate of {eur.date}: …)`" in section
