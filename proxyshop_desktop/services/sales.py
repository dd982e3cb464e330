"""Selling proxies: the one place where the provider charges the shop's account.

A sale is three steps, so that no crash or lost answer can lose money or inventory:

1. One IMMEDIATE transaction writes a *pending* order and deletes the product row, then commits
   (synchronous=FULL). A second process selling the same product finds it gone.
2. `buy` is sent exactly once (the client never retries it).
3. The answer settles it: success -> the order is "sold" with the credentials; a certain refusal
   -> the pending order is deleted and the product row put back exactly as it was; an unknown
   outcome -> the order stays pending and `reconcile` settles it from `/proxy/bought`.

Anything unexpected (a bug, a cancelled task, a failed local write) leaves the order pending:
that is the state reconcile knows how to finish, whatever the provider did.
"""

from __future__ import annotations

import logging
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import peewee

from proxyshop_desktop.alerts import events as alert_events
from proxyshop_desktop.clock import iso
from proxyshop_desktop.errors import (
    NotFoundError,
    OutcomeUnknownError,
    ProviderError,
    ShopError,
    StorageError,
    UsageError,
)
from proxyshop_desktop.i18n import Text, joined, translate
from proxyshop_desktop.models.engine import locked
from proxyshop_desktop.models.tables import Order, Product
from proxyshop_desktop.money import from_cents, to_cents
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import order_view
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.upstream.schemas import Purchase
from proxyshop_desktop.vocabulary import CHARGED, MAX_CUSTOMER_LENGTH, NO_CREDENTIALS, OrderStatus

log = logging.getLogger(__name__)

_CONTROL_CATEGORIES = ("Cc", "Zl", "Zp")  # control characters, line and paragraph separators
_MAX_COST_CENTS = 10**12  # a provider "price" beyond this is nonsense, not a cost to record


# --- input checks -------------------------------------------------------------------------------


def clean_customer(customer: str | None) -> str:
    """The customer reference as stored: stripped, at most 200 characters, no control characters."""
    if customer is None:
        return ""
    if not isinstance(customer, str):
        raise UsageError(translate("errors", "The customer reference must be text."))
    value = customer.strip()
    for char in value:
        if unicodedata.category(char) in _CONTROL_CATEGORIES:
            raise UsageError(
                translate("errors", "The customer reference contains a control character (U+{0}).").format(
                    f"{ord(char):04X}"),
                translate("errors", "Use plain text on one line, e.g. a name, an e-mail or a ticket number."),
            )
    if len(value) > MAX_CUSTOMER_LENGTH:
        raise UsageError(
            translate("errors", "The customer reference is {0} characters long; the limit is {1}.").format(
                len(value), MAX_CUSTOMER_LENGTH),
            translate("errors", "Shorten it."),
        )
    return value


def check_product_id(product_id: Any) -> int:
    if isinstance(product_id, bool):
        raise UsageError(translate("errors", "Invalid product id {0}.").format(repr(product_id)),
                         translate("errors", "Product ids are whole numbers."))
    if isinstance(product_id, str) and product_id.strip().isdigit():
        return int(product_id.strip())
    if not isinstance(product_id, int):
        raise UsageError(translate("errors", "Invalid product id {0}.").format(repr(product_id)),
                         translate("errors", "Product ids are whole numbers."))
    return product_id


def new_order_id(at: datetime) -> str:
    """ORD-YYYYMMDD- and 8 random upper-case hex digits (unguessable, not a sequence)."""
    return f"ORD-{at:%Y%m%d}-{secrets.token_hex(4).upper()}"


# --- database steps (run on the DB thread via ctx.store.run) ------------------------------------


@dataclass(frozen=True)
class Reservation:
    """A committed pending order, and the product row it took out of the inventory."""

    order_id: str
    proxy_id: int
    product: dict[str, Any]  # the row exactly as it was, to put back on a refusal


def unique_order_id(at: datetime) -> str:
    """On the DB thread: a new order id no order has."""
    while True:
        order_id = new_order_id(at)
        if not Order.select().where(Order.order_id == order_id).exists():
            return order_id


