"""Settings > Alerts: the values are validated and saved with the other settings, the bot token
goes to the keyring (never the file), "Send test message" reaches a fake Bot API with the typed
values, a bad token is shown clearly; the window's pump delivers queued alerts off the GUI thread."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from proxyshop_desktop.alerts import outbox
from proxyshop_desktop.ui.alerts_pump import AlertPump
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from tests.alerts.fakes import BOT_TOKEN, FakeBotApi

ON_BOTH_ENGINES = True

CHAT = "-1009876543210"


@pytest.fixture
def bot() -> Iterator[FakeBotApi]:
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def dialog(bridge: Any, bot: FakeBotApi, qtbot: Any, run: Any) -> SettingsDialog:
    run(bridge.shop.apply_settings(bridge.shop.settings.model_copy(update={"telegram_api_url": bot.url})))
    d = SettingsDialog(bridge)
    qtbot.addWidget(d)
    d.show()
    d.tabs.setCurrentWidget(d.alerts_page)
    return d


def test_send_test_message_with_the_typed_values(dialog: SettingsDialog, bot: FakeBotApi, run: Any) -> None:
    page = dialog.alerts_page
    page.chat_edit.setText(CHAT)
    page.token_edit.setText(BOT_TOKEN)
    assert run(dialog.send_alerts_test()) is True
    assert page.test_result.text().startswith("✓")
    assert bot.delivered[0].payload["chat_id"] == CHAT


def test_a_bad_bot_token_is_shown_clearly(dialog: SettingsDialog, bot: FakeBotApi, run: Any) -> None:
    page = dialog.alerts_page
    page.chat_edit.setText(CHAT)
    page.token_edit.setText("7777777:" + "B" * 35)
    assert run(dialog.send_alerts_test()) is False
    assert "Telegram refused the bot token (Unauthorized)" in page.test_result.text()
    assert "B" * 35 not in page.test_result.text()


def test_a_bad_chat_id_names_the_field(dialog: SettingsDialog, run: Any) -> None:
    dialog.alerts_page.chat_edit.setText("my chat")
    assert run(dialog.save()) is False
    assert dialog.error_label.text().startswith("Telegram chat id: must be a numeric chat id")


def test_save_keeps_the_token_in_the_keyring_only(
    dialog: SettingsDialog, bridge: Any, memory_keyring: Any, run: Any
) -> None:
    page = dialog.alerts_page
    page.chat_edit.setText(CHAT)
    page.token_edit.setText(BOT_TOKEN)
    page.proxy_edit.setText("socks5://127.0.0.1:1080")
    page.event_boxes["daily_summary"].setChecked(False)
    page.daily_edit.setText("08:30")
    assert run(dialog.save()) is True, dialog.error_label.text()
    saved = json.loads(bridge.shop.paths.settings_file.read_text())
    assert saved["telegram_chat_id"] == CHAT and saved["telegram_proxy"] == "socks5://127.0.0.1:1080"
    assert "daily_summary" not in saved["alert_events"] and saved["alert_daily_time"] == "08:30"
    assert BOT_TOKEN not in bridge.shop.paths.settings_file.read_text()
    assert memory_keyring.secrets[("proxyshop-desktop", "telegram-bot-token")] == BOT_TOKEN
    assert bridge.shop.settings.telegram_chat_id == CHAT


def test_the_pump_delivers_queued_alerts(bridge: Any, bot: FakeBotApi, run: Any, monkeypatch: Any, qtbot: Any) -> None:
    monkeypatch.setenv("PROXYSHOP_TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    settings = bridge.shop.settings.model_copy(
        update={"telegram_api_url": bot.url, "telegram_chat_id": CHAT, "alert_events": ()}
    )
    run(bridge.shop.apply_settings(settings))
    run(bridge.shop.store.run(outbox.raise_alert, "test", "k", "from the window"))
    pump = AlertPump(bridge, interval_ms=50)
    try:
        qtbot.waitUntil(lambda: bot.texts() == ["from the window"], timeout=10_000)
    finally:
        pump.timer.stop()
        run(bridge.shutdown())


def test_the_demo_menu_takes_the_provider_down_and_back(bridge: Any, sim: Any, run: Any) -> None:
    from PySide6.QtGui import QAction

    from proxyshop_desktop.errors import ProviderError
    from proxyshop_desktop.ui.main_window import MainWindow

    window = MainWindow(bridge, demo_server=sim)
    try:
        down = window.findChild(QAction, "demoProviderDownAction")
        assert down is not None and down.isCheckable()
        down.setChecked(True)
        with pytest.raises(ProviderError, match="503"):
            run(bridge.shop.sync())
        down.setChecked(False)
        assert run(bridge.shop.sync()).total_available_external > 0
    finally:
        run(window.shutdown())
        window.deleteLater()
