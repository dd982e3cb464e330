"""Orders as the operator sees them: listing (newest first, filtered, searched) and one order.

`order_view` is the one place that turns an `Order` row into an `OrderView`, so the sell, refund,
reconcile and orders commands all show the same thing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import NotFoundError, UsageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.engine import locked
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.money import from_cents
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import Credentials, OrderView
from proxyshop_desktop.vocabulary import NO_CREDENTIALS, ORDER_STATUSES, OrderStatus


def refund_window_end(purchased_at: datetime | None, settings: Settings) -> datetime | None:
    """The one definition of the refund window: it ends this long after the purchase."""
    if purchased_at is None:
        return None
    return purchased_at + timedelta(minutes=settings.refund_window_minutes)


def order_view(order: Order, settings: Settings) -> OrderView:
    refundable_until = refund_window_end(order.purchased_at, settings)
    credentials = None
    if order.status not in NO_CREDENTIALS and order.server_ip is not None:
        credentials = Credentials(
            ip=order.server_ip,
            port=order.port or "",
            login=order.username or "",
            password=order.password or "",
            country=order.country,
            isp=order.isp,
        )
    return OrderView(
        order_id=order.order_id,
        status=order.status,
        proxy_id=order.proxy_id,
        product_id=order.product_id,
        credentials_id=order.credentials_id,
        customer=order.customer,
        price=from_cents(order.price_cents),
        cost=order.cost,
        created_at=order.created_at,
        purchased_at=order.purchased_at,
        expires_at=order.expires_at,
        refundable_until=refundable_until,
        refundable=order.refundable,
        refunded_at=order.refunded_at,
        refund_amount=order.refunded_amount,
        credentials=credentials,
        country_code=order.country_code,
        city=order.city,
        proxy_type=order.proxy_type,
        missing_at_provider=bool(order.missing_at_provider),
        note=order.note,
        refund_state=order.refund_state,
        refund_requested_at=order.refund_requested_at,
        operator=order.operator,
    )


def normalise_order_id(order_id: str) -> str:
    """Ids are stored upper case; operators paste them with spaces or in lower case."""
    return str(order_id).strip().upper()


def not_found(order_id: str) -> NotFoundError:
    return NotFoundError(
        translate("errors", "No order {0} exists.").format(order_id),
        translate("errors", "Check the id; `proxyshop-desktop orders` (or the Sales tab) lists them."),
    )


def load_order(order_id: str) -> Order:
    """On the DB thread: the order or NotFoundError."""
    wanted = normalise_order_id(order_id)
    # locked until the caller's transaction ends: two machines refunding it act one after the other
    order: Order | None = locked(Order.select().where(Order.order_id == wanted)).first()
    if order is None:
        raise not_found(wanted or repr(order_id))
    return order


def check_status(status: str | None) -> OrderStatus | None:
    if status is None or status.strip() == "":
        return None
    wanted = status.strip().lower()
    if wanted not in ORDER_STATUSES:
        raise UsageError(
            translate("errors", "Unknown order status {0}.").format(repr(status.strip())),
            translate("errors", "Use one of: {0}.").format(", ".join(ORDER_STATUSES)),
        )
    return OrderStatus(wanted)


async def list_orders(
    ctx: ShopContext,
    *,
    customer: str | None = None,
    status: str | None = None,
    search: str | None = None,
) -> list[OrderView]:
    """Every matching order, newest first. `customer` is an exact reference; `search` a
    case-insensitive substring of the order id, customer, server IP or proxy IP. For lists that
    grow with the shop's history use `order_pages.page_orders`, which this shares its SQL with."""
    from proxyshop_desktop.services import order_pages  # it builds on this module

    query = order_pages.OrderQuery(search=search, status=check_status(status), customer=customer)
    rows = await ctx.store.run(order_pages.select_all, query)
    settings = ctx.settings
    return [order_view(row, settings) for row in rows]


async def get_order(ctx: ShopContext, order_id: str) -> OrderView:
    row = await ctx.store.run(load_order, order_id)
    return order_view(row, ctx.settings)
