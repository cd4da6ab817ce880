"""The catalog's publishing path: the release workflow's build step, run as the runner would, and `pricing update`
checking the published checksum (URL + ".sha256", sha256sum format) against a real HTTP server on 127.0.0.1.

A checksum that matches: installed, no note. None published (404): installed, a note on stderr. A mismatch, a
checksum the server cannot give (500) or an unreadable checksum file: exit 3, one line, nothing changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import subprocess
import textwrap
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from clihelp import Run, run_main
from httphelp import serving, snapshot
from shellhelp import ROOT, clean_env, make_bin

BUNDLED_EXPORT = run_main("pricing", "export", "--format", "json").stdout
BUNDLED = json.loads(BUNDLED_EXPORT)["catalog_version"]
GOOD = BUNDLED_EXPORT.replace(f'"catalog_version": "{BUNDLED}"', '"catalog_version": "2027.1.0"', 1).encode("utf-8")
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()
WRONG_SHA = "ab" * 32  # a well-formed hash of something else

ROUTES: dict[str, tuple[int, bytes]] = {
    "/ok/catalog.json": (200, GOOD),
    "/ok/catalog.json.sha256": (200, f"{GOOD_SHA}  catalog.json\n".encode()),
    "/upper/catalog.json": (200, GOOD),  # upper-case hex, binary-mode marker, a listing of several files
    "/upper/catalog.json.sha256": (200, f"{'0' * 64}  catalog.toml\n{GOOD_SHA.upper()} *catalog.json\n".encode()),
    "/unsigned/catalog.json": (200, GOOD),  # no .sha256: 404
    "/altered/catalog.json": (200, GOOD),
    "/altered/catalog.json.sha256": (200, f"{WRONG_SHA}  catalog.json\n".encode()),
    "/error/catalog.json": (200, GOOD),
    "/error/catalog.json.sha256": (500, b"server error"),
    "/garbled/catalog.json": (200, GOOD),
    "/garbled/catalog.json.sha256": (200, b"<html>sign in</html>\n"),
}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        status, body = ROUTES.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
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


def update(home: Path, *args: str) -> Run:
    return run_main("pricing", "update", *args, env={"AICOST_HOME": str(home), "AICOST_OFFLINE": ""})



@pytest.mark.parametrize("route", ["/ok", "/upper"])
def test_a_matching_checksum_installs_without_a_note(server: str, tmp_path: Path, route: str) -> None:
    result = update(tmp_path, "--url", f"{server}{route}/catalog.json")
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(rf"aicost: installed catalog 2027\.1\.0 \([0-9]+ models\) from {re.escape(server + route)}"
                        r"/catalog\.json; it is now active — `aicost pricing use VERSION` rolls back\n", result.stderr), result.stderr
    assert (tmp_path / "catalogs" / "active").read_text() == "2027.1.0\n"


def test_no_checksum_published_installs_and_says_so(server: str, tmp_path: Path) -> None:
    result = update(tmp_path, "--url", f"{server}/unsigned/catalog.json")
    assert result.exit_code == 0, result.stderr
    first, second = result.stderr.splitlines()
    assert first == (f"aicost: note: no checksum published at {server}/unsigned/catalog.json.sha256 (HTTP 404); the "
                     "catalog was validated but not checked against a checksum")
    assert second.startswith("aicost: installed catalog 2027.1.0")
    assert (tmp_path / "catalogs" / "2027.1.0.json").is_file()
    quiet = update(tmp_path / "quiet", "--url", f"{server}/unsigned/catalog.json", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


@pytest.mark.parametrize(
    ("route", "message"),
    [
        # both hashes, cut to 12 hex digits: the download's and the published one
        ("/altered", f"/altered/catalog.json: checksum mismatch — the download's sha256 is {GOOD_SHA[:12]}…, the "
                     "published abababababab… — the file is corrupt or was altered in transit; try again later"),
        ("/error", "/error/catalog.json.sha256: HTTP 500 Internal Server Error"),
        ("/garbled", "/garbled/catalog.json.sha256: not a sha256 checksum file (a line is not 'HASH  NAME')"),
    ],
)
def test_a_bad_or_unreadable_checksum_exits_3_and_changes_nothing(server: str, tmp_path: Path, route: str,
                                                                   message: str) -> None:
    assert update(tmp_path, "--url", f"{server}/ok/catalog.json").exit_code == 0
    before = snapshot(tmp_path)
    result = update(tmp_path, "--url", f"{server}{route}/catalog.json", "--allow-downgrade")
    assert result.exit_code == 3, result
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stderr.endswith("(nothing changed)\n")
    assert snapshot(tmp_path) == before


def test_a_file_needs_no_checksum(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_bytes(GOOD)
    result = update(tmp_path / "home", "--file", str(catalog))
    assert result.exit_code == 0 and result.stderr.startswith("aicost: installed catalog 2027.1.0"), result.stderr
    assert "no checksum published" not in result.stderr


# The release workflow's build step, verbatim (checked against the file below).
WORKFLOW = ROOT / ".github" / "workflows" / "catalog-release.yml"
BUILD_STEP = """\
aicost pricing validate pricing
mkdir -p dist
aicost pricing export --catalog pricing --format json --output dist/catalog.json
version="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["catalog_version"])' dist/catalog.json)"
if [ "catalog-v$version" != "$GITHUB_REF_NAME" ]; then
  echo "::error::tag $GITHUB_REF_NAME does not name the catalog's version $version (expected catalog-v$version)"
  exit 1
