"""The Stats tab's profit cards and its profit section (table and chart) on a real database."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCharts import QBarSeries, QLineSeries

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.stats_tab import StatsTab
from tests.factories import create_order
from tests.ui.conftest import settle

ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge) -> StatsTab:
    widget = StatsTab(bridge)
    qtbot.addWidget(widget)
    return widget


def cells(tab: StatsTab) -> list[list[str]]:
    model = tab.profit.model
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def test_profit_cards_table_and_chart(tab: StatsTab, gui_shop: Any, run: Any, bridge: Any) -> None:
    store = gui_shop.store
    now = utcnow()
    # US: 2 kept at 2.00 (cost 0.80) + 1 refunded; DE: 1 refund_unknown (cost kept), bought
    # 40 days ago: outside "last 30 days", inside "last 90 days".
    create_order(store, country_code="US", price="2.00", cost="0.80", purchased_at=now)
    create_order(store, country_code="US", price="2.00", cost="0.80", purchased_at=now)
    create_order(store, status="refunded", country_code="US", price="2.00", cost="0.80",
                 purchased_at=now)
    create_order(store, status="refund_unknown", country_code="DE", price="2.00", cost="0.80",
                 purchased_at=now - timedelta(days=40))
    run(tab.refresh())
    # revenue 4 x 2.00 - 2.00 = 6.00; cost 3 x 0.80 = 2.40; profit 3.60; margin 60 %
    assert tab.cards["cost"].value.text() == "$2.40"
    assert tab.cards["profit"].value.text() == "$3.60"
    assert "60.0 %" in tab.cards["profit"].toolTip()

    tab.profit.grouping.setCurrentIndex(tab.profit.grouping.findData("country"))
    run(settle(bridge))
    assert cells(tab) == [
        ["US", "3", "1", "33.3 %", "$4.00", "$1.60", "$2.40"],
        ["Total", "3", "1", "33.3 %", "$4.00", "$1.60", "$2.40"],
    ]
    tab.profit.period.setCurrentIndex(tab.profit.period.findData(90))
    run(settle(bridge))
    assert [row[0] for row in cells(tab)] == ["DE", "US", "Total"]
    assert cells(tab)[-1][4:] == ["$6.00", "$2.40", "$3.60"]
    assert "margin 60.0 %" in tab.profit.summary.text()
    series = tab.profit.chart_view.chart().series()
    assert len(series) == 2 and isinstance(series[0], QBarSeries)
    assert [s.label() for s in series[0].barSets()] == ["Revenue", "Cost", "Profit"]
    # the refund rate line: DE 0 %, US 33.3 %, in the chart's (most sold first) order
    assert isinstance(series[1], QLineSeries)
    assert sorted(round(p.y(), 1) for p in series[1].points()) == [0.0, 33.3]

    tab.profit.grouping.setCurrentIndex(tab.profit.grouping.findData("day"))
    run(settle(bridge))
    bars = tab.profit.chart_view.chart().series()[0].barSets()[2]
    assert bars.count() == 90  # every day of the period, the empty ones as zero
