"""`--output` writes through to what the path names, and never damages it; stdout failures are clean.

Every link, FIFO and device node here is made by the test in its own temporary directory: a bug in the code
under test can only damage those.  The `user` parameter runs the command as root and, where the machine allows
(the tests run as root), as an unprivileged user in a forked child, so permissions are exercised both ways.
"""

from __future__ import annotations

import errno
import importlib
import io
import os
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest

from aicost import fileio
from aicost.errors import OutputError
from clihelp import run_main

WORKLOAD = """version = 1
name = "w"
[[streams]]
name = "chat"
model = "alpha"
requests_per_month = 1000
input_tokens = 1000
output_tokens = 100
"""
# alpha on 2025-08-01: input $4, output $16 per million tokens
# 1000 x (1000 x 4 + 100 x 16) / 1e6 = 1000 x 0.0056 = $5.60 a month
CSV_REPORT = (
    "stream,model,monthly_requests,input,cached_input,cache_write,output,monthly_cost\n"
    "chat,alpha,1000,4,0,0,1.6,5.6\n"
    "total,,1000,4,0,0,1.6,5.6\n"
)
NOBODY = 65534
PRELOADED = ("aicost.cli", "aicost.calc", "aicost.cli.app", "aicost.reports.cost", "aicost.cli.fast", "aicost.workload",
             "aicost.catalog", "aicost.fileio", "aicost.render.csv_format", "encodings.utf_8_sig", "tomllib", "csv", "tempfile", "difflib")


CATALOG = [str(Path(__file__).parent / "data" / "test_catalog.toml")]


