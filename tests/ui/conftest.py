"""Window tests on a qasync loop, against the simulated provider on a real loopback port.

pytest-qt has no qasync support, so (as in qasync's own tests/test_qeventloop.py) each test gets a
fresh `qasync.QEventLoop(qapp)`; test steps run inside it with `run(coro)`. Between steps the loop
stays registered as asyncio's *running* loop: pytest-qt processes Qt events on its own (e.g. at
teardown), and qasync steps tasks from Qt timer events, which need a running loop. Exceptions
that tasks or asyncSlots would swallow (loop exception handler, sys.excepthook, an error logged
by proxyshop_desktop.ui, e.g. the bridge's "background task failed") fail the test at teardown.

Python's cyclic garbage collector may run on any thread (the DB worker, the simulator's), and a
Qt object destroyed off its thread leaves its timers registered: the next timer event then
crashes in QTimerInfoList::activateTimers (seen here with old qasync loops, which keep a Qt timer
per call_later until it fires). So automatic GC is off from the loop fixture's set-up until
pytest has dropped the test's fixture values; then `pytest_runtest_logfinish` collects on the
main thread, where destroying the closed loop also unregisters its timers (Qt does that for an
object destroyed on its own thread), and gives GC back. Only public qasync API is used.

Never use qtbot.wait*/waitSignal here: they spin Qt outside the asyncio loop, where tasks cannot
run. Use `await until(predicate)` inside `run(...)` instead.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

import pytest
import qasync
import shiboken6
from PySide6.QtWidgets import QMessageBox

T = TypeVar("T")
DEFAULT_TIMEOUT = 20.0


class _ErrorRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _TestLoop(qasync.QEventLoop):  # type: ignore[misc, valid-type]
    """A qasync loop that stays asyncio's running loop between `run()` calls.

    qasync resets the running loop when run_forever returns, and run_until_complete then
    processes pending Qt events once more: a task step fired from there would find no running
    loop. Tests also let pytest-qt process events outside `run()`."""

    def run_forever(self) -> Any:
        try:
            return super().run_forever()
        finally:
            asyncio.events._set_running_loop(self)


#: set by a loop fixture's teardown: whether GC was enabled before it (restored once collected)
_collect_after_test: list[bool] = []


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    """After the test's fixture values are dropped, its closed loop is garbage: free it here."""
    if _collect_after_test:
        gc_was_enabled = _collect_after_test.pop()
        gc.collect()  # here, on the main thread
        if gc_was_enabled:
            gc.enable()


@pytest.fixture
def loop(qapp: Any) -> Iterator[qasync.QEventLoop]:
    gc_was_enabled = gc.isenabled()
    gc.disable()
    lp = _TestLoop(qapp)
    asyncio.set_event_loop(lp)
    swallowed: list[BaseException] = []

    def handler(_loop: Any, context: dict[str, Any]) -> None:
        swallowed.append(context.get("exception") or AssertionError(context.get("message")))

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        swallowed.append(exc)

    lp.set_exception_handler(handler)
    asyncio.events._set_running_loop(lp)
    original_hook = sys.excepthook
    sys.excepthook = excepthook
    bridge_errors = _ErrorRecords()
    logging.getLogger("proxyshop_desktop.ui").addHandler(bridge_errors)
    try:
        yield lp
    finally:
        sys.excepthook = original_hook
        logging.getLogger("proxyshop_desktop.ui").removeHandler(bridge_errors)
        pending = [t for t in asyncio.all_tasks(lp) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            lp.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        asyncio.events._set_running_loop(None)
        lp.close()
        asyncio.set_event_loop(None)
        del lp
        _collect_after_test.append(gc_was_enabled)
    if swallowed:
        raise swallowed[0]
    if bridge_errors.records:
        record = bridge_errors.records[0]
        pytest.fail(f"error logged by {record.name}: {record.getMessage()}\n{record.exc_text or ''}")


@pytest.fixture
def run(loop: qasync.QEventLoop) -> Callable[..., Any]:
    """run(coro, timeout=20) -> its result, on the test's qasync loop."""

    def runner(coro: Awaitable[T], timeout: float = DEFAULT_TIMEOUT) -> T:
        return loop.run_until_complete(asyncio.wait_for(coro, timeout))

    return runner


async def until(predicate: Callable[[], Any], timeout: float = 10.0, what: str = "") -> Any:
    """Let the loop run until predicate() is truthy; returns its value."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.01)


async def settle(bridge: Any, timeout: float = 10.0) -> None:
    """Wait until the bridge runs no task (refreshes, syncs) any more."""
    await until(lambda: not [t for t in bridge._tasks.values() if not t.done()], timeout, "idle bridge")


@pytest.fixture(autouse=True)
def _english_window(qapp: Any) -> Iterator[None]:
    """The window as the app shows it in English: its translators installed, so counted phrases
    take the English plural forms ("1 order", "2 orders") from proxyshop_en.qm."""
    from PySide6.QtCore import QLocale

    from proxyshop_desktop.ui.translations import install_translators, remove_translators

    install_translators(qapp, QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    yield
    remove_translators(qapp)


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, str]]:
    """Every QMessageBox.exec() is recorded and answered OK at once: nothing blocks a test."""
    shown: list[dict[str, str]] = []

    def fake_exec(box: QMessageBox) -> int:
        shown.append({
            "name": box.objectName(), "title": box.windowTitle(), "text": box.text(),
            "informative": box.informativeText(), "details": box.detailedText(),
        })
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    return shown


@pytest.fixture
def gui_shop(sim: Any, make_shop: Callable[..., Any]) -> Any:
    """An open Shop on the simulated provider (300 proxies, pages of 50)."""
    from proxyshop_desktop.simulator import DEMO_TOKEN

    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50)


@pytest.fixture
def bridge(gui_shop: Any, loop: qasync.QEventLoop) -> Iterator[Any]:
    from proxyshop_desktop.ui.bridge import ShopBridge

    b = ShopBridge(gui_shop)
    yield b
    run_now(loop, b.shutdown())
    run_now(loop, gui_shop.reset_client())  # the HTTP client belongs to this loop


@pytest.fixture
def main_window(bridge: Any, qtbot: Any, loop: qasync.QEventLoop) -> Iterator[Any]:
    """The window, shown, its tabs loaded; no first sync (tests start syncs themselves)."""
    from proxyshop_desktop.ui.main_window import MainWindow

    window = MainWindow(bridge)  # not qtbot.addWidget: it would delete the window before shutdown
    window.show()

    async def start() -> None:
        window.start(first_sync=False)
        await settle(bridge)

    run_now(loop, start())
    yield window
    if shiboken6.isValid(window):
        run_now(loop, window.shutdown())
        window.close()
        window.deleteLater()


def run_now(lp: qasync.QEventLoop, coro: Awaitable[T]) -> T:
    """`run` for fixtures."""
    return lp.run_until_complete(asyncio.wait_for(coro, DEFAULT_TIMEOUT))


@pytest.fixture
def synced_inventory_tab(main_window: Any, run: Any) -> Any:
    """The Inventory tab after one sync of the simulator's 300 proxies."""
    async def sync() -> None:
        assert main_window.controller.request_sync("manual")
        await until(lambda: main_window.controller.status.state == "success" and not main_window.controller.busy)
        await settle(main_window.bridge)

    run(sync())
    return main_window.inventory_tab
