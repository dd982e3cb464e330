"""Profit and per-group figures against hand-computed sums (refunds and refund_unknown included)."""

import asyncio
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.models import migrations
from proxyshop_desktop.services import report, stats
from tests.factories import create_order, open_context
from tests.models.old_databases import totals_as_kept, totals_recomputed

DAY1 = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DAY2 = datetime(2026, 3, 2, 23, 59, tzinfo=UTC)


@pytest.fixture
def ctx(data_paths):
    context = open_context(data_paths)
    yield context
    context.store.close()


def shop(ctx):
    """DE/Telekom: 3 sold at 2.00 (cost 0.70), 1 refunded in full, 1 refund_unknown;
    DE/Vodafone: 1 recovered 3.00 (cost 1.10), 1 refunded with a partial refund of 0.50;
    US/mobile: 1 sold 2.50 with no recorded cost; plus a pending and a void that count for nothing.
    """
    o = create_order
    for _ in range(3):
        o(ctx.store, status="sold", price="2.00", cost="0.70", isp="Telekom", purchased_at=DAY1)
    o(ctx.store, status="refunded", price="2.00", cost="0.70", isp="Telekom", purchased_at=DAY1)
    o(ctx.store, status="refund_unknown", price="2.00", cost="0.70", isp="Telekom",
      purchased_at=DAY2)
    o(ctx.store, status="recovered", price="3.00", cost="1.10", isp="Vodafone", purchased_at=DAY2)
    o(ctx.store, status="refunded", price="3.00", cost="1.10", isp="Vodafone", purchased_at=DAY2,
      refund_cents=50)
    o(ctx.store, status="sold", price="2.50", cost=None, country_code="US", isp="AT&T",
      proxy_type="mobile", purchased_at=DAY2)
    o(ctx.store, status="pending", price="9.00", cost="9.00")
    o(ctx.store, status="void", price="9.00", cost="9.00", purchased_at=DAY1)


# Hand sums. Sales: 3x2.00 + 2.00 + 2.00 (unknown) + 3.00 + 3.00 + 2.50 = 18.50; refunds given
# back: 2.00 + 0.50 = 2.50 -> revenue 16.00. Cost of kept sales: 3x0.70 + 0.70 (unknown) + 1.10
# (recovered) + 0 (no cost recorded) = 3.90 -> profit 12.10, margin 12.10/16.00 = 0.75625.


def test_totals_hand_computed(ctx):
    shop(ctx)
    total = ctx.store.run_blocking(report.totals)
    assert (total.sold, total.refunded) == (8, 2)
    assert total.revenue == Decimal("16.00")
    assert total.cost == Decimal("3.90")
    assert total.profit == Decimal("12.10")
    assert total.margin == Decimal("0.7563")
    assert total.refund_rate == Decimal("0.2500")


def test_stats_json_has_cost_profit_margin_from_the_same_rule(ctx):
    shop(ctx)
    data = asyncio.run(stats.shop_stats(ctx)).to_json()
    assert data["revenue"] == "16.00"
    assert data["cost"] == "3.90"
    assert data["profit"] == "12.10"
    assert data["margin"] == "0.7563"
    assert (data["total_sold"], data["total_refunded"]) == (8, 2)


def test_report_by_country(ctx):
    shop(ctx)
    result = asyncio.run(report.profit_report(ctx, "country"))
    data = result.to_json()
    assert data["by"] == "country"
    assert data["rows"] == [
        {"key": "DE", "sold": 7, "refunded": 2, "refund_rate": "0.2857", "revenue": "13.50",
         "cost": "3.90", "profit": "9.60"},
        {"key": "US", "sold": 1, "refunded": 0, "refund_rate": "0.0000", "revenue": "2.50",
         "cost": "0.00", "profit": "2.50"},
    ]
    assert data["total"] == {"sold": 8, "refunded": 2, "refund_rate": "0.2500",
                             "revenue": "16.00", "cost": "3.90", "profit": "12.10",
                             "margin": "0.7563"}


