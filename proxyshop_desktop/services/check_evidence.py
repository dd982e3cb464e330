"""Proxy checks kept as evidence: every check of an order is stored with who ran it, and written
to the audit trail next to that order's sale and refund. Call the functions on the DB thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from proxyshop_desktop.clock import iso
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.tables import ProxyCheck
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.proxy_check import OUTCOME_LABELS, CheckOutcome, ProxyCheckResult


@dataclass(frozen=True)
class StoredCheck:
    order_id: str
    checked_at: datetime
    outcome: CheckOutcome
    latency_ms: int | None
    exit_ip: str | None
    operator: str
    message: str

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def summary(self) -> str:
        """'unreachable', 'works (212 ms, exit 198.51.100.7)': the export's last_check cell."""
        details = ", ".join(
            part
            for part in (
                None if self.latency_ms is None else f"{self.latency_ms} ms",
                None if self.exit_ip is None else f"exit {self.exit_ip}",
            )
            if part
        )
        return f"{self.label} ({details})" if details else self.label

    def to_json(self) -> dict[str, Any]:
        return {
            "order_id": self.order_id,
            "checked_at": iso(self.checked_at),
            "outcome": self.outcome.value,
            "latency_ms": self.latency_ms,
            "exit_ip": self.exit_ip,
            "operator": self.operator,
            "message": self.message,
        }


def _view(row: ProxyCheck) -> StoredCheck:
    return StoredCheck(
        order_id=row.order_id,
        checked_at=row.checked_at,
        outcome=CheckOutcome(row.outcome),
        latency_ms=row.latency_ms,
        exit_ip=row.exit_ip,
        operator=row.operator,
        message=row.message,
    )


def record(result: ProxyCheckResult, operator: str, *, context: str = "") -> StoredCheck:
    """Store one check and its audit line, in one transaction. `context` says why it ran
    ("before a refund"); the message never holds a credential (the check's own never does)."""
    db = ProxyCheck._meta.database
    with db.atomic():
        row = ProxyCheck.create(
            order_id=result.order_id,
            checked_at=result.checked_at,
            outcome=result.outcome.value,
            latency_ms=result.latency_ms,
            exit_ip=result.exit_ip,
            operator=operator,
            message=result.message,
        )
        summary = _view(row).summary()  # the export's words: works / unreachable / … (English)
        said = (translate("audit", "Proxy check {0} by {1}: {2}. {3}").format(context, operator, summary, result.shown)
                if context else
                translate("audit", "Proxy check by {0}: {1}. {2}").format(operator, summary, result.shown))
        audit.record(
            "check",
            said,
            ok=result.works,
            order_id=result.order_id,
            at=result.checked_at,
        )
    return _view(row)


def checks_of(order_id: str, limit: int = 50) -> list[StoredCheck]:
    """An order's checks, newest first."""
    query = (
        ProxyCheck.select()
        .where(ProxyCheck.order_id == order_id)
        .order_by(ProxyCheck.checked_at.desc(), ProxyCheck.id.desc())
        .limit(limit)
    )
    return [_view(row) for row in query]


def last_checks(order_ids: Sequence[str]) -> dict[str, StoredCheck]:
    """The newest check of each of these orders that has one."""
    found: dict[str, StoredCheck] = {}
    ids = list(dict.fromkeys(order_ids))
    for start in range(0, len(ids), 500):  # under SQLite's variable limit
        chunk = ids[start : start + 500]
        query = (
            ProxyCheck.select()
            .where(ProxyCheck.order_id.in_(chunk))
            .order_by(ProxyCheck.checked_at, ProxyCheck.id)
        )
        for row in query:
            found[row.order_id] = _view(row)  # ascending: the last one written wins
    return found
