"""The Settings dialog's Database page: the URL (warned about, never saved with a password), the
operator name, and Test database against the throwaway PostgreSQL server."""

from __future__ import annotations

import json
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from proxyshop_desktop import token_store
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from tests.pg_cluster import PASSWORD
from tests.ui.conftest import settle, until


@pytest.fixture
def dialog(bridge: Any, qtbot: Any) -> SettingsDialog:
    d = SettingsDialog(bridge)
    qtbot.addWidget(d)
    d.show()
    return d


def test_a_remote_url_without_tls_is_warned_about(dialog: SettingsDialog) -> None:
    page = dialog.database_page
    dialog.tabs.setCurrentWidget(page)
    page.url_edit.setText("postgresql://shop@db.example/proxyshop")
    assert page.warning.isVisible() and "sslmode=require" in page.warning.text()
    page.url_edit.setText("postgresql://shop@db.example/proxyshop?sslmode=verify-full")
    assert not page.warning.isVisible()


def test_a_password_in_the_url_is_not_saved(dialog: SettingsDialog, bridge: Any, run: Any) -> None:
    dialog.database_page.url_edit.setText("postgresql://shop:hunter22@127.0.0.1/proxyshop")
    assert run(dialog.save()) is False
    assert dialog.error_label.text().startswith("Database URL: remove the password")
    assert not bridge.shop.paths.settings_file.exists()


def test_url_and_operator_are_saved(dialog: SettingsDialog, bridge: Any, run: Any) -> None:
    dialog.database_page.url_edit.setText("postgresql://shop@127.0.0.1:6543/proxyshop")
    dialog.database_page.operator_edit.setText("anna")
    assert run(dialog.save()) is True
    saved = json.loads(bridge.shop.paths.settings_file.read_text())
    assert saved["database_url"] == "postgresql://shop@127.0.0.1:6543/proxyshop"
    assert saved["operator_name"] == "anna"


def test_test_database_names_the_server(dialog: SettingsDialog, run: Any, pg_url: str) -> None:
    page = dialog.database_page
    page.url_edit.setText(pg_url)
    assert run(page.test()) is True
    assert page.test_result.text().startswith("✓ PostgreSQL ")
    page.url_edit.setText(pg_url.replace("postgres@", "nobody@"))
    assert run(page.test()) is False
    assert page.test_result.text().startswith("✗ ")


# --- the database password: the keyring, never settings.json ----------------------------------

DB_KEY = (token_store.SERVICE, token_store.DB_PASSWORD_ACCOUNT)


def test_a_typed_password_goes_to_the_keyring_only_and_clear_removes_it(
    dialog: SettingsDialog, bridge: Any, run: Any, memory_keyring: Any
) -> None:
    page = dialog.database_page
    run(dialog.load_token_status())
    assert page.password_status.text().startswith("No database password in the keyring")
    assert not page.clear_password_button.isEnabled()
    page.url_edit.setText("postgresql://shop@127.0.0.1:6543/proxyshop")
    page.password_edit.setText("s3cret pass")
    assert run(dialog.save()) is True
    assert memory_keyring.secrets[DB_KEY] == "s3cret pass"  # what `db-password set` stores
    settings_text = bridge.shop.paths.settings_file.read_text()
    assert "s3cret" not in settings_text
    assert "s3cret" not in json.dumps(run(bridge.shop.audit_events(5))[0].message)
    assert "Database password replaced" in run(bridge.shop.audit_events(5))[0].message

    again = SettingsDialog(bridge)
    run(again.load_token_status())
    page = again.database_page
    assert page.password_status.text().startswith("A database password is stored in the OS keyring")
    assert page.clear_password_button.isEnabled()
    page.clear_password_button.click()
    run(until(lambda: DB_KEY not in memory_keyring.secrets, what="the password cleared"))
    run(settle(bridge))
    assert page.password_status.text().startswith("The database password was removed")
    assert not page.clear_password_button.isEnabled()
    again.deleteLater()


def test_test_database_uses_the_typed_password(
    dialog: SettingsDialog, run: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PGPASSWORD")  # only what the page is given
    page = dialog.database_page
    page.url_edit.setText(pg_url)
    page.password_edit.setText("not-the-password")
    assert run(page.test()) is False
    assert "refused the login" in page.test_result.text()
    assert "not-the-password" not in page.test_result.text()
    page.password_edit.setText(PASSWORD)
    assert run(page.test()) is True
    assert page.test_result.text().startswith("✓ PostgreSQL ")


def test_no_keyring_explains_pgpass_and_pgpassword(
    dialog: SettingsDialog, run: Any
) -> None:
    keyring.set_keyring(fail.Keyring())  # what a machine without a Secret Service has
    run(dialog.load_token_status())
    page = dialog.database_page
    text = page.password_status.text()
    assert text.startswith("No usable OS keyring on this machine"), text
    assert "~/.pgpass" in text and "chmod 600" in text and "PGPASSWORD" in text
    assert not page.password_edit.isEnabled() and not page.clear_password_button.isEnabled()


def test_pgpassword_in_the_environment_wins(
    dialog: SettingsDialog, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGPASSWORD", "from-env")
    run(dialog.load_token_status())
    page = dialog.database_page
    assert page.password_status.text() == "The password is set by PGPASSWORD (it overrides the keyring)."
    assert not page.password_edit.isEnabled()
