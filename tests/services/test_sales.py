"""Selling: the pending order is written before the provider's buy, the buy is sent exactly once,
refusals restore the inventory exactly, unknown outcomes stay pending for reconcile.

The fixtures (a respx provider, a fixed clock, a ShopContext over a fresh database) are in
conftest.py, the helpers in money_helpers.py.
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from proxyshop_desktop.errors import (
    AuthError,
    BalanceTooLowError,
    NotFoundError,
    OutcomeUnknownError,
    ProviderUnavailableError,
    ProxyUnavailableError,
    RateLimitedError,
    StorageError,
    UsageError,
)
from proxyshop_desktop.models.tables import AuditEvent, Product
from proxyshop_desktop.services import batch_sales, reconcile, sales
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.upstream.client import ProviderClient
from tests.services.money_helpers import (
    NASTY_PASSWORD,
    NASTY_USERNAME,
    T0,
    add_product,
    audit_kinds,
    buy_responder,
    order_rows,
    product_row,
    purchase,
)

#: every test here that opens a database runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True

# --- a single sale ------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_pending_order_is_committed_before_the_buy_is_sent(ctx, provider, store, clock):
    pid = add_product(store, 5001)
    seen: dict[str, Any] = {}

    def during_buy(request: httpx.Request) -> httpx.Response:
        # Another connection (a fresh process would see the same): the pending order is durable.
        seen["orders"] = order_rows(store)
        seen["product"] = product_row(store, pid)
        seen["audit"] = audit_kinds(store)
        return httpx.Response(200, json=purchase(5001, 77))

    route = provider.get("/proxy/buy").mock(side_effect=during_buy)
    view = await sales.sell(ctx, pid, "  alice  ")

    assert route.call_count == 1
    assert route.calls.last.request.url.params["proxy_id"] == "5001"
    assert [o["status"] for o in seen["orders"]] == ["pending"]
    assert seen["orders"][0]["order_id"] == view.order_id
    assert seen["orders"][0]["credentials_id"] is None
    assert seen["product"] is None
    assert seen["audit"] == [("sale_pending", True)]
    assert view.status == "sold"


@pytest.mark.asyncio
async def test_successful_sale_records_every_field_byte_exact(ctx, provider, store, clock):
    pid = add_product(store, 5002, country="Brasil", country_code="BR", city="São Paulo",
                      isp="Vivo", proxy_type="mobile")
    provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(
        5002, 901, server_listening_port=10443, price="1.15", proxy_ip="198.51.100.4")))

    view = await sales.sell(ctx, pid, "  Bob <bob@example.com>  ")

    [row] = order_rows(store)
    assert row["order_id"] == view.order_id
    assert row["order_id"].startswith("ORD-20250314-") and len(row["order_id"]) == len("ORD-20250314-") + 8
    assert row["status"] == "sold"
    assert row["credentials_id"] == 901
    assert row["product_id"] == pid and row["proxy_id"] == 5002
    assert row["customer"] == "Bob <bob@example.com>"
    assert row["server_ip"] == "203.0.113.7"
    assert row["port"] == "10443"
    assert row["username"] == NASTY_USERNAME
    assert row["password"] == NASTY_PASSWORD
    assert row["proxy_ip"] == "198.51.100.4"
    assert (row["country_code"], row["city"], row["isp"], row["proxy_type"]) == ("BR", "São Paulo", "Vivo", "mobile")
    assert row["price_cents"] == 200 and row["cost_cents"] == 115
    assert row["created_at"] == T0 and row["purchased_at"] == T0
    assert row["expires_at"] == datetime(2025, 4, 13, 12, 0, tzinfo=UTC)
    assert row["refundable"] is True
    assert product_row(store, pid) is None

    assert view.credentials is not None
    assert view.credentials.line == f"203.0.113.7:10443:{NASTY_USERNAME}:{NASTY_PASSWORD}"
    assert view.price == Decimal("2.00") and view.cost == Decimal("1.15")
    assert view.refundable_until == T0 + timedelta(minutes=60)
    sale = view.sale_json()
    assert sale["credentials"] == {"ip": "203.0.113.7", "port": "10443", "login": NASTY_USERNAME,
                                   "password": NASTY_PASSWORD, "country": "Brasil", "ISP": "Vivo"}
    assert sale["price"] == "2.00" and sale["refundable"] is True
    assert json.loads(json.dumps(sale))["credentials"]["password"] == NASTY_PASSWORD

    events = store.run_blocking(lambda: list(AuditEvent.select().order_by(AuditEvent.id)))
    assert [(e.kind, e.ok, e.amount_cents) for e in events][-1] == ("sale", True, 200)
    assert all(NASTY_PASSWORD not in e.message and e.order_id == view.order_id for e in events)


@pytest.mark.asyncio
async def test_missing_expiration_and_refundable_are_kept_unknown(ctx, provider, store, clock):
    pid = add_product(store, 5003)
    body = purchase(5003, 902)
    del body["expiration_time"], body["refundable"], body["price"]
    provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=body))
    view = await sales.sell(ctx, pid)
    assert view.expires_at is None and view.refundable is None and view.cost is None
    assert view.customer == "" and view.status == "sold"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("answer", "error", "words"),
    [
        (403, BalanceTooLowError, "balance"),
        (404, ProxyUnavailableError, "no longer has"),
        (503, ProxyUnavailableError, "remote proxy server"),
        (401, AuthError, "token"),
        (429, RateLimitedError, "rate limiting"),
        (httpx.ConnectError, ProviderUnavailableError, "Cannot reach"),
    ],
)
async def test_provider_refusal_leaves_no_order_and_restores_the_product(
    ctx, provider, store, clock, answer, error, words
):
    add_product(store, 4999)  # a neighbour, so the restored row is not simply the next id
    pid = add_product(store, 5004)
    add_product(store, 5005)
    before = product_row(store, pid)
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({5004: answer}))

    with pytest.raises(error) as raised:
        await sales.sell(ctx, pid, "carol")

    assert words in raised.value.message
    assert route.call_count == 1  # never retried
    assert order_rows(store) == []
    assert product_row(store, pid) == before  # same id, every field identical
    kinds = audit_kinds(store)
    assert kinds == [("sale_pending", True), ("sale_failed", False)]
    message = store.run_blocking(lambda: AuditEvent.select().order_by(AuditEvent.id.desc()).get().message)
    assert words in message


@pytest.mark.asyncio
async def test_refusal_restores_the_product_when_its_id_was_reused_meanwhile(ctx, provider, store, clock, engine):
    """SQLite hands the highest deleted rowid to the next insert: a sync adding another proxy while
    the buy is in flight takes the sold product's id; the refused product still comes back whole."""
    pid = add_product(store, 6000)
    before = product_row(store, pid)
    taken: dict[str, int] = {}

    def sync_adds_then_refuse(request: httpx.Request) -> httpx.Response:
        taken["id"] = add_product(store, 6001)
        return httpx.Response(403)

    provider.get("/proxy/buy").mock(side_effect=sync_adds_then_refuse)
    with pytest.raises(BalanceTooLowError):
        await sales.sell(ctx, pid)
    if engine == "sqlite":  # PostgreSQL's identity never hands an id out twice
        assert taken["id"] == pid  # the reuse really happened
    restored = store.run_blocking(lambda: dict(Product.get(Product.proxy_id == 6000).__data__))
    assert {k: v for k, v in restored.items() if k != "id"} == {k: v for k, v in before.items() if k != "id"}
    assert product_row(store, taken["id"])["proxy_id"] == 6001


