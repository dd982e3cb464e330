"""A refund whose answer never came back: what the provider's later answers prove, and what to record.

`refund` is sent once and never retried. Before it is sent the order gets a mark with the time
(`refund_state` = in_progress, `refund_requested_at` = T); if the answer is lost (timeout, dropped
connection) the mark becomes unanswered; if the process is killed, the in-progress mark simply
outlives its lifetime. Either way the mark is the shop's proof that it asked the provider to
refund this purchase at T — the only evidence it has, since the contract gives `/proxy/bought`
and `/proxy/credentials` no refund state and the client keeps no words from a `refund` 400.
(Before schema v4 the mark was a `[refund … since T]` prefix of `Order.note`; the migration moved
it into the columns.)

Later, `check-refundable` (a read, safe to repeat) decides:
- refundable=false and its words say the purchase was *already refunded* -> `refunded`. The
  provider says so, and the shop itself asked for exactly this refund: no other refund of it is
  expected. Only those words count: "still online", "not refundable" or no words never do, and
  a 400 from `refund` never does (the contract gives "still live" the same code).
- refundable=true once no request of ours can still arrive -> not refunded (the provider would
  refund it now, and it refuses a second refund), so the marker is cleared and the order is `sold`.
- refundable=true while a request may still arrive -> undecided yet (`IN_FLIGHT`).
- any other refusal -> `refund_unknown`: a status the operator sees, asked again by every
  reconcile and every refund of the order, never counted as refunded.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import Enum

import peewee

from proxyshop_desktop.clock import iso
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ProviderError, UsageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.engine import locked
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import load_order
from proxyshop_desktop.upstream.schemas import RefundCheck
from proxyshop_desktop.vocabulary import REFUNDABLE, OrderStatus, RefundState

log = logging.getLogger(__name__)

IN_PROGRESS = RefundState.IN_PROGRESS
UNANSWERED = RefundState.UNANSWERED
REFUND_UNKNOWN = OrderStatus.REFUND_UNKNOWN
# "already refunded" / "already been refunded" / "refunded already", not negated just before.
_ALREADY = re.compile(
    r"(?<!not )(?<!n't )(?<!never )\b(?:already\s+(?:been\s+)?refunded|refunded\s+already)\b",
    re.IGNORECASE,
)


# --- the mark (Order.refund_state and Order.refund_requested_at) --------------------------------


@dataclass(frozen=True)
class Mark:
    kind: RefundState
    at: datetime  # when the refund request was (about to be) sent


def read_mark(order: Order) -> Mark | None:
    if order.refund_state is None or order.refund_requested_at is None:
        return None
    return Mark(RefundState(order.refund_state), order.refund_requested_at)


def clear_mark(order: Order) -> None:
    order.refund_state = None
    order.refund_requested_at = None


def set_mark(order: Order, kind: RefundState, at: datetime) -> None:
    order.refund_state = kind
    order.refund_requested_at = at


def mark_lifetime(settings: Settings) -> timedelta:
    """Longer than any refund call can last: after that, no request of ours can still arrive and
    the process that set an in-progress marker is gone."""
    return timedelta(seconds=settings.api_timeout * 2 + 60)


def live_since(order: Order, at: datetime, settings: Settings) -> datetime | None:
    """When a refund still in flight in some process started, or None."""
    mark = read_mark(order)
    if mark is None or mark.kind != IN_PROGRESS or at - mark.at >= mark_lifetime(settings):
        return None
    return mark.at


def set_refunded(order: Order, at: datetime) -> None:
    """The one way an order becomes refunded: the customer gets the retail price back, and the
    refund's mark goes. The caller saves it in its transaction and audits it."""
    order.status = OrderStatus.REFUNDED
    order.refunded_at = at
    order.refund_cents = order.price_cents
    clear_mark(order)


def set_not_refunded(order: Order) -> None:
    """The refund did not happen: the mark goes and a refund_unknown order is a sale again."""
    order.status = OrderStatus.SOLD if order.status == REFUND_UNKNOWN else order.status
    clear_mark(order)


