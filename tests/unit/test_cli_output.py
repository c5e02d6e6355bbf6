"""``-o OUT`` leaves what OUT is alone: files keep their mode, links stay links, devices
and FIFOs are written, never replaced; a folder is refused; nothing is left behind."""

from __future__ import annotations

import json
import os
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from core_helpers import CATALOG_INFO, minimal_catalog

from catalog import output
from catalog.cli import main

Capture = pytest.CaptureFixture[str]


def _catalog(tmp_path: Path) -> Path:
    source = tmp_path / "in" / "catalog.json"
    source.parent.mkdir(exist_ok=True)
    source.write_text(json.dumps(minimal_catalog()), encoding="utf-8")
    return source


def _yaml_entities(data: bytes) -> None:
    kinds = [e["kind"] for e in yaml.safe_load_all(data)]
    assert kinds == ["Component", "API", "Resource", "Resource"]


def _imported(data: bytes) -> None:
    assert yaml.safe_load(data)["modelServer"]["name"] == "developer-model-service"


def _dot(data: bytes) -> None:
    assert data.startswith(b"digraph")


def _zip(data: bytes) -> None:
    assert data[:2] == b"PK"


#: Every command that takes -o: its arguments before -o, and what its output looks like.
COMMANDS: dict[str, tuple[Callable[[Path], list[str]], Callable[[bytes], None]]] = {
    "convert": (lambda tmp: ["convert", str(_catalog(tmp))], _yaml_entities),
    "import": (lambda tmp: ["import", str(CATALOG_INFO)], _imported),
    "graph": (lambda tmp: ["graph", str(_catalog(tmp))], _dot),
    "docs": (lambda tmp: ["docs", str(_catalog(tmp))], _zip),
}


