"""Refunds under the shop's rules; the local order changes only after the provider accepted.

Order of checks: a refund of this order whose answer was lost is settled first (see
`refund_outcome`); then local rules (no provider call when one already refuses), then the
provider's check-refundable, then — inside an IMMEDIATE transaction that re-checks everything —
an in-progress mark on the order, then exactly one provider refund. The mark stops a second
window, a second process or a double click from refunding the same purchase while the first
refund is in flight; it stays on the order (as "unanswered") when the answer is lost, so that
the refund the provider may have made is found and recorded later instead of being forgotten.
"""

from __future__ import annotations

import logging
from datetime import datetime
from decimal import Decimal

import peewee

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import (
    NotRefundableError,
    OutcomeUnknownError,
    ProviderError,
    RefundRefusedError,
    ShopError,
    StorageError,
)
from proxyshop_desktop.i18n import Text, joined, plain, translate
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.money import format_money, from_cents
from proxyshop_desktop.services import audit
from proxyshop_desktop.services import refund_outcome as outcome
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import load_order, refund_window_end
from proxyshop_desktop.services.results import RefundCheckResult, RefundResult
from proxyshop_desktop.services.sales import certainly_not_done
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.schemas import RefundCheck
from proxyshop_desktop.vocabulary import REFUNDABLE, OrderStatus

log = logging.getLogger(__name__)

Refusal = tuple[Text, Text]  # (message, hint)


# --- the shop's rules ----------------------------------------------------------------------------


def local_refusal(order: Order, at: datetime, settings: Settings) -> Refusal | None:
    """Why the shop's own rules refuse this refund, or None."""
    oid = order.order_id
    if order.status == OrderStatus.REFUNDED:
        done = (translate("errors", "Order {0} was already refunded on {1} UTC.").format(
            oid, f"{order.refunded_at:%Y-%m-%d %H:%M}") if order.refunded_at
            else translate("errors", "Order {0} was already refunded.").format(oid))
        return done, translate("errors", "Nothing to do: it was refunded once.")
    if order.status == OrderStatus.PENDING:
        return (
            translate("errors", "The sale of order {0} is not settled yet.").format(oid),
            translate("errors", "Run `proxyshop-desktop reconcile` (or Reconcile in the Sales tab), then try again."),
        )
    if order.status == OrderStatus.VOID:
        return translate("errors", "Order {0} is void: no sale happened, so there is nothing to refund.").format(
            oid), plain("")
    if order.status not in REFUNDABLE:
        return translate("errors", "Order {0} is {1}; only sold orders can be refunded.").format(
            oid, order.status), plain("")
    if order.credentials_id is None or order.purchased_at is None:
        return (
            translate("errors", "Order {0} has no provider purchase on record.").format(oid),
            translate("errors", "Run `proxyshop-desktop reconcile` to complete it from the provider's records."),
        )
    window = settings.refund_window_minutes
    ends = refund_window_end(order.purchased_at, settings)
    if ends is not None and at >= ends:
        return (
            translate("errors", "The refund window of {0} minutes ended at {1} UTC ({2}).").format(
                window, f"{ends:%H:%M}", f"{ends:%Y-%m-%d}"),
            translate("errors", "Refunds are possible within {0} minutes of the sale.").format(window),
        )
    started = outcome.live_since(order, at, settings)
    if started is not None:
        return (
            translate("errors", "A refund of order {0} is already in progress (started {1} UTC).").format(
                oid, f"{started:%H:%M:%S}"),
            translate("errors", "Wait for it to finish, then look at the order again."),
        )
    return None


def _result(order_id: str, amount: Decimal, text: Text) -> RefundResult:
    return RefundResult(order_id, amount, str(text), text)


def _provider_words(check: RefundCheck) -> Text:
    if check.refundable and not check.message:
        return translate("errors", "The provider says it can be refunded.")
    if check.message:
        return translate("errors", "The provider says: {0}").format(check.message)
    return translate("errors", "The provider says: not refundable")


# --- database steps (DB thread) -------------------------------------------------------------------


def _audit_refusal(db: peewee.Database, order: Order, message: Text, at: datetime) -> None:
    with db.atomic():
        audit.record(
            "refund_refused", message, ok=False, order_id=order.order_id,
            proxy_id=order.proxy_id, credentials_id=order.credentials_id, at=at,
        )


