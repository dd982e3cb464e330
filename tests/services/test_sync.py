"""Sync against a respx-driven listing (exact paging and faults) and the loopback simulator."""

from __future__ import annotations

import asyncio
import sys
import types
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from proxyshop_desktop.errors import (
    AuthError,
    BadResponseError,
    BusyError,
    ProviderTimeoutError,
    ProviderUnavailableError,
)
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.services import runs as run_records
from proxyshop_desktop.services import sync
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.listing import fetch_listing
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.factories import create_order, open_context
from tests.services.sync_helpers import PAGE, do_sync, item, open_ctx, products, run, sql

#: every test here that opens a database runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths: Any, engine: str) -> Any:
    context = open_ctx(data_paths)
    yield context
    context.store.close()


def runs(ctx: ShopContext) -> list[tuple[Any, ...]]:
    return sql(ctx, "SELECT kind, scope, status, error, added, updated, removed, skipped, pages, requests"
                    " FROM sync_run ORDER BY id")


def count_product_writes(ctx: ShopContext) -> Callable[[], int]:
    """Temp triggers on the DB thread's connection count every row written to `product`."""
    if ctx.store.is_postgres:  # no temp triggers there: a table and a PL/pgSQL trigger
        def install_pg() -> None:
            db = ctx.store.db
            db.execute_sql("CREATE TABLE product_writes (op TEXT)")
            db.execute_sql(
                "CREATE FUNCTION count_write() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO product_writes VALUES (TG_OP); RETURN NULL; END $$"
            )
            db.execute_sql("CREATE TRIGGER count_writes AFTER INSERT OR UPDATE OR DELETE ON product "
                           "FOR EACH ROW EXECUTE FUNCTION count_write()")

        ctx.store.run_blocking(install_pg)
        return lambda: sql(ctx, "SELECT count(*) FROM product_writes")[0][0]

    def install() -> None:
        db = ctx.store.db
        db.execute_sql("CREATE TEMP TABLE product_writes (op TEXT)")
        for op in ("INSERT", "UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TEMP TRIGGER count_{op.lower()} AFTER {op} ON main.product "
                f"BEGIN INSERT INTO product_writes VALUES ('{op}'); END"
            )

    ctx.store.run_blocking(install)
    return lambda: sql(ctx, "SELECT count(*) FROM temp.product_writes")[0][0]


# --- the basic cycle --------------------------------------------------------------------------------


def test_first_sync_adds_every_online_proxy(ctx, listing):
    listing.items = [item(i) for i in range(1, 26)]
    listing.items[3].update(mobile=True, zip=90210, country_code="us", speed="245.5")
    listing.items[4].update(hosting=True)
    seen: list[Any] = []

    result = do_sync(ctx, progress=seen.append)

    assert (result.added, result.updated, result.removed, result.skipped) == (25, 0, 0, 0)
    assert result.total_fetched == result.total_available_external == 25
    assert result.pages == 3 and result.requests >= 3
    rows = sql(ctx, "SELECT proxy_id, proxy_type, zip, country_code, speed, status FROM product ORDER BY proxy_id")
    assert len(rows) == 25
    assert rows[3] == (4, "mobile", "90210", "US", 245.5, 1)
    assert rows[4][1] == "hosting" and rows[0][1] == "residential"
    assert runs(ctx) == [("sync", None, "success", None, 25, 0, 0, 0, 3, result.requests)]
    assert sql(ctx, "SELECT kind, ok FROM audit_event") == [("sync", 1)]
    assert [p.phase for p in seen][0] == "listing" and seen[-1].phase == "writing"
    assert seen[-1].fetched == 25
    assert result.to_json()["total_available_external"] == 25


