"""`OrdersModel`: a plain table model of `OrderView` rows for the Sales and Refunds tabs.

Rows are formatted once when they arrive (DisplayRole answers from a tuple of strings); only the
refund countdown changes with time, and `tick()` repaints just that column with `dataChanged`
instead of resetting the model, so selection, scrolling and editing state are never disturbed.
Which columns a table shows is a constructor argument: the two tabs share the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.services.export import txt_unfit
from proxyshop_desktop.services.results import OrderView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.order_columns import (
    ATTENTION_STATUSES,
    COLUMN_SPECS,
    LIVE_STATUSES,
    cell_text,
    refund_deadline_text,
)

# The columns live in order_columns.py; the tabs import these two from here as well.
from proxyshop_desktop.ui.order_columns import SALES_COLUMNS as SALES_COLUMNS
from proxyshop_desktop.ui.order_columns import Col as Col
from proxyshop_desktop.ui.plain_text import tooltip
from proxyshop_desktop.vocabulary import OrderStatus

Index = QModelIndex | QPersistentModelIndex

ORDER_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # str: the order id of the row
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: the row needs the operator's attention
ORDER_ROLE = Qt.ItemDataRole.UserRole + 3  # OrderView

# Amber with dark text reads the same on light and dark palettes.
_PENDING_BACKGROUND = QBrush(QColor("#ffc107"))
_PENDING_FOREGROUND = QBrush(QColor("#1a1a1a"))
_MISSING_FOREGROUND = QBrush(QColor("#d32f2f"))


class OrdersModel(QAbstractTableModel):
    def __init__(
        self,
        columns: Sequence[Col] = SALES_COLUMNS,
        parent: Any = None,
        *,
        sort: tuple[Col, Qt.SortOrder] = (Col.PURCHASED, Qt.SortOrder.DescendingOrder),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._clock = clock
        self._orders: list[OrderView] = []
        # Formatted on first display: a reset of many orders costs no formatting up front.
        self._cells: list[list[str] | None] = []
        self._live: list[int] = []  # rows whose refund countdown still runs
        self._deadline_col = next(
            (i for i, c in enumerate(self._columns) if c in (Col.DEADLINE, Col.TIME_LEFT)), -1
        )
        self._sort_col = self._columns.index(sort[0]) if sort[0] in self._columns else -1
        self._sort_order = sort[1]
        self._bold = QFont()
        self._bold.setBold(True)

    # --- data in --------------------------------------------------------------------------------

    def set_orders(self, orders: Iterable[OrderView]) -> None:
        """Replace every row (a model reset); rows are kept in the current sort order."""
        self.beginResetModel()
        self._orders = self._sorted(list(orders))
        self._format_all()
        self.endResetModel()

    def remove_order_ids(self, order_ids: Iterable[str]) -> None:
        """Drop some rows without a reset (the rest keep their selection)."""
        doomed = set(order_ids)
        for row in range(len(self._orders) - 1, -1, -1):
            if self._orders[row].order_id in doomed:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._orders[row]
                del self._cells[row]
                self.endRemoveRows()
        self._find_live()

    def tick(self) -> list[str]:
        """Recompute the countdowns still running; repaint only that column's changed cells.

        Returns the ids of orders whose refund window ended since the last tick."""
        if not self._live:
            return []
        now = self._clock()
        col = self._deadline_col
        changed: list[int] = []
        ended: list[str] = []
        still_live: list[int] = []
        for row in self._live:
            order = self._orders[row]
            text = refund_deadline_text(order, now)
            if text == formatting.DASH:
                ended.append(order.order_id)
            else:
                still_live.append(row)
            cells = self._cells[row]
            if cells is not None and cells[col] != text:
                cells[col] = text
                changed.append(row)
        self._live = still_live
        if changed:
            self.dataChanged.emit(
                self.index(min(changed), col),
                self.index(max(changed), col),
                [Qt.ItemDataRole.DisplayRole],
            )
        return ended

    # --- data out -------------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[Col, ...]:
        return self._columns

    @property
    def sort_column(self) -> int:
        return self._sort_col

    @property
    def sort_order(self) -> Qt.SortOrder:
        return self._sort_order

    def column_of(self, col: Col) -> int:
        return self._columns.index(col)

    def orders(self) -> list[OrderView]:
        return list(self._orders)

    def order_at(self, row: int) -> OrderView:
        return self._orders[row]

    def row_of(self, order_id: str) -> int | None:
        for row, order in enumerate(self._orders):
            if order.order_id == order_id:
                return row
        return None

    # --- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt API
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            cells = self._cells[row]
            if cells is None:
                cells = self._cells[row] = [
                    cell_text(self._orders[row], c, self._clock()) for c in self._columns
                ]
            return cells[column]
        order = self._orders[row]
        attention = order.status in ATTENTION_STATUSES
        if role == Qt.ItemDataRole.BackgroundRole:
            return _PENDING_BACKGROUND if attention else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if attention:
                return _PENDING_FOREGROUND
            if order.missing_at_provider and self._columns[column] is Col.STATUS:
                return _MISSING_FOREGROUND
            return None
        if role == Qt.ItemDataRole.FontRole:
            return self._bold if attention else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self._tooltip(order))  # the note is database text
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if self._columns[column] in (Col.PRICE, Col.REFUND_AMOUNT, Col.DEADLINE, Col.TIME_LEFT):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == ORDER_ID_ROLE:
            return order.order_id
        if role == HIGHLIGHT_ROLE:
            return attention or order.missing_at_provider
        if role == ORDER_ROLE:
            return order
        return None

    def _tooltip(self, order: OrderView) -> str | None:
        translate = QCoreApplication.translate
        if order.status == OrderStatus.PENDING:
            return translate("OrdersModel", "provider outcome unknown — run Reconcile")
        if order.status == OrderStatus.REFUND_UNKNOWN:
            return translate("OrdersModel", "a refund got no answer and the provider's words do not tell "
                                            "whether it happened — Reconcile or Refund asks again; once "
                                            "you have checked with the provider, Mark refunded or Mark "
                                            "not refunded in the Refunds tab")  # fmt: skip
        if order.missing_at_provider:
            return translate("OrdersModel", "The provider has no record of this purchase — run Reconcile "
                                            "or check the provider account")  # fmt: skip
        if order.refund_state is not None and order.refund_requested_at is not None:
            return translate("OrdersModel", "a refund sent {0} awaits its answer").format(
                formatting.local_time(order.refund_requested_at))
        if order.credentials is not None and txt_unfit(order.credentials):
            return formatting.txt_unfit_warning()
        if order.note:
            return order.note
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < len(self._columns):
                return QCoreApplication.translate(
                    "OrdersModel", COLUMN_SPECS[self._columns[section]].title
                )
            return None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Orders are few (thousands, not the inventory's 50,000): sorting in Python is cheap."""
        if not 0 <= column < len(self._columns):
            return
        self._sort_col, self._sort_order = column, order
        self.layoutAboutToBeChanged.emit()
        old_persistent = self.persistentIndexList()
        old_ids = [self._orders[i.row()].order_id for i in old_persistent]
        self._orders = self._sorted(self._orders)
        self._format_all()
        position = {o.order_id: row for row, o in enumerate(self._orders)}
        self.changePersistentIndexList(
            old_persistent,
            [
                self.index(position[oid], i.column())
                for oid, i in zip(old_ids, old_persistent, strict=True)
            ],
        )
        self.layoutChanged.emit()

    # --- internals ------------------------------------------------------------------------------

    def _sorted(self, orders: list[OrderView]) -> list[OrderView]:
        if self._sort_col < 0:
            return orders
        key = COLUMN_SPECS[self._columns[self._sort_col]].sort_key
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        # Stable tie-break on the order id so equal keys do not shuffle between refreshes.
        orders = sorted(orders, key=lambda o: o.order_id, reverse=descending)
        return sorted(orders, key=key, reverse=descending)

    def _format_all(self) -> None:
        """Forget formatted rows and find the running countdowns."""
        self._cells = [None] * len(self._orders)
        self._find_live()

    def _find_live(self) -> None:
        if self._deadline_col < 0:
            return
        now = self._clock()
        self._live = [
            row
            for row, o in enumerate(self._orders)
            if o.status in LIVE_STATUSES
            and o.refundable_until is not None
            and now < o.refundable_until
        ]


