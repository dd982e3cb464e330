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


@pytest.mark.asyncio
async def test_the_same_event_raised_on_two_machines_at_once_is_queued_once(machines):
    for n in range(20):
        raised = await _raise_everywhere(machines, f"event-{n}", f"event {n}")
        assert sorted(raised) == [False, True], (n, raised)  # one queues it, one counts a repeat
    state = await machines[0].store.run(outbox.status)
    assert state.queued == 20


@pytest.mark.asyncio
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


@pytest.mark.asyncio
async def test_two_machines_flushing_at_once_send_each_alert_once(machines, bot: FakeBotApi):
    for n in range(10):
        await _raise_everywhere(machines, f"k{n}", f"alert {n}")
        results = await asyncio.gather(*(delivery.flush(ctx, budget=5) for ctx in machines))
        assert sum(r.sent for r in results) == 1, (n, results)
    assert len(bot.texts()) == 10
    assert bot.texts() == [f"alert {n}" + messages.repeated(1) for n in range(10)]


# --- the same as real commands: two cron jobs, one on each machine ---------------------------------


@pytest.mark.slow
def test_two_machines_commands_alert_a_stuck_sale_once(tmp_path, pg_url, bot: FakeBotApi):
    """Each command raises what the shop's state calls for and sends the queue before it exits:
    a sale stuck pending is seen by both machines, and Telegram gets it once, even when the
    second command flushes while the first one's message is still in flight."""
    from datetime import timedelta

    from proxyshop_desktop.clock import utcnow
    from tests.alerts.conftest import CHAT_ID
    from tests.alerts.fakes import BOT_TOKEN
    from tests.factories import create_order
    from tests.pg_cluster import PASSWORD
    from tests.reliability.children import child_env, finish, spawn, wait_for

    paths = AppPaths(tmp_path / "setup")
    store = open_store(paths, alert_settings(bot.url, database_url=pg_url))
    store.open()
    stuck = create_order(store, status="pending", customer="stuck", created_at=utcnow() - timedelta(hours=2))
    store.close()
    envs = [
        child_env(tmp_path / name, "http://127.0.0.1:9/api", "tok-unused", PROXYSHOP_DATABASE_URL=pg_url,
                  PGPASSWORD=PASSWORD, PROXYSHOP_OPERATOR=name, PROXYSHOP_TELEGRAM_BOT_TOKEN=BOT_TOKEN,
                  PROXYSHOP_TELEGRAM_CHAT_ID=CHAT_ID, PROXYSHOP_TELEGRAM_API_URL=bot.url,
                  PROXYSHOP_ALERT_EVENTS="pending_order")
        for name in ("anna", "boris")
    ]
    bot.script.append("slow")  # anna's message is in flight...
    first = spawn(envs[0], "stats")
    wait_for(lambda: len(bot.attempts) == 1, what="anna's alert being sent")
    (code, _out, err), = finish([spawn(envs[1], "stats")])  # ...while boris's command ends
    assert code == 0 and "Traceback" not in err, err
    bot.release.set()
    (code, _out, err), = finish([first])
    assert code == 0 and "Traceback" not in err, err
    assert len(bot.delivered) == 1 and stuck.order_id in bot.texts()[0]
    assert len(bot.attempts) == 1  # boris never sent it
    results = finish([spawn(env, "stats") for env in envs])  # and later runs send nothing again
    assert all(code == 0 for code, _, _ in results), results
    assert len(bot.attempts) == 1
