from decimal import Decimal

import pytest

from proxyshop_desktop.config import Settings, load_settings, save_settings
from proxyshop_desktop.errors import ConfigError


def test_defaults_match_the_web_shop(tmp_path):
    settings = load_settings(tmp_path / "missing.json", environ={})
    assert settings.api_url == "http://91.142.73.7:8080/api/v1/authorized"
    assert settings.api_timeout == 30
    assert settings.price == Decimal("2.00")
    assert settings.sync_interval_minutes == 5
    assert settings.refund_window_minutes == 60
    assert settings.is_plain_http


def test_environment_wins_over_the_settings_file(tmp_path):
    path = tmp_path / "settings.json"
    save_settings(Settings(price=Decimal("3.50"), sync_interval_minutes=7), path)
    settings = load_settings(path, environ={"EXTERNAL_SOCKS_PRICE": "2.25"})
    assert settings.price == Decimal("2.25")
    assert settings.sync_interval_minutes == 7
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_trailing_slash_is_ignored_and_health_is_at_the_host_root():
    settings = Settings(api_url="https://p.example:8443/api/v1/authorized/")
    assert settings.api_url == "https://p.example:8443/api/v1/authorized"
    assert settings.health_url == "https://p.example:8443/health"
    assert not settings.is_plain_http


@pytest.mark.parametrize(
    ("var", "value", "named"),
    [
        ("EXTERNAL_SOCKS_API_URL", "91.142.73.7:8080/api", "EXTERNAL_SOCKS_API_URL"),
        ("EXTERNAL_SOCKS_PRICE", "-1", "EXTERNAL_SOCKS_PRICE"),
        ("EXTERNAL_SOCKS_PRICE", "two dollars", "EXTERNAL_SOCKS_PRICE"),
        ("EXTERNAL_SOCKS_API_TIMEOUT", "soon", "EXTERNAL_SOCKS_API_TIMEOUT"),
        ("EXTERNAL_SOCKS_SYNC_INTERVAL_MINUTES", "0", "EXTERNAL_SOCKS_SYNC_INTERVAL_MINUTES"),
        ("EXTERNAL_SOCKS_REFUND_WINDOW_MINUTES", "x", "EXTERNAL_SOCKS_REFUND_WINDOW_MINUTES"),
    ],
)
def test_invalid_values_are_refused_naming_the_setting(tmp_path, var, value, named):
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "none.json", environ={var: value})
    assert named in err.value.message
    assert err.value.exit_code == 2


def test_settings_file_errors_name_the_file(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        load_settings(path, environ={})
    path.write_text('{"price": "abc"}')
    with pytest.raises(ConfigError, match="'price' in"):
        load_settings(path, environ={})
    path.write_text('{"api_token": "secret"}')
    with pytest.raises(ConfigError, match="unknown settings: api_token"):
        load_settings(path, environ={})


def test_price_is_exact():
    assert Settings(price="2.1").price == Decimal("2.10")
    assert Settings(price=0.1).price == Decimal("0.10")


def test_language_and_theme_default_to_the_system_and_follow_the_environment(tmp_path):
    settings = load_settings(tmp_path / "missing.json", environ={})
    assert (settings.language, settings.theme) == ("system", "system")
    path = tmp_path / "settings.json"
    save_settings(Settings(language="en", theme="dark"), path)
    settings = load_settings(path, environ={"PROXYSHOP_LANGUAGE": "ru"})
    assert (settings.language, settings.theme) == ("ru", "dark")


def test_unknown_language_is_refused_naming_the_variable(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path / "none.json", environ={"PROXYSHOP_LANGUAGE": "de"})
    assert "PROXYSHOP_LANGUAGE" in err.value.message
