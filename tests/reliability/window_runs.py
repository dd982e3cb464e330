"""Running the real window start-up in-process for the reliability tests, answering its message
boxes and recording them."""

from __future__ import annotations

import gc
import sys
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox


def run_gui_and_answer_dialogs(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[int, list[dict[str, str]]]:
    from proxyshop_desktop import app as app_module

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    shown: list[dict[str, str]] = []

    def fake_open(box: QMessageBox) -> None:
        shown.append({"name": box.objectName(), "title": box.windowTitle(), "text": box.text(),
                      "informative": box.informativeText()})
        box.done(int(QMessageBox.StandardButton.Ok))

    monkeypatch.setattr(QMessageBox, "open", fake_open)
    QTimer.singleShot(30_000, lambda: [w.close() for w in main_windows()])  # never hang the suite
    try:
        code = app_module.run_gui(demo=False, argv=["proxyshop-desktop"])
    finally:
        gc.collect()
    return code, shown


def main_windows() -> list[Any]:
    from PySide6.QtWidgets import QApplication

    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "mainWindow"]
