"""Orders a page at a time: filter, search and sort done by the database, never the whole history.

The cost of a page depends on the page, not on how many orders the shop has: every sort column
has an index (migration v5), a search goes through the trigram index `order_search`, and the
total comes from one COUNT. When many orders match, the query walks the sort column's index and
checks the filters row by row (the unary `+` keeps SQLite from sorting every match instead);
when few match, it fetches them by the filter's index and sorts those few.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.engine import is_postgres
from proxyshop_desktop.models.tables import REFUNDED_CENTS_SQL, Order
from proxyshop_desktop.money import from_cents
from proxyshop_desktop.services import report
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import check_status, order_view
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.vocabulary import KEPT, MAX_ORDERS_PAGE, SETTLED_BY_HAND, OrderStatus

#: sort key -> SQL expression; each has an index (a DESC walk of it is as cheap as ASC)
SORT_COLUMNS: dict[str, str] = {
    "created": "created_at",
    "purchased": "COALESCE(purchased_at, created_at)",  # when it happened
    "order_id": "order_id",
    "customer": "customer COLLATE NOCASE",
    "proxy": "server_ip",
    "country": "country_code",
    "price": "price_cents",
    "expires": "expires_at",
    "deadline": "purchased_at",  # the refund window ends a fixed time after the purchase
    "status": "status",
    "refunded_at": "refunded_at",
    "refund_amount": "refund_cents",
    "operator": "operator",
}
#: above this many matches, walk the sort index instead of sorting the matches
_SORT_IN_MEMORY_BELOW = 2_000
_TRIGRAM = 3  # the search index finds substrings of at least this many characters


@dataclass(frozen=True)
class OrderQuery:
    search: str | None = None  # a substring of the order id, customer, server IP or proxy IP
    status: str | None = None  # one vocabulary.OrderStatus
    customer: str | None = None  # exactly this customer reference
    operator: str | None = None  # exactly this operator (who sold it)
    sort: str = "created"  # a key of SORT_COLUMNS; ties broken by the row id, same direction
    descending: bool = True
    page: int = 1  # 1-based
    limit: int = 100


@dataclass(frozen=True)
class OrderPage:
    orders: list[OrderView]
    total: int  # every order matching the query
    page: int
    limit: int

    @property
    def remaining(self) -> int:
        """Matching orders after this page."""
        return max(0, self.total - self.page * self.limit)

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.remaining else None

    def to_json(self) -> dict[str, Any]:
        return {
            "orders": [o.to_json() for o in self.orders],
            "total": self.total,
            "page": self.page,
            "limit": self.limit,
            "next_page": self.next_page,
            "remaining": self.remaining,
        }


@dataclass
class _Where:
    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self, walk_sort_index: bool) -> str:
        if not self.clauses:
            return ""
        # `+x` is the same test, but SQLite may not use an index on x for it (SQLite only:
        # PostgreSQL's planner weighs the sort index itself, and has no unary + on text).
        plus = "+" if walk_sort_index and not is_postgres(Order._meta.database) else ""
        clauses = [c.replace("{+}", plus) for c in self.clauses]
        return " WHERE " + " AND ".join(clauses)


def check_query(query: OrderQuery) -> OrderQuery:
    """The query with its status normalised, or UsageError naming what is wrong."""
    if query.sort not in SORT_COLUMNS:
        raise UsageError(translate("errors", "Orders cannot be sorted by {0}.").format(repr(query.sort)),
                         translate("errors", "Use one of: {0}.").format(", ".join(SORT_COLUMNS)))
    if query.page < 1:
        raise UsageError(translate("errors", "Page {0} does not exist.").format(query.page),
                         translate("errors", "Pages are numbered from 1."))
    if not 1 <= query.limit <= MAX_ORDERS_PAGE:
        raise UsageError(translate("errors", "A page of {0} orders is not possible.").format(query.limit),
                         translate("errors", "Ask for 1 to {0} orders per page.").format(f"{MAX_ORDERS_PAGE:,}"))
    return replace(query, status=check_status(query.status))


def _short_needle(needle: str) -> tuple[str, list[str]]:
    """1-2 characters (below the trigram index): a scan, in the needle's usual case variants."""
    variants = list(dict.fromkeys((needle, needle.lower(), needle.upper(), needle.title())))
    tests = [f"instr({col}, ?) > 0" for col in ("order_id", "customer", "server_ip", "proxy_ip")
             for _ in variants]
    return "(" + " OR ".join(tests) + ")", variants * 4


def _where(query: OrderQuery) -> _Where:
    where = _Where()
    if query.customer is not None and query.customer.strip():
        where.add("{+}customer = ?", query.customer.strip())
    if query.status is not None:
        where.add("{+}status = ?", query.status)
    if query.operator is not None and query.operator.strip():
        where.add("{+}operator = ?", query.operator.strip())
    needle = (query.search or "").strip()
    if len(needle) >= _TRIGRAM and is_postgres(Order._meta.database):
        # pg_trgm's GIN indexes (migration v5 there) serve ILIKE '%needle%' on each column
        like = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        tests = [f"{column} ILIKE ?" for column in ("order_id", "customer", "server_ip", "proxy_ip")]
        where.add("(" + " OR ".join(tests) + ")", *[like] * len(tests))
    elif len(needle) >= _TRIGRAM:
        phrase = '"' + needle.replace('"', '""') + '"'  # one phrase: every character literal
        where.add("{+}id IN (SELECT rowid FROM order_search WHERE order_search MATCH ?)", phrase)
    elif needle:
        clause, params = _short_needle(needle)
        where.add(clause, *params)
    return where


