"""The disk fills up while a sync writes: a typed error, nothing half-written, a clean next sync.

Two ways to fill the disk:
- `PRAGMA max_page_count` set to the database's current size on the Store's own connection (its
  one DB thread): from then on SQLite itself answers SQLITE_FULL ("database or disk is full") for
  any write that needs a new page, in the middle of the sync's transaction. Runs everywhere.
- A real, tiny tmpfs (ENOSPC from the kernel) in a private mount namespace (`unshare -m`), for a
  child `proxyshop-desktop sync` exactly as cron runs it. Skipped where mounting is not permitted.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer
from tests.conftest import require
from tests.reliability.breakage import cap_on_worker, fill_the_disk, free_the_disk
from tests.reliability.children import (
    child_env,
    integrity,
    local_ids,
    products,
    query,
    run,
    running_runs,
)

# --- the injection -------------------------------------------------------------------------------


def assert_disk_full_message(error: StorageError, folder: Path) -> None:
    assert f"The disk holding {folder} is full" in error.message, error.message
    assert "not saved" in error.message and "Free some space" in error.hint
    assert "rollback" not in str(error).lower()  # the real cause, not the failed clean-up


# --- in-process: the service ---------------------------------------------------------------------


@pytest.fixture
def shop(sim, make_shop):
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50)


@pytest.mark.asyncio
async def test_disk_full_during_the_sync_write_changes_nothing(sim, shop, data_paths):
    await shop.sync()
    page = await shop.inventory(InventoryQuery(page_size=1))
    await shop.sell(page.rows[0].product_id)
    sim.provider.churn(0.5, seed=3)  # ~40 new proxies: the write needs new pages
    before = products(data_paths.database)
    orders_before = query(data_paths.database, 'SELECT * FROM "order"')
    lists_before = sim.requests.count("list")

    await fill_the_disk(shop.store)
    with pytest.raises(StorageError) as caught:
        await shop.sync()
    assert sim.requests.count("list") > lists_before  # it failed in the write, after the listing
    assert_disk_full_message(caught.value, data_paths.data_dir)
    assert products(data_paths.database) == before  # the transaction rolled back: 0 rows changed
    assert query(data_paths.database, 'SELECT * FROM "order"') == orders_before
    assert running_runs(data_paths.database) == 0
    (last,) = query(data_paths.database,
                    "SELECT status, error FROM sync_run ORDER BY id DESC LIMIT 1")
    assert last[0] == "failed" and "is full" in last[1]
    assert integrity(data_paths.database) == "ok"

    await free_the_disk(shop.store)  # space is back: the next sync is clean
    result = await shop.sync()
    assert result.added > 0 and result.removed > 0
    assert local_ids(data_paths.database) == set(sim.provider.online_ids())
    assert running_runs(data_paths.database) == 0


def _fill_the_audit_page_then_cap(store: Store) -> None:
    """DB thread: add audit rows until the next one needs a new page, then cap the database.
    Now even the sync's failure record (a run update plus an audit row) cannot be written."""
    db = store.db
    pages = lambda: db.execute_sql("PRAGMA page_count").fetchone()[0]  # noqa: E731
    while True:
        before = pages()
        with db.atomic() as transaction:
            audit.record("sync", "Sync failed: The disk holding the data dir is full.", ok=False)
            if pages() > before:
                transaction.rollback()
                break
    cap_on_worker(store)


@pytest.mark.asyncio
async def test_disk_full_even_for_the_failure_record_leaves_no_run_running(sim, shop, data_paths):
    await shop.sync()
    sim.provider.churn(0.5, seed=3)
    before = products(data_paths.database)
    await shop.store.run(_fill_the_audit_page_then_cap, shop.store)
    with pytest.raises(StorageError) as caught:
        await shop.sync()
    assert_disk_full_message(caught.value, data_paths.data_dir)
    assert products(data_paths.database) == before
    assert running_runs(data_paths.database) == 0


# --- in-process: the command line ----------------------------------------------------------------


