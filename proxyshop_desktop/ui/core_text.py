"""The core's messages (proxyshop_desktop.i18n.Text) in the window's language: Qt's translators
look up the English template by its context, then the args fill it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from proxyshop_desktop.i18n import Text


def _lookup(context: str, source: str) -> str | None:
    return QCoreApplication.translate(context, source) if context else None


def core_text(value: Text | str) -> str:
    """`value` translated by the installed translators (a plain str is shown as it is)."""
    return value.render(_lookup) if isinstance(value, Text) else value
