"""The main window against the simulated provider: tabs and named widgets, Sync now filling the
table, the status indicator through success -> failure -> recovery, and no double sync."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QTableView, QTabWidget, QToolButton, QWidget

from proxyshop_desktop.errors import BalanceTooLowError, ProxyUnavailableError
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.simulator import faults
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True


def _sync_runs(window: Any, run: Any) -> list[Any]:
    return [r for r in run(window.bridge.shop.sync_history(50)) if r.kind == "sync"]


def titled(title: str, engine: str) -> str:
    """The title without the shared database's " — operator @ server" part (ui/main_window.py::
    window_title), which only a window on PostgreSQL shows; that it is there is checked here."""
    if engine != "postgresql":
        return title
    base, _, who = title.rpartition(" — ")
    assert " @ " in who, title
    return base


def test_window_has_tabs_and_named_widgets(main_window: Any, engine: str) -> None:
    tabs = main_window.findChild(QTabWidget, "mainTabs")
    assert [tabs.tabText(i) for i in range(tabs.count())] == [
        "Inventory", "Sales", "Refunds", "Stats", "Activity"]
    for name in ("inventoryTable", "salesTable", "refundsTable"):
        table = main_window.findChild(QTableView, name)
        assert table is not None, name
        assert table.accessibleName()
    for name in ("syncButton", "cleanupButton"):
        button = main_window.findChild(QToolButton, name)
        assert button is not None and button.accessibleName(), name
    for name in ("syncStatus", "sellButton", "exportCsvButton", "exportTxtButton", "refundButton",
                 "statsView"):
        assert main_window.findChild(QWidget, name) is not None, name
    assert main_window.findChild(QWidget, "syncStatus").accessibleName() == "Sync status"
    assert main_window.findChild(QTimer, "syncTimer").parent() is main_window
    settings_action = next(a for a in main_window.actions() if a.objectName() == "settingsAction")
    assert settings_action.shortcut().toString() == "Ctrl+,"
    assert titled(main_window.windowTitle(), engine) == "ProxyShop"


def test_sync_button_fills_the_table_and_status_says_synced(main_window: Any, run: Any, sim: Any) -> None:
    table = main_window.findChild(QTableView, "inventoryTable")
    assert table.model().rowCount() == 0
    main_window.findChild(QToolButton, "syncButton").click()

    async def scenario() -> None:
        await until(lambda: main_window.controller.status.state == "success", what="sync success")
        await settle(main_window.bridge)

    run(scenario())
    online = sim.provider.stats()["online"]
    assert table.model().rowCount() == online > 0
    text = main_window.sync_status.text()
    assert text.startswith("Synced ")
    assert f"{online:,} proxies (+{online} −0)" in text
    assert "next in " in text


def test_failure_then_recovery_keeps_rows_and_says_why(main_window: Any, run: Any, sim: Any) -> None:
    controller = main_window.controller
    table = main_window.findChild(QTableView, "inventoryTable")

    async def sync_and_wait(state: str) -> None:
        assert controller.request_sync("timer")
        await until(lambda: not controller.busy and controller.status.state == state, what=state)
        await settle(main_window.bridge)

    run(sync_and_wait("success"))
    rows = table.model().rowCount()
    assert rows > 0

    sim.faults.add("list", faults.status(401), times="always")
    run(sync_and_wait("error"))
    text = main_window.sync_status.text()
    assert text.startswith("Sync failed: The provider rejected the API token (HTTP 401)")
    assert "retry in " in text
    assert table.model().rowCount() == rows  # the app keeps working on local data
    assert main_window.tray.history[-1][0] == "Provider sync failing"

    run(sync_and_wait("error"))  # still failing: no second notification
    assert [t for t, _ in main_window.tray.history].count("Provider sync failing") == 1

    sim.faults.clear()
    run(sync_and_wait("success"))
    assert main_window.sync_status.text().startswith("Synced ")
    assert main_window.tray.history[-1][0] == "Provider sync recovered"
    assert table.model().rowCount() == rows


def test_a_balance_refusal_reaches_the_tray_once_through_the_bridge(main_window: Any) -> None:
    bridge = main_window.bridge  # any tab (or the sync) reports on the bridge, not to the controller
    bridge.providerError.emit(BalanceTooLowError("The provider account balance is too low to buy this proxy."))
    bridge.providerError.emit(BalanceTooLowError("again"))  # within the quiet period
    bridge.providerError.emit(ProxyUnavailableError("gone"))  # not a shop-wide problem: no notice
    notices = [(t, m) for t, m in main_window.tray.history if t == "Provider balance too low"]
    assert len(notices) == 1 and "too low to buy" in notices[0][1] and "Top up" in notices[0][1]


def test_provider_unreachable_is_said_plainly(main_window: Any, run: Any, sim: Any) -> None:
    controller = main_window.controller
    sim.faults.add("list", faults.status(500), times="always")

    async def scenario() -> None:
        controller.request_sync("timer")
        await until(lambda: controller.status.state == "error" and not controller.busy)

    run(scenario())
    assert "The provider is failing (HTTP 500)" in main_window.sync_status.text()


def test_no_second_sync_while_one_runs(main_window: Any, run: Any, sim: Any) -> None:
    controller = main_window.controller
    button = main_window.findChild(QToolButton, "syncButton")
    sim.faults.add("list", faults.delay(0.5), times=1)

    async def scenario() -> None:
        button.click()
        await until(lambda: controller.status.state == "syncing")
        assert not button.isEnabled()  # the button is disabled while a sync runs
        assert controller.request_sync("manual") is False  # and a direct request is ignored
        main_window.sync_timer.timeout.emit()  # so is the timer
        await until(lambda: controller.status.state == "success" and not controller.busy)
        await settle(main_window.bridge)

    run(scenario())
    assert len(_sync_runs(main_window, run)) == 1
    assert button.isEnabled()


def test_manual_sync_failure_shows_a_dialog_timer_failure_does_not(
    main_window: Any, run: Any, sim: Any, message_boxes: list[dict[str, str]]
) -> None:
    controller = main_window.controller
    sim.faults.add("list", faults.status(401), times="always")

    async def sync(trigger: str) -> None:
        controller.request_sync(trigger)
        await until(lambda: controller.status.state == "error" and not controller.busy)
        await asyncio.sleep(0.05)  # let a queued dialog appear (it must not, for timer)

    run(sync("timer"))
    assert message_boxes == []
    run(sync("manual"))
    assert len(message_boxes) == 1
    assert "rejected the API token" in message_boxes[0]["text"]


def test_layout_is_remembered_in_the_data_dir(main_window: Any, bridge: Any) -> None:
    table = main_window.findChild(QTableView, "inventoryTable")
    table.horizontalHeader().resizeSection(1, 333)
    main_window.close()
    ini = bridge.shop.paths.data_dir / "window.ini"
    assert ini.exists()
    stored = QSettings(str(ini), QSettings.Format.IniFormat)
    assert stored.value("headers/inventoryTable") is not None
    assert stored.value("window/geometry") is not None


def test_run_gui_demo_opens_syncs_and_shuts_down(qapp: Any, monkeypatch: Any, engine: str) -> None:
    """The whole start-up sequence of `proxyshop-desktop --demo`, in-process: the window shows with
    the demo title and menu, a first sync starts by itself, closing shuts everything down."""
    import gc
    import sys
    import time

    from PySide6.QtWidgets import QApplication, QMenu

    from proxyshop_desktop import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    seen: dict[str, Any] = {}
    deadline = time.monotonic() + 60

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible()]
        if windows:
            window = windows[0]
            seen.setdefault("title", window.windowTitle())
            seen.setdefault("frozen", gc.get_freeze_count())
            seen.setdefault("first_state", window.controller.status.state)
            seen.setdefault("demo_menu", window.findChild(QMenu, "demoMenu") is not None)
            status = window.controller.status
            if status.state in ("success", "error") and not window.controller.busy:
                seen["status"] = window.sync_status.text()
                seen["rows"] = window.inventory_tab.model.rowCount()
                if seen["rows"] or status.state == "error" or time.monotonic() > deadline:
                    window.close()
                    return
        if time.monotonic() > deadline:
            for window in windows:
                window.close()
            return
        QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    try:
        code = app_module.run_gui(demo=True, argv=["proxyshop-desktop", "--demo"])
    finally:
        gc.collect()  # the run's qasync loop is garbage now: destroy it on this (the GUI) thread
    assert code == 0
    assert titled(seen["title"], engine) == "ProxyShop — DEMO (simulated provider)"
    assert seen["demo_menu"] is True
    assert seen["first_state"] == "syncing"  # the first sync started at once
    assert seen["status"].startswith("Synced "), seen["status"]
    assert 0 < seen["rows"] <= app_module.DEMO_PROXIES  # the online part of the demo catalogue
    assert seen["frozen"] > 0  # start-up objects were kept out of the window's GC passes
    assert gc.isenabled() and gc.get_freeze_count() == 0  # and given back on exit


def test_activity_log_shows_syncs_and_filters_failures(main_window: Any, run: Any, sim: Any) -> None:
    controller, log = main_window.controller, main_window.activity_tab

    async def sync(state: str) -> None:
        controller.request_sync("timer")
        await until(lambda: controller.status.state == state and not controller.busy)
        await settle(main_window.bridge)

    main_window.tabs.setCurrentWidget(log)  # a visible log refreshes on every change
    run(sync("success"))
    sim.faults.add("list", faults.status(401), times="always")
    run(sync("error"))
    kinds = [log.model.row_text(r)[1] for r in range(log.model.rowCount())]
    results = [log.model.row_text(r)[2] for r in range(log.model.rowCount())]
    assert kinds.count("sync") >= 2 and "failed" in results and "ok" in results
    log.failures_only.setChecked(True)
    run(settle(main_window.bridge))
    texts = [log.model.row_text(r) for r in range(log.model.rowCount())]
    assert texts and all(t[2] == "failed" for t in texts)
    assert any("401" in t[6] for t in texts)


def test_shortcut_actions(main_window: Any, run: Any) -> None:
    actions = {a.objectName(): a for a in main_window.actions()}
    assert actions["syncAction"].shortcuts()[0].toString() == "Ctrl+R"
    assert actions["syncAction"].shortcuts()[1].toString() == "F5"
    assert actions["sellAction"].shortcut().toString() == "Ctrl+S"
    assert actions["exportAction"].shortcut().toString() == "Ctrl+E"
    assert actions["findAction"].shortcut().toString() == "Ctrl+F"
    main_window.activateWindow()
    actions["findAction"].trigger()
    assert main_window.inventory_tab.isp_filter.hasFocus()
    main_window.tabs.setCurrentWidget(main_window.activity_tab)
    actions["findAction"].trigger()
    assert main_window.activity_tab.search.hasFocus()
    # Ctrl+Shift+R brings the Refunds tab forward; there the tab's own Refund button owns it.
    actions["refundAction"].trigger()
    assert main_window.tabs.currentWidget() is main_window.refunds_tab
    assert not actions["refundAction"].isEnabled()
    main_window.tabs.setCurrentWidget(main_window.inventory_tab)
    assert actions["refundAction"].isEnabled()
    run(settle(main_window.bridge))


def test_demo_menu_takes_a_sold_proxy_offline_and_churns(bridge: Any, sim: Any, run: Any) -> None:
    from PySide6.QtGui import QAction

    from proxyshop_desktop.ui.main_window import MainWindow

    window = MainWindow(bridge, demo_server=sim)
    try:
        notices: list[str] = []
        bridge.notice.connect(lambda _title, text: notices.append(text))
        outage = window.findChild(QAction, "demoOutageAction")
        churn = window.findChild(QAction, "demoChurnAction")
        assert outage is not None and churn is not None

        run(window.demo_actions.simulate_outage())
        assert notices[-1].startswith("Sell a proxy first")

        async def sell_then_outage() -> Any:
            await bridge.shop.sync()
            page = await bridge.shop.inventory(InventoryQuery())
            order = await bridge.shop.sell(page.rows[0].product_id)
            outage.trigger()
            await settle(bridge)
            return order

        order = run(sell_then_outage())
        assert f"of order {order.order_id} is now offline" in notices[-1]
        assert sim.provider.lookup(order.proxy_id)["status"] != 1
        check = run(bridge.shop.check_refund(order.order_id))
        assert check.refundable, check.reason

        before = sim.provider.stats()["catalogue"]
        churn.trigger()
        assert "Sync now to pick it up" in notices[-1]
        said = re.search(r"(\d+) offline, (\d+) changed, (\d+) new, (\d+) gone", notices[-1])
        assert said is not None, notices[-1]
        offline, changed, added, removed = map(int, said.groups())
        assert min(offline, changed, added, removed) >= 1  # 5 % of ~300 online proxies, in quarters
        assert sim.provider.stats()["catalogue"] == before + added - removed  # the notice tells the truth
    finally:
        run(window.shutdown())
        window.deleteLater()


def test_run_gui_without_a_token_opens_on_local_data(qapp: Any, monkeypatch: Any, engine: str) -> None:
    import gc
    import sys

    from PySide6.QtWidgets import QApplication

    from proxyshop_desktop import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    seen: dict[str, Any] = {}

    def poll() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow" and w.isVisible()]
        if windows and windows[0].controller.status.state == "no_token":
            seen["title"] = windows[0].windowTitle()
            seen["status"] = windows[0].sync_status.text()
            seen["timer"] = windows[0].sync_timer.isActive()
            windows[0].close()
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    try:
        code = app_module.run_gui(demo=False, argv=["proxyshop-desktop"])
    finally:
        gc.collect()
    assert code == 0
    seen["title"] = titled(seen["title"], engine)
    assert seen == {"title": "ProxyShop", "status": "No API token: set it in Settings", "timer": True}


def test_run_gui_refuses_a_broken_settings_file_with_a_dialog(qapp: Any, monkeypatch: Any) -> None:
    import gc
    import os
    import sys
    from pathlib import Path

    from PySide6.QtWidgets import QMessageBox

    from proxyshop_desktop import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    data_dir = Path(os.environ["PROXYSHOP_DATA_DIR"])
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_text('{"price": -1}')
    shown: list[tuple[str, str]] = []

    def fake_open(box: QMessageBox) -> None:
        shown.append((box.text(), box.informativeText()))
        box.done(int(QMessageBox.StandardButton.Ok))

    monkeypatch.setattr(QMessageBox, "open", fake_open)
    try:
        code = app_module.run_gui(demo=False, argv=["proxyshop-desktop"])
    finally:
        gc.collect()
    assert code == 2  # a usage/config error
    assert len(shown) == 1 and "price" in shown[0][0] and "settings.json" in shown[0][0]


def test_a_sync_starting_and_writing_leaves_the_table_where_it_is(main_window: Any, run: Any) -> None:
    """The indicator's Cancel button comes and goes with the listing: were the status bar to
    grow for it, the whole table would be laid out and repainted twice per sync (~15-20 ms each
    on the GUI thread while the sync writes: benchmarks/bench_gui.py)."""
    from proxyshop_desktop.ui.sync_controller import SyncStatus

    table = main_window.inventory_tab.table
    before = table.geometry()
    for status in (SyncStatus("syncing", phase="listing"), SyncStatus("syncing", phase="writing")):
        main_window.controller._set_status(status)
        run(asyncio.sleep(0.05))  # the status bar lays itself out
        assert main_window.sync_status.cancel_button.isVisible() == (status.phase == "listing")
        assert table.geometry() == before, status.phase
