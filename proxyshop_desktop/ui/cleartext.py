"""Plain http to another machine: the API token and every sold credential cross the network in
clear text. It keeps working (the provider serves no TLS), but the operator sees it: a permanent
marker in the status bar while such a URL is in use, and a confirmation when one is saved.

Loopback (the demo's simulator, a local tunnel) never leaves the machine and is not marked.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.async_dialogs import exec_async
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.plain_text import plain, plain_box, tooltip


def is_loopback_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a name: where it resolves to is not ours to guess
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def is_cleartext_remote(url: str) -> bool:
    """True for an http:// URL whose host is not this machine."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname or ""
    except ValueError:
        return False  # not a URL at all: the settings validation says so
    return parts.scheme.lower() == "http" and bool(host) and not is_loopback_host(host)


class CleartextMarker(QLabel):
    """The status bar's marker; follows the settings."""

    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        plain(self)
        self.setObjectName("cleartextMarker")
        self.setStyleSheet(f"QLabel {{ {theme.text_style('error')} font-weight: bold; padding: 0 4px; }}")
        self._bridge = bridge
        bridge.settingsChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        url = self._bridge.shop.settings.api_url
        shown = is_cleartext_remote(url)
        self.setText(self.tr("⚠ Unencrypted (http)") if shown else "")
        self.setToolTip(tooltip(self.tr(
            "The provider URL {0} is plain http to another machine: the API token and every sold "
            "credential cross the network unencrypted. Use https if the provider offers it."
        ).format(url)) if shown else "")
        self.setAccessibleName(self.tr("Connection to the provider is unencrypted") if shown else "")
        self.setVisible(shown)


async def confirm_cleartext(parent: QWidget, url: str, current_url: str) -> bool:
    """Asks once, when a clear-text remote URL is about to be saved in place of another one."""
    if url.strip() == current_url.strip() or not is_cleartext_remote(url):
        return True
    translate = QCoreApplication.translate  # the name pyside6-lupdate reads as (context, text)
    title = translate("Cleartext", "Unencrypted connection")
    text = translate(
        "Cleartext",
        "{0} is plain http to another machine: the API token and every sold credential will "
        "cross the network unencrypted, readable by anyone on the way.",
    ).format(url.strip())
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text,
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, parent,
    )
    box.setObjectName("cleartextConfirm")
    box.setInformativeText(
        translate("Cleartext", "Use https if the provider offers it. Save this URL anyway?")
    )
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    plain_box(box)  # the URL is the operator's typing
    try:
        await exec_async(box)
        return box.clickedButton() is box.button(QMessageBox.StandardButton.Save)
    finally:
        box.deleteLater()
