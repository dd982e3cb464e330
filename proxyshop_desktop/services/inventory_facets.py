"""Facet counts: how many proxies each filter value would show under the other filters.

At 1,000,000 proxies three GROUP BY queries per filter change took 0.25-2 s (issue 9), and they
queued on the one DB thread ahead of the next change's rows. The counts change only when the
inventory does (a sync, a sale, a cleanup), so they come from a `Cube`: the number of proxies per
(country, city, type, ISP) and 50 ms speed band, built once per inventory state in id-range chunks
(other queries run between the chunks) and kept while the inventory is unchanged. Any combination
of the window's filters is then a sum over ~2,000 cells in Python, a few ms, and the same sum is
the page's total (a COUNT of 600,000 residential took ~230 ms).

The cube answers a speed limit exactly only on a band edge (a multiple of 50 ms, the spin box's
step); other limits, and PostgreSQL (no cheap change counter), are counted in SQL as before.
"""

from __future__ import annotations

import asyncio
import functools
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.services.inventory_cache import data_key, known_values
from proxyshop_desktop.services.inventory_query import Filters, Where, filters_of, resolve
from proxyshop_desktop.services.results import InventoryQuery

if TYPE_CHECKING:
    from proxyshop_desktop.models.store import Store

Facets = dict[str, list[tuple[str, int]]]
Cell = tuple[str | None, str | None, str, str | None]  # country_code, city, proxy_type, isp

BAND_MS = 50
#: product ids per build step: a page query waits behind at most one (~20 ms at 1,000,000 proxies;
#: 10,000 held the DB thread up to 44 ms, and each filter change's rows waited for it)
CHUNK_IDS = 5_000
_BAND = f"CAST(p.speed / {BAND_MS} AS INTEGER) + (p.speed / {BAND_MS} > CAST(p.speed / {BAND_MS} AS INTEGER))"


@dataclass
class _Counts:
    """One cell: its proxies, and how many are at most each speed band (cumulative)."""

    total: int = 0
    bands: list[int] = field(default_factory=list)
    upto: list[int] = field(default_factory=list)

    def at_most(self, band: int | None) -> int:
        if band is None:
            return self.total
        i = bisect_right(self.bands, band)
        return self.upto[i - 1] if i else 0


@dataclass
class Cube:
    key: Any  # the data_key() it was built at (or last found unchanged at)
    inventory: tuple[Any, ...]  # inventory_state() then
    cells: dict[Cell, _Counts]
    cities: frozenset[str]
    isps: frozenset[str]

    @property
    def size(self) -> int:
        """Every product."""
        return sum(counts.total for counts in self.cells.values())

    def answers(self, f: Filters) -> bool:
        return f.max_speed is None or _band(f.max_speed) is not None

    def count(self, where: Where) -> int:
        return sum(n for _cell, n in self._matching(where, ()))

    def facets(self, where: Where) -> Facets:
        f = where.filters
        country: Counter[str] = Counter()
        city: Counter[str] = Counter()
        kind: Counter[str] = Counter()
        cities = frozenset(where.cities)
        for (code, town, proxy_type, _isp), n in self._matching(where, ("country_code", "city", "proxy_type")):
            in_country = f.country_code is None or code == f.country_code
            in_city = f.city is None or town in cities
            of_kind = f.proxy_type is None or proxy_type == f.proxy_type
            if of_kind and code is not None:  # a city belongs to a country: not filtered by it
                country[code] += n
            if in_country and of_kind and town is not None:
                city[town] += n
            if in_country and in_city:
                kind[proxy_type] += n
        return {"country_code": sorted(country.items()), "city": sorted(city.items()),
                "proxy_type": sorted(kind.items())}

    def _matching(self, where: Where, facet_columns: tuple[str, ...]) -> Any:
        """(cell, count) under the ISP and speed filters, and the other filters unless the
        caller counts per facet (then it applies them itself); cells that count 0 are left out."""
        f = where.filters
        band = None if f.max_speed is None else _band(f.max_speed)
        isps = frozenset(where.isps) if f.isp else None
        cities = frozenset(where.cities)
        for cell, counts in self.cells.items():
            code, town, proxy_type, isp = cell
            if isps is not None and isp not in isps:
                continue
            if not facet_columns and not (
                (f.country_code is None or code == f.country_code)
                and (f.city is None or town in cities)
                and (f.proxy_type is None or proxy_type == f.proxy_type)
            ):
                continue
            n = counts.at_most(band)
            if n:
                yield cell, n


def _band(max_speed: float) -> int | None:
    """The band whose upper edge is `max_speed`, or None between edges (not exact from bands)."""
    band = max_speed / BAND_MS
    return int(band) if band == int(band) else None


# --- on the DB thread ------------------------------------------------------------------------------

_cube: Cube | None = None  # read and written on the DB thread only