# --- what the provider's words prove ------------------------------------------------------------


def says_already_refunded(check: RefundCheck) -> bool:
    return not check.refundable and _ALREADY.search(check.message or "") is not None


class Verdict(Enum):
    REFUNDED = "refunded"  # the provider says it was already refunded
    NOT_REFUNDED = "not refunded"  # the provider would refund it, and nothing of ours is in flight
    IN_FLIGHT = "in flight"  # the provider would refund it, but our request may still arrive
    UNKNOWN = "unknown"  # the provider refuses for some other reason: cannot tell


def judge(check: RefundCheck, sent_at: datetime, at: datetime, settings: Settings) -> Verdict:
    if says_already_refunded(check):
        return Verdict.REFUNDED
    if check.refundable:
        return Verdict.NOT_REFUNDED if at - sent_at >= mark_lifetime(settings) else Verdict.IN_FLIGHT
    return Verdict.UNKNOWN


def provider_words(check: RefundCheck) -> str:
    return check.message.strip() or ("refundable" if check.refundable else "not refundable")


# --- orders with a refund whose answer was lost -----------------------------------------------------


@dataclass(frozen=True)
class LostRefund:
    """An order as it was read, with the time of its unanswered refund request."""

    order_id: str
    credentials_id: int
    status: str
    mark: Mark | None  # as read: a later change by another process wins over this one
    sent_at: datetime


def lost_refund(order: Order, at: datetime, settings: Settings) -> LostRefund | None:
    """The order's unanswered refund, or None: an unanswered marker, an in-progress marker past
    its lifetime (the process was killed), or the refund_unknown status."""
    if order.status not in REFUNDABLE or order.credentials_id is None:
        return None
    if live_since(order, at, settings) is not None:
        return None  # a live refund: its own process settles it
    mark = read_mark(order)
    if mark is None and order.status != REFUND_UNKNOWN:
        return None
    sent_at = mark.at if mark is not None else at  # no time on record: treat as just sent
    return LostRefund(order.order_id, order.credentials_id, order.status, mark, sent_at)


def find_lost_refunds(at: datetime, settings: Settings) -> list[LostRefund]:
    """On the DB thread."""
    candidates = Order.select().where(
        Order.status.in_(REFUNDABLE)
        & ((Order.status == REFUND_UNKNOWN) | Order.refund_state.is_null(False))
    ).order_by(Order.id)
    found = (lost_refund(order, at, settings) for order in candidates)
    return [lost for lost in found if lost is not None]


# --- database steps (DB thread); each applies only if the order is still as it was read ----------


def _unchanged(lost: LostRefund) -> Order | None:
    order: Order | None = locked(Order.select().where(Order.order_id == lost.order_id)).first()
    if order is None or order.status != lost.status or read_mark(order) != lost.mark:
        return None  # another process moved it on: its state wins
    return order


def record_refund(db: peewee.Database, lost: LostRefund, words: str, at: datetime | None = None) -> Order | None:
    """The provider says it was refunded: record the refund our lost request made."""
    with db.atomic():
        order = _unchanged(lost)
        if order is None:
            return None
        set_refunded(order, lost.sent_at)  # the provider refunded when our request arrived
        order.save()
        audit.record(
            "refund", translate("audit", "Refund of purchase {0} recorded: the answer to the refund sent at {1} "
                                "was lost, and the provider now says: {2}").format(
                order.credentials_id, iso(lost.sent_at), words),
            order_id=order.order_id, proxy_id=order.proxy_id, credentials_id=order.credentials_id,
            amount=order.refund_amount, at=at,
        )
    return order


def clear_refund(db: peewee.Database, lost: LostRefund, words: str, at: datetime | None = None) -> bool:
    """The provider would refund it now and nothing of ours is in flight: it was not refunded."""
    with db.atomic():
        order = _unchanged(lost)
        if order is None:
            return False
        set_not_refunded(order)
        order.save()
        audit.record(
            "refund", translate("audit", "The refund sent at {0} did not happen: the provider says: {1}").format(
                iso(lost.sent_at), words), ok=False, order_id=order.order_id, proxy_id=order.proxy_id,
            credentials_id=order.credentials_id,
            at=at,
        )
    return True


