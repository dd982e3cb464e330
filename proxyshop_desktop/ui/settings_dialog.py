"""Settings: provider URL, API token, timeout, price, sync interval, refund window, language and
theme; Test connection. The theme applies at once; the language at the next start (the dialog says so).

Values are validated by the same pydantic `Settings` model as the settings file and the
environment, and an error names the field. The token goes to the OS keyring on a worker thread
with a timeout (a locked keyring can block forever); where there is no usable keyring the dialog
says so and explains EXTERNAL_SOCKS_API_TOKEN instead of storing it anywhere else.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import shiboken6
from pydantic import ValidationError
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop import token_store
from proxyshop_desktop.alerts import setup as alerts_setup
from proxyshop_desktop.config import ENV_VARS, Settings
from proxyshop_desktop.errors import ConfigError, ShopError
from proxyshop_desktop.logging_setup import install_redaction
from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.alerts_page import AlertsPage, alert_labels
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.cleartext import confirm_cleartext, is_cleartext_remote
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.database_page import DatabasePage, database_labels
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.keyring_thread import off_thread
from proxyshop_desktop.ui.plain_text import plain, plain_label
from proxyshop_desktop.ui.theme import apply_theme

log = logging.getLogger(__name__)

SAVE_TASK = "settings.save"
TEST_TASK = "settings.test"
ALERTS_TEST_TASK = "settings.alerts_test"


def field_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "api_url": translate("SettingsDialog", "Provider URL"),
        "api_timeout": translate("SettingsDialog", "Timeout"),
        "price": translate("SettingsDialog", "Price"),
        "sync_interval_minutes": translate("SettingsDialog", "Sync interval"),
        "refund_window_minutes": translate("SettingsDialog", "Refund window"),
        "language": translate("SettingsDialog", "Language"),
        "theme": translate("SettingsDialog", "Theme"),
        **alert_labels(),
        **database_labels(),
    }


def language_choices() -> list[tuple[str, str]]:
    """(setting value, shown name): each language named in itself, so anyone finds their own."""
    return [("system", QCoreApplication.translate("SettingsDialog", "System")),
            ("en", "English"), ("ru", "Русский")]


def theme_choices() -> list[tuple[str, str]]:
    translate = QCoreApplication.translate
    return [("system", translate("SettingsDialog", "System")),
            ("light", translate("SettingsDialog", "Light")),
            ("dark", translate("SettingsDialog", "Dark"))]


def validate(values: dict[str, Any], base: Settings) -> Settings:
    """`base` with `values` applied, or a ConfigError whose message starts with the field's label."""
    try:
        return Settings.model_validate({**base.model_dump(), **values})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else ""
        label = field_labels().get(field, field or "Settings")
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{label}: {message}.", "") from None  # never echo the input values


