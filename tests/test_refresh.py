"""`pricing refresh` against a real HTTP server on 127.0.0.1 serving small, hand-made excerpts in the real shapes of
LiteLLM's price file, genai-prices' data.json and models.dev's api.json (tests/data/refresh/).

The base catalog (tests/data/refresh/base-catalog.toml, version 2026.1.0) is installed first, so the expected
changes do not move with the bundled catalog.  What the excerpts say against it:
- gpt-4o: all three give input $2.00 (the catalog $2.50), output $10, cache read $1.25 → one moved price.
- claude-haiku-4-5: LiteLLM and genai-prices give a cache write of $1.25 the catalog lacks → one added price.
- claude-opus-5: not in the catalog; all three give 5 / 25 / 0.50 / 6.25, genai-prices a 1-hour write of $10 → new.
- gemini-3.7-flash: genai-prices only, 0.75 / 3.75 / 0.075 in force now (its 2099 price not yet) → new.
- claude-sonnet-4: LiteLLM's deprecation date 2026-05-14 (key claude-sonnet-4-20250514, an alias) → retirement.
- claude-opus-4: LiteLLM says 2026-05-14, the catalog's reviewed date is 2026-06-30 → shown, the catalog's kept.
- claude-haiku-4-5: LiteLLM's dated snapshot claude-haiku-4-5-20251001 is deprecated from 2027-10-15 → retirement.
- gemini-2.5-flash: models.dev says output $3, the others $2.50 → a disagreement; nothing of it changed.
- skipped: deepseek-chat (prices by time of day), a Claude model under genai-prices' google provider, embeddings,
  an image model, groq's models.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from aicost.catalog import Catalog
from clihelp import Run, run_main
from httphelp import serving, snapshot

DATA = Path(__file__).parent / "data" / "refresh"
LITELLM = (DATA / "litellm.json").read_bytes()
GENAI = (DATA / "genai-prices.json").read_bytes()
MODELS_DEV = (DATA / "models-dev.json").read_bytes()
ROUTES: dict[str, tuple[int, dict[str, str], bytes, float]] = {
    "/litellm.json": (200, {}, LITELLM, 0),
    "/genai.json": (200, {}, GENAI, 0),
    "/models.json": (200, {}, MODELS_DEV, 0),
    "/missing": (404, {}, b"not found", 0),
    "/garbage": (200, {}, b"<html>rate limited</html>", 0),
    "/wrong-shape.json": (200, {}, b'{"models": "none"}', 0),
    "/truncated.json": (200, {"Content-Length": str(len(GENAI))}, GENAI[: len(GENAI) // 2], 0),
    "/declared-huge.json": (200, {"Content-Length": str(17 * 1024 * 1024)}, b"[", 0),
    "/slow.json": (200, {}, GENAI, 3.0),
}
REQUESTS: list[str] = []
TODAY = dt.date.today()
VERSION = f"2026.1.0+refresh.{TODAY:%Y%m%d}"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        REQUESTS.append(self.path)
        status, headers, body, delay = ROUTES.get(self.path, (404, {}, b"", 0))
        time.sleep(delay)
        self.send_response(status)
        for key, value in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(key, value)
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)
        self.close_connection = True

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving(Handler) as base:
        yield base


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A user directory whose active catalog is the base catalog 2026.1.0."""
    home = tmp_path / "home"
    installed = run_main("pricing", "update", "--file", str(DATA / "base-catalog.toml"), "--allow-downgrade",
                         env={"AICOST_HOME": str(home)})
    assert installed.exit_code == 0, installed.stderr
    return home


def urls(server: str, litellm: str = "/litellm.json", genai: str = "/genai.json", models: str = "/models.json") -> list[str]:
    return ["--url", f"litellm={server}{litellm}", "--url", f"genai-prices={server}{genai}",
            "--url", f"models.dev={server}{models}"]


