"""Plain helpers shared by the sync and cleanup tests: a respx-driven listing (exact paging and
faults), a context with small pages, and a runner on a fresh loop. The `listing` fixture is in
conftest.py."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import respx

from proxyshop_desktop.services import sync
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.factories import open_context

API = "http://provider.test/api/v1/authorized"
TOKEN = "sync-test-token"
PAGE = 10  # the smallest page size settings allow: paging is exercised with few items


def item(proxy_id: int | None, **fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "proxy_id": proxy_id,
        "proxy_ip": f"10.0.{(proxy_id or 0) // 250}.{(proxy_id or 0) % 250}",
        "country": "United States",
        "country_code": "US",
        "city": "New York",
        "region": "NY",
        "region_name": "New York",
        "zip": "10001",
        "isp": "Example ISP",
        "org": "Example Org",
        "as_name": "AS64500 Example",
        "speed": 120,
        "mobile": False,
        "hosting": False,
        "status": 1,
    }
    base.update(fields)
    return base


class FakeListing:
    """`GET /proxy` over `items`, 0-based pages; `faults[page]` answers instead (a Response, an
    exception, or a list of them consumed one per request); `pages` overrides whole page bodies."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.faults: dict[int, Any] = {}
        self.pages: dict[int, dict[str, Any]] = {}
        self.total: Any = "pages"
        self.requested: list[int] = []
        self.params: list[httpx.QueryParams] = []
        self.router: respx.MockRouter | None = None
        self.route: Any = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = request.url.params
        page, size = int(params["page"]), int(params["page_size"])
        self.requested.append(page)
        self.params.append(params)
        fault = self.faults.get(page)
        if isinstance(fault, list):
            fault = fault.pop(0) if fault else None
        if isinstance(fault, BaseException):
            raise fault
        if isinstance(fault, httpx.Response):
            return fault
        if page in self.pages:
            return httpx.Response(200, json=self.pages[page])
        listed = [i for i in self.items if i.get("status") in (1, "1", None)]
        country = params.get("country_code")
        if country:
            listed = [i for i in listed if str(i.get("country_code")).upper() == country.upper()]
        body: dict[str, Any] = {"proxies": listed[page * size:(page + 1) * size]}
        if self.total == "pages":
            body["total"] = -(-len(listed) // size)
        elif self.total is not None:
            body["total"] = self.total
        return httpx.Response(200, json=body)


def open_ctx(paths: Any, **settings: Any) -> ShopContext:
    values = {"api_url": API, "sync_page_size": PAGE, "sync_concurrency": 3, **settings}
    return open_context(paths, **values)


def run(ctx: ShopContext, make: Callable[[], Any]) -> Any:
    """Run `make()` on a fresh loop with a provider client of its own (closed after)."""

    async def main() -> Any:
        client = ProviderClient(ctx.settings, TOKEN, retry=FAST_RETRY)
        ctx.client = lambda: client
        try:
            return await make()
        finally:
            await client.aclose()

    return asyncio.run(main())


def do_sync(ctx: ShopContext, **kwargs: Any) -> Any:
    return run(ctx, lambda: sync.run_sync(ctx, **kwargs))


def sql(ctx: ShopContext, query: str, *params: Any) -> list[tuple[Any, ...]]:
    return ctx.store.run_blocking(lambda: ctx.store.db.execute_sql(query, params).fetchall())


def products(ctx: ShopContext) -> list[tuple[Any, ...]]:
    return sql(ctx, "SELECT * FROM product ORDER BY id")
