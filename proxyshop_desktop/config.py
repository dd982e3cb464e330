"""The app's settings: one typed model fed by defaults < settings file < environment variables.

The environment variable names are the ones of the web shop this app replaces, so existing
deployments keep working. The API token is *not* here: it lives in the OS keyring (token_store).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from proxyshop_desktop.errors import ConfigError
from proxyshop_desktop.money import to_money

DEFAULT_API_URL = "http://91.142.73.7:8080/api/v1/authorized"

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
    "max_reply_mb": "EXTERNAL_SOCKS_MAX_REPLY_MB",
}


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
    #: decoded size at which a provider answer is given up (a 1000-item page is ~0.4 MB): a
    #: compressed bomb must not inflate in memory (issue 15)
    max_reply_mb: int = Field(8, ge=1, le=256)

    @field_validator("api_url")
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
        return data


def _describe(errors: ValidationError, sources: dict[str, str]) -> str:
    first = errors.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "settings"
    where = sources.get(field, "default")
    message = first["msg"].removeprefix("Value error, ")
    return f"Invalid setting {where}: {message}."


def read_settings_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"The settings file {path} is not valid JSON ({exc}).",
            "Fix or delete it; the defaults and environment variables apply without it.",
        ) from exc
    if not isinstance(data, dict):
        raise ConfigError(f"The settings file {path} must hold a JSON object.", "Fix or delete it.")
    unknown = sorted(set(data) - set(Settings.model_fields))
    if unknown:
        raise ConfigError(
            f"The settings file {path} has unknown settings: {', '.join(unknown)}.",
            "Remove them (the API token is never stored in this file).",
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
        raise ConfigError(_describe(exc, sources), "Correct the value and start again.") from None


def save_settings(settings: Settings, settings_file: Path) -> None:
    """Write atomically, owner-only."""
    tmp = settings_file.with_suffix(".json.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(settings.file_dict(), handle, indent=2, sort_keys=True)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, settings_file)
