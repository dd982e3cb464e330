"""How values look on screen: local time, money, countdowns, speed.

Inside the app times are aware UTC and money is Decimal; these helpers are the only place where
they become text, so every table, card and dialog shows them the same way. Words go through
`QCoreApplication.translate` (context "formatting") so they can be translated.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import QCoreApplication

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.money import format_money
from proxyshop_desktop.vocabulary import speed_band

#: shown where a value does not exist (no deadline, never synced, pending order without a price)
DASH = "—"


def _tr(text: str) -> str:
    return QCoreApplication.translate("formatting", text)


def local_time(moment: datetime | None, *, seconds: bool = False) -> str:
    """An aware datetime in the operator's local zone: 'YYYY-MM-DD HH:MM', sortable."""
    if moment is None:
        return DASH
    if moment.tzinfo is None:  # never expected; treat as UTC rather than guessing the local zone
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


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
    return _tr("{0} left").format(countdown(remaining))


def ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'just now', '5 min ago', '3 h ago', '2 days ago'."""
    if moment is None:
        return _tr("never")
    seconds = ((now or utcnow()) - moment).total_seconds()
    if seconds < 60:
        return _tr("just now")
    minutes = int(seconds // 60)
    if minutes < 120:
        return _tr("{0} min ago").format(minutes)
    hours = minutes // 60
    if hours < 48:
        return _tr("{0} h ago").format(hours)
    return _tr("{0} days ago").format(hours // 24)


def local_time_ago(moment: datetime | None, now: datetime | None = None) -> str:
    """'2024-05-01 14:03 (5 min ago)', or 'never'."""
    if moment is None:
        return _tr("never")
    return f"{local_time(moment)} ({ago(moment, now)})"


def speed(ms: float | None) -> str:
    """The provider's latency-like speed figure: '245 ms' (lower is faster)."""
    if ms is None:
        return DASH
    return _tr("{0} ms").format(f"{ms:,.0f}")


def speed_class(ms: float | None) -> str:
    """The provider's band (vocabulary.speed_band), in words."""
    words = {"fast": _tr("fast"), "moderate": _tr("moderate"), "slow": _tr("slow")}
    band = speed_band(ms)
    return _tr("unknown") if band is None else words[band]


def duration(seconds: float | None) -> str:
    """A run's length: '0.8 s', '12 s', '3 min 05 s'."""
    if seconds is None:
        return DASH
    if seconds < 10:
        return _tr("{0} s").format(f"{seconds:.1f}")
    if seconds < 60:
        return _tr("{0} s").format(f"{seconds:.0f}")
    minutes, secs = divmod(int(round(seconds)), 60)
    return _tr("{0} min {1} s").format(minutes, f"{secs:02d}")


def count(n: int) -> str:
    """'12,345' — thousands separated so big inventories read at a glance."""
    return f"{n:,}"