def test_resync_without_changes_writes_no_product_row(ctx, listing):
    listing.items = [item(i) for i in range(1, 26)]
    do_sync(ctx)
    before = products(ctx)
    writes = count_product_writes(ctx)

    result = do_sync(ctx)

    assert (result.added, result.updated, result.removed) == (0, 0, 0)
    assert writes() == 0
    assert products(ctx) == before  # last_seen and last_changed untouched too
    # ...yet the inventory reports them seen by this sync (derived from its run).
    from proxyshop_desktop.services import inventory
    from proxyshop_desktop.services.results import InventoryQuery

    listed = run(ctx, lambda: inventory.query_inventory(ctx, InventoryQuery(page_size=100)))
    assert listed.total == 25 and {r.last_seen for r in listed.rows} == {result.finished_at}


def test_a_changed_proxy_is_updated_in_place(ctx, listing):
    listing.items = [item(i) for i in range(1, 16)]
    do_sync(ctx)
    before = {r[1]: r for r in products(ctx)}
    listing.items[6]["isp"] = "Other ISP"
    writes = count_product_writes(ctx)

    result = do_sync(ctx)

    assert (result.added, result.updated, result.removed) == (0, 1, 0)
    assert writes() == 1
    after = sql(ctx, "SELECT id, isp, first_seen, last_changed FROM product WHERE proxy_id = 7")[0]
    assert after[0] == before[7][0] and after[1] == "Other ISP"
    assert after[2] == before[7][-3]  # first_seen kept
    assert after[3] > before[7][-1]  # last_changed moved
    unchanged = [r for r in products(ctx) if r[1] != 7]
    assert unchanged == [r for pid, r in sorted(before.items()) if pid != 7]


def test_vanished_and_offline_proxies_are_removed(ctx, listing):
    listing.items = [item(i) for i in range(1, 16)]
    do_sync(ctx)
    del listing.items[0]  # gone
    listing.items[1]["status"] = 0  # offline (not listed any more)

    result = do_sync(ctx)

    assert result.removed == 2
    ids = [r[0] for r in sql(ctx, "SELECT proxy_id FROM product ORDER BY proxy_id")]
    assert 1 not in ids and 3 not in ids and len(ids) == 13


def test_offline_items_in_the_online_listing_are_not_added(ctx, listing):
    listing.pages[0] = {"proxies": [item(1), item(2, status=0), item(3, status="0"), item(4, status=2),
                                    item(5, status=None)]}

    result = do_sync(ctx)

    assert sorted(r[0] for r in sql(ctx, "SELECT proxy_id FROM product")) == [1, 5]
    assert result.skipped == 3 and result.added == 2 and result.total_fetched == 5


def test_duplicates_across_pages_are_merged_last_one_wins(ctx, listing):
    first = [item(i) for i in range(1, 11)]
    second = [item(i) for i in range(10, 20)]
    second[0]["city"] = "Boston"  # proxy 10 again, changed on the later page
    listing.pages = {0: {"proxies": first}, 1: {"proxies": second}, 2: {"proxies": [item(20)]}}

    result = do_sync(ctx)

    assert result.total_fetched == 21 and result.total_available_external == 20 and result.added == 20
    assert sql(ctx, "SELECT city FROM product WHERE proxy_id = 10") == [("Boston",)]


def test_a_proxy_twice_on_one_page_keeps_its_later_row(ctx, listing):
    # PostgreSQL stages a page with one COPY; a duplicate key makes it upsert that page instead
    page = [item(i) for i in range(1, 11)]
    page[7] = item(3, city="Boston")
    listing.pages = {0: {"proxies": page}, 1: {"proxies": [item(11), item(1, city="Austin")]}}

    result = do_sync(ctx)

    assert (result.total_fetched, result.total_available_external, result.added) == (12, 10, 10)
    assert sql(ctx, "SELECT proxy_id, city FROM product WHERE proxy_id IN (1, 3) ORDER BY proxy_id") == [
        (1, "Austin"), (3, "Boston")]


def test_items_without_proxy_id_are_skipped_and_counted(ctx, listing):
    listing.pages[0] = {"proxies": [item(1), item(None), {"city": "x"}, "garbage", {**item(2), "proxy_id": "abc"}]}

    result = do_sync(ctx)

    assert result.added == 1 and result.skipped == 4
    assert runs(ctx)[0][7] == 4


