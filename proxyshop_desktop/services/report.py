"""Profit and refund rates, in total and per day, country, proxy type or ISP: one SQL aggregate.

The profit rule lives here and only here (the stats and the report both use it):

- a *sale* is an order the provider charged: sold, recovered, refunded or refund_unknown;
- *revenue* is what customers paid for those sales minus what was given back on refunds (a
  refund without a recorded amount, possible only in an imported database, gave back the price);
- *cost* is what the provider charged for the sales the shop kept (sold, recovered and
  refund_unknown): a refund the provider granted credited its purchase price back, so a refunded
  sale costs nothing;
- *profit* = revenue - cost; *margin* = profit / revenue; *refund rate* = refunded / sold.

A refund_unknown order counts as the stats count it: a sale, not refunded, its cost kept (the
answer was lost; until it is settled the shop has no proof the money came back). An order whose
purchase price was never recorded (an imported database) adds nothing to the cost.

Each figure is an integer-cent SUM in SQLite (per group and status), turned into Decimal once:
exact. Per-group figures
are attributed to the sale's purchase day (a refund lands on the day of the sale it undoes), so a
day's refund rate is the share of that day's sales later refunded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import REFUNDED_CENTS_SQL, database_proxy
from proxyshop_desktop.money import from_cents, money_str, ratio
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.vocabulary import CHARGED, REFUNDABLE, OrderStatus

#: grouping name -> the SQL expression of its key (times are UTC ISO text: 10 chars = the day)
GROUPINGS: dict[str, str] = {
    "day": "substr(purchased_at, 1, 10)",
    "country": "country_code",
    "type": "proxy_type",
    "isp": "isp",
}
#: the periods the Stats tab offers for the per-day figures
DAY_PERIODS = (30, 90, 365)


def _in(values: tuple[str, ...]) -> str:
    return "(" + ",".join(f"'{v}'" for v in values) + ")"  # fixed vocabulary, never user text


# Both sources answer (key, status, orders, price, cost, refunded amount) per key and status;
# the profit rule (`_Sums.add`) turns them into figures. Without --since the trigger-maintained
# `order_rollup` (models/migrations.py v7, the one rollup of the orders) answers in a few hundred
# rows; with --since a range of the `order_report_since` covering index is aggregated.
_FROM_ORDERS = (
    "SELECT {key} AS k, status, COUNT(*), SUM(price_cents), SUM(COALESCE(cost_cents, 0)),"
    f' SUM({REFUNDED_CENTS_SQL}) FROM "order"'
    f" WHERE status IN {_in(CHARGED)} AND purchased_at >= ? AND purchased_at < ?"
    " GROUP BY k, status"
)
_FROM_ROLLUP = (
    "SELECT NULLIF(key, ''), status, n, price_cents, cost_cents, refunded_cents"
    f" FROM order_rollup WHERE dim = ? AND status IN {_in(CHARGED)} AND n > 0"
)
#: no upper bound on purchase times (ISO text sorts after every stored time)
_END = "~"


@dataclass(frozen=True)
class ProfitFigures:
    """One group's (or the whole shop's) sales and money."""

    key: str | None  # the day, country code, proxy type or ISP; None when not recorded
    sold: int
    refunded: int
    revenue: Decimal
    cost: Decimal

    @property
    def profit(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def refund_rate(self) -> Decimal | None:
        return ratio(self.refunded, self.sold)

    @property
    def margin(self) -> Decimal | None:
        """profit / revenue; None without revenue."""
        return ratio(self.profit, self.revenue)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "sold": self.sold,
            "refunded": self.refunded,
            "refund_rate": _rate_json(self.refund_rate),
            "revenue": money_str(self.revenue),
            "cost": money_str(self.cost),
            "profit": money_str(self.profit),
        }


@dataclass(frozen=True)
class ProfitReport:
    by: str
    since: datetime | None
    rows: list[ProfitFigures]
    total: ProfitFigures

    def to_json(self) -> dict[str, Any]:
        total = {k: v for k, v in self.total.to_json().items() if k != "key"}
        total["margin"] = _rate_json(self.total.margin)
        return {
            "by": self.by,
            "since": None if self.since is None else db_time(self.since),
            "rows": [row.to_json() for row in self.rows],
            "total": total,
        }


def _rate_json(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class _Sums:
    """The profit rule, applied to per-status sums of one group."""

    def __init__(self) -> None:
        self.sold = self.refunded = self.revenue = self.cost = 0

    def add(self, status: str, n: int, price: int, cost: int, refunded: int) -> None:
        """`refunded`: REFUNDED_CENTS_SQL summed; money given back only for a refunded status."""
        self.sold += n
        self.revenue += price
        if status == OrderStatus.REFUNDED:
            self.revenue -= refunded
            self.refunded += n  # the provider credited its cost back: it costs nothing
        elif status in REFUNDABLE:
            self.cost += cost  # kept (or refund_unknown): the shop paid for it

    def figures(self, key: str | None) -> ProfitFigures:
        return ProfitFigures(
            key, self.sold, self.refunded, from_cents(self.revenue), from_cents(self.cost)
        )


def _rows(by: str, since: datetime | None) -> list[tuple[Any, ...]]:
    db = database_proxy
    if since is None:
        return list(db.execute_sql(_FROM_ROLLUP, (by,)))
    if by == "day" and since == datetime.combine(since.date(), time(), since.tzinfo):
        # whole days: the day rollup has them already
        sql = _FROM_ROLLUP + " AND key >= ?"
        return list(db.execute_sql(sql, (by, since.astimezone(UTC).date().isoformat())))
    return list(db.execute_sql(_FROM_ORDERS.format(key=GROUPINGS[by]), (db_time(since), _END)))


def _figures(rows: list[tuple[Any, ...]]) -> ProfitFigures:
    sums = _Sums()
    for _key, status, *values in rows:
        sums.add(status, *(int(v or 0) for v in values))
    return sums.figures(None)


def grouped(by: str, since: datetime | None = None) -> list[ProfitFigures]:
    """On the DB thread: one row per group, in key order (days oldest first; unknown last)."""
    if by not in GROUPINGS:
        raise UsageError(
            f"Cannot group a report by {by!r}.", f"Use one of: {', '.join(GROUPINGS)}."
        )
    groups: dict[str | None, _Sums] = {}
    for key, status, *sums in _rows(by, since):
        groups.setdefault(key, _Sums()).add(status, *(int(v or 0) for v in sums))
    order = sorted(groups, key=lambda k: (k is None, k or ""))
    return [groups[key].figures(key) for key in order]


def totals(since: datetime | None = None) -> ProfitFigures:
    """On the DB thread: the whole shop's figures (sales purchased at or after `since`)."""
    if since is None:
        return _figures(list(database_proxy.execute_sql(_FROM_ROLLUP, ("all",))))
    return build_report("type", since).total  # the grouping with the fewest rows


