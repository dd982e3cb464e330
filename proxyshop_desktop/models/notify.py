"""Live changes from other machines on a shared PostgreSQL database (LISTEN/NOTIFY).

Every write to the shop's main tables sends one notification at commit (migration triggers,
pg_schema.py). A ChangeListener holds its own connection on a thread of its own, waits for them
and hands each table name to `on_change` (the window posts it to its event loop, which is never
blocked by the wait). A lost connection is retried every few seconds; meanwhile `on_change` gets
"*" once per retry, so a window refreshes (polls) instead of missing what happened, and once more
when listening again (what was committed between the last poll and the new LISTEN).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg

from proxyshop_desktop.models.pg_schema import CHANGES_CHANNEL
from proxyshop_desktop.models.target import DatabaseTarget

log = logging.getLogger(__name__)

#: how long one wait lasts before the stop flag is looked at again
WAIT_S = 0.5
#: between two attempts to reconnect after the connection was lost
RETRY_S = 5.0
#: any table: refresh everything (after a lost connection)
EVERYTHING = "*"


class ChangeListener:
    def __init__(self, target: DatabaseTarget, password: str | None,
                 on_change: Callable[[str], None]) -> None:
        self._target, self._password, self._on_change = target, password, on_change
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.connected = threading.Event()  # set while listening (tests, the status indicator)
        self._lost = False  # the connection was lost since the last LISTEN

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="proxyshop-listen", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=WAIT_S * 4)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                self.connected.clear()
                self._lost = True
                log.warning("change notifications lost (%s); retrying in %.0f s",
                            self._target.scrub(str(exc).strip()), RETRY_S)
                self._on_change(EVERYTHING)  # what was missed is read by a full refresh
                self._stop.wait(RETRY_S)

    def _listen(self) -> None:
        with psycopg.connect(self._target.without_password, autocommit=True,
                             password=self._password or self._target.url_password,
                             connect_timeout=10, application_name="proxyshop-desktop-listen") as conn:
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
            self.connected.set()
            if self._lost:
                self._lost = False
                log.info("listening for changes again")
                self._on_change(EVERYTHING)
            while not self._stop.is_set():
                for note in conn.notifies(timeout=WAIT_S, stop_after=64):
                    self._on_change(note.payload)
                conn.execute("SELECT 1")  # a dead server shows here, not as an endless wait
        self.connected.clear()
