"""Shared fixtures: a hand-made catalog with round prices, no colour, and a private user directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from aicost.catalog import Catalog, catalog_from_document
from aicost.documents import read_document

DATA = Path(__file__).parent / "data"
TEST_CATALOG = DATA / "test_catalog.toml"


@pytest.fixture(autouse=True)
def _private_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never touch the real user directory and never see a colour terminal or user defaults."""
    import os

    for name in [name for name in os.environ if name.startswith("AICOST_")]:  # AICOST_CURRENCY, AICOST_BUDGET...
        monkeypatch.delenv(name)
    monkeypatch.setenv("AICOST_HOME", str(tmp_path / "aicost-home"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("AICOST_OFFLINE", "1")
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    label, document = read_document(str(TEST_CATALOG), "catalog")
    return catalog_from_document(document, label)
