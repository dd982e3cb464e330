"""Files planted in the data dir are never trusted (issue 15 item 6).

A symlink under a known name (the database, its -wal, the log, a rotated log, the settings file
or its temporary copy) is refused or removed, never followed: its target keeps its bytes and its
mode. A file or folder of another user, or a folder other users can write, is refused with the
path and what to do, and left as it is. Whatever the umask, every file the app writes is 0600,
and a known file found with a looser mode is set back to 0600.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.config import Settings, load_settings, save_settings
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.simulator import DEMO_TOKEN
from tests.conftest import require


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def paths(sim, monkeypatch, tmp_path) -> Iterator[AppPaths]:
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", sim.base_url)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_SYNC_PAGE_SIZE", "100")
    yield AppPaths(Path(os.environ["PROXYSHOP_DATA_DIR"]))
    shutdown_logging()


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    _out, err = capsys.readouterr()
    assert "Traceback" not in err, err
    return code, err


def sell_one(capsys) -> None:
    code, err = run(capsys, "sync")
    assert code == 0, err
    code, err = run(capsys, "sell", "1")
    assert code == 0, err


def target_outside(tmp_path: Path, content: bytes = b"", file_mode: int = 0o666) -> Path:
    target = tmp_path / "elsewhere" / "target"
    target.parent.mkdir(exist_ok=True)
    target.write_bytes(content)
    os.chmod(target, file_mode)
    return target


def untouched(target: Path, content: bytes, file_mode: int) -> bool:
    return target.read_bytes() == content and mode(target) == file_mode


def require_root() -> None:
    require(os.geteuid() == 0, "giving a file to another user needs root")


# --- symlinks ------------------------------------------------------------------------------------


def test_a_symlinked_database_gets_nothing(paths, capsys, tmp_path):
    """The review's case: the link pointed at a 0666 file, which then received the sold
    passwords. Now every command refuses it and the target keeps its 0 bytes and its mode."""
    paths.ensure()
    target = target_outside(tmp_path)
    paths.database.symlink_to(target)
    for argv in (["sync"], ["sell", "1"], ["backup"], ["orders"]):
        code, err = run(capsys, *argv)
        assert code == 1, (argv, err)
        assert f"Cannot use the database {paths.database}: it is a symbolic link" in err, err
        assert "Move the link away" in err
    assert untouched(target, b"", 0o666)
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()


def test_a_database_moved_away_and_linked_back_is_not_written(paths, capsys, tmp_path):
    sell_one(capsys)
    shutdown_logging()
    target = tmp_path / "elsewhere.sqlite3"
    paths.database.rename(target)
    for suffix in ("-wal", "-shm"):
        Path(f"{paths.database}{suffix}").unlink(missing_ok=True)
    paths.database.symlink_to(target)
    before = target.read_bytes()
    code, err = run(capsys, "sell", "2")
    assert code == 1 and "symbolic link" in err, err
    assert target.read_bytes() == before


@pytest.mark.parametrize("name", ["proxyshop.sqlite3-wal", "proxyshop.sqlite3-shm"])
def test_a_symlinked_wal_or_shm_is_refused(paths, capsys, tmp_path, name):
    sell_one(capsys)
    shutdown_logging()
    side = paths.data_dir / name
    side.unlink(missing_ok=True)
    target = target_outside(tmp_path)
    side.symlink_to(target)
    code, err = run(capsys, "orders")
    assert code == 1 and f"{side}: it is a symbolic link" in err, err
    assert untouched(target, b"", 0o666)


@pytest.mark.parametrize("name", ["proxyshop.log", "proxyshop.log.1", "proxyshop.log.5"])
def test_a_symlinked_log_is_refused_and_its_target_untouched(paths, capsys, tmp_path, name):
    """Before: the app appended its log lines to the target and chmod'ed it 0600."""
    paths.ensure()
    content = b"somebody else's file\n"
    target = target_outside(tmp_path, content, 0o644)
    (paths.logs_dir / name).symlink_to(target)
    code, err = run(capsys, "sync")
    assert code == 1, err
    assert f"{paths.logs_dir / name}: it is a symbolic link (to {target})" in err, err
    assert untouched(target, content, 0o644)


