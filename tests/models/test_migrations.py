"""Migrations from every earlier schema version, on real old databases built here.

Each old database is made the way that release made it: the frozen migrations up to its version,
then rows written with raw SQL in that version's columns (orders with the refund marks that lived
in the note until v3, a refund_unknown order, audit rows). Opening it with today's Store must
migrate it and find every order, refund state and audit row intact.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.models import migrations
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import ALL_TABLES, AuditEvent, Order
from proxyshop_desktop.services import refund_outcome
from proxyshop_desktop.vocabulary import OrderStatus, RefundState
from tests.models.old_databases import OLD_ORDERS, build_old_database, totals_as_kept, totals_recomputed


def _schema(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            # sqlite_stat*: ANALYZE's statistics, which `PRAGMA optimize` at close may or may not
            # write; they are data about the tables, not part of the schema
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
        ).fetchall()
    finally:
        conn.close()
    return rows


@pytest.fixture()
def fresh_schema(tmp_path: Path) -> list[tuple[str, str]]:
    (tmp_path / "fresh").mkdir()
    store = Store(tmp_path / "fresh" / "shop.sqlite3")
    store.open()
    store.close()
    return _schema(store.path)


@pytest.mark.parametrize("version", range(1, migrations.LATEST_VERSION))
def test_an_old_database_migrates_with_every_row_intact(tmp_path, version, fresh_schema):
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, version)
    store = Store(path)
    assert store.open() == list(range(version + 1, migrations.LATEST_VERSION + 1))
    try:
        orders = store.run_blocking(lambda: {o.order_id: o for o in Order.select()})
        audits = store.run_blocking(lambda: list(AuditEvent.select().order_by(AuditEvent.id)))
    finally:
        store.close()

    assert sorted(orders) == sorted(o[0] for o in OLD_ORDERS)
    assert [a.order_id for a in audits] == [o[0] for o in OLD_ORDERS]
    assert all(a.message == f"Sold {a.order_id}." and a.amount_cents == 250 for a in audits)
    for order_id, status, _note, _cents in OLD_ORDERS:
        assert orders[order_id].status == status
    # The refund marks moved from the note to the columns; the people's words stayed.
    live, lost, unknown = orders["ORD-LIVE"], orders["ORD-LOST"], orders["ORD-UNKNOWN"]
    assert (live.refund_state, live.refund_requested_at, live.note) == (
        RefundState.IN_PROGRESS, datetime(2026, 11, 26, 10, 0, tzinfo=UTC), "Sold to Ann.")
    assert (lost.refund_state, lost.refund_requested_at, lost.note) == (
        RefundState.UNANSWERED, datetime(2026, 11, 26, 10, 1, 2, tzinfo=UTC), "")
    assert (unknown.refund_state, unknown.note) == (RefundState.UNANSWERED, "VIP")
    assert refund_outcome.read_mark(unknown) == refund_outcome.Mark(
        RefundState.UNANSWERED, datetime(2026, 11, 26, 10, 2, tzinfo=UTC))
    bare = orders["ORD-BARE-UNKNOWN"]
    assert bare.status == OrderStatus.REFUND_UNKNOWN and bare.refund_state is None
    # A mark v3 could not read (no valid time) was no mark: the note is left as written.
    odd = orders["ORD-ODD"]
    assert odd.refund_state is None and odd.note.startswith("[refund in progress since yesterday]")
    untouched = ("ORD-SOLD", "ORD-REFUNDED", "ORD-PENDING", "ORD-VOID", "ORD-RECOVERED", "ORD-ПРИВЕТ")
    notes = {o[0]: o[2] for o in OLD_ORDERS}
    for order_id in untouched:
        assert orders[order_id].note == notes[order_id] and orders[order_id].refund_state is None
    assert orders["ORD-REFUNDED"].refunded_amount == orders["ORD-REFUNDED"].price
    # Whatever version it came from, the database now has exactly a new database's schema,
    # and the running totals and the search index cover the rows written before them.
    assert _schema(path) == fresh_schema
    conn = sqlite3.connect(path)
    try:
        assert totals_as_kept(conn) == totals_recomputed(conn) and totals_as_kept(conn)[0]
        found = conn.execute("SELECT rowid FROM order_search WHERE order_search MATCH '\"привет\"'")
        assert [orders["ORD-ПРИВЕТ"].id] == [row[0] for row in found]
    finally:
        conn.close()


def test_the_latest_schema_has_every_column_of_the_models(tmp_path):
    store = Store(tmp_path / "shop.sqlite3")
    store.open()
    try:
        for model in ALL_TABLES:
            table = model._meta.table_name
            found = store.run_blocking(
                lambda table=table: [r[1] for r in store.db.execute_sql(f'PRAGMA table_info("{table}")')]
            )
            assert sorted(found) == sorted(f.column_name for f in model._meta.sorted_fields), table
    finally:
        store.close()


def test_a_lost_refund_from_before_v4_is_still_found_after_migrating(tmp_path):
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, 3)
    store = Store(path)
    store.open()
    try:
        at = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)  # long after every mark's lifetime
        found = store.run_blocking(refund_outcome.find_lost_refunds, at, Settings())
    finally:
        store.close()
    assert sorted(lost.order_id for lost in found) == [
        "ORD-BARE-UNKNOWN", "ORD-LIVE", "ORD-LOST", "ORD-UNKNOWN"]


def test_v7_replaces_the_running_totals_an_unreleased_v5_build_made(tmp_path, fresh_schema):
    # main's v5 once also created order_totals/order_days with triggers; v7's rollup carries
    # their figures, so a database from such a build ends up with the one rollup only.
    path = tmp_path / "shop.sqlite3"
    build_old_database(path, 6)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE order_totals (status TEXT PRIMARY KEY, orders INTEGER)")
        conn.execute("CREATE TABLE order_days (day TEXT, kind TEXT, status TEXT, orders INTEGER)")
        for event in ("insert", "delete", "update"):
            conn.execute(
                f'CREATE TRIGGER order_totals_{event} AFTER {event.upper()} ON "order" BEGIN '
                "INSERT OR REPLACE INTO order_totals VALUES ('x', 1); END"
            )
    conn.close()
    store = Store(path)
    assert store.open() == list(range(7, migrations.LATEST_VERSION + 1))
    store.close()
    assert _schema(path) == fresh_schema
    conn = sqlite3.connect(path)
    try:
        assert totals_as_kept(conn) == totals_recomputed(conn) and totals_as_kept(conn)
    finally:
        conn.close()