@pytest.fixture(scope="module", autouse=True)
def readable_catalog() -> Iterator[None]:
    """The checkout may be where only its owner can read (a clone in a mode-0700 directory): the commands read a
    copy of the test catalog that any user can read."""
    directory = Path(tempfile.mkdtemp(prefix="aicost-catalog-"))
    directory.chmod(0o755)
    copy = directory / "test_catalog.toml"
    copy.write_bytes(Path(CATALOG[0]).read_bytes())
    copy.chmod(0o644)
    original, CATALOG[0] = CATALOG[0], str(copy)
    yield
    CATALOG[0] = original
    copy.unlink()
    directory.rmdir()


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory an unprivileged user can write to as well (pytest's own tmp_path is root's alone)."""
    directory = Path(tempfile.mkdtemp(prefix="aicost-output-"))
    directory.chmod(0o777)
    (directory / "w.toml").write_text(WORKLOAD, encoding="utf-8")
    (directory / "w.toml").chmod(0o644)
    yield directory
    for path in sorted(directory.rglob("*"), reverse=True):
        path.unlink() if not path.is_dir() or path.is_symlink() else path.rmdir()
    directory.rmdir()


def report_args(directory: Path, target: str) -> list[str]:
    return ["cost", str(directory / "w.toml"), "--catalog", CATALOG[0],
            "--as-of", "2025-08-01", "--format", "csv", "--output", target]


def preload() -> None:
    """Import what a command run as another user needs, while the files can still be read."""
    import pkgutil

    import aicost
    from aicost.cli import fast

    for module in PRELOADED:
        importlib.import_module(module)
    for info in pkgutil.walk_packages(aicost.__path__, "aicost."):
        if not info.name.endswith("__main__"):
            importlib.import_module(info.name)
    spec = fast.load_spec()
    fast.load_spec = lambda: spec  # type: ignore[assignment]  # commands.json sits in the checkout


def run_forked(arguments: list[str], user: int | None, stdout_closed: bool = False) -> tuple[int, bytes, bytes]:
    """The console entry point in a forked child (optionally as `user`), its fd 1 and 2 on pipes of ours;
    with `stdout_closed` nobody reads its stdout (`| head -0`)."""
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.dup2(out_write, 1)
            os.dup2(err_write, 2)
            for descriptor in (out_read, out_write, err_read, err_write):
                os.close(descriptor)
            if user is not None:
                # The interpreter may live where the unprivileged user cannot read (root's home), and so may the
                # checkout (a clone in a mode-0700 directory): load what the command will import, every aicost
                # module and the fast path's option table, before dropping privileges.
                preload()
                os.setgroups([])
                os.setgid(user)
                os.setuid(user)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8", write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8", write_through=True)
            sys.argv = ["aicost", *arguments]
            from aicost.cli import main

            try:
                main()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
        finally:
            os._exit(code)
    os.close(out_write)
    os.close(err_write)
    if stdout_closed:
        os.close(out_read)
        out, err = b"", _read_all(err_read)
    else:
        out, err = _read_all(out_read), _read_all(err_read)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out, err


def _read_all(descriptor: int) -> bytes:
    chunks = []
    while chunk := os.read(descriptor, 65536):
        chunks.append(chunk)
    os.close(descriptor)
    return b"".join(chunks)


USERS = [pytest.param(None, id="as-self"),
         pytest.param(NOBODY, id="as-unprivileged", marks=pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop to"))]


@pytest.mark.parametrize("user", USERS)
def test_symlink_to_a_file_keeps_the_link_and_the_mode(shared_dir: Path, user: int | None) -> None:
    real = shared_dir / "real.csv"
    real.write_text("old report\n", encoding="utf-8")
    real.chmod(0o666)
    link = shared_dir / "link.csv"
    link.symlink_to("real.csv")
    code, out, err = run_forked(report_args(shared_dir, str(link)), user)
    assert (code, out, err) == (0, b"", b"")
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_text(encoding="utf-8") == CSV_REPORT
    assert stat.S_IMODE(real.stat().st_mode) == 0o666
    assert sorted(p.name for p in shared_dir.iterdir()) == ["link.csv", "real.csv", "w.toml"]  # no temporary left


@pytest.mark.parametrize("user", USERS)
def test_link_to_stdout_writes_to_stdout(shared_dir: Path, user: int | None) -> None:
    link = shared_dir / "out"
    link.symlink_to("/dev/stdout")
    code, out, err = run_forked(report_args(shared_dir, str(link)), user)
    assert (code, out.decode(), err) == (0, CSV_REPORT, b"")
    assert link.is_symlink() and os.readlink(link) == "/dev/stdout"


@pytest.mark.parametrize("user", USERS)
def test_descriptor_paths_write_to_the_open_descriptor(shared_dir: Path, user: int | None) -> None:
    for target in ("/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"):
        code, out, err = run_forked(report_args(shared_dir, target), user)
        assert (code, out.decode(), err) == (0, CSV_REPORT, b""), target


@pytest.mark.parametrize("user", USERS)
def test_fifo_is_written_and_stays_a_fifo(shared_dir: Path, user: int | None) -> None:
    fifo = shared_dir / "report.fifo"
    os.mkfifo(fifo)
    fifo.chmod(0o666)  # mkfifo's mode is cut by the umask
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, out, err = run_forked(report_args(shared_dir, str(fifo)), user)
    reader.join(timeout=10)
    assert (code, out, err) == (0, b"", b"")
    assert received == [CSV_REPORT.encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_character_device_is_written_not_replaced(shared_dir: Path) -> None:
    node = shared_dir / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # our own node of the null device
    code, out, err = run_forked(report_args(shared_dir, str(node)), None)
    assert (code, out, err) == (0, b"", b"")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (".", ".: is a directory — give a file path inside it"),
        ("", "'': the path is empty — give a file path"),
        ("sub/", "sub/: names a directory"),
        ("missing/report.csv", "missing/report.csv: the directory {dir}/missing does not exist"),
    ],
)
def test_unusable_targets_are_clean_errors(shared_dir: Path, target: str, message: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(shared_dir)
    result = run_main(*report_args(shared_dir, target))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"aicost: error: {message.format(dir=shared_dir)}")
    assert result.stderr.count("\n") == 1 and result.stdout == ""


def test_directory_target_via_a_symlink(shared_dir: Path) -> None:
    (shared_dir / "d").mkdir()
    (shared_dir / "to-d").symlink_to("d")
    result = run_main(*report_args(shared_dir, str(shared_dir / "to-d")))
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_failed_write_keeps_the_old_file(shared_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk during the write: exit 2, one line, the old report intact and no temporary file left."""
    report = shared_dir / "report.csv"
    report.write_text("old report\n", encoding="utf-8")

    def full_disk(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fileio.os, "fsync", full_disk)
    result = run_main(*report_args(shared_dir, str(report)))
    assert result.exit_code == 2
    assert result.stderr == f"aicost: error: {report}: cannot write the report (No space left on device); the file is unchanged\n"
    assert report.read_text(encoding="utf-8") == "old report\n"
    assert sorted(p.name for p in shared_dir.iterdir()) == ["report.csv", "w.toml"]


