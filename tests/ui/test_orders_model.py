"""OrdersModel without a shop: formatting, the pending highlight, the countdown tick, sorting and
the selection kept across resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView

from proxyshop_desktop.services.results import Credentials, OrderView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.orders_model import (
    HIGHLIGHT_ROLE,
    ORDER_ID_ROLE,
    SALES_COLUMNS,
    Col,
    OrdersModel,
    configure_view,
    remember_selection,
    restore_selection,
    selected_orders,
)

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def make_order(
    n: int,
    *,
    status: str = "sold",
    minutes_ago: float = 10,
    window: int = 60,
    missing: bool = False,
    now: datetime = T0,
    customer: str = "alice",
) -> OrderView:
    purchased = None if status == "pending" else now - timedelta(minutes=minutes_ago)
    creds = (
        None
        if status in ("pending", "void")
        else Credentials(f"10.0.0.{n}", "1080", f"user{n}", 'p:a,s"s=', "US", "ISP")
    )
    return OrderView(
        order_id=f"ORD-{n:04d}",
        status=status,
        proxy_id=1000 + n,
        product_id=n,
        credentials_id=None if creds is None else 500 + n,
        customer=customer,
        price=Decimal("2.00"),
        cost=Decimal("1.20"),
        created_at=now - timedelta(minutes=minutes_ago),
        purchased_at=purchased,
        expires_at=None if purchased is None else purchased + timedelta(days=30),
        refundable_until=None if purchased is None else purchased + timedelta(minutes=window),
        refundable=True,
        refunded_at=now if status == "refunded" else None,
        refund_amount=Decimal("2.00") if status == "refunded" else None,
        credentials=creds,
        country_code="US",
        city="Boston",
        proxy_type="residential",
        missing_at_provider=missing,
        note="",
    )


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def cell(model: OrdersModel, row: int, col: Col, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.data(model.index(row, model.column_of(col)), role)


def test_formatting_helpers() -> None:
    assert formatting.countdown(timedelta(minutes=42, seconds=17)) == "42:17"
    assert (
        formatting.countdown(timedelta(minutes=42, seconds=16, milliseconds=1)) == "42:17"
    )  # rounds up
    assert formatting.countdown(timedelta(hours=1, minutes=2, seconds=3)) == "1:02:03"
    assert formatting.countdown(-5) == "0:00"
    assert formatting.money(Decimal("2")) == "$2.00"
    assert formatting.money(Decimal("1234.5")) == "$1,234.50"
    assert formatting.time_left(T0 + timedelta(seconds=59), T0) == "0:59 left"
    assert formatting.time_left(T0, T0) == formatting.DASH
    assert formatting.ago(T0 - timedelta(minutes=7), T0) == "7 min ago"


def test_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    model.set_orders(
        [
            make_order(1),
            make_order(2, status="pending"),
            make_order(3, status="refunded", missing=True),
        ]
    )
    qtmodeltester.check(model, force_py=True)


def test_rows_are_preformatted_and_newest_first() -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    model.set_orders(
        [make_order(1, minutes_ago=50), make_order(2, minutes_ago=5), make_order(3, minutes_ago=20)]
    )
    assert [model.order_at(r).order_id for r in range(3)] == ["ORD-0002", "ORD-0003", "ORD-0001"]
    assert cell(model, 0, Col.PROXY) == "10.0.0.2:1080"
    assert cell(model, 0, Col.PRICE) == "$2.00"
    assert cell(model, 0, Col.DEADLINE) == "55:00 left"
    assert cell(model, 0, Col.STATUS) == "sold"
    assert cell(model, 0, Col.PURCHASED) == formatting.local_time(T0 - timedelta(minutes=5))
    assert cell(model, 0, Col.ORDER_ID, ORDER_ID_ROLE) == "ORD-0002"
    assert (
        model.headerData(model.column_of(Col.DEADLINE), Qt.Orientation.Horizontal)
        == "Refund deadline"
    )


def test_pending_row_is_highlighted_with_tooltip() -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    model.set_orders([make_order(1), make_order(2, status="pending")])
    pending_row = model.row_of("ORD-0002")
    sold_row = model.row_of("ORD-0001")
    assert pending_row is not None and sold_row is not None
    assert cell(model, pending_row, Col.STATUS, HIGHLIGHT_ROLE) is True
    assert cell(model, sold_row, Col.STATUS, HIGHLIGHT_ROLE) is False
    assert cell(model, pending_row, Col.ORDER_ID, Qt.ItemDataRole.BackgroundRole) is not None
    assert cell(model, sold_row, Col.ORDER_ID, Qt.ItemDataRole.BackgroundRole) is None
    assert cell(model, pending_row, Col.ORDER_ID, Qt.ItemDataRole.FontRole).bold()
    assert "run Reconcile" in cell(model, pending_row, Col.CUSTOMER, Qt.ItemDataRole.ToolTipRole)
    assert cell(model, pending_row, Col.PROXY) == formatting.DASH
    assert cell(model, pending_row, Col.DEADLINE) == formatting.DASH


def test_missing_at_provider_is_flagged() -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    model.set_orders([make_order(1, missing=True)])
    assert "missing at provider" in cell(model, 0, Col.STATUS)
    assert cell(model, 0, Col.STATUS, HIGHLIGHT_ROLE) is True
    assert cell(model, 0, Col.STATUS, Qt.ItemDataRole.ForegroundRole) is not None


def test_tick_repaints_only_the_countdown_column(qtbot: Any) -> None:
    clock = Clock(T0)
    model = OrdersModel(SALES_COLUMNS, clock=clock)
    model.set_orders(
        [
            make_order(1, minutes_ago=59.5),  # 30 s left
            make_order(2, minutes_ago=10),
            make_order(3, status="refunded", minutes_ago=5),
            make_order(4, minutes_ago=90),  # already over
        ]
    )
    changes: list[tuple[int, int, int, int]] = []
    resets: list[bool] = []
    model.dataChanged.connect(
        lambda a, b, _roles: changes.append((a.row(), b.row(), a.column(), b.column()))
    )
    model.modelReset.connect(lambda: resets.append(True))
    deadline = model.column_of(Col.DEADLINE)
    for row in range(model.rowCount()):  # what a view does when it paints the rows
        cell(model, row, Col.DEADLINE)

    clock.now = T0 + timedelta(seconds=1)
    assert model.tick() == []
    assert resets == []
    assert changes and all(c[2] == c[3] == deadline for c in changes)
    row1 = model.row_of("ORD-0001")
    assert row1 is not None and cell(model, row1, Col.DEADLINE) == "0:29 left"

    changes.clear()
    clock.now = T0 + timedelta(seconds=31)
    assert model.tick() == ["ORD-0001"]
    assert cell(model, row1, Col.DEADLINE) == formatting.DASH
    refunded_row = model.row_of("ORD-0003")
    assert refunded_row is not None and cell(model, refunded_row, Col.DEADLINE) == formatting.DASH
    assert resets == []


def test_remove_and_selection_survive_reset(qtbot: Any) -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    view = QTableView()
    qtbot.addWidget(view)
    configure_view(view, model)
    orders = [make_order(n, minutes_ago=n) for n in range(1, 6)]
    model.set_orders(orders)
    selector = view.selectionModel()
    for order_id in ("ORD-0002", "ORD-0004"):
        row = model.row_of(order_id)
        assert row is not None
        selector.select(
            model.index(row, 0), selector.SelectionFlag.Select | selector.SelectionFlag.Rows
        )
    state = remember_selection(view)
    model.set_orders([make_order(9, minutes_ago=0.5), *orders])  # a new sale arrives on top
    restore_selection(view, state)
    assert [o.order_id for o in selected_orders(view)] == ["ORD-0002", "ORD-0004"]

    model.remove_order_ids(["ORD-0003"])
    assert model.row_of("ORD-0003") is None
    assert [o.order_id for o in selected_orders(view)] == ["ORD-0002", "ORD-0004"]


@pytest.mark.parametrize("column", [Col.CUSTOMER, Col.PRICE, Col.DEADLINE])
def test_sort_keeps_rows_consistent(qtmodeltester: Any, column: Col) -> None:
    model = OrdersModel(SALES_COLUMNS, clock=Clock(T0))
    model.set_orders([make_order(n, minutes_ago=n * 7, customer=f"c{5 - n}") for n in range(1, 5)])
    model.sort(model.column_of(column), Qt.SortOrder.AscendingOrder)
    ids = [model.data(model.index(r, 0), ORDER_ID_ROLE) for r in range(model.rowCount())]
    assert sorted(ids) == ["ORD-0001", "ORD-0002", "ORD-0003", "ORD-0004"]
    for row in range(model.rowCount()):
        assert model.data(model.index(row, 0)) == model.order_at(row).order_id
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.data(QModelIndex()) is None
    qtmodeltester.check(model, force_py=True)


def test_tick_reports_ended_windows_of_rows_never_painted() -> None:
    clock = Clock(T0)
    model = OrdersModel(SALES_COLUMNS, clock=clock)
    model.set_orders([make_order(1, minutes_ago=59.5), make_order(2, minutes_ago=1)])
    changes: list[int] = []
    model.dataChanged.connect(lambda *_: changes.append(1))
    clock.now = T0 + timedelta(minutes=1)
    assert model.tick() == ["ORD-0001"]
    assert changes == []  # nothing painted, nothing to repaint
    row = model.row_of("ORD-0001")
    assert row is not None and cell(model, row, Col.DEADLINE) == formatting.DASH
    assert model.tick() == []  # reported once


def test_every_core_status_has_words_and_the_attention_set_is_the_core_s() -> None:
    from proxyshop_desktop.ui.order_columns import ATTENTION_STATUSES, STATUS_WORDS
    from proxyshop_desktop.vocabulary import NEEDS_ATTENTION, OrderStatus

    assert set(STATUS_WORDS) == set(OrderStatus)
    assert frozenset(NEEDS_ATTENTION) == ATTENTION_STATUSES
