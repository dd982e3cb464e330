"""The Settings dialog's Database page: the URL (warned about, never saved with a password), the
operator name, and Test database against the throwaway PostgreSQL server."""

from __future__ import annotations

import json
from typing import Any

import pytest

from proxyshop_desktop.ui.settings_dialog import SettingsDialog


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