def inventory_state() -> tuple[Any, ...]:
    """What changes whenever this app changes the product table: a sale or cleanup removes rows
    (count), a sync adds some (max id) and records its run (status, end)."""
    db = database_proxy
    count, top = db.execute_sql("SELECT count(*), max(id) FROM product").fetchone()
    run = db.execute_sql("SELECT id, status, finished_at FROM sync_run ORDER BY id DESC LIMIT 1").fetchone()
    return count, top, tuple(run or ())


def fresh_cube() -> Cube | None:
    """The cube if it still describes the inventory, else None (SQLite only). After a commit of
    another process, always None (whatever it changed); after one of this connection, the cube
    stays if the inventory state did not move: an audit row or an alert must not cost a rebuild.
    A cube found stale is dropped: checking the state counts the table (~40 ms at 1,000,000
    proxies), which every page paid again while the new cube was being built."""
    global _cube
    cube = _cube
    if cube is None:
        return None
    key = data_key()
    if key == cube.key:
        return cube
    connection, version, _changes = key
    if connection is cube.key[0] and version == cube.key[1] and inventory_state() == cube.inventory:
        cube.key = key
        return cube
    _cube = None  # the inventory moved on: this cube never describes it again
    return None


class _Builder:
    def __init__(self) -> None:
        self.key = data_key()
        self.inventory = inventory_state()
        self.top = self.inventory[1] or 0
        self.bands: dict[Cell, Counter[int]] = defaultdict(Counter)
        self.totals: Counter[Cell] = Counter()

    def scan(self, low: int, high: int) -> None:
        # NOT INDEXED: the id range of the table itself; with statistics SQLite chose a skip-scan
        # of the (country, city, id) index, every chunk reading the whole index (19 s at 1M).
        sql = (f"SELECT p.country_code, p.city, p.proxy_type, p.isp, {_BAND}, count(*)"
               " FROM product AS p NOT INDEXED WHERE p.id > ? AND p.id <= ? GROUP BY 1, 2, 3, 4, 5")
        for code, city, kind, isp, band, n in database_proxy.execute_sql(sql, (low, high)):
            cell = (code, city, kind, isp)
            self.totals[cell] += n
            if band is not None:  # no speed: never within a limit
                self.bands[cell][band] += n

    def finish(self) -> Cube | None:
        """The cube, if nothing was committed while it was built (then also kept)."""
        global _cube
        if data_key() != self.key:
            return None
        cells: dict[Cell, _Counts] = {}
        for cell, total in self.totals.items():
            counts = _Counts(total)
            running = 0
            for band, n in sorted(self.bands[cell].items()):
                running += n
                counts.bands.append(band)
                counts.upto.append(running)
            cells[cell] = counts
        _cube = Cube(self.key, self.inventory, cells,
                     frozenset(c[1] for c in cells if c[1] is not None),
                     frozenset(c[3] for c in cells if c[3] is not None))
        return _cube


def cube_where(query: InventoryQuery) -> tuple[Cube, Where] | None:
    """The fresh cube and the query resolved against its values, when the cube can answer it."""
    cube = fresh_cube()
    if cube is None:
        return None
    f = filters_of(query)
    return (cube, resolve(f, cube.cities, cube.isps)) if cube.answers(f) else None


def sql_facets(query: InventoryQuery) -> Facets:
    """The counts straight from SQL: three GROUP BY queries (PostgreSQL, or a speed limit the
    cube cannot answer)."""
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


def facets(query: InventoryQuery) -> Facets:
    """On the DB thread: from the fresh cube when it answers the query, else from SQL."""
    found = cube_where(query)
    return found[0].facets(found[1]) if found is not None else sql_facets(query)


# --- building the cube from the event loop -----------------------------------------------------

_building: dict[int, asyncio.Task[Cube | None]] = {}  # per Store: one build, shared by callers


async def ensure_cube(store: Store) -> None:
    """Build the cube if the inventory changed since the last one (SQLite only). One build at a
    time is shared by every caller and survives their cancellation (a newer filter change), so
    typing never restarts it; the DB thread serves other queries between its chunks."""
    if store.is_postgres or await store.run(fresh_cube) is not None:
        return
    task = _building.get(id(store))
    if task is None or task.done():
        task = asyncio.ensure_future(_build(store))
        _building[id(store)] = task
        task.add_done_callback(functools.partial(_built, id(store)))
    await asyncio.shield(task)


def _built(store_id: int, task: asyncio.Task[Cube | None]) -> None:
    if _building.get(store_id) is task:
        del _building[store_id]
    if not task.cancelled():
        # Retrieved here: when every caller moved on (or the window closed the store meanwhile)
        # nobody awaits it; a caller still waiting gets the error through the shield.
        task.exception()


async def _build(store: Store) -> Cube | None:
    for _attempt in range(2):  # a commit during the build: once more, then SQL counts
        builder = await store.run(_Builder)
        for low in range(0, builder.top, CHUNK_IDS):
            await store.run(builder.scan, low, low + CHUNK_IDS)
        cube = await store.run(builder.finish)
        if cube is not None:
            return cube
    return None