def refresh(home: Path, *args: str, offline: str = "") -> Run:
    return run_main("pricing", "refresh", *args, env={"AICOST_HOME": str(home), "AICOST_OFFLINE": offline})



def test_the_report_names_new_models_moved_prices_retirements_and_disagreements(server: str, home: Path) -> None:
    before = snapshot(home)
    result = refresh(home, *urls(server), "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["catalog_version"] == "2026.1.0" and report["applied"] is None
    assert report["new_models"] == [
        {"model": "claude-opus-5", "vendor": "anthropic", "name": "claude-opus-5", "class": "frontier", "reviewed": False,
         "context_window": 1000000,
         "prices": {"input": 5, "output": 25, "cache_read": 0.5, "cache_write": 6.25, "cache_write_1h": 10},
         "tiers": [], "datasets": ["litellm", "genai-prices", "models.dev"], "retired": None},
        {"model": "gemini-3.7-flash", "vendor": "google", "name": "Gemini 3.7 Flash", "class": "small", "reviewed": False,
         "context_window": 1000000, "prices": {"input": 0.75, "output": 3.75, "cache_read": 0.075}, "tiers": [],
         "datasets": ["genai-prices"], "retired": None},
    ]
    assert report["price_changes"] == [
        {"model": "claude-haiku-4-5", "price": "cache_write", "old": None, "new": 1.25, "datasets": ["litellm", "genai-prices"]},
        {"model": "gpt-4o", "price": "input", "old": 2.5, "new": 2, "datasets": ["litellm", "genai-prices", "models.dev"]},
    ]
    assert report["retirements"] == [
        {"model": "claude-haiku-4-5", "retired": "2027-10-15", "dataset": "litellm", "catalog": None},
        {"model": "claude-opus-4", "retired": "2026-05-14", "dataset": "litellm", "catalog": "2026-06-30"},
        {"model": "claude-sonnet-4", "retired": "2026-05-14", "dataset": "litellm", "catalog": None}]
    assert report["disagreements"] == [{"model": "gemini-2.5-flash", "price": "output", "catalog": 2.5,
                                        "values": {"litellm": 2.5, "genai-prices": 2.5, "models.dev": 3}}]
    sources = {s["dataset"]: s for s in report["sources"]}
    assert [s["dataset"] for s in report["sources"]] == ["litellm", "genai-prices", "models.dev"]
    assert sources["litellm"]["url"] == f"{server}/litellm.json"
    # litellm: haiku, opus 5, gpt-4o, gemini-2.5-flash, and the deprecated opus 4, sonnet 4 and haiku snapshot = 7
    assert [sources[d]["models"] for d in ("litellm", "genai-prices", "models.dev")] == [7, 5, 3]
    assert sources["litellm"]["skipped"]["a dated snapshot of a model the catalog has"] == 1
    assert sources["genai-prices"]["skipped"]["prices by time of day (off-peak windows are reviewed by hand)"] == 1
    assert sources["genai-prices"]["skipped"]["another vendor's model hosted by the provider"] == 1
    assert sources["models.dev"]["skipped"] == {"a provider aicost does not cover": 1, "not a text chat model": 1}
    assert dt.datetime.strptime(sources["models.dev"]["fetched"], "%Y-%m-%dT%H:%M:%SZ").date() >= TODAY - dt.timedelta(1)
    assert snapshot(home) == before  # a report changes nothing


def test_the_table_shows_every_price_apply_would_install(server: str, home: Path) -> None:
    result = refresh(home, *urls(server))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 new model(s), 2 price change(s), 3 retirement(s), 1 disagreement(s)"
    opus = [line.split()[:4] for line in lines if line.startswith("new model   claude-opus-5")]
    assert opus == [["new", "model", "claude-opus-5", p] for p in ("input", "output", "cache_read", "cache_write",
                                                                    "cache_write_1h")]
    assert any(line.split()[:5] == ["price", "gpt-4o", "input", "$2.50", "$2.00"] for line in lines)
    assert any(line.startswith("retirement  claude-sonnet-4") and line.endswith("retired from 2026-05-14 (litellm's "
                                                                                 "deprecation date)") for line in lines)
    assert any(line.startswith("retirement  claude-opus-4") and line.endswith("kept: the catalog's reviewed date is "
                                                                               "2026-06-30") for line in lines)
    assert "nothing installed — add --apply" in result.stdout
    csv = refresh(home, *urls(server), "--format", "csv").stdout.splitlines()
    assert csv[0] == "change,model,price,old,new,detail"
    assert "price,gpt-4o,input,2.5,2,"in "\n".join(csv)


def test_apply_installs_what_was_shown_and_use_rolls_back(server: str, home: Path) -> None:
    env = {"AICOST_HOME": str(home)}
    shown = json.loads(refresh(home, *urls(server), "--format", "json").stdout)
    result = refresh(home, *urls(server), "--apply", "--format", "json")
    assert result.exit_code == 0, result.stderr
    applied = json.loads(result.stdout)
    assert applied["applied"] == VERSION
    assert {k: v for k, v in applied.items() if k not in ("applied", "sources")} == \
        {k: v for k, v in shown.items() if k not in ("applied", "sources")}
    assert f"installed catalog {VERSION}" in result.stderr and "pricing use 2026.1.0` rolls back" in result.stderr
    assert (home / "catalogs" / "active").read_text() == f"{VERSION}\n"
    listed = json.loads(run_main("pricing", "versions", "--format", "json", env=env).stdout)
    assert {VERSION, "2026.1.0"} <= {v["version"] for v in listed["versions"]} and listed["active"] == VERSION
    # the new model is priced: 1,000 requests x 10,000 input x $5/M = $50; 1,000 x 1,000 output x $25/M = $25
    opus = ["cost", "--model", "claude-opus-5", "--requests-per-month", "1000", "--input-tokens", "10000",
            "--output-tokens", "1000", "--format", "csv"]
    assert run_main(*opus, env=env).stdout.splitlines()[-1] == "total,,1000,50,0,0,25,75"
    # the moved price from today: 10 requests x 100,000 input x $2.00/M = $2; before today still $2.50/M = $2.50
    gpt = ["cost", "--model", "gpt-4o", "--requests-per-month", "10", "--input-tokens", "100000", "--output-tokens", "0",
           "--format", "csv"]
    assert run_main(*gpt, env=env).stdout.splitlines()[-1] == "total,,10,2,0,0,0,2"
    assert run_main(*gpt, "--as-of", "2026-06-01", env=env).stdout.splitlines()[-1] == "total,,10,2.5,0,0,0,2.5"
    history = json.loads(run_main("pricing", "history", "claude-opus-5", "--format", "json", env=env).stdout)
    period = history["periods"][0]
    assert period["since"] == TODAY.isoformat() and period["checked"] == TODAY.isoformat()
    assert period["source"] == f"{server}/litellm.json"
    assert period["also_sources"] == [f"{server}/genai.json", f"{server}/models.json"]
    assert period["note"] == "from litellm and genai-prices and models.dev, not reviewed"
    shown_sonnet = run_main("pricing", "show", "claude-sonnet-4", env=env)
    assert "retired on 2026-05-14" in shown_sonnet.stdout
    assert "retired on 2026-06-30" in run_main("pricing", "show", "claude-opus-4", "--as-of", "2026-01-01", env=env).stdout
    # a second refresh against the applied version has nothing left to apply, and installs nothing
    before = snapshot(home)
    again = refresh(home, *urls(server), "--apply")
    assert again.exit_code == 0 and "nothing to apply" in again.stdout and snapshot(home) == before
    # roll back
    assert run_main("pricing", "use", "2026.1.0", env=env).exit_code == 0
    assert run_main(*gpt, env=env).stdout.splitlines()[-1] == "total,,10,2.5,0,0,0,2.5"
    assert run_main(*opus, env=env).exit_code == 2


def test_one_dataset_alone(server: str, home: Path) -> None:
    result = refresh(home, "--source", "litellm", "--url", f"{server}/litellm.json", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [m["model"] for m in report["new_models"]] == ["claude-opus-5"]
    assert report["new_models"][0]["prices"] == {"input": 5, "output": 25, "cache_read": 0.5, "cache_write": 6.25}
    assert report["disagreements"] == [] and [s["dataset"] for s in report["sources"]] == ["litellm"]


@pytest.mark.parametrize(
    ("genai", "args", "message"),
    [
        ("/missing", (), "HTTP 404 Not Found"),
        ("/garbage", (), "not a usable JSON price file"),
        ("/wrong-shape.json", (), "genai-prices: the genai-prices data must be a JSON list of providers"),
        ("/truncated.json", (), "truncated"),
        ("/declared-huge.json", (), "more than the 16 MiB"),
        ("/slow.json", ("--timeout", "0.5"), "no answer within 0.5 s"),
    ],
)
def test_every_failure_exits_3_and_changes_nothing(server: str, home: Path, genai: str, args: tuple[str, ...],
                                                   message: str) -> None:
    before = snapshot(home)
    result = refresh(home, *urls(server, genai=genai), "--apply", *args)
    assert result.exit_code == 3, result
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stderr.endswith("(nothing changed)\n") and result.stdout == ""
    assert snapshot(home) == before


def test_a_dataset_with_nothing_of_the_six_vendors_is_refused(server: str, home: Path, tmp_path: Path) -> None:
    before = snapshot(home)
    result = refresh(home, "--source", "models.dev", "--url", f"{server}/genai.json")
    assert result.exit_code == 3 and "models.dev: the models.dev data must be a JSON object of providers" in result.stderr
    assert snapshot(home) == before


def test_offline_refuses_without_a_request(server: str, home: Path) -> None:
    before, asked = snapshot(home), len(REQUESTS)
    result = refresh(home, *urls(server), "--apply", offline="1")
    assert result.exit_code == 3 and "AICOST_OFFLINE=1: no network access" in result.stderr
    assert len(REQUESTS) == asked and snapshot(home) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--source", "openrouter"), "--source openrouter: not a dataset — use litellm, genai-prices or models.dev"),
        (("--source", "litellm,models.dev", "--url", "http://127.0.0.1:9/x.json"),
         "say which dataset it is for — write DATASET=URL"),
        (("--source", "litellm", "--url", "models.dev=http://127.0.0.1:9/x"), "models.dev is not among the datasets read"),
        (("--url", "litellm=http://a/x", "--url", "litellm=http://b/x"), "a second URL for litellm"),
        (("--timeout", "soon"), "--timeout soon: not a number of seconds"),
    ],
)
def test_bad_usage_exits_2_before_any_request(home: Path, args: tuple[str, ...], message: str) -> None:
    asked = len(REQUESTS)
    result = refresh(home, *args)
    assert result.exit_code == 2 and message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert len(REQUESTS) == asked