@pytest.fixture(params=sorted(COMMANDS))
def command(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def run(capsys: Capture, tmp_path: Path, command: str, out: str | Path) -> tuple[int, str]:
    argv = COMMANDS[command][0](tmp_path)
    status = main([*argv, "-o", str(out)])
    _, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, err


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_new_file_gets_the_usual_mode(
    command: str, capsys: Capture, tmp_path: Path, umask_022: None
) -> None:
    target = tmp_path / "out.bin"
    assert run(capsys, tmp_path, command, target)[0] == 0
    COMMANDS[command][1](target.read_bytes())
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert leftovers(tmp_path) == []


def test_an_existing_file_keeps_its_mode(command: str, capsys: Capture, tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"old content that is longer than nothing\n" * 10_000)
    target.chmod(0o640)
    assert run(capsys, tmp_path, command, target)[0] == 0
    COMMANDS[command][1](target.read_bytes())
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_symlink_is_followed_and_stays_a_link(
    command: str, capsys: Capture, tmp_path: Path
) -> None:
    real = tmp_path / "real" / "catalog-info.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    real.chmod(0o600)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert run(capsys, tmp_path, command, link)[0] == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    COMMANDS[command][1](real.read_bytes())
    assert stat.S_IMODE(real.stat().st_mode) == 0o600
    assert leftovers(real.parent) == [] and leftovers(tmp_path) == []


def test_a_dangling_symlink_creates_its_target(capsys: Capture, tmp_path: Path) -> None:
    real = tmp_path / "made.yaml"
    link = tmp_path / "link.yaml"
    link.symlink_to(real.name)  # relative, as ln -s writes it
    assert run(capsys, tmp_path, "convert", link)[0] == 0
    assert link.is_symlink()
    _yaml_entities(real.read_bytes())


def test_a_hard_linked_file_keeps_its_links(capsys: Capture, tmp_path: Path) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    other = tmp_path / "other-name.yaml"
    os.link(target, other)
    assert run(capsys, tmp_path, "convert", target)[0] == 0
    assert os.path.samefile(target, other)
    _yaml_entities(other.read_bytes())


def test_a_fifo_is_written_and_stays_a_fifo(command: str, capsys: Capture, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read_all() -> None:
        with fifo.open("rb") as fh:  # blocks until the command opens it for writing
            received.append(fh.read())

    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    try:
        assert run(capsys, tmp_path, command, fifo)[0] == 0
    finally:
        reader.join(timeout=30)
        if reader.is_alive():  # the command never opened it: let the reader go
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            reader.join(timeout=5)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    COMMANDS[command][1](received[0])
    assert leftovers(tmp_path) == []


def test_dev_null_stays_a_character_device(command: str, capsys: Capture, tmp_path: Path) -> None:
    if not stat.S_ISCHR(os.stat("/dev/null").st_mode):
        pytest.skip("this machine's /dev/null is not a character device")
    status, err = run(capsys, tmp_path, command, "/dev/null")
    assert status == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert stat.S_IMODE(after.st_mode) == 0o666
    assert not any(p.name.startswith(".null.") for p in Path("/dev").iterdir())


def test_a_folder_is_refused_with_one_line(command: str, capsys: Capture, tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    status, err = run(capsys, tmp_path, command, folder)
    assert status == 2
    assert err.count("\n") == 1 and f"{folder}: is a folder" in err
    assert list(folder.iterdir()) == []


def test_a_block_device_is_refused(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A regular file dressed up as a disk: a real disk is never touched by this test.
    target = tmp_path / "disk"
    target.write_text("disk content\n")
    real_stat = os.stat

    def as_block_device(path: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(path, *args, **kwargs)  # type: ignore[arg-type]
        if str(path) == str(target):
            fields = list(result)
            fields[0] = stat.S_IFBLK | 0o660
            return os.stat_result(fields)
        return result

    monkeypatch.setattr(output.os, "stat", as_block_device)
    status, err = run(capsys, tmp_path, "convert", target)
    assert status == 2 and "is a block device" in err
    assert target.read_text() == "disk content\n"


def test_a_failed_write_leaves_the_file_and_no_temporary(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("previous\n")

    def no_space(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", no_space)
    status, err = run(capsys, tmp_path, "convert", target)
    assert status == 2
    assert err == f"error: {target}: cannot be written (No space left on device)\n"
    assert target.read_text() == "previous\n"
    assert leftovers(tmp_path) == []


def test_a_missing_folder_exits_2(capsys: Capture, tmp_path: Path) -> None:
    status, err = run(capsys, tmp_path, "convert", tmp_path / "nowhere" / "x.yaml")
    assert status == 2 and "does not exist" in err


def test_docs_zip_written_through_a_link_is_a_valid_zip(capsys: Capture, tmp_path: Path) -> None:
    real = tmp_path / "docs.zip"
    link = tmp_path / "latest.zip"
    link.symlink_to(real)
    assert run(capsys, tmp_path, "docs", link)[0] == 0
    with zipfile.ZipFile(real) as bundle:
        assert "mkdocs.yml" in bundle.namelist()


def test_another_users_file_is_rewritten_in_place_keeping_its_owner(
    capsys: Capture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a user who may write to someone else's file, a rename would make the file ours:
    it is written in place instead (the same file, the same owner)."""
    target = tmp_path / "shared.yaml"
    target.write_text("old\n" * 1000)
    before = target.stat()
    monkeypatch.setattr(output.os, "geteuid", lambda: before.st_uid + 4242)
    assert run(capsys, tmp_path, "convert", target)[0] == 0
    after = target.stat()
    assert (after.st_ino, after.st_uid, after.st_gid) == (
        before.st_ino,
        before.st_uid,
        before.st_gid,
    )
    _yaml_entities(target.read_bytes())
    assert leftovers(tmp_path) == []


def test_ones_own_file_is_replaced_atomically(capsys: Capture, tmp_path: Path) -> None:
    target = tmp_path / "mine.yaml"
    target.write_text("old\n")
    before = target.stat()
    assert run(capsys, tmp_path, "convert", target)[0] == 0
    assert target.stat().st_ino != before.st_ino  # a new file, renamed into place
    _yaml_entities(target.read_bytes())
