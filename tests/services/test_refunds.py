"""Refunds: every shop rule, the provider's word, and local state that changes only after the
provider accepted — never a second provider refund for one order."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from proxyshop_desktop.errors import (
    NotFoundError,
    NotRefundableError,
    OutcomeUnknownError,
    RefundRefusedError,
)
from proxyshop_desktop.models.tables import AuditEvent, Order
from proxyshop_desktop.services import refund_outcome, refunds, sales, stats
from proxyshop_desktop.services.results import InventoryQuery
from tests.services.money_helpers import (
    REFUNDABLE,
    STILL_ONLINE,
    T0,
    add_product,
    audit_kinds,
    buy_responder,
    insert_order,
    order_rows,
    purchase,
)


def order(store, order_id: str) -> dict[str, Any]:
    return store.run_blocking(lambda: dict(Order.get(Order.order_id == order_id).__data__))


def body_cid(request: httpx.Request) -> int:
    return int(json.loads(request.content)["credentials_id"])


@pytest.fixture
def check_route(provider):
    return provider.post("/proxy/check-refundable").mock(return_value=httpx.Response(200, json=REFUNDABLE))


@pytest.fixture
def refund_route(provider):
    return provider.post("/proxy/refund").mock(return_value=httpx.Response(200))


async def sell_one(ctx, provider, store, proxy_id: int = 3001, cid: int = 71) -> str:
    pid = add_product(store, proxy_id)
    provider.get("/proxy/buy").mock(side_effect=buy_responder({proxy_id: purchase(proxy_id, cid)}))
    return (await sales.sell(ctx, pid, "customer-1")).order_id


@pytest.mark.asyncio
async def test_refund_happy_path_changes_state_only_after_the_provider_accepted(
    ctx, provider, store, clock, check_route
):
    order_id = await sell_one(ctx, provider, store)
    clock.advance(minutes=20)
    during: dict[str, Any] = {}

    def accept(request: httpx.Request) -> httpx.Response:
        during["order"] = order(store, order_id)
        during["cid"] = body_cid(request)
        return httpx.Response(200, content=b"")  # any 2xx, empty body

    refund_route = provider.post("/proxy/refund").mock(side_effect=accept)

    check = await refunds.check_refund(ctx, order_id)
    assert check.refundable and check.provider_checked
    result = await refunds.refund(ctx, order_id)

    assert during["order"]["status"] == "sold" and during["order"]["refunded_at"] is None
    assert during["cid"] == 71
    assert refund_route.call_count == 1
    assert result.order_id == order_id and result.refund_amount == Decimal("2.00")
    assert result.message == f"Refunded {order_id} ($2.00)."
    assert result.to_json() == {"status": "success", "message": result.message, "refund_amount": "2.00"}
    row = order(store, order_id)
    assert row["status"] == "refunded" and row["refunded_at"] == T0 + timedelta(minutes=20)
    assert row["refund_cents"] == 200 and row["price_cents"] == 200
    assert row["password"] == purchase(1, 1)["password"]  # the credentials stay on record
    refund_event = store.run_blocking(lambda: AuditEvent.get(AuditEvent.kind == "refund"))
    assert refund_event.ok and refund_event.amount_cents == 200 and refund_event.order_id == order_id


@pytest.mark.asyncio
async def test_double_refund_is_refused_without_asking_the_provider(
    ctx, provider, store, clock, check_route, refund_route
):
    order_id = await sell_one(ctx, provider, store)
    clock.advance(minutes=5)
    await refunds.refund(ctx, order_id)
    calls = (check_route.call_count, refund_route.call_count)

    with pytest.raises(RefundRefusedError) as raised:
        await refunds.refund(ctx, order_id)
    assert "already refunded on 2025-03-14 12:05 UTC" in raised.value.message
    check = await refunds.check_refund(ctx, order_id)
    assert not check.refundable and not check.provider_checked and "already refunded" in check.reason
    assert (check_route.call_count, refund_route.call_count) == calls == (1, 1)
    assert order(store, order_id)["refund_cents"] == 200


@pytest.mark.asyncio
async def test_refund_after_the_window_is_refused_without_asking_the_provider(
    ctx, provider, store, clock, check_route, refund_route
):
    order_id = await sell_one(ctx, provider, store)
    clock.advance(minutes=60)  # the window is [purchase, purchase + 60 min)

    check = await refunds.check_refund(ctx, order_id)
    assert not check.refundable and not check.provider_checked
    with pytest.raises(RefundRefusedError) as raised:
        await refunds.refund(ctx, order_id)
    assert "The refund window of 60 minutes ended at 13:00 UTC" in raised.value.message
    assert check_route.call_count == 0 and refund_route.call_count == 0
    assert order(store, order_id)["status"] == "sold"
    assert audit_kinds(store)[-1] == ("refund_refused", False)


@pytest.mark.asyncio
async def test_refund_just_inside_the_window_is_allowed(ctx, provider, store, clock, check_route, refund_route):
    order_id = await sell_one(ctx, provider, store)
    clock.advance(minutes=59, seconds=59)
    await refunds.refund(ctx, order_id)
    assert order(store, order_id)["status"] == "refunded"


@pytest.mark.asyncio
async def test_refund_window_follows_the_settings(ctx, provider, store, clock, check_route, refund_route):
    ctx.settings = ctx.settings.model_copy(update={"refund_window_minutes": 10})
    order_id = await sell_one(ctx, provider, store)
    clock.advance(minutes=11)
    with pytest.raises(RefundRefusedError, match="10 minutes ended at 12:10 UTC"):
        await refunds.refund(ctx, order_id)


@pytest.mark.asyncio
async def test_a_proxy_still_online_is_refused_with_the_providers_words(
    ctx, provider, store, clock, refund_route
):
    order_id = await sell_one(ctx, provider, store)
    check_route = provider.post("/proxy/check-refundable").mock(
        return_value=httpx.Response(200, json=STILL_ONLINE))
    clock.advance(minutes=3)

    check = await refunds.check_refund(ctx, order_id)
    assert not check.refundable and check.provider_checked
    assert check.reason == "The provider says: proxy is still online"
    with pytest.raises(NotRefundableError) as raised:
        await refunds.refund(ctx, order_id)
    assert raised.value.message == "The provider says: proxy is still online"
    assert body_cid(check_route.calls.last.request) == 71
    assert refund_route.call_count == 0
    assert order(store, order_id)["status"] == "sold"
    assert audit_kinds(store)[-1] == ("refund_refused", False)


@pytest.mark.asyncio
async def test_provider_refund_400_changes_nothing(ctx, provider, store, clock, check_route):
    order_id = await sell_one(ctx, provider, store)
    before = order(store, order_id)
    refund_route = provider.post("/proxy/refund").mock(
        return_value=httpx.Response(400, json={"error": "proxy is still live"}))

    with pytest.raises(NotRefundableError):
        await refunds.refund(ctx, order_id)

    assert refund_route.call_count == 1
    assert order(store, order_id) == before
    assert audit_kinds(store)[-1] == ("refund_refused", False)


@pytest.mark.asyncio
@pytest.mark.parametrize("failure", [httpx.ReadTimeout, httpx.RemoteProtocolError])
async def test_unknown_refund_outcome_keeps_its_evidence_and_a_retry_is_possible(
    ctx, provider, store, clock, check_route, failure
):
    order_id = await sell_one(ctx, provider, store)
    before = order(store, order_id)
    refund_route = provider.post("/proxy/refund").mock(side_effect=failure)

    with pytest.raises(OutcomeUnknownError) as raised:
        await refunds.refund(ctx, order_id)
    assert refund_route.call_count == 1  # never retried by itself
    assert "retry" in str(raised.value).lower() or "again" in str(raised.value).lower()
    after = order(store, order_id)
    # Only the refund mark changed: it keeps the time of the unanswered request for a later check.
    assert (after["refund_state"], after["refund_requested_at"]) == (refund_outcome.UNANSWERED, T0)
    assert after["note"] == before["note"]
    assert {**after, "refund_state": None, "refund_requested_at": None} == before
    assert ("refund", False) in audit_kinds(store)

    # The operator retries; this time the provider answers.
    refund_route.mock(side_effect=None, return_value=httpx.Response(204))
    await refunds.refund(ctx, order_id)
    assert refund_route.call_count == 2
    assert order(store, order_id)["status"] == "refunded"


@pytest.mark.asyncio
async def test_two_refunds_at_once_call_the_provider_once(ctx, provider, store, clock, check_route, refund_route):
    order_id = await sell_one(ctx, provider, store)
    results = await asyncio.gather(refunds.refund(ctx, order_id), refunds.refund(ctx, order_id),
                                   return_exceptions=True)
    assert refund_route.call_count == 1
    assert sum(isinstance(r, RefundRefusedError) for r in results) == 1
    assert order(store, order_id)["status"] == "refunded"
    assert order(store, order_id)["refund_state"] is None  # no in-progress mark left behind


@pytest.mark.asyncio
async def test_a_stale_in_progress_marker_does_not_block_forever(ctx, provider, store, clock, check_route, refund_route):
    """A process killed mid-refund leaves its marker; after a while the refund can be tried again."""
    order_id = await sell_one(ctx, provider, store)
    store.run_blocking(lambda: Order.update(
        refund_state=refund_outcome.IN_PROGRESS, refund_requested_at=clock()
    ).where(Order.order_id == order_id).execute())

    with pytest.raises(RefundRefusedError, match="in progress"):
        await refunds.refund(ctx, order_id)
    assert refund_route.call_count == 0

    clock.advance(minutes=5)
    await refunds.refund(ctx, order_id)
    assert refund_route.call_count == 1 and order(store, order_id)["status"] == "refunded"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("status", "words"),
    [("pending", "reconcile"), ("void", "no sale")],
)
async def test_unsettled_orders_cannot_be_refunded(ctx, provider, store, clock, check_route, refund_route, status, words):
    insert_order(store, "ORD-20250314-0000AAAA", status=status, purchased_at=None, credentials_id=None)
    with pytest.raises(RefundRefusedError) as raised:
        await refunds.refund(ctx, "ORD-20250314-0000AAAA")
    assert words in str(raised.value).lower()
    assert check_route.call_count == 0 and refund_route.call_count == 0


@pytest.mark.asyncio
async def test_unknown_order_is_not_found(ctx, provider, store, clock, check_route, refund_route):
    with pytest.raises(NotFoundError, match="No order ORD-20250314-FFFFFFFF exists"):
        await refunds.refund(ctx, "ORD-20250314-FFFFFFFF")
    with pytest.raises(NotFoundError):
        await refunds.check_refund(ctx, "nope")
    assert check_route.call_count == 0 and refund_route.call_count == 0


@pytest.mark.asyncio
async def test_a_recovered_order_can_be_refunded(ctx, provider, store, clock, check_route, refund_route):
    insert_order(store, "ORD-20250314-REC00001", status="recovered", credentials_id=555,
                 purchased_at=clock() - timedelta(minutes=1))
    result = await refunds.refund(ctx, "ORD-20250314-REC00001")
    assert result.refund_amount == Decimal("2.00")
    assert body_cid(refund_route.calls.last.request) == 555


@pytest.mark.asyncio
async def test_money_is_exact_after_seven_sales_and_three_refunds(ctx, provider, store, clock, check_route, refund_route):
    answers = {4000 + n: purchase(4000 + n, 900 + n, price=1.1) for n in range(7)}
    provider.get("/proxy/buy").mock(side_effect=buy_responder(answers))
    pids = [add_product(store, proxy_id) for proxy_id in answers]
    sold = [await sales.sell(ctx, pid) for pid in pids]
    clock.advance(minutes=30)
    for view in sold[:3]:
        await refunds.refund(ctx, view.order_id)

    rows = order_rows(store)
    counted = [r for r in rows if r["status"] in ("sold", "recovered", "refunded")]
    kept_cents = sum(r["price_cents"] for r in counted) - sum(r["refund_cents"] or 0 for r in counted)
    kept = Decimal(kept_cents) / 100
    assert len(counted) == 7 and sum(r["status"] == "refunded" for r in rows) == 3
    assert kept == Decimal("8.00")
    assert kept == Decimal("2.00") * (7 - 3)
    amounts = store.run_blocking(lambda: [(e.kind, e.amount_cents) for e in AuditEvent.select()
                                          if e.kind in ("sale", "refund")])
    assert sum(c for k, c in amounts if k == "sale") - sum(c for k, c in amounts if k == "refund") == 800
    figures = await stats.shop_stats(ctx)  # the stats command reads what these services wrote
    assert (figures.total_sold, figures.total_refunded, figures.revenue) == (7, 3, Decimal("8.00"))
    assert figures.to_json()["revenue"] == "8.00"


@pytest.mark.asyncio
async def test_end_to_end_through_the_shop_and_the_simulator(sim, sim_shop):
    """sync -> sell -> refund refused while online -> proxy goes offline -> refund -> stats."""
    await sim_shop.sync()
    [product] = (await sim_shop.inventory(InventoryQuery(page_size=1))).rows
    view = await sim_shop.sell(product.product_id, "e2e customer")
    [charged] = sim.provider.bought()
    assert view.credentials is not None and view.credentials.password == charged["password"]

    with pytest.raises(NotRefundableError, match="The provider says: proxy is still online"):
        await sim_shop.refund(view.order_id)
    sim.provider.set_purchased_proxy_offline(charged["credentials_id"])
    result = await sim_shop.refund(view.order_id)

    assert result.refund_amount == Decimal("2.00") and sim.provider.is_refunded(charged["credentials_id"])
    assert sim.requests.count("buy") == 1 and sim.requests.count("refund") == 1
    with pytest.raises(RefundRefusedError, match="already refunded"):
        await sim_shop.refund(view.order_id)
    assert sim.requests.count("refund") == 1
    figures = await sim_shop.stats()
    assert (figures.total_sold, figures.total_refunded, figures.revenue) == (1, 1, Decimal("0.00"))
    [listed] = await sim_shop.orders(status="refunded")
    assert listed.order_id == view.order_id and listed.customer == "e2e customer"
