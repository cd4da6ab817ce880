"""Regenerate the committed files that are derived from the code: shell completions, the workload schema, the
fast path's option table and the bundled catalog as Python.

    python -m aicost._generate            # rewrite completions/aicost.{bash,zsh,fish}, src/aicost/workload.schema.json
                                          # src/aicost/cli/commands.json and src/aicost/_bundled_catalog.py
    python -m aicost._generate --check    # exit 1 and name the files that differ (what the drift test checks)

The completion scripts are what the CLI itself answers to `_AICOST_COMPLETE=source_bash|source_zsh|source_fish
aicost`; they call `aicost` back at completion time, so model ids come from the catalog in use.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROG_NAME = "aicost"
SHELLS = ("bash", "zsh", "fish")
PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent.parent  # a source checkout: src/aicost/ -> the repository
SCHEMA_FILE = PACKAGE_DIR / "workload.schema.json"
COMMAND_TABLE_FILE = PACKAGE_DIR / "cli" / "commands.json"
BUNDLED_CATALOG_FILE = PACKAGE_DIR / "_bundled_catalog.py"


def completion_script(shell: str) -> str:
    """Typer's completion script for `shell`, exactly as `_AICOST_COMPLETE=source_<shell> aicost` prints it."""
    from .cli.app import app
    from .cli.typer_internals import completion_script as script

    return script(app, shell)


def command_table() -> str:
    """The fast path's option table (cli/commands.json), read from the typer application."""
    import json

    from .cli.app import COMMANDS, app
    from .cli.typer_internals import command_spec

    return json.dumps(command_spec(app, COMMANDS), indent=1, sort_keys=True) + "\n"


def bundled_catalog_module() -> str:
    """The bundled catalog, read and validated from pricing/*.toml, as Python that rebuilds it in a millisecond."""
    from .catalog import load_bundled_catalog

    catalog = load_bundled_catalog(from_sources=True)
    lines = [
        '"""The bundled price catalog, generated from pricing/*.toml by `python -m aicost._generate`: do not edit.',
        "",
        "The TOML files are the source (validated when this is generated); this module only rebuilds the same",
        'records without parsing or checking them again, so that every command starts fast."""',
        "",
        "# ruff: noqa: E501",
        "import datetime",
        "from decimal import Decimal",
        "",
        "from .catalog import CacheWrites, Catalog, ExchangeRate, Model, OffPeak, PricePeriod, Rates, Tier, Vendor",
        "",
        "CATALOG = Catalog(",
        f"    version={catalog.version!r},",
        f"    released={catalog.released!r},",
        "    vendors=(",
        *(f"        {vendor!r}," for vendor in catalog.vendors),
        "    ),",
        "    models=(",
        *(f"        {model!r}," for model in catalog.models),
        "    ),",
        f"    origin={catalog.origin!r},",
        "    exchange_rates=(",
        *(f"        {rate!r}," for rate in catalog.exchange_rates),
        "    ),",
        ")",
    ]
    return "\n".join(lines) + "\n"


def generated_files() -> dict[Path, str]:
    from .schema import schema_text

    files = {ROOT / "completions" / f"{PROG_NAME}.{shell}": completion_script(shell) for shell in SHELLS}
    files[SCHEMA_FILE] = schema_text()
    files[COMMAND_TABLE_FILE] = command_table()
    files[BUNDLED_CATALOG_FILE] = bundled_catalog_module()
    return files


def stale_files() -> list[Path]:
    return [
        path for path, text in generated_files().items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    if argv and argv != ["--check"]:
        print("usage: python -m aicost._generate [--check]", file=sys.stderr)
        return 2
    if argv == ["--check"]:
        stale = stale_files()
        for path in stale:
            print(f"{path}: out of date — run `python -m aicost._generate`", file=sys.stderr)
        return 1 if stale else 0
    from .fileio import write_through

    for path, text in generated_files().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_through(str(path), text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
