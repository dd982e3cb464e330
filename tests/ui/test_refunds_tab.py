"""Refunds tab against the simulated provider: which orders are listed, Check, Refund (confirmed
and declined), and the refunded table with its exact total."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.services.results import InventoryQuery, OrderView
from proxyshop_desktop.ui import proxy_check_action
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.orders_model import Col
from proxyshop_desktop.ui.refunds_tab import IN_WINDOW_COLUMNS, RefundsTab
from tests.factories import create_order
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True

# --- harness: `loop`, `run`, `bridge`, `gui_shop`, `message_boxes` come from tests/ui/conftest.py


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Set up before (so torn down after) the conftest's loop: the closed qasync loop and this
    test's Qt objects are freed here, on the GUI thread. Left to a later cyclic GC they may be
    freed on whichever thread triggers it (DB worker, simulator), and a QObject destroyed off
    its thread leaves dangling timers that crash a later test."""
    yield
    gc.collect()


def drain(run: Callable[..., Any], bridge: ShopBridge) -> None:
    """Until the tab's tasks are done and their deferred (zero-delay timer) callbacks ran."""
    run(settle(bridge))
    run(asyncio.sleep(0.02))


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """QMessageBox.question recorded; `answer` is what the confirmation returns."""
    state: dict[str, Any] = {"answer": QMessageBox.StandardButton.Yes, "asked": []}

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        state["asked"].append(text)
        return state["answer"]

    def ask_refund(_parent: Any, text: str, *, offer_check: bool) -> str:
        state["asked"].append(text)
        state.setdefault("offered_check", []).append(offer_check)
        if offer_check and state.get("check_first"):
            return "check"
        return "yes" if state["answer"] == QMessageBox.StandardButton.Yes else "no"

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    monkeypatch.setattr(proxy_check_action, "ask_refund", ask_refund)
    return state


@pytest.fixture
def sim_shop(gui_shop: Any, run: Any) -> Any:
    """The conftest's shop, synced with the simulator so that there is something to sell."""
    run(gui_shop.sync())
    return gui_shop


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge, sim_shop: Any) -> RefundsTab:
    widget = RefundsTab(bridge)
    qtbot.addWidget(widget)
    return widget


def sell(run: Callable[..., Any], shop: Any, customer: str = "") -> OrderView:
    page = run(shop.inventory(InventoryQuery(page_size=1)))
    return run(shop.sell(page.rows[0].product_id, customer))


def ids(model: Any) -> list[str]:
    return [model.order_at(row).order_id for row in range(model.rowCount())]


def select(tab: RefundsTab, order_id: str) -> None:
    row = tab.model.row_of(order_id)
    assert row is not None, order_id
    tab.table.selectRow(row)


def refund_requests(sim: Any) -> int:
    return sim.requests.count("refund")


# --- tests ----------------------------------------------------------------------------------------


def test_lists_only_orders_inside_their_window(tab: RefundsTab, sim_shop: Any, run: Any) -> None:
    fresh = sell(run, sim_shop, "alice")
    create_order(sim_shop.store, purchased_at=utcnow() - timedelta(hours=2))  # window over
    create_order(sim_shop.store, status="refunded")
    create_order(sim_shop.store, status="pending")
    create_order(sim_shop.store, status="void")

    run(tab.refresh())

    assert ids(tab.model) == [fresh.order_id]
    assert tab.table.objectName() == "refundsTable"
    text = tab.model.data(tab.model.index(0, 1))
    assert text in ("1:00:00 left",) or (text.startswith("59:") and text.endswith(" left"))


def test_row_drops_off_when_its_window_ends(tab: RefundsTab, sim_shop: Any, run: Any) -> None:
    ending = create_order(
        sim_shop.store, purchased_at=utcnow() - timedelta(minutes=59, seconds=59.5)
    )
    staying = create_order(sim_shop.store)
    run(tab.refresh())
    assert set(ids(tab.model)) == {ending.order_id, staying.order_id}

    run(until(lambda: (tab.tick(), tab.model.rowCount() == 1)[1]))
    assert ids(tab.model) == [staying.order_id]


