"""Sales tab on a real Shop and database (orders written by the test factories; no provider
needed except for Reconcile): order, search, highlight, export and copy."""

from __future__ import annotations

import csv
import gc
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.orders_model import HIGHLIGHT_ROLE, Col
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.factories import create_order
from tests.ui.conftest import settle, until
from tests.ui.sales_helpers import drain, ids_in_table, select_ids

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


@pytest.fixture
def shop(gui_shop: Any) -> Any:
    return gui_shop


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge) -> SalesTab:
    widget = SalesTab(bridge)
    qtbot.addWidget(widget)
    return widget


# --- tests ----------------------------------------------------------------------------------------


def test_lists_orders_newest_first_with_formatted_cells(tab: SalesTab, shop: Any, run: Any) -> None:
    now = utcnow()
    old = create_order(shop.store, purchased_at=now - timedelta(hours=3), customer="bob")
    new = create_order(
        shop.store, purchased_at=now - timedelta(minutes=2), customer="alice", price="2.35"
    )
    mid = create_order(shop.store, purchased_at=now - timedelta(minutes=30), customer="carol")

    run(tab.refresh())

    assert ids_in_table(tab) == [new.order_id, mid.order_id, old.order_id]
    model = tab.model
    assert model.data(model.index(0, model.column_of(Col.PRICE))) == "$2.35"
    assert model.data(model.index(0, model.column_of(Col.PROXY))) == f"{new.server_ip}:{new.port}"
    assert re.fullmatch(
        r"5[78]:\d\d left", model.data(model.index(0, model.column_of(Col.DEADLINE)))
    )
    assert model.data(model.index(2, model.column_of(Col.DEADLINE))) == "—"  # window over
    assert tab.table.objectName() == "salesTable" and tab.table.accessibleName()


def test_search_narrows_after_the_debounce(tab: SalesTab, shop: Any, run: Any) -> None:
    create_order(shop.store, customer="alice")
    wanted = create_order(shop.store, customer="Борис")
    create_order(shop.store, customer="carol")
    run(tab.refresh())
    assert len(ids_in_table(tab)) == 3

    tab.search.setText("борис")  # the core folds Cyrillic case
    run(until(lambda: ids_in_table(tab) == [wanted.order_id]))

    tab.search.clear()
    run(until(lambda: len(ids_in_table(tab)) == 3))
    tab.search.setText(wanted.server_ip)
    run(until(lambda: ids_in_table(tab) == [wanted.order_id]))
    tab.search.setText(wanted.order_id.lower())
    run(until(lambda: not tab._search_timer.isActive()))
    run(settle(tab._bridge))
    assert ids_in_table(tab) == [wanted.order_id]


def test_status_filter(tab: SalesTab, shop: Any, run: Any) -> None:
    create_order(shop.store)
    refunded = create_order(shop.store, status="refunded")
    run(tab.refresh())
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("refunded"))
    run(until(lambda: ids_in_table(tab) == [refunded.order_id]))


def test_operator_column_and_filter(tab: SalesTab, shop: Any, run: Any) -> None:
    create_order(shop.store, operator="boris")
    anna = create_order(shop.store, operator="anna")
    run(tab.refresh())
    column = tab.model.column_of(Col.OPERATOR)
    assert sorted(tab.model.data(tab.model.index(r, column)) for r in range(2)) == ["anna", "boris"]
    tab.operator_filter.setText("anna")
    run(until(lambda: ids_in_table(tab) == [anna.order_id]))


def test_the_status_filter_offers_exactly_the_core_s_statuses(tab: SalesTab) -> None:
    from proxyshop_desktop.vocabulary import ORDER_STATUSES

    offered = [tab.status_filter.itemData(i) for i in range(tab.status_filter.count())]
    assert offered == [None, *ORDER_STATUSES]


def test_pending_order_stands_out_and_reconcile_is_highlighted(
    tab: SalesTab, shop: Any, run: Any
) -> None:
    create_order(shop.store)
    pending = create_order(shop.store, status="pending")
    run(tab.refresh())

    row = tab.model.row_of(pending.order_id)
    assert row is not None
    index = tab.model.index(row, tab.model.column_of(Col.STATUS))
    assert tab.model.data(index, HIGHLIGHT_ROLE) is True
    assert tab.model.data(index) == "pending"
    assert "run Reconcile" in tab.model.data(index, 3)  # ToolTipRole
    assert tab.pending_count == 1
    assert tab.reconcile_button.property("attention") is True
    assert "1 pending" in tab.reconcile_button.text()


