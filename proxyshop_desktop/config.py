"""The app's settings: one typed model fed by defaults < settings file < environment variables.

The environment variable names are the ones of the web shop this app replaces, so existing
deployments keep working. The API token is *not* here: it lives in the OS keyring (token_store).
"""

from __future__ import annotations

import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from proxyshop_desktop import safe_files
from proxyshop_desktop.errors import ConfigError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.money import to_money

DEFAULT_API_URL = "http://91.142.73.7:8080/api/v1/authorized"
#: the proxy check fetches this through the sold proxy: it must answer the caller's IP (plain
#: text, or JSON {"ip": ...}); the demo points it at the simulator's own page
DEFAULT_CHECK_URL = "https://api.ipify.org"
DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org"
#: the alert kinds (issue 14), each switchable in `alert_events`
ALERT_KINDS = ("sync_failing", "balance_refused", "pending_order", "refund_unknown", "daily_summary")
_CHAT_ID = re.compile(r"^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,62})$")
_LOCAL_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")

#: setting name -> environment variable that overrides it
ENV_VARS: dict[str, str] = {
    "api_url": "EXTERNAL_SOCKS_API_URL",
    "api_timeout": "EXTERNAL_SOCKS_API_TIMEOUT",
    "price": "EXTERNAL_SOCKS_PRICE",
    "sync_interval_minutes": "EXTERNAL_SOCKS_SYNC_INTERVAL_MINUTES",
    "refund_window_minutes": "EXTERNAL_SOCKS_REFUND_WINDOW_MINUTES",
    "auth_prefix": "EXTERNAL_SOCKS_API_AUTH_PREFIX",
    "sync_page_size": "EXTERNAL_SOCKS_SYNC_PAGE_SIZE",
    "sync_concurrency": "EXTERNAL_SOCKS_SYNC_CONCURRENCY",
    "language": "PROXYSHOP_LANGUAGE",
    "theme": "PROXYSHOP_THEME",
    "check_url": "EXTERNAL_SOCKS_CHECK_URL",
    "check_timeout": "EXTERNAL_SOCKS_CHECK_TIMEOUT",
    "telegram_chat_id": "PROXYSHOP_TELEGRAM_CHAT_ID",
    "telegram_proxy": "PROXYSHOP_TELEGRAM_PROXY",
    "telegram_api_url": "PROXYSHOP_TELEGRAM_API_URL",
    "alert_events": "PROXYSHOP_ALERT_EVENTS",
    "max_reply_mb": "EXTERNAL_SOCKS_MAX_REPLY_MB",
    "database_url": "PROXYSHOP_DATABASE_URL",
    "operator_name": "PROXYSHOP_OPERATOR",
}

Language = Literal["system", "en", "ru"]
Theme = Literal["system", "light", "dark"]


#: a shared database's URL (models/target.py reads the rest of it); empty means SQLite
DATABASE_SCHEMES = ("postgresql", "postgres")