# --- paging rules -------------------------------------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 4])
def test_paging_stops_on_a_short_page(data_paths, listing, concurrency, engine):
    ctx = open_ctx(data_paths, sync_concurrency=concurrency)
    try:
        listing.items = [item(i) for i in range(1, 26)]
        result = do_sync(ctx)
    finally:
        ctx.store.close()
    assert result.added == 25 and result.pages == 3
    if concurrency == 1:
        assert listing.requested == [0, 1, 2]
    assert max(listing.requested) <= 2 + concurrency - 1


def test_paging_stops_on_an_empty_page(ctx, listing):
    ctx.settings = ctx.settings.model_copy(update={"sync_concurrency": 1})
    listing.items = [item(i) for i in range(1, 21)]  # exactly two full pages

    result = do_sync(ctx)

    assert listing.requested == [0, 1, 2] and result.added == 20 and result.pages == 3


def test_a_listing_that_ends_before_the_announced_page_count_changes_nothing(ctx, listing):
    listing.items = [item(i) for i in range(1, 141)]  # 14 pages
    do_sync(ctx)
    before, writes = products(ctx), count_product_writes(ctx)
    listing.pages[2] = {"proxies": [], "total": 14}  # a hiccup mid-listing (issue 15)

    with pytest.raises(BadResponseError, match="incomplete.*2 pages.*announced 14"):
        do_sync(ctx)

    assert products(ctx) == before and writes() == 0
    assert runs(ctx)[-1][2:4] == ("failed", runs(ctx)[-1][3]) and "incomplete" in runs(ctx)[-1][3]


def test_an_empty_ending_page_without_a_total_is_held_to_the_previous_pages_count(ctx, listing):
    listing.items = [item(i) for i in range(1, 141)]
    do_sync(ctx)
    before = products(ctx)
    listing.pages[3] = {"proxies": []}

    with pytest.raises(BadResponseError, match="incomplete"):
        do_sync(ctx)
    assert products(ctx) == before


def test_a_large_removal_is_confirmed_by_a_second_listing(ctx, listing):
    listing.items = [item(i) for i in range(1, 101)]
    do_sync(ctx)
    listing.items = listing.items[:60]  # 40 % gone, in both listings: a real removal
    listing.requested.clear()

    result = do_sync(ctx)

    assert result.removed == 40 and result.removal_confirmed
    assert listing.requested.count(0) == 2  # the listing was fetched twice
    assert "confirmed by a second listing" in sql(ctx, "SELECT message FROM audit_event")[-1][0]
    assert "fetched again" in result.removal_note and result.to_json()["removal_confirmed"] is True


def test_a_large_removal_keeps_what_the_second_listing_still_holds(ctx, listing):
    listing.items = [item(i) for i in range(1, 101)]
    do_sync(ctx)
    full = list(listing.items)
    served: list[int] = []

    def hiccup_once(request: httpx.Request) -> httpx.Response:
        # The first listing lacks proxies 51..100 (short page 5); the second is whole again.
        page = int(request.url.params["page"])
        served.append(page)
        listing.items = full[:50] if served.count(0) == 1 else full
        return listing(request)

    listing.route.mock(side_effect=hiccup_once)
    listing.total = None  # no announced count to catch the first listing
    result = do_sync(ctx)

    assert result.removed == 0 and result.removal_confirmed
    assert len(products(ctx)) == 100


def test_a_small_removal_needs_no_second_listing(ctx, listing):
    listing.items = [item(i) for i in range(1, 101)]
    do_sync(ctx)
    listing.items = listing.items[:75]
    listing.requested.clear()

    result = do_sync(ctx)

    assert result.removed == 25 and not result.removal_confirmed
    assert listing.requested.count(0) == 1


def test_total_never_stops_paging(ctx, listing):
    listing.items = [item(i) for i in range(1, 36)]  # three full pages and a short one
    listing.total = 1  # "one page" — wrong, and it does not matter

    result = do_sync(ctx)

    assert result.added == 35 and result.pages == 4
    listing.total = None  # absent altogether
    assert do_sync(ctx).removed == 0


