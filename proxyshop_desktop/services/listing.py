"""The provider's online listing, paged concurrently and reduced to product rows as it arrives.

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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from proxyshop_desktop.errors import BadResponseError
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


@dataclass
class Listing:
    """A complete online listing: every page up to and including the first short one."""

    #: unique online proxies: proxy_id -> its product row (`listing_row`; empty when fetched for ids only)
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
    max_items: int = MAX_ITEMS,
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
                if received > max_items:
                    raise BadResponseError(
                        f"The provider's listing has more than {max_items:,} items; nothing was changed."
                    )
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
    _check_announced(pages, end)
    listing = Listing(pages=end + 1)
    items = listing.items
    for number in range(end + 1):
        page_result = pages[number]
        listing.fetched += page_result.raw_count
        listing.skipped += page_result.skipped
        listing.total_hint = page_result.total_pages
        items.update(page_result.rows)  # a duplicate on a later page wins
    return listing


def _check_announced(pages: dict[int, _Page], end: int) -> None:
    """The listing ended at page `end`; the latest page count the provider announced up to there
    must not be larger than the pages that carried items (the ending page's own `total` first)."""
    announced = next(
        (pages[n].total_pages for n in range(end, -1, -1) if pages[n].total_pages is not None), None
    )
    with_items = end + 1 if pages[end].raw_count else end
    if announced is not None and with_items < announced:
        raise BadResponseError(
            f"The provider's listing is incomplete: its items ended after {with_items} pages but "
            f"it announced {announced} pages. Nothing was changed.",
            "This is usually a passing fault at the provider; sync again in a few minutes.",
        )


FINGERPRINT = SYNC_ROW_COLUMNS.index("fingerprint")  # where listing_row puts it


def listing_row(d: dict[str, Any], stamp: str) -> tuple[Any, ...]:
    """A listing item as a row of SYNC_ROW_COLUMNS: its columns, fingerprint, proxy_id, times.
    Built positionally for speed (50,000 items per second matter); test_listing_row_matches
    checks the order against LISTING_COLUMNS."""
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
