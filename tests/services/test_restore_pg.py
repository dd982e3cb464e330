"""`restore FILE` on the shared PostgreSQL database: a .pgdump through pg_restore, in one
transaction, the current database saved first, a newer schema refused (throwaway cluster)."""

import asyncio
import json
from datetime import UTC, datetime

import psycopg
import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.errors import BusyError, StorageError, UsageError
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models import backup, engine, migrations
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.models.target import DatabaseTarget
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import audit, maintenance
from proxyshop_desktop.services.restore_pg import restore_pg_backup
from tests.factories import create_order, open_context

AT = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


def _ids(store):
    return store.run_blocking(lambda: {o.order_id for o in Order.select(Order.order_id)})


def _saved_shop(data_paths, pg_url):
    """A backup holding one order, and an order made after it (lost by restoring it)."""
    ctx = open_context(data_paths, database_url=pg_url)
    try:
        before = create_order(ctx.store)
        saved = asyncio.run(maintenance.backup_now(ctx))
        after = create_order(ctx.store)
    finally:
        ctx.store.close()
    return saved, before.order_id, after.order_id


def _dump_of(pg_cluster, tmp_path, name, prepare):
    """A .pgdump of another database, made by `prepare(db)`."""
    url = pg_cluster.create_database(name)
    target = DatabaseTarget.parse(url)
    db = engine.PgShopDatabase(target)
    db.connect()
    prepare(db)
    db.close()
    return backup.pg_dump_into(target, None, tmp_path / f"{name}.pgdump")


def test_restore_replaces_the_shop_and_keeps_the_old_one(data_paths, pg_url, tmp_path):
    saved, before, after = _saved_shop(data_paths, pg_url)
    other = open_context(AppPaths(tmp_path / "machine-2"), database_url=pg_url)  # stays connected
    try:
        for _ in range(6):  # psycopg prepares a statement run 5 times: it must survive the restore
            assert _ids(other.store) == {before, after}
        done = restore_pg_backup(data_paths, pg_url, saved, AT)
        assert _ids(other.store) == {before}  # no reconnect needed
    finally:
        other.store.close()
    assert done.dump_version == migrations.LATEST_VERSION
    assert done.safety is not None and done.safety.name == "proxyshop-20260506-070809-before-restore.pgdump"
    assert backup.check_pg_dump(done.safety) == migrations.LATEST_VERSION
    ctx = open_context(data_paths, database_url=pg_url)
    try:
        assert _ids(ctx.store) == {before}
        [event] = ctx.store.run_blocking(audit.recent, 1)
        assert event.kind == "restore" and saved.name in event.message and done.safety.name in event.message
    finally:
        ctx.store.close()


def test_an_older_dump_replaces_a_newer_schema_and_is_migrated(data_paths, pg_url, pg_cluster, tmp_path):
    """A backup from before a migration: the newer schema's tables and functions go too, or
    the migration run after the restore would find them already there."""
    old = _dump_of(pg_cluster, tmp_path, f"old_{id(tmp_path)}",
                   lambda db: migrations.migrate(db, up_to=migrations.LATEST_VERSION - 1))
    assert backup.check_pg_dump(old) == migrations.LATEST_VERSION - 1
    _saved_shop(data_paths, pg_url)
    done = restore_pg_backup(data_paths, pg_url, old, AT)
    assert done.dump_version == migrations.LATEST_VERSION - 1
    ctx = open_context(data_paths, database_url=pg_url)
    try:
        assert _ids(ctx.store) == set()
        assert ctx.store.run_blocking(engine.schema_version, ctx.store.db) == migrations.LATEST_VERSION
    finally:
        ctx.store.close()


def test_a_dump_from_a_newer_app_is_refused_and_nothing_changes(data_paths, pg_url, pg_cluster, tmp_path):
    def newer(db):
        migrations.migrate(db)
        db.execute_sql(f"UPDATE {engine.VERSION_TABLE} SET version = 999")

    dump = _dump_of(pg_cluster, tmp_path, f"new_{id(tmp_path)}", newer)
    _saved, before, after = _saved_shop(data_paths, pg_url)
    with pytest.raises(UsageError, match="newer ProxyShop"):
        restore_pg_backup(data_paths, pg_url, dump, AT)
    assert not list(data_paths.backups_dir.glob("*before-restore*"))
    ctx = open_context(data_paths, database_url=pg_url)
    try:
        assert _ids(ctx.store) == {before, after}
    finally:
        ctx.store.close()


