"""The outbox arrives by its own migration on a database of the previous schema, empty."""

from __future__ import annotations

from proxyshop_desktop.alerts import outbox
from proxyshop_desktop.models import migrations
from proxyshop_desktop.models.store import Store
from tests.models.old_databases import build_old_database


def test_a_previous_schema_gains_an_empty_outbox(tmp_path):
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, 5)  # the schema before the outbox (v6)
    store = Store(path)
    try:
        assert store.open() == list(range(6, migrations.LATEST_VERSION + 1))
        assert store.run_blocking(outbox.status).queued == 0
        assert store.run_blocking(outbox.raise_alert, "test", "k", "body")
        indexes = store.run_blocking(
            lambda: [r[1] for r in store.db.execute_sql("PRAGMA index_list(alert_outbox)")]
        )
        assert "alert_outbox_dedupe_key" in indexes
    finally:
        store.close()
