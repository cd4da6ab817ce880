"""De-duplication of keyed records in bounded memory: each is packed into 48 bytes and filed into one of 256
buckets by its key's hash; buckets spill to a temporary directory past a size limit, and each is settled alone
(the copy with the largest token total counts).
"""

from __future__ import annotations

import contextlib
import os
import struct
import tempfile
from collections.abc import Iterator

from aicost.errors import InputError, printable
from aicost.usage.records import Tokens

# ---------------------------------------------------------------------------------------------- de-duplication


PACKED = struct.Struct("<QIIIIIIIIII")  # key, day ordinal, model index, terms, the seven counts of Tokens: 48 bytes
BUCKETS = 256
SPILL_BYTES = 64 * 1024 * 1024  # buffered keyed records beyond this go to temporary files


@contextlib.contextmanager
def spill_errors() -> Iterator[None]:
    """A temporary directory that cannot take the spilled buckets (full, missing, read-only) is the environment's
    fault: one line naming it and the fix, not an internal error."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        where = printable(tempfile.gettempdir())
        raise InputError(f"temporary directory {where}: cannot hold the de-duplication buckets ({printable(reason)}) "
                         "— free space there, or set TMPDIR to a directory with room") from None


class Deduplicator:
    """Keyed records (Claude Code lines), filed into buckets by their key's hash, spilled to disk past a limit."""

    def __init__(self, directory: str | None = None, prefix: str = "0") -> None:
        """`directory`: a shared spill directory (a parallel read's), kept by its owner; else a private one on demand."""
        self.buffers = [bytearray() for _ in range(BUCKETS)]
        self.buffered = 0
        self.directory: tempfile.TemporaryDirectory[str] | None = None
        self.shared = directory
        self.prefix = prefix
        self.records = 0

    def add(self, key: int, day: int, model: int, tokens: Tokens, terms: int = 0) -> None:
        packed = PACKED.pack(key, day, model, terms, *tokens)
        self.buffers[key & 255] += packed
        self.buffered += len(packed)
        self.records += 1
        if self.buffered > SPILL_BYTES:
            self._spill()

    def _spill(self) -> None:
        with spill_errors():
            if self.shared is None and self.directory is None:
                self.directory = tempfile.TemporaryDirectory(prefix="aicost-usage-")
            where = self.shared if self.shared is not None else self.directory.name  # type: ignore[union-attr]
            for index, buffer in enumerate(self.buffers):
                if buffer:
                    with open(os.path.join(where, f"{index:03d}.{self.prefix}"), "ab") as spill:
                        spill.write(buffer)
                    buffer.clear()
        self.buffered = 0

    def spill(self) -> None:
        """Everything to the spill directory (a parallel reader hands its buckets on)."""
        self._spill()

    def note(self, added: int) -> None:
        """Records packed straight into the buffers by the hot path: `added` bytes; spill past the limit."""
        self.buffered += added
        self.records += added // PACKED.size
        if self.buffered > SPILL_BYTES:
            self._spill()

    def buckets(self) -> Iterator[bytes]:
        """Each bucket's packed records (its spilled part first), then the private spill directory is removed."""
        try:
            for index, buffer in enumerate(self.buffers):
                data = bytes(buffer)
                buffer.clear()
                if self.directory is not None:
                    path = os.path.join(self.directory.name, f"{index:03d}.{self.prefix}")
                    if os.path.exists(path):
                        with open(path, "rb") as spill:
                            data = spill.read() + data
                yield data
        finally:
            if self.directory is not None:
                self.directory.cleanup()
