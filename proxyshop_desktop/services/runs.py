"""The record and the lock that every listing-wide run (sync, cleanup) shares.

One sync or cleanup at a time per data dir (a file lock that also works across processes: the
window and a cron job); each run has a `sync_run` row that ends `success` or `failed`, and a run
left `running` by a process that died is closed by the next one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import peewee

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import BusyError, ShopError, SyncedElsewhereError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models import engine
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.tables import AuditEvent, SyncRun, database_proxy
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 2.0


@asynccontextmanager
async def sync_lock(ctx: ShopContext, wait: float | None = None) -> AsyncIterator[None]:
    """Hold the data dir's sync lock; BusyError when another sync keeps it for `wait` seconds.

    Polled without blocking (not in a thread): a cancelled wait can never leave the lock taken.
    flock locks conflict between open files, so a second sync in this same process waits too.
    On a shared PostgreSQL database the shop-wide advisory lock is taken too (other machines);
    finding it held raises SyncedElsewhereError, which says who syncs."""
    lock = FileLock(ctx.paths.sync_lock, what=translate("errors", "a sync"))
    loop = asyncio.get_running_loop()
    deadline = loop.time() + (LOCK_WAIT_SECONDS if wait is None else wait)
    while True:
        try:
            lock.acquire(timeout=0)
            break
        except BusyError:
            if loop.time() >= deadline:
                raise
            await asyncio.sleep(0.1)
    try:
        if ctx.store.is_postgres:
            await _shop_wide_lock(ctx, deadline)
        try:
            yield
        finally:
            if ctx.store.is_postgres:  # shielded: a cancelled run still lets go of it
                await asyncio.shield(ctx.store.run(engine.session_unlock, ctx.store.db, "sync"))
    finally:
        lock.release()


async def _shop_wide_lock(ctx: ShopContext, deadline: float) -> None:
    loop = asyncio.get_running_loop()
    while True:
        attempt = asyncio.ensure_future(ctx.store.run(engine.try_session_lock, ctx.store.db, "sync"))
        try:
            if await asyncio.shield(attempt):
                return
        except asyncio.CancelledError:
            attempt.add_done_callback(lambda done: _unlock_if_taken(ctx, done))
            raise
        if loop.time() >= deadline:
            raise await ctx.store.run(synced_elsewhere, utcnow())
        await asyncio.sleep(0.2)


def _unlock_if_taken(ctx: ShopContext, attempt: asyncio.Future[bool]) -> None:
    if not attempt.cancelled() and attempt.exception() is None and attempt.result():
        asyncio.ensure_future(ctx.store.run(engine.session_unlock, ctx.store.db, "sync"))


def synced_elsewhere(now: datetime) -> SyncedElsewhereError:
    """DB thread: the error naming the operator of the run in progress (or the latest)."""
    run = SyncRun.select().order_by(SyncRun.id.desc()).first()
    if run is None:
        return SyncedElsewhereError(translate("errors", "Another machine is syncing the shop."), _ELSEWHERE_HINT)
    seconds = max(0, int((now - run.started_at).total_seconds()))
    who = run.operator or translate("errors", "another operator")
    if run.kind == "sync":
        text = translate("errors", "Synced by {0} {1} s ago (another machine is running it now).")
    else:
        text = translate("errors", "Cleaned up by {0} {1} s ago (another machine is running it now).")
    return SyncedElsewhereError(text.format(who, seconds), _ELSEWHERE_HINT)


_ELSEWHERE_HINT = translate(
    "errors", "Nothing to do: that run keeps the shop's inventory up to date for every machine.")


def start_run(kind: str, scope: str | None, trigger: str, started: datetime) -> int:
    """DB thread. Runs left 'running' by a process that died are closed first (we hold the lock)."""
    with database_proxy.atomic():
        SyncRun.update(status="failed", error="Interrupted: the app stopped during the run.").where(
            SyncRun.status == "running"
        ).execute()
        prune_history(started)
        return SyncRun.create(
            kind=kind, scope=scope, trigger=trigger, started_at=started, operator=current_operator()
        ).id


#: sync/cleanup history kept; a 5-minute timer writes ~290 runs a day. Money events are kept forever.
HISTORY_DAYS = 90


def prune_history(now: datetime) -> None:
    """DB thread, inside a transaction: the database must not grow with every timer tick."""
    cutoff = now - timedelta(days=HISTORY_DAYS)
    SyncRun.delete().where(SyncRun.started_at < cutoff).execute()
    AuditEvent.delete().where(AuditEvent.kind.in_(("sync", "cleanup")) & (AuditEvent.at < cutoff)).execute()


def fail_run(run_id: int, kind: str, message: str, requests: int, at: datetime) -> None:
    """DB thread: the run failed; nothing else was changed. The run's status is committed on its
    own first: on a disk too full for the audit row too, the run must not stay 'running'."""
    with database_proxy.atomic():
        SyncRun.update(
            status="failed", error=message, finished_at=at, requests=requests
        ).where(SyncRun.id == run_id).execute()
    try:
        with database_proxy.atomic():
            audit.record(kind, f"{kind.capitalize()} failed: {message}", ok=False)
    except peewee.DatabaseError:
        log.warning("could not record the failed %s run in the activity log", kind)


async def record_failure(
    ctx: ShopContext, run_id: int, kind: str, exc: BaseException, requests: int
) -> None:
    """Mark the run failed; a database too broken to record it must not hide the original error."""
    try:
        await ctx.store.run(fail_run, run_id, kind, failure_message(exc), requests, ctx.clock())
    except Exception:
        log.exception("could not record the failed %s run", kind)
    if kind == "sync":
        from proxyshop_desktop.alerts import events  # an insert at most; never raises

        await events.after_sync(ctx)


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, ShopError):
        return exc.message
    if isinstance(exc, asyncio.CancelledError):
        return "Cancelled."
    return f"Internal error ({type(exc).__name__}); see the log."


async def drop_stage(ctx: ShopContext) -> None:
    """Free a run's staged listing (its temp file space); a failure here is only logged."""
    from proxyshop_desktop.services import staging  # staging imports the tables, as runs does

    try:
        await asyncio.shield(ctx.store.run(staging.drop_stage))
    except asyncio.CancelledError:
        pass  # cancelled while tidying up: the next run drops it first
    except Exception:
        log.exception("could not drop the run's staging table")
