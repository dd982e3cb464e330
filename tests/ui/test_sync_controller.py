"""The sync controller: timer, one-at-a-time, states and texts, tray notifications."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from proxyshop_desktop.errors import SyncedElsewhereError
from proxyshop_desktop.simulator import faults
from proxyshop_desktop.ui.sync_controller import SyncController, SyncStatus
from proxyshop_desktop.ui.sync_status import SyncStatusWidget, status_text
from tests.factories import create_order
from tests.ui.conftest import settle, until

ON_BOTH_ENGINES = True


@pytest.fixture
def window(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.fixture
def controller(bridge: Any, window: QWidget) -> SyncController:
    return SyncController(bridge, window)


def _finish(controller: SyncController) -> Any:
    return until(lambda: not controller.busy and controller.status.state in ("success", "error", "no_token"))


def test_timer_interval_follows_the_settings(controller: SyncController, bridge: Any, window: QWidget,
                                             run: Any) -> None:
    timer = controller.timer
    assert timer.objectName() == "syncTimer" and timer.parent() is window
    assert timer.interval() == 5 * 60_000
    controller.start(first_sync=False)
    assert timer.isActive()
    run(bridge.shop.apply_settings(bridge.shop.settings.model_copy(update={"sync_interval_minutes": 7})))
    bridge.settingsChanged.emit()
    assert timer.interval() == 7 * 60_000
    assert timer.isActive()
    assert 6 * 60 < controller.seconds_to_next() <= 7 * 60


def test_timer_timeout_runs_a_timer_sync(controller: SyncController, bridge: Any, run: Any) -> None:
    async def scenario() -> None:
        controller.start(first_sync=False)
        controller.timer.setInterval(20)  # let the real QTimer fire
        controller.timer.start()
        await until(lambda: controller.status.state == "syncing", what="timer sync")
        await _finish(controller)
        await settle(bridge)

    run(scenario())
    runs = run(bridge.shop.sync_history(5))
    assert [(r.kind, r.trigger, r.status) for r in runs] == [("sync", "timer", "success")]
    assert controller.timer.interval() == 5 * 60_000  # back to the configured interval afterwards


def test_progress_is_reported_per_page(controller: SyncController, bridge: Any, run: Any) -> None:
    seen: list[SyncStatus] = []
    controller.statusChanged.connect(seen.append)

    async def scenario() -> None:
        controller.request_sync("manual")
        await _finish(controller)

    run(scenario())
    listing = [s for s in seen if s.state == "syncing" and s.phase == "listing" and s.pages]
    assert listing and max(s.fetched for s in listing) >= 50  # pages of 50
    assert listing[-1].expected and listing[-1].expected >= listing[-1].pages - 1  # "page N of M"
    assert seen[-1].state == "success"


def test_a_burst_of_pages_repaints_the_status_once_then_the_latest(controller: SyncController, run: Any) -> None:
    """A page every few ms (1,000 pages at 200,000 proxies) must not relayout and repaint the
    status bar per page: the first report shows at once, the rest as one, the latest, a moment
    later; a new phase shows at once."""
    from proxyshop_desktop.services.results import SyncProgress
    from proxyshop_desktop.ui import sync_controller

    seen: list[SyncStatus] = []
    controller._set_status(SyncStatus("syncing", phase="listing"))
    controller.statusChanged.connect(seen.append)
    for page in range(1, 51):
        controller._progressArrived.emit(SyncProgress(page, page * 200, "listing", 60))
    assert [s.pages for s in seen] == [1]
    run(until(lambda: len(seen) == 2, timeout=sync_controller.PROGRESS_MS / 1000 + 2))
    assert (seen[-1].pages, seen[-1].fetched, seen[-1].expected) == (50, 10_000, 60)
    controller._progressArrived.emit(SyncProgress(55, 11_000, "listing", 60))
    controller._progressArrived.emit(SyncProgress(60, 12_000, "writing", 60))
    # the listing's last figures, then the new phase at once (the Cancel button goes)
    assert [(s.phase, s.pages) for s in seen[2:]] == [("listing", 55), ("writing", 60)]
    run(asyncio.sleep(sync_controller.PROGRESS_MS / 1000 * 2))
    assert len(seen) == 4


def test_request_while_running_is_ignored(controller: SyncController, bridge: Any, run: Any, sim: Any) -> None:
    sim.faults.add("list", faults.delay(0.3), times=1)
    busy: list[bool] = []
    controller.busyChanged.connect(busy.append)

    async def scenario() -> None:
        assert controller.request_sync("manual") is True
        assert controller.request_sync("manual") is False
        assert controller.request_cleanup() is False
        await _finish(controller)
        await settle(bridge)

    run(scenario())
    assert busy == [True, False]
    assert len([r for r in run(bridge.shop.sync_history(5)) if r.kind == "sync"]) == 1


def test_health_notifications_once_per_change(controller: SyncController, bridge: Any, run: Any,
                                              sim: Any) -> None:
    messages: list[tuple[str, str, bool]] = []
    controller.trayMessage.connect(lambda *m: messages.append(m))

    def sync() -> None:
        async def go() -> None:
            controller.request_sync("timer")
            await _finish(controller)
        run(go())

    sync()  # a first success is not a "recovery"
    assert messages == []
    sim.faults.add("list", faults.status(500), times="always")
    sync()
    sync()
    sim.faults.clear()
    sync()
    sync()
    assert [m[0] for m in messages] == ["Provider sync failing", "Provider sync recovered"]
    assert "HTTP 500" in messages[0][1] and messages[0][2] is True


def test_no_token_says_so(make_shop: Any, sim: Any, window: QWidget, loop: Any, run: Any) -> None:
    from proxyshop_desktop.ui.bridge import ShopBridge

    shop = make_shop(api_url=sim.base_url, token=None)
    bridge = ShopBridge(shop)
    controller = SyncController(bridge, window)
    widget = SyncStatusWidget(controller, window)

    async def scenario() -> None:
        controller.request_sync("timer")
        await _finish(controller)
        await bridge.shutdown()
        await shop.reset_client()

    run(scenario())
    assert controller.status.state == "no_token"
    assert widget.text() == "No API token: set it in Settings"
    assert sim.requests.count() == 0


def test_last_run_of_a_previous_session_is_shown(controller: SyncController, bridge: Any, window: QWidget,
                                                 run: Any) -> None:
    async def scenario() -> SyncController:
        controller.request_sync("manual")
        await _finish(controller)
        later = SyncController(bridge, window)  # as after a restart
        await later.load_last_run()
        return later

    later = run(scenario())
    assert later.status.state == "success"
    assert later.status.total == controller.status.total > 0


def test_cleanup_reports_and_restores_the_sync_state(controller: SyncController, bridge: Any, run: Any,
                                                     sim: Any) -> None:
    notices: list[tuple[str, str]] = []
    bridge.notice.connect(lambda title, text: notices.append((title, text)))

    async def scenario() -> None:
        controller.request_sync("manual")
        await _finish(controller)
        sim.provider.set_offline(sim.provider.online_ids()[0])
        assert controller.request_cleanup()
        assert controller.status.state == "cleaning"
        await until(lambda: not controller.busy)
        await settle(bridge)

    run(scenario())
    assert controller.status.state == "success"
    assert notices[-1][0] == "Cleanup finished" and "1" in notices[-1][1]


# --- the indicator's text -------------------------------------------------------------------------

def test_status_texts() -> None:
    finished = datetime.now(UTC)
    clock = finished.astimezone().strftime("%H:%M")
    assert status_text(SyncStatus("syncing", pages=7, fetched=1400, phase="listing"), 100) == \
        "Syncing… page 7 · 1,400 proxies"
    assert status_text(SyncStatus("syncing", pages=7, fetched=1400, phase="listing", expected=12), 100) == \
        "Syncing… page 7 of 12 · 1,400 proxies"
    assert status_text(SyncStatus("syncing", phase="writing", fetched=2991), None) == "Syncing… saving 2,991 proxies"
    assert status_text(SyncStatus("success", finished_at=finished, total=2991, added=3, removed=1), 252) == \
        f"Synced {clock} · 2,991 proxies (+3 −1) · next in 4:12"
    assert status_text(SyncStatus("error", reason="The provider rejected the API token (HTTP 401)."), 299) == \
        "Sync failed: The provider rejected the API token (HTTP 401) · retry in 4:59"
    assert status_text(SyncStatus("error", reason="Disk full.", action="cleanup"), None) == "Cleanup failed: Disk full"
    assert status_text(SyncStatus("idle"), 60) == "Not synced yet · next in 1:00"
    elsewhere = SyncStatus("idle", reason="Synced by anna@host 12 s ago (another machine is running it now).")
    assert status_text(elsewhere, 60) == \
        "Synced by anna@host 12 s ago (another machine is running it now) · next in 1:00"
    old = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    assert status_text(SyncStatus("success", finished_at=old), None).startswith(
        "Synced " + old.astimezone().strftime("%Y-%m-%d %H:%M"))


def test_a_good_sync_takes_the_daily_backup_once(controller: SyncController, bridge: Any, run: Any) -> None:
    from proxyshop_desktop.models.backup import list_backups

    async def sync_once() -> None:
        controller.request_sync("manual")
        await _finish(controller)
        await settle(bridge)

    def daily() -> list[Any]:
        return [p for p in list_backups(bridge.shop.paths.backups_dir) if p.stem.endswith("-daily")]

    run(sync_once())
    assert daily() == []  # no order yet: nothing a sync could not fetch again
    create_order(bridge.shop.store, status="sold")
    run(sync_once())
    run(sync_once())
    assert len(daily()) == 1


def test_cancel_while_listing_changes_nothing(controller: SyncController, bridge: Any, window: QWidget,
                                              run: Any, sim: Any) -> None:
    run(bridge.shop.sync())
    sim.provider.churn(0.3, seed=2)  # a finished sync would now change rows
    sim.faults.add("list", faults.delay(10, on_page=3))  # the listing stalls at page 3
    widget = SyncStatusWidget(controller, window)
    notices: list[tuple[str, str]] = []
    bridge.notice.connect(lambda *n: notices.append(n))

    async def rows() -> list[tuple]:
        return await bridge.shop.store.run(
            lambda: bridge.shop.store.db.execute_sql("SELECT * FROM product ORDER BY id").fetchall())

    snapshot = run(rows())

    async def scenario() -> None:
        controller.request_sync("manual")
        await until(lambda: controller.status.phase == "listing" and controller.status.pages >= 2,
                    what="listing pages")
        assert widget.cancel_button.isVisibleTo(window)
        widget.cancel_button.click()
        await until(lambda: not controller.busy, what="cancelled")
        await settle(bridge)

    run(scenario())
    assert run(rows()) == snapshot
    assert notices and notices[-1][0] == "Sync cancelled"
    assert controller.status.state == "idle"  # the outcome before it, shown again
    assert not widget.cancel_button.isVisibleTo(window)
    last = run(bridge.shop.sync_history(1))[0]
    assert (last.status, last.error) == ("failed", "Cancelled.")


def test_a_timed_sync_meeting_another_machine_is_not_a_failure(controller: SyncController) -> None:
    messages: list[tuple[str, str, bool]] = []
    controller.trayMessage.connect(lambda *m: messages.append(m))
    states: list[SyncStatus] = []
    controller.statusChanged.connect(states.append)
    controller._failed(SyncedElsewhereError("Synced by anna@host 3 s ago (another machine is running it now)."),
                       manual=False)
    assert states[-1].state == "idle" and states[-1].reason.startswith("Synced by anna@host 3 s ago")
    assert messages == []  # no "Provider sync failing"
