"""Orders a page at a time from the database: boundaries, filters, search and sort in SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import order_pages
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.order_pages import OrderQuery, page_orders
from tests.factories import create_order

T0 = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)


# `store`: tests/services/conftest.py's, on the test's engine


@pytest.fixture
def ctx(store: Store, data_paths: AppPaths) -> ShopContext:
    def no_client() -> None:
        raise AssertionError("listing orders never calls the provider")

    return ShopContext(settings=Settings(), paths=data_paths, store=store, client=no_client)  # type: ignore[arg-type]


def _orders(store: Store, n: int, **fields) -> list[str]:
    made = []
    for i in range(n):
        at = T0 + timedelta(minutes=i)
        made.append(create_order(store, order_id=f"ORD-20260314-{i:08d}", created_at=at,
                                 purchased_at=at, price=Decimal(100 + (i * 7) % 13), **fields).order_id)
    return made


@pytest.fixture(params=["sorted by the database", "walking the sort index"])
def strategy(request, monkeypatch):
    # Both ways of answering a page must give the same pages.
    monkeypatch.setattr(order_pages, "_SORT_IN_MEMORY_BELOW", 10**9 if request.param == "sorted by the database" else 0)


@pytest.mark.asyncio
async def test_pages_cover_every_order_once_and_say_what_is_next(ctx, store, strategy):
    made = _orders(store, 25)
    newest_first = list(reversed(made))
    first = await page_orders(ctx, OrderQuery(limit=10))
    assert [o.order_id for o in first.orders] == newest_first[:10]
    assert (first.total, first.page, first.next_page, first.remaining) == (25, 1, 2, 15)
    last = await page_orders(ctx, OrderQuery(limit=10, page=3))
    assert [o.order_id for o in last.orders] == newest_first[20:]
    assert (last.next_page, last.remaining) == (None, 0)
    beyond = await page_orders(ctx, OrderQuery(limit=10, page=4))
    assert beyond.orders == [] and beyond.total == 25 and beyond.next_page is None
    exact = await page_orders(ctx, OrderQuery(limit=25))
    assert len(exact.orders) == 25 and exact.next_page is None
    assert first.to_json()["next_page"] == 2 and last.to_json()["next_page"] is None


@pytest.mark.asyncio
async def test_an_order_sold_while_paging_shifts_pages_but_loses_nothing(ctx, store, strategy):
    made = _orders(store, 20)  # newest first: page 1 is made[19..10]
    first = await page_orders(ctx, OrderQuery(limit=10))
    create_order(store, order_id="ORD-20260314-NEWSALE1", created_at=T0 + timedelta(hours=5))
    second = await page_orders(ctx, OrderQuery(limit=10, page=2))
    third = await page_orders(ctx, OrderQuery(limit=10, page=3))
    assert (second.total, second.next_page, third.next_page) == (21, 3, None)
    # The new sale pushes the boundary row onto page 2 (shown twice); no older order is skipped.
    assert second.orders[0].order_id == first.orders[-1].order_id == made[10]
    assert [o.order_id for o in second.orders[1:] + third.orders] == made[9::-1]


@pytest.mark.asyncio
async def test_a_filter_that_matches_nothing_is_an_empty_page(ctx, store, strategy):
    _orders(store, 5)
    for query in (OrderQuery(status="void"), OrderQuery(search="no such thing"),
                  OrderQuery(customer="nobody"), OrderQuery(search="zz")):
        page = await page_orders(ctx, query)
        assert (page.orders, page.total, page.next_page, page.remaining) == ([], 0, None, 0)


@pytest.mark.asyncio
async def test_search_finds_substrings_in_any_script_and_keeps_wildcards_plain(ctx, store, strategy):
    create_order(store, order_id="ORD-20260314-CYR00001", customer="Женя Петров", created_at=T0)
    create_order(store, order_id="ORD-20260314-LAT00002", customer="Jenya", created_at=T0,
                 server_ip="203.0.113.99", proxy_ip="198.51.100.77")
    create_order(store, order_id="ORD-20260314-PCT00003", customer="100% off_", created_at=T0)

    async def found(needle: str) -> list[str]:
        page = await page_orders(ctx, OrderQuery(search=needle, sort="order_id", descending=False))
        return [o.order_id[-4:] for o in page.orders]

    assert await found("ЖЕНЯ") == ["0001"]
    assert await found("жЕ") == ["0001"]  # below the trigram length: a scan, still case-blind
    assert await found("cyr0") == ["0001"]  # order id, any case
    assert await found("203.0.113.99") == ["0002"]
    assert await found("100.7") == ["0002"]  # proxy ip
    assert await found("%") == ["0003"] and await found("_") == ["0003"]
    assert await found('"') == [] and await found('a"b') == []
    # The search index follows updates and deletes made with plain SQL too.
    store.run_blocking(lambda: Order.update(customer="Kim").where(Order.customer == "Jenya").execute())
    assert await found("jenya") == [] and await found("kim") == ["0002"]
    store.run_blocking(lambda: Order.delete().where(Order.order_id.endswith("0001")).execute())
    assert await found("женя") == []


@pytest.mark.asyncio
@pytest.mark.parametrize("sort", list(order_pages.SORT_COLUMNS))
async def test_every_sort_key_pages_like_a_full_sort(ctx, store, strategy, sort):
    _orders(store, 12, customer="b")
    create_order(store, status="refunded", customer="A", created_at=T0 - timedelta(days=1),
                 purchased_at=T0 - timedelta(days=1))
    create_order(store, status="pending", customer="c", created_at=T0 + timedelta(days=1))
    for descending in (False, True):
        whole = await page_orders(ctx, OrderQuery(sort=sort, descending=descending, limit=1000))
        pages = []
        for page in (1, 2, 3):
            got = await page_orders(ctx, OrderQuery(sort=sort, descending=descending, limit=5, page=page))
            pages += [o.order_id for o in got.orders]
        assert pages == [o.order_id for o in whole.orders] and len(pages) == 14


@pytest.mark.asyncio
@pytest.mark.parametrize(("query", "words"), [
    (OrderQuery(sort="colour"), "sorted by"), (OrderQuery(page=0), "numbered from 1"),
    (OrderQuery(limit=0), "per page"), (OrderQuery(status="bought"), "pending"),
])
async def test_a_bad_query_is_a_usage_error(ctx, query, words):
    with pytest.raises(UsageError) as raised:
        await page_orders(ctx, query)
    assert words in raised.value.message + raised.value.hint


@pytest.mark.asyncio
async def test_the_refunds_tab_gets_only_what_it_can_act_on(ctx, store):
    now = datetime.now(UTC)
    inside = create_order(store, purchased_at=now - timedelta(minutes=5))
    create_order(store, purchased_at=now - timedelta(hours=3))  # window over
    unknown = create_order(store, status="refund_unknown", purchased_at=now - timedelta(days=3))
    create_order(store, status="refunded", refund_cents=150)
    create_order(store, status="refunded", refund_cents=None, price=Decimal("2.50"))
    create_order(store, status="pending")
    found = await order_pages.refund_candidates(ctx, now)
    assert sorted(o.order_id for o in found) == sorted([inside.order_id, unknown.order_id])
    assert store.run_blocking(order_pages.refunded_total) == (2, Decimal("4.00"))


@pytest.mark.asyncio
async def test_the_refunds_tab_filtered_by_operator(ctx, store):
    now = datetime.now(UTC)
    annas = create_order(store, purchased_at=now - timedelta(minutes=5), operator="anna")
    create_order(store, purchased_at=now - timedelta(minutes=5), operator="boris")
    unknown = create_order(store, status="refund_unknown", purchased_at=now - timedelta(days=3), operator="anna")
    create_order(store, status="refund_unknown", operator="boris")
    create_order(store, status="refunded", refund_cents=150, operator="anna")
    create_order(store, status="refunded", refund_cents=None, price=Decimal("2.50"), operator="boris")
    found = await order_pages.refund_candidates(ctx, now, " anna ")
    assert sorted(o.order_id for o in found) == sorted([annas.order_id, unknown.order_id])
    assert {o.operator for o in found} == {"anna"}
    assert await order_pages.refund_candidates(ctx, now, "nobody") == []
    assert store.run_blocking(order_pages.refunded_total, "anna") == (1, Decimal("1.50"))
    assert store.run_blocking(order_pages.refunded_total, "boris") == (1, Decimal("2.50"))
    assert store.run_blocking(order_pages.refunded_total, "nobody") == (0, Decimal("0.00"))
    assert store.run_blocking(order_pages.refunded_total, "") == (2, Decimal("4.00"))


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine
