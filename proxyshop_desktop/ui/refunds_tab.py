"""The Refunds tab: orders still inside their refund window (with the time left), Check and
Refund, and the refunded orders below with the exact total.

The rules are the core's (`Shop.check_refund` / `Shop.refund`); this tab makes them visible: the
answer of a check, or the reason for a refusal, is shown in words next to the table. Confirmation
and error dialogs run from Qt slots or a zero-delay timer, never inside an asyncio task step.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.results import OrderView, RefundCheckResult
from proxyshop_desktop.ui import formatting, proxy_check_action
from proxyshop_desktop.ui.async_dialogs import show_error_later
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.orders_model import (
    Col,
    OrdersModel,
    configure_view,
    remember_selection,
    restore_selection,
    selected_orders,
)
from proxyshop_desktop.ui.plain_text import plain, plain_label, tooltip
from proxyshop_desktop.ui.problem_line import clear_problem, problem_line
from proxyshop_desktop.ui.proxy_check_action import ProxyCheckRunner
from proxyshop_desktop.ui.refund_panel import RefundPanel, action_button
from proxyshop_desktop.vocabulary import SETTLED_BY_HAND

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge

log = logging.getLogger(__name__)

IN_WINDOW_COLUMNS = (Col.ORDER_ID, Col.TIME_LEFT, Col.CUSTOMER, Col.PROXY, Col.COUNTRY, Col.PRICE,
                     Col.PURCHASED, Col.OPERATOR)
REFUNDED_COLUMNS = (Col.ORDER_ID, Col.CUSTOMER, Col.OPERATOR, Col.PROXY, Col.COUNTRY, Col.PURCHASED,
                    Col.REFUNDED_AT, Col.REFUND_AMOUNT)
#: typing in the operator filter: one refresh once it pauses this long
FILTER_DEBOUNCE_MS = 300
#: refunded orders loaded per page (the latest refunds first)
REFUNDED_PAGE = 200


class RefundsTab(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("refundsTab")
        self._bridge = bridge
        self._load_failed = False
        self._refunded_pages = 1  # pages of refunded orders shown
        self.total_refunded = Decimal("0.00")
        self.model = OrdersModel(
            IN_WINDOW_COLUMNS, self, sort=(Col.TIME_LEFT, Qt.SortOrder.AscendingOrder)
        )
        self.refunded_model = OrdersModel(
            REFUNDED_COLUMNS, self, sort=(Col.REFUNDED_AT, Qt.SortOrder.DescendingOrder)
        )
        # Check proxy: connect through the sold proxy; its stored checks are the detail line.
        self.proxy_check = ProxyCheckRunner(bridge, self, "refunds")
        self._refund_after_check: OrderView | None = None  # "Check proxy first" chosen for it
        self.panel = RefundPanel(self.proxy_check, self)
        self.check_button, self.refund_button = self.panel.check_button, self.panel.refund_button
        self.mark_refunded_button = self.panel.mark_refunded_button
        self.mark_not_refunded_button = self.panel.mark_not_refunded_button
        self.answer = self.panel.answer

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("refundsSplitter")
        splitter.addWidget(self._build_in_window())
        splitter.addWidget(self._build_refunded())
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.message = plain(QLabel(self))
        self.message.setObjectName("refundsMessage")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._build_filters())
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)

        self.countdown_timer = QTimer(self)
        self.countdown_timer.setObjectName("refundsCountdownTimer")
        self.countdown_timer.setInterval(1000)
        self.countdown_timer.timeout.connect(self.tick)
        self._connect(bridge)
        self._update_buttons()

    def _build_filters(self) -> QHBoxLayout:
        self.operator_filter = QLineEdit(self)  # a shared database: whose sales
        self.operator_filter.setObjectName("refundsOperatorFilter")
        self.operator_filter.setPlaceholderText(self.tr("Operator"))
        self.operator_filter.setAccessibleName(self.tr("Operator filter"))
        self.operator_filter.setToolTip(self.tr("Only the orders this operator sold"))
        self.operator_filter.setClearButtonEnabled(True)
        self._filter_timer = QTimer(self)  # typing is one refresh, not one per key
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DEBOUNCE_MS)
        self._filter_timer.timeout.connect(self._filter_changed)
        self.operator_filter.textChanged.connect(lambda _text: self._filter_timer.start())
        self.in_window_label = plain(QLabel(self))
        self.in_window_label.setObjectName("refundsInWindowCount")
        row = QHBoxLayout()
        row.addWidget(self.in_window_label, 1)
        row.addWidget(self.operator_filter)
        return row

    def _build_in_window(self) -> QWidget:
        self.table = QTableView(self)
        self.table.setObjectName("refundsTable")
        self.table.setAccessibleName(self.tr("Orders inside their refund window"))
        configure_view(self.table, self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        top = QWidget(self)
        row = QHBoxLayout(top)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.table, 3)
        row.addWidget(self.panel, 1)
        return top

    def _build_refunded(self) -> QWidget:
        self.refunded_table = QTableView(self)
        self.refunded_table.setObjectName("refundedTable")
        self.refunded_table.setAccessibleName(self.tr("Refunded orders"))
        configure_view(self.refunded_table, self.refunded_model)
        self.total_label = plain(QLabel(self))
        self.total_label.setObjectName("refundedTotal")
        self.total_label.setAccessibleName(self.tr("Total refunded"))
        bottom = QWidget(self)
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(plain_label(self.tr("Refunded orders"), bottom))
        heading.addStretch(1)
        heading.addWidget(self.total_label)
        bottom_layout.addLayout(heading)
        bottom_layout.addWidget(self.refunded_table, 1)
        self.more_refunded_button = action_button(self, "moreRefundedButton", self.tr("Show more"))
        self.more_refunded_button.hide()
        self.more_refunded_button.clicked.connect(self.show_more_refunded)
        bottom_layout.addWidget(self.more_refunded_button)
        return bottom

    def _connect(self, bridge: ShopBridge) -> None:
        self.check_button.clicked.connect(self.check)
        self.proxy_check.button.clicked.connect(self.check_proxy)
        self.proxy_check.checked.connect(self._proxy_checked)
        self.proxy_check.failed.connect(self._proxy_check_failed)
        self.refund_button.clicked.connect(self.refund)
        self.mark_refunded_button.clicked.connect(lambda: self.settle(refunded=True))
        self.mark_not_refunded_button.clicked.connect(lambda: self.settle(refunded=False))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(lambda *_: self._update_buttons())
        bridge.ordersChanged.connect(self.schedule_refresh)
        bridge.settingsChanged.connect(self.schedule_refresh)  # the refund window may have changed

    # --- loading ------------------------------------------------------------------------------

    def operator(self) -> str | None:
        """The operator filter: only the orders they sold (None: everyone's)."""
        return self.operator_filter.text().strip() or None

    def _filter_changed(self) -> None:
        self._refunded_pages = 1
        self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._bridge.start("refunds.refresh", self.refresh(), replace=True)

    async def refresh(self) -> None:
        try:
            shop = self._bridge.shop
            # Only what a refund can act on, and the latest refunds a page at a time: the cost
            # follows what is shown, not the length of the shop's history.
            operator = self.operator()
            in_window = await shop.refund_candidates(operator)
            page = await shop.refunded_page(1, REFUNDED_PAGE * self._refunded_pages, operator)
            count, total = await shop.refunded_total(operator)
        except Exception as exc:
            log.warning("refunds refresh failed", exc_info=not isinstance(exc, ShopError))
            self.say(*problem_line(self.tr("Could not load orders: {0}"), exc))
            self._load_failed = True
            return
        if self._load_failed:  # the problem is over: do not leave its message up
            self._load_failed = False
            clear_problem(self.message)
        refunded = page.orders
        for view, model, rows in (
            (self.table, self.model, in_window),
            (self.refunded_table, self.refunded_model, refunded),
        ):
            state = remember_selection(view)
            model.set_orders(rows)
            restore_selection(view, state)
        self.in_window_label.setText(
            self.tr("Inside the refund window ({0} min): {1}").format(
                self._bridge.shop.settings.refund_window_minutes, len(in_window)
            )
        )
        self.total_label.setText(
            self.tr("Total refunded: {0} · orders: {1}").format(formatting.money(total), count)
        )
        self.total_refunded = total
        self.more_refunded_button.setVisible(page.next_page is not None)
        self.more_refunded_button.setText(
            self.tr("Show {0} more of {1}").format(min(REFUNDED_PAGE, page.remaining), page.remaining))

    def show_more_refunded(self) -> None:
        self._refunded_pages += 1
        self.schedule_refresh()

    def tick(self) -> None:
        """Each second: repaint the countdowns, drop the orders whose window just ended."""
        ended = self.model.tick()
        if ended:
            self.model.remove_order_ids(ended)

    def showEvent(self, event: QShowEvent) -> None:
        self.tick()
        self.countdown_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.countdown_timer.stop()
        super().hideEvent(event)

    # --- actions ------------------------------------------------------------------------------

    def selected_order(self) -> OrderView | None:
        orders = selected_orders(self.table)
        return orders[0] if orders else None

    def _busy(self) -> bool:
        return any(self._bridge.is_running(f"refunds.{task}") for task in ("check", "refund", "settle"))

    def _selection_changed(self) -> None:
        self._update_buttons()
        order = self.selected_order()
        self.proxy_check.select(order)
        if order is not None and order.status in SETTLED_BY_HAND:
            self.panel.explain_unknown(order)

    def _update_buttons(self) -> None:
        self.panel.update_buttons(self.selected_order(), self._busy())

    def check(self) -> None:
        order = self.selected_order()
        if order is None or self._busy():
            return
        self.answer.setText(self.tr("Asking the provider about {0}…").format(order.order_id))
        self._bridge.start("refunds.check", self._run_check(order.order_id))
        self._update_buttons()

    async def _run_check(self, order_id: str) -> None:
        try:
            result = await self._bridge.shop.check_refund(order_id)
        except Exception as exc:
            self.answer.setText(self.tr("Could not check {0}: {1}").format(order_id, describe(exc)))
            if not isinstance(exc, ShopError):
                self.report_error(exc)
            return
        finally:
            QTimer.singleShot(0, self, self._update_buttons)
        self.answer.setText(self.describe_check(result))

    def describe_check(self, result: RefundCheckResult) -> str:
        return self.panel.describe_check(result)

    def refund(self) -> None:
        order = self.selected_order()
        if order is not None:
            self._ask_refund(order)

    def _ask_refund(self, order: OrderView, checked: str = "") -> None:
        """The confirmation (with a check's outcome once one answered), then the refund."""
        if self._busy():
            return
        answer = self._confirm_refund(order, checked)
        if answer == "check":  # the check's outcome asks again
            self._refund_after_check = order
            self.proxy_check.start(order.order_id, context=f"before a refund of {order.order_id}")
            self.answer.setText(
                self.tr("Checking the proxy of {0} first…").format(order.order_id))
            return
        if answer != "yes":
            self.say(self.tr("Refund of {0} cancelled.").format(order.order_id))
            return
        self.answer.setText(self.tr("Refunding {0}…").format(order.order_id))
        self._bridge.start("refunds.refund", self._run_refund(order.order_id))
        self._update_buttons()

    def _confirm_refund(self, order: OrderView, checked: str = "") -> str:
        """"yes", "no", or "check" (Check proxy first: offered until a check answered)."""
        text = self.tr("Refund {0} for {1}?").format(order.order_id, formatting.money(order.price))
        offer = not checked and order.credentials is not None and not self.proxy_check.running()
        return proxy_check_action.ask_refund(self, f"{checked}\n\n{text}" if checked else text,
                                             offer_check=offer)

    def check_proxy(self) -> None:
        order = self.selected_order()
        if order is None or order.credentials is None:
            return
        if self.proxy_check.start(order.order_id):
            self.answer.setText(self.tr("Checking the proxy of {0}…").format(order.order_id))

    def _proxy_checked(self, order_id: str, text: str, works: bool) -> None:
        self.answer.setText(text)
        self.say(text)
        order, self._refund_after_check = self._refund_after_check, None
        if order is not None and order.order_id == order_id:
            QTimer.singleShot(0, self, lambda: self._ask_refund(order, text))

    def _proxy_check_failed(self, order_id: str, text: str) -> None:
        self.answer.setText(text)
        self._refund_after_check = None

    async def _run_refund(self, order_id: str) -> None:
        try:
            result = await self._bridge.shop.refund(order_id)
        except Exception as exc:
            self.answer.setText(
                self.tr("{0} was not refunded: {1}").format(order_id, describe(exc))
            )
            self.report_error(exc)
            if isinstance(exc, ShopError):  # the order may have changed (refund unknown, say)
                self._bridge.ordersChanged.emit()
            return
        finally:
            QTimer.singleShot(0, self, self._update_buttons)
        text = self.tr("Refunded {0}: {1} back to the customer.").format(
            order_id, formatting.money(result.refund_amount)
        )
        self.answer.setText(text)
        self.say(text)
        self.model.remove_order_ids([order_id])
        self._bridge.ordersChanged.emit()

    def settle(self, *, refunded: bool) -> None:
        order = self.selected_order()
        if order is None or order.status not in SETTLED_BY_HAND or self._busy():
            return
        question = self.panel.settle_question(order, refunded=refunded)
        answer = QMessageBox.question(
            self, self.tr("Settle a refund of unknown outcome"), question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self._bridge.start("refunds.settle", self._run_settle(order.order_id, refunded))
        self._update_buttons()

    async def _run_settle(self, order_id: str, refunded: bool) -> None:
        try:
            result = await self._bridge.shop.settle_refund(order_id, refunded=refunded)
        except Exception as exc:
            self.answer.setText(self.tr("{0} was not changed: {1}").format(order_id, describe(exc)))
            self.report_error(exc)
            return
        finally:
            QTimer.singleShot(0, self, self._update_buttons)
        self.answer.setText(core_text(result.text or result.message))
        self.say(core_text(result.text or result.message))
        self._bridge.ordersChanged.emit()

    # --- feedback -----------------------------------------------------------------------------

    def say(self, text: str, details: str = "") -> None:
        """`details` (all of an error) in the line's tooltip."""
        self.message.setText(text)
        self.message.setToolTip(tooltip(details))
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, 8000)

    def report_error(self, exc: BaseException) -> None:
        show_error_later(self, exc)  # never exec() a dialog inside the running task
