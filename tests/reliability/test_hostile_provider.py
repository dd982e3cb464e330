"""Broken and hostile provider replies (issue 15), through the simulator on loopback: a hiccup
page, a compressed oversized page, hostile JSON. Each fails as a typed provider error (or skips
the one bad item) and never shrinks the inventory."""

from __future__ import annotations

import resource

import pytest

from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.reliability.children import integrity, query

pytestmark = pytest.mark.asyncio
ON_BOTH_ENGINES = True


@pytest.fixture
def shop(sim, make_shop):
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50, max_reply_mb=2)


def products(data_paths) -> list[tuple]:
    return query(data_paths.database, "SELECT * FROM product ORDER BY proxy_id")


def last_run(data_paths) -> tuple:
    return query(data_paths.database, "SELECT kind, status, error FROM sync_run ORDER BY id DESC LIMIT 1")[0]


async def test_an_empty_page_mid_listing_changes_nothing(sim, shop, data_paths):
    await shop.sync()
    before = products(data_paths)
    assert len(before) == len(sim.provider.online_ids()) > 100
    sim.faults.add("list", faults.empty_page(2), times="always")

    with pytest.raises(BadResponseError, match="incomplete"):
        await shop.sync()

    assert products(data_paths) == before
    assert last_run(data_paths)[:2] == ("sync", "failed") and "incomplete" in last_run(data_paths)[2]
    with pytest.raises(BadResponseError, match="incomplete"):
        await shop.cleanup()
    assert products(data_paths) == before


async def test_a_compressed_oversized_page_is_given_up_at_the_cap(sim, shop, data_paths):
    await shop.sync()
    before = products(data_paths)
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sim.faults.add("list", faults.gzip_bomb(96, on_page=1), times="always")  # 96 MB of spaces

    with pytest.raises(BadResponseError, match="larger than 2 MB"):
        await shop.sync()

    grew_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before) / 1024
    assert grew_mb < 64  # a few decoded chunks at most, never the 96 MB page
    assert products(data_paths) == before and integrity(data_paths.database) == "ok"


@pytest.mark.parametrize("variant", ["deep", "bignum"])
async def test_hostile_json_is_a_bad_response(variant, sim, shop, data_paths):
    await shop.sync()
    before = products(data_paths)
    sim.faults.add("list", faults.hostile_json(variant, on_page=1), times="always")

    with pytest.raises(BadResponseError, match="cannot be read safely"):
        await shop.sync()

    assert products(data_paths) == before
    assert last_run(data_paths)[1] == "failed" and "Internal error" not in last_run(data_paths)[2]


async def test_an_id_beyond_64_bits_is_skipped_and_counted(sim, shop, data_paths):
    sim.faults.add("list", faults.hostile_json("bigid", on_page=0), times="always")

    result = await shop.sync()

    assert (result.added, result.skipped) == (0, 1)
    assert products(data_paths) == []
