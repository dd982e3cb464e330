"""The window's export: credentials a TXT cannot carry are named and warned about (issue 15 #5);
the export shows its progress, can be cancelled and leaves no partial file (issue 9 #3)."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QPushButton

from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from proxyshop_desktop.ui.formatting import txt_unfit_warning
from proxyshop_desktop.ui.plain_text import tooltip
from proxyshop_desktop.ui.sales_tab import SalesTab
from tests.factories import create_order
from tests.ui.conftest import settle

ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    yield
    gc.collect()  # on the GUI thread, after the conftest's loop (see test_sales_tab.py)


@pytest.fixture
def tab(qtbot: Any, bridge: ShopBridge) -> SalesTab:
    widget = SalesTab(bridge)
    qtbot.addWidget(widget)
    return widget


def drain(run: Any, bridge: ShopBridge) -> None:
    run(settle(bridge))
    run(asyncio.sleep(0.02))


def test_txt_export_names_the_sales_it_left_out(
    tab: SalesTab, gui_shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    good = create_order(gui_shop.store)
    bad = create_order(gui_shop.store, username="lo:gin")
    ipv6 = create_order(gui_shop.store, server_ip="2001:db8::1")
    run(tab.refresh())
    target = tmp_path / "all.txt"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    tab.export_txt_button.click()
    drain(run, tab._bridge)
    assert target.read_text("utf-8").splitlines() == [
        f"{good.server_ip}:{good.port}:{good.username}:{good.password}"
    ]
    message = tab.message.text()
    assert message.startswith(f"Exported 1 order to {target}")
    assert "2 sales left out of the TXT" in message and "CSV" in message
    assert bad.order_id in message and ipv6.order_id in message


def test_the_sales_row_and_the_credentials_dialog_warn(
    tab: SalesTab, gui_shop: Any, run: Any, qtbot: Any
) -> None:
    good = create_order(gui_shop.store)
    bad = create_order(gui_shop.store, password="pa\u2028ss")
    run(tab.refresh())
    model = tab.model
    orders = {o.order_id: o for o in model.orders()}
    row_tips = {oid: model.data(model.index(model.row_of(oid), 0), Qt.ItemDataRole.ToolTipRole)
                for oid in orders}
    assert row_tips[bad.order_id] == tooltip(txt_unfit_warning())
    assert row_tips[good.order_id] != tooltip(txt_unfit_warning())

    dialog = CredentialsDialog([orders[good.order_id], orders[bad.order_id]])
    qtbot.addWidget(dialog)
    assert not dialog.txt_warning.isHidden()
    assert bad.order_id in dialog.txt_warning.text() and txt_unfit_warning() in dialog.txt_warning.text()
    assert good.order_id not in dialog.txt_warning.text()
    fine = CredentialsDialog([orders[good.order_id]])
    qtbot.addWidget(fine)
    assert fine.txt_warning.isHidden()


def slow_chunks(monkeypatch: pytest.MonkeyPatch, rows: int = 2, pause: float = 0.03) -> None:
    """Small chunks that take a while on the DB thread: an export long enough to watch."""
    import time

    from proxyshop_desktop.services import export

    monkeypatch.setattr(export, "CHUNK_ROWS", rows)
    real = export._write_chunk

    def slow(*args: Any) -> bool:
        time.sleep(pause)
        return bool(real(*args))

    monkeypatch.setattr(export, "_write_chunk", slow)


def progress_dialog(tab: SalesTab) -> Any:
    from proxyshop_desktop.ui.export_progress import ExportProgressDialog

    found = tab.findChildren(ExportProgressDialog)
    return found[0] if found else None


def test_export_shows_progress_and_keeps_the_loop_free(
    tab: SalesTab, gui_shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    from tests.ui.conftest import until

    orders = [create_order(gui_shop.store) for _ in range(12)]
    run(tab.refresh())
    slow_chunks(monkeypatch)
    target = tmp_path / "all.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    tab.export_csv_button.click()
    dialog = progress_dialog(tab)
    assert dialog is not None and not dialog.isModal()
    assert not tab.export_csv_button.isEnabled()

    async def midway() -> tuple[int, int]:
        await until(lambda: 0 < dialog.value() < 12)
        # the loop is free and the database answers between chunks
        listed = await gui_shop.orders()
        return dialog.value(), len(listed)

    value, listed = run(midway())
    assert 0 < value < 12 and listed == 12
    drain(run, tab._bridge)
    assert len(target.read_text("utf-8").splitlines()) == len(orders) + 1
    assert tab.message.text() == f"Exported 12 orders to {target}"
    assert progress_dialog(tab) is None or not progress_dialog(tab).isVisible()
    assert tab.export_csv_button.isEnabled()


def test_cancel_leaves_no_file_and_the_old_one_untouched(
    tab: SalesTab, gui_shop: Any, run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from tests.ui.conftest import until

    for _ in range(12):
        create_order(gui_shop.store)
    run(tab.refresh())
    slow_chunks(monkeypatch)
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "all.txt"
    target.write_text("yesterday's export\n")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    tab.export_txt_button.click()
    dialog = progress_dialog(tab)
    run(until(lambda: dialog.value() > 0))
    dialog.findChild(QPushButton).click()  # the Cancel button
    drain(run, tab._bridge)
    assert target.read_text() == "yesterday's export\n"
    assert [p.name for p in folder.iterdir()] == ["all.txt"]  # the temp file is gone
    assert tab.message.text() == f"Export cancelled: nothing was written to {target}."
    assert tab.export_txt_button.isEnabled()
