"""The window's alert sender: a timer that, on the qasync loop, raises what the shop's state calls
for (pending orders, unknown refunds, the daily summary) and sends the outbox to Telegram. It is a
background task with a time budget: the GUI thread never waits for Telegram, and a sync or a sale
never waits for it either (they only insert)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from proxyshop_desktop.alerts import delivery
from proxyshop_desktop.ui.bridge import ShopBridge

log = logging.getLogger(__name__)

TASK = "alerts.pump"
INTERVAL_MS = 15_000
BUDGET_S = 20.0


class AlertPump(QObject):
    def __init__(self, bridge: ShopBridge, parent: QObject | None = None,
                 interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.bridge = bridge
        self.last: delivery.FlushResult | None = None
        self.timer = QTimer(self)
        self.timer.setObjectName("alertPumpTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.kick)
        self.timer.start()

    def kick(self) -> None:
        if not self.bridge.shop.settings.telegram_chat_id or self.bridge.is_running(TASK):
            return
        self.bridge.start(TASK, self.tick())

    async def tick(self) -> delivery.FlushResult:
        self.last = await self.bridge.shop.send_alerts(BUDGET_S)
        if self.last.error and self.last.waiting:
            log.info("alerts waiting: %d (%s)", self.last.waiting, self.last.error)
        return self.last
