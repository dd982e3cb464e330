"""The window's translations: complete, in sync with the sources, same placeholders, right plurals.

The .ts files are the source of truth (the .qm are build output): these tests read the .ts, run
PySide6's own pyside6-lupdate over the sources, and compile with pyside6-lrelease into tmp_path,
so they need only the venv (setup-env), not a compiled checkout.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from proxyshop_desktop.ui.counted import Counted
from tests.ui.conftest import run_now
from tests.ui.translation_files import (
    EN_TS,
    PLACEHOLDER,
    RU_TS,
    SOURCES,
    lupdate,
    read_ts,
    tool,
)


def test_every_window_string_has_a_russian_translation():
    messages = read_ts(RU_TS)
    assert len(messages) > 300
    untranslated = [(m.context, m.source) for m in messages
                    if m.unfinished or not all(f.strip() for f in m.forms)]
    assert untranslated == []
    # Russian has three plural forms: 1 прокси, 3 прокси, 5 прокси / покупка, покупки, покупок
    assert [m.source for m in messages if m.numerus and len(m.forms) != 3] == []


def test_the_translations_are_in_sync_with_the_sources(tmp_path):
    """Every string pyside6-lupdate finds now is in the committed .ts (with the same plural-ness),
    and nothing stale is left: run ./scripts/update-translations after changing strings."""
    found = {(m.context, m.source, m.numerus) for m in lupdate(tmp_path / "now.ts")}
    committed = {(m.context, m.source, m.numerus) for m in read_ts(RU_TS)}
    assert found - committed == set(), "new strings: run ./scripts/update-translations, translate"
    assert committed - found == set(), "stale strings: run ./scripts/update-translations"
    english = {(m.context, m.source) for m in read_ts(EN_TS)}
    assert english == {(c, s) for c, s, numerus in found if numerus}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("path", [RU_TS, EN_TS], ids=["ru", "en"])
def test_translations_keep_the_sources_placeholders(path):
    wrong = [(m.source, form) for m in read_ts(path) for form in m.forms
             if placeholders(form) != placeholders(m.source)]
    assert wrong == []


def test_a_changed_placeholder_is_caught():
    assert placeholders("Продано {0} из %Ln") != placeholders("{0} of %Ln proxies {1}")
    assert placeholders("%n дней назад") != placeholders("%Ln days ago")


@pytest.fixture
def compiled(tmp_path, qapp) -> Iterator[Path]:
    for ts in (RU_TS, EN_TS):
        subprocess.run([tool("pyside6-lrelease"), "-silent", str(ts), "-qm",
                        str(tmp_path / ts.with_suffix(".qm").name)], check=True)
    yield tmp_path


@pytest.fixture
def installed(compiled) -> Iterator[Callable[[str], None]]:
    translators: list[QTranslator] = []

    def install(language: str) -> None:
        translator = QTranslator()
        assert translator.load(str(compiled / f"proxyshop_{language}.qm"))
        QCoreApplication.installTranslator(translator)
        translators.append(translator)

    yield install
    for translator in translators:
        QCoreApplication.removeTranslator(translator)


def test_russian_plural_forms(installed):
    installed("ru")
    counted = Counted()
    assert [counted.country_proxies("US", n) for n in (1, 3, 5, 21)] == [
        "US: 1 прокси", "US: 3 прокси", "US: 5 прокси", "US: 21 прокси"]
    assert [counted.days_ago(n) for n in (1, 3, 5, 21)] == [
        "1 день назад", "3 дня назад", "5 дней назад", "21 день назад"]
    exported = [QCoreApplication.translate("SalesTab", "Exported %n orders to {0}", "", n)
                for n in (1, 2, 5, 21)]
    assert exported == ["1 покупка экспортирована в {0}", "2 покупки экспортированы в {0}",
                        "5 покупок экспортировано в {0}", "21 покупка экспортирована в {0}"]


def test_english_plural_forms(installed):
    installed("en")
    counted = Counted()
    assert [counted.days_ago(n) for n in (1, 3)] == ["1 day ago", "3 days ago"]
    assert [QCoreApplication.translate("SalesTab", "Exported %n orders to {0}", "", n)
            for n in (1, 2)] == ["Exported 1 order to {0}", "Exported 2 orders to {0}"]


@pytest.fixture
def window_translations(compiled, qapp, monkeypatch) -> Iterator[None]:
    """install_translations reads the compiled files from tmp_path; English again afterwards."""
    from proxyshop_desktop.ui import translations

    monkeypatch.setattr(translations, "translations_dir", lambda: compiled)
    yield
    translations.install_translators(qapp, translations.window_locale("en"))
    translations.remove_translators(qapp)


def test_lang_ru_with_the_system_language_gives_a_russian_window(window_translations, qapp, bridge, loop):
    from proxyshop_desktop.app import install_translations
    from proxyshop_desktop.ui.main_window import MainWindow

    installed = install_translations(qapp, "system", environ={"LANG": "ru_RU.UTF-8"})
    assert len(installed) == 2, "proxyshop_ru.qm or Qt's qtbase_ru.qm did not load"
    window = MainWindow(bridge)
    try:
        tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert tabs == ["Склад", "Продажи", "Возвраты", "Статистика", "Журнал"]
        assert window.sync_action.text() == "Синхронизировать"
        assert window.inventory_tab.tr("%Ln proxies", "", 3000) == "3\u00a0000 прокси"
    finally:
        run_now(loop, window.shutdown())
        window.close()
        window.deleteLater()


def test_the_cores_messages_are_extracted_and_translated(tmp_path):
    """The Qt-free core's translate() calls (errors, raise sites) reach the .ts, translated."""
    core = [p for p in SOURCES if p.parent.name != "ui" and p.name != "app.py"]
    found = lupdate(tmp_path / "core.ts", sources=core)
    assert len(found) > 30 and {m.context for m in found} >= {"errors"}
    russian = {(m.context, m.source): m for m in read_ts(RU_TS)}
    missing = [(m.context, m.source) for m in found
               if (m.context, m.source) not in russian or russian[(m.context, m.source)].unfinished]
    assert missing == []


def test_a_core_error_reads_russian_in_the_window(installed):
    from proxyshop_desktop.errors import ProviderUnavailableError
    from proxyshop_desktop.i18n import translate
    from proxyshop_desktop.ui.error_dialogs import describe

    error = ProviderUnavailableError(translate("errors", "Cannot reach the provider ({0}).").format("ConnectError"))
    installed("ru")
    assert describe(error) == ("Не удаётся связаться с провайдером (ConnectError). Проверьте адрес провайдера "
                               "и сеть; приложение продолжает работать с локальными данными.")
    assert error.message == "Cannot reach the provider (ConnectError)."  # logs and --json stay English


def test_a_core_error_dialog_reads_russian(installed, message_boxes):
    from proxyshop_desktop.errors import StorageError
    from proxyshop_desktop.i18n import translate
    from proxyshop_desktop.ui.error_dialogs import show_error

    installed("ru")
    show_error(None, StorageError(
        translate("errors", "The disk holding {0} is full: the change was not saved.").format("/data"),
        translate("errors", "Free some space on that disk (old backups and exports can go), then try again.")))
    [box] = message_boxes
    assert box["title"] == "Не получается"
    assert box["text"] == "Диск, на котором находится /data, заполнен: изменение не сохранено."
    assert box["informative"].startswith("Освободите место на этом диске")