@pytest.mark.asyncio
async def test_refusal_does_not_duplicate_a_product_a_sync_re_added_meanwhile(ctx, provider, store, clock):
    pid = add_product(store, 6100)

    def resync_then_refuse(request: httpx.Request) -> httpx.Response:
        add_product(store, 6100, fingerprint="newer")  # a concurrent sync re-listed it
        return httpx.Response(404)

    provider.get("/proxy/buy").mock(side_effect=resync_then_refuse)
    with pytest.raises(ProxyUnavailableError):
        await sales.sell(ctx, pid)
    rows = store.run_blocking(lambda: [p.fingerprint for p in Product.select().where(Product.proxy_id == 6100)])
    assert rows == ["newer"]
    assert order_rows(store) == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "answer",
    [
        httpx.ReadTimeout,  # sent, no answer in time
        httpx.RemoteProtocolError,  # connection dropped after sending
        httpx.Response(200, content=b'{"credentials_id": 5, "server_ip"'),  # charged, unreadable
        httpx.Response(200, content=b"<html>ok</html>"),
        500,  # the provider failed while handling a money request: it may have charged
        httpx.Response(502, content=b"<html>Bad gateway</html>"),
        httpx.Response(504, content=b"<html>Gateway timeout</html>"),
    ],
)
async def test_unknown_outcome_keeps_the_order_pending_and_the_product_out(ctx, provider, store, clock, answer):
    pid = add_product(store, 5006)
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({5006: answer}))

    with pytest.raises(OutcomeUnknownError) as raised:
        await sales.sell(ctx, pid, "dave")

    assert "reconcile" in str(raised.value)
    assert route.call_count == 1  # a money-moving GET is never retried
    [row] = order_rows(store)
    assert row["status"] == "pending" and row["credentials_id"] is None and row["proxy_id"] == 5006
    assert row["customer"] == "dave"
    assert product_row(store, pid) is None
    assert audit_kinds(store) == [("sale_pending", True), ("sale_pending", False)]


