"""Rows written straight into the store, for tests that need inventory or orders without a provider.

Every helper runs on the store's DB thread (`store.run_blocking`), like the services do. Fields not
given get plausible defaults; pass any column of the table as a keyword to override it.
"""

from __future__ import annotations

import itertools
import os
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import Order, Product, SyncRun
from proxyshop_desktop.money import to_cents
from proxyshop_desktop.paths import AppPaths

_ids = itertools.count(1)


def shop_store(paths: AppPaths) -> Store:
    """The store (not open yet) that the app would use in this test: the data dir's SQLite file,
    or the PostgreSQL database that PROXYSHOP_DATABASE_URL names (the `engine` fixture sets it)."""
    from proxyshop_desktop.config import Settings
    from proxyshop_desktop.services.shop import open_store

    return open_store(paths, Settings(database_url=os.environ.get("PROXYSHOP_DATABASE_URL", "")))


def create_product(store: Store, **fields: Any) -> Product:
    """One inventory row; `proxy_id` defaults to a fresh unique number."""
    n = next(_ids)
    now = utcnow()
    values: dict[str, Any] = {
        "proxy_id": 900_000 + n,
        "proxy_ip": f"10.1.{n // 250}.{n % 250 + 1}",
        "country": "United States",
        "country_code": "US",
        "city": "New York",
        "region": "NY",
        "isp": "Example ISP",
        "speed": 120.0,
        "proxy_type": "residential",
        "status": 1,
        "fingerprint": f"fp-{n}",
        "first_seen": now,
        "last_seen": now,
        "last_changed": now,
    }
    values.update(fields)
    return store.run_blocking(lambda: Product.create(**values))


def create_order(
    store: Store,
    *,
    status: str = "sold",
    price: Decimal | str = Decimal("2.00"),
    cost: Decimal | str | None = Decimal("1.00"),
    purchased_at: datetime | None = None,
    refunded: bool | None = None,
    **fields: Any,
) -> Order:
    """One order. status "refunded" (or refunded=True) also sets refunded_at and refund_cents
    (the full price) unless given; "pending" orders get no credentials and no purchase time."""
    n = next(_ids)
    now = utcnow()
    purchased = purchased_at or now - timedelta(minutes=5)
    pending = status == "pending"
    values: dict[str, Any] = {
        "order_id": f"ORD-TEST{n:06d}",
        "status": status,
        "credentials_id": None if pending else 500_000 + n,
        "product_id": None,
        "proxy_id": 700_000 + n,
        "customer": "",
        "server_ip": None if pending else f"203.0.113.{n % 250 + 1}",
        "port": None if pending else str(20_000 + n),
        "username": None if pending else f"user{n}",
        "password": None if pending else f"pass{n}",
        "proxy_ip": f"10.2.{n // 250}.{n % 250 + 1}",
        "country": "Germany",
        "country_code": "DE",
        "city": "Berlin",
        "region": "BE",
        "isp": "Example Telecom",
        "proxy_type": "residential",
        "price_cents": to_cents(Decimal(str(price))),
        "cost_cents": None if cost is None else to_cents(Decimal(str(cost))),
        "created_at": purchased,
        "purchased_at": None if pending else purchased,
        "expires_at": None if pending else purchased + timedelta(days=30),
        "refundable": True,
    }
    if status == "refunded" or refunded:
        values["refunded_at"] = purchased + timedelta(minutes=10)
        values["refund_cents"] = values["price_cents"]
    values.update(fields)
    return store.run_blocking(lambda: Order.create(**values))


def create_sync_run(store: Store, **fields: Any) -> SyncRun:
    """A finished, successful sync run unless told otherwise."""
    now = utcnow()
    values: dict[str, Any] = {
        "kind": "sync",
        "trigger": "manual",
        "started_at": now - timedelta(seconds=3),
        "finished_at": now,
        "status": "success",
        "pages": 1,
        "fetched": 10,
        "added": 10,
    }
    values.update(fields)
    return store.run_blocking(lambda: SyncRun.create(**values))


def open_context(paths: Any, **settings: Any) -> Any:
    """A ShopContext on a freshly opened Store, without the Shop facade (for service tests).

    Close it with `ctx.store.close()`. Its client() raises: these tests never reach a provider."""
    from proxyshop_desktop.config import Settings
    from proxyshop_desktop.services.context import ShopContext

    def no_client() -> Any:
        raise AssertionError("this test must not call the provider")

    from proxyshop_desktop.services.shop import open_store

    paths.ensure()
    # PROXYSHOP_DATABASE_URL: set by the `engine` fixture on PostgreSQL runs
    settings.setdefault("database_url", os.environ.get("PROXYSHOP_DATABASE_URL", ""))
    store = open_store(paths, Settings(**settings))
    store.open()
    return ShopContext(settings=Settings(**settings), paths=paths, store=store, client=no_client)
