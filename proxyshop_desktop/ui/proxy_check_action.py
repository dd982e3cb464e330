"""The "Check proxy" action of the Sales and Refunds tabs: connect through a sold proxy with its
own login (`Shop.check_order`, which stores the outcome as evidence) and say what happened in the
operator's terms.

Each check is a named bridge task on the qasync loop, so the GUI thread never waits on a socket;
the core's semaphore lets only a few run at once. The button is disabled while a check started
from it runs. One runner per tab; the tab shows the texts it emits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.check_evidence import StoredCheck
from proxyshop_desktop.services.proxy_check import CheckOutcome, ProxyCheckResult
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.plain_text import plain

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge


class ProxyCheckRunner(QObject):
    """The button, and `history_label`: the selected order's stored checks (its detail line)."""

    # (order_id, the outcome in words, whether the proxy works)
    checked = Signal(str, str, bool)
    # (order_id, why no check could run)
    failed = Signal(str, str)

    def __init__(self, bridge: ShopBridge, parent: QWidget, name: str) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._prefix = f"{name}.proxycheck"
        self.button = QPushButton(self.tr("Check proxy"), parent)
        self.button.setObjectName(f"{name}CheckProxyButton")
        self.button.setAccessibleName(self.tr("Check proxy"))
        self.button.setToolTip(self.tr(
            "Connect through the selected sold proxy with its own login and report whether it "
            "works; the result is kept with the order"))
        self.history_label = plain(QLabel(parent))  # exit IPs, provider-side errors
        self.history_label.setObjectName(f"{name}CheckHistory")
        self.history_label.setAccessibleName(self.tr("Proxy checks of the selected order"))
        self.history_label.setWordWrap(True)
        self.history_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._shown: str | None = None  # the order whose checks the label shows
        self.select(None)

    def running(self) -> bool:
        return self._bridge.is_running(self._prefix)

    def select(self, order: OrderView | None) -> None:
        """The tab's selection changed: show that order's checks; checkable if it has a proxy."""
        self._shown = None if order is None or order.credentials is None else order.order_id
        self.history_label.clear()
        self._update_button()
        if self._shown is not None:
            self._bridge.start(f"{self._prefix}.history", self._history(self._shown), replace=True)

    def _update_button(self) -> None:
        self.button.setEnabled(self._shown is not None and not self.running())

    def start(self, order_id: str, context: str = "") -> bool:
        """Check `order_id` unless a check from this tab runs; False when it was not started."""
        if self.running():
            return False
        self._bridge.start(self._prefix, self._run(order_id, context))
        self._update_button()
        return True

    async def _run(self, order_id: str, context: str) -> None:
        try:
            await self._check(order_id, context)
        finally:  # after the task ends, so running() is False by then
            QTimer.singleShot(0, self, self._update_button)

    async def _check(self, order_id: str, context: str) -> None:
        try:
            result = await self._bridge.shop.check_order(order_id, context=context)
        except Exception as exc:
            self.failed.emit(order_id, self.tr("Could not check the proxy of {0}: {1}").format(
                order_id, describe(exc)))
            if not isinstance(exc, ShopError):
                raise  # a bug: the bridge logs it
            return
        if order_id == self._shown:
            await self._history(order_id)
        self.checked.emit(order_id, self.describe(result), result.works)

    async def _history(self, order_id: str) -> None:
        try:
            text = self.describe_history(await self._bridge.shop.order_checks(order_id))
        except ShopError as exc:
            text = describe(exc)
        if order_id == self._shown:
            self.history_label.setText(text)

    # --- words ---------------------------------------------------------------------------------

    def outcome_text(self, outcome: CheckOutcome) -> str:
        return {
            CheckOutcome.WORKS: self.tr("works"),
            CheckOutcome.LOGIN_REFUSED: self.tr("refuses the login"),
            CheckOutcome.UNREACHABLE: self.tr("is unreachable"),
            CheckOutcome.TIMED_OUT: self.tr("timed out"),
            CheckOutcome.BAD_ANSWER: self.tr("gave a bad answer"),
        }[outcome]

    def state_text(self, outcome: CheckOutcome) -> str:
        """The outcome as a short state, for the list of stored checks."""
        return {
            CheckOutcome.WORKS: self.tr("works"),
            CheckOutcome.LOGIN_REFUSED: self.tr("login refused"),
            CheckOutcome.UNREACHABLE: self.tr("unreachable"),
            CheckOutcome.TIMED_OUT: self.tr("timed out"),
            CheckOutcome.BAD_ANSWER: self.tr("bad answer"),
        }[outcome]

    def describe(self, result: ProxyCheckResult) -> str:
        if result.works:
            return self.tr("The proxy of {0} works: {1} ms, exit IP {2}.").format(
                result.order_id, result.latency_ms, result.exit_ip or "?")
        return self.tr("The proxy of {0} {1}. {2}").format(
            result.order_id, self.outcome_text(result.outcome), core_text(result.shown))

    def describe_history(self, checks: Sequence[StoredCheck]) -> str:
        if not checks:
            return self.tr("Proxy checks: none yet.")
        lines = [self.tr("Proxy checks (newest first):")]
        for check in checks[:5]:
            line = self.tr("{0} — {1}, by {2}").format(
                formatting.local_time(check.checked_at), self.state_text(check.outcome),
                check.operator)
            if check.latency_ms is not None:
                line += self.tr(" ({0} ms, exit IP {1})").format(
                    check.latency_ms, check.exit_ip or "?")
            lines.append(line)
        return "\n".join(lines)


def ask_refund(parent: QWidget, text: str, *, offer_check: bool) -> str:
    """The refund confirmation: "yes", "no", or "check" when the operator chose Check proxy
    first (offered with `offer_check`). Run from a Qt slot, never inside an asyncio task."""
    title = QCoreApplication.translate("RefundsTab", "Refund order")
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setObjectName("refundConfirmBox")
    box.setTextFormat(Qt.TextFormat.PlainText)  # a check's outcome may quote outside text
    box.setDefaultButton(QMessageBox.StandardButton.No)
    check_first = None
    if offer_check:
        check_first = box.addButton(
            QCoreApplication.translate("ProxyCheckRunner", "Check proxy first"),
            QMessageBox.ButtonRole.ActionRole)
        check_first.setObjectName("refundCheckFirstButton")
    box.exec()
    clicked = box.clickedButton()
    if check_first is not None and clicked is check_first:
        return "check"
    return "yes" if box.standardButton(clicked) == QMessageBox.StandardButton.Yes else "no"
