"""`db status` on both engines, and `db copy --to URL`: the SQLite shop moved into an empty
PostgreSQL database in one transaction, verified, and a non-empty target refused."""

from __future__ import annotations

import json

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.config import Settings
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models import migrations
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.shop import open_store
from tests.factories import create_order, create_product, create_sync_run


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def a_small_shop(paths: AppPaths) -> None:
    paths.ensure()
    store = Store(paths.database, paths.backups_dir)
    store.open()
    try:
        for _ in range(3):
            create_product(store)
        create_order(store, price="2.50", cost="1.10", operator="anna")
        create_order(store, status="refunded", price="3.00")
        create_order(store, status="pending")
        create_sync_run(store)
    finally:
        store.close()


def test_db_status_on_sqlite(capsys):
    a_small_shop(AppPaths.from_env())
    code, out, err = run(capsys, "db", "status", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["engine"] == "sqlite" and data["server"].startswith("SQLite")
    assert data["schema_version"] == migrations.LATEST_VERSION
    assert data["rows"]["product"] == 3 and data["rows"]["order"] == 3


def test_db_copy_moves_everything_and_verifies_it(capsys, pg_url):
    paths = AppPaths.from_env()
    a_small_shop(paths)
    code, out, err = run(capsys, "db", "copy", "--to", pg_url, "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["source"]["sums"] == data["target"]["sums"]
    assert data["target"]["rows"]["order"] == 3 and data["target"]["rows"]["product"] == 3
    assert data["source"]["sums"]["order.price_cents"] == 250 + 300 + 200

    store = open_store(paths, Settings(database_url=pg_url))
    store.open()
    try:
        # a new row after the copy gets a fresh id (the identity continues after the copied ids)
        create_order(store, operator="boris")
        rows = store.run_blocking(
            lambda: [(o.status, o.operator, o.missing_at_provider)
                     for o in Order.select().order_by(Order.id)]
        )
    finally:
        store.close()
    assert rows[0] == ("sold", "anna", False) and rows[-1][1] == "boris" and len(rows) == 4

    code, out, err = run(capsys, "db", "copy", "--to", pg_url)
    assert code != 0 and "not empty" in err


def test_db_status_on_postgresql(capsys, pg_url, monkeypatch):
    monkeypatch.setenv("PROXYSHOP_DATABASE_URL", pg_url)
    code, out, err = run(capsys, "db", "status")
    assert code == 0, err
    assert "Engine: postgresql (PostgreSQL" in out
    assert f"Schema version: {migrations.LATEST_VERSION}" in out


def test_backup_on_postgresql_is_a_pg_dump_in_the_backups_folder(capsys, pg_url, monkeypatch):
    monkeypatch.setenv("PROXYSHOP_DATABASE_URL", pg_url)
    code, out, err = run(capsys, "backup", "--json")
    assert code == 0, err
    path = json.loads(out)["path"]
    assert path.endswith(".pgdump") and "/backups/" in path
    with open(path, "rb") as dump:
        assert dump.read(5) == b"PGDMP"


def test_a_missing_pg_dump_says_what_to_install(capsys, pg_url, monkeypatch, tmp_path):
    monkeypatch.setenv("PROXYSHOP_DATABASE_URL", pg_url)
    monkeypatch.setenv("PG_BINDIR", str(tmp_path))  # an empty folder: no pg_dump there
    monkeypatch.setattr("proxyshop_desktop.models.backup.glob.glob", lambda pattern: [])
    code, out, err = run(capsys, "backup")
    assert code != 0 and "pg_dump is not installed" in err and "postgresql-client" in err
