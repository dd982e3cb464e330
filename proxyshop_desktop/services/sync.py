"""Sync: mirror the provider's online listing into the local inventory.

The rules (upstream-api.md, issue 2): change nothing unless the whole listing arrived
(`listing.fetch_listing`); then add new, update changed, remove unlisted proxies in ONE
transaction. Speed (issue 4): rows are diffed by a fingerprint of their listing fields so
unchanged rows are never written, and the bulk writes are raw `executemany` on the DB thread
(peewee's insert_many is ~7x slower).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import SYNC_ROW_COLUMNS, Order, SyncRun, database_proxy
from proxyshop_desktop.services import audit, refund_outcome
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.inventory import normalise_country
from proxyshop_desktop.services.listing import FINGERPRINT, Listing, fetch_listing, needs_confirmation
from proxyshop_desktop.services.orders import REFUND_UNKNOWN
from proxyshop_desktop.services.results import SyncProgress, SyncResult
from proxyshop_desktop.services.runs import record_failure, start_run, sync_lock
from proxyshop_desktop.upstream.client import ProviderClient

log = logging.getLogger(__name__)

_INSERT = (
    f"INSERT INTO product ({', '.join(SYNC_ROW_COLUMNS)}, status)"
    f" VALUES ({', '.join('?' * len(SYNC_ROW_COLUMNS))}, 1)"
)
_UPDATE = (
    "UPDATE product SET "
    + "".join(f"{name}=?, " for name in SYNC_ROW_COLUMNS[:FINGERPRINT + 1])
    + "status=1, last_seen=?, last_changed=? WHERE id=?"
)


@dataclass(frozen=True)
class _Counts:
    added: int
    updated: int
    removed: int


class _LargeRemoval(Exception):
    """Raised inside the write transaction (so it rolls back) when the listing would remove a
    large share of the inventory and no second listing confirmed it yet."""

    def __init__(self, removed: int, covered: int) -> None:
        super().__init__(f"{removed} of {covered}")
        self.removed, self.covered = removed, covered


def _write(
    run_id: int, scope: str | None, listing: Listing, stamp: str, requests: int,
    summary: Callable[[_Counts], str], confirmed: bool,
) -> tuple[_Counts, datetime]:
    db = database_proxy
    db.execute_sql("PRAGMA synchronous=NORMAL")  # bulk data the next sync can refetch
    try:
        with db.atomic():  # IMMEDIATE: the diff is computed against what the write will change
            existing = {
                proxy_id: (row_id, fingerprint, code)
                for proxy_id, row_id, fingerprint, code in db.execute_sql(
                    "SELECT proxy_id, id, fingerprint, country_code FROM product"
                )
            }
            covered = sum(1 for _, _, code in existing.values() if scope in (None, code))
            inserts: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            for proxy_id, row in listing.items.items():
                known = existing.pop(proxy_id, None)
                if known is None:
                    inserts.append(row)
                elif known[1] != row[FINGERPRINT]:
                    updates.append((*row[:FINGERPRINT + 1], stamp, stamp, known[0]))
            # What is left was not listed. A country sync only speaks for its own country.
            removed = [(row_id,) for row_id, _, code in existing.values() if scope in (None, code)]
            del existing
            if not confirmed and needs_confirmation(len(removed), covered):
                raise _LargeRemoval(len(removed), covered)
            counts = _Counts(added=len(inserts), updated=len(updates), removed=len(removed))
            conn = db.connection()
            if removed:
                conn.executemany("DELETE FROM product WHERE id=?", removed)
            if updates:
                conn.executemany(_UPDATE, updates)
            if inserts:
                conn.executemany(_INSERT, inserts)
            finished = utcnow()  # >= every row's stamp: the derived last_seen relies on it
            SyncRun.update(
                status="success", finished_at=finished, pages=listing.pages,
                fetched=listing.fetched, available_external=len(listing.items),
                added=counts.added, updated=counts.updated, removed=counts.removed,
                skipped=listing.skipped, requests=requests,
            ).where(SyncRun.id == run_id).execute()
            audit.record("sync", summary(counts))
    finally:
        db.execute_sql("PRAGMA synchronous=FULL")
    return counts, finished


def _needs_reconcile(settings: Settings) -> bool:
    """DB thread: a sale whose outcome is pending, or a refund whose answer was lost and that the
    provider has not been asked about yet (orders already `refund_unknown` wait for Reconcile)."""
    if Order.select().where(Order.status == "pending").exists():
        return True
    lost = refund_outcome.find_lost_refunds(utcnow(), settings)
    return any(item.status != REFUND_UNKNOWN for item in lost)


# --- the service ----------------------------------------------------------------------------------


Progress = Callable[[SyncProgress], None]


def _notify(progress: Progress | None, pages: int, fetched: int, phase: str) -> None:
    if progress is None:
        return
    try:
        progress(SyncProgress(pages, fetched, phase))
    except Exception:  # a broken progress display must not fail the sync
        log.exception("sync progress callback failed")


async def _reconcile_first(ctx: ShopContext, progress: Progress | None) -> None:
    """Settle pending orders and lost refunds before the listing (issue 2); its failure does not
    stop the sync."""
    if not await ctx.store.run(_needs_reconcile, ctx.settings):
        return
    _notify(progress, 0, 0, "reconciling")
    try:
        from proxyshop_desktop.services import reconcile

        await reconcile.reconcile(ctx)
    except ShopError as exc:
        log.warning("reconcile before sync failed: %s", exc.message)
    except Exception:
        log.exception("reconcile before sync failed")


async def _fetch(
    ctx: ShopContext, client: ProviderClient, scope: str | None, stamp: str, progress: Progress | None,
    base: Listing | None = None,
) -> Listing:
    """The whole listing; a second fetch (`base` = the first) counts on from the first's pages."""
    before_pages, before_fetched = (base.pages, base.fetched) if base else (0, 0)
    _notify(progress, before_pages, before_fetched, "listing" if base is None else "confirming")
    listing = await fetch_listing(
        client,
        ctx.settings.sync_page_size,
        ctx.settings.sync_concurrency,
        country_code=scope,
        stamp=stamp,
        on_page=lambda pages, fetched: _notify(
            progress, before_pages + pages, before_fetched + fetched,
            "listing" if base is None else "confirming",
        ),
    )
    log.debug("listing: %d pages, provider's total %s", listing.pages, listing.total_hint)
    if base is None:
        return listing
    # Kept: what either listing holds (a removal needs both to lack it); the newer row wins.
    base.items.update(listing.items)
    base.pages += listing.pages
    base.fetched += listing.fetched
    base.skipped = listing.skipped
    return base


async def _commit(
    ctx: ShopContext, run_id: int, scope: str | None, listing: Listing, stamp: str, requests: int,
    confirmed: bool,
) -> tuple[_Counts, datetime]:
    where = f" {scope}" if scope else ""

    def summary(c: _Counts) -> str:
        check = (
            " A large removal was confirmed by a second listing: only proxies missing from both "
            "were removed." if confirmed else ""
        )
        return (
            f"Sync{where}: {len(listing.items)} online proxies listed on {listing.pages} "
            f"pages; {c.added} added, {c.updated} updated, {c.removed} removed, "
            f"{listing.skipped} skipped ({requests} requests).{check}"
        )

    # The transaction records its own success; once started it is let finish even if this
    # task is cancelled, so the run record always tells the truth.
    write = asyncio.ensure_future(
        ctx.store.run(_write, run_id, scope, listing, stamp, requests, summary, confirmed)
    )
    try:
        return await asyncio.shield(write)
    except asyncio.CancelledError:
        if not write.done():
            await asyncio.wait([write])
        if write.done() and not write.cancelled() and write.exception() is not None:
            await record_failure(ctx, run_id, "sync", write.exception(), requests)
        raise


async def run_sync(
    ctx: ShopContext,
    *,
    country: str | None = None,
    trigger: str = "manual",
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncResult:
    scope = normalise_country(country)
    async with sync_lock(ctx):
        await _reconcile_first(ctx, progress)
        started = utcnow()
        stamp = db_time(started)  # first/last seen of what this listing adds or changes
        run_id = await ctx.store.run(start_run, "sync", scope, trigger, started)
        client: ProviderClient | None = None
        requests_before = 0
        confirmed = writing = False

        def used() -> int:
            return client.requests_sent - requests_before if client is not None else 0

        try:
            client = ctx.client()
            requests_before = client.requests_sent
            listing = await _fetch(ctx, client, scope, stamp, progress)
            while True:
                _notify(progress, listing.pages, listing.fetched, "writing")
                writing = True
                try:
                    counts, finished = await _commit(
                        ctx, run_id, scope, listing, stamp, used(), confirmed
                    )
                    break
                except _LargeRemoval as large:
                    writing = False
                    log.warning("sync would remove %s proxies: fetching the listing again", large)
                    listing = await _fetch(ctx, client, scope, stamp, progress, base=listing)
                    confirmed = True
        except BaseException as exc:
            # A write, once started, records its own outcome even when this task is cancelled.
            if not (writing and isinstance(exc, asyncio.CancelledError)):
                await record_failure(ctx, run_id, "sync", exc, used())
            raise
    return SyncResult(
        run_id=run_id,
        # total_fetched counts every item the provider sent on the pages used (duplicates and
        # unusable items included); total_available_external is what the web shop reported: the
        # number of unique online proxies the provider listed this run. `total` is a page count.
        total_fetched=listing.fetched,
        total_available_external=len(listing.items),
        added=counts.added,
        updated=counts.updated,
        removed=counts.removed,
        skipped=listing.skipped,
        pages=listing.pages,
        requests=used(),
        started_at=started,
        finished_at=finished,
        removal_confirmed=confirmed,
    )
