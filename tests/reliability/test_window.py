"""The window (pytest-qt, offscreen) under the same faults: a full disk, an unusable data dir at
start, and the token search driven through the UI objects instead of the command line.

The harness (a qasync loop per test, `run`, `bridge`, `main_window`, message boxes answered at
once) is tests/ui/conftest.py's, made visible to this folder by tests/reliability/conftest.py so
that every reliability row stays in this folder.
"""

from __future__ import annotations

import gc
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QLineEdit,
    QTableView,
    QToolButton,
)

from proxyshop_desktop import logging_setup, token_store
from proxyshop_desktop.logging_setup import configure_logging, shutdown_logging
from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from proxyshop_desktop.ui import proxy_check_action, theme
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from proxyshop_desktop.ui.sell_dialog import SellDialog
from proxyshop_desktop.ui.settings_dialog import SettingsDialog
from tests.reliability.breakage import VARIANTS, fill_the_disk, free_the_disk
from tests.reliability.children import local_ids, products, rows_containing, running_runs
from tests.reliability.window_runs import main_windows, run_gui_and_answer_dialogs
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _collect_garbage_on_the_gui_thread() -> Iterator[None]:
    """Set up before the loop fixture, so torn down after it: Qt objects freed on this thread."""
    yield
    gc.collect()


TOKEN = "tok-GUILEAK-5c4b3a"


@pytest.fixture
def gui_shop(sim: Any, make_shop: Any) -> Any:
    """The window's shop reads its token like the real app (keyring, here the memory one): no
    override. The disk-full test sets it in the keyring; the token test types it in Settings."""
    return make_shop(api_url=sim.base_url, token=None, sync_page_size=50)


def _sync(window: Any, state: str, trigger: str = "timer") -> Any:
    async def go() -> None:
        assert window.controller.request_sync(trigger)
        await until(lambda: not window.controller.busy and window.controller.status.state == state,
                    timeout=30, what=f"sync {state}")
        await settle(window.bridge)

    return go()


# --- disk full: the sync status indicator ------------------------------------------------


@pytest.mark.sqlite_only("caps the SQLite file's size on the connection; a full server disk is "
                         "the server's")
def test_disk_full_is_shown_by_the_sync_indicator(main_window: Any, run: Any, sim: Any,
                                                  memory_keyring: Any, data_paths: Any) -> None:
    token_store.set_token(DEMO_TOKEN)
    table = main_window.findChild(QTableView, "inventoryTable")
    run(_sync(main_window, "success"))
    rows = table.model().rowCount()
    sim.provider.churn(0.5, seed=3)
    before = products(data_paths.database)

    run(fill_the_disk(main_window.bridge.shop.store))
    run(_sync(main_window, "error"))
    text = main_window.sync_status.text()
    assert text.startswith(f"Sync failed: The disk holding {data_paths.data_dir} is full"), text
    assert "retry in " in text
    assert "Free some space" in main_window.sync_status.toolTip()
    assert main_window.sync_status.dot.colour() == theme.colour("error").name()
    assert table.model().rowCount() == rows  # the window keeps working on local data
    assert products(data_paths.database) == before
    assert running_runs(data_paths.database) == 0

    run(free_the_disk(main_window.bridge.shop.store))  # space is back
    run(_sync(main_window, "success"))
    assert main_window.sync_status.text().startswith("Synced ")
    assert local_ids(data_paths.database) == set(sim.provider.online_ids())
    assert table.model().rowCount() == len(sim.provider.online_ids())


# --- the window's start with an unusable data dir ------------------------------------------------


#: the variants that break the SQLite file itself (a PostgreSQL shop has none in its data dir)
DATABASE_FILE = [v for v in VARIANTS if v.startswith("database")]