def between(start: datetime, end: datetime) -> ProfitFigures:
    """On the DB thread: the figures of the sales purchased in [start, end) (the daily alert)."""
    sql = _FROM_ORDERS.format(key="''")
    return _figures(list(database_proxy.execute_sql(sql, (db_time(start), db_time(end)))))


def status_totals() -> dict[str, tuple[int, int, int, int]]:
    """On the DB thread: status -> (orders, price, cost, refunded amount) in cents over every
    order, from the rollup's 'all' rows (the stats' counts, the orders' unfiltered count)."""
    return {
        status: (int(n), int(price), int(cost), int(refunded))
        for status, n, price, cost, refunded in database_proxy.execute_sql(
            "SELECT status, n, price_cents, cost_cents, refunded_cents FROM order_rollup"
            " WHERE dim = 'all' AND n != 0"
        )
    }


def day_totals(dim: str, first_day: str) -> list[tuple[str, str, int, int]]:
    """On the DB thread: (day, status, orders, cents) from `first_day` on; dim 'day' sums the
    prices by purchase day, 'refunded_day' the refunded amounts by refund day."""
    cents = {"day": "price_cents", "refunded_day": "refunded_cents"}[dim]
    return [
        (day, status, int(n), int(total))
        for day, status, n, total in database_proxy.execute_sql(
            f"SELECT key, status, n, {cents} FROM order_rollup"
            " WHERE dim = ? AND key >= ? AND key != '' AND n != 0",
            (dim, first_day),
        )
    ]


