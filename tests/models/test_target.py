"""Choosing the database: the URL setting, its warnings, and the password kept out of messages."""

from __future__ import annotations

import pytest

from proxyshop_desktop import token_store
from proxyshop_desktop.config import load_settings
from proxyshop_desktop.errors import ConfigError
from proxyshop_desktop.logging_setup import REDACTED, redact
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password


def test_unset_means_the_sqlite_file():
    assert load_settings(None, environ={}).database_url == ""


def test_the_environment_names_the_server_and_libpq_options_pass_through():
    url = "postgresql://shop@db.example:6432/proxyshop?sslmode=verify-full&connect_timeout=5"
    settings = load_settings(None, environ={"PROXYSHOP_DATABASE_URL": url})
    assert settings.database_url == url
    target = DatabaseTarget.parse(settings.database_url)
    assert (target.host, target.port, target.user, target.dbname) == ("db.example", 6432, "shop", "proxyshop")
    assert target.sslmode == "verify-full" and target.warnings() == []


@pytest.mark.parametrize("bad", ["mysql://a@b/c", "postgresql://a@b:notaport/c", "postgresql://a@b/"])
def test_a_bad_url_names_the_setting(bad):
    with pytest.raises(ConfigError, match="PROXYSHOP_DATABASE_URL"):
        load_settings(None, environ={"PROXYSHOP_DATABASE_URL": bad})


def test_a_password_in_the_url_works_but_is_warned_about_and_scrubbed(caplog):
    target = DatabaseTarget.parse("postgresql://shop:s3cret-pw@127.0.0.1/proxyshop")
    assert target.url_password == "s3cret-pw"
    assert "s3cret-pw" not in target.shown and REDACTED in target.shown
    assert any("contains a password" in w for w in target.warnings())
    assert "s3cret-pw" not in target.scrub('FATAL: password "s3cret-pw" refused')
    assert redact("connecting with s3cret-pw") == f"connecting with {REDACTED}"  # the log scrubber


@pytest.mark.parametrize(
    ("url", "warned"),
    [
        ("postgresql://shop@db.example/proxyshop", True),
        ("postgresql://shop@db.example/proxyshop?sslmode=prefer", True),
        ("postgresql://shop@db.example/proxyshop?sslmode=require", False),
        ("postgresql://shop@127.0.0.1/proxyshop", False),
        ("postgresql://shop@localhost/proxyshop", False),
        ("postgresql://shop@[::1]/proxyshop", False),
        ("postgresql:///proxyshop", False),  # the Unix socket
    ],
)
def test_a_remote_server_without_tls_is_warned_about(url, warned):
    found = [w for w in DatabaseTarget.parse(url).warnings() if "without required TLS" in w]
    assert bool(found) is warned


def test_the_password_comes_from_the_keyring_unless_libpq_has_one(memory_keyring):
    target = DatabaseTarget.parse("postgresql://shop@127.0.0.1/proxyshop")
    assert keyring_password(target, {}) is None
    token_store.store_secret("pass with spaces", token_store.DB_PASSWORD_ACCOUNT)
    assert keyring_password(target, {}) == "pass with spaces"
    assert redact("pass with spaces") == REDACTED
    assert keyring_password(target, {"PGPASSWORD": "x"}) is None  # libpq's own wins, as documented
    in_url = DatabaseTarget.parse("postgresql://shop:inurl-pw@127.0.0.1/proxyshop")
    assert keyring_password(in_url, {}) is None


def test_the_operator_defaults_to_user_at_host(monkeypatch):
    from proxyshop_desktop.operator import current_operator

    assert "@" in current_operator(load_settings(None, environ={}).operator_name)
    named = load_settings(None, environ={"PROXYSHOP_OPERATOR": "anna"}).operator_name
    assert current_operator(named) == "anna"


def test_the_settings_file_never_gets_the_password():
    from proxyshop_desktop.config import Settings

    settings = Settings(database_url="postgresql://shop:s3cret-pw@10.0.0.5:5432/proxyshop?sslmode=require")
    assert settings.file_dict()["database_url"] == "postgresql://shop@10.0.0.5:5432/proxyshop?sslmode=require"