def test_a_symlinked_settings_tmp_is_never_written_through(paths, tmp_path):
    paths.ensure()
    content = b"not yours\n"
    target = target_outside(tmp_path, content, 0o644)
    tmp = paths.settings_file.with_suffix(".json.tmp")
    tmp.symlink_to(target)
    save_settings(Settings(price="3.00"), paths.settings_file)
    assert untouched(target, content, 0o644)
    assert not tmp.exists() and not tmp.is_symlink()
    assert json.loads(paths.settings_file.read_text())["price"] == "3.00"
    assert mode(paths.settings_file) == 0o600


def test_a_symlinked_settings_file_is_not_read(paths, tmp_path):
    paths.ensure()
    content = json.dumps({"price": "0.01"}).encode()
    target = target_outside(tmp_path, content, 0o644)
    paths.settings_file.symlink_to(target)
    with pytest.raises(StorageError, match="settings file .* is a symbolic link"):
        load_settings(paths.settings_file, environ={})
    assert untouched(target, content, 0o644)


def test_sqlite_opening_a_link_swapped_in_after_the_checks_is_caught(data_paths, tmp_path,
                                                                     monkeypatch):
    """The checks run before SQLite opens the file by name; a link put there in between (and
    even taken away again) is found afterwards, before anything is written."""
    decoy = tmp_path / "decoy.sqlite3"
    decoy.write_bytes(b"")
    store = Store(data_paths.database, data_paths.backups_dir)
    real_connect = type(store.db).connect

    def swap_then_connect(db, *args, **kwargs):  # the name points elsewhere only during the open
        aside = data_paths.database.with_name("aside")
        data_paths.database.rename(aside)
        data_paths.database.symlink_to(decoy)
        try:
            return real_connect(db, *args, **kwargs)
        finally:
            data_paths.database.unlink()
            aside.rename(data_paths.database)

    monkeypatch.setattr(type(store.db), "connect", swap_then_connect)
    with pytest.raises(StorageError, match="SQLite opened is not the file checked"):
        store.open()
    store.close()
    assert "product" not in decoy.read_bytes().decode("latin-1")  # no table was created there


# --- folders others can write, files of other users -----------------------------------------


@pytest.mark.parametrize("folder", ["", "logs", "backups", "exports"])
@pytest.mark.parametrize("bits", [0o777, 0o770, 0o1777], ids=["0777", "0770", "1777"])
def test_a_folder_others_can_write_is_refused_and_left_as_it_is(paths, capsys, folder, bits):
    paths.ensure()
    where = paths.data_dir / folder if folder else paths.data_dir
    os.chmod(where, bits)
    code, err = run(capsys, "sync")
    assert code == 1, err
    assert f"Cannot use the data dir {paths.data_dir}: {where} is writable by other users" in err
    assert f"chmod 700 '{where}'" in err and "PROXYSHOP_DATA_DIR" in err
    assert stat.S_IMODE(os.stat(where).st_mode) == bits  # not silently "fixed"
    assert not paths.database.exists()


@pytest.mark.parametrize("name", ["database", "log", "settings", "old log", "-wal"])
def test_a_file_of_another_user_is_refused_and_left_alone(paths, capsys, name):
    require_root()
    sell_one(capsys)
    save_settings(Settings(), paths.settings_file)
    shutdown_logging()
    path = {
        "database": paths.database,
        "log": paths.log_file,
        "settings": paths.settings_file,
        "old log": Path(f"{paths.log_file}.1"),
        "-wal": Path(f"{paths.database}-wal"),
    }[name]
    path.touch()
    os.chmod(path, 0o644)
    os.chown(path, 65534, 65534)
    before = path.read_bytes()
    code, err = run(capsys, "orders")
    assert code == 1, err
    assert f"{path}: it belongs to another user (uid 65534" in err, err
    assert path.read_bytes() == before
    st = os.stat(path)
    assert (st.st_uid, stat.S_IMODE(st.st_mode)) == (65534, 0o644)


