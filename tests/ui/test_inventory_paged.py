"""A large inventory pages from SQL (inventory_tab.PAGED_ABOVE): the same rows in the same order
as the in-memory path, fetched as the view scrolls; filters, sorts and selection still work."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest

from proxyshop_desktop.services import inventory
from proxyshop_desktop.ui import inventory_select, inventory_tab
from proxyshop_desktop.ui.inventory_model import COLUMN_KEYS
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True

PAGE = 50


@pytest.fixture
def tab(main_window: Any, run: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The Inventory tab paging the simulator's 300 proxies, 50 at a time."""
    monkeypatch.setattr(inventory_tab, "PAGED_ABOVE", 100)
    monkeypatch.setattr(inventory_tab, "PAGE_ROWS", PAGE)

    async def sync() -> None:
        assert main_window.controller.request_sync("manual")
        await until(lambda: main_window.controller.status.state == "success" and not main_window.controller.busy)
        await settle(main_window.bridge)

    run(sync())
    return main_window.inventory_tab


def reload(tab: Any, run: Any) -> None:
    async def wait() -> None:
        await until(lambda: not tab._text_timer.isActive(), what="debounce")
        await settle(tab._bridge)

    run(wait())


def load_all(tab: Any, run: Any) -> None:
    for _ in range(20):
        if not tab.model.canFetchMore():
            return
        tab.model.fetchMore()
        run(settle(tab._bridge))
    raise AssertionError("the pages never ended")


def ids(rows: list[Any]) -> list[int]:
    return [r.product_id for r in rows]


def cached(tab: Any, run: Any) -> list[int]:
    """What the in-memory path shows for the tab's current query."""
    return ids(run(inventory.inventory_rows(tab._bridge.shop.ctx, tab.current_query())))


def test_pages_as_it_scrolls_and_ends_with_every_row_in_the_cached_order(tab: Any, run: Any) -> None:
    assert tab.model.paged and tab.model.rowCount() == PAGE  # the first page only
    assert tab.model.total == 300 and tab.count_label.text() == "300 proxies"
    for _ in range(20):  # the view asks for more as it reaches the bottom
        tab.table.scrollToBottom()
        run(settle(tab._bridge))
    assert tab.model.rowCount() == 300 and not tab.model.canFetchMore()  # the last page ended it
    assert ids(tab.model.rows) == cached(tab, run)


@pytest.mark.parametrize(("key", "order"), [("speed", Qt.SortOrder.DescendingOrder),
                                            ("isp", Qt.SortOrder.AscendingOrder),
                                            ("last_seen", Qt.SortOrder.DescendingOrder)])
def test_a_sort_pages_in_the_same_order_as_the_cached_rows(tab: Any, run: Any, key: str, order: Any) -> None:
    # ISPs include "Telefônica Brasil" and "Telefonica Germany": PostgreSQL's ICU collation
    # put them in the other order until v11 (models/pg_schema.py: nocase_order)
    tab.table.horizontalHeader().setSortIndicator(COLUMN_KEYS.index(key), order)
    reload(tab, run)
    assert tab.model.rowCount() == PAGE
    load_all(tab, run)
    assert ids(tab.model.rows) == cached(tab, run)


def test_a_filter_counts_every_match_and_one_that_empties_the_list(tab: Any, run: Any) -> None:
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("residential"))
    reload(tab, run)
    matching = cached(tab, run)
    assert tab.model.total == len(matching) and tab.count_label.text() == f"{len(matching)} of 300 proxies"
    load_all(tab, run)
    assert ids(tab.model.rows) == matching
    tab.isp_filter.setText("zzz-no-such-isp")
    reload(tab, run)
    assert tab.model.rowCount() == 0 and tab.model.total == 0 and not tab.model.canFetchMore()
    assert tab.count_label.text() == "0 of 300 proxies"


