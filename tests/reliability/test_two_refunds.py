"""Two `proxyshop-desktop refund` processes on the same order at once (two windows, or a window
and a script): the provider credits once, the order is refunded once, the loser says why."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN, faults
from tests.reliability.children import child_env, finish, integrity, query, run, run_json, spawn

pytestmark = pytest.mark.slow
ON_BOTH_ENGINES = True

# (name, faults to queue: endpoint, fault, times). The delays make the interleaving certain
# as long as the two children start within 3 s of each other.
ROUNDS = [
    ("at once, no delay", []),
    # both get "refundable" from the provider, then race for the in-progress marker: the loser
    # must be stopped by the marker the winner set (re-checked under the write lock)
    ("both past the provider's check",
     [("check_refundable", faults.delay(3.0), 2), ("refund", faults.delay(3.0), 1)]),
    # the winner's refund is slow; the loser arrives while it is in flight
    ("one refund in flight", [("refund", faults.delay(2.0), 1)]),
    ("at once again", []),
]


@pytest.fixture
def env(sim, data_paths):
    return child_env(data_paths.data_dir, sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="50")


def _audit_refunds(database, order_id: str) -> int:
    return query(
        database, "SELECT count(*) FROM audit_event WHERE kind = 'refund' AND ok AND order_id = ?",
        order_id,
    )[0][0]


def test_one_order_refunded_by_two_processes_is_refunded_once(sim, env, data_paths):
    assert run(env, "sync").returncode == 0
    products = run_json(env, "inventory", "--page-size", str(len(ROUNDS)))["proxies"]
    assert len(products) == len(ROUNDS)
    for (name, plan), product in zip(ROUNDS, products, strict=True):
        sale = run_json(env, "sell", str(product["product_id"]))
        (purchase,) = [p for p in sim.provider.bought() if p["proxy_id"] == sale["proxy_id"]]
        sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
        balance = sim.provider.balance
        refunds_before = sim.requests.count("refund")
        checks_before = sim.requests.count("check_refundable")
        for endpoint, fault, times in plan:
            sim.faults.add(endpoint, fault, times=times)

        results = finish([spawn(env, "refund", sale["order_id"]), spawn(env, "refund", sale["order_id"])])

        for _code, _out, err in results:
            assert "Traceback" not in err and "database is locked" not in err, (name, err)
        codes = sorted(code for code, _, _ in results)
        assert codes[0] == 0 and codes[1] != 0, (name, results)
        loser = next(err for code, _, err in results if code != 0)
        errors = [line for line in loser.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, (name, loser)
        if name == "both past the provider's check":
            assert sim.requests.count("check_refundable") - checks_before == 2, name
            assert "already in progress" in errors[0], (name, errors)
        # the provider: one refund request, one credit
        assert sim.requests.count("refund") - refunds_before == 1, name
        assert sim.provider.is_refunded(purchase["credentials_id"])
        assert sim.provider.balance == balance + Decimal(str(purchase["price"])), name
        # the shop: refunded once, at the retail price, one money event, no marker left
        ((status, refund_cents, price_cents, note),) = query(
            data_paths.database,
            'SELECT status, refund_cents, price_cents, note FROM "order" WHERE order_id = ?',
            sale["order_id"],
        )
        assert (status, refund_cents, note) == ("refunded", price_cents, ""), (name, note)
        assert _audit_refunds(data_paths.database, sale["order_id"]) == 1, name

    figures = run_json(env, "stats")
    assert (figures["total_sold"], figures["total_refunded"], figures["revenue"]) == (
        len(ROUNDS), len(ROUNDS), "0.00")
    assert integrity(data_paths.database) == "ok"
