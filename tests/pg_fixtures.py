"""PostgreSQL fixtures (a pytest plugin, loaded by tests/conftest.py).

`pg_cluster`: one throwaway server for the whole run, started on first use. `pg_url`: a fresh,
empty database per test (its URL carries no password: PGPASSWORD is set for the test, the way
a shop's operator would use libpq's own). `engine`: "sqlite" or "postgresql", a parameter that
modules with `ON_BOTH_ENGINES = True` get (tests/conftest.py); on PostgreSQL it names a shop
database already migrated and emptied (`pg_shop_url`), reused from test to test because creating
and migrating a database per test costs ~0.25 s and emptying one ~0.02 s. Under CI (`CI` set) a
cluster that cannot start fails the tests, never skips them.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.pg_cluster import PASSWORD, ClusterUnavailable, ThrowawayCluster

ENGINES = ("sqlite", "postgresql")
_names = itertools.count(1)

#: what must be unchanged for a shop database to be handed to the next test: its tables and
#: columns, functions, triggers and schema version (a test that migrates, downgrades or alters
#: it gets its database dropped, and the next test a new one)
_FINGERPRINT = """
SELECT md5(concat_ws('|',
    (SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY 1)
       FROM information_schema.columns WHERE table_schema = 'public'),
    (SELECT string_agg(proname, ',' ORDER BY 1) FROM pg_proc
       WHERE pronamespace = 'public'::regnamespace),
    (SELECT string_agg(tgname, ',' ORDER BY 1) FROM pg_trigger WHERE NOT tgisinternal),
    (SELECT string_agg(indexname, ',' ORDER BY 1) FROM pg_indexes WHERE schemaname = 'public'),
    (SELECT string_agg(version::text, ',') FROM {version_table})))
"""


class _Admin:
    """One superuser connection for creating and dropping databases (a psql child per call
    costs ~20 ms)."""

    def __init__(self, cluster: ThrowawayCluster) -> None:
        self.cluster = cluster
        self.conn = psycopg.connect(cluster.admin_url, password=PASSWORD, autocommit=True)

    def create(self, name: str) -> str:
        self.conn.execute(f'CREATE DATABASE "{name}"')
        return self.cluster.url(name)

    def drop(self, name: str) -> None:
        self.conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def close(self) -> None:
        self.conn.close()


@dataclass
class _ShopDatabase:
    name: str
    url: str
    fingerprint: str


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


@pytest.fixture(scope="session")
def _pg_admin(pg_cluster: ThrowawayCluster) -> Iterator[_Admin]:
    admin = _Admin(pg_cluster)
    yield admin
    admin.close()


@pytest.fixture
def pg_url(_pg_admin: _Admin, monkeypatch: pytest.MonkeyPatch, _isolated_environment) -> Iterator[str]:
    name = f"shop_{os.getpid()}_{next(_names)}"
    url = _pg_admin.create(name)
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    yield url
    _pg_admin.drop(name)


def _version_table() -> str:
    from proxyshop_desktop.models.engine import VERSION_TABLE

    return VERSION_TABLE


def _fingerprint(conn: psycopg.Connection) -> str:
    row = conn.execute(_FINGERPRINT.format(version_table=_version_table())).fetchone()
    assert row is not None
    return str(row[0])


def _new_shop_database(admin: _Admin) -> _ShopDatabase:
    """A database migrated by the app itself (Store.open), as a shop's first start leaves it."""
    from proxyshop_desktop.config import Settings
    from proxyshop_desktop.paths import AppPaths
    from proxyshop_desktop.services.shop import open_store

    name = f"shop_{os.getpid()}_reused_{next(_names)}"
    url = admin.create(name)
    with tempfile.TemporaryDirectory(prefix="proxyshop-migrate-") as tmp:
        paths = AppPaths(Path(tmp) / "data")
        paths.ensure()
        store = open_store(paths, Settings(database_url=url))
        store.open()
        store.close()
    with psycopg.connect(url, password=PASSWORD, autocommit=True) as conn:
        return _ShopDatabase(name, url, _fingerprint(conn))


def _emptied(database: _ShopDatabase) -> None:
    """Every row gone but the schema version, identities restarted; connections a previous test
    left behind (a killed child's, a leaked store's) ended first, with their locks."""
    with psycopg.connect(database.url, password=PASSWORD, autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        tables = [row[0] for row in conn.execute(
            "SELECT format('%%I.%%I', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname = 'public' AND tablename <> %s", (_version_table(),))]
        if tables:
            conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _unchanged(database: _ShopDatabase) -> bool:
    with psycopg.connect(database.url, password=PASSWORD, autocommit=True) as conn:
        return _fingerprint(conn) == database.fingerprint


@pytest.fixture(scope="session")
def _pg_shop_pool(_pg_admin: _Admin) -> Iterator[list[_ShopDatabase]]:
    pool: list[_ShopDatabase] = []
    yield pool
    for database in pool:
        _pg_admin.drop(database.name)


@pytest.fixture
def pg_shop_url(
    _pg_admin: _Admin, _pg_shop_pool: list[_ShopDatabase], monkeypatch: pytest.MonkeyPatch,
    _isolated_environment,
) -> Iterator[str]:
    """A shop database at the current schema and empty, like a fresh one but reused."""
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    database = _pg_shop_pool.pop() if _pg_shop_pool else _new_shop_database(_pg_admin)
    _emptied(database)
    yield database.url
    if _unchanged(database):
        _pg_shop_pool.append(database)
    else:
        _pg_admin.drop(database.name)


@pytest.fixture
def engine(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The engine a test runs on; on PostgreSQL, PROXYSHOP_DATABASE_URL names an empty shop
    database, so that everything the test opens (Shop.open, the CLI, child commands) uses it."""
    name = getattr(request, "param", "sqlite")
    if name == "postgresql":
        monkeypatch.setenv("PROXYSHOP_DATABASE_URL", request.getfixturevalue("pg_shop_url"))
    return name
