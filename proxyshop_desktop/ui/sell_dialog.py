"""Confirm a sale: an optional customer reference and the exact amount (count × price = total).

Money is shown exactly (Decimal): this dialog is the last thing the operator reads before the
provider charges the shop's account.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.money import to_money
from proxyshop_desktop.ui.formatting import format_money
from proxyshop_desktop.ui.plain_text import plain, plain_label
from proxyshop_desktop.vocabulary import MAX_CUSTOMER_LENGTH


def sale_total(count: int, price: Decimal) -> Decimal:
    return to_money(to_money(price) * count)


class SellDialog(QDialog):
    def __init__(self, count: int, price: Decimal, parent: QWidget | None = None,
                 summary: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("sellDialog")
        self.setWindowTitle(self.tr("Sell proxies") if count > 1 else self.tr("Sell proxy"))
        self.count = count
        self.price = to_money(price)
        self.total = sale_total(count, price)

        self.customer_edit = QLineEdit(self)
        self.customer_edit.setObjectName("customerEdit")
        self.customer_edit.setAccessibleName(self.tr("Customer reference"))
        self.customer_edit.setPlaceholderText(self.tr("optional, e.g. an order number or e-mail"))
        self.customer_edit.setMaxLength(MAX_CUSTOMER_LENGTH)

        self.summary_label = plain(QLabel(self))  # ISP names come from the provider
        self.summary_label.setObjectName("sellSummary")
        self.summary_label.setWordWrap(True)
        self.summary_label.setText(summary)
        self.summary_label.setVisible(bool(summary))

        self.amount_label = plain(QLabel(self))
        self.amount_label.setObjectName("sellAmount")
        self.amount_label.setAccessibleName(self.tr("Amount"))
        self.amount_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.amount_label.setText(self.amount_text())
        font = self.amount_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.amount_label.setFont(font)

        note = plain_label(self.tr("The provider charges the shop's account for each proxy; "
                              "the credentials are shown next."), self)
        note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        label = self.tr("Sell %n proxies", "", count)
        self.sell_button = buttons.addButton(label, QDialogButtonBox.ButtonRole.AcceptRole)
        self.sell_button.setObjectName("confirmSellButton")
        self.sell_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("Customer:"), self.customer_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addLayout(form)
        layout.addWidget(self.amount_label)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.customer_edit.setFocus()

    def amount_text(self) -> str:
        if self.count == 1:
            return self.tr("Price: {0}").format(format_money(self.price))
        return self.tr("{0} × {1} = {2}").format(
            self.count, format_money(self.price), format_money(self.total))

    def customer(self) -> str:
        return self.customer_edit.text().strip()
