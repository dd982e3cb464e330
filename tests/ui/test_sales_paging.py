"""The Sales tab over SQL: its rows arrive a page at a time, and sort, search, selection and export
work on every match in the database, not only on the rows loaded."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.orders_model import Col
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.factories import create_order
from tests.ui.conftest import until
from tests.ui.sales_helpers import drain, ids_in_table, select_ids


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()  # on the GUI thread, after the conftest's loop (see test_sales_tab.py)


@pytest.fixture
def shop(gui_shop: Any) -> Any:
    return gui_shop


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge) -> SalesTab:
    widget = SalesTab(bridge)
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    import proxyshop_desktop.ui.paged_orders as paged_orders

    monkeypatch.setattr(paged_orders, "PAGE_SIZE", 3)
    return 3


def _made(shop: Any, n: int, **fields: Any) -> list[str]:
    now = utcnow()
    return [create_order(shop.store, purchased_at=now - timedelta(hours=n - i), price=f"{i + 1}.00",
                         **fields).order_id for i in range(n)]


def test_rows_arrive_a_page_at_a_time_as_the_view_asks(
    tab: SalesTab, shop: Any, run: Any, small_pages: int
) -> None:
    newest_first = list(reversed(_made(shop, 7)))
    run(tab.refresh())
    assert ids_in_table(tab) == newest_first[:3] and tab.model.total == 7
    assert "7" in tab.count_label.text() and tab.model.canFetchMore()
    tab.model.fetchMore()
    run(until(lambda: tab.model.rowCount() == 6))
    tab.model.fetchMore()
    run(until(lambda: tab.model.rowCount() == 7))
    assert ids_in_table(tab) == newest_first and not tab.model.canFetchMore()


def test_a_header_sort_asks_the_database_for_the_whole_list_in_order(
    tab: SalesTab, shop: Any, run: Any, small_pages: int
) -> None:
    made = _made(shop, 7)  # prices 1.00 .. 7.00, oldest cheapest
    run(tab.refresh())
    tab.table.sortByColumn(tab.model.column_of(Col.PRICE), Qt.SortOrder.AscendingOrder)
    run(until(lambda: ids_in_table(tab) == made[:3]))  # the cheapest of all 7, not of the 3 shown
    tab.table.sortByColumn(tab.model.column_of(Col.PRICE), Qt.SortOrder.DescendingOrder)
    run(until(lambda: ids_in_table(tab) == list(reversed(made))[:3]))


def test_selection_and_scroll_survive_a_refresh_with_several_pages_loaded(
    tab: SalesTab, shop: Any, run: Any, small_pages: int
) -> None:
    newest_first = list(reversed(_made(shop, 8)))
    run(tab.refresh())
    tab.model.fetchMore()
    run(until(lambda: tab.model.rowCount() == 6))
    select_ids(tab, newest_first[4])
    create_order(shop.store, purchased_at=utcnow())  # a new sale on top
    tab._bridge.ordersChanged.emit()
    run(until(lambda: tab.model.total == 9))
    drain(run, tab._bridge)
    assert tab.model.rowCount() == 6  # the loaded pages were reloaded, not cut to the first
    assert [o.order_id for o in tab.selected_orders()] == [newest_first[4]]


def test_export_of_a_filter_larger_than_what_is_loaded_takes_every_match(
    tab: SalesTab, shop: Any, run: Any, small_pages: int, monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    alice = _made(shop, 5, customer="alice")
    create_order(shop.store, customer="alice", status="refunded")
    create_order(shop.store, customer="zed")
    run(tab.refresh())
    tab.search.setText("alice")
    run(until(lambda: tab.model.total == 6))
    assert tab.model.rowCount() == 3 and tab.export_order_ids() is None
    target = tmp_path / "alice.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    tab.export_txt_button.click()
    drain(run, tab._bridge)
    assert tab.message.text() == f"Exported {len(alice)} orders to {target}"