def build_report(by: str, since: datetime | None = None) -> ProfitReport:
    """On the DB thread. The total is summed from the rows."""
    rows = grouped(by, since)
    total = ProfitFigures(
        None,
        sum(r.sold for r in rows),
        sum(r.refunded for r in rows),
        sum((r.revenue for r in rows), Decimal("0.00")),
        sum((r.cost for r in rows), Decimal("0.00")),
    )
    return ProfitReport(by, since, rows, total)


async def profit_report(ctx: ShopContext, by: str, since: datetime | None = None) -> ProfitReport:
    return await ctx.store.run(build_report, by, since)


# --- the inventory's refund rates --------------------------------------------------------------

#: sales below which a group's refund rate is not shown: with fewer, one refund moves it by more
#: than five points, which says nothing about the stock
MIN_RATE_SAMPLE = 20


@dataclass(frozen=True)
class RefundRates:
    """Refunded / sold per (country, ISP) and per country, from the shop's own sales.

    A proxy gets the rate of its country and ISP when that pair has MIN_RATE_SAMPLE sales (the
    ISP's network in that country is what fails: the same ISP name elsewhere is another network,
    and the proxy type follows from the ISP), else its country's when the country has enough,
    else none."""

    pairs: dict[tuple[str, str], tuple[int, int]]  # (country, isp) -> (sold, refunded)
    countries: dict[str, tuple[int, int]]

    def of(self, country_code: str | None, isp: str | None) -> tuple[Decimal | None, str | None]:
        """(rate, basis) with basis "country+isp" or "country"; (None, None): too few sales."""
        code = country_code or ""
        sold, refunded = self.pairs.get((code, isp or ""), (0, 0))
        if sold >= MIN_RATE_SAMPLE:
            return ratio(refunded, sold), "country+isp"
        sold, refunded = self.countries.get(code, (0, 0)) if code else (0, 0)
        if sold >= MIN_RATE_SAMPLE:
            return ratio(refunded, sold), "country"
        return None, None


def refund_rates() -> RefundRates:
    """On the DB thread: read off the rollup (a few hundred rows)."""
    sql = (
        f"SELECT dim, key, SUM(n), SUM(CASE WHEN status = '{OrderStatus.REFUNDED}' THEN n"
        " ELSE 0 END) FROM order_rollup WHERE dim IN ('country_isp', 'country')"
        f" AND status IN {_in(CHARGED)} GROUP BY dim, key"
    )
    pairs: dict[tuple[str, str], tuple[int, int]] = {}
    countries: dict[str, tuple[int, int]] = {}
    for dim, key, sold, refunded in database_proxy.execute_sql(sql):
        if dim == "country":
            countries[key] = (int(sold), int(refunded))
        else:
            code, _, isp = key.partition("|")
            pairs[(code, isp)] = (int(sold), int(refunded))
    return RefundRates(pairs, countries)


def fill_days(rows: list[ProfitFigures], first: date, last: date) -> list[ProfitFigures]:
    """Per-day rows with the days without sales as zero rows, first..last inclusive (charts)."""
    known = {row.key: row for row in rows}
    zero = Decimal("0.00")
    days = []
    for offset in range((last - first).days + 1):
        day = (first + timedelta(days=offset)).isoformat()
        days.append(known.get(day) or ProfitFigures(day, 0, 0, zero, zero))
    return days
