"""The in-memory rows of a small inventory, and the database state that keeps them fresh.

Turning 50,000 SQLite rows into Python objects takes longer than a filter may, so
`all_rows` keeps the built rows of the whole table in a cache that any committed write
invalidates, and per query asks SQL only for the ordered product ids. That cache costs ~1.1 KB per
proxy, so the window uses it only below inventory_tab.PAGED_ABOVE proxies (services/inventory.py).
Everything here runs on the DB thread.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services import report
from proxyshop_desktop.services.inventory_query import (
    COLUMNS,
    INDEX_ORDERED,
    SCOPED_RUNS,
    distinct,
    filters_of,
    order_by,
    resolve,
)
from proxyshop_desktop.services.results import InventoryQuery, InventoryRow

_ROW_FIELDS = tuple(f.name for f in fields(InventoryRow))
#: set after the query (services/report.py refund_rates); until then the class default, None
_RATE_FIELDS = ("refund_rate", "refund_basis")
#: what RowBuilder sets from a query row, in InventoryRow's order
_BUILT_FIELDS = tuple(name for name in _ROW_FIELDS if name not in _RATE_FIELDS)


class RowBuilder:
    """Tuples -> InventoryRow without the frozen dataclass __init__ (5x fewer Python calls).

    Every row of one sync shares the same time text, so parsed datetimes are cached."""

    def __init__(self, price: Decimal) -> None:
        self.price = price
        self._times: dict[str, datetime] = {}

    def time(self, text: str) -> datetime:
        value = self._times.get(text)
        if value is None:
            value = self._times[text] = datetime.fromisoformat(text)
        return value

    def rows(self, tuples: list[tuple[Any, ...]]) -> list[InventoryRow]:
        new, names, price, time = object.__new__, _BUILT_FIELDS, self.price, self.time
        out: list[InventoryRow] = []
        append = out.append
        for pid, proxy_id, country, code, city, region, isp, kind, speed, status, first, seen in (
            tuples
        ):
            row = new(InventoryRow)
            row.__dict__.update(zip(names, (
                pid, proxy_id, country, code, city, region, isp, kind, speed, price,
                "online" if status == 1 else "offline", time(first), time(seen),
            ), strict=True))
            append(row)
        return out


@dataclass
class RowCache:
    """Every product as an InventoryRow, valid while nothing was committed to the database."""

    connection: Any
    key: tuple[Any, ...]
    rows: dict[int, InventoryRow]
    cities: frozenset[str]
    isps: frozenset[str]
    sorted_by: dict[tuple[str, bool], list[InventoryRow]] = field(default_factory=dict)

    def index_order(self, sort: str, descending: bool) -> list[InventoryRow]:
        """Every row in the order of a sort that SQLite reads off an index (the default country,
        city, id order; product id), built once per cache; descending is its exact reverse."""
        order = self.sorted_by.get((sort, descending))
        if order is None:
            if descending:
                order = self.index_order(sort, False)[::-1]
            else:
                sql = f"SELECT p.id FROM product AS p ORDER BY {order_by(InventoryQuery(sort=sort))}"
                order = [self.rows[i] for (i,) in database_proxy.execute_sql(sql)]
            self.sorted_by[(sort, descending)] = order
        return order

    def text_order(self, column: str, descending: bool) -> list[InventoryRow]:
        """Every row sorted by a text column as SQLite's NOCASE would (ties in product_id order,
        reversed when descending; rows without a value last either way), built once per cache and
        direction: the sort
        itself was most of a 50,000-row ISP sort (benchmarks/bench_gui.py)."""
        order = self.sorted_by.get((column, descending))
        if order is None:
            known: list[tuple[str, InventoryRow]] = []
            unknown: list[InventoryRow] = []
            for pid in sorted(self.rows, reverse=descending):
                row = self.rows[pid]
                value = getattr(row, column)
                if value is None:
                    unknown.append(row)
                else:
                    known.append((_nocase_key(value), row))
            # a stable sort keeps ties in the id order they came in
            known.sort(key=itemgetter(0), reverse=descending)
            order = [row for _, row in known] + unknown
            self.sorted_by[(column, descending)] = order
        return order


def _nocase_key(value: str) -> str:
    # NOCASE folds ASCII letters only, then compares UTF-8 bytes; UTF-8 byte order is code point
    # order, so comparing the folded str is the same. str.lower() is the fast path for ASCII.
    return value.lower() if value.isascii() else value.translate(_ASCII_LOWER)


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
#: text sorts done in Python over the cached rows: SQLite has no index for them and sorting
#: 50,000 ids there took up to 128 ms (benchmarks/bench_gui.py), Python ~35 ms.
_TEXT_SORTS = {"city": "city", "region": "region", "isp": "isp"}


_cache: RowCache | None = None  # read and written on the DB thread only
_uncached = itertools.count()


def data_key() -> tuple[Any, int, int]:
    """Changes on any commit: `PRAGMA data_version` when another process commits,
    `total_changes` when this connection writes anything but a sync's staged rows (a temp table:
    a sync in progress must not make every filter rebuild the cache)."""
    from proxyshop_desktop.services.staging import staged_changes  # staging imports tables only

    connection = database_proxy.connection()
    if is_postgres(database_proxy):
        # No cheap counter of other machines' commits: every read is fresh (never stale rows).
        return connection, next(_uncached), 0
    version = database_proxy.execute_sql("PRAGMA data_version").fetchone()[0]
    return connection, version, connection.total_changes - staged_changes(connection)


def cached_rows(price: Decimal) -> RowCache:
    global _cache
    connection, version, changes = data_key()
    key = (version, changes, price)
    if _cache is None or _cache.connection is not connection or _cache.key != key:
        _cache = None  # free the old rows before building the new ones
        sql = f"SELECT {COLUMNS} FROM product AS p{SCOPED_RUNS}"
        rows = RowBuilder(price).rows(database_proxy.execute_sql(sql).fetchall())
        set_refund_rates(rows)
        _cache = RowCache(
            connection, key, {row.product_id: row for row in rows},
            frozenset(r.city for r in rows if r.city is not None),
            frozenset(r.isp for r in rows if r.isp is not None),
        )
    return _cache


def _fresh_cache() -> RowCache | None:
    """The cache if it still describes the database (whatever the price), else None."""
    if _cache is None:
        return None
    connection, version, changes = data_key()
    fresh = _cache.connection is connection and _cache.key[:2] == (version, changes)
    return _cache if fresh else None


_values: tuple[tuple[Any, ...], frozenset[str], frozenset[str]] | None = None  # DB thread only


def known_values(query: InventoryQuery) -> tuple[frozenset[str], frozenset[str]] | tuple[()]:
    """The distinct cities and ISPs, when a city or ISP filter needs them: from the row cache
    when it is fresh, else kept per database state (SQL paging of 1,000,000 proxies re-scanned
    the ISPs on every keystroke, ~0.3 s). () when no filter needs them."""
    global _values
    if not ((query.city and query.city.strip()) or (query.isp and query.isp.strip())):
        return ()
    cache = _fresh_cache()
    if cache is not None:
        return cache.cities, cache.isps
    key = data_key()
    if _values is None or _values[0] != key:
        _values = (key, frozenset(distinct("city", None)), frozenset(distinct("isp", None)))
    return _values[1], _values[2]


# --- the shop's own refund rates (services/report.py decides the grouping) ----------------------


def set_refund_rates(rows: list[InventoryRow]) -> None:
    """On freshly built rows only (they are shared and immutable afterwards)."""
    rates = report.refund_rates()
    if not rates.pairs and not rates.countries:
        return
    for row in rows:
        rate, basis = rates.of(row.country_code, row.isp)
        if rate is not None:
            row.__dict__.update(refund_rate=rate, refund_basis=basis)


def by_refund_rate(query: InventoryQuery, price: Decimal) -> list[InventoryRow]:
    """The other filters as usual, then at most max_refund_rate (rows without a known rate
    pass: no sales is no evidence), then sorted by rate if asked (unknown last either way)."""
    base = replace(query, max_refund_rate=None,
                   sort="country" if query.sort == "refund_rate" else query.sort)
    rows = all_rows(base, price)
    top = query.max_refund_rate
    if top is not None:
        rows = [r for r in rows if r.refund_rate is None or r.refund_rate <= top]
    if query.sort == "refund_rate":
        known = [r for r in rows if r.refund_rate is not None]
        known.sort(key=_REFUND_RATE, reverse=query.descending)  # stable: ties keep their order
        rows = known + [r for r in rows if r.refund_rate is None]
    return rows


_REFUND_RATE = attrgetter("refund_rate")


def all_rows(query: InventoryQuery, price: Decimal) -> list[InventoryRow]:
    if query.sort == "refund_rate" or query.max_refund_rate is not None:
        return by_refund_rate(query, price)
    cache = cached_rows(price)
    rows = cache.rows
    resolved = resolve(filters_of(query), cache.cities, cache.isps)
    where, params = resolved.sql()
    db = database_proxy
    if query.sort == "last_seen":
        # The derived time is already in the cached rows: sorting them beats a per-row join.
        # A stable sort keeps ties in the id order they came in (reversed when descending).
        way = " DESC" if query.descending else ""
        ids = db.execute_sql(f"SELECT p.id FROM product AS p{where} ORDER BY p.id{way}", params)
        found = [rows[i] for (i,) in ids]
        found.sort(key=_LAST_SEEN, reverse=query.descending)
        return found
    # A country filter in the index's own order is one index range in SQL (~8 ms for 9,000 of
    # 50,000 rows). Otherwise SQL must sort what it finds (~60 ms for 30,000 rows of one type),
    # while the cached order filtered in memory takes ~25 ms (benchmarks/bench_gui.py).
    by_index = query.sort in INDEX_ORDERED
    if query.sort in _TEXT_SORTS or (by_index and not resolved.filters.country_code):
        if by_index:
            order = cache.index_order(query.sort, query.descending)
        else:
            order = cache.text_order(_TEXT_SORTS[query.sort], query.descending)
        accepts = resolved.accepts()
        return list(order) if accepts is None else [row for row in order if accepts(row)]
    ids = db.execute_sql(
        f"SELECT p.id FROM product AS p{where} ORDER BY {resolved.off_index()}{order_by(query)}", params)
    return [rows[i] for (i,) in ids]


_LAST_SEEN = attrgetter("last_seen")
