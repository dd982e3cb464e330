"""SIGKILL a real child during `reconcile`, `cleanup` and `export`; restart; check what is left.

reconcile and cleanup are stopped at a chosen point by delaying the simulator's answer (the
child waits on it); export never talks to the provider, so the child is frozen (SIGSTOP) the
moment its temporary file appears — mid-write — inspected, then killed.
"""

from __future__ import annotations

import csv
import io
import os
import random
import re
import signal
import stat
from pathlib import Path

import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer, faults
from tests.reliability.children import (
    add_orders,
    child_env,
    hold_list_request,
    integrity,
    listing_pages,
    query,
    run,
    run_json,
    running_runs,
    spawn,
    wait_for,
)

pytestmark = pytest.mark.slow
ON_BOTH_ENGINES = True


def _kill(child) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL


# --- reconcile ----------------------------------------------------------------------------------


def _money_state(sim, env) -> None:
    """Every kind of work reconcile has: a pending sale (its process killed after the charge),
    two refunds whose answers were lost after the provider refunded, and two purchases with no
    local order (another install on the same key, say)."""
    assert run(env, "sync").returncode == 0
    proxies = run_json(env, "inventory", "--page-size", "6")["proxies"]
    sim.faults.add("buy", faults.delay(1.0))
    seller = spawn(env, "sell", str(proxies[0]["product_id"]), "--customer", "killed")
    wait_for(lambda: sim.requests.count("buy") == 1, what="the buy request")
    _kill(seller)
    wait_for(lambda: len(sim.provider.bought()) == 1, what="the provider's charge")
    for product in proxies[1:3]:
        sale = run_json(env, "sell", str(product["product_id"]))
        (purchase,) = [p for p in sim.provider.bought() if p["proxy_id"] == sale["proxy_id"]]
        sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
        sim.faults.add("refund", faults.drop_after_commit())
        lost = run(env, "refund", sale["order_id"])
        assert lost.returncode == 1 and sim.provider.is_refunded(purchase["credentials_id"]), lost.stderr
    for product in proxies[3:5]:
        sim.provider.buy(product["proxy_id"])


def _recorded(database: Path) -> dict[int, tuple[str, str | None]]:
    rows = query(database, 'SELECT credentials_id, status, password FROM "order" WHERE credentials_id IS NOT NULL')
    assert len(rows) == len({cid for cid, _, _ in rows})  # no purchase on two orders
    return {cid: (status, password) for cid, status, password in rows}


@pytest.mark.parametrize("moment", ["waiting for the purchase list", "between two refund settlements"])
def test_kill_during_reconcile(sim, env, data_paths, moment):
    _money_state(sim, env)
    checks, lists = sim.requests.count("check_refundable"), sim.requests.count("bought")
    if moment == "waiting for the purchase list":
        sim.faults.add("bought", faults.delay(3.0))
        child = spawn(env, "reconcile")
        wait_for(lambda: sim.requests.count("bought") == lists + 1, what="the purchase list request")
    else:
        sim.faults.add("check_refundable", faults.delay(0.01))
        sim.faults.add("check_refundable", faults.delay(3.0))
        child = spawn(env, "reconcile")
        wait_for(lambda: sim.requests.count("check_refundable") == checks + 2, what="the second check")
    _kill(child)

    assert integrity(data_paths.database) == "ok"
    # the kill landed where it was meant to: before anything, or after exactly one settlement
    expected = 0 if moment == "waiting for the purchase list" else 1
    assert query(data_paths.database, "SELECT count(*) FROM \"order\" WHERE status = 'refunded'") == [(expected,)]

    again = run_json(env, "reconcile")
    assert again["refund_unknown"] == [], again
    charged = {p["credentials_id"]: p for p in sim.provider.bought()}
    recorded = _recorded(data_paths.database)
    assert set(recorded) == set(charged) and len(charged) == 5  # charged == recorded, 0 lost
    for cid, (status, password) in recorded.items():
        assert password == charged[cid]["password"]
        assert (status == "refunded") == sim.provider.is_refunded(cid), (cid, status)
    assert sum(sim.provider.is_refunded(cid) for cid in charged) == 2
    assert query(data_paths.database, "SELECT count(*) FROM \"order\" WHERE status = 'pending'") == [(0,)]
    assert query(data_paths.database, "SELECT count(*) FROM \"order\" WHERE refund_state IS NOT NULL") == [(0,)]
    figures = run_json(env, "stats")
    assert (figures["total_sold"], figures["total_refunded"]) == (5, 2)
    # a further reconcile changes nothing
    settled = run_json(env, "reconcile")
    assert (settled["recovered"], settled["settled"], settled["voided"]) == (0, 0, 0)
    assert (settled["refunds_recorded"], settled["refunds_not_done"], settled["refund_unknown"]) == ([], [], [])
    assert _recorded(data_paths.database) == recorded
    assert sim.requests.count("buy") == 3 and sim.requests.count("refund") == 2  # none sent again