def test_page_requests_ask_for_online_proxies_of_the_configured_size(ctx, listing):
    listing.items = [item(1)]
    do_sync(ctx)
    params = listing.params[0]
    assert params["status"] == "1" and params["page_size"] == str(PAGE) and params["page"] == "0"
    assert "country_code" not in params


def test_an_endless_listing_is_refused(ctx, listing):
    listing.items = [item(i) for i in range(1, 200)]
    with pytest.raises(BadResponseError, match="did not end"):
        run(ctx, lambda: fetch_listing(ctx.client(), PAGE, 2, _ignore, max_pages=5))


async def _ignore(rows: Any) -> None:
    pass


def test_a_failure_after_the_end_of_the_listing_does_not_matter(ctx, listing):
    listing.items = [item(i) for i in range(1, 16)]  # page 1 is the short last one
    listing.faults[2] = httpx.Response(500)
    ctx.settings = ctx.settings.model_copy(update={"sync_concurrency": 4})  # pages 0-3 at once

    result = do_sync(ctx)

    assert result.added == 15


# --- a failed sync changes nothing --------------------------------------------------------------


FAILURES = {
    "http-500": (lambda: httpx.Response(500), ProviderUnavailableError, "HTTP 500"),
    "timeout": (lambda: httpx.ReadTimeout("slow"), ProviderTimeoutError, "did not answer"),
    "html-page": (lambda: httpx.Response(200, html="<html>502 Bad Gateway</html>"), BadResponseError, "HTML"),
    "not-the-contract": (lambda: httpx.Response(200, json=[1, 2]), BadResponseError, "listing"),
    "bad-token": (lambda: httpx.Response(401), AuthError, "token"),
}


@pytest.mark.parametrize("name", list(FAILURES))
def test_a_sync_failing_part_way_changes_nothing(ctx, listing, name):
    make, error_type, reason = FAILURES[name]
    listing.items = [item(i) for i in range(1, 36)]
    do_sync(ctx)
    before = products(ctx)
    # The next listing would add, change and remove proxies — if it completed.
    listing.items = [item(i, isp="Changed") for i in range(5, 45)]
    listing.faults[2] = [make() for _ in range(FAST_RETRY.attempts)]

    with pytest.raises(error_type) as caught:
        do_sync(ctx)

    assert products(ctx) == before
    kind, _scope, status, error, *_ = runs(ctx)[-1]
    assert (kind, status) == ("sync", "failed") and reason in error and error == caught.value.message
    assert sql(ctx, "SELECT kind, ok FROM audit_event ORDER BY id")[-1] == ("sync", 0)
    assert sql(ctx, "SELECT finished_at IS NOT NULL FROM sync_run ORDER BY id DESC LIMIT 1") == [(1,)]


def test_a_page_that_recovers_within_the_retries_is_fine(ctx, listing):
    listing.items = [item(i) for i in range(1, 26)]
    listing.faults[1] = [httpx.Response(503), httpx.Response(502)]
    result = do_sync(ctx)
    assert result.added == 25 and result.requests == len(listing.requested)


def test_bad_country_code_is_a_usage_error_before_anything_happens(ctx, listing):
    from proxyshop_desktop.errors import UsageError

    with pytest.raises(UsageError, match="Invalid country code 'USA'"):
        do_sync(ctx, country="USA")
    assert listing.requested == [] and runs(ctx) == []


# --- scope, locking, reconcile ------------------------------------------------------------------


def test_a_country_sync_only_removes_within_its_country(ctx, listing):
    us = [item(i) for i in range(1, 13)]
    de = [item(i, country="Germany", country_code="DE", city="Berlin") for i in range(100, 112)]
    listing.items = us + de
    do_sync(ctx)
    listing.items = us[1:] + de[2:]  # one US and two DE proxies went away

    result = do_sync(ctx, country="us")

    assert result.removed == 1 and result.added == 0
    assert listing.params[-1]["country_code"] == "US"
    codes = sql(ctx, "SELECT country_code, count(*) FROM product GROUP BY country_code ORDER BY 1")
    assert codes == [("DE", 12), ("US", 11)]
    assert runs(ctx)[-1][:3] == ("sync", "US", "success")