@pytest.mark.parametrize("variant", [v for v in VARIANTS if v not in DATABASE_FILE])
def test_the_window_start_explains_an_unusable_data_dir(variant: str, qapp: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    _explains_at_start(variant, tmp_path, monkeypatch)


@pytest.mark.sqlite_only("the SQLite file in the data dir, broken")
@pytest.mark.parametrize("variant", DATABASE_FILE)
def test_the_window_start_explains_an_unusable_database_file(variant: str, qapp: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch, engine: str) -> None:
    _explains_at_start(variant, tmp_path, monkeypatch)


def _explains_at_start(variant: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "blocker" / "data" if variant.startswith("parent") else tmp_path / "data"
    monkeypatch.setenv("PROXYSHOP_DATA_DIR", str(data))
    blocker = VARIANTS[variant](data)
    code, shown = run_gui_and_answer_dialogs(monkeypatch)
    assert code == 1
    assert [box["name"] for box in shown] == ["startupError"], shown
    (box,) = shown
    assert box["title"] == "ProxyShop cannot start"
    assert str(blocker) in box["text"], box
    assert "PROXYSHOP_DATA_DIR" in box["informative"] or "Move" in box["informative"], box
    assert not [w for w in main_windows() if w.isVisible()]


# --- the token search through the window ------------------------------------------------


def _texts_shown(window: Any) -> list[str]:
    """What the window shows: labels, line edits, status bar, and every cell and tooltip."""
    texts = [w.text() for w in window.findChildren(QLabel)]
    texts += [w.text() for w in window.findChildren(QLineEdit)]
    texts.append(window.statusBar().currentMessage())
    for table in window.findChildren(QTableView):
        model = table.model()
        for row in range(model.rowCount()):
            for column in range(model.columnCount()):
                index = model.index(row, column, QModelIndex())
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if value is not None:
                        texts.append(str(value))
    return texts


def _select_rows(table: QTableView, rows: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        table.selectionModel().select(table.model().index(row, 0), flags)


def test_token_occurs_zero_times_after_the_window_flow(
    main_window: Any, run: Any, sim: Any, data_paths: Any, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str], memory_keyring: Any,
    message_boxes: list[dict[str, str]], engine: str, request: pytest.FixtureRequest,
) -> None:
    window, bridge = main_window, main_window.bridge
    sim.provider.token = TOKEN
    monkeypatch.setattr(logging_setup, "_secrets", set())  # only what the window registers counts
    configure_logging(data_paths, level=logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        # Settings: the token typed in, tested, saved (to the keyring) and applied.
        dialog = SettingsDialog(bridge, window)
        dialog.token_edit.setText(TOKEN)
        assert run(dialog.test_connection()) is True, dialog.test_result.text()
        assert run(dialog.save()) is True
        dialog.close()
        dialog.deleteLater()
        assert memory_keyring.get_password(token_store.SERVICE, token_store.ACCOUNT) == TOKEN

        # Sync now.
        window.findChild(QToolButton, "syncButton").click()
        controller = window.controller
        run(until(lambda: controller.status.state == "success" and not controller.busy,
                  timeout=30, what="first sync"))
        run(settle(bridge))

        # Sell two proxies from the Inventory tab.
        sold: list[CredentialsDialog] = []
        monkeypatch.setattr(CredentialsDialog, "open", lambda d: sold.append(d))

        def accept_sale(d: SellDialog) -> None:
            d.customer_edit.setText("gui-leak-check")
            d.done(QDialog.DialogCode.Accepted)

        monkeypatch.setattr(SellDialog, "open", accept_sale)
        inventory = window.inventory_tab
        _select_rows(inventory.table, [0, 1])
        inventory.sell_button.click()
        run(until(lambda: len(sold) == 1, timeout=30, what="the sale"))
        run(settle(bridge))
        orders = run(bridge.shop.orders())
        assert len(orders) == 2 and {o.status for o in orders} == {"sold"}
        # A good sync once there are orders writes the day's backup.
        run(_sync(window, "success"))
        run(settle(bridge))

        # Export CSV and TXT from the Sales tab.
        sales = window.sales_tab
        run(sales.refresh())
        targets = iter([data_paths.exports_dir / "sold.csv", data_paths.exports_dir / "sold.txt"])
        monkeypatch.setattr(QFileDialog, "getSaveFileName",
                            staticmethod(lambda *_a: (str(next(targets)), "")))
        for button in (sales.export_csv_button, sales.export_txt_button):
            button.click()
            run(until(lambda: not bridge.is_running("sales.export"), what="the export"))
        run(settle(bridge))

        # Refunds: a refused check (still online), then a refund once the proxy went offline.
        refunds = window.refunds_tab
        monkeypatch.setattr(proxy_check_action, "ask_refund", lambda *_a, **_k: "yes")  # confirmed
        run(refunds.refresh())
        first = orders[0]
        refunds.table.selectRow(refunds.model.row_of(first.order_id))
        refunds.check_button.click()
        run(until(lambda: "cannot be refunded" in refunds.answer.text(), what="the refused check"))
        run(settle(bridge))
        sim.provider.set_purchased_proxy_offline(first.credentials_id)
        refunds.table.selectRow(refunds.model.row_of(first.order_id))
        refunds.refund_button.click()
        run(until(lambda: "Refunded" in refunds.answer.text(), timeout=30, what="the refund"))
        run(settle(bridge))
        assert run(bridge.shop.order(first.order_id)).status == "refunded"

        # Reconcile from the Sales tab, then a sync the provider refuses (401).
        sales.reconcile_button.click()
        run(until(lambda: not bridge.is_running("sales.reconcile"), what="reconcile"))
        sim.faults.add("*", faults.status(401, {"error": "bad token"}), times="always")
        run(_sync(window, "error"))
        assert "401" in window.sync_status.text()
        sim.faults.clear()
        shown = _texts_shown(window)
        window.close()  # writes window.ini
        run(settle(bridge))
    finally:
        shutdown_logging()
    out, err = capfd.readouterr()

    files = [p for p in data_paths.data_dir.rglob("*") if p.is_file()]
    names = {p.name for p in files}
    assert {"window.ini", "settings.json", "sold.csv", "sold.txt", "proxyshop.log"} <= names, names
    assert any(p.parent == data_paths.backups_dir for p in files), names
    if engine == "sqlite":  # the search reads the shop's rows in its file (and its WAL)
        assert {data_paths.database.name, data_paths.database.name + "-wal"} <= names, names
    found = {str(p): p.read_bytes().count(TOKEN.encode()) for p in files}
    found["stdout+stderr"] = out.count(TOKEN) + err.count(TOKEN)
    found["caplog"] = caplog.text.count(TOKEN) + sum(
        r.getMessage().count(TOKEN) + (r.exc_text or "").count(TOKEN) for r in caplog.records)
    found["window texts"] = sum(text.count(TOKEN) for text in shown)
    found["message boxes"] = sum(str(box).count(TOKEN) for box in message_boxes)
    found.update(rows_containing(TOKEN))
    assert sum(found.values()) == 0, {k: v for k, v in found.items() if v}
    # the search would have seen secrets: the exports carry the sold credentials, the log the run
    bought = sim.provider.bought()
    exported = (data_paths.exports_dir / "sold.txt").read_bytes()
    assert any(b["password"].encode() in exported for b in bought)
    assert (data_paths.logs_dir / "proxyshop.log").stat().st_size > 0
    if engine == "sqlite":
        assert os.path.getsize(data_paths.database) > 0
