"""The store on PostgreSQL: one migration chain, the version in a table, advisory-locked
migrations, a newer schema refused, errors that name the cause without the password."""

from __future__ import annotations

import threading

import pytest

from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.models import backup, engine, migrations
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.models.target import DatabaseTarget
from tests.pg_cluster import PASSWORD


def _store(tmp_path, url, password=None, name="a"):
    return Store(tmp_path / name / "shop.sqlite3", tmp_path / name / "backups",
                 target=DatabaseTarget.parse(url), password=password)


def _tables(store):
    sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
    return [r[0] for r in store.run_blocking(lambda: store.db.execute_sql(sql).fetchall())]


def test_a_new_database_gets_the_whole_chain_once(tmp_path, pg_url):
    store = _store(tmp_path, pg_url)
    assert store.open() == list(range(1, migrations.LATEST_VERSION + 1))
    try:
        assert store.run_blocking(engine.schema_version, store.db) == migrations.LATEST_VERSION
        wanted = {"order", "product", "sync_run", "audit_event", "order_rollup", "proxy_check",
                  "alert_outbox"}
        assert wanted <= set(_tables(store))
        assert "PostgreSQL" in store.run_blocking(engine.server_description, store.db)
    finally:
        store.close()
    again = _store(tmp_path, pg_url)
    assert again.open() == []
    again.close()
    assert backup.list_backups(tmp_path / "a" / "backups") == []


def test_two_apps_starting_at_once_migrate_once(tmp_path, pg_url):
    stores = [_store(tmp_path, pg_url, name=n) for n in "ab"]
    results: dict[int, list[int]] = {}
    gate = threading.Barrier(2)

    def start(i):
        gate.wait()
        results[i] = stores[i].open()

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    try:
        applied = sorted(v for r in results.values() for v in r)
        assert applied == list(range(1, migrations.LATEST_VERSION + 1))  # each version exactly once
    finally:
        for s in stores:
            s.close()


def test_the_running_totals_trigger_keeps_step(tmp_path, pg_url):
    from datetime import UTC, datetime

    store = _store(tmp_path, pg_url)
    store.open()
    try:
        def write():
            at = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)
            Order.create(order_id="o1", status="active", proxy_id=1, price_cents=250, cost_cents=100,
                         created_at=at, purchased_at=at)
            Order.create(order_id="o2", status="active", proxy_id=2, price_cents=300, created_at=at,
                         purchased_at=at)
            Order.update(status="refunded", refunded_at=at, refund_cents=300).where(Order.order_id == "o2").execute()
            return store.db.execute_sql(
                "SELECT status, n, price_cents, cost_cents, refunded_cents FROM order_rollup "
                "WHERE dim = 'all' AND n <> 0 ORDER BY status").fetchall()

        assert store.run_blocking(write) == [("active", 1, 250, 100, 250), ("refunded", 1, 300, 0, 300)]
    finally:
        store.close()


def test_a_database_from_a_newer_app_is_refused(tmp_path, pg_url, pg_cluster):
    _store(tmp_path, pg_url).open()  # closes with the test's database
    dbname = pg_url.rsplit("/", 1)[1]
    pg_cluster.psql(f"UPDATE {engine.VERSION_TABLE} SET version = {migrations.LATEST_VERSION + 3}", dbname)
    with pytest.raises(StorageError, match="newer ProxyShop"):
        _store(tmp_path, pg_url, name="b").open()


def test_a_wrong_password_is_named_and_never_shown(tmp_path, pg_url, monkeypatch):
    monkeypatch.delenv("PGPASSWORD")
    url = pg_url.replace("postgres@", "postgres:wrong-secret-pw@")
    with pytest.raises(StorageError) as err:
        _store(tmp_path, url).open()
    text = f"{err.value.message} {err.value.hint}"
    assert "refused the login" in text and "db-password set" in text
    assert "wrong-secret-pw" not in text and err.value.__cause__ is None


def test_an_unreachable_server_says_so(tmp_path, pg_url):
    url = pg_url.replace(pg_url.split("@")[1].split("/")[0], "127.0.0.1:1")
    with pytest.raises(StorageError, match="Cannot reach"):
        _store(tmp_path, url).open()


def test_the_password_from_the_keyring_is_used(tmp_path, pg_url, monkeypatch):
    monkeypatch.delenv("PGPASSWORD")
    store = _store(tmp_path, pg_url, password=PASSWORD)
    assert store.open() == list(range(1, migrations.LATEST_VERSION + 1))
    store.close()


def test_an_older_database_is_dumped_before_migrating(tmp_path, pg_url):
    old = engine.PgShopDatabase(DatabaseTarget.parse(pg_url))
    old.connect()
    migrations.migrate(old, up_to=migrations.LATEST_VERSION - 1)
    old.close()
    again = _store(tmp_path, pg_url)
    assert again.open() == [migrations.LATEST_VERSION]
    again.close()
    [dump] = backup.list_backups(tmp_path / "a" / "backups")
    assert dump.suffix == backup.PG_SUFFIX and dump.read_bytes()[:5] == b"PGDMP"


def test_a_lost_connection_fails_one_call_then_recovers(tmp_path, pg_url, pg_cluster):
    store = _store(tmp_path, pg_url)
    store.open()
    try:
        pid = store.run_blocking(lambda: store.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0])
        pg_cluster.psql(f"SELECT pg_terminate_backend({pid})")  # a server restart, as the app sees it
        with pytest.raises(StorageError) as lost:
            store.run_blocking(lambda: store.db.execute_sql("SELECT 1").fetchone())
        assert "Cannot reach" in lost.value.message or "connection" in lost.value.message.lower()
        assert store.run_blocking(lambda: store.db.execute_sql("SELECT 1").fetchone()[0]) == 1
    finally:
        store.close()