def test_a_proxy_moving_into_the_synced_country_is_updated_not_duplicated(ctx, listing):
    listing.items = [item(1, country_code="CA", country="Canada")]
    do_sync(ctx)
    listing.items = [item(1)]  # now listed in the US
    result = do_sync(ctx, country="US")
    assert (result.added, result.updated) == (0, 1)
    assert sql(ctx, "SELECT country_code FROM product") == [("US",)]


def test_a_second_sync_is_refused_while_the_lock_is_held(ctx, listing, monkeypatch):
    monkeypatch.setattr(run_records, "LOCK_WAIT_SECONDS", 0.2)
    listing.items = [item(1)]
    other = FileLock(ctx.paths.sync_lock, what="a sync")
    other.acquire()
    try:
        with pytest.raises(BusyError, match="Another ProxyShop process is running a sync"):
            do_sync(ctx)
    finally:
        other.release()
    assert listing.requested == [] and runs(ctx) == []
    assert do_sync(ctx).added == 1  # released: the next one runs


def test_two_concurrent_syncs_in_one_process_run_one_after_the_other(ctx, listing):
    listing.items = [item(i) for i in range(1, 26)]

    async def both() -> list[Any]:
        return await asyncio.gather(sync.run_sync(ctx), sync.run_sync(ctx))

    first, second = run(ctx, both)
    assert sorted([first.added, second.added]) == [0, 25]
    assert [r[2] for r in runs(ctx)] == ["success", "success"]


def test_a_run_left_running_by_a_dead_process_is_closed(ctx, listing):
    from tests.factories import create_sync_run

    create_sync_run(ctx.store, status="running", finished_at=None)
    listing.items = [item(1)]
    do_sync(ctx)
    statuses = [(r[2], r[3]) for r in runs(ctx)]
    assert statuses[0][0] == "failed" and "Interrupted" in statuses[0][1]
    assert statuses[1] == ("success", None)


def fake_reconcile(monkeypatch: pytest.MonkeyPatch, behaviour: Callable[[Any], Any]) -> list[Any]:
    import proxyshop_desktop.services as services_package

    calls: list[Any] = []

    async def reconcile(ctx: Any) -> None:
        calls.append(ctx)
        behaviour(ctx)

    module = types.ModuleType("proxyshop_desktop.services.reconcile")
    module.reconcile = reconcile  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(services_package, "reconcile", module, raising=False)
    return calls


def test_pending_orders_are_reconciled_first_and_a_failure_there_does_not_stop_the_sync(ctx, listing, monkeypatch):
    def explode(_ctx: Any) -> None:
        raise ProviderUnavailableError("bought listing down")

    calls = fake_reconcile(monkeypatch, explode)
    create_order(ctx.store, status="pending")
    listing.items = [item(1)]
    phases: list[str] = []

    result = do_sync(ctx, progress=lambda p: phases.append(p.phase))

    assert len(calls) == 1 and result.added == 1
    assert phases[0] == "reconciling"


def test_no_reconcile_without_pending_orders(ctx, listing, monkeypatch):
    calls = fake_reconcile(monkeypatch, lambda _ctx: None)
    create_order(ctx.store, status="sold")
    listing.items = [item(1)]
    do_sync(ctx)
    assert calls == []


# --- end to end on the loopback simulator ------------------------------------------------------


def test_sync_mirrors_the_simulator_through_churn(data_paths, sim, engine):
    from proxyshop_desktop.simulator import DEMO_TOKEN

    ctx = open_context(data_paths, api_url=sim.base_url, sync_page_size=50, sync_concurrency=4)

    def go() -> Any:
        async def main() -> Any:
            client = ProviderClient(ctx.settings, DEMO_TOKEN, retry=FAST_RETRY)
            ctx.client = lambda: client
            try:
                return await sync.run_sync(ctx)
            finally:
                await client.aclose()

        return asyncio.run(main())

    try:
        online = len(sim.provider.online_ids())
        first = go()
        assert first.added == online == first.total_available_external
        assert go().added == go().updated == 0
        churn = sim.provider.churn(0.2, seed=3)
        third = go()
        assert third.added == churn["added"]
        assert third.removed == churn["offline"] + churn["removed"]
        assert third.updated == churn["changed"]
        local = {r[0] for r in sql(ctx, "SELECT proxy_id FROM product")}
        assert local == set(sim.provider.online_ids())
        assert sim.requests.count("list") < online  # pages, not items
    finally:
        ctx.store.close()


