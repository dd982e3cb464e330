"""Sync: mirror the provider's online listing into the local inventory.

The rules (upstream-api.md, issue 2): page until an empty or short page, never by `total`;
de-duplicate by proxy_id; change nothing unless the whole listing arrived; then add new, update
changed, remove unlisted proxies in ONE transaction. Speed (issue 4): pages are fetched K at a time,
rows are diffed by a fingerprint of their listing fields so unchanged rows are never written, and
the bulk writes are raw `executemany` on the DB thread (peewee's insert_many is ~7x slower).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import marshal
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import peewee

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import BadResponseError, BusyError, ShopError
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.tables import AuditEvent, Order, SyncRun, database_proxy
from proxyshop_desktop.services import audit, refund_outcome
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.inventory import normalise_country
from proxyshop_desktop.services.orders import REFUND_UNKNOWN
from proxyshop_desktop.services.results import SyncProgress, SyncResult
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.schemas import ListingFields

log = logging.getLogger(__name__)

LOCK_WAIT_SECONDS = 2.0
MAX_PAGES = 100_000  # an endless listing (a provider bug) must not page forever

_INSERT = (
    "INSERT INTO product (proxy_ip, country, country_code, city, region, region_name, zip, isp,"
    " org, as_name, continent, continent_code, lat, lon, speed, proxy_type, fingerprint, proxy_id,"
    " status, first_seen, last_seen, last_changed)"
    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,1,?,?,?)"
)
_UPDATE = (
    "UPDATE product SET proxy_ip=?, country=?, country_code=?, city=?, region=?, region_name=?,"
    " zip=?, isp=?, org=?, as_name=?, continent=?, continent_code=?, lat=?, lon=?, speed=?,"
    " proxy_type=?, fingerprint=?, status=1, last_seen=?, last_changed=? WHERE id=?"
)


# --- the cross-process lock and the run record (shared with cleanup) ----------------------------


@asynccontextmanager
async def sync_lock(ctx: ShopContext, wait: float | None = None) -> AsyncIterator[None]:
    """Hold the data dir's sync lock; BusyError when another sync keeps it for `wait` seconds.

    Polled without blocking (not in a thread): a cancelled wait can never leave the lock taken.
    flock locks conflict between open files, so a second sync in this same process waits too."""
    lock = FileLock(ctx.paths.sync_lock, what="a sync")
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
        yield
    finally:
        lock.release()


def start_run(kind: str, scope: str | None, trigger: str, started: datetime) -> int:
    """DB thread. Runs left 'running' by a process that died are closed first (we hold the lock)."""
    with database_proxy.atomic():
        SyncRun.update(status="failed", error="Interrupted: the app stopped during the run.").where(
            SyncRun.status == "running"
        ).execute()
        prune_history(started)
        return SyncRun.create(kind=kind, scope=scope, trigger=trigger, started_at=started).id


#: sync/cleanup history kept; a 5-minute timer writes ~290 runs a day. Money events are kept forever.
HISTORY_DAYS = 90


def prune_history(now: datetime) -> None:
    """DB thread, inside a transaction: the database must not grow with every timer tick."""
    cutoff = now - timedelta(days=HISTORY_DAYS)
    SyncRun.delete().where(SyncRun.started_at < cutoff).execute()
    AuditEvent.delete().where(AuditEvent.kind.in_(("sync", "cleanup")) & (AuditEvent.at < cutoff)).execute()


def fail_run(run_id: int, kind: str, message: str, requests: int) -> None:
    """DB thread: the run failed; nothing else was changed. The run's status is committed on its
    own first: on a disk too full for the audit row too, the run must not stay 'running'."""
    with database_proxy.atomic():
        SyncRun.update(
            status="failed", error=message, finished_at=utcnow(), requests=requests
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
        await ctx.store.run(fail_run, run_id, kind, failure_message(exc), requests)
    except Exception:
        log.exception("could not record the failed %s run", kind)


def failure_message(exc: BaseException) -> str:
    if isinstance(exc, ShopError):
        return exc.message
    if isinstance(exc, asyncio.CancelledError):
        return "Cancelled."
    return f"Internal error ({type(exc).__name__}); see the log."


# --- the listing --------------------------------------------------------------------------------


@dataclass
class Listing:
    """A complete online listing: every page up to and including the first short one."""

    #: unique online proxies: proxy_id -> the _INSERT parameters (empty when fetched for ids only)
    items: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    pages: int = 0
    fetched: int = 0  # items as sent on those pages, duplicates and unusable ones included
    skipped: int = 0  # items without proxy_id, or listed with a status other than online
    total_hint: int | None = None  # the provider's `total` (a page count): reported, never trusted


async def fetch_listing(
    client: ProviderClient,
    page_size: int,
    concurrency: int,
    *,
    country_code: str | None = None,
    stamp: str | None = None,
    on_page: Callable[[int, int], None] | None = None,
    max_pages: int = MAX_PAGES,
) -> Listing:
    """Page through `/proxy?status=1` keeping `concurrency` requests in flight. With a `stamp`
    (the stored time for first/last seen), each item becomes its product row as its page arrives.

    No page is scheduled once one came back short (pages after it are discarded) or failed; a
    failure matters only if it is before the first short page, and then it is raised: the caller
    must not act on a partial listing."""
    pages: dict[int, _Page] = {}
    errors: dict[int, BaseException] = {}
    running: dict[asyncio.Task[ListingFields], int] = {}
    discarded: list[asyncio.Task[ListingFields]] = []
    end: int | None = None  # the first short (or empty) page
    next_page = received = 0

    def bound() -> int | None:
        marks = [m for m in (end, min(errors, default=None)) if m is not None]
        return min(marks) if marks else None

    try:
        while True:
            limit = bound()
            while limit is None and len(running) < concurrency and next_page < max_pages:
                request = client.list_page_fields(
                    next_page, page_size, status=1, country_code=country_code
                )
                task = asyncio.create_task(request)
                running[task] = next_page
                next_page += 1
            if limit is not None:
                for task, page in list(running.items()):
                    if page > limit:  # past the end of the listing, or after a failure: moot
                        task.cancel()
                        del running[task]
                        discarded.append(task)
            if not running:
                break
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                page = running.pop(task)
                error = task.exception()
                if error is not None:
                    errors[page] = error
                    continue
                result = pages[page] = _Page.of(task.result(), stamp)
                received += result.raw_count
                if result.raw_count < page_size:
                    end = page if end is None else min(end, page)
                if on_page is not None:
                    on_page(len(pages), received)
    finally:
        leftovers = [*running, *discarded]
        for task in leftovers:
            task.cancel()
        if leftovers:  # reap them: no "exception never retrieved" from a discarded page
            await asyncio.gather(*leftovers, return_exceptions=True)

    first_error = min(errors, default=None)
    if first_error is not None and (end is None or first_error < end):
        raise errors[first_error]
    if end is None:
        raise BadResponseError(f"The provider's listing did not end after {max_pages} pages.")
    listing = Listing(pages=end + 1)
    items = listing.items
    for number in range(end + 1):
        page_result = pages[number]
        listing.fetched += page_result.raw_count
        listing.skipped += page_result.skipped
        listing.total_hint = page_result.total_pages
        items.update(page_result.rows)  # a duplicate on a later page wins
    return listing


# --- the write (DB thread) ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counts:
    added: int
    updated: int
    removed: int


_FINGERPRINT = 16  # where listing_row puts it


def listing_row(d: dict[str, Any], stamp: str) -> tuple[Any, ...]:
    """A listing item as the _INSERT parameters: its columns, fingerprint, proxy_id, times."""
    get = d.get
    code = get("country_code")
    if code:
        code = code.strip().upper() or None
    zip_code = get("zip")
    if zip_code is not None and zip_code.__class__ is not str:
        zip_code = str(zip_code)
    kind = "mobile" if get("mobile") else "hosting" if get("hosting") else "residential"
    values = (
        get("proxy_ip"), get("country"), code, get("city"), get("region"), get("region_name"),
        zip_code, get("isp"), get("org"), get("as_name"), get("continent"), get("continent_code"),
        get("lat"), get("lon"), get("speed"), kind,
    )
    # marshal format 2 has no back-references, so equal values always give equal bytes.
    fingerprint = _blake2b(_marshal(values, 2), digest_size=10).hexdigest()
    return (*values, fingerprint, d["proxy_id"], stamp, stamp, stamp)


_blake2b, _marshal = hashlib.blake2b, marshal.dumps


@dataclass(frozen=True)
class _Page:
    """One listing page reduced to product rows as soon as it arrives (O(page) work: no stall),
    so the page's dicts are freed at once and 50,000 proxies stay well under the memory target."""

    rows: list[tuple[int, tuple[Any, ...]]]
    raw_count: int
    skipped: int
    total_pages: int | None

    @classmethod
    def of(cls, page: ListingFields, stamp: str | None) -> _Page:
        rows: list[tuple[int, tuple[Any, ...]]] = []
        offline = 0
        for item in page.items:
            # Asked for status=1: an item without a status is taken as the filter says (online);
            # an explicit other status is offline and not for sale.
            status = item.get("status")
            if status is not None and status != 1:
                offline += 1
                continue
            rows.append((item["proxy_id"], () if stamp is None else listing_row(item, stamp)))
        return cls(rows, page.raw_count, page.skipped + offline, page.total_pages)


