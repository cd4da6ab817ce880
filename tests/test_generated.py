"""Committed files generated from the code: shell completions and the workload JSON Schema.

A test regenerates each one and fails on drift (fix: `python tools/generate.py`); the completion scripts
load in a real bash and complete commands and model ids; the schema agrees with the workload loader.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.catalog import Catalog
from aicost.errors import InputError
from aicost.init_file import example_toml
from aicost.workload import (
    EXAMPLE_WORKLOAD,
    ROUTING_KEYS,
    SHARE_KEYS,
    STREAM_KEYS,
    TOKEN_KEYS,
    TOP_LEVEL_KEYS,
    VOLUME_KEYS,
    parse_workload,
)
from shellhelp import OLD_TOML, ROOT, TEST_CATALOG, bash, make_bin
from toolshelp import tool

schema_text = tool("workload_schema").schema_text
workload_schema = tool("workload_schema").workload_schema

COMPLETIONS = ROOT / "completions"


def test_generated_files_are_up_to_date() -> None:
    generate = tool("generate")
    stale = generate.stale_files(generate.generated_files())
    assert stale == [], f"out of date: {stale} — run `python tools/generate.py`"
    assert (ROOT / "src" / "aicost" / "workload.schema.json").read_text() == schema_text()


@pytest.fixture(scope="module")
def bin_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bin(tmp_path_factory.mktemp("completion") / "bin")


@pytest.mark.slow
def test_the_cli_prints_the_committed_scripts_and_bash_loads_them(bin_dir: Path, tmp_path: Path) -> None:
    script = """
    for shell in bash zsh fish; do
        _AICOST_COMPLETE=source_$shell aicost > "$OUT/aicost.$shell" || echo "source_$shell=$?"
    done
    source "$ROOT/completions/aicost.bash" && complete -p aicost
    """
    result = bash(script, bin_dir, tmp_path, OUT=str(tmp_path), ROOT=str(ROOT))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "complete -o default -F _aicost_completion aicost"
    for shell in ("bash", "zsh", "fish"):
        assert (tmp_path / f"aicost.{shell}").read_text() == (COMPLETIONS / f"aicost.{shell}").read_text(), shell


@pytest.mark.slow
def test_bash_completes_commands_and_model_ids(bin_dir: Path, tmp_path: Path) -> None:
    script = """
    source "$ROOT/completions/aicost.bash"
    complete_words() { COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMPREPLY=(); _aicost_completion aicost; echo "[$*] ${COMPREPLY[*]}"; }
    complete_words aicost bu
    complete_words aicost pricing show gpt-4
    complete_words aicost pricing history --catalog "$CATALOG" al
    complete_words aicost compare --models dee
    """
    result = bash(script, bin_dir, tmp_path, ROOT=str(ROOT), CATALOG=str(TEST_CATALOG))
    assert result.returncode == 0, result.stderr
    answers = {line.split("] ", 1)[0] + "]": line.split("] ", 1)[1].split() for line in result.stdout.splitlines()}
    assert answers["[aicost bu]"] == ["budget"]
    assert "gpt-4o" in answers["[aicost pricing show gpt-4]"]
    assert all(name.startswith("gpt-4") for name in answers["[aicost pricing show gpt-4]"])
    assert answers[f"[aicost pricing history --catalog {TEST_CATALOG} al]"] == ["alpha", "alpha-latest"]
    assert "deepseek-v2" in answers["[aicost compare --models dee]"]


@pytest.mark.slow
@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_other_shells_parse_their_scripts(shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    result = subprocess.run([shell, "-n", str(COMPLETIONS / f"aicost.{shell}")], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


# ---------------------------------------------------------------------------------------------- schema

jsonschema = pytest.importorskip("jsonschema")


def plain(value: Any) -> Any:
    """TOML values as JSON would carry them."""
    return json.loads(json.dumps(value, default=lambda v: float(v) if isinstance(v, Decimal) else str(v)))


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = workload_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_schema_accepts_the_files_aicost_writes_and_ships(validator: Any) -> None:
    documents = [
        EXAMPLE_WORKLOAD,
        tomllib.loads(example_toml()),
        tomllib.loads(OLD_TOML),  # a `#:schema` comment line is only a comment
        tomllib.loads((ROOT / "tests" / "data" / "features.toml").read_text()),
        tomllib.loads((ROOT / "docs" / "examples" / "seats.toml").read_text()),  # [[seat_holders]]
    ]
    for document in documents:
        assert list(validator.iter_errors(plain(document))) == []


def base() -> dict[str, Any]:
    return {
        "$schema": "workload.schema.json",
        "version": 1,
        "name": "w",
        "currency": "USD",
        "defaults": {"model": "alpha"},
        "streams": [{"name": "a", "requests_per_month": 10, "input_tokens": 100, "output_tokens": 10}],
        "budget": {"monthly": 5},
        "routing": {"small": "beta", "frontier": "alpha", "small_share": 0.9, "mode": "router", "escalation": 0.1},
        "quality": {"alpha": 0.9},
        "adjustments": {"discount": {"acme": "15%", "alpha": 0.1}, "platform_fee": "5.5%"},
        "profiles": {"alpha": {"output_tokens": 300, "reasoning_tokens": 2000}, "beta": {"output_tokens": 250}},
        "seat_holders": [{"name": "light", "users": 40, "requests_per_month": 200},
                         {"name": "heavy", "users": 10, "requests_per_day": 100}],
    }


def set_path(document: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    target: Any = changed
    *parents, last = path.split(".")
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is DELETE:
        del target[last]
    else:
        target[last] = value
    return changed


DELETE = object()
INVALID = [
    ("surprise", 1),  # unknown top-level key
    ("adjustments.platform_fee", 2),
    ("adjustments.platform_fee", "lots"),
    ("adjustments.rebate", 1),
    ("profiles.alpha.output_tokens", -1),
    ("profiles.alpha.output_tokens", "many"),
    ("profiles.alpha.input_tokens", 10),
    ("profiles.alpha", 3),
    ("version", 2),
    ("currency", "GBP"),
    ("streams", []),
    ("streams.0.colour", "red"),
    ("streams.0.requests_per_day", 5),  # two volumes
    ("streams.0.requests_per_month", DELETE),  # no volume
    ("streams.0.input_tokens", DELETE),
    ("defaults.model", DELETE),  # then the stream has no model
    ("defaults.name", "x"),
    ("budget.monthly", DELETE),
    ("budget.monthly", -1),
    ("routing.mode", "fastest"),
    ("routing.speed", 1),
    ("quality.alpha", 2),
    *((f"streams.0.{key}", -1) for key in TOKEN_KEYS),
    *((f"streams.0.{key}", "many") for key in TOKEN_KEYS),
    *((f"streams.0.{key}", 1.5) for key in SHARE_KEYS),
    *((f"routing.{key}", 1.5) for key in ("small_share", "escalation")),
    *((f"streams.0.{key}", -1) for key in VOLUME_KEYS),
    ("streams.0.service_tier", "cheap"),
    ("streams.0.speed", "slow"),
    ("streams.0.cache_ttl", "2h"),
    ("streams.0.host", "Bed Rock"),
    ("streams.0.region", ""),
    ("streams.0.web_search_calls", -1),
    ("streams.0.web_search_calls", "many"),
    ("streams.0.web_search_calls", 10**9),
    ("defaults.service_tier", "cheap"),
    ("streams.0.sizes", [{"share": 1, "input_tokens": 100, "output_tokens": 10}]),  # beside the means
    ("streams.0.sizes", []),
    ("streams.0.sizes", "big"),
    ("seat_holders", []),
    ("seat_holders", {"name": "light"}),
    ("seat_holders.0.users", 0),
    ("seat_holders.0.users", 2.5),
    ("seat_holders.0.name", DELETE),
    ("seat_holders.0.requests_per_month", DELETE),  # no requests
    ("seat_holders.0.requests_per_month", -1),
    ("seat_holders.0.requests_per_day", 5),  # both
    ("seat_holders.0.requests_per_hour", 5),
]


def test_schema_and_loader_accept_every_documented_key(validator: Any, catalog: Catalog) -> None:
    document = base()
    assert validator.is_valid(document)
    parse_workload(document, "t", catalog)
    assert set(document) == set(TOP_LEVEL_KEYS)
    assert set(document["routing"]) == set(ROUTING_KEYS)
    full_stream = {"name": "b", "model": "alpha", "requests_per_hour": 1, "input_tokens": 100, "output_tokens": 10,
                   "cached_input_share": 0.5, "cache_write_tokens": 10, "cache_write_1h_tokens": 20, "reasoning_tokens": 5,
                   "batch_share": 0.5, "growth": 0.05,
                   "routing": {"small": "beta", "frontier": "alpha"}, "service_tier": "standard", "speed": "fast",
                   "cache_ttl": "1h", "off_peak_share": 0.25, "host": "bedrock", "region": "us", "web_search_calls": 0.5}
    # sizes replace input_tokens and output_tokens (never both): a second stream gives them, every band key set
    sized_stream = {"name": "c", "model": "alpha", "requests_per_hour": 1, "sizes": [
        {"share": 0.5, "input_tokens": 100, "output_tokens": 10},
        {"share": "50%", "input_tokens": 300, "output_tokens": 20, "reasoning_tokens": 5, "cached_input_share": 0.5,
         "cache_write_tokens": 10}]}
    assert set(full_stream) | set(VOLUME_KEYS) | {"sizes"} == set(STREAM_KEYS)
    document["streams"] += [full_stream, sized_stream]
    assert validator.is_valid(document)
    parse_workload(document, "t", catalog)


@pytest.mark.parametrize(("path", "value"), INVALID, ids=[f"{p}={v if v is not DELETE else 'deleted'}" for p, v in INVALID])
def test_schema_rejects_what_the_loader_rejects(path: str, value: Any, validator: Any, catalog: Catalog) -> None:
    document = set_path(base(), path, value)
    assert not validator.is_valid(document)
    with pytest.raises(InputError):
        parse_workload(document, "t", catalog)
