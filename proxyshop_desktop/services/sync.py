"""Sync: mirror the provider's online listing into the local inventory.

The rules (upstream-api.md, issues 2 and 15): change nothing unless the whole listing arrived
(`listing.fetch_listing`, which also holds the provider to the page count it announced); then add
new, update changed, remove unlisted proxies in ONE transaction; a removal of more than
CONFIRM_REMOVAL_SHARE of the inventory is confirmed by a second listing first.

Memory (issue 9): pages are staged in a temp table as they arrive and the diff is SQL
(services/staging.py), so a million proxies cost no more memory than a few pages. Rows are diffed
by a fingerprint of their listing fields, so unchanged rows are never written.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from proxyshop_desktop.alerts import events as alert_events
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.i18n import Text, joined, translate
from proxyshop_desktop.models.engine import relax_durability
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import Order, SyncRun, database_proxy
from proxyshop_desktop.services import audit, refund_outcome, staging
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.inventory import normalise_country
from proxyshop_desktop.services.listing import Listing, fetch_listing, needs_confirmation
from proxyshop_desktop.services.results import SyncProgress, SyncResult
from proxyshop_desktop.services.runs import drop_stage, record_failure, start_run, sync_lock
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.vocabulary import OrderStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Counts:
    added: int
    updated: int
    removed: int
    listed: int  # unique online proxies staged


class _LargeRemoval(Exception):
    """Raised inside the write transaction (so it rolls back) when the listing would remove a
    large share of the inventory and no second listing confirmed it yet."""

    def __init__(self, removed: int, covered: int) -> None:
        super().__init__(f"{removed} of {covered}")
        self.removed, self.covered = removed, covered


def _write(
    run_id: int, scope: str | None, listing: Listing, requests: int,
    summary: Callable[[_Counts], Text], confirmed: bool, clock: Callable[[], datetime],
) -> tuple[_Counts, datetime]:
    """DB thread: apply the staged listing in one transaction that also records the run."""
    db = database_proxy
    relax_durability(db, True)  # bulk data the next sync can refetch
    try:
        with db.atomic():  # IMMEDIATE: the diff is computed against what the write will change
            if not confirmed:
                removal = staging.removal(scope)  # a country sync only speaks for its country
                if needs_confirmation(removal.unlisted, removal.covered):
                    raise _LargeRemoval(removal.unlisted, removal.covered)
            added, updated, removed = staging.apply_listing(scope)
            counts = _Counts(added, updated, removed, staging.staged_count())
            finished = clock()  # >= every row's stamp: the derived last_seen relies on it
            SyncRun.update(
                status="success", finished_at=finished, pages=listing.pages,
                fetched=listing.fetched, available_external=counts.listed,
                added=counts.added, updated=counts.updated, removed=counts.removed,
                skipped=listing.skipped, requests=requests,
            ).where(SyncRun.id == run_id).execute()
            audit.record("sync", summary(counts), at=finished)
    finally:
        relax_durability(db, False)
    return counts, finished


def _needs_reconcile(settings: Settings, now: datetime) -> bool:
    """DB thread: a sale whose outcome is pending, or a refund whose answer was lost and that the
    provider has not been asked about yet (orders already `refund_unknown` wait for Reconcile)."""
    if Order.select().where(Order.status == OrderStatus.PENDING).exists():
        return True
    lost = refund_outcome.find_lost_refunds(now, settings)
    return any(item.status != OrderStatus.REFUND_UNKNOWN for item in lost)


# --- the service ----------------------------------------------------------------------------------


Progress = Callable[[SyncProgress], None]


def _notify(
    progress: Progress | None, pages: int, fetched: int, phase: str, expected: int | None = None
) -> None:
    if progress is None:
        return
    try:
        progress(SyncProgress(pages, fetched, phase, expected))
    except Exception:  # a broken progress display must not fail the sync
        log.exception("sync progress callback failed")


async def _reconcile_first(ctx: ShopContext, progress: Progress | None) -> None:
    """Settle pending orders and lost refunds before the listing (issue 2); its failure does not
    stop the sync."""
    if not await ctx.store.run(_needs_reconcile, ctx.settings, ctx.clock()):
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
    """Stage the whole listing; a second fetch (`base` = the first) is staged on top of the first
    (what either listed is kept, the newer row wins) and counts on from the first's pages."""
    before_pages, before_fetched = (base.pages, base.fetched) if base else (0, 0)
    phase = "listing" if base is None else "confirming"
    _notify(progress, before_pages, before_fetched, phase)

    sink = staging.Stager(ctx.store)
    try:
        listing = await fetch_listing(
            client,
            ctx.settings.sync_page_size,
            ctx.settings.sync_concurrency,
            sink,
            country_code=scope,
            stamp=stamp,
            on_page=lambda pages, fetched, expected: _notify(
                progress, before_pages + pages, before_fetched + fetched, phase,
                None if expected is None else before_pages + expected,
            ),
        )
        await sink.flush()
    finally:
        await sink.discard()
    log.debug("listing: %d pages, provider's total %s", listing.pages, listing.total_hint)
    if base is None:
        return listing
    return Listing(
        pages=base.pages + listing.pages, fetched=base.fetched + listing.fetched,
        skipped=listing.skipped, total_hint=listing.total_hint,
    )


