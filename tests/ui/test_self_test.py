"""`--self-test` (what scripts/check-bundle runs in the PyInstaller build): the demo window opens
offscreen in a throw-away data dir, syncs from the embedded simulator, closes, and says so; a
missing icon or a sync that never finishes fails it."""

from __future__ import annotations

import gc
import sys
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest

from proxyshop_desktop import app as app_module
from proxyshop_desktop.ui import self_test


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[None]:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(app_module, "DEMO_PROXIES", 300)  # a short sync
    monkeypatch.setenv("TMPDIR", str(tmp_path))  # where the throw-away data dir goes
    # tempfile caches the folder it found: read TMPDIR afresh now, and give the cached value back
    # afterwards (a later test's temp dirs must not land in this test's owner-only tmp_path).
    monkeypatch.setattr(tempfile, "tempdir", None)
    yield
    gc.collect()  # the run's qasync loop is garbage now: destroy it on the GUI thread


def test_self_test_passes_and_leaves_nothing_behind(qapp: Any, capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Any) -> None:
    code = app_module.run_self_test(["proxyshop-desktop", "--self-test"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.strip() == ("self-test passed: window opened, synced 300 proxies from the embedded "
                           "simulator, icons found, closed cleanly")
    assert list(tmp_path.iterdir()) == []  # the data dir was removed


def test_self_test_fails_when_the_icons_are_missing(qapp: Any, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_test, "icon", lambda _name: QIcon())
    assert app_module.run_self_test() == 1
    err = capsys.readouterr().err
    assert "self-test failed: icons not found: sync, cleanup" in err


def test_self_test_fails_when_no_sync_finishes(qapp: Any, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(self_test, "TIMEOUT_S", 0.2)
    monkeypatch.setattr(self_test.SelfTest, "_status", lambda _self, _status: None)
    assert app_module.run_self_test() == 1
    assert "no sync finished within 0.2 s" in capsys.readouterr().err


def test_a_passed_self_test_leaves_no_timeout_to_fire_later(qapp: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # its timeout fired minutes later in another test, on a window already closed: a crash
    fired: list[str] = []
    monkeypatch.setattr(self_test, "TIMEOUT_S", 1.0)
    monkeypatch.setattr(self_test.SelfTest, "_timed_out", lambda _self: fired.append("timed out"))
    assert app_module.run_self_test() == 0
    QTest.qWait(1500)
    assert fired == []
