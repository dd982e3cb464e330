"""Dialogs from coroutines without nested event loops.

`QDialog.exec()` inside an asyncio task runs a nested Qt loop; qasync then steps *other* tasks
from inside the running one and asyncio raises "Cannot enter into task ... while another task is
being executed". So coroutines open dialogs window-modally with `open()` and await `finished`, and
message boxes that use `exec()` (show_error) are shown from a plain Qt callback, outside any task.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QWidget

from proxyshop_desktop.ui.error_dialogs import show_error


async def exec_async(dialog: QDialog) -> int:
    """Show `dialog` (window-modal) and wait for its result code; cancelling closes it."""
    future: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not future.done():
            future.set_result(result)

    dialog.finished.connect(finished)
    dialog.destroyed.connect(lambda *_: finished(int(QDialog.DialogCode.Rejected)))  # parent closed
    try:
        dialog.open()
        return await future
    except asyncio.CancelledError:
        if shiboken6.isValid(dialog):
            dialog.reject()
        raise
    finally:
        if shiboken6.isValid(dialog):
            dialog.finished.disconnect(finished)


def later(callback: Callable[[], object]) -> None:
    """Run `callback` on the next turn of the Qt loop, outside the current task."""
    QTimer.singleShot(0, callback)


def show_error_later(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    """show_error (which uses exec()) without blocking or nesting inside the calling task."""

    def show() -> None:
        alive = parent if parent is not None and shiboken6.isValid(parent) else None
        show_error(alive, exc, title)

    later(show)