def test_a_missing_token_is_a_recorded_failure(ctx, listing):
    from proxyshop_desktop.errors import TokenMissingError

    def no_token() -> Any:
        raise TokenMissingError("No API token is set.")

    ctx.client = no_token
    with pytest.raises(TokenMissingError):
        asyncio.run(sync.run_sync(ctx))
    assert runs(ctx)[-1][2:4] == ("failed", "No API token is set.")
    assert listing.requested == []


def test_cancelling_a_sync_records_it_and_changes_nothing(ctx, listing):
    listing.items = [item(i) for i in range(1, 36)]
    do_sync(ctx)
    before = products(ctx)
    listing.items = listing.items[:3]
    stuck = asyncio.Event()

    async def page_one_hangs(request: httpx.Request) -> httpx.Response:
        if request.url.params["page"] == "1":
            stuck.set()
            await asyncio.Event().wait()  # never answers
        return listing(request)

    listing.route.side_effect = page_one_hangs

    async def cancel_mid_listing() -> None:
        task = asyncio.ensure_future(sync.run_sync(ctx))
        await stuck.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    run(ctx, cancel_mid_listing)
    assert products(ctx) == before
    assert runs(ctx)[-1][2:4] == ("failed", "Cancelled.")


def test_old_sync_history_is_pruned_but_money_events_are_kept(ctx, listing):
    from datetime import timedelta

    from proxyshop_desktop.clock import utcnow
    from proxyshop_desktop.services import audit
    from tests.factories import create_sync_run

    old = utcnow() - timedelta(days=91)
    create_sync_run(ctx.store, started_at=old, finished_at=old)
    recent = create_sync_run(ctx.store)

    def old_events() -> None:
        audit.record("sync", "an old sync")
        audit.record("sale", "an old sale")
        audit.record("refund", "an old refund")
        ctx.store.db.execute_sql("UPDATE audit_event SET at = ?", (old.isoformat(),))

    ctx.store.run_blocking(old_events)
    listing.items = [item(i) for i in range(1, 5)]
    do_sync(ctx)

    kept_runs = [r[0] for r in sql(ctx, "SELECT id FROM sync_run ORDER BY id")]
    assert kept_runs[0] == recent.id and len(kept_runs) == 2
    kinds = sorted(r[0] for r in sql(ctx, "SELECT kind FROM audit_event"))
    assert kinds == ["refund", "sale", "sync"]  # the old sync event went; this sync's stays


def test_one_column_list_ties_the_sync_rows_the_sql_and_the_inventory_rows():
    from dataclasses import fields

    from proxyshop_desktop.models.tables import LISTING_COLUMNS, SYNC_ROW_COLUMNS, Product
    from proxyshop_desktop.services import inventory, listing
    from proxyshop_desktop.services.results import InventoryRow

    assert set(SYNC_ROW_COLUMNS) | {"id", "status"} == set(Product._meta.fields)
    row = dict(zip(SYNC_ROW_COLUMNS, listing.listing_row(item(7, isp="ISP-7", speed=9.5), "T"), strict=True))
    assert (row["proxy_id"], row["isp"], row["speed"], row["proxy_type"]) == (7, "ISP-7", 9.5, "residential")
    assert row["first_seen"] == row["last_changed"] == "T" and len(row["fingerprint"]) == 20
    assert len(LISTING_COLUMNS) == listing.FINGERPRINT
    computed = {"price", "refund_rate", "refund_basis"}  # not stored: set after the query
    assert list(inventory._SELECTED) == [f.name for f in fields(InventoryRow) if f.name not in computed]
    assert not Product.country_code.index  # migration v3 dropped that index