# --- modes -----------------------------------------------------------------------------------


@pytest.fixture
def umask_000() -> Iterator[None]:
    previous = os.umask(0)
    yield
    os.umask(previous)


def test_every_file_is_owner_only_even_under_umask_000(paths, capsys, umask_000):
    sell_one(capsys)
    code, err = run(capsys, "backup")
    assert code == 0, err
    save_settings(Settings(), paths.settings_file)
    store = Store(paths.database, paths.backups_dir)  # -wal and -shm exist while it is open
    store.open()
    try:
        assert {mode(f) for f in (paths.data_dir, paths.logs_dir, paths.backups_dir,
                                  paths.exports_dir)} == {0o700}
        files = [p for p in paths.data_dir.rglob("*") if p.is_file()]
        names = {p.name for p in files}
        assert {"proxyshop.sqlite3", "proxyshop.sqlite3-wal", "proxyshop.sqlite3-shm",
                "proxyshop.log", "settings.json", "data.lock"} <= names, names
        assert any(p.parent == paths.backups_dir for p in files)
        assert {str(p): oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    finally:
        store.close()


def test_loose_modes_are_set_back_to_0600(paths, capsys):
    sell_one(capsys)
    code, err = run(capsys, "backup")
    assert code == 0, err
    save_settings(Settings(), paths.settings_file)
    shutdown_logging()
    rotated = Path(f"{paths.log_file}.1")
    rotated.write_text("an older log\n")
    reader = sqlite3.connect(paths.database)  # keeps -wal and -shm in place meanwhile
    try:
        reader.execute("SELECT count(*) FROM product").fetchone()
        known = [paths.database, Path(f"{paths.database}-wal"), Path(f"{paths.database}-shm"),
                 paths.log_file, rotated, paths.settings_file, *paths.backups_dir.iterdir()]
        for path in known:
            os.chmod(path, 0o644)
        code, err = run(capsys, "backup")  # opens everything, and prunes (checks) the backups
        assert code == 0, err
        assert {str(p): oct(mode(p)) for p in known if mode(p) != 0o600} == {}
    finally:
        reader.close()


# --- the window's layout file (Qt's QSettings writes through a symlink) ----------------------


def test_a_symlinked_window_layout_stops_the_window_start(qapp, monkeypatch, tmp_path):
    from tests.reliability.window_runs import run_gui_and_answer_dialogs

    paths = AppPaths(Path(os.environ["PROXYSHOP_DATA_DIR"]))
    paths.ensure()
    content = b"[General]\nnot=yours\n"
    target = target_outside(tmp_path, content, 0o644)
    paths.window_layout.symlink_to(target)
    code, shown = run_gui_and_answer_dialogs(monkeypatch)
    assert code == 1
    (box,) = shown
    assert box["name"] == "startupError"
    assert f"{paths.window_layout}: it is a symbolic link (to {target})" in box["text"], box
    assert "Move the link away" in box["informative"]
    assert untouched(target, content, 0o644)


def test_the_window_layout_is_made_owner_only_before_qt_writes_it(qapp, monkeypatch):
    """Qt creates window.ini with the umask's mode and keeps an existing file's mode."""
    from tests.reliability.window_runs import run_gui_and_answer_dialogs

    paths = AppPaths(Path(os.environ["PROXYSHOP_DATA_DIR"]))
    paths.ensure()
    paths.database.mkdir()  # the start stops after the layout file was prepared
    previous = os.umask(0)
    try:
        code, shown = run_gui_and_answer_dialogs(monkeypatch)
    finally:
        os.umask(previous)
    assert code == 1 and [box["name"] for box in shown] == ["startupError"]
    assert mode(paths.window_layout) == 0o600
    os.chmod(paths.window_layout, 0o644)
    run_gui_and_answer_dialogs(monkeypatch)
    assert mode(paths.window_layout) == 0o600
