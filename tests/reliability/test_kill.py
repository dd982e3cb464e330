"""SIGKILL a real `proxyshop-desktop` child at the worst moments; restart; count what survived.

The simulator delays its answer to `buy`/`refund`; the child is killed while it waits. The
provider's handler thread then carries on and charges (or refunds) for a client that is gone:
exactly "the provider charged, the local commit never happened".
"""

from __future__ import annotations

import random
import signal
from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.services import refund_outcome
from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer, faults
from tests.reliability.children import (
    child_env,
    execute,
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

# --- helpers for child processes (also used by the other reliability tests) --------------------


pytestmark = pytest.mark.slow
ON_BOTH_ENGINES = True


def _orders_with_credentials(env) -> list[dict]:
    orders = run_json(env, "orders")["orders"]
    return [o for o in orders if o["credentials"] and o["credentials"].get("password")]


def test_kill_between_charge_and_local_commit(sim, env, data_paths):
    assert run(env, "sync").returncode == 0
    product_id = run_json(env, "inventory", "--page-size", "1")["proxies"][0]["product_id"]
    sim.faults.add("buy", faults.delay(1.0))
    child = spawn(env, "sell", str(product_id), "--customer", "killed")
    wait_for(lambda: sim.requests.count("buy") == 1, what="the buy request")
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    wait_for(lambda: len(sim.provider.bought()) == 1, what="the provider's charge")

    assert integrity(data_paths.database) == "ok"
    # the killed sale left (at most) a pending order and no credentials
    assert query(data_paths.database, "SELECT count(*) FROM \"order\" WHERE status NOT IN ('pending')") == [(0,)]

    reconciled = run_json(env, "reconcile")
    assert reconciled["settled"] + reconciled["recovered"] == 1, reconciled
    charged = sim.provider.bought()
    recorded = _orders_with_credentials(env)
    assert len(recorded) == len(charged) == 1
    assert recorded[0]["credentials"]["login"] == charged[0]["username"]
    assert recorded[0]["credentials"]["password"] == charged[0]["password"]
    assert sim.requests.count("buy") == 1  # never bought again
    # a second reconcile changes nothing
    again = run_json(env, "reconcile")
    assert again["settled"] == again["recovered"] == again["voided"] == 0
    assert len(_orders_with_credentials(env)) == 1


@pytest.fixture
def big_sim():
    server = SimulatorServer(SimulatedProvider(proxies=20_000, seed=5)).start()
    yield server
    server.stop()


def test_kill_during_a_large_sync(big_sim, data_paths):
    env = child_env(data_paths.data_dir, big_sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="500")
    held = random.Random().randint(3, listing_pages(big_sim, 500))  # somewhere in the listing
    hold_list_request(big_sim, held)
    child = spawn(env, "sync")
    wait_for(lambda: big_sim.requests.count("list") >= held, what=f"listing request {held}")
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL
    assert running_runs(data_paths.database) == 1  # the kill landed before the run finished
    assert query(data_paths.database, "SELECT count(*) FROM product") == [(0,)]
    big_sim.faults.clear()

    assert integrity(data_paths.database) == "ok"
    done = run(env, "sync", "--json", timeout=90)
    assert done.returncode == 0, done.stderr
    assert integrity(data_paths.database) == "ok"
    local = {row[0] for row in query(data_paths.database, "SELECT proxy_id FROM product")}
    online = set(big_sim.provider.online_ids())
    assert len(online) > 10_000
    assert local == online  # no row lost, none left over
    assert query(data_paths.database, "SELECT count(*) FROM sync_run WHERE status = 'running'") == [(0,)]


def test_kill_during_a_refund(sim, env, data_paths):
    assert run(env, "sync").returncode == 0
    product_id = run_json(env, "inventory", "--page-size", "1")["proxies"][0]["product_id"]
    sale = run_json(env, "sell", str(product_id))
    (purchase,) = sim.provider.bought()
    cid = purchase["credentials_id"]
    sim.provider.set_purchased_proxy_offline(cid)
    balance_before = sim.provider.balance

    sim.faults.add("refund", faults.delay(1.0))
    child = spawn(env, "refund", sale["order_id"])
    wait_for(lambda: sim.requests.count("refund") == 1, what="the refund request")
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    assert child.returncode == -signal.SIGKILL  # killed while the provider held its request
    wait_for(lambda: sim.provider.is_refunded(cid), what="the provider's refund")

    assert integrity(data_paths.database) == "ok"
    (order,) = [o for o in run_json(env, "orders")["orders"] if o["order_id"] == sale["order_id"]]
    assert order["status"] == "sold"
    assert order["credentials"]["password"] == purchase["password"]

    # RELIABILITY.md: the retry is refused by the killed refund's in-progress marker, with one
    # `error:` line, and sends nothing to the provider
    retry = run(env, "refund", sale["order_id"], "--json")
    assert retry.returncode != 0, retry.stdout
    errors = [line for line in retry.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, retry.stderr
    assert f"refund of order {sale['order_id']} is already in progress" in errors[0], errors
    (after,) = [o for o in run_json(env, "orders")["orders"] if o["order_id"] == sale["order_id"]]
    assert after["status"] == "sold"
    # the provider was asked to refund once (the killed request): one credit, never two
    assert sim.requests.count("refund") == 1
    assert sim.provider.balance == balance_before + Decimal(str(purchase["price"]))
    assert run_json(env, "stats")["total_refunded"] == 0  # not recorded yet: the marker is young


def _expire_refund_marker(database, order_id: str) -> None:
    """What a few minutes of waiting would do: the killed process's marker outlives its lifetime
    (2 x the 30 s API timeout + 60 s), so no request of that process can still arrive."""
    (state, at), = query(
        database, 'SELECT refund_state, refund_requested_at FROM "order" WHERE order_id = ?', order_id)
    assert state == refund_outcome.IN_PROGRESS, state
    aged = db_time(datetime.fromisoformat(at) - timedelta(minutes=3))
    execute(database, 'UPDATE "order" SET refund_requested_at = ? WHERE order_id = ?', aged, order_id)


def _refund_killed_after_the_provider_got_it(sim, env) -> tuple[dict, dict]:
    """A sale whose `refund` child is SIGKILLed while the provider holds the request; the provider
    then refunds for the dead process. Returns (the sale, the provider's purchase)."""
    assert run(env, "sync").returncode == 0
    product_id = run_json(env, "inventory", "--page-size", "1")["proxies"][0]["product_id"]
    sale = run_json(env, "sell", str(product_id))
    (purchase,) = sim.provider.bought()
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    sim.faults.add("refund", faults.delay(1.0))
    child = spawn(env, "refund", sale["order_id"])
    wait_for(lambda: sim.requests.count("refund") == 1, what="the refund request")
    child.send_signal(signal.SIGKILL)
    child.wait(10)
    wait_for(lambda: sim.provider.is_refunded(purchase["credentials_id"]), what="the refund")
    return sale, purchase


def test_a_refund_made_for_a_killed_process_is_recorded_eventually(sim, env, data_paths):
    balance_before_sale = sim.provider.balance
    sale, purchase = _refund_killed_after_the_provider_got_it(sim, env)

    _expire_refund_marker(data_paths.database, sale["order_id"])
    retried = run(env, "refund", sale["order_id"])
    run(env, "reconcile")
    (after,) = [o for o in run_json(env, "orders")["orders"] if o["order_id"] == sale["order_id"]]
    assert after["status"] == "refunded", (retried.stderr, after)
    assert retried.returncode == 0 and "already refunded at the provider" in retried.stdout, retried
    assert len(sim.provider.bought()) == 1 and sim.requests.count("refund") == 1  # never sent again
    # charged once, credited once: back where it was before the sale (twice would be + price)
    assert sim.provider.balance == balance_before_sale
    figures = run_json(env, "stats")
    assert (figures["total_sold"], figures["total_refunded"], figures["revenue"]) == (1, 1, "0.00")
    assert integrity(data_paths.database) == "ok"


def test_a_refund_made_for_a_killed_process_is_found_by_reconcile_alone(sim, env, data_paths):
    """The same kill, then only the routine reconcile (cron) — no operator retry."""
    sale, purchase = _refund_killed_after_the_provider_got_it(sim, env)

    checks = sim.requests.count("check_refundable")  # the killed refund's own check
    early = run_json(env, "reconcile")  # the marker is young: the killed process may be alive
    assert early["refunds_recorded"] == [] and sim.requests.count("check_refundable") == checks
    _expire_refund_marker(data_paths.database, sale["order_id"])
    settled = run_json(env, "reconcile")
    assert settled["refunds_recorded"] == [sale["order_id"]], settled
    (after,) = [o for o in run_json(env, "orders")["orders"] if o["order_id"] == sale["order_id"]]
    assert after["status"] == "refunded"
    assert sim.requests.count("refund") == 1
    again = run_json(env, "reconcile")
    assert (again["refunds_recorded"], again["refund_unknown"]) == ([], [])
