"""The Activity tab: the audit trail (sales, refunds, syncs, cleanups, failures), filterable.

It refreshes when the bridge says data changed, but only while visible; a hidden tab just
remembers that it is stale and reloads when shown.

The history is never loaded whole: the model holds the pages the view has scrolled through
(`canFetchMore`/`fetchMore` ask for the next older page, keyset-paged on the event id by
`audit.page`). A refresh under the same filter reloads from the newest event down to the oldest
loaded one, so events that arrived since are inserted on top while the selection and the rows in
view stay where they were; a new filter starts again from its first page.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.audit import KINDS, AuditFilter, AuditPage
from proxyshop_desktop.services.results import AuditView
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.elided_label import ElidedLabel
from proxyshop_desktop.ui.formatting import format_money, local_time
from proxyshop_desktop.ui.plain_text import tooltip
from proxyshop_desktop.ui.problem_line import show_problem

log = logging.getLogger(__name__)

REFRESH_TASK = "activity.refresh"
MORE_TASK = "activity.more"
PAGE_SIZE = 200  # events per fetch: a few screens
# A refresh reloads at most this many events; beyond, it starts again from the newest page
REFRESH_LIMIT = 5_000
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_Index = QModelIndex | QPersistentModelIndex


class ActivityModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = (self.tr("Time"), self.tr("Kind"), self.tr("Result"), self.tr("Order"),
                         self.tr("Proxy"), self.tr("Amount"), self.tr("Message"), self.tr("Operator"))
        self._events: list[AuditView] = []
        self._rows: list[tuple[str, ...]] = []
        self._failed: list[bool] = []
        self._total = 0
        self._fetching = False
        self._failure_brushes = {scheme: QBrush(QColor(colours["error"]))
                                 for scheme, colours in theme.COLOURS.items()}

    moreWanted = Signal()  # the view scrolled near the last loaded event

    def set_events(self, events: list[AuditView], total: int | None = None) -> None:
        """Replace every row (a new filter's first page)."""
        self.beginResetModel()
        self._events = list(events)
        self._rows = [self._cells(e) for e in events]
        self._failed = [not e.ok for e in events]
        self._total = len(events) if total is None else total
        self._fetching = False
        self.endResetModel()

    def _cells(self, e: AuditView) -> tuple[str, ...]:
        return (local_time(e.at, seconds=True), e.kind, self.tr("ok") if e.ok else self.tr("failed"),
                e.order_id or "", "" if e.proxy_id is None else str(e.proxy_id),
                "" if e.amount is None else format_money(e.amount), core_text(e.shown), e.operator or "")

    @property
    def total(self) -> int:
        """Events matching the filter in the database (loaded or not)."""
        return self._total

    @property
    def oldest_id(self) -> int | None:
        return self._events[-1].id if self._events else None

    def event_id(self, row: int) -> int | None:
        return self._events[row].id

    def row_of(self, event_id: int) -> int | None:
        return next((r for r, e in enumerate(self._events) if e.id == event_id), None)

    def append_page(self, page: AuditPage) -> None:
        """The next older page, below the loaded rows (no reset: selection and scrolling stay)."""
        self._fetching = False
        self._total = page.total
        oldest = self.oldest_id
        fresh = [e for e in page.events if oldest is None or (e.id is not None and e.id < oldest)]
        if fresh:
            first = len(self._events)
            self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
            self._events.extend(fresh)
            self._rows.extend(self._cells(e) for e in fresh)
            self._failed.extend(not e.ok for e in fresh)
            self.endInsertRows()

    def merge_refresh(self, page: AuditPage) -> int | None:
        """A refresh from the newest event down to the oldest loaded one. When the loaded rows
        are still its tail, only the new events are inserted on top and their count returned;
        otherwise (events gone, or too many new ones) the rows are replaced and None returned."""
        old_ids = [e.id for e in self._events]
        new_ids = [e.id for e in page.events]
        added = len(new_ids) - len(old_ids)
        if added < 0 or new_ids[added:] != old_ids:
            self.set_events(page.events, page.total)
            return None
        self._total = page.total
        if added:
            fresh = page.events[:added]
            self.beginInsertRows(QModelIndex(), 0, added - 1)
            self._events[:0] = fresh
            self._rows[:0] = [self._cells(e) for e in fresh]
            self._failed[:0] = [not e.ok for e in fresh]
            self.endInsertRows()
        return added

    def fetch_failed(self) -> None:
        self._fetching = False

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008 (Qt API)
        return not parent.isValid() and not self._fetching and len(self._events) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008 (Qt API)
        if self.canFetchMore(parent):
            self._fetching = True
            self.moreWanted.emit()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return self._rows[index.row()][index.column()]
        if role == _FOREGROUND:
            return self._failure_brushes[theme.current_scheme()] if self._failed[index.row()] else None
        if role == _TOOLTIP and index.column() == 6:
            return tooltip(self._rows[index.row()][6])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == _DISPLAY and horizontal and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def row_text(self, row: int) -> tuple[str, ...]:
        return self._rows[row]


class ActivityLog(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activityTab")
        self._bridge = bridge
        self._stale = True
        self._shown_filter: AuditFilter | None = None  # the filter of the loaded rows
        self.model = ActivityModel(self)
        self.model.moreWanted.connect(self._fetch_more)

        self._build_filters()
        self._build_table()

        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.operator_filter)
        filters.addWidget(self.failures_only)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.schedule_refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.operator_filter.textChanged.connect(lambda _t: self._search_timer.start())
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.failures_only.toggled.connect(lambda _on: self.schedule_refresh())
        for signal in (bridge.inventoryChanged, bridge.ordersChanged, bridge.syncRunsChanged,
                       bridge.settingsChanged):
            signal.connect(self.mark_stale)

    def _build_filters(self) -> None:
        self.kind_filter = QComboBox(self)
        self.kind_filter.setObjectName("activityKindFilter")
        self.kind_filter.setAccessibleName(self.tr("Event kind filter"))
        self.kind_filter.addItem(self.tr("All events"), "")
        for kind in KINDS:
            self.kind_filter.addItem(kind, kind)
        self.search = QLineEdit(self)
        self.search.setObjectName("activitySearch")
        self.search.setAccessibleName(self.tr("Search the activity log"))
        self.search.setPlaceholderText(self.tr("Search messages and order ids"))
        self.search.setClearButtonEnabled(True)
        self.operator_filter = QLineEdit(self)  # a shared database: whose actions
        self.operator_filter.setObjectName("activityOperatorFilter")
        self.operator_filter.setAccessibleName(self.tr("Operator filter"))
        self.operator_filter.setPlaceholderText(self.tr("Operator"))
        self.operator_filter.setClearButtonEnabled(True)
        self.failures_only = QCheckBox(self.tr("Failures only"), self)
        self.failures_only.setObjectName("activityFailuresOnly")
        self.count_label = ElidedLabel(self)
        self.count_label.setObjectName("activityCount")

    def _build_table(self) -> None:
        self.table = QTableView(self)
        self.table.setObjectName("activityTable")
        self.table.setAccessibleName(self.tr("Activity log"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column, width in enumerate((150, 110, 70, 150, 80, 80, 420)):
            header.resizeSection(column, width)

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.schedule_refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._search_timer.stop()
        self._bridge.start(REFRESH_TASK, self.refresh(), replace=True)

    def current_filter(self) -> AuditFilter:
        return AuditFilter(self.kind_filter.currentData() or None, self.failures_only.isChecked(),
                           self.search.text().strip() or None,
                           self.operator_filter.text().strip() or None)

    async def refresh(self) -> None:
        f, model = self.current_filter(), self.model
        keep = f == self._shown_filter and model.oldest_id is not None
        try:
            if keep:
                page = await self._bridge.shop.audit_page(f, down_to=model.oldest_id, limit=REFRESH_LIMIT)
            else:
                page = await self._bridge.shop.audit_page(f, limit=PAGE_SIZE)
        except ShopError as exc:
            show_problem(self.count_label, self.tr("Could not load the activity log: {0}"), exc)
            return
        self._stale = False
        if keep:
            self._merge(page)
        else:
            self._shown_filter = f
            model.set_events(page.events, page.total)
            self.table.scrollToTop()
        self.count_label.set_text(self.tr("%Ln events", "", model.total))

    def _merge(self, page: AuditPage) -> None:
        """Keep the selected events selected and the rows in view in view (unless the view is at
        the top, where the operator watches new events arrive)."""
        bar = self.table.verticalScrollBar()
        at_top, position = bar.value() == 0, bar.value()
        selected = {self.model.event_id(i.row()) for i in self.table.selectionModel().selectedRows()}
        added = self.model.merge_refresh(page)
        if added is None:  # the rows were replaced: select the same events again
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            for event_id in selected:
                row = self.model.row_of(event_id) if event_id is not None else None
                if row is not None:
                    self.table.selectionModel().select(self.model.index(row, 0), flags)
            bar.setValue(position)
        elif added and not at_top:
            per_item = self.table.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem
            self.table.updateGeometries()  # the scroll range must include the new rows first
            bar.setValue(position + added * (1 if per_item else self.table.rowHeight(0)))

    def _fetch_more(self) -> None:
        self._bridge.start(MORE_TASK, self._load_more(self.current_filter()), replace=True)

    async def _load_more(self, f: AuditFilter) -> None:
        oldest = self.model.oldest_id
        try:
            page = await self._bridge.shop.audit_page(f, before=oldest, limit=PAGE_SIZE)
        except ShopError as exc:
            self.model.fetch_failed()
            show_problem(self.count_label, self.tr("Could not load the activity log: {0}"), exc)
            return
        if f != self._shown_filter or oldest != self.model.oldest_id:
            self.model.fetch_failed()  # a refresh replaced the rows meanwhile: this page is stale
            return
        self.model.append_page(page)
        self.count_label.set_text(self.tr("%Ln events", "", self.model.total))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
