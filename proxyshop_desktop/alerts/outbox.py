"""The alert outbox: alerts wait here until Telegram has them, so none is lost while it is
unreachable and each is sent once, in the order raised.

Every function runs on the DB thread. An alert has a `dedupe_key` naming the event (a sync
outage, an order, an hour of balance refusals): raising the same event again does not queue a
second message but counts a repeat on the one not yet sent, and is ignored once that one was sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import peewee

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.models.database import tuple_rows
from proxyshop_desktop.models.engine import exclusive
from proxyshop_desktop.models.fields import UtcDateTimeField
from proxyshop_desktop.models.tables import database_proxy

QUEUED, SENT, DROPPED = "queued", "sent", "dropped"
#: delivered or dropped alerts are kept this long (their keys stop repeats), then pruned
KEEP_DAYS = 60

class AlertOutbox(peewee.Model):
    """The table is created by the migration `_v6_alert_outbox` (models/migrations.py), not from here."""

    id = peewee.AutoField()
    kind = peewee.TextField()
    dedupe_key = peewee.TextField(unique=True)
    body = peewee.TextField()  # Telegram HTML, escaped when raised
    created_at = UtcDateTimeField()
    repeats = peewee.IntegerField(default=0)
    state = peewee.TextField(default=QUEUED)
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = UtcDateTimeField(null=True)
    sent_at = UtcDateTimeField(null=True)
    last_error = peewee.TextField(null=True)

    class Meta:
        database = database_proxy
        table_name = "alert_outbox"


def raise_alert(kind: str, key: str, body: str, at: datetime | None = None) -> bool:
    """Queue an alert; False when the event was already raised (a repeat is counted instead)."""
    at = at or utcnow()
    with database_proxy.atomic():  # IMMEDIATE: the look-up and the insert cannot interleave
        exclusive(database_proxy, "alert_outbox")  # nor on another machine (PostgreSQL)
        updated = (
            AlertOutbox.update(repeats=AlertOutbox.repeats + 1)
            .where((AlertOutbox.dedupe_key == key) & (AlertOutbox.state == QUEUED))
            .execute()
        )
        if updated or was_raised(key):
            return False
        AlertOutbox.insert(kind=kind, dedupe_key=key, body=body, created_at=at).execute()
        return True


def was_raised(key: str) -> bool:
    return AlertOutbox.select().where(AlertOutbox.dedupe_key == key).exists()


def due(now: datetime, limit: int = 20) -> list[AlertOutbox]:
    """The oldest queued alerts, in order; none when the head of the queue must still wait."""
    rows = list(
        AlertOutbox.select()
        .where(AlertOutbox.state == QUEUED)
        .order_by(AlertOutbox.id)
        .limit(limit)
    )
    if rows and rows[0].next_attempt_at is not None and rows[0].next_attempt_at > now:
        return []  # in order: nothing overtakes the head while it waits (429, outage)
    return rows


def mark_sent(alert_id: int, at: datetime) -> None:
    with database_proxy.atomic():
        AlertOutbox.update(state=SENT, sent_at=at, last_error=None).where(
            AlertOutbox.id == alert_id
        ).execute()


def postpone(alert_id: int, until: datetime, error: str) -> None:
    with database_proxy.atomic():
        AlertOutbox.update(
            attempts=AlertOutbox.attempts + 1, next_attempt_at=until, last_error=error
        ).where(AlertOutbox.id == alert_id).execute()


def drop(alert_id: int, error: str) -> None:
    """Telegram refused this very message (not the bot or chat): keep it, but stop sending it."""
    with database_proxy.atomic():
        AlertOutbox.update(
            state=DROPPED, attempts=AlertOutbox.attempts + 1, last_error=error
        ).where(AlertOutbox.id == alert_id).execute()


@dataclass(frozen=True)
class OutboxStatus:
    queued: int
    sent: int
    dropped: int
    last_sent_at: datetime | None
    last_error: str | None  # of the alert at the head of the queue

    def to_json(self) -> dict[str, object]:
        return {
            "queued": self.queued,
            "sent": self.sent,
            "dropped": self.dropped,
            "last_sent_at": None if self.last_sent_at is None else self.last_sent_at.isoformat(),
            "last_error": self.last_error,
        }


def status() -> OutboxStatus:
    counts: dict[str, int] = dict(
        tuple_rows(AlertOutbox.select(AlertOutbox.state, peewee.fn.COUNT(AlertOutbox.id)).group_by(AlertOutbox.state))
    )
    last = AlertOutbox.select(peewee.fn.MAX(AlertOutbox.sent_at)).scalar()
    head = (
        AlertOutbox.select(AlertOutbox.last_error)
        .where(AlertOutbox.state == QUEUED)
        .order_by(AlertOutbox.id)
        .first()
    )
    return OutboxStatus(
        queued=counts.get(QUEUED, 0),
        sent=counts.get(SENT, 0),
        dropped=counts.get(DROPPED, 0),
        last_sent_at=last,
        last_error=head.last_error if head else None,
    )


def prune(now: datetime) -> int:
    cutoff = now - timedelta(days=KEEP_DAYS)
    with database_proxy.atomic():
        deleted: int = (
            AlertOutbox.delete()
            .where((AlertOutbox.state != QUEUED) & (AlertOutbox.created_at < cutoff))
            .execute()
        )
        return deleted
