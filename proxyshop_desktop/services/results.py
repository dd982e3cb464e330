"""Typed results of the shop's operations, and their JSON forms (the web shop's shapes).

Money stays Decimal here and becomes a "2.00" string only in `to_json()`; times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from proxyshop_desktop.clock import iso
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.i18n import Text, joined
from proxyshop_desktop.money import money_str, ratio

# The runs' and the audit trail's results live in run_results.py; imported from here as well.
from proxyshop_desktop.services.run_results import AuditView as AuditView
from proxyshop_desktop.services.run_results import CleanupResult as CleanupResult
from proxyshop_desktop.services.run_results import SyncProgress as SyncProgress
from proxyshop_desktop.services.run_results import SyncResult as SyncResult
from proxyshop_desktop.services.run_results import SyncRunView as SyncRunView
from proxyshop_desktop.vocabulary import KEPT, SETTLED_BY_HAND


@dataclass(frozen=True)
class InventoryQuery:
    country_code: str | None = None
    city: str | None = None
    proxy_type: str | None = None  # residential | mobile | hosting
    isp: str | None = None  # case-insensitive substring
    max_speed: float | None = None
    page: int = 1  # 1-based
    page_size: int = 50
    sort: str = "country"  # a column key of InventoryRow; stable tie-break on product_id
    descending: bool = False
    max_refund_rate: Decimal | None = None  # 0.10: at most 10 % refunded (unknown rates pass)


@dataclass(frozen=True)
class InventoryRow:
    product_id: int
    proxy_id: int
    country: str | None
    country_code: str | None
    city: str | None
    region: str | None
    isp: str | None
    proxy_type: str
    speed: float | None
    price: Decimal
    status: str  # "online" | "offline"
    first_seen: datetime
    last_seen: datetime
    # the shop's own refund rate for proxies like this one (services/report.py refund_rates)
    refund_rate: Decimal | None = None
    refund_basis: str | None = None  # "country+isp" | "country" | None: too few sales

    def to_json(self) -> dict[str, Any]:
        return {
            "product_id": self.product_id,
            "proxy_id": self.proxy_id,
            "country": self.country,
            "country_code": self.country_code,
            "city": self.city,
            "region": self.region,
            "ISP": self.isp,
            "type": self.proxy_type,
            "speed": self.speed,
            "price": money_str(self.price),
            "status": self.status,
            "refund_rate": None if self.refund_rate is None else str(self.refund_rate),
            "refund_rate_basis": self.refund_basis,
        }


@dataclass(frozen=True)
class InventoryPage:
    rows: list[InventoryRow]
    total: int  # true number of matches (a lower bound when not `counted`)
    page: int
    page_size: int
    counted: bool = True  # False: asked for no slow COUNT (inventory_pages.page), and it was one

    def to_json(self) -> dict[str, Any]:
        return {
            "proxies": [row.to_json() for row in self.rows],
            "total": self.total,
            "page": self.page,
            "page_size": self.page_size,
        }


@dataclass(frozen=True)
class Credentials:
    ip: str
    port: str
    login: str
    password: str
    country: str | None
    isp: str | None

    @property
    def line(self) -> str:
        """ip:port:login:password, byte-exact."""
        return f"{self.ip}:{self.port}:{self.login}:{self.password}"

    def to_json(self) -> dict[str, Any]:
        return {
            "ip": self.ip,
            "port": self.port,
            "login": self.login,
            "password": self.password,
            "country": self.country,
            "ISP": self.isp,
        }


@dataclass(frozen=True)
class OrderView:
    order_id: str
    status: str  # a vocabulary.OrderStatus
    proxy_id: int
    product_id: int | None
    credentials_id: int | None
    customer: str
    price: Decimal
    cost: Decimal | None
    created_at: datetime
    purchased_at: datetime | None
    expires_at: datetime | None
    refundable_until: datetime | None  # purchased_at + refund window
    refundable: bool | None  # the provider's flag at purchase
    refunded_at: datetime | None
    refund_amount: Decimal | None  # what went back (Order.refunded_amount); None unless refunded
    credentials: Credentials | None  # None while pending
    country_code: str | None
    city: str | None
    proxy_type: str | None
    missing_at_provider: bool
    note: str
    refund_state: str | None = None  # a vocabulary.RefundState: a refund request awaits its answer
    refund_requested_at: datetime | None = None
    operator: str | None = None  # who sold it (None: written before schema v7)

    def in_refund_window(self, now: datetime) -> bool:
        """A kept sale whose refund window is still open at `now`."""
        until = self.refundable_until
        return self.status in KEPT and until is not None and now < until

    def refund_actionable(self, now: datetime) -> bool:
        """The Refunds tab lists it: inside its window, or a refund outcome the operator settles."""
        return self.in_refund_window(now) or self.status in SETTLED_BY_HAND

    def sale_json(self) -> dict[str, Any]:
        """The `sell` command's object."""
        return {
            "order_id": self.order_id,
            "proxy_id": self.proxy_id,
            "credentials": self.credentials.to_json() if self.credentials else None,
            "price": money_str(self.price),
            "expires_at": iso(self.expires_at),
            "refundable": bool(self.refundable),
        }

    def to_json(self) -> dict[str, Any]:
        """The `orders` command's object."""
        return {
            "order_id": self.order_id,
            "proxy_id": self.proxy_id,
            "customer": self.customer,
            "price": money_str(self.price),
            "purchased_at": iso(self.purchased_at),
            "expires_at": iso(self.expires_at),
            "refundable_until": iso(self.refundable_until),
            "status": self.status,
            "credentials": self.credentials.to_json() if self.credentials else None,
            "operator": self.operator,
        }


