"""The staging table a listing is written to as it arrives (issue 9: a sync's memory is a few pages
whatever the size of the catalogue), and the diff against the inventory done in SQL.

A TEMP table of the DB thread's connection: private to this connection, gone with it, no schema
migration. SQLite keeps temp tables in a temp file (TEMP_STORE=1, the default build), so a
million staged rows cost disk and a small page cache, not memory. Pages are staged in page order
with an upsert, so a proxy listed twice keeps its later row (the contract's de-duplication), and a
second listing (the confirmation of a large removal) adds to the first: what either listed is kept.

On PostgreSQL each page goes in with one binary `COPY` (an upsert per row was most of a first
sync's time there); a page holding a proxy already staged (the provider's listing shifted while it
was paged, or a second listing) fails its COPY on the key and is upserted instead, so the stage
keeps one row per proxy, the later one, and its key is there for the diff. The diff's SQL is
portable (UPDATE ... FROM, NOT EXISTS, LEFT JOIN). Every function here runs on the DB thread.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import peewee

from proxyshop_desktop.models.engine import is_postgres, qmark_to_format
from proxyshop_desktop.models.tables import LISTING_COLUMNS, SYNC_ROW_COLUMNS, Product, database_proxy

STAGE = "sync_stage"
_KEY = "proxy_id"
_OTHERS = tuple(name for name in SYNC_ROW_COLUMNS if name != _KEY)
_SQL_TYPES = {peewee.FloatField: "REAL", peewee.IntegerField: "INTEGER"}


#: PostgreSQL's names for the same types (its REAL is 4 bytes; product's columns are 8)
_PG_TYPES = {"REAL": "DOUBLE PRECISION", "INTEGER": "BIGINT"}


def _column_type(name: str, postgres: bool = False) -> str:
    field = Product._meta.fields[name]
    sql = next((sql for kind, sql in _SQL_TYPES.items() if isinstance(field, kind)), "TEXT")
    return _PG_TYPES.get(sql, sql) if postgres else sql


def _create(postgres: bool) -> str:
    key = "BIGINT" if postgres else "INTEGER"
    return (
        f"CREATE TEMP TABLE {STAGE} ({_KEY} {key} PRIMARY KEY, "
        + ", ".join(f"{name} {_column_type(name, postgres)}" for name in _OTHERS)
        + ")"
    )


#: binary COPY: about half the client's CPU of the text format (no number formatting)
_COPY_ROWS = f"COPY {STAGE} ({', '.join(SYNC_ROW_COLUMNS)}) FROM STDIN (FORMAT BINARY)"
_COPY_IDS = f"COPY {STAGE} ({_KEY}) FROM STDIN (FORMAT BINARY)"
_BINARY_TYPES = {"TEXT": "text", "DOUBLE PRECISION": "float8", "BIGINT": "int8"}
_ROW_TYPES = ["int8" if n == _KEY else _BINARY_TYPES[_column_type(n, True)] for n in SYNC_ROW_COLUMNS]

_UPSERT_ROW = (
    f"INSERT INTO {STAGE} ({', '.join(SYNC_ROW_COLUMNS)}) VALUES ({', '.join('?' * len(SYNC_ROW_COLUMNS))})"
    f" ON CONFLICT ({_KEY}) DO UPDATE SET " + ", ".join(f"{n} = excluded.{n}" for n in _OTHERS)
)
_UPSERT_ID = f"INSERT INTO {STAGE} ({_KEY}) VALUES (?) ON CONFLICT ({_KEY}) DO NOTHING"
_UNLISTED = f"NOT EXISTS (SELECT 1 FROM {STAGE} AS s WHERE s.{_KEY} = product.{_KEY})"
_UPDATE = (
    "UPDATE product SET "
    + ", ".join(f"{n} = s.{n}" for n in (*LISTING_COLUMNS, "fingerprint", "last_seen", "last_changed"))
    + f", status = 1 FROM {STAGE} AS s WHERE s.{_KEY} = product.{_KEY}"
    " AND s.fingerprint <> product.fingerprint"
)
_INSERT = (
    f"INSERT INTO product ({', '.join(SYNC_ROW_COLUMNS)}, status)"
    f" SELECT {', '.join(f's.{n}' for n in SYNC_ROW_COLUMNS)}, 1 FROM {STAGE} AS s"
    f" WHERE NOT EXISTS (SELECT 1 FROM product AS p WHERE p.{_KEY} = s.{_KEY})"
    f" ORDER BY s.{_KEY}"
)


#: id(connection) -> row changes it made to the staging table: the inventory's row cache subtracts
#: them from `total_changes` (they change nothing it shows). sqlite3 connections take no weak
#: references; a reused id is harmless, the cache is also keyed by the connection object.
_STAGED: dict[int, int] = {}


def staged_changes(connection: Any) -> int:
    return _STAGED.get(id(connection), 0)


def _uncounted(sql: str, rows: Sequence[tuple[Any, ...]] | None = None) -> None:
    connection = database_proxy.connection()
    if is_postgres(database_proxy):  # psycopg: a cursor, %s markers, no change counter to keep
        with connection.cursor() as cursor:
            if rows is None:
                cursor.execute(sql)
            else:
                cursor.executemany(qmark_to_format(sql), rows)
        return
    before = connection.total_changes
    if rows is None:
        connection.execute(sql)
    else:
        connection.executemany(sql, rows)
    _STAGED[id(connection)] = _STAGED.get(id(connection), 0) + connection.total_changes - before


def open_stage() -> None:
    """An empty staging table (one left by a cancelled run is dropped first)."""
    drop_stage()
    _uncounted(_create(is_postgres(database_proxy)))


def drop_stage() -> None:
    _uncounted(f"DROP TABLE IF EXISTS {STAGE}")


def stage_rows(rows: Sequence[tuple[Any, ...]]) -> None:
    """One page's rows (SYNC_ROW_COLUMNS, or 1-tuples of ids), in autocommit: a write to a temp
    table takes no lock on the shop's database."""
    if not rows:
        return
    whole = len(rows[0]) == len(SYNC_ROW_COLUMNS)
    if is_postgres(database_proxy) and _copied(rows, whole):
        return
    _uncounted(_UPSERT_ROW if whole else _UPSERT_ID, rows)


