"""The Sales tab: orders newest first, paged from the database, with search, credentials, exports
and Reconcile.

Dialogs that wait for the operator (save file, errors) run from plain Qt slots or a zero-delay
timer, never inside an asyncio task step: a nested Qt event loop there would let qasync start
another task step inside the running one.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QHideEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.export import skipped_message
from proxyshop_desktop.services.order_pages import OrderQuery
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.ui.async_dialogs import show_error_later
from proxyshop_desktop.ui.buttons import named_button
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.export_path import ask_export_path
from proxyshop_desktop.ui.export_progress import ExportProgressDialog
from proxyshop_desktop.ui.order_columns import status_word
from proxyshop_desktop.ui.orders_model import (
    SALES_COLUMNS,
    configure_view,
    remember_selection,
    restore_selection,
    selected_orders,
)
from proxyshop_desktop.ui.paged_orders import PagedOrdersModel
from proxyshop_desktop.ui.plain_text import plain, tooltip
from proxyshop_desktop.ui.problem_line import clear_problem, problem_line
from proxyshop_desktop.ui.proxy_check_action import ProxyCheckRunner
from proxyshop_desktop.ui.reconcile_text import describe_reconcile
from proxyshop_desktop.vocabulary import KEPT, ORDER_STATUSES, OrderStatus

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 300
_ATTENTION_STYLE = "QPushButton { background: #ffc107; color: #1a1a1a; font-weight: bold; }"


class SalesTab(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("salesTab")
        self._bridge = bridge
        self._load_failed = False
        self._pending = 0
        self.model = PagedOrdersModel(SALES_COLUMNS, self)  # pages of an SQL query

        self._build_filters()
        self._build_table_and_buttons()
        self._build_layout()
        self._build_actions_and_timers()
        self._connect()
        self._update_buttons()

    def _build_filters(self) -> None:
        self.search = QLineEdit(self)
        self.search.setObjectName("salesSearch")
        self.search.setPlaceholderText(self.tr("Search order id, customer or IP"))
        self.search.setAccessibleName(self.tr("Search orders"))
        self.search.setClearButtonEnabled(True)
        self.operator_filter = QLineEdit(self)  # a shared database: whose sales
        self.operator_filter.setObjectName("salesOperatorFilter")
        self.operator_filter.setPlaceholderText(self.tr("Operator"))
        self.operator_filter.setAccessibleName(self.tr("Operator filter"))
        self.operator_filter.setClearButtonEnabled(True)
        self.status_filter = QComboBox(self)
        self.status_filter.setObjectName("salesStatusFilter")
        self.status_filter.setAccessibleName(self.tr("Order status filter"))
        self.status_filter.addItem(self.tr("All statuses"), None)
        for status in ORDER_STATUSES:  # the core's states, in the operator's words
            word = status_word(status)
            self.status_filter.addItem(word[:1].upper() + word[1:], status.value)
        self.count_label = plain(QLabel(self))
        self.count_label.setObjectName("salesCount")

    def _build_table_and_buttons(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("salesTable")
        self.table.setAccessibleName(self.tr("Orders"))
        configure_view(self.table, self.model)

        self.copy_button = named_button(self, "copyCredentialsButton", self.tr("Copy credentials"))
        self.copy_button.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.copy_button.setToolTip(
            self.tr("Copy ip:port:login:password of the selected orders (Ctrl+Shift+C)")
        )
        self.show_button = named_button(self, "showCredentialsButton", self.tr("Show credentials"))
        self.export_csv_button = named_button(self, "exportCsvButton", self.tr("Export CSV"))
        self.export_txt_button = named_button(self, "exportTxtButton", self.tr("Export TXT"))
        for button in (self.export_csv_button, self.export_txt_button):
            button.setToolTip(self.tr("Export the selected sold orders, or every sold order shown"))
        self.reconcile_button = named_button(self, "reconcileButton", self.tr("Reconcile"))
        self.reconcile_button.setToolTip(
            self.tr(
                "Compare local orders with the provider's purchase record and settle pending orders"
            )
        )
        self.proxy_check = ProxyCheckRunner(self._bridge, self, "sales")  # + its detail line
        self.message = plain(QLabel(self))
        self.message.setObjectName("salesMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

    def _build_layout(self) -> None:
        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.operator_filter)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (
            self.copy_button,
            self.show_button,
            self.export_csv_button,
            self.export_txt_button,
            self.proxy_check.button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reconcile_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.proxy_check.history_label)
        layout.addWidget(self.message)

    def _build_actions_and_timers(self) -> None:
        for text, slot in (
            (self.tr("Copy credentials"), self.copy_credentials),
            (self.tr("Show credentials"), self.show_credentials),
        ):
            action = QAction(text, self.table)
            action.triggered.connect(slot)
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.table.doubleClicked.connect(lambda _index: self.show_credentials())

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.schedule_refresh)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.operator_filter.textChanged.connect(lambda _text: self._search_timer.start())
        # Only the countdown column repaints each second (dataChanged), never a model reset.
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setObjectName("salesCountdownTimer")
        self.countdown_timer.setInterval(1000)
        self.countdown_timer.timeout.connect(self.model.tick)

    def _connect(self) -> None:
        self.copy_button.clicked.connect(self.copy_credentials)
        self.show_button.clicked.connect(self.show_credentials)
        self.export_csv_button.clicked.connect(lambda: self.export("csv"))
        self.export_txt_button.clicked.connect(lambda: self.export("txt"))
        self.reconcile_button.clicked.connect(self.reconcile)
        self.proxy_check.button.clicked.connect(self.check_proxy)
        self.proxy_check.checked.connect(lambda _id, text, _works: self.say(text))
        self.proxy_check.failed.connect(lambda _id, text: self.say(text))
        self.table.selectionModel().selectionChanged.connect(
            lambda *_: self.proxy_check.select(self._single_selected()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.model.modelReset.connect(self._update_buttons)
        self.model.moreWanted.connect(lambda: self._bridge.start("sales.more", self._load_more()))
        self.model.sortWanted.connect(self.schedule_refresh)
        self._bridge.ordersChanged.connect(self.schedule_refresh)
        self._bridge.settingsChanged.connect(self.schedule_refresh)  # the refund window may have changed

    # --- loading ------------------------------------------------------------------------------

    def schedule_refresh(self) -> None:
        """A newer refresh supersedes a running one (search typed while the last query ran)."""
        self._bridge.start("sales.refresh", self.refresh(), replace=True)

    async def refresh(self) -> None:
        self.model.set_filter(self.search.text().strip() or None, self.status_filter.currentData(),
                              self.operator_filter.text().strip() or None)
        shop = self._bridge.shop
        try:
            page = await shop.order_page(self.model.refresh_query())
            pending = (await shop.order_page(OrderQuery(status=OrderStatus.PENDING, limit=1))).total
        except Exception as exc:  # shown in the tab: a refresh runs on signals, no dialog storms
            log.warning("sales refresh failed", exc_info=not isinstance(exc, ShopError))
            self.say(*problem_line(self.tr("Could not load orders: {0}"), exc))
            self._load_failed = True
            return
        if self._load_failed:  # the problem is over: do not leave its message up
            self._load_failed = False
            clear_problem(self.message)
        state = remember_selection(self.table)
        self.model.set_page(page.orders, page.total)
        restore_selection(self.table, state)
        self.count_label.setText(self.tr("Orders: {0}").format(page.total))
        self._set_pending(pending)

    async def _load_more(self) -> None:
        """The next page, asked for by the view scrolling near the last loaded row."""
        try:
            page = await self._bridge.shop.order_page(self.model.next_query())
        except Exception as exc:
            self.model.fetch_failed()
            self.say(*problem_line(self.tr("Could not load orders: {0}"), exc))
            return
        self.model.append_orders(page.orders, page.total)

    def _set_pending(self, pending: int) -> None:
        self._pending = pending
        if pending:
            self.reconcile_button.setText(self.tr("Reconcile ({0} pending)").format(pending))
            self.reconcile_button.setStyleSheet(_ATTENTION_STYLE)
        else:
            self.reconcile_button.setText(self.tr("Reconcile"))
            self.reconcile_button.setStyleSheet("")
        self.reconcile_button.setProperty("attention", bool(pending))

    @property
    def pending_count(self) -> int:
        return self._pending

    def showEvent(self, event: QShowEvent) -> None:
        self.model.tick()
        self.countdown_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.countdown_timer.stop()
        super().hideEvent(event)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- selection and credentials ------------------------------------------------------------

    def selected_orders(self) -> list[OrderView]:
        return selected_orders(self.table)

    def _update_buttons(self) -> None:
        has_credentials = any(o.credentials is not None for o in self.selected_orders())
        self.copy_button.setEnabled(has_credentials)
        self.show_button.setEnabled(has_credentials)
        exporting = self._bridge.is_running("sales.export")
        self.export_csv_button.setEnabled(not exporting)
        self.export_txt_button.setEnabled(not exporting)
        self.reconcile_button.setEnabled(not self._bridge.is_running("sales.reconcile"))

    def _single_selected(self) -> OrderView | None:
        orders = self.selected_orders()
        return orders[0] if len(orders) == 1 else None

    def check_proxy(self) -> None:
        order = self._single_selected()
        if order is None or order.credentials is None:
            return
        if self.proxy_check.start(order.order_id):
            self.say(self.tr("Checking the proxy of {0}…").format(order.order_id))

    def copy_credentials(self) -> None:
        orders = [o for o in self.selected_orders() if o.credentials is not None]
        if not orders:
            self.say(self.tr("Select sold orders to copy their credentials."))
            return
        QGuiApplication.clipboard().setText(
            "\n".join(o.credentials.line for o in orders if o.credentials)
        )
        if len(orders) == 1:
            self.say(
                self.tr("Copied the credentials of {0} to the clipboard.").format(
                    orders[0].order_id
                )
            )
        else:
            lines = len(orders)  # pyside6-lupdate reads only a plain name as the count
            self.say(self.tr("Copied %n credential lines to the clipboard.", "", lines))

    def show_credentials(self) -> None:
        orders = [o for o in self.selected_orders() if o.credentials is not None]
        if not orders:
            self.say(self.tr("Select sold orders to show their credentials."))
            return
        from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog  # the shell's dialog

        dialog = CredentialsDialog(orders, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # --- export -------------------------------------------------------------------------------

    def export_order_ids(self) -> list[str] | None:
        """The selected exportable orders, or every exportable order the filter shows (None:
        more than are loaded; the core finds them when the export runs)."""
        selected = self.selected_orders()
        if not selected and self.model.rowCount() < self.model.total:
            return None
        source = selected if selected else self.model.orders()
        return [o.order_id for o in source if o.status in KEPT]

    def export(self, fmt: str) -> None:
        if self._bridge.is_running("sales.export"):
            return
        ids = self.export_order_ids()
        if ids is not None and not ids:
            self.say(self.tr("Nothing to export: only sold or recovered orders are exported."))
            return
        path = ask_export_path(self, fmt, self._bridge.shop.paths.exports_dir)
        if path is None:
            return
        progress = ExportProgressDialog(self)
        task = self._bridge.start("sales.export", self._run_export(fmt, path, ids, progress))
        progress.follow(task)
        self._update_buttons()

    async def _run_export(
        self, fmt: str, path: Path, ids: list[str] | None, progress: ExportProgressDialog
    ) -> None:
        shop = self._bridge.shop
        try:
            if ids is None and self.model.filtered:
                ids = await shop.kept_order_ids(self.model.query())
            result = await shop.export(  # ids None: every exportable order
                fmt, path, order_ids=ids, progress=progress.update_progress
            )
        except asyncio.CancelledError:
            if not progress.cancelled_by_operator:
                raise  # the window is closing
            self.say(self.tr("Export cancelled: nothing was written to {0}.").format(path))
            return
        except Exception as exc:
            self.report_error(exc)
            return
        finally:
            progress.finish()
            QTimer.singleShot(0, self, self._update_buttons)  # after the task is marked done
        exported = result.count  # pyside6-lupdate reads only a plain name as the count
        text = self.tr("Exported %n orders to {0}", "", exported).format(result.path)
        if result.skipped:
            text += ". " + core_text(skipped_message(result.skipped, result.skipped_count))
        self.say(text)

    # --- reconcile ----------------------------------------------------------------------------

    def reconcile(self) -> None:
        if self._bridge.is_running("sales.reconcile"):
            return
        self.say(self.tr("Reconciling with the provider's purchase record…"))
        self._bridge.start("sales.reconcile", self._run_reconcile())
        self._update_buttons()

    async def _run_reconcile(self) -> None:
        try:
            result = await self._bridge.shop.reconcile()
        except Exception as exc:
            self.say(*problem_line(self.tr("Reconcile failed: {0}"), exc))
            self.report_error(exc)
            return
        finally:
            QTimer.singleShot(0, self, self._update_buttons)
        self.say(describe_reconcile(result))
        self._bridge.ordersChanged.emit()

    # --- feedback -----------------------------------------------------------------------------

    def say(self, text: str, details: str = "") -> None:
        """A short result line in the tab, and in the window's status bar when there is one;
        `details` (all of an error) in the line's tooltip."""
        self.message.setText(text)
        self.message.setToolTip(tooltip(details))
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def report_error(self, exc: BaseException) -> None:
        show_error_later(self, exc)  # never exec() a dialog inside the running task
