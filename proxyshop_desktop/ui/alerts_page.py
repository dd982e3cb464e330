"""The Alerts page of the Settings dialog: Telegram chat id, bot token (to the OS keyring), an
optional proxy for Telegram, which events to send, and "Send test message" with the values typed
(saved or not). The values are validated with the rest of the settings by the dialog."""

from __future__ import annotations

import os
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop import token_store
from proxyshop_desktop.alerts import delivery, setup
from proxyshop_desktop.config import ALERT_KINDS, Settings
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.plain_text import plain, plain_label


def alert_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "telegram_chat_id": translate("AlertsPage", "Telegram chat id"),
        "telegram_proxy": translate("AlertsPage", "Proxy for Telegram"),
        "telegram_api_url": translate("AlertsPage", "Bot API URL"),
        "alert_events": translate("AlertsPage", "Alert events"),
        "alert_sync_failures": translate("AlertsPage", "Failed syncs before an alert"),
        "alert_pending_minutes": translate("AlertsPage", "Pending order alert after"),
        "alert_daily_time": translate("AlertsPage", "Daily summary at"),
    }


def event_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "sync_failing": translate("AlertsPage", "Sync failing, and recovered"),
        "balance_refused": translate("AlertsPage", "Purchase refused: provider balance too low"),
        "pending_order": translate("AlertsPage", "Order stuck pending"),
        "refund_unknown": translate("AlertsPage", "Refund outcome unknown"),
        "daily_summary": translate("AlertsPage", "Daily summary"),
    }


class AlertsPage(QWidget):
    def __init__(self, current: Settings, parent: QWidget | None = None,
                 environ: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertsPage")
        self._env = os.environ if environ is None else environ
        self.chat_edit = self._line("alertsChatIdEdit", current.telegram_chat_id, self.tr("Telegram chat id"))
        self.chat_edit.setPlaceholderText(self.tr("-1001234567890 or @channel"))
        self.token_edit = self._line("alertsBotTokenEdit", "", self.tr("Telegram bot token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("unchanged"))
        self.token_status = plain(QLabel(self))
        self.token_status.setObjectName("alertsTokenStatus")
        self.token_status.setWordWrap(True)
        self.proxy_edit = self._line("alertsProxyEdit", current.telegram_proxy, self.tr("Proxy for Telegram"))
        self.proxy_edit.setPlaceholderText(self.tr("none; or socks5://host:port, http://host:port"))
        self.event_boxes: dict[str, QCheckBox] = {}
        for kind, label in event_labels().items():
            box = QCheckBox(label, self)
            box.setObjectName(f"alertEvent_{kind}")
            box.setChecked(kind in current.alert_events)
            self.event_boxes[kind] = box
        self.failures_spin = self._spin("alertsSyncFailuresSpin", 1, 100, current.alert_sync_failures, "")
        self.pending_spin = self._spin("alertsPendingSpin", 1, 7 * 24 * 60, current.alert_pending_minutes,
                                       self.tr(" min"))
        self.daily_edit = self._line("alertsDailyTimeEdit", current.alert_daily_time, self.tr("Daily summary at"))
        self.test_button = QPushButton(self.tr("Send test message"), self)
        self.test_button.setObjectName("alertsTestButton")
        self.test_result = plain(QLabel(self))
        self.test_result.setObjectName("alertsTestResult")
        self.test_result.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Chat id:"), self.chat_edit)
        form.addRow(self.tr("Bot token:"), self.token_edit)
        form.addRow("", self.token_status)
        form.addRow(self.tr("Proxy:"), self.proxy_edit)
        form.addRow(self.tr("Failed syncs before an alert:"), self.failures_spin)
        form.addRow(self.tr("Pending order alert after:"), self.pending_spin)
        form.addRow(self.tr("Daily summary at (HH:MM):"), self.daily_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(plain_label(self.tr("Send these events:"), self))
        for box in self.event_boxes.values():
            layout.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.test_result, 1)
        layout.addLayout(row)
        layout.addStretch(1)

    def _line(self, name: str, text: str, accessible: str) -> QLineEdit:
        edit = QLineEdit(text, self)
        edit.setObjectName(name)
        edit.setAccessibleName(accessible)
        return edit

    def _spin(self, name: str, low: int, high: int, value: int, suffix: str) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setRange(low, high)
        spin.setSuffix(suffix)
        spin.setValue(value)
        return spin

    def values(self) -> dict[str, Any]:
        """The page's settings, for the dialog's validation."""
        return {
            "telegram_chat_id": self.chat_edit.text(),
            "telegram_proxy": self.proxy_edit.text(),
            "alert_events": [k for k in ALERT_KINDS if self.event_boxes[k].isChecked()],
            "alert_sync_failures": self.failures_spin.value(),
            "alert_pending_minutes": self.pending_spin.value(),
            "alert_daily_time": self.daily_edit.text(),
        }

    def typed_token(self) -> str | None:
        token = self.token_edit.text().strip()
        return token if token and self.token_edit.isEnabled() else None

    async def load_token_status(self, off_thread: Any) -> None:
        try:
            status = await off_thread(setup.bot_token_status)
            text = None
        except ShopError as exc:
            status, text = None, describe(exc)
        if not shiboken6.isValid(self):
            return
        if status is not None and status.source == "environment":
            self.token_edit.setEnabled(False)
            self.token_edit.setPlaceholderText(self.tr("set by {0}").format(token_store.BOT_TOKEN_ENV))
            text = self.tr("The bot token is set by {0}.").format(token_store.BOT_TOKEN_ENV)
        elif status is not None and not status.keyring_usable:
            text = self.tr("No usable OS keyring: export {0} instead.").format(token_store.BOT_TOKEN_ENV)
        elif status is not None:
            text = (self.tr("A bot token is stored in the OS keyring.") if status.is_set
                    else self.tr("No bot token yet: create a bot with @BotFather and paste its token."))
        self.token_status.setText(text or "")

    async def send_test(self, settings: Settings) -> bool:
        """`settings`: the dialog's validated values. The result shows on the page."""
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Sending…"))
        try:
            token = self.typed_token()
            if token is not None:
                token = setup.check_bot_token(token)
            await delivery.send_test(settings, token)
        except ShopError as exc:
            if shiboken6.isValid(self):
                self.test_result.setStyleSheet(theme.text_style("error"))
                self.test_result.setText("✗ " + describe(exc))
            return False
        finally:
            if shiboken6.isValid(self):
                self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(theme.text_style("success"))
        self.test_result.setText(self.tr("✓ Sent: check the Telegram chat."))
        return True
