"""Workload files: what a team sends to LLM APIs in a month, stream by stream.

A workload is TOML (or JSON with the same keys; `-` reads standard input), format version 1, described in
the README.  Loading validates every key and resolves every model name against the catalog, so the rest
of the program only ever sees canonical model ids and checked numbers.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from .catalog import BASE_CURRENCY, CURRENCIES, Catalog
from .documents import read_document
from .errors import LIST_MODELS, UnknownModelError, did_you_mean, shown
from .fields import Fields, type_name
from .stream_terms import TERM_KEYS, stream_terms

if TYPE_CHECKING:
    from .seats import UserGroup

FORMAT_VERSION = 1
HOURS_PER_MONTH = Decimal(730)  # 365 x 24 / 12, the cloud-billing month
HOURS_PER_DAY = Decimal(24)
VOLUME_KEYS = ("requests_per_month", "requests_per_day", "requests_per_hour")
STREAM_KEYS = (
    "name",
    "model",
    *VOLUME_KEYS,
    "input_tokens",
    "output_tokens",
    "cached_input_share",
    "cache_write_tokens",
    "cache_write_1h_tokens",
    "reasoning_tokens",
    "batch_share",
    *TERM_KEYS,
    "growth",
    "routing",
    "sizes",
)


class RoutingMode(StrEnum):
    """router: each request goes to one model; cascade: the small model first, the escalated share also to the
    frontier model."""

    router = "router"
    cascade = "cascade"


ROUTING_MODES = tuple(mode.value for mode in RoutingMode)
# The rest of the format's shape, for the JSON Schema (`schema.py`); tests check the parser agrees with them.
SCHEMA_KEY = "$schema"  # lets editors find the JSON Schema; ignored by aicost
TOP_LEVEL_KEYS = (SCHEMA_KEY, "version", "name", "currency", "defaults", "streams", "budget", "routing", "quality", "profiles",
                  "adjustments", "seat_holders")
ADJUSTMENT_KEYS = ("discount", "platform_fee")
BUDGET_KEYS = ("monthly",)
ROUTING_KEYS = ("small", "frontier", "small_share", "mode", "escalation")
ROUTING_MODEL_KEYS = ("small", "frontier")  # catalog ids or aliases
ROUTING_SHARE_KEYS = ("small_share", "escalation")  # 0..1
REQUIRED_STREAM_KEYS = ("model", "input_tokens", "output_tokens")  # in the stream or in [defaults]; sizes replace the
MEAN_KEYS = ("input_tokens", "output_tokens")  # means a stream gives unless it gives sizes (bands), never both
SIZE_KEYS = ("share", "input_tokens", "output_tokens", "reasoning_tokens", "cached_input_share", "cache_write_tokens",
             "cache_write_1h_tokens")
MAX_SIZE_BANDS = 16  # bands per stream
TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_write_tokens", "cache_write_1h_tokens",
              "reasoning_tokens")  # means per request, >= 0
SHARE_KEYS = ("cached_input_share", "batch_share", "off_peak_share")  # numbers 0..1
MAX_TOKENS = 100_000_000  # per request and kind: ten times the largest context window on sale
TOKEN_LIMIT = Decimal(MAX_TOKENS)
MIN_GROWTH, MAX_GROWTH = Decimal(-1), Decimal(100)  # a month's volume growth: above -100 %, at most +10,000 %
MAX_REQUESTS = Decimal(10**12)  # per month, day or hour, as written
ONE = Decimal(1)
ZERO = Decimal(0)

EXAMPLE_WORKLOAD: dict[str, Any] = {
    "version": 1,
    "name": "support-bot",
    "currency": "USD",
    "defaults": {"model": "gpt-4o"},
    "streams": [
        {
            "name": "chat",
            "model": "claude-sonnet-4-6",
            "requests_per_day": 20000,
            "input_tokens": 1800,
            "output_tokens": 350,
        },
        {
            "name": "ticket-triage",
            "requests_per_hour": 400,
            "input_tokens": 900,
            "output_tokens": 60,
        },
    ],
    "budget": {"monthly": 5000},
    "routing": {"small": "deepseek-v2", "frontier": "gpt-4o", "small_share": Decimal("0.9")},
}
"""The built-in example: priced by `cost`/`compare` when no workload is given, written by `aicost init`."""


class RoutingDefaults(NamedTuple):
    small: str | None = None
    frontier: str | None = None
    small_share: Decimal | None = None
    mode: str | None = None
    escalation: Decimal | None = None


class SizeBand(NamedTuple):
    """A share of a stream's requests with their own sizes (`sizes = [...]`): each band is priced at its own tier.

    A band's reasoning tokens and cached share default to the stream's; its cache writes to the stream's in
    proportion to its input (a band twice the mean input writes twice the stream's figure), so the means are kept
    while no band gives its own."""

    share: Decimal  # of the stream's requests; the bands' shares sum to 1
    input_tokens: Decimal
    output_tokens: Decimal
    reasoning_tokens: Decimal = ZERO
    cached_input_share: Decimal = ZERO
    cache_write_tokens: Decimal = ZERO
    cache_write_1h_tokens: Decimal = ZERO


class Stream(NamedTuple):
    name: str
    model: str
    monthly_requests: Decimal
    input_tokens: Decimal  # means per request: a log's averages need not be whole numbers
    output_tokens: Decimal
    cached_input_share: Decimal = ZERO
    cache_write_tokens: Decimal = ZERO
    reasoning_tokens: Decimal = ZERO
    batch_share: Decimal = ZERO
    routing: RoutingDefaults | None = None
    growth: Decimal | None = None  # monthly volume growth for `aicost forecast` (compounding); None: the option's
    service_tier: str | None = None  # "flex" | "priority"; None: the standard tier (exclusive with batch_share > 0)
    speed: str | None = None  # "fast" where a model offers it; None: standard speed
    cache_ttl: str = "5m"  # "5m" | "1h": the lifetime cache_write_tokens are bought for
    off_peak_share: Decimal = ZERO  # share of requests sent in the vendor's discounted time window
    host: str | None = None  # who sells the model ("bedrock", "vertex", "azure", "openrouter"); None: the vendor's API
    region: str | None = None  # a region with an uplift ("us", "eu", ...); None: global processing
    web_search_calls: Decimal = ZERO  # mean web searches per request, at the per-call fee
    sizes: tuple[SizeBand, ...] = ()  # bands instead of one mean size; input/output_tokens then hold the weighted means
    cache_write_1h_tokens: Decimal = ZERO  # of the input tokens, how many are written for an hour (whatever cache_ttl)

    def bands(self) -> tuple[tuple[Decimal, str, Stream], ...]:
        """(share, label, the band as a stream of its own sizes) for each band; a stream without sizes is one band
        of share 1 and no label, itself. A band's label names it in messages: `sizes[0]`."""
        if not self.sizes:
            return ((ONE, "", self),)
        return tuple((band.share, f"sizes[{index}]", self._replace(
            input_tokens=band.input_tokens, output_tokens=band.output_tokens, reasoning_tokens=band.reasoning_tokens,
            cached_input_share=band.cached_input_share, cache_write_tokens=band.cache_write_tokens,
            cache_write_1h_tokens=band.cache_write_1h_tokens, sizes=()))
            for index, band in enumerate(self.sizes))


def with_bands(stream: Stream, bands: tuple[SizeBand, ...]) -> Stream:
    """The stream with these bands, its means the bands' share-weighted means (what code reading only the means
    sees): input, output, reasoning and cache writes per request, and the cached share of all input tokens."""
    def mean(values: list[Decimal]) -> Decimal:
        return sum((band.share * value for band, value in zip(bands, values, strict=True)), ZERO)

    input_tokens = mean([band.input_tokens for band in bands])
    cached = mean([band.input_tokens * band.cached_input_share for band in bands])
    return stream._replace(
        input_tokens=input_tokens,
        output_tokens=mean([band.output_tokens for band in bands]),
        reasoning_tokens=mean([band.reasoning_tokens for band in bands]),
        cache_write_tokens=mean([band.cache_write_tokens for band in bands]),
        cache_write_1h_tokens=mean([band.cache_write_1h_tokens for band in bands]),
        cached_input_share=cached / input_tokens if input_tokens else ZERO,
        sizes=bands,
    )


class Adjustments(NamedTuple):
    """Negotiated discounts (by vendor id or model id, a model's own winning) and a platform fee on everything.

    A stream's list cost L becomes L x (1 - discount) x (1 + platform_fee): the fee (a gateway's credit fee,
    say) is charged on what is paid after the discount."""

    discounts: tuple[tuple[str, Decimal], ...] = ()  # (vendor id or model id, share)
    platform_fee: Decimal = ZERO

    @property
    def active(self) -> bool:
        return bool(self.discounts) or self.platform_fee != 0

    def discount_for(self, model_id: str, vendor_id: str) -> Decimal:
        shares = dict(self.discounts)
        return shares.get(model_id, shares.get(vendor_id, ZERO))

    def merged(self, override: Adjustments, fee_given: bool) -> Adjustments:
        """These adjustments with `override`'s laid over them: an override's discount for a vendor or model replaces
        the one for that same vendor or model (the others stay), and its platform fee, when `fee_given`, replaces
        this one's. A model's own discount still wins over its vendor's, whichever side gave either."""
        shares = dict(self.discounts)
        shares.update(override.discounts)
        fee = override.platform_fee if fee_given else self.platform_fee
        return Adjustments(tuple(shares.items()), fee)

    def describe(self) -> str:
        parts = [f"{key} -{(share * 100).normalize():f} %" for key, share in self.discounts]
        if self.platform_fee:
            parts.append(f"platform fee +{(self.platform_fee * 100).normalize():f} %")
        return "adjustments: " + ", ".join(parts)


PROFILE_KEYS = ("output_tokens", "reasoning_tokens")


class Profile(NamedTuple):
    """How one model answers this workload's requests, where it differs from the streams' own figures."""

    output_tokens: Decimal | None = None
    reasoning_tokens: Decimal | None = None

    def applied(self, stream: Stream) -> Stream:
        """The stream answered by this model: its output and reasoning tokens, where given, in every band."""
        if stream.sizes:
            return with_bands(stream, tuple(band._replace(
                output_tokens=band.output_tokens if self.output_tokens is None else self.output_tokens,
                reasoning_tokens=band.reasoning_tokens if self.reasoning_tokens is None else self.reasoning_tokens,
            ) for band in stream.sizes))
        return stream._replace(
            output_tokens=stream.output_tokens if self.output_tokens is None else self.output_tokens,
            reasoning_tokens=stream.reasoning_tokens if self.reasoning_tokens is None else self.reasoning_tokens,
        )


class Workload(NamedTuple):
    name: str
    streams: tuple[Stream, ...]
    currency: str = "USD"
    budget_monthly: Decimal | None = None
    routing: RoutingDefaults = RoutingDefaults()
    quality: dict[str, Decimal] = {}  # noqa: RUF012 — never mutated; parse_workload gives each workload its own
    source: str = "<built-in example>"
    adjustments: Adjustments = Adjustments()
    profiles: dict[str, Profile] = {}  # noqa: RUF012 — model id -> its own output and reasoning tokens; never mutated
    seat_holders: tuple[UserGroup, ...] = ()  # [[seat_holders]], for `breakeven subscription` (seats.py)

    def stream_on(self, stream: Stream, model_id: str) -> Stream:
        """The stream as `model_id` would answer it: its profile's token counts where the workload gives one."""
        profile = self.profiles.get(model_id)
        return stream if profile is None else profile.applied(stream)

    def in_currency(self, currency: str, factor: Decimal) -> Workload:
        """The workload reported in another currency: its budget converted by `factor` (one unit's worth there)."""
        budget = None if self.budget_monthly is None else self.budget_monthly * factor
        return self._replace(currency=currency, budget_monthly=budget)

    def with_model(self, model_id: str) -> Workload:
        """The same traffic, every stream on one model (what `compare` prices)."""
        return self._replace(streams=tuple(stream._replace(model=model_id) for stream in self.streams))


def monthly_requests(per_month: Decimal | None, per_day: Decimal | None, per_hour: Decimal | None) -> Decimal:
    """Requests in a 730-hour month from whichever volume was given."""
    if per_month is not None:
        return per_month
    if per_day is not None:
        return per_day * HOURS_PER_MONTH / HOURS_PER_DAY
    assert per_hour is not None
    return per_hour * HOURS_PER_MONTH


def _model_name(fields: Fields, key: str, catalog: Catalog, required: bool = False) -> str | None:
    name = fields.string(key, required=required)
    if name is None:
        return None
    try:
        return catalog.resolve(name).id
    except UnknownModelError as exc:
        raise fields.error(exc.message, key) from None


def share_value(fields: Fields, key: str) -> Decimal:
    """A share written as a number 0..1 or a percentage string ("15%"), as on the command line."""
    share = fields.share(key)
    assert share is not None
    return share


def _once(table: Fields, seen: dict[str, str], model_id: str, key: str) -> None:
    """Refuse a second key for one model: ids are matched case-insensitively and aliases name their model, so
    `O3` and `o3` (or an alias and its id) are one key written twice — not a choice of the last one."""
    first = seen.setdefault(model_id, key)
    if first != key:
        raise table.error(f"'{shown(first)}' and '{shown(key)}' both name {model_id} (ids are matched whatever their "
                          "case, aliases name their model) — keep one", key)


def _adjustments(fields: Fields, catalog: Catalog) -> Adjustments:
    fields.check_keys(ADJUSTMENT_KEYS)
    discounts: list[tuple[str, Decimal]] = []
    table = fields.sub("discount")
    if table is not None:
        seen: dict[str, str] = {}
        for key in list(table.table):
            name = discount_target(key, catalog)
            if name is None:
                error = table.error(unknown_discount_target(key, catalog), key)
                error.fix = LIST_MODELS
                raise error
            _once(table, seen, name, key)
            discounts.append((name, share_value(table, key)))
    fee = share_value(fields, "platform_fee") if fields.has("platform_fee") else ZERO
    fields.done()
    return Adjustments(tuple(discounts), fee)


def discount_target(name: str, catalog: Catalog) -> str | None:
    """The vendor id or canonical model id a discount names (a vendor first, then a model id or alias); None if
    neither."""
    vendors = {vendor.id for vendor in catalog.vendors}
    if name in vendors:
        return name
    try:
        return catalog.resolve(name).id
    except UnknownModelError:
        return None


def unknown_discount_target(name: str, catalog: Catalog) -> str:
    """Why `name` cannot take a discount, with the nearest vendor or model and the vendors that exist."""
    vendors = [vendor.id for vendor in catalog.vendors]
    hint = did_you_mean(name, [*vendors, *(m.id for m in catalog.models)])
    return f"'{shown(name)}' is neither a vendor nor a model of the catalog{hint} (vendors: {', '.join(vendors)})"


def adjustment_flags(discounts: list[str], platform_fee: str | None, catalog: Catalog) -> Adjustments:
    """`--discount VENDOR|MODEL=SHARE` (each) and `--platform-fee SHARE` as adjustments, checked as a file's are;
    a later --discount for the same vendor or model replaces an earlier one."""
    from .errors import ParameterError
    from .quantities import parse_fraction

    shares: dict[str, Decimal] = {}
    for text in discounts:
        name, equals, share = text.partition("=")
        if not equals or not name.strip() or not share.strip():
            raise ParameterError("discount", text, "write VENDOR=SHARE or MODEL=SHARE, e.g. openai=15% or gpt-4o=0.2")
        target = discount_target(name.strip(), catalog)
        if target is None:
            raise ParameterError("discount", text, unknown_discount_target(name.strip(), catalog), fix=LIST_MODELS)
        try:
            shares[target] = parse_fraction(share, "discount")
        except ParameterError as exc:
            raise ParameterError("discount", text, exc.problem) from None
    fee = ZERO if platform_fee is None else parse_fraction(platform_fee, "platform_fee")
    return Adjustments(tuple(shares.items()), fee)


def _routing(fields: Fields, catalog: Catalog) -> RoutingDefaults:
    fields.check_keys(ROUTING_KEYS)
    mode = fields.string("mode")
    if mode is not None and mode not in ROUTING_MODES:
        raise fields.error(f"'{shown(mode)}' is not a routing mode — use router or cascade", "mode")
    routing = RoutingDefaults(
        small=_model_name(fields, "small", catalog),
        frontier=_model_name(fields, "frontier", catalog),
        small_share=fields.decimal("small_share", maximum=ONE),
        mode=mode,
        escalation=fields.decimal("escalation", maximum=ONE),
    )
    fields.done()
    return routing


def check_cache(fields: Fields, input_tokens: Decimal, cached_share: Decimal, cache_write: Decimal,
                cache_write_1h: Decimal = ZERO) -> None:
    """Cache reads and both kinds of cache writes are parts of the input: together they must fit it."""
    if input_tokens * cached_share + cache_write + cache_write_1h > input_tokens:
        hour = f" plus cache_write_1h_tokens ({shown(cache_write_1h)})" if cache_write_1h else ""
        raise fields.error(
            f"cached input ({shown(input_tokens)} x {shown(cached_share)}) plus cache_write_tokens ({shown(cache_write)})"
            f"{hour} exceeds input_tokens ({shown(input_tokens)}) — input_tokens includes cache reads and writes",
            "cache_write_1h_tokens" if cache_write_1h and fields.has("cache_write_1h_tokens") else "cache_write_tokens",
        )


def _stream(fields: Fields, index: int, catalog: Catalog) -> Stream:
    fields.check_keys(STREAM_KEYS)
    volumes = [key for key in VOLUME_KEYS if fields.has(key)]
    if len(volumes) > 1:
        raise fields.error(f"gives both {volumes[0]} and {volumes[1]} — keep exactly one")
    if not volumes:
        raise fields.error("has no volume — add one of requests_per_month, requests_per_day, requests_per_hour")
    sized = fields.has("sizes")
    for key in MEAN_KEYS:
        if sized and fields.has(key):
            raise fields.error(f"gives both sizes and {key} — give the means or the bands (sizes), not both", key)
    per_month = fields.decimal("requests_per_month", maximum=MAX_REQUESTS)
    per_day = fields.decimal("requests_per_day", maximum=MAX_REQUESTS)
    per_hour = fields.decimal("requests_per_hour", maximum=MAX_REQUESTS)
    model = _model_name(fields, "model", catalog, required=True)
    input_tokens = fields.decimal("input_tokens", required=not sized, maximum=TOKEN_LIMIT) or ZERO
    output_tokens = fields.decimal("output_tokens", required=not sized, maximum=TOKEN_LIMIT) or ZERO
    cached_share = fields.share("cached_input_share") or ZERO
    cache_write = fields.decimal("cache_write_tokens", maximum=TOKEN_LIMIT) or ZERO
    cache_write_1h = fields.decimal("cache_write_1h_tokens", maximum=TOKEN_LIMIT) or ZERO
    reasoning = fields.decimal("reasoning_tokens", maximum=TOKEN_LIMIT) or ZERO
    batch_share = fields.share("batch_share") or ZERO
    growth = fields.decimal("growth", minimum=MIN_GROWTH, maximum=MAX_GROWTH)
    if growth is not None and growth <= MIN_GROWTH:
        raise fields.error(f"must be above -1 (a fall of 100 % leaves nothing to grow), got {shown(growth)}",
                           "growth")
    assert model is not None
    if not sized:
        check_cache(fields, input_tokens, cached_share, cache_write, cache_write_1h)
    # with bands, whether any request writes to the cache is known once the bands are read (below)
    terms = stream_terms(fields, catalog.resolve(model).vendor, batch_share,
                         None if sized else cache_write + cache_write_1h, TOKEN_LIMIT)
    routing_fields = fields.sub("routing")
    routing = _routing(routing_fields, catalog) if routing_fields else None
    name = fields.string("name") or f"stream-{index + 1}"
    stream = Stream(
        name=name,
        model=model,
        monthly_requests=monthly_requests(per_month, per_day, per_hour),
        input_tokens=input_tokens,
        output_tokens=output_tokens,
        cached_input_share=cached_share,
        cache_write_tokens=cache_write,
        cache_write_1h_tokens=cache_write_1h,
        reasoning_tokens=reasoning,
        batch_share=batch_share,
        growth=growth,
        routing=routing,
        **terms,
    )
    if sized:
        from .sizes import sized_stream  # here: it reads this module's types

        stream = sized_stream(fields, stream)
    fields.done()
    return stream


def _check_version(top: Fields) -> None:
    version = top.raw("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        got = "a string" if isinstance(version, str) else type_name(version)
        raise top.error(f"must be the whole number {FORMAT_VERSION}, got {got} — write version = {FORMAT_VERSION}", "version")
    if version is not None and version != FORMAT_VERSION:
        raise top.error(f"format version {shown(version)} is not supported — this aicost reads version {FORMAT_VERSION}",
                        "version")


def _currency(top: Fields, catalog: Catalog) -> str:
    currency = top.string("currency") or "USD"
    if currency not in CURRENCIES:
        raise top.error(f"currency '{shown(currency)}' is not supported — use one of {', '.join(CURRENCIES)}", "currency")
    if currency != BASE_CURRENCY and not any(rate.currency == currency for rate in catalog.exchange_rates):
        raise top.error(f"catalog {catalog.version} has no exchange rate for {currency} — use a catalog that has one, "
                        "or USD", "currency")
    return currency


def _defaults(top: Fields) -> dict[str, Any]:
    """The [defaults] table: stream keys every stream takes unless it gives its own."""
    defaults_fields = top.sub("defaults")
    if defaults_fields is None:
        return {}
    for key in defaults_fields.table:
        if key not in STREAM_KEYS or key == "name":
            hint = did_you_mean(key, STREAM_KEYS) or " — defaults take stream keys such as model"
            raise defaults_fields.error(f"unknown key '{shown(key)}'{hint}", key)
    for key in MEAN_KEYS:
        if "sizes" in defaults_fields.table and key in defaults_fields.table:
            raise defaults_fields.error(f"gives both sizes and {key} — give the means or the bands (sizes), not both", key)
    defaults = dict(defaults_fields.table)
    defaults_fields.seen.update(defaults)
    return defaults


def _streams(top: Fields, defaults: dict[str, Any], catalog: Catalog) -> list[Stream]:
    """The [[streams]], each over the defaults (a stream that gives its own volume takes none of theirs)."""
    streams: list[Stream] = []
    raw_streams = top.raw("streams")
    if raw_streams is None or raw_streams == []:
        raise top.error("has no streams — add at least one [[streams]] table", "streams")
    for index, stream_fields in enumerate(top.tables("streams")):
        own = stream_fields.table
        inherited = defaults
        if any(key in own for key in VOLUME_KEYS):
            inherited = {k: v for k, v in inherited.items() if k not in VOLUME_KEYS}
        if "sizes" in own:  # a stream's own bands replace the default means, its own means the default bands
            inherited = {k: v for k, v in inherited.items() if k not in MEAN_KEYS}
        elif any(key in own for key in MEAN_KEYS):
            inherited = {k: v for k, v in inherited.items() if k != "sizes"}
        stream_fields.table = {**inherited, **stream_fields.table}
        streams.append(_stream(stream_fields, index, catalog))
    seen_names: set[str] = set()
    for stream in streams:
        if stream.name in seen_names:
            raise top.error(f"two streams are named '{shown(stream.name)}' — give each stream its own name", "streams")
        seen_names.add(stream.name)
    return streams


def _budget(top: Fields) -> Decimal | None:
    budget_fields = top.sub("budget")
    if budget_fields is None:
        return None
    budget_fields.check_keys(BUDGET_KEYS)
    budget = budget_fields.decimal("monthly", required=True)
    budget_fields.done()
    return budget


def _model_key(table: Fields, key: str, catalog: Catalog, seen: dict[str, str]) -> str:
    """The catalog id a table's key names, given once (an alias and its id are the same model)."""
    try:
        model_id = catalog.resolve(key).id
    except UnknownModelError as exc:
        raise table.error(exc.message, key) from None
    _once(table, seen, model_id, key)
    return model_id


def _quality(top: Fields, catalog: Catalog) -> dict[str, Decimal]:
    """The [quality] table: a score between 0 and 1 per model."""
    quality: dict[str, Decimal] = {}
    quality_fields = top.sub("quality")
    if quality_fields is None:
        return quality
    scored: dict[str, str] = {}
    for key in list(quality_fields.table):
        score = quality_fields.decimal(key, maximum=ONE)
        assert score is not None
        quality[_model_key(quality_fields, key, catalog, scored)] = score
    return quality


def _profiles(top: Fields, catalog: Catalog) -> dict[str, Profile]:
    """The [profiles] table: a model's own output and reasoning tokens per request."""
    profiles: dict[str, Profile] = {}
    profiles_fields = top.sub("profiles")
    if profiles_fields is None:
        return profiles
    profiled: dict[str, str] = {}
    for key in list(profiles_fields.table):
        profile_fields = profiles_fields.sub(key)
        assert profile_fields is not None  # the key is in the table
        profile_fields.check_keys(PROFILE_KEYS)
        model_id = _model_key(profiles_fields, key, catalog, profiled)
        profiles[model_id] = Profile(profile_fields.decimal("output_tokens", maximum=TOKEN_LIMIT),
                                     profile_fields.decimal("reasoning_tokens", maximum=TOKEN_LIMIT))
        profile_fields.done()
    return profiles


def parse_workload(document: dict[str, Any], label: str, catalog: Catalog) -> Workload:
    """A workload document (as read from TOML or JSON, or built in Python) checked against the catalog; `label`
    names it in messages."""
    top = Fields(document, label, "")
    top.check_keys(TOP_LEVEL_KEYS)
    top.string(SCHEMA_KEY)
    _check_version(top)
    currency = _currency(top, catalog)
    name = top.string("name") or "workload"
    streams = _streams(top, _defaults(top), catalog)
    budget = _budget(top)
    routing_fields = top.sub("routing")
    routing = _routing(routing_fields, catalog) if routing_fields else RoutingDefaults()
    quality = _quality(top, catalog)
    profiles = _profiles(top, catalog)
    adjustments_fields = top.sub("adjustments")
    adjustments = _adjustments(adjustments_fields, catalog) if adjustments_fields else Adjustments()
    from .seats import parse_seat_holders  # here: it reads this module's constants

    seat_holders = parse_seat_holders(top)
    top.done()
    return Workload(name, tuple(streams), currency, budget, routing, quality, source=label, adjustments=adjustments,
                    profiles=profiles, seat_holders=seat_holders)


def load_workload(path: str, catalog: Catalog) -> Workload:
    label, document = read_document(path, "workload")
    return parse_workload(document, label, catalog)


def example_workload(catalog: Catalog) -> Workload:
    return parse_workload(EXAMPLE_WORKLOAD, "<built-in example>", catalog)

