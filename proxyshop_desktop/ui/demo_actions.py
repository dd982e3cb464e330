"""The Demo menu (only with --demo): make the simulated provider misbehave on purpose, so the
Refunds flow and re-syncs can be tried without waiting for a real outage."""

from __future__ import annotations

import logging
import random
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMenuBar, QWidget

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.simulator import faults
from proxyshop_desktop.services.order_pages import OrderQuery
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.vocabulary import OrderStatus

log = logging.getLogger(__name__)

CHURN_FRACTION = 0.05


class DemoActions(QObject):
    def __init__(self, bridge: ShopBridge, server: Any, window: QWidget) -> None:
        super().__init__(window)
        self.bridge = bridge
        self.server = server  # a running SimulatorServer in this process

    def add_menu(self, bar: QMenuBar) -> None:
        menu = bar.addMenu(self.tr("&Demo"))
        menu.setObjectName("demoMenu")
        outage = menu.addAction(self.tr("Simulate outage of a sold proxy"))
        outage.setObjectName("demoOutageAction")
        outage.triggered.connect(
            lambda: self.bridge.start("demo.outage", self.simulate_outage(), replace=True))
        churn = menu.addAction(self.tr("Churn 5% of the catalogue"))
        churn.setObjectName("demoChurnAction")
        churn.triggered.connect(self.churn)
        down = menu.addAction(self.tr("Take the provider down"))
        down.setObjectName("demoProviderDownAction")
        down.setCheckable(True)
        down.toggled.connect(self.set_provider_down)

    async def simulate_outage(self) -> str:
        """Take the most recent sold order's proxy offline at the simulator (it becomes refundable)."""
        try:
            page = await self.bridge.shop.order_page(OrderQuery(status=OrderStatus.SOLD, limit=20))
        except ShopError as exc:
            return self._say(describe(exc))
        order = next((o for o in page.orders if o.credentials_id is not None), None)
        if order is None:
            return self._say(self.tr("Sell a proxy first: there is no sold order to take offline."))
        proxy_id = self.server.provider.set_purchased_proxy_offline(order.credentials_id)
        return self._say(self.tr("Proxy {0} of order {1} is now offline at the simulated provider; "
                                 "the Refunds tab can check and refund it.").format(proxy_id, order.order_id))

    def churn(self) -> str:
        counts = self.server.provider.churn(CHURN_FRACTION, seed=random.randrange(1_000_000))
        return self._say(self.tr("Simulated provider changed: {0} offline, {1} changed, {2} new, "
                                 "{3} gone. Sync now to pick it up.").format(
            counts["offline"], counts["changed"], counts["added"], counts["removed"]))

    def set_provider_down(self, down: bool) -> str:
        """Every provider call answers 503 until unchecked: syncs fail, and after
        `alert_sync_failures` of them the Telegram alert goes out; the next sync recovers."""
        if down:
            self.server.faults.add("*", faults.status(503), times="always")
            return self._say(self.tr("The simulated provider is down (HTTP 503) until you bring "
                                     "it back from this menu."))
        self.server.faults.clear()
        return self._say(self.tr("The simulated provider is back. Sync now to recover."))

    def _say(self, text: str) -> str:
        log.info("demo: %s", text)
        self.bridge.notice.emit(self.tr("Demo"), text)
        return text
