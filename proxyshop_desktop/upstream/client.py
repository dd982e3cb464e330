"""The provider's HTTP API (../shared/upstream-api.md) as typed async calls.

Every failure becomes one of the typed errors in `proxyshop_desktop.errors`. Read-only calls retry
with backoff; `buy` and `refund` move money and are sent exactly once: when their outcome is
unknown (timeout after sending, dropped connection, unreadable 200) they raise OutcomeUnknownError
and the caller settles the truth from `/proxy/bought`.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import ssl
import sys
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from proxyshop_desktop import __version__
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import (
    AuthError,
    BadResponseError,
    BalanceTooLowError,
    NotRefundableError,
    OutcomeUnknownError,
    ProviderError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    ProxyUnavailableError,
    RateLimitedError,
)
from proxyshop_desktop.i18n import joined, translate
from proxyshop_desktop.upstream import schemas
from proxyshop_desktop.upstream.reading import HOSTILE_JSON, Inflate, Reply, TooLarge, hostile
from proxyshop_desktop.upstream.retry import RetryPolicy

log = logging.getLogger(__name__)
T = TypeVar("T")

# httpcore runs `import sniffio` for every lock it creates; since anyio 4.11 sniffio is no longer
# installed with it, and a failed import is not cached: a sys.path scan per request (~0.15 s of a
# 50,000-proxy sync; encode/httpcore discussion #1102). Record the absence once.
if importlib.util.find_spec("sniffio") is None:
    # None in sys.modules is Python's own "not importable" mark; typeshed allows modules only.
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

READ_ONLY = frozenset({"list", "lookup", "bought", "credentials", "check_refundable", "health"})

def _retry_after(response: Reply) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _error_for_status(endpoint: str, response: Reply) -> ProviderError:
    """The contract's status codes, per endpoint, as typed errors."""
    code = response.status_code
    if code == 401 or (code == 403 and endpoint != "buy"):
        return AuthError(translate("errors", "The provider rejected the API token (HTTP {0}).").format(code))
    if code == 429:
        wait = _retry_after(response)
        limited = (translate("errors", "The provider is rate limiting us (retry after {0} s).").format(f"{wait:g}")
                   if wait is not None else translate("errors", "The provider is rate limiting us."))
        return RateLimitedError(limited, retry_after=wait)
    if endpoint == "buy":
        if code == 403:
            return BalanceTooLowError(translate("errors", "The provider account balance is too low to buy this proxy."))
        if code == 404:
            return ProxyUnavailableError(translate("errors", "The provider no longer has this proxy (HTTP 404)."))
        if code == 503:
            return ProxyUnavailableError(translate("errors", "The provider's remote proxy server failed (HTTP 503)."))
    if endpoint in ("lookup", "credentials") and code == 404:
        return ProxyUnavailableError(
            translate("errors", "The provider does not know this {0} id (HTTP 404).").format(endpoint))
    if endpoint == "refund" and code == 400:
        return NotRefundableError(
            translate("errors", "The provider refused the refund: not refundable, or the proxy is still live."))
    if code >= 500 and endpoint in ("buy", "refund"):
        # A 5xx to a money-moving call (a gateway's 502/504 included) may come after the provider
        # acted; only the contract's 503 on buy (handled above) proves nothing happened.
        return OutcomeUnknownError(
            translate("errors", "The provider failed while handling the {0} (HTTP {1}); it may have happened."
                      ).format(endpoint, code)
        )
    if code >= 500:
        return ProviderUnavailableError(translate("errors", "The provider is failing (HTTP {0}).").format(code))
    return BadResponseError(translate("errors", "The provider answered HTTP {0} to {1}.").format(code, endpoint))


def _certificate_failure(exc: BaseException) -> bool:
    """httpx wraps the ssl module's verification error in a ConnectError."""
    chain: list[BaseException] = []
    link: BaseException | None = exc
    while link is not None and link not in chain:  # a chain can loop back on itself
        chain.append(link)
        if isinstance(link, ssl.SSLCertVerificationError):
            return True
        link = link.__cause__ or link.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)


