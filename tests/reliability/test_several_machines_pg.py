"""Several machines on one PostgreSQL database, as real `proxyshop-desktop` processes: two data
dirs (two "machines") syncing and selling at once, and a SIGKILL of one mid-sync while the other
keeps working (the server frees a dead session's advisory lock)."""

from __future__ import annotations

import signal
from typing import Any

import psycopg
import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN
from tests.pg_cluster import PASSWORD
from tests.reliability.children import (
    child_env,
    finish,
    hold_list_request,
    run,
    run_json,
    spawn,
    wait_for,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def machines(sim, tmp_path, pg_url) -> list[dict[str, str]]:
    return [
        child_env(tmp_path / name, sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="50",
                  PROXYSHOP_DATABASE_URL=pg_url, PGPASSWORD=PASSWORD, PROXYSHOP_OPERATOR=name)
        for name in ("anna", "boris")
    ]


def pg(url: str, sql: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url, password=PASSWORD) as conn:
        return conn.execute(sql).fetchall()


def test_two_machines_syncing_at_once_leave_one_inventory(sim, machines, pg_url):
    results = finish([spawn(env, "sync") for env in machines])
    for code, _out, err in results:
        assert "Traceback" not in err and "error:" not in err, err
        assert code == 0, (code, err)  # a sync meeting the other machine's is skipped, not failed
    said = [out for _code, out, _err in results if "Synced by" in out or "Another machine" in out]
    assert len(said) <= 1, results
    local = {row[0] for row in pg(pg_url, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())
    assert pg(pg_url, "SELECT count(*) FROM sync_run WHERE status = 'running'") == [(0,)]


def test_one_product_sold_on_two_machines_is_sold_once(sim, machines, pg_url):
    assert run(machines[0], "sync").returncode == 0
    products = run_json(machines[1], "inventory", "--page-size", "3")["proxies"]
    for rounds, product in enumerate(products, start=1):
        pid = str(product["product_id"])
        results = finish([spawn(env, "sell", pid) for env in machines])
        codes = sorted(code for code, _, _ in results)
        assert codes[0] == 0 and codes[1] != 0, results
        assert sim.requests.count("buy") == rounds  # the loser never reached the provider
    sold = pg(pg_url, "SELECT proxy_id, operator FROM \"order\" WHERE status = 'sold'")
    assert len(sold) == len(products) == len({row[0] for row in sold})
    assert {row[1] for row in sold} <= {"anna", "boris"}


def test_a_machine_killed_mid_sync_frees_the_shop_for_the_other(sim, machines, pg_url):
    hold_list_request(sim, 2, seconds=30)
    victim = spawn(machines[0], "sync")
    wait_for(lambda: sim.requests.count("list") >= 2, what="the first machine to be listing")
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=30)
    sim.faults.clear()
    survivor = run(machines[1], "sync", "--json")
    assert survivor.returncode == 0, survivor.stderr
    assert pg(pg_url, "SELECT count(*) FROM sync_run WHERE status = 'running'") == [(0,)]
    local = {row[0] for row in pg(pg_url, "SELECT proxy_id FROM product")}
    assert local == set(sim.provider.online_ids())
