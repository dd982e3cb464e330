"""The window on a big shop, for `bench_orders.py --gui`: a child process runs the real
`app.run_gui` (offscreen, no API token, so no sync) on a filled data dir and reports, as one JSON
line: launch -> first paint -> idle (no task running, the Sales tab filled, the 5 ms heartbeat
on time for 300 ms); then on the Sales tab: first rows shown (a fresh query until the viewport
repainted), search, status filter and sorts (the change until the model reset and the repaint),
and the longest heartbeat gap while scrolling from the top through 20 pages.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import time
import traceback
from pathlib import Path
from typing import Any

from _stalls import Pulse

HEARTBEAT_MS = 5
_PRODUCT_COLUMNS = (
    "proxy_id, proxy_ip, country, country_code, city, region, isp, speed, proxy_type, status, "
    "fingerprint, first_seen, last_seen, last_changed"
)


def fill_products(database: Path, n: int) -> None:
    """`n` online proxies in the product table (raw inserts, like a sync writes them)."""
    con = sqlite3.connect(database)
    have = con.execute("SELECT COUNT(*) FROM product").fetchone()[0]
    now = "2026-12-01T00:00:00.000000+00:00"
    countries = ("US", "DE", "FR", "BR", "RU", "GB", "NL", "PL")
    rows = ((9_000_000 + i, f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", "Country", countries[i % 8],
             f"City {i % 300}", "R", f"ISP {i % 500}", 50 + i % 900, ("residential", "mobile", "hosting")[i % 3],
             1, f"fp{i}", now, now, now) for i in range(have, n))
    with con:
        con.executemany(f"INSERT INTO product ({_PRODUCT_COLUMNS}) VALUES ({','.join('?' * 14)})", rows)
    con.close()


async def _until(cond: Any, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        await asyncio.sleep(0.005)


async def _idle(window: Any, pulse: Pulse) -> float:
    bridge, tab = window.sales_tab._bridge, window.sales_tab
    while True:
        await _until(lambda: not bridge._tasks and tab.model.rowCount() > 0)
        start = time.perf_counter()
        await asyncio.sleep(0.3)
        beats = pulse.since(start)
        gaps = [b - a for a, b in zip(beats, beats[1:], strict=False)]
        if not bridge._tasks and (not gaps or max(gaps) < 0.05):
            return start


async def _measure(tab: Any, change: Any) -> float:
    """ms from the change until the model reset and the Sales viewport repainted."""
    from PySide6.QtCore import QTimer

    done: list[float] = []

    def on_reset() -> None:
        QTimer.singleShot(0, lambda: (tab.table.viewport().repaint(), done.append(time.perf_counter())))

    await asyncio.sleep(0.2)
    tab.model.modelReset.connect(on_reset)
    start = time.perf_counter()
    change()
    await _until(lambda: done, 60)
    tab.model.modelReset.disconnect(on_reset)
    return (done[0] - start) * 1000


async def _scroll(tab: Any, pages: int, pulse: Pulse) -> tuple[float, int]:
    await asyncio.sleep(0.2)
    if pulse.sampler is not None:
        pulse.sampler.samples.clear()
    start = time.perf_counter()
    bar = tab.table.verticalScrollBar()
    for _ in range(pages):
        bar.setValue(bar.maximum())
        await asyncio.sleep(0.03)
        await _until(lambda: not tab._bridge.is_running("sales.more"), 60)
    run = pulse.since(start)
    gaps = [b - a for a, b in zip(run, run[1:], strict=False)]
    return max(gaps) * 1000, tab.model.rowCount()


def _steps(tab: Any) -> list[tuple[str, Any]]:
    """The Sales tab changes measured, by name."""
    from PySide6.QtCore import Qt

    from proxyshop_desktop.ui.orders_model import Col

    def search(text: str) -> Any:
        def go() -> None:
            tab.search.blockSignals(True)  # no debounce: measure the query and the repaint
            tab.search.setText(text)
            tab.search.blockSignals(False)
            tab.schedule_refresh()
        return go

    def status(value: str | None) -> Any:
        return lambda: tab.status_filter.setCurrentIndex(tab.status_filter.findData(value))

    def sort(col: Any, order: Any) -> Any:
        return lambda: tab.table.sortByColumn(tab.model.column_of(col), order)

    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    return [("first rows shown", tab.schedule_refresh), ("search 'женя'", search("женя")),
            ("search an IP '203.1.2.3'", search("203.1.2.3")), ("clear search", search("")),
            ("status filter refunded", status("refunded")), ("status filter all", status(None)),
            ("sort price ascending", sort(Col.PRICE, asc)),
            ("sort customer ascending", sort(Col.CUSTOMER, asc)),
            ("sort country descending", sort(Col.COUNTRY, desc)),
            ("sort order id ascending", sort(Col.ORDER_ID, asc)),
            ("sort purchased descending", sort(Col.PURCHASED, desc))]


async def _scenario(window: Any, painted: float, pulse: Pulse, offset: float, spawned: float
                    ) -> dict[str, Any]:
    tab = window.sales_tab
    result: dict[str, Any] = {"first_paint_s": painted + offset - spawned}
    result["idle_s"] = await _idle(window, pulse) + offset - spawned
    window.tabs.setCurrentWidget(tab)
    await asyncio.sleep(0.3)
    result["orders_total"] = tab.model.total
    result["ops_ms"] = {name: await _measure(tab, change) for name, change in _steps(tab)}
    result["scroll_max_gap_ms"], result["scrolled_rows"] = await _scroll(tab, 20, pulse)
    if pulse.sampler is not None:
        result["scroll_stalls"] = sorted(pulse.sampler.samples.items(), key=lambda kv: -kv[1])[:8]
    return result


def child(spawned: float) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from proxyshop_desktop import app as gui

    qapp = QApplication(["proxyshop-desktop"])
    pulse = Pulse(HEARTBEAT_MS)
    offset = time.time() - time.perf_counter()  # perf_counter -> wall clock

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.seen and event.type() == QEvent.Type.Paint and obj.objectName() == "mainWindow":
                self.seen = True
                painted = time.perf_counter()
                QTimer.singleShot(0, lambda: start(obj, painted))
            return False

    def start(window: Any, painted: float) -> None:
        def report(task: asyncio.Future[dict[str, Any]]) -> None:
            if task.exception() is not None:
                traceback.print_exception(task.exception())
                os._exit(3)
            print(json.dumps(task.result()), flush=True)
            os._exit(0)

        asyncio.ensure_future(_scenario(window, painted, pulse, offset, spawned)).add_done_callback(report)

    spy = FirstPaint()
    qapp.installEventFilter(spy)
    gui.run_gui(demo=False, argv=["proxyshop-desktop"])
