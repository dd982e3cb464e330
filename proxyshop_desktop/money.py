"""Money is exact: Decimal in code, integer cents in the database, formatted only at the edge."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def to_money(value: object) -> Decimal:
    """Parse a price (str, int, Decimal or a provider's float) into a 2-decimal Decimal."""
    if isinstance(value, float):
        value = repr(value)  # the shortest repr round-trips: 1.2 -> "1.2", not 1.19999...
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(f"not a money amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not a money amount: {value!r}")
    return amount


def to_cents(amount: Decimal) -> int:
    return int(to_money(amount) * 100)


def from_cents(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def money_str(amount: Decimal) -> str:
    """'2.00' — the JSON and CSV form (a string, so no float ever touches it)."""
    return str(to_money(amount))


def format_money(amount: Decimal) -> str:
    """'$2.00' for people."""
    return f"${to_money(amount):,}"


RATIO_PLACES = Decimal("0.0001")


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole to four places (0.1250 = 12.5 %): refund rates and margins. None when there
    is nothing (or a loss-making nothing) to divide by."""
    if whole <= 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)
