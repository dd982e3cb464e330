"""Migration v9: every inventory sort reads off an index, both ways, on a database migrated
from v8 with products in it (a page of 1,000,000 proxies must not sort the whole table)."""

from __future__ import annotations

import sqlite3

import pytest

from proxyshop_desktop.models import migrations
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.services.inventory_query import SORTS, order_by
from proxyshop_desktop.services.results import InventoryQuery


class _Conn:
    """sqlite3 behind the one method the frozen migrations call."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute_sql(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)


@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_of_a_migrated_database_reads_off_an_index(tmp_path, descending):
    path = tmp_path / "shop.sqlite3"
    conn = sqlite3.connect(path)
    try:
        with conn:
            for version, step in enumerate(migrations.MIGRATIONS[:8], start=1):
                step(_Conn(conn))  # type: ignore[arg-type]
                conn.execute(f"PRAGMA user_version = {version}")
            conn.executemany(
                "INSERT INTO product (proxy_id, country_code, city, isp, proxy_type, status, fingerprint,"
                " first_seen, last_seen, last_changed) VALUES (?, 'US', 'Dallas', ?, 'mobile', 1, '', ?, ?, ?)",
                [(n, f"ISP {n % 3}", f"2026-11-0{n}T00:00:00+00:00", f"2026-11-1{n}T00:00:00+00:00",
                  "2026-11-01T00:00:00+00:00") for n in range(1, 6)])
    finally:
        conn.close()
    store = Store(path)
    assert store.open() == list(range(9, migrations.LATEST_VERSION + 1))
    store.close()

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM product").fetchone()[0] == 5  # the rows stayed
        # last_seen is derived; its page reads the stored column's index (inventory_pages.py)
        terms = {sort: order_by(InventoryQuery(sort=sort, descending=descending)) for sort in SORTS
                 if sort not in ("refund_rate", "last_seen")}
        terms["last_seen"] = f"p.last_seen{' DESC' if descending else ''}, p.id{' DESC' if descending else ''}"
        for sort, terms_sql in terms.items():
            plan = conn.execute(f"EXPLAIN QUERY PLAN SELECT p.id FROM product AS p ORDER BY {terms_sql}"
                                " LIMIT 200").fetchall()
            assert not any("TEMP B-TREE" in step[-1] for step in plan), (sort, plan)
    finally:
        conn.close()
