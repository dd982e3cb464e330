"""The shop's tables. All models bind to `database_proxy`, which `Store` initialises."""

from __future__ import annotations

import threading
from decimal import Decimal

import peewee

from proxyshop_desktop.models.fields import UtcDateTimeField
from proxyshop_desktop.money import from_cents
from proxyshop_desktop.vocabulary import OrderStatus


class ThreadBoundProxy(peewee.DatabaseProxy):
    """The database of the calling thread's store: each Store binds its DB thread at open, and
    every query runs there. A process normally has one store; tests run two "machines" on one
    shared database in one process, whose queries must not cross (a row lock taken on one
    connection and a transaction open on another). Other threads see the last initialised."""

    __slots__ = ("_local", "_fallback")

    def __init__(self) -> None:
        object.__setattr__(self, "_local", threading.local())
        super().__init__()

    @property
    def obj(self) -> peewee.Database | None:
        bound: peewee.Database | None = getattr(self._local, "db", None)
        fallback: peewee.Database | None = self._fallback
        return bound if bound is not None else fallback

    @obj.setter
    def obj(self, value: peewee.Database | None) -> None:
        object.__setattr__(self, "_fallback", value)

    def __setattr__(self, attr: str, value: object) -> None:
        object.__setattr__(self, attr, value)

    def bind_thread(self, db: peewee.Database) -> None:
        self._local.db = db


database_proxy = ThreadBoundProxy()

#: what a refunded order gave back, in SQL: its recorded refund, else its price (an order refunded
#: without a recorded amount was never written by this app, but an imported database may hold one)
REFUNDED_CENTS_SQL = "COALESCE(refund_cents, price_cents)"


