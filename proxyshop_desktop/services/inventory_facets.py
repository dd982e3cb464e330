"""Facet counts: how many proxies each filter value would show under the other filters.

Runs on the DB thread.
"""

from __future__ import annotations

from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services.inventory_cache import known_values
from proxyshop_desktop.services.inventory_query import filters_of, resolve
from proxyshop_desktop.services.results import InventoryQuery

Facets = dict[str, list[tuple[str, int]]]


def facets(query: InventoryQuery) -> Facets:
    resolved = resolve(filters_of(query), *known_values(query))
    out: Facets = {}
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
