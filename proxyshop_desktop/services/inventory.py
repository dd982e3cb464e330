"""The local inventory: filtered, sorted, paged queries, whole-table rows for the GUI, facet counts.

Everything runs on the DB thread as raw SQL returning tuples (no peewee model instances): the
window re-filters 50,000 rows on every keystroke and must answer in well under 100 ms. Turning
50,000 SQLite rows into Python objects alone takes longer than that, so `inventory_rows` keeps the
built rows of the whole table in a cache that any committed write invalidates, and per query asks
SQL only for the ordered product ids (inventory_cache.py).

That cache costs ~1.1 KB per proxy: 1,000,000 proxies took 1.1 GB and 7.5 s to build, and a
filter over them up to 2.6 s (benchmarks/bench_inventory.py), far over the window's 350 MB and
100 ms. So above inventory_tab.PAGED_ABOVE (20,000) proxies the window shows `query_inventory` pages
instead (inventory_pages.py): a COUNT and one page, ordered over the bare product table (the
derived last-seen is read only for the page's rows). Filters and sort orders are rendered by
inventory_query.py for all three paths; the filters' counts come from inventory_facets.py.

`last_seen` is derived, because a no-change sync does not rewrite unchanged rows: a row was seen
at the end of the latest successful complete listing that covered it (a full sync or cleanup, or a
sync scoped to its country), or when it was last written, whichever is later.
"""

from __future__ import annotations

from collections.abc import Iterable

from proxyshop_desktop.services import inventory_cache, inventory_facets, inventory_pages
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.inventory_query import (
    MAX_PAGE_SIZE,
    SELECTED,
    SORTS,
    check_paging,
    filters_of,
    normalise_country,
    normalise_proxy_type,
    order_by,
)
from proxyshop_desktop.services.results import InventoryPage, InventoryQuery, InventoryRow

__all__ = ["MAX_PAGE_SIZE", "SORTS", "count_matches", "country_names", "facet_counts", "inventory_rows",
           "normalise_country", "normalise_proxy_type", "query_inventory"]

# The names the sync's tests check the inventory against (the sort keys, the selected columns, the
# database state the row cache follows).
_SORTS = SORTS
_SELECTED = SELECTED
_data_key = inventory_cache.data_key


# --- the service ------------------------------------------------------------------------------


async def query_inventory(ctx: ShopContext, query: InventoryQuery, exact_total: bool = True) -> InventoryPage:
    """One page of the filtered inventory; `total` is the true number of matches (with
    `exact_total` False, maybe a lower bound: see inventory_pages.page and `count_matches`)."""
    filters_of(query)  # validate on the caller's side: a UsageError needs no DB round trip
    check_paging(query)
    order_by(query)
    return await ctx.store.run(inventory_pages.page, query, ctx.settings.price, exact_total)


async def count_matches(ctx: ShopContext, query: InventoryQuery) -> int:
    """How many proxies match the query's filters: from the facet cube, or while it is rebuilt
    after a sync, a SQL COUNT (the window shows a page's rows before this: inventory_pages.page's
    `exact_total`)."""
    filters_of(query)
    return await ctx.store.run(inventory_pages.count_matches, query)


async def inventory_rows(ctx: ShopContext, query: InventoryQuery) -> list[InventoryRow]:
    """Every match (page and page_size ignored), sorted per query.sort/descending, ties by
    product_id. Rows are shared, immutable objects: the same product is the same object across
    calls until the database changes."""
    filters_of(query)
    order_by(query)
    return await ctx.store.run(inventory_cache.all_rows, query, ctx.settings.price)


async def facet_counts(ctx: ShopContext, query: InventoryQuery) -> dict[str, list[tuple[str, int]]]:
    """{"country_code": [("US", 1234), ...], "city": [...], "proxy_type": [...]}, each counted
    under the query's other filters (cities within the chosen country), sorted by value."""
    filters_of(query)
    await inventory_facets.ensure_cube(ctx.store)
    return await ctx.store.run(inventory_facets.facets, query)


async def country_names(ctx: ShopContext, codes: Iterable[str]) -> dict[str, str]:
    """{code: country name} for the given codes that some product names (others left out)."""
    return await ctx.store.run(inventory_pages.country_names, sorted(set(codes)))
