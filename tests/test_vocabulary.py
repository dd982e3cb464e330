"""The order states and the rules the window and the CLI share, defined once in the core."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from proxyshop_desktop import vocabulary as v
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.vocabulary import OrderStatus

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def test_stored_values_are_the_old_strings():
    assert [s.value for s in OrderStatus] == [
        "pending", "sold", "refunded", "recovered", "void", "refund_unknown"]
    assert OrderStatus.SOLD == "sold" and "refund_unknown" in v.SETTLED_BY_HAND


def test_the_named_sets_relate_as_the_rules_say():
    assert set(v.KEPT) < set(v.REFUNDABLE) < set(v.CHARGED)
    assert not set(v.CHARGED) & set(v.NO_CREDENTIALS)
    assert set(v.SETTLED_BY_HAND) <= set(v.NEEDS_ATTENTION)
    assert set(v.UNSETTLED) <= set(v.NEEDS_ATTENTION) and OrderStatus.REFUNDED not in v.REFUNDABLE


def test_speed_bands():
    assert [v.speed_band(ms) for ms in (0, 300, 300.5, 600, 600.1, None)] == [
        "fast", "fast", "moderate", "moderate", "slow", None]


def _view(status: str, purchased_minutes_ago: int | None, refund: Decimal | None = None) -> OrderView:
    purchased = None if purchased_minutes_ago is None else NOW - timedelta(minutes=purchased_minutes_ago)
    return OrderView(
        order_id="ORD-1", status=status, proxy_id=1, product_id=None, credentials_id=1, customer="",
        price=Decimal("2.00"), cost=None, created_at=NOW, purchased_at=purchased, expires_at=None,
        refundable_until=None if purchased is None else purchased + timedelta(minutes=60),
        refundable=True, refunded_at=None, refund_amount=refund, credentials=None, country_code=None,
        city=None, proxy_type=None, missing_at_provider=False, note="",
    )


def test_the_refund_window_and_what_the_refunds_tab_can_act_on():
    assert _view("sold", 59).in_refund_window(NOW) and _view("recovered", 1).in_refund_window(NOW)
    assert not _view("sold", 60).in_refund_window(NOW)  # the window ends at exactly 60 minutes
    assert not _view("refunded", 1).in_refund_window(NOW) and not _view("pending", None).in_refund_window(NOW)
    assert _view("refund_unknown", 500).refund_actionable(NOW)  # whatever its window
    assert not _view("void", 1).refund_actionable(NOW)


def test_the_refunded_amount_is_the_recorded_refund_else_the_price():
    assert Order(status="refunded", price_cents=250, refund_cents=100).refunded_amount == Decimal("1.00")
    assert Order(status="refunded", price_cents=250, refund_cents=None).refunded_amount == Decimal("2.50")
    assert Order(status="sold", price_cents=250, refund_cents=None).refunded_amount is None
