"""Stats tab on a real database: exact cards, chart series and point counts, errors in the tab,
and reloading on bridge signals only while visible."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCharts import QBarSeries, QHorizontalBarSeries, QLineSeries, QStackedBarSeries
from PySide6.QtGui import QColor, QPalette

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.stats_tab import StatsTab
from tests.factories import create_order, create_product, create_sync_run
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True

# --- harness: `loop`, `run`, `bridge`, `gui_shop`, `message_boxes` come from tests/ui/conftest.py


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Set up before (so torn down after) the conftest's loop: the closed qasync loop and this
    test's Qt objects are freed here, on the GUI thread. Left to a later cyclic GC they may be
    freed on whichever thread triggers it (DB worker, simulator), and a QObject destroyed off
    its thread leaves dangling timers that crash a later test."""
    yield
    gc.collect()


@pytest.fixture
def shop(gui_shop: Any) -> Any:
    return gui_shop


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge) -> StatsTab:
    widget = StatsTab(bridge)
    qtbot.addWidget(widget)
    return widget


def card(tab: StatsTab, name: str) -> str:
    return tab.cards[name].value.text()


# --- tests ----------------------------------------------------------------------------------------


def test_cards_show_exact_figures(tab: StatsTab, shop: Any, run: Any) -> None:
    for code in ("US", "US", "DE", "FR"):
        create_product(shop.store, country_code=code)
    for _ in range(3):
        create_order(shop.store, price="2.35")
    create_order(shop.store, status="refunded", price="2.35")
    create_order(shop.store, status="pending", price="2.35")
    create_sync_run(shop.store)

    run(tab.refresh())

    assert tab.objectName() == "statsView"
    assert card(tab, "inventory") == "4"
    assert card(tab, "sold") == "4"  # refunded sales included, pending not
    assert card(tab, "refunded") == "1"
    assert card(tab, "revenue") == "$7.05"  # 4 × 2.35 − 2.35, no float drift
    assert card(tab, "countries") == "3"
    assert card(tab, "pending") == "1"
    assert card(tab, "lastSync").endswith("(just now)")
    assert not tab.error_label.isVisibleTo(tab)


def test_charts_have_the_expected_points(tab: StatsTab, shop: Any, run: Any) -> None:
    for i in range(12):  # 12 countries -> top 10 + "Other"
        for _ in range(i + 1):
            create_product(shop.store, country_code=f"C{i:02d}")
    now = utcnow()
    create_order(shop.store, purchased_at=now - timedelta(minutes=5))
    create_order(shop.store, purchased_at=now - timedelta(days=2))
    for n in range(3):
        create_sync_run(
            shop.store,
            started_at=now - timedelta(minutes=10 - n, seconds=4),
            finished_at=now - timedelta(minutes=10 - n),
        )
    create_sync_run(shop.store, status="failed", error="Provider timed out", finished_at=now)

    run(tab.refresh())

    daily = tab.daily_chart.series()
    bars = next(s for s in daily if isinstance(s, QBarSeries))
    line = next(s for s in daily if isinstance(s, QLineSeries))
    assert [b.count() for b in bars.barSets()] == [30, 30]
    assert line.count() == 30
    assert sum(bars.barSets()[0].at(i) for i in range(30)) == 2
    assert line.at(29).y() == pytest.approx(2.0)
    assert {a.titleText() for a in tab.daily_chart.axes()} == {"Day", "Orders", "Revenue ($)"}

    (countries,) = tab.country_chart.series()
    assert isinstance(countries, QHorizontalBarSeries)
    (proxies,) = countries.barSets()
    assert proxies.count() == 11
    assert proxies.at(proxies.count() - 1) == 12  # the largest country drawn on top
    assert proxies.at(0) == 1 + 2  # "Other": the two smallest countries

    (runs,) = tab.sync_chart.series()
    assert isinstance(runs, QStackedBarSeries)
    ok, failed = runs.barSets()
    assert ok.count() == failed.count() == 4
    assert [failed.at(i) > 0 for i in range(4)] == [False, False, False, True]
    assert ok.at(0) == pytest.approx(4.0, abs=0.01)


def test_a_failed_load_is_shown_in_the_tab_not_a_dialog(
    tab: StatsTab,
    shop: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
    message_boxes: list[dict[str, str]],
) -> None:
    async def broken() -> Any:
        raise StorageError(
            "The database is busy in another ProxyShop process.", "Wait a moment and try again."
        )

    monkeypatch.setattr(shop, "stats", broken)
    run(tab.refresh())
    assert tab.error_label.isVisibleTo(tab)
    assert "busy in another ProxyShop process" in tab.error_label.text()
    assert message_boxes == []


def test_reloads_on_signals_only_when_visible(
    tab: StatsTab, shop: Any, run: Any, qtbot: Any
) -> None:
    calls: list[int] = []
    real = shop.stats

    async def counting() -> Any:
        calls.append(1)
        return await real()

    shop.stats = counting
    tab._bridge.ordersChanged.emit()  # hidden: just stale
    run(asyncio.sleep(0.05))
    assert calls == []

    tab.show()
    qtbot.waitExposed(tab)
    run(until(lambda: len(calls) == 1 and not tab._bridge.is_running("stats.refresh")))
    create_order(shop.store, price="3.10")
    tab._bridge.ordersChanged.emit()
    run(until(lambda: card(tab, "revenue") == "$3.10"))
    assert len(calls) == 2


def test_charts_follow_a_palette_change(tab: StatsTab, shop: Any, run: Any) -> None:
    run(tab.refresh())
    before = tab.daily_chart
    palette = QPalette(tab.palette())
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    tab.setPalette(palette)
    assert tab.daily_chart is not before
    assert tab.daily_chart.backgroundBrush().color() == QColor("#202020")


def test_the_window_leaves_a_hidden_stats_tab_unloaded_until_shown(main_window: Any, run: Any) -> None:
    """Its charts are the costliest widgets to build (bench_gui.py --stacks: ~50 ms of the start-up
    sync's longest stall); a tab nobody looks at builds none, the first look builds them."""
    stats = main_window.stats_tab
    assert main_window.tabs.currentWidget() is not stats
    run(settle(main_window.bridge))
    assert stats.stats is None and stats.profit.report is None  # nothing read, no chart built
    empty = stats.daily_chart  # the view's own placeholder

    main_window.tabs.setCurrentWidget(stats)
    run(until(lambda: stats.stats is not None and not main_window.bridge.is_running("stats.refresh")))
    assert stats.daily_chart is not empty and stats.profit.report is not None