def _write(
    run_id: int, scope: str | None, listing: Listing, stamp: str, requests: int,
    summary: Callable[[_Counts], str],
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
            inserts: list[tuple[Any, ...]] = []
            updates: list[tuple[Any, ...]] = []
            for proxy_id, row in listing.items.items():
                known = existing.pop(proxy_id, None)
                if known is None:
                    inserts.append(row)
                elif known[1] != row[_FINGERPRINT]:
                    updates.append((*row[:_FINGERPRINT + 1], stamp, stamp, known[0]))
            # What is left was not listed. A country sync only speaks for its own country.
            removed = [(row_id,) for row_id, _, code in existing.values() if scope in (None, code)]
            del existing
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
        requests_before = 0
        client: ProviderClient | None = None
        try:
            client = ctx.client()
            requests_before = client.requests_sent
            _notify(progress, 0, 0, "listing")
            listing = await fetch_listing(
                client,
                ctx.settings.sync_page_size,
                ctx.settings.sync_concurrency,
                country_code=scope,
                stamp=stamp,
                on_page=lambda pages, fetched: _notify(progress, pages, fetched, "listing"),
            )
        except BaseException as exc:
            used = client.requests_sent - requests_before if client is not None else 0
            await record_failure(ctx, run_id, "sync", exc, used)
            raise
        requests = client.requests_sent - requests_before
        log.debug("listing: %d pages, provider's total %s", listing.pages, listing.total_hint)
        _notify(progress, listing.pages, listing.fetched, "writing")

        where = f" {scope}" if scope else ""

        def summary(c: _Counts) -> str:
            return (
                f"Sync{where}: {len(listing.items)} online proxies listed on {listing.pages} "
                f"pages; {c.added} added, {c.updated} updated, {c.removed} removed, "
                f"{listing.skipped} skipped ({requests} requests)."
            )

        # The transaction records its own success; once started it is let finish even if this
        # task is cancelled, so the run record always tells the truth.
        write = asyncio.ensure_future(
            ctx.store.run(_write, run_id, scope, listing, stamp, requests, summary)
        )
        try:
            counts, finished = await asyncio.shield(write)
        except asyncio.CancelledError:
            if not write.done():
                await asyncio.wait([write])
            if write.done() and not write.cancelled() and write.exception() is not None:
                await record_failure(ctx, run_id, "sync", write.exception(), requests)
            raise
        except BaseException as exc:
            await record_failure(ctx, run_id, "sync", exc, requests)
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
        requests=requests,
        started_at=started,
        finished_at=finished,
    )
