"""A stream's `sizes`: bands of requests, each with its own sizes, instead of one mean request.

A long-context tier bills the whole request above its threshold, so a stream whose mean is under the threshold but
whose requests are not is priced right only band by band.  Parsed here; priced in `calc.stream_request_cost`.
"""

from __future__ import annotations

from decimal import Decimal

from .errors import shown
from .fields import Fields, type_name
from .money import quantize
from .stream_terms import ONE_HOUR_WITHOUT_WRITES
from .workload import (
    MAX_SIZE_BANDS,
    ONE,
    SIZE_KEYS,
    TOKEN_LIMIT,
    ZERO,
    SizeBand,
    Stream,
    check_cache,
    share_value,
    with_bands,
)

TOKEN_PLACES = Decimal("0.01")  # a band's split of the stream's cache writes, as a message shows it


_Band = tuple[Decimal, Decimal, Decimal, Decimal | None, Decimal | None, Decimal | None, Decimal | None]


def _size_band(table: Fields) -> _Band:
    """One band as written: share, input, output, and the optional reasoning, cached share, cache writes (for the
    stream's cache_ttl) and 1-hour cache writes."""
    table.check_keys(SIZE_KEYS)
    if not table.has("share"):
        table.decimal("share", required=True)  # raises: is required
    share = share_value(table, "share")
    if share == 0:
        raise table.error("must be above 0 — leave out a band no request is in", "share")
    input_tokens = table.decimal("input_tokens", required=True, maximum=TOKEN_LIMIT)
    output_tokens = table.decimal("output_tokens", required=True, maximum=TOKEN_LIMIT)
    assert input_tokens is not None and output_tokens is not None
    reasoning = table.decimal("reasoning_tokens", maximum=TOKEN_LIMIT)
    cached_share = table.share("cached_input_share")
    cache_write = table.decimal("cache_write_tokens", maximum=TOKEN_LIMIT)
    cache_write_1h = table.decimal("cache_write_1h_tokens", maximum=TOKEN_LIMIT)
    table.done()
    return share, input_tokens, output_tokens, reasoning, cached_share, cache_write, cache_write_1h


def parse_sizes(fields: Fields, stream: Stream) -> tuple[SizeBand, ...]:
    """The stream's `sizes`: 1 to MAX_SIZE_BANDS bands whose shares sum to exactly 1. What a band leaves out it
    takes from the stream: its reasoning tokens and cached share as they are, its cache writes in proportion to its
    input (the stream's cache_write_tokens x its input / the mean input over all bands: the mean over the bands
    when no band gives its own writes), and so its 1-hour cache writes (cache_write_1h_tokens)."""
    raw = fields.raw("sizes")
    if not isinstance(raw, list) or not raw:
        got = "an empty list" if isinstance(raw, list) else type_name(raw)
        raise fields.error(f"must be a list of bands such as [{{share = 0.9, input_tokens = 2000, output_tokens = 300}}, "
                           f"...], got {got}", "sizes")
    if len(raw) > MAX_SIZE_BANDS:
        raise fields.error(f"has {len(raw)} bands — at most {MAX_SIZE_BANDS} are accepted", "sizes")
    tables = fields.tables("sizes")
    written = [_size_band(table) for table in tables]
    total = sum((band[0] for band in written), ZERO)
    if total != ONE:
        raise fields.error(f"the bands' shares sum to {total}, not 1 — make them add up to exactly 1", "sizes")
    mean_input = sum((share * input_tokens for share, input_tokens, *_ in written), ZERO)
    bands = []
    for index, (table, (share, input_tokens, output_tokens, reasoning, cached_share, cache_write, cache_write_1h)) in (
            enumerate(zip(tables, written, strict=True))):
        band = SizeBand(share, input_tokens, output_tokens,
                        stream.reasoning_tokens if reasoning is None else reasoning,
                        stream.cached_input_share if cached_share is None else cached_share,
                        _proportional(stream.cache_write_tokens, input_tokens, mean_input)
                        if cache_write is None else cache_write,
                        _proportional(stream.cache_write_1h_tokens, input_tokens, mean_input)
                        if cache_write_1h is None else cache_write_1h)
        # a split part is named on the stream's key, the value the user wrote; a band's own on the band
        for key, own, stream_writes in (("cache_write_tokens", cache_write, stream.cache_write_tokens),
                                        ("cache_write_1h_tokens", cache_write_1h, stream.cache_write_1h_tokens)):
            if own is None and stream_writes:
                _check_split(fields, f"sizes[{index}]", band, key, stream_writes, mean_input)
        check_cache(table, band.input_tokens, band.cached_input_share, band.cache_write_tokens,
                    band.cache_write_1h_tokens)
        bands.append(band)
    return tuple(bands)


def sized_stream(fields: Fields, stream: Stream) -> Stream:
    """The stream with its `sizes` read; a 1-hour `cache_ttl` needs a band that writes (its own writes or its part
    of the stream's, of either lifetime)."""
    stream = with_bands(stream, parse_sizes(fields, stream))
    if stream.cache_ttl != "5m" and not any(band.cache_write_tokens or band.cache_write_1h_tokens
                                             for band in stream.sizes):
        raise fields.error(ONE_HOUR_WITHOUT_WRITES, "cache_ttl")
    return stream


def _proportional(stream_writes: Decimal, input_tokens: Decimal, mean_input: Decimal) -> Decimal:
    """A band's share of the stream's cache writes of one lifetime, in proportion to its input; with no input in any
    band, the stream's writes as they are (which the check refuses unless 0)."""
    return stream_writes * input_tokens / mean_input if mean_input else stream_writes


def _check_split(fields: Fields, label: str, band: SizeBand, key: str, stream_writes: Decimal,
                 mean_input: Decimal) -> None:
    """A band's part of the stream's `key` (cache_write_tokens or cache_write_1h_tokens) must fit its input, with
    its cached reads and its other writes: named on the stream's `key`, the value the user wrote."""
    cached = band.input_tokens * band.cached_input_share
    if cached + band.cache_write_tokens + band.cache_write_1h_tokens <= band.input_tokens:
        return
    if not mean_input:
        raise fields.error(f"{shown(stream_writes)} cannot be split over bands with no input (a band's input includes "
                           f"its cache reads and writes) — give the bands some input, or leave out {key}", key)
    writes = shown(quantize(band.cache_write_tokens if key == "cache_write_tokens" else band.cache_write_1h_tokens,
                            TOKEN_PLACES).normalize())
    other = band.cache_write_1h_tokens if key == "cache_write_tokens" else band.cache_write_tokens
    others = f" and other cache writes ({shown(quantize(other, TOKEN_PLACES).normalize())})" if other else ""
    lifetime = "" if key == "cache_write_tokens" else "1-hour "
    raise fields.error(
        f"{shown(stream_writes)} is split over the bands in proportion to their input, which gives {label} {writes} "
        f"{lifetime}cache writes; with its cached input ({shown(band.input_tokens)} x "
        f"{shown(band.cached_input_share)}){others} "
        f"that exceeds its input ({shown(band.input_tokens)}) — a band's input includes its cache reads and writes: "
        f"lower {key}, or give {label} its own {key}", key)
