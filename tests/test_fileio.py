"""fileio: writing a report to what a path names — atomically where it is a file, refusing what is not.

(Descriptors, devices, FIFOs and other users are in test_output_targets.py.)
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from aicost.errors import OutputError
from aicost.fileio import write_through


def refusal(path: str) -> str:
    with pytest.raises(OutputError) as caught:
        write_through(path, "report\n")
    return caught.value.message


def test_a_new_file_is_created_with_the_umask(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    old = os.umask(0o027)
    try:
        write_through(str(target), "résumé\n")
    finally:
        os.umask(old)
    assert target.read_bytes() == "résumé\n".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0o666 & ~0o027
    assert [path.name for path in tmp_path.iterdir()] == ["report.txt"]  # no temporary file left


def test_a_file_is_replaced_keeping_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o600)
    inode = target.stat().st_ino
    write_through(str(target), "new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.stat().st_ino != inode  # a new file renamed over the old one: readers never see half of it


def test_a_link_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "data" / "report.txt"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "latest"
    link.symlink_to(Path("data") / "report.txt")
    second = tmp_path / "again"
    second.symlink_to("latest")
    write_through(str(second), "new\n")
    assert second.is_symlink() and link.is_symlink()
    assert real.read_text(encoding="utf-8") == "new\n"


def test_what_is_not_a_file_is_refused(tmp_path: Path) -> None:
    assert refusal(str(tmp_path)) == f"{tmp_path}: is a directory — give a file path inside it"
    assert refusal(f"{tmp_path}/") == f"{tmp_path}/: names a directory — give a file path such as {tmp_path}/report.txt"
    assert refusal(" ") == "' ': the path is empty — give a file path"
    missing = tmp_path / "missing" / "report.txt"
    assert refusal(str(missing)) == (f"{missing}: the directory {tmp_path / 'missing'} does not exist — create it or "
                                     "choose another path")
    loop = tmp_path / "loop"
    loop.symlink_to("loop")
    assert refusal(str(loop)).startswith(f"{loop}: ")
    assert not missing.parent.exists()
