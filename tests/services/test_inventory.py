"""Inventory queries: filters, validation, paging with a true total, GUI rows, facets, last_seen."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.services import inventory, inventory_cache
from proxyshop_desktop.services.results import InventoryQuery as Q
from tests.factories import create_order, create_product, create_sync_run, open_context

ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths: Any, engine: str) -> Any:
    context = open_context(data_paths, price="2.50")
    yield context
    context.store.close()


@pytest.fixture
def stocked(ctx: Any) -> Any:
    """12 proxies across three countries, Unicode cities, each type, one without speed."""
    rows = [
        ("US", "United States", "New York", "Comcast Cable", "residential", 100.0),
        ("US", "United States", "New York", "Verizon Wireless", "mobile", 250.0),
        ("US", "United States", "Dallas", "Amazon AWS", "hosting", 40.0),
        ("US", "United States", "Dallas", "Comcast Cable", "residential", None),
        ("BR", "Brazil", "São Paulo", "Vivo", "mobile", 700.0),
        ("BR", "Brazil", "São Paulo", "Claro", "residential", 310.0),
        ("BR", "Brazil", "Rio de Janeiro", "Vivo", "residential", 300.0),
        ("RU", "Russia", "Москва", "Ростелеком", "residential", 90.0),
        ("RU", "Russia", "Москва", "МТС", "mobile", 120.0),
        ("RU", "Russia", "Санкт-Петербург", "Ростелеком", "residential", 90.0),
        ("US", "United States", "New York", "comcast business", "hosting", 90.0),
        ("US", "United States", "Miami", None, "residential", 500.0),
    ]
    made = []
    for code, country, city, isp, kind, speed in rows:
        made.append(create_product(ctx.store, country_code=code, country=country, city=city, isp=isp,
                                   proxy_type=kind, speed=speed))
    return made


def query(ctx: Any, **kw: Any) -> Any:
    return asyncio.run(inventory.query_inventory(ctx, Q(**kw)))


def rows(ctx: Any, **kw: Any) -> Any:
    return asyncio.run(inventory.inventory_rows(ctx, Q(**kw)))


def proxy_ids(page: Any) -> list[int]:
    return [r.proxy_id for r in (page.rows if hasattr(page, "rows") else page)]


# --- filters ----------------------------------------------------------------------------------


def test_no_filter_lists_everything_with_the_true_total(ctx, stocked):
    page = query(ctx)
    assert page.total == 12 and len(page.rows) == 12
    first = page.rows[0].to_json()
    assert set(first) == {"product_id", "proxy_id", "country", "country_code", "city", "region", "ISP",
                          "type", "speed", "price", "status", "refund_rate", "refund_rate_basis"}
    assert first["price"] == "2.50" and first["status"] == "online"
    assert page.to_json()["total"] == 12 and page.to_json()["page_size"] == 50


def test_country_is_exact_and_case_insensitive(ctx, stocked):
    page = query(ctx, country_code=" br")
    assert page.total == 3 and {r.country_code for r in page.rows} == {"BR"}


@pytest.mark.parametrize(("city", "expected"), [
    ("new york", 3), ("SÃO PAULO", 2), ("москва", 2), ("Dallas ", 2), ("York", 0),
])
def test_city_is_exact_and_case_insensitive_for_any_script(ctx, stocked, city, expected):
    assert query(ctx, city=city).total == expected


def test_type_and_isp_and_max_speed(ctx, stocked):
    assert query(ctx, proxy_type="Mobile").total == 3
    assert {r.isp for r in query(ctx, isp="COMCAST").rows} == {"Comcast Cable", "comcast business"}
    assert query(ctx, isp="ростел").total == 2
    fast = query(ctx, max_speed=100)
    assert sorted(r.speed for r in fast.rows) == [40.0, 90.0, 90.0, 90.0, 100.0]  # no NULL speed
    combined = query(ctx, country_code="US", isp="comcast", max_speed=95)
    assert [r.isp for r in combined.rows] == ["comcast business"]


@pytest.mark.parametrize(("kw", "message"), [
    ({"country_code": "USA"}, "Invalid country code 'USA': use a 2-letter ISO code like US"),
    ({"country_code": "1A"}, "Invalid country code '1A'"),
    ({"proxy_type": "datacenter"}, "residential, mobile, hosting"),
    ({"page": 0}, "page"),
    ({"page_size": 0}, "page size"),
    ({"page_size": 1001}, "page size"),
    ({"max_speed": -1}, "max speed"),
    ({"sort": "password"}, "Cannot sort by 'password'"),
])
def test_invalid_queries_are_usage_errors(ctx, kw, message):
    with pytest.raises(UsageError) as caught:
        query(ctx, **kw)
    assert message in caught.value.message
    assert caught.value.exit_code == 2


# --- paging and order -----------------------------------------------------------------------------


def test_pages_are_stable_and_cover_every_match_once(ctx, stocked):
    seen = []
    for number in range(1, 6):
        page = query(ctx, page=number, page_size=5)
        assert page.total == 12 and page.page == number
        seen += proxy_ids(page)
    assert len(seen) == 12 and sorted(seen) == sorted(p.proxy_id for p in stocked)
    assert query(ctx, page=3, page_size=5).rows == query(ctx, page=3, page_size=5).rows
    assert query(ctx, page=9, page_size=5).rows == []


def test_default_order_is_country_then_city_then_product_id(ctx, stocked):
    listed = query(ctx).rows
    keys = [(r.country, r.city, r.product_id) for r in listed]
    assert keys == sorted(keys)


def test_gui_rows_are_all_matches_sorted_with_product_id_breaking_ties(ctx, stocked):
    by_speed = rows(ctx, sort="speed", page_size=1)  # paging is ignored
    assert len(by_speed) == 12
    speeds = [r.speed for r in by_speed]
    assert speeds[-1] is None and speeds[:-1] == sorted(speeds[:-1])
    nineties = [r.product_id for r in by_speed if r.speed == 90.0]
    assert nineties == sorted(nineties)
    down = rows(ctx, sort="speed", descending=True)
    assert down[-1].speed is None and [r.speed for r in down[:-1]] == sorted(speeds[:-1], reverse=True)
    assert [r.proxy_id for r in rows(ctx, sort="proxy_id", country_code="RU")] == sorted(
        p.proxy_id for p in stocked if p.country_code == "RU"
    )
    row = by_speed[0]
    assert row.price == Decimal("2.50") and row.first_seen.tzinfo is not None
    with pytest.raises(AttributeError):
        row.speed = 1.0  # still the frozen dataclass


def test_facet_counts_follow_the_other_filters(ctx, stocked):
    facets = asyncio.run(inventory.facet_counts(ctx, Q(country_code="US", proxy_type="residential")))
    assert facets["country_code"] == [("BR", 2), ("RU", 2), ("US", 3)]  # residential everywhere
    assert facets["city"] == [("Dallas", 1), ("Miami", 1), ("New York", 1)]  # within the US
    assert facets["proxy_type"] == [("hosting", 2), ("mobile", 1), ("residential", 3)]  # US, any type
    everything = asyncio.run(inventory.facet_counts(ctx, Q()))
    assert sum(n for _, n in everything["country_code"]) == 12
    assert dict(everything["city"])["Москва"] == 2


# --- derived last_seen ----------------------------------------------------------------------------


def test_last_seen_is_the_latest_complete_listing_that_covered_the_row(ctx):
    long_ago = utcnow() - timedelta(days=2)
    us = create_product(ctx.store, country_code="US", first_seen=long_ago, last_seen=long_ago)
    de = create_product(ctx.store, country_code="DE", first_seen=long_ago, last_seen=long_ago)
    full = utcnow() - timedelta(hours=1)
    create_sync_run(ctx.store, finished_at=full)
    create_sync_run(ctx.store, finished_at=utcnow(), status="failed")  # proves nothing
    scoped = utcnow() - timedelta(minutes=5)
    create_sync_run(ctx.store, finished_at=scoped, scope="DE")

    seen = {r.proxy_id: r.last_seen for r in query(ctx).rows}

    assert seen[us.proxy_id] == full
    assert seen[de.proxy_id] == scoped
    assert {r.proxy_id: r.first_seen for r in query(ctx).rows}[us.proxy_id] == long_ago
    order = [r.proxy_id for r in rows(ctx, sort="last_seen", descending=True)]
    assert order == [de.proxy_id, us.proxy_id]


def test_last_seen_without_any_sync_is_the_row_time(ctx):
    made = create_product(ctx.store)
    assert query(ctx).rows[0].last_seen == made.last_seen


# --- the GUI's row cache never serves stale rows ---------------------------------------------------


@pytest.mark.sqlite_only("the row cache is SQLite's (PRAGMA data_version); on PostgreSQL every "
                         "read is fresh, so there is no cache to follow")
def test_gui_rows_follow_every_committed_change(ctx, stocked, engine):
    import sqlite3

    from proxyshop_desktop.models.tables import Product

    first = rows(ctx)
    assert rows(ctx)[0] is first[0]  # unchanged data: the same row objects, no rebuild
    victim = stocked[0]
    ctx.store.run_blocking(lambda: Product.delete().where(Product.id == victim.id).execute())
    assert victim.id not in {r.product_id for r in rows(ctx)}

    other = sqlite3.connect(ctx.store.path)  # another process (a cron sync) changes a row
    with other:
        other.execute("UPDATE product SET isp = 'Changed Elsewhere' WHERE id = ?", (stocked[1].id,))
    other.close()
    assert {r.product_id: r.isp for r in rows(ctx)}[stocked[1].id] == "Changed Elsewhere"
    assert rows(ctx, isp="elsewhere")[0].product_id == stocked[1].id

    ctx.settings = ctx.settings.model_copy(update={"price": Decimal("3.10")})
    assert {r.price for r in rows(ctx)} == {Decimal("3.10")}


def test_gui_rows_and_the_paged_query_agree(ctx, stocked):
    for kw in ({}, {"sort": "speed", "descending": True}, {"sort": "isp"}, {"sort": "last_seen"},
               {"country_code": "us", "isp": "comcast"}, {"sort": "city", "max_speed": 300}):
        assert [r.product_id for r in rows(ctx, **kw)] == [r.product_id for r in query(ctx, page_size=1000, **kw).rows]


@pytest.mark.parametrize("sort", ["isp", "city", "region"])
@pytest.mark.parametrize("descending", [False, True])
def test_text_sorts_in_python_match_sqlite_nocase_order(ctx, stocked, sort, descending):
    """The GUI's rows sort text columns in Python; the paged listing sorts them in SQL."""
    in_sql = query(ctx, sort=sort, descending=descending, page_size=100)
    assert [r.product_id for r in rows(ctx, sort=sort, descending=descending)] == [
        r.product_id for r in in_sql.rows
    ]
    us_only = query(ctx, sort=sort, descending=descending, country_code="US", page_size=100)
    assert [r.product_id for r in rows(ctx, sort=sort, descending=descending, country_code="US")] == [
        r.product_id for r in us_only.rows
    ]


