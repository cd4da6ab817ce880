"""Regenerate the committed files that are derived from the code: shell completions and the workload schema.

    python -m aicost._generate            # rewrite completions/aicost.{bash,zsh,fish} and src/aicost/workload.schema.json
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


def completion_script(shell: str) -> str:
    """Typer's completion script for `shell`, exactly as `_AICOST_COMPLETE=source_<shell> aicost` prints it."""
    import typer
    from typer._click.shell_completion import ShellComplete, get_completion_class
    from typer._completion_classes import completion_init

    from .cli import app
    from .cli_common import COMPLETE_VARIABLE

    completion_init()
    completer_class = get_completion_class(shell)
    assert completer_class is not None, shell
    completer = completer_class(typer.main.get_command(app), {}, PROG_NAME, COMPLETE_VARIABLE)
    # ShellComplete.source directly: typer's BashComplete.source first runs bash to check its version.
    return ShellComplete.source(completer) + "\n"


def generated_files() -> dict[Path, str]:
    from .schema import schema_text

    files = {ROOT / "completions" / f"{PROG_NAME}.{shell}": completion_script(shell) for shell in SHELLS}
    files[SCHEMA_FILE] = schema_text()
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
