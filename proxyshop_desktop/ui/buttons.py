"""A push button with the object name tests and the layout find it by, read by screen readers
by its text."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget


def named_button(parent: QWidget, name: str, text: str) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAccessibleName(text)
    return button
