"""The Stats tab's charts (QtCharts), built from the core's figures and themed from the palette.

Each builder returns a fresh `QChart`; the tab swaps it into its `QChartView` on refresh (charts
are rebuilt only when the data changed, so building is not on a hot path). Values are plotted as
floats — the exact Decimal amounts are what the tooltips and the cards show.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCharts import (
    QAbstractAxis,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QHorizontalBarSeries,
    QLineSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QColor, QCursor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QToolTip

from proxyshop_desktop.services.results import DailyFigure, SyncRunView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.counted import counted
from proxyshop_desktop.ui.plain_text import tooltip

TOP_COUNTRIES = 10
SYNC_RUNS = 50


def translate(context: str, text: str) -> str:
    """QCoreApplication.translate under a name pyside6-lupdate looks for."""
    return QCoreApplication.translate(context, text)


class ChartColors:
    """Series colours picked for the palette's brightness, so the charts match light and dark."""

    def __init__(self, palette: QPalette) -> None:
        self.palette = palette
        self.dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        self.text = palette.color(QPalette.ColorRole.WindowText)
        self.background = palette.color(QPalette.ColorRole.Window)
        self.grid = palette.color(QPalette.ColorRole.Mid)
        self.primary = palette.color(QPalette.ColorRole.Highlight)
        self.refunded = QColor("#ffb74d" if self.dark else "#f57c00")
        self.revenue = QColor("#81c784" if self.dark else "#2e7d32")
        self.failed = QColor("#ef5350" if self.dark else "#d32f2f")
        self.other = palette.color(QPalette.ColorRole.Mid)


def _new_chart(title: str, colors: ChartColors) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundBrush(colors.background)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setTitleBrush(colors.text)
    font = chart.titleFont()
    font.setBold(True)
    chart.setTitleFont(font)
    chart.legend().setLabelColor(colors.text)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
    return chart


def _style_axis(axis: QAbstractAxis, colors: ChartColors, title: str) -> None:
    axis.setTitleText(title)
    axis.setTitleBrush(colors.text)
    axis.setLabelsColor(colors.text)
    axis.setLinePenColor(colors.grid)
    axis.setGridLineColor(colors.grid)
    grid_pen = QPen(colors.grid)
    grid_pen.setStyle(Qt.PenStyle.DotLine)
    axis.setGridLinePen(grid_pen)


def _count_axis(colors: ChartColors, title: str, maximum: float) -> QValueAxis:
    axis = QValueAxis()
    _style_axis(axis, colors, title)
    axis.setLabelFormat("%d")
    axis.setRange(0, max(1.0, maximum))
    axis.applyNiceNumbers()
    _whole_number_ticks(axis)
    return axis


def _whole_number_ticks(axis: QValueAxis) -> None:
    """Counts are whole: on a small range (an empty day chart is 0..1), one tick per unit, or
    "%d" labels the fractional ticks "0, 0, 0, 0, 0, 1"."""
    if axis.max() - axis.min() <= 10:
        axis.setTickCount(int(axis.max() - axis.min()) + 1)


def _show_tip(text: str | None) -> None:
    if text:
        QToolTip.showText(QCursor.pos(), tooltip(text))
    else:
        QToolTip.hideText()


# --- sales and revenue per day --------------------------------------------------------------------


