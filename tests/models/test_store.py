import os
import sqlite3
import stat

import pytest

from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.models import backup, migrations
from proxyshop_desktop.models.store import Store


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
    store = Store(path)
    store.open()
    store.run_blocking(lambda: store.db.execute_sql("PRAGMA user_version = 1"))
    store.run_blocking(lambda: store.db.execute_sql("DROP INDEX product_speed"))
    store.run_blocking(lambda: store.db.execute_sql("DROP INDEX product_country_city_id"))
    store.run_blocking(lambda: store.db.execute_sql('DROP INDEX order_status_purchased'))
    for drop in ("TABLE order_rollup", "TRIGGER order_rollup_insert", "TRIGGER order_rollup_delete",
                 "TRIGGER order_rollup_update", "INDEX order_report_since", "TABLE proxy_check"):  # v4
        store.run_blocking(lambda drop=drop: store.db.execute_sql(f"DROP {drop}"))
    store.close()
    store = Store(path)
    assert store.open() == [2, 3, 4]
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
