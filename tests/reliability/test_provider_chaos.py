"""A misbehaving provider, through the simulator on loopback: typed errors, nothing lost.

For each fault: the operation raises the right `ShopError` subclass (never a bare exception),
the inventory and the orders are exactly as before a failed sync, read-only calls are retried,
and `buy`/`refund` reach the provider exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import (
    BadResponseError,
    OutcomeUnknownError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    ProxyUnavailableError,
    RateLimitedError,
)
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.reliability.children import integrity, query
from tests.services.money_helpers import Clock

pytestmark = pytest.mark.asyncio
ON_BOTH_ENGINES = True

TIMEOUT = 0.5  # seconds: api_timeout for these tests


@pytest.fixture
def shop(sim, make_shop):
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50, api_timeout=TIMEOUT)


def snapshot(database) -> tuple[list, list]:
    return (
        query(database, "SELECT * FROM product ORDER BY proxy_id"),
        query(database, 'SELECT * FROM "order" ORDER BY order_id'),
    )


async def _first_product(shop) -> int:
    page = await shop.inventory(InventoryQuery(page_size=1))
    return page.rows[0].product_id


SYNC_FAULTS = {
    "slow past the timeout": (lambda: faults.delay(TIMEOUT * 3), ProviderTimeoutError),
    "429 Retry-After": (lambda: faults.status(429, headers={"Retry-After": "0"}), RateLimitedError),
    "500": (lambda: faults.status(500), ProviderUnavailableError),
    "502": (lambda: faults.status(502), ProviderUnavailableError),
    "503": (lambda: faults.status(503), ProviderUnavailableError),
    "HTML error page": (lambda: faults.html_error(502), ProviderError),
    "truncated body": (lambda: faults.truncated(), BadResponseError),
    "non-UTF-8 body": (lambda: faults.non_utf8(), BadResponseError),
}


@pytest.mark.parametrize("name", list(SYNC_FAULTS))
async def test_a_failed_sync_changes_nothing(name, sim, shop, data_paths):
    make_fault, error = SYNC_FAULTS[name]
    await shop.sync()
    await shop.sell(await _first_product(shop))
    sim.provider.churn(0.2, seed=3)  # the next good sync would change rows: a failed one must not
    before = snapshot(data_paths.database)
    lists_before = sim.requests.count("list")

    sim.faults.add("list", make_fault(), times="always")
    with pytest.raises(error) as caught:
        await shop.sync()
    assert caught.value.message and "Traceback" not in str(caught.value)
    assert sim.requests.count("list") - lists_before > 1  # read-only: retried
    assert snapshot(data_paths.database) == before  # inventory rows lost: 0, orders intact
    assert integrity(data_paths.database) == "ok"

    sim.faults.clear()
    await shop.sync()  # and the next sync runs clean
    local = {row[0] for row in query(data_paths.database, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())


@pytest.mark.parametrize("code", [500, 502, 503, 429])
async def test_one_transient_failure_is_retried_and_the_sync_succeeds(code, sim, shop, data_paths):
    headers = {"Retry-After": "0"} if code == 429 else None
    sim.faults.add("list", faults.status(code, headers=headers), times=1)
    result = await shop.sync()
    assert result.total_fetched > 0
    local = {row[0] for row in query(data_paths.database, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())


async def test_listing_mutated_while_paging(sim, shop, data_paths):
    sim.faults.add("list", faults.mutate_listing_after_page(1, insert=7, remove=3))
    with contextlib.suppress(ProviderError):
        await shop.sync()  # may succeed (duplicates/misses absorbed) or refuse with a typed error
    assert integrity(data_paths.database) == "ok"
    await shop.sync()
    local = {row[0] for row in query(data_paths.database, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())
    count = query(data_paths.database, "SELECT count(*), count(DISTINCT proxy_id) FROM product")
    assert count[0][0] == count[0][1]


BUY_LOST = {
    "reply lost after the charge": lambda: faults.drop_after_commit(),
    "truncated reply after the charge": lambda: faults.truncated(),
    "timeout, charged later": lambda: faults.delay(TIMEOUT * 3),
}


@pytest.mark.parametrize("name", list(BUY_LOST))
async def test_buy_outcome_unknown_is_sent_once_and_reconciled(name, sim, shop, data_paths):
    await shop.sync()
    product_id = await _first_product(shop)
    sim.faults.add("buy", BUY_LOST[name]())
    with pytest.raises(OutcomeUnknownError):
        await shop.sell(product_id)
    assert sim.requests.count("buy") == 1  # never repeated
    for _ in range(400):  # a delayed buy is charged after the client gave up
        if sim.provider.bought():
            break
        await asyncio.sleep(0.01)
    pending = await shop.orders(status="pending")
    assert len(pending) == 1 and pending[0].credentials is None

    await shop.reconcile()
    charged = sim.provider.bought()
    recorded = [o for o in await shop.orders() if o.credentials is not None]
    assert len(charged) == len(recorded) == 1  # purchases charged == orders recorded
    assert recorded[0].credentials.password == charged[0]["password"]
    assert sim.requests.count("buy") == 1


@pytest.mark.parametrize("code", [500, 502])
async def test_buy_5xx_is_sent_once_and_nothing_is_charged_or_lost(code, sim, make_shop):
    clock = Clock(utcnow())  # the shop's "now", injected: reconcile below runs 10 minutes later
    shop = make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50, api_timeout=TIMEOUT, clock=clock)
    await shop.sync()
    product_id = await _first_product(shop)
    sim.faults.add("buy", faults.status(code))
    with pytest.raises(OutcomeUnknownError):  # a 5xx on buy cannot prove nothing was charged
        await shop.sell(product_id)
    assert sim.requests.count("buy") == 1
    (pending,) = await shop.orders(status="pending")
    assert pending.credentials is None
    # once no buy can still be in flight, reconcile voids the order the provider never charged
    clock.advance(minutes=10)
    result = await shop.reconcile()
    assert result.voided == 1 and result.recovered == 0
    assert sim.provider.bought() == []
    assert [o for o in await shop.orders() if o.status != "void"] == []
    assert sim.requests.count("buy") == 1


async def test_buy_503_remote_failure_is_typed_and_sent_once(sim, shop):
    await shop.sync()
    product_id = await _first_product(shop)
    sim.faults.add("buy", faults.status(503))
    with pytest.raises(ProxyUnavailableError):
        await shop.sell(product_id)
    assert sim.requests.count("buy") == 1 and sim.provider.bought() == []


REFUND_FAULTS = {
    "503": (lambda: faults.status(503), ProviderError, False),
    "HTML 502": (lambda: faults.html_error(502), ProviderError, False),
    "reply lost after the refund": (lambda: faults.drop_after_commit(), OutcomeUnknownError, True),
}


@pytest.mark.parametrize("name", list(REFUND_FAULTS))
async def test_refund_faults_never_repeat_the_refund(name, sim, shop, data_paths):
    make_fault, error, commits = REFUND_FAULTS[name]
    await shop.sync()
    order = await shop.sell(await _first_product(shop))
    sim.provider.set_purchased_proxy_offline(order.credentials_id)
    balance = sim.provider.balance
    sim.faults.add("refund", make_fault())
    with pytest.raises(error):
        await shop.refund(order.order_id)
    assert sim.requests.count("refund") == 1
    assert sim.provider.is_refunded(order.credentials_id) is commits
    after = await shop.order(order.order_id)
    assert after.status == "sold" and after.credentials is not None
    assert sim.provider.balance == balance + (order.cost if commits else 0)


async def test_reconcile_retries_a_failing_read(sim, shop):
    await shop.sync()
    await shop.sell(await _first_product(shop))
    sim.faults.add("bought", faults.status(502), times=1)
    result = await shop.reconcile()
    assert sim.requests.count("bought") > 1
    assert result.recovered == 0 and result.voided == 0
