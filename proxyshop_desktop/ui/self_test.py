"""`--self-test`: the whole window, for a packaged build that must not silently rot.

Opens the real window against the embedded simulated provider (offscreen unless a platform is
chosen), in a throw-away data dir, waits for the first sync, closes, and says what it saw. Fails
on a sync error, on missing icons (the bundle lost its resources) or after a timeout.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from proxyshop_desktop.ui.icons import RESOURCES_DIR, app_icon, icon
from proxyshop_desktop.ui.sync_controller import SyncStatus

TIMEOUT_S = 120
#: the toolbar's and dialogs' icons, each of which must be found
ICON_NAMES = ("sync", "cleanup", "settings", "sell", "refund", "export", "find", "activity", "copy")


class SelfTest:
    def __init__(self, timeout_s: float | None = None) -> None:
        self.timeout_s = TIMEOUT_S if timeout_s is None else timeout_s
        self.synced: int | None = None
        self.problems: list[str] = []
        self._window = None

    def attach(self) -> None:
        """Called right after the window is shown."""
        from proxyshop_desktop.ui.main_window import MainWindow

        windows = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, MainWindow) and w.isVisible()]  # not an earlier, closed one
        if not windows:
            self.problems.append("no main window was shown")
            return
        self._window = window = windows[0]
        missing = [name for name in ICON_NAMES if icon(name).isNull()]
        if app_icon().isNull():
            missing.append("app")
        if missing:
            self.problems.append(f"icons not found: {', '.join(missing)} (looked in {RESOURCES_DIR})")
        window.controller.statusChanged.connect(self._status)
        QTimer.singleShot(int(self.timeout_s * 1000), window, self._timed_out)

    def _status(self, status: SyncStatus) -> None:
        if status.state == "success" and self.synced is None:
            self.synced = status.total
            self._close()
        elif status.state in ("error", "no_token"):
            self.problems.append(f"sync failed: {status.reason}")
            self._close()

    def _timed_out(self) -> None:
        self.problems.append(f"no sync finished within {self.timeout_s:g} s")
        self._close()

    def _close(self) -> None:
        if self._window is not None:
            QTimer.singleShot(0, self._window.close)

    def report(self, exit_code: int) -> tuple[int, str]:
        """(exit code, one line for stdout/stderr)."""
        if exit_code != 0:
            self.problems.append(f"the window exited with {exit_code}")
        if self.synced is None and not self.problems:
            self.problems.append("the window closed before a sync finished")
        if self.problems:
            return 1, "self-test failed: " + "; ".join(self.problems)
        return 0, (f"self-test passed: window opened, synced {self.synced} proxies from the "
                   "embedded simulator, icons found, closed cleanly")
