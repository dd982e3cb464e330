"""Reconcile: `/proxy/bought` (a JSON array) is the truth about what the provider charged.

Pending orders are settled or voided, purchases with no local order are recovered with their
credentials, local orders the provider does not list are flagged (never deleted).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from proxyshop_desktop.errors import AuthError, OutcomeUnknownError, ProviderUnavailableError
from proxyshop_desktop.models.tables import AuditEvent, Order
from proxyshop_desktop.services import audit, orders, reconcile, sales
from tests.services.money_helpers import (
    NASTY_PASSWORD,
    NASTY_USERNAME,
    T0,
    add_product,
    audit_kinds,
    bought,
    buy_responder,
    by_id,
    insert_order,
    order_rows,
    product_row,
    purchase,
)

#: every test here that opens a database runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


async def pending_sale(ctx, provider, store, proxy_id: int, failure: Any = httpx.ReadTimeout) -> str:
    """A sale whose buy outcome was lost: returns the pending order id."""
    pid = add_product(store, proxy_id)
    provider.get("/proxy/buy").mock(side_effect=buy_responder({proxy_id: failure}))
    with pytest.raises(OutcomeUnknownError):
        await sales.sell(ctx, pid, "heidi")
    [row] = [r for r in order_rows(store) if r["proxy_id"] == proxy_id and r["status"] == "pending"]
    return row["order_id"]


@pytest.mark.asyncio
async def test_a_timed_out_sale_is_settled_from_the_providers_record(ctx, provider, store, clock):
    order_id = await pending_sale(ctx, provider, store, 2001)
    clock.advance(seconds=30)
    route = provider.get("/proxy/bought").mock(return_value=bought(
        purchase(2001, 3333, price="1.25", bought_at="2025-03-14T12:00:02Z", country="Germany",
                 city="Berlin")))

    result = await reconcile.reconcile(ctx)

    assert route.call_count == 1
    assert (result.settled, result.voided, result.recovered) == (1, 0, 0)
    assert result.unknown_locally == [] and result.missing_at_provider == []
    row = by_id(store)[order_id]
    assert row["status"] == "sold" and row["credentials_id"] == 3333
    assert (row["server_ip"], row["port"]) == ("203.0.113.7", "10001")
    assert row["username"] == NASTY_USERNAME and row["password"] == NASTY_PASSWORD
    assert row["cost_cents"] == 125 and row["price_cents"] == 200 and row["customer"] == "heidi"
    assert row["purchased_at"] == T0 + timedelta(seconds=2)
    assert row["country_code"] == "US"  # the product's geography, taken at sale time, is kept
    assert ("settled", True) in audit_kinds(store) and audit_kinds(store)[-1] == ("reconcile", True)
    *_, settled, summary = store.run_blocking(audit.recent)[::-1]
    assert (settled.kind, settled.at, summary.at) == ("settled", clock(), clock())  # the shop's "now"
    view = await orders.get_order(ctx, order_id)
    assert view.credentials is not None and view.credentials.password == NASTY_PASSWORD

    again = await reconcile.reconcile(ctx)  # idempotent
    assert (again.settled, again.voided, again.recovered) == (0, 0, 0)
    assert len(order_rows(store)) == 1


@pytest.mark.asyncio
async def test_an_old_pending_order_never_charged_is_voided_and_a_young_one_kept(ctx, provider, store, clock):
    old = await pending_sale(ctx, provider, store, 2002)
    clock.advance(seconds=60)
    young = await pending_sale(ctx, provider, store, 2003)
    # api_timeout is 5 s: a pending order older than 2 x 5 + 60 = 70 s cannot have a buy in flight.
    clock.advance(seconds=15)
    provider.get("/proxy/bought").mock(return_value=bought())

    result = await reconcile.reconcile(ctx)

    assert (result.settled, result.voided, result.recovered) == (0, 1, 0)
    rows = by_id(store)
    assert rows[old]["status"] == "void" and rows[young]["status"] == "pending"
    assert ("voided", True) in audit_kinds(store)

    clock.advance(seconds=60)
    assert (await reconcile.reconcile(ctx)).voided == 1
    assert by_id(store)[young]["status"] == "void"


@pytest.mark.asyncio
async def test_purchases_with_no_local_order_are_recovered_once(ctx, provider, store, clock):
    stray = purchase(2100, 4444, price=1.3, bought_at="2025-03-14T11:50:00+00:00", country="Brazil",
                     country_code="BR", city="São Paulo", isp="Vivo", mobile=True)
    no_proxy_id = purchase(0, 4445, bought_at=None)
    del no_proxy_id["proxy_id"]
    provider.get("/proxy/bought").mock(return_value=bought(stray, stray, no_proxy_id))

    result = await reconcile.reconcile(ctx)

    assert result.recovered == 2 and sorted(result.unknown_locally) == [4444, 4445]
    rows = {r["credentials_id"]: r for r in order_rows(store)}
    row = rows[4444]
    assert row["status"] == "recovered" and row["customer"] == ""
    assert row["price_cents"] == 200 and row["cost_cents"] == 130
    assert row["password"] == NASTY_PASSWORD and row["username"] == NASTY_USERNAME
    assert (row["country"], row["country_code"], row["city"], row["isp"]) == ("Brazil", "BR", "São Paulo", "Vivo")
    assert row["proxy_type"] == "mobile" and row["proxy_id"] == 2100
    assert row["purchased_at"] == T0 - timedelta(minutes=10)
    assert row["order_id"].startswith("ORD-")
    assert rows[4445]["purchased_at"] == T0  # no bought_at: now
    assert ("recovered", True) in audit_kinds(store)
    assert result.to_json()["recovered"] == 2

    again = await reconcile.reconcile(ctx)
    assert again.recovered == 0 and again.unknown_locally == [] and len(order_rows(store)) == 2


@pytest.mark.asyncio
async def test_recovered_price_follows_the_current_settings(ctx, provider, store, clock):
    ctx.settings = ctx.settings.model_copy(update={"price": Decimal("3.50")})
    provider.get("/proxy/bought").mock(return_value=bought(purchase(2150, 4500)))
    await reconcile.reconcile(ctx)
    assert order_rows(store)[0]["price_cents"] == 350


@pytest.mark.asyncio
async def test_orders_the_provider_does_not_know_are_flagged_not_deleted(ctx, provider, store, clock):
    insert_order(store, "ORD-A", credentials_id=1, status="sold")
    insert_order(store, "ORD-B", credentials_id=2, status="recovered")
    insert_order(store, "ORD-C", credentials_id=3, status="refunded", refund_cents=200)
    insert_order(store, "ORD-D", credentials_id=4, status="sold")
    provider_list = provider.get("/proxy/bought").mock(return_value=bought(purchase(9, 4)))

    result = await reconcile.reconcile(ctx)

    assert sorted(result.missing_at_provider) == ["ORD-A", "ORD-B"]
    rows = by_id(store)
    assert len(rows) == 4
    assert [rows[f"ORD-{k}"]["missing_at_provider"] for k in "ABCD"] == [True, True, False, False]
    assert rows["ORD-A"]["status"] == "sold" and rows["ORD-A"]["password"] == "secret"

    provider_list.mock(return_value=bought(purchase(9, 4), purchase(9, 1)))
    result = await reconcile.reconcile(ctx)
    assert result.missing_at_provider == ["ORD-B"]
    assert by_id(store)["ORD-A"]["missing_at_provider"] is False


@pytest.mark.asyncio
async def test_a_pending_order_takes_the_recent_purchase_not_an_old_one_of_the_same_proxy(ctx, provider, store, clock):
    order_id = await pending_sale(ctx, provider, store, 2200)
    old = purchase(2200, 5000, bought_at=(T0 - timedelta(days=2)).isoformat(), password="old")
    recent = purchase(2200, 5001, bought_at=(T0 + timedelta(seconds=1)).isoformat(), password="new")
    provider.get("/proxy/bought").mock(return_value=bought(recent, old))

    result = await reconcile.reconcile(ctx)

    assert (result.settled, result.recovered, result.unknown_locally) == (1, 1, [5000])
    rows = by_id(store)
    assert rows[order_id]["credentials_id"] == 5001 and rows[order_id]["password"] == "new"


@pytest.mark.asyncio
async def test_a_purchase_already_on_an_order_is_never_used_twice(ctx, provider, store, clock):
    insert_order(store, "ORD-SOLD", credentials_id=6000, proxy_id=2300)
    order_id = await pending_sale(ctx, provider, store, 2300)
    clock.advance(minutes=5)
    provider.get("/proxy/bought").mock(return_value=bought(purchase(2300, 6000)))
    result = await reconcile.reconcile(ctx)
    assert (result.settled, result.voided, result.recovered) == (0, 1, 0)
    assert by_id(store)[order_id]["status"] == "void"


@pytest.mark.asyncio
@pytest.mark.parametrize(("answer", "error"), [(401, AuthError), (500, ProviderUnavailableError)])
async def test_a_provider_error_changes_nothing(ctx, provider, store, clock, answer, error):
    order_id = await pending_sale(ctx, provider, store, 2400)
    insert_order(store, "ORD-KEPT", credentials_id=7)
    clock.advance(hours=1)
    before = order_rows(store)
    provider.get("/proxy/bought").mock(return_value=httpx.Response(answer))
    with pytest.raises(error):
        await reconcile.reconcile(ctx)
    assert order_rows(store) == before
    assert by_id(store)[order_id]["status"] == "pending"
    assert audit_kinds(store)[-1] == ("reconcile", False)


@pytest.mark.asyncio
async def test_bought_is_paged_until_a_short_page(ctx, provider, store, clock):
    first = [purchase(3000 + n, 10_000 + n) for n in range(200)]
    second = [purchase(3999, 20_000), first[0]]  # a duplicate across pages counts once

    def page(request: httpx.Request) -> httpx.Response:
        return bought(*(first if request.url.params["page"] == "0" else second))

    route = provider.get("/proxy/bought").mock(side_effect=page)
    result = await reconcile.reconcile(ctx)
    assert route.call_count == 2
    assert result.recovered == 201 and len(set(result.unknown_locally)) == 201


# --- end to end through the simulated provider on a real loopback port -------------------------


@pytest.mark.asyncio
@pytest.mark.parametrize("fault", ["drop_after_commit", "html_502_after_commit"])
async def test_sim_charge_with_a_lost_answer_is_settled_by_reconcile(sim, sim_ctx, store, clock, fault):
    from proxyshop_desktop.simulator import faults

    proxy_id = sim.provider.online_ids()[0]
    pid = add_product(store, proxy_id)
    injected = faults.drop_after_commit() if fault == "drop_after_commit" else faults.html_error(502, commit=True)
    sim.faults.add("buy", injected)

    with pytest.raises(OutcomeUnknownError):
        await sales.sell(sim_ctx, pid, "ivan")
    assert sim.requests.count("buy") == 1
    assert [r["status"] for r in order_rows(store)] == ["pending"]
    assert product_row(store, pid) is None

    result = await reconcile.reconcile(sim_ctx)

    [charged] = sim.provider.bought()
    [row] = order_rows(store)
    assert result.settled == 1 and result.recovered == 0
    assert row["status"] == "sold" and row["credentials_id"] == charged["credentials_id"]
    assert row["password"] == charged["password"] and row["username"] == charged["username"]
    assert (row["server_ip"], row["port"]) == (charged["server_ip"], charged["server_listening_port"])
    assert sim.requests.count("buy") == 1  # still one charge, one order


@pytest.mark.asyncio
async def test_sim_refusals_leave_inventory_and_balance_intact(sim, sim_ctx, store, clock):
    from proxyshop_desktop.errors import BalanceTooLowError, ProxyUnavailableError

    online = sim.provider.online_ids()
    first, second = add_product(store, online[0]), add_product(store, online[1])
    sim.provider.balance = Decimal("0")
    with pytest.raises(BalanceTooLowError):
        await sales.sell(sim_ctx, first)
    sim.provider.balance = Decimal("100")
    sim.provider.set_remote_failure(online[1])
    with pytest.raises(ProxyUnavailableError):
        await sales.sell(sim_ctx, second)
    assert order_rows(store) == [] and sim.provider.bought() == []
    assert product_row(store, first) is not None and product_row(store, second) is not None
    assert (await reconcile.reconcile(sim_ctx)).recovered == 0
    assert store.run_blocking(lambda: Order.select().count()) == 0
    assert store.run_blocking(lambda: AuditEvent.select().where(AuditEvent.kind == "sale_failed").count()) == 2
