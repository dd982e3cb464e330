"""The CLI's human output in its language (issue 12), without Qt: plural forms by the language's
rule from the .ts files, numbers, money, dates and rates as the window writes them for the same
locale; --json is not touched (tests/cli/test_cli_lang.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from proxyshop_desktop import i18n
from proxyshop_desktop.cli import localized, output
from proxyshop_desktop.cli.localized import counted
from proxyshop_desktop.services.results import ReconcileResult, ShopStats
from proxyshop_desktop.simulator import DEMO_TOKEN

_TS = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="{lang}" sourcelanguage="en">
<context><name>CliCounted</name>{counted}</context>
<context><name>cli</name>{cli}</context>
</TS>
"""
_FORMS = {
    "en": ({"%Ln proxies": ["%Ln proxy", "%Ln proxies"], "in %Ln countries": ["in %Ln country", "in %Ln countries"],
            "The provider does not know %Ln local orders:": ["The provider does not know %Ln local order:",
                                                             "The provider does not know %Ln local orders:"]},
           {}),
    "ru": ({"%Ln proxies": ["%Ln прокси"] * 3, "in %Ln countries": ["в %Ln стране", "в %Ln странах", "в %Ln странах"]},
           {"Inventory": "Прокси в наличии", "Profit": "Прибыль", "{0} (margin {1})": "{0} (маржа {1})",
            "timed out": "не ответил вовремя", "{0}: {1}. {2}": "{0} — {1}. {2}"}),
}


