"""Keyset paging for the inventory's SQL pages: page N+1 starts after page N's last row.

OFFSET makes SQLite step over every earlier match: page 2,000 of 600,000 residential proxies
sorted by ISP took ~3 s at 1,000,000 (OFFSET 400,000, each row looked up for the filter). The
window and the CLI ask for pages in order, so each served page leaves a bookmark (its last row's
sort values and id, per query and database state), and a page that starts at a bookmark seeks
there along the sort's index: `(term, id) > (value, id)`, then the rows without a value (they
come last either way). A page without a bookmark (the first, or a jump) uses OFFSET as before.
Runs on the DB thread (SQLite; PostgreSQL pages keep OFFSET).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import Any

from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services.inventory_cache import data_key
from proxyshop_desktop.services.inventory_query import INDEX_ORDERED, SORTS
from proxyshop_desktop.services.results import InventoryQuery

#: queries whose bookmarks are kept (the window has one query at a time; a few to go back to)
KEPT_QUERIES = 8
_marks: OrderedDict[Any, dict[int, tuple[Any, ...]]] = OrderedDict()  # DB thread only


def _key(query: InventoryQuery) -> tuple[Any, ...]:
    return data_key(), replace(query, page=1, page_size=1)


def _columns(sort: str) -> tuple[str, ...]:
    """The sort's SQL terms without their collation (for IS NULL and reading the values)."""
    return tuple(term.split(" ")[0] for term in SORTS[sort])


def _usable(query: InventoryQuery) -> bool:
    if query.sort in ("last_seen", "refund_rate") or is_postgres(database_proxy):
        return False
    # The country sort's descending order puts rows without a city after each country's
    # others; a row-value seek would skip them: OFFSET there.
    return not (query.sort in INDEX_ORDERED and SORTS[query.sort] and query.descending)


def remember(query: InventoryQuery, offset: int, ids: list[int]) -> None:
    """After a page: the bookmark where the next one starts."""
    if not ids or not _usable(query):
        return
    columns = _columns(query.sort)
    values: tuple[Any, ...] = ()
    if columns:
        sql = f"SELECT {', '.join(columns)} FROM product AS p WHERE p.id = ?"
        values = tuple(database_proxy.execute_sql(sql, (ids[-1],)).fetchone())
    key = _key(query)
    marks = _marks.pop(key, {})
    marks[offset + len(ids)] = (*values, ids[-1])
    _marks[key] = marks
    while len(_marks) > KEPT_QUERIES:
        _marks.popitem(last=False)


def marked(query: InventoryQuery, offset: int) -> bool:
    return offset > 0 and _usable(query) and offset in _marks.get(_key(query), {})


def page_ids(query: InventoryQuery, where: str, params: list[Any], offset: int) -> list[int] | None:
    """The page's ids from a bookmark at `offset`, or None when there is none (use OFFSET)."""
    if offset == 0 or not _usable(query):
        return None
    mark = _marks.get(_key(query), {}).get(offset)
    if mark is None:
        return None
    *values, last_id = mark
    terms, columns = SORTS[query.sort], _columns(query.sort)
    if query.sort in INDEX_ORDERED and any(v is None for v in values):
        return None  # NULLs sort first there: a row-value seek cannot say "after NULL"
    db, size = database_proxy, query.page_size
    way, after = (" DESC", "<") if query.descending else ("", ">")
    and_ = " AND" if where else " WHERE"
    ids: list[int] = []
    if not values or values[0] is not None:
        # Two seeks SQLite reads straight off the index: the rest of the last row's ties (same
        # values, later ids), then what sorts after them. One row-value seek over
        # (term COLLATE NOCASE, id) made it scan the whole index instead.
        same = "".join(f" AND {t} = ?" for t in terms)
        sql = (f"SELECT p.id FROM product AS p{where}{and_} p.id {after} ?{same}"
               f" ORDER BY p.id{way} LIMIT ?")
        ids = [i for (i,) in db.execute_sql(sql, [*params, last_id, *values, size])]
        if terms and len(ids) < size:
            seek = f"({', '.join(terms)}) {after} ({', '.join('?' * len(values))})"
            order = ", ".join(f"{t}{way}" for t in (*terms, "p.id"))
            sql = f"SELECT p.id FROM product AS p{where}{and_} {seek} ORDER BY {order} LIMIT ?"
            ids += [i for (i,) in db.execute_sql(sql, [*params, *values, size - len(ids)])]
    if len(ids) < size and columns and query.sort not in INDEX_ORDERED:
        # the rows without a value, last either way, in id order (reversed when descending)
        since = f" AND p.id {after} ?" if values[0] is None else ""
        sql = (f"SELECT p.id FROM product AS p{where}{and_} {columns[0]} IS NULL{since}"
               f" ORDER BY p.id{way} LIMIT ?")
        more = [last_id] if since else []
        ids += [i for (i,) in db.execute_sql(sql, [*params, *more, size - len(ids)])]
    return ids