@pytest.mark.asyncio
async def test_unknown_product_is_not_found_and_calls_nobody(ctx, provider, store, clock):
    route = provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(1, 1)))
    with pytest.raises(NotFoundError) as raised:
        await sales.sell(ctx, 999)
    assert raised.value.message == "No product 999 in the inventory."
    assert "sync" in raised.value.hint.lower()
    assert route.call_count == 0 and order_rows(store) == []


@pytest.mark.asyncio
@pytest.mark.parametrize("customer", ["bad\x00name", "line\nbreak", "tab\there", "x" * 201, "esc\x1b[31m"])
async def test_bad_customer_reference_is_refused_before_anything(ctx, provider, store, clock, customer):
    pid = add_product(store, 5007)
    before = product_row(store, pid)
    route = provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(5007, 1)))
    with pytest.raises(UsageError):
        await sales.sell(ctx, pid, customer)
    assert route.call_count == 0 and order_rows(store) == [] and product_row(store, pid) == before


@pytest.mark.asyncio
async def test_customer_of_exactly_200_chars_and_unicode_is_accepted(ctx, provider, store, clock):
    pid = add_product(store, 5008)
    provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(5008, 3)))
    name = "Ж" * 199 + "😀"
    view = await sales.sell(ctx, pid, name)
    assert view.customer == name


@pytest.mark.asyncio
async def test_two_concurrent_sales_of_one_product_buy_it_once(ctx, provider, store, clock):
    pid = add_product(store, 5009)
    route = provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(5009, 11)))

    first, second = await asyncio.gather(sales.sell(ctx, pid, "a"), sales.sell(ctx, pid, "b"),
                                         return_exceptions=True)

    assert route.call_count == 1
    assert first.status == "sold"
    assert isinstance(second, NotFoundError) and "already" in second.message
    assert [o["status"] for o in order_rows(store)] == ["sold"]


@pytest.mark.asyncio
async def test_order_ids_are_unique(ctx, provider, store, clock):
    ids = [add_product(store, 7000 + n) for n in range(30)]
    provider.get("/proxy/buy").mock(
        side_effect=lambda request: httpx.Response(200, json=purchase(
            int(request.url.params["proxy_id"]), int(request.url.params["proxy_id"]))))
    views = [await sales.sell(ctx, pid) for pid in ids]
    assert len({v.order_id for v in views}) == 30


