"""The inventory table's model: a plain QAbstractTableModel over the core's already-sorted rows.

Why no QSortFilterProxyModel: over a Python model it needs ~1.5 million `data()` calls to sort
50,000 rows (field notes: 12 s). The core filters and sorts in SQL; this model only swaps lists.
Rows are formatted lazily, once each, the first time the view paints them, so a reset costs
O(1) in the row count and painting costs O(visible rows).

A large inventory is paged instead (`set_rows(rows, total)`): the model then holds the pages the
view has scrolled through and asks for the next one (`moreWanted`) from `canFetchMore`; see
inventory_tab.PAGED_ABOVE for when.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from proxyshop_desktop.services.results import InventoryRow
from proxyshop_desktop.ui import formatting, theme
from proxyshop_desktop.ui.formatting import QT_TRANSLATE_NOOP, format_money
from proxyshop_desktop.ui.plain_text import tooltip
from proxyshop_desktop.vocabulary import FAST_MS, MODERATE_MS, speed_band

_Index = QModelIndex | QPersistentModelIndex

#: rows whose last reference is dropped per event-loop turn after a reset (~1 ms of freeing)
RELEASE_SLICE = 2_000

#: (sort key = InventoryRow attribute the core sorts on, header text)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("country", QT_TRANSLATE_NOOP("InventoryModel", "Country")),
    ("city", QT_TRANSLATE_NOOP("InventoryModel", "City")),
    ("region", QT_TRANSLATE_NOOP("InventoryModel", "Region")),
    ("proxy_type", QT_TRANSLATE_NOOP("InventoryModel", "Type")),
    ("isp", QT_TRANSLATE_NOOP("InventoryModel", "ISP")),
    ("speed", QT_TRANSLATE_NOOP("InventoryModel", "Speed")),
    ("status", QT_TRANSLATE_NOOP("InventoryModel", "Status")),
    ("price", QT_TRANSLATE_NOOP("InventoryModel", "Price")),
    ("first_seen", QT_TRANSLATE_NOOP("InventoryModel", "First seen")),
    ("last_seen", QT_TRANSLATE_NOOP("InventoryModel", "Last seen")),
    ("refund_rate", QT_TRANSLATE_NOOP("InventoryModel", "Refunded")),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
SPEED_COLUMN = COLUMN_KEYS.index("speed")
STATUS_COLUMN = COLUMN_KEYS.index("status")
PRICE_COLUMN = COLUMN_KEYS.index("price")
REFUND_COLUMN = COLUMN_KEYS.index("refund_rate")

#: custom role: the row's product_id (int)
ProductIdRole = int(Qt.ItemDataRole.UserRole) + 1


_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def proxy_type_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "residential": translate("InventoryModel", "residential"),
        "mobile": translate("InventoryModel", "mobile"),
        "hosting": translate("InventoryModel", "hosting"),
    }


def status_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "online": translate("InventoryModel", "online"),
        "offline": translate("InventoryModel", "offline"),
    }


def speed_class_names() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "fast": translate("InventoryModel", "fast"),
        "moderate": translate("InventoryModel", "moderate"),
        "slow": translate("InventoryModel", "slow"),
    }


def speed_class(speed: float | None) -> str | None:
    """'fast' | 'moderate' | 'slow', or None when the provider gave no speed."""
    return speed_band(speed)


def local_time(moment: datetime | None) -> str:
    """Aware UTC inside, the operator's local time on screen."""
    return formatting.local_time(moment)


def country_label(code: str | None, name: str | None) -> str:
    if code and name:
        return f"{code} — {name}"
    return code or name or "—"