class BaseModel(peewee.Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Product(BaseModel):
    """One online proxy of the provider's listing that the shop can sell."""

    id = peewee.AutoField()  # the shop's product_id
    proxy_id = peewee.IntegerField(unique=True)
    proxy_ip = peewee.TextField(null=True)
    country = peewee.TextField(null=True)
    country_code = peewee.TextField(null=True)  # served by the (country_code, city, id) index (v2)
    city = peewee.TextField(null=True)
    region = peewee.TextField(null=True)
    region_name = peewee.TextField(null=True)
    zip = peewee.TextField(null=True)
    isp = peewee.TextField(null=True)
    org = peewee.TextField(null=True)
    as_name = peewee.TextField(null=True)
    continent = peewee.TextField(null=True)
    continent_code = peewee.TextField(null=True)
    lat = peewee.FloatField(null=True)
    lon = peewee.FloatField(null=True)
    speed = peewee.FloatField(null=True)
    proxy_type = peewee.TextField(index=True)
    status = peewee.IntegerField(default=1)
    fingerprint = peewee.TextField()  # hash of the listing fields: unchanged rows are not rewritten
    first_seen = UtcDateTimeField()
    last_seen = UtcDateTimeField()
    last_changed = UtcDateTimeField()


#: The product columns a listing item fills, in the order the sync's rows carry them: the sync's
#: SQL and its tuple positions are derived from this one list (services/listing.py, sync.py).
LISTING_COLUMNS: tuple[str, ...] = (
    "proxy_ip", "country", "country_code", "city", "region", "region_name", "zip", "isp", "org",
    "as_name", "continent", "continent_code", "lat", "lon", "speed", "proxy_type",
)
#: A sync row: the listing columns, then their fingerprint, the provider's id and the three times.
SYNC_ROW_COLUMNS: tuple[str, ...] = (
    *LISTING_COLUMNS, "fingerprint", "proxy_id", "first_seen", "last_seen", "last_changed",
)


class Order(BaseModel):
    """A sale: written as 'pending' before the provider is called, settled after."""

    id = peewee.AutoField()
    order_id = peewee.TextField(unique=True)
    status = peewee.TextField(index=True)  # a vocabulary.OrderStatus
    credentials_id = peewee.IntegerField(null=True, unique=True)
    product_id = peewee.IntegerField(null=True)
    proxy_id = peewee.IntegerField(index=True)
    customer = peewee.TextField(default="", index=True)
    server_ip = peewee.TextField(null=True)
    port = peewee.TextField(null=True)
    username = peewee.TextField(null=True)
    password = peewee.TextField(null=True)
    proxy_ip = peewee.TextField(null=True)
    country = peewee.TextField(null=True)
    country_code = peewee.TextField(null=True)
    city = peewee.TextField(null=True)
    region = peewee.TextField(null=True)
    isp = peewee.TextField(null=True)
    proxy_type = peewee.TextField(null=True)
    price_cents = peewee.IntegerField()
    cost_cents = peewee.IntegerField(null=True)
    created_at = UtcDateTimeField()  # when the pending order was written
    purchased_at = UtcDateTimeField(null=True, index=True)
    expires_at = UtcDateTimeField(null=True)
    refundable = peewee.BooleanField(null=True)  # the provider's flag at purchase
    refunded_at = UtcDateTimeField(null=True)
    refund_cents = peewee.IntegerField(null=True)
    missing_at_provider = peewee.BooleanField(default=False)
    note = peewee.TextField(default="")  # the operator's words; no program state
    # A refund request of ours awaiting its answer (vocabulary.RefundState), and when it was sent.
    refund_state = peewee.TextField(null=True)
    refund_requested_at = UtcDateTimeField(null=True)
    operator = peewee.TextField(null=True)  # who (operator.current_operator); NULL before v7

    @property
    def price(self) -> Decimal:
        return from_cents(self.price_cents)

    @property
    def cost(self) -> Decimal | None:
        return None if self.cost_cents is None else from_cents(self.cost_cents)

    @property
    def refund_amount(self) -> Decimal | None:
        return None if self.refund_cents is None else from_cents(self.refund_cents)

    @property
    def refunded_amount(self) -> Decimal | None:
        """What went back to the customer (REFUNDED_CENTS_SQL's rule); None unless refunded."""
        if self.status != OrderStatus.REFUNDED:
            return None
        return from_cents(self.refund_cents if self.refund_cents is not None else self.price_cents)


class SyncRun(BaseModel):
    """One sync or cleanup run, successful or not."""

    id = peewee.AutoField()
    kind = peewee.TextField(default="sync")  # sync | cleanup
    scope = peewee.TextField(null=True)  # country code of a partial sync
    trigger = peewee.TextField(default="manual")  # manual | timer | cli
    started_at = UtcDateTimeField(index=True)
    finished_at = UtcDateTimeField(null=True)
    status = peewee.TextField(default="running")  # running | success | failed
    pages = peewee.IntegerField(default=0)
    fetched = peewee.IntegerField(default=0)
    available_external = peewee.IntegerField(null=True)
    added = peewee.IntegerField(default=0)
    updated = peewee.IntegerField(default=0)
    removed = peewee.IntegerField(default=0)
    skipped = peewee.IntegerField(default=0)
    requests = peewee.IntegerField(default=0)
    error = peewee.TextField(null=True)
    operator = peewee.TextField(null=True)  # who (operator.current_operator); NULL before v7


class AuditEvent(BaseModel):
    """The audit trail: every money action and every sync/cleanup, successful or not."""

    id = peewee.AutoField()
    at = UtcDateTimeField(index=True)
    kind = peewee.TextField(index=True)
    ok = peewee.BooleanField(default=True)
    order_id = peewee.TextField(null=True, index=True)
    proxy_id = peewee.IntegerField(null=True)
    credentials_id = peewee.IntegerField(null=True)
    amount_cents = peewee.IntegerField(null=True)
    message = peewee.TextField(default="")
    operator = peewee.TextField(null=True)  # who (operator.current_operator); NULL before v7
    # the message's i18n.Text id and args (JSON), for the reader's language; NULL before v10
    message_context = peewee.TextField(null=True)
    message_key = peewee.TextField(null=True)
    message_args = peewee.TextField(null=True)


ALL_TABLES: tuple[type[BaseModel], ...] = (Product, Order, SyncRun, AuditEvent)


class ProxyCheck(BaseModel):
    """One proxy check of a sold order, kept as evidence (created by migration v4, not by v1:
    so it is not in ALL_TABLES)."""

    id = peewee.AutoField()
    order_id = peewee.TextField()
    checked_at = UtcDateTimeField()
    outcome = peewee.TextField()  # a proxy_check.CheckOutcome value
    latency_ms = peewee.IntegerField(null=True)
    exit_ip = peewee.TextField(null=True)
    operator = peewee.TextField()  # who ran it: operator.current_operator()
    message = peewee.TextField(default="")
