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
from dataclasses import dataclass

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.models.tables import SyncRun, database_proxy
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import CleanupResult
from proxyshop_desktop.services.listing import fetch_listing
from proxyshop_desktop.services.runs import record_failure, start_run, sync_lock
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


def _remove_unlisted(run_id: int, online: frozenset[int], pages: int, fetched: int, skipped: int,
                     requests: int) -> _Outcome:
    """DB thread, one transaction: the comparison and the delete see the same rows."""
    db = database_proxy
    with db.atomic():
        local = db.execute_sql("SELECT id, proxy_id FROM product").fetchall()
        gone = [(row_id,) for row_id, proxy_id in local if proxy_id not in online]
        if gone:
            db.connection().executemany("DELETE FROM product WHERE id=?", gone)
        message = _message(len(gone))
        SyncRun.update(
            status="success", finished_at=utcnow(), pages=pages, fetched=fetched,
            available_external=len(online), removed=len(gone), skipped=skipped, requests=requests,
        ).where(SyncRun.id == run_id).execute()
        audit.record(
            "cleanup",
            f"{message} Checked {len(local)} against {len(online)} online ({requests} requests).",
        )
    return _Outcome(removed=len(gone), checked=len(local), message=message)


async def run_cleanup(ctx: ShopContext) -> CleanupResult:
    async with sync_lock(ctx):
        run_id = await ctx.store.run(start_run, "cleanup", None, "manual", utcnow())
        client: ProviderClient | None = None
        before = 0
        try:
            client = ctx.client()
            before = client.requests_sent
            size, concurrency = ctx.settings.sync_page_size, ctx.settings.sync_concurrency
            listing = await fetch_listing(client, size, concurrency)
        except BaseException as exc:
            used = client.requests_sent - before if client else 0
            await record_failure(ctx, run_id, "cleanup", exc, used)
            raise
        requests = client.requests_sent - before
        online = frozenset(listing.items)
        task = asyncio.ensure_future(ctx.store.run(
            _remove_unlisted, run_id, online, listing.pages, listing.fetched, listing.skipped,
            requests,
        ))
        try:
            # Let a started transaction finish even if we are cancelled: it records its own result.
            outcome = await asyncio.shield(task)
        except asyncio.CancelledError:
            await asyncio.wait([task])
            raise
        except BaseException as exc:
            await record_failure(ctx, run_id, "cleanup", exc, requests)
            raise
    return CleanupResult(removed_count=outcome.removed, checked=outcome.checked, requests=requests,
                         message=outcome.message)