def test_check_shows_why_an_online_proxy_is_refused(
    tab: RefundsTab, sim_shop: Any, run: Any
) -> None:
    order = sell(run, sim_shop)
    run(tab.refresh())
    select(tab, order.order_id)
    assert tab.check_button.isEnabled()

    tab.check_button.click()
    drain(run, tab._bridge)

    answer = tab.answer.text()
    assert order.order_id in answer and "cannot be refunded" in answer
    assert "online" in answer.lower()


def test_refund_of_an_offline_proxy_after_confirmation(
    tab: RefundsTab,
    sim: Any,
    sim_shop: Any,
    run: Any,
    questions: dict[str, Any],
    message_boxes: list[dict[str, str]],
) -> None:
    order = sell(run, sim_shop, "bob")
    assert order.credentials_id is not None
    sim.provider.set_purchased_proxy_offline(order.credentials_id)
    run(tab.refresh())
    select(tab, order.order_id)

    tab.refund_button.click()
    drain(run, tab._bridge)

    assert questions["asked"] == [f"Refund {order.order_id} for $2.00?"]
    assert sim.provider.is_refunded(order.credentials_id)
    assert ids(tab.model) == []
    assert ids(tab.refunded_model) == [order.order_id]
    assert "Refunded" in tab.answer.text() and "$2.00" in tab.answer.text()
    assert tab.total_refunded == Decimal("2.00")
    assert "$2.00" in tab.total_label.text()
    assert message_boxes == []


def test_declined_confirmation_does_not_call_the_provider(
    tab: RefundsTab,
    sim: Any,
    sim_shop: Any,
    run: Any,
    questions: dict[str, Any],
    message_boxes: list[dict[str, str]],
) -> None:
    order = sell(run, sim_shop)
    assert order.credentials_id is not None
    sim.provider.set_purchased_proxy_offline(order.credentials_id)
    run(tab.refresh())
    select(tab, order.order_id)
    questions["answer"] = QMessageBox.StandardButton.No
    before = refund_requests(sim)

    tab.refund_button.click()
    drain(run, tab._bridge)

    assert len(questions["asked"]) == 1
    assert refund_requests(sim) == before
    assert not sim.provider.is_refunded(order.credentials_id)
    assert ids(tab.model) == [order.order_id]


def test_refused_refund_is_explained(
    tab: RefundsTab,
    sim: Any,
    sim_shop: Any,
    run: Any,
    questions: dict[str, Any],
    message_boxes: list[dict[str, str]],
) -> None:
    order = sell(run, sim_shop)  # still online: the provider refuses
    run(tab.refresh())
    select(tab, order.order_id)

    tab.refund_button.click()
    drain(run, tab._bridge)

    assert len(message_boxes) == 1 and "online" in message_boxes[0]["text"].lower()
    assert "was not refunded" in tab.answer.text()
    assert ids(tab.model) == [order.order_id]
    assert ids(tab.refunded_model) == []


def test_refunded_table_and_exact_total(tab: RefundsTab, sim_shop: Any, run: Any) -> None:
    create_order(sim_shop.store, status="refunded", price="2.35")
    create_order(sim_shop.store, status="refunded", price="0.10")
    create_order(sim_shop.store, status="refunded", price="0.20")
    run(tab.refresh())
    assert tab.refunded_model.rowCount() == 3
    assert tab.total_refunded == Decimal("2.65")
    assert "Total refunded: $2.65" in tab.total_label.text()
    amount_col = tab.refunded_model.columnCount() - 1
    assert {tab.refunded_model.data(tab.refunded_model.index(r, amount_col)) for r in range(3)} == {
        "$2.35",
        "$0.10",
        "$0.20",
    }


