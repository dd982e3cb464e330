"""Translatable messages from the Qt-free core: a stable id (context + English template) with args.

The core never formats an operator-facing message into a finished English string: it builds a
`Text` with `translate("errors", "The disk holding {0} is full.").format(path)`. `str(text)` is the
English rendering (logs, `--json`, tests); the window renders it through Qt's translators
(`QCoreApplication.translate(context, template)`, then the args), the CLI through `Catalog`, a
Qt-free reader of the shipped `.ts` file. pyside6-lupdate extracts the `translate("ctx", "text")`
calls from these modules like from the window's (scripts/update-translations lists them).

Counted phrases are worded without a count in the sentence ("Proxies: {0}"): lupdate gives plural
forms only to `tr()` calls in a class, and a core message must not need Qt to be right.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

#: what decides the messages' language on Unix, strongest first (as for the window)
_LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LANG")
LANGUAGES = ("en", "ru")

#: looks up (context, English template) -> translated template, or None to keep the English
Lookup = Callable[[str, str], "str | None"]


@dataclass(frozen=True)
class Text:
    """A message: `context` and English `template` ({0}-style placeholders) are its id; `args`
    fill the placeholders (a Text arg is rendered in the same language)."""

    context: str
    template: str
    args: tuple[object, ...] = ()

    def format(self, *args: object) -> Text:
        return Text(self.context, self.template, self.args + args)

    def render(self, lookup: Lookup | None = None) -> str:
        template = (lookup(self.context, self.template) if lookup else None) or self.template
        args = [arg.render(lookup) if isinstance(arg, Text) else arg for arg in self.args]
        return template.format(*args) if args else template

    def __str__(self) -> str:
        return self.render()


def translate(context: str, text: str) -> Text:
    """Mark `text` for translation (pyside6-lupdate reads these calls); `.format(...)` adds args."""
    return Text(context, text)


def plain(text: str) -> Text:
    """Text that is not translated (a provider's own words, a path): shown as it is."""
    return Text("", "{0}", (text,))


def joined(*parts: Text | str | None) -> Text:
    """Parts in one line, separated by spaces (each translated on its own); empty ones dropped."""
    kept = [part for part in parts if part and str(part)]
    return Text("", " ".join(f"{{{i}}}" for i in range(len(kept))), tuple(kept))


def joined_list(parts: list[Text]) -> Text:
    """Parts separated by ", " (a list of names)."""
    return Text("", ", ".join(f"{{{i}}}" for i in range(len(parts))), tuple(parts))


def as_text(value: Text | str) -> Text:
    return value if isinstance(value, Text) else plain(value)


# --- a Text kept in the database (the audit trail), rendered later in the reader's language --------


def _stored_arg(value: object) -> object:
    if isinstance(value, Text):
        return {"text": [value.context, value.template, [_stored_arg(a) for a in value.args]]}
    if isinstance(value, Decimal):
        return {"decimal": str(value)}  # exact, never through float
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    return str(value)  # a path, a date: its English text, as in the message column


def _loaded_arg(value: object) -> object:
    if isinstance(value, dict):
        if "decimal" in value:
            return Decimal(str(value["decimal"]))
        context, template, args = value["text"]
        return Text(str(context), str(template), tuple(_loaded_arg(a) for a in args))
    return value


def stored_args(text: Text) -> str:
    """`text`'s args as JSON (nested Texts keep their own id and args)."""
    return json.dumps([_stored_arg(a) for a in text.args], ensure_ascii=False)


def from_stored(context: str, template: str, args: str | None) -> Text | None:
    """The Text that `stored_args` and its context/template were made from; None when the args
    cannot be read back (a damaged row): the reader shows the stored English message then."""
    try:
        loaded = json.loads(args or "[]")
        if not isinstance(loaded, list):
            raise ValueError(args)
        values = tuple(_loaded_arg(a) for a in loaded)
        template.format(*(str(a) for a in values))  # every placeholder has its arg
    except (ValueError, KeyError, IndexError, TypeError, ArithmeticError):
        return None
    return Text(context, template, values)


# --- the CLI's language, without Qt ------------------------------------------------------------


def environment_language(environ: Mapping[str, str] | None = None) -> str:
    """'ru' or 'en' from LC_ALL > LC_MESSAGES > LANG; anything else (C, POSIX, unset) is English."""
    env = os.environ if environ is None else environ
    name = next((env[var] for var in _LOCALE_VARS if env.get(var, "").strip()), "")
    code = name.split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else "en"


class Catalog:
    """The translations of one .ts file (context, source) -> translation, and the plural forms of
    its counted phrases (the window's, and the CLI's: cli/localized.py). A missing or unreadable
    file gives English."""

    def __init__(self, entries: Mapping[tuple[str, str], str],
                 plurals: Mapping[tuple[str, str], list[str]] | None = None) -> None:
        self._entries = dict(entries)
        self._plurals = dict(plurals or {})

    @classmethod
    def from_ts(cls, path: Path) -> Catalog:
        entries: dict[tuple[str, str], str] = {}
        plurals: dict[tuple[str, str], list[str]] = {}
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError):
            return cls(entries)
        for context in root.iter("context"):
            name = context.findtext("name") or ""
            for message in context.iter("message"):
                key = (name, message.findtext("source") or "")
                translation = message.find("translation")
                if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
                    continue
                if message.get("numerus") == "yes":
                    forms = [form.text or "" for form in translation.iter("numerusform")]
                    if forms and all(forms):
                        plurals[key] = forms
                elif translation.text:
                    entries[key] = translation.text
        return cls(entries, plurals)

    def lookup(self, context: str, source: str) -> str | None:
        return self._entries.get((context, source))

    def forms(self, context: str, source: str) -> list[str] | None:
        return self._plurals.get((context, source))

    def __len__(self) -> int:
        return len(self._entries)


