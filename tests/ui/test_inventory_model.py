"""The inventory table model, without a window: Qt's model checks, formatting, lookups."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from proxyshop_desktop.services.results import InventoryRow
from proxyshop_desktop.ui.inventory_model import (
    COLUMN_KEYS,
    PRICE_COLUMN,
    SPEED_COLUMN,
    InventoryModel,
    ProductIdRole,
    speed_class,
)

SEEN = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)


def row(product_id: int, speed: float | None = 120.0, status: str = "online", **overrides: Any) -> InventoryRow:
    values: dict[str, Any] = dict(
        product_id=product_id, proxy_id=1000 + product_id, country="United States", country_code="US",
        city="São Paulo", region="SP", isp="Example ISP", proxy_type="residential", speed=speed,
        price=Decimal("2.00"), status=status, first_seen=SEEN, last_seen=SEEN,
    )
    values.update(overrides)
    return InventoryRow(**values)


def rows(n: int) -> list[InventoryRow]:
    return [row(i, speed=float(i * 97 % 900) if i % 7 else None, status="offline" if i % 11 == 0 else "online")
            for i in range(1, n + 1)]


def test_qt_model_checks(qtmodeltester: Any) -> None:
    model = InventoryModel()
    model.set_rows(rows(40))
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_reading_empty_roles_ten_thousand_times_does_not_crash() -> None:
    """PySide6 6.12.0 drops a reference to None per empty-role read and aborts CPython 3.11 after a
    few thousand (field notes). This guards the <6.12 pin."""
    model = InventoryModel()
    model.set_rows(rows(3))
    index = model.index(0, 0)
    for _ in range(10_000):
        assert index.data(Qt.ItemDataRole.DecorationRole) is None
        assert model.data(index, Qt.ItemDataRole.UserRole + 50) is None
        assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_display_strings() -> None:
    model = InventoryModel()
    model.set_rows([row(1, speed=250.0), row(2, speed=601.4, proxy_type="mobile", isp=None, city=None),
                    row(3, speed=None, status="offline", price=Decimal("1234.5"))])
    shown = [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(3)]
    local = SEEN.astimezone().strftime("%Y-%m-%d %H:%M")
    assert shown[0] == ["US — United States", "São Paulo", "SP", "residential", "Example ISP",
                        "250 ms · fast", "online", "$2.00", local, local, "—"]
    assert shown[1][1] == "—" and shown[1][3] == "mobile" and shown[1][4] == "—"
    assert shown[1][SPEED_COLUMN] == "601 ms · slow"
    assert shown[2][SPEED_COLUMN] == "—" and shown[2][6] == "offline"
    assert shown[2][PRICE_COLUMN] == "$1,234.50"
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())] == [
        "Country", "City", "Region", "Type", "ISP", "Speed", "Status", "Price", "First seen", "Last seen",
        "Refunded"]
    assert len(COLUMN_KEYS) == model.columnCount()


def test_speed_bands_follow_the_contract() -> None:
    assert [speed_class(v) for v in (0, 300, 300.5, 600, 600.1, None)] == [
        "fast", "fast", "moderate", "moderate", "slow", None]
    model = InventoryModel()
    model.set_rows([row(1, speed=100), row(2, speed=500), row(3, speed=900), row(4, speed=100, status="offline")])
    colours = [model.index(r, SPEED_COLUMN).data(Qt.ItemDataRole.ForegroundRole).color().name() for r in range(4)]
    assert len(set(colours)) == 4  # fast, moderate, slow and offline each look different
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None  # other columns: default
    assert model.index(0, PRICE_COLUMN).data(Qt.ItemDataRole.TextAlignmentRole) is not None


def test_product_ids_and_lookup_across_resets() -> None:
    model = InventoryModel()
    model.set_rows(rows(100))
    assert model.index(4, 0).data(ProductIdRole) == 5
    assert model.row_of(50) == 49
    model.set_rows(list(reversed(rows(100))))
    assert model.row_of(50) == 50  # the lookup is rebuilt after a reset
    assert model.row_of(12345) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no children
    assert model.data(QModelIndex()) is None


def test_rows_are_formatted_once_and_only_when_shown() -> None:
    model = InventoryModel()
    model.set_rows(rows(50_000))
    assert model.rowCount() == 50_000
    assert sum(1 for f in model._formatted if f is not None) == 0  # a reset formats nothing
    model.index(49_999, 1).data()
    first = model.formatted(49_999)
    assert model.formatted(49_999) is first
    assert sum(1 for f in model._formatted if f is not None) == 1


def test_selection_of_rows_merges_runs() -> None:
    model = InventoryModel()
    model.set_rows(rows(20))
    selection = model.selection_of_rows([5, 1, 2, 3, 9, 10])
    assert [(r.top(), r.bottom(), r.left(), r.right()) for r in selection] == [
        (1, 3, 0, 10), (5, 5, 0, 10), (9, 10, 0, 10)]
    assert model.selection_of_rows([]).isEmpty()


def test_old_rows_are_released_a_slice_at_a_time_after_a_reset(qtbot: Any) -> None:
    """Freeing 50,000 rows at once stalled the window; they go a slice per event-loop turn, and a
    list someone else still holds is never touched."""
    import gc
    import weakref

    from proxyshop_desktop.ui.inventory_model import RELEASE_SLICE

    model = InventoryModel()
    old_rows = rows(RELEASE_SLICE * 3)
    model.set_rows(old_rows)
    first, last = weakref.ref(old_rows[0]), weakref.ref(old_rows[-1])
    del old_rows
    model.set_rows(rows(10))
    gc.collect()
    assert first() is not None and last() is not None  # nothing freed inside the reset
    qtbot.waitUntil(lambda: first() is None and last() is None, timeout=2000)

    model.set_rows(rows(RELEASE_SLICE * 3))
    held = model.rows  # e.g. a dialog still showing the old selection
    model.set_rows([])
    qtbot.wait(50)
    assert len(held) == RELEASE_SLICE * 3  # the holder's list is intact


def test_refund_rate_column() -> None:
    from proxyshop_desktop.ui.inventory_model import REFUND_COLUMN

    model = InventoryModel()
    model.set_rows([row(1), row(2)])
    model.rows[1].__dict__.update(refund_rate=Decimal("0.1250"), refund_basis="country")
    model.set_rows(list(model.rows))
    assert model.index(0, REFUND_COLUMN).data() == "—"
    assert model.index(1, REFUND_COLUMN).data() == "12.5 %"
    assert "too few sales of this ISP" in model.index(1, REFUND_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert "fewer than 20" in model.index(0, REFUND_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
