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
import stat
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from aicost.documents import MAX_DOCUMENT_BYTES, MEBIBYTE, parse_document, read_text
from aicost.errors import RESET_ACTIVE_CATALOG, InputError, RemoteError, printable, shown

from .export import catalog_document
from .model import VERSION_PATTERN, Catalog, catalog_from_document, load_bundled_catalog

if TYPE_CHECKING:
    import socket

ACTIVE_FILE = "active"
BUNDLED = "bundled"
OFFLINE_VARIABLE = "AICOST_OFFLINE"
DEFAULT_URL = "https://github.com/aicost/aicost/releases/latest/download/catalog.json"
DEFAULT_TIMEOUT = 30.0  # seconds, for connecting and between bytes


class Installed(NamedTuple):
    version: str
    released: dt.date | None  # None: the installed file cannot be read
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
        raise InputError(f"{printable(directory)}: cannot list installed catalogs ({exc.strerror}) — check AICOST_HOME") from None
    return {name.removesuffix(".json"): os.path.join(directory, name) for name in names
            if name.endswith(".json") and re.fullmatch(VERSION_PATTERN, name.removesuffix(".json"))}


def active_version(directory: str) -> str | None:
    """The version chosen with `pricing use` or installed by `pricing update`; None: the bundled catalog.  The marker
    is validated like any input: it must hold one catalog version (YYYY.M.PATCH), else InputError says how to reset
    it — it never names a path or standard input."""
    path = os.path.join(directory, ACTIVE_FILE)
    reset = "reset it by choosing the catalog to use"
    try:
        # O_NONBLOCK: a FIFO (or device) put in the marker's place is refused below instead of waiting for a writer
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as exc:
        raise InputError(f"{printable(path)}: cannot read the active catalog marker ({exc.strerror}) — {reset}",
                         fix=RESET_ACTIVE_CATALOG) from None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise InputError(f"{printable(path)}: the active catalog marker is not a regular file — {reset}",
                             fix=RESET_ACTIVE_CATALOG)
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            raw = stream.read(101)
    except OSError as exc:
        raise InputError(f"{printable(path)}: cannot read the active catalog marker ({exc.strerror}) — {reset}",
                         fix=RESET_ACTIVE_CATALOG) from None
    finally:
        os.close(descriptor)
    try:
        version = raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        version = None
    if version is None or len(raw) > 100 or not re.fullmatch(VERSION_PATTERN, version, flags=re.ASCII):
        held = "" if version is None else f" ({shown(version)})"
        raise InputError(f"{printable(path)}: does not hold a catalog version of the form YYYY.M.PATCH{held} — {reset}",
                         fix=RESET_ACTIVE_CATALOG)
    return version


def versions(directory: str) -> list[Installed]:
    """The bundled catalog and every installed one, newest first; the active one marked; an installed file that
    cannot be read is listed as such (`pricing update` with a good document of that version repairs it)."""
    bundled = load_bundled_catalog()
    active = active_version(directory) or bundled.version
    found = [Installed(bundled.version, bundled.released, BUNDLED, False)]
    for version, path in _installed_files(directory).items():
        if version == bundled.version:
            continue
        try:
            found.append(Installed(version, load_installed(path).released, path, False))
        except InputError:
            found.append(Installed(version, None, f"{path} (cannot be read: reinstall it)", False))
    found.sort(key=lambda item: version_key(item.version), reverse=True)
    return [item._replace(active=item.version == active) for item in found]


def load_installed(path: str) -> Catalog:
    label, text = read_text(path, "catalog")
    return catalog_from_document(parse_document(label, text, "catalog"), label)


def _clear_active(directory: str) -> None:
    try:
        os.remove(os.path.join(directory, ACTIVE_FILE))
    except (FileNotFoundError, NotADirectoryError):
        pass
    except OSError as exc:
        raise InputError(f"{printable(os.path.join(directory, ACTIVE_FILE))}: cannot clear the active catalog "
                         f"({exc.strerror}) — remove it, or check AICOST_HOME") from None


