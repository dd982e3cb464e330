"""The provider client over respx: headers, error mapping per endpoint, and the retry policy
(read-only calls retry with backoff; buy and refund are sent exactly once)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import (
    AuthError,
    BadResponseError,
    BalanceTooLowError,
    NotRefundableError,
    OutcomeUnknownError,
    ProviderTimeoutError,
    ProviderUnavailableError,
    ProxyUnavailableError,
    RateLimitedError,
)
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.retry import RetryPolicy

ROOT = "http://provider.test"
API = f"{ROOT}/api/v1/authorized"
TOKEN = "s3cret-token-value"
POLICY = RetryPolicy(attempts=3, base_delay=0.5, max_delay=8.0, max_retry_after=30.0)

PURCHASE = {
    "credentials_id": 77, "proxy_id": 5, "proxy_ip": "198.51.100.9", "server_ip": "203.0.113.1",
    "server_listening_port": "10001", "username": "u", "password": "p:w,\"=", "price": 1.2,
    "expiration_time": "2030-01-01T00:00:00Z", "refundable": True,
}


@pytest.fixture
def router() -> Any:
    with respx.mock(base_url=API, assert_all_called=False) as mock:
        yield mock


def call(method: Callable[[ProviderClient], Any], settings: Settings | None = None,
         policy: RetryPolicy = POLICY) -> tuple[Any, ProviderClient, list[float]]:
    """Run one client call on a fresh loop; sleeps are recorded, not waited."""
    sleeps: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    async def main() -> tuple[Any, ProviderClient]:
        client = ProviderClient(settings or Settings(api_url=API), TOKEN, retry=policy, sleep=fake_sleep)
        try:
            return await method(client), client
        finally:
            await client.aclose()

    try:
        result, client = asyncio.run(main())
    except BaseException as exc:
        exc.sleeps = sleeps  # type: ignore[attr-defined]
        raise
    return result, client, sleeps


def listing(n: int = 2) -> dict[str, Any]:
    return {"proxies": [{"proxy_id": i, "status": 1} for i in range(1, n + 1)], "total": 1}


# --- requests -----------------------------------------------------------------------------------


def test_the_token_is_sent_raw_and_the_listing_parameters_follow_the_contract(router):
    route = router.get("/proxy").mock(return_value=httpx.Response(200, json=listing()))
    page, client, _ = call(lambda c: c.list_page(3, 150, status=0, country_code="DE", mobile=False))
    request = route.calls.last.request
    assert request.headers["Authorization"] == TOKEN
    assert request.headers["Content-Type"] == "application/json"
    params = request.url.params
    assert dict(params) == {"page": "3", "page_size": "150", "status": "0", "residential": "true",
                            "mobile": "false", "hosting": "true", "country_code": "DE"}
    assert page.raw_count == 2 and client.requests_sent == 1


def test_the_auth_prefix_is_configurable(router):
    route = router.get("/proxy").mock(return_value=httpx.Response(200, json=listing()))
    call(lambda c: c.list_page(0, 10), Settings(api_url=API, auth_prefix="Bearer "))
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_health_is_at_the_host_root():
    with respx.mock(assert_all_called=False) as mock:
        route = mock.get(f"{ROOT}/health").mock(return_value=httpx.Response(200, json={"status": "ok"}))
        call(lambda c: c.health())
    assert route.call_count == 1


# --- error mapping ------------------------------------------------------------------------------

READS: dict[str, tuple[str, str, Callable[[ProviderClient], Any]]] = {
    "list": ("GET", "/proxy", lambda c: c.list_page(0, 10)),
    "lookup": ("GET", "/proxy/lookup", lambda c: c.lookup(5)),
    "bought": ("GET", "/proxy/bought", lambda c: c.bought_page(0, 10)),
    "credentials": ("GET", "/proxy/credentials", lambda c: c.credentials(77)),
    "check": ("POST", "/proxy/check-refundable", lambda c: c.check_refundable(77)),
}
MONEY: dict[str, tuple[str, str, Callable[[ProviderClient], Any]]] = {
    "buy": ("GET", "/proxy/buy", lambda c: c.buy(5)),
    "refund": ("POST", "/proxy/refund", lambda c: c.refund(77)),
}
ALL = {**READS, **MONEY}


@pytest.mark.parametrize(("endpoint", "status", "error_type"), [
    ("list", 401, AuthError), ("list", 403, AuthError), ("bought", 403, AuthError),
    ("buy", 401, AuthError), ("refund", 401, AuthError),
    ("buy", 403, BalanceTooLowError), ("buy", 404, ProxyUnavailableError), ("buy", 503, ProxyUnavailableError),
    ("lookup", 404, ProxyUnavailableError), ("credentials", 404, ProxyUnavailableError),
    ("refund", 400, NotRefundableError),
    ("list", 429, RateLimitedError), ("buy", 429, RateLimitedError),
    ("list", 500, ProviderUnavailableError), ("check", 502, ProviderUnavailableError),
    # a 5xx to a money-moving call may come after the provider acted (503 on buy is the exception)
    ("buy", 500, OutcomeUnknownError), ("buy", 502, OutcomeUnknownError),
    ("refund", 500, OutcomeUnknownError), ("refund", 503, OutcomeUnknownError),
    ("list", 404, BadResponseError), ("list", 302, BadResponseError),
])
def test_status_codes_become_typed_errors(router, endpoint, status, error_type):
    method, path, do = ALL[endpoint]
    headers = {"Location": "http://elsewhere.test/"} if status == 302 else {}
    getattr(router, method.lower())(path).mock(
        return_value=httpx.Response(status, headers=headers, json={"error": "x"})
    )
    with pytest.raises(error_type) as caught:
        call(do, policy=RetryPolicy(attempts=1))
    assert TOKEN not in str(caught.value) and caught.value.hint


def test_the_auth_error_names_the_cause_and_the_remedy(router):
    router.get("/proxy").mock(return_value=httpx.Response(401, json={"message": "invalid API key"}))
    with pytest.raises(AuthError) as caught:
        call(lambda c: c.list_page(0, 10))
    assert "token" in caught.value.message.lower() and "token" in caught.value.hint.lower()
    assert caught.value.sleeps == []  # an operator problem: not retried


@pytest.mark.parametrize(("body", "kind"), [
    (b"<html><body>502 Bad Gateway</body></html>", "HTML page"),
    (b'{"proxies": [', "invalid JSON"),
    (b"", "empty answer"),
    (b"\xff\xfe\x00garbage", "invalid JSON"),
])
def test_bodies_that_are_not_json_are_bad_responses(router, body, kind):
    router.get("/proxy").mock(return_value=httpx.Response(200, content=body))
    with pytest.raises(BadResponseError, match=kind):
        call(lambda c: c.list_page(0, 10), policy=RetryPolicy(attempts=1))


# --- retry policy -------------------------------------------------------------------------------


def test_a_read_retries_5xx_with_growing_backoff_then_succeeds(router):
    route = router.get("/proxy").mock(side_effect=[httpx.Response(500), httpx.Response(503),
                                                   httpx.Response(200, json=listing())])
    page, client, sleeps = call(lambda c: c.list_page(0, 10))
    assert page.raw_count == 2 and route.call_count == 3 and client.requests_sent == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # base * 2^n with jitter


def test_a_read_gives_up_after_the_policy_attempts(router):
    route = router.get("/proxy/bought").mock(return_value=httpx.Response(500))
    with pytest.raises(ProviderUnavailableError, match="HTTP 500"):
        call(lambda c: c.bought_page(0, 10))
    assert route.call_count == POLICY.attempts


@pytest.mark.parametrize(("failure", "error_type"), [
    (httpx.ReadTimeout("slow"), ProviderTimeoutError),
    (httpx.ConnectError("refused"), ProviderUnavailableError),
    (httpx.RemoteProtocolError("dropped"), ProviderUnavailableError),
])
def test_transport_failures_of_reads_are_retried_then_typed(router, failure, error_type):
    route = router.get("/proxy/lookup").mock(side_effect=failure)
    with pytest.raises(error_type):
        call(lambda c: c.lookup(5))
    assert route.call_count == POLICY.attempts


def test_a_malformed_page_is_retried(router):
    route = router.get("/proxy").mock(side_effect=[httpx.Response(200, html="<html>oops</html>"),
                                                   httpx.Response(200, json=listing(3))])
    page, _, _ = call(lambda c: c.list_page(0, 10))
    assert page.raw_count == 3 and route.call_count == 2


def test_rate_limits_wait_for_retry_after(router):
    route = router.get("/proxy").mock(side_effect=[httpx.Response(429, headers={"Retry-After": "2"}),
                                                   httpx.Response(200, json=listing())])
    _, _, sleeps = call(lambda c: c.list_page(0, 10))
    assert sleeps == [2.0] and route.call_count == 2


def test_a_retry_after_too_long_to_wait_is_reported_not_waited(router):
    route = router.get("/proxy").mock(return_value=httpx.Response(429, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimitedError) as caught:
        call(lambda c: c.list_page(0, 10))
    assert route.call_count == 1 and caught.value.retry_after == 3600.0
    assert "3600" in caught.value.message


# --- money-moving calls: exactly once -------------------------------------------------------------


@pytest.mark.parametrize("endpoint", list(MONEY))
@pytest.mark.parametrize("answer", [500, 502, 503, 504, 429, "timeout", "dropped"])
def test_buy_and_refund_are_never_retried(router, endpoint, answer):
    method, path, do = MONEY[endpoint]
    side_effect: Any
    if answer == "timeout":
        side_effect = httpx.ReadTimeout("slow")
    elif answer == "dropped":
        side_effect = httpx.RemoteProtocolError("peer closed connection")
    else:
        side_effect = httpx.Response(answer, headers={"Retry-After": "1"})
    route = getattr(router, method.lower())(path).mock(side_effect=side_effect)
    # 429: refused before acting; buy's 503: the proxy is not for sale; otherwise it may have happened
    expected: type[Exception] = OutcomeUnknownError
    if answer == 429:
        expected = RateLimitedError
    elif (endpoint, answer) == ("buy", 503):
        expected = ProxyUnavailableError
    with pytest.raises(expected) as caught:
        call(do)
    assert type(caught.value) is expected
    assert route.call_count == 1 and caught.value.sleeps == []


@pytest.mark.parametrize(("endpoint", "failure"), [
    ("buy", httpx.ReadTimeout("slow")), ("buy", httpx.RemoteProtocolError("dropped")),
    ("refund", httpx.ReadTimeout("slow")), ("refund", httpx.WriteTimeout("slow")),
])
def test_a_money_call_lost_after_sending_has_an_unknown_outcome(router, endpoint, failure):
    method, path, do = MONEY[endpoint]
    getattr(router, method.lower())(path).mock(side_effect=failure)
    with pytest.raises(OutcomeUnknownError) as caught:
        call(do)
    assert caught.value.outcome_unknown and "reconcile" in caught.value.hint


def test_a_buy_that_never_connected_is_certainly_not_done(router):
    router.get("/proxy/buy").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(ProviderUnavailableError) as caught:
        call(lambda c: c.buy(5))
    assert not caught.value.outcome_unknown


def test_a_charged_buy_with_an_unreadable_answer_is_an_unknown_outcome(router):
    router.get("/proxy/buy").mock(return_value=httpx.Response(200, content=b'{"credentials_id": 5, "serv'))
    with pytest.raises(OutcomeUnknownError, match="may have charged"):
        call(lambda c: c.buy(5))


def test_a_buy_returns_the_purchase_byte_exact(router):
    router.get("/proxy/buy").mock(return_value=httpx.Response(200, json=PURCHASE))
    purchase, _, _ = call(lambda c: c.buy(5))
    assert purchase.password == 'p:w,"=' and purchase.server_listening_port == "10001"
    assert purchase.credentials_id == 77


@pytest.mark.parametrize("answer", [httpx.Response(204), httpx.Response(200, content=b""),
                                    httpx.Response(200, json={"status": "ok"})])
def test_any_2xx_refund_is_accepted_whatever_the_body(router, answer):
    route = router.post("/proxy/refund").mock(return_value=answer)
    call(lambda c: c.refund(77))
    assert route.calls.last.request.content == b'{"credentials_id":77}'


# --- paged reads ----------------------------------------------------------------------------------


def test_bought_all_pages_until_a_short_page_and_deduplicates(router):
    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["page"])
        ids = {0: [1, 2], 1: [2, 3], 2: [4]}.get(number, [])
        return httpx.Response(200, json=[{**PURCHASE, "credentials_id": i} for i in ids])

    route = router.get("/proxy/bought").mock(side_effect=page)
    purchases, _, _ = call(lambda c: c.bought_all(page_size=2))
    assert sorted(p.credentials_id for p in purchases) == [1, 2, 3, 4] and route.call_count == 3


def test_bought_all_refuses_a_list_that_never_ends(router):
    router.get("/proxy/bought").mock(return_value=httpx.Response(200, json=[PURCHASE, PURCHASE]))
    with pytest.raises(BadResponseError, match="did not end"):
        call(lambda c: c.bought_all(page_size=2, max_pages=5))


def test_list_page_fields_gives_the_same_items_on_both_paths(router):
    loose = {"proxy_id": "7", "speed": "245.5", "zip": 12345, "mobile": "maybe", "lat": "north", "status": 1}
    clean = {"proxy_id": 8, "speed": 99, "zip": "10001", "mobile": True, "status": 1, "extra": [1]}
    router.get("/proxy").mock(side_effect=[
        httpx.Response(200, json={"proxies": [clean, {"city": "no id"}], "total": "4"}),
        httpx.Response(200, json={"proxies": [clean, loose, {"city": "no id"}]}),
    ])

    async def both(c: ProviderClient) -> Any:
        return await c.list_page_fields(0, 10), await c.list_page_fields(1, 10)

    (fast, slow), _, _ = call(both)
    assert (fast.raw_count, fast.skipped, fast.total_pages) == (2, 1, 4)
    assert (slow.raw_count, slow.skipped, slow.total_pages) == (3, 1, None)
    assert fast.items[0]["speed"] == 99.0 and fast.items[0]["mobile"] is True
    assert {k: v for k, v in slow.items[0].items() if v is not None} == fast.items[0]
    assert slow.items[1]["proxy_id"] == 7 and slow.items[1]["zip"] == "12345"
    assert slow.items[1]["mobile"] is None and slow.items[1]["lat"] is None


@pytest.mark.parametrize(("answer", "error_type"), [
    (httpx.Response(200, html="<html>no</html>"), BadResponseError),
    (httpx.Response(200, json={"items": []}), BadResponseError),
    (httpx.Response(401), AuthError),
])
def test_list_page_fields_raises_like_list_page(router, answer, error_type):
    router.get("/proxy").mock(return_value=answer)
    with pytest.raises(error_type):
        call(lambda c: c.list_page_fields(0, 10), policy=RetryPolicy(attempts=1))
