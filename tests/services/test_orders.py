"""Listing and viewing orders: newest first, filters, search, and what a view shows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from proxyshop_desktop.errors import NotFoundError, UsageError
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import orders
from tests.services.money_helpers import T0, insert_order


@pytest.fixture
def several(store):
    insert_order(store, "ORD-20250314-AAAA0001", customer="alice", created_at=T0, proxy_id=11,
                 credentials_id=1, server_ip="203.0.113.1", proxy_ip="198.51.100.1")
    insert_order(store, "ORD-20250314-BBBB0002", customer="bob", created_at=T0 + timedelta(minutes=5),
                 proxy_id=12, credentials_id=2, status="refunded", refunded_at=T0 + timedelta(minutes=9),
                 refund_cents=200)
    insert_order(store, "ORD-20250314-CCCC0003", customer="alice", proxy_id=13, status="pending",
                 created_at=T0 + timedelta(minutes=10), purchased_at=None, server_ip=None, port=None,
                 username=None, password=None, cost_cents=None)
    insert_order(store, "ORD-20250313-DDDD0004", customer="", proxy_id=14, credentials_id=4,
                 status="recovered", created_at=T0 - timedelta(days=1), purchased_at=T0 - timedelta(days=1),
                 server_ip="203.0.113.99", proxy_ip="198.51.100.77")
    insert_order(store, "ORD-20250314-EEEE0005", customer="Alice Smith", proxy_id=15, status="void",
                 created_at=T0 + timedelta(minutes=1), purchased_at=None, server_ip=None, port=None,
                 username=None, password=None)


def ids(views) -> list[str]:
    return [v.order_id[-4:] for v in views]


@pytest.mark.asyncio
async def test_orders_are_listed_newest_first(ctx, several):
    assert ids(await orders.list_orders(ctx)) == ["0003", "0002", "0005", "0001", "0004"]


@pytest.mark.asyncio
async def test_filter_by_customer_is_exact(ctx, several):
    assert ids(await orders.list_orders(ctx, customer="alice")) == ["0003", "0001"]
    assert ids(await orders.list_orders(ctx, customer=" alice ")) == ["0003", "0001"]
    assert ids(await orders.list_orders(ctx, customer="nobody")) == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "expected"),
    [("sold", ["0001"]), ("refunded", ["0002"]), ("pending", ["0003"]), ("recovered", ["0004"]),
     ("void", ["0005"]), ("SOLD", ["0001"])],
)
async def test_filter_by_status(ctx, several, status, expected):
    assert ids(await orders.list_orders(ctx, status=status)) == expected


@pytest.mark.asyncio
@pytest.mark.parametrize("status", ["bought", "sold,refunded", "'; DROP TABLE order; --", "refund"])
async def test_invalid_status_is_a_usage_error(ctx, several, status):
    with pytest.raises(UsageError) as raised:
        await orders.list_orders(ctx, status=status)
    assert "pending" in raised.value.hint or "pending" in raised.value.message


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("bbbb", ["0002"]),  # order id, any case
        ("ALICE", ["0003", "0005", "0001"]),  # customer substring
        ("203.0.113.99", ["0004"]),  # server ip
        ("198.51.100.7", ["0004"]),  # proxy ip
        ("%", []),  # LIKE wildcards are plain characters
        ("_", []),
        ("", ["0003", "0002", "0005", "0001", "0004"]),
    ],
)
async def test_search(ctx, several, search, expected):
    assert ids(await orders.list_orders(ctx, search=search)) == expected


@pytest.mark.asyncio
async def test_filters_combine(ctx, several):
    assert ids(await orders.list_orders(ctx, customer="alice", status="sold", search="AAAA")) == ["0001"]
    assert ids(await orders.list_orders(ctx, customer="alice", status="refunded")) == []


@pytest.mark.asyncio
async def test_get_order_and_its_view(ctx, several):
    view = await orders.get_order(ctx, " ord-20250314-bbbb0002 ")
    assert view.order_id == "ORD-20250314-BBBB0002"
    assert view.status == "refunded" and view.refund_amount == Decimal("2.00")
    assert view.price == Decimal("2.00") and view.cost == Decimal("1.20")
    assert view.refundable_until == T0 + timedelta(minutes=60)
    assert view.credentials is not None and view.credentials.password == "secret"
    payload = view.to_json()
    assert payload["price"] == "2.00" and payload["status"] == "refunded"
    assert payload["refundable_until"] == "2025-03-14T13:00:00+00:00"


@pytest.mark.asyncio
async def test_pending_and_void_orders_show_no_credentials(ctx, several):
    pending = await orders.get_order(ctx, "ORD-20250314-CCCC0003")
    void = await orders.get_order(ctx, "ORD-20250314-EEEE0005")
    assert pending.credentials is None and pending.refundable_until is None
    assert void.credentials is None
    assert pending.to_json()["credentials"] is None


@pytest.mark.asyncio
async def test_unknown_order_is_not_found(ctx, several):
    with pytest.raises(NotFoundError) as raised:
        await orders.get_order(ctx, "ORD-20990101-NOPE0000")
    assert raised.value.message == "No order ORD-20990101-NOPE0000 exists."
    assert raised.value.hint


def test_refund_window_follows_the_settings(store):
    from proxyshop_desktop.config import Settings

    insert_order(store, "ORD-X")
    row = store.run_blocking(lambda: Order.get(Order.order_id == "ORD-X"))
    view = orders.order_view(row, Settings(refund_window_minutes=15))
    assert view.refundable_until == T0 + timedelta(minutes=15)


@pytest.mark.asyncio
async def test_search_folds_case_in_any_script(ctx, store):
    insert_order(store, "ORD-20250314-CYR00001", customer="Женя Петров")
    insert_order(store, "ORD-20250314-LAT00002", customer="Jenya")
    assert ids(await orders.list_orders(ctx, search="ЖЕНЯ")) == ["0001"]


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine
