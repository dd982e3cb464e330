"""Plain helpers shared by the money service tests (sales, refunds, reconcile, orders): rows as
the services write them, provider answers, a settable clock. The fixtures are in conftest.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.tables import AuditEvent, Order, Product

API = "http://provider.test/api/v1/authorized"
T0 = datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)
#: a password with every character the contract warns about
NASTY_PASSWORD = 'p:a"s,s=w\\o\'rd é;|%20 '
NASTY_USERNAME = " user:name,=\""


class Clock:
    """A settable 'now' for the services (they read `ctx.clock()`)."""

    def __init__(self, start: datetime) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def add_product(store: Store, proxy_id: int, **fields: Any) -> int:
    values: dict[str, Any] = {
        "proxy_id": proxy_id,
        "proxy_ip": f"10.0.{proxy_id // 256 % 256}.{proxy_id % 256}",
        "country": "United States",
        "country_code": "US",
        "city": "São Paulo",
        "region": "NY",
        "region_name": "New York",
        "zip": "10001",
        "isp": "Comcast Cable",
        "org": "Comcast",
        "as_name": "AS7922",
        "continent": "North America",
        "continent_code": "NA",
        "lat": 40.7,
        "lon": -74.0,
        "speed": 120.5,
        "proxy_type": "residential",
        "status": 1,
        "fingerprint": f"fp{proxy_id}",
        "first_seen": T0 - timedelta(days=1),
        "last_seen": T0 - timedelta(minutes=3),
        "last_changed": T0 - timedelta(hours=5),
    }
    values.update(fields)
    return store.run_blocking(lambda: Product.create(**values).id)


def product_row(store: Store, product_id: int) -> dict[str, Any] | None:
    def load() -> dict[str, Any] | None:
        row = Product.get_or_none(Product.id == product_id)
        return None if row is None else dict(row.__data__)

    return store.run_blocking(load)


def order_rows(store: Store) -> list[dict[str, Any]]:
    return store.run_blocking(lambda: [dict(o.__data__) for o in Order.select().order_by(Order.id)])


def audit_kinds(store: Store) -> list[tuple[str, bool]]:
    return store.run_blocking(
        lambda: [(e.kind, e.ok) for e in AuditEvent.select().order_by(AuditEvent.id)]
    )


def insert_order(store: Store, order_id: str, **fields: Any) -> str:
    """An order row as the services would have written it (status 'sold' unless given)."""
    values: dict[str, Any] = {
        "order_id": order_id,
        "status": "sold",
        "credentials_id": None,
        "proxy_id": 1,
        "customer": "",
        "server_ip": "203.0.113.7",
        "port": "10001",
        "username": "user",
        "password": "secret",
        "proxy_ip": "10.9.0.1",
        "country": "United States",
        "country_code": "US",
        "city": "Austin",
        "isp": "Comcast",
        "proxy_type": "residential",
        "price_cents": 200,
        "cost_cents": 120,
        "created_at": T0,
        "purchased_at": T0,
        "refundable": True,
    }
    values.update(fields)
    store.run_blocking(lambda: Order.create(**values))
    return order_id


def purchase(proxy_id: int, credentials_id: int, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "credentials_id": credentials_id,
        "proxy_id": proxy_id,
        "proxy_ip": f"10.9.0.{proxy_id % 256}",
        "server_ip": "203.0.113.7",
        "server_listening_port": "10001",
        "username": NASTY_USERNAME,
        "password": NASTY_PASSWORD,
        "price": 1.2,
        "expiration_time": "2025-04-13T12:00:00Z",
        "refundable": True,
    }
    body.update(overrides)
    return body


def buy_responder(answers: dict[int, Any]) -> Any:
    """A respx side effect answering /proxy/buy per proxy_id: a dict (200 JSON), an int (status),
    an httpx exception class, or an httpx.Response."""

    def respond(request: httpx.Request) -> httpx.Response:
        answer = answers[int(request.url.params["proxy_id"])]
        if isinstance(answer, dict):
            return httpx.Response(200, json=answer)
        if isinstance(answer, int):
            return httpx.Response(answer, json={"error": "injected"})
        if isinstance(answer, httpx.Response):
            return answer
        raise answer("injected", request=request)

    return respond


def bought(*items: dict[str, Any]) -> httpx.Response:
    return httpx.Response(200, json=list(items))


def by_id(store) -> dict[str, dict[str, Any]]:
    return {row["order_id"]: row for row in order_rows(store)}


# --- refund-check answers and a lost refund's order ----------------------------------------------

REFUNDABLE = {"refundable": True, "message": "refundable: proxy is offline"}
STILL_ONLINE = {"refundable": False, "message": "proxy is still online"}
ALREADY = {"refundable": False, "message": "already refunded"}
NOT_REFUNDABLE = {"refundable": False, "message": "this purchase is not refundable"}
OID = "ORD-20250314-LOST0001"
CID = 8101


def row(store, order_id: str = OID) -> dict[str, Any]:
    return store.run_blocking(lambda: dict(Order.get(Order.order_id == order_id).__data__))


def sold_with_mark(store, kind: str, sent_at, status: str = "sold", note: str = "Sold to Ann.") -> None:
    insert_order(store, OID, credentials_id=CID, status=status, note=note,
                 refund_state=kind, refund_requested_at=sent_at)
