"""A stream's `sizes`: bands of requests, each priced at its own long-context tier; the context window holding
input + output + reasoning; and `usage --write-workload` writing a band per tier met, so that the written workload
reproduces the observed run rate. Hand-worked on the round-priced test catalog (tests/data/test_catalog.toml: alpha
from 2025-07-01 at 4 in / 16 out / 0.4 cache read / 5 cache write / 2 and 8 batch, and above 100,000 input tokens
8 / 24 / 0.8 / 10 / 4 and 12; a 200,000-token window; a reasoning model) and the bundled catalog."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import aicost.usage as usage
from aicost.calc import workload_cost
from aicost.catalog import Catalog, load_bundled_catalog
from aicost.errors import ContextWindowError, InputError
from aicost.workload import Profile, parse_workload
from clihelp import run_main

D = Decimal
AUGUST = dt.date(2025, 8, 1)
CENT = D("0.01")


def workload(catalog: Catalog, **stream: Any) -> Any:
    base: dict[str, Any] = {"name": "s", "model": "alpha", "requests_per_month": 1000}
    base.update(stream)
    return parse_workload({"version": 1, "streams": [base]}, "test.toml", catalog)


STRADDLING = [{"share": D("0.75"), "input_tokens": 20000, "output_tokens": 500},
              {"share": D("0.25"), "input_tokens": 140000, "output_tokens": 1000}]


def test_each_band_is_priced_at_its_own_tier(catalog: Catalog) -> None:
    w = workload(catalog, sizes=STRADDLING)
    # the base band: 20,000 x 4 + 500 x 16 = 80,000 + 8,000 = 88,000 -> 0.088 a request
    # the band above 100,000: 140,000 x 8 + 1,000 x 24 = 1,120,000 + 24,000 = 1,144,000 -> 1.144 a request
    # 1,000 requests x (0.75 x 0.088 + 0.25 x 1.144) = 1,000 x (0.066 + 0.286) = 352
    report = workload_cost(w, catalog, AUGUST)
    assert report.monthly_cost == D(352)
    # input 1,000 x (0.75 x 0.08 + 0.25 x 1.12) = 340; output 1,000 x (0.75 x 0.008 + 0.25 x 0.024) = 12
    assert (report.breakdown.input, report.breakdown.output) == (D(340), D(12))
    assert report.streams[0].tier_above == 100000  # the highest tier a band meets
    # the stream's means are the share-weighted means: 0.75 x 20,000 + 0.25 x 140,000 = 50,000 in;
    # 0.75 x 500 + 0.25 x 1,000 = 625 out
    stream = w.streams[0]
    assert (stream.input_tokens, stream.output_tokens) == (D(50000), D(625))
    # what the mean alone hides: 50,000 x 4 + 625 x 16 = 210,000 -> 0.21 x 1,000 = 210, all at the base prices
    mean_only = w._replace(streams=(stream._replace(sizes=()),))
    assert workload_cost(mean_only, catalog, AUGUST).monthly_cost == D(210)


def test_cache_reasoning_and_batch_apply_per_band(catalog: Catalog) -> None:
    w = workload(catalog, cached_input_share=D("0.5"), cache_write_tokens=10000, reasoning_tokens=2000,
                 batch_share=D("0.5"), sizes=[
                     {"share": D("0.5"), "input_tokens": 40000, "output_tokens": 1000},
                     {"share": D("0.5"), "input_tokens": 160000, "output_tokens": 1000, "cached_input_share": D("0.25")}])
    # mean input 0.5 x 40,000 + 0.5 x 160,000 = 100,000; the stream's 10,000 cache writes split in proportion to
    # input: 10,000 x 40,000 / 100,000 = 4,000 and 10,000 x 160,000 / 100,000 = 16,000
    assert [band.cache_write_tokens for band in w.streams[0].sizes] == [D(4000), D(16000)]
    # band 1 (base): 20,000 cached, 4,000 written, 16,000 uncached, 1,000 + 2,000 reasoning = 3,000 output
    #   standard 16,000 x 4 + 20,000 x 0.4 + 4,000 x 5 + 3,000 x 16 = 64,000 + 8,000 + 20,000 + 48,000 = 140,000
    #   batch    16,000 x 2 + 8,000 + 20,000 + 3,000 x 8 = 32,000 + 8,000 + 20,000 + 24,000 = 84,000
    #   half each: 112,000
    # band 2 (tier): 40,000 cached (its own 25 %), 16,000 written, 104,000 uncached, 3,000 output
    #   standard 104,000 x 8 + 40,000 x 0.8 + 16,000 x 10 + 3,000 x 24 = 832,000 + 32,000 + 160,000 + 72,000
    #            = 1,096,000
    #   batch    104,000 x 4 + 32,000 + 160,000 + 3,000 x 12 = 416,000 + 32,000 + 160,000 + 36,000 = 644,000
    #   half each: 870,000
    # 0.5 x 112,000 + 0.5 x 870,000 = 491,000 -> 0.491 a request x 1,000 = 491
    assert workload_cost(w, catalog, AUGUST).monthly_cost == D(491)
    # the means: writes 0.5 x 4,000 + 0.5 x 16,000 = 10,000; cached share (0.5 x 20,000 + 0.5 x 40,000) / 100,000 = 0.3
    stream = w.streams[0]
    assert (stream.cache_write_tokens, stream.cached_input_share, stream.reasoning_tokens) == (D(10000), D("0.3"), D(2000))


def test_a_profile_answers_every_band(catalog: Catalog) -> None:
    w = workload(catalog, sizes=STRADDLING)._replace(profiles={"alpha": Profile(output_tokens=D(2000))})
    # 20,000 x 4 + 2,000 x 16 = 112,000; 140,000 x 8 + 2,000 x 24 = 1,168,000
    # 1,000 x (0.75 x 0.112 + 0.25 x 1.168) = 1,000 x (0.084 + 0.292) = 376
    assert workload_cost(w, catalog, AUGUST).monthly_cost == D(376)


def test_the_window_holds_input_output_and_reasoning_per_band(catalog: Catalog) -> None:
    # 190,000 + 5,000 + 6,000 = 201,000 tokens: above alpha's 200,000 though the input alone fits
    w = workload(catalog, sizes=[{"share": D("0.9"), "input_tokens": 20000, "output_tokens": 500},
                                 {"share": D("0.1"), "input_tokens": 190000, "output_tokens": 5000,
                                  "reasoning_tokens": 6000}])
    with pytest.raises(ContextWindowError) as caught:
        workload_cost(w, catalog, AUGUST)
    assert caught.value.message == ("stream 's' sizes[1]: 190,000 input + 5,000 output + 6,000 reasoning tokens exceed "
                                    "alpha's context window of 200,000 tokens")
    # beta does not reason: its reasoning tokens are not generated, so not counted (31,000 + 1,000 fit its 32,000)
    fits = workload(catalog, model="beta", input_tokens=31000, output_tokens=1000, reasoning_tokens=5000)
    # 31,000 x 0.5 + 1,000 x 1.5 = 17,000 -> 0.017 x 1,000 = 17
    assert workload_cost(fits, catalog, AUGUST).monthly_cost == D(17)


def test_o3_must_hold_its_answer_too(tmp_path: Path) -> None:
    """199,000 input tokens fit o3's 200,000 window, but not with the 35,000 tokens of its answer: exit 2, and
    compare excludes o3 with that reason while gpt-4.1 (1,047,576) takes it."""
    stream = ["--requests-per-month", "100", "--input-tokens", "199000", "--output-tokens", "35000"]
    result = run_main("cost", "--model", "o3", *stream)
    assert (result.exit_code, result.stderr) == (
        2, "aicost: error: stream 'o3': 199,000 input + 35,000 output tokens exceed o3's context window of 200,000 "
           "tokens — choose a model with a larger window, or send shorter requests\n")
    compared = run_main("compare", "--model", "o3", *stream, "--models", "o3,gpt-4.1", "--format", "json")
    assert compared.exit_code == 0, compared.stderr
    document = json.loads(compared.stdout)
    assert [c["model"] for c in document["candidates"]] == ["gpt-4.1"]
    assert document["excluded"] == [{"model": "o3", "host": "vendor", "reason": "stream 'o3': 199,000 input + 35,000 output tokens "
                                                             "exceed o3's context window of 200,000 tokens"}]
    reasoning = run_main("cost", "--model", "o3", "--requests-per-month", "100", "--input-tokens", "190000",
                         "--output-tokens", "5000", "--reasoning-tokens", "6000")
    assert reasoning.exit_code == 2 and ("190,000 input + 5,000 output + 6,000 reasoning tokens exceed o3's context "
                                         "window") in reasoning.stderr


SIZES_TOML = """version = 1
[defaults]
model = "alpha"
sizes = [{share = 0.75, input_tokens = 20000, output_tokens = 500},
         {share = "25%", input_tokens = 140000, output_tokens = 1000}]