FILTER_CASES = (
    {}, {"country_code": "us"}, {"proxy_type": "residential"}, {"city": "москва"},
    {"isp": "comcast"}, {"max_speed": 300}, {"country_code": "BR", "proxy_type": "mobile"},
    {"isp": "zzz-no-such-isp"}, {"country_code": "US", "city": "new york", "max_speed": 95},
)


@pytest.mark.parametrize("sort", sorted(inventory.SORTS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_filter_and_sort_agrees_between_the_gui_rows_and_sql(ctx, stocked, sort, descending):
    """The window's rows filter and sort in memory where that is faster; the paged listing does
    everything in SQL. Both must give the same rows in the same order, for every combination."""
    for kw in FILTER_CASES:
        in_sql = query(ctx, sort=sort, descending=descending, page_size=100, **kw).rows
        in_gui = rows(ctx, sort=sort, descending=descending, **kw)
        assert [r.product_id for r in in_gui] == [r.product_id for r in in_sql], kw


@pytest.fixture(params=["no runs", "full run", "full and scoped runs"])
def seen_times(request, ctx, stocked):
    """Last-seen times of every kind: rows older than the last full listing, rows written since,
    a newer listing scoped to one country (then the derived order is sorted whole)."""
    if request.param == "no runs":
        return
    from proxyshop_desktop.models.tables import Product

    base = utcnow() - timedelta(days=3)
    for n, made in enumerate(stocked):  # a few share a time, some are newer than the full run
        at = base + timedelta(hours=(n % 4) * 20)
        ctx.store.run_blocking(lambda at=at, pid=made.id: Product.update(last_seen=at).where(
            Product.id == pid).execute())
    create_sync_run(ctx.store, finished_at=base + timedelta(hours=30))
    if request.param == "full and scoped runs":
        create_sync_run(ctx.store, finished_at=base + timedelta(hours=50), scope="BR")


@pytest.mark.parametrize("sort", sorted(inventory.SORTS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("cube", [False, True], ids=["count in SQL", "count from the cube"])
def test_sql_pages_walked_to_the_end_give_the_cached_rows(ctx, stocked, seen_times, sort, descending, cube):
    """A large inventory is shown a page at a time from SQL (inventory_tab.PAGED_ABOVE): every
    page boundary must fall between the same rows the cache shows, none twice, none lost, and a
    page past the end is empty with the same total. With the cube, pages walk the sort's index."""
    if cube:
        asyncio.run(inventory.facet_counts(ctx, Q()))
    for kw in FILTER_CASES:
        cached = [r.product_id for r in rows(ctx, sort=sort, descending=descending, **kw)]
        walked, page = [], 1
        while True:
            got = query(ctx, sort=sort, descending=descending, page=page, page_size=3, **kw)
            assert got.total == len(cached), kw
            if not got.rows:
                break
            walked += [r.product_id for r in got.rows]
            page += 1
        assert walked == cached, (kw, page)
        assert page == -(-len(cached) // 3) + 1  # the first empty page is the one after the last


def test_sql_pages_match_isps_of_the_current_data_without_the_row_cache(ctx, stocked, monkeypatch):
    """Paged (no row cache), the city/ISP values are kept per database state: a change made by
    another process is matched at once."""
    from tests.reliability.children import execute  # another connection, on the test's engine

    monkeypatch.setattr(inventory_cache, "_cache", None)
    assert query(ctx, isp="elsewhere").total == 0
    execute(ctx.store.path, "UPDATE product SET isp = 'Changed Elsewhere' WHERE id = ?", stocked[1].id)
    assert [r.product_id for r in query(ctx, isp="elsewhere").rows] == [stocked[1].id]
    assert query(ctx, isp="comcast").total == 3  # two "Comcast Cable", one "comcast business"


# --- facet counts from the cube (inventory_facets.py) ------------------------------------------------

CUBE_CASES = (
    *FILTER_CASES, {"max_speed": 100}, {"max_speed": 250, "proxy_type": "mobile"}, {"max_speed": 0},
    {"country_code": "US", "proxy_type": "residential"}, {"isp": "ростел", "city": "Москва"},
    {"country_code": "RU", "city": "москва", "proxy_type": "mobile", "isp": "мтс", "max_speed": 150},
)


def facets(ctx: Any, **kw: Any) -> Any:
    return asyncio.run(inventory.facet_counts(ctx, Q(**kw)))


@pytest.mark.sqlite_only("the cube is built on SQLite only; PostgreSQL counts in SQL")
@pytest.mark.parametrize("kw", CUBE_CASES)
def test_the_cube_counts_what_sql_counts(ctx, stocked, kw):
    """Every filter combination: the facets and the page's total from the cube equal SQL's."""
    from proxyshop_desktop.services import inventory_facets

    expected = ctx.store.run_blocking(inventory_facets.sql_facets, Q(**kw))
    assert facets(ctx, **kw) == expected
    on_band_edge = kw.get("max_speed") is None or kw["max_speed"] % inventory_facets.BAND_MS == 0
    assert (ctx.store.run_blocking(inventory_facets.cube_where, Q(**kw)) is not None) == on_band_edge
    total = ctx.store.run_blocking(
        lambda: database_proxy_count(inventory_facets.resolve(inventory_facets.filters_of(Q(**kw)))))
    assert query(ctx, **kw).total == total


def database_proxy_count(where: Any) -> int:
    from proxyshop_desktop.models.tables import database_proxy

    sql, params = where.sql()
    return database_proxy.execute_sql(f"SELECT count(*) FROM product AS p{sql}", params).fetchone()[0]


def test_a_speed_limit_between_bands_is_counted_in_sql(ctx, stocked):
    from proxyshop_desktop.services import inventory_facets

    facets(ctx)  # builds the cube
    assert ctx.store.run_blocking(inventory_facets.cube_where, Q(max_speed=95)) is None
    assert facets(ctx, max_speed=95) == ctx.store.run_blocking(inventory_facets.sql_facets, Q(max_speed=95))
    assert facets(ctx, max_speed=95)["proxy_type"] == [("hosting", 2), ("residential", 2)]  # 40, 90, 90, 90


@pytest.mark.sqlite_only("the cube follows SQLite's change counter; PostgreSQL counts in SQL")
def test_the_cube_follows_a_sale_a_sync_and_another_process(ctx, stocked):
    import sqlite3

    from proxyshop_desktop.models.tables import Product
    from proxyshop_desktop.services import inventory_facets

    assert dict(facets(ctx)["country_code"]) == {"BR": 3, "RU": 3, "US": 6}
    built = ctx.store.run_blocking(inventory_facets.fresh_cube)
    create_order(ctx.store)  # another table changed: the cube stays
    assert ctx.store.run_blocking(inventory_facets.fresh_cube) is built

    ctx.store.run_blocking(lambda: Product.delete().where(Product.id == stocked[4].id).execute())  # sold
    assert ctx.store.run_blocking(inventory_facets.fresh_cube) is None
    assert dict(facets(ctx)["country_code"]) == {"BR": 2, "RU": 3, "US": 6}
    create_product(ctx.store, country_code="DE", country="Germany", city="Berlin")  # a sync added one
    assert dict(facets(ctx)["country_code"]) == {"BR": 2, "DE": 1, "RU": 3, "US": 6}
    assert query(ctx, country_code="DE").total == 1

    other = sqlite3.connect(ctx.store.path)  # another process: rows only, no run recorded
    with other:
        other.execute("UPDATE product SET country_code = 'DE' WHERE country_code = 'RU'")
    other.close()
    assert dict(facets(ctx)["country_code"]) == {"BR": 2, "DE": 4, "US": 6}
    assert query(ctx, country_code="DE").total == 4


@pytest.mark.sqlite_only("the cube is built on SQLite only")
def test_the_cube_is_built_in_id_chunks_and_one_build_serves_every_caller(ctx, stocked, monkeypatch):
    from proxyshop_desktop.services import inventory_facets

    monkeypatch.setattr(inventory_facets, "CHUNK_IDS", 5)  # 12 products: three chunks
    scanned: list[tuple[int, int]] = []
    real_scan = inventory_facets._Builder.scan
    monkeypatch.setattr(inventory_facets._Builder, "scan",
                        lambda self, low, high: (scanned.append((low, high)), real_scan(self, low, high))[1])

    async def many() -> list[Any]:
        return await asyncio.gather(*(inventory.facet_counts(ctx, Q(proxy_type=k)) for k in
                                      ("mobile", "hosting", None)))

    results = asyncio.run(many())
    top = max(p.id for p in stocked)
    assert scanned == [(low, low + 5) for low in range(0, top, 5)]  # one build for three callers
    assert results[2] == ctx.store.run_blocking(inventory_facets.sql_facets, Q())


@pytest.mark.sqlite_only("keyset bookmarks are kept for SQLite pages")
def test_the_next_page_starts_at_the_last_ones_bookmark_until_the_inventory_changes(ctx, stocked, monkeypatch):
    from proxyshop_desktop.models.tables import Product
    from proxyshop_desktop.services import inventory_keyset

    seeks: list[Any] = []
    real = inventory_keyset.page_ids
    monkeypatch.setattr(inventory_keyset, "page_ids", lambda *a: seeks.append(r := real(*a)) or r)
    first = query(ctx, sort="isp", descending=True, page=1, page_size=5)
    second = query(ctx, sort="isp", descending=True, page=2, page_size=5)
    assert seeks[-1] == [r.product_id for r in second.rows]  # sought from page 1's last row
    ctx.store.run_blocking(lambda: Product.delete().where(Product.id == first.rows[0].product_id).execute())
    again = query(ctx, sort="isp", descending=True, page=2, page_size=5)  # a sale meanwhile: OFFSET
    assert seeks[-1] is None
    assert [r.product_id for r in again.rows] == [r.product_id for r in rows(ctx, sort="isp", descending=True)[5:10]]