# --- cleanup ------------------------------------------------------------------------------------


@pytest.fixture
def mid_sim():
    server = SimulatorServer(SimulatedProvider(proxies=5_000, seed=9)).start()
    yield server
    server.stop()


def _inventory(database: Path) -> set[int]:
    return {row[0] for row in query(database, "SELECT proxy_id FROM product")}


def _cleanup_is_clean(sim, env, database: Path) -> None:
    assert integrity(database) == "ok"
    done = run(env, "cleanup", "--json", timeout=90)
    assert done.returncode == 0, done.stderr
    assert integrity(database) == "ok"
    assert _inventory(database) == set(sim.provider.online_ids())  # none lost, none stale
    assert query(database, "SELECT count(*) FROM sync_run WHERE status = 'running'") == [(0,)]
    again = run_json(env, "cleanup")
    assert again["removed_count"] == 0


def test_kill_during_cleanup(mid_sim, data_paths):
    env = child_env(data_paths.data_dir, mid_sim.base_url, DEMO_TOKEN,
                    EXTERNAL_SOCKS_SYNC_PAGE_SIZE="100", EXTERNAL_SOCKS_SYNC_CONCURRENCY="2")
    assert run(env, "sync", timeout=90).returncode == 0
    rng = random.Random()
    online = mid_sim.provider.online_ids()
    before = _inventory(data_paths.database)

    # 1. Deterministic: killed while waiting for listing page 21 (20 pages already fetched).
    for victim in rng.sample(online, 400):
        mid_sim.provider.set_offline(victim)
    listed_before = mid_sim.requests.count("list")  # the first sync's pages
    hold_list_request(mid_sim, 21)
    child = spawn(env, "cleanup")
    wait_for(lambda: mid_sim.requests.count("list") >= listed_before + 21, timeout=60, what="page 21")
    _kill(child)
    assert running_runs(data_paths.database) == 1  # the kill landed before the run finished
    assert integrity(data_paths.database) == "ok"
    assert _inventory(data_paths.database) == before  # an incomplete listing removed nothing
    mid_sim.faults.clear()
    _cleanup_is_clean(mid_sim, env, data_paths.database)

    # 2. At a random listing request from the third on, three times.
    for _round in range(3):
        listed_before = mid_sim.requests.count("list")
        for victim in rng.sample(mid_sim.provider.online_ids(), 300):
            mid_sim.provider.set_offline(victim)
        held = rng.randint(3, listing_pages(mid_sim, 100))
        hold_list_request(mid_sim, held)
        before = _inventory(data_paths.database)
        child = spawn(env, "cleanup")
        target = listed_before + held
        wait_for(lambda target=target: mid_sim.requests.count("list") >= target, timeout=60, what="pages")
        _kill(child)
        assert running_runs(data_paths.database) == 1  # the kill landed before the run finished
        assert _inventory(data_paths.database) == before
        mid_sim.faults.clear()
        _cleanup_is_clean(mid_sim, env, data_paths.database)


# --- export -------------------------------------------------------------------------------------

