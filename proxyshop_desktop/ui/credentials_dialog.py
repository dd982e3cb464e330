"""The sold credentials, one row per order, with Copy buttons (the explicit credential view).

`ip:port:login:password` is copied byte-exact from `Credentials.line`; each part has its own
button, and "Copy all" copies every line. Sales that failed are listed in words below, so a batch
that stopped half-way is never mistaken for a complete one. Used by the Inventory tab after a sale
and by the Sales tab.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.services.export import txt_unfit
from proxyshop_desktop.services.results import BatchFailure, OrderView
from proxyshop_desktop.ui import formatting, theme
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.formatting import format_money
from proxyshop_desktop.ui.icons import icon
from proxyshop_desktop.ui.plain_text import plain, plain_label


def all_lines(orders: Sequence[OrderView]) -> str:
    """Every sold order's `ip:port:login:password`, one per line, in the dialog's order."""
    return "\n".join(o.credentials.line for o in orders if o.credentials is not None)


#: a QLineEdit's frame and inner margins around its text, in pixels (Qt: 2 x (frame 2 + margin 2))
_LINE_EDIT_CHROME = 10


class CredentialsDialog(QDialog):
    def __init__(self, orders: list[OrderView], parent: QWidget | None = None,
                 failures: Sequence[BatchFailure] = ()) -> None:
        super().__init__(parent)
        self.setObjectName("credentialsDialog")
        self.setWindowTitle(self.tr("Sold credentials"))
        self.orders = list(orders)
        self.failures = list(failures)
        self.copy_buttons: dict[tuple[str, str], QPushButton] = {}  # (order_id, part) -> button
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)

        sold = [o for o in self.orders if o.credentials is not None]
        heading = plain(QLabel(self))
        heading.setObjectName("credentialsHeading")
        heading.setWordWrap(True)
        heading.setText(self._heading(sold))

        grid_host = QWidget(self)
        grid = QGridLayout(grid_host)
        grid.setColumnStretch(1, 1)
        for row, order in enumerate(self.orders):
            self._add_order_row(grid, row, order, mono)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setVisible(bool(self.orders))

        self._build_notes()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_all_button = buttons.addButton(self.tr("Copy all"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_all_button.setObjectName("copyAllButton")
        self.copy_all_button.setAccessibleName(self.tr("Copy all credentials"))
        self.copy_all_button.setIcon(icon("copy"))
        self.copy_all_button.setEnabled(bool(sold))
        self.copy_all_button.clicked.connect(lambda: self.copy(all_lines(self.orders), self.tr("all lines")))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.failures_label)
        layout.addWidget(self.txt_warning)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        # wide enough for the longest credentials line and the copy buttons, within the screen
        screen = self.screen().availableGeometry().width()
        wanted = grid_host.sizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 40
        self.resize(min(max(900, wanted), screen), min(560, 160 + 80 * max(1, len(self.orders))))

    def _build_notes(self) -> None:
        """The lines under the credentials: failed sales, a line unfit for TXT, "copied"."""
        self.failures_label = plain(QLabel(self))
        self.failures_label.setObjectName("saleFailures")
        self.failures_label.setWordWrap(True)
        self.failures_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures_label.setText(self.failures_text())
        self.failures_label.setVisible(bool(self.failures))
        self.failures_label.setStyleSheet(theme.text_style("error"))

        # A sale whose login holds ':' (or whose ip is IPv6, or a part a line break) cannot be
        # sent as one ip:port:login:password line: say so next to the line the operator copies.
        self.txt_warning = plain(QLabel(self))
        self.txt_warning.setObjectName("txtUnfitWarning")
        self.txt_warning.setWordWrap(True)
        self.txt_warning.setText(self.txt_warning_text())
        self.txt_warning.setVisible(bool(self.txt_warning.text()))
        self.txt_warning.setStyleSheet(theme.text_style("warning"))

        self.status_label = plain(QLabel(self))
        self.status_label.setObjectName("credentialsCopied")

    def _heading(self, sold: list[OrderView]) -> str:
        if not self.orders:
            return self.tr("No proxy was sold.")
        total = sum((o.price for o in sold), Decimal("0.00"))
        return self.tr("{0} sold · {1} in total. Send the customer the line ip:port:login:password.").format(
            len(sold), format_money(total))

    def _add_order_row(self, grid: QGridLayout, index: int, order: OrderView, mono: QFont) -> None:
        """Two grid rows per order: the line and its Copy button, then the part buttons under the
        line (side by side they left the line too little room in a longer language)."""
        row = 2 * index
        who = order.order_id + (f" · {order.customer}" if order.customer else "")
        customer = plain_label(who, self)
        customer.setObjectName(f"credentialsWho_{order.order_id}")
        grid.addWidget(customer, row, 0)
        creds = order.credentials
        if creds is None:
            pending = plain_label(self.tr("Pending: the provider's answer was lost. "
                                     "Use Reconcile in the Sales tab to settle it."), self)
            pending.setWordWrap(True)
            grid.addWidget(pending, row, 1, 1, 2)
            return
        line = QLineEdit(creds.line, self)
        line.setObjectName(f"credentialsLine_{order.order_id}")
        line.setReadOnly(True)
        line.setFont(mono)
        line.setAccessibleName(self.tr("Credentials of {0}").format(order.order_id))
        line.setCursorPosition(0)
        # room for the whole line: the operator checks it by eye before sending it on
        margins = line.textMargins()
        line.setMinimumWidth(line.fontMetrics().horizontalAdvance(creds.line) + margins.left()
                             + margins.right() + _LINE_EDIT_CHROME)
        if txt_unfit(creds):
            line.setToolTip(formatting.txt_unfit_warning())
        grid.addWidget(line, row, 1)
        parts = (
            ("line", self.tr("Copy"), creds.line),
            ("ip", self.tr("IP"), creds.ip),
            ("port", self.tr("Port"), creds.port),
            ("login", self.tr("Login"), creds.login),
            ("password", self.tr("Password"), creds.password),
        )
        part_buttons = QHBoxLayout()
        part_buttons.setContentsMargins(0, 0, 0, 0)
        for part, label, value in parts:
            button = QPushButton(label, self)
            button.setObjectName(f"copy_{part}_{order.order_id}")
            button.setAccessibleName(self.tr("Copy {0} of {1}").format(label, order.order_id))
            button.setToolTip(self.tr("Copy to the clipboard"))
            button.setAutoDefault(False)
            if part == "line":
                button.setIcon(icon("copy"))
            button.clicked.connect(lambda _=False, v=value, what=label: self.copy(v, what))
            if part == "line":
                grid.addWidget(button, row, 2)
            else:
                part_buttons.addWidget(button)
            self.copy_buttons[(order.order_id, part)] = button
        part_buttons.addStretch(1)
        grid.addLayout(part_buttons, row + 1, 1, 1, 2)

    def txt_warning_text(self) -> str:
        unfit = [o.order_id for o in self.orders if o.credentials and txt_unfit(o.credentials)]
        if not unfit:
            return ""
        return "⚠ {}: {}".format(", ".join(unfit), formatting.txt_unfit_warning())

    def failures_text(self) -> str:
        if not self.failures:
            return ""
        lines = [self.tr("Not sold ({0}):").format(len(self.failures))]
        lines += [self.tr("• product {0}: {1}").format(f.product_id, core_text(f.message_text))
                  for f in self.failures]
        return "\n".join(lines)

    def copy(self, text: str, what: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.status_label.setText(self.tr("Copied {0} to the clipboard.").format(what))
