from decimal import Decimal

import pytest

from proxyshop_desktop.money import format_money, from_cents, money_str, to_cents, to_money


def test_floats_from_the_provider_become_exact_cents():
    assert to_money(1.2) == Decimal("1.20")
    assert to_money(0.1 + 0.2) == Decimal("0.30")
    assert to_cents(Decimal("2.00")) == 200
    assert from_cents(199) == Decimal("1.99")


def test_sums_stay_exact():
    total = sum((to_money("2.00") for _ in range(1000)), Decimal("0"))
    assert total == Decimal("2000.00")
    assert money_str(total) == "2000.00"
    assert format_money(total) == "$2,000.00"


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", None, ""])
def test_garbage_is_not_money(bad):
    with pytest.raises(ValueError):
        to_money(bad)