@pytest.fixture
def translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Small .ts files of both languages in place of the shipped ones."""
    for lang, (plurals, cli) in _FORMS.items():
        numerus = "".join(
            f'<message numerus="yes"><source>{source}</source><translation>'
            + "".join(f"<numerusform>{f}</numerusform>" for f in forms) + "</translation></message>"
            for source, forms in plurals.items())
        entries = "".join(f"<message><source>{s}</source><translation>{t}</translation></message>"
                          for s, t in cli.items())
        (tmp_path / f"proxyshop_{lang}.ts").write_text(
            _TS.format(lang=lang, counted=numerus, cli=entries), encoding="utf-8")
    monkeypatch.setattr(i18n, "translations_dir", lambda: tmp_path)
    i18n._ts_catalog.cache_clear()
    yield
    i18n._ts_catalog.cache_clear()
    i18n.set_language("en")


@pytest.mark.parametrize(("n", "ru", "en"), [
    (0, 2, 1), (1, 0, 0), (2, 1, 1), (4, 1, 1), (5, 2, 1), (11, 2, 1), (12, 2, 1), (14, 2, 1),
    (21, 0, 1), (22, 1, 1), (25, 2, 1), (101, 0, 1), (111, 2, 1), (112, 2, 1), (1001, 0, 1),
])
def test_the_plural_rules_of_both_languages(n: int, ru: int, en: int) -> None:
    assert (i18n.plural_index("ru", n), i18n.plural_index("en", n)) == (ru, en)


def test_counted_phrases_take_the_form_of_their_number(translations: None) -> None:
    i18n.set_language("ru")
    assert [counted.countries(n) for n in (1, 3, 5, 21)] == [
        "в 1 стране", "в 3 странах", "в 5 странах", "в 21 стране"]
    assert counted.proxies(12345) == "12\u00a0345 прокси"  # %Ln: the grouped number
    i18n.set_language("en")
    assert [counted.proxies(n) for n in (1, 2, 1234)] == ["1 proxy", "2 proxies", "1,234 proxies"]


def test_without_forms_in_the_ts_the_english_source_is_shown(translations: None) -> None:
    i18n.set_language("ru")
    assert counted.orders(3) == "3 orders"  # not in the small .ts: the source, never an error


def test_stats_in_russian_use_russian_numbers_money_and_words(translations: None) -> None:
    stats = ShopStats(total_inventory=3000, total_sold=2, total_refunded=0, revenue=Decimal("1234.50"),
                      countries_available=21, last_sync=datetime(2026, 5, 1, 14, 3, tzinfo=UTC),
                      cost=Decimal("1000.00"))
    i18n.set_language("ru")
    lines = output.stats_text(stats).splitlines()
    assert lines[0] == "Прокси в наличии:     3\u00a0000 прокси в 21 стране"
    assert "Прибыль:" in lines[4] and lines[4].endswith("234,50\u00a0$ (маржа 19,0 %)")
    assert lines[6].endswith("01.05.2026 14:03 UTC")
    i18n.set_language("en")
    english = output.stats_text(stats).splitlines()
    assert english[0] == "Inventory:            3,000 proxies in 21 countries"
    assert english[4] == "Profit:               $234.50 (margin 19.0%)"
    assert english[6] == "Last successful sync: 2026-05-01 14:03 UTC"


def test_reconcile_counts_are_worded_for_one_and_many(translations: None) -> None:
    result = ReconcileResult(recovered=1, settled=2, voided=0, unknown_locally=[], missing_at_provider=["A"])
    i18n.set_language("en")
    assert output.reconcile_text(result).splitlines()[1] == "The provider does not know 1 local order: A"
    i18n.set_language("ru")  # no forms in this small .ts: the English source, filled in, never an error
    assert output.reconcile_text(result).splitlines()[1] == "The provider does not know 1 local orders: A"


def test_a_check_line_names_the_outcome_in_the_language(translations: None) -> None:
    from proxyshop_desktop.services.proxy_check import CheckOutcome, ProxyCheckResult

    result = ProxyCheckResult(CheckOutcome.TIMED_OUT, None, None, datetime(2026, 5, 1, tzinfo=UTC),
                              "The proxy did not answer.", order_id="ORD-1")
    assert output.check_text(result) == "ORD-1: timed out. The proxy did not answer."
    i18n.set_language("ru")
    assert output.check_text(result) == "ORD-1 — не ответил вовремя. The proxy did not answer."


@pytest.mark.parametrize("amount", ["0", "2", "-1234.5", "1234567.89"])
def test_money_numbers_and_rates_are_written_as_the_window_writes_them(amount: str, qapp: object) -> None:
    from proxyshop_desktop.ui import formatting
    from proxyshop_desktop.ui.translations import window_locale

    formatting.set_locale(window_locale("ru"))
    try:
        i18n.set_language("ru")
        assert localized.money(Decimal(amount)) == formatting.format_money(Decimal(amount))
        assert localized.number(1234567) == formatting.decimal_text(Decimal(1234567))
        assert localized.percent(Decimal("0.1250")) == formatting.percent(Decimal("0.1250"))
        assert localized.when(datetime(2026, 5, 1, 14, 3, tzinfo=UTC)).startswith(
            datetime(2026, 5, 1).strftime(formatting._date_format))
    finally:
        i18n.set_language("en")
        formatting.set_locale(window_locale("en"))


def test_a_russian_day_at_the_shop_with_the_shipped_translations(sim: Any, tmp_path: Path) -> None:
    """Real commands (separate processes, no Qt) against the simulator, with the .ts the wheel ships."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_", "LC_")) and k != "LANG"}
    env.update(PROXYSHOP_DATA_DIR=str(tmp_path / "data"), EXTERNAL_SOCKS_API_URL=sim.base_url,
               EXTERNAL_SOCKS_API_TOKEN=DEMO_TOKEN, PYTHONIOENCODING="utf-8", LANG="ru_RU.UTF-8")

    def run(*argv: str) -> str:
        done = subprocess.run([sys.executable, "-m", "proxyshop_desktop", *argv], env=env, capture_output=True,
                              text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    synced = run("sync")
    assert synced.startswith("Синхронизация завершена за ") and re.search(r"получено \d[\d\u00a0]* прокси", synced)
    sold = run("sell", "--count", "1", "--customer", "Иван")
    assert sold.startswith("Продано: ORD-") and ", клиент Иван." in sold.splitlines()[0]
    assert sold.splitlines()[-1] == "Продан 1 прокси."  # one form of three
    assert " за 2,00\u00a0$," in sold.splitlines()[0] and "истекает " in sold  # money the Russian way
    stats = run("stats").splitlines()
    assert stats[1] == "Продано:                          1 (возвратов: 0)"
    assert re.fullmatch(r"Склад: +\d[\d\u00a0]* прокси в \d+ стран(е|ах)", stats[0]), stats[0]
    orders = run("orders")
    assert "ID ПОКУПКИ" in orders and orders.splitlines()[-1] == "Покупки 1-1 из 1."
    english = run("orders", "--lang", "en")
    assert "ORDER" in english and english.splitlines()[-1] == "Orders 1-1 of 1."
    assert run("stats", "--lang", "en").splitlines()[1] == "Sold:                 1 (refunded 0)"
