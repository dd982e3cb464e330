"""On a shared database the window says whose it is and which shop it works on (issue 11): the
title and a permanent status-bar mark read "operator @ host:port/dbname". On SQLite the title
stays "ProxyShop" and there is no mark."""

from __future__ import annotations

from typing import Any

import pytest

from proxyshop_desktop import operator
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.ui.main_window import window_title
from tests.ui.conftest import settle


def test_the_title_names_operator_and_server_only_on_a_shared_database() -> None:
    assert window_title(False, "anna", None) == "ProxyShop"
    assert window_title(False, "anna", "db.example:5432/shop") == "ProxyShop — anna @ db.example:5432/shop"
    assert window_title(True, "anna", "db.example:5432/shop") == (
        "ProxyShop — DEMO (simulated provider) — anna @ db.example:5432/shop")
    assert window_title(True, "anna", None) == "ProxyShop — DEMO (simulated provider)"


def test_a_window_on_sqlite_keeps_its_title_and_shows_no_mark(main_window: Any) -> None:
    assert main_window.windowTitle() == "ProxyShop"
    assert not main_window.identity_mark.isVisible()


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_a_window_on_postgresql_names_its_operator_and_server(
    engine: str, main_window: Any, run: Any, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(operator, "_configured", operator._configured)  # the process-wide name, restored
    target = main_window.bridge.shop.store.target  # the shop's own database (tests reuse one)
    assert target is not None
    server = f"{target.host}:{target.port}/{target.dbname}"
    default = current_operator()  # user@host: no operator_name set
    assert main_window.windowTitle() == f"ProxyShop — {default} @ {server}"
    mark = main_window.identity_mark
    assert mark.isVisible() and mark.text() == f"{default} @ {server}"
    assert "every sale and refund made here records that name" in mark.toolTip()

    bridge = main_window.bridge  # the operator renames themself in Settings › Database
    run(bridge.shop.apply_settings(bridge.shop.settings.model_copy(update={"operator_name": "<b>anna</b>"})))
    bridge.settingsChanged.emit()
    run(settle(bridge))
    assert main_window.windowTitle() == f"ProxyShop — <b>anna</b> @ {server}"
    assert mark.text() == f"<b>anna</b> @ {server}"
    assert "&lt;b&gt;anna&lt;/b&gt;" in mark.toolTip()  # a name is shown as text, never as markup
