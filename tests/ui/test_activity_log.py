"""The Activity log pages the audit trail: first/last page, events arriving while paging, filters."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from proxyshop_desktop.services import audit
from proxyshop_desktop.ui import activity_log
from proxyshop_desktop.ui.activity_log import ActivityLog
from proxyshop_desktop.ui.bridge import ShopBridge
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True

PAGE = 20


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield  # torn down after the loop: Qt objects freed on the GUI thread (see test_sales_tab.py)
    gc.collect()


@pytest.fixture(autouse=True)
def _small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(activity_log, "PAGE_SIZE", PAGE)


@pytest.fixture
def log(qtbot: Any, bridge: ShopBridge) -> ActivityLog:
    widget = ActivityLog(bridge)
    qtbot.addWidget(widget)
    widget.resize(800, 300)
    widget.show()
    return widget


def record(shop: Any, n: int, prefix: str = "event", kind: str = "sale") -> None:
    def write() -> None:
        for i in range(n):
            audit.record(kind, f"{prefix} {i}", order_id=f"ORD-{prefix}-{i}")
    shop.store.run_blocking(write)


def messages(log: ActivityLog) -> list[str]:
    return [log.model.row_text(r)[6] for r in range(log.model.rowCount())]


def drain(run: Callable[..., Any], bridge: ShopBridge) -> None:
    run(settle(bridge))
    run(asyncio.sleep(0.02))


def test_loads_the_first_page_then_older_pages_as_it_scrolls_to_the_last(
    log: ActivityLog, gui_shop: Any, bridge: ShopBridge, run: Any
) -> None:
    record(gui_shop, 55)
    run(log.refresh())
    assert messages(log) == [f"event {i}" for i in range(54, 54 - PAGE, -1)]  # the first page only
    assert log.count_label.text() == "55 events" and log.model.canFetchMore()
    for _ in range(5):  # scroll to the bottom until the view asks for no more
        log.table.scrollToBottom()
        drain(run, bridge)
    assert messages(log) == [f"event {i}" for i in range(54, -1, -1)]  # every event, once, in order
    assert not log.model.canFetchMore()  # the last page was short: nothing more to ask for


def test_a_new_event_while_paging_keeps_the_selection_and_the_rows_in_view(
    log: ActivityLog, gui_shop: Any, bridge: ShopBridge, run: Any
) -> None:
    record(gui_shop, 50)
    run(log.refresh())
    log.model.fetchMore()
    drain(run, bridge)
    assert log.model.rowCount() == 2 * PAGE
    log.table.selectRow(25)
    chosen = log.model.row_text(25)
    log.table.scrollTo(log.model.index(30, 0))
    top = log.model.row_text(log.table.rowAt(0))

    record(gui_shop, 3, prefix="new")  # a sale while the operator reads older events
    run(log.refresh())

    assert messages(log)[:3] == ["new 2", "new 1", "new 0"]
    assert log.model.rowCount() == 2 * PAGE + 3  # what was loaded, plus the new events
    assert log.count_label.text() == "53 events"
    rows = log.table.selectionModel().selectedRows()
    assert [log.model.row_text(i.row()) for i in rows] == [chosen]
    assert log.model.row_text(log.table.rowAt(0)) == top  # the same rows stay in view
    log.model.fetchMore()  # paging goes on below the loaded rows, without duplicates
    drain(run, bridge)
    assert messages(log)[3:] == [f"event {i}" for i in range(49, -1, -1)]


def test_at_the_top_new_events_come_into_view(
    log: ActivityLog, gui_shop: Any, bridge: ShopBridge, run: Any
) -> None:
    record(gui_shop, 30)
    run(log.refresh())
    record(gui_shop, 2, prefix="new")
    log.mark_stale()  # what the bridge's change signals do
    run(until(lambda: log.model.rowCount() == PAGE + 2))
    assert log.table.verticalScrollBar().value() == 0
    assert log.model.row_text(log.table.rowAt(0))[6] == "new 1"


def test_a_filter_that_empties_the_list_and_clearing_it_starts_from_the_first_page(
    log: ActivityLog, gui_shop: Any, bridge: ShopBridge, run: Any
) -> None:
    record(gui_shop, 30)
    record(gui_shop, 2, prefix="refused", kind="refund_refused")
    run(log.refresh())
    log.model.fetchMore()
    drain(run, bridge)
    log.kind_filter.setCurrentIndex(log.kind_filter.findData("restore"))
    drain(run, bridge)
    assert log.model.rowCount() == 0 and log.count_label.text() == "0 events"
    assert not log.model.canFetchMore()
    log.kind_filter.setCurrentIndex(log.kind_filter.findData("refund_refused"))
    drain(run, bridge)
    assert messages(log) == ["refused 1", "refused 0"]
    log.kind_filter.setCurrentIndex(0)
    drain(run, bridge)
    assert log.model.rowCount() == PAGE and log.count_label.text() == "32 events"
    assert log.table.verticalScrollBar().value() == 0