class SettingsDialog(QDialog):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None,
                 environ: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._bridge = bridge
        self._env = os.environ if environ is None else environ
        current = bridge.shop.settings
        self._build_provider_fields(current)
        self._build_look_fields(current)
        self._build_messages()
        self._build_layout(current)
        self._connect(bridge)
        self._update_http_warning()
        self.resize(560, self.sizeHint().height())

    # --- construction ----------------------------------------------------------------------------

    def _build_provider_fields(self, current: Settings) -> None:
        self.url_edit = QLineEdit(current.api_url, self)
        self.url_edit.setObjectName("apiUrlEdit")
        self.url_edit.setAccessibleName(self.tr("Provider URL"))
        self.http_warning = plain_label(self.tr(
            "Plain http: the API token and the sold credentials travel unencrypted. "
            "Use https if the provider offers it."), self)
        self.http_warning.setObjectName("httpWarning")
        self.http_warning.setWordWrap(True)
        self.http_warning.setStyleSheet(theme.text_style("error"))
        self.token_edit = QLineEdit(self)
        self.token_edit.setObjectName("tokenEdit")
        self.token_edit.setAccessibleName(self.tr("API token"))
        self.token_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.token_edit.setPlaceholderText(self.tr("unchanged"))
        self.token_status = plain_label(self.tr("Checking the keyring…"), self)
        self.token_status.setObjectName("tokenStatus")
        self.token_status.setWordWrap(True)
        self.timeout_spin = QDoubleSpinBox(self)
        self.timeout_spin.setObjectName("timeoutSpin")
        self.timeout_spin.setAccessibleName(self.tr("Timeout in seconds"))
        self.timeout_spin.setRange(0.5, 600.0)
        self.timeout_spin.setDecimals(1)
        self.timeout_spin.setSuffix(self.tr(" s"))
        self.timeout_spin.setValue(current.api_timeout)
        self.price_edit = QLineEdit(str(current.price), self)  # text, not a float spin box: exact money
        self.price_edit.setObjectName("priceEdit")
        self.price_edit.setAccessibleName(self.tr("Price per proxy"))
        self.interval_spin = self._minutes("syncIntervalSpin", self.tr("Sync interval in minutes"),
                                           24 * 60, current.sync_interval_minutes)
        self.refund_spin = self._minutes("refundWindowSpin", self.tr("Refund window in minutes"),
                                         7 * 24 * 60, current.refund_window_minutes)

    def _build_look_fields(self, current: Settings) -> None:
        self.language_combo = self._choice("languageCombo", self.tr("Language"), language_choices(),
                                           current.language)
        self.theme_combo = self._choice("themeCombo", self.tr("Theme"), theme_choices(), current.theme)
        self.look_note = plain_label(
            self.tr("The theme changes at once, the language at the next start."), self
        )
        self.look_note.setObjectName("lookNote")
        self.look_note.setWordWrap(True)

    def _build_messages(self) -> None:
        """The environment note, the error line and the provider test's button and answer."""
        self.env_note = plain(QLabel(self))
        self.env_note.setObjectName("envNote")
        self.env_note.setWordWrap(True)
        overridden = [var for field, var in ENV_VARS.items() if self._env.get(var, "").strip()
                      and field in field_labels()]
        self.env_note.setText(self.tr("Set in the environment, which wins at the next start: {0}.")
                              .format(", ".join(overridden)) if overridden else "")
        self.env_note.setVisible(bool(overridden))
        self.error_label = plain(QLabel(self))
        self.error_label.setObjectName("settingsError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(theme.text_style("error"))
        self.error_label.setVisible(False)
        self.test_button = QPushButton(self.tr("Test connection"), self)
        self.test_button.setObjectName("testConnectionButton")
        self.test_result = plain(QLabel(self))  # the provider's words
        self.test_result.setObjectName("testResult")
        self.test_result.setWordWrap(True)

    def _provider_page(self) -> QWidget:
        form = QFormLayout()
        form.addRow(self.tr("Provider URL:"), self.url_edit)
        form.addRow("", self.http_warning)
        form.addRow(self.tr("API token:"), self.token_edit)
        form.addRow("", self.token_status)
        form.addRow(self.tr("Timeout:"), self.timeout_spin)
        form.addRow(self.tr("Price per proxy ($):"), self.price_edit)
        form.addRow(self.tr("Sync every:"), self.interval_spin)
        form.addRow(self.tr("Refund window:"), self.refund_spin)
        form.addRow(self.tr("Language:"), self.language_combo)
        form.addRow(self.tr("Theme:"), self.theme_combo)
        form.addRow("", self.look_note)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.test_result, 1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveSettingsButton")
        provider_page = QWidget(self)
        provider_layout = QVBoxLayout(provider_page)
        provider_layout.addLayout(form)
        provider_layout.addLayout(test_row)
        return provider_page

    def _build_layout(self, current: Settings) -> None:
        """The Provider, Alerts and Database pages in tabs, the notes and Save/Cancel below."""
        provider_page = self._provider_page()
        self.alerts_page = AlertsPage(current, self, self._env)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("settingsTabs")
        self.tabs.addTab(provider_page, self.tr("Provider"))
        self.tabs.addTab(self.alerts_page, self.tr("Alerts"))
        self.database_page = DatabasePage(current, self, self._env)
        self.tabs.addTab(self.database_page, self.tr("Database"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.env_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _connect(self, bridge: ShopBridge) -> None:
        self.url_edit.textChanged.connect(self._update_http_warning)
        self.buttons.accepted.connect(self._save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.test_button.clicked.connect(self._test_clicked)
        self.alerts_page.test_button.clicked.connect(self._alerts_test_clicked)
        self.database_page.wire(bridge, off_thread)

    # --- helpers ---------------------------------------------------------------------------------

    def _choice(self, name: str, accessible: str, choices: list[tuple[str, str]],
                current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        combo.setAccessibleName(accessible)
        for value, text in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def _minutes(self, name: str, accessible: str, most: int, value: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setObjectName(name)
        spin.setAccessibleName(accessible)
        spin.setRange(1, most)
        spin.setSuffix(self.tr(" min"))
        spin.setValue(value)
        return spin

    def _update_http_warning(self) -> None:
        self.http_warning.setVisible(is_cleartext_remote(self.url_edit.text()))

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.setVisible(bool(text))

    def edited_settings(self) -> Settings:
        """The form's values validated; ConfigError names the first bad field."""
        return validate({
            "api_url": self.url_edit.text(),
            "api_timeout": self.timeout_spin.value(),
            "price": self.price_edit.text().strip(),
            "sync_interval_minutes": self.interval_spin.value(),
            "refund_window_minutes": self.refund_spin.value(),
            "language": self.language_combo.currentData(),
            "theme": self.theme_combo.currentData(),
            **self.alerts_page.values(),
            **self.database_page.values(),
        }, self._bridge.shop.settings)

    def typed_token(self) -> str | None:
        token = self.token_edit.text().strip()
        return token if token and self.token_edit.isEnabled() else None

    # --- token status ----------------------------------------------------------------------------

    async def load_token_status(self) -> None:
        if self._bridge.demo:
            self.token_status.setText(self.tr("Demo mode: the simulated provider's token is used."))
        try:
            status = await off_thread(token_store.token_status, dict(self._env))
        except ShopError as exc:
            status = None
            problem = describe(exc)
        if not shiboken6.isValid(self):
            return  # closed while the keyring answered
        if status is None:
            self.token_status.setText(problem)
            return
        if status.source == "environment":
            self.token_edit.setEnabled(False)
            self.token_edit.setPlaceholderText(self.tr("set by {0}").format(token_store.TOKEN_ENV))
            self.token_status.setText(self.tr("The token is set by {0} (it overrides the keyring).")
                                      .format(token_store.TOKEN_ENV))
        elif not status.keyring_usable:
            self.token_status.setText(self.tr(
                "No usable OS keyring on this machine ({0}), so the token cannot be saved here. "
                "Export {1} in the environment that starts ProxyShop instead.").format(
                status.backend, token_store.TOKEN_ENV))
        elif status.is_set:
            self.token_status.setText(self.tr("A token is stored in the OS keyring. "
                                              "Type a new one to replace it."))
        elif not self._bridge.demo:
            self.token_status.setText(self.tr("No token yet: paste the API key your provider gave you."))
        await self.alerts_page.load_token_status(off_thread)
        if shiboken6.isValid(self):
            await self.database_page.load_password_status(off_thread)

    # --- test connection -------------------------------------------------------------------------

    def _test_clicked(self) -> None:
        if not self._bridge.is_running(TEST_TASK):
            self._bridge.start(TEST_TASK, self.test_connection())

    async def test_connection(self) -> bool:
        """Health plus one authorised request, with the values in the form (saved or not)."""
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText(self.tr("Testing…"))
        try:
            settings = self.edited_settings()
            token = self.typed_token()
            summary = await self._bridge.shop.probe_connection(settings, token)
        except Exception as exc:
            if not isinstance(exc, ShopError):
                log.error("test connection failed unexpectedly", exc_info=exc)
            self.test_result.setStyleSheet(theme.text_style("error"))
            self.test_result.setText("✗ " + describe(exc))
            return False
        finally:
            self.test_button.setEnabled(True)
        self.test_result.setStyleSheet(theme.text_style("success"))
        self.test_result.setText("✓ " + core_text(summary))
        return True

    def _alerts_test_clicked(self) -> None:
        if not self._bridge.is_running(ALERTS_TEST_TASK):
            self._bridge.start(ALERTS_TEST_TASK, self.send_alerts_test())

    async def send_alerts_test(self) -> bool:
        """"Send test message" with the values in the form (saved or not)."""
        try:
            settings = self.edited_settings()
        except ShopError as exc:
            self.alerts_page.test_result.setStyleSheet(theme.text_style("error"))
            self.alerts_page.test_result.setText("✗ " + describe(exc))
            return False
        return await self.alerts_page.send_test(settings)

    # --- save ------------------------------------------------------------------------------------

    def _save_clicked(self) -> None:
        if not self._bridge.is_running(SAVE_TASK):
            self._bridge.start(SAVE_TASK, self._save_and_close())

    async def _save_and_close(self) -> None:
        if await self.save():
            self.accept()

    async def save(self) -> bool:
        """Validate, store the token, write the settings file, apply. False (and a message) if not."""
        self.save_button.setEnabled(False)
        try:
            settings = self.edited_settings()
            token = self.typed_token()
            if not await confirm_cleartext(self, settings.api_url, self._bridge.shop.settings.api_url):
                self.show_error(self.tr("Not saved: the provider URL would be unencrypted."))
                return False
            if token is not None:
                await off_thread(token_store.set_token, token)
                install_redaction(token)  # from now on never in a log line
            bot_token = self.alerts_page.typed_token()
            if bot_token is not None:
                await off_thread(alerts_setup.set_bot_token, bot_token)
            db_password = await self.database_page.save_password(off_thread)
            before = self._bridge.shop.settings
            notes = ["Telegram bot token replaced"] if bot_token is not None else []
            if db_password:
                notes.append("Database password replaced")  # never the password itself
            await self._bridge.shop.save_settings(settings, token=token, labels=field_labels(), notes=notes)
            app = QApplication.instance()
            if settings.theme != before.theme and isinstance(app, QApplication):
                apply_theme(app, settings.theme)
        except ShopError as exc:
            self.show_error(exc.message + (" " + exc.hint if exc.hint else ""))
            return False
        except OSError as exc:
            self.show_error(self.tr("Cannot write the settings file: {0}").format(exc.strerror or exc))
            return False
        finally:
            self.save_button.setEnabled(True)
        self.show_error("")
        self._bridge.settingsChanged.emit()
        return True

