"""`aicost route` and `aicost route plan` through the real command line (typer's CliRunner, colour off).

Arithmetic is worked out in the comments on the routing test catalog (the shared test catalog plus the models
of test_routing.py, written to a file here), at 2025-08-01: alpha 4 / 16, beta 0.5 / 1.5, tiny 0.2 / 0.8,
mid 1 / 4, omega 2 / 8 USD per Mtok.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import tomli_w

from clihelp import Run, run
from test_routing import routing_catalog_document

D = Decimal

# 1000 requests a month of 1000 in / 250 out: alpha 8.00, beta 0.875, tiny 0.40, mid 2.00, omega 4.00 a month
PLAIN = """\
version = 1
name = "plain"

[[streams]]
name = "chat"
model = "alpha"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 250

[routing]
small = "beta"
frontier = "alpha"
small_share = 0.8

[quality]
tiny = 0.5
beta = 0.6
mid = 0.75
omega = 0.85
alpha = 0.9
"""

# two streams: "cached" carries its own routing (tiny at 0.5); "batchy" takes the file's [routing]
STREAMS = """\
version = 1
name = "two-streams"

[[streams]]
name = "cached"
model = "alpha"
requests_per_month = 1000
input_tokens = 2000
output_tokens = 200
cached_input_share = 0.5
routing = { small = "tiny", small_share = 0.5 }

[[streams]]
name = "batchy"
model = "alpha"
requests_per_month = 2000
input_tokens = 1000
output_tokens = 250
batch_share = 0.5