def test_write_through_refuses_block_devices(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "disk"
    target.write_text("", encoding="utf-8")
    real_stat = os.stat

    def block_device(path: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path) == str(target):
            return os.stat_result((stat.S_IFBLK | 0o600, *result[1:]))
        return result

    monkeypatch.setattr(fileio.os, "stat", block_device)
    with pytest.raises(OutputError, match="is a block device"):
        fileio.write_through(str(target), "report")


# ---------------------------------------------------------------------------------------------- stdout


class _FailingStream(io.TextIOWrapper):
    def __init__(self, error: Callable[[], OSError]) -> None:
        super().__init__(io.BytesIO(), encoding="utf-8")
        self._error = error

    def write(self, text: str) -> int:
        raise self._error()


def test_full_disk_on_stdout_is_one_line_exit_2() -> None:
    """`aicost cost > /dev/full`, without touching the real device: stdout raises ENOSPC."""
    stdout = _FailingStream(lambda: OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    stderr = io.StringIO()
    with mock.patch.multiple(sys, argv=["aicost", "pricing", "list"], stdout=stdout, stderr=stderr), \
            pytest.raises(SystemExit) as exit_info:
        from aicost.cli import main

        main()
    assert exit_info.value.code == 2
    assert stderr.getvalue() == ("aicost: error: cannot write the report to standard output (No space left on device) — "
                                 "check the disk, or use --output FILE\n")


@pytest.mark.parametrize("arguments", [["pricing", "list", "--format", "json"], ["--help"], ["pricing", "export"]])
def test_closed_reader_exits_141_quietly(arguments: list[str]) -> None:
    """`aicost ... | head -0`: a broken pipe is neither 1 (over budget) nor a message."""
    code, _, err = run_forked(arguments, None, stdout_closed=True)
    assert (code, err) == (141, b"")


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to drop to an unprivileged user")
def test_a_directory_that_cannot_be_searched_is_not_missing(shared_dir: Path) -> None:
    """A file inside a mode-000 directory exists; the unprivileged user is told permission is denied, not that there
    is no such file."""
    locked = shared_dir / "locked"
    locked.mkdir()
    (locked / "c.toml").write_bytes(Path(CATALOG[0]).read_bytes())
    (locked / "w.toml").write_text(WORKLOAD, encoding="utf-8")
    locked.chmod(0o000)
    try:
        code, out, err = run_forked(["cost", str(shared_dir / "w.toml"), "--catalog", str(locked / "c.toml")], NOBODY)
        assert (code, out) == (2, b"")
        assert err.decode() == (f"aicost: error: --catalog {locked / 'c.toml'}: cannot look at it (Permission denied) — "
                                "check the path and its permissions\n")
        code, out, err = run_forked(["cost", str(locked / "w.toml"), "--catalog", CATALOG[0]], NOBODY)
        assert (code, out) == (2, b"")
        assert err.decode() == (f"aicost: error: {locked / 'w.toml'}: cannot read the workload file (Permission denied) "
                                "— check the path and its permissions\n")
        code, out, err = run_forked(["pricing", "diff", str(locked / "c.toml"), CATALOG[0]], NOBODY)
        assert (code, err.decode()) == (2, f"aicost: error: OLD {locked / 'c.toml'}: cannot look at it (Permission "
                                           "denied) — check the path and its permissions\n")
        code, out, err = run_forked(["pricing", "validate", str(locked)], NOBODY)
        assert (code, err.decode()) == (2, f"aicost: error: {locked}: cannot look at it (Permission denied) — check "
                                           "the path and its permissions\n")
    finally:
        locked.chmod(0o755)


LITELLM = '{"gpt-x": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, ' \
          '"output_cost_per_token": 2e-06, "max_input_tokens": 128000}}\n'


def _inputs_dir(tmp_path: Path) -> Path:
    for name in ("w.toml", "a.toml", "b.toml"):
        (tmp_path / name).write_text(WORKLOAD, encoding="utf-8")
    (tmp_path / "in.json").write_text(LITELLM, encoding="utf-8")
    (tmp_path / "alink.toml").symlink_to("a.toml")
    return tmp_path


@pytest.mark.parametrize(("arguments", "target"), [
    (["cost", "w.toml", "-o", "w.toml"], "w.toml"),
    (["forecast", "w.toml", "--output", "./w.toml"], "./w.toml"),  # another name for the same file
    (["budget", "w.toml", "--max", "1", "-o", "w.toml"], "w.toml"),  # refused (2), not "over budget" (1)
    (["diff", "a.toml", "b.toml", "-o", "alink.toml"], "alink.toml"),  # a link to an input
    (["compare", "alink.toml", "-o", "a.toml"], "a.toml"),  # the input was the link, the target its file
    (["cost", "w.toml", "--catalog", "CATALOG", "-o", "CATALOG"], "CATALOG"),
    (["pricing", "import", "litellm", "in.json", "-o", "in.json"], "in.json"),
    (["pricing", "check", "--against", "in.json", "-o", "in.json"], "in.json"),
])
def test_output_naming_an_input_is_refused_and_nothing_changes(tmp_path: Path, arguments: list[str], target: str,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _inputs_dir(tmp_path)
    catalog = str(Path(__file__).parent / "data" / "test_catalog.toml")
    (directory / "cat.toml").write_bytes(Path(catalog).read_bytes())
    arguments = [argument.replace("CATALOG", "cat.toml") for argument in arguments]
    target = target.replace("CATALOG", "cat.toml")
    monkeypatch.chdir(directory)
    monkeypatch.setenv("AICOST_CATALOG", catalog)
    before = {path.name: path.read_bytes() for path in directory.iterdir()}
    result = run_main(*arguments, "--as-of", "2025-08-01") if arguments[0] != "pricing" else run_main(*arguments)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.splitlines()[-1] == (f"aicost: error: --output {target}: is one of the files this command "
                                              "reads — write to another file")
    assert {path.name: path.read_bytes() for path in directory.iterdir()} == before


def test_output_naming_the_file_standard_input_is_redirected_from_is_refused(tmp_path: Path) -> None:
    import subprocess

    directory = _inputs_dir(tmp_path)
    env = {name: value for name, value in os.environ.items() if not name.startswith("AICOST_")}
    env["AICOST_HOME"] = str(tmp_path / "home")
    with open(directory / "w.toml", "rb") as redirected:  # `aicost cost - -o w.toml < w.toml`
        result = subprocess.run([sys.executable, "-m", "aicost", "cost", "-", "--as-of", "2025-08-01", "--catalog",
                                 str(Path(__file__).parent / "data" / "test_catalog.toml"), "-o", "w.toml"],
                                stdin=redirected, capture_output=True, cwd=directory, env=env, timeout=60)
    assert result.returncode == 2, result.stderr
    assert result.stderr.decode("utf-8") == ("aicost: error: --output w.toml: is one of the files this command reads "
                                             "— write to another file\n")
    assert (directory / "w.toml").read_text(encoding="utf-8") == WORKLOAD


def test_output_may_name_a_new_file_or_the_file_a_pipe_was_fed_from(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    directory = _inputs_dir(tmp_path)
    monkeypatch.chdir(directory)
    catalog = str(Path(__file__).parent / "data" / "test_catalog.toml")
    assert run_main("cost", "w.toml", "--catalog", catalog, "--as-of", "2025-08-01", "-f", "csv",
                    "-o", "r.csv").exit_code == 0
    # `cat w.toml | aicost cost - -o w.toml`: standard input is a pipe, read whole before the report is written
    result = run_main("cost", "-", "--catalog", catalog, "--as-of", "2025-08-01", "-f", "csv", "-o", "w.toml",
                      stdin=WORKLOAD.encode("utf-8"))
    assert result.exit_code == 0, result.stderr
    assert (directory / "r.csv").read_text(encoding="utf-8") == (directory / "w.toml").read_text(encoding="utf-8")


def test_a_step_summary_naming_an_input_is_refused_before_the_report_is_written(tmp_path: Path) -> None:
    directory = _inputs_dir(tmp_path)
    catalog = str(Path(__file__).parent / "data" / "test_catalog.toml")
    result = run_main("cost", str(directory / "w.toml"), "--catalog", catalog, "--as-of", "2025-08-01", "--summary",
                      "-o", str(directory / "r.txt"), env={"GITHUB_STEP_SUMMARY": str(directory / "summary.md")})
    assert result.exit_code == 0, result.stderr  # another file: appended to
    assert "### Monthly cost of w" in (directory / "summary.md").read_text(encoding="utf-8")
    result = run_main("cost", str(directory / "a.toml"), "--catalog", catalog, "--as-of", "2025-08-01", "--summary",
                      "-o", str(directory / "r2.txt"), env={"GITHUB_STEP_SUMMARY": str(directory / "alink.toml")})
    assert result.exit_code == 2, result.stderr
    assert result.stderr.endswith("alink.toml: is one of the files this command reads — point it at another file\n")
    assert not (directory / "r2.txt").exists()
    assert (directory / "a.toml").read_text(encoding="utf-8") == WORKLOAD