@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_export_writes_the_selected_orders(
    tab: SalesTab, shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str,
    request: pytest.FixtureRequest,
) -> None:
    first = create_order(shop.store, customer="=cmd|' /C calc'!A0", password='p:w,"x"=1')
    second = create_order(shop.store, customer="bob")
    other = create_order(shop.store, customer="carol")
    run(tab.refresh())
    select_ids(tab, first.order_id, second.order_id)

    target = tmp_path / f"chosen.{fmt}"
    asked: list[str] = []

    def fake_save(_parent: Any, _caption: str, default: str, _filter: str) -> tuple[str, str]:
        asked.append(default)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    button = tab.export_csv_button if fmt == "csv" else tab.export_txt_button
    assert button.objectName() == ("exportCsvButton" if fmt == "csv" else "exportTxtButton")
    button.click()
    drain(run, tab._bridge)

    default = Path(asked[0])
    assert default.parent == shop.paths.exports_dir
    assert re.fullmatch(rf"proxyshop-orders-\d{{8}}-\d{{4}}\.{fmt}", default.name)
    text = target.read_text(encoding="utf-8")
    if fmt == "txt":
        expected = {f"{o.server_ip}:{o.port}:{o.username}:{o.password}" for o in (first, second)}
        assert set(text.splitlines()) == expected
    else:
        rows = list(csv.DictReader(text.splitlines()))
        assert {r["order"] for r in rows} == {first.order_id, second.order_id}
        by_id = {r["order"]: r for r in rows}
        assert by_id[first.order_id]["password"] == 'p:w,"x"=1'
        assert by_id[first.order_id]["customer"].startswith("'=")  # neutralised formula
    assert other.order_id not in text
    assert tab.message.text() == f"Exported 2 orders to {target}"


