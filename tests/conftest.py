"""Shared fixtures: a fresh data dir and in-memory keyring per test, shops wired to a simulator."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

import keyring
import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.config import Settings
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.upstream.retry import RetryPolicy
from tests.memory_keyring import MemoryKeyring

if TYPE_CHECKING:
    from proxyshop_desktop.services.shop import Shop

#: retries that do not make the suite slow
FAST_RETRY = RetryPolicy(attempts=3, base_delay=0.01, max_delay=0.05, max_retry_after=0.2)

# PostgreSQL: a session cluster, a fresh database per test, the `engine` parameter
pytest_plugins = ["tests.pg_fixtures"]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A module with `ON_BOTH_ENGINES = True` runs each test that opens a database twice; a test
    marked `sqlite_only` (a SQLite mechanism with no PostgreSQL counterpart) runs once."""
    if "engine" in metafunc.fixturenames and getattr(metafunc.module, "ON_BOTH_ENGINES", False):
        from tests.pg_fixtures import ENGINES

        only = metafunc.definition.get_closest_marker("sqlite_only")
        metafunc.parametrize("engine", ("sqlite",) if only else ENGINES, indirect=True)


def require(condition: object, why: str) -> None:
    """A test's prerequisite (a tool, a privilege): when it is missing the test is skipped on a
    developer's machine but fails under CI (`CI` set), so CI never silently stops testing it."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"missing prerequisite under CI: {why}", pytrace=False)
    pytest.skip(why)


#: the export on PostgreSQL is being made (services/export.py uses a SQLite-only CHAR(0) marker)
def pending_on_postgresql(request: pytest.FixtureRequest, why: str) -> None:
    """A product gap on PostgreSQL that another change closes: on that engine the test must
    fail (strict xfail), so that it fails loudly once the gap is closed and this mark is due
    to go; on SQLite it runs as usual."""
    if request.getfixturevalue("engine") == "postgresql":
        request.applymarker(pytest.mark.xfail(strict=True, reason=why))


@pytest.fixture(autouse=True, scope="session")
def _core_limit_left_alone() -> Iterator[None]:
    """cli.main and app.run_gui, run in-process by many tests, would set this process's hard core
    limit to 0 for good (raising it again needs a privilege containers lack), and every later
    child would inherit it. tests/test_hardening.py checks the real thing in fresh children."""
    from proxyshop_desktop import hardening

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(hardening, "_lower_core_limit", lambda: None)
        yield


@pytest.fixture(autouse=True)
def _isolated_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Iterator[MemoryKeyring]:
    """No test sees the operator's settings, token, data dir or keyring."""
    for name in list(os.environ):
        if name.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_TELEGRAM_", "PG")) or name in (
            "PROXYSHOP_DATA_DIR", "PROXYSHOP_DATABASE_URL", "PROXYSHOP_OPERATOR"
        ):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROXYSHOP_DATA_DIR", str(tmp_path / "data"))
    # the CLI's messages follow the locale (i18n.environment_language): English unless a test asks
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring(_isolated_environment: MemoryKeyring) -> MemoryKeyring:
    return _isolated_environment


@pytest.fixture
def data_paths(tmp_path: Any) -> AppPaths:
    paths = AppPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def make_shop(data_paths: AppPaths, engine: str) -> Iterator[Callable[..., Shop]]:
    """make_shop(api_url=..., token=..., transport=..., clock=..., **settings) -> an open Shop,
    closed after. `clock` (default: the real one) is the services' "now"."""
    shops: list[Shop] = []

    def factory(
        api_url: str = "http://provider.test/api/v1/authorized",
        token: str = "test-token",
        transport: Any = None,
        retry: RetryPolicy = FAST_RETRY,
        paths: AppPaths | None = None,
        clock: Callable[[], datetime] = utcnow,
        **overrides: Any,
    ) -> Shop:
        from proxyshop_desktop.services.shop import Shop

        overrides.setdefault("database_url", os.environ.get("PROXYSHOP_DATABASE_URL", ""))
        settings = Settings(api_url=api_url, **overrides)
        shop = Shop.open(paths or data_paths, settings=settings, token=token, transport=transport, retry=retry,
                         clock=clock)
        shops.append(shop)
        return shop

    yield factory
    for shop in shops:
        # The shop's HTTP client belongs to the test's event loop (gone by now): release the
        # database and the data-dir lock directly.
        shop.store.close()
        if shop._data_lock is not None:
            shop._data_lock.release()


@pytest.fixture
def sim() -> Iterator[Any]:
    """A simulated provider with 300 proxies on a real loopback port: `sim.provider`, `sim.faults`,
    `sim.requests`, `sim.base_url`. Token: DEMO_TOKEN ("demo-token")."""
    from proxyshop_desktop.simulator import SimulatedProvider, SimulatorServer

    server = SimulatorServer(SimulatedProvider(proxies=300, seed=11)).start()
    yield server
    server.stop()


@pytest.fixture
def sim_shop(sim: Any, make_shop: Callable[..., Shop]) -> Shop:
    """An open Shop pointed at `sim` (small sync pages so paging is exercised)."""
    from proxyshop_desktop.simulator import DEMO_TOKEN

    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=50)
