"""The window's language: which locale the `language` setting means, and installing its translators.

English is the source language; `proxyshop_en.qm` only carries the English plural forms ("1 order",
"2 orders"). The `.qm` files are compiled from `resources/translations/*.ts` by
`scripts/compile-translations` (run by setup-env and the build), never by the app itself.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.icons import resource_path

#: the languages the window ships, besides following the system
LANGUAGES = ("en", "ru")
#: what Qt reads for the messages' locale on Unix, strongest first
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")

_installed: list[QTranslator] = []


def translations_dir() -> Path:
    """Where proxyshop_<lang>.qm live (the packaged build points this at its own copy)."""
    return resource_path("translations")


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """'ru' or 'en' for the environment's locale (LC_ALL > LC_MESSAGES > LANG, then Qt's idea);
    anything the window has no translation for is English."""
    env = os.environ if environ is None else environ
    name = next((env[var] for var in _LOCALE_VARS if env.get(var, "").strip()), "")
    if name in ("C", "POSIX") or name.startswith(("C.", "POSIX.")):
        name = "en"
    code = name.split(".")[0].split("_")[0].lower() if name else QLocale.system().name().split("_")[0]
    return code if code in LANGUAGES else "en"


def window_locale(language: str, environ: Mapping[str, str] | None = None) -> QLocale:
    """The QLocale for a `language` setting ("system", "en" or "ru")."""
    code = system_language(environ) if language == "system" else language
    if code == "ru":
        return QLocale(QLocale.Language.Russian, QLocale.Country.Russia)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def install_translators(app: QCoreApplication, locale: QLocale) -> list[QTranslator]:
    """Replace the app's translators by `locale`'s: the window's own and Qt's standard dialogs'
    (qtbase_<lang>); numbers, money and dates follow the same locale. Returns what was installed."""
    remove_translators(app)
    QLocale.setDefault(locale)
    formatting.set_locale(locale)
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, directory in (("proxyshop", str(translations_dir())), ("qtbase", qt_dir)):
        translator = QTranslator(app)
        if translator.load(locale, name, "_", directory):
            app.installTranslator(translator)
            _installed.append(translator)
    return list(_installed)


def remove_translators(app: QCoreApplication) -> None:
    """Back to the source language's text (the locale stays)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