[[streams]]
name = "banded"
requests_per_month = 1000
[[streams]]
name = "means"
requests_per_month = 1000
input_tokens = 50000
output_tokens = 625
"""


def test_sizes_in_defaults_toml_and_json(tmp_path: Path) -> None:
    """[defaults] sizes band a stream that gives no means; a stream's own means replace them. A JSON workload
    takes the same keys."""
    path = tmp_path / "w.toml"
    path.write_text(SIZES_TOML, encoding="utf-8")
    args = ["--catalog", "tests/data/test_catalog.toml", "--as-of", "2025-08-01", "--format", "json"]
    result = run_main("cost", str(path), *args)
    assert result.exit_code == 0, result.stderr
    costs = {s["name"]: D(str(s["monthly_cost"])) for s in json.loads(result.stdout)["streams"]}
    assert costs == {"banded": D(352), "means": D(210)}  # as in test_each_band_is_priced_at_its_own_tier
    as_json = tmp_path / "w.json"
    as_json.write_text(json.dumps({"version": 1, "streams": [{"name": "banded", "model": "alpha",
                                                              "requests_per_month": 1000, "sizes": [
        {"share": 0.75, "input_tokens": 20000, "output_tokens": 500},
        {"share": 0.25, "input_tokens": 140000, "output_tokens": 1000}]}]}), encoding="utf-8")
    result = run_main("cost", str(as_json), *args)
    assert result.exit_code == 0 and json.loads(result.stdout, parse_float=D)["monthly_cost"] == 352
    both = tmp_path / "both.toml"
    both.write_text(SIZES_TOML.replace('model = "alpha"', 'model = "alpha"\ninput_tokens = 5'), encoding="utf-8")
    result = run_main("cost", str(both), *args)
    assert (result.exit_code, result.stderr) == (2, f"aicost: error: {both}: defaults.input_tokens: gives both sizes and "
                                                    "input_tokens — give the means or the bands (sizes), not both\n")


def test_size_flags_give_the_bands_on_the_command_line() -> None:
    """`--size SHARE:INPUT:OUTPUT`, repeated, is the `sizes` of the one command-line stream."""
    stream = ["--model", "alpha", "--requests-per-month", "1000", "--catalog", "tests/data/test_catalog.toml",
              "--as-of", "2025-08-01"]
    result = run_main("cost", *stream, "--size", "75%:20000:500", "--size", "0.25:140000:1000", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout, parse_float=D)["monthly_cost"] == 352  # as in test_each_band_is_priced_at_its_own_tier
    for flags, message in [
        (["--size", "0.6:20000:500", "--size", "0.3:140000:1000"],
         "--size: the bands' shares sum to 0.9, not 1 — make them add up to exactly 1"),
        (["--size", "0.5:20000:500", "--size", "0.5:-5:1000"], "--size #2 input_tokens: must be >= 0, got -5"),
        (["--size", "1:20000"], "--size 1:20000: write SHARE:INPUT:OUTPUT, e.g. 90%:20000:800 (a share of the requests, "
                                "their input and output tokens)"),
        (["--size", "1:20000:500", "--input-tokens", "5"],
         "--input-tokens: gives both --size and --input-tokens — give the means or the bands (--size), not both"),
    ]:
        result = run_main("cost", *stream, *flags)
        assert (result.exit_code, result.stderr) == (2, f"aicost: error: {message}\n")


BAND = {"share": 1, "input_tokens": 100, "output_tokens": 10}


@pytest.mark.parametrize(("stream", "message"), [
    ({"sizes": [{**BAND, "share": D("0.6")}, {**BAND, "share": D("0.3")}]},
     "streams[0].sizes: the bands' shares sum to 0.9, not 1 — make them add up to exactly 1"),
    ({"sizes": [{**BAND, "share": D("0.7")}, {**BAND, "share": "40%"}]},
     "streams[0].sizes: the bands' shares sum to 1.1, not 1 — make them add up to exactly 1"),
    ({"sizes": []}, "streams[0].sizes: must be a list of bands such as [{share = 0.9, input_tokens = 2000, "
                    "output_tokens = 300}, ...], got an empty list"),
    ({"sizes": {"share": 1}}, "streams[0].sizes: must be a list of bands such as [{share = 0.9, input_tokens = 2000, "
                              "output_tokens = 300}, ...], got a table"),
    ({"sizes": [5]}, "streams[0].sizes[0]: must be a table, got an integer"),
    ({"sizes": [{**BAND, "input_tokens": -5}]}, "streams[0].sizes[0].input_tokens: must be >= 0, got -5"),
    ({"sizes": [{**BAND, "output_tokens": "many"}]},
     "streams[0].sizes[0].output_tokens: must be a number, got 'many' — write digits only, such as 20000"),
    ({"sizes": [{**BAND, "input_tokens": 10**9}]},
     "streams[0].sizes[0].input_tokens: must be at most 100,000,000, got 1000000000"),
    ({"sizes": [{"share": 1, "input_tokens": 100}]},
     "streams[0].sizes[0].output_tokens: is required — add output_tokens = <number>"),
    ({"sizes": [{"input_tokens": 100, "output_tokens": 10}]},
     "streams[0].sizes[0].share: is required — add share = <number>"),
    ({"sizes": [{**BAND, "share": 0}, BAND]}, "streams[0].sizes[0].share: must be above 0 — leave out a band no "
                                              "request is in"),
    ({"sizes": [{**BAND, "share": D("1.5")}]}, "streams[0].sizes[0].share: must be between 0 and 1, got 1.5"),
    ({"sizes": [{**BAND, "shares": 1}]}, "streams[0].sizes[0].shares: unknown key 'shares' — did you mean 'share'?"),
    ({"sizes": [{**BAND, "cached_input_share": D("0.5"), "cache_write_tokens": 60}]},
     "streams[0].sizes[0].cache_write_tokens: cached input (100 x 0.5) plus cache_write_tokens (60) exceeds "
     "input_tokens (100) — input_tokens includes cache reads and writes"),
    # the stream's cache writes, which the bands take in proportion to their input: named where the user wrote them
    ({"cache_write_tokens": 5, "sizes": [{**BAND, "input_tokens": 0}]},
     "streams[0].cache_write_tokens: 5 cannot be split over bands with no input (a band's input includes its cache "
     "reads and writes) — give the bands some input, or leave out cache_write_tokens"),
    # mean input 0.5 x 100 + 0.5 x 1,900 = 1,000; 1,500 writes split in proportion: 1,500 x 100 / 1,000 = 150 for
    # the first band, more than its 100 input tokens (written 1.5e3: shown plainly, not as 1.5E+3)
    ({"cache_write_tokens": D("1.5e3"), "sizes": [{**BAND, "share": D("0.5")},
                                                 {**BAND, "share": D("0.5"), "input_tokens": 1900}]},
     "streams[0].cache_write_tokens: 1500 is split over the bands in proportion to their input, which gives sizes[0] "
     "150 cache writes; with its cached input (100 x 0) that exceeds its input (100) — a band's input includes its "
     "cache reads and writes: lower cache_write_tokens, or give sizes[0] its own cache_write_tokens"),
    # a band's own cache writes are its own: named there, in plain digits (1.5e2 written, not 1.5E+2 shown)
    ({"sizes": [{**BAND, "cache_write_tokens": D("1.5e2")}]},
     "streams[0].sizes[0].cache_write_tokens: cached input (100 x 0) plus cache_write_tokens (150) exceeds "
     "input_tokens (100) — input_tokens includes cache reads and writes"),
    ({"sizes": [BAND] * 17}, "streams[0].sizes: has 17 bands — at most 16 are accepted"),
    ({"sizes": [BAND], "input_tokens": 100},
     "streams[0].input_tokens: gives both sizes and input_tokens — give the means or the bands (sizes), not both"),
])
def test_bad_bands_are_refused(stream: dict[str, Any], message: str, catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        workload(catalog, **stream)
    assert caught.value.message == f"test.toml: {message}"
    # and on the command line: one line, exit 2
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"version": 1, "streams": [{"name": "s", "model": "alpha", "requests_per_month": 1,
                                                           **stream}]}, default=str), encoding="utf-8")
    result = run_main("cost", str(path), "--catalog", "tests/data/test_catalog.toml", "--as-of", "2025-08-01")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith(f"aicost: error: {path}: streams[0]"), result.stderr


# ------------------------------------------------------------------------------- usage --write-workload


def claude_code(day: str, index: int, model: str, uncached: int, read: int, output: int) -> str:
    return json.dumps({"message": {"id": f"msg_{index}", "model": model, "usage": {
        "input_tokens": uncached, "cache_read_input_tokens": read, "cache_creation_input_tokens": 0,
        "output_tokens": output}}, "requestId": f"req_{index}", "timestamp": f"{day}T10:00:0{index}Z"}) + "\n"


def test_sonnet_logs_straddling_200k_are_written_as_bands(tmp_path: Path) -> None:
    """Four Sonnet 4.5 requests under 200K and one at 210K, over two days: written as means they would cost $3.81 a
    month against the observed $5.41; written as bands, what was observed."""
    sonnet = "claude-sonnet-4-5"  # 3 / 15 / 0.30 cache read, and 6 / 22.50 / 0.60 above 200,000 input tokens
    log = tmp_path / "session.jsonl"
    log.write_text("".join([claude_code("2026-11-02", i, sonnet, 1000, 49000, 1000) for i in range(1, 3)]
                           + [claude_code("2026-11-03", i, sonnet, 1000, 49000, 1000) for i in range(3, 5)]
                           + [claude_code("2026-11-03", 5, sonnet, 10000, 200000, 2000)]), encoding="utf-8")
    catalog = load_bundled_catalog()
    # --since 2026-11-02 --until 2026-11-03: the run rate is scaled from those two whole days (48 hours)
    tally = usage.Tally(catalog, dt.date(2026, 11, 2), dt.date(2026, 11, 3), "auto")
    usage.read_logs([str(log)], tally)
    report = usage.price_tally(tally)
    # under 200K: 1,000 x 3 + 49,000 x 0.30 + 1,000 x 15 = 3,000 + 14,700 + 15,000 = 32,700 -> 0.0327, four times
    # 0.1308; at 210K, all at the tier: 10,000 x 6 + 200,000 x 0.60 + 2,000 x 22.50 = 60,000 + 120,000 + 45,000
    # = 225,000 -> 0.225. Observed 0.3558 in 2 days: 0.3558 x 730 / 48 = 5.411125 a month
    assert report.total_cost == D("0.3558")
    assert report.monthly_run_rate == D("5.411125")
    document = usage.workload_document(report)
    [stream] = document["streams"]
    assert stream["requests_per_month"] == D("76.041666667")  # 5 x 730 / 48
    assert stream["sizes"] == [
        {"share": D("0.8"), "input_tokens": 50000, "output_tokens": 1000, "cached_input_share": D("0.98")},
        {"share": D("0.2"), "input_tokens": 210000, "output_tokens": 2000, "cached_input_share": D("0.952380952380952")},
    ]
    written = parse_workload(document, "observed", catalog)
    priced = workload_cost(written, catalog, dt.date(2026, 11, 3)).monthly_cost
    assert priced.quantize(CENT) == report.monthly_run_rate.quantize(CENT) == D("5.41")
    # the mean alone (82,000 in, 396,000 / 410,000 cached, 1,200 out) is all at the base prices: uncached 2,800 x 3
    # + cached 79,200 x 0.30 + 1,200 x 15 = 8,400 + 23,760 + 18,000 = 50,160 -> 0.05016 x 5 x 730 / 48 = 3.81425
    means = written.streams[0]._replace(sizes=())
    assert (means.input_tokens, means.output_tokens) == (D(82000), D(1200))
    mean_only = workload_cost(written._replace(streams=(means,)), catalog, dt.date(2026, 11, 3)).monthly_cost
    assert mean_only.quantize(CENT) == D("3.81")


def test_written_bands_reprice_on_the_command_line(tmp_path: Path) -> None:
    """The same shape on Claude Haiku 5.5 (on sale; 0.10 / 0.50 / 0.01 cache read, and 0.50 / 2.50 above 100,000
    input tokens): `usage --write-workload` then `cost` of the written file, to the cent."""
    haiku = "claude-haiku-5-5"
    log = tmp_path / "session.jsonl"
    log.write_text("".join([claude_code("2026-11-02", i, haiku, 1000, 49000, 1000) for i in range(1, 5)]
                           + [claude_code("2026-11-03", 5, haiku, 105000, 0, 2000)]), encoding="utf-8")
    workload_path = tmp_path / "observed.toml"
    result = run_main("usage", str(log), "--since", "2026-11-02", "--until", "2026-11-03", "--write-workload",
                      str(workload_path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    observed = json.loads(result.stdout, parse_float=D)
    # 1,000 x 0.10 + 49,000 x 0.01 + 1,000 x 0.50 = 1,090 -> 0.00109, four times 0.00436; 105,000 x 0.50 + 2,000
    # x 2.50 = 57,500 -> 0.0575. 0.06186 in the 2 days asked for (48 hours): 0.06186 x 730 / 48 = 0.9407875 a month
    assert observed["total_cost"] == D("0.06186") and observed["monthly_run_rate"] == D("0.940788")
    text = workload_path.read_text(encoding="utf-8")
    assert "sizes = [" in text or "[[streams.sizes]]" in text
    cost = run_main("cost", str(workload_path), "--as-of", "2026-11-03", "--format", "json")
    assert cost.exit_code == 0, cost.stderr
    assert json.loads(cost.stdout, parse_float=D)["monthly_cost"].quantize(CENT) == D("0.94")
    # written as means (61,000 in, 39,200 of them cached, 1,200 out), all at the base prices: 21,800 x 0.10 +
    # 39,200 x 0.01 + 1,200 x 0.50 = 2,180 + 392 + 600 = 3,172 -> 0.003172 x 5 x 730 / 48 = 0.2412 a month


REQUEST = st.tuples(st.integers(1, 5),  # the day in November 2026
                    st.integers(0, 150_000), st.integers(0, 150_000), st.integers(0, 20_000),  # uncached, read, written
                    st.integers(1, 8_000))  # output


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requests=st.lists(REQUEST, min_size=1, max_size=12))
def test_any_written_workload_reprices_what_was_observed(requests: list[tuple[int, int, int, int, int]],
                                                          tmp_path: Path) -> None:
    """Sonnet 4.5 requests on both sides of its 200,000 threshold (up to 320,000 input tokens), with cache reads and
    writes: the written workload prices within a millionth of a dollar of the observed run rate."""
    log = tmp_path / "random.jsonl"
    log.write_text("".join(json.dumps({"message": {"id": f"msg_{i}", "model": "claude-sonnet-4-5", "usage": {
        "input_tokens": uncached, "cache_read_input_tokens": read, "cache_creation_input_tokens": written,
        "output_tokens": output}}, "requestId": f"req_{i}", "timestamp": f"2026-11-0{day}T10:00:00Z"}) + "\n"
        for i, (day, uncached, read, written, output) in enumerate(requests)), encoding="utf-8")
    catalog = load_bundled_catalog()
    tally = usage.Tally(catalog, None, None, "auto")
    usage.read_logs([str(log)], tally)
    report = usage.price_tally(tally)
    document = usage.workload_document(report)
    written = parse_workload(document, "observed", catalog)
    tiers = {uncached + read + written_tokens > 200_000 for _, uncached, read, written_tokens, _ in requests}
    assert ("sizes" in document["streams"][0]) == (len(tiers) == 2)
    priced = workload_cost(written, catalog, dt.date(2026, 11, 5)).monthly_cost
    assert abs(priced - report.monthly_run_rate) < D("0.000001"), (priced, report.monthly_run_rate)


def test_the_split_cache_writes_are_named_by_their_option_on_the_command_line() -> None:
    # mean input 0.5 x 100 + 0.5 x 1,900 = 1,000: --size #1 takes 1,500 x 100 / 1,000 = 150 of the writes, more
    # than its 100 input tokens (1.5e3 shown plainly); a --size band cannot give its own writes: that fix is not offered
    result = run_main("cost", "--model", "alpha", "--requests-per-month", "10", "--size", "0.5:100:10", "--size",
                      "0.5:1900:10", "--cache-write-tokens", "1.5e3", "--catalog", "tests/data/test_catalog.toml",
                      "--as-of", "2025-08-01")
    assert result.exit_code == 2
    assert result.stderr == (
        "aicost: error: --cache-write-tokens: 1500 is split over the bands in proportion to their input, which gives "
        "--size #1 150 cache writes; with its cached input (100 x 0) that exceeds its input (100) — a band's input "
        "includes its cache reads and writes: lower --cache-write-tokens\n")


def test_numbers_in_messages_are_plain_not_exponents(catalog: Catalog) -> None:
    # TOML's 1e9 and -1e9 reach the checks as Decimal('1E+9'): the message writes 1000000000
    with pytest.raises(InputError) as caught:
        workload(catalog, input_tokens=10, output_tokens=1, routing={"small": "beta", "small_share": D("1e9")})
    assert caught.value.message.endswith("routing.small_share: must be between 0 and 1, got 1000000000")
    with pytest.raises(InputError) as caught:
        workload(catalog, input_tokens=10, output_tokens=1, growth=D("-1e9"))
    assert caught.value.message.endswith("growth: must be >= -1, got -1000000000")


def test_a_bands_own_cache_writes_take_it_out_of_the_proportional_rule(catalog: Catalog) -> None:
    # docs/workload.md's example: mean input 0.5 x 1,000 + 0.5 x 3,000 = 2,000; the first band takes
    # 400 x 1,000 / 2,000 = 200 of the stream's writes, the second writes its own 0: the mean over the bands is
    # 0.5 x 200 + 0.5 x 0 = 100, not the 400 written
    w = workload(catalog, cache_write_tokens=400, sizes=[
        {"share": D("0.5"), "input_tokens": 1000, "output_tokens": 10},
        {"share": D("0.5"), "input_tokens": 3000, "output_tokens": 10, "cache_write_tokens": 0}])
    assert [band.cache_write_tokens for band in w.streams[0].sizes] == [D(200), D(0)]
    assert w.streams[0].cache_write_tokens == D(100)
