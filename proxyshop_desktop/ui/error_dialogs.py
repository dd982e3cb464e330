"""How the window shows failures: a ShopError is the operator's to act on (message + hint);
anything else is our bug, logged with its traceback and shown in a copyable crash dialog."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from proxyshop_desktop.errors import BusyError, ProviderError, ShopError, UsageError
from proxyshop_desktop.logging_setup import redact
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.plain_text import plain_box

log = logging.getLogger(__name__)


def describe(exc: BaseException) -> str:
    """One line for status bars and logs."""
    if isinstance(exc, ShopError):
        return f"{core_text(exc.text)} {core_text(exc.hint_text)}".strip()
    return QApplication.translate("errors", "Unexpected error ({0}); see the log file.").format(type(exc).__name__)


def show_error(parent: QWidget | None, exc: BaseException, title: str | None = None) -> None:
    translate = QApplication.translate
    if isinstance(exc, ShopError):
        box = QMessageBox(parent)
        box.setObjectName("errorDialog")
        quiet = isinstance(exc, (UsageError, BusyError))
        box.setIcon(QMessageBox.Icon.Information if quiet else QMessageBox.Icon.Warning)
        if title is None:
            title = (translate("errors", "Provider problem") if isinstance(exc, ProviderError)
                     else translate("errors", "Cannot do that"))
        box.setWindowTitle(title)
        box.setText(core_text(exc.text))
        if exc.hint:
            box.setInformativeText(core_text(exc.hint_text))
        plain_box(box)  # the provider's words, never a link to open
        box.exec()
        return
    show_crash(parent, type(exc), exc, exc.__traceback__)


def show_crash(
    parent: QWidget | None,
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
) -> None:
    translate = QApplication.translate
    # The token never enters exception text by design; the crash report, which the operator may
    # paste into a bug report, is scrubbed anyway, like every log line.
    details = redact("".join(traceback.format_exception(exc_type, exc, tb)))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(parent)
    box.setObjectName("crashDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(translate("errors", "Unexpected error"))
    box.setText(translate("errors", "Something went wrong inside ProxyShop ({0}). Your data is safe; "
                                    "the details below are in the log file.").format(exc_type.__name__))
    box.setDetailedText(details)
    plain_box(box)
    box.exec()


def install_excepthook() -> None:
    """qasync's asyncSlot sends unhandled exceptions here: log them and show the crash dialog."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        if issubclass(exc_type, ShopError):
            log.warning("unhandled operator error: %s", exc)
            show_error(QApplication.activeWindow(), exc)
            return
        show_crash(QApplication.activeWindow(), exc_type, exc, tb)

    sys.excepthook = hook
