"""A page before its count: while the facet cube is rebuilt after a sync (seconds at 1,000,000
proxies) the window asks for pages without a slow COUNT (`exact_total=False`) and counts after
(`count_matches`), so a filter change shows its rows first (issue 9)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from proxyshop_desktop.services import inventory, inventory_pages
from proxyshop_desktop.services.results import InventoryQuery as Q
from tests.factories import create_product, open_context

ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths: Any, engine: str) -> Any:
    context = open_context(data_paths, price="2.50")
    yield context
    context.store.close()


@pytest.fixture
def stocked(ctx: Any) -> None:
    """12 proxies: 8 residential, 3 in Russia."""
    for i in range(12):
        create_product(ctx.store, country_code="RU" if i < 3 else "US", city=f"c{i % 4}", isp=f"isp{i % 3}",
                       proxy_type="residential" if i < 8 else "mobile", speed=float(10 * i))


def page(ctx: Any, exact_total: bool = True, **kw: Any) -> Any:
    return asyncio.run(inventory.query_inventory(ctx, Q(page_size=3, **kw), exact_total))


def ids(got: Any) -> list[int]:
    return [r.product_id for r in got.rows]


def test_a_page_of_many_matches_comes_without_its_count_which_is_counted_later(
    ctx: Any, stocked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(inventory_pages, "WALK_ROWS", 9)  # pages of 3 of 12 ids: counting stops at 4
    cases: list[dict[str, Any]] = [{"proxy_type": "residential"}, {"isp": "isp1"}, {},
                                   {"proxy_type": "residential", "sort": "speed", "descending": True}]
    for kw in cases:
        quick = page(ctx, exact_total=False, **kw)
        assert not quick.counted and ids(quick) == ids(page(ctx, **kw)), kw
        assert quick.total == 4  # the 3 shown and at least one more: enough to scroll on
        second = page(ctx, exact_total=False, page=2, **kw)
        assert ids(second) == ids(page(ctx, page=2, **kw)), kw
        assert second.total == 3 + len(second.rows) + (len(second.rows) == 3), kw  # 7, or exact at the end
    assert [asyncio.run(inventory.count_matches(ctx, Q(**kw))) for kw in cases] == [8, 4, 12, 8]


def test_few_matches_are_counted_exactly_at_once(ctx: Any, stocked: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory_pages, "WALK_ROWS", 9)
    few = page(ctx, exact_total=False, country_code="RU")
    assert few.counted and few.total == 3 and ids(few) == ids(page(ctx, country_code="RU"))
    assert page(ctx, exact_total=False, sort="last_seen").counted  # its order needs the count


@pytest.mark.sqlite_only("the cube is built on SQLite only; PostgreSQL counts in SQL")
def test_the_cube_counts_every_page_once_built(ctx: Any, stocked: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inventory_pages, "WALK_ROWS", 9)
    asyncio.run(inventory.facet_counts(ctx, Q()))  # builds the cube
    got = page(ctx, exact_total=False, proxy_type="residential")
    assert got.counted and got.total == 8


@pytest.mark.sqlite_only("the cube is built on SQLite only")
def test_a_stale_cube_is_checked_once_not_by_every_page_while_the_next_is_built(
    ctx: Any, stocked: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checking a cube against the inventory counts the table (~40 ms at 1,000,000 proxies): a
    cube found stale is dropped, so the pages shown while the next one is built do not pay it."""
    from proxyshop_desktop.services import inventory_facets

    asyncio.run(inventory.facet_counts(ctx, Q()))  # builds the cube
    create_product(ctx.store, country_code="DE")  # a sync's change, on this connection
    checks: list[int] = []
    real_state = inventory_facets.inventory_state
    monkeypatch.setattr(inventory_facets, "inventory_state", lambda: checks.append(1) or real_state())
    for _ in range(3):
        got = page(ctx, exact_total=False, proxy_type="residential")
        assert got.rows
    assert checks == [1]
    assert asyncio.run(inventory.count_matches(ctx, Q(country_code="DE"))) == 1
