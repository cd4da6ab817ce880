"""Where the command line finds its inputs: the catalog (and the user data directory), the workload, the date.

No typer here: the command modules and the fast path share these.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING

from aicost.errors import InputError, printable

from .output import say

if TYPE_CHECKING:
    from decimal import Decimal

    from aicost.catalog import Catalog
    from aicost.workload import Workload

WORKLOAD_FILE = "aicost.toml"
BUDGET_VARIABLE = "AICOST_BUDGET"
HOME_VARIABLE = "AICOST_HOME"


def user_data_dir() -> str:
    """Where catalogs of other versions are kept: $AICOST_HOME, else the platform's user data directory."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return override
    home = os.path.expanduser("~")
    if os.name == "nt":
        return os.path.join(os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local"), "aicost")
    if os.uname().sysname == "Darwin":
        return os.path.join(home, "Library", "Application Support", "aicost")
    return os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share"), "aicost")


def open_catalog(spec: str | None) -> Catalog:
    """The catalog of --catalog: bundled, a path, or a version (bundled, or kept in the user data directory)."""
    from aicost.catalog import load_catalog

    return load_catalog(spec, stored=os.path.join(user_data_dir(), "catalogs"))


def pricing_date(value: str | None) -> dt.date:
    from aicost.quantities import parse_iso_date

    return dt.date.today() if value is None else parse_iso_date(value, "as_of")


def open_workload(path: str | None, catalog: Catalog, quiet: bool) -> Workload:
    """The workload argument; without one, ./aicost.toml, else the built-in example (each said on stderr)."""
    from aicost.workload import example_workload, load_workload

    if path is not None:
        return load_workload(path, catalog)
    if os.path.islink(WORKLOAD_FILE) and not os.path.exists(WORKLOAD_FILE):
        raise InputError(f"./{WORKLOAD_FILE}: is a symlink to {printable(os.readlink(WORKLOAD_FILE))}, which does not "
                         "exist — fix or remove the link, or name a workload file")
    if os.path.isfile(WORKLOAD_FILE):
        if not quiet:
            say(f"aicost: using ./{WORKLOAD_FILE}")
        return load_workload(WORKLOAD_FILE, catalog)
    if not quiet:
        say(f"aicost: no workload given and no ./{WORKLOAD_FILE}: pricing the built-in example "
            "(`aicost init` writes it to a file)")
    return example_workload(catalog)


def over_budget(monthly_cost: Decimal, limit: Decimal | None) -> bool:
    """The `--max` check of a report command: a warning on stderr (even with --quiet) when over the limit."""
    if limit is None or monthly_cost <= limit:
        return False
    from aicost.money import money_text

    say(f"aicost: over budget: monthly cost {money_text(monthly_cost)} exceeds --max {money_text(limit)} "
        f"by {money_text(monthly_cost - limit)}")
    return True


def split_names(values: list[str] | None) -> list[str]:
    """Repeated and comma-separated option values as one list: `-m a,b -m c` → a, b, c."""
    names: list[str] = []
    for value in values or []:
        names.extend(part.strip() for part in value.split(",") if part.strip())
    return names
