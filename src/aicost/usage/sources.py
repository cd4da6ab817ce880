"""Which files a reading opens: paths, directories and globs to regular log files (gzip and zstd included),
Claude Code's and the other coding agents' directories; what cannot be read is reported, never opened or dropped
silently.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from aicost.errors import InputError, printable

# ---------------------------------------------------------------------------------------------- sources


LOG_SUFFIXES = (".jsonl", ".ndjson", ".json", ".log", ".csv")
COMPRESSED_SUFFIXES = ("", ".gz", ".zst")
WHOLE_DOCUMENT_LIMIT = 64 * 1024 * 1024  # a (pretty-printed) JSON document, not JSON lines, is read whole
CLAUDE_CONFIG_VARIABLE = "CLAUDE_CONFIG_DIR"


def claude_code_directories(environ: dict[str, str] | os._Environ[str], home: str) -> list[str]:
    """Where Claude Code keeps its logs: $CLAUDE_CONFIG_DIR (comma-separated), else ~/.config/claude and ~/.claude;
    the `projects` directory inside each that exists."""
    configured = environ.get(CLAUDE_CONFIG_VARIABLE, "")
    roots = [part.strip() for part in configured.split(",") if part.strip()] if configured.strip() else [
        os.path.join(home, ".config", "claude"), os.path.join(home, ".claude")]
    return [os.path.join(root, "projects") for root in roots if os.path.isdir(os.path.join(root, "projects"))]


CODEX_HOME_VARIABLE = "CODEX_HOME"
GEMINI_HOME_VARIABLE = "GEMINI_CLI_HOME"
QWEN_HOME_VARIABLES = ("QWEN_RUNTIME_DIR", "QWEN_HOME")


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _chat_directories(projects: str) -> list[str]:
    """The `chats` directory of each project directory under `projects` (Gemini CLI's `tmp`, Qwen Code's `projects`)."""
    try:
        names = sorted(os.listdir(projects))
    except OSError:
        return []
    return [os.path.join(projects, name, "chats") for name in names if os.path.isdir(os.path.join(projects, name, "chats"))]


def agent_directories(environ: dict[str, str] | os._Environ[str], home: str) -> dict[str, list[str]]:
    """Where each coding agent keeps its logs, the directories that exist, by log format:
    - claude-code: see `claude_code_directories`;
    - codex: `sessions` and `archived_sessions` of $CODEX_HOME (comma-separated), else of ~/.codex;
    - gemini-cli: each project's `chats` under `.gemini/tmp` of $GEMINI_CLI_HOME (Gemini CLI's own stand-in for
      the home directory), else of ~;
    - qwen-code: each project's `chats` under `projects` of $QWEN_RUNTIME_DIR, else of $QWEN_HOME, else of ~/.qwen."""
    codex_homes = _listed(environ.get(CODEX_HOME_VARIABLE, "")) or [os.path.join(home, ".codex")]
    codex = [os.path.join(root, name) for root in codex_homes for name in ("sessions", "archived_sessions")
             if os.path.isdir(os.path.join(root, name))]
    gemini_home = environ.get(GEMINI_HOME_VARIABLE, "").strip() or home
    gemini = _chat_directories(os.path.join(gemini_home, ".gemini", "tmp"))
    qwen_root = next((environ[name].strip() for name in QWEN_HOME_VARIABLES if environ.get(name, "").strip()),
                     os.path.join(home, ".qwen"))
    qwen = _chat_directories(os.path.join(qwen_root, "projects"))
    found = {"claude-code": claude_code_directories(environ, home), "codex": codex, "gemini-cli": gemini,
             "qwen-code": qwen}
    return {name: paths for name, paths in found.items() if paths}


def _is_log_name(name: str) -> bool:
    return any(name.endswith(suffix + packed) for suffix in LOG_SUFFIXES for packed in COMPRESSED_SUFFIXES)