def test_report_by_isp_and_type(ctx):
    shop(ctx)
    isp = {r.key: r for r in ctx.store.run_blocking(report.grouped, "isp")}
    # Telekom: 5 sales of 2.00, one refunded in full: revenue 8.00, cost 4x0.70 = 2.80.
    assert (isp["Telekom"].sold, isp["Telekom"].refunded) == (5, 1)
    assert (isp["Telekom"].revenue, isp["Telekom"].cost) == (Decimal("8.00"), Decimal("2.80"))
    # Vodafone: 3.00 kept + 3.00 refunded with 0.50 given back; only the recovered one costs.
    assert (isp["Vodafone"].revenue, isp["Vodafone"].cost) == (Decimal("5.50"), Decimal("1.10"))
    assert isp["Vodafone"].profit == Decimal("4.40")
    kinds = {r.key: r.sold for r in ctx.store.run_blocking(report.grouped, "type")}
    assert kinds == {"mobile": 1, "residential": 7}


def test_report_by_day_attributes_refunds_to_the_sale_day(ctx):
    shop(ctx)
    rows = ctx.store.run_blocking(report.grouped, "day")
    assert [r.key for r in rows] == ["2026-03-01", "2026-03-02"]
    day1, day2 = rows
    assert (day1.sold, day1.refunded, day1.revenue, day1.cost) == (
        4, 1, Decimal("6.00"), Decimal("2.10"))
    assert (day2.sold, day2.refunded, day2.revenue, day2.cost) == (
        4, 1, Decimal("10.00"), Decimal("1.80"))
    since = ctx.store.run_blocking(report.build_report, "day", datetime(2026, 3, 2, tzinfo=UTC))
    assert [r.key for r in since.rows] == ["2026-03-02"]
    assert since.total.revenue == Decimal("10.00")


def test_unknown_keys_sort_last_and_empty_shop(ctx):
    empty = ctx.store.run_blocking(report.build_report, "isp", None)
    assert empty.rows == [] and empty.total.margin is None and empty.total.refund_rate is None
    create_order(ctx.store, status="sold", isp=None, purchased_at=DAY1)
    create_order(ctx.store, status="sold", isp="Zeta", purchased_at=DAY1)
    assert [r.key for r in ctx.store.run_blocking(report.grouped, "isp")] == ["Zeta", None]


def test_bad_grouping_is_a_usage_error(ctx):
    with pytest.raises(UsageError, match="group"):
        ctx.store.run_blocking(report.grouped, "customer; DROP TABLE")


def test_fill_days_adds_zero_days():
    row = report.ProfitFigures("2026-03-02", 2, 1, Decimal("3.00"), Decimal("1.00"))
    days = report.fill_days([row], date(2026, 3, 1), date(2026, 3, 3))
    assert [(d.key, d.sold) for d in days] == [("2026-03-01", 0), ("2026-03-02", 2),
                                               ("2026-03-03", 0)]


def _fresh_sums(ctx):
    """The rollup as the triggers keep it, and recomputed from the orders."""
    class Conn:  # the helpers' one call, through the store's connection
        execute = staticmethod(ctx.store.db.execute_sql)

    return ctx.store.run_blocking(lambda: (totals_as_kept(Conn), totals_recomputed(Conn)))


def test_rollup_follows_inserts_updates_and_deletes(ctx):
    from proxyshop_desktop.models.tables import Order

    shop(ctx)
    rollup, fresh = _fresh_sums(ctx)
    assert rollup == fresh
    first = create_order(ctx.store, status="sold", price="2.00", cost="0.70", purchased_at=DAY1)

    def change():
        # a refund, a settled refund_unknown, a corrected country, a deleted order
        Order.update(status="refunded", refund_cents=200).where(Order.id == first.id).execute()
        Order.update(status="refunded").where(Order.status == "refund_unknown").execute()
        Order.update(country_code="AT").where(Order.isp == "Vodafone").execute()
        Order.update(status="sold", purchased_at=DAY2).where(Order.status == "pending").execute()
        Order.delete().where(Order.status == "void").execute()
    ctx.store.run_blocking(change)
    rollup, fresh = _fresh_sums(ctx)
    assert rollup == fresh
    # and the report reads the rollup the same way a scan of the orders does
    scan = ctx.store.run_blocking(report.build_report, "country", datetime(2000, 1, 1, 0, 1, tzinfo=UTC))
    fast = ctx.store.run_blocking(report.build_report, "country", None)
    assert scan.rows == fast.rows and scan.total == fast.total


