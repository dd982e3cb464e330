"""A one-line label that never widens its window: text that does not fit ends in "…", and then
the tooltip carries all of it (with the details given for it)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from proxyshop_desktop.ui.plain_text import plain, tooltip

#: the narrowest the label gets, in average characters
MIN_CHARS = 16


class ElidedLabel(QLabel):
    """`text()` is the whole text; what is painted is cut to the width when it must be."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plain(self)  # the provider's or the driver's words: text, never markup
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._details = ""

    def set_text(self, text: str, details: str = "") -> None:
        """One line of `text` (line breaks become spaces); `details` for the tooltip."""
        self._details = details
        self.setText(" ".join(text.split()))
        self._update_tooltip()

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().averageCharWidth() * MIN_CHARS), hint.height())

    def is_elided(self) -> bool:
        return self.fontMetrics().horizontalAdvance(self.text()) > self.contentsRect().width()

    def _update_tooltip(self) -> None:
        shown = [self.text()] if self.is_elided() else []
        self.setToolTip(tooltip("\n\n".join([*shown, self._details]).strip()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_tooltip()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.is_elided():
            super().paintEvent(event)  # as a QLabel: selectable, styled
            return
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(painter, rect, int(self.alignment()), self.palette(), self.isEnabled(),
                                  shown, self.foregroundRole())
