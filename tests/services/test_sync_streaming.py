"""The streaming sync (issue 9): pages are staged as they arrive, progress names the expected
page count, and a cancelled sync changes nothing. Against the simulator on loopback."""

from __future__ import annotations

import asyncio

import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.reliability.children import query

pytestmark = pytest.mark.asyncio
ON_BOTH_ENGINES = True


@pytest.fixture
def shop(sim, make_shop):
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=10, sync_concurrency=2)


def products(data_paths) -> list[tuple]:
    return query(data_paths.database, "SELECT * FROM product ORDER BY id")


async def test_progress_reports_pages_of_the_announced_count(sim, shop):
    seen = []
    result = await shop.sync(progress=seen.append)
    listing = [p for p in seen if p.phase == "listing" and p.pages]
    expected = -(-result.total_available_external // 10)
    assert listing[-1].expected == expected and listing[-1].pages >= expected
    assert [p.pages for p in listing] == sorted(p.pages for p in listing)
    assert seen[-1].phase == "writing" and seen[-1].fetched == result.total_fetched


async def test_a_sync_cancelled_while_listing_changes_nothing(sim, shop, data_paths):
    await shop.sync()
    sim.provider.churn(0.3, seed=5)  # a completed sync would now change rows
    before = products(data_paths)
    sim.faults.add("list", faults.delay(10, on_page=6))  # the listing stalls at page 6
    pages_seen = asyncio.Event()

    def progress(p) -> None:
        if p.pages >= 4:
            pages_seen.set()

    task = asyncio.ensure_future(shop.sync(progress=progress))
    await asyncio.wait_for(pages_seen.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert products(data_paths) == before
    status, error = query(data_paths.database, "SELECT status, error FROM sync_run ORDER BY id DESC LIMIT 1")[0]
    assert (status, error) == ("failed", "Cancelled.")
    sim.faults.clear()
    result = await shop.sync()  # the next sync starts from a clean stage
    assert len(products(data_paths)) == result.total_available_external


async def test_pages_are_staged_one_by_one_not_held(sim, shop, monkeypatch):
    from proxyshop_desktop.services import staging

    batches: list[int] = []
    real = staging.stage_rows

    def counting(rows):
        batches.append(len(rows))
        real(rows)

    monkeypatch.setattr(staging, "stage_rows", counting)
    result = await shop.sync()
    assert max(batches) <= 10 and sum(batches) == result.total_available_external


@pytest.mark.sqlite_only("the row cache is keyed on SQLite's change counters; on PostgreSQL every "
                         "inventory read is fresh (other machines commit without a cheap counter)")
async def test_staging_a_listing_does_not_invalidate_the_inventory_cache(sim, shop):
    from proxyshop_desktop.services import inventory, staging

    await shop.sync()

    def key_around_staging() -> tuple:
        before = inventory._data_key()
        staging.open_stage()
        staging.stage_rows([(1,), (2,), (3,)])
        staging.drop_stage()
        return before, inventory._data_key()

    before, after = await shop.store.run(key_around_staging)
    assert before == after