async def _commit(
    ctx: ShopContext, run_id: int, scope: str | None, listing: Listing, requests: int,
    confirmed: bool,
) -> tuple[_Counts, datetime]:

    def summary(c: _Counts) -> Text:
        check = translate("audit", "A large removal was confirmed by a second listing: only proxies missing "
                          "from both were removed.") if confirmed else None
        head = (translate("audit", "Sync {0}: {1} online proxies listed on {2} pages; {3} added, {4} updated, "
                          "{5} removed, {6} skipped ({7} requests).").format(scope) if scope
                else translate("audit", "Sync: {0} online proxies listed on {1} pages; {2} added, {3} updated, "
                               "{4} removed, {5} skipped ({6} requests)."))
        return joined(head.format(c.listed, listing.pages, c.added, c.updated, c.removed, listing.skipped,
                                  requests), check)

    # The transaction records its own success; once started it is let finish even if this
    # task is cancelled, so the run record always tells the truth.
    write = asyncio.ensure_future(
        ctx.store.run(_write, run_id, scope, listing, requests, summary, confirmed, ctx.clock)
    )
    try:
        return await asyncio.shield(write)
    except asyncio.CancelledError:
        if not write.done():
            await asyncio.wait([write])
        failure = write.exception() if write.done() and not write.cancelled() else None
        if failure is not None:
            await record_failure(ctx, run_id, "sync", failure, requests)
        raise


async def run_sync(
    ctx: ShopContext,
    *,
    country: str | None = None,
    trigger: str = "manual",
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncResult:
    """Sync the inventory with the provider's listing. Cancelling it while it lists changes
    nothing (the run is recorded as cancelled); once its write began, the write completes."""
    scope = normalise_country(country)
    async with sync_lock(ctx):
        await _reconcile_first(ctx, progress)
        started = ctx.clock()
        stamp = db_time(started)  # first/last seen of what this listing adds or changes
        run_id = await ctx.store.run(start_run, "sync", scope, trigger, started)
        client: ProviderClient | None = None
        requests_before = 0
        confirmed = writing = done = False

        def used() -> int:
            return client.requests_sent - requests_before if client is not None else 0

        try:
            await ctx.store.run(staging.open_stage)
            client = ctx.client()
            requests_before = client.requests_sent
            listing = await _fetch(ctx, client, scope, stamp, progress)
            while True:
                _notify(progress, listing.pages, listing.fetched, "writing", listing.pages)
                writing = True
                try:
                    counts, finished = await _commit(ctx, run_id, scope, listing, used(), confirmed)
                    break
                except _LargeRemoval as large:
                    writing = False
                    log.warning("sync would remove %s proxies: fetching the listing again", large)
                    listing = await _fetch(ctx, client, scope, stamp, progress, base=listing)
                    confirmed = True
            done = True
        except BaseException as exc:
            # A write, once started, records its own outcome even when this task is cancelled.
            if not (writing and isinstance(exc, asyncio.CancelledError)):
                await record_failure(ctx, run_id, "sync", exc, used())
            raise
        finally:
            # SQLite: dropping 50,000 staged rows took ~0.1 s on a sync's way out. After a success
            # the stage is left to the next sync's open_stage, or to the connection's close (a
            # temp file: gone at once); a failed or cancelled run frees it now.
            if ctx.store.is_postgres or not done:
                await drop_stage(ctx)
    await alert_events.after_sync(ctx)  # "sync recovered" after an alerted outage; never raises
    return _result(run_id, listing, counts, used(), (started, finished), confirmed)


def _result(
    run_id: int, listing: Listing, counts: _Counts, requests: int,
    times: tuple[datetime, datetime], confirmed: bool,
) -> SyncResult:
    return SyncResult(
        run_id=run_id,
        # total_fetched counts every item the provider sent on the pages used (duplicates and
        # unusable items included); total_available_external is what the web shop reported: the
        # number of unique online proxies the provider listed this run. `total` is a page count.
        total_fetched=listing.fetched,
        total_available_external=counts.listed,
        added=counts.added,
        updated=counts.updated,
        removed=counts.removed,
        skipped=listing.skipped,
        pages=listing.pages,
        requests=requests,
        started_at=times[0],
        finished_at=times[1],
        removal_confirmed=confirmed,
    )