def test_a_second_refresh_of_the_day_with_other_prices_gets_its_own_version(server: str, home: Path) -> None:
    env = {"AICOST_HOME": str(home)}
    first = refresh(home, "--source", "litellm", "--url", f"{server}/litellm.json", "--apply", "--quiet")
    assert first.exit_code == 0 and first.stderr == "", first.stderr
    assert (home / "catalogs" / "active").read_text() == f"{VERSION}\n"
    # genai-prices adds gemini-3.7-flash (0.75 / 3.75) and claude-opus-5's 1-hour write: another set of prices
    second = refresh(home, *urls(server), "--apply", "--format", "json")
    assert second.exit_code == 0, second.stderr
    report = json.loads(second.stdout)
    assert report["catalog_version"] == VERSION and report["applied"] == f"{VERSION}.2"
    assert [m["model"] for m in report["new_models"]] == ["gemini-3.7-flash"]
    assert report["price_changes"] == [{"model": "claude-opus-5", "price": "cache_write_1h", "old": None, "new": 10,
                                        "datasets": ["genai-prices"]}]
    # 100 requests x 100,000 input tokens x $0.75/M = $7.50
    flash = ["cost", "--model", "gemini-3.7-flash", "--requests-per-month", "100", "--input-tokens", "100000",
             "--output-tokens", "0", "--format", "csv"]
    assert run_main(*flash, env=env).stdout.splitlines()[-1] == "total,,100,7.5,0,0,0,7.5"
    assert run_main("pricing", "use", VERSION, env=env).exit_code == 0
    assert run_main(*flash, env=env).exit_code == 2
    markdown = refresh(home, *urls(server), "--format", "markdown")
    assert markdown.exit_code == 0 and "| new model | gemini-3.7-flash | input |" in markdown.stdout