[routing]
small = "tiny"
frontier = "alpha"
small_share = 0.9
"""


@pytest.fixture(scope="module")
def catalog_path(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("catalog") / "routing-catalog.toml"
    path.write_text(tomli_w.dumps(routing_catalog_document()), encoding="utf-8")
    return str(path)


@pytest.fixture
def plain(tmp_path: Path) -> str:
    path = tmp_path / "plain.toml"
    path.write_text(PLAIN, encoding="utf-8")
    return str(path)


@pytest.fixture
def streams(tmp_path: Path) -> str:
    path = tmp_path / "streams.toml"
    path.write_text(STREAMS, encoding="utf-8")
    return str(path)


def route(catalog_path: str, *args: str) -> Run:
    return run("route", *args, "--catalog", catalog_path, "--as-of", "2025-08-01")


def route_json(catalog_path: str, *args: str) -> dict[str, Any]:
    result = route(catalog_path, *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_route_json_contract_and_defaults_from_the_file(catalog_path: str, plain: str) -> None:
    document = route_json(catalog_path, plain)
    assert {"schema_version", "catalog_version", "as_of", "currency", "mode", "small", "frontier", "small_share",
            "baseline_monthly_cost", "plan_monthly_cost", "saving"} <= set(document)
    assert (document["schema_version"], document["catalog_version"], document["as_of"]) == (1, "2025.1.0", "2025-08-01")
    # [routing]: beta -> alpha at 0.8: 0.8 x 0.875 + 0.2 x 8 = 2.3 of 8.00; saving 0.7125; ratio 0.109375
    assert (document["mode"], document["small"], document["frontier"]) == ("router", "beta", "alpha")
    assert document["small_share"] == D("0.8")
    assert document["baseline_monthly_cost"] == D(8)
    assert document["plan_monthly_cost"] == D("2.3")
    assert document["saving"] == D("0.7125")
    assert document["price_ratio"] == D("0.109375")
    assert document["ceiling_saving"] == D("0.8")
    breakdown = document["breakdown"]
    assert breakdown["small"]["monthly_cost"] == D("0.7") and breakdown["frontier"]["monthly_cost"] == D("1.6")
    assert breakdown["router_overhead"] == 0 and breakdown["verifier_overhead"] == 0


def test_flags_override_the_file(catalog_path: str, plain: str) -> None:
    # --small tiny --share 90%: 0.9 x 0.4 + 0.1 x 8 = 1.16; saving 1 - 1.16 / 8 = 0.855
    document = route_json(catalog_path, plain, "--small", "tiny", "--share", "90%")
    assert (document["small"], document["small_share"], document["plan_monthly_cost"]) == ("tiny", D("0.9"), D("1.16"))
    assert document["saving"] == D("0.855")


def test_router_overhead_in_json_and_table(catalog_path: str, plain: str) -> None:
    # 0.50 per 1,000 requests -> 0.50 a month; plan 2.8; saving 0.65
    document = route_json(catalog_path, plain, "--router-cost", "0.5")
    assert document["breakdown"]["router_overhead"] == D("0.5")
    assert document["plan_monthly_cost"] == D("2.8")
    assert document["saving"] == D("0.65")
    table = route(catalog_path, plain, "--router-cost", "0.5").stdout
    assert "router overhead" in table and "$0.50" in table and "$2.80" in table and "65.0 %" in table
    # classifier beta, 200 in / 2 out: (100 + 3) / 1e6 x 1000 = 0.103
    document = route_json(catalog_path, plain, "--classifier", "beta", "--classifier-input-tokens", "200",
                          "--classifier-output-tokens", "2")
    assert document["breakdown"]["router_overhead"] == D("0.103")
    assert document["overheads"]["router"] == {"model": "beta", "input_tokens": 200, "output_tokens": 2}


def test_cascade_with_a_verifier(catalog_path: str, plain: str) -> None:
    # beta on every request 0.875 + 10 % on alpha 0.8 + verifier 2.00 per 1,000 -> 2.00 = 3.675; saving 0.540625
    document = route_json(catalog_path, plain, "--mode", "cascade", "--escalation", "0.1", "--verifier-cost", "2")
    assert (document["mode"], document["escalation"], document["small_share"]) == ("cascade", D("0.1"), D("0.9"))
    assert document["breakdown"]["verifier_overhead"] == D(2)
    assert document["breakdown"]["small"]["monthly_requests"] == 1000
    assert document["breakdown"]["frontier"]["monthly_requests"] == 100
    assert document["plan_monthly_cost"] == D("3.675")
    assert document["saving"] == D("0.540625")
    assert document["ceiling_saving"] == D("0.9")
    table = route(catalog_path, plain, "--mode", "cascade", "--escalation", "0.1", "--verifier-cost", "2").stdout
    assert "verifier overhead" in table and "$2.00" in table and "$3.68" in table and "escalating 10.0 %" in table


def test_per_stream_plans_with_cache_and_batch(catalog_path: str, streams: str) -> None:
    document = route_json(catalog_path, streams)
    cached, batchy = document["streams"]
    # cached on tiny at its own 0.5: tiny 0.38, alpha 7.60 a month -> 0.19 + 3.8 = 3.99
    assert (cached["small"], cached["small_share"], cached["plan_monthly_cost"]) == ("tiny", D("0.5"), D("3.99"))
    assert cached["breakdown"]["small"]["cached_input"] == D("0.01")  # 500 requests x 1000 x 0.02 / 1e6
    # batchy, half through the batch API, at the file's 0.9:
    #   alpha: standard 0.008, batch (1000 x 2 + 250 x 8) / 1e6 = 0.004 -> mean 0.006 x 2000 = 12.00
    #   tiny:  standard 0.0004, batch (100 + 100) / 1e6 = 0.0002 -> mean 0.0003 x 2000 = 0.60
    #   plan 0.9 x 0.6 + 0.1 x 12 = 0.54 + 1.2 = 1.74
    assert batchy["baseline_monthly_cost"] == D(12)
    assert batchy["plan_monthly_cost"] == D("1.74")
    # total: plan 3.99 + 1.74 = 5.73 of 7.6 + 12 = 19.6; saving 1 - 5.73 / 19.6 = 0.707653 (6 places)
    assert document["plan_monthly_cost"] == D("5.73")
    assert document["baseline_monthly_cost"] == D("19.6")
    assert document["saving"] == D("0.707653")
    # small share over all requests: (0.5 x 1000 + 0.9 x 2000) / 3000 = 0.766667
    assert document["small_share"] == D("0.766667")
    table = route(catalog_path, streams).stdout
    for text in ("cached", "batchy", "total", "$3.99", "$1.74", "$5.73", "$19.60"):
        assert text in table
    # --share overrides both the stream's and the file's share: cached 0.8 x 0.38 + 0.2 x 7.6 = 1.824;
    # batchy 0.8 x 0.6 + 0.2 x 12 = 2.88
    flagged = route_json(catalog_path, streams, "--share", "0.8")
    assert [s["plan_monthly_cost"] for s in flagged["streams"]] == [D("1.824"), D("2.88")]


def test_sweep_table_json_and_chart(catalog_path: str, plain: str) -> None:
    # plan(s) = 8 - 7.125 s; saving 0.890625 s (JSON rounds half-even to 6 places: 0.4453125 -> 0.445312)
    document = route_json(catalog_path, plain, "--sweep", "--step", "25%")
    assert [(p["small_share"], p["plan_monthly_cost"], p["saving"]) for p in document["sweep"]] == [
        (0, 8, 0), (D("0.25"), D("6.21875"), D("0.222656")), (D("0.5"), D("4.4375"), D("0.445312")),
        (D("0.75"), D("2.65625"), D("0.667969")), (1, D("0.875"), D("0.890625"))]
    table = route(catalog_path, plain, "--sweep").stdout
    assert "Saving by small share" in table
    assert "100.0 % |" in table and "89.1 %" in table
    lines = [line for line in table.splitlines() if line.startswith(" 50.0 % |")]
    assert lines == [" 50.0 % |" + "█" * 18 + " 44.5 %"]  # 0.4453125 x 40 characters = 17.8 -> 18


def test_target_saving_router_and_cascade(catalog_path: str, plain: str) -> None:
    # router: 0.890625 s = 0.4453125 -> s = 0.5
    document = route_json(catalog_path, plain, "--target-saving", "0.4453125")
    assert document["target"]["small_share"] == D("0.5")
    assert document["small_share"] == D("0.5") and document["saving"] == D("0.445312")
    # cascade: 0.890625 - e = 0.690625 -> e = 0.2
    document = route_json(catalog_path, plain, "--mode", "cascade", "--target-saving", "0.690625")
    assert document["target"]["escalation"] == D("0.2")
    assert document["plan_monthly_cost"] == D("2.475")
    table = route(catalog_path, plain, "--mode", "cascade", "--target-saving", "0.690625").stdout
    assert "escalate at most 20.0 % of requests" in table


def test_target_above_the_ceiling_exits_2_naming_the_ceiling(catalog_path: str, plain: str) -> None:
    # all on beta saves 1 - 0.875 / 8 = 0.890625 at most
    result = route(catalog_path, plain, "--target-saving", "0.95")
    assert result.exit_code == 2
    assert "--target-saving 0.95: above the ceiling of 89.1 % (0.890625)" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    # a router's 0.50 a month is not paid at a 100 % small share (nothing is split): the ceiling stays
    result = route(catalog_path, plain, "--router-cost", "0.5", "--target-saving", "90%")
    assert result.exit_code == 2 and "ceiling of 89.1 %" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--small", "gpt4o"), "unknown model 'gpt4o'"),
        (("--share", "1.2"), "--share 1.2: must be between 0 and 1"),
        (("--mode", "fanout"), "Invalid value for '--mode': 'fanout' is not one of 'router', 'cascade'"),
        (("--router-cost", "1", "--classifier", "beta"), "give one of them"),
        (("--mode", "cascade", "--escalation", "0.1", "--router-cost", "1"), "applies to router mode"),
        (("--classifier-input-tokens", "10",), "need --classifier"),
        (("--small", "alpha"), "both alpha"),
        (("--step", "0", "--sweep"), "--step 0: must be at least 0.001"),
    ],
)
def test_bad_usage_exits_2_in_one_line(catalog_path: str, plain: str, args: tuple[str, ...], message: str) -> None:
    result = route(catalog_path, plain, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unpriceable_small_model_is_an_error_not_free(catalog_path: str, streams: str) -> None:
    # beta has no cache-read price and the "cached" stream reads from the cache
    result = route(catalog_path, streams, "--small", "beta")
    assert result.exit_code == 2
    assert "beta has no cache-read price" in result.stderr and "unknown, not free" in result.stderr


def test_default_subcommand_and_help(catalog_path: str, plain: str) -> None:
    help_text = run("route", "--help")
    assert help_text.exit_code == 0
    assert "--share" in help_text.stdout and "--target-saving" in help_text.stdout and "plan" in help_text.stdout
    assert "estimate" not in help_text.stdout  # the hidden default command
    plan_help = run("route", "plan", "--help").stdout
    assert plan_help.startswith("Usage: aicost route plan") and "--quality-floor" in plan_help
    # options before the workload also run the default command
    result = run("route", "--share", "0.8", plain, "--catalog", catalog_path, "--as-of", "2025-08-01", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout, parse_float=Decimal)["plan_monthly_cost"] == D("2.3")


def test_stdin_workload(catalog_path: str) -> None:
    result = run("route", "-", "--catalog", catalog_path, "--as-of", "2025-08-01", "-f", "json", stdin=PLAIN)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout, parse_float=Decimal)["saving"] == D("0.7125")


def test_max_checks_the_plan_cost(catalog_path: str, plain: str) -> None:
    assert route(catalog_path, plain, "--max", "3").exit_code == 0  # plan 2.30
    over = route(catalog_path, plain, "--max", "2")
    assert over.exit_code == 1 and "over budget" in over.stderr


def test_table_csv_markdown_render_the_json_numbers(catalog_path: str, streams: str) -> None:
    document = route_json(catalog_path, streams)
    table = route(catalog_path, streams).stdout
    rows = list(csv.DictReader(io.StringIO(route(catalog_path, streams, "--format", "csv").stdout)))
    markdown = route(catalog_path, streams, "--format", "markdown").stdout
    by_name = {row["stream"]: row for row in rows}
    for stream in document["streams"]:
        row = by_name[stream["name"]]
        assert D(row["plan_monthly_cost"]) == stream["plan_monthly_cost"]
        assert D(row["baseline_monthly_cost"]) == stream["baseline_monthly_cost"]
        assert D(row["saving"]) == stream["saving"]
        assert D(row["small_share"]) == stream["small_share"]
    assert D(by_name["total"]["plan_monthly_cost"]) == document["plan_monthly_cost"]
    assert D(by_name["total"]["saving"]) == document["saving"]
    # people's formats: $5.73 of $19.60, saving 70.8 %
    for text in (table, markdown):
        assert "$5.73" in text and "$19.60" in text
    assert "70.8 %" in table and "70.8%" in markdown
    assert markdown.startswith("<!-- aicost:route -->")
    # with --sweep, the sweep is the csv's table
    sweep_rows = list(csv.DictReader(io.StringIO(route(catalog_path, streams, "--sweep", "-f", "csv").stdout)))
    assert [row["small_share"] for row in sweep_rows][:2] == ["0", "0.1"]


def test_article_claim_on_the_shipped_catalog(tmp_path: Path) -> None:
    # DeepSeek V2 (0.14 / 0.28) for 90 % of a 3:1 workload, GPT-4o (2.50 / 10) for 10 %:
    # per 1M tokens 0.175 vs 4.375, ratio 0.04, saving 0.9 x 0.96 = 0.864
    path = tmp_path / "article.toml"
    path.write_text('version = 1\n[[streams]]\nname = "chat"\nmodel = "gpt-4o"\nrequests_per_day = 1000\n'
                    "input_tokens = 750\noutput_tokens = 250\n", encoding="utf-8")
    result = run("route", str(path), "--small", "deepseek-v2", "--frontier", "gpt-4o", "--share", "0.9",
                 "--as-of", "2026-03-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=Decimal)
    assert document["saving"] == D("0.864")
    assert document["price_ratio"] == D("0.04")
    table = run("route", str(path), "--small", "deepseek-v2", "--frontier", "gpt-4o", "--share", "0.9",
                "--as-of", "2026-03-01").stdout
    assert "saving 86.4 %" in table
    # the honest counter-example: Qwen3-Max (0.46 / 1.84): 0.805 / 4.375 = 0.184; 0.9 x 0.816 = 0.7344
    qwen = run("route", str(path), "--small", "qwen3-max", "--frontier", "gpt-4o", "--share", "0.9",
               "--as-of", "2026-03-01", "--format", "json")
    assert json.loads(qwen.stdout, parse_float=Decimal)["saving"] == D("0.7344")


@pytest.mark.slow
def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    path = tmp_path / "article.toml"
    path.write_text('version = 1\n[[streams]]\nmodel = "gpt-4o"\nrequests_per_month = 1000000\n'
                    "input_tokens = 750\noutput_tokens = 250\n", encoding="utf-8")
    completed = subprocess.run(
        [sys.executable, "-m", "aicost", "route", str(path), "--small", "deepseek-v2", "--share", "0.9",
         "--as-of", "2026-03-01", "-f", "json"],
        capture_output=True, text=True, check=False,
    )
    assert completed.returncode == 0, completed.stderr
    # 1M requests of 1000 tokens = 1,000M tokens: 1000 x 4.375 = 4375 all-frontier; plan 0.136 x 4375 = 595
    document = json.loads(completed.stdout, parse_float=Decimal)
    assert (document["baseline_monthly_cost"], document["plan_monthly_cost"]) == (D(4375), D(595))


# ---------------------------------------------------------------------------------------------- planner


def plan_json(catalog_path: str, *args: str) -> dict[str, Any]:
    result = run("route", "plan", *args, "--catalog", catalog_path, "--as-of", "2025-08-01", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout, parse_float=Decimal)
    return document


def test_plan_with_quality_floor(catalog_path: str, plain: str) -> None:
    document = plan_json(catalog_path, plain, "--candidates", "tiny,omega", "--quality-floor", "0.8")
    # today: alpha, 8.00, quality 0.9. omega alone meets 0.8: switch, 4.00, saving 50 %; tiny routed with alpha
    # needs (0.8 - 0.5) / (0.9 - 0.5) = 75 % frontier calls (random curve): 0.25 x 0.4 + 0.75 x 8 = 6.10
    assert (document["today_monthly_cost"], document["today_quality"], document["anchors"]) == (8, D("0.9"), ["alpha"])
    assert (document["kind"], document["small"], document["frontier"]) == ("switch", "omega", None)
    assert (document["plan_monthly_cost"], document["saving"]) == (4, D("0.5"))
    assert [(p["kind"], p["small"], p["plan_monthly_cost"]) for p in document["plans"]] == [
        ("switch", "omega", 4), ("route", "tiny", D("6.1")), ("keep", "alpha", 8)]
    assert [p["small"] for p in document["pareto"]] == ["omega", "alpha"]  # alpha: today, dearer but better (0.9)
    # user points 0.1:0.4,0.3:0.75: 75 % of the gap at a 30 % frontier share: 0.7 x 0.4 + 0.3 x 8 = 2.68
    points = plan_json(catalog_path, plain, "--candidates", "tiny,omega", "--quality-floor", "0.8",
                       "--curve", "0.1:0.4,0.3:0.75")
    assert (points["kind"], points["small"], points["small_share"], points["plan_monthly_cost"]) == (
        "route", "tiny", D("0.7"), D("2.68"))


def test_plan_excludes_unpriceable_and_unscored_models(catalog_path: str, plain: str) -> None:
    document = plan_json(catalog_path, plain, "--quality-floor", "0.7")
    reasons = {e["model"]: e["reason"] for e in document["excluded"]}
    assert "no output price" in reasons["delta"]
    assert "no quality score" in reasons["gamma-free"]
    table = run("route", "plan", plain, "--quality-floor", "0.7", "--catalog", catalog_path, "--as-of", "2025-08-01")
    assert "Excluded models" in table.stdout and "Pareto frontier" in table.stdout
    assert "anchor alpha, today $8.00 a month" in table.stdout


def test_plan_refusals(catalog_path: str, plain: str) -> None:
    result = run("route", "plan", plain, "--quality-floor", "0.95", "--catalog", catalog_path, "--as-of", "2025-08-01")
    assert result.exit_code == 2 and "no plan reaches it" in result.stderr and "0.9 (alpha)" in result.stderr
    result = run("route", "plan", plain, "--curve", "0.5", "--catalog", catalog_path)
    assert result.exit_code == 2 and "--curve" in result.stderr


def test_plan_keeps_today_when_nothing_is_cheaper(catalog_path: str, plain: str) -> None:
    # the floor 0.9 is met by alpha alone, today's model: routing omega or tiny with alpha would need every request
    # on alpha, and neither meets 0.9 alone
    result = run("route", "plan", plain, "--candidates", "tiny,omega", "--quality-floor", "0.9", "--catalog",
                 catalog_path, "--as-of", "2025-08-01", "-f", "json")
    document = json.loads(result.stdout, parse_float=D)
    assert result.exit_code == 0
    assert [(p["kind"], p["small"], p["plan_monthly_cost"]) for p in document["plans"]] == [("keep", "alpha", 8)]
    assert document["unreachable"] == [] and document["plans_total"] == 1
    table = run("route", "plan", plain, "--candidates", "alpha", "--catalog", catalog_path, "--as-of", "2025-08-01")
    assert table.exit_code == 0
    assert "Keep today's setup (alpha): $8.00 a month — no plan here is cheaper; expected quality 0.9000." in table.stdout


def test_plan_at_a_fixed_share_and_top(catalog_path: str, plain: str) -> None:
    # no floor: routes at the file's 0.8; the cheapest option switches everything to the free gamma-free
    document = plan_json(catalog_path, plain, "--top", "3")
    assert (document["kind"], document["small"], document["plan_monthly_cost"]) == ("switch", "gamma-free", 0)
    assert len(document["plans"]) == 3 and document["plans_total"] > 3
    routes = [p for p in document["plans"] if p["kind"] == "route"]
    assert all(p["small_share"] == D("0.8") and p["frontier"] == "alpha" for p in routes)
    # --frontier omega: tiny's route at 0.8: 0.8 x 0.4 + 0.2 x 4 = 1.12 against today's 8.00
    anchored = plan_json(catalog_path, plain, "--frontier", "omega", "--candidates", "tiny")
    (route_plan,) = [p for p in anchored["plans"] if p["kind"] == "route"]
    assert (route_plan["frontier"], route_plan["plan_monthly_cost"], route_plan["saving"]) == ("omega", D("1.12"),
                                                                                              D("0.86"))


@pytest.mark.slow
def test_shell_completion_offers_subcommands_and_default_options() -> None:
    # `aicost route <TAB>` stays on the group: its subcommands and the hidden default command's options
    def complete(words: str, cword: int) -> list[str]:
        env = {"_AICOST_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        completed = subprocess.run([sys.executable, "-m", "aicost"], capture_output=True, text=True, check=False,
                                   env={**os.environ, **env})
        return completed.stdout.split()

    assert "plan" in complete("aicost route pl", 2)
    assert complete("aicost route --sha", 2) == ["--share"]
    assert "deepseek-v2" in complete("aicost route --small deepseek-v", 3)
    assert complete("aicost route plan --quality-f", 3) == ["--quality-floor"]


def test_warnings_for_a_dearer_small_model_and_a_losing_plan() -> None:
    """gpt-4o as the "small" side of gpt-4o-mini: the pair costs 16.667x (2.5 / 0.15 on input, 10 / 0.6 on output)."""
    from clihelp import run_main

    result = run_main("route", "--model", "gpt-4o-mini", "--requests-per-day", "100", "--input-tokens", "1000",
                      "--output-tokens", "100", "--small", "gpt-4o", "--share", "0.5", "--as-of", "2026-03-01", "-q")
    assert result.exit_code == 0
    # all-frontier: 3,041.67 requests x (1,000 x 0.15 + 100 x 0.6) / 1e6 = $0.64; half on gpt-4o: + 1,520.83 x 0.0035
    assert result.stderr.splitlines() == [
        "aicost: warning: the small model costs 16.667x the frontier model on this workload — swap them, or choose a "
        "cheaper small model",
        "aicost: warning: this plan costs more than all-frontier ($5.64 against $0.64 a month)",
    ]


def test_break_even_and_evaluation_on_the_articles_workload() -> None:
    from clihelp import run_main

    article = str(Path(__file__).resolve().parent.parent / "docs" / "examples" / "article.toml")
    result = run_main("route", article, "--as-of", "2026-03-01", "--eval-prompts", "100", "--judge", "gpt-4o",
                      "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout, parse_float=D)
    # 1M requests: all gpt-4o 4,375, plan 595: (4,375 - 595) x 1,000 / 1e6 = 3.78 per 1,000 requests
    assert document["break_even"] == {"max_router_cost_per_1000": D("3.78")}
    # 100 prompts on deepseek-v2 (175 / 1e6 a request) and gpt-4o (4,375 / 1e6): 0.455; the gpt-4o judge reads
    # 750 + 2 x 250 = 1,250 tokens x 2.50 / 1e6 + 1 token x 10 / 1e6 = 0.003135 a prompt: 0.3135 -> 0.7685;
    # payback 0.7685 / 3,780 = 0.000203 months
    assert document["evaluation"] == {"prompts": 100, "cost": D("0.7685"), "payback_months": D("0.000203"),
                                      "share_interval": [D("0.825634"), D("0.944771")]}
    # saving(x) = x x (1 - 175 / 4,375) = 0.96 x: 0.96 x 0.825634 = 0.792609, 0.96 x 0.944771 = 0.906980
    assert document["saving_interval"] == [D("0.792609"), D("0.90698")]
    result = run_main("route", article, "--as-of", "2026-03-01", "--judge", "gpt-4o")
    assert result.exit_code == 2 and "--eval-prompts" in result.stderr
