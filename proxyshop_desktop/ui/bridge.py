"""`ShopBridge`: the one QObject between the Qt-free `Shop` and the widgets.

Tabs never talk to each other: they call services through the bridge and listen to its signals
("the data changed") to refresh. Every task the UI starts is kept here (named, cancellable), so
nothing is garbage-collected mid-flight and shutdown can cancel everything.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QTimer, Signal

from proxyshop_desktop.errors import DatabaseUnavailableError, ShopError
from proxyshop_desktop.services.shop import Shop

log = logging.getLogger(__name__)
T = TypeVar("T")
#: other machines' changes arriving within this many ms are one refresh (well inside 2 s)
LIVE_COALESCE_MS = 300
#: while the database does not answer, it is tried again this often
DATABASE_RETRY_MS = 5_000
DATABASE_PROBE_TASK = "database.probe"


class ShopBridge(QObject):
    inventoryChanged = Signal()  # products added/removed/changed (sync, cleanup, sale)
    ordersChanged = Signal()  # orders created/settled/refunded
    syncRunsChanged = Signal()  # a sync/cleanup run finished (success or failure)
    settingsChanged = Signal()  # settings or token changed
    # A non-bug problem for the status bar / activity log: (title, message).
    notice = Signal(str, str)
    # A ProviderError any operation met (a sale, a sync): the tray tells of a balance running out.
    providerError = Signal(object)
    # The database stopped answering (the DatabaseUnavailableError), or answers again (None).
    databaseChanged = Signal(object)
    _healthArrived = Signal(object)  # from the DB thread: queued to this object's thread

    def __init__(self, shop: Shop, *, demo: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.shop = shop
        self.demo = demo
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._listener: Any = None
        self._changed_tables: set[str] = set()
        self._live_timer = QTimer(self)  # a burst of changes is one refresh
        self._live_timer.setSingleShot(True)
        self._live_timer.setInterval(LIVE_COALESCE_MS)
        self._live_timer.timeout.connect(self._emit_changes)
        self.database_problem: DatabaseUnavailableError | None = None
        self._probe_timer = QTimer(self)  # while the database is away: is it back?
        self._probe_timer.setObjectName("databaseProbeTimer")
        self._probe_timer.setInterval(DATABASE_RETRY_MS)
        self._probe_timer.timeout.connect(self._probe_database)
        self._healthArrived.connect(self._database_health)
        shop.store.on_health = self._healthArrived.emit

    # --- the database's health (a server gone, a failing disk) --------------------------------

    def _database_health(self, problem: DatabaseUnavailableError | None) -> None:
        was_down, self.database_problem = self.database_problem is not None, problem
        if problem is not None:
            if not was_down:
                log.warning("the database stopped answering: %s", problem)
            if not self._probe_timer.isActive():  # every failing call reports: keep the rhythm
                self._probe_timer.start()
            self.databaseChanged.emit(problem)
            return
        if not was_down:
            return
        log.info("the database answers again")
        self._probe_timer.stop()
        self.databaseChanged.emit(None)
        self._table_changed("*")  # what other machines did meanwhile: read everything again

    def seconds_to_database_retry(self) -> int:
        return max(0, self._probe_timer.remainingTime() // 1000) if self._probe_timer.isActive() else 0

    def _probe_database(self) -> None:
        if not self.is_running(DATABASE_PROBE_TASK):
            self.start(DATABASE_PROBE_TASK, self._ping())

    async def _ping(self) -> None:
        store = self.shop.store
        with contextlib.suppress(ShopError):  # the store reports the outcome through on_health
            await store.run(store.ping)

    # --- other machines' changes (a shared PostgreSQL database) -------------------------------

    def start_live_updates(self) -> bool:
        """Listen for commits of other machines; the tabs refresh as if this window had written.
        The wait runs on the listener's thread: the event loop only receives table names."""
        loop = asyncio.get_running_loop()

        def on_change(table: str) -> None:  # the listener's thread
            loop.call_soon_threadsafe(self._table_changed, table)

        self._listener = self.shop.listen_for_changes(on_change)
        return self._listener is not None

    def _table_changed(self, table: str) -> None:
        self._changed_tables.add(table)
        if not self._live_timer.isActive():
            self._live_timer.start()

    def _emit_changes(self) -> None:
        tables, self._changed_tables = self._changed_tables, set()
        everything = "*" in tables
        if everything or tables & {"order", "audit_event"}:
            self.ordersChanged.emit()
        if everything or tables & {"product", "order"}:  # a sale takes a product out
            self.inventoryChanged.emit()
        if everything or "sync_run" in tables:
            self.syncRunsChanged.emit()

    def start(self, name: str, coro: Coroutine[Any, Any, T], *, replace: bool = False) -> asyncio.Task[T]:
        """Run `coro` as a named task. With replace=True a running task of that name is cancelled
        (a newer filter query supersedes the old one); otherwise the name must be free."""
        running = self._tasks.get(name)
        if running is not None and not running.done():
            if not replace:
                coro.close()
                raise RuntimeError(f"task {name!r} is already running")
            running.cancel()
        task = asyncio.ensure_future(coro)
        self._tasks[name] = task
        task.add_done_callback(functools.partial(self._forget, name))
        return task

    def is_running(self, name: str) -> bool:
        task = self._tasks.get(name)
        return task is not None and not task.done()

    def _forget(self, name: str, task: asyncio.Task[Any]) -> None:
        if self._tasks.get(name) is task:
            del self._tasks[name]
        exc = None if task.cancelled() else task.exception()
        if isinstance(exc, DatabaseUnavailableError):  # the status indicator already says so
            log.warning("background task %s: %s", name, exc)
        elif exc is not None:
            # Callers normally await and handle; this catches fire-and-forget failures.
            log.error("background task %s failed", name, exc_info=exc)

    async def shutdown(self) -> None:
        self._probe_timer.stop()
        self.shop.store.on_health = None
        if self._listener is not None:
            await asyncio.to_thread(self._listener.stop)
            self._listener = None
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
