"""An order whose refund outcome the provider's answers never settle (refund_unknown) is settled by
the operator once they have checked with the provider: recorded refunded or not, once, audited.
No provider call: the operator's word is the evidence, and nothing is refunded by it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.services import refunds, stats
from proxyshop_desktop.services.refund_outcome import UNANSWERED
from tests.services.money_helpers import CID, OID, T0, row, sold_with_mark

ON_BOTH_ENGINES = True


def audit_texts(store) -> list[str]:
    return store.run_blocking(lambda: [e.message for e in AuditEvent.select().order_by(AuditEvent.id)])


@pytest.mark.asyncio
async def test_the_operator_records_a_refund_the_provider_confirmed(ctx, store, clock, provider):
    sold_with_mark(store, UNANSWERED, T0, status="refund_unknown")
    result = await refunds.settle_unknown(ctx, OID, refunded=True)
    order = row(store)
    assert order["status"] == "refunded" and order["refund_cents"] == order["price_cents"]
    assert order["refunded_at"] is not None
    assert order["refund_state"] is None and order["refund_requested_at"] is None
    assert result.refund_amount == Decimal(order["price_cents"]) / 100
    assert any("by the operator" in text for text in audit_texts(store))
    assert (await stats.shop_stats(ctx)).total_refunded == 1
    assert provider.calls.call_count == 0  # the provider was not asked, nothing was refunded


@pytest.mark.asyncio
async def test_the_operator_records_that_no_refund_happened(ctx, store, clock, provider):
    sold_with_mark(store, UNANSWERED, T0, status="refund_unknown")
    result = await refunds.settle_unknown(ctx, OID, refunded=False)
    order = row(store)
    assert order["status"] == "sold" and order["refund_cents"] is None
    assert order["refund_state"] is None and order["note"] == "Sold to Ann."
    assert result.refund_amount == Decimal("0.00")
    assert any("by the operator" in text for text in audit_texts(store))
    assert provider.calls.call_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("status", ["sold", "refunded", "pending", "void", "recovered"])
async def test_only_a_refund_unknown_order_is_settled_by_hand(ctx, store, clock, status):
    sold_with_mark(store, UNANSWERED, T0, status=status)
    before = row(store)
    with pytest.raises(UsageError, match="refund_unknown"):
        await refunds.settle_unknown(ctx, OID, refunded=True)
    assert row(store) == before


@pytest.mark.asyncio
async def test_settling_twice_is_refused_the_second_time(ctx, store, clock):
    sold_with_mark(store, UNANSWERED, T0, status="refund_unknown")
    await refunds.settle_unknown(ctx, OID, refunded=True)
    with pytest.raises(UsageError):
        await refunds.settle_unknown(ctx, OID, refunded=False)
    assert row(store)["status"] == "refunded"
    assert row(store)["credentials_id"] == CID
