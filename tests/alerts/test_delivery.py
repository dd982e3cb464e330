"""The outbox and its delivery against a fake Bot API on loopback: delivery, escaping, 429,
a bad token, coalescing, the in-order wait of an unreachable Telegram, and the proxy path."""

from __future__ import annotations

import asyncio

import pytest

from proxyshop_desktop.alerts import delivery, messages, outbox
from proxyshop_desktop.alerts.telegram import TelegramError
from proxyshop_desktop.services.context import ShopContext
from tests.alerts.conftest import CHAT_ID
from tests.alerts.fakes import FakeBotApi, Socks5Server, rate_limited

pytestmark = pytest.mark.asyncio
ON_BOTH_ENGINES = True


async def _raise(ctx: ShopContext, key: str, body: str, kind: str = "test") -> bool:
    return await ctx.store.run(outbox.raise_alert, kind, key, body)


async def test_an_alert_is_delivered_once_in_html_mode(actx, bot: FakeBotApi):
    assert await _raise(actx, "k1", "<b>first</b>")
    assert await _raise(actx, "k2", "second")
    result = await delivery.flush(actx)
    assert result.sent == 2 and result.waiting == 0 and result.error is None
    assert bot.texts() == ["<b>first</b>", "second"]
    payload = bot.delivered[0].payload
    assert payload["chat_id"] == CHAT_ID and payload["parse_mode"] == "HTML"
    assert (await delivery.flush(actx)).sent == 0  # nothing sent twice
    assert len(bot.attempts) == 2


async def test_hostile_text_is_escaped_and_accepted(actx, bot: FakeBotApi):
    customer = "<script>alert(1)</script> Tom & Jerry's <b>"
    body = messages.pending_order("ORD-<1>", customer, 45)
    await _raise(actx, "pending", body)
    assert (await delivery.flush(actx)).sent == 1
    text = bot.texts()[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry's &lt;b&gt;" in text
    assert "ORD-&lt;1&gt;" in text


async def test_unescaped_text_is_what_the_fake_refuses(actx, bot: FakeBotApi):
    """The fake's HTML check is real: a raw '&' is refused, so the escaping test can fail."""
    await _raise(actx, "raw", "Tom & Jerry <x>")
    result = await delivery.flush(actx)
    assert result.sent == 0 and bot.delivered == []
    state = await actx.store.run(outbox.status)
    assert state.dropped == 1  # a message Telegram can never take does not block the queue


async def test_429_retry_after_is_honoured_within_the_budget(actx, bot: FakeBotApi):
    bot.script.append(rate_limited(1))
    await _raise(actx, "k", "hello")
    result = await delivery.flush(actx, budget=5)
    assert result.sent == 1 and bot.texts() == ["hello"]
    first, second = bot.attempts
    assert second.at - first.at >= 1.0


async def test_429_longer_than_the_budget_waits_for_a_later_flush(actx, bot: FakeBotApi, monkeypatch):
    bot.script.append(rate_limited(30))
    await _raise(actx, "a", "one")
    await _raise(actx, "b", "two")
    result = await delivery.flush(actx, budget=2)
    assert result.sent == 0 and result.waiting == 2 and "30" in (result.error or "")
    assert (await delivery.flush(actx, budget=2)).sent == 0
    assert len(bot.attempts) == 1  # nothing was sent before retry_after, not even "two"
    later = actx.clock() + __import__("datetime").timedelta(seconds=31)
    actx.clock = lambda: later
    assert (await delivery.flush(actx)).sent == 2
    assert bot.texts() == ["one", "two"]


async def test_a_bad_bot_token_is_said_clearly_and_the_alert_kept(actx, bot: FakeBotApi):
    bot.token = "999:another-token-the-bot-api-knows_xxxxx"
    await _raise(actx, "k", "kept")
    result = await delivery.flush(actx)
    assert result.sent == 0 and result.waiting == 1
    assert "Telegram refused the bot token (Unauthorized)" in (result.error or "")
    with pytest.raises(TelegramError) as caught:
        await delivery.send_test(actx.settings)
    assert caught.value.kind == "unauthorized"
    assert "@BotFather" in caught.value.hint
    state = await actx.store.run(outbox.status)
    assert state.queued == 1 and "bot token" in (state.last_error or "")


async def test_unreachable_telegram_keeps_the_order(actx, bot: FakeBotApi, monkeypatch):
    port = bot.port
    bot.stop()
    for n in range(3):
        await _raise(actx, f"k{n}", f"alert {n}")
    result = await delivery.flush(actx, budget=2)
    assert result.sent == 0 and "not reachable" in (result.error or "")
    revived = FakeBotApi().start(port)
    try:
        later = actx.clock() + __import__("datetime").timedelta(minutes=5)
        actx.clock = lambda: later
        assert (await delivery.flush(actx)).sent == 3
        assert revived.texts() == ["alert 0", "alert 1", "alert 2"]
    finally:
        revived.stop()


async def test_identical_alerts_are_coalesced(actx, bot: FakeBotApi):
    assert await _raise(actx, "same", "balance low")
    assert not await _raise(actx, "same", "balance low")
    assert not await _raise(actx, "same", "balance low")
    await delivery.flush(actx)
    assert bot.texts() == ["balance low" + messages.repeated(2)]
    assert not await _raise(actx, "same", "balance low")  # sent: the event is not raised again
    assert (await delivery.flush(actx)).sent == 0


async def test_delivery_through_a_socks5_proxy(actx, bot: FakeBotApi):
    proxy = Socks5Server().start()
    try:
        actx.settings = replace_settings(actx, telegram_proxy=proxy.url)
        await _raise(actx, "k", "via socks")
        assert (await delivery.flush(actx)).sent == 1
        assert bot.texts() == ["via socks"]
        assert proxy.connects == [("127.0.0.1", bot.port)]
    finally:
        proxy.stop()


async def test_a_dead_proxy_is_named(actx, bot: FakeBotApi):
    proxy = Socks5Server()
    url = proxy.url
    proxy.stop()  # nothing listens there any more
    actx.settings = replace_settings(actx, telegram_proxy=url)
    await _raise(actx, "k", "x")
    result = await delivery.flush(actx, budget=2)
    assert result.sent == 0 and "through the proxy" in (result.error or "")


async def test_a_second_deliverer_waits_for_the_first(actx, bot: FakeBotApi):
    bot.script.append("hold")
    await _raise(actx, "k", "once")
    first = asyncio.ensure_future(delivery.flush(actx, budget=3))
    while not bot.attempts:
        await asyncio.sleep(0.02)
    second = await delivery.flush(actx, budget=1)
    assert second.sent == 0 and "Another ProxyShop process" in (second.error or "")
    bot.release.set()
    await first


def replace_settings(ctx: ShopContext, **changes):  # type: ignore[no-untyped-def]
    return ctx.settings.model_copy(update=changes)




async def test_old_delivered_alerts_are_pruned_queued_ones_kept(actx, bot: FakeBotApi):
    from datetime import timedelta

    from proxyshop_desktop.clock import utcnow

    old = utcnow() - timedelta(days=outbox.KEEP_DAYS + 1)
    await actx.store.run(outbox.raise_alert, "test", "old-sent", "a", old)
    await delivery.flush(actx)
    await actx.store.run(outbox.raise_alert, "test", "old-queued", "b", old)
    assert await actx.store.run(outbox.prune, utcnow()) == 1
    assert not await actx.store.run(outbox.was_raised, "old-sent")
    assert await actx.store.run(outbox.was_raised, "old-queued")