class ProviderClient:
    """One shared `httpx.AsyncClient` for the whole app; close it with `aclose()`."""

    def __init__(
        self,
        settings: Settings,
        token: str,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.retry = retry or RetryPolicy()
        self._sleep = sleep
        self._base = settings.api_url
        self._health_url = settings.health_url
        self.requests_sent = 0
        self._background: set[asyncio.Future[Reply]] = set()
        headers = {
            "Authorization": f"{settings.auth_prefix}{token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Encoding": "gzip, deflate",  # what reading.Inflate decodes within the size cap
            "User-Agent": f"proxyshop-desktop/{__version__}",
        }
        self._http = httpx.AsyncClient(
            headers=headers,
            timeout=httpx.Timeout(settings.api_timeout, connect=min(10.0, settings.api_timeout)),
            limits=httpx.Limits(max_connections=16, max_keepalive_connections=16),
            transport=transport,
            verify=True,
            follow_redirects=False,
        )

    async def aclose(self) -> None:
        if self._background:  # exchanges whose callers were cancelled: let them give back their
            await asyncio.wait(list(self._background), timeout=1.0)  # connections first
        await self._http.aclose()

    async def __aenter__(self) -> ProviderClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # --- transport --------------------------------------------------------------------------

    async def _exchange(
        self, method: str, url: str, params: dict[str, Any] | None, body: Any
    ) -> Reply:
        """One request; the answer is read as a stream and given up once its decoded size passes
        the cap, so a compressed bomb never inflates in memory (issue 15). Error answers are not
        read at all: only their status and headers matter."""
        cap = self.settings.max_reply_mb << 20
        request = self._http.build_request(method, url, params=params, json=body)
        response = await self._http.send(request, stream=True)
        try:
            if response.status_code >= 300:
                return Reply(response.status_code, response.headers, b"")
            inflate = Inflate(response.headers.get("Content-Encoding", ""), cap)
            async for raw in response.aiter_raw():
                inflate.feed(raw)
            return Reply(response.status_code, response.headers, inflate.content())
        finally:
            await response.aclose()

    async def _send_once(
        self, endpoint: str, method: str, url: str, params: dict[str, Any] | None, body: Any
    ) -> Reply:
        money_moving = endpoint not in READ_ONLY
        self.requests_sent += 1
        try:
            response = await self._uncancelled(self._exchange(method, url, params, body))
        except TooLarge:
            what = (endpoint, self.settings.max_reply_mb)
            if money_moving:
                raise OutcomeUnknownError(translate(
                    "errors", "The provider's answer to {0} is larger than {1} MB; the {0} may have happened."
                ).format(*what)) from None
            raise BadResponseError(
                translate("errors", "The provider's answer to {0} is larger than {1} MB; it was not read further."
                          ).format(*what),
                translate("errors", "If the provider really sends pages this large, raise EXTERNAL_SOCKS_MAX_REPLY_MB "
                          "or lower the sync page size; otherwise try again later."),
            ) from None
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            # Nothing reached the provider: safe to report as unavailable even for buy/refund.
            if _certificate_failure(exc):
                raise ProviderUnavailableError(
                    translate("errors", "The provider's TLS certificate could not be verified; nothing was sent."),
                    translate("errors", "Check the provider URL (host name and scheme). If the provider changed its "
                              "certificate, make sure the system's CA certificates are up to date."),
                ) from None
            raise ProviderUnavailableError(
                translate("errors", "Cannot reach the provider ({0}).").format(type(exc).__name__)) from None
        except httpx.TimeoutException as exc:
            if money_moving:
                raise OutcomeUnknownError(
                    translate("errors", "The provider did not answer the {0} in time; it may have happened."
                              ).format(endpoint)
                ) from None
            raise ProviderTimeoutError(
                translate("errors", "The provider did not answer in {0} s ({1}).").format(
                    f"{self.settings.api_timeout:g}", type(exc).__name__)
            ) from None
        except (httpx.TransportError, httpx.DecodingError) as exc:
            if money_moving:
                raise OutcomeUnknownError(
                    translate("errors", "The connection dropped during the {0}; it may have happened.").format(endpoint)
                ) from None
            raise ProviderUnavailableError(translate("errors", "The connection to the provider failed ({0}).").format(
                type(exc).__name__)) from None
        if response.status_code >= 400:
            raise _error_for_status(endpoint, response)
        if response.status_code >= 300:
            raise BadResponseError(translate("errors", "The provider redirected the {0} (HTTP {1}).").format(
                endpoint, response.status_code))
        return response

    async def _uncancelled(self, request: Awaitable[Reply]) -> Reply:
        """Await an HTTP exchange that a cancellation never interrupts.

        httpcore 1.0.9 can strand a pool connection when a request is cancelled in flight
        (encode/httpcore#1093): the sync cancels the pages it no longer needs, and after ~200
        syncs 15 of the 16 slots were stuck (tests/reliability/test_soak.py). So the caller is
        cancelled at once, but the exchange runs to its end (within the timeout) in the
        background and gives its connection back; its outcome is read there and dropped."""
        task = asyncio.ensure_future(request)
        try:
            return await asyncio.shield(task)
        except asyncio.CancelledError:
            self._background.add(task)
            task.add_done_callback(self._forget)
            raise

    def _forget(self, task: asyncio.Future[Reply]) -> None:
        self._background.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" from a dropped page

    async def _with_retry(self, endpoint: str, attempt_once: Callable[[], Awaitable[T]]) -> T:
        attempt = 1
        while True:
            try:
                return await attempt_once()
            except ProviderError as error:
                if endpoint not in READ_ONLY or not self.retry.should_retry(error, attempt):
                    raise
                wait = self.retry.delay(error, attempt)
                log.warning("provider %s failed (%s); retry %d in %.1f s", endpoint, error.message, attempt, wait)
                await self._sleep(wait)
                attempt += 1

    @staticmethod
    def _json(endpoint: str, response: Reply) -> Any:
        if not response.content:
            raise BadResponseError(translate("errors", "The provider sent an empty answer to {0}.").format(endpoint))
        try:
            return json.loads(response.content)
        except (json.JSONDecodeError, UnicodeDecodeError):
            kind = (translate("errors", "The provider sent an HTML page instead of JSON to {0}.")
                    if response.content.lstrip()[:1] == b"<"
                    else translate("errors", "The provider sent invalid JSON instead of JSON to {0}."))
            raise BadResponseError(kind.format(endpoint)) from None
        except HOSTILE_JSON as exc:
            raise hostile(endpoint, exc) from None

    async def _read(self, endpoint: str, path: str, params: dict[str, Any] | None, parse: Callable[[Any], T],
                    method: str = "GET", body: Any = None, url: str | None = None) -> T:
        async def once() -> T:
            response = await self._send_once(endpoint, method, url or f"{self._base}{path}", params, body)
            payload = self._json(endpoint, response)
            try:
                return parse(payload)
            except HOSTILE_JSON as exc:
                raise hostile(endpoint, exc) from None

        return await self._with_retry(endpoint, once)

    # --- read-only endpoints ------------------------------------------------------------------

    async def health(self) -> None:
        """GET /health at the host root."""
        async def once() -> None:
            await self._send_once("health", "GET", self._health_url, None, None)

        await self._with_retry("health", once)

    async def list_page(
        self,
        page: int,
        page_size: int,
        *,
        status: int = 1,
        country_code: str | None = None,
        city: str | None = None,
        region: str | None = None,
        isp: str | None = None,
        residential: bool = True,
        mobile: bool = True,
        hosting: bool = True,
    ) -> schemas.ListingPage:
        params: dict[str, Any] = {
            "page": page,
            "page_size": page_size,
            "status": status,
            "residential": "true" if residential else "false",
            "mobile": "true" if mobile else "false",
            "hosting": "true" if hosting else "false",
        }
        for name, value in (("country_code", country_code), ("city", city), ("region", region), ("isp", isp)):
            if value:
                params[name] = value
        return await self._read("list", "/proxy", params, schemas.parse_listing_page)

    async def list_page_fields(
        self, page: int, page_size: int, *, status: int = 1, country_code: str | None = None
    ) -> schemas.ListingFields:
        """`list_page` for the bulk sync: items as validated dicts (about 3x cheaper to parse);
        a page the fast parser refuses goes through the tolerant path, same errors."""
        params: dict[str, Any] = {
            "page": page, "page_size": page_size, "status": status,
            "residential": "true", "mobile": "true", "hosting": "true",
        }
        if country_code:
            params["country_code"] = country_code

        async def once() -> schemas.ListingFields:
            response = await self._send_once("list", "GET", f"{self._base}/proxy", params, None)
            try:
                fast = schemas.parse_listing_fields(response.content)
                if fast is not None:
                    return fast
                return schemas.listing_fields(schemas.parse_listing_page(self._json("list", response)))
            except HOSTILE_JSON as exc:
                raise hostile("list", exc) from None

        return await self._with_retry("list", once)

    async def lookup(self, proxy_id: int) -> schemas.ProxyItem:
        return await self._read("lookup", "/proxy/lookup", {"proxy_id": proxy_id}, schemas.parse_proxy)

    async def bought_page(self, page: int, page_size: int) -> tuple[list[schemas.Purchase], int, int]:
        """(purchases, unusable elements, raw element count) of one `/proxy/bought` page."""
        def parse(payload: Any) -> tuple[list[schemas.Purchase], int, int]:
            purchases, bad = schemas.parse_purchases(payload)
            return purchases, bad, len(purchases) + bad

        return await self._read("bought", "/proxy/bought", {"page": page, "page_size": page_size}, parse)

    async def bought_all(self, page_size: int = 200, max_pages: int = 10_000) -> list[schemas.Purchase]:
        """Every purchase made with this key, de-duplicated by credentials_id."""
        seen: dict[int, schemas.Purchase] = {}
        for page in range(max_pages):
            purchases, _bad, raw = await self.bought_page(page, page_size)
            for purchase in purchases:
                seen.setdefault(purchase.credentials_id, purchase)
            if raw < page_size:
                break
        else:  # never a short page: a partial list must not pass for the whole record
            raise BadResponseError(
                translate("errors", "The provider's purchase list did not end after {0} pages.").format(max_pages))
        return list(seen.values())

    async def credentials(self, credentials_id: int) -> schemas.Purchase:
        return await self._read(
            "credentials", "/proxy/credentials", {"credentials_id": credentials_id},
            lambda p: schemas.parse_purchase(p, "credentials"),
        )

    async def check_refundable(self, credentials_id: int) -> schemas.RefundCheck:
        return await self._read(
            "check_refundable", "/proxy/check-refundable", None, schemas.parse_refund_check,
            method="POST", body={"credentials_id": credentials_id},
        )

    # --- money-moving endpoints: sent once, never retried -------------------------------------

    async def buy(self, proxy_id: int) -> schemas.Purchase:
        response = await self._send_once("buy", "GET", f"{self._base}/proxy/buy", {"proxy_id": proxy_id}, None)
        try:
            return schemas.parse_purchase(self._json("buy", response), "buy response")
        except BadResponseError as exc:
            # HTTP 200 means it charged us; without readable credentials the sale is unknown.
            raise OutcomeUnknownError(
                joined(exc.text, translate("errors", "The provider may have charged the sale."))) from None

    async def refund(self, credentials_id: int) -> None:
        await self._send_once("refund", "POST", f"{self._base}/proxy/refund", None, {"credentials_id": credentials_id})