class InventoryModel(QAbstractTableModel):
    moreWanted = Signal()  # paged: the view scrolled near the last loaded row

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[InventoryRow] = []
        self._total: int | None = None  # paged: the rows matching in the database; else None
        self._fetching = False
        self._formatted: list[tuple[str, ...] | None] = []
        self._row_of: dict[int, int] | None = None
        self._headers = tuple(QCoreApplication.translate("InventoryModel", title) for _, title in COLUMNS)
        self._class_names = speed_class_names()
        self._status_names = status_names()
        self._type_names = proxy_type_names()
        # Brushes are cached, per light/dark scheme: data() runs for every painted cell.
        self._brushes = {scheme: {name: QBrush(QColor(value)) for name, value in colours.items()}
                         for scheme, colours in theme.COLOURS.items()}
        self._to_release: list[list[InventoryRow]] = []
        self._release_timer = QTimer(self)
        self._release_timer.setInterval(0)
        self._release_timer.timeout.connect(self._release_some)

    # --- data in ---------------------------------------------------------------------------------

    def set_rows(self, rows: list[InventoryRow], total: int | None = None) -> None:
        """Swap in a new, already filtered and sorted list (a model reset); with `total`, the
        first pages of that many matching rows (more are fetched as the view scrolls)."""
        self.beginResetModel()
        old, self._rows = self._rows, rows
        self._total, self._fetching = total, False
        self._formatted = [None] * len(rows)
        self._row_of = None
        self.endResetModel()
        self._release_later(old)

    def _release_later(self, old: list[InventoryRow]) -> None:
        """After a sync the old rows die with the old list; freeing 50,000 of them at once held
        the GUI thread ~37 ms (benchmarks/bench_gui.py). Their last references (a copy: someone
        may still hold the list itself) are dropped a slice per event-loop turn instead."""
        if len(old) > RELEASE_SLICE:
            self._to_release.append(list(old))
            self._release_timer.start()

    def _release_some(self) -> None:
        batch = self._to_release[-1]
        del batch[-RELEASE_SLICE:]
        if not batch:
            self._to_release.pop()
        if not self._to_release:
            self._release_timer.stop()

    @property
    def rows(self) -> list[InventoryRow]:
        return self._rows

    def row_data(self, row: int) -> InventoryRow:
        return self._rows[row]

    def product_id(self, row: int) -> int:
        return self._rows[row].product_id

    def row_of(self, product_id: int) -> int | None:
        if self._row_of is None:  # built on first use only: most resets never need it
            self._row_of = {r.product_id: i for i, r in enumerate(self._rows)}
        return self._row_of.get(product_id)

    def selection_of_rows(self, rows: list[int]) -> QItemSelection:
        """Whole rows as few ranges as possible (one per run of consecutive rows): selecting
        thousands of rows one by one is slow."""
        selection = QItemSelection()
        last_column = len(COLUMNS) - 1
        ordered = sorted(rows)
        start = 0
        for i in range(1, len(ordered) + 1):
            if i == len(ordered) or ordered[i] != ordered[i - 1] + 1:
                selection.select(self.index(ordered[start], 0), self.index(ordered[i - 1], last_column))
                start = i
        return selection

    def formatted(self, row: int) -> tuple[str, ...]:
        cached = self._formatted[row]
        if cached is None:
            cached = self._format(self._rows[row])
            self._formatted[row] = cached
        return cached

    def _format(self, r: InventoryRow) -> tuple[str, ...]:
        klass = speed_class(r.speed)
        speed = "—" if r.speed is None else f"{formatting.speed(r.speed)} · {self._class_names[klass or 'slow']}"
        return (
            country_label(r.country_code, r.country),
            r.city or "—",
            r.region or "—",
            self._type_names.get(r.proxy_type, r.proxy_type),
            r.isp or "—",
            speed,
            self._status_names.get(r.status, r.status),
            format_money(r.price),
            local_time(r.first_seen),
            local_time(r.last_seen),
            "—" if r.refund_rate is None else formatting.percent(r.refund_rate),
        )

    # --- paging (large inventories) ---------------------------------------------------------------

    @property
    def total(self) -> int:
        """Rows matching the query (loaded or not)."""
        return len(self._rows) if self._total is None else self._total

    @property
    def paged(self) -> bool:
        return self._total is not None

    def append_rows(self, rows: list[InventoryRow], total: int) -> None:
        """The next page below the loaded rows (no reset: selection and scrolling stay)."""
        self._total, self._fetching = total, False
        known = self._row_of if self._row_of is not None else {r.product_id for r in self._rows}
        fresh = [r for r in rows if r.product_id not in known]  # a sync shifted the pages
        if fresh:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._rows.extend(fresh)
            self._formatted.extend([None] * len(fresh))
            self._row_of = None
            self.endInsertRows()

    def set_total(self, total: int) -> None:
        """Paged: the number of matching rows, counted after the rows were shown (no reset)."""
        if self._total is not None:
            self._total = total

    def fetch_failed(self) -> None:
        self._fetching = False

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return (not parent.isValid() and self._total is not None and not self._fetching
                and len(self._rows) < self._total)

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 (Qt API)
        if self.canFetchMore(parent):
            self._fetching = True
            self.moreWanted.emit()

    # --- Qt model interface ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        # DisplayRole first and cheap; everything else returns None fast (field notes).
        if not index.isValid():
            return None
        row = index.row()
        if role == _DISPLAY:
            return self.formatted(row)[index.column()]
        column = index.column()
        if role == _FOREGROUND:
            r = self._rows[row]
            brushes = self._brushes[theme.current_scheme()]
            if r.status != "online":
                return brushes["offline"]
            if column == SPEED_COLUMN:
                klass = speed_class(r.speed)
                return None if klass is None else brushes[klass]
            return None
        if role == _ALIGN:
            return _RIGHT if column in (SPEED_COLUMN, PRICE_COLUMN, REFUND_COLUMN) else None
        if role == ProductIdRole:
            return self._rows[row].product_id
        if role == _TOOLTIP and column == REFUND_COLUMN:
            return tooltip(self._refund_tooltip(self._rows[row]))  # the ISP is provider text
        if role == _TOOLTIP and column == SPEED_COLUMN:
            return QCoreApplication.translate(
                "InventoryModel", "Latency in ms: up to {0} is fast, up to {1} moderate, above is slow."
            ).format(f"{FAST_MS:.0f}", f"{MODERATE_MS:.0f}")
        return None

    def _refund_tooltip(self, r: InventoryRow) -> str:
        translate = QCoreApplication.translate
        if r.refund_basis == "country+isp":
            return translate("InventoryModel", "Share of the shop's sales of {0} proxies in {1} "
                             "that were refunded").format(r.isp, r.country_code)
        if r.refund_basis == "country":
            return translate("InventoryModel", "Share of the shop's sales in {0} that were "
                             "refunded (too few sales of this ISP there)").format(r.country_code)
        return translate("InventoryModel", "Too few sales here to tell (fewer than 20)")

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if role == _DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._headers[section]
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
