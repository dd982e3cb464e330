"""The alert settings: environment variables, the settings file's form, and errors naming the
setting."""

from __future__ import annotations

import json

import pytest

from proxyshop_desktop.config import ALERT_KINDS, Settings, load_settings, save_settings
from proxyshop_desktop.errors import ConfigError


def test_environment_sets_chat_proxy_and_bot_api(tmp_path):
    settings = load_settings(None, {
        "PROXYSHOP_TELEGRAM_CHAT_ID": " -100123 ",
        "PROXYSHOP_TELEGRAM_PROXY": "socks5://127.0.0.1:1080",
        "PROXYSHOP_TELEGRAM_API_URL": "http://127.0.0.1:8081/",
    })
    assert settings.telegram_chat_id == "-100123"
    assert settings.telegram_proxy == "socks5://127.0.0.1:1080"
    assert settings.telegram_api_url == "http://127.0.0.1:8081"
    assert settings.alert_events == ALERT_KINDS and settings.alert_sync_failures == 2


@pytest.mark.parametrize(("var", "value", "words"), [
    ("PROXYSHOP_TELEGRAM_CHAT_ID", "my group", "numeric chat id"),
    ("PROXYSHOP_TELEGRAM_PROXY", "ftp://host:1", "socks5://host:port"),
    ("PROXYSHOP_TELEGRAM_API_URL", "api.telegram.org", "http:// or https://"),
])
def test_a_bad_value_names_its_variable(var, value, words):
    with pytest.raises(ConfigError) as caught:
        load_settings(None, {var: value})
    assert var in caught.value.message and words in caught.value.message


def test_the_settings_file_round_trips_the_alert_settings(tmp_path):
    path = tmp_path / "settings.json"
    settings = Settings(
        telegram_chat_id="@shop_alerts", alert_events=("daily_summary", "sync_failing"),
        alert_daily_time="07:45", alert_pending_minutes=90,
    )
    save_settings(settings, path)
    data = json.loads(path.read_text())
    assert data["alert_events"] == ["sync_failing", "daily_summary"]  # in the kinds' order
    assert load_settings(path, {}) == settings


def test_unknown_kinds_and_bad_times_are_refused():
    with pytest.raises(ValueError, match="unknown alert kinds nope"):
        Settings(alert_events=("nope",))
    with pytest.raises(ValueError, match="HH:MM"):
        Settings(alert_daily_time="25:00")