def mark_unknown(db: peewee.Database, lost: LostRefund, words: str, at: datetime | None = None) -> bool:
    """The provider's answer does not settle it: make that visible (status refund_unknown)."""
    with db.atomic():
        order = _unchanged(lost)
        if order is None:
            return False
        first_time = order.status != REFUND_UNKNOWN
        order.status = REFUND_UNKNOWN
        set_mark(order, UNANSWERED, lost.sent_at)
        order.save()
        if first_time:
            audit.record(
                "refund", translate("audit", "Refund outcome unknown: the answer to the refund sent at {0} was "
                                    "lost and the provider now says: {1}").format(iso(lost.sent_at), words),
                ok=False,
                order_id=order.order_id, proxy_id=order.proxy_id, credentials_id=order.credentials_id,
                at=at,
            )
    return True


def settle_by_operator(db: peewee.Database, order_id: str, refunded: bool, at: datetime) -> Order:
    """The operator checked a refund_unknown order with the provider and says what they found.
    Their word is the evidence here (the provider's answers never settled it); nothing is sent."""
    with db.atomic():
        order = load_order(order_id)
        if order.status != REFUND_UNKNOWN:
            raise UsageError(
                translate("errors", "Order {0} is {1}: only a refund_unknown order is settled "
                          "by hand.").format(order.order_id, order.status),
                translate("errors", "Use Refund for a sold order; a refunded or void one needs nothing."),
            )
        mark = read_mark(order)
        sent_at = mark.at if mark is not None else at
        if refunded:
            set_refunded(order, sent_at)  # the refund happened when the lost request arrived
        else:
            set_not_refunded(order)
        order.save()
        audit.record(
            "refund", (translate("audit", "Refund sent at {0} was refunded at the provider: recorded by the "
                                 "operator, who checked with the provider.") if refunded
                       else translate("audit", "Refund sent at {0} was not refunded at the provider: recorded "
                                      "by the operator, who checked with the provider.")).format(iso(sent_at)),
            order_id=order.order_id,
            proxy_id=order.proxy_id, credentials_id=order.credentials_id,
            amount=order.refund_amount if refunded else None, at=at,
        )
    return order


# --- reconcile's part -----------------------------------------------------------------------------


@dataclass
class RefundSettlement:
    recorded: list[str] = field(default_factory=list)  # found refunded at the provider
    not_done: list[str] = field(default_factory=list)  # proved not refunded: back to sold
    unknown: list[str] = field(default_factory=list)  # still undecided (refund_unknown or unasked)


async def settle_lost_refunds(ctx: ShopContext, at: datetime) -> RefundSettlement:
    """Ask the provider about every order with an unanswered refund and record what it proves.
    Never sends a refund. A failing check leaves that order as it was (asked again next time)."""
    settlement = RefundSettlement()
    store = ctx.store
    lost_refunds = await store.run(find_lost_refunds, at, ctx.settings)
    if not lost_refunds:
        return settlement
    client = ctx.client()
    for lost in lost_refunds:
        try:
            check = await client.check_refundable(lost.credentials_id)
        except ProviderError as error:
            log.warning("could not check the lost refund of %s: %s", lost.order_id, error.message)
            settlement.unknown.append(lost.order_id)
            continue
        verdict = judge(check, lost.sent_at, at, ctx.settings)
        words = provider_words(check)
        if verdict is Verdict.REFUNDED:
            if await store.run(record_refund, store.db, lost, words, at) is not None:
                settlement.recorded.append(lost.order_id)
        elif verdict is Verdict.NOT_REFUNDED:
            if await store.run(clear_refund, store.db, lost, words, at):
                settlement.not_done.append(lost.order_id)
        elif verdict is Verdict.UNKNOWN:
            if await store.run(mark_unknown, store.db, lost, words, at):
                settlement.unknown.append(lost.order_id)
        else:
            settlement.unknown.append(lost.order_id)  # in flight: decided by a later run
    return settlement
