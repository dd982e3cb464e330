"""Reconcile local orders with what the provider actually charged (`GET /proxy/bought`).

The provider's purchase list is the truth about money. Reconcile, in one transaction:
- settles each pending order from the purchase of its proxy that no other order holds;
- voids a pending order the provider never charged once no buy can still be in flight;
- records every purchase with no local order as a "recovered" order, with its credentials;
- flags (never deletes) sold/recovered orders the provider does not list;
- then asks `check-refundable` about each order whose refund answer was lost, and records what
  the provider's answer proves (`refund_outcome`); it never sends a refund itself.
Run it after a lost buy or refund answer, a crash, or at the start of every sync.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from datetime import datetime, timedelta

import peewee

from proxyshop_desktop.clock import iso
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models.database import tuple_rows
from proxyshop_desktop.models.engine import exclusive
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.money import from_cents, to_cents
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services import audit, refund_outcome
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import ReconcileResult
from proxyshop_desktop.services.sales import apply_purchase, unique_order_id
from proxyshop_desktop.upstream.schemas import Purchase
from proxyshop_desktop.vocabulary import KEPT, OrderStatus

log = logging.getLogger(__name__)

#: a purchase this much older than the pending order may still be its buy (clocks differ)
CLOCK_SLACK = timedelta(minutes=5)


def in_flight_limit(settings: Settings) -> timedelta:
    """After this, a pending order's buy cannot still be in flight in any process."""
    return timedelta(seconds=settings.api_timeout * 2 + 60)


def _pick(candidates: list[Purchase], created_at: datetime) -> Purchase | None:
    """The purchase that is this pending order's buy: the earliest one made after the order was
    written (less the clock slack); else one without a time. Never an older purchase: that one
    is some other, lost sale and is recovered on its own."""
    recent = [p for p in candidates if p.bought_at is not None and p.bought_at >= created_at - CLOCK_SLACK]
    if recent:
        return min(recent, key=lambda p: p.bought_at or created_at)
    undated = [p for p in candidates if p.bought_at is None]
    return undated[0] if undated else None


def _proxy_type(purchase: Purchase) -> str | None:
    if purchase.mobile:
        return "mobile"
    if purchase.hosting:
        return "hosting"
    if purchase.mobile is False and purchase.hosting is False:
        return "residential"
    return None  # the purchase does not say


def _settle(order: Order, purchase: Purchase, at: datetime) -> None:
    apply_purchase(order, purchase)
    order.status = OrderStatus.SOLD
    order.purchased_at = purchase.bought_at or at
    order.note = f"Settled by reconcile at {iso(at)} from the provider's purchase list."
    order.save()
    audit.record(
        "settled", translate("audit", "Pending sale of proxy {0} settled: the provider charged purchase {1}.").format(
            order.proxy_id, purchase.credentials_id), order_id=order.order_id, proxy_id=order.proxy_id,
        credentials_id=purchase.credentials_id, amount=from_cents(order.price_cents),
        at=at,
    )


def _void(order: Order, at: datetime) -> None:
    order.status = OrderStatus.VOID
    order.note = f"Voided by reconcile at {iso(at)}: the provider never charged this buy."
    order.save()
    audit.record(
        "voided", translate("audit", "Pending sale of proxy {0} voided: the provider lists no purchase of it.").format(
            order.proxy_id),
        order_id=order.order_id, proxy_id=order.proxy_id,
        at=at,
    )


def _recover(purchase: Purchase, at: datetime, price_cents: int) -> None:
    bought = purchase.bought_at or at
    order = Order(
        order_id=unique_order_id(bought),
        status=OrderStatus.RECOVERED,
        proxy_id=purchase.proxy_id if purchase.proxy_id is not None else 0,  # 0: the provider did not say
        customer="",
        country=purchase.country,
        country_code=purchase.country_code,
        city=purchase.city,
        region=purchase.region,
        isp=purchase.isp,
        proxy_type=_proxy_type(purchase),
        price_cents=price_cents,
        created_at=bought,  # listed where the sale happened, not where it was found
        purchased_at=bought,
        operator=current_operator(),  # who ran the reconcile that found it
        note=f"Recovered by reconcile at {iso(at)}: charged by the provider with no local order.",
    )
    apply_purchase(order, purchase)
    order.save(force_insert=True)
    audit.record(
        "recovered", translate("audit", "Purchase {0} of proxy {1} had no local order; recorded it.").format(
            purchase.credentials_id, purchase.proxy_id), order_id=order.order_id, proxy_id=purchase.proxy_id,
        credentials_id=purchase.credentials_id, amount=from_cents(price_cents),
        at=at,
    )


