"""Select all on a paged inventory: what the operator selects is what matches, not what happened
to be loaded.

A large inventory holds only the pages scrolled through (inventory_tab.PAGED_ABOVE), so Qt's own
select-all (Ctrl+A) selected those 200-odd rows of, say, 4,000 matches, and "Sell 200…" looked
like "sell them all". Select all now loads every match first, up to SELECT_ALL_MAX rows (one
batch sale); past that it selects the first SELECT_ALL_MAX and says so, so that the operator
narrows the filters rather than sells a surprise.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication, QItemSelection, QItemSelectionModel, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableView

from proxyshop_desktop.services.inventory import MAX_PAGE_SIZE
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.inventory_model import InventoryModel

#: the most rows select-all loads and selects: one batch sale
SELECT_ALL_MAX = MAX_PAGE_SIZE


class InventoryTable(QTableView):
    """The inventory's table view (over ui/inventory_model.py::InventoryModel); tells when the
    operator asked to select everything; keeps the selection, the current row and the scroll
    position across a model reset, by product id."""

    selectAllRequested = Signal()

    def selectAll(self) -> None:  # Ctrl+A, Edit > Select all
        super().selectAll()
        self.selectAllRequested.emit()

    def rows(self) -> InventoryModel:
        return cast(InventoryModel, self.model())

    def selected_product_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.selectionModel().selectedRows())
        return [self.rows().product_id(row) for row in rows]

    def remember(self) -> tuple[list[int], int | None, int | None]:
        """(selected, current, top row) product ids, for `restore` after a reset."""
        model = self.rows()
        if model.rowCount() == 0:
            return [], None, None
        current_index = self.currentIndex()
        current = model.product_id(current_index.row()) if current_index.isValid() else None
        top_row = self.rowAt(0)
        top = model.product_id(top_row) if top_row > 0 else None  # at the top: stay there
        return self.selected_product_ids(), current, top

    def restore(self, selected: list[int], current: int | None, top: int | None) -> None:
        model = self.rows()
        rows = [r for r in (model.row_of(pid) for pid in selected) if r is not None]
        flags = QItemSelectionModel.SelectionFlag
        selection_model = self.selectionModel()
        if current is not None and (row := model.row_of(current)) is not None:
            selection_model.setCurrentIndex(model.index(row, 0), flags.NoUpdate)
        if rows:
            selection_model.select(model.selection_of_rows(rows), flags.ClearAndSelect | flags.Rows)
        if top is not None and (row := model.row_of(top)) is not None:
            self.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)


def rows_to_load(loaded: int, total: int) -> int:
    """How many rows select-all wants loaded (0: the loaded rows are already all it selects)."""
    want = min(total, SELECT_ALL_MAX)
    return want if loaded < want else 0


def select_every_row(table: QTableView) -> None:
    model = table.model()
    if model.rowCount() == 0:
        return
    whole = QItemSelection(model.index(0, 0), model.index(model.rowCount() - 1, model.columnCount() - 1))
    flags = QItemSelectionModel.SelectionFlag
    table.selectionModel().select(whole, flags.ClearAndSelect | flags.Rows)


def capped_message(selected: int, total: int) -> str:
    """Empty when every match is selected."""
    if selected >= total:
        return ""
    return QCoreApplication.translate(
        "InventoryTab", "Selected the first {0} of {1} matching proxies: narrow the filters to sell "
        "more at once.").format(formatting.count(selected), formatting.count(total))
