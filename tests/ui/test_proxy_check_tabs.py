"""Check proxy from the Sales and Refunds tabs, against the simulator's SOCKS5 gateway: the outcome
in words, the button disabled while it runs, the stored checks as the order's detail line, and
the refund confirmation's Check proxy first."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.services.results import InventoryQuery, OrderView
from proxyshop_desktop.ui import proxy_check_action
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.refunds_tab import RefundsTab
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture
def sim() -> Iterator[Any]:
    """The simulated provider with its SOCKS5 gateway (sold proxies answer on loopback)."""
    from proxyshop_desktop.simulator import SimulatedProvider, SimulatorServer

    with SimulatorServer(SimulatedProvider(proxies=60, seed=5), socks=True) as server:
        yield server


@pytest.fixture
def gui_shop(sim: Any, make_shop: Callable[..., Any]) -> Any:
    from proxyshop_desktop.simulator import DEMO_TOKEN

    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50,
                     check_url=sim.check_url, check_timeout=5)


def sell(run: Callable[..., Any], shop: Any) -> OrderView:
    run(shop.sync())
    page = run(shop.inventory(InventoryQuery(page_size=1)))
    return run(shop.sell(page.rows[0].product_id, "alice"))


def select(view: Any, model: Any, order_id: str) -> None:
    row = model.row_of(order_id)
    assert row is not None, order_id
    view.selectRow(row)


def test_sales_tab_checks_a_working_proxy_and_shows_its_history(
        qtbot: Any, bridge: ShopBridge, gui_shop: Any, run: Any) -> None:
    order = sell(run, gui_shop)
    tab = SalesTab(bridge)
    qtbot.addWidget(tab)
    run(tab.refresh())
    button = tab.proxy_check.button
    assert button.objectName() == "salesCheckProxyButton" and not button.isEnabled()
    select(tab.table, tab.model, order.order_id)
    assert button.isEnabled()
    run(settle(bridge))
    assert "Proxy checks: none yet." in tab.proxy_check.history_label.text()

    button.click()
    assert not button.isEnabled()  # while the check runs
    run(until(lambda: "works" in tab.message.text()))
    assert f"The proxy of {order.order_id} works:" in tab.message.text()
    assert order.credentials is not None and order.credentials.password not in tab.message.text()
    run(settle(bridge))
    run(until(lambda: button.isEnabled()))
    assert "works, by " in tab.proxy_check.history_label.text()


def test_refund_check_first_then_refund_with_the_failed_check_in_the_audit_trail(
        qtbot: Any, bridge: ShopBridge, gui_shop: Any, sim: Any, run: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    order = sell(run, gui_shop)
    sim.provider.set_purchased_proxy_offline(order.credentials_id)
    asked: list[tuple[str, bool]] = []

    def ask_refund(_parent: Any, text: str, *, offer_check: bool) -> str:
        asked.append((text, offer_check))
        return "check" if offer_check else "yes"

    monkeypatch.setattr(proxy_check_action, "ask_refund", ask_refund)
    tab = RefundsTab(bridge)
    qtbot.addWidget(tab)
    run(tab.refresh())
    select(tab.table, tab.model, order.order_id)
    tab.refund()
    run(until(lambda: len(asked) == 2, what="the confirmation asked again after the check"))
    assert asked[0] == (f"Refund {order.order_id} for $2.00?", True)
    text, offered = asked[1]
    assert not offered and f"The proxy of {order.order_id} is unreachable." in text
    run(until(lambda: "Refunded" in tab.answer.text(), what="the refund"))
    run(settle(bridge))

    def trail() -> list[tuple[str, bool]]:
        query = AuditEvent.select().where(AuditEvent.order_id == order.order_id)
        return [(e.kind, e.ok) for e in query.order_by(AuditEvent.id)]

    kinds = gui_shop.store.run_blocking(trail)
    assert ("check", False) in kinds and kinds.index(("check", False)) < kinds.index(("refund", True))
    message = gui_shop.store.run_blocking(
        lambda: AuditEvent.get(AuditEvent.kind == "check").message)
    assert f"before a refund of {order.order_id}" in message and "unreachable" in message
