"""The Stats tab: the shop's figures as cards, and three charts (sales per day, inventory by
country, sync history).

It reloads when the bridge says the data changed — and only when visible: a hidden tab just
remembers that it is stale and reloads when shown, so a sync every five minutes costs nothing
while the operator works elsewhere. A failure to load is shown in the tab, never as a dialog.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCharts import QChart, QChartView
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QHideEvent, QPainter, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.results import ShopStats, SyncRunView
from proxyshop_desktop.ui import charts, formatting, plain_text
from proxyshop_desktop.ui.plain_text import plain_label
from proxyshop_desktop.ui.problem_line import show_problem
from proxyshop_desktop.ui.profit_panel import ProfitPanel

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge

log = logging.getLogger(__name__)

_ATTENTION_STYLE = "QFrame#%s { background: #ffc107; } QFrame#%s QLabel { color: #1a1a1a; }"


class StatCard(QFrame):
    """A title over one big value."""

    def __init__(self, name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card{name[0].upper()}{name[1:]}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.title = plain_label(title, self)
        self.value = plain_label(formatting.DASH, self)
        self.value.setObjectName(f"{self.objectName()}Value")
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.value.setFont(font)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.value)
        self.setAccessibleName(title)

    def set_value(self, text: str, tooltip: str = "") -> None:
        self.value.setText(text)
        self.value.setAccessibleName(f"{self.title.text()}: {text}")
        self.setToolTip(plain_text.tooltip(tooltip))

    def set_attention(self, on: bool) -> None:
        name = self.objectName()
        self.setStyleSheet(_ATTENTION_STYLE % (name, name) if on else "")


class StatsTab(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsView")
        self.setAccessibleName(self.tr("Shop statistics"))
        self._bridge = bridge
        self._stale = True
        self.stats: ShopStats | None = None
        self.runs: list[SyncRunView] = []

        grid = self._build_cards()
        charts_grid = self._build_chart_views()
        self._build_layout(grid, charts_grid)

        # "N min ago" ages without new data: relabel that one card, no reload.
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(30_000)
        self.clock_timer.timeout.connect(self._update_last_sync)
        for signal in (
            bridge.ordersChanged,
            bridge.syncRunsChanged,
            bridge.inventoryChanged,
            bridge.settingsChanged,
        ):
            signal.connect(self.mark_stale)

    def _build_cards(self) -> QGridLayout:
        self.cards: dict[str, StatCard] = {}
        grid = QGridLayout()
        for i, (name, title) in enumerate(
            (
                ("inventory", self.tr("Inventory")),
                ("sold", self.tr("Sold")),
                ("refunded", self.tr("Refunded")),
                ("revenue", self.tr("Revenue")),
                ("cost", self.tr("Cost")),
                ("profit", self.tr("Profit")),
                ("countries", self.tr("Countries available")),
                ("lastSync", self.tr("Last sync")),
                ("pending", self.tr("Pending orders")),
            )
        ):
            card = StatCard(name, title, self)
            self.cards[name] = card
            grid.addWidget(card, i // 4, i % 4)
        return grid

    def _build_chart_views(self) -> QGridLayout:
        """The error line, the three charts (in their grid) and the profit panel."""
        self.error_label = plain_text.plain(QLabel(self))
        self.error_label.setObjectName("statsError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setStyleSheet("QLabel { color: #d32f2f; font-weight: bold; }")
        self.error_label.hide()

        self.daily_view = self._chart_view("dailyChart", self.tr("Sales and revenue per day"))
        self.country_view = self._chart_view("countryChart", self.tr("Inventory by country"))
        self.sync_view = self._chart_view("syncChart", self.tr("Sync history"))
        charts_grid = QGridLayout()
        charts_grid.addWidget(self.daily_view, 0, 0, 1, 2)
        charts_grid.addWidget(self.country_view, 1, 0)
        charts_grid.addWidget(self.sync_view, 1, 1)
        self.profit = ProfitPanel(self._bridge, self)  # per day/country/type/ISP, table and chart
        return charts_grid

    def _build_layout(self, grid: QGridLayout, charts_grid: QGridLayout) -> None:
        content = QWidget(self)
        content_layout = QVBoxLayout(content)
        content_layout.addLayout(grid)
        content_layout.addWidget(self.error_label)
        content_layout.addLayout(charts_grid, 1)
        content_layout.addWidget(self.profit)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _chart_view(self, name: str, accessible: str) -> QChartView:
        view = QChartView(self)
        view.setObjectName(name)
        view.setAccessibleName(accessible)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(280)
        return view

    # --- loading ------------------------------------------------------------------------------

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._bridge.start("stats.refresh", self.refresh(), replace=True)

    async def refresh(self) -> None:
        self._stale = False
        try:
            stats = await self._bridge.shop.stats()
            runs = await self._bridge.shop.sync_history(charts.SYNC_RUNS)
            await self.profit.refresh()
        except Exception as exc:
            log.warning("stats refresh failed", exc_info=not isinstance(exc, ShopError))
            show_problem(self.error_label, self.tr("Could not load the figures: {0}"), exc)
            self.error_label.show()
            return
        self.error_label.hide()
        self.stats, self.runs = stats, runs
        self._fill_cards(stats)
        self._build_charts()

    def _build_charts(self) -> None:
        if self.stats is None:
            return
        palette = self.palette()
        self._swap(self.daily_view, charts.daily_sales_chart(self.stats.daily, palette))
        self._swap(
            self.country_view, charts.inventory_by_country_chart(self.stats.by_country, palette)
        )
        self._swap(self.sync_view, charts.sync_history_chart(self.runs, palette))
        self.profit.rebuild_chart()

    def changeEvent(self, event: QEvent) -> None:
        # A light/dark switch: recolour the charts from the figures already loaded.
        if event.type() == QEvent.Type.PaletteChange:
            self._build_charts()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.clock_timer.start()
        if self._stale:
            self.schedule_refresh()
        else:
            self._update_last_sync()

    def hideEvent(self, event: QHideEvent) -> None:
        self.clock_timer.stop()
        super().hideEvent(event)

    # --- rendering ----------------------------------------------------------------------------

    def _fill_cards(self, stats: ShopStats) -> None:
        c = self.cards
        c["inventory"].set_value(
            formatting.count(stats.total_inventory), self.tr("Proxies the shop can sell now")
        )
        c["sold"].set_value(
            formatting.count(stats.total_sold), self.tr("Every sale, refunded ones included")
        )
        c["refunded"].set_value(formatting.count(stats.total_refunded))
        c["revenue"].set_value(
            formatting.money(stats.revenue),
            self.tr("Sales minus refunds. Provider cost of the kept sales: {0}").format(
                formatting.money(stats.cost)
            ),
        )
        c["cost"].set_value(
            formatting.money(stats.cost),
            self.tr("What the provider charged for the sales kept (refunds credited back)"),
        )
        margin = formatting.DASH if stats.margin is None else formatting.percent(stats.margin)
        c["profit"].set_value(
            formatting.money(stats.profit),
            self.tr("Revenue minus cost; margin {0} of revenue").format(margin),
        )
        c["countries"].set_value(formatting.count(stats.countries_available))
        c["pending"].set_value(
            formatting.count(stats.pending_orders),
            self.tr("Provider outcome unknown — run Reconcile in the Sales tab")
            if stats.pending_orders
            else "",
        )
        c["pending"].set_attention(stats.pending_orders > 0)
        self._update_last_sync()

    def _update_last_sync(self) -> None:
        if self.stats is None:
            return
        last = self.stats.last_sync
        self.cards["lastSync"].set_value(
            formatting.local_time_ago(last),
            self.tr("The last successful full sync") if last else "",
        )

    @staticmethod
    def _swap(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)  # the view releases, not deletes, the previous chart
        if old is not None:
            old.deleteLater()

    @property
    def daily_chart(self) -> QChart:
        return self.daily_view.chart()

    @property
    def country_chart(self) -> QChart:
        return self.country_view.chart()

    @property
    def sync_chart(self) -> QChart:
        return self.sync_view.chart()
