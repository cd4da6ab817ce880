"""The aicost GitHub Action's logic (action.yml runs it): price a workload file on a pull request, compare it with
the base branch's, check the budget, write the run's summary, post or update one pull-request comment, set outputs.

Standard library only (the GitHub REST API through urllib), so the action needs nothing beyond aicost itself,
which it runs as the `aicost` command on PATH.  Inputs come as INPUT_* environment variables (action.yml maps
them); the runner's GITHUB_* variables say where to write outputs and the summary and which pull request it is.

Exit status: 0 every check passed; 1 over budget or past max-increase; 2 bad input (an unreadable or invalid
workload, a bad input value, a base ref that cannot be found); otherwise aicost's own status (3: catalog
download, 70: a bug).  A comment the token may not write (a fork's pull request) is a warning, never a failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

MARKER_PREFIX = "<!-- aicost-action:"
COMMENT_LIMIT = 65000  # GitHub refuses bodies over 65,536 characters
PER_PAGE = 100
API_TIMEOUT = 30.0
CHECKS = ("budget", "diff")
FAILURES = {"over-increase": "the cost increase passes max-increase", "over-budget": "over budget"}


class ActionError(Exception):
    """A bad input or set-up: one line, exit 2."""


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def marker(workload: str) -> str:
    """The hidden first line that finds this workload's comment again (one comment per workload file)."""
    return f"{MARKER_PREFIX}{re.sub(r'[^A-Za-z0-9._/-]', '_', workload).replace('--', '__')} -->"


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str

    @property
    def error_line(self) -> str:
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"aicost exited with status {self.status}"


def aicost(*args: str, cwd: Path | None = None, echo: bool = True) -> Run:
    command = shutil.which("aicost")
    if command is None:
        raise ActionError("the aicost command is not on PATH — install it first (action.yml does)")
    completed = subprocess.run([command, *args], cwd=cwd, capture_output=True, text=True, check=False)
    if echo:  # aicost's notes and warnings into the job's log (once: the JSON runs repeat them)
        sys.stderr.write(completed.stderr)
    return Run(completed.returncode, completed.stdout, completed.stderr)


def numbers(run: Run) -> dict[str, Any]:
    document = json.loads(run.stdout, parse_float=Decimal)
    if not isinstance(document, dict):
        raise ValueError("not a JSON object")
    return document


def money(value: object) -> str:
    """A JSON amount as an output: exact, no exponent ('8.155', '-5.461', '0')."""
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return ""
    return format(Decimal(value), "f")


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=False)


def base_workload(ref: str, workload: str) -> str | None:
    """The workload file as it is on `ref` (a branch name or a commit); None when it does not exist there.  A shallow
    checkout that lacks the ref fetches it (one commit)."""
    commit = next((name for name in (f"origin/{ref}", ref)
                   if git("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}").returncode == 0), None)
    if commit is None:
        fetched = git("fetch", "--no-tags", "--depth=1", "origin", ref)
        if fetched.returncode != 0:
            reason = (fetched.stderr.strip().splitlines() or ["git fetch failed"])[-1]
            raise ActionError(f"base-ref {ref!r}: not in the checkout and cannot be fetched ({reason}) — give a branch "
                              "or commit of this repository, or check out with fetch-depth: 0")
        commit = "FETCH_HEAD"
    if git("cat-file", "-e", f"{commit}:./{workload}").returncode != 0:
        return None
    shown = git("show", f"{commit}:./{workload}")
    if shown.returncode != 0:
        raise ActionError(f"base-ref {ref!r}: cannot read {workload} there ({shown.stderr.strip()})")
    return shown.stdout


def budget_known(workload: Path, max_budget: str) -> bool:
    """Whether there is a budget to check: max-budget, AICOST_BUDGET, or the file's [budget] monthly.  A file that
    cannot be read counts as having one, so that `aicost budget` reports what is wrong with it."""
    if max_budget or env("AICOST_BUDGET"):
        return True
    try:
        text = workload.read_text(encoding="utf-8")
        if workload.suffix.lower() == ".json":
            document = json.loads(text)
        else:
            import tomllib

            document = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, ValueError):
        return True
    budget = document.get("budget") if isinstance(document, dict) else None
    return isinstance(budget, dict) and "monthly" in budget


