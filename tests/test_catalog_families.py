"""Release dates and families: the loader checks them, `pricing list` marks the newest of each family and
`--current` keeps only those, `pricing show` and the JSON name them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicost.catalog import catalog_document, catalog_from_document, load_bundled_catalog
from aicost.errors import InputError
from clihelp import run_main

LINE = """catalog_version = "2099.1.0"
released = 2099-01-01
[[vendors]]
vendor = "acme"
[[vendors.models]]
id = "acme-1"
class = "frontier"
family = "acme-big"
released = 2099-01-10
retired = 2099-09-01
successor = "acme-2"
context_window = 1000
[[vendors.models.periods]]
since = 2099-01-10
input = 2
output = 8
source = "test"
checked = 2099-01-10
[[vendors.models]]
id = "acme-2"
class = "frontier"
family = "acme-big"
released = 2099-06-01
context_window = 1000
[[vendors.models.periods]]
since = 2099-06-01
input = 1
output = 4
source = "test"
checked = 2099-06-01
[[vendors.models]]
id = "acme-mini"
class = "small"
context_window = 1000
[[vendors.models.periods]]
since = 2099-02-01
input = 0.1
output = 0.4
source = "test"
checked = 2099-02-01
"""


def write(tmp_path: Path, text: str = LINE) -> str:
    path = tmp_path / "catalog.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def listed(path: str, *args: str) -> list[dict[str, object]]:
    models = json.loads(run_main("pricing", "list", "--catalog", path, "--format", "json", *args).stdout)["models"]
    assert isinstance(models, list)
    return models


def test_newest_of_each_family_moves_with_the_pricing_date(tmp_path: Path) -> None:
    path = write(tmp_path)
    # before acme-2 is released, acme-1 is the newest of acme-big; acme-mini (no family) is its own family
    early = {m["model"]: m["newest_in_family"] for m in listed(path, "--as-of", "2099-03-01")}
    assert early == {"acme-1": True, "acme-2": False, "acme-mini": True}
    later = {m["model"]: (m["released"], m["family"], m["newest_in_family"]) for m in listed(path, "--as-of", "2099-07-01")}
    assert later == {"acme-1": ("2099-01-10", "acme-big", False), "acme-2": ("2099-06-01", "acme-big", True),
                     "acme-mini": (None, "acme-mini", True)}
    current = [m["model"] for m in listed(path, "--as-of", "2099-07-01", "--current")]
    assert current == ["acme-2", "acme-mini"]


def test_a_retired_model_is_never_current(tmp_path: Path) -> None:
    """A family whose newest model retired without a newer one on sale has no current model."""
    text = LINE.replace('family = "acme-big"\nreleased = 2099-06-01', 'family = "acme-other"\nreleased = 2099-06-01')
    path = write(tmp_path, text)
    assert [m["model"] for m in listed(path, "--as-of", "2099-10-01", "--current")] == ["acme-2", "acme-mini"]
    assert [m["model"] for m in listed(path, "--as-of", "2099-08-31", "--current")] == ["acme-1", "acme-2", "acme-mini"]


def test_list_table_marks_the_newest_and_show_names_the_family(tmp_path: Path) -> None:
    path = write(tmp_path)
    table = run_main("pricing", "list", "--catalog", path, "--as-of", "2099-07-01").stdout
    rows = {line.split()[0]: line for line in table.splitlines() if line.startswith("acme-")}
    assert rows["acme-1"].split()[1] == "acme" and rows["acme-2"].split()[1] == "*"
    assert "2099-06-01" in rows["acme-2"]
    assert "New * : the newest model of its family on sale on 2099-07-01" in table
    shown = run_main("pricing", "show", "acme-2", "--catalog", path, "--as-of", "2099-07-01")
    assert "released 2099-06-01, family acme-big (the newest on sale on 2099-07-01)" in shown.stdout
    document = json.loads(run_main("pricing", "show", "acme-1", "--catalog", path, "--as-of", "2099-07-01",
                                   "--format", "json").stdout)
    assert (document["released"], document["family"], document["newest_in_family"]) == ("2099-01-10", "acme-big", False)


def test_release_date_and_family_survive_export(tmp_path: Path) -> None:
    catalog = catalog_from_document(__import__("tomllib").loads(LINE), "test")
    again = catalog_from_document(catalog_document(catalog), "again")
    assert again.models == catalog.models
    assert again.resolve("acme-2").family == "acme-big"


@pytest.mark.parametrize(("old", "new", "message"), [
    ('released = 2099-01-10\nretired', 'released = 2099-09-01\nretired', "2099-09-01 is not after the release date"),
    ('family = "acme-big"\nreleased = 2099-06-01', 'family = "Acme Big"\nreleased = 2099-06-01', "must be lowercase"),
])
def test_bad_release_date_or_family_is_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        catalog_from_document(__import__("tomllib").loads(LINE.replace(old, new, 1)), "test")


def test_every_bundled_model_has_a_family_and_a_release_date() -> None:
    """Release dates are filled from sources; a model whose release date no source gives says so in its note."""
    for model in load_bundled_catalog().models:
        assert model.family, model.id
        if model.released is None:
            assert model.note and "release date" in model.note.lower(), model.id
        else:
            assert model.retired is None or model.released < model.retired, model.id
