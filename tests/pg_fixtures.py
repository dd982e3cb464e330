"""PostgreSQL fixtures (a pytest plugin, loaded by tests/conftest.py).

`pg_cluster`: one throwaway server for the whole run, started on first use. `pg_url`: a fresh,
empty database per test (its URL carries no password: PGPASSWORD is set for the test, the way
a shop's operator would use libpq's own). `engine`: "sqlite" or "postgresql", a parameter that a
test module takes through `pytest.mark.parametrize("engine", ENGINES, indirect=True)` to run on
both. Under CI (`CI` set) a cluster that cannot start fails the tests, never skips them.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.pg_cluster import PASSWORD, ClusterUnavailable, ThrowawayCluster

ENGINES = ("sqlite", "postgresql")
_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    try:
        cluster = ThrowawayCluster().start()
    except ClusterUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"missing prerequisite under CI: PostgreSQL ({exc})", pytrace=False)
        pytest.skip(f"no PostgreSQL server programs: {exc}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_cluster: ThrowawayCluster, monkeypatch: pytest.MonkeyPatch, _isolated_environment) -> Iterator[str]:
    name = f"shop_{os.getpid()}_{next(_names)}"
    url = pg_cluster.create_database(name)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    yield url
    pg_cluster.drop_database(name)


@pytest.fixture
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine a test runs on; on PostgreSQL, PROXYSHOP_DATABASE_URL names a fresh database,
    so that everything the test opens (Shop.open, the CLI) uses it."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        monkeypatch.setenv("PROXYSHOP_DATABASE_URL", request.getfixturevalue("pg_url"))
    return name
