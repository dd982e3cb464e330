"""Helpers of the Sales tab tests."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.orders_model import ORDER_ID_ROLE
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.ui.conftest import settle


def drain(run: Callable[..., Any], bridge: ShopBridge) -> None:
    """Until the tab's tasks are done and their deferred (zero-delay timer) callbacks ran."""
    run(settle(bridge))
    run(asyncio.sleep(0.02))


def ids_in_table(tab: SalesTab) -> list[str]:
    model = tab.model
    return [model.data(model.index(row, 0), ORDER_ID_ROLE) for row in range(model.rowCount())]


def select_ids(tab: SalesTab, *order_ids: str) -> None:
    tab.table.clearSelection()
    selector = tab.table.selectionModel()
    for order_id in order_ids:
        row = tab.model.row_of(order_id)
        assert row is not None, order_id
        selector.select(
            tab.model.index(row, 0), selector.SelectionFlag.Select | selector.SelectionFlag.Rows
        )