def _begin(
    db: peewee.Database, order_id: str, at: datetime, settings: Settings
) -> tuple[Refusal | None, datetime | None]:
    """Re-check every rule under the write lock and mark the refund in progress. Also returns
    the time of an earlier unanswered refund of this order, whose evidence must outlive this one."""
    with db.atomic():
        order = load_order(order_id)
        refusal = local_refusal(order, at, settings)
        if refusal is not None:
            audit.record("refund_refused", refusal[0], ok=False, order_id=order.order_id, proxy_id=order.proxy_id,
                         at=at)
            return refusal, None
        earlier = outcome.read_mark(order)
        outcome.set_mark(order, outcome.IN_PROGRESS, at)
        order.save()
    return None, None if earlier is None else earlier.at


def _abandon(
    db: peewee.Database, order_id: str, kind: str, message: Text, unanswered_since: datetime | None,
    at: datetime,
) -> None:
    """The provider did not refund this request (or we cannot know): replace the in-progress
    mark by the evidence that is left — an unanswered request at `unanswered_since`, or none."""
    with db.atomic():
        order = load_order(order_id)
        if unanswered_since is None:
            outcome.clear_mark(order)
        else:
            outcome.set_mark(order, outcome.UNANSWERED, unanswered_since)
        order.save()
        audit.record(kind, message, ok=False, order_id=order.order_id, proxy_id=order.proxy_id,
                     credentials_id=order.credentials_id, at=at)


def _finish(db: peewee.Database, order_id: str, at: datetime) -> Order:
    with db.atomic():
        order = load_order(order_id)
        if order.status == OrderStatus.REFUNDED:
            return order  # recorded already; never count a refund twice
        outcome.set_refunded(order, at)
        order.save()
        audit.record(
            "refund", translate("audit", "Refunded purchase {0}.").format(order.credentials_id),
            order_id=order.order_id, proxy_id=order.proxy_id, credentials_id=order.credentials_id,
            amount=order.refund_amount, at=at,
        )
    return order


async def _abandon_safely(
    ctx: ShopContext, order_id: str, kind: str, message: Text, unanswered_since: datetime | None
) -> None:
    """The provider's answer is what the operator must see, even if this local write fails (the
    in-progress marker then simply expires, which is evidence of the same request)."""
    try:
        await ctx.store.run(_abandon, ctx.store.db, order_id, kind, message, unanswered_since, ctx.clock())
    except Exception:
        log.exception("could not update the refund marker of %s", order_id)


async def _settle_lost_refund(
    ctx: ShopContext, lost: outcome.LostRefund, check: RefundCheck, at: datetime
) -> RefundResult | None:
    """An earlier refund of this order got no answer: record it when the provider says it
    happened; stop when the provider's answer cannot tell; else (None) a new refund may go."""
    verdict = outcome.judge(check, lost.sent_at, at, ctx.settings)
    words = outcome.provider_words(check)
    store = ctx.store
    if verdict is outcome.Verdict.REFUNDED:
        done = await store.run(outcome.record_refund, store.db, lost, words)
        if done is None:
            return None  # another process moved the order on; the normal rules read its state
        amount = refunded_amount(done)
        return _result(lost.order_id, amount, translate(
            "refunds", "{0} was already refunded at the provider (\"{1}\"): the answer to the "
            "refund sent at {2} UTC was lost. Recorded it now ({3}); nothing was refunded twice."
        ).format(lost.order_id, words, f"{lost.sent_at:%H:%M:%S}", format_money(amount)))
    if verdict is outcome.Verdict.UNKNOWN:
        await store.run(outcome.mark_unknown, store.db, lost, words)
        raise OutcomeUnknownError(
            translate("errors", "The refund of {0} sent at {1} UTC got no "
                      "answer, and the provider now says \"{2}\", which does not tell whether it "
                      "happened. The order is marked refund_unknown; nothing was sent.").format(
                lost.order_id, f"{lost.sent_at:%Y-%m-%d %H:%M:%S}", words),
            translate("errors", "Check purchase {0} with the provider. Each `proxyshop-desktop "
                      "reconcile` (and each refund of this order) asks again and records the refund as soon "
                      "as the provider says it was refunded.").format(lost.credentials_id),
        )
    return None  # NOT_REFUNDED / IN_FLIGHT: the provider would refund it; a new refund is safe


def refunded_amount(order: Order) -> Decimal:
    amount = order.refunded_amount
    assert amount is not None, "only a refunded order has a refunded amount"
    return amount


# --- operations ------------------------------------------------------------------------------------


