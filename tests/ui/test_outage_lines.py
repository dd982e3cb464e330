"""While the database is away every tab says so in one short line naming the cause, with all of
the driver's multi-line error in the line's tooltip, and no tab (nor the status indicator, for a
long sync error) grows wider than it was: the window keeps its size."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest

from proxyshop_desktop.errors import DatabaseUnavailableError, ShopError
from proxyshop_desktop.models.database import ShopDatabase
from proxyshop_desktop.ui.problem_line import clip, problem_line
from proxyshop_desktop.ui.sync_controller import SyncStatus
from tests.ui.conftest import settle, until

#: psycopg's words for a server that is gone: two lines, the second indented with a tab
DRIVER = ('Cannot reach the database server 127.0.0.1:5999: connection failed: connection to server at '
          '"127.0.0.1", port 5999 failed: Connection refused\n\tIs the server running on that host and '
          'accepting TCP/IP connections?')


def test_an_outage_is_one_short_line_and_all_of_it_is_in_the_details() -> None:
    exc = DatabaseUnavailableError(DRIVER, "Check that the server runs.")
    line, details = problem_line("Could not load orders: {0}", exc)
    assert line == "Could not load orders: the database is unavailable"
    assert DRIVER in details and "Check that the server runs." in details
    assert "Nothing was half-saved" in details


def test_another_error_is_cut_at_a_word_to_one_line() -> None:
    words = "The provider answered with something long " * 5
    line, details = problem_line("Reconcile failed: {0}", ShopError(words + "\nsecond line", "Try later."))
    assert "\n" not in line and line.endswith("…") and len(line) < 110
    assert line.startswith("Reconcile failed: The provider answered with something long The")
    assert "second line" in details and "Try later." in details
    assert clip("short.\n\tand more") == "short. and more"
    assert clip("x" * 200, 10) == "x" * 10 + "…"  # no space to cut at: cut anyway
    line, details = problem_line("Could not load orders: {0}", KeyError("a bug"))
    assert line == "Could not load orders: Unexpected error (KeyError); see the log file."


@pytest.fixture
def failing_database(monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
    """The shop's SQLite file fails with a driver error while `on` (the disk, say)."""
    failing = {"on": False}
    real = ShopDatabase.execute_sql

    def execute_sql(self: ShopDatabase, sql: str, params: Any = None, *args: Any) -> Any:
        if failing["on"]:
            raise sqlite3.OperationalError("disk I/O error\n\tsecond line of the driver's message")
        return real(self, sql, params, *args)

    monkeypatch.setattr(ShopDatabase, "execute_sql", execute_sql)
    return failing


def test_every_tab_says_it_in_one_line_and_keeps_its_width(
    main_window: Any, run: Any, failing_database: dict[str, bool]
) -> None:
    sales, refunds, stats = main_window.sales_tab, main_window.refunds_tab, main_window.stats_tab
    lines = {"sales": sales.message, "refunds": refunds.message, "stats": stats.error_label}
    tabs = {"sales": sales, "refunds": refunds, "stats": stats}
    widths = {name: tab.minimumSizeHint().width() for name, tab in tabs.items()}
    main_window.tabs.setCurrentWidget(stats)  # the Stats tab loads while it is shown

    failing_database["on"] = True
    main_window.bridge.ordersChanged.emit()  # another machine's sale: every tab reads again
    stats.schedule_refresh()
    run(until(lambda: all(label.text() for label in lines.values()), what="every tab's line"))
    run(settle(main_window.bridge))
    assert sales.message.text() == "Could not load orders: the database is unavailable"
    assert refunds.message.text() == "Could not load orders: the database is unavailable"
    assert stats.error_label.text() == "Could not load the figures: the database is unavailable"
    for name, label in lines.items():
        assert "disk I/O error" in label.toolTip() and "Nothing was half-saved" in label.toolTip(), name
        assert label.isVisibleTo(tabs[name]), name
    assert {name: tab.minimumSizeHint().width() for name, tab in tabs.items()} == widths

    failing_database["on"] = False  # back: the lines and their tooltips go
    main_window.bridge.ordersChanged.emit()
    stats.schedule_refresh()
    run(until(lambda: not sales.message.text() and not refunds.message.text(), what="recovery"))
    run(settle(main_window.bridge))
    assert not sales.message.toolTip() and not refunds.message.toolTip()
    assert not stats.error_label.isVisibleTo(stats)


def test_a_long_sync_error_is_cut_in_the_indicator_never_widening_the_window(main_window: Any, run: Any) -> None:
    indicator = main_window.sync_status
    before, width = main_window.minimumSizeHint().width(), main_window.width()
    reason = "The provider says: " + "this sentence goes on and on " * 30 + "\nand on a second line."
    main_window.controller._set_status(SyncStatus("error", reason=reason, hint="Wait and try again."))
    run(asyncio.sleep(0.1))  # the status bar lays itself out
    assert indicator.text().startswith("Sync failed: The provider says: this sentence")  # all of it
    assert "\n" not in indicator.text()
    # Qt's status bar clips what does not fit rather than widen the window: the line is cut with
    # "…" instead, and asks the bar for no more room than the window has.
    assert main_window.statusBar().minimumSizeHint().width() < before
    assert main_window.width() == width
    assert indicator.label.is_elided()
    tip = indicator.label.toolTip()
    assert "and on a second line" in tip and "Wait and try again." in tip

    main_window.controller._set_status(SyncStatus("idle"))  # short again: shown whole, tooltip only the hint
    run(asyncio.sleep(0.1))
    assert not indicator.label.is_elided()
    assert "Not synced yet" not in indicator.label.toolTip()


def test_the_activity_log_says_it_in_its_count_line_and_keeps_its_width(
    main_window: Any, run: Any, failing_database: dict[str, bool]
) -> None:
    activity = main_window.activity_tab
    main_window.tabs.setCurrentWidget(activity)
    run(activity.refresh())
    width = main_window.minimumSizeHint().width()

    failing_database["on"] = True
    run(activity.refresh())
    assert activity.count_label.text() == "Could not load the activity log: the database is unavailable"
    assert "disk I/O error" in activity.count_label.toolTip()
    assert main_window.minimumSizeHint().width() == width  # it widened the window to 1615 px before

    failing_database["on"] = False
    run(activity.refresh())
    assert activity.count_label.text().endswith("events") and not activity.count_label.toolTip()