def test_files_that_are_not_a_shops_pg_dump_are_refused(data_paths, pg_url, tmp_path):
    lite = open_context(AppPaths(tmp_path / "lite"))
    sqlite_backup = asyncio.run(maintenance.backup_now(lite))
    lite.store.close()
    with pytest.raises(UsageError, match=r"restores pg_dump backups \(\.pgdump\) only") as err:
        restore_pg_backup(data_paths, pg_url, sqlite_backup, AT)
    assert "db copy" in err.value.hint
    garbage = tmp_path / "garbage.pgdump"
    garbage.write_bytes(backup.PG_DUMP_MAGIC + b"\x00 not really" * 20)
    with pytest.raises(UsageError, match="not a readable pg_dump file"):
        restore_pg_backup(data_paths, pg_url, garbage, AT)
    with pytest.raises(UsageError, match="does not exist"):
        restore_pg_backup(data_paths, pg_url, tmp_path / "missing.pgdump", AT)
    saved, _before, _after = _saved_shop(data_paths, pg_url)
    with pytest.raises(UsageError, match="is a backup of a PostgreSQL database") as err:
        maintenance.restore_backup(AppPaths(tmp_path / "sqlite-shop"), saved, AT)
    assert "PROXYSHOP_DATABASE_URL" in err.value.hint


def test_a_failed_restore_leaves_the_database_as_it_was(data_paths, pg_url, monkeypatch):
    saved, before, after = _saved_shop(data_paths, pg_url)
    with monkeypatch.context() as patch:  # fails after the schema was cleared, in the one transaction
        patch.setattr(backup, "_CLEAR_SCHEMA", backup._CLEAR_SCHEMA + "; SELECT 1/0")
        with pytest.raises(StorageError, match="left as it was: .*division by zero"):
            restore_pg_backup(data_paths, pg_url, saved, AT)
    ctx = open_context(data_paths, database_url=pg_url)
    try:
        assert _ids(ctx.store) == {before, after}
    finally:
        ctx.store.close()


def test_restore_waits_for_another_machines_sync(data_paths, pg_url):
    saved, _before, _after = _saved_shop(data_paths, pg_url)
    with psycopg.connect(pg_url, autocommit=True) as syncing:
        syncing.execute("SELECT pg_advisory_lock(%s)", (engine.lock_key("sync"),))
        with pytest.raises(BusyError, match="Another machine is syncing"):
            restore_pg_backup(data_paths, pg_url, saved, AT)


def test_a_missing_pg_restore_says_what_to_install(data_paths, pg_url, monkeypatch, tmp_path):
    saved, _before, _after = _saved_shop(data_paths, pg_url)
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))  # an empty folder
    monkeypatch.setattr("proxyshop_desktop.models.backup.glob.glob", lambda pattern: [])
    with pytest.raises(StorageError, match="pg_restore is not installed") as err:
        restore_pg_backup(data_paths, pg_url, saved, AT)
    assert "postgresql-client" in err.value.hint


def test_the_restore_command_on_postgresql(capsys, pg_url, monkeypatch):
    paths = AppPaths.from_env()
    saved, before, _after = _saved_shop(paths, pg_url)
    monkeypatch.setenv("PROXYSHOP_DATABASE_URL", pg_url)
    assert main(["restore", str(saved)]) == 0
    out = capsys.readouterr().out
    assert f"Restored {saved} (schema v{migrations.LATEST_VERSION})" in out
    assert "Other machines stay connected" in out and "before-restore.pgdump" in out
    assert main(["restore", str(saved), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "success" and data["previous_backup"].endswith(".pgdump")
    assert "throwaway" not in json.dumps(data)  # the password is never shown