def use(directory: str, version: str) -> Catalog:
    """Make `version` (installed, or the bundled one) the catalog commands use."""
    from aicost.fileio import write_through

    bundled = load_bundled_catalog()
    if version in (BUNDLED, bundled.version):
        _clear_active(directory)
        return bundled
    files = _installed_files(directory)
    if version not in files:
        known = ", ".join(item.version for item in versions(directory))
        raise InputError(f"catalog {shown(version)} is not installed — installed: {known}")
    catalog = load_installed(files[version])
    write_through(os.path.join(directory, ACTIVE_FILE), f"{version}\n")
    return catalog


def install(directory: str, catalog: Catalog, allow_downgrade: bool = False) -> tuple[Catalog, bool]:
    """Keep `catalog` as an installed version and make it active; (catalog, False) when it was already there.

    A version older than the active one is refused unless `allow_downgrade`; a version already installed with
    other prices is refused (a version names one set of prices); an installed file that cannot be read is
    replaced.  Every failure is a RemoteError (exit 3) and leaves the directory as it was."""
    from aicost.documents import json_text
    from aicost.errors import OutputError
    from aicost.fileio import write_through

    active_path = os.path.join(directory, ACTIVE_FILE)
    if os.path.lexists(active_path) and not os.path.isfile(active_path):
        raise RemoteError(f"{printable(active_path)}: is not a file — remove it, then update again")
    try:
        current = active_version(directory) or load_bundled_catalog().version
    except InputError as exc:  # a marker that names no version: nothing is installed until it is reset
        raise RemoteError(exc.message, fix=exc.fix) from None
    if version_key(catalog.version) < version_key(current) and not allow_downgrade:
        raise RemoteError(f"catalog {catalog.version} is older than the active {current} — allow a downgrade "
                          "({allow_downgrade}) to install it anyway", mentions=("allow_downgrade",))
    text = json_text(catalog_document(catalog), exact=True) + "\n"
    bundled = load_bundled_catalog()
    path = os.path.join(directory, f"{catalog.version}.json")
    existing = catalog_document(bundled) if catalog.version == bundled.version else None
    if existing is None and catalog.version in _installed_files(directory):
        try:
            existing = catalog_document(load_installed(path))
        except InputError:
            existing = None  # unreadable: replaced below
    if existing is not None:
        if existing != catalog_document(catalog):
            raise RemoteError(f"catalog {catalog.version} is already installed with other prices — a version names one "
                              "set of prices; the publisher must give this document a new version")
        _activate(directory, catalog.version, bundled.version)
        return catalog, False
    created = not os.path.isdir(directory)
    try:
        os.makedirs(directory, exist_ok=True)
        write_through(path, text)
    except OutputError as exc:
        if created:
            with contextlib.suppress(OSError):
                os.rmdir(directory)
        raise RemoteError(f"cannot install catalog {catalog.version}: {exc.message}") from None
    except OSError as exc:
        raise RemoteError(f"{printable(directory)}: cannot create it ({exc.strerror}) — check AICOST_HOME") from None
    try:
        _activate(directory, catalog.version, bundled.version)
    except (OutputError, InputError) as exc:
        with contextlib.suppress(OSError):
            os.remove(path)
        raise RemoteError(f"cannot make catalog {catalog.version} active: {exc.message}") from None
    return catalog, True


def _activate(directory: str, version: str, bundled_version: str) -> None:
    from aicost.errors import OutputError
    from aicost.fileio import write_through

    if version == bundled_version:
        _clear_active(directory)
        return
    try:
        write_through(os.path.join(directory, ACTIVE_FILE), f"{version}\n")
    except OutputError as exc:
        raise RemoteError(f"cannot make catalog {version} active: {exc.message}") from None


def catalog_from_bytes(data: bytes, label: str) -> Catalog:
    """A downloaded or given document, validated completely; any defect is a RemoteError (exit 3)."""
    if b"\x00" in data:
        raise RemoteError(f"{label}: not a catalog document (binary data)")
    try:
        text = data.decode("utf-8-sig")
        return catalog_from_document(parse_document(label, text, "catalog"), label)
    except UnicodeDecodeError:
        raise RemoteError(f"{label}: not a catalog document (not UTF-8 text)") from None
    except InputError as exc:
        raise RemoteError(f"not a valid catalog: {exc.message}") from None


