"""Two `proxyshop-desktop` processes on one data dir (the window plus a cron job, say)."""

from __future__ import annotations

import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN
from tests.reliability.children import (
    child_env,
    finish,
    hold_list_request,
    integrity,
    query,
    run,
    run_json,
    spawn,
    wait_for,
)

pytestmark = pytest.mark.slow
ON_BOTH_ENGINES = True

#: what a sync meeting the other's says, on stdout, exiting 0 (cron mails no failure): whose run it
#: met, or only that one runs when that run has not recorded itself yet
BUSY = ("(another ProxyShop process is running it now)", "Another ProxyShop process is running a sync.")


@pytest.fixture
def env(sim, data_paths):
    return child_env(data_paths.data_dir, sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="50")


def test_two_syncs_at_once_never_crash_and_leave_one_inventory(sim, env, data_paths):
    assert run(env, "stats").returncode == 0
    for _ in range(3):
        results = finish([spawn(env, "sync"), spawn(env, "sync")])
        for code, _out, err in results:
            assert "Traceback" not in err and "database is locked" not in err, err
            assert code == 0 and "error:" not in err, (code, err)
        skipped = [out for _code, out, _err in results if any(words in out for words in BUSY)]
        assert len(skipped) <= 1, results  # at least one of the two synced
    assert integrity(data_paths.database) == "ok"
    local = {row[0] for row in query(data_paths.database, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())
    assert query(data_paths.database, "SELECT count(*) FROM sync_run WHERE status = 'running'") == [(0,)]


def test_one_product_sold_by_two_processes_is_sold_once(sim, env, data_paths):
    assert run(env, "sync").returncode == 0
    products = run_json(env, "inventory", "--page-size", "3")["proxies"]
    for rounds, product in enumerate(products, start=1):
        pid = str(product["product_id"])
        results = finish([spawn(env, "sell", pid), spawn(env, "sell", pid)])
        codes = sorted(code for code, _, _ in results)
        for _code, _out, err in results:
            assert "Traceback" not in err and "database is locked" not in err, err
        assert codes[0] == 0 and codes[1] != 0, results
        loser = next(err for code, _, err in results if code != 0)
        assert len([line for line in loser.splitlines() if line.startswith("error: ")]) == 1, loser
        assert sim.requests.count("buy") == rounds  # the loser never reached the provider
    assert len(sim.provider.bought()) == len(products)
    sold = query(data_paths.database, "SELECT proxy_id FROM \"order\" WHERE status = 'sold'")
    assert len(sold) == len(products) == len({row[0] for row in sold})
    assert integrity(data_paths.database) == "ok"


def test_two_processes_starting_on_a_new_data_dir_both_migrate_cleanly(sim, tmp_path):
    # Each round a brand-new data dir: both processes race to create and migrate the database.
    for round_ in range(6):
        data_dir = tmp_path / f"fresh-{round_}"
        env = child_env(data_dir, sim.base_url, DEMO_TOKEN)
        results = finish([spawn(env, "stats"), spawn(env, "stats")])
        for code, _out, err in results:
            assert code == 0 and "error" not in err, (code, err)
        assert integrity(data_dir / "proxyshop.sqlite3") == "ok"


def test_a_cleanup_meeting_a_running_sync_is_skipped_not_failed(sim, env):
    # the sync removes what went offline itself: a cron cleanup that meets it has nothing to do
    assert run(env, "sync").returncode == 0
    before = sim.requests.count("list")
    hold_list_request(sim, 2, seconds=5)
    syncing = spawn(env, "sync")
    wait_for(lambda: sim.requests.count("list") >= before + 2, what="the sync to be listing")
    cleanup = run(env, "cleanup", "--json")
    assert cleanup.returncode == 0 and "error" not in cleanup.stderr, cleanup
    assert '"status": "skipped"' in cleanup.stdout, cleanup.stdout
    code, _out, err = finish([syncing])[0]
    assert code == 0, err