def discover(paths: Iterable[str], skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """Files to read: each path as given ("-" is standard input), a directory's log files (recursively, by name:
    .jsonl, .ndjson, .json, .log, .csv, each maybe .gz or .zst), or a glob's matches, in a stable order. What a
    directory or a glob holds that cannot be read as a file — a FIFO, a socket, a device, an unreadable file or
    subdirectory, a dangling link — is not opened: it goes to `skipped` as (path, reason). A path named as such is
    read whatever it is (a pipe: `<(command)`)."""
    skipped = [] if skipped is None else skipped
    found: list[str] = []
    for path in paths:
        if path == "-":
            found.append(path)
        elif os.path.isdir(path):
            found.extend(_walk(path, skipped))
        elif os.path.exists(path) or os.path.islink(path):
            found.append(path)
        elif _has_magic(path):
            matches = _glob(path, skipped)
            if not matches:
                _refuse_unreadable_base(path)
                raise InputError(f"{printable(path)}: no file matches this pattern — check the path")
            for match in matches:
                if os.path.isdir(match):
                    found.extend(_walk(match, skipped, named=False))
                elif (reason := _unusable(match)) is not None:
                    skipped.append((match, reason))
                else:
                    found.append(match)
        else:
            try:
                os.stat(path)
            except PermissionError:  # a directory on the way cannot be searched: not "no such file"
                raise InputError(f"{printable(path)}: cannot reach it (Permission denied) — check the permissions of "
                                 "the directories on its path") from None
            except (OSError, ValueError):
                pass
            raise InputError(f"{printable(path)}: no such file or directory — give log files, directories or a glob")
    return _unique_files(found)


def _has_magic(path: str) -> bool:
    import glob

    return glob.has_magic(path)


def _unusable(path: str) -> str | None:
    """Why a file found in a directory or by a glob cannot be read as a log, or None when it can."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot read it ({exc.strerror or type(exc).__name__})"
    if not stat.S_ISREG(mode):
        kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else
                "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a file")
        return f"{kind}, not a regular file"
    if not os.access(path, os.R_OK):
        return "cannot read it (Permission denied)"
    return None


def _walk(top: str, skipped: list[tuple[str, str]], named: bool = True) -> list[str]:
    """A directory's log files, sorted; its links to directories are not followed (os.walk's default). A directory
    that cannot be read is an error when it was `named` on the command line, else (a glob's match) skipped."""
    inside: list[str] = []

    def failed(exc: OSError) -> None:
        where = exc.filename if isinstance(exc.filename, str) else top
        reason = exc.strerror or type(exc).__name__
        if where == top and named:
            raise InputError(f"{printable(top)}: cannot read this directory ({printable(reason)}) — check its "
                             "permissions") from None
        skipped.append((where, f"cannot read this directory ({reason})"))

    for root, directories, names in os.walk(top, onerror=failed):
        directories.sort()
        for name in sorted(names):
            if _is_log_name(name):
                path = os.path.join(root, name)
                reason = _unusable(path)
                if reason is None:
                    inside.append(path)
                else:
                    skipped.append((path, reason))
    return sorted(inside)


def _base(pattern: str) -> str:
    """The directory a glob starts from: its parts before the first with a wildcard."""
    import glob

    parts = pattern.split(os.sep)
    first = next(index for index, part in enumerate(parts) if glob.has_magic(part))
    return os.sep.join(parts[:first]) or (os.sep if pattern.startswith(os.sep) else "")


def _refuse_unreadable_base(pattern: str) -> None:
    """A glob that matches nothing because the directory it starts from cannot be read says so."""
    base = _base(pattern) or os.curdir
    try:
        with os.scandir(base):
            pass
    except PermissionError as exc:
        raise InputError(f"{printable(pattern)}: cannot read the directory {printable(base)} "
                         f"({exc.strerror or 'Permission denied'}) — check its permissions") from None
    except OSError:
        pass


def _glob(pattern: str, skipped: list[tuple[str, str]] | None = None) -> list[str]:
    """A glob's matches, sorted. `**` (any number of directories) is walked here, not by the glob module, which
    follows a directory link every time it meets one (two links in a loop never finish): links are followed, but
    no directory is entered twice. As in the glob module, `*` and `**` do not match names starting with a dot."""
    import fnmatch
    import glob

    parts = pattern.split(os.sep)
    if "**" not in parts:
        return sorted(glob.glob(pattern))
    first = next(index for index, part in enumerate(parts) if glob.has_magic(part))
    base = _base(pattern)
    wanted: list[str] = []
    for part in parts[first:]:
        if not (part == "**" and wanted[-1:] == ["**"]):  # `**/**` is `**`
            wanted.append(part)
    directories_only = wanted[-1] == ""
    if directories_only:
        wanted.pop()

    def matches(patterns: list[str], names: list[str]) -> bool:
        if not patterns:
            return not names
        head = patterns[0]
        if head == "**":
            for taken in range(len(names) + 1):
                if taken and names[taken - 1].startswith("."):
                    return False
                if matches(patterns[1:], names[taken:]):
                    return True
            return False
        if not names or (names[0].startswith(".") and not head.startswith(".")):
            return False
        return fnmatch.fnmatchcase(names[0], head) and matches(patterns[1:], names[1:])

    start = base or os.curdir
    found: list[str] = []
    try:
        status = os.stat(start)
    except OSError:
        return []
    seen = {(status.st_dev, status.st_ino)}

    def failed(exc: OSError) -> None:  # a directory under the walk that cannot be read is listed, not dropped
        where = exc.filename if isinstance(exc.filename, str) else start
        if where != start and skipped is not None:
            skipped.append((where, f"cannot read this directory ({exc.strerror or type(exc).__name__})"))

    for root, directories, names in os.walk(start, followlinks=True, onerror=failed):
        kept = []
        for name in sorted(directories):
            try:
                status = os.stat(os.path.join(root, name))
            except OSError:
                continue
            if (status.st_dev, status.st_ino) not in seen:  # a link to a directory met before: not again
                seen.add((status.st_dev, status.st_ino))
                kept.append(name)
        directories[:] = kept
        relative = os.path.relpath(root, start)
        prefix = [] if relative == os.curdir else relative.split(os.sep)
        for name in [*kept, *([] if directories_only else names)]:
            if matches(wanted, [*prefix, name]):
                found.append(os.path.join(base, *prefix, name) if base else os.path.join(*prefix, name))
    return sorted(found)


def _unique_files(paths: list[str]) -> list[str]:
    """Each file once, however it was named (`a.jsonl ./a.jsonl`, a symlink, a glob through a link loop)."""
    seen: set[tuple[int, int]] = set()
    unique = []
    for path in paths:
        if path != "-":
            try:
                status = os.stat(path)
            except OSError:
                unique.append(path)  # reading it will say what is wrong
                continue
            identity = (status.st_dev, status.st_ino)
            if identity in seen:
                continue
            seen.add(identity)
        unique.append(path)
    return unique
