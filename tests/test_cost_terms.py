"""`aicost cost` names every non-default term of a stream — speed, region, 1-hour cache writes, off-peak share — in
JSON `streams` and in the table's Terms column (shown only when some stream has one), beside host and tier.

Prices (bundled catalog, 2026-12-01): claude-opus-5 input 5.00, output 25.00, fast mode x2, US-only region x1.1;
claude-haiku-4-5 input 1.00, 1-hour write 2.00, output 5.00; deepseek-flash peak 0.30 / 1.20, off-peak 0.15 / 0.60.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from clihelp import run

D = Decimal
WORKLOAD = """version = 1
name = "terms"

[[streams]]
name = "fast-us"
model = "claude-opus-5"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
speed = "fast"
region = "us"

[[streams]]
name = "hour"
model = "claude-haiku-4-5"
requests_per_month = 1000
input_tokens = 10000
cache_write_tokens = 4000
output_tokens = 500
cache_ttl = "1h"

[[streams]]
name = "night"
model = "deepseek-flash"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
off_peak_share = 0.25

[[streams]]
name = "plain"
model = "claude-haiku-4-5"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
"""


def cost(tmp_path: Path, text: str, form: str) -> str:
    path = tmp_path / "w.toml"
    path.write_text(text, encoding="utf-8")
    result = run("cost", str(path), "--as-of", "2026-12-01", "--catalog", "bundled", "--format", form)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_json_streams_name_every_term(tmp_path: Path) -> None:
    streams: list[dict[str, Any]] = json.loads(cost(tmp_path, WORKLOAD, "json"), parse_float=Decimal)["streams"]
    terms = {s["name"]: {k: s.get(k) for k in ("speed", "region", "cache_ttl", "off_peak_share")} for s in streams}
    assert terms["fast-us"] == {"speed": "fast", "region": "us", "cache_ttl": None, "off_peak_share": None}
    assert terms["hour"]["cache_ttl"] == "1h" and terms["night"]["off_peak_share"] == D("0.25")
    assert set(terms["plain"].values()) == {None}
    costs = {s["name"]: s["monthly_cost"] for s in streams}
    # fast-us: (1,000 x 5 + 100 x 25) x 2 x 1.1 = 7,500 x 2.2 = 16,500 / 1e6 x 1,000 requests = $16.50 a month
    # hour: (6,000 x 1 + 4,000 x 2 + 500 x 5) / 1e6 x 1,000 = 16,500 / 1,000 = $16.50; night: 0.42 - 0.21 x 0.25 = $0.3675
    assert (costs["fast-us"], costs["hour"], costs["night"]) == (D("16.5"), D("16.5"), D("0.3675"))


def test_table_terms_column_only_when_a_stream_has_one(tmp_path: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cost(tmp_path, WORKLOAD, "csv"))))
    assert [(row["stream"], row["terms"]) for row in rows] == [
        ("fast-us", "fast, region us"), ("hour", "1h cache"), ("night", "off-peak 25.0 %"), ("plain", ""),
        ("total", "")]
    plain = WORKLOAD[:WORKLOAD.index('[[streams]]\nname = "plain"')].replace('speed = "fast"\nregion = "us"\n', "")
    plain = plain.replace('cache_ttl = "1h"\n', "").replace("off_peak_share = 0.25\n", "")
    assert "terms" not in cost(tmp_path, plain, "csv").splitlines()[0]
