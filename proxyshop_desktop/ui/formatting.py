"""How values look on screen: local time, money, countdowns, speed.

Inside the app times are aware UTC and money is Decimal; these helpers are the only place where
they become text, so every table, card and dialog shows them the same way. Words go through
`QCoreApplication.translate` (context "formatting") so they can be translated; numbers, money and
dates follow the window's locale (`set_locale`, done with the translators): "12,345" and
"2024-05-01 14:03" in English, "12 345" and "01.05.2024 14:03" in Russian.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, QLocale

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.money import to_money
from proxyshop_desktop.ui.counted import counted
from proxyshop_desktop.vocabulary import speed_band

#: shown where a value does not exist (no deadline, never synced, pending order without a price)
DASH = "—"
#: the provider's prices are US dollars whatever the window's language
CURRENCY = "$"
_ISO_DATE = "%Y-%m-%d"

_locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
_date_format = _ISO_DATE
_money_template = "$1"  # the locale's place for the sign: "$1" / "1 $" (kept: tables ask per row)


def set_locale(locale: QLocale) -> None:
    """The locale every later value is shown in. English keeps the sortable ISO date; other
    languages get their own short date (Russian: 01.05.2024)."""
    global _locale, _date_format, _money_template
    _locale = QLocale(locale)
    _locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)  # thousands grouped
    _money_template = _locale.toCurrencyString(1, CURRENCY)
    if locale.language() == QLocale.Language.English:
        _date_format = _ISO_DATE
    else:  # Qt's pattern (dd.MM.yyyy) in strftime's terms
        pattern = locale.dateFormat(QLocale.FormatType.ShortFormat)
        for qt, py in (("yyyy", "%Y"), ("yy", "%y"), ("MM", "%m"), ("dd", "%d")):
            pattern = pattern.replace(qt, py)
        _date_format = pattern if "%Y" in pattern or "%y" in pattern else _ISO_DATE


def current_locale() -> QLocale:
    return QLocale(_locale)


def decimal_text(value: Decimal) -> str:
    """A Decimal's own digits with the locale's grouping and decimal point (never via float)."""
    sign, digits = ("-", str(value)[1:]) if value < 0 else ("", str(value))
    whole, _, fraction = digits.partition(".")
    group = _locale.groupSeparator()
    groups: list[str] = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    text = group.join([whole, *groups])
    if fraction:
        text += _locale.decimalPoint() + fraction
    return (_locale.negativeSign() if sign else "") + text


def percent(ratio: Decimal) -> str:
    """0.1250 -> '12.5 %' in the locale's digits (a rate or margin from the core's ratio())."""
    return f"{decimal_text((ratio * 100).quantize(Decimal('0.1')))} %"


def format_money(amount: Decimal) -> str:
    """'$1,234.50' in English, '1 234,50 $' in Russian: the locale says where the sign goes."""
    exact = to_money(amount)
    text = _money_template.replace("1", decimal_text(abs(exact)), 1)
    return _locale.negativeSign() + text if exact < 0 else text


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks `text` for lupdate under `context` and returns it as is, like Qt's (whose stub
    returns `object`)."""
    return text


def translate(context: str, text: str) -> str:
    """QCoreApplication.translate under a name pyside6-lupdate looks for."""
    return QCoreApplication.translate(context, text)


def txt_unfit_warning() -> str:
    """Said of a sale that services.export.txt_unfit() keeps out of the TXT export."""
    return translate(
        "formatting",
        "These credentials cannot be written as ip:port:login:password; export as CSV.",
    )


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """An aware datetime in the operator's local zone: 'YYYY-MM-DD HH:MM', sortable."""
    if moment is None:
        return DASH
    if moment.tzinfo is None:  # never expected; treat as UTC rather than guessing the local zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime(_date_format + (" %H:%M:%S" if seconds else " %H:%M"))


def local_date(moment: datetime) -> str:
    """The date part of `local_time`."""
    return moment.astimezone().strftime(_date_format)


def money(amount: Decimal | None) -> str:
    """'$2.00', '$1,234.50'; exact (Decimal in, no float on the way)."""
    return DASH if amount is None else format_money(amount)


def countdown(remaining: timedelta | float) -> str:
    """'42:17' (minutes:seconds) or '1:02:03' past an hour; '0:00' once it ran out.

    Seconds are rounded up, so a window that still runs never shows '0:00'."""
    total = remaining.total_seconds() if isinstance(remaining, timedelta) else float(remaining)
    if total <= 0:
        return "0:00"
    whole = int(total) if total == int(total) else int(total) + 1
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def time_left(deadline: datetime | None, now: datetime | None = None) -> str:
    """'42:17 left' while `deadline` is ahead, the dash after it (or without one)."""
    if deadline is None:
        return DASH
    remaining = deadline - (now or utcnow())
    if remaining.total_seconds() <= 0:
        return DASH
    return translate("formatting", "{0} left").format(countdown(remaining))


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago'."""
    if moment is None:
        return translate("formatting", "never")
    seconds = ((now or utcnow()) - moment).total_seconds()
    if seconds < 60:
        return translate("formatting", "just now")
    minutes = int(seconds // 60)
    if minutes < 120:
        return translate("formatting", "{0} min ago").format(minutes)
    hours = minutes // 60
    if hours < 48:
        return translate("formatting", "{0} h ago").format(hours)
    return counted().days_ago(hours // 24)


def local_time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'2024-05-01 14:03 (5 min ago)', or 'never'."""
    if moment is None:
        return translate("formatting", "never")
    return f"{local_time(moment)} ({ago(moment, now)})"


def speed(ms: float | None) -> str:
    """The provider's latency-like speed figure: '245 ms' (lower is faster)."""
    if ms is None:
        return DASH
    return translate("formatting", "{0} ms").format(count(round(ms)))


def speed_class(ms: float | None) -> str:
    """The provider's band (vocabulary.speed_band), in words."""
    band = speed_band(ms)
    if band is None:
        return translate("formatting", "unknown")
    if band == "fast":
        return translate("formatting", "fast")
    if band == "moderate":
        return translate("formatting", "moderate")
    return translate("formatting", "slow")


def duration(seconds: float | None) -> str:
    """A run's length: '0.8 s', '12 s', '3 min 05 s'."""
    if seconds is None:
        return DASH
    if seconds < 10:
        return translate("formatting", "{0} s").format(_locale.toString(float(seconds), "f", 1))
    if seconds < 60:
        return translate("formatting", "{0} s").format(_locale.toString(float(seconds), "f", 0))
    minutes, secs = divmod(int(round(seconds)), 60)
    return translate("formatting", "{0} min {1} s").format(minutes, f"{secs:02d}")


def count(n: int) -> str:
    """'12,345' — thousands separated so big inventories read at a glance."""
    return _locale.toString(int(n))
