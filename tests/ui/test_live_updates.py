"""A window on a shared PostgreSQL database sees another machine's sale within 2 s, without a
manual refresh: the bridge's change listener (LISTEN/NOTIFY on its own thread) turns the other
machine's commit into the same signals this window's own writes emit."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.shop import open_store
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.factories import create_order


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_another_machines_sale_shows_within_two_seconds(
    engine: str, bridge: Any, qtbot: Any, run: Any, tmp_path: Any, pg_url: str
) -> None:
    tab = SalesTab(bridge)
    qtbot.addWidget(tab)
    tab.show()
    assert run(_start(bridge)) is True
    run(tab.refresh())
    assert tab.model.rowCount() == 0

    other_dir = AppPaths(tmp_path / "other-machine")
    other_dir.ensure()
    # the other machine on the window's own database (the tests reuse one per session)
    other = open_store(other_dir, Settings(database_url=bridge.shop.settings.database_url))
    other.open()
    try:
        sold = create_order(other, operator="boris")  # the other machine's sale
        started = time.monotonic()
        run(_until(lambda: tab.model.rowCount() == 1, 2.0))
        assert time.monotonic() - started < 2.0
        assert tab.model.row_of(sold.order_id) is not None
    finally:
        other.close()


async def _start(bridge: Any) -> bool:
    started: bool = bridge.start_live_updates()
    listener = bridge._listener
    await asyncio.to_thread(listener.connected.wait, 10)
    return started


async def _until(condition: Any, timeout: float) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("not seen within the time allowed")
        await asyncio.sleep(0.02)
