"""The inventory's refund-rate column: set from the shop's own sales, sortable and filterable, in
the JSON, and fresh after a refund changes it."""

import asyncio
from decimal import Decimal

import pytest

from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import inventory
from proxyshop_desktop.services.results import InventoryQuery
from tests.factories import create_order, create_product, open_context

ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths, engine):
    context = open_context(data_paths)
    yield context
    context.store.close()


@pytest.fixture
def stock(ctx):
    """Products: DE/Telekom (20 sales, 2 refunded: 0.10), DE/Vodafone (20 sales, 6: 0.30), US/Comcast
    (no sales). Returns their product ids by ISP."""
    for isp, refunded in (("Telekom", 2), ("Vodafone", 6)):
        for i in range(20):
            create_order(ctx.store, status="refunded" if i < refunded else "sold", isp=isp)
    ids = {}
    for code, isp in (("DE", "Telekom"), ("DE", "Vodafone"), ("US", "Comcast")):
        ids[isp] = create_product(ctx.store, country_code=code, isp=isp).id
    return ids


def rows(ctx, **query):
    return asyncio.run(inventory.inventory_rows(ctx, InventoryQuery(**query)))


def test_rates_sorted_and_filtered(ctx, stock):
    by_isp = {r.isp: r for r in rows(ctx)}
    assert by_isp["Telekom"].refund_rate == Decimal("0.1000")
    assert by_isp["Vodafone"].refund_rate == Decimal("0.3000")
    assert by_isp["Comcast"].refund_rate is None
    assert [r.isp for r in rows(ctx, sort="refund_rate")] == ["Telekom", "Vodafone", "Comcast"]
    assert [r.isp for r in rows(ctx, sort="refund_rate", descending=True)] == [
        "Vodafone", "Telekom", "Comcast"]  # unknown last either way
    kept = rows(ctx, max_refund_rate=Decimal("0.2"))
    assert {r.isp for r in kept} == {"Telekom", "Comcast"}  # no sales is no evidence against it
    assert [r.isp for r in rows(ctx, max_refund_rate=Decimal("0.2"), country_code="DE")] == ["Telekom"]


def test_page_and_json(ctx, stock):
    page = asyncio.run(inventory.query_inventory(
        ctx, InventoryQuery(sort="refund_rate", descending=True, page_size=1)))
    assert page.total == 3 and page.rows[0].isp == "Vodafone"
    data = page.rows[0].to_json()
    assert data["refund_rate"] == "0.3000" and data["refund_rate_basis"] == "country+isp"
    plain = asyncio.run(inventory.query_inventory(ctx, InventoryQuery(country_code="US")))
    assert plain.rows[0].to_json()["refund_rate"] is None


def test_a_new_refund_shows_in_the_cached_rows(ctx, stock):
    assert {r.isp: r.refund_rate for r in rows(ctx)}["Telekom"] == Decimal("0.1000")
    first = ctx.store.run_blocking(
        lambda: Order.select().where((Order.isp == "Telekom") & (Order.status == "sold")).first())
    ctx.store.run_blocking(
        lambda: Order.update(status="refunded", refund_cents=200).where(Order.id == first.id).execute()
    )
    assert {r.isp: r.refund_rate for r in rows(ctx)}["Telekom"] == Decimal("0.1500")
