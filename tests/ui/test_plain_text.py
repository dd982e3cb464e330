"""Provider, customer and database text is shown literally: never as HTML (issue 15, item 3).

Qt renders text that merely looks like HTML as rich text: a provider message carrying a link
would become a clickable link (a message box opens it in the browser), an `<img>` would load.
Each test puts markup where the outside world can put it and checks that the widget shows it as
the characters it is."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QPalette, QTextDocument
from PySide6.QtGui import Qt as QtGuiNamespace
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QWidget

from proxyshop_desktop.errors import ProviderError
from proxyshop_desktop.services.results import AuditView, Credentials, InventoryQuery, OrderView
from proxyshop_desktop.simulator import faults
from proxyshop_desktop.ui import charts, plain_text, proxy_check_action
from proxyshop_desktop.ui.activity_log import ActivityModel
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from proxyshop_desktop.ui.error_dialogs import show_error
from proxyshop_desktop.ui.orders_model import SALES_COLUMNS, OrdersModel
from proxyshop_desktop.ui.refunds_tab import RefundsTab
from proxyshop_desktop.ui.sell_dialog import SellDialog
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from tests.factories import create_product
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True

HOSTILE = '<a href="http://evil.example/">click</a><img src=x> <b>bold</b> & more'
PLAIN = Qt.TextFormat.PlainText


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Like the conftest's recorder, but keeps how each label of the box renders its text."""
    shown: list[dict[str, Any]] = []

    def fake_exec(box: QMessageBox) -> int:
        labels = [label for label in box.findChildren(QLabel) if label.text()]
        shown.append({
            "text": box.text(), "informative": box.informativeText(),
            "format": box.textFormat(),
            "labels": [(label.text(), label.textFormat(), label.openExternalLinks()) for label in labels],
        })
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


def shows_literally(rich_text: str, expected: str) -> bool:
    """What a tooltip (always read as rich text when it looks like it) shows."""
    doc = QTextDocument()
    doc.setHtml(rich_text)
    return doc.toPlainText() == expected


def assert_plain(label: QLabel, expected_part: str) -> None:
    assert label.textFormat() == PLAIN, label.objectName()
    assert expected_part in label.text()


def order_view(order_id: str = "ORD-1", customer: str = "c", note: str = "") -> OrderView:
    now = datetime.now(UTC)
    creds = Credentials("10.0.0.1", "1080", "user", "pass", "US", "ISP")
    return OrderView(order_id=order_id, status="sold", proxy_id=1, product_id=1, credentials_id=7,
                     customer=customer, price=Decimal("2.00"), cost=None, created_at=now,
                     purchased_at=now, expires_at=None, refundable_until=None, refundable=True,
                     refunded_at=None, refund_amount=None, credentials=creds, country_code="US",
                     city=None, proxy_type="mobile", missing_at_provider=False, note=note)


# --- the provider's refund-check message --------------------------------------------------------


@pytest.fixture
def refunds(qtbot: Any, bridge: Any, gui_shop: Any, run: Any, sim: Any) -> tuple[RefundsTab, Any]:
    run(gui_shop.sync())
    page = run(gui_shop.inventory(InventoryQuery(page_size=1)))
    order = run(gui_shop.sell(page.rows[0].product_id, "bob"))
    sim.faults.add("check_refundable",
                   faults.status(200, {"refundable": False, "message": HOSTILE}), times="always")
    tab = RefundsTab(bridge)
    qtbot.addWidget(tab)
    run(tab.refresh())
    tab.table.selectRow(tab.model.row_of(order.order_id))
    return tab, order


def drain(run: Any, bridge: Any) -> None:
    run(settle(bridge))
    run(asyncio.sleep(0.02))


def test_refund_check_answer_shows_the_providers_markup_as_text(
    refunds: tuple[RefundsTab, Any], run: Any
) -> None:
    tab, order = refunds
    tab.check_button.click()
    drain(run, tab._bridge)
    assert "cannot be refunded" in tab.answer.text()
    assert_plain(tab.answer, HOSTILE)


def test_refusal_dialog_shows_the_providers_markup_as_text_and_opens_no_link(
    refunds: tuple[RefundsTab, Any], run: Any, monkeypatch: pytest.MonkeyPatch,
    boxes: list[dict[str, Any]],
) -> None:
    tab, order = refunds
    monkeypatch.setattr(proxy_check_action, "ask_refund", lambda *_a, **_k: "yes")  # confirmed
    tab.refund_button.click()
    run(until(lambda: boxes, what="the refusal dialog"))
    drain(run, tab._bridge)

    [box] = boxes
    assert HOSTILE in box["text"] and box["format"] == PLAIN
    for text, text_format, opens_links in box["labels"]:
        assert text_format == PLAIN and not opens_links, text
    assert_plain(tab.answer, HOSTILE)


