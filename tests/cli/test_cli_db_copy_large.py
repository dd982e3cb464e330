"""`db copy` of a shop with many orders: the running totals on the target are rebuilt once from
the copied orders, not by a row trigger per order (in one transaction each order's trigger
updated the same few totals rows again, and every update had to step over all the earlier
versions of that row: 4,000 orders took 6 s, 40,000 more than 10 minutes)."""

from __future__ import annotations

import json
import time

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order
from tests.reliability.children import add_orders

ORDERS = 20_000
#: linear, the copy takes a few seconds even on a loaded machine; quadratic, minutes
TIME_LIMIT = 60.0


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


def test_copying_many_orders_takes_seconds_and_keeps_the_totals(capsys, pg_url):
    paths = AppPaths.from_env()
    paths.ensure()
    store = Store(paths.database, paths.backups_dir)
    store.open()
    create_order(store, status="refunded", price="3.00", refund_cents=125)
    store.close()
    add_orders(paths.database, 0, ORDERS)  # sold, 2.00 each, one country, one ISP

    started = time.monotonic()
    code = main(["db", "copy", "--to", pg_url, "--json"])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()

    assert code == 0, err
    data = json.loads(out)
    assert data["target"]["rows"]["order"] == ORDERS + 1
    assert data["source"]["sums"] == data["target"]["sums"]  # the totals included
    assert data["target"]["sums"]["order_rollup.price_cents"] == data["source"]["sums"]["order_rollup.price_cents"]
    assert elapsed < TIME_LIMIT, f"db copy of {ORDERS} orders took {elapsed:.0f} s"
