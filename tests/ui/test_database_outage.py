"""A database that stops answering shows in the window's status indicator and recovers by itself.

PostgreSQL: a throwaway cluster of this test's own is halted under a running window (the session
cluster serves other tests). The indicator says the database is unreachable and what to do, a sale
meanwhile is refused before the provider is called (nothing half-applied), the timed sync keeps
running; once the server is back the indicator returns to the sync's state by itself and the
LISTEN thread reconnects (another machine's sale shows again). SQLite: a disk I/O error from the
database file shows there the same way.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import DatabaseUnavailableError
from proxyshop_desktop.models import notify
from proxyshop_desktop.models.database import ShopDatabase
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.shop import open_store
from proxyshop_desktop.simulator import DEMO_TOKEN
from proxyshop_desktop.ui import theme
from tests.factories import create_order
from tests.pg_cluster import PASSWORD, ClusterUnavailable, ThrowawayCluster
from tests.ui.conftest import settle, until


@pytest.fixture
def own_cluster(monkeypatch: pytest.MonkeyPatch) -> Iterator[ThrowawayCluster]:
    """A server this test may halt (PGPASSWORD for its clients, as a shop's operator sets it)."""
    try:
        cluster = ThrowawayCluster().start()
    except ClusterUnavailable as exc:
        pytest.skip(f"no PostgreSQL server programs: {exc}")
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    yield cluster
    cluster.stop()


@pytest.fixture
def shop_url(request: pytest.FixtureRequest) -> str:
    """The shop's database: the data dir's SQLite file unless the test asks for "postgresql"."""
    if getattr(request, "param", "sqlite") != "postgresql":
        return ""
    cluster: ThrowawayCluster = request.getfixturevalue("own_cluster")
    return cluster.create_database("shop")


@pytest.fixture
def gui_shop(sim: Any, make_shop: Any, shop_url: str) -> Any:
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50, database_url=shop_url)


def _sync(window: Any, state: str) -> Any:
    async def go() -> None:
        assert window.controller.request_sync("timer")
        await until(lambda: not window.controller.busy and window.controller.status.state == state,
                    timeout=30, what=f"sync {state}")
        await settle(window.bridge)

    return go()


