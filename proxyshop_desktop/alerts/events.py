"""The events that raise alerts, called from the few places they happen:

- `after_sync`: when a sync run has ended (services/runs.py on failure, services/sync.py on
  success): N failed syncs in a row is an outage, alerted once; the next success, if the outage
  was alerted, is "recovered". Both are read from the `sync_run` history, so they hold across the
  window and cron and across restarts.
- `provider_refused`: a purchase the provider refused for its balance (403), once an hour at most
  (the repeats are counted on the queued alert).
- `check_shop`: orders stuck pending, refunds whose outcome is unknown (once per order) and the
  daily summary; run by the window's timer and at the end of the headless commands.

Raising is an insert on the DB thread; nothing here raises into the caller (a broken alert must
never fail a sync or a sale): failures are logged.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

from proxyshop_desktop.alerts import messages, outbox, setup
from proxyshop_desktop.errors import BalanceTooLowError
from proxyshop_desktop.models.tables import Order, Product, SyncRun
from proxyshop_desktop.services import report
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.vocabulary import REFUNDABLE, OrderStatus

log = logging.getLogger(__name__)

#: a daily summary later than this after its time is skipped for that day (the app was off)
DAILY_LATE_LIMIT = timedelta(hours=12)

Alert = tuple[str, str, str]  # (kind, dedupe key, body)


async def _raise(ctx: ShopContext, alerts: list[Alert]) -> int:
    """Queue the alerts not raised before, if a bot token is set (alerts are on)."""
    fresh = [a for a in alerts if not await ctx.store.run(outbox.was_raised, a[1])]
    if not fresh or not await setup.bot_token_async():
        return 0
    count = 0
    for kind, key, body in fresh:
        count += await ctx.store.run(outbox.raise_alert, kind, key, body, ctx.clock())
    return count


# --- sync outages --------------------------------------------------------------------------------


def _failed_since(after_id: int, before_id: int | None) -> list[SyncRun]:
    query = SyncRun.select().where(
        (SyncRun.kind == "sync") & (SyncRun.status == "failed") & (SyncRun.id > after_id)
    )
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    return list(query.order_by(SyncRun.id))


def _last_success(before_id: int | None = None) -> int:
    query = SyncRun.select(SyncRun.id).where((SyncRun.kind == "sync") & (SyncRun.status == "success"))
    if before_id is not None:
        query = query.where(SyncRun.id < before_id)
    last = query.order_by(SyncRun.id.desc()).first()
    return last.id if last else 0


def sync_alerts(threshold: int) -> list[Alert]:
    """DB thread: the outage or recovery alert the latest finished sync calls for, if any."""
    latest = (
        SyncRun.select()
        .where((SyncRun.kind == "sync") & (SyncRun.status != "running"))
        .order_by(SyncRun.id.desc())
        .first()
    )
    if latest is None:
        return []
    if latest.status == "failed":
        failed = _failed_since(_last_success(), None)
        if len(failed) < threshold:
            return []
        body = messages.sync_failing(len(failed), failed[0].started_at, latest.error or "unknown")
        return [("sync_failing", f"sync_failing:{failed[0].id}", body)]
    failed = _failed_since(_last_success(latest.id), latest.id)
    if len(failed) < threshold or not outbox.was_raised(f"sync_failing:{failed[0].id}"):
        return []  # no outage, or one that was not alerted (alerts were off)
    body = messages.sync_recovered(len(failed), failed[0].started_at)
    return [("sync_failing", f"sync_recovered:{failed[0].id}", body)]


async def after_sync(ctx: ShopContext) -> None:
    if not setup.wanted(ctx.settings, "sync_failing"):
        return
    messages.follow(ctx.settings)
    try:
        await _raise(ctx, await ctx.store.run(sync_alerts, ctx.settings.alert_sync_failures))
    except Exception:
        log.exception("could not raise the sync alert")


# --- a purchase refused for the provider's balance -----------------------------------------------


async def provider_refused(ctx: ShopContext, error: Exception, proxy_id: int) -> None:
    if not isinstance(error, BalanceTooLowError) or not setup.wanted(ctx.settings, "balance_refused"):
        return
    messages.follow(ctx.settings)
    at = ctx.clock()
    key = f"balance_refused:{at:%Y-%m-%dT%H}"  # one alert an hour; repeats counted on it
    try:
        if not await setup.bot_token_async():
            return
        await ctx.store.run(
            outbox.raise_alert, "balance_refused", key, messages.balance_refused(proxy_id, str(error)), at
        )
    except Exception:
        log.exception("could not raise the balance alert")


# --- the shop's state: pending orders, unknown refunds, the daily summary -------------------------


def order_alerts(at: datetime, pending_minutes: int, kinds: tuple[str, ...]) -> list[Alert]:
    alerts: list[Alert] = []
    if "pending_order" in kinds:
        cutoff = at - timedelta(minutes=pending_minutes)
        for order in Order.select().where((Order.status == OrderStatus.PENDING) & (Order.created_at < cutoff)):
            minutes = int((at - order.created_at).total_seconds() // 60)
            body = messages.pending_order(order.order_id, order.customer, minutes)
            alerts.append(("pending_order", f"pending_order:{order.order_id}", body))
    if "refund_unknown" in kinds:
        for order in Order.select().where(Order.status == OrderStatus.REFUND_UNKNOWN):
            body = messages.refund_unknown(order.order_id, order.customer)
            alerts.append(("refund_unknown", f"refund_unknown:{order.order_id}", body))
    return alerts


def daily_due(at: datetime, daily_time: str) -> str | None:
    """The local date whose summary is due at `at`, or None."""
    local = at.astimezone()
    hour, minute = (int(part) for part in daily_time.split(":"))
    scheduled = datetime.combine(local.date(), time(hour, minute), local.tzinfo)
    if not scheduled <= local < scheduled + DAILY_LATE_LIMIT:
        return None
    return local.date().isoformat()


def daily_figures(end: datetime) -> messages.DailyFigures:
    """DB thread: the sales of the last 24 hours up to `end`, under the report's profit rule
    (services/report.py: a refund counts against the sale it undoes)."""
    start = end - timedelta(days=1)
    figures = report.between(start, end)
    # a kept sale without its purchase price: the profit is not known, rather than overstated
    cost_missing = (
        Order.select()
        .where((Order.purchased_at >= start) & (Order.purchased_at < end))
        .where(Order.status.in_(REFUNDABLE))
        .where(Order.cost_cents.is_null())
        .exists()
    )
    return messages.DailyFigures(
        start=start, end=end, sold=figures.sold, refunded=figures.refunded,
        revenue=figures.revenue, profit=None if cost_missing else figures.profit,
        inventory=Product.select().count(),
        pending=Order.select().where(Order.status == OrderStatus.PENDING).count(),
    )


def shop_alerts(at: datetime, pending_minutes: int, kinds: tuple[str, ...], daily_time: str) -> list[Alert]:
    outbox.prune(at)  # the outbox must not grow forever either
    alerts = order_alerts(at, pending_minutes, kinds)
    day = daily_due(at, daily_time) if "daily_summary" in kinds else None
    if day is not None and not outbox.was_raised(f"daily_summary:{day}"):
        body = messages.daily_summary(daily_figures(at))
        alerts.append(("daily_summary", f"daily_summary:{day}", body))
    return alerts


async def check_shop(ctx: ShopContext) -> int:
    """Raise what the shop's state calls for; returns how many alerts were queued."""
    settings = ctx.settings
    if not settings.telegram_chat_id or not settings.alert_events:
        return 0
    messages.follow(settings)
    try:
        alerts = await ctx.store.run(
            shop_alerts, ctx.clock(), settings.alert_pending_minutes, settings.alert_events,
            settings.alert_daily_time,
        )
        return await _raise(ctx, alerts)
    except Exception:
        log.exception("could not check the shop for alerts")
        return 0
