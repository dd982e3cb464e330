"""The provider's online listing, paged concurrently and reduced to product rows as it arrives.

The rows go to a sink page by page, in page order (the sync stages them in SQL: services/staging.py),
so the listing is never held whole in memory (issue 9).

The rules (upstream-api.md): page until an empty or short page, never stop early by `total`;
de-duplicate by proxy_id (a later page wins); only a complete listing counts, and a listing whose
items end before the page count the provider announced (`total`) is not complete (issue 15: one
empty page mid-listing once emptied the inventory). Each item becomes the row the
sync would write, with a fingerprint of its listing fields, so unchanged rows are never written.
"""

from __future__ import annotations

import asyncio
import hashlib
import marshal
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.tables import SYNC_ROW_COLUMNS
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.schemas import ListingFields

MAX_PAGES = 100_000  # an endless listing (a provider bug) must not page forever
MAX_ITEMS = 5_000_000  # nor may a listing of oversized pages grow the sync without bound

#: A sync or cleanup that would remove more than this share of the inventory it covers fetches the
#: listing again and removes only what both listings lack (issue 15): a provider hiccup that drops
#: part of one listing must not empty the shop.
CONFIRM_REMOVAL_SHARE = 0.30


def needs_confirmation(removed: int, covered: int) -> bool:
    """Whether removing `removed` of the `covered` inventory rows is a large share."""
    return removed > 0 and removed > CONFIRM_REMOVAL_SHARE * covered


#: A page can be held back only until the pages before it are handed on; scheduling stops this
#: many pages ahead of the last one handed on, so a stuck page cannot make the others pile up.
AHEAD_PER_REQUEST = 2

Sink = Callable[[list[tuple[Any, ...]]], Awaitable[None]]
OnPage = Callable[[int, int, int | None], None]  # pages received, items received, announced pages


@dataclass
class Listing:
    """What a complete online listing came to: every page up to and including the first short
    one was handed to the sink, in page order."""

    pages: int = 0
    fetched: int = 0  # items as sent on those pages, duplicates and unusable ones included
    skipped: int = 0  # items without proxy_id, or listed with a status other than online
    total_hint: int | None = None  # the provider's latest `total` (a page count) up to the end


@dataclass
class _Pager:
    """The bookkeeping of one paging: which pages are in flight, held back, handed on."""

    concurrency: int
    max_pages: int
    running: dict[asyncio.Task[ListingFields], int] = field(default_factory=dict)
    discarded: list[asyncio.Task[ListingFields]] = field(default_factory=list)
    held: dict[int, _Page] = field(default_factory=dict)  # received, waiting for earlier pages
    errors: dict[int, BaseException] = field(default_factory=dict)
    end: int | None = None  # the first short (or empty) page
    next_page: int = 0
    handed: int = 0  # pages 0..handed-1 went to the sink
    received: int = 0
    last_raw: int = 0  # items on the last page handed on

    def limit(self) -> int | None:
        marks = [m for m in (self.end, min(self.errors, default=None)) if m is not None]
        return min(marks) if marks else None

    def may_schedule(self) -> bool:
        return (
            self.limit() is None and len(self.running) < self.concurrency
            and self.next_page < self.max_pages
            and self.next_page < self.handed + AHEAD_PER_REQUEST * self.concurrency
        )

    def pages_in(self, announced: int | None) -> int:
        """Pages received up to the end of the listing, for progress: the empty page that ends
        a listing of full pages is not shown as one more than the provider announced."""
        end = self.end
        pages = self.handed + sum(1 for page in self.held if end is None or page <= end)
        return pages if announced is None else min(pages, max(announced, self.handed))

    def drop_moot(self) -> None:
        limit = self.limit()
        if limit is None:
            return
        for task, page in list(self.running.items()):
            if page > limit:  # past the end of the listing, or after a failure: moot
                task.cancel()
                del self.running[task]
                self.discarded.append(task)

    async def reap(self) -> None:
        leftovers = [*self.running, *self.discarded]
        for task in leftovers:
            task.cancel()
        if leftovers:  # reap them: no "exception never retrieved" from a discarded page
            await asyncio.gather(*leftovers, return_exceptions=True)


