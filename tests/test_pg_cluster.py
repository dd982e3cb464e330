"""The throwaway PostgreSQL cluster starts, takes a password login over TCP, and goes away."""

from __future__ import annotations

import psycopg
import pytest

from tests.pg_cluster import PASSWORD, ThrowawayCluster


@pytest.fixture(scope="module")
def cluster():
    started = ThrowawayCluster().start()
    yield started
    started.stop()


def test_password_login_over_tcp(cluster: ThrowawayCluster) -> None:
    url = cluster.create_database("login_check")
    with psycopg.connect(url, password=PASSWORD) as conn:
        assert conn.execute("SELECT current_database()").fetchone() == ("login_check",)
        assert conn.info.host == "127.0.0.1"


def test_a_wrong_password_is_refused(cluster: ThrowawayCluster) -> None:
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(cluster.admin_url, password="wrong", connect_timeout=5).close()


def test_stop_removes_the_cluster() -> None:
    cluster = ThrowawayCluster().start()
    root = cluster.root
    assert (root / "data" / "PG_VERSION").exists()
    cluster.stop()
    assert not root.exists()
