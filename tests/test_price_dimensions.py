"""Service tiers, speed modes, 1-hour cache writes, time windows, per-call fees, regional uplifts and hosts, priced by
hand on tests/data/dimensions_catalog.toml (model `m`: input 2, output 10, cache read 0.2, 5-minute write 2.5, 1-hour
write 4 per million tokens; flex 1 / 0.1 / 5; priority 4 / 0.4 / 20; fast x2; web search $10 per 1,000; us x1.1;
off-peak 1 / 0.1 / 5; on bedrock from 2026-02-01 2.2 / 11, eu x1.1)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aicost.calc import (
    NotOfferedError,
    PricingContext,
    TokenMix,
    price_mix,
    stream_cost,
)
from aicost.catalog import Catalog, catalog_document, catalog_from_document
from aicost.documents import read_document
from aicost.errors import InputError, UnpricedError
from aicost.workload import Stream

D = Decimal
DAY = dt.date(2026, 3, 1)
DATA = Path(__file__).parent / "data" / "dimensions_catalog.toml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return read_document(str(DATA), "catalog")[1]


@pytest.fixture(scope="module")
def cat(document: dict[str, Any]) -> Catalog:
    return catalog_from_document(copy.deepcopy(document), "dimensions")


# 1,000 requests of 10,000 input tokens (half read from the cache) and 1,000 output tokens
STREAM = Stream("s", "m", D(1000), D(10000), D(1000), cached_input_share=D("0.5"))


def monthly(cat: Catalog, **fields: Any) -> Decimal:
    return stream_cost(STREAM._replace(**fields), cat, DAY).monthly_cost


def test_standard_request(cat: Catalog) -> None:
    # 5,000 uncached x 2 + 5,000 cached x 0.2 + 1,000 out x 10 = 21,000 per million -> 0.021 x 1,000 = 21
    assert monthly(cat) == D(21)


def test_one_hour_cache_writes_cost_their_own_price(cat: Catalog) -> None:
    # 2,000 writes: uncached 10,000 - 5,000 - 2,000 = 3,000 x 2 = 6,000; cached 1,000; output 10,000
    # 5-minute: 2,000 x 2.5 = 5,000 -> 22,000 -> 22;  1-hour: 2,000 x 4 = 8,000 -> 25,000 -> 25
    five = stream_cost(STREAM._replace(cache_write_tokens=D(2000)), cat, DAY)
    hour = stream_cost(STREAM._replace(cache_write_tokens=D(2000), cache_ttl="1h"), cat, DAY)
    assert (five.monthly_cost, five.breakdown.cache_write) == (D(22), D(5))
    assert (hour.monthly_cost, hour.breakdown.cache_write) == (D(25), D(8))


def test_a_log_line_with_both_lifetimes() -> None:
    catalog = catalog_from_document(read_document(str(DATA), "catalog")[1], "dimensions")
    model = catalog.resolve("m")
    # 3,000 uncached x 2 + 1,000 5-minute writes x 2.5 + 1,000 1-hour writes x 4 = 12,500 per million = 0.0125
    mix = TokenMix(D(3000), D(0), D(1000), D(0), D(5000), cache_write_1h=D(1000))
    assert price_mix(model, DAY, mix).total == D("0.0125")


def test_service_tiers_replace_the_rates(cat: Catalog) -> None:
    # flex: 5,000 x 1 + 5,000 x 0.1 + 1,000 x 5 = 10,500 -> 10.5
    # priority: 5,000 x 4 + 5,000 x 0.4 + 1,000 x 20 = 42,000 -> 42
    assert monthly(cat, service_tier="flex") == D("10.5")
    assert monthly(cat, service_tier="priority") == D(42)
    assert monthly(cat, service_tier="standard") == D(21)
    assert stream_cost(STREAM._replace(service_tier="flex"), cat, DAY).service_tier == "flex"


def test_what_a_tier_does_not_price_is_unknown_not_the_base_price(cat: Catalog) -> None:
    # flex gives no cache-write price: writes at flex cannot be priced (never the standard 2.5, never $0)
    with pytest.raises(UnpricedError, match="no cache-write price at the flex tier"):
        monthly(cat, service_tier="flex", cache_write_tokens=D(100))
    # nor a long-context request (a tier above 200,000 input tokens exists for standard prices only)
    with pytest.raises(UnpricedError, match="at the flex tier above 200,000 input tokens"):
        monthly(cat, service_tier="flex", input_tokens=D(300000))


def test_a_tier_speed_region_or_host_not_offered_names_what_is(cat: Catalog) -> None:
    with pytest.raises(NotOfferedError, match=r"m offers no service tier 'turbo' — it offers: standard, flex, priority"):
        monthly(cat, service_tier="turbo")
    with pytest.raises(NotOfferedError, match=r"plain offers no service tier 'flex' — it offers: standard"):
        monthly(cat, model="plain", service_tier="flex", cached_input_share=D(0))
    with pytest.raises(NotOfferedError, match=r"offers no speed mode 'ludicrous' — it offers: standard, fast"):
        monthly(cat, speed="ludicrous")
    with pytest.raises(NotOfferedError, match=r"offers no region 'eu' — it offers: us"):
        monthly(cat, region="eu")
    with pytest.raises(NotOfferedError, match=r"m offers no host 'azure' — it offers: vendor, bedrock"):
        monthly(cat, host="azure")
    with pytest.raises(NotOfferedError) as raised:
        monthly(cat, host="azure")
    assert raised.value.exit_code == 2  # bad input: the CLI prints the one line and exits 2
    assert (raised.value.what, raised.value.offered) == ("host", ("vendor", "bedrock"))


def test_fast_mode_multiplies_every_token_price(cat: Catalog) -> None:
    # 21 x 2 = 42; with 2,000 1-hour writes: 25 x 2 = 50
    assert monthly(cat, speed="fast") == D(42)
    assert monthly(cat, speed="fast", cache_write_tokens=D(2000), cache_ttl="1h") == D(50)


def test_a_region_uplifts_token_prices_not_fees(cat: Catalog) -> None:
    # 21 x 1.1 = 23.1; web searches 0.2 a request x $10 / 1,000 = 0.002 x 1,000 = 2, not uplifted: 25.1
    assert monthly(cat, region="us") == D("23.1")
    cost = stream_cost(STREAM._replace(region="us", web_search_calls=D("0.2")), cat, DAY)
    assert (cost.breakdown.per_call, cost.monthly_cost) == (D(2), D("25.1"))


def test_web_searches_without_a_fee_are_unknown(cat: Catalog) -> None:
    with pytest.raises(UnpricedError, match="plain has no web-search fee"):
        monthly(cat, model="plain", cached_input_share=D(0), web_search_calls=D(1))


def test_off_peak_share_is_linear(cat: Catalog) -> None:
    # peak 21, off-peak 5,000 x 1 + 5,000 x 0.1 + 1,000 x 5 = 10,500 -> 10.5: cost = 21 - 10.5 x share
    assert monthly(cat, off_peak_share=D("0.25")) == D("18.375")  # 0.75 x 21 + 0.25 x 10.5
    assert monthly(cat, off_peak_share=D("0.5")) == D("15.75")
    assert monthly(cat, off_peak_share=D(1)) == D("10.5")
    with pytest.raises(NotOfferedError, match="plain offers no time window 'off-peak' — it offers: none"):
        monthly(cat, model="plain", cached_input_share=D(0), off_peak_share=D("0.5"))


def test_batch_share_and_off_peak_share_together(cat: Catalog) -> None:
    # no cache: standard 10,000 x 2 + 1,000 x 10 = 30 per 1,000 requests; batch 10,000 x 1 + 1,000 x 5 = 15;
    # off-peak 10,000 x 1 + 1,000 x 5 = 15; the window gives no batch price: the batched off-peak quarter is unknown
    plain = STREAM._replace(cached_input_share=D(0))
    assert stream_cost(plain._replace(batch_share=D("0.5")), cat, DAY).monthly_cost == D("22.5")  # (30 + 15) / 2
    with pytest.raises(UnpricedError, match="no batch input price in its off-peak window"):
        stream_cost(plain._replace(batch_share=D("0.5"), off_peak_share=D("0.5")), cat, DAY)


def test_another_host_has_its_own_prices_and_dates(cat: Catalog) -> None:
    plain = STREAM._replace(cached_input_share=D(0))
    # bedrock: 10,000 x 2.2 + 1,000 x 11 = 33,000 -> 33; eu x1.1 -> 36.3
    cost = stream_cost(plain._replace(host="bedrock"), cat, DAY)
    assert (cost.monthly_cost, cost.host, cost.price_since) == (D(33), "bedrock", dt.date(2026, 2, 1))
    assert stream_cost(plain._replace(host="bedrock", region="eu"), cat, DAY).monthly_cost == D("36.3")
    assert stream_cost(plain._replace(host="vendor"), cat, DAY).monthly_cost == D(30)
    with pytest.raises(NotOfferedError, match="offers no region 'us' — it offers: eu"):
        stream_cost(plain._replace(host="bedrock", region="us"), cat, DAY)
    with pytest.raises(UnpricedError, match=r"m on bedrock has no price on 2026-01-15 \(its first price there is from "
                                            r"2026-02-01\)"):
        stream_cost(plain._replace(host="bedrock"), cat, dt.date(2026, 1, 15))
    with pytest.raises(UnpricedError, match="m has no cache-read price on bedrock"):  # unknown there, not the vendor's
        stream_cost(STREAM._replace(host="bedrock"), cat, DAY)


def test_batch_and_a_service_tier_are_exclusive(cat: Catalog) -> None:
    mix = TokenMix(D(1000), D(0), D(0), D(100), D(1000))
    with pytest.raises(InputError, match="a batch request has no service tier"):
        price_mix(cat.resolve("m"), DAY, mix, PricingContext(service_tier="flex", batch=True))


@pytest.mark.parametrize(
    ("moment", "window"),
    [
        (dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC), None),  # Monday 10:00 in Shanghai: peak
        (dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC), "off-peak"),  # Monday 20:00
        (dt.datetime(2026, 12, 7, 0, 59, 59, tzinfo=dt.UTC), "off-peak"),  # 08:59:59, the end is excluded...
        (dt.datetime(2026, 12, 7, 1, 0, tzinfo=dt.UTC), None),  # ... 09:00 is peak
        (dt.datetime(2026, 12, 5, 2, 0, tzinfo=dt.UTC), "off-peak"),  # Saturday 10:00: the weekend window
        (dt.datetime(2026, 10, 1, 4, 0, tzinfo=dt.UTC), "off-peak"),  # Thursday 12:00 on a holiday
        (dt.datetime(2026, 12, 7, 12, 0), "off-peak"),  # naive: taken as UTC
    ],
)
def test_window_at_a_moment(cat: Catalog, moment: dt.datetime, window: str | None) -> None:
    found = cat.resolve("m").periods[0].window_at(moment)
    assert (found.name if found else None) == window


def test_the_export_round_trip_keeps_every_dimension(cat: Catalog) -> None:
    again = catalog_from_document(catalog_document(cat), "again")
    assert again.models == cat.models


def _model(document: dict[str, Any]) -> dict[str, Any]:
    model: dict[str, Any] = document["vendors"][0]["models"][0]
    return model


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m["periods"][0]["service_tiers"].update(flexx={"input": 1}), "'flexx' is not known — did you mean 'flex'"),
        (lambda m: m["periods"][0]["service_tiers"].update(flex={}), "service tier flex gives no price"),
        (lambda m: m["periods"][0]["fees"]["web_search"].update(per_1000=D(-1)), "fees.web_search.per_1000: must be >= 0"),
        (lambda m: m["periods"][0]["fees"].update(image={"per_1000": D(1)}), "'image' is not known"),
        (lambda m: m["periods"][0]["fees"]["web_search"].pop("checked"), "give source and checked together"),
        (lambda m: m["periods"][0]["regions"]["us"].update(multiplier=D(0)), "regions.us.multiplier: must be more than 0"),
        (lambda m: m["periods"][0]["speeds"]["fast"].update(input=D(4)), "give either multiplier or rates"),
        (lambda m: m["periods"][0]["windows"][0].update(time_zone="Mars/Olympus"), "not an IANA time zone"),
        (lambda m: m["periods"][0]["windows"][0].update(hours=["18:00-09:00"]), "is not a span HH:MM-HH:MM"),
        (lambda m: m["periods"][0]["windows"][0].update(days=["moon"]), "'moon' is not known"),
        (lambda m: m["periods"][0]["windows"][0].update(start_utc="16:30"), "unknown key 'start_utc'"),
        (lambda m: m["periods"][0]["windows"][1].update(input=D(3)), "window 'off-peak' is also given with other prices"),
        (lambda m: m["hosts"][0].update(host="aws"), "'aws' is not a host"),
        (lambda m: m["hosts"].append(copy.deepcopy(m["hosts"][0])), "a second offering by bedrock"),
        (lambda m: m["hosts"][0]["periods"][0].pop("source"), "hosts[0].periods[0].source: is required"),
    ],
)
def test_validation(document: dict[str, Any], change: Any, message: str) -> None:
    broken = copy.deepcopy(document)
    change(_model(broken))
    with pytest.raises(InputError, match=re.escape(message)):
        catalog_from_document(broken, "broken")
