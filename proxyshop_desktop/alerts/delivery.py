"""Sending the outbox to Telegram: in order, each alert once, within a time budget.

One deliverer at a time for the whole shop (a file lock, so the window and a cron command never
both send the queue, and on a shared PostgreSQL database an advisory lock, so two machines never
both send it). An alert is marked sent right after Telegram confirms it; a process killed in the
milliseconds between the two would send that one alert again on its next flush (a loss would be
worse). Nothing here raises: a failing Telegram is recorded on the alert and logged, never passed
on to the sync or sale that raised it.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from proxyshop_desktop.alerts import messages, outbox, setup
from proxyshop_desktop.alerts.telegram import TIMEOUT, TelegramClient, TelegramError
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import BusyError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models import engine
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.services.context import ShopContext

log = logging.getLogger(__name__)

_LOCK = "alert_delivery"
_BUSY = "Another ProxyShop process is sending the alerts."

#: waits after a failure, by the alert's attempts so far (unreachable Telegram, bad token)
BACKOFF = (15, 30, 60, 120, 300, 600, 900)


@dataclass(frozen=True)
class FlushResult:
    sent: int = 0
    waiting: int = 0  # still queued
    error: str | None = None  # why the queue stopped, for the status line


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=BACKOFF[min(attempts, len(BACKOFF) - 1)])


def lock_path(ctx: ShopContext) -> Path:
    return ctx.paths.data_dir / "alerts.lock"


async def flush(
    ctx: ShopContext, budget: float = 5.0, transport: httpx.AsyncBaseTransport | None = None
) -> FlushResult:
    """Send what is due for at most ~`budget` seconds; never raises for Telegram's sake."""
    if not await ctx.store.run(outbox.due, ctx.clock()):
        return FlushResult(waiting=(await ctx.store.run(outbox.status)).queued)
    token = await setup.bot_token_async()
    config = setup.telegram_config(ctx.settings, token)
    if config is None:
        return FlushResult(error=setup.not_configured(ctx.settings, token).message)
    lock = FileLock(lock_path(ctx), what=translate("errors", "alert delivery"))
    try:
        lock.acquire(timeout=0)
    except BusyError:
        return FlushResult(error=_BUSY)
    try:
        if not await _shop_wide_lock(ctx):
            return FlushResult(error=_BUSY)
        try:
            timeout = httpx.Timeout(min(TIMEOUT.read or 10.0, budget), connect=min(5.0, budget))
            async with TelegramClient(config, transport, timeout=timeout) as client:
                return await _send_due(ctx, client, budget)
        finally:
            if ctx.store.is_postgres:  # shielded: a cancelled flush still lets go of it
                await asyncio.shield(ctx.store.run(engine.session_unlock, ctx.store.db, _LOCK))
    finally:
        lock.release()


async def _shop_wide_lock(ctx: ShopContext) -> bool:
    """PostgreSQL: the shop's delivery lock, if no other machine holds it; SQLite: the file
    lock already is the shop's."""
    if not ctx.store.is_postgres:
        return True
    attempt = asyncio.ensure_future(ctx.store.run(engine.try_session_lock, ctx.store.db, _LOCK))
    try:
        return await asyncio.shield(attempt)
    except asyncio.CancelledError:
        attempt.add_done_callback(lambda done: _unlock_if_taken(ctx, done))
        raise


def _unlock_if_taken(ctx: ShopContext, attempt: asyncio.Future[bool]) -> None:
    if not attempt.cancelled() and attempt.exception() is None and attempt.result():
        asyncio.ensure_future(ctx.store.run(engine.session_unlock, ctx.store.db, _LOCK))


async def _send_due(ctx: ShopContext, client: TelegramClient, budget: float) -> FlushResult:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + budget
    sent = 0
    while loop.time() < deadline:
        rows = await ctx.store.run(outbox.due, ctx.clock())
        if not rows:
            break
        for row in rows:
            text = row.body + (messages.repeated(row.repeats) if row.repeats else "")
            try:
                await client.send(text)
            except TelegramError as exc:
                wait = exc.retry_after or 0.0
                if exc.kind == "rate_limited" and loop.time() + wait < deadline:
                    log.info("Telegram rate limit: waiting %.0f s", wait)
                    await asyncio.sleep(wait)  # honoured within the budget, then the same alert
                    break
                if await _failed(ctx, row, exc):
                    continue
                return await _result(ctx, sent, exc.message)
            await ctx.store.run(outbox.mark_sent, row.id, ctx.clock())
            sent += 1
            if loop.time() >= deadline:
                break
    return await _result(ctx, sent, None)


async def _failed(ctx: ShopContext, row: outbox.AlertOutbox, exc: TelegramError) -> bool:
    """Record the failure on the alert; True when the queue can go on past it."""
    text = f"{exc.message} {exc.hint}"
    if exc.kind == "rejected":
        log.warning("alert %s (%s) dropped: %s", row.id, row.kind, text)
        await ctx.store.run(outbox.drop, row.id, exc.message)
        return True
    log.warning("alerts not sent: %s", text)
    wait = timedelta(seconds=exc.retry_after) if exc.retry_after else _backoff(row.attempts)
    await ctx.store.run(outbox.postpone, row.id, ctx.clock() + wait, exc.message)
    return False


async def _result(ctx: ShopContext, sent: int, error: str | None) -> FlushResult:
    state = await ctx.store.run(outbox.status)
    return FlushResult(sent=sent, waiting=state.queued, error=error)


async def send_test(
    settings: Settings, token: str | None = None, transport: httpx.AsyncBaseTransport | None = None
) -> None:
    """Send a test message now, bypassing the queue (with `token`, or the stored one);
    TelegramError/ShopError say what is wrong."""
    import socket

    token = token or await setup.bot_token_async()
    config = setup.telegram_config(settings, token)
    if config is None:
        raise setup.not_configured(settings, token)
    messages.follow(settings)
    async with TelegramClient(config, transport) as client:
        await client.send(messages.test_message(f"ProxyShop on {socket.gethostname()}"))
