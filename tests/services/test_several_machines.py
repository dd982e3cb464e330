"""Several machines on one PostgreSQL database: two data dirs (two "machines", each with its own
store, DB thread and connection) selling the same product, refunding the same order, reconciling
and syncing at once. The provider is one respx mock that counts what it was asked."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from proxyshop_desktop import operator
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import NotFoundError, RefundRefusedError, SyncedElsewhereError
from proxyshop_desktop.models.tables import AuditEvent, SyncRun
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import batch_sales, reconcile, refunds, runs, sales, sync
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.services.shop import open_store
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.services.money_helpers import (
    API,
    REFUNDABLE,
    T0,
    add_product,
    bought,
    buy_responder,
    order_rows,
    purchase,
)


@pytest_asyncio.fixture
async def machines(tmp_path, pg_url) -> AsyncIterator[list[ShopContext]]:
    settings = Settings(api_url=API, api_timeout=5, database_url=pg_url)
    made: list[ShopContext] = []
    clients: list[ProviderClient] = []
    for name in ("a", "b"):
        paths = AppPaths(tmp_path / name)
        paths.ensure()
        store = open_store(paths, settings)
        store.open()
        client = ProviderClient(settings, "test-token", retry=FAST_RETRY)
        clients.append(client)
        made.append(ShopContext(settings=settings, paths=paths, store=store, client=lambda c=client: c))
    yield made
    for ctx in made:
        ctx.store.close()
    for client in clients:
        await client.aclose()


@pytest.mark.asyncio
async def test_two_operators_selling_one_product_make_one_order_and_one_purchase(machines, provider, clock):
    a, b = machines
    pid = add_product(a.store, 3001)
    buy = provider.get("/proxy/buy").mock(side_effect=buy_responder({3001: purchase(3001, 71)}))

    results = await asyncio.gather(sales.sell(a, pid), sales.sell(b, pid), return_exceptions=True)

    sold = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(sold) == 1 and len(refused) == 1
    assert isinstance(refused[0], NotFoundError), refused[0]
    assert buy.call_count == 1
    assert [(o["order_id"], o["status"]) for o in order_rows(b.store)] == [(sold[0].order_id, "sold")]


@pytest.mark.asyncio
async def test_a_batch_on_each_machine_never_buys_one_proxy_twice(machines, provider, clock):
    a, b = machines
    for proxy_id in range(4001, 4011):
        add_product(a.store, proxy_id)
    answers = {p: purchase(p, 500 + p) for p in range(4001, 4011)}
    buy = provider.get("/proxy/buy").mock(side_effect=buy_responder(answers))

    await asyncio.gather(
        *(batch_sales.sell_batch(m, 5, InventoryQuery(country_code="US")) for m in machines),
        return_exceptions=True,
    )
    asked = [int(call.request.url.params["proxy_id"]) for call in buy.calls]
    assert len(asked) == len(set(asked))  # no proxy bought twice
    rows = order_rows(a.store)
    assert len({o["proxy_id"] for o in rows}) == len(rows) == len(asked)


@pytest.mark.asyncio
async def test_one_order_refunded_on_two_machines_is_sent_once_and_credited_once(machines, provider, clock):
    a, b = machines
    pid = add_product(a.store, 3001)
    provider.get("/proxy/buy").mock(side_effect=buy_responder({3001: purchase(3001, 71)}))
    order_id = (await sales.sell(a, pid)).order_id
    clock.advance(minutes=5)
    provider.post("/proxy/check-refundable").mock(return_value=httpx.Response(200, json=REFUNDABLE))
    sent = provider.post("/proxy/refund").mock(return_value=httpx.Response(200))

    results = await asyncio.gather(refunds.refund(a, order_id), refunds.refund(b, order_id),
                                   return_exceptions=True)

    done = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(done) == 1 and len(refused) == 1 and isinstance(refused[0], RefundRefusedError), results
    assert sent.call_count == 1
    credited = b.store.run_blocking(lambda: AuditEvent.select().where(AuditEvent.kind == "refund").count())
    assert credited == 1
    [row] = order_rows(b.store)
    assert row["status"] == "refunded" and row["refund_cents"] == 200


@pytest.mark.asyncio
async def test_reconcile_on_two_machines_records_a_lost_purchase_once(machines, provider, clock):
    provider.get("/proxy/bought").mock(return_value=bought(purchase(3001, 71, bought_at="2025-03-14T12:00:02Z")))
    await asyncio.gather(*(reconcile.reconcile(m) for m in machines))
    rows = order_rows(machines[0].store)
    assert [(o["credentials_id"], o["status"]) for o in rows] == [(71, "recovered")]


@pytest.mark.asyncio
async def test_a_sync_meeting_another_machines_sync_says_who_and_when(machines, provider, clock):
    a, b = machines
    operator.configure("anna")
    try:
        async with runs.sync_lock(a):
            a.store.run_blocking(runs.start_run, "sync", None, "timer", T0)
            with pytest.raises(SyncedElsewhereError) as busy:
                await sync.run_sync(b, trigger="timer")
    finally:
        operator.configure("")
    assert busy.value.message.startswith("Synced by anna ")
    assert " s ago" in busy.value.message
    running = b.store.run_blocking(lambda: [r.status for r in SyncRun.select()])
    assert running == ["running"]  # b recorded no failed run of its own


@pytest.mark.asyncio
async def test_a_change_on_one_machine_is_announced_to_the_other(machines, clock):
    from proxyshop_desktop.models.notify import ChangeListener

    a, b = machines
    heard: list[str] = []
    listener = ChangeListener(b.store.target, b.store.password, heard.append)
    listener.start()
    try:
        assert await asyncio.to_thread(listener.connected.wait, 10)
        add_product(a.store, 3001)
        for _ in range(40):  # within 2 s
            if "product" in heard:
                break
            await asyncio.sleep(0.05)
        assert "product" in heard
    finally:
        await asyncio.to_thread(listener.stop)
