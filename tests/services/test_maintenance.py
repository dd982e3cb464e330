import asyncio
import os
import sqlite3
import stat
from datetime import UTC, datetime

import pytest

from proxyshop_desktop.errors import BusyError, UsageError
from proxyshop_desktop.models import backup
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.services import audit, maintenance
from tests.factories import create_order, open_context


@pytest.fixture
def ctx(data_paths):
    context = open_context(data_paths)
    yield context
    context.store.close()


#: the restore's time (its safety copy's name, its audit event)
AT = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


def run(coro):
    return asyncio.run(coro)


def order_ids(db_path):
    conn = sqlite3.connect(db_path)
    try:
        return {r[0] for r in conn.execute('SELECT order_id FROM "order"')}
    finally:
        conn.close()


def test_backup_now_writes_a_valid_owner_only_copy(ctx):
    order = create_order(ctx.store)
    path = run(maintenance.backup_now(ctx))
    assert path.parent == ctx.paths.backups_dir and path.name.endswith("-manual.sqlite3")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert backup.check_backup_file(path) >= 1  # passes quick_check, is a ProxyShop database
    assert order_ids(path) == {order.order_id}
    assert [e.kind for e in ctx.store.run_blocking(audit.recent, 5)] == ["backup"]


def test_backups_are_named_by_the_shops_clock(ctx):
    ctx.clock = lambda: AT
    create_order(ctx.store)
    assert run(maintenance.daily_backup(ctx)).name == "proxyshop-20260506-070809-daily.sqlite3"
    assert run(maintenance.backup_now(ctx)).name == "proxyshop-20260506-070809-manual.sqlite3"


def test_each_engine_keeps_its_own_seven_and_its_own_daily_backup(ctx):
    """A shop moved to PostgreSQL keeps its last SQLite copies, and they are not its daily one."""
    day = ctx.clock().strftime("%Y%m%d")
    for n in range(9):
        (ctx.paths.backups_dir / f"proxyshop-{day}-0000{n}-daily.pgdump").write_bytes(b"PGDMP")
    create_order(ctx.store)
    assert run(maintenance.daily_backup(ctx)) is not None  # the .pgdump files are another engine's
    assert len(backup.list_backups(ctx.paths.backups_dir, backup.SQLITE_SUFFIX)) == 1
    assert len(backup.list_backups(ctx.paths.backups_dir, backup.PG_SUFFIX)) == 7  # pruned apart


def test_backups_are_pruned_to_seven_and_never_overwrite(ctx):
    paths = [run(maintenance.backup_now(ctx)) for _ in range(9)]
    assert len(set(paths)) == 9  # several in one second get distinct names
    kept = backup.list_backups(ctx.paths.backups_dir)
    assert len(kept) == maintenance.KEEP_BACKUPS == 7
    assert paths[-1] in kept


def test_daily_backup_once_per_utc_day_once_there_are_orders(ctx):
    assert run(maintenance.daily_backup(ctx)) is None  # only refetchable inventory: nothing to keep
    create_order(ctx.store)
    first = run(maintenance.daily_backup(ctx))
    assert first is not None and first.name.endswith("-daily.sqlite3")
    assert run(maintenance.daily_backup(ctx)) is None
    assert len(backup.list_backups(ctx.paths.backups_dir)) == 1


def test_a_premigration_copy_does_not_count_as_the_daily_backup(ctx):
    name = backup.backup_name("before-v2", datetime.now(UTC))
    (ctx.paths.backups_dir / name).write_bytes(b"")
    create_order(ctx.store)
    assert run(maintenance.daily_backup(ctx)) is not None


def test_restore_refuses_while_the_data_dir_is_in_use(ctx):
    saved = run(maintenance.backup_now(ctx))
    in_use = FileLock(ctx.paths.data_lock, shared=True, what="a restore")  # what Shop.open holds
    in_use.acquire()
    try:
        with pytest.raises(BusyError, match="Another ProxyShop process is using the data dir"):
            maintenance.restore_backup(ctx.paths, saved, AT)
    finally:
        in_use.release()


def test_restore_replaces_the_database_and_keeps_the_old_one(data_paths):
    ctx = open_context(data_paths)
    before = create_order(ctx.store)
    saved = run(maintenance.backup_now(ctx))
    after = create_order(ctx.store)  # made after the backup: gone after restoring it
    ctx.store.close()

    safety = maintenance.restore_backup(data_paths, saved, AT)

    assert safety is not None and safety.name == "proxyshop-20260506-070809-before-restore.sqlite3"
    assert order_ids(data_paths.database) == {before.order_id}
    assert stat.S_IMODE(os.stat(data_paths.database).st_mode) == 0o600
    assert not os.path.exists(f"{data_paths.database}-wal")
    assert safety is not None and order_ids(safety) == {before.order_id, after.order_id}
    assert stat.S_IMODE(os.stat(safety).st_mode) == 0o600
    ctx = open_context(data_paths)  # the restored database opens cleanly
    try:
        kinds = [e.kind for e in ctx.store.run_blocking(audit.recent, 5)]
        assert kinds[0] == "restore"
    finally:
        ctx.store.close()


def test_restore_into_an_empty_data_dir(data_paths, tmp_path):
    other = open_context(data_paths)
    order = create_order(other.store)
    saved = run(maintenance.backup_now(other))
    other.store.close()
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(saved.read_bytes())

    from proxyshop_desktop.paths import AppPaths

    fresh = AppPaths(tmp_path / "fresh")
    assert maintenance.restore_backup(fresh, copy, AT) is None
    assert order_ids(fresh.database) == {order.order_id}


def test_restore_refuses_a_file_that_is_not_a_backup(data_paths, tmp_path):
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_bytes(b"not a database at all" * 50)
    with pytest.raises(UsageError, match="Cannot restore"):
        maintenance.restore_backup(data_paths, bogus, AT)
    with pytest.raises(UsageError, match="does not exist"):
        maintenance.restore_backup(data_paths, tmp_path / "missing.sqlite3", AT)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(UsageError, match="not a ProxyShop database"):
        maintenance.restore_backup(data_paths, other, AT)


def test_restore_refuses_a_backup_from_a_newer_app(ctx):
    saved = run(maintenance.backup_now(ctx))
    conn = sqlite3.connect(saved)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    ctx.store.close()
    ctx.store.open()  # reopened for the fixture's close
    with pytest.raises(UsageError, match="newer ProxyShop"):
        maintenance.restore_backup(ctx.paths, saved, AT)


def test_restore_keeps_a_raw_copy_of_a_damaged_database(data_paths):
    ctx = open_context(data_paths)
    saved = run(maintenance.backup_now(ctx))
    ctx.store.close()
    damaged = b"garbage, not sqlite" * 100
    data_paths.database.write_bytes(damaged)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(f"{data_paths.database}{suffix}"):
            os.unlink(f"{data_paths.database}{suffix}")
    safety = maintenance.restore_backup(data_paths, saved, AT)
    assert safety is not None and "damaged" in safety.name and safety.read_bytes() == damaged
    assert backup.check_backup_file(data_paths.database) >= 1


def _backup_with_an_order(data_paths):
    ctx = open_context(data_paths)
    order = create_order(ctx.store)
    saved = run(maintenance.backup_now(ctx))
    ctx.store.close()
    return saved, order


@pytest.mark.parametrize("char", ["#", "?"])
def test_a_backup_whose_name_holds_a_uri_character_is_restored(data_paths, tmp_path, char):
    saved, order = _backup_with_an_order(data_paths)
    folder = tmp_path / "picked"
    folder.mkdir()
    named = folder / f"a{char}b.sqlite3"
    named.write_bytes(saved.read_bytes())
    maintenance.restore_backup(data_paths, named, AT)
    assert order_ids(data_paths.database) == {order.order_id}
    assert os.listdir(folder) == [named.name]  # the check created no "a" next to it


@pytest.mark.parametrize("char", ["#", "?"])
def test_restore_checks_the_very_file_it_installs(data_paths, tmp_path, char):
    """A `#` or `?` in the name once made the check read another file ("a" for "a#b.sqlite3")
    while the named one was installed: here "a" is a good backup, the named one is not."""
    saved, order = _backup_with_an_order(data_paths)
    folder = tmp_path / "picked"
    folder.mkdir()
    (folder / "a").write_bytes(saved.read_bytes())
    named = folder / f"a{char}b.sqlite3"
    named.write_bytes(saved.read_bytes())
    conn = sqlite3.connect(named)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = data_paths.database.read_bytes()
    with pytest.raises(UsageError, match="newer ProxyShop"):
        maintenance.restore_backup(data_paths, named, AT)
    assert data_paths.database.read_bytes() == before


def test_a_backup_swapped_after_its_check_is_caught_on_the_copy(data_paths, tmp_path, monkeypatch):
    saved, _order = _backup_with_an_order(data_paths)
    source = tmp_path / "picked.sqlite3"
    source.write_bytes(saved.read_bytes())
    newer = tmp_path / "newer.sqlite3"
    newer.write_bytes(saved.read_bytes())
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    real_check = backup.check_backup_file

    def check_then_swap(path):
        version = real_check(path)
        if path == source:  # the source passed; now it changes under the restore
            os.replace(newer, source)
        return version

    monkeypatch.setattr(backup, "check_backup_file", check_then_swap)
    before = data_paths.database.read_bytes()
    with pytest.raises(UsageError, match="newer ProxyShop"):
        maintenance.restore_backup(data_paths, source, AT)
    assert data_paths.database.read_bytes() == before
    assert not list(data_paths.data_dir.glob("*.restore*"))
