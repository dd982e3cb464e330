"""Fixtures: a small deterministic provider behind its own loopback server per test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer


@pytest.fixture
def provider() -> SimulatedProvider:
    return SimulatedProvider(proxies=1000, seed=7)


@pytest.fixture
def server(provider: SimulatedProvider) -> Iterator[SimulatorServer]:
    with SimulatorServer(provider) as srv:
        yield srv


@pytest.fixture
def client(server: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.base_url, headers={"Authorization": DEMO_TOKEN},
                      timeout=5) as c:
        yield c


@pytest.fixture
def admin(server: SimulatorServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.root_url + "/_sim", timeout=5) as c:
        yield c


@pytest.fixture
def ids(provider: SimulatedProvider) -> list[int]:
    """The online proxy ids at the start of the test (the catalogue has id gaps)."""
    return provider.online_ids()
