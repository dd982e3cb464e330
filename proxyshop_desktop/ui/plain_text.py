"""Text from outside (the provider, customers, the database) is shown as text, never as markup.

Qt guesses: a label, message box or tooltip whose text merely looks like HTML is rendered as rich
text, so a provider message such as `<a href="http://evil">click</a><img src=x>` would become a
link (which a message box opens in the browser) or load an image. Every widget in the window that
can show such text goes through one of these helpers.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

_PLAIN = Qt.TextFormat.PlainText


def plain(label: QLabel) -> QLabel:
    """`label`, set to show its text literally (and never open a link)."""
    label.setTextFormat(_PLAIN)
    label.setOpenExternalLinks(False)
    return label


def plain_label(text: str = "", parent: object = None) -> QLabel:
    """A new QLabel that shows `text` literally."""
    label = plain(QLabel(parent))  # type: ignore[arg-type]
    label.setText(text)
    return label


def plain_box(box: QMessageBox) -> QMessageBox:
    """Main and informative text shown literally (the detailed text already is).

    Call after setInformativeText: QMessageBox creates that label lazily, and only labels that
    exist when setTextFormat runs get the format."""
    box.setTextFormat(_PLAIN)
    for label in box.findChildren(QLabel):
        if label.objectName() in ("qt_msgbox_label", "qt_msgbox_informativelabel"):
            plain(label)
    return box


def tooltip(text: str | None) -> str:
    """A tooltip that shows `text` literally: Qt has no plain-text tooltip, so the text is escaped
    inside an explicit rich-text paragraph that keeps its line breaks."""
    if not text:
        return ""
    return f"<p style='white-space:pre-wrap'>{html.escape(text)}</p>"


def notification(text: str) -> str:
    """Text for a desktop notification. Notification servers may read markup in the body
    (freedesktop "body-markup") while others show it raw, so no escape reads right on both: the
    tag brackets become look-alikes that no server takes for markup."""
    return text.replace("<", "\u2039").replace(">", "\u203a")
