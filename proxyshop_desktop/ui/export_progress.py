"""The window's export progress: a bar with Cancel while the rows stream to the file.

Non-modal on purpose: a modal QProgressDialog runs processEvents() inside setValue(), a nested
event loop inside an asyncio task step (qasync would start another step inside the running one).
The export itself runs on the DB thread chunk by chunk (services/export.py), so the event loop
never waits for it; Cancel cancels the export's task, which removes the temp file.
"""

from __future__ import annotations

import asyncio
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

#: a quick export finishes before the dialog would show: no flash
SHOW_AFTER_MS = 400


class ExportProgressDialog(QProgressDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportProgress")
        self.setWindowTitle(self.tr("Exporting"))
        self.setLabelText(self.tr("Writing the sold orders…"))
        self.setCancelButtonText(self.tr("Cancel"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setRange(0, 0)  # busy until the first chunk says how many
        self._task: asyncio.Task[Any] | None = None
        self.cancelled_by_operator = False
        self.canceled.connect(self._cancel_task)

    def follow(self, task: asyncio.Task[Any]) -> None:
        """Cancel (the button, Esc, closing the dialog) cancels `task`."""
        self._task = task

    def update_progress(self, done: int, total: int) -> None:
        """The export's progress callback (on the GUI thread, between chunks)."""
        if self.wasCanceled():
            return
        self.setMaximum(max(total, 1))
        self.setValue(min(done, max(total, 1)))
        self.setLabelText(self.tr("Writing the sold orders… {0} of {1}").format(done, total))

    def _cancel_task(self) -> None:
        if self._task is not None and not self._task.done():
            self.cancelled_by_operator = True
            self._task.cancel()

    def finish(self) -> None:
        self.canceled.disconnect(self._cancel_task)
        self.close()
        self.deleteLater()