async def fetch_listing(
    client: ProviderClient,
    page_size: int,
    concurrency: int,
    sink: Sink,
    *,
    country_code: str | None = None,
    stamp: str | None = None,
    on_page: OnPage | None = None,
    max_pages: int = MAX_PAGES,
    max_items: int = MAX_ITEMS,
) -> Listing:
    """Page through `/proxy?status=1` keeping `concurrency` requests in flight, handing each
    page's rows to `sink` in page order as soon as the pages before it were handed on (with a
    `stamp`, the stored time for first/last seen, rows are product rows; without, 1-tuples of ids).

    No page is scheduled once one came back short (pages after it are discarded) or failed; a
    failure matters only if it is before the first short page, and then it is raised: the caller
    must not act on a partial listing (what the sink got is then to be thrown away)."""
    pager = _Pager(concurrency, max_pages)
    listing = Listing()
    try:
        while True:
            while pager.may_schedule():
                request = client.list_page_fields(
                    pager.next_page, page_size, status=1, country_code=country_code
                )
                pager.running[asyncio.create_task(request)] = pager.next_page
                pager.next_page += 1
            pager.drop_moot()
            if not pager.running:
                break
            done, _ = await asyncio.wait(pager.running, return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=pager.running.__getitem__):
                _receive(pager, task, page_size, stamp, max_items)
                if on_page is not None and task.exception() is None:
                    on_page(pager.pages_in(listing.total_hint), pager.received, listing.total_hint)
            await _hand_on(pager, listing, sink)
    finally:
        await pager.reap()

    first_error = min(pager.errors, default=None)
    if first_error is not None and (pager.end is None or first_error < pager.end):
        raise pager.errors[first_error]
    if pager.end is None:
        raise BadResponseError(translate("errors", "The provider's listing did not end after {0} pages.").format(
            max_pages))
    _check_announced(listing.total_hint, pager.end, pager.last_raw)
    listing.pages = pager.end + 1
    return listing


def _receive(pager: _Pager, task: asyncio.Task[ListingFields], page_size: int, stamp: str | None,
             max_items: int) -> None:
    page = pager.running.pop(task)
    error = task.exception()
    if error is not None:
        pager.errors[page] = error
        return
    result = pager.held[page] = _Page.of(task.result(), stamp)
    pager.received += result.raw_count
    if pager.received > max_items:
        raise BadResponseError(
            translate("errors", "The provider's listing has more than {0} items; nothing was changed.").format(
                f"{max_items:,}")
        )
    if result.raw_count < page_size:
        pager.end = page if pager.end is None else min(pager.end, page)


async def _hand_on(pager: _Pager, listing: Listing, sink: Sink) -> None:
    """Pages that follow every page already handed on go to the sink, up to the end."""
    while pager.handed in pager.held and (pager.end is None or pager.handed <= pager.end):
        page = pager.held.pop(pager.handed)
        listing.fetched += page.raw_count
        listing.skipped += page.skipped
        if page.total_pages is not None:
            listing.total_hint = page.total_pages
        pager.last_raw = page.raw_count
        await sink(page.rows)
        pager.handed += 1


def _check_announced(announced: int | None, end: int, end_raw: int) -> None:
    """The listing ended at page `end` (with `end_raw` items); the latest page count the provider
    announced up to there must not be larger than the pages that carried items."""
    with_items = end + 1 if end_raw else end
    if announced is not None and with_items < announced:
        raise BadResponseError(
            translate("errors", "The provider's listing is incomplete: its items ended after {0} pages but "
                      "it announced {1} pages. Nothing was changed.").format(with_items, announced),
            translate("errors", "This is usually a passing fault at the provider; sync again in a few minutes."),
        )


FINGERPRINT = SYNC_ROW_COLUMNS.index("fingerprint")  # where listing_row puts it


def listing_row(d: dict[str, Any], stamp: str) -> tuple[Any, ...]:
    """A listing item as a row of SYNC_ROW_COLUMNS: its columns, fingerprint, proxy_id, times.
    Built positionally for speed (it runs for every listed proxy); tests/services/test_sync.py::
    test_one_column_list_ties_the_sync_rows_the_sql_and_the_inventory_rows checks the order."""
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
    """One listing page reduced to the rows to stage as soon as it arrives (O(page) work: no
    stall), so the page's dicts are freed at once."""

    rows: list[tuple[Any, ...]]
    raw_count: int
    skipped: int
    total_pages: int | None

    @classmethod
    def of(cls, page: ListingFields, stamp: str | None) -> _Page:
        rows: list[tuple[Any, ...]] = []
        offline = 0
        for item in page.items:
            # Asked for status=1: an item without a status is taken as the filter says (online);
            # an explicit other status is offline and not for sale.
            status = item.get("status")
            if status is not None and status != 1:
                offline += 1
                continue
            rows.append((item["proxy_id"],) if stamp is None else listing_row(item, stamp))
        return cls(rows, page.raw_count, page.skipped + offline, page.total_pages)
