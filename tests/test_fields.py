"""fields: typed access to one table of a document, with limits and messages that name the file and key path."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from aicost.errors import InputError
from aicost.fields import Fields, type_name


def message(call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(InputError) as caught:
        call(*args, **kwargs)
    return caught.value.message


def test_a_table_is_required_and_named_by_its_place() -> None:
    assert message(Fields, [1], "w.toml", "streams[0]") == "w.toml: streams[0]: must be a table, got a list"
    assert message(Fields, "x", "w.toml", "") == "w.toml: (top level): must be a table, got a string"
    fields = Fields({}, "w.toml", "streams[0]")
    assert fields.where() == "streams[0]"
    assert fields.where("model") == "streams[0].model"
    assert Fields({}, "w.toml", "").where("name") == "name"


def test_strings() -> None:
    fields = Fields({"name": "chat", "empty": " ", "number": 3, "bell": "a\x07b"}, "w.toml", "", printable_text=True)
    assert fields.string("name") == "chat"
    assert fields.string("missing") is None
    assert message(fields.req_string, "missing") == 'w.toml: missing: is required — add missing = "..."'
    assert message(fields.string, "empty") == "w.toml: empty: must be a non-empty string, got an empty string"
    assert message(fields.string, "number") == "w.toml: number: must be a non-empty string, got an integer"
    assert message(fields.string, "bell") == "w.toml: bell: 'a\\x07b' holds control characters — remove them"
    long = Fields({"name": "x" * 10_001}, "w.toml", "")
    assert message(long.string, "name") == "w.toml: name: is 10,001 characters long — at most 10,000 are accepted"


def test_integers() -> None:
    fields = Fields({"n": 7, "half": D("1.5"), "yes": True, "big": 1001}, "c.toml", "models[2]")
    assert fields.integer("n") == 7
    assert fields.integer("absent") is None
    assert message(fields.integer, "half") == "c.toml: models[2].half: must be a whole number, got 1.5"
    assert message(fields.integer, "yes") == "c.toml: models[2].yes: must be a whole number, got a boolean"
    assert message(fields.integer, "n", minimum=8) == "c.toml: models[2].n: must be >= 8, got 7"
    assert message(fields.integer, "big", maximum=1000) == "c.toml: models[2].big: must be at most 1,000, got 1001"


def test_decimals() -> None:
    fields = Fields({"price": D("2.50"), "float": 0.1, "whole": 3, "tiny": D("1e-13"), "share": D("1.5"),
                     "negative": D("-1"), "text": "2"}, "c.toml", "")
    assert fields.decimal("price") == D("2.50")
    assert fields.decimal("float") == D("0.1")  # through its shortest text, never the binary 0.1000000000000000055...
    assert fields.decimal("whole") == D(3)
    assert message(fields.decimal, "tiny") == "c.toml: tiny: must be 0 or at least 1E-12, got 1E-13"
    assert message(fields.decimal, "share", maximum=D(1)) == "c.toml: share: must be between 0 and 1, got 1.5"
    assert message(fields.decimal, "negative") == "c.toml: negative: must be >= 0, got -1"
    assert fields.decimal("negative", minimum=None) == D(-1)
    assert message(fields.decimal, "text") == "c.toml: text: must be a number, got '2' — write it without quotes"


def test_dates_and_booleans_and_lists() -> None:
    fields = Fields({"day": dt.date(2026, 3, 1), "stamp": dt.datetime(2026, 3, 1, 12, 0), "text": "2026-03-02",
                     "bad": "2026-02-30", "flag": True, "one": 1, "ids": ["a", "b"], "holes": ["a", ""]}, "c.toml", "")
    assert fields.date("day") == dt.date(2026, 3, 1)
    assert fields.date("stamp") == dt.date(2026, 3, 1)
    assert fields.date("text") == dt.date(2026, 3, 2)
    assert message(fields.date, "bad") == "c.toml: bad: must be a date YYYY-MM-DD, got '2026-02-30'"
    assert fields.boolean("flag") is True
    assert message(fields.boolean, "one") == "c.toml: one: must be true or false, got an integer"
    assert fields.string_list("ids") == ["a", "b"]
    assert fields.string_list("absent") == []
    assert message(fields.string_list, "holes") == "c.toml: holes: must be a list of non-empty strings"


def test_sub_tables_carry_their_path() -> None:
    fields = Fields({"streams": [{"name": "a"}, {"name": 5}], "routing": {"small": "beta"}}, "w.toml", "")
    streams = fields.tables("streams")
    assert [stream.path for stream in streams] == ["streams[0]", "streams[1]"]
    assert message(streams[1].string, "name") == "w.toml: streams[1].name: must be a non-empty string, got an integer"
    routing = fields.sub("routing")
    assert routing is not None and routing.string("small") == "beta"
    assert message(fields.tables, "routing") == "w.toml: routing: must be a list of tables ([[routing]]), got a table"
    assert message(Fields({}, "w.toml", "").tables, "streams", required=True) == \
        "w.toml: streams: is required — add at least one [[streams]] table"


def test_unknown_keys_are_refused_with_a_suggestion() -> None:
    fields = Fields({"modle": "alpha", "name": "x"}, "w.toml", "streams[0]")
    assert message(fields.check_keys, ["model", "name"]) == \
        "w.toml: streams[0].modle: unknown key 'modle' — did you mean 'model'?"
    fields.string("name")
    assert message(fields.done) == "w.toml: streams[0].modle: unknown key 'modle' — remove it"  # nothing close was read
    fields.raw("modle")
    fields.done()


@pytest.mark.parametrize(("value", "name"), [(True, "a boolean"), (1, "an integer"), (D(1), "a number"), (1.0, "a number"),
                                             ("", "a string"), ([], "a list"), ({}, "a table"),
                                             (dt.time(1), "a date or time"), (None, "null"), (b"", "bytes")])
def test_type_names(value: object, name: str) -> None:
    assert type_name(value) == name
