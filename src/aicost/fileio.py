"""Writing a report where `--output` points, without ever damaging what is there.

`write_through(path, text)` writes to what the path *names*, as a shell's `>` would, but safely:

- a regular file (or a symlink to one, however many links deep) is replaced atomically at its real location:
  the text goes to a temporary file beside it, which is renamed over it only once complete; the link stays a
  link, and the file keeps its permission bits (and its owner, when running as root);
- a new path is created the same way, atomically;
- `/dev/stdout`, `/dev/stderr`, `/dev/fd/N` and `/proc/self/fd/N` (or a link to them) write to that open
  descriptor of this process, so nothing is reopened, truncated or replaced;
- a character device (a terminal, a null device) or a FIFO is opened and written directly, never replaced;
- a directory, a socket or a block device (a disk) is refused with a clean error.

A failed write (a full disk, a vanished directory) leaves the previous content untouched.

An output must never replace an input: `note_input` remembers (device, inode) of every regular file a command
reads (standard input too, when it is redirected from a file), and `read_by_this_command(path)` says whether a
target names one of them, through any links, so that the command line refuses it before writing anything.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import tempfile
from pathlib import Path

from .errors import OutputError, printable, shown

MAX_LINKS = 40  # like the kernel's limit on symlinks in one path
_DESCRIPTOR_PATH = r"^/(?:dev/fd|proc/self/fd|proc/thread-self/fd|proc/(\d+)/fd)/(\d+)$"
_STANDARD_STREAMS = {"/dev/stdout": 1, "/dev/stderr": 2, "/dev/stdin": 0}


def _descriptor(path: str) -> int | None:
    """The descriptor of this process that `path` names, if it names one."""
    if path in _STANDARD_STREAMS:
        return _STANDARD_STREAMS[path]
    match = re.match(_DESCRIPTOR_PATH, path)
    if match is None or (match.group(1) is not None and int(match.group(1)) != os.getpid()):
        return None
    return int(match.group(2))


def _resolve(text: str) -> int | Path:
    """Follow symlinks one at a time until a descriptor path or a path that is not a link."""
    current = os.path.abspath(text)
    for _ in range(MAX_LINKS):
        descriptor = _descriptor(current)
        if descriptor is not None:
            return descriptor
        parent, name = os.path.split(current)
        current = os.path.join(os.path.realpath(parent), name)
        descriptor = _descriptor(current)
        if descriptor is not None:
            return descriptor
        try:
            if not os.path.islink(current):
                return Path(current)
            link = os.readlink(current)
        except OSError as exc:
            raise OutputError(f"{shown(text, limit=200)}: cannot follow the path ({exc.strerror}) — choose another path") from None
        current = os.path.join(os.path.dirname(current), link)
    raise OutputError(f"{shown(text, limit=200)}: more than {MAX_LINKS} symlinks in a row — choose another path")


def _write_descriptor(descriptor: int, data: bytes, label: str) -> None:
    if descriptor == 1:
        sys.stdout.flush()
    elif descriptor == 2:
        sys.stderr.flush()
    view = memoryview(data)
    try:
        while view:
            written = os.write(descriptor, view)
            view = view[written:]
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"{label}: cannot write the report ({exc.strerror}) — choose another path") from None


def _write_atomic(path: Path, data: bytes, label: str) -> None:
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"{label}: the directory {printable(str(directory))} does not exist — create it or choose "
                          "another path")
    try:
        before = os.stat(path)
    except FileNotFoundError:
        before = None
    except OSError as exc:
        raise OutputError(f"{label}: cannot write here ({exc.strerror}) — choose another path") from None
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{label}: cannot write here ({exc.strerror}) — choose another path") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if before is None:
            os.chmod(temporary, 0o666 & ~_umask())
        else:
            os.chmod(temporary, stat.S_IMODE(before.st_mode))
            if os.geteuid() == 0 and (before.st_uid, before.st_gid) != (0, 0):
                os.chown(temporary, before.st_uid, before.st_gid)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise OutputError(f"{label}: cannot write the report ({exc.strerror}); the file is unchanged") from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FileIdentity = tuple[int, int]  # (device, inode)
_inputs: set[FileIdentity] = set()


def forget_inputs() -> None:
    """Start a command: it has read nothing yet."""
    _inputs.clear()


def note_input(descriptor: int) -> None:
    """Remember the regular file open on `descriptor` as one this command reads (pipes and devices are not kept)."""
    try:
        status = os.fstat(descriptor)
    except (OSError, ValueError):
        return
    if stat.S_ISREG(status.st_mode):
        _inputs.add((status.st_dev, status.st_ino))


def identity(path: str) -> FileIdentity | None:
    """The file `path` names, through any links (device and inode); None when there is none (yet)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return status.st_dev, status.st_ino


def same_file(path: str, identities: set[FileIdentity]) -> bool:
    """Whether `path` names an existing file (through links) among `identities`."""
    found = identity(path)
    return found is not None and found in identities


def read_by_this_command(path: str) -> bool:
    """Whether `path` names a file this command has read (see `note_input`)."""
    return same_file(path, _inputs)


def write_through(path: str, text: str) -> None:
    """Write `text` to what `path` names (see the module's docstring); errors are OutputError, one line."""
    label = shown(path, limit=200)
    if not path.strip():
        raise OutputError(f"'{label}': the path is empty — give a file path")
    if path.endswith(os.sep):
        raise OutputError(f"{label}: names a directory — give a file path such as {label}report.txt")
    data = text.encode("utf-8")
    target = _resolve(path)
    if isinstance(target, int):
        _write_descriptor(target, data, label)
        return
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        _write_atomic(target, data, label)
        return
    except OSError as exc:
        raise OutputError(f"{label}: cannot write here ({exc.strerror}) — choose another path") from None
    if stat.S_ISREG(mode):
        _write_atomic(target, data, label)
    elif stat.S_ISDIR(mode):
        raise OutputError(f"{label}: is a directory — give a file path inside it")
    elif stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC)
        except OSError as exc:
            raise OutputError(f"{label}: cannot open it for writing ({exc.strerror}) — choose another path") from None
        try:
            _write_descriptor(descriptor, data, label)
        finally:
            os.close(descriptor)
    else:
        kind = "a block device (a disk)" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file"
        raise OutputError(f"{label}: is {kind}, which aicost does not write reports to — choose a file path")
