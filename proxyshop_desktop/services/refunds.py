"""Refunds under the shop's rules; the local order changes only after the provider accepted.

Order of checks: local rules first (no provider call when one already refuses), then the
provider's check-refundable, then — inside an IMMEDIATE transaction that re-checks everything —
an in-progress marker on the order, then exactly one provider refund. The marker stops a second
window, a second process or a double click from refunding the same purchase while the first
refund is in flight; a marker left by a killed process expires after the longest possible call.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import peewee

from proxyshop_desktop.clock import iso, utcnow
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import (
    NotRefundableError,
    OutcomeUnknownError,
    ProviderError,
    RefundRefusedError,
    ShopError,
    StorageError,
)
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.money import format_money, from_cents
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import KEPT_STATUSES, load_order
from proxyshop_desktop.services.results import RefundCheckResult, RefundResult
from proxyshop_desktop.services.sales import certainly_not_done
from proxyshop_desktop.upstream.schemas import RefundCheck

log = logging.getLogger(__name__)

#: the clock of the money services; tests replace it
now: Callable[[], datetime] = utcnow

_MARK = re.compile(r"^\[refund in progress since (?P<at>[^\]]+)\] ?")

Refusal = tuple[str, str]  # (message, hint)


# --- the in-progress marker (kept in Order.note, ahead of any earlier note) ----------------------


def mark_in_progress(note: str, at: datetime) -> str:
    return f"[refund in progress since {iso(at)}] {without_mark(note)}".rstrip()


def without_mark(note: str) -> str:
    return _MARK.sub("", note or "", count=1)


def _mark_time(note: str) -> datetime | None:
    match = _MARK.match(note or "")
    if match is None:
        return None
    try:
        return datetime.fromisoformat(match.group("at"))
    except ValueError:
        return None


def _mark_lifetime(settings: Settings) -> timedelta:
    """Longer than any refund call can last: after that, the process that set it is gone."""
    return timedelta(seconds=settings.api_timeout * 2 + 60)


# --- the shop's rules ----------------------------------------------------------------------------


def local_refusal(order: Order, at: datetime, settings: Settings) -> Refusal | None:
    """Why the shop's own rules refuse this refund, or None."""
    oid = order.order_id
    if order.status == "refunded":
        when = f" on {order.refunded_at:%Y-%m-%d %H:%M} UTC" if order.refunded_at else ""
        return f"Order {oid} was already refunded{when}.", "Nothing to do: it was refunded once."
    if order.status == "pending":
        return (
            f"The sale of order {oid} is not settled yet.",
            "Run `proxyshop-desktop reconcile` (or Reconcile in the Sales tab), then try again.",
        )
    if order.status == "void":
        return f"Order {oid} is void: no sale happened, so there is nothing to refund.", ""
    if order.status not in KEPT_STATUSES:
        return f"Order {oid} is {order.status}; only sold orders can be refunded.", ""
    if order.credentials_id is None or order.purchased_at is None:
        return (
            f"Order {oid} has no provider purchase on record.",
            "Run `proxyshop-desktop reconcile` to complete it from the provider's records.",
        )
    window = settings.refund_window_minutes
    ends = order.purchased_at + timedelta(minutes=window)
    if at >= ends:
        return (
            f"The refund window of {window} minutes ended at {ends:%H:%M} UTC ({ends:%Y-%m-%d}).",
            f"Refunds are possible within {window} minutes of the sale.",
        )
    started = _mark_time(order.note)
    if started is not None and at - started < _mark_lifetime(settings):
        return (
            f"A refund of order {oid} is already in progress (started {started:%H:%M:%S} UTC).",
            "Wait for it to finish, then look at the order again.",
        )
    return None


def _provider_words(check: RefundCheck) -> str:
    if check.refundable:
        return f"The provider says: {check.message}" if check.message else "The provider says it can be refunded."
    return f"The provider says: {check.message or 'not refundable'}"


# --- database steps (DB thread) -------------------------------------------------------------------


def _audit_refusal(db: peewee.Database, order: Order, message: str) -> None:
    with db.atomic():
        audit.record(
            "refund_refused", message, ok=False, order_id=order.order_id,
            proxy_id=order.proxy_id, credentials_id=order.credentials_id,
        )


def _begin(db: peewee.Database, order_id: str, at: datetime, settings: Settings) -> Refusal | None:
    """Re-check every rule under the write lock and mark the refund in progress."""
    with db.atomic():
        order = load_order(order_id)
        refusal = local_refusal(order, at, settings)
        if refusal is not None:
            audit.record("refund_refused", refusal[0], ok=False, order_id=order.order_id, proxy_id=order.proxy_id)
            return refusal
        order.note = mark_in_progress(order.note, at)
        order.save()
    return None


