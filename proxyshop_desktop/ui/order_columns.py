"""The columns of an order table (the Sales and Refunds tabs): their titles, sort keys and the
text each cell shows, with the order statuses in the operator's words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication

from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.formatting import QT_TRANSLATE_NOOP
from proxyshop_desktop.vocabulary import KEPT, NEEDS_ATTENTION, SETTLED_BY_HAND, OrderStatus

#: statuses whose refund window is worth counting down (refunded/void/pending have none)
LIVE_STATUSES = frozenset(KEPT)


class Col(Enum):
    ORDER_ID = "order_id"
    CUSTOMER = "customer"
    PROXY = "proxy"
    COUNTRY = "country"
    PRICE = "price"
    PURCHASED = "purchased"
    EXPIRES = "expires"
    DEADLINE = "deadline"  # the live refund countdown
    TIME_LEFT = "time_left"  # the same countdown, titled for the Refunds tab
    STATUS = "status"
    REFUNDED_AT = "refunded_at"
    REFUND_AMOUNT = "refund_amount"
    OPERATOR = "operator"  # who sold it (a shared database: several operators)


@dataclass(frozen=True)
class ColumnSpec:
    title: str  # untranslated; translated in headerData
    sort_key: Callable[[OrderView], Any]


def _moment(order: OrderView) -> datetime:
    return order.purchased_at or order.created_at


_EPOCH = datetime.fromtimestamp(0).astimezone()

COLUMN_SPECS: dict[Col, ColumnSpec] = {
    Col.ORDER_ID: ColumnSpec(QT_TRANSLATE_NOOP("OrdersModel", "Order"), lambda o: o.order_id),
    Col.CUSTOMER: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Customer"), lambda o: o.customer.casefold()
    ),
    Col.PROXY: ColumnSpec(QT_TRANSLATE_NOOP("OrdersModel", "Proxy"), lambda o: proxy_text(o)),
    Col.COUNTRY: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Country"), lambda o: o.country_code or ""
    ),
    Col.PRICE: ColumnSpec(QT_TRANSLATE_NOOP("OrdersModel", "Price"), lambda o: o.price),
    Col.PURCHASED: ColumnSpec(QT_TRANSLATE_NOOP("OrdersModel", "Purchased"), _moment),
    Col.EXPIRES: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Expires"), lambda o: o.expires_at or _EPOCH
    ),
    Col.DEADLINE: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Refund deadline"), lambda o: o.refundable_until or _EPOCH
    ),
    Col.TIME_LEFT: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Time left"), lambda o: o.refundable_until or _EPOCH
    ),
    Col.STATUS: ColumnSpec(QT_TRANSLATE_NOOP("OrdersModel", "Status"), lambda o: o.status),
    Col.REFUNDED_AT: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Refunded"), lambda o: o.refunded_at or _EPOCH
    ),
    Col.REFUND_AMOUNT: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Amount"), lambda o: o.refund_amount or 0
    ),
    Col.OPERATOR: ColumnSpec(
        QT_TRANSLATE_NOOP("OrdersModel", "Operator"), lambda o: (o.operator or "").casefold()
    ),
}

SALES_COLUMNS = (
    Col.ORDER_ID, Col.CUSTOMER, Col.PROXY, Col.COUNTRY, Col.PRICE,
    Col.PURCHASED, Col.EXPIRES, Col.DEADLINE, Col.STATUS, Col.OPERATOR,
)  # fmt: skip


def proxy_text(order: OrderView) -> str:
    """Where the customer connects: server ip:port (the dash while the order is pending)."""
    creds = order.credentials
    return f"{creds.ip}:{creds.port}" if creds else formatting.DASH


#: the status words, listed so that lupdate extracts them (one per vocabulary.OrderStatus)
STATUS_WORDS: dict[str, str] = {
    OrderStatus.PENDING: QT_TRANSLATE_NOOP("OrdersModel", "pending"),
    OrderStatus.SOLD: QT_TRANSLATE_NOOP("OrdersModel", "sold"),
    OrderStatus.REFUNDED: QT_TRANSLATE_NOOP("OrdersModel", "refunded"),
    OrderStatus.RECOVERED: QT_TRANSLATE_NOOP("OrdersModel", "recovered"),
    OrderStatus.VOID: QT_TRANSLATE_NOOP("OrdersModel", "void"),
    OrderStatus.REFUND_UNKNOWN: QT_TRANSLATE_NOOP("OrdersModel", "refund unknown"),
}

#: statuses the operator must look at: drawn like a pending sale
ATTENTION_STATUSES = frozenset(NEEDS_ATTENTION)


def status_word(status: str) -> str:
    """A status in the operator's language."""
    return QCoreApplication.translate("OrdersModel", STATUS_WORDS.get(status, status))


def status_text(order: OrderView) -> str:
    translate = QCoreApplication.translate
    text = status_word(order.status)
    if order.missing_at_provider:
        text = translate("OrdersModel", "{0} — missing at provider").format(text)
    return text


def refund_deadline_text(order: OrderView, now: datetime) -> str:
    if order.status in SETTLED_BY_HAND:  # the Refunds tab has no Status column: say it here
        return status_word(order.status)
    if order.status not in LIVE_STATUSES:
        return formatting.DASH
    return formatting.time_left(order.refundable_until, now)


def cell_text(order: OrderView, col: Col, now: datetime) -> str:
    if col is Col.ORDER_ID:
        return order.order_id
    if col is Col.CUSTOMER:
        return order.customer
    if col is Col.PROXY:
        return proxy_text(order)
    if col is Col.COUNTRY:
        return order.country_code or formatting.DASH
    if col is Col.PRICE:
        return formatting.money(order.price)
    if col is Col.PURCHASED:
        return formatting.local_time(order.purchased_at)
    if col is Col.EXPIRES:
        return formatting.local_time(order.expires_at)
    if col is Col.DEADLINE or col is Col.TIME_LEFT:
        return refund_deadline_text(order, now)
    if col is Col.STATUS:
        return status_text(order)
    if col is Col.REFUNDED_AT:
        return formatting.local_time(order.refunded_at)
    if col is Col.OPERATOR:
        return order.operator or formatting.DASH
    return formatting.money(order.refund_amount)