async def check_refund(ctx: ShopContext, order_id: str) -> RefundCheckResult:
    """Would a refund be allowed now? Asks the provider only when the shop's rules allow it."""
    order = await ctx.store.run(load_order, order_id)
    refusal = local_refusal(order, ctx.clock(), ctx.settings)
    if refusal is not None:
        return RefundCheckResult(order.order_id, False, str(refusal[0]), provider_checked=False,
                                 reason_text=refusal[0])
    assert order.credentials_id is not None  # local_refusal guarantees it
    check = await ctx.client().check_refundable(order.credentials_id)
    words = _provider_words(check)
    return RefundCheckResult(order.order_id, check.refundable, str(words), provider_checked=True, reason_text=words)


async def _send(ctx: ShopContext, client: ProviderClient, oid: str, credentials_id: int, sent_at: datetime,
                earlier: datetime | None) -> None:
    """The one refund request; a failure leaves the order as the provider may have left it."""
    try:
        await client.refund(credentials_id)  # once; the client never retries it
    except ProviderError as error:
        if isinstance(error, NotRefundableError) or certainly_not_done(error):
            # This request did nothing; an earlier unanswered one (if any) still may have.
            kind = "refund_refused" if isinstance(error, NotRefundableError) else "refund"
            text = (error.text if kind == "refund_refused"
                    else translate("audit", "Refund not done: {0}").format(error.text))
            await _abandon_safely(ctx, oid, kind, text, earlier)
            raise
        await _abandon_safely(ctx, oid, "refund", translate("audit", "Refund outcome unknown: {0}").format(error.text),
                              sent_at)
        raise OutcomeUnknownError(
            joined(error.text, translate("errors", "The refund of {0} may or may not have happened at the provider."
                                         ).format(oid)),
            translate("errors", "The order keeps a note of it. Try the refund again, or run `proxyshop-desktop "
                      "reconcile`: the shop first asks the provider and records the refund if it went through."),
        ) from error


async def refund(ctx: ShopContext, order_id: str) -> RefundResult:
    client = ctx.client()
    db = ctx.store.db
    order = await ctx.store.run(load_order, order_id)
    oid = order.order_id
    at = ctx.clock()
    check: RefundCheck | None = None
    lost = outcome.lost_refund(order, at, ctx.settings)
    if lost is not None:
        # Before any new refund: did the unanswered one happen? (A retry after a lost answer.)
        check = await client.check_refundable(lost.credentials_id)
        found = await _settle_lost_refund(ctx, lost, check, at)
        if found is not None:
            return found
        order = await ctx.store.run(load_order, oid)

    refusal = local_refusal(order, at, ctx.settings)
    if refusal is not None:
        await ctx.store.run(_audit_refusal, db, order, refusal[0], at)
        raise RefundRefusedError(*refusal)
    assert order.credentials_id is not None  # local_refusal guarantees it
    if check is None:
        check = await client.check_refundable(order.credentials_id)
    if not check.refundable:
        words = _provider_words(check)
        await ctx.store.run(_audit_refusal, db, order, words, ctx.clock())
        raise NotRefundableError(words)

    sent_at = ctx.clock()
    refusal, earlier = await ctx.store.run(_begin, db, oid, sent_at, ctx.settings)
    if refusal is not None:
        raise RefundRefusedError(*refusal)
    await _send(ctx, client, oid, order.credentials_id, sent_at, earlier)
    try:
        done = await ctx.store.run(_finish, db, oid, ctx.clock())
    except Exception as exc:
        detail = exc.text if isinstance(exc, ShopError) else str(exc)
        raise StorageError(
            translate("errors", "The provider refunded {0} (purchase {1}) but it could not be "
                      "recorded: {2}").format(oid, order.credentials_id, detail),
            translate("errors", "Fix the problem (disk space, permissions); a few minutes later `proxyshop-desktop "
                      "reconcile` records this refund from the provider's answer (the order keeps its marker)."),
        ) from exc
    amount = refunded_amount(done)
    return _result(oid, amount, translate("refunds", "Refunded {0} ({1}).").format(oid, format_money(amount)))


async def settle_unknown(ctx: ShopContext, order_id: str, *, refunded: bool) -> RefundResult:
    """Record what the operator found at the provider for a refund_unknown order (no provider call)."""
    order = await ctx.store.run(outcome.settle_by_operator, ctx.store.db, order_id, refunded, ctx.clock())
    if refunded:
        amount = refunded_amount(order)
        text = translate("refunds", "Recorded {0} as refunded at the provider ({1}).").format(
            order.order_id, format_money(amount))
    else:
        amount = from_cents(0)
        text = translate("refunds", "Recorded {0} as not refunded: it counts as sold again.").format(order.order_id)
    return _result(order.order_id, amount, text)
