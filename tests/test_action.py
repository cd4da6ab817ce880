"""The GitHub Action (action.yml): its script, .github/action/aicost_action.py, run as the runner runs it — in a git
checkout whose base branch is at origin/main, with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and GITHUB_EVENT_PATH
pointing at files, `aicost` on PATH, and the GitHub REST API faked by an http.server on 127.0.0.1 that keeps
the pull request's comments (100 comments by others already there, so the action's is on page 2).

Costs (tests/shellhelp.py, test catalog at 2025-08-01): OLD 8.155 a month, NEW 2.694; NEW - OLD = -5.461.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from httphelp import serving
from shellhelp import AUGUST, NEW_TOML, OLD_TOML, ROOT, TEST_CATALOG, checkout, clean_env, git, make_bin

SCRIPT = ROOT / ".github" / "action" / "aicost_action.py"
ACTION = ROOT / "action.yml"
TOKEN = "ghs_test-token"
REPOSITORY = "acme/support"
NUMBER = 7
MARKER = "<!-- aicost-action:aicost.toml -->"


@dataclass
class FakeGitHub:
    """Issue comments of one pull request, and every request the action made."""
    comments: list[dict[str, Any]] = field(default_factory=list)
    requests: list[tuple[str, str, str | None, Any]] = field(default_factory=list)
    refuse_writes: bool = False
    next_id: int = 1000

    def reset(self) -> None:
        self.comments = [{"id": i, "body": f"<!-- other-bot -->\nunrelated comment {i}", "html_url": f"https://c/{i}"}
                         for i in range(1, 101)]
        self.requests = []
        self.refuse_writes = False
        self.next_id = 1000


GITHUB = FakeGitHub()
PREFIX = f"/repos/{REPOSITORY}/issues"


class Handler(BaseHTTPRequestHandler):
    def answer(self, status: int, document: object) -> None:
        data = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def record(self) -> tuple[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else None
        path = urlsplit(self.path).path
        GITHUB.requests.append((self.command, self.path, self.headers.get("Authorization"), body))
        return path, body

    def do_GET(self) -> None:
        path, _ = self.record()
        query = parse_qs(urlsplit(self.path).query)
        if path != f"{PREFIX}/{NUMBER}/comments":
            return self.answer(404, {"message": "Not Found"})
        per_page, page = int(query["per_page"][0]), int(query["page"][0])
        self.answer(200, GITHUB.comments[(page - 1) * per_page: page * per_page])

    def do_POST(self) -> None:
        path, body = self.record()
        if GITHUB.refuse_writes:
            return self.answer(403, {"message": "Resource not accessible by integration"})
        if path != f"{PREFIX}/{NUMBER}/comments" or set(body) != {"body"}:
            return self.answer(422, {"message": "Validation Failed"})
        GITHUB.next_id += 1
        comment = {"id": GITHUB.next_id, "body": body["body"], "html_url": f"https://github.test/c/{GITHUB.next_id}"}
        GITHUB.comments.append(comment)
        self.answer(201, comment)

    def do_PATCH(self) -> None:
        path, body = self.record()
        match = re.fullmatch(rf"{PREFIX}/comments/([0-9]+)", path)
        found = [c for c in GITHUB.comments if match and c["id"] == int(match.group(1))]
        if not found or set(body) != {"body"}:
            return self.answer(404, {"message": "Not Found"})
        found[0]["body"] = body["body"]
        self.answer(200, found[0])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def api() -> Iterator[str]:
    with serving(Handler) as base:
        yield base


@pytest.fixture()
def github() -> FakeGitHub:
    GITHUB.reset()
    return GITHUB


@dataclass
class Step:
    status: int
    stderr: str
    outputs: dict[str, str]
    summary: str


def run_action(tmp_path: Path, repo: Path, api: str, head: str | None = None, **inputs: str) -> Step:
    """The action's step with `head` as the pull request's aicost.toml; inputs as action.yml passes them."""
    if head is not None:
        (repo / "aicost.toml").write_text(head)
    runner = tmp_path / "runner"
    runner.mkdir(exist_ok=True)
    for name in ("output.txt", "summary.md"):
        (runner / name).unlink(missing_ok=True)
    event = runner / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": NUMBER}}))
    defaults = {"WORKLOAD": "aicost.toml", "CHECKS": "budget,diff", "BASE_REF": "main", "AS_OF": AUGUST,
                "CATALOG": str(TEST_CATALOG), "COMMENT": "true", "GITHUB_TOKEN": TOKEN}
    env = clean_env(make_bin(tmp_path / "bin"), GITHUB_API_URL=api, GITHUB_REPOSITORY=REPOSITORY,
                    GITHUB_EVENT_PATH=str(event), GITHUB_OUTPUT=str(runner / "output.txt"),
                    GITHUB_STEP_SUMMARY=str(runner / "summary.md"), RUNNER_TEMP=str(runner),
                    **{f"INPUT_{key}": value for key, value in {**defaults, **inputs}.items()})
    result = subprocess.run([sys.executable, str(SCRIPT)], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    output = runner / "output.txt"
    outputs = dict(line.split("=", 1) for line in output.read_text().splitlines()) if output.exists() else {}
    summary = runner / "summary.md"
    return Step(result.returncode, result.stderr, outputs, summary.read_text() if summary.exists() else "")


def with_budget(text: str, amount: str) -> str:
    return text + f"\n[budget]\nmonthly = {amount}\n"


def test_first_run_creates_the_comment_and_the_second_updates_it(tmp_path: Path, api: str, github: FakeGitHub) -> None:
    repo = checkout(tmp_path, OLD_TOML)
    first = run_action(tmp_path, repo, api, with_budget(NEW_TOML, "10"))
    assert first.status == 0, first.stderr
    # 2.694 within 10: headroom 10 - 2.694 = 7.306; change 2.694 - 8.155 = -5.461
    assert first.outputs == {"verdict": "pass", "monthly-cost": "2.694", "currency": "USD", "catalog-version": "2025.1.0",
                             "change": "-5.461", "old-monthly-cost": "8.155", "budget": "10", "headroom": "7.306",
                             "within-budget": "true", "comment-url": "https://github.test/c/1001"}
    methods = [(method, path) for method, path, _, _ in github.requests]
    listing = f"{PREFIX}/{NUMBER}/comments?per_page=100"
    assert methods == [("GET", f"{listing}&page=1"), ("GET", f"{listing}&page=2"), ("POST", f"{PREFIX}/{NUMBER}/comments")]
    assert {auth for _, _, auth, _ in github.requests} == {f"Bearer {TOKEN}"}
    body = github.requests[-1][3]["body"]
    assert body.startswith(f"{MARKER}\n## aicost: `aicost.toml` — ✅ within the limits\n")
    assert "**Monthly cost down $5.46 (-67.0 %): $8.16 → $2.69**" in body
    assert "old: main/aicost.toml" in body and "new: head/aicost.toml" in body
    assert "**Within budget: $2.69 of $10.00 a month (26.9 %), headroom $7.31**" in body
    assert first.summary == body + "\n"

    # the next push puts it over a budget of 2: over by 2.694 - 2 = 0.694; the same comment is updated
    github.requests.clear()
    second = run_action(tmp_path, repo, api, with_budget(NEW_TOML, "2"))
    assert second.status == 1
    assert second.outputs["verdict"] == "over-budget" and second.outputs["within-budget"] == "false"
    assert second.outputs["headroom"] == "-0.694" and second.outputs["comment-url"] == "https://github.test/c/1001"
    methods = [(method, path) for method, path, _, _ in github.requests]
    assert methods == [("GET", f"{listing}&page=1"), ("GET", f"{listing}&page=2"), ("PATCH", f"{PREFIX}/comments/1001")]
    assert len(github.comments) == 101  # one comment of the action's, the others' untouched
    assert all(c["body"] == f"<!-- other-bot -->\nunrelated comment {c['id']}" for c in github.comments[:100])
    updated = github.comments[-1]["body"]
    assert updated.startswith(f"{MARKER}\n## aicost: `aicost.toml` — ❌ over budget\n")
    assert "**Over budget by $0.69: $2.69 a month against $2.00**" in updated
    assert "::error::aicost: aicost.toml: over budget" in second.stderr
    assert second.stderr.count("aicost: over budget: monthly cost $2.69 exceeds the budget $2.00 by $0.69") == 1


@pytest.mark.parametrize(("max_budget", "verdict", "headline"), [
    # no budget in the file: only the increase is checked
    ("", "over-increase", "❌ the cost increase passes max-increase"),
    # both fail (8.155 > 5): over budget is the verdict, the headline says both
    ("5", "over-budget", "❌ the cost increase passes max-increase and over budget"),
    ("9", "over-increase", "❌ the cost increase passes max-increase"),  # within 9, but up +202.7 %
])
def test_an_increase_past_max_increase_fails(tmp_path: Path, api: str, github: FakeGitHub, max_budget: str,
                                             verdict: str, headline: str) -> None:
    repo = checkout(tmp_path, NEW_TOML)
    step = run_action(tmp_path, repo, api, OLD_TOML, MAX_INCREASE="10%", MAX_BUDGET=max_budget)
    assert step.status == 1, step.stderr
    # 8.155 - 2.694 = +5.461, +202.7 % of 2.694; the limit is 10 % of 2.694 = 0.2694
    assert step.outputs["verdict"] == verdict and step.outputs["change"] == "5.461"
    body = github.comments[-1]["body"]
    assert body.startswith(f"{MARKER}\n## aicost: `aicost.toml` — {headline}\n")
    assert f"::error::aicost: aicost.toml: {headline.removeprefix('❌ ')}" in step.stderr
    assert "**Monthly cost up $5.46 (+202.7 %): $2.69 → $8.16**" in body
    if max_budget:
        assert step.outputs["within-budget"] == ("false" if verdict == "over-budget" else "true")
    else:
        assert "within-budget" not in step.outputs
        assert "> No budget checked: `aicost.toml` has no `[budget] monthly` and no `max-budget` was given." in body


def test_a_bad_workload_fails_with_status_2_and_says_why(tmp_path: Path, api: str, github: FakeGitHub) -> None:
    repo = checkout(tmp_path, OLD_TOML)
    step = run_action(tmp_path, repo, api, OLD_TOML.replace("input_tokens = 1000", "input_tokens = -5"))
    assert step.status == 2
    assert step.outputs == {"verdict": "error", "comment-url": "https://github.test/c/1001"}
    line = "aicost: error: aicost.toml: streams[0].input_tokens: must be >= 0, got -5"
    assert f"```text\n{line}\n```" in github.comments[-1]["body"]
    assert "⚠️ could not be priced" in step.summary
    assert f"::error::aicost: {line}" in step.stderr and "Traceback" not in step.stderr


def test_a_new_workload_file_and_a_broken_base(tmp_path: Path, api: str, github: FakeGitHub) -> None:
    repo = checkout(tmp_path, None)
    step = run_action(tmp_path, repo, api, OLD_TOML, CHECKS="diff")
    assert step.status == 0, step.stderr
    assert step.outputs["change"] == step.outputs["monthly-cost"] == "8.155"  # all of it is new
    assert "> `aicost.toml` is new on this branch (not on `main`): no change to show." in step.summary
    assert "Monthly cost of support" in step.summary  # nothing else to show: the cost report itself
    # a base that cannot be priced does not block the pull request that fixes it
    broken = tmp_path / "broken"
    broken.mkdir()
    repo = checkout(broken, OLD_TOML.replace('model = "alpha"', 'model = "no-such-model"'))
    step = run_action(broken, repo, api, NEW_TOML, CHECKS="diff")
    assert step.status == 0, step.stderr
    assert "change" not in step.outputs and step.outputs["verdict"] == "pass"
    assert "> The workload on `main` could not be priced, so there is no change to show: " in step.summary
    assert "unknown model 'no-such-model'" in step.summary


def test_a_shallow_checkout_fetches_the_base(tmp_path: Path, api: str, github: FakeGitHub) -> None:
    origin = checkout(tmp_path, OLD_TOML)
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth=1", f"file://{origin}", str(clone)], check=True, capture_output=True,
                   timeout=60)
    git(clone, "update-ref", "-d", "refs/remotes/origin/main")  # as actions/checkout leaves a pull request: no base
    step = run_action(tmp_path, clone, api, NEW_TOML, BASE_REF="main", CHECKS="diff", COMMENT="false")
    assert step.status == 0, step.stderr
    assert step.outputs["change"] == "-5.461" and "comment-url" not in step.outputs
    assert github.requests == []
    missing = run_action(tmp_path, clone, api, NEW_TOML, BASE_REF="no-such-branch", CHECKS="diff")
    assert missing.status == 2 and missing.outputs == {"verdict": "error"}
    assert "::error::aicost action: base-ref 'no-such-branch': not in the checkout and cannot be fetched" in missing.stderr


def test_a_token_that_cannot_comment_warns_and_the_checks_still_decide(tmp_path: Path, api: str,
                                                                       github: FakeGitHub) -> None:
    github.refuse_writes = True
    repo = checkout(tmp_path, OLD_TOML)
    step = run_action(tmp_path, repo, api, with_budget(NEW_TOML, "10"))
    assert step.status == 0 and step.outputs["verdict"] == "pass" and "comment-url" not in step.outputs
    assert "::warning::aicost action: cannot post the pull-request comment (HTTP 403)" in step.stderr
    assert len(github.comments) == 100


def test_bad_inputs_are_refused(tmp_path: Path, api: str, github: FakeGitHub) -> None:
    repo = checkout(tmp_path, OLD_TOML)
    for inputs, message in [({"CHECKS": "budget,cost"}, "checks 'budget,cost': use budget, diff or both"),
                            ({"WORKLOAD": "../aicost.toml"}, "give a path inside the repository")]:
        step = run_action(tmp_path, repo, api, None, **inputs)
        assert step.status == 2 and message in step.stderr and step.outputs == {"verdict": "error"}
    assert github.requests == []


def test_action_yml_passes_every_input_and_output() -> None:
    text = ACTION.read_text(encoding="utf-8")
    inputs = re.findall(r"^  ([a-z-]+):\n    description:", text.split("\noutputs:")[0], re.MULTILINE)
    assert inputs[:3] == ["workload", "checks", "max-budget"]
    for name in set(inputs) - {"version", "python-version"}:
        assert f"INPUT_{name.upper().replace('-', '_')}: ${{{{ inputs.{name} }}}}" in text, name
    outputs = re.findall(r"^  ([a-z-]+):\n    description: .*\n    value: \$\{\{ steps\.price\.outputs\.\1 \}\}$",
                         text.split("\noutputs:")[1], re.MULTILINE)
    assert outputs == ["monthly-cost", "change", "verdict", "within-budget", "comment-url"]
    assert 'spec="$GITHUB_ACTION_PATH"' in text and 'spec="aicost-calc==$VERSION"' in text
    assert '"$GITHUB_ACTION_PATH/.github/action/aicost_action.py"' in text