ORDERS = 40_000  # ~7 MB of CSV: the temporary file lives for milliseconds, not microseconds


def _complete(path: Path, fmt: str, count: int) -> None:
    """The file is a whole export of `count` orders, nothing cut."""
    data = path.read_bytes()
    if fmt == "csv":
        table = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
        assert len(table) == count + 1 and all(len(r) == 11 for r in table)
        assert data.endswith(b"\r\n")
    else:
        lines = data.decode("utf-8").split("\n")
        assert lines[-1] == "" and len(lines) == count + 1
        assert all(line.count(":") >= 3 for line in lines[:-1])


def _freeze_mid_write(env, out: Path, fmt: str):
    """Run an export and stop it (SIGSTOP) as soon as its temporary file exists; None if the
    export got past the rename first (the caller retries)."""
    temp = re.compile(rf"^\.{re.escape(out.name)}\.[0-9a-f]{{8}}\.tmp$")
    child = spawn(env, "export", "--format", fmt, "--out", str(out))
    while child.poll() is None:
        found = [name for name in os.listdir(out.parent) if temp.match(name)]
        if found:
            child.send_signal(signal.SIGSTOP)
            wait_for(lambda: _state(child.pid) in ("T", "Z"), what="the export to stop")
            if (out.parent / found[0]).exists():
                return child, out.parent / found[0]
            if child.poll() is None:  # renamed between the look and the stop: not mid-write
                child.kill()
            child.communicate()
            return None
    child.communicate()
    return None


def _state(pid: int) -> str:
    """The process state letter from /proc (T: stopped, Z: exited)."""
    stat_line = Path(f"/proc/{pid}/stat").read_text()
    return stat_line[stat_line.rindex(")") + 2]


def _caught_mid_write(env, out: Path, fmt: str, keep_out: bool):
    for _attempt in range(5):
        frozen = _freeze_mid_write(env, out, fmt)
        if frozen is not None:
            return frozen
        if not keep_out:
            out.unlink(missing_ok=True)  # it got through: try again from nothing
    pytest.fail("the export never got caught with its temporary file in place")


def _only_temp_files_left(out: Path) -> list[Path]:
    """Next to the export: nothing but hidden, .tmp-named, owner-only temporary files."""
    temp = re.compile(rf"^\.{re.escape(out.name)}\.[0-9a-f]{{8}}\.tmp$")
    left = [p for p in out.parent.iterdir() if p.name.startswith(f".{out.name}")]
    assert all(temp.match(p.name) for p in left), left
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in left)  # they hold credentials
    return left


@pytest.mark.parametrize("fmt", ["csv", "txt"])
def test_kill_during_export(env, data_paths, fmt, request):
    assert run(env, "stats").returncode == 0  # creates the database
    add_orders(data_paths.database, 0, ORDERS)
    out = data_paths.data_dir / f"orders.{fmt}"

    # 1. The first export to this name, killed mid-write: no file under the final name.
    child, temp = _caught_mid_write(env, out, fmt, keep_out=False)
    _kill(child)
    assert not out.exists()
    assert _only_temp_files_left(out) == [temp]

    # 2. An export over an earlier one, killed mid-write: the earlier one is still whole.
    assert run(env, "export", "--format", fmt, "--out", str(out)).returncode == 0
    _complete(out, fmt, ORDERS)
    add_orders(data_paths.database, ORDERS, 500)
    child, temp = _caught_mid_write(env, out, fmt, keep_out=True)
    # (a missed try leaves the newer export, whole: either way a whole one stays in place)
    previous = out.read_bytes()
    rows = len(previous.splitlines()) - (1 if fmt == "csv" else 0)
    assert rows in (ORDERS, ORDERS + 500)
    _complete(out, fmt, rows)
    _kill(child)
    assert out.read_bytes() == previous
    assert temp in _only_temp_files_left(out)
    assert integrity(data_paths.database) == "ok"

    # 3. The next export is whole.
    done = run(env, "export", "--format", fmt, "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    _complete(out, fmt, ORDERS + 500)