@pytest.mark.asyncio
async def test_a_failed_local_write_after_the_charge_keeps_the_order_pending(ctx, provider, store, clock, monkeypatch):
    """Disk full after the provider charged: the sale is not lost, reconcile settles it."""
    pid = add_product(store, 5010)
    provider.get("/proxy/buy").mock(return_value=httpx.Response(200, json=purchase(5010, 4242)))

    def disk_full(*args: Any, **kwargs: Any) -> None:
        raise StorageError("The disk holding the data dir is full.", "Free some space and try again.")

    monkeypatch.setattr(sales, "_record_sale", disk_full)
    with pytest.raises(StorageError) as raised:
        await sales.sell(ctx, pid, "erin")
    assert "4242" in raised.value.message and "reconcile" in str(raised.value)
    assert NASTY_PASSWORD not in str(raised.value)
    [row] = order_rows(store)
    assert row["status"] == "pending" and product_row(store, pid) is None

    monkeypatch.undo()
    clock.advance(minutes=1)
    provider.get("/proxy/bought").mock(return_value=httpx.Response(200, json=[
        {**purchase(5010, 4242), "bought_at": T0.isoformat()}]))
    result = await reconcile.reconcile(ctx)
    assert result.settled == 1 and result.recovered == 0
    [row] = order_rows(store)
    assert row["status"] == "sold" and row["credentials_id"] == 4242 and row["customer"] == "erin"
    assert row["password"] == NASTY_PASSWORD


@pytest.mark.asyncio
async def test_missing_token_fails_before_anything_is_reserved(ctx, provider, store, clock):
    from proxyshop_desktop.errors import TokenMissingError

    pid = add_product(store, 5011)
    before = product_row(store, pid)

    def no_token() -> ProviderClient:
        raise TokenMissingError("No API token is set.")

    ctx.client = no_token
    with pytest.raises(TokenMissingError):
        await sales.sell(ctx, pid)
    assert order_rows(store) == [] and product_row(store, pid) == before


# --- several sales -----------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_sell_many_continues_past_a_vanished_proxy_and_stops_at_the_balance(ctx, provider, store, clock):
    pids = [add_product(store, 8000 + n) for n in range(5)]
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({
        8000: purchase(8000, 1),
        8001: 404,  # that one proxy vanished: record, go on
        8002: purchase(8002, 2),
        8003: 403,  # the shop's balance: stop
        8004: purchase(8004, 3),
    }))

    result = await batch_sales.sell_many(ctx, pids, "frank")

    assert route.call_count == 4  # 8004 never attempted
    assert [o.proxy_id for o in result.orders] == [8000, 8002]
    failed = {f.product_id: f.error for f in result.failed}
    assert set(failed) == {pids[1], pids[3], pids[4]}
    # typed: the window tells a vanished proxy from a balance refusal without reading the words
    assert isinstance(failed[pids[1]], ProxyUnavailableError) and "no longer has" in str(failed[pids[1]])
    assert isinstance(failed[pids[3]], BalanceTooLowError)
    assert "not attempted" in str(failed[pids[4]]).lower()
    assert product_row(store, pids[1]) is not None  # restored
    assert product_row(store, pids[3]) is not None and product_row(store, pids[4]) is not None
    assert [o["status"] for o in order_rows(store)] == ["sold", "sold"]
    payload = result.to_json()
    assert [o["proxy_id"] for o in payload["orders"]] == [8000, 8002]
    # the JSON keeps the words (message and hint), as `sell --json` always printed them
    assert [f["error"] for f in payload["failed"]] == [str(failed[p]) for p in (pids[1], pids[3], pids[4])]


@pytest.mark.asyncio
async def test_sell_many_stops_at_an_unknown_outcome(ctx, provider, store, clock):
    pids = [add_product(store, 8100 + n) for n in range(3)]
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({
        8100: purchase(8100, 21), 8101: httpx.ReadTimeout, 8102: purchase(8102, 22)}))
    result = await batch_sales.sell_many(ctx, pids)
    assert route.call_count == 2
    assert [o.proxy_id for o in result.orders] == [8100]
    assert isinstance(result.failed[0].error, OutcomeUnknownError)
    assert "reconcile" in result.failed[0].text.lower() or "charged" in result.failed[0].text.lower()
    assert [o["status"] for o in order_rows(store)] == ["sold", "pending"]


@pytest.mark.asyncio
async def test_sell_many_records_an_unknown_product_and_goes_on(ctx, provider, store, clock):
    pid = add_product(store, 8200)
    provider.get("/proxy/buy").mock(side_effect=buy_responder({8200: purchase(8200, 31)}))
    result = await batch_sales.sell_many(ctx, [424242, pid])
    assert [o.proxy_id for o in result.orders] == [8200]
    assert [f.product_id for f in result.failed] == [424242]


