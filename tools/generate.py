"""A developer tool (not part of the installed package): regenerate the committed files that are derived from
the code: shell completions, the workload schema, the fast path's option table and the bundled catalog as Python.

    python tools/generate.py            # rewrite completions/aicost.{bash,zsh,fish}, src/aicost/workload.schema.json
                                        # src/aicost/cli/commands.json, src/aicost/catalog/_bundled.py and the
                                        # table of the option groups in docs/commands.md
    python tools/generate.py --check    # exit 1 and name the files that differ (what the drift test checks)

Run it from a checkout with aicost installed (`pip install -e .`).  The completion scripts are what the CLI
itself answers to `_AICOST_COMPLETE=source_bash|source_zsh|source_fish aicost`; they call `aicost` back at
completion time, so model ids come from the catalog in use.  The option table is refused (exit 1, one line
naming the option) when the typer application declares something the fast path cannot reproduce
(`command_table.py`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import command_table

PROG_NAME = "aicost"
SHELLS = ("bash", "zsh", "fish")
ROOT = Path(__file__).resolve().parent.parent  # the checkout: tools/ -> the repository
PACKAGE_DIR = ROOT / "src" / "aicost"
SCHEMA_FILE = PACKAGE_DIR / "workload.schema.json"
COMMAND_TABLE_FILE = PACKAGE_DIR / "cli" / "commands.json"
BUNDLED_CATALOG_FILE = PACKAGE_DIR / "catalog" / "_bundled.py"
COMMANDS_PAGE = ROOT / "docs" / "commands.md"


def completion_script(shell: str) -> str:
    """Typer's completion script for `shell`, exactly as `_AICOST_COMPLETE=source_<shell> aicost` prints it."""
    import typer
    from typer._click.shell_completion import ShellComplete, get_completion_class

    from aicost.cli.app import app
    from aicost.cli.typer_internals import COMPLETE_VARIABLE, enable_completion

    enable_completion()
    completer_class = get_completion_class(shell)
    assert completer_class is not None, shell
    completer = completer_class(typer.main.get_command(app), {}, PROG_NAME, COMPLETE_VARIABLE)
    # ShellComplete.source directly: typer's BashComplete.source first runs bash to check its version.
    return ShellComplete.source(completer) + "\n"


def command_table_text() -> str:
    """The fast path's option table (cli/commands.json), read from the typer application; SpecError when the
    application declares what the fast path cannot reproduce."""
    import json

    from aicost.cli.app import COMMANDS, app

    return json.dumps(command_table.from_app(app, COMMANDS), indent=1, sort_keys=True) + "\n"


def bundled_catalog_module() -> str:
    """The bundled catalog, read and validated from pricing/*.toml, as Python that rebuilds it in a millisecond."""
    from aicost.catalog import load_bundled_catalog

    catalog = load_bundled_catalog(from_sources=True)
    lines = [
        '"""The bundled price catalog, generated from pricing/*.toml by `python tools/generate.py`: do not edit.',
        "",
        "The TOML files are the source (validated when this is generated); this module only rebuilds the same",
        'records without parsing or checking them again, so that every command starts fast."""',
        "",
        "# ruff: noqa: E501",
        "import datetime",
        "from decimal import Decimal",
        "",
        "from .model import CacheWrites, Catalog, ExchangeRate, Model, Vendor",
        "from .prices import Fee, HostOffering, PricePeriod, Rates, ServiceTier, SpeedMode, Tier, Uplift, Window",
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


def commands_page() -> str:
    """docs/commands.md with its table of the option groups rewritten from the typer application."""
    from aicost.cli.app import COMMANDS, app
    from option_table import document_with_table

    return document_with_table(COMMANDS_PAGE.read_text(encoding="utf-8"), app, COMMANDS)


def generated_files() -> dict[Path, str]:
    from workload_schema import schema_text

    files = {ROOT / "completions" / f"{PROG_NAME}.{shell}": completion_script(shell) for shell in SHELLS}
    files[SCHEMA_FILE] = schema_text()
    files[COMMAND_TABLE_FILE] = command_table_text()
    files[BUNDLED_CATALOG_FILE] = bundled_catalog_module()
    files[COMMANDS_PAGE] = commands_page()
    return files


def stale_files(files: dict[Path, str]) -> list[Path]:
    return [path for path, text in files.items() if not path.is_file() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str]) -> int:
    if argv and argv != ["--check"]:
        print("usage: python tools/generate.py [--check]", file=sys.stderr)
        return 2
    try:
        files = generated_files()
    except command_table.SpecError as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 1
    if argv == ["--check"]:
        stale = stale_files(files)
        for path in stale:
            print(f"{path}: out of date — run `python tools/generate.py`", file=sys.stderr)
        return 1 if stale else 0
    from aicost.fileio import write_through

    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_through(str(path), text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
