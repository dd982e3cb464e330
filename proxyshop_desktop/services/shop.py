"""`Shop`: the Qt-free core that the window, the command line and the tests all drive the same way.

Start-up order: paths -> settings -> database (integrity check, migrations) -> lazy provider client.
Every operation is an `async` method delegating to one service module.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import httpx

from proxyshop_desktop import operator, token_store
from proxyshop_desktop.alerts import delivery, events
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.config import Settings, load_settings, save_settings
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.i18n import Text, joined, translate
from proxyshop_desktop.logging_setup import install_redaction
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.notify import ChangeListener
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import (
    audit,
    batch_sales,
    check_evidence,
    cleanup,
    export,
    inventory,
    maintenance,
    order_pages,
    orders,
    proxy_check,
    reconcile,
    refunds,
    report,
    sales,
    stats,
    sync,
)
from proxyshop_desktop.services.check_evidence import StoredCheck
from proxyshop_desktop.services.context import ClientFactory, ShopContext
from proxyshop_desktop.services.database_choice import open_store as open_store
from proxyshop_desktop.services.proxy_check import ProxyCheckResult
from proxyshop_desktop.services.report import ProfitReport
from proxyshop_desktop.services.results import (
    AuditView,
    BatchSaleResult,
    CleanupResult,
    ExportResult,
    InventoryPage,
    InventoryQuery,
    InventoryRow,
    OrderView,
    ReconcileResult,
    RefundCheckResult,
    RefundResult,
    ShopStats,
    SyncProgress,
    SyncResult,
    SyncRunView,
)
from proxyshop_desktop.services.settings_audit import settings_summary
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.retry import RetryPolicy
from proxyshop_desktop.vocabulary import OrderStatus


class Shop:
    def __init__(
        self,
        settings: Settings,
        paths: AppPaths,
        store: Store,
        *,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        data_lock: FileLock | None = None,
        client_factory: ClientFactory | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._token_override = token
        self._transport = transport
        self._retry = retry
        self._client_factory = client_factory or self._default_client
        self._client: ProviderClient | None = None
        self._data_lock = data_lock
        self._check_slots = asyncio.Semaphore(proxy_check.MAX_CONCURRENT_CHECKS)
        self.ctx = ShopContext(settings=settings, paths=paths, store=store, client=self._get_client,
                               clock=clock)

    @classmethod
    def open(
        cls,
        paths: AppPaths | None = None,
        *,
        environ: dict[str, str] | None = None,
        settings: Settings | None = None,
        token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        client_factory: ClientFactory | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> Shop:
        """Blocking start-up. `token` bypasses the keyring (demo mode, tests); `client_factory`
        builds the provider client (default: `ProviderClient` over `transport` with `retry`);
        `clock` is every service's "now"."""
        paths = paths or AppPaths.from_env(environ)
        paths.ensure()
        settings = settings or load_settings(paths.settings_file, environ)
        # Every process using the data dir holds this shared lock; restore needs it exclusively.
        data_lock = FileLock(paths.data_lock, shared=True, what=translate("errors", "a restore"))
        data_lock.acquire(timeout=5.0)
        operator.configure(settings.operator_name)
        store = open_store(paths, settings, environ)
        try:
            store.open()
        except BaseException:
            data_lock.release()
            raise
        return cls(settings, paths, store, token=token, transport=transport, retry=retry, data_lock=data_lock,
                   client_factory=client_factory, clock=clock)

    @property
    def settings(self) -> Settings:
        return self.ctx.settings

    @property
    def paths(self) -> AppPaths:
        return self.ctx.paths

    @property
    def store(self) -> Store:
        return self.ctx.store

    def _default_client(self, settings: Settings, token: str) -> ProviderClient:
        return ProviderClient(settings, token, transport=self._transport, retry=self._retry)

    def _get_client(self) -> ProviderClient:
        if self._client is None:
            token = self._token_override or token_store.get_token()
            install_redaction(token)  # window and CLI alike: no log line may carry it
            self._client = self._client_factory(self.settings, token)
        return self._client

    async def _client_ready(self) -> None:
        """Build the client off the event loop: the keyring read and httpx's TLS context cost
        tens of milliseconds, which would freeze the window (benchmarks/bench_gui.py)."""
        if self._client is None:
            # no token yet: the service raises it when it really needs the provider
            with contextlib.suppress(ShopError):
                await asyncio.to_thread(self._get_client)

    async def apply_settings(self, settings: Settings, token: str | None = None) -> None:
        """New settings (and optionally a new token override) take effect on the next request."""
        self.ctx.settings = settings
        operator.configure(settings.operator_name)
        if token is not None:
            self._token_override = token
        await self.reset_client()

    async def save_settings(
        self, settings: Settings, *, token: str | None = None, labels: Mapping[str, str] | None = None,
        notes: Sequence[str] = (),
    ) -> str:
        """Write the settings file, apply it (and a new token override), and audit what changed.
        `labels` names the fields in the audit entry (default: their names); `notes` adds other
        changes made alongside (a replaced bot token). Returns the audit entry's text."""
        before = self.settings
        await asyncio.to_thread(save_settings, settings, self.paths.settings_file)
        await self.apply_settings(settings, token=token)
        summary = settings_summary(before, settings, labels, token_replaced=token is not None, notes=notes)
        await self.store.run(audit.record, "settings", summary, at=self.ctx.clock())
        return summary

    async def reset_client(self) -> None:
        """Drop the client so the next call picks up a changed token or settings."""
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def listen_for_changes(self, on_change: Callable[[str], None]) -> ChangeListener | None:
        """On a shared PostgreSQL database: a started listener calling `on_change(table)` (from
        its own thread) when any machine commits a change; None on SQLite (one machine)."""
        store = self.store
        if store.target is None:
            return None
        listener = ChangeListener(store.target, store.password, on_change)
        listener.start()
        return listener

    async def aclose(self) -> None:
        await self.reset_client()
        self.store.close()
        if self._data_lock is not None:
            self._data_lock.release()

    # --- operations -----------------------------------------------------------------------------

    async def test_connection(self) -> Text:
        """Health at the host root, then one authorised listing request. Returns a summary."""
        await self._client_ready()
        client = self._get_client()
        await client.health()
        page = await client.list_page(0, 1)
        return joined(translate("shop", "Provider reachable and token accepted ({0}).").format(self.settings.root_url),
                      None if page.raw_count else translate("shop", "The listing is empty."))

    async def probe_connection(self, settings: Settings, token: str | None = None) -> Text:
        """`test_connection` with the given settings and token (saved or not), on a client of its
        own: this shop's settings and client stay as they are."""
        if settings == self.settings and token is None:
            return await self.test_connection()
        probe = Shop(settings, self.paths, self.store, token=token or self._token_override,
                     client_factory=self._client_factory, clock=self.ctx.clock)
        try:
            return await probe.test_connection()
        finally:
            await probe.reset_client()

    async def sync(
        self,
        country: str | None = None,
        *,
        trigger: str = "manual",
        progress: Callable[[SyncProgress], None] | None = None,
    ) -> SyncResult:
        await self._client_ready()
        return await sync.run_sync(self.ctx, country=country, trigger=trigger, progress=progress)

    async def cleanup(self) -> CleanupResult:
        await self._client_ready()
        return await cleanup.run_cleanup(self.ctx)

    async def inventory(self, query: InventoryQuery, *, exact_total: bool = True) -> InventoryPage:
        """One page; `exact_total` False: no slow COUNT before the rows while the facet counts
        are being rebuilt (the page may then say `counted` False; `inventory_total` counts)."""
        return await inventory.query_inventory(self.ctx, query, exact_total)

    async def inventory_total(self, query: InventoryQuery) -> int:
        """How many proxies match the query's filters (after a page that was not `counted`)."""
        return await inventory.count_matches(self.ctx, query)

    async def inventory_rows(self, query: InventoryQuery) -> list[InventoryRow]:
        """Every row matching the query's filters, in its order (the window's table)."""
        return await inventory.inventory_rows(self.ctx, query)

    async def inventory_facets(self, query: InventoryQuery) -> dict[str, list[tuple[str, int]]]:
        """What each filter offers and how many match (country, city, proxy type)."""
        return await inventory.facet_counts(self.ctx, query)

    async def country_names(self, codes: Iterable[str]) -> dict[str, str]:
        """{code: country name} for these codes (the paged table knows only the loaded rows')."""
        return await inventory.country_names(self.ctx, codes)

    async def sell(self, product_id: int, customer: str = "") -> OrderView:
        await self._client_ready()
        return await sales.sell(self.ctx, product_id, customer)

    async def sell_many(self, product_ids: list[int], customer: str = "") -> BatchSaleResult:
        await self._client_ready()
        return await batch_sales.sell_many(self.ctx, product_ids, customer)

    async def sell_batch(self, count: int, query: InventoryQuery, customer: str = "") -> BatchSaleResult:
        await self._client_ready()
        return await batch_sales.sell_batch(self.ctx, count, query, customer)

    async def orders(
        self, customer: str | None = None, status: str | None = None, search: str | None = None
    ) -> list[OrderView]:
        return await orders.list_orders(self.ctx, customer=customer, status=status, search=search)

    async def order_page(self, query: order_pages.OrderQuery) -> order_pages.OrderPage:
        """One page of orders: filtered, searched and sorted by the database."""
        return await order_pages.page_orders(self.ctx, query)

    async def kept_order_ids(self, query: order_pages.OrderQuery) -> list[str]:
        """The exportable orders matching a query's filter and search (its paging ignored)."""
        return await self.ctx.store.run(order_pages.select_kept_ids, order_pages.check_query(query))

    async def refund_candidates(self, operator: str | None = None) -> list[OrderView]:
        """What a refund can act on now: kept sales inside their window, outcomes to settle
        (`operator`: of that operator's sales only)."""
        return await order_pages.refund_candidates(self.ctx, self.ctx.clock(), operator)

    async def refunded_page(self, page: int, limit: int, operator: str | None = None) -> order_pages.OrderPage:
        """Refunded orders, the latest refund first."""
        query = order_pages.OrderQuery(status=OrderStatus.REFUNDED, sort="refunded_at", page=page,
                                       limit=limit, operator=operator)
        return await order_pages.page_orders(self.ctx, query)

    async def refunded_total(self, operator: str | None = None) -> tuple[int, Decimal]:
        """How many orders were refunded, and what went back in all."""
        return await self.ctx.store.run(order_pages.refunded_total, operator)

    async def order(self, order_id: str) -> OrderView:
        return await orders.get_order(self.ctx, order_id)

    async def check_refund(self, order_id: str) -> RefundCheckResult:
        await self._client_ready()
        return await refunds.check_refund(self.ctx, order_id)

    async def refund(self, order_id: str) -> RefundResult:
        await self._client_ready()
        return await refunds.refund(self.ctx, order_id)

    async def settle_refund(self, order_id: str, *, refunded: bool) -> RefundResult:
        """The operator's finding for a refund_unknown order (no provider call)."""
        return await refunds.settle_unknown(self.ctx, order_id, refunded=refunded)

    async def check_order(self, order_id: str, *, context: str = "") -> ProxyCheckResult:
        """Connect through the sold proxy with its own login (no provider call); the outcome is
        stored with the order and in the audit trail (`context`: why, e.g. "before a refund")."""
        result = await proxy_check.check_order(self.ctx, order_id, self._check_slots)
        await self.store.run(
            check_evidence.record, result, current_operator(), context=context
        )
        return result

    async def order_checks(self, order_id: str) -> list[StoredCheck]:
        """The order's stored checks, newest first."""
        return await self.store.run(check_evidence.checks_of, orders.normalise_order_id(order_id))

    async def reconcile(self) -> ReconcileResult:
        await self._client_ready()
        return await reconcile.reconcile(self.ctx)

    async def stats(self) -> ShopStats:
        return await stats.shop_stats(self.ctx)

    async def report(self, by: str, since: datetime | None = None) -> ProfitReport:
        """Sold, refunded, refund rate, revenue, cost and profit per day/country/type/isp."""
        return await report.profit_report(self.ctx, by, since)

    async def sync_history(self, limit: int = 100) -> list[SyncRunView]:
        return await stats.sync_history(self.ctx, limit)

    async def audit_events(
        self, limit: int = 500, kind: str | None = None, failures_only: bool = False, text: str | None = None,
        operator: str | None = None,
    ) -> list[AuditView]:
        return await self.store.run(audit.recent, limit, kind, failures_only, text, operator)

    async def audit_page(
        self, f: audit.AuditFilter, *, before: int | None = None, down_to: int | None = None,
        limit: int = 200,
    ) -> audit.AuditPage:
        """A page of the audit trail, newest first (see `audit.page`)."""
        return await self.store.run(audit.page, f, before=before, down_to=down_to, limit=limit)

    async def export(
        self,
        fmt: str,
        out: Path,
        *,
        customer: str | None = None,
        since: datetime | None = None,
        order_ids: list[str] | None = None,
        progress: export.Progress | None = None,
        with_check: bool = False,
    ) -> ExportResult:
        return await export.export_orders(
            self.ctx, fmt, out, customer=customer, since=since, order_ids=order_ids,
            progress=progress, with_check=with_check,
        )

    async def send_alerts(self, budget: float) -> delivery.FlushResult:
        """Raise the alerts the shop's state calls for (stuck sales, lost refunds, the daily
        summary), then send the queue to Telegram for at most ~`budget` seconds."""
        await events.check_shop(self.ctx)
        return await delivery.flush(self.ctx, budget=budget)

    async def backup(self) -> Path:
        return await maintenance.backup_now(self.ctx)

    async def daily_backup(self) -> Path | None:
        return await maintenance.daily_backup(self.ctx)

    @property
    def price(self) -> Decimal:
        return self.settings.price