def fence(text: str) -> str:
    """`text` in a code block that no run of backticks inside it can close."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}text\n{text}\n{ticks}"


@dataclass
class Result:
    workload: str
    sections: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    status: int = 0
    verdict: str = "pass"
    error: str = ""
    failures: list[str] = field(default_factory=list)

    def over(self, verdict: str) -> None:
        """A check failed (exit 1); over budget is the verdict when both failed."""
        self.status = 1
        self.failures.append(FAILURES[verdict])
        if self.verdict == "pass" or verdict == "over-budget":
            self.verdict = verdict

    @property
    def headline(self) -> str:
        if self.verdict == "error":
            return "⚠️ could not be priced"
        return "❌ " + " and ".join(self.failures) if self.failures else "✅ within the limits"

    def body(self) -> str:
        headline = self.headline
        parts = [marker(self.workload), f"## aicost: `{self.workload}` — {headline}", ""]
        if self.error:
            parts += [fence(self.error), ""]
        parts += [f"> {note}" for note in self.notes]
        if self.notes:
            parts.append("")
        text = "\n".join(parts) + "\n" + "\n\n".join(section.strip() for section in self.sections) + "\n"
        if len(text) > COMMENT_LIMIT:
            text = text[: COMMENT_LIMIT - 200].rsplit("\n", 1)[0] + "\n\n*(cut here: the whole report is in the run's summary)*\n"
        return text


def price(workload: str, checks: set[str], base_ref: str, max_budget: str, max_increase: str) -> Result:
    result = Result(workload)
    path = Path(workload)
    # 1. The head workload alone: invalid input stops here (exit 2), before the base is looked at.
    head = aicost("cost", workload, "--format", "json", "--quiet", echo=False)
    if head.status != 0:
        result.error, result.verdict, result.status = head.error_line, "error", head.status
        return result
    head_numbers = numbers(head)
    result.outputs["monthly-cost"] = money(head_numbers.get("monthly_cost"))
    result.outputs["currency"] = str(head_numbers.get("currency", ""))
    result.outputs["catalog-version"] = str(head_numbers.get("catalog_version", ""))
    # 2. The change against the base.
    if "diff" in checks:
        base_text = base_workload(base_ref, workload) if base_ref else None
        if not base_ref:
            result.notes.append("No base to compare with (not a pull request, and no `base-ref` given).")
        elif base_text is None:
            result.notes.append(f"`{workload}` is new on this branch (not on `{base_ref}`): no change to show.")
            result.outputs["change"] = result.outputs["monthly-cost"]
        else:
            with tempfile.TemporaryDirectory(prefix="aicost-action-") as temporary:
                # relative names, so that the report says "old: main/aicost.toml · new: head/aicost.toml"
                label = re.sub(r"[^A-Za-z0-9._-]", "-", base_ref[:40]) or "base"
                old = Path(temporary) / label / path.name
                new = Path(temporary) / ("head" if label != "head" else "head-branch") / path.name
                old.parent.mkdir()
                new.parent.mkdir()
                old.write_text(base_text, encoding="utf-8")
                shutil.copyfile(path, new)
                limit = ("--max-increase", max_increase) if max_increase else ()
                old_name, new_name = str(old.relative_to(temporary)), str(new.relative_to(temporary))
                diff_md = aicost("diff", old_name, new_name, *limit, "--format", "markdown", cwd=Path(temporary))
                diff_json = aicost("diff", old_name, new_name, *limit, "--format", "json", "--quiet", cwd=Path(temporary),
                                   echo=False)
            if diff_json.status in (0, 1):
                change = numbers(diff_json)
                result.outputs["change"] = money(change.get("change"))
                result.outputs["old-monthly-cost"] = money(change.get("old_monthly_cost"))
                result.sections.append(diff_md.stdout)
                if diff_json.status == 1:
                    result.over("over-increase")
            elif diff_json.status == 2 and max_increase and "--max-increase" in diff_json.error_line:
                result.error, result.verdict, result.status = diff_json.error_line, "error", 2
                return result
            else:  # the head priced above, so the base cannot be: say so, do not block the fix
                result.notes.append(f"The workload on `{base_ref}` could not be priced, so there is no change to show: "
                                    f"{diff_json.error_line.removeprefix('aicost: error: ')}")
    # 3. The budget.
    if "budget" in checks:
        if budget_known(path, max_budget):
            limit = ("--max", max_budget) if max_budget else ()
            budget_md = aicost("budget", workload, *limit, "--format", "markdown")
            budget_json = aicost("budget", workload, *limit, "--format", "json", "--quiet", echo=False)
            if budget_json.status not in (0, 1):
                result.error, result.verdict, result.status = budget_json.error_line, "error", budget_json.status
                return result
            checked = numbers(budget_json)
            result.outputs["budget"] = money(checked.get("budget"))
            result.outputs["headroom"] = money(checked.get("headroom"))
            result.outputs["within-budget"] = "true" if budget_json.status == 0 else "false"
            result.sections.append(budget_md.stdout)
            if budget_json.status == 1:
                result.over("over-budget")
        else:
            result.notes.append(f"No budget checked: `{workload}` has no `[budget] monthly` and no `max-budget` was given.")
    if not result.sections:  # nothing else to show: the cost itself
        result.sections.append(aicost("cost", workload, "--format", "markdown", "--quiet").stdout)
    return result


def github_request(method: str, url: str, token: str, body: dict[str, str] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method=method, headers={
        "Accept": "application/vnd.github+json",
        "Authorization": f"Bearer {token}",
        "X-GitHub-Api-Version": "2022-11-28",
        "User-Agent": "aicost-action",
        **({"Content-Type": "application/json"} if data is not None else {}),
    })
    with urllib.request.urlopen(request, timeout=API_TIMEOUT) as response:
        return json.loads(response.read().decode("utf-8"))


def post_comment(api: str, repository: str, number: int, token: str, body: str) -> str:
    """Create the pull request's aicost comment for this workload, or update it in place: the first comment whose
    first line is the marker.  Returns the comment's html_url."""
    first_line = body.split("\n", 1)[0]
    found: dict[str, Any] | None = None
    page = 1
    while found is None:
        listed = github_request("GET", f"{api}/repos/{repository}/issues/{number}/comments?per_page={PER_PAGE}&page={page}",
                                token)
        if not isinstance(listed, list):
            raise ValueError("the comment list is not a list")
        found = next((item for item in listed if isinstance(item, dict)
                      and str(item.get("body", "")).split("\n", 1)[0].strip() == first_line), None)
        if len(listed) < PER_PAGE:
            break
        page += 1
    if found is None:
        created = github_request("POST", f"{api}/repos/{repository}/issues/{number}/comments", token, {"body": body})
    else:
        created = github_request("PATCH", f"{api}/repos/{repository}/issues/comments/{found['id']}", token, {"body": body})
    return str(created.get("html_url", "")) if isinstance(created, dict) else ""