def _product_gone(product_id: int) -> NotFoundError:
    last = Order.select().where(Order.product_id == product_id).order_by(Order.id.desc()).first()
    if last is not None and last.status == OrderStatus.PENDING:
        return NotFoundError(
            translate("errors", "Product {0} is already being sold (order {1}).").format(product_id, last.order_id),
            translate("errors", "Pick another proxy."),
        )
    if last is not None and last.status in CHARGED:
        return NotFoundError(
            translate("errors", "Product {0} was already sold (order {1}).").format(product_id, last.order_id),
            translate("errors", "Pick another proxy."),
        )
    return NotFoundError(
        translate("errors", "No product {0} in the inventory.").format(product_id),
        translate("errors", "Run a sync or pick another proxy."),
    )


def _reserve(db: peewee.Database, product_id: int, customer: str, price_cents: int, at: datetime) -> Reservation:
    with db.atomic():  # BEGIN IMMEDIATE: no other writer between the read and the delete
        # PostgreSQL: a second machine selling it waits here, then finds it gone
        product: Product | None = locked(Product.select().where(Product.id == product_id)).first()
        if product is None:
            raise _product_gone(product_id)
        snapshot = dict(product.__data__)
        order_id = unique_order_id(at)
        Order.create(
            order_id=order_id,
            status=OrderStatus.PENDING,
            product_id=product.id,
            proxy_id=product.proxy_id,
            customer=customer,
            proxy_ip=product.proxy_ip,
            country=product.country,
            country_code=product.country_code,
            city=product.city,
            region=product.region,
            isp=product.isp,
            proxy_type=product.proxy_type,
            price_cents=price_cents,
            created_at=at,
            operator=current_operator(),
        )
        if Product.delete().where(Product.id == product.id).execute() != 1:
            raise StorageError(translate("errors", "Product {0} could not be taken out of the inventory.").format(
                product_id))
        audit.record(
            "sale_pending",
            translate("audit", "Pending sale of proxy {0} (product {1}) written before calling the provider.").format(
                product.proxy_id, product.id),
            order_id=order_id,
            proxy_id=product.proxy_id,
            at=at,
        )
    return Reservation(order_id=order_id, proxy_id=product.proxy_id, product=snapshot)


def cost_cents(purchase: Purchase) -> int | None:
    """The provider's price as cents, or None when it is missing or absurd (never blocks a sale)."""
    if purchase.price is None:
        return None
    try:
        cents = to_cents(purchase.price)
    except (ValueError, ArithmeticError):
        return None
    return cents if abs(cents) <= _MAX_COST_CENTS else None


def apply_purchase(order: Order, purchase: Purchase) -> None:
    """Copy a provider purchase onto an order (credentials byte-exact). Does not save."""
    order.credentials_id = purchase.credentials_id
    order.server_ip = purchase.server_ip
    order.port = purchase.server_listening_port
    order.username = purchase.username
    order.password = purchase.password
    order.proxy_ip = purchase.proxy_ip or order.proxy_ip
    order.cost_cents = cost_cents(purchase)
    order.expires_at = purchase.expiration_time
    order.refundable = purchase.refundable
    for name in ("country", "country_code", "city", "region", "isp"):
        if getattr(order, name) is None:
            setattr(order, name, getattr(purchase, name))


def _record_sale(db: peewee.Database, reservation: Reservation, purchase: Purchase, at: datetime) -> Order:
    with db.atomic():
        order: Order | None = locked(
            Order.select().where(Order.order_id == reservation.order_id)
        ).first()
        if order is None:
            raise StorageError(translate("errors", "The pending order {0} is no longer in the database.").format(
                reservation.order_id))
        if order.status == OrderStatus.SOLD and order.credentials_id == purchase.credentials_id:
            return order  # a reconcile in another process settled it while the answer travelled
        if order.status not in NO_CREDENTIALS:  # pending, or void
            raise StorageError(
                translate("errors", "The order {0} is already {1}.").format(order.order_id, order.status))
        # "void" too: the provider's answer is proof of the charge, whatever reconcile guessed.
        apply_purchase(order, purchase)
        order.status = OrderStatus.SOLD
        order.purchased_at = at
        order.save()
        audit.record(
            "sale",
            translate("audit", "Sold proxy {0} (purchase {1}).").format(order.proxy_id, purchase.credentials_id),
            order_id=order.order_id,
            proxy_id=order.proxy_id,
            credentials_id=purchase.credentials_id,
            amount=from_cents(order.price_cents),
            at=at,
        )
    return order


