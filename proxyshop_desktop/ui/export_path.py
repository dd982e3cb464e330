"""Where an export of orders goes: the operator picks the file (its strings keep the Sales tab's
context)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_export_path(parent: QWidget, fmt: str, exports_dir: Path) -> Path | None:
    """The file chosen for a `fmt` ("csv" or "txt") export, with that suffix; None: cancelled.
    The dialog offers a file named by the minute in the data dir's exports folder."""
    translate = QCoreApplication.translate
    if fmt == "csv":
        caption = translate("SalesTab", "Export orders as CSV")
        pattern = translate("SalesTab", "CSV files (*.csv)")
    else:
        caption = translate("SalesTab", "Export orders as TXT")
        pattern = translate("SalesTab", "Text files (*.txt)")
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    default = exports_dir / f"proxyshop-orders-{stamp}.{fmt}"
    chosen, _filter = QFileDialog.getSaveFileName(parent, caption, str(default), pattern)
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != f".{fmt}":
        path = path.with_name(path.name + f".{fmt}")
    return path