def pull_request_number() -> int | None:
    given = env("INPUT_PULL_REQUEST")
    if given:
        if not given.isdigit():
            raise ActionError(f"pull-request {given!r}: not a pull request number")
        return int(given)
    event_path = env("GITHUB_EVENT_PATH")
    if not event_path:
        return None
    try:
        event = json.loads(Path(event_path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    number = (event.get("pull_request") or {}).get("number") if isinstance(event, dict) else None
    return number if isinstance(number, int) else None


def write_outputs(outputs: dict[str, str]) -> None:
    target = env("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as stream:
        for name, value in outputs.items():
            stream.write(f"{name}={value.replace(chr(10), ' ').replace(chr(13), ' ')}\n")


def main() -> int:
    try:
        workload = env("INPUT_WORKLOAD", "aicost.toml") or "aicost.toml"
        if os.path.isabs(workload) or ".." in Path(workload).parts:
            raise ActionError(f"workload {workload!r}: give a path inside the repository, relative to its root")
        checks = {part for part in re.split(r"[\s,]+", env("INPUT_CHECKS", "budget,diff").lower()) if part}
        if not checks <= set(CHECKS):
            raise ActionError(f"checks {env('INPUT_CHECKS')!r}: use budget, diff or both (e.g. 'budget,diff')")
        for name, variable in (("as-of", "AICOST_AS_OF"), ("catalog", "AICOST_CATALOG")):
            value = env(f"INPUT_{name.upper().replace('-', '_')}")
            if value:
                os.environ[variable] = value
        result = price(workload, checks, env("INPUT_BASE_REF"), env("INPUT_MAX_BUDGET"), env("INPUT_MAX_INCREASE"))
    except ActionError as exc:
        print(f"::error::aicost action: {exc}", file=sys.stderr)
        write_outputs({"verdict": "error"})
        return 2
    body = result.body()
    summary = env("GITHUB_STEP_SUMMARY")
    if summary:
        with open(summary, "a", encoding="utf-8") as stream:
            stream.write(body + "\n")
    outputs = {"verdict": result.verdict, **result.outputs}
    if env("INPUT_COMMENT", "true").lower() not in ("false", "0", "no", "off"):
        number = pull_request_number()
        token = env("INPUT_GITHUB_TOKEN") or env("GITHUB_TOKEN")
        if number is None:
            print("aicost action: not a pull request: no comment posted", file=sys.stderr)
        elif not token:
            print("::warning::aicost action: no github-token: no comment posted", file=sys.stderr)
        else:
            api = env("GITHUB_API_URL", "https://api.github.com").rstrip("/")
            try:
                outputs["comment-url"] = post_comment(api, env("GITHUB_REPOSITORY"), number, token, body)
            except (urllib.error.URLError, OSError, ValueError, KeyError) as exc:
                reason = f"HTTP {exc.code}" if isinstance(exc, urllib.error.HTTPError) else type(exc).__name__
                print(f"::warning::aicost action: cannot post the pull-request comment ({reason}) — does the job have "
                      "`permissions: pull-requests: write`? (a fork's pull request cannot)", file=sys.stderr)
    write_outputs(outputs)
    if result.status == 1:
        print(f"::error::aicost: {workload}: {' and '.join(result.failures)}", file=sys.stderr)
    elif result.status != 0:
        print(f"::error::aicost: {result.error}", file=sys.stderr)
    return result.status


if __name__ == "__main__":
    sys.exit(main())
