"""Shop figures (the stats command and the Stats tab) and the sync history.

Everything is summed by the database over integer cents, then turned into Decimal once: revenue is
exact. The sums come from the rollup that triggers keep per status, per day and more (migration v7),
so the figures cost the same at a million orders as at ten.
A sale counts once it was charged (sold, recovered, or later refunded); pending and void orders
are not sales. Revenue is the money kept: every sale's price minus what was refunded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from proxyshop_desktop.models.tables import Order, Product, SyncRun
from proxyshop_desktop.money import from_cents
from proxyshop_desktop.services import report
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import DailyFigure, ShopStats, SyncRunView
from proxyshop_desktop.vocabulary import CHARGED, OrderStatus

DAILY_DAYS = 30


async def shop_stats(ctx: ShopContext) -> ShopStats:
    return await ctx.store.run(compute_stats, ctx.clock())


async def sync_history(ctx: ShopContext, limit: int) -> list[SyncRunView]:
    """Sync and cleanup runs, newest first."""
    return await ctx.store.run(_sync_history, limit)


def _scalar(sql: str, params: tuple[object, ...] = ()) -> int:
    row = Order._meta.database.execute_sql(sql, params).fetchone()
    return int(row[0] or 0) if row else 0


def compute_stats(now: datetime) -> ShopStats:
    """On the DB thread. `now` fixes the 30-day window (tests pass their own)."""
    # The rollup the database keeps (migration v7): a few rows, not the history.
    by_status = report.status_totals()

    def total(statuses: tuple[str, ...]) -> int:
        return sum(by_status.get(status, (0, 0, 0, 0))[0] for status in statuses)

    total_sold = total(CHARGED)
    total_refunded = total((OrderStatus.REFUNDED,))
    money = report.totals()  # revenue, cost and profit: the one profit rule
    pending = total((OrderStatus.PENDING,))

    total_inventory = Product.select().count()
    countries = _scalar(
        "SELECT COUNT(DISTINCT country_code) FROM product "
        "WHERE country_code IS NOT NULL AND country_code != ''"
    )
    by_country = [
        (code or "??", count)
        for code, count in Product._meta.database.execute_sql(
            "SELECT country_code, COUNT(*) AS n FROM product "
            "GROUP BY country_code ORDER BY n DESC, country_code IS NULL, country_code"
        )
    ]
    by_type = [
        (kind or "unknown", count)
        for kind, count in Product._meta.database.execute_sql(
            "SELECT proxy_type, COUNT(*) AS n FROM product "
            "GROUP BY proxy_type ORDER BY n DESC, proxy_type"
        )
    ]
    last = (
        SyncRun.select(SyncRun.finished_at)
        .where((SyncRun.kind == "sync") & (SyncRun.status == "success"))
        .where(SyncRun.finished_at.is_null(False))
        .order_by(SyncRun.finished_at.desc())
        .first()
    )
    return ShopStats(
        total_inventory=total_inventory,
        total_sold=total_sold,
        total_refunded=total_refunded,
        revenue=money.revenue,
        countries_available=countries,
        last_sync=last.finished_at if last else None,
        pending_orders=pending,
        cost=money.cost,
        by_country=by_country,
        by_type=by_type,
        daily=_daily(now),
    )


def _daily(now: datetime) -> list[DailyFigure]:
    """Sales, refunds and revenue per UTC day for the last DAILY_DAYS days, oldest first.

    Times are stored as UTC ISO text, so the first ten characters are the UTC day."""
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=DAILY_DAYS - 1)
    first_text = first.isoformat()
    per_day: dict[tuple[str, str], tuple[int, int]] = {}
    # a sale is counted on its purchase day once charged; a refund on its refund day
    for kind, counted in (("day", CHARGED), ("refunded_day", (OrderStatus.REFUNDED,))):
        for day, status, count, cents in report.day_totals(kind, first_text):
            if status in counted:
                before = per_day.get((day, kind), (0, 0))
                per_day[(day, kind)] = (before[0] + count, before[1] + cents)
    figures = []
    for offset in range(DAILY_DAYS):
        day = (first + timedelta(days=offset)).isoformat()
        sold, sold_cents = per_day.get((day, "day"), (0, 0))
        refunded, refund_cents = per_day.get((day, "refunded_day"), (0, 0))
        figures.append(
            DailyFigure(
                day=day,
                sold=sold,
                refunded=refunded,
                revenue=from_cents((sold_cents or 0) - (refund_cents or 0)),
            )
        )
    return figures


def _sync_history(limit: int) -> list[SyncRunView]:
    query = SyncRun.select().order_by(SyncRun.id.desc()).limit(max(1, limit))
    return [
        SyncRunView(
            run_id=run.id,
            kind=run.kind,
            scope=run.scope,
            trigger=run.trigger,
            status=run.status,
            started_at=run.started_at,
            finished_at=run.finished_at,
            pages=run.pages,
            fetched=run.fetched,
            added=run.added,
            updated=run.updated,
            removed=run.removed,
            skipped=run.skipped,
            error=run.error,
        )
        for run in query
    ]
