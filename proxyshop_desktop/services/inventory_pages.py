"""One page of the filtered, sorted inventory from SQL, for inventories too large to cache.

A COUNT and one page, ordered over the bare product table; the derived last-seen is read only
for the page's rows. Runs on the DB thread.
"""

from __future__ import annotations

import json
from decimal import Decimal

from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services.inventory_cache import (
    RowBuilder,
    by_refund_rate,
    known_values,
    set_refund_rates,
)
from proxyshop_desktop.services.inventory_facets import cube_where
from proxyshop_desktop.services.inventory_query import COLUMNS, SCOPED_RUNS, filters_of, order_by, resolve
from proxyshop_desktop.services.results import InventoryPage, InventoryQuery


def page(query: InventoryQuery, price: Decimal) -> InventoryPage:
    if query.sort == "refund_rate" or query.max_refund_rate is not None:
        matches = by_refund_rate(query, price)
        start = (query.page - 1) * query.page_size
        return InventoryPage(rows=matches[start : start + query.page_size], total=len(matches),
                             page=query.page, page_size=query.page_size)
    db = database_proxy
    answer = cube_where(query)
    if answer is not None:  # the count without touching the table (inventory_facets.py)
        cube, resolved = answer
        where, params = resolved.sql()
        total = cube.count(resolved)
    else:
        where, params = resolve(filters_of(query), *known_values(query)).sql()
        total = db.execute_sql(f"SELECT count(*) FROM product AS p{where}", params).fetchone()[0]
    offset = (query.page - 1) * query.page_size
    if query.sort == "last_seen":  # derived per row: the join is part of the order
        sql = (f"SELECT {COLUMNS} FROM product AS p{SCOPED_RUNS}{where}"
               f" ORDER BY {order_by(query)} LIMIT ? OFFSET ?")
        tuples = db.execute_sql(sql, [*params, query.page_size, offset]).fetchall()
    else:
        # The page's ids first, from the product table alone; then only those rows get the
        # derived last_seen. Joining first computed it for every match before sorting: a sort on
        # an unindexed column of 1,000,000 proxies took 2.0 s that way, not ~0.5 s
        # (benchmarks/bench_inventory.py).
        sql = f"SELECT p.id FROM product AS p{where} ORDER BY {order_by(query)} LIMIT ? OFFSET ?"
        ids = [i for (i,) in db.execute_sql(sql, [*params, query.page_size, offset])]
        sql = (f"SELECT {COLUMNS} FROM product AS p{SCOPED_RUNS}"
               " WHERE p.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")  # PG: text
        found = {t[0]: t for t in db.execute_sql(sql, [json.dumps(ids)])}
        tuples = [found[i] for i in ids]
    rows = RowBuilder(price).rows(tuples)
    set_refund_rates(rows)
    return InventoryPage(rows=rows, total=total, page=query.page, page_size=query.page_size)


def country_names(codes: list[str]) -> dict[str, str]:
    # One index probe per code: a paged window holds too few rows to learn the names from.
    sql = "SELECT p.country FROM product AS p WHERE p.country_code = ? AND p.country IS NOT NULL LIMIT 1"
    found = ((code, database_proxy.execute_sql(sql, (code,)).fetchone()) for code in codes)
    return {code: row[0] for code, row in found if row is not None}
