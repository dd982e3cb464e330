"""Plain helpers for the reliability tests: run the real `proxyshop-desktop` command line as a
child process (as cron would), steer the simulator to hold it at a chosen moment, and read what
it left in the database. The fixtures (`env`) are in conftest.py."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.simulator import SimulatorServer, faults


def child_env(data_dir: Path, api_url: str, token: str, **extra: str) -> dict[str, str]:
    """The environment a cron job would give the command: no inherited shop settings but the
    test's database (PROXYSHOP_DATABASE_URL, set by the `engine` fixture on PostgreSQL)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_")) or k == "PROXYSHOP_DATABASE_URL"}
    env.update(
        PROXYSHOP_DATA_DIR=str(data_dir),
        EXTERNAL_SOCKS_API_URL=api_url,
        EXTERNAL_SOCKS_API_TOKEN=token,
        PYTHONIOENCODING="utf-8",
        **extra,
    )
    return env


def spawn(env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "proxyshop_desktop", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run(env: dict[str, str], *argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "proxyshop_desktop", *argv],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def run_json(env: dict[str, str], *argv: str) -> dict[str, Any]:
    done = run(env, *argv, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def finish(children: list[subprocess.Popen[str]]) -> list[tuple[int, str, str]]:
    """Wait for every child: (returncode, stdout, stderr) each."""
    results = []
    for child in children:
        out, err = child.communicate(timeout=60)
        results.append((child.returncode, out, err))
    return results


def hold_list_request(sim: SimulatorServer, n: int, seconds: float = 5.0) -> None:
    """The simulator answers the next n - 1 listing requests at once and holds the n-th for
    `seconds`: a child killed once the provider saw n requests is killed mid-listing, on any
    machine, since its run cannot finish without that page."""
    for _ in range(n - 1):
        sim.faults.add("list", faults.delay(0.001))
    sim.faults.add("list", faults.delay(seconds))


def listing_pages(sim: SimulatorServer, page_size: int) -> int:
    """Pages of the online listing that hold proxies (each one is always requested)."""
    return -(-len(sim.provider.online_ids()) // page_size)


# --- what a child left in the database ------------------------------------------------------------
# On the SQLite file in the data dir, or, when the test runs on PostgreSQL (the `engine` fixture
# set PROXYSHOP_DATABASE_URL, which child_env passes on), on that database: `database` (the data
# dir's file) is then not used. SQL is written with SQLite's `?` placeholders.


def _pg_url() -> str | None:
    return os.environ.get("PROXYSHOP_DATABASE_URL") or None


def integrity(database: Path) -> str:
    """SQLite's integrity_check; on PostgreSQL (which checks its own pages) that no index was
    left invalid, e.g. by a build a killed process interrupted."""
    if _pg_url():
        invalid = query(database, "SELECT count(*) FROM pg_index WHERE NOT indisvalid")[0][0]
        return "ok" if invalid == 0 else f"{invalid} invalid index(es)"
    with sqlite3.connect(database) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def query(database: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    if url := _pg_url():
        import psycopg

        with psycopg.connect(url) as conn:  # its password: PGPASSWORD, set by the fixture
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
    db = sqlite3.connect(database)
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


def execute(database: Path, sql: str, *params: Any) -> None:
    """One write, committed (a test steering what a child will find)."""
    if url := _pg_url():
        import psycopg

        with psycopg.connect(url) as conn:
            conn.execute(sql.replace("?", "%s"), params)
        return
    db = sqlite3.connect(database)
    try:
        with db:
            db.execute(sql, params)
    finally:
        db.close()


def rows_containing(text: str) -> dict[str, int]:
    """PostgreSQL: per table, the rows holding `text` anywhere (every column, as text); {} on
    SQLite, whose rows are in the data dir's file, which a search of that folder reads."""
    url = _pg_url()
    if not url:
        return {}
    import psycopg

    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute(
            "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public'")]
        assert "alert_outbox" in tables and '"order"' in tables
        return {f"table {table}": conn.execute(
            f"SELECT count(*) FROM {table} AS t WHERE strpos(t::text, %s) > 0", (text,)
        ).fetchone()[0] for table in tables}


def products(database: Path) -> list[tuple[Any, ...]]:
    return query(database, "SELECT * FROM product ORDER BY proxy_id")


def running_runs(database: Path) -> int:
    return query(database, "SELECT count(*) FROM sync_run WHERE status = 'running'")[0][0]


def local_ids(database: Path) -> set[int]:
    return {row[0] for row in query(database, "SELECT proxy_id FROM product")}


# Orders written straight into a database (sold, with every kind of awkward character), for the
# export and reconcile kill tests.
_ORDER_COLUMNS = (
    "order_id, status, credentials_id, proxy_id, customer, server_ip, port, username, password, "
    "country, country_code, city, isp, price_cents, created_at, purchased_at, expires_at, "
    "missing_at_provider, note"
)


class _PsycopgAsPeewee:
    """A psycopg connection as the one method of a peewee database the schema helpers call."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def execute_sql(self, sql: str, params: Any = ()) -> Any:
        return self.conn.execute(sql, params)


def add_orders(database: Path, first: int, count: int) -> None:
    start = datetime(2025, 1, 1, tzinfo=UTC)
    rows = [
        (f"ORD-20250101-{n:08X}", "sold", 900_000 + n, n, f"customer {n % 97}", f"10.{n % 250}.0.1",
         str(20_000 + n % 40_000), f"user{n}", f'p:a"s,s=w\'{n}', "United States", "US", "São Paulo",
         "Comcast", 200, db_time(start), db_time(start + timedelta(seconds=n)),
         db_time(start + timedelta(days=30)), False, "")
        for n in range(first, first + count)
    ]
    if url := _pg_url():
        import psycopg

        from proxyshop_desktop.models.pg_schema import ROLLUP_ROW_TRIGGER, rebuild_order_rollup

        # a bulk load, as `db copy` does it: the totals summed once, not by a trigger per order
        with psycopg.connect(url) as conn:
            conn.execute(f'ALTER TABLE "order" DISABLE TRIGGER {ROLLUP_ROW_TRIGGER}')
            with conn.cursor().copy(f'COPY "order" ({_ORDER_COLUMNS}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            conn.execute(f'ALTER TABLE "order" ENABLE TRIGGER {ROLLUP_ROW_TRIGGER}')
            rebuild_order_rollup(_PsycopgAsPeewee(conn))  # type: ignore[arg-type]
        return
    db = sqlite3.connect(database)
    with db:
        db.executemany(
            f'INSERT INTO "order" ({_ORDER_COLUMNS}) VALUES ({", ".join("?" * len(rows[0]))})', rows
        )
    db.close()
