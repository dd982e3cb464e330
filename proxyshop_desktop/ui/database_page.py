"""The Database page of the Settings dialog: the shared PostgreSQL database's URL (empty = the
SQLite file in the data dir), who this operator is, and "Test database" with the URL typed.

The URL takes effect at the next start. Its password never goes to the settings file: the page
refuses a URL holding one and names where it belongs (the keyring, ~/.pgpass, PGPASSWORD)."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ConfigError, ShopError
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.plain_text import plain, plain_label


def database_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "database_url": translate("DatabasePage", "Database URL"),
        "operator_name": translate("DatabasePage", "Operator name"),
    }


class DatabasePage(QWidget):
    def __init__(self, current: Settings, parent: QWidget | None = None,
                 environ: Mapping[str, str] | None = None) -> None:
        super().__init__(parent)
        self._env = os.environ if environ is None else environ
        self._current_url = current.database_url
        self._shown_url = DatabaseTarget(current.database_url).shown  # never the password
        self.url_edit = QLineEdit(self._shown_url, self)
        self.url_edit.setObjectName("databaseUrlEdit")
        self.url_edit.setAccessibleName(self.tr("Database URL"))
        self.url_edit.setPlaceholderText(self.tr("empty: this computer's own database file"))
        self.warning = plain(QLabel(self))
        self.warning.setObjectName("databaseWarning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(theme.text_style("error"))
        self.operator_edit = QLineEdit(current.operator_name, self)
        self.operator_edit.setObjectName("operatorEdit")
        self.operator_edit.setAccessibleName(self.tr("Operator name"))
        self.operator_edit.setPlaceholderText(current_operator(""))
        self.note = plain_label(self.tr(
            "postgresql://user@host:port/dbname shares one shop between several computers; the "
            "password goes to the keyring (proxyshop-desktop db-password set) or ~/.pgpass. "
            "A new database takes effect at the next start."), self)
        self.note.setWordWrap(True)
        self.test_button = QPushButton(self.tr("Test database"), self)
        self.test_button.setObjectName("databaseTestButton")
        self.test_result = plain(QLabel(self))
        self.test_result.setObjectName("databaseTestResult")
        self.test_result.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.tr("Database URL:"), self.url_edit)
        form.addRow("", self.warning)
        form.addRow(self.tr("Operator name:"), self.operator_edit)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.test_result, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addLayout(row)
        layout.addStretch(1)
        self.url_edit.textChanged.connect(self._update_warning)
        self._update_warning()

    def _target(self) -> DatabaseTarget | None:
        text = self.url_edit.text().strip()
        return DatabaseTarget(text) if text else None

    def _update_warning(self) -> None:
        try:
            target = self._target()
            warnings = target.warnings() if target is not None else []
        except ValueError:
            warnings = []
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    def values(self) -> dict[str, Any]:
        """For the settings file: a URL holding a password is refused here (ConfigError)."""
        if self.url_edit.text().strip() == self._shown_url:  # unchanged (the settings file
            url = self._current_url                       # never gets a password: config.py)
            return {"database_url": url, "operator_name": self.operator_edit.text().strip()}
        target = self._target()
        if target is not None and target.url_password:
            raise ConfigError(self.tr(
                "Database URL: remove the password from it; store it with "
                "proxyshop-desktop db-password set, or in ~/.pgpass."), "")
        return {"database_url": "" if target is None else target.url,
                "operator_name": self.operator_edit.text().strip()}

    async def test(self) -> bool:
        """Connect once with the URL typed (saved or not) and show what answered."""
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing…"))
        try:
            text = self.url_edit.text().strip()
            if not text:
                summary = self.tr("This computer's own database file (SQLite).")
            else:
                if text == self._shown_url:
                    text = self._current_url  # the password the page does not show
                target = DatabaseTarget.parse(text)  # ValueError: what is wrong with it
                password = await asyncio.to_thread(keyring_password, target, dict(self._env))
                from proxyshop_desktop.models import engine

                summary = await asyncio.to_thread(engine.probe, target, password)
        except (ShopError, ValueError) as exc:
            self.test_result.setStyleSheet(theme.text_style("error"))
            self.test_result.setText("✗ " + (describe(exc) if isinstance(exc, ShopError) else str(exc)))
            return False
        finally:
            self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(theme.text_style("success"))
        self.test_result.setText("✓ " + summary)
        return True
