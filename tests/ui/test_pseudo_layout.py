"""Layout survives translation: with every string pseudo-localised (~40 % longer, accented), the
window at 1280×800 clips no main button or tab text, and the sale dialog shows the whole
ip:port:login:password line.

Clipped means: the text's width in the widget's font is more than the room the widget has for it,
or the widget got less than its own size hint (Qt then cuts or elides the label), or a toolbar
button was pushed into the overflow menu.
"""

from __future__ import annotations

import math
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStyle,
    QToolButton,
)

from proxyshop_desktop.services.results import Credentials, OrderView
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from tests.ui.conftest import run_now, settle
from tests.ui.translation_files import RU_TS, tool

ACCENTED = str.maketrans("aceinorsuyzACEINORSUYZ", "åçéîñöŕšüýžÅÇÉÎÑÖŔŠÜÝŽ")
#: kept as they are: placeholders, mnemonics' ampersands, line breaks
KEEP = re.compile(r"(\{\w*\}|%L?n|%\d+|&&|&|\n)")
GROWTH = 1.4


def pseudo(text: str) -> str:
    """'Sync now' -> '[Šýñç ñöŵ·~~]': accented, ~40 % longer, bracketed to spot cut ends."""
    parts = [part if KEEP.fullmatch(part) else part.translate(ACCENTED) for part in KEEP.split(text)]
    body = "".join(parts)
    pad = max(1, math.ceil(len(text) * GROWTH) - len(text) - 2)
    return f"[{body}{'~' * pad}]"


def pseudo_ts(source: Path, target: Path) -> None:
    """Every message of the Russian .ts (all window strings) with a pseudo translation; plural
    messages get English's two forms."""
    tree = ET.parse(source)
    tree.getroot().set("language", "en")
    for message in tree.getroot().iter("message"):
        translation = message.find("translation")
        assert translation is not None
        text = message.findtext("source") or ""
        for child in list(translation):
            translation.remove(child)
        if message.get("numerus") == "yes":
            translation.text = None
            for _ in range(2):
                ET.SubElement(translation, "numerusform").text = pseudo(text)
        else:
            translation.text = pseudo(text)
    tree.write(target, encoding="utf-8", xml_declaration=True)


def test_pseudo_translation_is_longer_and_keeps_placeholders():
    assert pseudo("Sync now").startswith("[Šýñç ñöw")
    assert len(pseudo("Remove proxies that are offline")) >= len("Remove proxies that are offline") * 1.4
    assert "{0}" in pseudo("Sold {0} of {1}.") and "%Ln" in pseudo("%Ln proxies")
    assert "&" in pseudo("&File")


@pytest.fixture(params=["pseudo", "ru"])
def pseudo_window(request: Any, qapp: Any, tmp_path: Path, bridge: Any, loop: Any) -> Iterator[Any]:
    """The window in the pseudo translation, and in Russian (often more than 40 % longer)."""
    from proxyshop_desktop.ui.main_window import MainWindow

    ts = tmp_path / "window.ts"
    if request.param == "pseudo":
        pseudo_ts(RU_TS, ts)
    else:
        ts.write_bytes(RU_TS.read_bytes())
    subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(tmp_path / "window.qm")],
                   check=True)
    translator = QTranslator()
    assert translator.load(str(tmp_path / "window.qm"))
    QCoreApplication.installTranslator(translator)
    window = MainWindow(bridge)
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    try:
        yield window
    finally:
        run_now(loop, settle(bridge))  # tab switches started refreshes
        run_now(loop, window.shutdown())
        window.close()
        window.deleteLater()
        QCoreApplication.removeTranslator(translator)


def text_room(button: QAbstractButton) -> int:
    """The width a button's text gets: its width less the icon and the style's margins."""
    style = button.style()
    used = 2 * style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
    if not button.icon().isNull():
        used += button.iconSize().width() + 4
    if isinstance(button, QToolButton):
        used = 2 * 3 + (button.iconSize().width() + 4 if not button.icon().isNull() else 0)
    return button.width() - used


def clipped(button: QAbstractButton) -> str | None:
    text = button.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not text:
        return None
    width = button.fontMetrics().horizontalAdvance(text)
    if width > text_room(button) or button.width() < button.sizeHint().width():
        return f"{button.objectName() or text!r}: text {width} px, button {button.width()} px"
    return None


def test_pseudo_localised_window_clips_no_main_button_or_tab(pseudo_window):
    window = pseudo_window
    assert window.width() <= 1280, "the window's minimum width grew past the screen"
    assert window.sync_action.text() != "Sync now"  # the translation is in use
    problems = []
    for name in ("syncButton", "cleanupButton", "settingsButton"):
        button = window.findChild(QToolButton, name)
        if not button.isVisible():
            problems.append(f"{name}: pushed into the toolbar's overflow menu")
        elif (problem := clipped(button)) is not None:
            problems.append(problem)
    bar = window.tabs.tabBar()
    for index in range(window.tabs.count()):
        room = bar.tabRect(index).width()
        text = bar.tabText(index)
        if room < bar.tabSizeHint(index).width() or bar.fontMetrics().horizontalAdvance(text) > room:
            problems.append(f"tab {text!r}: {room} px")
        window.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        for button in window.tabs.widget(index).findChildren(QPushButton):
            if button.isVisibleTo(window) and (problem := clipped(button)) is not None:
                problems.append(f"tab {index}: {problem}")
    assert problems == []


def order(order_id: str, line: tuple[str, str, str, str]) -> OrderView:
    now = datetime(2026, 1, 2, 12, 0, tzinfo=UTC)
    ip, port, login, password = line
    return OrderView(
        order_id=order_id, status="sold", proxy_id=1, product_id=1, credentials_id=1, customer="",
        price=Decimal("2.00"), cost=Decimal("1.00"), created_at=now, purchased_at=now,
        expires_at=None, refundable_until=None, refundable=True, refunded_at=None,
        refund_amount=None, credentials=Credentials(ip, port, login, password, "US", None),
        country_code="US", city=None, proxy_type="residential", missing_at_provider=False, note="")


def test_sale_dialog_shows_the_whole_credentials_line(pseudo_window, qtbot):
    longest = ("203.113.254.199", "65535", "u-7f3a9c2e41b8d6f0a5e3", "Zq8-vN2xR7mK4pL9tY3wB6sH1jD5fG0c")
    dialog = CredentialsDialog([order("ord-1", longest), order("ord-2", ("10.0.0.1", "1080", "a", "b"))],
                               pseudo_window)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    assert dialog.width() <= 1280
    # everything (line, copy buttons) fits a 1280 px screen without scrolling sideways (the
    # offscreen test screen itself is narrower: the dialog takes what it has)
    grid = dialog.findChild(QScrollArea).widget()
    assert grid.sizeHint().width() + 60 <= 1280, grid.sizeHint().width()
    for line in dialog.findChildren(QLineEdit):
        margins = line.textMargins()
        room = line.contentsRect().width() - margins.left() - margins.right() - 2 * 2  # Qt's inner margin
        assert line.fontMetrics().horizontalAdvance(line.text()) <= room, line.text()
        assert line.visibleRegion().boundingRect().width() == line.width()  # not scrolled out of view
