"""The audit trail: one row per money action and per sync/cleanup. Call on the DB thread.

The Activity log reads it a page at a time (`page`), newest first, keyset-paged on the row id:
a page costs the same at any depth of a long history, and events recorded while the operator
scrolls never shift the pages below (they have higher ids, so they only appear on a refresh).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from proxyshop_desktop import i18n
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.i18n import Text
from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.money import from_cents, to_cents
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services.run_results import AuditView

KINDS = (
    "sale", "sale_failed", "sale_pending", "refund", "refund_refused", "sync", "cleanup",
    "reconcile", "recovered", "settled", "voided", "backup", "restore", "settings", "check",
)


def record(
    kind: str,
    message: Text | str,
    *,
    at: datetime | None = None,
    ok: bool = True,
    order_id: str | None = None,
    proxy_id: int | None = None,
    credentials_id: int | None = None,
    amount: Decimal | None = None,
) -> None:
    """Never pass credentials or the token in `message`. A Text is kept with its id and args, so
    that the Activity log shows it in the reader's language; `message` holds its English text.
    `at` is the caller's "now" (a service passes its `ctx.clock()`, so that a test's clock stamps
    the row); None reads the real clock."""
    text = message if isinstance(message, Text) else None
    AuditEvent.create(
        at=utcnow() if at is None else at,
        kind=kind,
        ok=ok,
        order_id=order_id,
        proxy_id=proxy_id,
        credentials_id=credentials_id,
        amount_cents=None if amount is None else to_cents(amount),
        message=str(message),
        message_context=None if text is None else text.context,
        message_key=None if text is None else text.template,
        message_args=None if text is None else i18n.stored_args(text),
        operator=current_operator(),
    )


@dataclass(frozen=True)
class AuditFilter:
    kind: str | None = None
    failures_only: bool = False
    text: str | None = None  # a substring of the message or the order id
    operator: str | None = None  # exactly this operator (a shared database)


@dataclass(frozen=True)
class AuditPage:
    events: list[AuditView]  # newest first
    total: int  # every event matching the filter

    @property
    def oldest_id(self) -> int | None:
        """The cursor for the next (older) page; None when the page is empty."""
        return self.events[-1].id if self.events else None


def _filtered(query: Any, f: AuditFilter) -> Any:
    if f.kind:
        query = query.where(AuditEvent.kind == f.kind)
    if f.failures_only:
        query = query.where(AuditEvent.ok == False)  # noqa: E712 (peewee expression)
    if f.text:
        query = query.where(AuditEvent.message.contains(f.text) | AuditEvent.order_id.contains(f.text))
    if f.operator:
        query = query.where(AuditEvent.operator == f.operator)
    return query


def _text(e: AuditEvent) -> Text | None:
    """The stored message id and args; None for a row written before v10 (its English text)."""
    if e.message_key is None:
        return None
    return i18n.from_stored(e.message_context or "", e.message_key, e.message_args)


def _view(e: AuditEvent) -> AuditView:
    return AuditView(
        at=e.at, kind=e.kind, ok=e.ok, order_id=e.order_id, proxy_id=e.proxy_id,
        amount=None if e.amount_cents is None else from_cents(e.amount_cents), message=e.message,
        id=e.id, operator=e.operator, text=_text(e),
    )


def page(f: AuditFilter, *, before: int | None = None, down_to: int | None = None,
         limit: int = 200) -> AuditPage:
    """Up to `limit` matching events older than id `before` (None: from the newest), newest
    first; with `down_to`, every match from the newest down to that id instead (a refresh that
    keeps what the view has loaded, plus what arrived since), still at most `limit`."""
    if limit < 1:
        raise ValueError(f"a page of {limit} events")
    query = _filtered(AuditEvent.select(), f).order_by(AuditEvent.id.desc()).limit(limit)
    if before is not None:
        query = query.where(AuditEvent.id < before)
    if down_to is not None:
        query = query.where(AuditEvent.id >= down_to)
    total = _filtered(AuditEvent.select(), f).count()
    return AuditPage([_view(e) for e in query], total)


def recent(
    limit: int = 500, kind: str | None = None, failures_only: bool = False, text: str | None = None,
    operator: str | None = None,
) -> list[AuditView]:
    """The newest `limit` matching events (a first page without its count)."""
    query = _filtered(AuditEvent.select(), AuditFilter(kind, failures_only, text, operator))
    query = query.order_by(AuditEvent.id.desc()).limit(limit)
    return [_view(e) for e in query]
