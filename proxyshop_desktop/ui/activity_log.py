"""The Activity tab: the audit trail (sales, refunds, syncs, cleanups, failures), filterable.

It refreshes when the bridge says data changed, but only while visible; a hidden tab just
remembers that it is stale and reloads when shown.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.services.audit import KINDS
from proxyshop_desktop.services.results import AuditView
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.formatting import format_money, local_time
from proxyshop_desktop.ui.plain_text import plain, tooltip

log = logging.getLogger(__name__)

REFRESH_TASK = "activity.refresh"
LIMIT = 1000
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_Index = QModelIndex | QPersistentModelIndex


class ActivityModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = (self.tr("Time"), self.tr("Kind"), self.tr("Result"), self.tr("Order"),
                         self.tr("Proxy"), self.tr("Amount"), self.tr("Message"))
        self._rows: list[tuple[str, ...]] = []
        self._failed: list[bool] = []
        self._failure_brushes = {scheme: QBrush(QColor(colours["error"]))
                                 for scheme, colours in theme.COLOURS.items()}

    def set_events(self, events: list[AuditView]) -> None:
        self.beginResetModel()
        ok, failed = self.tr("ok"), self.tr("failed")
        self._rows = [
            (local_time(e.at, seconds=True), e.kind, ok if e.ok else failed, e.order_id or "",
             "" if e.proxy_id is None else str(e.proxy_id),
             "" if e.amount is None else format_money(e.amount), e.message)
            for e in events
        ]
        self._failed = [not e.ok for e in events]
        self.endResetModel()

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
        self.model = ActivityModel(self)

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
        self.failures_only = QCheckBox(self.tr("Failures only"), self)
        self.failures_only.setObjectName("activityFailuresOnly")
        self.count_label = plain(QLabel(self))
        self.count_label.setObjectName("activityCount")

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
        for column, width in enumerate((150, 110, 70, 150, 80, 80)):
            header.resizeSection(column, width)

        filters = QHBoxLayout()
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.search, 1)
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
        self.kind_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.failures_only.toggled.connect(lambda _on: self.schedule_refresh())
        for signal in (bridge.inventoryChanged, bridge.ordersChanged, bridge.syncRunsChanged,
                       bridge.settingsChanged):
            signal.connect(self.mark_stale)

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self.schedule_refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.schedule_refresh()

    def schedule_refresh(self) -> None:
        self._search_timer.stop()
        self._bridge.start(REFRESH_TASK, self.refresh(), replace=True)

    async def refresh(self) -> None:
        try:
            events = await self._bridge.shop.audit_events(
                LIMIT, self.kind_filter.currentData() or None, self.failures_only.isChecked(),
                self.search.text().strip() or None,
            )
        except ShopError as exc:
            self.count_label.setText(describe(exc))
            return
        self._stale = False
        self.model.set_events(events)
        shown = len(events)
        self.count_label.setText(self.tr("Latest %Ln events (older ones are not shown)", "", shown)
                                 if shown >= LIMIT else self.tr("%Ln events", "", shown))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()
