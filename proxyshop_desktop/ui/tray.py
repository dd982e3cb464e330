"""The tray icon and its notifications, where the desktop has a system tray.

Offscreen test runs and some desktops have none: then nothing is shown and nothing fails; the
messages are still kept in `history` (the status indicator shows the same facts anyway).
"""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QSystemTrayIcon

from proxyshop_desktop.errors import BalanceTooLowError
from proxyshop_desktop.ui.icons import app_icon
from proxyshop_desktop.ui.plain_text import notification

log = logging.getLogger(__name__)

MESSAGE_MS = 8000
# a repeated balance error within this many seconds is not announced again
BALANCE_NOTICE_QUIET_S = 600.0


class Tray(QObject):
    def __init__(self, window: QMainWindow, sync_action: QAction | None = None) -> None:
        super().__init__(window)
        self.setObjectName("tray")
        self._window = window
        self.history: list[tuple[str, str]] = []
        self._last_balance_notice = -BALANCE_NOTICE_QUIET_S
        self.icon: QSystemTrayIcon | None = None
        if not QSystemTrayIcon.isSystemTrayAvailable():
            log.info("no system tray: notifications appear in the status bar only")
            return
        self.icon = QSystemTrayIcon(app_icon(), self)
        self.icon.setToolTip(window.windowTitle())
        menu = QMenu(window)
        show = menu.addAction(self.tr("Show ProxyShop"))
        show.triggered.connect(self._show_window)
        if sync_action is not None:
            menu.addAction(sync_action)
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("Quit"))
        quit_action.triggered.connect(window.close)
        self.icon.setContextMenu(menu)
        self.icon.activated.connect(self._activated)
        self.icon.show()

    @property
    def available(self) -> bool:
        return self.icon is not None

    def notify(self, title: str, text: str, warning: bool = False) -> None:
        self.history.append((title, text))
        if self.icon is None or not QSystemTrayIcon.supportsMessages():
            return
        kind = QSystemTrayIcon.MessageIcon.Warning if warning else QSystemTrayIcon.MessageIcon.Information
        self.icon.showMessage(notification(title), notification(text), kind, MESSAGE_MS)

    def provider_error(self, exc: BaseException) -> None:
        """The bridge's `providerError`: a balance running out is told once per quiet period."""
        if not isinstance(exc, BalanceTooLowError):
            return
        now = time.monotonic()
        if now - self._last_balance_notice < BALANCE_NOTICE_QUIET_S:
            return
        self._last_balance_notice = now
        self.notify(self.tr("Provider balance too low"), str(exc), True)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:
            self._show_window()

    def _show_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def hide(self) -> None:
        if self.icon is not None:
            self.icon.hide()
