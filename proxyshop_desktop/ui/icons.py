"""Icons and other files under the project's top-level `resources/` folder.

A missing file gives an empty icon (the app still works, just plainer), never an exception:
an installed wheel may not carry `resources/`.

The toolbar icons are monochrome line drawings: they are drawn in the palette's text colour at
paint time, so they stay visible on a dark palette and follow a theme change without being set
again.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

#: stroke="#57606a" / fill="#1a7f37": the drawing's one colour ("none" stays none)
_PAINT = re.compile(rb'((?:stroke|fill)=")(#[0-9a-fA-F]{3,8}|currentColor|black)(")')

# The top-level resources/ folder is the package proxyshop_desktop.resources (pyproject.toml):
# the same files in a source checkout, an installed wheel and a PyInstaller bundle.
try:
    from proxyshop_desktop import resources as _package  # imported by name: bundlers see it

    RESOURCES_DIR = Path(str(importlib.resources.files(_package)))
except ModuleNotFoundError:  # an editable install made before the mapping: ./scripts/setup-env
    RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


class TintedSvgEngine(QIconEngine):
    """Renders a monochrome SVG in the application palette's text colour (disabled: its disabled
    text colour), remembering each rendered size and colour."""

    def __init__(self, svg: bytes) -> None:
        super().__init__()
        self._svg = svg
        self._pixmaps: dict[tuple[int, int, int], QPixmap] = {}

    def tinted(self, colour: QColor) -> bytes:
        return _PAINT.sub(rb"\g<1>" + colour.name().encode() + rb"\g<3>", self._svg)

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:  # noqa: ARG002
        group = (QPalette.ColorGroup.Disabled if mode == QIcon.Mode.Disabled
                 else QPalette.ColorGroup.Normal)
        colour = QGuiApplication.palette().color(group, QPalette.ColorRole.ButtonText)
        key = (size.width(), size.height(), colour.rgba())
        pixmap = self._pixmaps.get(key)
        if pixmap is None:
            pixmap = QPixmap(size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            QSvgRenderer(QByteArray(self.tinted(colour))).render(painter)
            painter.end()
            self._pixmaps[key] = pixmap
        return pixmap

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

    def clone(self) -> QIconEngine:
        return TintedSvgEngine(self._svg)


@cache
def icon(name: str) -> QIcon:
    """`icon("sync")` -> resources/icons/sync.svg, in the palette's text colour."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(TintedSvgEngine(path.read_bytes())) if path.exists() else QIcon()


@cache
def app_icon() -> QIcon:
    path = resource_path("app.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
