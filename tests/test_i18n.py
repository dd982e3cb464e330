"""The core's translatable messages (proxyshop_desktop/i18n.py): English by str(), Russian from the
shipped .ts without Qt, and every message the core marks has its Russian translation."""

from __future__ import annotations

from pathlib import Path

import pytest

from proxyshop_desktop import i18n
from proxyshop_desktop.errors import AuthError, ProviderUnavailableError, ShopError
from proxyshop_desktop.i18n import Catalog, Text, joined, translate

RU = {("errors", "Cannot reach the provider ({0})."): "Нет связи ({0}).",
      ("errors", "Two {0} and {1}."): "Два {1} и {0}."}


def lookup(context: str, source: str) -> str | None:
    return RU.get((context, source))


def test_a_text_is_english_by_str_and_translated_by_a_lookup():
    text = translate("errors", "Cannot reach the provider ({0}).").format("ConnectError")
    assert str(text) == "Cannot reach the provider (ConnectError)."
    assert text.render(lookup) == "Нет связи (ConnectError)."
    assert translate("errors", "Two {0} and {1}.").format(1).format(2).render(lookup) == "Два 2 и 1."


def test_an_unknown_message_stays_english_and_args_are_translated_too():
    inner = translate("errors", "Cannot reach the provider ({0}).").format("X")
    outer = translate("errors", "Not in the table: {0}").format(inner)
    assert outer.render(lookup) == "Not in the table: Нет связи (X)."
    assert joined(inner, None, "", "plain words").render(lookup) == "Нет связи (X). plain words"


def test_a_shop_error_keeps_english_strings_and_carries_the_texts():
    error = ProviderUnavailableError(translate("errors", "Cannot reach the provider ({0}).").format("E"))
    assert error.message == "Cannot reach the provider (E)."
    assert error.hint == str(error.hint_text) and error.hint.startswith("Check the provider URL")
    assert error.text.render(lookup) == "Нет связи (E)."
    assert str(error) == f"{error.message} {error.hint}"
    plain = ShopError("words from elsewhere", "a hint")
    assert (plain.message, plain.hint, plain.text.render(lookup)) == ("words from elsewhere", "a hint",
                                                                      "words from elsewhere")
    assert isinstance(AuthError("x").hint_text, Text)


@pytest.mark.parametrize(("environ", "language"), [
    ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "ru_RU"}, "ru"),
    ({"LANG": "ru_RU.UTF-8", "LC_ALL": "C"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"), ({}, "en"),
])
def test_the_environment_chooses_the_language(environ, language):
    assert i18n.environment_language(environ) == language


def test_the_catalog_reads_the_shipped_russian_file():
    catalog = i18n.catalog("ru")
    assert catalog is not None and len(catalog) > 300
    assert catalog.lookup("errors", "Cannot reach the provider ({0}).") == "Не удаётся связаться с провайдером ({0})."
    assert i18n.catalog("en") is None


def test_a_missing_or_broken_file_gives_english(tmp_path: Path):
    broken = tmp_path / "broken.ts"
    broken.write_text("<TS><context>", encoding="utf-8")
    assert len(Catalog.from_ts(broken)) == 0
    assert len(Catalog.from_ts(tmp_path / "missing.ts")) == 0


def test_render_follows_set_language():
    text = translate("errors", "Cannot reach the provider ({0}).").format("E")
    try:
        i18n.set_language("ru")
        assert i18n.render(text) == "Не удаётся связаться с провайдером (E)."
        assert i18n.render("as is") == "as is"
        i18n.set_language("xx")
        assert i18n.render(text) == "Cannot reach the provider (E)."
    finally:
        i18n.set_language("en")


def test_core_messages_render_russian_from_the_catalog_and_stay_english_by_str():
    from proxyshop_desktop.errors import RefundRefusedError
    from proxyshop_desktop.services.export import skipped_message, skipped_text, txt_problem
    from proxyshop_desktop.services.results import SkippedExport

    catalog = i18n.catalog("ru")
    assert catalog is not None
    skipped = [SkippedExport("ORD-1", txt_problem("::1", "80", "u", "p") or "")]
    assert skipped_text(skipped, 7, shown=1) == (
        "7 sales left out of the TXT: ORD-1 (the ip contains ':' (an IPv6 address)) and 6 more; their "
        "credentials cannot be written as ip:port:login:password. Export as CSV to have them.")
    assert skipped_message(skipped, 7, shown=1).render(catalog.lookup) == (
        "Не попали в TXT (продаж: 7): ORD-1 (в IP есть ':' (адрес IPv6)) и ещё 6; их данные доступа "
        "нельзя записать как ip:port:login:password. Чтобы получить их, экспортируйте в CSV.")
    error = RefundRefusedError(translate("errors", "Order {0} was already refunded.").format("ORD-2"),
                               translate("errors", "Nothing to do: it was refunded once."))
    assert f"{error.text.render(catalog.lookup)} {error.hint_text.render(catalog.lookup)}" == (
        "По покупке ORD-2 уже сделан возврат. Делать ничего не нужно: возврат уже был.")


def test_the_cli_sync_summary_follows_the_language():
    from datetime import UTC, datetime, timedelta

    from proxyshop_desktop.cli.output import sync_text
    from proxyshop_desktop.services.results import SyncResult

    start = datetime(2026, 12, 1, 9, tzinfo=UTC)
    result = SyncResult(run_id=1, total_fetched=300, total_available_external=300, added=3, updated=1,
                        removed=2, skipped=0, pages=6, requests=6, started_at=start,
                        finished_at=start + timedelta(seconds=1.25), removal_confirmed=True)
    english = sync_text(result)
    assert english.startswith("Sync finished in 1.2 s: 300 proxies fetched (the provider reports 300) in 6 pages; "
                              "3 added, 1 updated, 2 removed, 0 skipped. The listing would have removed")
    try:
        i18n.set_language("ru")
        assert sync_text(result).startswith(
            "Синхронизация завершена за 1,2 с: получено 300 прокси (по данным провайдера: 300) на 6 страницах; "
            "добавлено: 3, обновлено: 1, удалено: 2, пропущено: 0. По этому списку")
    finally:
        i18n.set_language("en")
    assert sync_text(result) == english
