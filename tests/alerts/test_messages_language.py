"""Alerts are written in the operator's language: the `language` setting, or the environment's
when it is "system"; English stays the default, and outside text stays escaped in every language."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from proxyshop_desktop.alerts import messages
from proxyshop_desktop.config import Settings

SINCE = datetime(2026, 12, 2, 7, 42, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    messages.follow(Settings(language="en"))


def test_english_by_default() -> None:
    messages.follow(Settings(language="en"))
    assert messages.sync_recovered(5, SINCE).startswith("🟢 <b>Sync recovered</b> after 5 failed syncs")


def test_the_language_setting_gives_russian_alerts() -> None:
    messages.follow(Settings(language="ru"))
    assert messages.sync_recovered(5, SINCE).startswith("🟢 <b>Синхронизация восстановлена</b>")
    assert messages.repeated(3) == "\n<i>(повторов с тех пор: 3)</i>"
    text = messages.pending_order("ORD-1", "<script>&", 45)
    assert "&lt;script&gt;&amp;" in text and "<script>" not in text and "45 мин" in text


def test_system_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    messages.follow(Settings(language="system"))
    assert "Ежедневная сводка" in messages.daily_summary(messages.DailyFigures(
        start=SINCE, end=SINCE, sold=1, refunded=0, revenue=Decimal("2.00"),
        profit=None, inventory=3, pending=0))
    monkeypatch.setenv("LANG", "C.UTF-8")
    messages.follow(Settings(language="system"))
    assert "Daily summary" in messages.daily_summary(messages.DailyFigures(
        start=SINCE, end=SINCE, sold=1, refunded=0, revenue=Decimal("2.00"),
        profit=None, inventory=3, pending=0))
