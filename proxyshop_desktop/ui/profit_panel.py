"""The Stats tab's profit section: sold, refunded, refund rate, revenue, cost and profit per day,
country, proxy type or ISP over the last 30/90/365 days or all time, as a table and a chart.

The figures are the core's (`Shop.report`, the one profit rule in services/report.py); this panel
only lays them out. Periods start at a UTC midnight, so the per-day figures come straight off the
report's rollup.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.report import DAY_PERIODS, ProfitFigures, ProfitReport, fill_days
from proxyshop_desktop.ui import charts, formatting, theme
from proxyshop_desktop.ui.plain_text import plain, plain_label
from proxyshop_desktop.ui.problem_line import show_problem

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge

log = logging.getLogger(__name__)

#: groups charted (the table lists them all): the most sold first
CHART_GROUPS = 15
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class ProfitModel(QAbstractTableModel):
    """One row per group, then the total."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ProfitFigures] = []
        self.headers = [self.tr("Group"), self.tr("Sold"), self.tr("Refunded"),
                        self.tr("Refund rate"), self.tr("Revenue"), self.tr("Cost"),
                        self.tr("Profit")]

    def set_report(self, report: ProfitReport | None) -> None:
        self.beginResetModel()
        self.rows = [] if report is None or not report.rows else [*report.rows, report.total]
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: _Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if not index.isValid():
            return None
        r, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(r, column, total=index.row() == len(self.rows) - 1)
        if role == Qt.ItemDataRole.TextAlignmentRole and column > 0:
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == 6 and r.profit < 0:
            return theme.colour("refund")
        return None

    def _cell(self, r: ProfitFigures, column: int, *, total: bool) -> str:
        if column == 0:
            return self.tr("Total") if total else (r.key or self.tr("(not recorded)"))
        if column == 3:
            return formatting.DASH if r.refund_rate is None else formatting.percent(r.refund_rate)
        values = (None, r.sold, r.refunded, None, r.revenue, r.cost, r.profit)
        value = values[column]
        return formatting.count(value) if isinstance(value, int) else formatting.money(value)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = int(Qt.ItemDataRole.DisplayRole)) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class ProfitPanel(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("profitPanel")
        self._bridge = bridge
        self.report: ProfitReport | None = None
        self.grouping = QComboBox(self)
        self.grouping.setObjectName("profitGrouping")
        self.grouping.setAccessibleName(self.tr("Group the profit figures by"))
        for label, by in ((self.tr("per day"), "day"), (self.tr("per country"), "country"),
                          (self.tr("per proxy type"), "type"), (self.tr("per ISP"), "isp")):
            self.grouping.addItem(label, by)
        self.period = QComboBox(self)
        self.period.setObjectName("profitPeriod")
        self.period.setAccessibleName(self.tr("Period of the profit figures"))
        for days in DAY_PERIODS:
            self.period.addItem(self.tr("last %n days", "", days), days)
        self.period.addItem(self.tr("all time"), None)
        self.summary = plain(QLabel(self))
        self.summary.setObjectName("profitSummary")
        self.summary.setWordWrap(True)
        self.model = ProfitModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("profitTable")
        self.table.setAccessibleName(self.tr("Profit figures"))
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(220)
        self.chart_view = QChartView(self)
        self.chart_view.setObjectName("profitChart")
        self.chart_view.setAccessibleName(self.tr("Profit chart"))
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(280)

        controls = QHBoxLayout()
        controls.addWidget(plain_label(self.tr("Profit and refunds"), self))
        controls.addWidget(self.grouping)
        controls.addWidget(self.period)
        controls.addWidget(self.summary, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.chart_view)
        layout.addWidget(self.table)
        self.grouping.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.period.currentIndexChanged.connect(lambda _i: self.schedule_refresh())

    def since(self) -> datetime | None:
        days = self.period.currentData()
        if days is None:
            return None
        first = utcnow().astimezone(UTC).date() - timedelta(days=days - 1)
        return datetime.combine(first, time(), UTC)

    def schedule_refresh(self) -> None:
        self._bridge.start("stats.profit", self.refresh(), replace=True)

    async def refresh(self) -> None:
        by, since = self.grouping.currentData(), self.since()
        try:
            report = await self._bridge.shop.report(by, since)
        except Exception as exc:
            log.warning("profit figures failed", exc_info=not isinstance(exc, ShopError))
            show_problem(self.summary, self.tr("Could not load the profit figures: {0}"), exc)
            return
        self.show_report(report)

    def show_report(self, report: ProfitReport) -> None:
        self.report = report
        self.summary.setToolTip("")  # a failed load's details
        self.model.set_report(report)
        total = report.total
        margin = formatting.DASH if total.margin is None else formatting.percent(total.margin)
        self.summary.setText(self.tr("Profit {0} on revenue {1} (margin {2}); cost {3}.").format(
            formatting.money(total.profit), formatting.money(total.revenue), margin,
            formatting.money(total.cost)))
        self.rebuild_chart()

    def rebuild_chart(self) -> None:
        if self.report is None:
            return
        old = self.chart_view.chart()
        self.chart_view.setChart(self._chart(self.report))
        if old is not None:
            old.deleteLater()

    def _chart_rows(self, report: ProfitReport) -> list[ProfitFigures]:
        if report.by == "day" and report.since is not None:
            return fill_days(report.rows, report.since.date(), utcnow().astimezone(UTC).date())
        return sorted(report.rows, key=lambda r: -r.sold)[:CHART_GROUPS]

    def _chart(self, report: ProfitReport) -> QChart:
        """Revenue, cost and profit per group (bars, left axis), refund rate (line, right axis)."""
        colors = charts.ChartColors(self.palette())
        rows = self._chart_rows(report)
        chart = charts._new_chart(self.tr("Revenue, cost, profit and refund rate"), colors)
        series = QBarSeries()
        for name, meaning, value in ((self.tr("Revenue"), None, "revenue"),
                                     (self.tr("Cost"), "cost", "cost"),
                                     (self.tr("Profit"), "profit", "profit")):
            bars = QBarSet(name)
            bars.setColor(colors.primary if meaning is None else theme.colour(meaning))
            bars.append([float(getattr(r, value)) for r in rows])
            series.append(bars)
        rate = QLineSeries()
        rate.setName(self.tr("Refund rate"))
        pen = QPen(theme.colour("refund"))
        pen.setWidth(2)
        rate.setPen(pen)
        rate.setPointsVisible(True)
        for i, r in enumerate(rows):
            if r.refund_rate is not None:
                rate.append(i, float(r.refund_rate * 100))
        chart.addSeries(series)
        chart.addSeries(rate)
        keys = QBarCategoryAxis()
        charts._style_axis(keys, colors, "")
        keys.append([(r.key or "?")[5:] if report.by == "day" else (r.key or "?") for r in rows])
        keys.setLabelsAngle(-90)
        keys.setGridLineVisible(False)
        chart.addAxis(keys, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(keys)
        rate.attachAxis(keys)
        amounts = [float(getattr(r, v)) for r in rows for v in ("revenue", "cost", "profit")]
        money = QValueAxis()
        charts._style_axis(money, colors, self.tr("Amount ($)"))
        money.setRange(min([0.0, *amounts]), max([1.0, *amounts]))
        money.applyNiceNumbers()
        chart.addAxis(money, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(money)
        percent = QValueAxis()
        charts._style_axis(percent, colors, self.tr("Refund rate (%)"))
        percent.setRange(0, 100)
        percent.setLabelFormat("%d")
        percent.setTickCount(money.tickCount())
        percent.setGridLineVisible(False)
        chart.addAxis(percent, Qt.AlignmentFlag.AlignRight)
        rate.attachAxis(percent)
        return chart
