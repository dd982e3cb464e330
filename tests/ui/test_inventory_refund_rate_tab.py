"""The Inventory tab's refund-rate column and filter, over the simulator's synced stock with
past sales written straight into the orders table."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from proxyshop_desktop.ui.inventory_model import COLUMN_KEYS, REFUND_COLUMN
from tests.factories import create_order
from tests.ui.inventory_helpers import reload, shown

ON_BOTH_ENGINES = True


@pytest.fixture
def flaky_country(synced_inventory_tab: Any, run: Any) -> str:
    """The first listed country gets 20 past sales, 10 refunded (50 %)."""
    tab = synced_inventory_tab
    code = shown(tab)[0].country_code
    store = tab._bridge.shop.store
    for i in range(20):
        create_order(store, status="refunded" if i < 10 else "sold", country_code=code, isp="past")
    tab._bridge.inventoryChanged.emit()  # what a sale or refund signals
    reload(tab, run)
    return code


def test_rate_column_sort_and_filter(synced_inventory_tab: Any, run: Any, flaky_country: str) -> None:
    tab = synced_inventory_tab
    rows = shown(tab)
    flaky = [r for r in rows if r.country_code == flaky_country]
    assert flaky and all(r.refund_basis == "country" for r in flaky)
    row = rows.index(flaky[0])
    assert tab.model.index(row, REFUND_COLUMN).data() == "50.0 %"
    tab.table.sortByColumn(COLUMN_KEYS.index("refund_rate"), Qt.SortOrder.DescendingOrder)
    reload(tab, run)
    assert shown(tab)[0].country_code == flaky_country
    tab.refund_filter.setCurrentIndex(tab.refund_filter.findData(20))
    reload(tab, run)
    assert shown(tab) and all(r.country_code != flaky_country for r in shown(tab))
    tab.clear_button.click()
    reload(tab, run)
    assert len(shown(tab)) == len(rows) and tab.refund_filter.currentIndex() == 0
