"""The Inventory tab against the simulated provider: filters and their counts, sorting, selection
kept across reloads, and the sell flow (dialogs answered by the test, nothing blocks)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QLineEdit

from proxyshop_desktop.errors import BalanceTooLowError
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from proxyshop_desktop.ui.inventory_model import COLUMN_KEYS, SPEED_COLUMN
from proxyshop_desktop.ui.sell_dialog import SellDialog
from tests.ui.conftest import settle, until
from tests.ui.inventory_helpers import reload, shown

ON_BOTH_ENGINES = True


@pytest.fixture
def tab(synced_inventory_tab: Any) -> Any:
    return synced_inventory_tab


def choose(combo: Any, predicate: Any = None) -> str:
    """Pick the first real entry (or the first matching one); returns its value."""
    for i in range(1, combo.count()):
        if predicate is None or predicate(combo.itemData(i)):
            combo.setCurrentIndex(i)
            return combo.itemData(i)
    raise AssertionError("no matching entry")


def count_in(label: str) -> int:
    return int(re.search(r"\(([\d,]+)\)$", label).group(1).replace(",", ""))


def test_filters_narrow_rows_and_show_counts(tab: Any, run: Any) -> None:
    total = len(shown(tab))
    assert total == 300 and tab.count_label.text() == "300 proxies"
    labels = [tab.country_filter.itemText(i) for i in range(1, tab.country_filter.count())]
    assert all(re.fullmatch(r"[A-Z]{2} — .+ \(\d[\d,]*\)", text) for text in labels), labels
    assert sum(count_in(text) for text in labels) == total  # every proxy has one country
    assert not tab.city_filter.isEnabled()  # cities depend on a country

    country = choose(tab.country_filter)
    reload(tab, run)
    rows = shown(tab)
    assert rows and all(r.country_code == country for r in rows)
    assert count_in(tab.country_filter.currentText()) == len(rows)
    assert tab.count_label.text() == f"{len(rows)} of 300 proxies"
    assert tab.city_filter.isEnabled()
    assert sum(count_in(tab.city_filter.itemText(i)) for i in range(1, tab.city_filter.count())) == len(rows)

    city = choose(tab.city_filter)
    reload(tab, run)
    assert all(r.city == city and r.country_code == country for r in shown(tab))
    assert count_in(tab.city_filter.currentText()) == len(shown(tab))

    tab.clear_filters()
    reload(tab, run)
    assert len(shown(tab)) == total

    kind = choose(tab.type_filter)
    reload(tab, run)
    assert shown(tab) and all(r.proxy_type == kind for r in shown(tab))
    assert count_in(tab.type_filter.currentText()) == len(shown(tab))
    tab.type_filter.setCurrentIndex(0)
    reload(tab, run)

    isp = shown(tab)[0].isp
    needle = isp[1:5].lower()
    tab.isp_filter.setText(needle)  # debounced
    reload(tab, run)
    assert shown(tab) and all(needle in (r.isp or "").lower() for r in shown(tab))
    tab.isp_filter.clear()
    reload(tab, run)

    tab.speed_filter.setValue(300)
    reload(tab, run)
    assert 0 < len(shown(tab)) < total
    assert all(r.speed is not None and r.speed <= 300 for r in shown(tab))
    assert tab.count_label.text() == f"{len(shown(tab))} of 300 proxies"


def test_sorting_by_header_requeries(tab: Any, run: Any, qtbot: Any) -> None:
    header = tab.table.horizontalHeader()
    header.setSortIndicator(SPEED_COLUMN, Qt.SortOrder.DescendingOrder)
    reload(tab, run)
    speeds = [r.speed for r in shown(tab)]
    known = [s for s in speeds if s is not None]
    assert known == sorted(known, reverse=True)
    assert tab.current_query().sort == "speed" and tab.current_query().descending

    city_column = COLUMN_KEYS.index("city")
    x = header.sectionViewportPosition(city_column) + header.sectionSize(city_column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))
    reload(tab, run)
    assert tab.current_query().sort == "city"
    # SQLite's NOCASE folds ASCII letters only: compare the same way
    cities = ["".join(c.lower() if c.isascii() else c for c in r.city) for r in shown(tab) if r.city]
    assert cities == sorted(cities) or cities == sorted(cities, reverse=True)


def test_selection_survives_a_reload(tab: Any, run: Any) -> None:
    model, selection = tab.model, tab.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in (3, 4, 10):
        selection.select(model.index(r, 0), flags)
    wanted = tab.selected_product_ids()
    tab.table.horizontalHeader().setSortIndicator(SPEED_COLUMN, Qt.SortOrder.AscendingOrder)  # rows move
    reload(tab, run)
    assert sorted(tab.selected_product_ids()) == sorted(wanted)
    assert tab.sell_button.isEnabled() and tab.sell_button.text() == "Sell 3…"


def _answer_sell_dialog(monkeypatch: pytest.MonkeyPatch, accept: bool, customer: str = "") -> list[dict[str, Any]]:
    """Answer every SellDialog at once; returns what each showed (the dialog is deleted after)."""
    opened: list[dict[str, Any]] = []

    def fake_open(dialog: SellDialog) -> None:
        opened.append({"count": dialog.count, "amount": dialog.amount_label.text(), "title": dialog.windowTitle()})
        dialog.customer_edit.setText(customer)
        dialog.done(QDialog.DialogCode.Accepted if accept else QDialog.DialogCode.Rejected)

    monkeypatch.setattr(SellDialog, "open", fake_open)
    return opened


@pytest.fixture
def credential_dialogs(monkeypatch: pytest.MonkeyPatch) -> list[CredentialsDialog]:
    opened: list[CredentialsDialog] = []
    monkeypatch.setattr(CredentialsDialog, "open", lambda dialog: opened.append(dialog))
    return opened


def _select(tab: Any, rows: list[int]) -> list[int]:
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        tab.table.selectionModel().select(tab.model.index(r, 0), flags)
    return tab.selected_product_ids()


def test_sell_two_proxies(tab: Any, run: Any, monkeypatch: pytest.MonkeyPatch,
                          credential_dialogs: list[CredentialsDialog]) -> None:
    asked = _answer_sell_dialog(monkeypatch, accept=True, customer="cust-7")
    ids = _select(tab, [0, 1])
    tab.sell_button.click()
    reload(tab, run)
    assert asked[0]["amount"] == "2 × $2.00 = $4.00"
    orders = run(tab._bridge.shop.orders())
    assert sorted(o.product_id for o in orders) == sorted(ids)
    assert {o.customer for o in orders} == {"cust-7"} and {o.status for o in orders} == {"sold"}
    assert not set(ids) & {r.product_id for r in shown(tab)}  # sold rows left the inventory
    assert len(shown(tab)) == 298
    dialog = credential_dialogs[0]
    assert {o.order_id for o in dialog.orders} == {o.order_id for o in orders}
    lines = {o.order_id: o.credentials.line for o in orders}
    for order_id, line in lines.items():
        assert dialog.findChild(QLineEdit, f"credentialsLine_{order_id}").text() == line
    dialog.copy_all_button.click()
    assert QGuiApplication.clipboard().text().splitlines() == [o.credentials.line for o in dialog.orders]
    dialog.copy_buttons[(orders[0].order_id, "password")].click()
    assert QGuiApplication.clipboard().text() == orders[0].credentials.password


def test_cancelled_sale_sells_nothing(tab: Any, run: Any, monkeypatch: pytest.MonkeyPatch, sim: Any,
                                      credential_dialogs: list[CredentialsDialog]) -> None:
    _answer_sell_dialog(monkeypatch, accept=False)
    _select(tab, [0])
    tab.sell_button.click()
    reload(tab, run)
    assert run(tab._bridge.shop.orders()) == []
    assert sim.requests.count("buy") == 0
    assert credential_dialogs == []


def test_balance_too_low_shows_the_message(tab: Any, run: Any, monkeypatch: pytest.MonkeyPatch, sim: Any,
                                           message_boxes: list[dict[str, str]],
                                           credential_dialogs: list[CredentialsDialog]) -> None:
    _answer_sell_dialog(monkeypatch, accept=True)
    errors: list[BaseException] = []
    tab._bridge.providerError.connect(errors.append)
    sim.provider.balance = "0"
    [product_id] = _select(tab, [0])
    tab.sell_button.click()

    async def wait() -> None:
        await until(lambda: message_boxes, what="error dialog")
        await settle(tab._bridge)

    run(wait())
    assert "balance is too low" in message_boxes[0]["text"]
    assert "Top up" in message_boxes[0]["informative"]
    assert isinstance(errors[0], BalanceTooLowError)
    assert product_id in {r.product_id for r in shown(tab)}  # nothing lost
    assert run(tab._bridge.shop.orders()) == []
    assert credential_dialogs == []


def test_a_batch_stopped_by_the_balance_reports_the_typed_error(
        tab: Any, run: Any, monkeypatch: pytest.MonkeyPatch, sim: Any,
        credential_dialogs: list[CredentialsDialog]) -> None:
    _answer_sell_dialog(monkeypatch, accept=True)
    errors: list[BaseException] = []
    tab._bridge.providerError.connect(errors.append)
    sim.provider.balance = "0"
    ids = _select(tab, [0, 1])
    tab.sell_button.click()
    reload(tab, run)
    dialog = credential_dialogs[0]
    assert dialog.orders == [] and [f.product_id for f in dialog.failures] == ids
    # the refusal itself, not words searched for "balance"; the untried one is no provider error
    assert [type(e) for e in errors] == [BalanceTooLowError]
    assert "Top up" in dialog.failures_text()


def test_return_and_ctrl_s_start_a_sale(tab: Any, main_window: Any, run: Any, qtbot: Any,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    asked = _answer_sell_dialog(monkeypatch, accept=False)
    _select(tab, [2])
    main_window.activateWindow()
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_Return)
    reload(tab, run)
    next(a for a in main_window.actions() if a.objectName() == "sellAction").trigger()
    reload(tab, run)
    assert len(asked) == 2 and asked[0]["count"] == 1


def test_credentials_dialog_lists_pending_orders_and_failures_in_words(qtbot: Any) -> None:
    from datetime import UTC, datetime
    from decimal import Decimal

    from proxyshop_desktop.services.results import BatchFailure, Credentials, OrderView

    def order(order_id: str, creds: Credentials | None) -> OrderView:
        now = datetime.now(UTC)
        return OrderView(order_id=order_id, status="sold" if creds else "pending", proxy_id=1, product_id=1,
                         credentials_id=7 if creds else None, customer="c", price=Decimal("2.00"), cost=None,
                         created_at=now, purchased_at=now, expires_at=None, refundable_until=None,
                         refundable=True, refunded_at=None, refund_amount=None, credentials=creds,
                         country_code="US", city=None, proxy_type="mobile", missing_at_provider=False, note="")

    creds = Credentials(ip="10.0.0.1", port="1080", login="u:ser", password="p@ss:=word", country=None, isp=None)
    dialog = CredentialsDialog(
        [order("ORD-1", creds), order("ORD-2", None)],
        failures=[BatchFailure(42, BalanceTooLowError("The provider balance is too low.", ""))])
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLineEdit, "credentialsLine_ORD-1").text() == "10.0.0.1:1080:u:ser:p@ss:=word"
    assert dialog.findChild(QLineEdit, "credentialsLine_ORD-2") is None  # pending: no credentials yet
    assert "Reconcile" in " ".join(label.text() for label in dialog.findChildren(type(dialog.failures_label)))
    assert dialog.failures_text() == "Not sold (1):\n• product 42: The provider balance is too low."
    dialog.copy_buttons[("ORD-1", "login")].click()
    assert QGuiApplication.clipboard().text() == "u:ser"
    dialog.copy_all_button.click()
    assert QGuiApplication.clipboard().text() == "10.0.0.1:1080:u:ser:p@ss:=word"  # pending ones are skipped
