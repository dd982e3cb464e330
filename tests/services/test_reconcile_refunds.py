"""Reconcile settles refunds whose answer was lost: it asks `check-refundable`, records only what
the provider's answer proves, and never sends a refund itself."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
import pytest

from proxyshop_desktop.errors import OutcomeUnknownError
from proxyshop_desktop.services import reconcile, stats
from proxyshop_desktop.services.refund_outcome import IN_PROGRESS, UNANSWERED
from tests.services.money_helpers import (
    ALREADY,
    NOT_REFUNDABLE,
    REFUNDABLE,
    STILL_ONLINE,
    T0,
    add_product,
    audit_kinds,
    bought,
    by_id,
    insert_order,
    purchase,
)

ON_BOTH_ENGINES = True


def marked(store, order_id: str, cid: int, kind: str, at, status: str = "sold") -> None:
    insert_order(store, order_id, credentials_id=cid, status=status,
                 refund_state=kind, refund_requested_at=at)


@pytest.fixture
def listing(provider, store):
    """/proxy/bought lists exactly the purchases the local orders hold: none missing, none new."""

    def respond(request: httpx.Request) -> httpx.Response:
        cids = [row["credentials_id"] for row in by_id(store).values()]
        return bought(*(purchase(1, cid) for cid in cids))

    return provider.get("/proxy/bought").mock(side_effect=respond)


@pytest.fixture
def refund_route(provider):
    return provider.post("/proxy/refund").mock(return_value=httpx.Response(200))


def answers(provider, by_cid: dict[int, dict | int]):
    """check-refundable per credentials_id: a JSON answer, or an HTTP status."""
    import json

    def respond(request: httpx.Request) -> httpx.Response:
        answer = by_cid[int(json.loads(request.content)["credentials_id"])]
        return httpx.Response(answer) if isinstance(answer, int) else httpx.Response(200, json=answer)

    return provider.post("/proxy/check-refundable").mock(side_effect=respond)


@pytest.mark.asyncio
async def test_reconcile_settles_each_lost_refund_by_what_the_provider_says(
    ctx, provider, store, clock, listing, refund_route
):
    marked(store, "ORD-KILLED", 1, IN_PROGRESS, T0)  # killed mid-refund; the provider refunded
    marked(store, "ORD-ONLINE", 2, UNANSWERED, T0)  # the proxy is back online: cannot tell
    marked(store, "ORD-NOTDONE", 3, UNANSWERED, T0)  # the provider would refund it: not done
    marked(store, "ORD-YOUNG", 4, UNANSWERED, T0 + timedelta(seconds=50))  # may still arrive
    marked(store, "ORD-LIVE", 5, IN_PROGRESS, T0 + timedelta(seconds=50))  # a refund in flight
    insert_order(store, "ORD-PLAIN", credentials_id=6)  # no refund asked: never checked
    check = answers(provider, {1: ALREADY, 2: STILL_ONLINE, 3: REFUNDABLE, 4: REFUNDABLE, 5: REFUNDABLE})
    clock.advance(seconds=90)  # lifetime 2 x 5 + 60 = 70 s

    result = await reconcile.reconcile(ctx)

    assert check.call_count == 4 and refund_route.call_count == 0
    assert result.refunds_recorded == ["ORD-KILLED"]
    assert result.refunds_not_done == ["ORD-NOTDONE"]
    assert sorted(result.refund_unknown) == ["ORD-ONLINE", "ORD-YOUNG"]
    assert result.to_json()["refunds_recorded"] == ["ORD-KILLED"]
    assert result.to_json()["refund_unknown"] == result.refund_unknown
    rows = by_id(store)
    assert (rows["ORD-KILLED"]["status"], rows["ORD-KILLED"]["refunded_at"]) == ("refunded", T0)
    assert rows["ORD-KILLED"]["refund_cents"] == 200 and rows["ORD-KILLED"]["refund_state"] is None
    assert rows["ORD-ONLINE"]["status"] == "refund_unknown"
    assert (rows["ORD-NOTDONE"]["status"], rows["ORD-NOTDONE"]["refund_state"]) == ("sold", None)
    assert rows["ORD-YOUNG"]["status"] == "sold"
    assert rows["ORD-YOUNG"]["refund_state"] == UNANSWERED
    assert rows["ORD-LIVE"]["refund_state"] == IN_PROGRESS
    assert rows["ORD-PLAIN"]["status"] == "sold"
    figures = await stats.shop_stats(ctx)
    assert (figures.total_sold, figures.total_refunded, figures.revenue) == (6, 1, Decimal("10.00"))

    # A second run: only the undecided ones are asked again; nothing is recorded twice.
    clock.advance(minutes=5)
    again = await reconcile.reconcile(ctx)
    assert check.call_count == 4 + 3  # ORD-ONLINE, ORD-YOUNG, and ORD-LIVE (now past its lifetime)
    assert again.refunds_recorded == [] and sorted(again.refunds_not_done) == ["ORD-LIVE", "ORD-YOUNG"]
    assert again.refund_unknown == ["ORD-ONLINE"]
    assert (await stats.shop_stats(ctx)).total_refunded == 1


@pytest.mark.asyncio
async def test_a_refund_unknown_order_is_recorded_once_the_provider_says_so(
    ctx, provider, store, clock, listing, refund_route
):
    marked(store, "ORD-X", 1, UNANSWERED, T0)
    answer = {1: NOT_REFUNDABLE}
    check = answers(provider, answer)
    clock.advance(minutes=3)
    assert (await reconcile.reconcile(ctx)).refund_unknown == ["ORD-X"]
    assert (await reconcile.reconcile(ctx)).refund_unknown == ["ORD-X"]
    assert by_id(store)["ORD-X"]["status"] == "refund_unknown"
    assert audit_kinds(store).count(("refund", False)) == 1  # made visible once, not every run

    answer[1] = ALREADY
    result = await reconcile.reconcile(ctx)
    assert result.refunds_recorded == ["ORD-X"] and result.refund_unknown == []
    assert by_id(store)["ORD-X"]["status"] == "refunded"
    assert check.call_count == 3 and refund_route.call_count == 0
    assert not result.missing_at_provider


@pytest.mark.asyncio
async def test_a_failing_check_leaves_the_order_and_the_rest_of_reconcile_works(
    ctx, provider, store, clock, listing
):
    marked(store, "ORD-A", 1, UNANSWERED, T0)
    marked(store, "ORD-B", 2, UNANSWERED, T0)
    answers(provider, {1: 502, 2: ALREADY})
    clock.advance(minutes=3)
    result = await reconcile.reconcile(ctx)
    assert result.refund_unknown == ["ORD-A"] and result.refunds_recorded == ["ORD-B"]
    rows = by_id(store)
    assert rows["ORD-A"]["status"] == "sold" and rows["ORD-A"]["refund_state"] == UNANSWERED


@pytest.mark.asyncio
async def test_no_lost_refund_means_no_extra_provider_call(ctx, provider, store, clock, listing):
    insert_order(store, "ORD-A", credentials_id=1, note="Settled by reconcile at 2025-03-14.")
    insert_order(store, "ORD-R", credentials_id=2, status="refunded", refund_cents=200,
                 refund_state=UNANSWERED, refund_requested_at=T0)  # refunded: nothing to settle
    check = provider.post("/proxy/check-refundable").mock(return_value=httpx.Response(200, json=ALREADY))
    clock.advance(hours=1)
    result = await reconcile.reconcile(ctx)
    assert check.call_count == 0
    assert (result.refunds_recorded, result.refunds_not_done, result.refund_unknown) == ([], [], [])


# --- end to end through the simulated provider -----------------------------------------------------


@pytest.mark.asyncio
async def test_sim_refund_answer_lost_after_the_refund_is_recorded_by_reconcile(sim, sim_ctx, store, clock):
    from proxyshop_desktop.services import refunds, sales
    from proxyshop_desktop.simulator import faults

    proxy_id = sim.provider.online_ids()[0]
    view = await sales.sell(sim_ctx, add_product(store, proxy_id), "olga")
    sim.provider.set_purchased_proxy_offline(view.credentials_id)
    balance = sim.provider.balance
    sim.faults.add("refund", faults.drop_after_commit())
    with pytest.raises(OutcomeUnknownError):
        await refunds.refund(sim_ctx, view.order_id)
    assert sim.provider.is_refunded(view.credentials_id)
    assert by_id(store)[view.order_id]["status"] == "sold"

    result = await reconcile.reconcile(sim_ctx)

    assert result.refunds_recorded == [view.order_id]
    assert by_id(store)[view.order_id]["status"] == "refunded"
    assert sim.requests.count("refund") == 1
    assert sim.provider.balance == balance + view.cost


@pytest.mark.asyncio
async def test_a_refund_that_could_not_be_recorded_is_recorded_by_a_later_reconcile(
    ctx, provider, store, clock, listing, refund_route, monkeypatch
):
    from proxyshop_desktop.errors import StorageError
    from proxyshop_desktop.services import refunds

    insert_order(store, "ORD-DISK", credentials_id=1)
    check = answers(provider, {1: REFUNDABLE})

    def disk_full(*_args):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch, pytest.raises(StorageError, match="reconcile"):
        patch.setattr(refunds, "_finish", disk_full)
        await refunds.refund(ctx, "ORD-DISK")
    assert refund_route.call_count == 1 and by_id(store)["ORD-DISK"]["status"] == "sold"

    check.side_effect = None
    check.return_value = httpx.Response(200, json=ALREADY)  # what the provider says after its refund
    clock.advance(minutes=3)
    result = await reconcile.reconcile(ctx)
    assert result.refunds_recorded == ["ORD-DISK"]
    assert by_id(store)["ORD-DISK"]["status"] == "refunded" and refund_route.call_count == 1


@pytest.mark.asyncio
async def test_the_next_sync_settles_a_refund_whose_answer_was_lost(sim, sim_ctx, store, clock):
    """The 5-minute sync reconciles first when a refund's answer was lost, not only for pending
    sales: revenue is not overstated until someone presses Reconcile."""
    from proxyshop_desktop.services import refunds, sales, sync
    from proxyshop_desktop.simulator import faults

    proxy_id = sim.provider.online_ids()[0]
    view = await sales.sell(sim_ctx, add_product(store, proxy_id), "olga")
    sim.provider.set_purchased_proxy_offline(view.credentials_id)
    sim.faults.add("refund", faults.drop_after_commit())
    with pytest.raises(OutcomeUnknownError):
        await refunds.refund(sim_ctx, view.order_id)

    await sync.run_sync(sim_ctx)

    assert by_id(store)[view.order_id]["status"] == "refunded"
    assert sim.requests.count("refund") == 1
    checks = sim.requests.count("check_refundable")
    await sync.run_sync(sim_ctx)  # settled: the next sync asks nothing more
    assert sim.requests.count("check_refundable") == checks
