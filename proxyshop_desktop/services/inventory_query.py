"""The inventory query as SQL: validation, the filters as WHERE terms, the sort orders.

No database state here (services/inventory.py explains the whole design): the row cache
(inventory_cache.py), the SQL pages (inventory_pages.py) and the facet counts
(inventory_facets.py) all render their queries from these pieces, so the three agree on what a
filter matches and in which order rows come.

Case-insensitive city and ISP matching must work for any Unicode ("Москва", "São Paulo"),
which SQLite's NOCASE/LIKE do not (ASCII only). So the few distinct values of the column are
matched in Python with `casefold()` and the query filters on
`col IN (SELECT value FROM json_each(?))`: one SQL variable whatever the number of matches, and
the column's index stays usable.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.pg_schema import sort_term
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services.results import InventoryQuery, InventoryRow
from proxyshop_desktop.vocabulary import PROXY_TYPES

MAX_PAGE_SIZE = 1000

# Stored times are ISO text of one format, so SQLite's max() over text picks the latest.
FULL_RUN = (
    "coalesce((SELECT max(finished_at) FROM sync_run"
    " WHERE status = 'success' AND scope IS NULL), '')"
)
SEEN = f"max(p.last_seen, {FULL_RUN}, coalesce(s.finished, ''))"
SCOPED_RUNS = (
    " LEFT JOIN (SELECT scope, max(finished_at) AS finished FROM sync_run"
    " WHERE status = 'success' AND scope IS NOT NULL GROUP BY scope) AS s"
    " ON s.scope = p.country_code"
)
#: InventoryRow's fields in order (price is not stored) -> the SQL that reads each;
#: inventory_cache.RowBuilder unpacks the selected tuples in this order.
SELECTED: dict[str, str] = {
    "product_id": "p.id", "proxy_id": "p.proxy_id", "country": "p.country",
    "country_code": "p.country_code", "city": "p.city", "region": "p.region", "isp": "p.isp",
    "proxy_type": "p.proxy_type", "speed": "p.speed", "status": "p.status",
    "first_seen": "p.first_seen", "last_seen": f"{SEEN} AS seen",
}
COLUMNS = ", ".join(SELECTED.values())

#: sort key (a column of InventoryRow) -> SQL terms after which product_id breaks ties.
#: The country column shows "US — United States": it sorts by code, then city, in the order of
#: the (country_code, city, id) index, so the default view needs no sort step at all.
SORTS: dict[str, tuple[str, ...]] = {
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
    "refund_rate": (),  # sorted in Python over the cached rows (inventory_cache.by_refund_rate)
}
INDEX_ORDERED = ("country", "country_code", "product_id", "price")


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
class Filters:
    country_code: str | None
    city: str | None  # casefolded
    proxy_type: str | None
    isp: str | None  # casefolded
    max_speed: float | None


def filters_of(query: InventoryQuery) -> Filters:
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
    return Filters(
        country_code=normalise_country(query.country_code),
        city=city,
        proxy_type=normalise_proxy_type(query.proxy_type),
        isp=isp,
        max_speed=max_speed,
    )


def _bad_speed(value: object) -> Text:
    return translate("errors", "Invalid max speed '{0}': give milliseconds, e.g. 300.").format(value)


def check_paging(query: InventoryQuery) -> None:
    if not isinstance(query.page, int) or query.page < 1:
        raise UsageError(translate("errors", "Invalid page {0}: pages start at 1.").format(query.page))
    if not isinstance(query.page_size, int) or not 1 <= query.page_size <= MAX_PAGE_SIZE:
        raise UsageError(translate("errors", "Invalid page size {0}: use 1 to {1}.").format(
            query.page_size, MAX_PAGE_SIZE))


def order_by(query: InventoryQuery) -> str:
    terms = SORTS.get(query.sort)
    if terms is None:
        raise UsageError(translate("errors", "Cannot sort by '{0}': use one of {1}.").format(
            query.sort, ", ".join(SORTS)))
    way = " DESC" if query.descending else ""
    if is_postgres(database_proxy):
        terms = tuple(sort_term(term) for term in terms)
    if query.sort in INDEX_ORDERED:  # the index's order; descending is its exact reverse
        return ", ".join(f"{term}{way}" for term in (*terms, "p.id"))
    # Unknown values (no speed, no city) go last either way; ties in product_id order, reversed
    # when descending: then the (column, id) index read backwards is the order, where ascending
    # ties under a descending sort made SQLite sort every tie (all 1,000,000 rows for "status").
    return ", ".join([*(f"{term}{way} NULLS LAST" for term in terms), f"p.id{way}"])


@dataclass(frozen=True)
class Where:
    """The filters resolved against the data once per call (city/ISP matches), renderable with
    any of them left out (facets count each column under the *other* filters)."""

    filters: Filters
    cities: list[str]
    isps: list[str]

    def sql(self, skip: Iterable[str] = (), unindexed: Iterable[str] = ()) -> tuple[str, list[Any]]:
        """WHERE and its parameters; the `unindexed` columns' terms are written so that SQLite
        uses no index for them (a page then walks the sort's index: see inventory_pages.py)."""
        f, skip, off = self.filters, set(skip), set(unindexed)

        def col(name: str) -> str:
            return f"+p.{name}" if name in off else f"p.{name}"

        terms: list[str] = []
        params: list[Any] = []
        if f.country_code and "country_code" not in skip:
            terms.append(f"{col('country_code')} = ?")
            params.append(f.country_code)
        if f.city and "city" not in skip:
            terms.append(f"{col('city')} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.cities))
        if f.proxy_type and "proxy_type" not in skip:
            terms.append(f"{col('proxy_type')} = ?")
            params.append(f.proxy_type)
        if f.isp and "isp" not in skip:
            terms.append(f"{col('isp')} IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.isps))
        if f.max_speed is not None and "max_speed" not in skip:
            terms.append(f"{col('speed')} <= ?")  # NULL speed never satisfies it: unknown is not fast
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


def distinct(column: str, known: Iterable[str] | None) -> Iterable[str]:
    if known is not None:
        return known
    sql = f"SELECT DISTINCT {column} FROM product WHERE {column} IS NOT NULL"
    return (value for (value,) in database_proxy.execute_sql(sql))


def resolve(f: Filters, cities: Iterable[str] | None = None, isps: Iterable[str] | None = None) -> Where:
    """Match the casefolded city (exact) and ISP (substring) against the column's values."""
    city, isp = f.city, f.isp
    city_matches = [v for v in distinct("city", cities) if v.casefold() == city] if city else []
    isp_matches = [v for v in distinct("isp", isps) if isp in v.casefold()] if isp else []
    return Where(f, city_matches, isp_matches)
