"""Cleanup: removes what the complete online listing no longer has; one request per page, not per item."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from proxyshop_desktop.errors import (
    AuthError,
    BadResponseError,
    BusyError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    RateLimitedError,
)
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.services import cleanup, runs, sync
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.factories import open_context
from tests.services.sync_helpers import PAGE, do_sync, item, open_ctx, products, run, sql


@pytest.fixture
def ctx(data_paths: Any) -> Any:
    context = open_ctx(data_paths)
    yield context
    context.store.close()


def do_cleanup(ctx: Any) -> Any:
    return run(ctx, lambda: cleanup.run_cleanup(ctx))


def test_cleanup_removes_gone_and_offline_proxies_and_nothing_else(ctx, listing):
    listing.items = [item(i) for i in range(1, 26)]
    do_sync(ctx)
    del listing.items[0:3]  # gone
    listing.items[0]["status"] = 0  # offline: proxies 4 and 5
    listing.items[1]["status"] = 0
    listing.items[5]["isp"] = "Changed"  # cleanup does not update
    listing.items.append(item(99))  # ...nor add

    result = do_cleanup(ctx)

    assert result.removed_count == 5 and result.checked == 25
    assert result.message == "Removed 5 proxies no longer online at the provider."
    assert result.to_json() == {"status": "success", "removed_count": 5, "message": result.message}
    ids = sorted(r[0] for r in sql(ctx, "SELECT proxy_id FROM product"))
    assert ids == list(range(6, 26))
    assert sql(ctx, "SELECT isp FROM product WHERE proxy_id = 9") == [("Example ISP",)]
    run_row = sql(ctx, "SELECT kind, status, removed, requests FROM sync_run ORDER BY id DESC LIMIT 1")
    assert run_row == [("cleanup", "success", 5, result.requests)]
    assert sql(ctx, "SELECT kind, ok FROM audit_event ORDER BY id DESC LIMIT 1") == [("cleanup", 1)]


def test_cleanup_requests_grow_with_pages_not_items(ctx, listing):
    listing.items = [item(i) for i in range(1, 96)]  # 95 proxies: 10 pages of 10
    do_sync(ctx)
    listing.requested.clear()
    lookup = listing.router.get("/proxy/lookup").mock(return_value=httpx.Response(404))

    result = do_cleanup(ctx)

    assert result.removed_count == 0 and result.checked == 95
    assert result.message.startswith("Nothing to remove")
    assert lookup.call_count == 0
    pages = -(-95 // PAGE)
    assert result.requests == len(listing.requested)
    assert pages <= result.requests <= pages + ctx.settings.sync_concurrency
    assert result.requests < result.checked / 5


@pytest.mark.parametrize(
    ("fault", "error_type"),
    [
        (lambda: httpx.Response(500), ProviderUnavailableError),
        (lambda: httpx.Response(401), AuthError),
        (lambda: httpx.Response(429, headers={"Retry-After": "3600"}), RateLimitedError),
        (lambda: httpx.ConnectTimeout("no route"), ProviderUnavailableError),
        (lambda: httpx.ReadTimeout("slow"), ProviderTimeoutError),
    ],
)
def test_a_provider_error_removes_nothing(ctx, listing, fault, error_type):
    listing.items = [item(i) for i in range(1, 36)]
    do_sync(ctx)
    before = products(ctx)
    listing.items = listing.items[:5]  # a complete listing would remove 30
    listing.faults[0] = [fault() for _ in range(FAST_RETRY.attempts)]

    with pytest.raises(error_type):
        do_cleanup(ctx)

    assert products(ctx) == before
    kind, status, error, finished = sql(
        ctx, "SELECT kind, status, error, finished_at FROM sync_run ORDER BY id DESC LIMIT 1"
    )[0]
    assert (kind, status) == ("cleanup", "failed") and error and finished
    assert sql(ctx, "SELECT kind, ok FROM audit_event ORDER BY id DESC LIMIT 1") == [("cleanup", 0)]


def test_cleanup_waits_for_a_running_sync_then_gives_up(ctx, listing, monkeypatch):
    monkeypatch.setattr(runs, "LOCK_WAIT_SECONDS", 0.2)
    held = FileLock(ctx.paths.sync_lock, what="a sync")
    held.acquire()
    try:
        with pytest.raises(BusyError):
            do_cleanup(ctx)
    finally:
        held.release()
    assert listing.requested == []


def test_cleanup_of_an_empty_inventory(ctx, listing):
    listing.items = [item(1)]
    result = do_cleanup(ctx)
    assert (result.removed_count, result.checked) == (0, 0)


def test_cleanup_against_the_simulator(data_paths, sim):
    from proxyshop_desktop.simulator import DEMO_TOKEN

    ctx = open_context(data_paths, api_url=sim.base_url, sync_page_size=50, sync_concurrency=2)

    async def main(work: Any) -> Any:
        client = ProviderClient(ctx.settings, DEMO_TOKEN, retry=FAST_RETRY)
        ctx.client = lambda: client
        try:
            return await work()
        finally:
            await client.aclose()

    try:
        asyncio.run(main(lambda: sync.run_sync(ctx)))
        online = sim.provider.online_ids()
        for proxy_id in online[:7]:
            sim.provider.set_offline(proxy_id)
        sim.provider.remove(online[10])
        sim.requests.clear()

        result = asyncio.run(main(lambda: cleanup.run_cleanup(ctx)))

        assert result.removed_count == 8 and result.checked == len(online)
        assert sim.requests.counts() == {"list": result.requests}
        assert result.requests <= len(online) // 50 + 1 + 2
    finally:
        ctx.store.close()


def test_cleanup_of_an_incomplete_listing_removes_nothing(ctx, listing):
    listing.items = [item(i) for i in range(1, 141)]
    do_sync(ctx)
    listing.pages[2] = {"proxies": [], "total": 14}  # a hiccup mid-listing (issue 15)

    with pytest.raises(BadResponseError, match="incomplete"):
        do_cleanup(ctx)

    assert len(products(ctx)) == 140
    assert sql(ctx, "SELECT kind, status FROM sync_run ORDER BY id DESC LIMIT 1") == [("cleanup", "failed")]


def test_a_large_cleanup_removes_only_what_a_second_listing_also_lacks(ctx, listing):
    listing.items = [item(i) for i in range(1, 101)]
    do_sync(ctx)
    full = list(listing.items)
    listing.total = None
    calls: list[int] = []

    def half_then_whole(request: httpx.Request) -> httpx.Response:
        calls.append(int(request.url.params["page"]))
        # first listing: 1..50 only; second: 1..50 and 91..100 (41..90... never listed again)
        listing.items = full[:50] if calls.count(0) == 1 else full[:50] + full[90:]
        return listing(request)

    listing.route.mock(side_effect=half_then_whole)
    result = do_cleanup(ctx)

    assert calls.count(0) == 2 and result.removed_count == 40
    assert sorted(r[0] for r in sql(ctx, "SELECT proxy_id FROM product")) == [*range(1, 51), *range(91, 101)]
    message = sql(ctx, "SELECT message FROM audit_event ORDER BY id DESC LIMIT 1")[0][0]
    assert "confirmed by a second listing" in message


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine
