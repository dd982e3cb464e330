"""The main window: tabs, toolbar, menus, shortcuts, status bar. It wires parts together and holds
no shop logic of its own (each tab owns its widgets; the SyncController owns syncing).

Layout (geometry, header and splitter states) is kept in an INI file inside the data dir, so a
demo or a test run never touches the operator's real window layout.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolBar,
    QWidget,
)

from proxyshop_desktop import __version__
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.ui.activity_log import ActivityLog
from proxyshop_desktop.ui.alerts_pump import AlertPump
from proxyshop_desktop.ui.async_dialogs import exec_async
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.cleartext import CleartextMarker
from proxyshop_desktop.ui.icons import app_icon, icon
from proxyshop_desktop.ui.inventory_tab import InventoryTab
from proxyshop_desktop.ui.plain_text import plain_label, tooltip
from proxyshop_desktop.ui.refunds_tab import RefundsTab
from proxyshop_desktop.ui.sales_tab import SalesTab
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from proxyshop_desktop.ui.stats_tab import StatsTab
from proxyshop_desktop.ui.sync_controller import SyncController
from proxyshop_desktop.ui.sync_status import SyncStatusWidget, server_name
from proxyshop_desktop.ui.tray import Tray

log = logging.getLogger(__name__)

NOTICE_MS = 15_000


def window_title(demo: bool, operator: str, server: str | None) -> str:
    """"ProxyShop", or on a shared database "ProxyShop — anna @ db.example:5432/shop": with
    several operators on one shop, whose window this is and which shop it works on."""
    translate = QCoreApplication.translate
    title = (translate("MainWindow", "ProxyShop — DEMO (simulated provider)") if demo
             else translate("MainWindow", "ProxyShop"))
    return title if server is None else f"{title} — {operator} @ {server}"


class MainWindow(QMainWindow):
    closed = Signal()  # the window was closed: the app shuts down

    def __init__(self, bridge: ShopBridge, *, demo_server: Any = None) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.bridge = bridge
        self.setWindowIcon(app_icon())
        self.layout_settings = QSettings(str(bridge.shop.paths.window_layout),
                                         QSettings.Format.IniFormat, self)

        self.controller = SyncController(bridge, self)
        self.sync_timer = self.controller.timer
        self.alert_pump = AlertPump(bridge, self)  # Telegram alerts, off the GUI thread

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setAccessibleName(self.tr("Main tabs"))
        self.tabs.setDocumentMode(True)
        self.inventory_tab = InventoryTab(bridge, self)
        self.sales_tab = SalesTab(bridge, self)
        self.refunds_tab = RefundsTab(bridge, self)
        self.stats_tab = StatsTab(bridge, self)
        self.activity_tab = ActivityLog(bridge, self)
        self.tabs.addTab(self.inventory_tab, self.tr("Inventory"))
        self.tabs.addTab(self.sales_tab, self.tr("Sales"))
        self.tabs.addTab(self.refunds_tab, self.tr("Refunds"))
        self.tabs.addTab(self.stats_tab, self.tr("Stats"))
        self.tabs.addTab(self.activity_tab, icon("activity"), self.tr("Activity"))
        self.setCentralWidget(self.tabs)

        self._build_actions()
        self._build_toolbar()
        self._build_menus(demo_server)
        self.sync_status = SyncStatusWidget(self.controller, self)
        self.statusBar().setObjectName("statusBar")
        self.statusBar().addPermanentWidget(self.sync_status)
        self.cleartext_marker = CleartextMarker(bridge, self)  # shown while the URL is plain http
        self.statusBar().addPermanentWidget(self.cleartext_marker)
        self.identity_mark = plain_label("", self)  # shared database: operator @ server
        self.identity_mark.setObjectName("identityMark")
        self.statusBar().addPermanentWidget(self.identity_mark)
        self._show_identity()
        self.tray = Tray(self, self.sync_action)

        self.controller.busyChanged.connect(self._busy_changed)
        self.controller.trayMessage.connect(self.tray.notify)
        bridge.providerError.connect(self.tray.provider_error)
        bridge.notice.connect(self._show_notice)
        bridge.settingsChanged.connect(self._show_identity)  # the operator's name may have changed
        self.tabs.currentChanged.connect(self._tab_changed)
        self.restore_layout()
        self._tab_changed(self.tabs.currentIndex())

    # --- construction ----------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot: Any, shortcuts: tuple[str, ...] = (),
                icon_name: str | None = None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if icon_name:
            action.setIcon(icon(icon_name))
        if shortcuts:
            action.setShortcuts([QKeySequence(s) for s in shortcuts])
            action.setToolTip(f"{text} ({', '.join(shortcuts)})")
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)  # shortcuts work whatever has the focus
        return action

    def _build_actions(self) -> None:
        self.sync_action = self._action("syncAction", self.tr("Sync now"), self.sync_now, ("Ctrl+R", "F5"), "sync")
        self.cleanup_action = self._action("cleanupAction", self.tr("Cleanup"), self.cleanup, (), "cleanup")
        self.cleanup_action.setToolTip(self.tr("Remove proxies that are offline or gone at the provider"))
        self.settings_action = self._action("settingsAction", self.tr("Settings…"), self.open_settings,
                                            ("Ctrl+,",), "settings")
        self.sell_action = self._action("sellAction", self.tr("Sell…"), self.sell, ("Ctrl+S",), "sell")
        # The Refunds tab's own button owns Ctrl+Shift+R while that tab is shown; this action
        # only brings the tab forward from elsewhere (two live shortcuts would be ambiguous).
        self.refund_action = self._action("refundAction", self.tr("Refunds…"), self.go_refunds,
                                          ("Ctrl+Shift+R",), "refund")
        self.export_action = self._action("exportAction", self.tr("Export CSV…"), self.export, ("Ctrl+E",),
                                          "export")
        self.find_action = self._action("findAction", self.tr("Find"), self.focus_search, ("Ctrl+F",), "find")
        self.quit_action = self._action("quitAction", self.tr("Quit"), self.close, ("Ctrl+Q",))

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Actions"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        for action, name, accessible in (
            (self.sync_action, "syncButton", self.tr("Sync now")),
            (self.cleanup_action, "cleanupButton", self.tr("Cleanup")),
            (self.settings_action, "settingsButton", self.tr("Settings")),
        ):
            toolbar.addAction(action)
            button = toolbar.widgetForAction(action)
            button.setObjectName(name)
            button.setAccessibleName(accessible)
        self.sync_button = toolbar.widgetForAction(self.sync_action)
        self.cleanup_button = toolbar.widgetForAction(self.cleanup_action)

    def _build_menus(self, demo_server: Any) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        shop_menu = bar.addMenu(self.tr("&Shop"))
        for action in (self.sync_action, self.cleanup_action, None, self.sell_action,
                       self.refund_action, self.export_action, None, self.find_action):
            shop_menu.addSeparator() if action is None else shop_menu.addAction(action)
        if demo_server is not None:
            from proxyshop_desktop.ui.demo_actions import DemoActions

            self.demo_actions = DemoActions(self.bridge, demo_server, self)
            self.demo_actions.add_menu(bar)
        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(self.tr("About ProxyShop"), self.about)

    # --- start and stop --------------------------------------------------------------------------

    def start(self, *, first_sync: bool, has_token: bool = True) -> None:
        """After show(): load every tab's data and start the sync timer."""
        self.inventory_tab.schedule_refresh()
        self.sales_tab.schedule_refresh()
        self.refunds_tab.schedule_refresh()
        # The Stats tab's charts cost ~50 ms of the GUI thread, in the middle of the start-up sync:
        # it loads when shown (a hidden tab only remembers it is stale).
        self.stats_tab.mark_stale()
        if not (first_sync and has_token):
            self.bridge.start("sync.last_run", self.controller.load_last_run(), replace=True)
        self.controller.start(first_sync=first_sync, has_token=has_token)

    async def shutdown(self) -> None:
        self.sync_timer.stop()
        self.alert_pump.timer.stop()
        self.tray.hide()
        await self.bridge.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        self.sync_timer.stop()
        super().closeEvent(event)
        self.closed.emit()

    # --- layout memory ---------------------------------------------------------------------------

    def save_layout(self) -> None:
        s = self.layout_settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/tab", self.tabs.currentIndex())
        for table in self.findChildren(QTableView):
            if table.objectName():
                s.setValue(f"headers/{table.objectName()}", table.horizontalHeader().saveState())
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName():
                s.setValue(f"splitters/{splitter.objectName()}", splitter.saveState())
        s.sync()

    def restore_layout(self) -> None:
        s = self.layout_settings
        if (geometry := s.value("window/geometry")) is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if (state := s.value("window/state")) is not None:
            self.restoreState(state)
        for table in self.findChildren(QTableView):
            if table.objectName() and (header := s.value(f"headers/{table.objectName()}")) is not None:
                table.horizontalHeader().restoreState(header)
        for splitter in self.findChildren(QSplitter):
            if splitter.objectName() and (state := s.value(f"splitters/{splitter.objectName()}")) is not None:
                splitter.restoreState(state)
        tab = s.value("window/tab")
        if tab is not None and 0 <= int(tab) < self.tabs.count():
            self.tabs.setCurrentIndex(int(tab))

    # --- actions ---------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if not self.controller.request_sync("manual"):
            self.statusBar().showMessage(self.tr("A sync is already running."), 5000)

    def cleanup(self) -> None:
        if not self.controller.request_cleanup():
            self.statusBar().showMessage(self.tr("Wait for the running sync to finish."), 5000)

    def sell(self) -> None:
        if self.tabs.currentWidget() is not self.inventory_tab:
            self.tabs.setCurrentWidget(self.inventory_tab)
            self.inventory_tab.table.setFocus()
            return
        self.inventory_tab.sell_selected()

    def go_refunds(self) -> None:
        self.tabs.setCurrentWidget(self.refunds_tab)

    def export(self) -> None:
        self.tabs.setCurrentWidget(self.sales_tab)
        button = self.sales_tab.findChild(QPushButton, "exportCsvButton")
        if button is not None and button.isEnabled():
            button.click()

    def focus_search(self) -> None:
        tab = self.tabs.currentWidget()
        focus = getattr(tab, "focus_search", None)
        if focus is not None:
            focus()
        elif (edit := tab.findChild(QLineEdit)) is not None:
            edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
            edit.selectAll()

    def open_settings(self) -> None:
        if not self.bridge.is_running("settings.dialog"):
            self.bridge.start("settings.dialog", self._settings_dialog())

    async def _settings_dialog(self) -> None:
        dialog = SettingsDialog(self.bridge, self)
        status = self.bridge.start("settings.token_status", dialog.load_token_status(), replace=True)
        try:
            await exec_async(dialog)
        finally:
            status.cancel()  # a keyring still answering must not write into a deleted dialog
            dialog.deleteLater()

    def about(self) -> None:
        text = self.tr("ProxyShop Desktop {0}\nThe admin application of a SOCKS5 proxy reselling shop.")
        QMessageBox.about(self, self.tr("About ProxyShop"), text.format(__version__))

    # --- reactions -------------------------------------------------------------------------------

    def _busy_changed(self, busy: bool) -> None:
        self.sync_action.setEnabled(not busy)
        self.cleanup_action.setEnabled(not busy)

    def _tab_changed(self, index: int) -> None:
        self.refund_action.setEnabled(self.tabs.widget(index) is not self.refunds_tab)

    def _show_identity(self) -> None:
        server, operator = server_name(self.bridge.shop.store.target), current_operator()
        self.setWindowTitle(window_title(self.bridge.demo, operator, server))
        self.identity_mark.setVisible(server is not None)
        if server is not None:
            self.identity_mark.setText(f"{operator} @ {server}")
            self.identity_mark.setToolTip(tooltip(self.tr(
                "A shared database: this window works on {1} as operator {0}, and every sale and "
                "refund made here records that name (Settings › Database).").format(operator, server)))

    def _show_notice(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}: {message}" if message else title, NOTICE_MS)

    def current_tab(self) -> QWidget:
        return self.tabs.currentWidget()
