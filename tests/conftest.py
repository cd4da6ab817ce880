"""Shared fixtures: a hand-made catalog with round prices, no colour, and a private user directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aicost.catalog import Catalog, catalog_from_document
from aicost.documents import read_document

DATA = Path(__file__).parent / "data"
TEST_CATALOG = DATA / "test_catalog.toml"


@pytest.fixture(autouse=True)
def _private_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never touch the real user directory and never see a colour terminal, a terminal width or user
    defaults (a test that needs a width sets COLUMNS itself)."""
    monkeypatch.setenv("AICOST_HOME", str(tmp_path / "aicost-home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("AICOST_OFFLINE", "1")
    for name in ("AICOST_FORMAT", "AICOST_AS_OF", "AICOST_CATALOG", "GITHUB_STEP_SUMMARY", "COLUMNS", "LINES"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):  # whatever else of aicost's the environment holds (AICOST_CURRENCY, AICOST_BUDGET)
        if name.lstrip("_").startswith("AICOST_") and name not in ("AICOST_HOME", "AICOST_OFFLINE"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    label, document = read_document(str(TEST_CATALOG), "catalog")
    return catalog_from_document(document, label)
