"""A refund whose answer was lost (timeout, dropped connection, killed process): the provider's
later answers decide, and only words that say "already refunded" ever make the order refunded.

`refund_outcome` holds the rules; `refunds.refund` settles a lost refund before sending a new one.
Reconcile's part is in test_reconcile_refunds.py.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import NotRefundableError, OutcomeUnknownError, RefundRefusedError
from proxyshop_desktop.models.tables import AuditEvent, Order
from proxyshop_desktop.services import refund_outcome, refunds, stats
from proxyshop_desktop.services.refund_outcome import IN_PROGRESS, UNANSWERED, Verdict
from proxyshop_desktop.upstream.schemas import RefundCheck
from tests.services.money_helpers import (
    ALREADY,
    CID,
    NOT_REFUNDABLE,
    OID,
    REFUNDABLE,
    STILL_ONLINE,
    T0,
    audit_kinds,
    insert_order,
    row,
    sold_with_mark,
)

ON_BOTH_ENGINES = True

SETTINGS = Settings(api_url="http://provider.test", api_timeout=5)  # marker lifetime 2 x 5 + 60 s
LIFETIME = timedelta(seconds=70)


def mark_of(row: dict[str, Any]) -> refund_outcome.Mark | None:
    return refund_outcome.read_mark(Order(**row))


@pytest.fixture
def check_route(provider):
    return provider.post("/proxy/check-refundable").mock(return_value=httpx.Response(200, json=ALREADY))


@pytest.fixture
def refund_route(provider):
    return provider.post("/proxy/refund").mock(return_value=httpx.Response(200))


# --- the rules, without a provider --------------------------------------------------------------


@pytest.mark.parametrize("words", [
    "already refunded", "Already Refunded", "This purchase has already been refunded.",
    "refund refused: already refunded", "purchase 8101 refunded already",
])
def test_words_that_say_already_refunded(words):
    assert refund_outcome.says_already_refunded(RefundCheck(refundable=False, message=words))


@pytest.mark.parametrize("words", [
    "proxy is still online", "this purchase is not refundable", "", "not refundable",
    "cannot be refunded: the proxy is live", "not already refunded", "it isn't already refunded",
    "refunded", "was refunded?", "refund window closed",
])
def test_words_that_do_not_say_already_refunded(words):
    assert not refund_outcome.says_already_refunded(RefundCheck(refundable=False, message=words))


def test_a_refundable_answer_never_says_already_refunded():
    assert not refund_outcome.says_already_refunded(RefundCheck(refundable=True, message="already refunded"))


@pytest.mark.parametrize(("answer", "age", "verdict"), [
    (ALREADY, timedelta(seconds=1), Verdict.REFUNDED),  # proof does not need to wait
    (ALREADY, timedelta(hours=3), Verdict.REFUNDED),
    (REFUNDABLE, LIFETIME, Verdict.NOT_REFUNDED),  # nothing of ours can still arrive
    (REFUNDABLE, LIFETIME - timedelta(seconds=1), Verdict.IN_FLIGHT),  # ours may still arrive
    (STILL_ONLINE, timedelta(hours=3), Verdict.UNKNOWN),  # never taken as "refunded"
    (NOT_REFUNDABLE, timedelta(hours=3), Verdict.UNKNOWN),
    ({"refundable": False, "message": ""}, timedelta(hours=3), Verdict.UNKNOWN),
])
def test_judge(answer, age, verdict):
    check = RefundCheck(**answer)
    assert refund_outcome.judge(check, T0, T0 + age, SETTINGS) is verdict


def test_a_mark_lives_in_its_columns_and_leaves_the_note_to_people():
    order = Order(note="Settled by reconcile.")
    assert refund_outcome.read_mark(order) is None
    refund_outcome.set_mark(order, IN_PROGRESS, T0)
    refund_outcome.set_mark(order, UNANSWERED, T0 + timedelta(seconds=3))
    assert refund_outcome.read_mark(order) == refund_outcome.Mark(UNANSWERED, T0 + timedelta(seconds=3))
    assert order.note == "Settled by reconcile."
    refund_outcome.clear_mark(order)
    assert refund_outcome.read_mark(order) is None and order.refund_requested_at is None


# --- `refund` on an order whose earlier refund got no answer ----------------------------------------


@pytest.mark.asyncio
async def test_a_killed_refund_the_provider_made_is_recorded_without_a_second_refund(
    ctx, store, clock, check_route, refund_route
):
    sold_with_mark(store, IN_PROGRESS, T0 + timedelta(minutes=2))
    clock.advance(minutes=5)  # the marker outlived its lifetime: the process that set it is gone

    result = await refunds.refund(ctx, OID)

    assert refund_route.call_count == 0  # nothing is refunded twice
    assert check_route.call_count == 1
    assert result.refund_amount == Decimal("2.00")
    assert "already refunded at the provider" in result.message and "already refunded" in result.message
    after = row(store)
    assert after["status"] == "refunded" and after["refund_cents"] == 200
    assert after["refunded_at"] == T0 + timedelta(minutes=2)  # when our request reached it
    assert after["note"] == "Sold to Ann."
    event = store.run_blocking(lambda: AuditEvent.select().order_by(AuditEvent.id.desc()).get())
    assert (event.kind, event.ok, event.amount_cents, event.order_id) == ("refund", True, 200, OID)
    assert "already refunded" in event.message
    figures = await stats.shop_stats(ctx)
    assert (figures.total_sold, figures.total_refunded, figures.revenue) == (1, 1, Decimal("0.00"))
    with pytest.raises(RefundRefusedError, match="already refunded"):
        await refunds.refund(ctx, OID)
    assert refund_route.call_count == 0 and check_route.call_count == 1


@pytest.mark.asyncio
async def test_a_live_refund_in_another_process_is_not_second_guessed(
    ctx, store, clock, check_route, refund_route
):
    sold_with_mark(store, IN_PROGRESS, T0)
    clock.advance(seconds=30)  # within the lifetime: that process may still be waiting
    with pytest.raises(RefundRefusedError, match="already in progress"):
        await refunds.refund(ctx, OID)
    assert check_route.call_count == 0 and refund_route.call_count == 0
    assert row(store)["status"] == "sold"


@pytest.mark.asyncio
@pytest.mark.parametrize("answer", [STILL_ONLINE, NOT_REFUNDABLE, {"refundable": False}])
async def test_an_answer_that_cannot_tell_makes_the_order_refund_unknown(
    ctx, store, clock, check_route, refund_route, answer
):
    sold_with_mark(store, UNANSWERED, T0)
    clock.advance(minutes=10)
    check_route.mock(return_value=httpx.Response(200, json=answer))

    with pytest.raises(OutcomeUnknownError) as raised:
        await refunds.refund(ctx, OID)

    assert refund_route.call_count == 0
    assert "refund_unknown" in raised.value.message and "reconcile" in raised.value.hint
    after = row(store)
    assert after["status"] == "refund_unknown" and after["refunded_at"] is None
    assert mark_of(after) == refund_outcome.Mark(UNANSWERED, T0)
    figures = await stats.shop_stats(ctx)  # still a sale, never counted as refunded
    assert (figures.total_sold, figures.total_refunded, figures.revenue) == (1, 0, Decimal("2.00"))

    # The provider's answer becomes clear later: the next refund of the order records it.
    check_route.mock(return_value=httpx.Response(200, json=ALREADY))
    await refunds.refund(ctx, OID)
    assert row(store)["status"] == "refunded" and refund_route.call_count == 0
    assert [k for k in audit_kinds(store) if k == ("refund", False)] == [("refund", False)]


@pytest.mark.asyncio
async def test_a_lost_answer_then_a_retry_that_finds_it_refunded(ctx, provider, store, clock, refund_route):
    insert_order(store, OID, credentials_id=CID)
    check_route = provider.post("/proxy/check-refundable").mock(
        return_value=httpx.Response(200, json=REFUNDABLE))
    refund_route.mock(side_effect=httpx.ReadTimeout)  # the provider refunds; the answer is lost
    with pytest.raises(OutcomeUnknownError):
        await refunds.refund(ctx, OID)
    assert row(store)["status"] == "sold"

    check_route.mock(return_value=httpx.Response(200, json=ALREADY))
    clock.advance(seconds=5)  # an immediate retry: proof does not wait for the lifetime
    result = await refunds.refund(ctx, OID)

    assert refund_route.call_count == 1
    assert "already refunded at the provider" in result.message
    assert row(store)["status"] == "refunded" and row(store)["refunded_at"] == T0


@pytest.mark.asyncio
async def test_a_refundable_answer_lets_a_new_refund_go_and_it_decides(ctx, store, clock, check_route, refund_route):
    sold_with_mark(store, UNANSWERED, T0, status="refund_unknown")
    check_route.mock(return_value=httpx.Response(200, json=REFUNDABLE))
    clock.advance(minutes=3)

    result = await refunds.refund(ctx, OID)

    assert check_route.call_count == 1  # the one answer served both questions
    assert refund_route.call_count == 1
    assert result.message == f"Refunded {OID} ($2.00)."
    after = row(store)
    assert after["status"] == "refunded" and after["refunded_at"] == T0 + timedelta(minutes=3)
    assert after["note"] == "Sold to Ann."


@pytest.mark.asyncio
async def test_a_400_to_the_new_refund_keeps_the_evidence_of_the_lost_one(
    ctx, store, clock, check_route, refund_route
):
    """Our unanswered request may land between the check and a new refund: the provider then
    refuses the new one (400). That 400 proves nothing either way, so the evidence stays."""
    sold_with_mark(store, UNANSWERED, T0)
    check_route.mock(return_value=httpx.Response(200, json=REFUNDABLE))
    refund_route.mock(return_value=httpx.Response(400, json={"error": "not refundable"}))
    clock.advance(seconds=20)  # the lost request may still arrive

    with pytest.raises(NotRefundableError):
        await refunds.refund(ctx, OID)

    after = row(store)
    assert after["status"] == "sold" and after["refunded_at"] is None
    assert mark_of(after) == refund_outcome.Mark(UNANSWERED, T0)
    # ... and the next look settles it from the provider's words
    check_route.mock(return_value=httpx.Response(200, json=ALREADY))
    await refunds.refund(ctx, OID)
    assert row(store)["status"] == "refunded" and refund_route.call_count == 1


@pytest.mark.asyncio
async def test_a_400_without_any_earlier_request_still_changes_nothing(ctx, store, clock, check_route, refund_route):
    insert_order(store, OID, credentials_id=CID, note="Sold to Ann.")
    check_route.mock(return_value=httpx.Response(200, json=REFUNDABLE))
    refund_route.mock(return_value=httpx.Response(400))
    with pytest.raises(NotRefundableError):
        await refunds.refund(ctx, OID)
    assert row(store)["status"] == "sold" and row(store)["note"] == "Sold to Ann."


@pytest.mark.asyncio
async def test_the_refund_window_does_not_hide_a_refund_that_happened(ctx, store, clock, check_route, refund_route):
    sold_with_mark(store, IN_PROGRESS, T0 + timedelta(minutes=59))
    clock.advance(hours=2)  # the window ended long ago; the refund was asked for inside it
    await refunds.refund(ctx, OID)
    assert row(store)["status"] == "refunded" and refund_route.call_count == 0


@pytest.mark.asyncio
async def test_a_lost_refund_proved_not_done_then_follows_the_window(ctx, store, clock, check_route, refund_route):
    sold_with_mark(store, UNANSWERED, T0 + timedelta(minutes=59))
    check_route.mock(return_value=httpx.Response(200, json=REFUNDABLE))
    clock.advance(hours=2)
    with pytest.raises(RefundRefusedError, match="refund window"):
        await refunds.refund(ctx, OID)
    assert refund_route.call_count == 0
    assert row(store)["status"] == "sold"


def test_a_settling_step_does_nothing_when_another_process_moved_the_order(store, clock):
    sold_with_mark(store, UNANSWERED, T0)
    order = store.run_blocking(lambda: Order.get(Order.order_id == OID))
    lost = refund_outcome.lost_refund(order, T0 + timedelta(minutes=5), SETTINGS)
    assert lost is not None and lost.sent_at == T0
    # meanwhile another process starts a new refund of it
    fresh = T0 + timedelta(minutes=5)
    store.run_blocking(lambda: Order.update(refund_state=IN_PROGRESS, refund_requested_at=fresh)
                       .where(Order.order_id == OID).execute())
    assert store.run_blocking(lambda: refund_outcome.record_refund(store.db, lost, "already refunded")) is None
    assert store.run_blocking(lambda: refund_outcome.mark_unknown(store.db, lost, "online")) is False
    assert store.run_blocking(lambda: refund_outcome.clear_refund(store.db, lost, "ok")) is False
    assert row(store)["status"] == "sold" and mark_of(row(store)) == refund_outcome.Mark(IN_PROGRESS, fresh)
