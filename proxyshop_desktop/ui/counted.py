"""Phrases with a count ("3 proxies", "5 days ago") used outside a widget class.

pyside6-lupdate gives a message plural forms only when it comes from a `tr()` call, not from
`QCoreApplication.translate`, so module-level code gets its counted phrases from here. In a widget
class, `self.tr("%n ...", "", n)` does the same directly (the count must be a plain name there:
lupdate reads no other expression).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QObject


class Counted(QObject):
    def days_ago(self, days: int) -> str:
        return self.tr("%n days ago", "", days)

    def syncing_saving(self, fetched: int) -> str:
        return self.tr("Syncing… saving %Ln proxies", "", fetched)

    def syncing_confirming(self, page: int, fetched: int) -> str:
        return self.tr("Syncing… confirming a large removal: page {0} · %Ln proxies", "",
                       fetched).format(page)

    def syncing_page_of(self, page: int, expected: int, fetched: int) -> str:
        return self.tr("Syncing… page {0} of {1} · %Ln proxies", "", fetched).format(page, expected)

    def syncing_page(self, page: int, fetched: int) -> str:
        return self.tr("Syncing… page {0} · %Ln proxies", "", fetched).format(page)

    def synced(self, clock: str, total: int, added: str, removed: str) -> str:
        return self.tr("Synced {0} · %Ln proxies (+{1} −{2})", "", total).format(clock, added, removed)

    def country_proxies(self, code: str, proxies: int) -> str:
        return self.tr("{0}: %Ln proxies", "", proxies).format(code)


@cache
def counted() -> Counted:
    return Counted()