def _copied(rows: Sequence[tuple[Any, ...]], whole: bool) -> bool:
    """PostgreSQL: the page in one COPY; False (nothing staged) when it holds a proxy already
    staged, or one twice: the caller upserts that page, so the later row wins."""
    from psycopg.errors import UniqueViolation  # psycopg is only imported on PostgreSQL

    cursor = database_proxy.connection().cursor()
    try:
        with cursor, cursor.copy(_COPY_ROWS if whole else _COPY_IDS) as copy:
            copy.set_types(_ROW_TYPES if whole else ["int8"])
            for row in rows:
                copy.write_row(row)
    except UniqueViolation:  # autocommit: the failed COPY left nothing behind
        return False
    return True


#: PostgreSQL's default work_mem (4 MB) spills the diff's hashes and sorts of 50,000 rows to disk
_SORT_MEMORY = "64MB"


def _sort_memory() -> None:
    """Inside a transaction: more sort and hash memory for its statements (SET LOCAL: this
    transaction only)."""
    if is_postgres(database_proxy):
        database_proxy.execute_sql(f"SET LOCAL work_mem = '{_SORT_MEMORY}'")


class _Runs(Protocol):
    def run(self, fn: Any, *args: Any) -> Any: ...


class Stager:
    """The sink a listing hands its pages to: each page goes to the DB thread's queue without
    waiting for the previous one to be written (a round trip per page through the window's event
    loop is slow), at most `queued` pages at a time so memory stays bounded. `flush()` waits for
    all; `discard()` cancels what has not started (the run failed or was cancelled)."""

    def __init__(self, store: _Runs, queued: int = 4) -> None:
        self._store, self._queued = store, queued
        self._pending: deque[asyncio.Future[None]] = deque()

    async def __call__(self, rows: list[tuple[Any, ...]]) -> None:
        self._pending.append(asyncio.ensure_future(self._store.run(stage_rows, rows)))
        while len(self._pending) > self._queued:
            await self._pending.popleft()

    async def flush(self) -> None:
        while self._pending:
            await self._pending.popleft()

    async def discard(self) -> None:
        pending, self._pending = list(self._pending), deque()
        for future in pending:
            future.cancel()
        if pending:  # retrieved: no "exception never retrieved" from a dropped page
            await asyncio.gather(*pending, return_exceptions=True)