def _flag_missing(listed: dict[int, Purchase]) -> list[str]:
    missing: list[str] = []
    rows = tuple_rows(
        Order.select(Order.id, Order.order_id, Order.status, Order.credentials_id, Order.missing_at_provider)
        .where(Order.credentials_id.is_null(False))
        .order_by(Order.id)
    )
    for row_id, order_id, status, credentials_id, flagged in rows:
        # A refunded purchase may legitimately leave the provider's list: only flag live sales.
        absent = status in KEPT and credentials_id not in listed
        if absent:
            missing.append(order_id)
        if bool(flagged) != absent:
            Order.update(missing_at_provider=absent).where(Order.id == row_id).execute()
    return missing


def _apply(db: peewee.Database, purchases: list[Purchase], at: datetime, settings: Settings) -> ReconcileResult:
    with db.atomic():
        exclusive(db, "reconcile")  # several machines: one reconcile applies at a time
        listed: dict[int, Purchase] = {}
        for purchase in purchases:
            listed.setdefault(purchase.credentials_id, purchase)
        known = {
            cid for (cid,) in tuple_rows(Order.select(Order.credentials_id).where(Order.credentials_id.is_null(False)))
        }
        free: dict[int | None, list[Purchase]] = defaultdict(list)
        for purchase in listed.values():
            if purchase.credentials_id not in known:
                free[purchase.proxy_id].append(purchase)

        settled = voided = 0
        pending = Order.select().where(Order.status == OrderStatus.PENDING).order_by(Order.created_at, Order.id)
        for order in list(pending):
            match = _pick(free.get(order.proxy_id, []), order.created_at)
            if match is not None:
                free[order.proxy_id].remove(match)
                _settle(order, match, at)
                settled += 1
            elif at - order.created_at > in_flight_limit(settings):
                _void(order, at)
                voided += 1

        recovered: list[int] = []
        price_cents = to_cents(settings.price)
        leftovers = [p for group in free.values() for p in group]
        for purchase in reversed(leftovers):  # the provider lists newest first: record oldest first
            _recover(purchase, at, price_cents)
            recovered.append(purchase.credentials_id)

        missing = _flag_missing(listed)
        audit.record(
            "reconcile",
            translate("audit", "Reconcile: the provider lists {0} purchases; settled {1}, voided {2}, "
                      "recovered {3}, missing at the provider {4}.").format(
                len(listed), settled, voided, len(recovered), len(missing)),
            at=at,
        )
    return ReconcileResult(
        recovered=len(recovered), settled=settled, voided=voided,
        unknown_locally=recovered, missing_at_provider=missing,
    )


def _record_failure(db: peewee.Database, message: Text, at: datetime) -> None:
    with db.atomic():
        audit.record("reconcile", translate("audit", "Reconcile failed, nothing changed: {0}").format(message),
                     ok=False, at=at)


async def reconcile(ctx: ShopContext) -> ReconcileResult:
    try:
        purchases = await ctx.client().bought_all()
    except ShopError as error:
        try:
            await ctx.store.run(_record_failure, ctx.store.db, error.text, ctx.clock())
        except Exception:
            log.exception("could not record the failed reconcile")
        raise
    at = ctx.clock()
    result = await ctx.store.run(_apply, ctx.store.db, purchases, at, ctx.settings)
    refunds = await refund_outcome.settle_lost_refunds(ctx, at)
    return replace(
        result, refunds_recorded=refunds.recorded, refunds_not_done=refunds.not_done,
        refund_unknown=refunds.unknown,
    )
