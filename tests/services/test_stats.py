import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from proxyshop_desktop.services import stats
from tests.factories import create_order, create_product, create_sync_run, open_context

#: every test here that opens a database runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths, engine):
    context = open_context(data_paths)
    yield context
    context.store.close()


def run(coro):
    return asyncio.run(coro)


def test_empty_shop(ctx):
    figures = run(stats.shop_stats(ctx))
    assert figures.total_inventory == 0
    assert figures.total_sold == 0
    assert figures.revenue == Decimal("0.00")
    assert figures.last_sync is None
    assert len(figures.daily) == stats.DAILY_DAYS
    assert figures.to_json() == {
        "total_inventory": 0,
        "total_sold": 0,
        "total_refunded": 0,
        "revenue": "0.00",
        "cost": "0.00",
        "profit": "0.00",
        "margin": None,
        "countries_available": 0,
        "last_sync": None,
    }


def test_revenue_is_exactly_price_times_kept_sales(ctx):
    sold, refunded, recovered = 37, 11, 3
    for _ in range(sold):
        create_order(ctx.store, status="sold", price="2.00", cost="0.70")
    for _ in range(refunded):
        create_order(ctx.store, status="refunded", price="2.00", cost="0.70")
    for _ in range(recovered):
        create_order(ctx.store, status="recovered", price="2.00", cost="0.70")
    create_order(ctx.store, status="pending")
    create_order(ctx.store, status="void")

    figures = run(stats.shop_stats(ctx))
    total = sold + refunded + recovered
    assert figures.total_sold == total  # refunded sales included, pending/void not
    assert figures.total_refunded == refunded
    assert figures.revenue == Decimal("2.00") * (total - refunded)
    assert str(figures.revenue) == "80.00"
    assert figures.to_json()["revenue"] == "80.00"
    assert figures.pending_orders == 1
    assert figures.cost == Decimal("0.70") * (sold + recovered)


def test_revenue_sums_cents_without_float_drift(ctx):
    for _ in range(10):
        create_order(ctx.store, status="sold", price="0.10")
    create_order(ctx.store, status="refunded", price="0.10", refund_cents=10)
    assert run(stats.shop_stats(ctx)).revenue == Decimal("1.00")


def test_inventory_countries_and_breakdowns(ctx):
    for code in ("US", "US", "US", "DE", "DE", "BR"):
        create_product(ctx.store, country_code=code)
    create_product(ctx.store, country_code=None, proxy_type="mobile")
    figures = run(stats.shop_stats(ctx))
    assert figures.total_inventory == 7
    assert figures.countries_available == 3  # a proxy without a country is no country
    assert figures.by_country[:3] == [("US", 3), ("DE", 2), ("BR", 1)]
    assert dict(figures.by_type) == {"residential": 6, "mobile": 1}


def test_last_sync_is_the_latest_successful_sync(ctx):
    now = datetime.now(UTC)
    create_sync_run(ctx.store, finished_at=now - timedelta(hours=2))
    good = now - timedelta(hours=1)
    create_sync_run(ctx.store, finished_at=good)
    create_sync_run(ctx.store, finished_at=now, status="failed", error="HTTP 500")
    create_sync_run(ctx.store, finished_at=now, kind="cleanup")
    figures = run(stats.shop_stats(ctx))
    assert figures.last_sync == good
    assert figures.to_json()["last_sync"] == good.isoformat(timespec="seconds")


def test_daily_figures_per_utc_day(ctx):
    now = datetime(2030, 5, 20, 12, 0, tzinfo=UTC)
    yesterday = now - timedelta(days=1)
    create_order(ctx.store, status="sold", purchased_at=yesterday)
    create_order(ctx.store, status="sold", purchased_at=yesterday.replace(hour=23, minute=59))
    create_order(
        ctx.store, status="refunded", purchased_at=yesterday, refunded_at=now, refund_cents=200
    )
    create_order(ctx.store, status="sold", purchased_at=now - timedelta(days=40))  # outside
    figures = ctx.store.run_blocking(stats.compute_stats, now).daily
    assert len(figures) == 30
    assert figures[-1].day == "2030-05-20" and figures[0].day == "2030-04-21"
    by_day = {f.day: f for f in figures}
    assert (by_day["2030-05-19"].sold, by_day["2030-05-19"].revenue) == (3, Decimal("6.00"))
    assert (by_day["2030-05-20"].refunded, by_day["2030-05-20"].revenue) == (1, Decimal("-2.00"))
    assert sum(f.sold for f in figures) == 3


def test_sync_history_newest_first(ctx):
    first = create_sync_run(ctx.store, fetched=1)
    second = create_sync_run(ctx.store, fetched=2, status="failed", error="timeout")
    history = run(stats.sync_history(ctx, 10))
    assert [h.run_id for h in history] == [second.id, first.id]
    assert history[0].error == "timeout" and history[0].seconds == pytest.approx(3.0)
    assert len(run(stats.sync_history(ctx, 1))) == 1


def test_a_refund_of_unknown_outcome_counts_as_a_sale_with_its_cost(ctx):
    """Until the provider's answer settles it, a refund_unknown order is a sale: its price is in
    the revenue and what the shop paid for it is in the cost, so the margin is not flattered."""
    create_order(ctx.store, status="sold", price="2.00", cost="0.70")
    create_order(ctx.store, status="refund_unknown", price="2.00", cost="0.70")
    figures = run(stats.shop_stats(ctx))
    assert figures.total_sold == 2 and figures.total_refunded == 0
    assert figures.revenue == Decimal("4.00")
    assert figures.cost == Decimal("1.40")