def test_refunded_orders_come_a_page_at_a_time_and_the_total_counts_them_all(
    tab: RefundsTab, sim_shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import proxyshop_desktop.ui.refunds_tab as refunds_tab

    monkeypatch.setattr(refunds_tab, "REFUNDED_PAGE", 2)
    made = [create_order(sim_shop.store, status="refunded", price="1.00",
                         purchased_at=utcnow() - timedelta(hours=5 - i)) for i in range(5)]
    run(tab.refresh())
    latest_first = [o.order_id for o in reversed(made)]
    assert sorted(ids(tab.refunded_model)) == sorted(latest_first[:2])
    assert "Total refunded: $5.00 · orders: 5" in tab.total_label.text()
    assert not tab.more_refunded_button.isHidden() and "2 more of 3" in tab.more_refunded_button.text()
    tab.more_refunded_button.click()
    run(until(lambda: tab.refunded_model.rowCount() == 4))
    tab.more_refunded_button.click()
    run(until(lambda: tab.refunded_model.rowCount() == 5))
    assert tab.more_refunded_button.isHidden()


def test_a_refund_of_unknown_outcome_is_settled_by_the_operator(
    tab: RefundsTab, sim_shop: Any, sim: Any, bridge: ShopBridge, run: Any, questions: dict[str, Any]
) -> None:
    """Mark refunded / not refunded appear only for a refund_unknown order, ask first, change
    the order once and send nothing to the provider."""
    plain = create_order(sim_shop.store)
    lost = create_order(sim_shop.store, status="refund_unknown",
                        refund_state="unanswered", refund_requested_at=datetime(2026, 11, 26, 10, tzinfo=UTC))
    run(tab.refresh())
    tab.show()
    select(tab, plain.order_id)
    assert not tab.mark_refunded_button.isVisible()
    select(tab, lost.order_id)
    assert "was lost" in tab.answer.text() and "Mark refunded" in tab.answer.text()
    assert tab.model.data(tab.model.index(tab.model.row_of(lost.order_id), 1)) == "refund unknown"
    assert tab.mark_refunded_button.isVisible() and tab.mark_refunded_button.isEnabled()
    assert tab.mark_not_refunded_button.isEnabled()

    questions["answer"] = QMessageBox.StandardButton.No
    tab.mark_refunded_button.click()
    drain(run, bridge)
    assert run(sim_shop.order(lost.order_id)).status == "refund_unknown"  # declined: unchanged

    questions["answer"] = QMessageBox.StandardButton.Yes
    sent = sim.requests.count()
    tab.mark_refunded_button.click()
    drain(run, bridge)
    assert run(sim_shop.order(lost.order_id)).status == "refunded"
    assert "refunded at the provider" in tab.answer.text()
    assert "provider confirmed" in questions["asked"][-1] and lost.order_id in questions["asked"][-1]
    assert sim.requests.count() == sent  # nothing was sent to the provider


def test_the_operator_filter_shows_one_operators_sales(tab: RefundsTab, sim_shop: Any, run: Any) -> None:
    """A shared database: the Operator column says who sold each order, and the filter keeps
    that operator's orders in both tables and in the total."""
    now = utcnow()
    annas = create_order(sim_shop.store, purchased_at=now - timedelta(minutes=5), operator="anna")
    boriss = create_order(sim_shop.store, purchased_at=now - timedelta(minutes=4), operator="boris")
    create_order(sim_shop.store, status="refunded", price="1.25", operator="anna")
    refunded_b = create_order(sim_shop.store, status="refunded", price="2.00", operator="boris")
    run(tab.refresh())
    assert sorted(ids(tab.model)) == sorted([annas.order_id, boriss.order_id])
    operator_col = IN_WINDOW_COLUMNS.index(Col.OPERATOR)
    row = tab.model.row_of(boriss.order_id)
    assert tab.model.data(tab.model.index(row, operator_col)) == "boris"
    assert "orders: 2" in tab.total_label.text()

    tab.operator_filter.setText("boris ")
    run(until(lambda: ids(tab.model) == [boriss.order_id]))
    run(settle(tab._bridge))
    assert ids(tab.refunded_model) == [refunded_b.order_id]
    assert "Total refunded: $2.00 · orders: 1" in tab.total_label.text()

    tab.operator_filter.setText("nobody")
    run(until(lambda: tab.model.rowCount() == 0 and tab.refunded_model.rowCount() == 0))
    tab.operator_filter.clear()
    run(until(lambda: tab.model.rowCount() == 2 and tab.refunded_model.rowCount() == 2))
