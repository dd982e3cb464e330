"""One page of the filtered, sorted inventory from SQL, for inventories too large to cache.

A COUNT and one page, ordered over the bare product table; the derived last-seen is read only
for the page's rows. Runs on the DB thread.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services import inventory_keyset
from proxyshop_desktop.services.inventory_cache import (
    RowBuilder,
    by_refund_rate,
    known_values,
    set_refund_rates,
)
from proxyshop_desktop.services.inventory_facets import cube_where
from proxyshop_desktop.services.inventory_query import (
    COLUMNS,
    FULL_RUN,
    INDEX_ORDERED,
    SCOPED_RUNS,
    filters_of,
    order_by,
    resolve,
)
from proxyshop_desktop.services.results import InventoryPage, InventoryQuery

#: rows a page may walk along its sort's index, checking each against the filters, before
#: filtering first (through a filter's index) and sorting the matches is the better plan
WALK_ROWS = 50_000


def page(query: InventoryQuery, price: Decimal, exact_total: bool = True) -> InventoryPage:
    """`exact_total` False: when the facet cube cannot count the matches (it is being built after
    a sync), no full COUNT of a filter's matches (60-300 ms at 1,000,000 proxies, before the rows):
    the page's `total` is then a lower bound (`counted` False); `count_matches` counts after."""
    if query.sort == "refund_rate" or query.max_refund_rate is not None:
        matches = by_refund_rate(query, price)
        start = (query.page - 1) * query.page_size
        return InventoryPage(rows=matches[start : start + query.page_size], total=len(matches),
                             page=query.page, page_size=query.page_size)
    db = database_proxy
    offset = (query.page - 1) * query.page_size
    start = 0 if inventory_keyset.marked(query, offset) else offset
    answer = cube_where(query)
    counted = True
    if answer is not None:  # the count without touching the table (inventory_facets.py)
        cube, resolved = answer
        total, size = cube.count(resolved), cube.size
    else:
        resolved = resolve(filters_of(query), *known_values(query))
        where, params = resolved.sql()
        size = db.execute_sql("SELECT max(id) FROM product").fetchone()[0] or 0  # about every row
        # Enough matches to walk the sort's index (_walk) is all a page needs to know: counting
        # up to there is cheap, and exact below it.
        if exact_total or query.sort == "last_seen":
            total = db.execute_sql(f"SELECT count(*) FROM product AS p{where}", params).fetchone()[0]
        else:
            bound = _walk_bound(query, start, size)
            total = db.execute_sql(f"SELECT count(*) FROM (SELECT 1 FROM product AS p{where} LIMIT {bound}) AS m",
                                   params).fetchone()[0]
            counted = total < bound
    where, params = resolved.sql(unindexed=() if is_postgres(db) else _walk(query, start, total, size))
    ids = _seen_ids(query, where, params, total, offset) if query.sort == "last_seen" else None
    if ids is None and query.sort == "last_seen":  # derived per row: the join is part of the order
        sql = (f"SELECT {COLUMNS} FROM product AS p{SCOPED_RUNS}{where}"
               f" ORDER BY {order_by(query)} LIMIT ? OFFSET ?")
        tuples = db.execute_sql(sql, [*params, query.page_size, offset]).fetchall()
    else:
        # The page's ids first, from the product table alone; then only those rows get the
        # derived last_seen. Joining first computed it for every match before sorting: a sort on
        # an unindexed column of 1,000,000 proxies took 2.0 s that way, not ~0.5 s
        # (benchmarks/bench_inventory.py).
        if ids is None:
            ids = inventory_keyset.page_ids(query, where, params, offset) if total else []
        if ids is None:
            sql = f"SELECT p.id FROM product AS p{where} ORDER BY {order_by(query)} LIMIT ? OFFSET ?"
            ids = [i for (i,) in db.execute_sql(sql, [*params, query.page_size, offset])]
        inventory_keyset.remember(query, offset, ids)
        sql = (f"SELECT {COLUMNS} FROM product AS p{SCOPED_RUNS}"
               " WHERE p.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")  # PG: text
        found = {t[0]: t for t in db.execute_sql(sql, [json.dumps(ids)])}
        tuples = [found[i] for i in ids]
    rows = RowBuilder(price).rows(tuples)
    set_refund_rates(rows)
    if not counted:  # a lower bound: the rows up to this page's, and one more after a full page
        total = offset + len(rows) + (len(rows) == query.page_size)
    return InventoryPage(rows=rows, total=total, page=query.page, page_size=query.page_size, counted=counted)