def test_error_dialog_hint_is_plain_too(qapp: Any, boxes: list[dict[str, Any]]) -> None:
    show_error(None, ProviderError(HOSTILE, HOSTILE))
    [box] = boxes
    assert box["text"] == HOSTILE and box["informative"] == HOSTILE
    assert [f for _t, f, _l in box["labels"]] == [PLAIN, PLAIN]


# --- an ISP name, a customer name ----------------------------------------------------------------


def test_isp_name_in_the_sale_dialog_is_text(
    main_window: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_product(main_window.bridge.shop.store, isp=HOSTILE)
    tab = main_window.inventory_tab
    run(tab.refresh())
    run(settle(main_window.bridge))
    shown: list[tuple[str, Qt.TextFormat]] = []

    def fake_open(dialog: SellDialog) -> None:
        shown.append((dialog.summary_label.text(), dialog.summary_label.textFormat()))
        dialog.done(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(SellDialog, "open", fake_open)
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    tab.table.selectionModel().select(tab.model.index(0, 0), flags)
    tab.sell_button.click()
    run(until(lambda: shown, what="the sale dialog"))
    run(settle(main_window.bridge))

    [(text, text_format)] = shown
    assert HOSTILE in text and text_format == PLAIN


def test_customer_name_in_the_credentials_dialog_is_text(qtbot: Any) -> None:
    dialog = CredentialsDialog([order_view(customer=HOSTILE)])
    qtbot.addWidget(dialog)
    labels = [label for label in dialog.findChildren(QLabel) if HOSTILE in label.text()]
    assert labels
    for label in labels:
        assert label.textFormat() == PLAIN


# --- tooltips: an activity row, an order's note ----------------------------------------------------


def test_activity_row_tooltip_shows_the_message_literally(qapp: Any) -> None:
    model = ActivityModel()
    model.set_events([AuditView(at=datetime.now(UTC), kind="refund_refused", ok=False,
                                order_id="ORD-1", proxy_id=None, amount=None, message=HOSTILE)])
    assert model.data(model.index(0, 6)) == HOSTILE
    tip = model.data(model.index(0, 6), Qt.ItemDataRole.ToolTipRole)
    assert shows_literally(tip, HOSTILE)


def test_order_note_tooltip_shows_the_note_literally(qapp: Any) -> None:
    model = OrdersModel(SALES_COLUMNS)
    model.set_orders([order_view(note=HOSTILE)])
    tip = model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert shows_literally(tip, HOSTILE)


def test_tooltip_helper_keeps_line_breaks_and_empty_stays_empty() -> None:
    assert plain_text.tooltip("") == "" and plain_text.tooltip(None) == ""
    tip = plain_text.tooltip("line 1 <b>\nline 2")
    assert QtGuiNamespace.mightBeRichText(tip) and shows_literally(tip, "line 1 <b>\nline 2")


def test_country_axis_labels_are_escaped(qapp: Any) -> None:
    """QtCharts reads every axis label as HTML; a country code is the provider's text."""
    chart = charts.inventory_by_country_chart([(HOSTILE, 3)], QPalette())
    [axis] = [a for a in chart.axes() if hasattr(a, "categories")]
    [label] = axis.categories()
    assert shows_literally(label, HOSTILE)


def test_desktop_notification_carries_no_markup() -> None:
    text = plain_text.notification(HOSTILE)
    assert "<" not in text and ">" not in text and "click" in text and "bold" in text


# --- every label -----------------------------------------------------------------------------------


def _labels(widget: QWidget) -> list[QLabel]:
    """The widget's labels, but not QFormLayout's row captions (the dialog's own fixed words)."""
    return [label for label in widget.findChildren(QLabel) if label.buddy() is None]


def test_every_label_of_the_window_and_settings_is_plain(main_window: Any, qtbot: Any) -> None:
    dialog = SettingsDialog(main_window.bridge, main_window)
    qtbot.addWidget(dialog)
    labels = _labels(main_window) + _labels(dialog) + _labels(SellDialog(2, Decimal("2.00"), dialog))
    assert len(labels) > 15
    rich = [label.objectName() or label.text() for label in labels if label.textFormat() != PLAIN]
    assert rich == []
