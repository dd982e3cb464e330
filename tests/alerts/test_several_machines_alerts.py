"""One alert per event for the whole shop, not one per machine (issue 14 item 3): two data dirs
(two "machines") on one PostgreSQL database raise the same events and flush the shared outbox at
the same moment; the fake Bot API receives each message exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from proxyshop_desktop.alerts import delivery, messages, outbox
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.shop import open_store
from tests.alerts.conftest import alert_settings, no_client
from tests.alerts.fakes import FakeBotApi

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def machines(tmp_path, pg_url, bot: FakeBotApi, bot_token) -> AsyncIterator[list[ShopContext]]:
    settings = alert_settings(bot.url, database_url=pg_url)
    made: list[ShopContext] = []
    for name in ("a", "b"):
        paths = AppPaths(tmp_path / name)
        paths.ensure()
        store = open_store(paths, settings)
        store.open()
        made.append(ShopContext(settings=settings, paths=paths, store=store, client=no_client))
    yield made
    for ctx in made:
        ctx.store.close()


async def _raise_everywhere(machines: list[ShopContext], key: str, body: str) -> list[bool]:
    return list(await asyncio.gather(
        *(ctx.store.run(outbox.raise_alert, "test", key, body) for ctx in machines)
    ))


async def test_the_same_event_raised_on_two_machines_at_once_is_queued_once(machines):
    for n in range(20):
        raised = await _raise_everywhere(machines, f"event-{n}", f"event {n}")
        assert sorted(raised) == [False, True], (n, raised)  # one queues it, one counts a repeat
    state = await machines[0].store.run(outbox.status)
    assert state.queued == 20


async def test_a_flush_while_another_machine_is_sending_sends_nothing_twice(machines, bot: FakeBotApi):
    a, b = machines
    await _raise_everywhere(machines, "outage", "provider down")
    bot.script.append("slow")  # A's send is in flight when B flushes
    first = asyncio.ensure_future(delivery.flush(a, budget=5))
    while not bot.attempts:
        await asyncio.sleep(0.02)
    second = await delivery.flush(b, budget=1)
    assert second.sent == 0
    bot.release.set()
    assert (await first).sent == 1
    assert (await delivery.flush(b)).sent == 0
    assert bot.texts() == ["provider down" + messages.repeated(1)]  # B's raise: a repeat


async def test_two_machines_flushing_at_once_send_each_alert_once(machines, bot: FakeBotApi):
    for n in range(10):
        await _raise_everywhere(machines, f"k{n}", f"alert {n}")
        results = await asyncio.gather(*(delivery.flush(ctx, budget=5) for ctx in machines))
        assert sum(r.sent for r in results) == 1, (n, results)
    assert len(bot.texts()) == 10
    assert bot.texts() == [f"alert {n}" + messages.repeated(1) for n in range(10)]
