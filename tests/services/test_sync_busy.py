"""A `sync` (cron's, the window's timer) that meets another process's sync: not a failure.

The other process holds the data dir's sync lock (on PostgreSQL the shop-wide advisory lock:
tests/services/test_several_machines.py); the command says whose run it is and exits 0.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from proxyshop_desktop import operator
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import SyncedElsewhereError
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.services import runs
from tests.cli.cli_runs import run_cli
from tests.services.sync_helpers import open_ctx


@pytest.fixture
def held(data_paths: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Another process's sync: its lock held, and (`started()`) its run recorded as anna's."""
    monkeypatch.setattr(runs, "LOCK_WAIT_SECONDS", 0.2)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", "https://provider.test/api/v1/authorized")
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", "busy-test-token")  # never used: no request

    def started() -> None:
        ctx = open_ctx(data_paths)
        operator.configure("anna")
        try:
            ctx.store.run_blocking(runs.start_run, "sync", None, "timer", utcnow() - timedelta(seconds=12))
        finally:
            operator.configure("")
            ctx.store.close()  # before the command opens the file: our close must not drop its locks

    lock = FileLock(data_paths.sync_lock, what="a sync")
    lock.acquire()
    yield started
    lock.release()


def test_a_cron_sync_meeting_another_processes_sync_says_whose_and_exits_0(held, capsys):
    held()
    code, out, err = run_cli(capsys, "sync")
    assert (code, err) == (0, "")
    assert out.startswith("Synced by anna 1") and "another ProxyShop process is running it now" in out
    assert len(out.splitlines()) == 1


def test_its_json_says_skipped_with_the_reason(held, capsys):
    held()
    code, out, err = run_cli(capsys, "sync", "--json")
    data = json.loads(out)
    assert (code, err, data["status"]) == (0, "", "skipped")
    assert data["reason"].startswith("Synced by anna ") and data["hint"]


def test_before_the_other_run_is_recorded_it_only_says_a_sync_runs(held, capsys):
    code, out, _ = run_cli(capsys, "sync", "--json")
    assert code == 0 and json.loads(out)["reason"] == "Another ProxyShop process is running a sync."


def test_the_skipped_sync_records_no_run_and_no_failure(held, data_paths, capsys):
    held()
    run_cli(capsys, "sync")
    ctx = open_ctx(data_paths)
    try:
        rows = ctx.store.run_blocking(
            lambda: ctx.store.db.execute_sql("SELECT status, operator FROM sync_run").fetchall()
        )
    finally:
        ctx.store.close()
    assert rows == [("running", "anna")]  # only the other process's run


@pytest.mark.asyncio
async def test_the_service_raises_synced_elsewhere_for_the_window(held, data_paths):
    # the window's timed sync shows this as its status, not as an error (ui/sync_controller.py)
    held()
    ctx = open_ctx(data_paths)
    try:
        with pytest.raises(SyncedElsewhereError, match=r"^Synced by anna \d+ s ago"):
            async with runs.sync_lock(ctx):
                pass
    finally:
        ctx.store.close()