@dataclass(frozen=True)
class BatchFailure:
    product_id: int
    error: ShopError  # typed, so the window can tell a balance refusal from a vanished proxy

    @property
    def text(self) -> str:
        """What the operator reads: the message and its hint."""
        return str(self.error)

    @property
    def message_text(self) -> Text:
        """The same, translatable (the window, the CLI's language)."""
        return joined(self.error.text, self.error.hint_text)


@dataclass(frozen=True)
class BatchSaleResult:
    orders: list[OrderView]
    failed: list[BatchFailure]

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": [o.sale_json() for o in self.orders],
            "failed": [{"product_id": f.product_id, "error": f.text} for f in self.failed],
        }


@dataclass(frozen=True)
class RefundCheckResult:
    order_id: str
    refundable: bool
    reason: str  # in words: why not, or why yes
    provider_checked: bool  # False when a local rule already refused (window, already refunded)
    reason_text: Text | None = None  # the same, translatable


@dataclass(frozen=True)
class RefundResult:
    order_id: str
    refund_amount: Decimal
    message: str
    text: Text | None = None  # the message, translatable

    def to_json(self) -> dict[str, Any]:
        return {"status": "success", "message": self.message, "refund_amount": money_str(self.refund_amount)}


@dataclass(frozen=True)
class ReconcileResult:
    recovered: int  # provider purchases with no local order, now recorded
    settled: int  # pending orders completed from the provider's record
    voided: int  # pending orders the provider never charged
    unknown_locally: list[int]  # credentials_ids recovered this run
    missing_at_provider: list[str]  # local order ids the provider does not know
    # orders whose refund answer was lost (see services/refund_outcome.py):
    refunds_recorded: list[str] = field(default_factory=list)  # the provider says refunded
    refunds_not_done: list[str] = field(default_factory=list)  # the provider would refund it now
    refund_unknown: list[str] = field(default_factory=list)  # still cannot tell

    def to_json(self) -> dict[str, Any]:
        return {
            "recovered": self.recovered,
            "unknown_locally": self.unknown_locally,
            "missing_at_provider": self.missing_at_provider,
            "settled": self.settled,
            "voided": self.voided,
            "refunds_recorded": self.refunds_recorded,
            "refunds_not_done": self.refunds_not_done,
            "refund_unknown": self.refund_unknown,
        }


@dataclass(frozen=True)
class DailyFigure:
    day: str  # YYYY-MM-DD (UTC)
    sold: int
    refunded: int
    revenue: Decimal


@dataclass(frozen=True)
class ShopStats:
    total_inventory: int
    total_sold: int  # every sale, refunded ones included (pending/void excluded)
    total_refunded: int
    revenue: Decimal  # money kept: sales minus refunds
    countries_available: int
    last_sync: datetime | None
    pending_orders: int = 0
    cost: Decimal = Decimal("0.00")  # what the provider charged for kept sales
    by_country: list[tuple[str, int]] = field(default_factory=list)  # inventory, largest first
    by_type: list[tuple[str, int]] = field(default_factory=list)
    daily: list[DailyFigure] = field(default_factory=list)

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin(self) -> Decimal | None:
        """profit / revenue (0.3500 = 35 %); None without revenue."""
        return ratio(self.profit, self.revenue)

    def to_json(self) -> dict[str, Any]:
        return {
            "total_inventory": self.total_inventory,
            "total_sold": self.total_sold,
            "total_refunded": self.total_refunded,
            "revenue": money_str(self.revenue),
            "cost": money_str(self.cost),
            "profit": money_str(self.profit),
            "margin": None if self.margin is None else str(self.margin),
            "countries_available": self.countries_available,
            "last_sync": iso(self.last_sync),
        }


@dataclass(frozen=True)
class SkippedExport:
    """A sale an export left out (its credentials cannot be written in that format), and why."""

    order_id: str
    reason: str


@dataclass(frozen=True)
class ExportResult:
    path: Path
    count: int  # orders written
    # Left out of a TXT export (CSV carries them): the first ones by name, and how many in all.
    skipped: tuple[SkippedExport, ...] = ()
    skipped_count: int = 0

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": str(self.path),
            "count": self.count,
            "skipped": [{"order_id": s.order_id, "reason": s.reason} for s in self.skipped],
        }
        if self.skipped_count > len(self.skipped):
            data["skipped_count"] = self.skipped_count
        return data
