"""The audit trail a page at a time (audit.page): keyset on the event id, newest first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.audit import AuditFilter

ON_BOTH_ENGINES = True


def _record(store: Any, n: int, kind: str = "sale", ok: bool = True, prefix: str = "event") -> None:
    def write() -> None:
        for i in range(n):
            audit.record(kind, f"{prefix} {i}", ok=ok, order_id=f"ORD-{prefix}-{i}")
    store.run_blocking(write)


def _page(store: Any, f: AuditFilter = AuditFilter(), **kw: Any) -> audit.AuditPage:  # noqa: B008
    return store.run_blocking(audit.page, f, **kw)


def test_pages_walk_the_whole_history_newest_first_without_gaps(store: Any) -> None:
    _record(store, 25)
    first = _page(store, limit=10)
    assert first.total == 25 and [e.message for e in first.events[:2]] == ["event 24", "event 23"]
    seen = list(first.events)
    cursor = first.oldest_id
    while True:
        page = _page(store, before=cursor, limit=10)
        if not page.events:
            break
        seen += page.events
        cursor = page.oldest_id
    assert [e.message for e in seen] == [f"event {i}" for i in range(24, -1, -1)]
    assert len(seen) == 25  # the last page held the remaining 5, then an empty page ends it
    assert _page(store, before=cursor, limit=10).oldest_id is None


def test_an_event_recorded_while_paging_does_not_shift_the_older_pages(store: Any) -> None:
    _record(store, 20)
    first = _page(store, limit=10)
    _record(store, 3, prefix="new")  # a sale while the operator scrolls
    second = _page(store, before=first.oldest_id, limit=10)
    assert [e.message for e in second.events] == [f"event {i}" for i in range(9, -1, -1)]
    assert second.total == 23
    # a refresh down to the oldest loaded event: the new ones on top, then exactly what was loaded
    refreshed = _page(store, down_to=second.oldest_id, limit=1000)
    assert [e.message for e in refreshed.events[:3]] == ["new 2", "new 1", "new 0"]
    assert [e.id for e in refreshed.events[3:]] == [e.id for e in first.events + second.events]


def test_filters_page_and_count_only_their_events(store: Any) -> None:
    _record(store, 7, kind="sale")
    _record(store, 4, kind="refund_refused", ok=False, prefix="refused")
    failures = _page(store, AuditFilter(failures_only=True), limit=3)
    assert failures.total == 4 and all(not e.ok for e in failures.events)
    rest = _page(store, AuditFilter(failures_only=True), before=failures.oldest_id, limit=3)
    assert [e.message for e in rest.events] == ["refused 0"]
    by_text = _page(store, AuditFilter(kind="sale", text="ORD-event-3"), limit=10)
    assert by_text.total == 1 and by_text.events[0].message == "event 3"


def test_a_filter_matching_nothing_gives_an_empty_page(store: Any) -> None:
    _record(store, 5)
    empty = _page(store, AuditFilter(kind="restore"), limit=10)
    assert empty.events == [] and empty.total == 0 and empty.oldest_id is None


def test_an_empty_page_size_is_refused(store: Any) -> None:
    with pytest.raises(ValueError, match="page of 0"):
        _page(store, limit=0)


def test_an_event_is_stamped_with_the_callers_time_else_now(store: Any) -> None:
    then = datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)
    store.run_blocking(lambda: audit.record("sync", "at the caller's time", at=then))
    store.run_blocking(lambda: audit.record("sync", "now"))
    latest, stamped = _page(store).events
    assert stamped.message == "at the caller's time" and stamped.at == then
    assert abs(latest.at - utcnow()) < timedelta(minutes=1)
