"""The CLI's human text in its language (i18n.set_language), without Qt: counted phrases in the
right plural form, and numbers, money, dates and rates written as the window writes them for the
same locale (ui/formatting.py through QLocale; tests/cli/test_cli_output_language.py compares).
English keeps the CLI's established forms ("$1,234.50", "2024-05-01 14:03 UTC", "12.5%").
`--json` never comes here: it stays English and exact.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from proxyshop_desktop import i18n
from proxyshop_desktop.money import format_money, to_money

#: QLocale's Russian separators: a no-break space between thousands, a comma before decimals
_NBSP = "\u00a0"
_DASH = "-"


def _russian() -> bool:
    return i18n.current_language() == "ru"


def number(value: int) -> str:
    """12345 -> '12,345' / '12 345' (no-break space)."""
    text = f"{value:,}"
    return text.replace(",", _NBSP) if _russian() else text


def decimal(text: str) -> str:
    """A number already written with a point ('12.5', from a format spec) in the language's form."""
    return text.replace(".", ",") if _russian() else text


def _grouped(value: Decimal) -> str:
    """A Decimal's own digits, grouped, with the language's decimal point (never via float)."""
    sign, digits = ("-", str(value)[1:]) if value < 0 else ("", str(value))
    whole, _, fraction = digits.partition(".")
    text = number(int(whole))
    if fraction:
        text += ("," if _russian() else ".") + fraction
    return sign + text


def money(amount: Decimal) -> str:
    """'$1,234.50' / '1 234,50 $': the window's places for the sign and the separators."""
    if not _russian():
        return format_money(amount)
    exact = to_money(amount)
    text = f"{_grouped(abs(exact))}{_NBSP}$"
    return "-" + text if exact < 0 else text


def when(value: datetime | None) -> str:
    """A UTC time, labelled: '2024-05-01 14:03 UTC' / '01.05.2024 14:03 UTC'."""
    if value is None:
        return _DASH
    pattern = "%d.%m.%Y %H:%M UTC" if _russian() else "%Y-%m-%d %H:%M UTC"
    return value.astimezone(UTC).strftime(pattern)


def percent(ratio: Decimal | None) -> str:
    """0.1250 -> '12.5%' / '12,5 %'."""
    if ratio is None:
        return _DASH
    value = (ratio * 100).quantize(Decimal("0.1"))
    return f"{_grouped(value)} %" if _russian() else f"{value}%"


class CliCounted:
    """Phrases with a count. pyside6-lupdate reads `self.tr("%n …", "", n)` in a class like in a
    widget (context "CliCounted"), so these get plural forms in both .ts files; `tr` picks the
    form by the language's plural rule (i18n.plural) with no Qt. `%Ln` is the grouped number."""

    def tr(self, source: str, disambiguation: str, n: int) -> str:
        del disambiguation  # lupdate's argument; none of ours is ambiguous
        form = i18n.plural("CliCounted", source, n) or source
        return form.replace("%Ln", number(n)).replace("%n", str(n))

    def proxies(self, n: int) -> str:
        return self.tr("%Ln proxies", "", n)

    def orders(self, n: int) -> str:
        return self.tr("%Ln orders", "", n)

    def sold_orders(self, n: int) -> str:
        return self.tr("%Ln sold orders", "", n)

    def sold(self, n: int) -> str:
        return self.tr("%Ln sold.", "", n)

    def countries(self, n: int) -> str:
        return self.tr("in %Ln countries", "", n)

    def pages(self, n: int) -> str:
        return self.tr("in %Ln pages", "", n)

    def purchases_recovered(self, n: int) -> str:
        return self.tr("%Ln purchases recovered", "", n)

    def pending_settled(self, n: int) -> str:
        return self.tr("%Ln pending orders settled", "", n)

    def voided(self, n: int) -> str:
        return self.tr("%Ln voided", "", n)

    def unknown_local_orders(self, n: int) -> str:
        return self.tr("The provider does not know %Ln local orders:", "", n)


counted = CliCounted()