def test_export_without_selection_takes_the_filtered_sold_orders(
    tab: SalesTab, shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    sold = create_order(shop.store, customer="alice")
    recovered = create_order(shop.store, customer="alice", status="recovered")
    create_order(shop.store, customer="alice", status="refunded")
    create_order(shop.store, customer="alice", status="pending")
    create_order(shop.store, customer="zed")
    run(tab.refresh())
    tab.search.setText("alice")
    run(until(lambda: len(ids_in_table(tab)) == 4))
    assert set(tab.export_order_ids()) == {sold.order_id, recovered.order_id}

    target = tmp_path / "all.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    tab.export_txt_button.click()
    drain(run, tab._bridge)
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert tab.message.text() == f"Exported 2 orders to {target}"


def test_export_cancelled_writes_nothing(
    tab: SalesTab, shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_order(shop.store)
    run(tab.refresh())
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    tab.export_csv_button.click()
    assert not tab._bridge.is_running("sales.export")
    assert list(shop.paths.exports_dir.iterdir()) == []


def test_export_error_goes_to_the_error_dialog(
    tab: SalesTab,
    shop: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    message_boxes: list[dict[str, str]],
) -> None:
    create_order(shop.store)
    run(tab.refresh())
    missing = tmp_path / "no-such-folder" / "x.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(missing), "")))
    tab.export_csv_button.click()
    drain(run, tab._bridge)
    assert any("does not exist" in box["text"] for box in message_boxes)
    assert tab.export_csv_button.isEnabled()


def test_copy_puts_the_exact_line_on_the_clipboard(tab: SalesTab, shop: Any, run: Any) -> None:
    order = create_order(shop.store, username="us:er", password='pa ss,="x"')
    create_order(shop.store)
    run(tab.refresh())
    select_ids(tab, order.order_id)
    assert tab.copy_button.isEnabled()

    tab.copy_button.click()

    assert QGuiApplication.clipboard().text() == f'{order.server_ip}:{order.port}:us:er:pa ss,="x"'
    assert "pa ss" not in tab.message.text()  # the password is never echoed in the status line


def test_copy_is_disabled_for_a_pending_order(tab: SalesTab, shop: Any, run: Any) -> None:
    pending = create_order(shop.store, status="pending")
    run(tab.refresh())
    select_ids(tab, pending.order_id)
    assert not tab.copy_button.isEnabled()
    assert not tab.show_button.isEnabled()


def test_selection_survives_a_refresh_on_orders_changed(tab: SalesTab, shop: Any, run: Any) -> None:
    keep = create_order(shop.store)
    create_order(shop.store)
    run(tab.refresh())
    select_ids(tab, keep.order_id)

    create_order(shop.store, purchased_at=utcnow())  # a new sale on top
    tab._bridge.ordersChanged.emit()
    run(until(lambda: tab.model.rowCount() == 3))
    drain(run, tab._bridge)

    assert [o.order_id for o in tab.selected_orders()] == [keep.order_id]


def test_reconcile_result_in_words(
    tab: SalesTab, shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from proxyshop_desktop.services.results import ReconcileResult

    async def fake_reconcile() -> ReconcileResult:
        return ReconcileResult(
            recovered=1, settled=2, voided=0, unknown_locally=[7], missing_at_provider=[]
        )

    monkeypatch.setattr(shop, "reconcile", fake_reconcile)
    changed: list[bool] = []
    tab._bridge.ordersChanged.connect(lambda: changed.append(True))
    tab.reconcile_button.click()
    drain(run, tab._bridge)
    text = tab.message.text()
    assert "completed from the provider's record: 2" in text and "recorded as recovered: 1" in text
    assert changed == [True]


def test_prices_are_exact_money(tab: SalesTab, shop: Any, run: Any) -> None:
    create_order(shop.store, price=Decimal("1234.5"))
    run(tab.refresh())
    assert tab.model.data(tab.model.index(0, tab.model.column_of(Col.PRICE))) == "$1,234.50"


def test_show_credentials_opens_the_dialog_with_the_selected_orders(
    tab: SalesTab, shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from proxyshop_desktop.ui import credentials_dialog

    opened: list[list[str]] = []

    class FakeDialog(QWidget):
        def __init__(self, orders: list[Any], parent: QWidget | None = None) -> None:
            super().__init__(parent)
            opened.append([o.order_id for o in orders])

        def open(self) -> None:
            pass

    monkeypatch.setattr(credentials_dialog, "CredentialsDialog", FakeDialog)
    first, second = create_order(shop.store), create_order(shop.store)
    pending = create_order(shop.store, status="pending")
    run(tab.refresh())
    select_ids(tab, first.order_id, second.order_id, pending.order_id)
    tab.show_button.click()
    assert [sorted(ids) for ids in opened] == [sorted([first.order_id, second.order_id])]


def test_reconcile_settles_a_sale_whose_answer_was_lost(
    tab: SalesTab, shop: Any, run: Any, sim: Any
) -> None:
    from proxyshop_desktop.errors import OutcomeUnknownError
    from proxyshop_desktop.services.results import InventoryQuery
    from proxyshop_desktop.simulator import faults

    run(shop.sync())
    product = run(shop.inventory(InventoryQuery(page_size=1))).rows[0]
    sim.faults.add("buy", faults.drop_after_commit())
    with pytest.raises(OutcomeUnknownError):
        run(shop.sell(product.product_id, "ivan"))
    run(tab.refresh())
    assert tab.pending_count == 1 and tab.reconcile_button.property("attention") is True

    tab.reconcile_button.click()
    drain(run, tab._bridge)

    assert "completed from the provider's record: 1" in tab.message.text()
    assert tab.pending_count == 0 and tab.reconcile_button.property("attention") is False
    assert [o.status for o in tab.model.orders()] == ["sold"]
    assert sim.requests.count("buy") == 1


def test_a_failed_load_is_said_in_the_tab_then_cleared(
    tab: SalesTab,
    shop: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: list[dict[str, str]],
) -> None:
    from proxyshop_desktop.errors import StorageError

    async def broken(*_args: Any, **_kwargs: Any) -> Any:
        raise StorageError("The database is busy in another ProxyShop process.", "Wait.")

    create_order(shop.store)
    with monkeypatch.context() as patch:
        patch.setattr(shop, "order_page", broken)
        run(tab.refresh())
    assert "busy in another ProxyShop process" in tab.message.text()
    assert message_boxes == []
    run(tab.refresh())
    assert tab.message.text() == "" and tab.model.rowCount() == 1