def test_a_local_copy_needs_no_network_and_cites_the_public_url(home: Path) -> None:
    env = {"AICOST_HOME": str(home)}
    result = refresh(home, "--source", "litellm,models.dev", "--url", f"litellm={DATA / 'litellm.json'}",
                     "--url", f"models.dev={DATA / 'models-dev.json'}", "--apply", "--format", "json", offline="1")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    # models.dev's gemini-2.5-flash output $3 against LiteLLM's $2.50: a disagreement, nothing of it taken
    assert [(d["model"], d["price"]) for d in report["disagreements"]] == [("gemini-2.5-flash", "output")]
    period = json.loads(run_main("pricing", "history", "claude-opus-5", "--format", "json", env=env).stdout)["periods"][0]
    assert period["source"] == "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
    assert period["also_sources"] == ["https://models.dev/api.json"]
    assert period["note"] == "from litellm (a local copy) and models.dev (a local copy), not reviewed"
    missing = refresh(home, "--source", "litellm", "--url", str(DATA / "no-such.json"))
    assert missing.exit_code == 3 and "no-such.json" in missing.stderr and "(nothing changed)" in missing.stderr


def test_urls_alone_choose_the_datasets_and_are_recognised_by_their_shape(server: str, home: Path, tmp_path: Path) -> None:
    asked = len(REQUESTS)
    result = refresh(home, "--url", f"{server}/models.json", "--url", f"{server}/litellm.json", "--format", "json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [s["dataset"] for s in report["sources"]] == ["litellm", "models.dev"]  # no genai-prices: not asked for
    assert REQUESTS[asked:] == ["/models.json", "/litellm.json"]
    named = refresh(home, "--url", f"genai-prices={server}/genai.json", "--format", "json")
    assert [s["dataset"] for s in json.loads(named.stdout)["sources"]] == ["genai-prices"]
    other = tmp_path / "other.json"
    other.write_text('{"data": [{"id": "gpt-4o"}]}', encoding="utf-8")
    before = snapshot(home)
    unknown = refresh(home, "--url", str(other), "--apply")
    assert unknown.exit_code == 3 and "not LiteLLM's, genai-prices' or models.dev's data — write DATASET=URL" in unknown.stderr
    twice = refresh(home, "--url", f"{server}/litellm.json", "--url", f"{server}/litellm.json")
    assert twice.exit_code == 2 and "a second litellm file" in twice.stderr
    assert snapshot(home) == before


def base_catalog() -> Catalog:
    from aicost.catalog import catalog_from_document
    from aicost.documents import read_document

    label, document = read_document(str(DATA / "base-catalog.toml"), "catalog")
    return catalog_from_document(document, label)


def test_genai_prices_dated_and_tiered_prices() -> None:
    """genai-prices' shape for a price cut with long-context tiers (as it writes gpt-5.6-luna): the set in force."""
    from aicost.catalog.datasets import genai_prices_offers

    luna = {"id": "gpt-5.6-luna", "name": "GPT-5.6 Luna", "match": {"equals": "gpt-5.6-luna"}, "context_window": 1050000,
            "prices": [
                {"prices": {"input_mtok": {"base": 1, "tiers": [{"start": 272000, "price": 2}]},
                            "output_mtok": {"base": 6, "tiers": [{"start": 272000, "price": 9}]}}},
                {"constraint": {"start_date": "2026-07-30"},
                 "prices": {"input_mtok": {"base": 0.2, "tiers": [{"start": 272000, "price": 0.4}]},
                            "cache_read_mtok": {"base": 0.02, "tiers": [{"start": 272000, "price": 0.04}]},
                            "output_mtok": {"base": 1.2, "tiers": [{"start": 272000, "price": 1.8}]}}}]}
    data = json.loads(json.dumps([{"id": "openai", "models": [luna]}]), parse_float=Decimal)
    offers, _ = genai_prices_offers(data, dt.date(2026, 12, 7), base_catalog())
    assert [(o.model, o.known, o.context_window) for o in offers] == [("gpt-5.6-luna", False, 1050000)]
    assert offers[0].rates == {"input": Decimal("0.2"), "output": Decimal("1.2"), "cache_read": Decimal("0.02")}
    assert offers[0].tiers == ((272000, (("cache_read", Decimal("0.04")), ("input", Decimal("0.4")),
                                         ("output", Decimal("1.8")))),)
    before, _ = genai_prices_offers(data, dt.date(2026, 7, 29), base_catalog())
    assert before[0].rates == {"input": 1, "output": 6}


def test_models_dev_long_context_prices_and_unusable_entries() -> None:
    from aicost.catalog.datasets import models_dev_offers

    def model(model_id: str, cost: object) -> dict[str, object]:
        return {"id": model_id, "name": model_id, "modalities": {"input": ["text"], "output": ["text"]}, "cost": cost,
                "limit": {"context": 1048576, "output": 65536}}

    google = {"gemini-3-pro": model("gemini-3-pro", {"input": 2, "output": 12, "cache_read": 0.2,
                                                      "context_over_200k": {"input": 4, "output": 18, "cache_read": 0.4}}),
              "gemini-text-price": model("gemini-text-price", {"input": "free", "output": 1}),
              "gemini-negative": model("gemini-negative", {"input": -1, "output": 1}),
              "gemini-no-output": model("gemini-no-output", {"input": 1}),
              "Gemini Spaced": model("Gemini Spaced", {"input": 1, "output": 1}),
              "gemini-half-tier": model("gemini-half-tier", {"input": 1, "output": 2, "context_over_200k": {"input": 2}})}
    data = json.loads(json.dumps({"google": {"id": "google", "name": "Google", "models": google}}), parse_float=Decimal)
    offers, skipped = models_dev_offers(data, dt.date(2026, 12, 7), base_catalog())
    assert [o.model for o in offers] == ["gemini-3-pro"]
    assert offers[0].rates == {"input": 2, "output": 12, "cache_read": Decimal("0.2")}
    assert offers[0].tiers == ((200000, (("cache_read", Decimal("0.4")), ("input", 4), ("output", 18))),)
    assert skipped == {"a price that is not usable": 3, "no input and output price": 1, "an id aicost cannot use": 1}


@pytest.mark.parametrize(("model_id", "text"), [
    ("text-embedding-3-small", False), ("gpt-4o-mini-tts", False), ("gemini-2.5-flash-native-audio-latest", False),
    ("gpt-image-1", False), ("gemma-3", False), ("gpt-4o-realtime-preview", False), ("gemini-3.1-flash-live-preview", False),
    ("computer-use-preview", False), ("claude-opus-5", True), ("gpt-6-deliver", True), ("o3-deep-research", True),
    ("gemini-3-pro", True)])
def test_what_counts_as_a_text_model(model_id: str, text: bool) -> None:
    """Whole parts of the id name a non-text model: "deliver" is not "live"."""
    from aicost.catalog.datasets import _NOT_TEXT

    assert (_NOT_TEXT.search(model_id) is None) is text