def safe_url(url: str) -> str:
    """A URL as a message shows it: without a password, printable, cut to 120 characters."""
    return shown(re.sub(r"//[^/@]*@", "//", url), limit=120)


# A display of a download's progress (the command line's bar on a terminal): called with the size, when known,
# it gives the function to call with the bytes received so far.
ProgressDisplay = Callable[[int | None], contextlib.AbstractContextManager[Callable[[int], None]]]


class NotFoundError(RemoteError):
    """The server answered 404: nothing is published at that URL."""


def _too_slow(label: str, timeout: float, adjustable: bool) -> RemoteError:
    """A body not complete within the deadline; the hint to give a longer timeout only where one can be given."""
    if not adjustable:
        return RemoteError(f"{label}: not complete within {timeout:g} s — try again later, or download it and give "
                           "the file")
    return RemoteError(f"{label}: not complete within {timeout:g} s — try again later, or give a longer {{timeout}}",
                       mentions=("timeout",))


def fetch(url: str, timeout: float = DEFAULT_TIMEOUT, progress: ProgressDisplay | None = None,
          cap: int = MAX_DOCUMENT_BYTES, adjustable: bool = True) -> bytes:
    """The body at `url`, at most `cap` bytes, within `timeout` seconds in all; RemoteError for every failure
    (NotFoundError for a 404). `adjustable`: the caller takes a timeout parameter, which a slow body's message
    may then mention."""
    label = safe_url(url)
    if os.environ.get(OFFLINE_VARIABLE, "") not in ("", "0"):
        raise RemoteError(f"{OFFLINE_VARIABLE}={shown(os.environ[OFFLINE_VARIABLE])}: no network access — unset it, "
                          "or give a file instead of a URL")
    if not re.match(r"https?://[^\s]", url) or not url.isprintable():
        raise RemoteError(f"'{label}': not an http(s) URL — give one, or a file")
    import threading
    import time

    deadline = time.monotonic() + timeout
    outcome: dict[str, object] = {}
    connections: list[socket.socket] = []

    def work() -> None:
        try:
            outcome["data"] = _fetch_until(url, label, (timeout, deadline), progress, connections, outcome, cap,
                                           adjustable)
        except BaseException as exc:  # handed to the calling thread, which raises it
            outcome["error"] = exc

    # One deadline for the whole request: httpx's timeouts apply to each connect and each read, so a server that
    # sends its headers a byte at a time would never trip them.  The request runs in a worker; past the deadline
    # it is abandoned (its connection closed) and the command fails with nothing changed.
    worker = threading.Thread(target=work, name="aicost-fetch", daemon=True)
    worker.start()
    worker.join(max(0.0, deadline - time.monotonic()) + 0.05)
    if worker.is_alive():
        import socket

        for connection in connections:  # wakes the worker's blocked read: it ends at once instead of at the server's pace
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if "answered" not in outcome:  # the status line and headers were not all there
            raise RemoteError(f"{label}: no answer within {timeout:g} s — try again later")
        raise _too_slow(label, timeout, adjustable)
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    data = outcome["data"]
    assert isinstance(data, bytes)
    return data


