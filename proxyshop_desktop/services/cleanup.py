"""Cleanup: remove inventory that is offline or gone at the provider.

The online listing already says which proxies are for sale, so cleanup pages through it (requests
grow with pages, never one lookup per inventory item) and removes local products not in it. It
adds and updates nothing: that is sync's job. Only a complete listing counts; an error from the
provider is never evidence that a proxy is gone, so then nothing is removed.

The offline listing (status=0) is not fetched: it would only split the count into "offline" and
"gone" and can be far longer than the online one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from proxyshop_desktop.i18n import joined, translate
from proxyshop_desktop.models.tables import SyncRun, database_proxy
from proxyshop_desktop.services import audit, staging
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.listing import Listing, fetch_listing, needs_confirmation
from proxyshop_desktop.services.results import CleanupResult
from proxyshop_desktop.services.runs import drop_stage, record_failure, start_run, sync_lock
from proxyshop_desktop.upstream.client import ProviderClient


@dataclass(frozen=True)
class _Outcome:
    removed: int
    checked: int
    message: str


def _message(removed: int) -> str:
    if removed == 0:
        return "Nothing to remove: every proxy in the inventory is online at the provider."
    noun = "proxy" if removed == 1 else "proxies"
    return f"Removed {removed} {noun} no longer online at the provider."


class _LargeRemoval(Exception):
    """Raised in the transaction (it rolls back): a large removal needs a second listing."""


def _remove_unlisted(run_id: int, pages: int, fetched: int, skipped: int, requests: int,
                     confirmed: bool, clock: Callable[[], datetime]) -> _Outcome:
    """DB thread, one transaction: the comparison and the delete see the same rows."""
    with database_proxy.atomic():
        removal = staging.removal(None)
        checked, online = removal.covered, staging.staged_count()
        if not confirmed and needs_confirmation(removal.unlisted, checked):
            raise _LargeRemoval()
        removed = staging.remove_unlisted()
        message = _message(removed)
        finished = clock()
        SyncRun.update(
            status="success", finished_at=finished, pages=pages, fetched=fetched,
            available_external=online, removed=removed, skipped=skipped, requests=requests,
        ).where(SyncRun.id == run_id).execute()
        audit.record(
            "cleanup",
            joined(translate("audit", "Nothing to remove: every proxy in the inventory is online at the provider.")
                   if removed == 0 else
                   translate("audit", "Proxies removed, no longer online at the provider: {0}.").format(removed),
                   translate("audit", "Checked {0} against {1} online ({2} requests).").format(
                       checked, online, requests),
                   translate("audit", "A large removal was confirmed by a second listing: only proxies missing "
                             "from both were removed.") if confirmed else None),
            at=finished,
        )
    return _Outcome(removed=removed, checked=checked, message=message)


async def run_cleanup(ctx: ShopContext) -> CleanupResult:
    async with sync_lock(ctx):
        run_id = await ctx.store.run(start_run, "cleanup", None, "manual", ctx.clock())
        client: ProviderClient | None = None
        before = 0
        writing = False

        def used() -> int:
            return client.requests_sent - before if client else 0

        try:
            await ctx.store.run(staging.open_stage)
            client = ctx.client()
            before = client.requests_sent
            size, concurrency = ctx.settings.sync_page_size, ctx.settings.sync_concurrency
            listing = await _listing(ctx, client, size, concurrency)
            pages, fetched = listing.pages, listing.fetched
            try:
                writing = True
                outcome = await _write(ctx, run_id, pages, fetched, listing.skipped, used(), False)
            except _LargeRemoval:
                writing = False  # fetch again on top: only what both listings lack is removed
                again = await _listing(ctx, client, size, concurrency)
                pages, fetched = pages + again.pages, fetched + again.fetched
                writing = True
                outcome = await _write(ctx, run_id, pages, fetched, again.skipped, used(), True)
        except BaseException as exc:
            # A started write records its own outcome even when this task is cancelled.
            if not (writing and isinstance(exc, asyncio.CancelledError)):
                await record_failure(ctx, run_id, "cleanup", exc, used())
            raise
        finally:
            await drop_stage(ctx)
    return CleanupResult(removed_count=outcome.removed, checked=outcome.checked, requests=used(),
                         message=outcome.message)


async def _listing(ctx: ShopContext, client: ProviderClient, size: int, concurrency: int) -> Listing:
    """The online listing's ids, staged (on top of what is staged already)."""
    sink = staging.Stager(ctx.store)
    try:
        listing = await fetch_listing(client, size, concurrency, sink)
        await sink.flush()
    finally:
        await sink.discard()
    return listing


async def _write(ctx: ShopContext, run_id: int, pages: int, fetched: int, skipped: int,
                 requests: int, confirmed: bool) -> _Outcome:
    task = asyncio.ensure_future(ctx.store.run(
        _remove_unlisted, run_id, pages, fetched, skipped, requests, confirmed, ctx.clock,
    ))
    try:
        # Let a started transaction finish even if we are cancelled: it records its own result.
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait([task])
        raise
