import os
import sqlite3
import stat
import subprocess
import sys

import pytest

from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.models import backup, migrations
from proxyshop_desktop.models.store import FULL_CHECK_EVERY_S, Store
from tests.models.old_databases import build_old_database


def test_new_database_is_owner_only_and_migrated(tmp_path):
    store = Store(tmp_path / "shop.sqlite3")
    assert store.open() == list(range(1, migrations.LATEST_VERSION + 1))
    try:
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
        mode = store.run_blocking(lambda: store.db.execute_sql("PRAGMA journal_mode").fetchone()[0])
        assert mode == "wal"
    finally:
        store.close()
    again = Store(tmp_path / "shop.sqlite3")
    assert again.open() == []  # nothing to migrate, no backup taken
    again.close()
    assert backup.list_backups(tmp_path / "backups") == []


def test_an_older_database_is_backed_up_before_migrating(tmp_path):
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, 1)
    store = Store(path)
    assert store.open() == list(range(2, migrations.LATEST_VERSION + 1))
    store.close()
    saved = backup.list_backups(tmp_path / "backups")
    assert len(saved) == 1 and stat.S_IMODE(os.stat(saved[0]).st_mode) == 0o600
    assert backup.check_backup_file(saved[0]) == 1


def test_a_database_from_a_newer_app_is_refused(tmp_path):
    path = tmp_path / "shop.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.LATEST_VERSION + 5}")
    conn.close()
    with pytest.raises(StorageError, match="newer ProxyShop"):
        Store(path).open()


def test_a_damaged_database_is_reported_not_recreated(tmp_path):
    path = tmp_path / "shop.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError) as err:
        Store(path).open()
    assert "restore" in err.value.hint.lower()
    assert path.read_bytes() == before


def _damage_an_index_page(path):
    """Overwrite the middle of the file: the header and the schema still read, a page does not."""
    data = bytearray(path.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle + 100: middle + 3000] = b"\xff" * 2900
    path.write_bytes(bytes(data))


def _database_with_rows(tmp_path):
    path = tmp_path / "shop.sqlite3"
    store = Store(path)
    store.open()
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO sync_run (kind, trigger, started_at, status, pages, fetched, added, updated, "
            "removed, skipped, requests) VALUES ('sync', 'cli', ?, 'success', 0, 0, 0, 0, 0, 0, 0)",
            [(f"2026-01-01T00:00:{i:09d}",) for i in range(20000)],
        )
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    store.close()
    return path


def test_the_full_integrity_check_runs_once_a_day_per_database_file(tmp_path):
    path = _database_with_rows(tmp_path)
    store = Store(path)
    store.open()  # an existing file: fully checked, and the check remembered
    store.close()
    stamp = path.with_name(path.name + ".checked")
    assert stamp.exists() and stat.S_IMODE(os.stat(stamp).st_mode) == 0o600
    _damage_an_index_page(path)
    # Within the day the full check is not repeated (opening costs the same at any size) ...
    again = Store(path)
    again.open()
    again.close()
    # ... once the day is over it runs again and finds the damage.
    day_ago = os.stat(stamp).st_mtime - FULL_CHECK_EVERY_S - 1
    os.utime(stamp, (day_ago, day_ago))
    with pytest.raises(StorageError) as err:
        Store(path).open()
    assert "integrity check" in err.value.message and "restore" in err.value.hint.lower()


def test_a_replaced_database_file_is_checked_afresh(tmp_path):
    path = _database_with_rows(tmp_path)
    store = Store(path)
    store.open()
    store.close()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(path.read_bytes())
    _damage_an_index_page(copy)
    copy.replace(path)  # another file under the same name (a restore, a copy from elsewhere)
    with pytest.raises(StorageError, match="integrity check"):
        Store(path).open()



def test_a_planted_link_in_place_of_the_check_stamp_is_never_followed(tmp_path):
    path = _database_with_rows(tmp_path)
    target = tmp_path / "elsewhere.txt"
    target.write_text("untouched")
    stamp = path.with_name(path.name + ".checked")
    stamp.symlink_to(target)
    store = Store(path)
    store.open()  # checked in full (the link is no record of a check), nothing written through it
    store.close()
    assert target.read_text() == "untouched"


def test_another_process_closing_the_database_never_loses_this_ones_next_commit(tmp_path):
    # SQLite's locks are POSIX locks, which a process drops on *any* close of the file: had the
    # store closed a descriptor of its own after SQLite opened the database, the other process's
    # close would find itself the last user, checkpoint and delete the WAL, and this store's next
    # commit would go to the deleted file (seen as a sale printed, then found pending).
    path = tmp_path / "shop.sqlite3"
    store = Store(path)
    store.open()
    try:
        other = subprocess.run(
            [sys.executable, "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
             "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); c.close()", str(path)],
            capture_output=True, text=True, timeout=60,
        )
        assert other.returncode == 0, other.stderr
        store.run_blocking(lambda: store.db.execute_sql("PRAGMA user_version = 4242"))
        reader = sqlite3.connect(path)
        try:
            assert reader.execute("PRAGMA user_version").fetchone() == (4242,)
        finally:
            reader.close()
    finally:
        store.close()