def _fetch_until(url: str, label: str, limits: tuple[float, float], progress: ProgressDisplay | None,
                 connections: list[socket.socket], outcome: dict[str, object], cap: int, adjustable: bool) -> bytes:
    """The body at `url` (see `fetch`), checking `deadline` between chunks too; outcome["answered"] is set once the
    status line and headers are in, and every socket it opens is added to `connections`."""
    import time

    import httpx

    timeout, deadline = limits

    def trace(event: str, info: dict[str, Any]) -> None:  # httpcore's hook: each connection's socket, as it opens
        if event.endswith("connect_tcp.complete"):
            connection = info["return_value"].get_extra_info("socket")
            if connection is not None:
                connections.append(connection)

    try:
        with httpx.Client(timeout=httpx.Timeout(timeout), follow_redirects=True) as client, \
                client.stream("GET", url, headers={"Accept": "application/json, application/toml, */*"},
                              extensions={"trace": trace}) as response:
            outcome["answered"] = True
            if response.status_code == 404:
                raise NotFoundError(f"{label}: HTTP 404 {printable(response.reason_phrase)}")
            if response.status_code != 200:
                raise RemoteError(f"{label}: HTTP {response.status_code} {printable(response.reason_phrase)}")
            declared = response.headers.get("content-length")
            total = int(declared) if declared is not None and re.fullmatch(r"[0-9]{1,18}", declared) else None
            if total is not None and total > cap:
                raise RemoteError(f"{label}: {total:,} bytes, more than the {_size(cap)} it may have")
            chunks: list[bytes] = []
            received = 0
            with progress(total) if progress else contextlib.nullcontext(None) as advance:
                for chunk in response.iter_bytes():
                    received += len(chunk)
                    if received > cap:
                        raise RemoteError(f"{label}: more than the {_size(cap)} it may have")
                    if time.monotonic() > deadline:
                        raise _too_slow(label, timeout, adjustable)
                    chunks.append(chunk)
                    if advance is not None:
                        advance(response.num_bytes_downloaded)
            if total is not None and response.num_bytes_downloaded != total:
                raise RemoteError(f"{label}: truncated ({response.num_bytes_downloaded:,} of {total:,} bytes)")
    except httpx.TimeoutException:
        raise RemoteError(f"{label}: no answer within {timeout:g} s — try again later") from None
    except httpx.RemoteProtocolError as exc:
        raise RemoteError(f"{label}: truncated or broken answer ({shown(str(exc), limit=120)})") from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise RemoteError(f"{label}: {printable(type(exc).__name__)} ({shown(str(exc), limit=120)})") from None
    return b"".join(chunks)



CHECKSUM_SUFFIX = ".sha256"
MAX_CHECKSUM_BYTES = 64 * 1024


def _size(cap: int) -> str:
    return f"{cap // MEBIBYTE} MiB" if cap >= MEBIBYTE else f"{cap // 1024} KiB"


def fetch_checksum(url: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
    """The sha256 published for the catalog at `url`: the `sha256sum` file at `url + ".sha256"` (what the project's
    catalog release attaches beside catalog.json), as lower-case hex.  None when the server answers 404 (no checksum
    published); every other failure (offline, other HTTP status, timeout, too large, unreadable) is a RemoteError."""
    checksum_url = url + CHECKSUM_SUFFIX
    try:
        data = fetch(checksum_url, timeout, cap=MAX_CHECKSUM_BYTES)
    except NotFoundError:
        return None
    return parse_checksum(data, url, safe_url(checksum_url))


def parse_checksum(data: bytes, url: str, label: str) -> str:
    """The hash for `url`'s file in a `sha256sum` document (`HASH  NAME` or `HASH *NAME` lines, or a bare HASH): the
    only entry, or the one naming the file `url` ends in.  A RemoteError when there is none."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RemoteError(f"{label}: not a sha256 checksum file (not UTF-8 text)") from None
    entries: list[tuple[str, str]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = re.fullmatch(r"\s*([0-9A-Fa-f]{64})(?:\s+\*?(.+?))?\s*", line)
        if match is None:
            raise RemoteError(f"{label}: not a sha256 checksum file (a line is not 'HASH  NAME') — the publisher must "
                              "write it with sha256sum")
        entries.append((match.group(1).lower(), match.group(2) or ""))
    if len(entries) == 1:
        return entries[0][0]
    name = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    named = [digest for digest, entry in entries if entry.rsplit("/", 1)[-1] == name]
    if len(named) != 1:
        raise RemoteError(f"{label}: no single checksum for {printable(name)} in it ({len(entries)} entries) — the "
                          "publisher must list it once")
    return named[0]


def verify_checksum(data: bytes, expected: str, label: str) -> None:
    """RemoteError unless the sha256 of `data` (the downloaded bytes) is `expected`; the message names both, cut."""
    import hashlib

    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise RemoteError(f"{label}: checksum mismatch — the download's sha256 is {actual[:12]}…, the published "
                          f"{expected[:12]}… — the file is corrupt or was altered in transit; try again later")