def check_database_url(value: str) -> str:
    """The settings validator: '' (SQLite) or a postgresql:// URL; ValueError says what is wrong."""
    value = value.strip()
    if not value:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        raise ValueError("must be a postgresql://user@host:port/dbname URL") from None
    if parts.scheme not in DATABASE_SCHEMES:
        raise ValueError("must be a postgresql://user@host:port/dbname URL (or empty for SQLite)")
    if not parts.path.strip("/"):
        raise ValueError("must name the database: postgresql://user@host:port/dbname")
    return value


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    api_url: str = DEFAULT_API_URL
    api_timeout: float = Field(30.0, gt=0, le=600)
    price: Decimal = Field(Decimal("2.00"), gt=0, le=Decimal("100000"))
    sync_interval_minutes: int = Field(5, ge=1, le=24 * 60)
    refund_window_minutes: int = Field(60, ge=1, le=7 * 24 * 60)
    auth_prefix: str = ""  # the provider wants the raw key; some deployments put "Bearer " here
    sync_page_size: int = Field(200, ge=10, le=1000)
    sync_concurrency: int = Field(4, ge=1, le=16)
    language: Language = "system"  # the window's; "system" follows LANG / the OS locale
    theme: Theme = "system"  # "system" follows the desktop's light/dark colour scheme
    check_url: str = DEFAULT_CHECK_URL
    check_timeout: float = Field(10.0, gt=0, le=120)  # seconds for one whole proxy check
    # Alerts (issue 14). The bot token is in the keyring, like the API token.
    telegram_chat_id: str = ""
    telegram_proxy: str = ""  # socks5://host:port or http://host:port, for Telegram only
    telegram_api_url: str = DEFAULT_TELEGRAM_API_URL
    alert_events: tuple[str, ...] = ALERT_KINDS
    alert_sync_failures: int = Field(2, ge=1, le=100)  # consecutive failed syncs = an outage
    alert_pending_minutes: int = Field(30, ge=1, le=7 * 24 * 60)
    alert_daily_time: str = "09:00"  # local time of the daily summary
    #: decoded size at which a provider answer is given up (a 1000-item page is ~0.4 MB): a
    #: compressed bomb must not inflate in memory (issue 15)
    max_reply_mb: int = Field(8, ge=1, le=256)
    #: a shared PostgreSQL database (issue 11): postgresql://user@host:port/dbname?sslmode=...;
    #: empty = the SQLite file in the data dir. Its password is never here (keyring, .pgpass).
    database_url: str = ""
    #: who works this copy of the app, recorded on every order and audit event; empty = user@host
    operator_name: str = Field("", max_length=100)

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        return check_database_url(value)

    @field_validator("telegram_chat_id")
    @classmethod
    def _check_chat_id(cls, value: str) -> str:
        value = value.strip()
        if value and not _CHAT_ID.match(value):
            raise ValueError("must be a numeric chat id (like -1001234567890) or @channelname")
        return value

    @field_validator("telegram_proxy")
    @classmethod
    def _check_proxy(cls, value: str) -> str:
        value = value.strip()
        parts = urlsplit(value)
        if value and (parts.scheme not in ("socks5", "socks5h", "http", "https") or not parts.hostname):
            raise ValueError("must be a socks5://host:port or http://host:port URL")
        return value

    @field_validator("telegram_api_url")
    @classmethod
    def _check_telegram_url(cls, value: str) -> str:
        return cls._check_url(value)

    @field_validator("alert_events", mode="before")
    @classmethod
    def _check_events(cls, value: Any) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [part for part in value.replace(",", " ").split() if part]
        unknown = sorted(set(value) - set(ALERT_KINDS))
        if unknown:
            raise ValueError(f"unknown alert kinds {', '.join(unknown)}; use {', '.join(ALERT_KINDS)}")
        return tuple(kind for kind in ALERT_KINDS if kind in value)

    @field_validator("alert_daily_time")
    @classmethod
    def _check_daily_time(cls, value: str) -> str:
        value = value.strip()
        if not _LOCAL_TIME.match(value):
            raise ValueError("must be a local time HH:MM, like 09:00")
        return value

    @field_validator("api_url", "check_url")
    @classmethod
    def _check_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http:// or https:// URL with a host")
        return value

    @field_validator("price", mode="before")
    @classmethod
    def _exact_price(cls, value: Any) -> Decimal:
        try:
            return to_money(value)
        except ValueError as exc:
            raise ValueError("must be a number like 2.00") from exc

    @property
    def is_plain_http(self) -> bool:
        return urlsplit(self.api_url).scheme == "http"

    @property
    def root_url(self) -> str:
        parts = urlsplit(self.api_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def health_url(self) -> str:
        return f"{self.root_url}/health"

    def file_dict(self) -> dict[str, Any]:
        """The JSON form written to the settings file."""
        data = self.model_dump(mode="json")
        data["price"] = str(self.price)
        data["alert_events"] = list(self.alert_events)
        parts = urlsplit(self.database_url)
        if parts.password is not None:  # a password never goes to the file (keyring, .pgpass)
            data["database_url"] = urlunsplit(
                parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", "@", 1))
            )
        return data


def _describe(errors: ValidationError, sources: dict[str, str]) -> str:
    first = errors.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "settings"
    where = sources.get(field, "default")
    message = first["msg"].removeprefix("Value error, ")
    return f"Invalid setting {where}: {message}."


def read_settings_file(path: Path) -> dict[str, Any]:
    """The file's settings; {} when there is none. Never read through a symlink, nor from another
    user's file (a StorageError names it); made 0600 if it was not."""
    try:
        fd = safe_files.open_file(path, os.O_RDONLY, translate("errors", "the settings file"))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(
            translate("errors", "The settings file {0} cannot be read ({1}).").format(path, exc.strerror or exc),
            translate("errors", "Fix its permissions or delete it; the defaults and environment variables apply "
                      "without it."),
        ) from exc
    try:
        with os.fdopen(fd, "r", encoding="utf-8") as handle:
            data = json.loads(handle.read())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            translate("errors", "The settings file {0} is not valid JSON ({1}).").format(path, exc),
            translate("errors", "Fix or delete it; the defaults and environment variables apply without it."),
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(translate("errors", "The settings file {0} must hold a JSON object.").format(path),
                          translate("errors", "Fix or delete it."))
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            translate("errors", "The settings file {0} has unknown settings: {1}.").format(path, ", ".join(unknown)),
            translate("errors", "Remove them (the API token is never stored in this file)."),
        )
    return data


def load_settings(settings_file: Path | None, environ: dict[str, str] | None = None) -> Settings:
    """Defaults, then the settings file, then environment variables; a ConfigError names the culprit."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if settings_file is not None:
        for key, value in read_settings_file(settings_file).items():
            values[key] = value
            sources[key] = f"'{key}' in {settings_file}"
    for field, var in ENV_VARS.items():
        raw = env.get(var)
        if raw is not None and raw.strip() != "":
            values[field] = raw.strip()
            sources[field] = var
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, sources), translate("errors", "Correct the value and start again.")) from None


def save_settings(settings: Settings, settings_file: Path) -> None:
    """Write atomically, owner-only; the temporary file is always a new one (a symlink planted
    under its name is removed, never written through)."""
    tmp = settings_file.with_suffix(".json.tmp")
    fd = safe_files.create_new(tmp, translate("errors", "the settings file's temporary copy"))
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(settings.file_dict(), handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, settings_file)
