"""Bytes to lines, within bounds: gzip and zstd inputs decompressed a bounded chunk at a time (refused past
MAX_DECOMPRESSED_BYTES or MAX_RATIO times their compressed size), lines of at most MAX_LINE_BYTES, and the JSON
decoders (msgspec when installed, the standard library otherwise).
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
from collections.abc import Callable, Iterator
from typing import Any

from aicost.errors import InputError, printable
from aicost.usage.records import UNREADABLE, Skip

# ---------------------------------------------------------------------------------------------- decoding

MAX_LINE_BYTES = 64 * 1024 * 1024  # one line of a log, its newline included
MAX_DECOMPRESSED_BYTES = 1024**3  # what one gzip or zstd input may expand to (1 GiB)
MAX_RATIO = 200  # past RATIO_FLOOR, decompressed bytes per compressed byte read (logs compress 5 to 30 times)
RATIO_FLOOR = 8 * 1024 * 1024


HUGE_INTEGER = 10**4300  # stands for an integer with more digits than Python converts (4,300)


def _integer(text: str) -> int:
    """A JSON integer; one of thousands of digits (which int() refuses) is kept as a number too large for any
    count or timestamp, so it is skipped for the field it is in ("unreadable timestamp", "implausibly large token
    count"), not as a line that is not JSON."""
    try:
        return int(text)
    except ValueError:
        return -HUGE_INTEGER if text.startswith("-") else HUGE_INTEGER


def _stdlib_decoder() -> Callable[[bytes], Any]:
    import json

    def decode(line: bytes) -> Any:
        try:
            return json.loads(line, parse_int=_integer)
        except (ValueError, RecursionError):
            raise Skip(UNREADABLE) from None

    return decode


def json_decoder() -> Callable[[bytes], Any]:
    """msgspec's decoder when it is installed (`aicost-calc[logs]`), else the standard library's; both give plain objects."""
    try:
        import msgspec
    except ImportError:
        return _stdlib_decoder()
    decoder = msgspec.json.Decoder()
    stdlib = _stdlib_decoder()

    def decode(line: bytes) -> Any:
        try:
            return decoder.decode(line)
        except (msgspec.DecodeError, UnicodeDecodeError):
            return stdlib(line)  # the standard library decides what is valid JSON (and allows what it allows)
        except RecursionError:  # nested deeper than any decoder goes: no record of ours
            raise Skip(UNREADABLE) from None

    return decode


def claude_code_decoder() -> Callable[[bytes], Any] | None:
    """msgspec's typed decoder of one Claude Code line — it skips the message content without building it and
    checks the token counts in C, several times faster than decoding everything — or None without msgspec."""
    try:
        from .claude_code_lines import DECODER
    except ImportError:
        return None
    return DECODER.decode


# ---------------------------------------------------------------------------------------------- reading


class _Checked(io.RawIOBase):
    """Decompressed bytes from `chunks`, a generator that raises EOFError when its source ends before it should (a
    cut or corrupt compressed file): a reader never mistakes a broken file for a shorter one. Past
    MAX_DECOMPRESSED_BYTES the input is refused (a compression bomb), whatever its lines hold."""

    def __init__(self, chunks: Iterator[bytes], closing: Callable[[], None], label: str,
                 consumed: Callable[[], int]) -> None:
        self.chunks, self.closing, self.label, self.consumed = chunks, closing, label, consumed
        self.pending = memoryview(b"")
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = next(self.chunks, None)
            if chunk is None:
                return 0
            self.total += len(chunk)
            if self.total > MAX_DECOMPRESSED_BYTES:
                raise InputError(f"{self.label}: decompresses to more than {MAX_DECOMPRESSED_BYTES // 1024**3} GiB, the "
                                 "limit of one compressed log (a compression bomb?) — decompress it yourself and pass "
                                 "the result if it is real")
            if self.total > RATIO_FLOOR and self.total > MAX_RATIO * max(self.consumed(), 1):
                raise InputError(f"{self.label}: expands more than {MAX_RATIO:,} times when decompressed, which no log "
                                 "does (a compression bomb?) — decompress it yourself and pass the result if it is real")
            self.pending = memoryview(chunk)  # sliced without copying: reading a large chunk stays linear
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def close(self) -> None:
        if not self.closed:
            self.pending = memoryview(b"")
            self.closing()
        super().close()


ZSTD_FEED = 2048  # compressed bytes per call: zstd expands a byte to at most about 32 KiB, so 64 MiB at once
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _is_zstd(magic: bytes) -> bool:
    """A zstd frame, or a skippable frame (0x184D2A50 to 0x184D2A5F, little-endian), as pzstd writes first."""
    return magic == ZSTD_MAGIC or (len(magic) == 4 and magic[1:] == b"\x2a\x4d\x18" and magic[0] & 0xF0 == 0x50)


def _zstd_stream(raw: Any, path: str | None, label: str) -> Any:
    """A zstd input's bytes: the zstandard package, else a `zstd` program; a cut or corrupt input is an EOFError."""
    try:
        import zstandard
    except ImportError:
        return _zstd_program(raw, path, label)

    counted = _Counted(raw)

    def chunks() -> Iterator[bytes]:
        decompressor = zstandard.ZstdDecompressor().decompressobj()
        started = False
        try:
            while True:
                data = counted.read(1 << 14)
                if not data:
                    break
                view = memoryview(data)
                for start in range(0, len(view), ZSTD_FEED):
                    feed = view[start:start + ZSTD_FEED]
                    while feed:
                        if started and decompressor.eof:  # another frame (or a skippable one) follows
                            decompressor = zstandard.ZstdDecompressor().decompressobj()
                        started = True
                        output = decompressor.decompress(feed)
                        feed = memoryview(decompressor.unused_data) if decompressor.eof else memoryview(b"")
                        if output:
                            yield output
        except zstandard.ZstdError:
            raise EOFError("corrupt zstd data") from None
        if not decompressor.eof:
            raise EOFError("the zstd frame is cut short")

    return io.BufferedReader(_Checked(chunks(), raw.close, label, counted.count), buffer_size=1 << 20)


class _Counted:
    """A compressed source that counts the bytes read from it (for the expansion ratio)."""

    def __init__(self, raw: Any) -> None:
        self.raw, self.read_bytes = raw, 0

    def read(self, size: int = -1) -> bytes:
        data: bytes = self.raw.read(size)
        self.read_bytes += len(data)
        return data

    def count(self) -> int:
        return self.read_bytes

    def close(self) -> None:
        self.raw.close()


def _zstd_program(raw: Any, path: str | None, label: str) -> Any:
    """zstd through the `zstd` program: a file by its path, standard input fed through a pipe."""
    import shutil
    import subprocess
    import threading

    if shutil.which("zstd") is None:
        raw.close()
        raise InputError(f"{label}: zstd data needs the zstandard package (pip install 'aicost-calc[logs]') or a zstd "
                         "program on the PATH")
    counted = _Counted(raw)
    if path is not None:
        try:
            size = os.fstat(raw.fileno()).st_size
        except (OSError, ValueError):
            size = 0
        raw.close()
        counted.read_bytes = size  # the program reads it at its own pace: the whole file is the fair measure
        process = subprocess.Popen(["zstd", "-dcq", "--", path], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
    else:
        process = subprocess.Popen(["zstd", "-dcq"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.DEVNULL)
        feeding = process.stdin
        assert feeding is not None

        def feed() -> None:
            try:
                while data := counted.read(1 << 20):
                    feeding.write(data)
            except (OSError, ValueError):
                pass  # the reader stopped (a refusal or the end): nothing more to give
            finally:
                with contextlib.suppress(OSError):
                    feeding.close()

        threading.Thread(target=feed, daemon=True).start()
    assert process.stdout is not None
    output = process.stdout

    def chunks() -> Iterator[bytes]:
        while True:
            data = output.read(1 << 20)
            if not data:
                break
            yield data
        if process.wait() != 0:
            raise EOFError("zstd could not decompress it")

    def closing() -> None:
        output.close()
        if process.poll() is None:
            process.kill()
            process.wait()

    return io.BufferedReader(_Checked(chunks(), closing, label, counted.count), buffer_size=1 << 20)


def _gzip_stream(raw: Any, label: str) -> Any:
    import gzip
    import zlib

    counted = _Counted(raw)
    unpacked = gzip.GzipFile(fileobj=counted, mode="rb")  # type: ignore[call-overload]  # it only reads

    def chunks() -> Iterator[bytes]:
        try:
            while data := unpacked.read(1 << 20):  # each read is bounded: a bomb expands a chunk at a time
                yield data
        except (zlib.error, gzip.BadGzipFile):
            raise EOFError("corrupt gzip data") from None

    def closing() -> None:
        unpacked.close()
        raw.close()

    return io.BufferedReader(_Checked(chunks(), closing, label, counted.count), buffer_size=1 << 20)


def unpacked(raw: Any, label: str, path: str | None = None) -> Any:
    """A binary stream's bytes, decompressed when it starts like gzip or zstd (whatever its name), UTF-16 refused.
    Its first bytes are peeked, so a pipe (standard input, `<(command)`) reads whole. `path`: a file's, for the
    zstd program; None for standard input. Closing the result closes `raw`."""
    magic = raw.peek(8)[:8]
    if magic[:2] == b"\x1f\x8b":
        stream = _gzip_stream(raw, label)
    elif _is_zstd(magic[:4]):
        stream = _zstd_stream(raw, path, label)
    else:
        _refuse_unread(magic, label, raw)
        return raw
    try:  # what they decompress to is checked like a file's first bytes
        _refuse_unread(stream.peek(8)[:8], label + " (decompressed)", None)
    except BaseException:
        stream.close()
        raise
    return stream


UNREAD_COMPRESSION = {b"\xfd7zXZ\x00": "xz", b"BZh": "bzip2", b"PK\x03\x04": "zip", b"PK\x05\x06": "zip"}


def text_encoding(magic: bytes) -> str | None:
    """The encoding other than UTF-8 that text starting with these bytes is in, by its byte-order mark or, without
    one, by where the NUL bytes of its first (ASCII) characters fall; None for UTF-8 (or ASCII)."""
    if magic[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff"):
        return "UTF-32"
    if magic[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    if len(magic) >= 4 and any(0x21 <= byte <= 0x7E for byte in magic[:4]):  # a log starts with `{` or a letter
        nul: tuple[bool, ...] = tuple(byte == 0 for byte in magic[:4])
        patterns: dict[tuple[bool, ...], str] = {(False, True, True, True): "UTF-32-LE", (True, True, True, False): "UTF-32-BE",
                (False, True, False, True): "UTF-16-LE", (True, False, True, False): "UTF-16-BE"}
        return patterns.get(nul)
    return None


def _refuse_unread(magic: bytes, label: str, raw: Any) -> None:
    """Refuse (closing `raw`) input compressed in a format aicost does not read, or text not in UTF-8."""
    kind = next((name for prefix, name in UNREAD_COMPRESSION.items() if magic.startswith(prefix)), None)
    encoding = None if kind is not None else text_encoding(magic)
    if kind is None and encoding is None:
        return
    if raw is not None:
        raw.close()
    if kind is not None:
        raise InputError(f"{label}: {kind}-compressed input is not read — decompress it first (gzip and zstd are "
                         "read as they are)")
    raise InputError(f"{label}: {encoding} text — save it as UTF-8")


def open_log(path: str) -> Any:
    """A log file's bytes, decompressed when it starts like gzip or zstd (whatever its name). The file is opened
    once and its first bytes peeked, so a pipe (`<(command)`) reads whole."""
    raw = io.BufferedReader(io.FileIO(path, "rb"), buffer_size=1 << 20)  # the caller closes it
    return unpacked(raw, printable(path), path)


class LineTooLong(Exception):
    """A line over MAX_LINE_BYTES: no log record is that long (an endless line, a binary file)."""


def raw_lines(stream: Any) -> Iterator[bytes]:
    """The stream's lines, each read with a bound: a line over MAX_LINE_BYTES comes back cut at the bound (the
    reader refuses it with LineTooLong), so an endless line never fills memory."""
    return iter(functools.partial(stream.readline, MAX_LINE_BYTES + 1), b"")


def lines_of(stream: Any) -> Iterator[bytes]:
    """The stream's lines; a BOM is dropped, and blank lines are not records."""
    first = True
    for line in raw_lines(stream):
        if len(line) > MAX_LINE_BYTES:
            raise LineTooLong()
        if first:
            first = False
            if line.startswith(b"\xef\xbb\xbf"):
                line = line[3:]
        if line.strip():
            yield line