@pytest.mark.asyncio
async def test_sell_many_needs_a_product(ctx, provider, store, clock):
    with pytest.raises(UsageError):
        await batch_sales.sell_many(ctx, [])


@pytest.mark.asyncio
async def test_sell_batch_reaches_n_with_another_match_after_a_404(ctx, provider, store, clock):
    us = [add_product(store, 9000 + n, country_code="US", speed=100 + n) for n in range(5)]
    for n in range(3):
        add_product(store, 9100 + n, country_code="DE")
    answers: dict[int, Any] = {9000 + n: purchase(9000 + n, 500 + n) for n in range(5)}
    answers[9000] = 404
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder(answers))

    result = await batch_sales.sell_batch(ctx, 3, InventoryQuery(country_code="us"), "grace")

    assert route.call_count == 4
    assert len(result.orders) == 3
    assert all(o.country_code == "US" and o.customer == "grace" for o in result.orders)
    assert [f.product_id for f in result.failed] == [us[0]]
    assert product_row(store, us[0]) is not None


@pytest.mark.asyncio
async def test_sell_batch_stops_at_the_first_provider_refusal(ctx, provider, store, clock):
    for n in range(4):
        add_product(store, 9200 + n, country_code="FR")
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({
        9200: purchase(9200, 600), 9201: 403, 9202: purchase(9202, 601), 9203: purchase(9203, 602)}))
    result = await batch_sales.sell_batch(ctx, 4, InventoryQuery(country_code="FR"))
    assert route.call_count == 2
    assert len(result.orders) == 1 and len(result.failed) == 1
    assert isinstance(result.failed[0].error, BalanceTooLowError) and "balance" in result.failed[0].text
    remaining = store.run_blocking(lambda: Product.select().where(Product.country_code == "FR").count())
    assert remaining == 3


@pytest.mark.asyncio
async def test_sell_batch_respects_the_filters(ctx, provider, store, clock):
    add_product(store, 9300, country_code="US", proxy_type="mobile", isp="T-Mobile USA", speed=90)
    add_product(store, 9301, country_code="US", proxy_type="mobile", isp="Verizon", speed=90)
    add_product(store, 9302, country_code="US", proxy_type="residential", isp="T-Mobile USA", speed=90)
    add_product(store, 9303, country_code="US", proxy_type="mobile", isp="t-mobile usa", speed=900)
    add_product(store, 9304, country_code="US", proxy_type="mobile", isp="T-MOBILE", speed=None)
    route = provider.get("/proxy/buy").mock(side_effect=buy_responder({9300: purchase(9300, 700)}))
    query = InventoryQuery(country_code="US", proxy_type="mobile", isp="mobile", max_speed=300)
    result = await batch_sales.sell_batch(ctx, 1, query)
    assert [o.proxy_id for o in result.orders] == [9300] and route.call_count == 1


@pytest.mark.asyncio
async def test_sell_batch_reports_when_the_matches_run_out(ctx, provider, store, clock):
    add_product(store, 9400, country_code="JP")
    provider.get("/proxy/buy").mock(side_effect=buy_responder({9400: purchase(9400, 800)}))
    result = await batch_sales.sell_batch(ctx, 3, InventoryQuery(country_code="JP"))
    assert len(result.orders) == 1
    assert len(result.failed) == 1 and "1 of 3" in result.failed[0].text


@pytest.mark.asyncio
async def test_sell_batch_with_no_match_is_not_found(ctx, provider, store, clock):
    add_product(store, 9500, country_code="JP")
    route = provider.get("/proxy/buy")
    with pytest.raises(NotFoundError):
        await batch_sales.sell_batch(ctx, 2, InventoryQuery(country_code="NZ"))
    assert route.call_count == 0


@pytest.mark.asyncio
@pytest.mark.parametrize("count", [0, -1])
async def test_sell_batch_count_must_be_positive(ctx, provider, store, clock, count):
    add_product(store, 9600)
    with pytest.raises(UsageError):
        await batch_sales.sell_batch(ctx, count, InventoryQuery())
