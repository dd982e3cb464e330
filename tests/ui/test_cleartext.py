"""Plain http to another machine is marked (issue 15, item 8): a permanent status-bar marker while
such a provider URL is in use, and one confirmation when such a URL is saved in Settings.
Loopback http (the demo's simulator) is not marked."""

from __future__ import annotations

import json
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from proxyshop_desktop.ui.cleartext import is_cleartext_remote
from proxyshop_desktop.ui.settings_dialog import SettingsDialog

ON_BOTH_ENGINES = True

REMOTE_HTTP = "http://91.142.73.7:8080/api/v1/authorized"


@pytest.mark.parametrize(("url", "marked"), [
    (REMOTE_HTTP, True),
    ("http://provider.example/api", True),
    ("HTTP://Provider.Example/api", True),
    ("http://10.0.0.5/api", True),  # the LAN is a network too
    ("https://provider.example/api", False),
    ("http://127.0.0.1:8080/api", False),
    ("http://127.8.9.10/api", False),
    ("http://localhost:8080/api", False),
    ("http://[::1]:8080/api", False),
    ("http://[::ffff:127.0.0.1]/api", False),
    ("http://[::ffff:91.142.73.7]/api", True),
    ("not a url", False),
])
def test_which_urls_are_clear_text_to_another_machine(url: str, marked: bool) -> None:
    assert is_cleartext_remote(url) is marked


def marker(window: Any) -> Any:
    return window.cleartext_marker


def test_status_bar_marks_plain_http_to_another_machine(main_window: Any, run: Any) -> None:
    bridge = main_window.bridge
    assert bridge.shop.settings.api_url.startswith("http://127.0.0.1:")  # the simulator, loopback
    assert marker(main_window).isHidden()

    async def use(url: str) -> None:
        await bridge.shop.apply_settings(bridge.shop.settings.model_copy(update={"api_url": url}))
        bridge.settingsChanged.emit()

    run(use(REMOTE_HTTP))
    assert marker(main_window).isVisible()
    assert "Unencrypted" in marker(main_window).text()
    assert marker(main_window).parent() is main_window.statusBar()
    assert "91.142.73.7" in marker(main_window).toolTip()
    main_window.statusBar().showMessage("a passing notice", 1000)
    assert marker(main_window).isVisible()  # permanent: a notice does not hide it

    run(use("https://provider.example/api/v1/authorized"))
    assert marker(main_window).isHidden()


@pytest.fixture
def confirmations(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Every window-modal QMessageBox is answered with `answer` (a StandardButton) by a click."""
    state: dict[str, Any] = {"answer": QMessageBox.StandardButton.Save, "asked": []}

    def fake_open(box: QMessageBox) -> None:
        state["asked"].append((box.objectName(), box.text()))
        box.button(state["answer"]).click()

    monkeypatch.setattr(QMessageBox, "open", fake_open)
    return state


@pytest.fixture
def dialog(main_window: Any, qtbot: Any) -> SettingsDialog:
    d = SettingsDialog(main_window.bridge, main_window)
    qtbot.addWidget(d)
    d.show()
    return d


def test_saving_plain_http_to_another_machine_asks_once(
    dialog: SettingsDialog, main_window: Any, run: Any, confirmations: dict[str, Any]
) -> None:
    shop = main_window.bridge.shop
    dialog.url_edit.setText(REMOTE_HTTP)
    assert dialog.http_warning.isVisible()
    assert run(dialog.save()) is True
    [(name, text)] = confirmations["asked"]
    assert name == "cleartextConfirm" and REMOTE_HTTP in text and "unencrypted" in text
    assert shop.settings.api_url == REMOTE_HTTP
    assert json.loads(shop.paths.settings_file.read_text())["api_url"] == REMOTE_HTTP
    assert marker(main_window).isVisible()

    dialog.price_edit.setText("3.00")  # the same URL saved again: already confirmed
    assert run(dialog.save()) is True
    assert len(confirmations["asked"]) == 1


def test_declining_saves_nothing(
    dialog: SettingsDialog, main_window: Any, run: Any, confirmations: dict[str, Any]
) -> None:
    shop = main_window.bridge.shop
    before = shop.settings.api_url
    confirmations["answer"] = QMessageBox.StandardButton.Cancel
    dialog.url_edit.setText(REMOTE_HTTP)
    dialog.price_edit.setText("3.00")
    assert run(dialog.save()) is False
    assert len(confirmations["asked"]) == 1
    assert "Not saved" in dialog.error_label.text()
    assert shop.settings.api_url == before and not shop.paths.settings_file.exists()
    assert marker(main_window).isHidden()


def test_loopback_and_https_are_saved_without_asking(
    dialog: SettingsDialog, main_window: Any, run: Any, confirmations: dict[str, Any]
) -> None:
    for url in ("http://127.0.0.1:9/api/v1/authorized", "https://provider.example/api/v1/authorized"):
        dialog.url_edit.setText(url)
        assert not dialog.http_warning.isVisible()
        assert run(dialog.save()) is True
        assert main_window.bridge.shop.settings.api_url == url
        assert marker(main_window).isHidden()
    assert confirmations["asked"] == []
