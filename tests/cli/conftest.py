"""Fixtures of the command-line tests: orders sold through the simulator's SOCKS5 gateway."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from proxyshop_desktop.simulator import SimulatorServer
from tests.socks_helpers import buy, order_of, socks_simulator


@pytest.fixture(autouse=True)
def _engine(engine: str) -> str:
    """Every command-line test opens the shop's database: modules with ON_BOTH_ENGINES = True run
    each test on SQLite and on PostgreSQL (PROXYSHOP_DATABASE_URL reaches in-process commands
    and, through child_env, child processes)."""
    return engine


@pytest.fixture
def socks_sim() -> Iterator[SimulatorServer]:
    with socks_simulator() as server:
        yield server


@pytest.fixture
def cli_orders(socks_sim: SimulatorServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Orders for the `check` command: a working sale and one whose proxy went offline."""
    from proxyshop_desktop.logging_setup import shutdown_logging
    from proxyshop_desktop.paths import AppPaths
    from tests.factories import shop_store

    monkeypatch.setenv("EXTERNAL_SOCKS_CHECK_URL", socks_sim.check_url)
    paths = AppPaths.from_env()
    paths.ensure()
    store = shop_store(paths)
    store.open()
    good, dead = buy(socks_sim, 0), buy(socks_sim, 1)
    socks_sim.provider.set_purchased_proxy_offline(dead["credentials_id"])
    ids = {"good": order_of(store, good), "dead": order_of(store, dead), "paths": paths,
           "purchases": (good, dead)}
    store.close()
    yield ids
    shutdown_logging()