def translations_dir() -> Path:
    """resources/translations, through the package the window uses too (a wheel, a bundle)."""
    try:
        import importlib.resources

        import proxyshop_desktop.resources as package  # imported by name: bundlers see it

        return Path(str(importlib.resources.files(package))) / "translations"
    except ModuleNotFoundError:  # an editable install made before the mapping
        return Path(__file__).resolve().parents[1] / "resources" / "translations"


@cache
def _ts_catalog(language: str) -> Catalog:
    return Catalog.from_ts(translations_dir() / f"proxyshop_{language}.ts")


def catalog(language: str) -> Catalog | None:
    """The Catalog for `language`, None for English (the source language)."""
    return None if language == "en" else _ts_catalog(language)


def plural_index(language: str, n: int) -> int:
    """Which numerus form `n` takes: Qt's (and CLDR's) rules for the .ts files' languages.
    English: 1 | other. Russian: 1, 21, 101 | 2-4, 22-24 | 0, 5-20, 25-30, 11-14, ..."""
    n = abs(n)
    if language != "ru":
        return 0 if n == 1 else 1
    if n % 10 == 1 and n % 100 != 11:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def plural(context: str, source: str, n: int) -> str | None:
    """The form of a counted phrase for `n` in the CLI's language (English's forms come from
    proxyshop_en.ts); None when the .ts has none."""
    forms = _ts_catalog(_language).forms(context, source)
    if not forms:
        return None
    return forms[min(plural_index(_language, n), len(forms) - 1)]


_language = "en"


def set_language(language: str) -> None:
    """The CLI's language for `render` ("en" or "ru")."""
    global _language
    _language = language if language in LANGUAGES else "en"


def current_language() -> str:
    return _language


def render(text: Text | str) -> str:
    """`text` in the CLI's language (set_language)."""
    if isinstance(text, str):
        return text
    found = catalog(_language)
    return text.render(found.lookup if found else None)