def test_disk_full_sync_from_the_command_line(sim, data_paths, monkeypatch, capsys):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", sim.base_url)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_SYNC_PAGE_SIZE", "50")
    root_level = logging.getLogger().level
    try:
        assert main(["sync"]) == 0
        sim.provider.churn(0.5, seed=4)
        before = products(data_paths.database)
        capsys.readouterr()

        opened = Store.open

        def open_on_a_full_disk(self: Store) -> list[int]:
            applied = opened(self)
            self.run_blocking(cap_on_worker, self)
            return applied

        monkeypatch.setattr(Store, "open", open_on_a_full_disk)
        code = main(["sync"])
        _out, err = capsys.readouterr()
        assert code == 1, err
        assert "Traceback" not in err and "Logging error" not in err, err
        errors = [line for line in err.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, err
        assert f"The disk holding {data_paths.data_dir} is full" in errors[0]
        assert "Free some space" in errors[0]
        assert products(data_paths.database) == before
        assert running_runs(data_paths.database) == 0

        monkeypatch.setattr(Store, "open", opened)  # space is back
        assert main(["sync"]) == 0
        assert local_ids(data_paths.database) == set(sim.provider.online_ids())
        assert running_runs(data_paths.database) == 0
    finally:
        shutdown_logging()
        logging.getLogger().setLevel(root_level)


# --- a child process on a real, full file system --------------------------------------------------

TMPFS_KB = 4096
#: free space left for the child: enough to open the database, start the run and record its
#: failure (~100 KB measured), far too little for the write of a 50% churn of 2,000 proxies
#: (over 800 KB measured)
RESERVE_KB = 300


def _can_mount_tmpfs(where: Path) -> str | None:
    """None when a private mount namespace with a tmpfs works here, else why not."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return "unshare/mount not installed"
    where.mkdir(parents=True, exist_ok=True)
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o size=64k tmpfs '{where}'"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if probe.returncode != 0:
        return f"cannot mount a tmpfs in a private namespace: {probe.stderr.strip()}"
    return None


@pytest.fixture
def big_sim():
    server = SimulatorServer(SimulatedProvider(proxies=2000, seed=11)).start()
    yield server
    server.stop()


@pytest.mark.slow
def test_a_real_full_disk_under_a_child_sync(big_sim, tmp_path):
    data = tmp_path / "data"
    why_not = _can_mount_tmpfs(tmp_path / "probe")
    require(why_not is None, why_not or "")
    seed_dir = tmp_path / "seed"
    after_fail, after_ok = tmp_path / "after-fail", tmp_path / "after-ok"
    env = child_env(seed_dir, big_sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="500")
    assert run(env, "sync").returncode == 0
    before = products(seed_dir / "proxyshop.sqlite3")
    big_sim.provider.churn(0.5, seed=3)

    data.mkdir()
    # In the namespace: a tmpfs as the data dir, the synced database copied in, the disk filled
    # to RESERVE_KB, a sync (must fail), a copy of what it left; then space back, a sync again.
    py = sys.executable
    script = f"""
set -e
mount -t tmpfs -o size={TMPFS_KB}k,mode=0700 tmpfs '{data}'
cp -a '{seed_dir}/.' '{data}/'
used=$(df -k --output=used '{data}' | tail -1)
dd if=/dev/zero of='{data}/filler' bs=1k count=$(( {TMPFS_KB} - used - {RESERVE_KB} )) 2>/dev/null
set +e
'{py}' -m proxyshop_desktop sync 2>'{tmp_path}/fail.err'
echo $? >'{tmp_path}/fail.rc'
cp -a '{data}'/proxyshop.sqlite3* '{after_fail}/'
rm '{data}/filler'
'{py}' -m proxyshop_desktop sync 2>'{tmp_path}/ok.err'
echo $? >'{tmp_path}/ok.rc'
cp -a '{data}'/proxyshop.sqlite3* '{after_ok}/'
"""
    after_fail.mkdir()
    after_ok.mkdir()
    child = env | {"PROXYSHOP_DATA_DIR": str(data)}
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], env=child,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr

    fail_err = (tmp_path / "fail.err").read_text()
    assert (tmp_path / "fail.rc").read_text().strip() == "1", fail_err
    assert "Traceback" not in fail_err and "Logging error" not in fail_err, fail_err
    errors = [line for line in fail_err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and f"The disk holding {data} is full" in errors[0], fail_err
    failed_db = after_fail / "proxyshop.sqlite3"
    assert integrity(failed_db) == "ok"
    assert products(failed_db) == before  # nothing half-written
    assert running_runs(failed_db) == 0

    ok_err = (tmp_path / "ok.err").read_text()
    assert (tmp_path / "ok.rc").read_text().strip() == "0", ok_err
    assert local_ids(after_ok / "proxyshop.sqlite3") == set(big_sim.provider.online_ids())
    assert os.path.getsize(after_ok / "proxyshop.sqlite3") > 0
