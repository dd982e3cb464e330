"""Fixtures shared by the service tests: a fixed clock (injected through the ShopContext), a
fresh store, a ShopContext on a respx provider (the money tests), the same on the loopback
simulator, and the respx listing (sync and cleanup). Plain helpers live in money_helpers.py and
sync_helpers.py."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
import pytest_asyncio
import respx

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.config import Settings
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.services import sync_helpers
from tests.services.money_helpers import API, T0, Clock

# --- the money services on a respx provider ------------------------------------------------------


@pytest.fixture
def clock() -> Clock:
    """A settable "now" at T0: `ctx` and `sim_ctx` carry it when a test asks for it."""
    return Clock(T0)


def _clock_of(request: pytest.FixtureRequest) -> Callable[[], datetime]:
    return request.getfixturevalue("clock") if "clock" in request.fixturenames else utcnow


@pytest.fixture
def store(data_paths: AppPaths, engine: str) -> Iterator[Store]:
    """On the `engine` the test runs on (SQLite unless the module parametrizes it)."""
    from proxyshop_desktop.services.shop import open_store

    settings = Settings(database_url=os.environ.get("PROXYSHOP_DATABASE_URL", ""))
    opened = open_store(data_paths, settings)
    opened.open()
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def ctx(store: Store, data_paths: AppPaths, request: pytest.FixtureRequest) -> AsyncIterator[ShopContext]:
    settings = Settings(api_url=API, api_timeout=5)
    made: list[ProviderClient] = []

    def client() -> ProviderClient:
        if not made:
            made.append(ProviderClient(settings, "test-token", retry=FAST_RETRY))
        return made[0]

    yield ShopContext(settings=settings, paths=data_paths, store=store, client=client, clock=_clock_of(request))
    for one in made:
        await one.aclose()


@pytest.fixture
def provider() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=API, assert_all_called=False) as router:
        yield router


# --- the money services against the simulated provider on a real loopback port -------------------


@pytest_asyncio.fixture
async def sim_ctx(sim, store, data_paths, request):
    from proxyshop_desktop.simulator import DEMO_TOKEN

    settings = Settings(api_url=sim.base_url, api_timeout=5)
    client = ProviderClient(settings, DEMO_TOKEN, retry=FAST_RETRY)
    yield ShopContext(settings=settings, paths=data_paths, store=store, client=lambda: client,
                      clock=_clock_of(request))
    await client.aclose()


# --- sync and cleanup: the listing, driven by respx ----------------------------------------------


@pytest.fixture
def listing() -> Any:
    fake = sync_helpers.FakeListing()
    with respx.mock(base_url=sync_helpers.API, assert_all_called=False) as router:
        fake.route = router.get("/proxy").mock(side_effect=fake)
        fake.router = router
        yield fake
