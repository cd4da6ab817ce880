"""documents: reading TOML and JSON (bounded, UTF-8, Decimal numbers, no nulls or deep nesting) and writing JSON
with exact Decimals and printable strings."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal as D
from pathlib import Path

import pytest

from aicost.documents import MAX_NESTING, json_string, json_text, parse_document, read_document, read_text
from aicost.errors import EmptyDocumentError, InputError


def message(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(InputError) as caught:
        call(*args)
    return caught.value.message


def test_numbers_are_decimals_in_toml_and_json() -> None:
    assert parse_document("w.toml", "price = 0.1\ncount = 3\n", "workload") == {"price": D("0.1"), "count": 3}
    assert parse_document("w.json", '{"price": 0.1, "count": 3}', "workload") == {"price": D("0.1"), "count": 3}
    assert parse_document("w.txt", ' {"a": 1}', "workload") == {"a": 1}  # JSON by its first character


def test_bad_documents_name_the_file_and_line() -> None:
    assert message(parse_document, "w.toml", "a = 1\nb = \n", "workload").startswith("w.toml:2: invalid TOML (")
    assert message(parse_document, "w.json", '{"a": 1,\n}', "workload").startswith("w.json:2: invalid JSON (")
    assert message(parse_document, "w.json", "[1]", "workload") == \
        "w.json: the JSON document must be an object — fix the workload file"
    assert message(parse_document, "w.json", '{"a": 1, "a": 2}', "workload") == \
        "w.json: invalid JSON: key 'a' appears twice in one object — keep one"
    assert message(parse_document, "w.json", '{"a": NaN}', "workload").startswith("w.json: invalid JSON: NaN is not")
    assert message(parse_document, "w.json", '{"a": {"b": null}}', "workload") == \
        "w.json: a.b: null is not a value — remove the key or give a value"
    deep = '{"a": ' * (MAX_NESTING + 1) + "1" + "}" * (MAX_NESTING + 1)
    assert "nested more than 32 levels deep" in message(parse_document, "w.json", deep, "workload")


def test_reading_files(tmp_path: Path) -> None:
    good = tmp_path / "w.toml"
    good.write_bytes(b"\xef\xbb\xbfname = 'w'\n")  # a byte-order mark is dropped
    assert read_document(str(good), "workload") == (str(good), {"name": "w"})
    latin = tmp_path / "latin.toml"
    latin.write_bytes("name = 'caf\xe9'\n".encode("latin-1"))
    assert message(read_text, str(latin), "workload") == f"{latin}: is not UTF-8 text — save the workload file as UTF-8"
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"a = 1\x00")
    assert message(read_text, str(binary), "catalog") == \
        f"{binary}: is a binary file, not a catalog file (TOML or JSON) — give the right file"
    missing = tmp_path / "none.toml"
    assert message(read_text, str(missing), "workload") == f"{missing}: no such workload file — check the path"
    assert message(read_text, str(tmp_path), "workload") == f"{tmp_path}: is a directory, not a workload file — give the file's path"
    assert message(read_text, "", "workload") == "'': an empty path is not a workload file — give the file's path"
    blank = tmp_path / "blank.toml"
    blank.write_text(" \n", encoding="utf-8")
    with pytest.raises(EmptyDocumentError):
        read_text(str(blank), "workload")


def test_json_money_is_exact_or_rounded_once() -> None:
    document = {"cost": D("1234.5678905"), "price": D("0.0000125"), "whole": D("1.2E+3"), "zero": D("-0")}
    # rounded half-even to 6 places: 1234.567890|5 -> 1234.56789 (0 is even); 0.000012|5 -> 0.000012
    assert json.loads(json_text(document), parse_float=D) == {"cost": D("1234.56789"), "price": D("0.000012"),
                                                              "whole": 1200, "zero": 0}
    assert json_text({"price": D("0.0000125")}, exact=True) == '{\n  "price": 0.0000125\n}'


def test_json_layout_is_that_of_json_dumps() -> None:
    document = {"a": [1, "x", True, None, {}], "b": {"c": [], "d": dt.date(2026, 3, 1)}, "e": (False,)}
    plain = {"a": [1, "x", True, None, {}], "b": {"c": [], "d": "2026-03-01"}, "e": [False]}
    assert json_text(document) == json.dumps(plain, indent=2, ensure_ascii=False)


def test_json_strings_are_printable() -> None:
    assert json_string("café ✓") == '"café ✓"'
    assert json_string("\x1b[31m") == '"\\u001b[31m"'
    assert json_string("a\u202eb") == '"a\\u202eb"'  # a bidi override
    assert json_string("\U000e0001") == '"\\udb40\\udc01"'  # a non-printable astral character, as a surrogate pair
    for text in ("\x1b[31m", "a\u202eb", "\U000e0001", 'quote " and \\'):
        assert json.loads(json_string(text)) == text
        assert json_string(text).isprintable()


def test_json_refuses_what_it_cannot_write() -> None:
    with pytest.raises(TypeError, match="cannot write float as JSON"):
        json_text({"a": 0.1})