# --- the views over this model (shared by the Sales and Refunds tabs) -----------------------------


def configure_view(view: QTableView, model: OrdersModel) -> None:
    """Fixed row heights and no content-sized columns: painting cost independent of row count."""
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    rows = view.verticalHeader()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + 8)
    rows.hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionsMovable(True)
    for column, col in enumerate(model.columns):
        header.resizeSection(column, _WIDTHS.get(col, 120))
    if model.sort_column >= 0:
        header.setSortIndicator(model.sort_column, model.sort_order)
        view.setSortingEnabled(True)


_WIDTHS = {
    Col.ORDER_ID: 170, Col.CUSTOMER: 130, Col.PROXY: 160, Col.COUNTRY: 70, Col.PRICE: 80,
    Col.PURCHASED: 130, Col.EXPIRES: 130, Col.DEADLINE: 120, Col.TIME_LEFT: 125, Col.STATUS: 110,
    Col.REFUNDED_AT: 130, Col.REFUND_AMOUNT: 90,
}  # fmt: skip


def selected_orders(view: QTableView) -> list[OrderView]:
    """The selected rows' orders, top to bottom."""
    model = view.model()
    assert isinstance(model, OrdersModel)
    rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
    return [model.order_at(row) for row in rows]


def remember_selection(view: QTableView) -> tuple[list[str], str | None, int]:
    """Selected ids, the current row's id and the scroll position, to restore after a reset."""
    model = view.model()
    assert isinstance(model, OrdersModel)
    current = view.currentIndex()
    current_id = model.order_at(current.row()).order_id if current.isValid() else None
    return [o.order_id for o in selected_orders(view)], current_id, view.verticalScrollBar().value()


def restore_selection(view: QTableView, state: tuple[list[str], str | None, int]) -> None:
    model = view.model()
    assert isinstance(model, OrdersModel)
    ids, current_id, scroll = state
    wanted = set(ids)
    selection = QItemSelection()
    last_column = model.columnCount() - 1
    for row, order in enumerate(model.orders()):
        if order.order_id in wanted:
            selection.select(model.index(row, 0), model.index(row, last_column))
    selector = view.selectionModel()
    if current_id is not None and (current_row := model.row_of(current_id)) is not None:
        selector.setCurrentIndex(model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
    selector.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    view.verticalScrollBar().setValue(scroll)