def test_refund_rates_by_country_and_isp_with_a_minimum_sample(ctx):
    # DE/Telekom: 20 sales, 5 refunded -> its own rate; DE/Tiny: 3 sales, all refunded -> too
    # few: the country's rate (26 sales, 9 refunded); FR: 2 sales -> no rate at all.
    for i in range(20):
        create_order(ctx.store, status="refunded" if i < 5 else "sold", isp="Telekom")
    for _ in range(3):
        create_order(ctx.store, status="refunded", isp="Tiny")
    create_order(ctx.store, status="refund_unknown", isp="Other")  # a sale, not a refund
    create_order(ctx.store, status="recovered", isp="Other")
    create_order(ctx.store, status="refunded", isp="Other")
    create_order(ctx.store, status="pending", isp="Other")  # no sale
    create_order(ctx.store, status="sold", country_code="FR", isp="Orange")
    create_order(ctx.store, status="refunded", country_code="FR", isp="Orange")
    rates = ctx.store.run_blocking(report.refund_rates)
    assert rates.of("DE", "Telekom") == (Decimal("0.2500"), "country+isp")
    assert rates.of("DE", "Tiny") == (Decimal("0.3462"), "country")  # 9 / 26
    assert rates.of("DE", None) == (Decimal("0.3462"), "country")
    assert rates.of("FR", "Orange") == (None, None)
    assert rates.of(None, "Telekom") == (None, None)


@pytest.mark.sqlite_only("a SQLite upgrade path (PRAGMA user_version, SQLite triggers); PostgreSQL "
                         "databases start at the v7 form (tests/models/test_store_pg.py)")
def test_migrating_a_v6_database_backfills_the_rollup(data_paths, engine):
    from proxyshop_desktop.models.store import Store

    ctx = open_context(data_paths)
    shop(ctx)

    def back_to_v6():
        db = ctx.store.db
        for drop in ("TRIGGER order_rollup_insert", "TRIGGER order_rollup_delete",
                     "TRIGGER order_rollup_update", "TABLE order_rollup",
                     "INDEX order_report_since", "TABLE proxy_check"):
            db.execute_sql(f"DROP {drop}")
        # and v8's operator columns (issue 11)
        for index in ("order_operator", "audit_event_operator"):
            db.execute_sql(f"DROP INDEX {index}")
        for table in ('"order"', "audit_event", "sync_run"):
            db.execute_sql(f"ALTER TABLE {table} DROP COLUMN operator")
        for column in ("message_context", "message_key", "message_args"):  # and v10's (issue 12)
            db.execute_sql(f"ALTER TABLE audit_event DROP COLUMN {column}")
        for index, _term in migrations.V9_SORT_INDEXES:  # and v9's (issue 9)
            db.execute_sql(f"DROP INDEX {index}")
        db.execute_sql("PRAGMA user_version = 6")
    ctx.store.run_blocking(back_to_v6)
    ctx.store.close()
    store = Store(data_paths.database, data_paths.backups_dir)
    assert store.open() == list(range(7, migrations.LATEST_VERSION + 1))
    ctx.store = store  # the helper below reads through ctx.store
    try:
        rollup, fresh = _fresh_sums(ctx)
        assert rollup == fresh and rollup
        total = store.run_blocking(report.totals)
        assert (total.sold, total.revenue, total.cost) == (8, Decimal("16.00"), Decimal("3.90"))
    finally:
        store.close()


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine
