"""Typed results of the inventory's runs (sync, cleanup, their history) and the audit trail's rows,
with their JSON forms. Times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from proxyshop_desktop.clock import iso
from proxyshop_desktop.i18n import Text, translate


@dataclass(frozen=True)
class SyncProgress:
    pages: int
    fetched: int
    phase: str  # "listing" | "confirming" | "writing" | "reconciling"
    expected: int | None = None  # pages the provider announced (its `total`), when it did


@dataclass(frozen=True)
class SyncResult:
    run_id: int
    total_fetched: int
    total_available_external: int | None
    added: int
    updated: int
    removed: int
    skipped: int
    pages: int
    requests: int
    started_at: datetime
    finished_at: datetime
    #: the listing would have removed a large share of the inventory, so it was fetched again and
    #: only proxies missing from both listings were removed (issue 15)
    removal_confirmed: bool = False

    @property
    def removal_note(self) -> str:
        """What the CLI and the window say about a confirmed large removal ('' when none)."""
        return str(self.removal_note_text or "")

    @property
    def removal_note_text(self) -> Text | None:
        """removal_note, translatable (None when there is none)."""
        if not self.removal_confirmed:
            return None
        return translate(
            "sync", "The listing would have removed a large share of the inventory, so it was fetched "
            "again: only proxies missing from both listings were removed."
        )

    @property
    def seconds(self) -> float:
        return (self.finished_at - self.started_at).total_seconds()

    def to_json(self) -> dict[str, Any]:
        return {
            "total_fetched": self.total_fetched,
            "total_available_external": self.total_available_external,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "skipped": self.skipped,
            "removal_confirmed": self.removal_confirmed,
            "sync_time": iso(self.finished_at),
        }


@dataclass(frozen=True)
class CleanupResult:
    removed_count: int
    checked: int
    requests: int
    message: str

    def to_json(self) -> dict[str, Any]:
        return {"status": "success", "removed_count": self.removed_count, "message": self.message}


@dataclass(frozen=True)
class SyncRunView:
    run_id: int
    kind: str
    scope: str | None
    trigger: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    pages: int
    fetched: int
    added: int
    updated: int
    removed: int
    skipped: int
    error: str | None

    @property
    def seconds(self) -> float | None:
        return None if self.finished_at is None else (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True)
class AuditView:
    at: datetime
    kind: str
    ok: bool
    order_id: str | None
    proxy_id: int | None
    amount: Decimal | None
    message: str
    operator: str | None = None  # who did it (None: before schema v7)
    id: int | None = None  # the event's row id: the Activity log's paging cursor
    text: Text | None = None  # `message` with its id, to translate (None: a row from before v10)

    @property
    def shown(self) -> Text | str:
        """What a reader shows: the translatable message, else the stored English text."""
        return self.message if self.text is None else self.text
