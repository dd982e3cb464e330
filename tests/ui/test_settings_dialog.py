"""The settings dialog: validation naming the field, the http warning, the keyring's absence,
saving (file, keyring, live shop, timer), and Test connection against the simulator."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from proxyshop_desktop import token_store
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from tests.ui.conftest import until

ON_BOTH_ENGINES = True


@pytest.fixture
def dialog(bridge: Any, qtbot: Any) -> SettingsDialog:
    d = SettingsDialog(bridge)
    qtbot.addWidget(d)
    d.show()
    return d


def test_negative_price_is_refused_naming_the_field(dialog: SettingsDialog, bridge: Any, run: Any) -> None:
    dialog.price_edit.setText("-1")
    assert run(dialog.save()) is False
    assert dialog.error_label.isVisible()
    assert dialog.error_label.text().startswith("Price: ")
    assert "greater than 0" in dialog.error_label.text()
    assert bridge.shop.settings.price == Decimal("2.00")
    assert not bridge.shop.paths.settings_file.exists()


def test_bad_url_and_bad_price_text_name_their_fields(dialog: SettingsDialog, run: Any) -> None:
    dialog.url_edit.setText("ftp://provider.example")
    assert run(dialog.save()) is False
    assert dialog.error_label.text().startswith("Provider URL: must be an http:// or https:// URL")
    dialog.url_edit.setText("https://provider.example/api/v1/authorized")
    dialog.price_edit.setText("two dollars")
    assert run(dialog.save()) is False
    assert dialog.error_label.text() == "Price: must be a number like 2.00."


def test_http_warning_follows_the_url(dialog: SettingsDialog) -> None:
    dialog.url_edit.setText("http://91.142.73.7:8080/api/v1/authorized")
    assert dialog.http_warning.isVisible()
    assert "unencrypted" in dialog.http_warning.text()
    dialog.url_edit.setText("https://provider.example/api/v1/authorized")
    assert not dialog.http_warning.isVisible()


def test_no_keyring_explains_the_environment_variable(dialog: SettingsDialog, bridge: Any, run: Any) -> None:
    keyring.set_keyring(fail.Keyring())  # what our machines have without a Secret Service
    run(dialog.load_token_status())
    assert "No usable OS keyring" in dialog.token_status.text()
    assert token_store.TOKEN_ENV in dialog.token_status.text()
    dialog.token_edit.setText("a-new-token")
    assert run(dialog.save()) is False
    assert token_store.TOKEN_ENV in dialog.error_label.text()
    assert not bridge.shop.paths.settings_file.exists()  # nothing half-saved


def test_token_from_the_environment_is_shown_as_such(bridge: Any, qtbot: Any, run: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(token_store.TOKEN_ENV, "from-env")
    d = SettingsDialog(bridge)
    qtbot.addWidget(d)
    run(d.load_token_status())
    assert not d.token_edit.isEnabled()
    assert d.token_edit.placeholderText() == "set by EXTERNAL_SOCKS_API_TOKEN"
    assert "from-env" not in d.token_status.text()


def test_save_writes_file_keyring_and_applies(main_window: Any, qtbot: Any, run: Any,
                                              memory_keyring: Any) -> None:
    bridge = main_window.bridge
    changed: list[bool] = []
    bridge.settingsChanged.connect(lambda: changed.append(True))
    d = SettingsDialog(bridge, main_window)
    qtbot.addWidget(d)
    d.price_edit.setText("3.50")
    d.interval_spin.setValue(7)
    d.token_edit.setText("demo-token")
    assert run(d.save()) is True
    stored = json.loads(bridge.shop.paths.settings_file.read_text())
    assert stored["price"] == "3.50" and stored["sync_interval_minutes"] == 7
    assert "token" not in json.dumps(stored)
    assert bridge.shop.settings.price == Decimal("3.50")
    assert memory_keyring.get_password(token_store.SERVICE, token_store.ACCOUNT) == "demo-token"
    assert changed == [True]
    assert main_window.sync_timer.interval() == 7 * 60_000  # the timer follows
    events = run(bridge.shop.audit_events(10, "settings"))
    assert events and "Price 2.00 → 3.50" in events[0].message
    assert "demo-token" not in events[0].message


def test_test_connection_uses_the_form_values(dialog: SettingsDialog, bridge: Any, run: Any, sim: Any) -> None:
    assert run(dialog.test_connection()) is True
    assert dialog.test_result.text().startswith("✓ Provider reachable and token accepted")
    dialog.token_edit.setText("wrong-token")
    assert run(dialog.test_connection()) is False
    assert dialog.test_result.text().startswith("✗ The provider rejected the API token (HTTP 401)")
    # the running shop was not touched by the probe
    assert str(run(bridge.shop.test_connection())).startswith("Provider reachable")
    dialog.token_edit.clear()
    dialog.url_edit.setText("http://127.0.0.1:9/api/v1/authorized")  # nothing listens there
    dialog.timeout_spin.setValue(2)
    assert run(dialog.test_connection()) is False
    assert dialog.test_result.text().startswith("✗ ")


def test_settings_action_opens_the_dialog(main_window: Any, run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []

    def fake_open(d: SettingsDialog) -> None:
        opened.append(d.url_edit.text())
        d.reject()

    monkeypatch.setattr(SettingsDialog, "open", fake_open)
    action = next(a for a in main_window.actions() if a.objectName() == "settingsAction")

    async def scenario() -> None:
        action.trigger()
        await until(lambda: opened and not main_window.bridge.is_running("settings.dialog"))

    run(scenario())
    assert opened == [main_window.bridge.shop.settings.api_url]


def test_theme_applies_at_once_and_language_is_saved_for_the_next_start(
        dialog: SettingsDialog, bridge: Any, run: Any, qapp: Any) -> None:
    from PySide6.QtGui import QPalette

    from proxyshop_desktop.ui import theme

    assert [dialog.language_combo.itemText(i) for i in range(3)] == ["System", "English", "Русский"]
    assert "next start" in dialog.look_note.text()
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("ru"))
    dialog.theme_combo.setCurrentIndex(dialog.theme_combo.findData("dark"))
    try:
        assert run(dialog.save()) is True
        assert qapp.palette().color(QPalette.ColorRole.Window).lightness() < 128
        assert theme.current_scheme() == "dark"
    finally:
        theme.apply_theme(qapp, "light")
    stored = json.loads(bridge.shop.paths.settings_file.read_text())
    assert (stored["language"], stored["theme"]) == ("ru", "dark")
    assert (bridge.shop.settings.language, bridge.shop.settings.theme) == ("ru", "dark")


def test_a_language_from_the_environment_is_named(bridge: Any, qtbot: Any) -> None:
    d = SettingsDialog(bridge, environ={"PROXYSHOP_LANGUAGE": "en"})
    qtbot.addWidget(d)
    assert "PROXYSHOP_LANGUAGE" in d.env_note.text()
