"""Numbers, money and dates follow the window's locale; money stays exact."""

from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale

from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.translations import system_language, window_locale

NBSP = "\u00a0"


@pytest.fixture
def russian() -> Iterator[None]:
    formatting.set_locale(window_locale("ru"))
    yield
    formatting.set_locale(window_locale("en"))


@pytest.mark.parametrize(("environ", "expected"), [
    ({"LANG": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "ru_RU.UTF-8"}, "ru"),
    ({"LANG": "ru_RU.UTF-8", "LC_ALL": "C"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),  # no German translation: the source language
])
def test_system_language_follows_the_locale_variables(environ, expected):
    assert system_language(environ) == expected


def test_english_keeps_the_familiar_forms():
    assert formatting.format_money(Decimal("1234.5")) == "$1,234.50"
    assert formatting.format_money(Decimal("-3")) == "-$3.00"
    assert formatting.count(12345) == "12,345"
    assert formatting.local_time(datetime(2024, 5, 1, 12, 3, tzinfo=UTC))[:10].count("-") == 2


def test_russian_groups_with_spaces_and_puts_the_dollar_after(russian):
    assert formatting.format_money(Decimal("1234.5")) == f"1{NBSP}234,50{NBSP}$"
    assert formatting.count(12345) == f"12{NBSP}345"
    assert formatting.local_time(datetime(2024, 5, 1, 12, 3, tzinfo=UTC)).split()[0].count(".") == 2


def test_money_is_exact_beyond_float_precision(russian):
    # 2**53 + 1 has no float: going through float would print ...992,00
    assert formatting.format_money(Decimal("9007199254740993.01")) == (
        f"9{NBSP}007{NBSP}199{NBSP}254{NBSP}740{NBSP}993,01{NBSP}$")
    assert window_locale("ru").language() == QLocale.Language.Russian


def test_the_sync_indicator_shows_only_the_clock_for_today_in_russian(russian):
    from proxyshop_desktop.ui.sync_controller import SyncStatus
    from proxyshop_desktop.ui.sync_status import _clock

    now = datetime.now(UTC)
    assert _clock(SyncStatus(state="success", finished_at=now)) == now.astimezone().strftime("%H:%M")