def count_matches(query: InventoryQuery) -> int:
    """The number of matches: from the facet cube when it answers, else a SQL COUNT."""
    answer = cube_where(query)
    if answer is not None:
        return answer[0].count(answer[1])
    if query.max_refund_rate is not None:
        return len(by_refund_rate(query, Decimal(0)))
    where, params = resolve(filters_of(query), *known_values(query)).sql()
    return int(database_proxy.execute_sql(f"SELECT count(*) FROM product AS p{where}", params).fetchone()[0])


def _walk_bound(query: InventoryQuery, start: int, size: int) -> int:
    """The fewest matches at which _walk walks the sort's index for this page."""
    return max(1, -(-(start + query.page_size) * size // WALK_ROWS))


def _walk(query: InventoryQuery, start: int, total: int, size: int) -> tuple[str, ...]:
    """The filter columns to keep off their indexes, so that SQLite walks the sort's index and
    stops after the page: when the matches are dense enough that the page's last row is near
    (300,000 mobile proxies sorted by speed: SQLite chose the type index and sorted them all).
    The country filter stays on its index under the country sort, which starts with it."""
    walked = (start + query.page_size) * size / max(total, 1)  # start: 0 from a bookmark
    if not total or walked > WALK_ROWS:
        return ()
    keep = ("country_code",) if query.sort in INDEX_ORDERED else ()
    return tuple(c for c in ("country_code", "city", "proxy_type", "isp", "speed") if c not in keep)


def _seen_ids(query: InventoryQuery, where: str, params: list[Any], total: int, offset: int) -> list[int] | None:
    """The page's ids in last-seen order from the last_seen index (None: sort them all).

    A row's last seen is the later of its own time and the last full listing's end (G), unless
    a scoped listing ended later for its country. Without such a listing, the rows written
    before G share the value G (their order is the id's) and the few written since sort by their
    own time: two index walks instead of sorting 1,000,000 derived values (4-7 s)."""
    db = database_proxy
    if is_postgres(db):
        return None
    full = db.execute_sql(f"SELECT {FULL_RUN}").fetchone()[0]
    newer = db.execute_sql("SELECT 1 FROM sync_run WHERE status = 'success' AND scope IS NOT NULL"
                           " AND finished_at > ? LIMIT 1", (full,)).fetchone()
    if newer is not None:
        return None
    and_ = " AND" if where else " WHERE"
    way = " DESC" if query.descending else ""
    later = (f"SELECT p.id FROM product AS p{where}{and_} p.last_seen > ?"
             f" ORDER BY p.last_seen{way}, p.id{way} LIMIT ? OFFSET ?")
    at_full = f"SELECT p.id FROM product AS p{where}{and_} +p.last_seen <= ? ORDER BY p.id{way} LIMIT ? OFFSET ?"
    n_later = total if not full else db.execute_sql(
        f"SELECT count(*) FROM product AS p{where}{and_} p.last_seen > ?", [*params, full]).fetchone()[0]
    parts = [(at_full, total - n_later), (later, n_later)]
    ids: list[int] = []
    for sql, n in parts[::-1] if query.descending else parts:
        want = query.page_size - len(ids)
        if want > 0 and offset < n:
            ids += [i for (i,) in db.execute_sql(sql, [*params, full, want, offset])]
        offset = max(0, offset - n)
    return ids


def country_names(codes: list[str]) -> dict[str, str]:
    # One index probe per code: a paged window holds too few rows to learn the names from.
    sql = "SELECT p.country FROM product AS p WHERE p.country_code = ? AND p.country IS NOT NULL LIMIT 1"
    found = ((code, database_proxy.execute_sql(sql, (code,)).fetchone()) for code in codes)
    return {code: row[0] for code, row in found if row is not None}