def staged_count() -> int:
    return int(database_proxy.execute_sql(f"SELECT count(*) FROM {STAGE}").fetchone()[0])


def _scope_sql(scope: str | None) -> tuple[str, tuple[Any, ...]]:
    return ("product.country_code = ?", (scope,)) if scope else ("1 = 1", ())


@dataclass(frozen=True)
class Removal:
    unlisted: int  # inventory rows in scope the staged listing lacks
    covered: int  # inventory rows in scope


def removal(scope: str | None) -> Removal:
    """Inside the write transaction: what applying the staged listing would remove."""
    _sort_memory()
    where, params = _scope_sql(scope)
    # a join, not NOT EXISTS inside CASE: PostgreSQL runs that as a subquery per inventory row
    unlisted, covered = database_proxy.execute_sql(
        f"SELECT count(*) - count(s.{_KEY}), count(*) FROM product"
        f" LEFT JOIN {STAGE} AS s ON s.{_KEY} = product.{_KEY} WHERE {where}",
        params,
    ).fetchone()
    return Removal(int(unlisted), int(covered))


def apply_listing(scope: str | None) -> tuple[int, int, int]:
    """Inside the write transaction: remove unlisted rows in scope, rewrite changed rows (by
    fingerprint: unchanged rows are not written), add new ones. Returns (added, updated, removed)."""
    _sort_memory()
    where, params = _scope_sql(scope)
    removed = database_proxy.execute_sql(f"DELETE FROM product WHERE {where} AND {_UNLISTED}", params).rowcount
    updated = database_proxy.execute_sql(_UPDATE).rowcount
    indexes = _rebuilt_indexes() if _bulk_insert() else []
    for name, _sql in indexes:
        database_proxy.execute_sql(f"DROP INDEX {name}")
    added = database_proxy.execute_sql(_INSERT).rowcount
    _create_indexes(indexes)
    return added, updated, removed


#: a first sync of at least this many proxies fills the empty inventory, then builds its sort
#: indexes: one sorted build per index costs about a quarter less than keeping ten indexes up to
#: date row by row (0.35 s against 0.47 s for 50,000 rows on the 2-core VM)
BULK_ROWS = 5_000


def _bulk_insert() -> bool:
    empty = database_proxy.execute_sql("SELECT NOT EXISTS (SELECT 1 FROM product)").fetchone()[0]
    return bool(empty) and staged_count() >= BULK_ROWS


def _rebuilt_indexes() -> list[tuple[str, str]]:
    """(name, CREATE statement) of the product table's non-unique indexes: the unique key on
    proxy_id stays (the insert's NOT EXISTS probes it). DDL is transactional on both engines: a
    sync that fails after the DROP gets its indexes back with the rollback."""
    if is_postgres(database_proxy):
        sql = ("SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index AS i"
               " JOIN pg_class AS c ON c.oid = i.indexrelid"
               " WHERE i.indrelid = 'product'::regclass AND NOT i.indisunique AND NOT i.indisprimary")
    else:
        sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'product'"
               " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'")
    return [(str(name), str(create)) for name, create in database_proxy.execute_sql(sql).fetchall()]


def _create_indexes(indexes: list[tuple[str, str]]) -> None:
    for _name, create in indexes:
        database_proxy.execute_sql(create)


def remove_unlisted() -> int:
    """Inside the write transaction (cleanup): remove every inventory row the listing lacks."""
    return int(database_proxy.execute_sql(f"DELETE FROM product WHERE {_UNLISTED}").rowcount)