def _count(query: OrderQuery, where: _Where) -> int:
    db = Order._meta.database
    if not where.clauses:  # every order: the rollup knows how many (migration v7)
        return sum(n for n, *_ in report.status_totals().values())
    if where.clauses == ["{+}status = ?"]:
        return report.status_totals().get(where.params[0], (0,))[0]
    if len(where.clauses) == 1 and len(where.params) == 1 and "order_search" in where.clauses[0]:
        # the search alone: the index counts its matches without reading the orders
        sql, params = "SELECT COUNT(*) FROM order_search WHERE order_search MATCH ?", where.params
    else:
        sql, params = f'SELECT COUNT(*) FROM "order"{where.sql(False)}', where.params
    return int(db.execute_sql(sql, params).fetchone()[0])


def select_page(query: OrderQuery) -> tuple[list[Order], int]:
    """On the DB thread: one page of orders and how many match in all."""
    where = _where(query)
    total = _count(query, where)
    offset = (query.page - 1) * query.limit
    if offset >= total:
        return [], total
    direction = "DESC" if query.descending else "ASC"
    order_by = f"{SORT_COLUMNS[query.sort]} {direction}, id {direction}"
    walk = total >= _SORT_IN_MEMORY_BELOW
    sql = (f'SELECT * FROM "order"{where.sql(walk)} ORDER BY {order_by} LIMIT ? OFFSET ?')
    rows = list(Order.raw(sql, *where.params, query.limit, offset))
    return rows, total


def select_all(query: OrderQuery) -> list[Order]:
    """On the DB thread: every matching order in the query's order (short lists only)."""
    where = _where(query)
    direction = "DESC" if query.descending else "ASC"
    sql = (f'SELECT * FROM "order"{where.sql(False)} '
           f"ORDER BY {SORT_COLUMNS[query.sort]} {direction}, id {direction}")
    return list(Order.raw(sql, *where.params))


def select_kept_ids(query: OrderQuery) -> list[str]:
    """On the DB thread: the ids of the exportable (kept) orders matching the query."""
    where = _where(replace(query, status=None))
    kept = ",".join("?" * len(KEPT))
    clause = f"status IN ({kept})"
    sql = where.sql(False) + (" AND " if where.clauses else " WHERE ") + clause
    if query.status is not None:
        sql, params = sql + " AND status = ?", [*where.params, *KEPT, query.status]
    else:
        params = [*where.params, *KEPT]
    return [row[0] for row in Order._meta.database.execute_sql(f'SELECT order_id FROM "order"{sql}', params)]


def _view_page(query: OrderQuery, settings: Settings) -> OrderPage:
    # The views are built here too, off the event loop: the window stays responsive meanwhile.
    rows, total = select_page(query)
    return OrderPage([order_view(r, settings) for r in rows], total, query.page, query.limit)


async def page_orders(ctx: ShopContext, query: OrderQuery) -> OrderPage:
    return await ctx.store.run(_view_page, check_query(query), ctx.settings)


# --- the Refunds tab's lists -------------------------------------------------------------------


def select_refund_candidates(now: datetime, settings: Settings, operator: str | None = None) -> list[Order]:
    """On the DB thread: what a refund can act on — kept sales inside their window, and the
    refunds whose outcome the operator settles (whatever their window); `operator`: only the
    orders that operator sold."""
    opened = now - timedelta(minutes=settings.refund_window_minutes)
    kept = ",".join("?" * len(KEPT))
    by_hand = ",".join("?" * len(SETTLED_BY_HAND))
    whose, who = (" AND operator = ?", [operator.strip()]) if operator and operator.strip() else ("", [])
    # Two index ranges (status, purchased_at); an OR with ORDER BY made SQLite scan every order.
    sql = (f'SELECT * FROM "order" WHERE status IN ({kept}) AND purchased_at > ?{whose} '
           f'UNION ALL SELECT * FROM "order" WHERE status IN ({by_hand}){whose}')
    rows = list(Order.raw(sql, *KEPT, Order.purchased_at.db_value(opened), *who, *SETTLED_BY_HAND, *who))
    return sorted(rows, key=lambda order: order.id)


async def refund_candidates(ctx: ShopContext, now: datetime, operator: str | None = None) -> list[OrderView]:
    settings = ctx.settings
    rows = await ctx.store.run(select_refund_candidates, now, settings, operator)
    views = [order_view(r, settings) for r in rows]
    return [v for v in views if v.refund_actionable(now)]  # the core's rule decides the edge


def refunded_total(operator: str | None = None) -> tuple[int, Decimal]:
    """On the DB thread: how many orders were refunded, and what went back in all (the rollup:
    its refunded_cents is REFUNDED_CENTS_SQL summed by the triggers); `operator`: of the orders
    that operator sold (summed from the orders: the rollup has no operator)."""
    if operator and operator.strip():
        n, cents = Order._meta.database.execute_sql(
            f'SELECT COUNT(*), COALESCE(SUM({REFUNDED_CENTS_SQL}), 0) FROM "order" '
            "WHERE status = ? AND operator = ?", (OrderStatus.REFUNDED.value, operator.strip())).fetchone()
        return int(n), from_cents(int(cents))
    n, _price, _cost, cents = report.status_totals().get(OrderStatus.REFUNDED, (0, 0, 0, 0))
    return n, from_cents(cents)
