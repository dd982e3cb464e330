"""Fixtures of the alert tests: a fake Bot API on loopback, a store, and a ShopContext whose
settings point the alerts at the fake (bot token from PROXYSHOP_TELEGRAM_BOT_TOKEN)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from proxyshop_desktop.config import Settings
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.context import ShopContext
from tests.alerts.fakes import BOT_TOKEN, FakeBotApi

CHAT_ID = "-1001234567890"
#: every kind but the daily summary, which the wall clock makes due from 09:00 local time: tests
#: that run real commands must not depend on the hour they run at
NO_DAILY_SUMMARY = "sync_failing balance_refused pending_order refund_unknown"


def alert_settings(bot_url: str, **more: Any) -> Settings:
    return Settings(
        api_url="http://127.0.0.1:9/api", telegram_chat_id=CHAT_ID, telegram_api_url=bot_url,
        **more,
    )


def no_client() -> Any:
    raise AssertionError("these tests never call the provider")


@pytest.fixture
def bot() -> Iterator[FakeBotApi]:
    fake = FakeBotApi().start()
    yield fake
    fake.stop()


@pytest.fixture
def bot_token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PROXYSHOP_TELEGRAM_BOT_TOKEN", BOT_TOKEN)
    return BOT_TOKEN


@pytest.fixture
def store(data_paths: AppPaths, engine: str) -> Iterator[Store]:
    """On the `engine` the test runs on (SQLite unless the module sets ON_BOTH_ENGINES)."""
    from proxyshop_desktop.services.shop import open_store

    opened = open_store(data_paths, Settings(database_url=os.environ.get("PROXYSHOP_DATABASE_URL", "")))
    opened.open()
    yield opened
    opened.close()


@pytest.fixture
def actx(bot: FakeBotApi, bot_token: str, store: Store, data_paths: AppPaths) -> ShopContext:
    return ShopContext(
        settings=alert_settings(bot.url), paths=data_paths, store=store, client=no_client
    )