def daily_sales_chart(daily: Sequence[DailyFigure], palette: QPalette) -> QChart:
    """Sold and refunded orders per day (bars, left axis) and revenue (line, right axis)."""
    colors = ChartColors(palette)
    chart = _new_chart(translate("charts", "Sales and revenue per day (UTC, last 30 days)"), colors)
    sold = QBarSet(translate("charts", "Sold"))
    sold.setColor(colors.primary)
    refunded = QBarSet(translate("charts", "Refunded"))
    refunded.setColor(colors.refunded)
    revenue = QLineSeries()
    revenue.setName(translate("charts", "Revenue"))
    pen = QPen(colors.revenue)
    pen.setWidth(2)
    revenue.setPen(pen)
    revenue.setPointsVisible(True)
    for i, figure in enumerate(daily):
        sold.append(figure.sold)
        refunded.append(figure.refunded)
        revenue.append(i, float(figure.revenue))
    bars = QBarSeries()
    bars.append(sold)
    bars.append(refunded)
    chart.addSeries(bars)
    chart.addSeries(revenue)

    days = QBarCategoryAxis()
    _style_axis(days, colors, translate("charts", "Day"))
    days.append([figure.day[5:] for figure in daily])  # "MM-DD": the year is obvious
    days.setLabelsAngle(-90)
    days.setGridLineVisible(False)
    chart.addAxis(days, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(days)
    revenue.attachAxis(days)

    most = max((max(f.sold, f.refunded) for f in daily), default=0)
    orders_axis = _count_axis(colors, translate("charts", "Orders"), most)
    chart.addAxis(orders_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(orders_axis)

    money_axis = _revenue_axis(colors, [float(f.revenue) for f in daily], orders_axis.tickCount())
    chart.addAxis(money_axis, Qt.AlignmentFlag.AlignRight)
    revenue.attachAxis(money_axis)

    def tip(status: bool, index: int, _barset: QBarSet | None = None) -> None:
        if not status or not 0 <= index < len(daily):
            _show_tip(None)
            return
        figure = daily[index]
        _show_tip(
            translate("charts", "{0}: {1} sold, {2} refunded, revenue {3}").format(
                figure.day, figure.sold, figure.refunded, formatting.money(figure.revenue)
            )
        )

    bars.hovered.connect(tip)
    return chart


def _revenue_axis(colors: ChartColors, amounts: list[float], ticks: int) -> QValueAxis:
    """The right-hand revenue scale, with `ticks` ticks (the orders axis's count) so that both
    scales share the grid lines."""
    money_axis = QValueAxis()
    _style_axis(money_axis, colors, translate("charts", "Revenue ($)"))
    money_axis.setLabelFormat("%.0f")
    money_axis.setRange(
        min(0.0, *amounts) if amounts else 0.0, max(1.0, *amounts) if amounts else 1.0
    )
    money_axis.applyNiceNumbers()
    money_axis.setTickCount(ticks)
    if money_axis.max() - money_axis.min() < money_axis.tickCount():
        money_axis.setLabelFormat("%.2f")  # small amounts: "0.00 … 1.00", not "0, 0, 1, 1"
    money_axis.setGridLineVisible(False)
    return money_axis


# --- inventory by country -------------------------------------------------------------------------


def country_rows(
    by_country: Sequence[tuple[str, int]], top: int = TOP_COUNTRIES
) -> list[tuple[str, int]]:
    """The `top` largest countries, then one "Other" row for the rest (if any)."""
    ranked = sorted(by_country, key=lambda item: (-item[1], item[0]))
    rows = list(ranked[:top])
    rest = sum(count for _code, count in ranked[top:])
    if rest:
        rows.append((translate("charts", "Other"), rest))
    return rows


def inventory_by_country_chart(by_country: Sequence[tuple[str, int]], palette: QPalette) -> QChart:
    """Horizontal bars, largest country on top."""
    colors = ChartColors(palette)
    chart = _new_chart(translate("charts", "Inventory by country (top {0})").format(TOP_COUNTRIES), colors)
    chart.legend().setVisible(False)
    rows = list(reversed(country_rows(by_country)))  # a category axis lists bottom to top
    proxies = QBarSet(translate("charts", "Proxies"))
    proxies.setColor(colors.primary)
    for _code, count in rows:
        proxies.append(count)
    bars = QHorizontalBarSeries()
    bars.append(proxies)
    bars.setLabelsVisible(True)
    bars.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsInsideEnd)
    proxies.setLabelColor(colors.palette.color(QPalette.ColorRole.HighlightedText))
    chart.addSeries(bars)

    countries = QBarCategoryAxis()
    _style_axis(countries, colors, translate("charts", "Country"))
    # Chart axis labels are always read as HTML: a country code is the provider's text.
    countries.append([html.escape(code) for code, _count in rows] or [formatting.DASH])
    countries.setGridLineVisible(False)
    countries.setTruncateLabels(False)  # two-letter codes were elided to "..." in a short chart
    chart.addAxis(countries, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(countries)

    counts = _count_axis(colors, translate("charts", "Proxies"), max((c for _code, c in rows), default=0))
    chart.addAxis(counts, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(counts)

    def tip(status: bool, index: int, _barset: QBarSet | None = None) -> None:
        if status and 0 <= index < len(rows):
            code, count = rows[index]
            _show_tip(counted().country_proxies(code, count))
        else:
            _show_tip(None)

    bars.hovered.connect(tip)
    return chart


# --- sync history ---------------------------------------------------------------------------------


def run_seconds(run: SyncRunView) -> float:
    seconds = run.seconds
    return max(0.0, seconds) if seconds is not None else 0.0


def run_tooltip(run: SyncRunView) -> str:
    kind = translate("charts", "Cleanup") if run.kind == "cleanup" else translate("charts", "Sync")
    lines = [
        translate("charts", "{0} #{1} — {2}").format(kind, run.run_id, run.status),
        translate("charts", "Started {0}, took {1}").format(
            formatting.local_time(run.started_at, seconds=True), formatting.duration(run.seconds)
        ),
        translate("charts", "Fetched {0}, added {1}, removed {2}").format(
            formatting.count(run.fetched),
            formatting.count(run.added),
            formatting.count(run.removed),
        ),
    ]
    if run.error:
        lines.append(translate("charts", "Error: {0}").format(run.error))
    return "\n".join(lines)


def sync_history_chart(runs: Sequence[SyncRunView], palette: QPalette) -> QChart:
    """One bar per run (oldest left): its duration; failed runs in red. `runs` newest first,
    as `Shop.sync_history` returns them; only the last SYNC_RUNS are drawn."""
    colors = ChartColors(palette)
    chart = _new_chart(translate("charts", "Sync history (last {0} runs)").format(SYNC_RUNS), colors)
    shown = list(reversed(list(runs)[:SYNC_RUNS]))
    # Two stacked sets where each run has a value in exactly one: a per-bar colour that the
    # legend can explain ("Failed" in red).
    ok = QBarSet(translate("charts", "Succeeded"))
    ok.setColor(colors.primary)
    failed = QBarSet(translate("charts", "Failed"))
    failed.setColor(colors.failed)
    for run in shown:
        seconds = run_seconds(run)
        is_failure = run.status == "failed"
        ok.append(0.0 if is_failure else seconds)
        # A failure that took no time still needs a visible mark.
        failed.append(max(seconds, 0.05) if is_failure else 0.0)
    bars = QStackedBarSeries()
    bars.append(ok)
    bars.append(failed)
    bars.setBarWidth(0.8)
    chart.addSeries(bars)

    axis_runs = QBarCategoryAxis()
    _style_axis(axis_runs, colors, translate("charts", "Runs, oldest to newest"))
    axis_runs.append([f"#{run.run_id}" for run in shown] or [formatting.DASH])
    axis_runs.setLabelsVisible(len(shown) <= 15)  # 50 run numbers would only be noise
    axis_runs.setGridLineVisible(False)
    chart.addAxis(axis_runs, Qt.AlignmentFlag.AlignBottom)
    bars.attachAxis(axis_runs)

    seconds_axis = QValueAxis()
    _style_axis(seconds_axis, colors, translate("charts", "Duration (s)"))
    seconds_axis.setLabelFormat("%.1f")  # most syncs take under a second: "0, 0, 1, 1" misleads
    seconds_axis.setRange(0, max([1.0, *(run_seconds(r) for r in shown)]))
    seconds_axis.applyNiceNumbers()
    chart.addAxis(seconds_axis, Qt.AlignmentFlag.AlignLeft)
    bars.attachAxis(seconds_axis)

    def tip(status: bool, index: int, _barset: QBarSet | None = None) -> None:
        _show_tip(run_tooltip(shown[index]) if status and 0 <= index < len(shown) else None)

    bars.hovered.connect(tip)
    return chart


RENDER_HINTS = QPainter.RenderHint.Antialiasing