@pytest.mark.parametrize("shop_url", ["postgresql"], indirect=True)
def test_a_lost_server_shows_in_the_indicator_and_recovers_by_itself(
    main_window: Any, run: Any, sim: Any, own_cluster: ThrowawayCluster, shop_url: str,
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(notify, "RETRY_S", 0.5)
    bridge, indicator = main_window.bridge, main_window.sync_status
    bridge._probe_timer.setInterval(500)
    trays: list[tuple[str, str, bool]] = []
    main_window.controller.trayMessage.connect(lambda *message: trays.append(message))
    assert bridge.start_live_updates()
    listener = bridge._listener
    run(asyncio.to_thread(listener.connected.wait, 10))
    run(_sync(main_window, "success"))
    product_id = run(_first_product(bridge))

    own_cluster.halt()
    with pytest.raises(DatabaseUnavailableError) as refused:  # a sale while the server is away
        run(bridge.shop.sell(product_id, "walk-in"))
    assert "Cannot reach the database server 127.0.0.1:" in refused.value.message
    assert sim.provider.bought() == []  # the provider was never asked: nothing half-applied

    where = f"127.0.0.1:{own_cluster.port}/shop"
    run(until(lambda: indicator.text().startswith(f"Database {where} unreachable: check the server and the network"),
              what="the indicator"))
    assert "trying again in 0:0" in indicator.text()
    assert "Cannot reach the database server 127.0.0.1:" in indicator.toolTip()
    assert "Check that the server runs" in indicator.toolTip()
    assert indicator.dot.colour() == theme.colour("error").name()
    assert not listener.connected.is_set()
    run(_sync(main_window, "error"))  # the timed sync keeps running, and fails cleanly
    assert indicator.text().startswith(f"Database {where} unreachable")  # the database's state first
    assert main_window.controller.timer.isActive()
    assert not trays  # the provider is fine: no "provider sync failing"

    own_cluster.resume()
    run(until(lambda: indicator.text().startswith("Synced "), timeout=20, what="recovery"))
    assert bridge.database_problem is None
    assert indicator.dot.colour() == theme.colour("success").name()
    run(asyncio.to_thread(listener.connected.wait, 10))
    run(settle(bridge))
    assert run(bridge.shop.order_page(_all())).total == 0  # the refused sale left no order
    assert product_id in run(_product_ids(bridge))  # and its product is still for sale

    other_dir = AppPaths(tmp_path / "other-machine")
    other_dir.ensure()
    other = open_store(other_dir, Settings(database_url=shop_url))
    other.open()
    try:
        sold = create_order(other, operator="boris")  # LISTEN works again: seen without a click
        run(until(lambda: main_window.sales_tab.model.row_of(sold.order_id) is not None, timeout=2.0,
                  what="the other machine's sale"))
    finally:
        other.close()


def test_a_failing_database_file_shows_in_the_indicator(
    main_window: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    bridge, indicator = main_window.bridge, main_window.sync_status
    bridge._probe_timer.setInterval(200)
    failing = {"on": True}
    real = ShopDatabase.execute_sql

    def execute_sql(self: ShopDatabase, sql: str, params: Any = None, *args: Any) -> Any:
        if failing["on"]:
            raise sqlite3.OperationalError("disk I/O error")
        return real(self, sql, params, *args)

    monkeypatch.setattr(ShopDatabase, "execute_sql", execute_sql)
    with pytest.raises(DatabaseUnavailableError):
        run(bridge.shop.stats())
    run(until(lambda: indicator.text().startswith("The database file cannot be read or written: check the disk"),
              what="the indicator"))
    assert "trying again in 0:0" in indicator.text()
    assert "(disk I/O error)" in indicator.toolTip()
    assert "Check the disk" in indicator.toolTip()
    assert indicator.dot.colour() == theme.colour("error").name()

    failing["on"] = False  # the disk answers again: the probe notices by itself
    run(until(lambda: bridge.database_problem is None, what="recovery"))
    run(until(lambda: "database" not in indicator.text(), what="the sync state again"))
    assert indicator.text().startswith("Not synced yet")


def _all() -> Any:
    from proxyshop_desktop.services.order_pages import OrderQuery

    return OrderQuery()


async def _product_ids(bridge: Any) -> set[int]:
    from proxyshop_desktop.models.tables import Product

    return await bridge.shop.store.run(lambda: {p.id for p in Product.select(Product.id)})


async def _first_product(bridge: Any) -> int:
    return min(await _product_ids(bridge))


def test_a_background_task_meeting_the_outage_is_no_bug_report(
    bridge: Any, run: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """A timed task (the alert pump, say) failing on the unreachable database logs one warning,
    not an error with a traceback: the indicator already tells the operator."""
    async def fails() -> None:
        raise DatabaseUnavailableError("Cannot reach the database server 127.0.0.1:1: refused.")

    task = bridge.start("timed.work", fails())
    run(asyncio.gather(task, return_exceptions=True))
    run(asyncio.sleep(0))
    records = [r for r in caplog.records if r.name == "proxyshop_desktop.ui.bridge"]
    assert [(r.levelname, r.getMessage()) for r in records] == [
        ("WARNING", "background task timed.work: Cannot reach the database server 127.0.0.1:1: refused.")]


@pytest.mark.parametrize("shop_url", ["postgresql"], indirect=True)
def test_the_listener_polls_while_the_server_is_away_and_listens_again(
    own_cluster: ThrowawayCluster, shop_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While its connection is lost the listener asks for a full refresh at each retry (the
    window polls), and once more when it listens again (what was committed in between)."""
    import time

    from proxyshop_desktop.models.target import DatabaseTarget

    monkeypatch.setattr(notify, "RETRY_S", 0.2)
    heard: list[str] = []
    caught_up: list[bool] = []  # per "*": was the listener listening when it asked?

    def on_change(table: str) -> None:
        heard.append(table)
        caught_up.append(listener.connected.is_set())

    listener = notify.ChangeListener(DatabaseTarget.parse(shop_url), None, on_change)
    listener.start()
    try:
        assert listener.connected.wait(10)
        own_cluster.halt()
        deadline = time.monotonic() + 10
        while heard.count(notify.EVERYTHING) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert heard.count(notify.EVERYTHING) >= 3 and not listener.connected.is_set()
        own_cluster.resume()
        assert listener.connected.wait(20)
        polls = heard.count(notify.EVERYTHING)
        time.sleep(0.3)
        assert heard.count(notify.EVERYTHING) == polls  # connected: no more polling
        assert heard[-1] == notify.EVERYTHING and caught_up[-1]  # the catch-up after LISTEN
        assert not any(caught_up[:-1])  # the polls came while the connection was lost
    finally:
        listener.stop()
