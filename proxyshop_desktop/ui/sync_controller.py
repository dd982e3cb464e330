"""Runs syncs and cleanups for the window: the timer, the one-at-a-time rule and the state shown by
the status indicator.

States: idle -> syncing (pages, proxies) -> success (time, counts) | error (reason); cleaning;
no_token. A failed automatic run is shown in the indicator and the activity log only; a dialog
appears only for runs the operator started. The tray hears about health flips (failing <->
healthy, once per change); provider errors go out on the bridge's `providerError`.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import (
    BusyError,
    DatabaseUnavailableError,
    ProviderError,
    ShopError,
    SyncedElsewhereError,
    TokenMissingError,
)
from proxyshop_desktop.services.results import SyncProgress, SyncResult
from proxyshop_desktop.ui.async_dialogs import show_error_later
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.error_dialogs import describe

log = logging.getLogger(__name__)

SYNC_TASK = "sync"
CLEANUP_TASK = "cleanup"
#: Page reports arrive every few ms (1,000 pages at 200,000 proxies); each shown one relays out and
#: repaints the status bar on the GUI thread: at most one per this many ms (a new phase at once).
PROGRESS_MS = 200


@dataclass(frozen=True)
class SyncStatus:
    state: str  # idle | syncing | cleaning | success | error | no_token
    pages: int = 0
    fetched: int = 0
    phase: str = ""
    expected: int | None = None  # pages the provider announced, when it did
    finished_at: datetime | None = None
    total: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    reason: str = ""
    hint: str = ""
    action: str = "sync"  # what failed: "sync" | "cleanup"


class SyncController(QObject):
    statusChanged = Signal(object)  # SyncStatus
    busyChanged = Signal(bool)  # a sync or cleanup is running
    healthChanged = Signal(bool)  # True = recovered, False = started failing
    trayMessage = Signal(str, str, bool)  # title, text, is_warning
    _progressArrived = Signal(object)  # SyncProgress, possibly from the DB thread

    def __init__(self, bridge: ShopBridge, window: QWidget) -> None:
        super().__init__(window)
        self.bridge = bridge
        self._window = window
        self._status = SyncStatus("idle")
        self._last_outcome = self._status  # what to show again after a cleanup
        self._healthy: bool | None = None
        self._sync_task: asyncio.Task[SyncResult | None] | None = None
        self._cancel_requested = False
        self.timer = QTimer(window)
        self.timer.setObjectName("syncTimer")
        self.timer.setInterval(self.interval_ms())
        self.timer.timeout.connect(self._on_timer)
        self._progressArrived.connect(self._on_progress)
        self._pending_progress: SyncProgress | None = None
        self._progress_timer = QTimer(self)
        self._progress_timer.setSingleShot(True)
        self._progress_timer.setInterval(PROGRESS_MS)
        self._progress_timer.timeout.connect(self._show_pending_progress)
        bridge.settingsChanged.connect(self._on_settings_changed)
        bridge.databaseChanged.connect(self._on_database_changed)

    # --- state -----------------------------------------------------------------------------------

    @property
    def status(self) -> SyncStatus:
        return self._status

    @property
    def busy(self) -> bool:
        return self.bridge.is_running(SYNC_TASK) or self.bridge.is_running(CLEANUP_TASK)

    @property
    def healthy(self) -> bool | None:
        return self._healthy

    def interval_ms(self) -> int:
        return self.bridge.shop.settings.sync_interval_minutes * 60_000

    def seconds_to_next(self) -> int | None:
        """Whole seconds until the timer's next sync, None when it is stopped."""
        if not self.timer.isActive():
            return None
        return max(0, self.timer.remainingTime() // 1000)

    def _set_status(self, status: SyncStatus) -> None:
        self._status = status
        if status.state in ("success", "error", "no_token", "idle"):
            self._last_outcome = status
        self.statusChanged.emit(status)

    # --- start-up --------------------------------------------------------------------------------

    def start(self, *, first_sync: bool, has_token: bool = True) -> None:
        """Start the timer; optionally sync right away (demo, and every normal start with a token)."""
        self.timer.start(self.interval_ms())
        if not has_token:
            self.mark_no_token()
        elif first_sync:
            self.request_sync("timer")

    def mark_no_token(self) -> None:
        self._set_status(
            SyncStatus("no_token", reason=self.tr("No API token: set it in Settings"),
                       hint=TokenMissingError("").hint)
        )

    async def load_last_run(self) -> None:
        """Show the last recorded sync (from a previous session) until a new one finishes."""
        try:
            runs = await self.bridge.shop.sync_history(10)
        except ShopError as exc:
            log.warning("cannot read the sync history: %s", exc)
            return
        if self._status.state != "idle":
            return  # a sync already started or finished in the meantime
        for run in runs:
            if run.kind != "sync" or run.finished_at is None:
                continue
            if run.status == "success":
                self._set_status(SyncStatus("success", finished_at=run.finished_at, total=run.fetched,
                                            added=run.added, updated=run.updated, removed=run.removed))
            else:
                self._set_status(SyncStatus("error", finished_at=run.finished_at,
                                            reason=run.error or self.tr("unknown reason")))
            return

    # --- sync ------------------------------------------------------------------------------------

    def _on_timer(self) -> None:
        self.request_sync("timer")

    def request_sync(self, trigger: str = "manual") -> bool:
        """Start a sync unless one (or a cleanup) is running. Returns whether it started."""
        if self.busy:
            log.info("sync request (%s) ignored: one is already running", trigger)
            return False
        self._cancel_requested = False
        self._sync_task = self.bridge.start(SYNC_TASK, self._run_sync(trigger))
        self.busyChanged.emit(True)  # at once, so the button cannot be clicked twice
        self._set_status(SyncStatus("syncing", phase="listing"))
        return True

    async def _run_sync(self, trigger: str) -> SyncResult | None:
        result: SyncResult | None = None
        try:
            result = await self.bridge.shop.sync(trigger=trigger, progress=self._progressArrived.emit)
        except asyncio.CancelledError:
            self._set_status(self._last_outcome)
            if self._cancel_requested:
                # While listing nothing was changed; a write already under way completed.
                self.bridge.notice.emit(self.tr("Sync cancelled"), "")
                self.bridge.inventoryChanged.emit()
            raise
        except Exception as exc:  # every failure becomes a visible state, never a dead task
            self._failed(exc, manual=trigger == "manual")
        else:
            self._set_status(SyncStatus(
                "success", finished_at=result.finished_at, total=result.total_fetched,
                added=result.added, updated=result.updated, removed=result.removed,
            ))
            self._set_health(True, "")
            if result.removal_note:
                self.bridge.notice.emit(self.tr("Large removal confirmed"), core_text(result.removal_note_text or ""))
            await self._daily_backup()
        finally:
            self.timer.start(self.interval_ms())  # the next automatic run is one interval away
            self.busyChanged.emit(False)
            self.bridge.syncRunsChanged.emit()
            if result is not None:
                # a sync also settles pending orders (reconcile) before listing
                self.bridge.inventoryChanged.emit()
                self.bridge.ordersChanged.emit()
        return result

    async def _daily_backup(self) -> None:
        """Once per UTC day, after a good sync (the window is the one process that runs all day)."""
        try:
            path = await self.bridge.shop.daily_backup()
        except Exception as exc:  # a failed backup must not turn a good sync into an error
            log.warning("daily backup failed: %s", exc)
            self.bridge.notice.emit(self.tr("Backup failed"), str(exc))
            return
        if path is not None:
            log.info("daily backup written to %s", path)

    def cancel_sync(self) -> bool:
        """Cancel the running sync (the operator's Cancel). While it lists, nothing changes; once
        its one write transaction began, that completes. Returns whether a sync was cancelled."""
        task = self._sync_task
        if task is None or task.done():
            return False
        self._cancel_requested = True
        task.cancel()
        return True

    def _on_progress(self, progress: SyncProgress) -> None:
        if self._status.state != "syncing":
            return  # a queued progress report that arrived after the run ended
        if self._progress_timer.isActive() and progress.phase == self._status.phase:
            self._pending_progress = progress  # shown when the timer fires, unless a newer comes
            return
        if self._pending_progress is not None:  # the old phase's last figures first
            self._show_pending_progress()
        self._show_progress(progress)

    def _show_pending_progress(self) -> None:
        progress, self._pending_progress = self._pending_progress, None
        if progress is not None and self._status.state == "syncing":
            self._show_progress(progress)

    def _show_progress(self, progress: SyncProgress) -> None:
        self._pending_progress = None
        self._progress_timer.start()
        self._set_status(replace(self._status, pages=progress.pages, fetched=progress.fetched,
                                 phase=progress.phase, expected=progress.expected))

    def _failed(self, exc: BaseException, *, manual: bool, what: str = "sync") -> None:
        if isinstance(exc, SyncedElsewhereError) and not manual:
            # Another machine on the shared database keeps the shop synced: not a failure.
            self._set_status(SyncStatus("idle", reason=core_text(exc.text), action=what))
            return
        if isinstance(exc, TokenMissingError):
            self.mark_no_token()
        else:
            if not isinstance(exc, ShopError):
                log.error("%s failed with an unexpected error", what, exc_info=exc)
            reason = core_text(exc.text) if isinstance(exc, ShopError) else describe(exc)
            hint = core_text(exc.hint_text) if isinstance(exc, ShopError) else ""
            self._set_status(SyncStatus("error", reason=reason, hint=hint, finished_at=utcnow(), action=what))
            # another process syncing, or the database away (its own state in the indicator),
            # says nothing about the provider's health
            if not isinstance(exc, (BusyError, DatabaseUnavailableError)):
                self._set_health(False, reason)
        if isinstance(exc, ProviderError):
            self.bridge.providerError.emit(exc)
        self.bridge.notice.emit(self.tr("Sync failed") if what == "sync" else self.tr("Cleanup failed"),
                                describe(exc))
        if manual:
            show_error_later(self._window, exc)

    def _set_health(self, healthy: bool, reason: str) -> None:
        previous, self._healthy = self._healthy, healthy
        if previous == healthy or (previous is None and healthy):
            return  # once per change; a first success is not a "recovery"
        self.healthChanged.emit(healthy)
        if healthy:
            self.trayMessage.emit(self.tr("Provider sync recovered"),
                                  self.tr("Syncing with the provider works again."), False)
        else:
            self.trayMessage.emit(self.tr("Provider sync failing"),
                                  self.tr("{0} The app keeps working on local data.").format(reason), True)

    # --- cleanup ---------------------------------------------------------------------------------

    def request_cleanup(self) -> bool:
        if self.busy:
            return False
        self.bridge.start(CLEANUP_TASK, self._run_cleanup())
        self.busyChanged.emit(True)
        self._set_status(SyncStatus("cleaning"))
        return True

    async def _run_cleanup(self) -> None:
        done = False
        try:
            result = await self.bridge.shop.cleanup()
        except asyncio.CancelledError:
            self._set_status(self._last_outcome)
            raise
        except Exception as exc:
            self._failed(exc, manual=True, what="cleanup")
        else:
            done = True
            self._set_status(self._last_outcome)
            self.bridge.notice.emit(self.tr("Cleanup finished"), result.message)
        finally:
            self.busyChanged.emit(False)
            self.bridge.syncRunsChanged.emit()
            if done:
                self.bridge.inventoryChanged.emit()

    def _on_database_changed(self, problem: object) -> None:
        """The database answers again: a run that failed meanwhile is tried now, not at the
        next interval (the indicator then shows a real outcome, not the outage's)."""
        if problem is None and self._status.state == "error" and not self.busy:
            self.request_sync("timer")

    # --- settings --------------------------------------------------------------------------------

    def _on_settings_changed(self) -> None:
        """The interval follows the settings; a newly set token gets a sync right away."""
        was_active = self.timer.isActive()
        self.timer.setInterval(self.interval_ms())
        if was_active:
            self.timer.start(self.interval_ms())
        if self._status.state == "no_token" or (self._status.state == "error" and not self.busy):
            self.request_sync("timer")
