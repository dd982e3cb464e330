"""The Refunds tab's side panel, in two groups so that its two checks are never taken for one
another: "Refund at the provider" (ask the provider whether it takes the purchase back, Refund, and
the two "Mark …" buttons of a refund whose outcome was lost) and "Sold proxy" (connect through the
proxy, with its stored checks); the answer in words below. Which buttons an order offers, and the
words of a check's answer and of a settle question, are decided here; the tab runs the actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from proxyshop_desktop.services.results import OrderView, RefundCheckResult
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.plain_text import plain
from proxyshop_desktop.ui.proxy_check_action import ProxyCheckRunner
from proxyshop_desktop.vocabulary import SETTLED_BY_HAND


def action_button(parent: QWidget, name: str, text: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text.rstrip("…"))
    return button


def _group(parent: QWidget, name: str, title: str, widgets: list[QWidget]) -> QGroupBox:
    box = QGroupBox(title, parent)
    box.setObjectName(name)
    layout = QVBoxLayout(box)
    for widget in widgets:
        layout.addWidget(widget)
    return box


class RefundPanel(QWidget):
    def __init__(self, proxy_check: ProxyCheckRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check_button = action_button(self, "checkRefundButton", self.tr("Ask provider about refund"))
        self.check_button.setToolTip(self.tr(
            "Ask the provider whether this order can be refunded: nothing is refunded yet, and the "
            "proxy itself is not tested (that is Check proxy, below)"))
        self.refund_button = action_button(self, "refundButton", self.tr("Refund…"))
        self.refund_button.setShortcut(QKeySequence("Ctrl+Shift+R"))
        self.refund_button.setToolTip(self.tr("Refund the selected order (Ctrl+Shift+R)"))
        # A refund whose outcome the provider's answers never settled (refund_unknown): the
        # operator checks with the provider and records what they found.
        self.mark_refunded_button = action_button(self, "markRefundedButton", self.tr("Mark refunded…"))
        self.mark_refunded_button.setToolTip(self.tr(
            "The provider confirmed it refunded this purchase: record the refund (nothing is sent)"))
        self.mark_not_refunded_button = action_button(
            self, "markNotRefundedButton", self.tr("Mark not refunded…"))
        self.mark_not_refunded_button.setToolTip(self.tr(
            "The provider confirmed it did not refund this purchase: it counts as sold again"))
        self.answer = plain(QLabel(self))  # the provider's own words
        self.answer.setObjectName("refundCheckPanel")
        self.answer.setAccessibleName(self.tr("Refund check answer"))
        self.answer.setWordWrap(True)
        self.answer.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.answer.setMinimumWidth(240)
        self.answer.setText(self.tr(
            "Select an order: ask the provider whether it can be refunded, check its proxy, or refund it."))
        self.refund_group = _group(self, "refundGroup", self.tr("Refund at the provider"), [
            self.check_button, self.refund_button, self.mark_refunded_button, self.mark_not_refunded_button])
        self.proxy_group = _group(self, "proxyGroup", self.tr("Sold proxy"),
                                  [proxy_check.button, proxy_check.history_label])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.refund_group)
        layout.addWidget(self.proxy_group)
        layout.addWidget(self.answer, 1)

    def update_buttons(self, order: OrderView | None, busy: bool) -> None:
        can_act = order is not None and not busy
        self.check_button.setEnabled(can_act)
        self.refund_button.setEnabled(can_act)
        unknown = order is not None and order.status in SETTLED_BY_HAND
        for button in (self.mark_refunded_button, self.mark_not_refunded_button):
            button.setVisible(unknown)
            button.setEnabled(can_act and unknown)

    def explain_unknown(self, order: OrderView) -> None:
        """What a refund of lost outcome asks of the operator."""
        self.answer.setText(self.tr(
            "The answer to a refund of {0} was lost, and the provider's answers since do not "
            "tell whether it happened. Use Ask provider about refund to ask again. Once you have checked "
            "purchase {1} with the provider yourself, record what you found with Mark refunded "
            "or Mark not refunded."
        ).format(order.order_id, order.credentials_id))

    def describe_check(self, result: RefundCheckResult) -> str:
        reason = core_text(result.reason_text or result.reason)
        if result.refundable:
            text = self.tr("{0} can be refunded. {1}").format(result.order_id, reason)
        else:
            text = self.tr("{0} cannot be refunded. {1}").format(result.order_id, reason)
        if not result.provider_checked:
            text += "\n" + self.tr("(The shop's rules decided this; the provider was not asked.)")
        return text

    def settle_question(self, order: OrderView, *, refunded: bool) -> str:
        if refunded:
            return self.tr(
                "Record {0} as refunded at the provider? Do this only after the provider confirmed "
                "it refunded purchase {1}: {2} leaves the revenue. Nothing is sent to the provider."
            ).format(order.order_id, order.credentials_id, formatting.money(order.price))
        return self.tr(
            "Record {0} as not refunded? Do this only after the provider confirmed it did not "
            "refund purchase {1}: the order counts as sold again. Nothing is sent to the provider."
        ).format(order.order_id, order.credentials_id)