def _restore_product(db: peewee.Database, snapshot: dict[str, Any]) -> Text:
    if Product.select().where(Product.proxy_id == snapshot["proxy_id"]).exists():
        return translate("audit", "a sync had already listed it again")  # that row is newer than our snapshot
    try:
        with db.atomic():  # a savepoint: a clash on the id must not undo the order's deletion
            Product.insert(snapshot).execute()
        return translate("audit", "the product is back in the inventory")
    except peewee.IntegrityError:
        # SQLite gave the highest deleted id to a product added meanwhile: same row, new id.
        Product.insert({k: v for k, v in snapshot.items() if k != "id"}).execute()
        return translate("audit", "the product is back in the inventory under a new id")


def _release(db: peewee.Database, reservation: Reservation, reason: Text, at: datetime) -> None:
    """The provider certainly did not sell: no order, the product back as it was."""
    with db.atomic():
        deleted = (
            Order.delete()
            .where((Order.order_id == reservation.order_id) & (Order.status == OrderStatus.PENDING))
            .execute()
        )
        restored = (_restore_product(db, reservation.product) if deleted
                    else translate("audit", "the order was no longer pending"))
        audit.record(
            "sale_failed",
            translate("audit", "The provider refused proxy {0}: {1} No sale happened; {2}.").format(
                reservation.proxy_id, reason, restored),
            ok=False,
            order_id=reservation.order_id,
            proxy_id=reservation.proxy_id,
            at=at,
        )


def _keep_pending(db: peewee.Database, reservation: Reservation, reason: str, at: datetime) -> None:
    with db.atomic():
        Order.update(note=f"Buy outcome unknown at {iso(at)}: {reason}").where(
            (Order.order_id == reservation.order_id) & (Order.status == OrderStatus.PENDING)
        ).execute()
        audit.record(
            "sale_pending",
            translate("audit", "Outcome of the buy of proxy {0} unknown ({1}); kept pending until reconcile "
                      "settles it.").format(reservation.proxy_id, reason),
            ok=False,
            order_id=reservation.order_id,
            proxy_id=reservation.proxy_id,
            at=at,
        )


# --- one sale -----------------------------------------------------------------------------------


def certainly_not_done(error: ProviderError) -> bool:
    """True when the error proves a buy (or refund) did not happen at the provider: the client
    marks every other failure of a money-moving call (timeouts after sending, dropped
    connections, 5xx answers other than the contract's 503) as outcome_unknown."""
    return not error.outcome_unknown


async def sell_one(ctx: ShopContext, product_id: int, customer: str) -> OrderView:
    """One sale of a product id and customer already checked (`sell` checks them)."""
    client = ctx.client()  # first: a missing token must not strand a pending order
    db = ctx.store.db
    reservation = await ctx.store.run(_reserve, db, product_id, customer, to_cents(ctx.settings.price), ctx.clock())
    try:
        purchase = await client.buy(reservation.proxy_id)
    except ProviderError as error:
        if certainly_not_done(error):
            try:
                await ctx.store.run(_release, db, reservation, error.text, ctx.clock())
            except Exception:  # the provider's refusal is what the operator must see
                log.exception("could not release pending order %s; reconcile will void it", reservation.order_id)
            await alert_events.provider_refused(ctx, error, reservation.proxy_id)  # never raises
            raise
        unknown = error if isinstance(error, OutcomeUnknownError) else OutcomeUnknownError(
            joined(error.text, translate("errors", "The provider may have charged the sale."))
        )
        try:
            await ctx.store.run(_keep_pending, db, reservation, unknown.message, ctx.clock())
        except Exception:
            log.exception("could not annotate pending order %s", reservation.order_id)
        if unknown is error:
            raise
        raise unknown from error
    try:
        order = await ctx.store.run(_record_sale, db, reservation, purchase, ctx.clock())
    except Exception as exc:
        detail = exc.text if isinstance(exc, ShopError) else str(exc)
        raise StorageError(
            translate("errors", "The provider sold proxy {0} (purchase {1}) "
                      "but order {2} could not be saved: {3}").format(
                reservation.proxy_id, purchase.credentials_id, reservation.order_id, detail),
            translate("errors", "The order stays pending with nothing lost; fix the problem (disk space, permissions), "
                      "then run `proxyshop-desktop reconcile` to record the credentials."),
        ) from exc
    return order_view(order, ctx.settings)


async def sell(ctx: ShopContext, product_id: int, customer: str = "") -> OrderView:
    return await sell_one(ctx, check_product_id(product_id), clean_customer(customer))