fi
(cd dist && sha256sum catalog.json > catalog.json.sha256 && sha256sum -c catalog.json.sha256)
echo "version=$version" >> "$GITHUB_OUTPUT"
"""


def test_the_workflow_runs_the_tested_build_step() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    assert textwrap.indent(BUILD_STEP, " " * 10) in text
    assert re.search(r"^    tags: \[\"catalog-v\*\"\]$", text, re.MULTILINE)
    assert "gh release create \"$GITHUB_REF_NAME\" dist/catalog.json dist/catalog.json.sha256 --latest" in text


def build(tmp_path: Path, tag: str, break_catalog: bool = False) -> tuple[subprocess.CompletedProcess[str], Path]:
    """A checkout holding the project's pricing/ (optionally with a negative price), the build step run in it."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT / "pricing", checkout / "pricing")
    if break_catalog:
        path = checkout / "pricing" / "openai.toml"
        text = path.read_text(encoding="utf-8")
        changed = re.sub(r"^input = [0-9.]+$", "input = -1", text, count=1, flags=re.MULTILINE)
        assert changed != text
        path.write_text(changed, encoding="utf-8")
    output = tmp_path / "github_output"
    env = clean_env(make_bin(tmp_path / "bin"), GITHUB_REF_NAME=tag, GITHUB_OUTPUT=str(output))
    result = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", BUILD_STEP], cwd=checkout, env=env,
                            capture_output=True, text=True, timeout=120)
    return result, checkout / "dist"


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs sha256sum (coreutils), as the runner has")
def test_the_build_step_writes_the_catalog_and_a_checksum_that_verifies(tmp_path: Path, server: str) -> None:
    result, dist = build(tmp_path, f"catalog-v{BUNDLED}")
    assert result.returncode == 0, result.stderr
    validated, checked = result.stdout.splitlines()
    assert validated.startswith(f"catalog {BUNDLED} (pricing): valid — ")
    assert checked == "catalog.json: OK"  # the step's own `sha256sum -c`
    assert (tmp_path / "github_output").read_text() == f"version={BUNDLED}\n"
    assert sorted(p.name for p in dist.iterdir()) == ["catalog.json", "catalog.json.sha256"]
    data = (dist / "catalog.json").read_bytes()
    assert json.loads(data) == json.loads(BUNDLED_EXPORT)  # the checked-in pricing/ is what ships
    digest = hashlib.sha256(data).hexdigest()
    assert (dist / "catalog.json.sha256").read_text() == f"{digest}  catalog.json\n"
    again = subprocess.run(["sha256sum", "-c", "catalog.json.sha256"], cwd=dist, capture_output=True, text=True,
                           timeout=30)
    assert again.returncode == 0 and again.stdout == "catalog.json: OK\n"
    # what the release serves, `pricing update` takes and verifies: the parser reads sha256sum's own line
    from aicost.catalog.store import parse_checksum

    assert parse_checksum((dist / "catalog.json.sha256").read_bytes(), "https://x/download/catalog.json", "x") == digest


@pytest.mark.parametrize(("tag", "broken", "message"), [
    ("catalog-v2099.1.0", False, f"::error::tag catalog-v2099.1.0 does not name the catalog's version {BUNDLED}"),
    (f"catalog-v{BUNDLED}", True, "must be >= 0"),
])
def test_the_build_step_refuses_a_wrong_tag_or_an_invalid_catalog(tmp_path: Path, tag: str, broken: bool,
                                                                 message: str) -> None:
    result, dist = build(tmp_path, tag, broken)
    assert result.returncode != 0
    assert message in result.stdout + result.stderr, result
    assert not (dist / "catalog.json.sha256").exists()
    assert not (tmp_path / "github_output").exists()
