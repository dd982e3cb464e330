"""The events that raise alerts, through the real services: a sync outage against the simulator
(the demo's "provider down") gives one alert and one "recovered"; a balance refusal; orders stuck
pending or with an unknown refund; the daily summary. No alert carries credentials."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import pytest_asyncio

from proxyshop_desktop.alerts import delivery, events, outbox
from proxyshop_desktop.errors import BalanceTooLowError, ProviderError
from proxyshop_desktop.models.tables import Product
from proxyshop_desktop.services import sales
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.sync import run_sync
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from proxyshop_desktop.upstream.client import ProviderClient
from tests.alerts.conftest import alert_settings
from tests.alerts.fakes import FakeBotApi
from tests.conftest import FAST_RETRY
from tests.services.money_helpers import T0, add_product, insert_order

pytestmark = pytest.mark.asyncio
ON_BOTH_ENGINES = True


@pytest_asyncio.fixture
async def demo_ctx(sim, bot: FakeBotApi, bot_token, store, data_paths):
    settings = alert_settings(bot.url).model_copy(
        update={"api_url": sim.base_url, "api_timeout": 5, "sync_page_size": 100}
    )
    client = ProviderClient(settings, DEMO_TOKEN, retry=FAST_RETRY)
    yield ShopContext(settings=settings, paths=data_paths, store=store, client=lambda: client)
    await client.aclose()


async def _some_products(store, n: int) -> list[int]:
    rows = await store.run(lambda: list(Product.select(Product.id).order_by(Product.id).limit(n)))
    return [row.id for row in rows]


async def _sync_fails(ctx: ShopContext) -> None:
    with pytest.raises(ProviderError):
        await run_sync(ctx)


async def test_provider_down_gives_one_alert_then_one_recovered(demo_ctx, sim, bot: FakeBotApi):
    await run_sync(demo_ctx)
    sim.faults.add("list", faults.status(503), times="always")  # the Demo menu's "provider down"
    await _sync_fails(demo_ctx)
    assert (await delivery.flush(demo_ctx)).sent == 0  # one failure is not an outage (N = 2)
    await _sync_fails(demo_ctx)
    assert (await delivery.flush(demo_ctx)).sent == 1
    for _ in range(3):  # the outage goes on: no more messages
        await _sync_fails(demo_ctx)
        await delivery.flush(demo_ctx)
    sim.faults.clear()
    await run_sync(demo_ctx)
    await run_sync(demo_ctx)  # a second success says nothing more
    await delivery.flush(demo_ctx)
    failing, recovered = bot.texts()
    assert "Sync failing" in failing and "2 syncs in a row" in failing and "503" in failing
    assert "Sync recovered" in recovered and "after 5 failed syncs" in recovered
    print("\n--- as received by the fake Bot API ---\n" + "\n\n".join(bot.texts()))


async def test_an_outage_while_alerts_were_off_sends_no_recovery(demo_ctx, sim, bot: FakeBotApi):
    demo_ctx.settings = demo_ctx.settings.model_copy(update={"alert_events": ()})
    sim.faults.add("list", faults.status(503), times="always")
    await _sync_fails(demo_ctx)
    await _sync_fails(demo_ctx)
    demo_ctx.settings = demo_ctx.settings.model_copy(update={"alert_events": ("sync_failing",)})
    sim.faults.clear()
    await run_sync(demo_ctx)
    await delivery.flush(demo_ctx)
    assert bot.texts() == []


async def test_without_a_bot_token_nothing_is_queued(demo_ctx, sim, monkeypatch):
    monkeypatch.delenv("PROXYSHOP_TELEGRAM_BOT_TOKEN")
    sim.faults.add("list", faults.status(503), times="always")
    await _sync_fails(demo_ctx)
    await _sync_fails(demo_ctx)
    assert (await demo_ctx.store.run(outbox.status)).queued == 0


async def test_a_balance_refusal_alerts_once_an_hour(demo_ctx, sim, bot: FakeBotApi, store):
    await run_sync(demo_ctx)
    sim.provider.balance = 0
    for product_id in await _some_products(store, 3):
        with pytest.raises(BalanceTooLowError):
            await sales.sell(demo_ctx, product_id, "cust")
    await delivery.flush(demo_ctx)
    (text,) = bot.texts()
    assert "balance too low" in text and "(and 2 more times since)" in text


async def test_a_broken_outbox_never_fails_the_sale_path(demo_ctx, sim, store, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("outbox broken")

    monkeypatch.setattr(outbox, "raise_alert", broken)
    await run_sync(demo_ctx)
    sim.provider.balance = 0
    (product_id,) = await _some_products(store, 1)
    with pytest.raises(BalanceTooLowError):  # the provider's refusal, not the alert's failure
        await sales.sell(demo_ctx, product_id, "cust")


async def test_stuck_pending_and_unknown_refunds_alert_once_per_order(actx, bot: FakeBotApi, store, monkeypatch):
    now = T0 + timedelta(hours=2)
    actx.clock = lambda: now
    actx.settings = actx.settings.model_copy(update={"alert_events": ("pending_order", "refund_unknown")})
    insert_order(store, "ORD-OLD", status="pending", created_at=now - timedelta(minutes=31),
                 customer="Ann <VIP>", purchased_at=None)
    insert_order(store, "ORD-NEW", status="pending", created_at=now - timedelta(minutes=5),
                 purchased_at=None)
    insert_order(store, "ORD-REF", status="refund_unknown", customer="Bob & Co")
    assert await events.check_shop(actx) == 2
    assert await events.check_shop(actx) == 0
    await delivery.flush(actx)
    pending, refund = bot.texts()
    assert "ORD-OLD" in pending and "Ann &lt;VIP&gt;" in pending and "31 minutes" in pending
    assert "ORD-REF" in refund and "Bob &amp; Co" in refund
    for text in bot.texts():  # the orders' credentials never reach a chat
        assert "secret" not in text and "203.0.113.7" not in text and "10001" not in text


async def test_the_daily_summary_comes_once_at_its_local_time(actx, bot: FakeBotApi, store, monkeypatch):
    local_nine = datetime.combine(T0.date(), datetime.min.time()).astimezone().replace(hour=9)
    actx.settings = actx.settings.model_copy(update={"alert_events": ("daily_summary",)})
    insert_order(store, "S1", purchased_at=local_nine - timedelta(hours=3), price_cents=250, cost_cents=100)
    insert_order(store, "S2", purchased_at=local_nine - timedelta(hours=2), price_cents=250, cost_cents=100,
                 status="refunded", refunded_at=local_nine - timedelta(hours=1), refund_cents=250)
    add_product(store, 7)
    actx.clock = lambda: local_nine - timedelta(minutes=1)
    assert await events.check_shop(actx) == 0
    actx.clock = lambda: local_nine + timedelta(minutes=5)
    assert await events.check_shop(actx) == 1
    assert await events.check_shop(actx) == 0
    await delivery.flush(actx)
    (text,) = bot.texts()
    assert "Sold: 2" in text and "Refunded: 1" in text
    assert "Revenue: $2.50" in text and "Profit: $1.50" in text and "Inventory: 1 proxies" in text


async def test_daily_figures_follow_the_reports_profit_rule(store):
    """The last 24 hours' sales under services/report.py's rule: a refund counts against the sale
    it undoes (an older sale refunded today changes nothing), a refunded sale costs nothing, a
    refund_unknown one keeps its cost; a kept sale without a cost makes the profit unknown."""
    end = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    insert_order(store, "OLD", purchased_at=end - timedelta(days=3), status="refunded",
                 refunded_at=end - timedelta(hours=1), refund_cents=200)
    insert_order(store, "S1", purchased_at=end - timedelta(hours=5), price_cents=300, cost_cents=100)
    insert_order(store, "R1", purchased_at=end - timedelta(hours=4), price_cents=250, cost_cents=90,
                 status="refunded", refunded_at=end - timedelta(hours=2), refund_cents=150)
    insert_order(store, "U1", purchased_at=end - timedelta(hours=3), price_cents=200, cost_cents=80,
                 status="refund_unknown")
    insert_order(store, "P1", purchased_at=None, status="pending")
    figures = store.run_blocking(events.daily_figures, end)
    assert (figures.sold, figures.refunded, figures.pending) == (3, 1, 1)
    assert figures.revenue == Decimal("6.00")  # 3.00 + 2.50 - 1.50 + 2.00
    assert figures.profit == Decimal("4.20")  # minus the kept costs 1.00 + 0.80
    insert_order(store, "S2", purchased_at=end - timedelta(hours=1), cost_cents=None)
    assert store.run_blocking(events.daily_figures, end).profit is None


async def test_a_day_late_summary_is_skipped(actx, store, monkeypatch):
    actx.settings = actx.settings.model_copy(update={"alert_events": ("daily_summary",)})
    late = datetime.combine(T0.date(), datetime.min.time()).astimezone().replace(hour=23)
    actx.settings = actx.settings.model_copy(update={"alert_daily_time": "09:00"})
    actx.clock = lambda: late
    assert await events.check_shop(actx) == 0


async def test_a_hung_keyring_does_not_hold_up_the_sync(demo_ctx, sim, monkeypatch):
    import time

    from proxyshop_desktop.alerts import setup

    monkeypatch.delenv("PROXYSHOP_TELEGRAM_BOT_TOKEN")
    monkeypatch.setattr(setup, "KEYRING_TIMEOUT_S", 0.3)
    monkeypatch.setattr(setup, "_keyring_token", lambda: time.sleep(3))  # a locked keyring
    sim.faults.add("list", faults.status(503), times="always")
    await _sync_fails(demo_ctx)
    started = time.monotonic()
    await _sync_fails(demo_ctx)  # the outage's alert looks for the token: abandoned at 0.3 s
    assert time.monotonic() - started < 2.5
