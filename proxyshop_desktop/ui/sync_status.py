"""The always-visible sync indicator in the status bar: a coloured dot and one line of text.

"Synced 14:05 · 2,991 proxies (+3 −1) · next in 4:12", "Syncing… page 7 · 1,400 proxies",
"Sync failed: The provider rejected the API token (HTTP 401) · retry in 4:59". The text is a pure
function of the controller's state and the seconds to the next run, so it is tested without a
window; a one-second timer only refreshes the countdown.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QHBoxLayout, QToolButton, QWidget

from proxyshop_desktop.models.target import DatabaseTarget
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.counted import counted
from proxyshop_desktop.ui.elided_label import ElidedLabel
from proxyshop_desktop.ui.formatting import count, countdown, local_date, local_time
from proxyshop_desktop.ui.plain_text import tooltip
from proxyshop_desktop.ui.problem_line import database_tooltip
from proxyshop_desktop.ui.sync_controller import SyncController, SyncStatus

#: the states the dot has a colour for (the colours, light and dark, are in ui/theme.py)
DOT_STATES = ("idle", "syncing", "cleaning", "success", "error", "no_token")


def status_text(status: SyncStatus, seconds_to_next: int | None) -> str:
    """The indicator's line for a state; `seconds_to_next` None means the timer is stopped."""
    translate = QCoreApplication.translate
    state = status.state
    if state == "syncing":
        if status.phase == "reconciling":
            return translate("SyncStatus", "Syncing… checking pending orders")
        if status.phase == "writing":
            return counted().syncing_saving(status.fetched)
        if status.phase == "confirming":  # a large removal is checked against a second listing
            return counted().syncing_confirming(status.pages, status.fetched)
        if status.pages and status.expected:
            return counted().syncing_page_of(status.pages, status.expected, status.fetched)
        if status.pages:
            return counted().syncing_page(status.pages, status.fetched)
        return translate("SyncStatus", "Syncing…")
    if state == "cleaning":
        return translate("SyncStatus", "Cleaning up… checking the inventory against the provider")
    if state == "no_token":
        return status.reason or translate("SyncStatus", "No API token: set it in Settings")
    if state == "success":
        text = counted().synced(_clock(status), status.total, count(status.added),
                                count(status.removed))
        if seconds_to_next is not None:
            text += " · " + translate("SyncStatus", "next in {0}").format(countdown(seconds_to_next))
        return text
    if state == "error":
        what = (translate("SyncStatus", "Cleanup failed: {0}") if status.action == "cleanup"
                else translate("SyncStatus", "Sync failed: {0}"))
        text = what.format(status.reason.rstrip("."))
        if seconds_to_next is not None:
            text += " · " + translate("SyncStatus", "retry in {0}").format(countdown(seconds_to_next))
        return text
    # idle with a reason: another machine on the shared database is syncing the shop
    text = status.reason.rstrip(".") if status.reason else translate("SyncStatus", "Not synced yet")
    if seconds_to_next is not None:
        text += " · " + translate("SyncStatus", "next in {0}").format(countdown(seconds_to_next))
    return text


def database_text(seconds_to_retry: int, server: str | None) -> str:
    """The indicator's short line while the database does not answer (it overrides the sync's;
    the error itself is in the tooltip): `server` "host:port/dbname" of a PostgreSQL server,
    None for this computer's database file."""
    translate = QCoreApplication.translate
    if server is not None:
        text = translate("SyncStatus", "Database {0} unreachable: check the server and the network").format(server)
    else:
        text = translate("SyncStatus", "The database file cannot be read or written: check the disk")
    return text + " · " + translate("SyncStatus", "trying again in {0}").format(countdown(seconds_to_retry))


def server_name(target: DatabaseTarget | None) -> str | None:
    """"host:port/dbname" of a shared PostgreSQL database, None for this computer's file."""
    return None if target is None else f"{target.host}:{target.port}/{target.dbname}"


def _clock(status: SyncStatus) -> str:
    """'14:05' today, the full local date otherwise."""
    if status.finished_at is None:
        return "—"
    full = local_time(status.finished_at)
    today = local_date(datetime.now().astimezone())  # the locale's date form, as in `full`
    return full[len(today) + 1:] if full.startswith(today + " ") else full


class _Dot(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = theme.colour("idle")
        self.setFixedSize(QSize(12, 12))

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour)
        self.update()

    def colour(self) -> str:
        return self._colour.name()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colour)
        painter.drawEllipse(1, 1, 10, 10)


class SyncStatusWidget(QWidget):
    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName(self.tr("Sync status"))
        self._controller = controller
        self._hint = ""
        self.dot = _Dot(self)
        self.dot.setObjectName("syncStatusDot")
        # The reason may be the provider's words, and long: cut to the space the bar has, never
        # wider (the whole line is then in the tooltip).
        self.label = ElidedLabel(self)
        self.label.setObjectName("syncStatusText")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        self.cancel_button = QToolButton(self)
        self.cancel_button.setObjectName("syncCancelButton")
        self.cancel_button.setText(self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop this sync; while it lists, nothing is changed"))
        self.cancel_button.clicked.connect(controller.cancel_sync)
        self.cancel_button.hide()
        layout.addWidget(self.dot)
        layout.addWidget(self.label)
        layout.addWidget(self.cancel_button)
        # As tall with the button as without: a status bar that grew for it moved and repainted
        # the whole window (its table too) when a sync started and when it began writing.
        self.setMinimumHeight(self.cancel_button.sizeHint().height())
        # The countdown moves every second; only the label's text changes.
        self._tick = QTimer(self)
        self._tick.setObjectName("syncStatusTick")
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.refresh)
        self._tick.start()
        controller.statusChanged.connect(lambda _status: self.refresh())
        controller.bridge.databaseChanged.connect(lambda _problem: self.refresh())
        self.refresh()

    def text(self) -> str:
        return self.label.text()

    def refresh(self) -> None:
        bridge = self._controller.bridge
        problem = bridge.database_problem
        if problem is not None:  # nothing works without the database: this first
            server = server_name(bridge.shop.store.target)
            self._show(database_text(bridge.seconds_to_database_retry(), server), "error",
                       database_tooltip(problem))
            self.cancel_button.setVisible(False)
            return
        status = self._controller.status
        self._show(status_text(status, self._controller.seconds_to_next()),
                   status.state if status.state in DOT_STATES else "idle", status.hint)
        # Offered while the listing arrives: the final write is one short transaction.
        self.cancel_button.setVisible(status.state == "syncing" and status.phase != "writing")

    def _show(self, text: str, state: str, hint: str) -> None:
        if text != self.label.text() or hint != self._hint:
            self._hint = hint
            self.label.set_text(text, hint)
            self.setAccessibleDescription(text)
        self.dot.set_colour(theme.colour(state).name())
        self.setToolTip(tooltip(hint))