def test_selection_and_scroll_position_survive_a_refresh(tab: Any, run: Any) -> None:
    tab.model.fetchMore()
    run(settle(tab._bridge))
    tab.model.fetchMore()
    run(settle(tab._bridge))
    assert tab.model.rowCount() == 3 * PAGE
    tab.table.selectRow(120)
    chosen = tab.model.product_id(120)
    tab.table.scrollTo(tab.model.index(100, 0), tab.table.ScrollHint.PositionAtTop)
    top = tab.model.product_id(tab.table.rowAt(0))

    tab._inventory_changed()  # what a sync's change signal does
    run(settle(tab._bridge))

    assert tab.model.rowCount() == 3 * PAGE  # as many rows as were loaded
    assert tab.selected_product_ids() == [chosen]
    assert tab.model.product_id(tab.table.rowAt(0)) == top


def test_every_country_in_the_filter_has_its_name_though_few_rows_are_loaded(tab: Any, run: Any) -> None:
    labels = [tab.country_filter.itemText(i) for i in range(1, tab.country_filter.count())]
    loaded = {r.country_code for r in tab.model.rows}
    assert len(labels) > len(loaded)  # the first page holds only some of the countries
    codes = [tab.country_filter.itemData(i) for i in range(1, tab.country_filter.count())]
    named = run(tab._bridge.shop.country_names(codes))
    assert len(named) == len(labels)
    pairs = zip(labels, sorted(named.items()), strict=True)
    assert all(f"{code} — {name} (" in label for label, (code, name) in pairs)


def test_select_all_loads_and_selects_every_match(tab: Any, run: Any) -> None:
    """Ctrl+A on a paged list selects what matches, not just the first loaded page."""
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("residential"))
    reload(tab, run)
    matching = cached(tab, run)
    assert tab.model.rowCount() == PAGE < len(matching)
    tab.table.setFocus()
    QTest.keySequence(tab.table, QKeySequence.StandardKey.SelectAll)
    run(settle(tab._bridge))
    assert tab.selected_product_ids() == matching
    assert tab.sell_button.text() == f"Sell {len(matching)}…" and tab.message.text() == ""


def test_select_all_past_one_batch_selects_the_first_batch_and_says_so(tab: Any, run: Any,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory_select, "SELECT_ALL_MAX", 120)
    tab.table.selectAll()
    run(settle(tab._bridge))
    assert tab.selected_product_ids() == cached(tab, run)[:120]
    assert tab.message.text() == ("Selected the first 120 of 300 matching proxies: narrow the filters "
                                  "to sell more at once.")
    tab.table.selectAll()  # again, with the batch loaded: nothing more to load, the same words
    run(settle(tab._bridge))
    assert len(tab.selected_product_ids()) == 120 and "120 of 300" in tab.message.text()


def test_while_the_counts_are_rebuilt_a_filter_shows_its_rows_first_and_their_number_after(
    tab: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after a sync of 1,000,000 proxies the facet cube takes seconds to build: a filter
    change must not wait for its COUNT (0.1-0.3 s) before showing its rows."""
    from proxyshop_desktop.services import inventory_pages

    monkeypatch.setattr(inventory_pages, "cube_where", lambda _query: None)  # the cube is not built yet
    monkeypatch.setattr(inventory_pages, "WALK_ROWS", 100)  # pages of 50 of 300: counting stops at 150
    counted = threading.Event()
    real_count = inventory_pages.count_matches

    def slow_count(query: Any) -> int:  # on the DB thread
        assert counted.wait(10)
        return real_count(query)

    monkeypatch.setattr(inventory_pages, "count_matches", slow_count)
    tab.type_filter.setCurrentIndex(tab.type_filter.findData("residential"))
    matching = cached(tab, run)
    run(until(lambda: tab.model.rowCount() == PAGE and ids(tab.model.rows) == matching[:PAGE], what="rows"))
    assert tab.count_label.text() == "Counting the matching proxies…"
    assert tab.model.canFetchMore()  # the next page is there to scroll to

    counted.set()
    run(settle(tab._bridge))
    assert tab.model.total == len(matching) and tab.count_label.text() == f"{len(matching)} of 300 proxies"