def _abandon(db: peewee.Database, order_id: str, kind: str, message: str) -> None:
    """The provider did not refund (or we cannot know): drop the marker, record why."""
    with db.atomic():
        order = load_order(order_id)
        order.note = without_mark(order.note)
        order.save()
        audit.record(kind, message, ok=False, order_id=order.order_id, proxy_id=order.proxy_id,
                     credentials_id=order.credentials_id)


def _finish(db: peewee.Database, order_id: str, at: datetime) -> Order:
    with db.atomic():
        order = load_order(order_id)
        if order.status == "refunded":
            return order  # recorded already; never count a refund twice
        order.status = "refunded"
        order.refunded_at = at
        order.refund_cents = order.price_cents  # the customer gets the retail price back
        order.note = without_mark(order.note)
        order.save()
        audit.record(
            "refund", f"Refunded purchase {order.credentials_id}.", order_id=order.order_id,
            proxy_id=order.proxy_id, credentials_id=order.credentials_id, amount=from_cents(order.refund_cents),
        )
    return order


async def _abandon_safely(ctx: ShopContext, order_id: str, kind: str, message: str) -> None:
    """The provider's answer is what the operator must see, even if this local write fails (the
    marker then simply expires)."""
    try:
        await ctx.store.run(_abandon, ctx.store.db, order_id, kind, message)
    except Exception:
        log.exception("could not clear the refund marker of %s", order_id)


# --- operations ------------------------------------------------------------------------------------


async def check_refund(ctx: ShopContext, order_id: str) -> RefundCheckResult:
    """Would a refund be allowed now? Asks the provider only when the shop's rules allow it."""
    order = await ctx.store.run(load_order, order_id)
    refusal = local_refusal(order, now(), ctx.settings)
    if refusal is not None:
        return RefundCheckResult(order.order_id, False, refusal[0], provider_checked=False)
    assert order.credentials_id is not None  # local_refusal guarantees it
    check = await ctx.client().check_refundable(order.credentials_id)
    return RefundCheckResult(order.order_id, check.refundable, _provider_words(check), provider_checked=True)


async def refund(ctx: ShopContext, order_id: str) -> RefundResult:
    client = ctx.client()
    db = ctx.store.db
    order = await ctx.store.run(load_order, order_id)
    oid = order.order_id
    refusal = local_refusal(order, now(), ctx.settings)
    if refusal is not None:
        await ctx.store.run(_audit_refusal, db, order, refusal[0])
        raise RefundRefusedError(*refusal)
    assert order.credentials_id is not None  # local_refusal guarantees it
    check = await client.check_refundable(order.credentials_id)
    if not check.refundable:
        words = _provider_words(check)
        await ctx.store.run(_audit_refusal, db, order, words)
        raise NotRefundableError(words)

    refusal = await ctx.store.run(_begin, db, oid, now(), ctx.settings)
    if refusal is not None:
        raise RefundRefusedError(*refusal)
    try:
        await client.refund(order.credentials_id)  # once; the client never retries it
    except ProviderError as error:
        if isinstance(error, NotRefundableError):
            await _abandon_safely(ctx, oid, "refund_refused", error.message)
            raise
        if certainly_not_done(error):
            await _abandon_safely(ctx, oid, "refund", f"Refund not done: {error.message}")
            raise
        await _abandon_safely(ctx, oid, "refund", f"Refund outcome unknown: {error.message}")
        raise OutcomeUnknownError(
            f"{error.message} The refund of {oid} may or may not have happened at the provider.",
            "Nothing was changed locally. Try the refund again: if the first one went through, the "
            "provider refuses the second as not refundable — then check the order with the provider.",
        ) from error
    try:
        done = await ctx.store.run(_finish, db, oid, now())
    except Exception as exc:
        detail = exc.message if isinstance(exc, ShopError) else str(exc)
        raise StorageError(
            f"The provider refunded {oid} (purchase {order.credentials_id}) but it could not be "
            f"recorded: {detail}",
            "Do not refund it again; fix the problem (disk space, permissions) and note the refund.",
        ) from exc
    amount = from_cents(done.refund_cents if done.refund_cents is not None else done.price_cents)
    return RefundResult(order_id=oid, refund_amount=amount, message=f"Refunded {oid} ({format_money(amount)}).")
