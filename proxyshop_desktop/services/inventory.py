"""The local inventory: filtered, sorted, paged queries, whole-table rows for the GUI, facet counts.

Everything runs on the DB thread as raw SQL returning tuples (no peewee model instances): the
window re-filters 50,000 rows on every keystroke and must answer in well under 100 ms. Turning
50,000 SQLite rows into Python objects alone takes longer than that, so `inventory_rows` keeps the
built rows of the whole table in a cache that any committed write invalidates, and per query asks
SQL only for the ordered product ids.

That cache costs ~1.1 KB per proxy: 1,000,000 proxies took 1.1 GB and 7.5 s to build, and a
filter over them up to 2.6 s (benchmarks/bench_inventory.py), far over the window's 350 MB and
100 ms. So above inventory_tab.PAGED_ABOVE (20,000) proxies the window shows `query_inventory` pages
instead: a COUNT and one page, ordered over the bare product table (the derived last-seen is
read only for the page's rows). With the existing indexes (country/city/id, type, speed) the
default order, the country/type/speed filters and the speed sort answer in ~2-40 ms at 1,000,000;
sorts on unindexed columns (city, ISP, status, first seen) and the ISP substring filter scan the
table (~0.2-0.5 s), and the last-seen sort sorts a derived value (~4 s); at 50,000 every page
takes <= ~80 ms. Indexes for the slow ones would slow every sync's write, whose budget is
already spent.

Case-insensitive city and ISP matching must work for any Unicode ("Москва", "São Paulo"),
which SQLite's NOCASE/LIKE do not (ASCII only). So the few distinct values of the column are
matched in Python with `casefold()` and the query filters on
`col IN (SELECT value FROM json_each(?))`: one SQL variable whatever the number of matches, and
the column's index stays usable.

`last_seen` is derived, because a no-change sync does not rewrite unchanged rows: a row was seen
at the end of the latest successful complete listing that covered it (a full sync or cleanup, or a
sync scoped to its country), or when it was last written, whichever is later.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from decimal import Decimal
from operator import attrgetter, itemgetter
from typing import Any

from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services import report
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import InventoryPage, InventoryQuery, InventoryRow
from proxyshop_desktop.vocabulary import PROXY_TYPES

MAX_PAGE_SIZE = 1000

# Stored times are ISO text of one format, so SQLite's max() over text picks the latest.
_SEEN = (
    "max(p.last_seen,"
    " coalesce((SELECT max(finished_at) FROM sync_run"
    "           WHERE status = 'success' AND scope IS NULL), ''),"
    " coalesce(s.finished, ''))"
)
_SCOPED_RUNS = (
    " LEFT JOIN (SELECT scope, max(finished_at) AS finished FROM sync_run"
    " WHERE status = 'success' AND scope IS NOT NULL GROUP BY scope) AS s"
    " ON s.scope = p.country_code"
)
#: InventoryRow's fields in order (price is not stored) -> the SQL that reads each; `_RowBuilder`
#: unpacks the selected tuples in this order.
_SELECTED: dict[str, str] = {
    "product_id": "p.id", "proxy_id": "p.proxy_id", "country": "p.country",
    "country_code": "p.country_code", "city": "p.city", "region": "p.region", "isp": "p.isp",
    "proxy_type": "p.proxy_type", "speed": "p.speed", "status": "p.status",
    "first_seen": "p.first_seen", "last_seen": f"{_SEEN} AS seen",
}
_COLUMNS = ", ".join(_SELECTED.values())

#: sort key (a column of InventoryRow) -> SQL terms after which product_id breaks ties.
#: The country column shows "US — United States": it sorts by code, then city, in the order of
#: the (country_code, city, id) index, so the default view needs no sort step at all.
_SORTS: dict[str, tuple[str, ...]] = {
    "product_id": (),
    "proxy_id": ("p.proxy_id",),
    "country": ("p.country_code", "p.city"),
    "country_code": ("p.country_code", "p.city"),
    "city": ("p.city COLLATE NOCASE",),
    "region": ("p.region COLLATE NOCASE",),
    "isp": ("p.isp COLLATE NOCASE",),
    "proxy_type": ("p.proxy_type",),
    "speed": ("p.speed",),
    "price": (),  # one price for every proxy
    "status": ("p.status",),
    "first_seen": ("p.first_seen",),
    "last_seen": ("seen",),
    "refund_rate": (),  # sorted in Python over the cached rows (_by_refund_rate)
}
_INDEX_ORDERED = ("country", "country_code", "product_id", "price")
_ROW_FIELDS = tuple(f.name for f in fields(InventoryRow))
#: set after the query (services/report.py refund_rates); until then the class default, None
_RATE_FIELDS = ("refund_rate", "refund_basis")
#: what _RowBuilder sets from a query row, in InventoryRow's order
_BUILT_FIELDS = tuple(name for name in _ROW_FIELDS if name not in _RATE_FIELDS)


def normalise_country(value: str | None) -> str | None:
    """'us ' -> 'US'; None/'' -> None; anything but two letters is a UsageError."""
    if value is None or not value.strip():
        return None
    code = value.strip()
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise UsageError(
            translate("errors", "Invalid country code '{0}': use a 2-letter ISO code like US").format(value))
    return code.upper()


def normalise_proxy_type(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    kind = value.strip().lower()
    if kind not in PROXY_TYPES:
        raise UsageError(translate("errors", "Invalid proxy type '{0}': use one of {1}.").format(
            value, ", ".join(PROXY_TYPES)))
    return kind


@dataclass(frozen=True)
class _Filters:
    country_code: str | None
    city: str | None  # casefolded
    proxy_type: str | None
    isp: str | None  # casefolded
    max_speed: float | None


def _filters(query: InventoryQuery) -> _Filters:
    max_speed = query.max_speed
    if max_speed is not None:
        try:
            max_speed = float(max_speed)
        except (TypeError, ValueError):
            raise UsageError(_bad_speed(query.max_speed)) from None
        if not math.isfinite(max_speed) or max_speed < 0:
            raise UsageError(_bad_speed(query.max_speed))
    city = query.city.strip().casefold() if query.city and query.city.strip() else None
    isp = query.isp.strip().casefold() if query.isp and query.isp.strip() else None
    return _Filters(
        country_code=normalise_country(query.country_code),
        city=city,
        proxy_type=normalise_proxy_type(query.proxy_type),
        isp=isp,
        max_speed=max_speed,
    )


def _bad_speed(value: object) -> Text:
    return translate("errors", "Invalid max speed '{0}': give milliseconds, e.g. 300.").format(value)


def _check_paging(query: InventoryQuery) -> None:
    if not isinstance(query.page, int) or query.page < 1:
        raise UsageError(translate("errors", "Invalid page {0}: pages start at 1.").format(query.page))
    if not isinstance(query.page_size, int) or not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise UsageError(translate("errors", "Invalid page size {0}: use 1 to {1}.").format(
            query.page_size, MAX_PAGE_SIZE))


def _order_by(query: InventoryQuery) -> str:
    terms = _SORTS.get(query.sort)
    if terms is None:
        raise UsageError(translate("errors", "Cannot sort by '{0}': use one of {1}.").format(
            query.sort, ", ".join(_SORTS)))
    way = " DESC" if query.descending else ""
    if query.sort in _INDEX_ORDERED:  # the index's order; descending is its exact reverse
        return ", ".join(f"{term}{way}" for term in (*terms, "p.id"))
    # Unknown values (no speed, no city) go last either way; ties in product_id order.
    return ", ".join([*(f"{term}{way} NULLS LAST" for term in terms), "p.id"])


# --- filters as SQL ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    """The filters resolved against the data once per call (city/ISP matches), renderable with
    any of them left out (facets count each column under the *other* filters)."""

    filters: _Filters
    cities: list[str]
    isps: list[str]

    def sql(self, skip: Iterable[str] = ()) -> tuple[str, list[Any]]:
        f, skip = self.filters, set(skip)
        terms: list[str] = []
        params: list[Any] = []
        if f.country_code and "country_code" not in skip:
            terms.append("p.country_code = ?")
            params.append(f.country_code)
        if f.city and "city" not in skip:
            terms.append("p.city IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.cities))
        if f.proxy_type and "proxy_type" not in skip:
            terms.append("p.proxy_type = ?")
            params.append(f.proxy_type)
        if f.isp and "isp" not in skip:
            terms.append("p.isp IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.isps))
        if f.max_speed is not None and "max_speed" not in skip:
            terms.append("p.speed <= ?")  # NULL speed never satisfies it: unknown is not fast
            params.append(f.max_speed)
        return (" WHERE " + " AND ".join(terms)) if terms else "", params

    def accepts(self) -> Callable[[InventoryRow], bool] | None:
        """The same filters as `sql()`, for rows already in memory (None: every row passes)."""
        f = self.filters
        tests: list[Callable[[InventoryRow], bool]] = []
        if f.country_code:
            code = f.country_code
            tests.append(lambda row: row.country_code == code)
        if f.city:
            cities = frozenset(self.cities)
            tests.append(lambda row: row.city in cities)
        if f.proxy_type:
            kind = f.proxy_type
            tests.append(lambda row: row.proxy_type == kind)
        if f.isp:
            isps = frozenset(self.isps)
            tests.append(lambda row: row.isp in isps)
        if f.max_speed is not None:
            top = f.max_speed  # NULL speed never passes, as in SQL: unknown is not fast
            tests.append(lambda row: row.speed is not None and row.speed <= top)
        if not tests:
            return None
        if len(tests) == 1:
            return tests[0]
        return lambda row: all(test(row) for test in tests)

    def off_index(self, skip: Iterable[str] = ()) -> str:
        """'+' (SQLite's "no index for this term") for the ORDER/GROUP BY column when a filter
        other than the country applies: walking an index in sort order while looking every row
        up for the filter is 2-4x slower than filtering first and sorting the matches."""
        if is_postgres(database_proxy):
            return ""  # no such hint there (nor a unary + on text): its planner chooses
        f, skip = self.filters, set(skip)
        active = {
            "city": f.city, "proxy_type": f.proxy_type, "isp": f.isp,
            "max_speed": f.max_speed is not None,
        }
        return "+" if any(on and name not in skip for name, on in active.items()) else ""


def _distinct(column: str, known: Iterable[str] | None) -> Iterable[str]:
    if known is not None:
        return known
    sql = f"SELECT DISTINCT {column} FROM product WHERE {column} IS NOT NULL"
    return (value for (value,) in database_proxy.execute_sql(sql))


def _resolve(
    f: _Filters, cities: Iterable[str] | None = None, isps: Iterable[str] | None = None
) -> _Where:
    """Match the casefolded city (exact) and ISP (substring) against the column's values."""
    city, isp = f.city, f.isp
    city_matches = [v for v in _distinct("city", cities) if v.casefold() == city] if city else []
    isp_matches = [v for v in _distinct("isp", isps) if isp in v.casefold()] if isp else []
    return _Where(f, city_matches, isp_matches)


# --- rows -------------------------------------------------------------------------------------


class _RowBuilder:
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
class _RowCache:
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
                sql = f"SELECT p.id FROM product AS p ORDER BY {_order_by(InventoryQuery(sort=sort))}"
                order = [self.rows[i] for (i,) in database_proxy.execute_sql(sql)]
            self.sorted_by[(sort, descending)] = order
        return order

    def text_order(self, column: str, descending: bool) -> list[InventoryRow]:
        """Every row sorted by a text column as SQLite's NOCASE would (ties in product_id order,
        rows without a value last either way), built once per cache and direction: the sort
        itself was most of a 50,000-row ISP sort (benchmarks/bench_gui.py)."""
        order = self.sorted_by.get((column, descending))
        if order is None:
            known: list[tuple[str, InventoryRow]] = []
            unknown: list[InventoryRow] = []
            for pid in sorted(self.rows):
                row = self.rows[pid]
                value = getattr(row, column)
                if value is None:
                    unknown.append(row)
                else:
                    known.append((_nocase_key(value), row))
            # stable sorts of id-ordered rows keep ties in product_id order both ways
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


_cache: _RowCache | None = None  # read and written on the DB thread only
_uncached = itertools.count()


def _data_key() -> tuple[Any, int, int]:
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


def _cached_rows(price: Decimal) -> _RowCache:
    global _cache
    connection, version, changes = _data_key()
    key = (version, changes, price)
    if _cache is None or _cache.connection is not connection or _cache.key != key:
        _cache = None  # free the old rows before building the new ones
        sql = f"SELECT {_COLUMNS} FROM product AS p{_SCOPED_RUNS}"
        rows = _RowBuilder(price).rows(database_proxy.execute_sql(sql).fetchall())
        _set_refund_rates(rows)
        _cache = _RowCache(
            connection, key, {row.product_id: row for row in rows},
            frozenset(r.city for r in rows if r.city is not None),
            frozenset(r.isp for r in rows if r.isp is not None),
        )
    return _cache


def _fresh_cache() -> _RowCache | None:
    """The cache if it still describes the database (whatever the price), else None."""
    if _cache is None:
        return None
    connection, version, changes = _data_key()
    fresh = _cache.connection is connection and _cache.key[:2] == (version, changes)
    return _cache if fresh else None


_values: tuple[tuple[Any, ...], frozenset[str], frozenset[str]] | None = None  # DB thread only


def _known_values(query: InventoryQuery) -> tuple[frozenset[str], frozenset[str]] | tuple[()]:
    """The distinct cities and ISPs, when a city or ISP filter needs them: from the row cache
    when it is fresh, else kept per database state (SQL paging of 1,000,000 proxies re-scanned
    the ISPs on every keystroke, ~0.3 s). () when no filter needs them."""
    global _values
    if not ((query.city and query.city.strip()) or (query.isp and query.isp.strip())):
        return ()
    cache = _fresh_cache()
    if cache is not None:
        return cache.cities, cache.isps
    key = _data_key()
    if _values is None or _values[0] != key:
        _values = (key, frozenset(_distinct("city", None)), frozenset(_distinct("isp", None)))
    return _values[1], _values[2]


def _page(query: InventoryQuery, price: Decimal) -> InventoryPage:
    if query.sort == "refund_rate" or query.max_refund_rate is not None:
        matches = _by_refund_rate(query, price)
        start = (query.page - 1) * query.page_size
        return InventoryPage(rows=matches[start : start + query.page_size], total=len(matches),
                             page=query.page, page_size=query.page_size)
    where, params = _resolve(_filters(query), *_known_values(query)).sql()
    db = database_proxy
    total = db.execute_sql(f"SELECT count(*) FROM product AS p{where}", params).fetchone()[0]
    offset = (query.page - 1) * query.page_size
    if query.sort == "last_seen":  # derived per row: the join is part of the order
        sql = (f"SELECT {_COLUMNS} FROM product AS p{_SCOPED_RUNS}{where}"
               f" ORDER BY {_order_by(query)} LIMIT ? OFFSET ?")
        tuples = db.execute_sql(sql, [*params, query.page_size, offset]).fetchall()
    else:
        # The page's ids first, from the product table alone; then only those rows get the
        # derived last_seen. Joining first computed it for every match before sorting: a sort on
        # an unindexed column of 1,000,000 proxies took 2.0 s that way, not ~0.5 s
        # (benchmarks/bench_inventory.py).
        sql = f"SELECT p.id FROM product AS p{where} ORDER BY {_order_by(query)} LIMIT ? OFFSET ?"
        ids = [i for (i,) in db.execute_sql(sql, [*params, query.page_size, offset])]
        sql = (f"SELECT {_COLUMNS} FROM product AS p{_SCOPED_RUNS}"
               " WHERE p.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))")  # PG: text
        found = {t[0]: t for t in db.execute_sql(sql, [json.dumps(ids)])}
        tuples = [found[i] for i in ids]
    rows = _RowBuilder(price).rows(tuples)
    _set_refund_rates(rows)
    return InventoryPage(rows=rows, total=total, page=query.page, page_size=query.page_size)


# --- the shop's own refund rates (services/report.py decides the grouping) ----------------------


def _set_refund_rates(rows: list[InventoryRow]) -> None:
    """On freshly built rows only (they are shared and immutable afterwards)."""
    rates = report.refund_rates()
    if not rates.pairs and not rates.countries:
        return
    for row in rows:
        rate, basis = rates.of(row.country_code, row.isp)
        if rate is not None:
            row.__dict__.update(refund_rate=rate, refund_basis=basis)


def _by_refund_rate(query: InventoryQuery, price: Decimal) -> list[InventoryRow]:
    """The other filters as usual, then at most max_refund_rate (rows without a known rate
    pass: no sales is no evidence), then sorted by rate if asked (unknown last either way)."""
    base = replace(query, max_refund_rate=None,
                   sort="country" if query.sort == "refund_rate" else query.sort)
    rows = _all_rows(base, price)
    top = query.max_refund_rate
    if top is not None:
        rows = [r for r in rows if r.refund_rate is None or r.refund_rate <= top]
    if query.sort == "refund_rate":
        known = [r for r in rows if r.refund_rate is not None]
        known.sort(key=_REFUND_RATE, reverse=query.descending)  # stable: ties keep their order
        rows = known + [r for r in rows if r.refund_rate is None]
    return rows


_REFUND_RATE = attrgetter("refund_rate")


def _all_rows(query: InventoryQuery, price: Decimal) -> list[InventoryRow]:
    if query.sort == "refund_rate" or query.max_refund_rate is not None:
        return _by_refund_rate(query, price)
    cache = _cached_rows(price)
    rows = cache.rows
    resolved = _resolve(_filters(query), cache.cities, cache.isps)
    where, params = resolved.sql()
    db = database_proxy
    if query.sort == "last_seen":
        # The derived time is already in the cached rows: sorting them beats a per-row join.
        # A stable sort of id-ordered rows keeps ties in product_id order both ways.
        ids = db.execute_sql(f"SELECT p.id FROM product AS p{where} ORDER BY p.id", params)
        found = [rows[i] for (i,) in ids]
        found.sort(key=_LAST_SEEN, reverse=query.descending)
        return found
    # A country filter in the index's own order is one index range in SQL (~8 ms for 9,000 of
    # 50,000 rows). Otherwise SQL must sort what it finds (~60 ms for 30,000 rows of one type),
    # while the cached order filtered in memory takes ~25 ms (benchmarks/bench_gui.py).
    by_index = query.sort in _INDEX_ORDERED
    if query.sort in _TEXT_SORTS or (by_index and not resolved.filters.country_code):
        if by_index:
            order = cache.index_order(query.sort, query.descending)
        else:
            order = cache.text_order(_TEXT_SORTS[query.sort], query.descending)
        accepts = resolved.accepts()
        return list(order) if accepts is None else [row for row in order if accepts(row)]
    order_by = f"{resolved.off_index()}{_order_by(query)}"
    ids = db.execute_sql(f"SELECT p.id FROM product AS p{where} ORDER BY {order_by}", params)
    return [rows[i] for (i,) in ids]


_LAST_SEEN = attrgetter("last_seen")


def _facets(query: InventoryQuery) -> dict[str, list[tuple[str, int]]]:
    resolved = _resolve(_filters(query), *_known_values(query))
    out: dict[str, list[tuple[str, int]]] = {}
    # Each facet counts under the other filters; a city belongs to a country, so the country
    # facet ignores the chosen city (otherwise picking a city would hide every other country).
    for column, skip in (
        ("country_code", ("country_code", "city")),
        ("city", ("city",)),
        ("proxy_type", ("proxy_type",)),
    ):
        where, params = resolved.sql(skip)
        where += f"{' AND' if where else ' WHERE'} p.{column} IS NOT NULL"
        off = resolved.off_index(skip)
        group = f"{off}p.{column}"
        # A type/ISP/speed filter without a country: one pass over the table. Through the filter's
        # index SQLite looked up each match's row in index order instead: 1.3-1.8 s per facet
        # for 600,000 residential of 1,000,000 proxies, where the plain scan takes ~0.35 s.
        country = resolved.filters.country_code and "country_code" not in skip
        table = "product AS p NOT INDEXED" if off and not country else "product AS p"
        sql = f"SELECT p.{column}, count(*) FROM {table}{where} GROUP BY {group} ORDER BY 1"
        out[column] = [(value, count) for value, count in database_proxy.execute_sql(sql, params)]
    return out


def _country_names(codes: list[str]) -> dict[str, str]:
    # One index probe per code: a paged window holds too few rows to learn the names from.
    sql = "SELECT p.country FROM product AS p WHERE p.country_code = ? AND p.country IS NOT NULL LIMIT 1"
    found = ((code, database_proxy.execute_sql(sql, (code,)).fetchone()) for code in codes)
    return {code: row[0] for code, row in found if row is not None}


# --- the service ------------------------------------------------------------------------------


async def query_inventory(ctx: ShopContext, query: InventoryQuery) -> InventoryPage:
    """One page of the filtered inventory; `total` is the true number of matches."""
    _filters(query)  # validate on the caller's side: a UsageError needs no DB round trip
    _check_paging(query)
    _order_by(query)
    return await ctx.store.run(_page, query, ctx.settings.price)


async def inventory_rows(ctx: ShopContext, query: InventoryQuery) -> list[InventoryRow]:
    """Every match (page and page_size ignored), sorted per query.sort/descending, ties by
    product_id. Rows are shared, immutable objects: the same product is the same object across
    calls until the database changes."""
    _filters(query)
    _order_by(query)
    return await ctx.store.run(_all_rows, query, ctx.settings.price)


async def facet_counts(ctx: ShopContext, query: InventoryQuery) -> dict[str, list[tuple[str, int]]]:
    """{"country_code": [("US", 1234), ...], "city": [...], "proxy_type": [...]}, each counted
    under the query's other filters (cities within the chosen country), sorted by value."""
    _filters(query)
    return await ctx.store.run(_facets, query)


async def country_names(ctx: ShopContext, codes: Iterable[str]) -> dict[str, str]:
    """{code: country name} for the given codes that some product names (others left out)."""
    return await ctx.store.run(_country_names, sorted(set(codes)))
