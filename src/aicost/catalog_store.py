"""Catalog versions kept in the user data directory: list them, install one, choose the active one, fetch one.

Layout under the directory (`AICOST_HOME/catalogs` for the command line):

    2026.12.0.json      one exported catalog document per installed version (what `pricing export` writes)
    active              the version that commands use when --catalog is not given (absent: the bundled one)

Every write is atomic (a temporary file renamed into place), and a document is read and validated completely
before anything is written, so a failed update leaves the directory byte for byte as it was.  Fetching is the
only network access in aicost; it happens only when asked (`pricing update`), uses httpx with timeouts and a
size cap, and is refused when AICOST_OFFLINE=1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from .catalog import Catalog, catalog_document, catalog_from_document, load_bundled_catalog
from .documents import MAX_DOCUMENT_BYTES, MEBIBYTE, parse_document, read_text
from .errors import InputError, RemoteError, printable

ACTIVE_FILE = "active"
BUNDLED = "bundled"
OFFLINE_VARIABLE = "AICOST_OFFLINE"
DEFAULT_URL = "https://github.com/aicost/aicost/releases/latest/download/catalog.json"
DEFAULT_TIMEOUT = 30.0  # seconds, for connecting and between bytes


class Installed(NamedTuple):
    version: str
    released: dt.date
    origin: str  # "bundled" or the file's path
    active: bool


def version_key(version: str) -> tuple[int, ...]:
    """CalVer as numbers, so that 2026.10.0 sorts after 2026.9.3."""
    return tuple(int(part) for part in re.findall(r"[0-9]+", version))


def _installed_files(directory: str) -> dict[str, str]:
    try:
        names = os.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return {}
    except OSError as exc:
        raise InputError(f"{printable(directory)}: cannot list installed catalogs ({exc.strerror})") from None
    return {name.removesuffix(".json"): os.path.join(directory, name) for name in names
            if name.endswith(".json") and re.fullmatch(r"[0-9]{4}\.[0-9]{1,2}\.[0-9]+", name.removesuffix(".json"))}


def active_version(directory: str) -> str | None:
    """The version chosen with `pricing use` or installed by `pricing update`; None: the bundled catalog."""
    try:
        with open(os.path.join(directory, ACTIVE_FILE), encoding="utf-8") as stream:
            version = stream.read(100).strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except (OSError, UnicodeDecodeError):
        return None
    return version or None


def versions(directory: str) -> list[Installed]:
    """The bundled catalog and every installed one, newest first; the active one marked."""
    bundled = load_bundled_catalog()
    active = active_version(directory) or bundled.version
    found = [Installed(bundled.version, bundled.released, BUNDLED, False)]
    for version, path in _installed_files(directory).items():
        if version == bundled.version:
            continue
        catalog = load_installed(path)
        found.append(Installed(catalog.version, catalog.released, path, False))
    found.sort(key=lambda item: version_key(item.version), reverse=True)
    return [item._replace(active=item.version == active) for item in found]


def load_installed(path: str) -> Catalog:
    label, text = read_text(path, "catalog")
    return catalog_from_document(parse_document(label, text, "catalog"), label)


def use(directory: str, version: str) -> Catalog:
    """Make `version` (installed, or the bundled one) the catalog commands use."""
    from .fileio import write_through

    bundled = load_bundled_catalog()
    if version in (BUNDLED, bundled.version):
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(directory, ACTIVE_FILE))
        return bundled
    files = _installed_files(directory)
    if version not in files:
        known = ", ".join(item.version for item in versions(directory))
        raise InputError(f"catalog {printable(version)} is not installed — installed: {known}")
    catalog = load_installed(files[version])
    write_through(os.path.join(directory, ACTIVE_FILE), f"{version}\n")
    return catalog


def install(directory: str, catalog: Catalog, allow_downgrade: bool = False) -> tuple[Catalog, bool]:
    """Keep `catalog` as an installed version and make it active; (catalog, False) when it was already there.

    A version older than the active one is refused unless `allow_downgrade`.  The previous versions stay."""
    from .fileio import write_through
    from .render.json_format import json_text

    current = active_version(directory) or load_bundled_catalog().version
    if version_key(catalog.version) < version_key(current) and not allow_downgrade:
        raise RemoteError(f"catalog {catalog.version} is older than the active {current} — nothing changed; add "
                          "--allow-downgrade to install it anyway")
    bundled = load_bundled_catalog()
    if catalog.version == bundled.version or catalog.version in _installed_files(directory):
        use(directory, catalog.version)
        return catalog, False
    try:
        os.makedirs(directory, exist_ok=True)
    except OSError as exc:
        raise RemoteError(f"{printable(directory)}: cannot create it ({exc.strerror}) — check AICOST_HOME") from None
    write_through(os.path.join(directory, f"{catalog.version}.json"), json_text(catalog_document(catalog), exact=True) + "\n")
    write_through(os.path.join(directory, ACTIVE_FILE), f"{catalog.version}\n")
    return catalog, True


def catalog_from_bytes(data: bytes, label: str) -> Catalog:
    """A downloaded or given document, validated completely; any defect is a RemoteError (exit 3)."""
    if b"\x00" in data:
        raise RemoteError(f"{label}: not a catalog document (binary data) — nothing changed")
    try:
        text = data.decode("utf-8-sig")
        return catalog_from_document(parse_document(label, text, "catalog"), label)
    except UnicodeDecodeError:
        raise RemoteError(f"{label}: not a catalog document (not UTF-8 text) — nothing changed") from None
    except InputError as exc:
        raise RemoteError(f"not a valid catalog, nothing changed: {exc.message}") from None


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, progress: bool = False) -> bytes:
    """The body at `url`, at most MAX_DOCUMENT_BYTES; RemoteError for every failure (exit 3)."""
    if os.environ.get(OFFLINE_VARIABLE, "") not in ("", "0"):
        raise RemoteError(f"{OFFLINE_VARIABLE}={os.environ[OFFLINE_VARIABLE]}: no network access — unset it, or use "
                          "--file PATH")
    if not re.match(r"https?://", url):
        raise RemoteError(f"{printable(url)}: not an http(s) URL — give one, or use --file PATH")
    import httpx

    cap = MAX_DOCUMENT_BYTES
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True) as client, \
                client.stream("GET", url, headers={"Accept": "application/json, application/toml, */*"}) as response:
            if response.status_code != 200:
                raise RemoteError(f"{printable(url)}: HTTP {response.status_code} {printable(response.reason_phrase)} — "
                                  "nothing changed")
            declared = response.headers.get("content-length")
            if declared is not None and declared.isdigit() and int(declared) > cap:
                raise RemoteError(f"{printable(url)}: {int(declared):,} bytes, more than the {cap // MEBIBYTE} MiB a "
                                  "catalog may have — nothing changed")
            chunks: list[bytes] = []
            received = 0
            total = int(declared) if declared is not None and declared.isdigit() else None
            with _progress(total) if progress else contextlib.nullcontext(None) as advance:
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > cap:
                        raise RemoteError(f"{printable(url)}: more than the {cap // MEBIBYTE} MiB a catalog may have — "
                                          "nothing changed")
                    chunks.append(chunk)
                    if advance is not None:
                        advance(received)
            if total is not None and received != total:
                raise RemoteError(f"{printable(url)}: truncated ({received:,} of {total:,} bytes) — nothing changed")
    except httpx.TimeoutException:
        raise RemoteError(f"{printable(url)}: no answer within {timeout:g} s — nothing changed; try again later") from None
    except httpx.HTTPError as exc:
        raise RemoteError(f"{printable(url)}: {printable(type(exc).__name__)} ({printable(str(exc))}) — nothing "
                          "changed") from None
    return b"".join(chunks)


@contextlib.contextmanager
def _progress(total: int | None) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr (asked for only on a terminal), gone when the download ends."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress

    with Progress("catalog", BarColumn(), DownloadColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("catalog", total=total)
        yield lambda completed: bar.update(task, completed=completed)
