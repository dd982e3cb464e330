"""The running totals the database keeps for the shop's figures match the order rows after any
write: the app's own, a status change, a delete, raw SQL from outside the app."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order
from tests.models.old_databases import totals_as_kept, totals_recomputed

T0 = datetime(2026, 3, 14, 23, 59, tzinfo=UTC)


@pytest.fixture
def store(data_paths: AppPaths) -> Iterator[Store]:
    opened = Store(data_paths.database, data_paths.backups_dir)
    opened.open()
    yield opened
    opened.close()


def _check(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    try:
        assert totals_as_kept(conn) == totals_recomputed(conn)
    finally:
        conn.close()


def test_totals_follow_every_kind_of_write(store):
    _check(store)  # empty: no rows at all
    sold = create_order(store, purchased_at=T0, cost=None)
    create_order(store, status="refunded", purchased_at=T0 - timedelta(days=1))
    pending = create_order(store, status="pending")
    void = create_order(store, status="void", purchased_at=None)
    _check(store)
    # a refund: the status, the amount and the refund day change in one update
    store.run_blocking(lambda: Order.update(
        status="refunded", refunded_at=T0 + timedelta(minutes=2), refund_cents=150,
    ).where(Order.id == sold.id).execute())
    # a pending sale settles (purchased_at appears), a void one is deleted
    store.run_blocking(lambda: Order.update(status="sold", purchased_at=T0).where(
        Order.id == pending.id).execute())
    store.run_blocking(lambda: Order.delete().where(Order.id == void.id).execute())
    # a note or a refund mark changes no figure (and fires no totals trigger)
    store.run_blocking(lambda: Order.update(note="VIP", refund_state="unanswered").execute())
    _check(store)
    conn = sqlite3.connect(store.path)
    with conn:  # raw SQL from outside the app keeps them in step as well
        conn.execute('UPDATE "order" SET price_cents = price_cents + 1')
        conn.execute('DELETE FROM "order" WHERE status = ?', ("refunded",))
    conn.close()
    _check(store)
