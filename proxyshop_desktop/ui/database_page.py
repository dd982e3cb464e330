"""The Database page of the Settings dialog: the shared PostgreSQL database's URL (empty = the
SQLite file in the data dir), its password, who this operator is, and "Test database" with the
URL and password typed.

The URL and the password take effect at the next start. The password never goes to the settings
file: the page refuses a URL holding one, and its password field saves to the OS keyring (the
store of `proxyshop-desktop db-password set`); where there is no usable keyring it says so and
explains libpq's own ~/.pgpass and PGPASSWORD instead."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from proxyshop_desktop import token_store
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ConfigError, ShopError
from proxyshop_desktop.logging_setup import install_redaction
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.plain_text import plain, plain_label

if TYPE_CHECKING:
    from proxyshop_desktop.ui.bridge import ShopBridge

TEST_TASK = "settings.database_test"
PASSWORD_TASK = "settings.database_password"


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
        self._build_password()
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
        password_row = QHBoxLayout()
        password_row.addWidget(self.password_edit, 1)
        password_row.addWidget(self.clear_password_button)
        caption = plain_label(self.tr("Password:"), self)  # a row of two widgets: no automatic caption
        caption.setBuddy(self.password_edit)
        form.addRow(caption, password_row)
        form.addRow("", self.password_status)
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

    def wire(self, bridge: ShopBridge, off_thread: Any) -> None:
        """The buttons run their work as the bridge's named tasks, one of each at a time;
        `off_thread` runs a keyring call on a thread of its own, with a timeout."""
        def once(name: str, work: Callable[[], Coroutine[Any, Any, bool]]) -> None:
            if not bridge.is_running(name):
                bridge.start(name, work())

        self.test_button.clicked.connect(lambda: once(TEST_TASK, self.test))
        self.clear_password_button.clicked.connect(
            lambda: once(PASSWORD_TASK, lambda: self.clear_password(off_thread)))

    def _build_password(self) -> None:
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("databasePasswordEdit")
        self.password_edit.setAccessibleName(self.tr("Database password"))
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText(self.tr("unchanged"))
        self.clear_password_button = QPushButton(self.tr("Clear"), self)
        self.clear_password_button.setObjectName("clearDatabasePasswordButton")
        self.clear_password_button.setAccessibleName(self.tr("Clear the stored database password"))
        self.clear_password_button.setEnabled(False)  # until the keyring said one is stored
        self.password_status = plain(QLabel(self.tr("Checking the keyring…"), self))
        self.password_status.setObjectName("databasePasswordStatus")
        self.password_status.setWordWrap(True)

    def typed_password(self) -> str | None:
        """The password typed (spaces are a password's own), None when left unchanged."""
        text = self.password_edit.text()
        return text if text and self.password_edit.isEnabled() else None

    async def load_password_status(self, off_thread: Any) -> None:
        """Whether the keyring holds a password (or PGPASSWORD sets one); no keyring: what instead."""
        try:
            status = await off_thread(token_store.token_status, dict(self._env),
                                      token_store.DB_PASSWORD_ACCOUNT, token_store.DB_PASSWORD_ENV)
        except ShopError as exc:
            self.password_status.setText(describe(exc))
            return
        self.clear_password_button.setEnabled(status.source == "keyring")
        if status.source == "environment":
            self.password_edit.setEnabled(False)
            self.password_edit.setPlaceholderText(self.tr("set by {0}").format(token_store.DB_PASSWORD_ENV))
            text = self.tr("The password is set by {0} (it overrides the keyring).").format(
                token_store.DB_PASSWORD_ENV)
        elif not status.keyring_usable:
            self.password_edit.setEnabled(False)
            self.password_edit.setPlaceholderText(self.tr("no keyring"))
            text = self.tr(
                "No usable OS keyring on this machine ({0}), so the password cannot be saved here. "
                "Put it in ~/.pgpass instead (one line host:port:dbname:user:password, the file "
                "readable by you only: chmod 600), or export {1} in the environment that starts "
                "ProxyShop.").format(status.backend, token_store.DB_PASSWORD_ENV)
        elif status.is_set:
            text = self.tr("A database password is stored in the OS keyring. Type a new one to "
                           "replace it, or Clear it.")
        else:
            text = self.tr("No database password in the keyring: libpq's ~/.pgpass is used when it "
                           "has a matching line. Type one to store it in the keyring.")
        self.password_status.setText(text)

    async def clear_password(self, off_thread: Any) -> bool:
        """Remove the keyring's database password (at once, as `db-password clear` does)."""
        try:
            removed = await off_thread(token_store.clear_token, token_store.DB_PASSWORD_ACCOUNT)
        except ShopError as exc:
            self.password_status.setText(describe(exc))
            return False
        self.password_edit.clear()
        self.clear_password_button.setEnabled(False)
        self.password_status.setText(
            self.tr("The database password was removed from the OS keyring; it takes effect at the "
                    "next start.") if removed else self.tr("No database password was stored."))
        return removed

    async def save_password(self, off_thread: Any) -> bool:
        """Store a typed password in the keyring (never a file). True when one was stored."""
        password = self.typed_password()
        if password is None:
            return False
        install_redaction(password)  # from now on never in a log line
        await off_thread(token_store.store_secret, password, token_store.DB_PASSWORD_ACCOUNT)
        return True

    def _target(self) -> DatabaseTarget | None:
        text = self.url_edit.text().strip()
        return DatabaseTarget(text) if text else None

    def _update_warning(self) -> None:
        try:
            target = self._target()
            warnings = [core_text(text) for text in target.warning_texts()] if target is not None else []
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
                password = self.typed_password()  # the one typed, saved or not
                if password is not None:
                    install_redaction(password)
                else:
                    password = await asyncio.to_thread(keyring_password, target, dict(self._env))
                from proxyshop_desktop.models import engine

                summary = core_text(await asyncio.to_thread(engine.probe_text, target, password))
        except (ShopError, ValueError) as exc:
            self.test_result.setStyleSheet(theme.text_style("error"))
            self.test_result.setText("✗ " + (describe(exc) if isinstance(exc, ShopError) else str(exc)))
            return False
        finally:
            self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(theme.text_style("success"))
        self.test_result.setText("✓ " + summary)
        return True
