"""`PagedOrdersModel`: the Sales tab's orders as a window onto an SQL query.

The database filters, searches and sorts (`Shop.order_page`); the model holds only the pages the
view has scrolled through. Qt asks `canFetchMore`/`fetchMore` when the view nears the last loaded
row; the model then asks its owner (the `moreWanted` signal) for the next page, which arrives
with `append_orders`. A header click asks for a new first page in the new order (`sortWanted`)
instead of sorting in Python. Cells, colours, countdowns and tooltips are `OrdersModel`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal

from proxyshop_desktop.services.order_pages import OrderQuery
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.ui.orders_model import Col, OrdersModel
from proxyshop_desktop.vocabulary import MAX_ORDERS_PAGE

#: a column -> the core's sort key (order_pages.SORT_COLUMNS)
SORT_KEYS: dict[Col, str] = {
    Col.ORDER_ID: "order_id",
    Col.CUSTOMER: "customer",
    Col.PROXY: "proxy",
    Col.COUNTRY: "country",
    Col.PRICE: "price",
    Col.PURCHASED: "purchased",
    Col.EXPIRES: "expires",
    Col.DEADLINE: "deadline",
    Col.TIME_LEFT: "deadline",
    Col.STATUS: "status",
    Col.REFUNDED_AT: "refunded_at",
    Col.REFUND_AMOUNT: "refund_amount",
}
PAGE_SIZE = 200  # rows per fetch: a few screens


class PagedOrdersModel(OrdersModel):
    moreWanted = Signal()  # the view scrolled near the end of what is loaded  # noqa: N815
    sortWanted = Signal()  # a header click: reload in the new order  # noqa: N815

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._total = 0
        self._fetching = False
        self._search: str | None = None
        self._status: str | None = None

    @property
    def total(self) -> int:
        """Orders matching the query in the database (loaded or not)."""
        return self._total

    def sql_sort(self) -> tuple[str, bool]:
        """(the core's sort key, descending) for the header's current sort."""
        col = self.columns[self.sort_column] if self.sort_column >= 0 else Col.PURCHASED
        return SORT_KEYS[col], self.sort_order == Qt.SortOrder.DescendingOrder

    def set_filter(self, search: str | None, status: str | None) -> None:
        self._search, self._status = search, status

    @property
    def filtered(self) -> bool:
        return self._search is not None or self._status is not None

    def query(self, page: int = 1, limit: int | None = None) -> OrderQuery:
        sort, descending = self.sql_sort()
        return OrderQuery(search=self._search, status=self._status, sort=sort,
                          descending=descending, page=page, limit=limit or PAGE_SIZE)

    def refresh_query(self) -> OrderQuery:
        """As many rows as are loaded now (whole pages), so the scroll position survives."""
        pages = max(1, -(-self.rowCount() // PAGE_SIZE))
        return self.query(limit=min(MAX_ORDERS_PAGE, pages * PAGE_SIZE))

    def next_query(self) -> OrderQuery:
        return self.query(page=self.rowCount() // PAGE_SIZE + 1)

    def set_page(self, orders: Iterable[OrderView], total: int) -> None:
        """The first rows of a (new) query, in the database's order."""
        self._total = total
        self._fetching = False
        self.set_orders(orders)

    def append_orders(self, orders: list[OrderView], total: int) -> None:
        """The next page, below the loaded rows (no reset: selection and scrolling stay)."""
        self._total = total
        self._fetching = False
        known = {o.order_id for o in self._orders}
        fresh = [o for o in orders if o.order_id not in known]  # a sale shifted the pages
        if fresh:
            first = len(self._orders)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._orders.extend(fresh)
            self._cells.extend([None] * len(fresh))
            self.endInsertRows()
            self._find_live()

    def fetch_failed(self) -> None:
        self._fetching = False

    # --- Qt model API ---------------------------------------------------------------------------

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._fetching and len(self._orders) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008, N802
        if self.canFetchMore(parent):
            self._fetching = True
            self.moreWanted.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        if (column, order) == (self.sort_column, self.sort_order):
            return
        self._sort_col, self._sort_order = column, order
        self.sortWanted.emit()

    def _sorted(self, orders: list[OrderView]) -> list[OrderView]:
        return orders  # the database sorted them
