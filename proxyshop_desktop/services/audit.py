"""The audit trail: one row per money action and per sync/cleanup. Call on the DB thread."""

from __future__ import annotations

from decimal import Decimal

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.money import from_cents, to_cents
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services.results import AuditView

KINDS = (
    "sale", "sale_failed", "sale_pending", "refund", "refund_refused", "sync", "cleanup",
    "reconcile", "recovered", "settled", "voided", "backup", "restore", "settings", "check",
)


def record(
    kind: str,
    message: str,
    *,
    ok: bool = True,
    order_id: str | None = None,
    proxy_id: int | None = None,
    credentials_id: int | None = None,
    amount: Decimal | None = None,
) -> None:
    """Never pass credentials or the token in `message`."""
    AuditEvent.create(
        at=utcnow(),
        kind=kind,
        ok=ok,
        order_id=order_id,
        proxy_id=proxy_id,
        credentials_id=credentials_id,
        amount_cents=None if amount is None else to_cents(amount),
        message=message,
        operator=current_operator(),
    )


def recent(
    limit: int = 500, kind: str | None = None, failures_only: bool = False, text: str | None = None,
    operator: str | None = None,
) -> list[AuditView]:
    query = AuditEvent.select().order_by(AuditEvent.id.desc()).limit(limit)
    if operator:
        query = query.where(AuditEvent.operator == operator)
    if kind:
        query = query.where(AuditEvent.kind == kind)
    if failures_only:
        query = query.where(AuditEvent.ok == False)  # noqa: E712 (peewee expression)
    if text:
        query = query.where(AuditEvent.message.contains(text) | AuditEvent.order_id.contains(text))
    return [
        AuditView(
            at=e.at, kind=e.kind, ok=e.ok, order_id=e.order_id, proxy_id=e.proxy_id,
            amount=None if e.amount_cents is None else from_cents(e.amount_cents), message=e.message,
            operator=e.operator,
        )
        for e in query
    ]
