"""Moving a shop: the data dir's SQLite database into an empty PostgreSQL one (`db copy`), and
what `db status` reports about either engine.

The copy runs on the target store's DB thread in one transaction: every row of every table
(ids kept), read from a read-only connection to the SQLite file; the running totals are summed
once from the copied orders (their row trigger is off during the copy: in one transaction, a
trigger per order rewrote the same few totals rows, each time past all their earlier versions,
and 40,000 orders took minutes). Then, still inside the transaction, the row counts and money
sums of both sides are compared: a difference rolls everything back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from proxyshop_desktop.errors import StorageError, UsageError
from proxyshop_desktop.models import engine, migrations, pg_schema

#: derived from the orders on the target after the copy: never copied themselves
DERIVED = frozenset({"order_rollup"})
#: (table, column) summed on both sides after the copy
MONEY_SUMS = (
    ("order", "price_cents"), ("order", "cost_cents"), ("order", "refund_cents"),
    ("audit_event", "amount_cents"), ("order_rollup", "price_cents"),
    ("order_rollup", "cost_cents"), ("order_rollup", "refunded_cents"),
)
_BATCH = 5_000


@dataclass(frozen=True)
class Figures:
    """Row counts per table and money sums per (table, column), as integers."""

    rows: dict[str, int]
    sums: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {"rows": self.rows, "sums": self.sums}


_PG_TABLES = ("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
              f"AND tablename <> '{engine.VERSION_TABLE}' ORDER BY 1")
_SQLITE_TABLES = ("SELECT name FROM sqlite_master WHERE type = 'table' "
                  "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'order_search%' ORDER BY 1")
Query = Callable[[str], Any]  # runs one SQL text, returns a cursor


def user_tables(db: peewee.Database) -> list[str]:
    """The shop's tables on either engine (no SQLite internals, no search index shadows)."""
    sql = _PG_TABLES if engine.is_postgres(db) else _SQLITE_TABLES
    return [row[0] for row in db.execute_sql(sql).fetchall()]


def _figures(query: Query, tables: list[str]) -> Figures:
    rows = {t: int(query(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]) for t in tables}
    sums = {
        f"{t}.{c}": int(query(f'SELECT COALESCE(SUM({c}), 0) FROM "{t}"').fetchone()[0])
        for t, c in MONEY_SUMS if t in tables
    }
    return Figures(rows, sums)


def figures(db: peewee.Database) -> Figures:
    """DB thread: the counts and sums `db status` and `db copy` print."""
    return _figures(db.execute_sql, user_tables(db))


def _same(mine: Figures, theirs: Figures) -> bool:
    """Every copied table's rows and every sum (the derived tables' rows may differ: SQLite keeps
    a status whose count fell to 0, a fresh target never had it)."""
    rows = {t: n for t, n in mine.rows.items() if t not in DERIVED}
    return all(theirs.rows.get(t) == n for t, n in rows.items()) and mine.sums == theirs.sums


def check_empty_target(db: peewee.Database, shown: str) -> None:
    """DB thread, before migrating the target: a database holding any table is refused."""
    found = user_tables(db)
    if found or engine.schema_version(db):
        raise UsageError(
            f"The database {shown} is not empty (it holds {', '.join(found[:5]) or 'a schema'}).",
            "Copy into a new, empty database (createdb NAME), or drop this one's tables first.",
        )


def _columns(source: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]


def _boolean_columns(db: peewee.Database, table: str) -> set[str]:
    sql = ("SELECT column_name FROM information_schema.columns "
           "WHERE table_schema = current_schema() AND table_name = %s AND data_type = 'boolean'")
    return {row[0] for row in db.execute_sql(sql, (table,)).fetchall()}


def _copy_table(source: sqlite3.Connection, db: peewee.Database, table: str) -> None:
    columns = _columns(source, table)
    flags = [i for i, c in enumerate(columns) if c in _boolean_columns(db, table)]
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join(["%s"] * len(columns))})'
    cursor = source.execute(f'SELECT {names} FROM "{table}" ORDER BY rowid')
    with db.connection().cursor() as target:
        while batch := cursor.fetchmany(_BATCH):
            if flags:  # SQLite keeps booleans as 0/1
                batch = [tuple(bool(v) if i in flags and v is not None else v
                               for i, v in enumerate(row)) for row in batch]
            target.executemany(insert, batch)
    if "id" in columns:  # the next new row continues after the copied ids
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
        )


def copy_into(db: peewee.Database, sqlite_path: Path) -> tuple[Figures, Figures]:
    """Target's DB thread, its schema at LATEST: copy everything in one transaction and verify.
    Returns (source figures, target figures); StorageError (and nothing written) on a mismatch."""
    source = sqlite3.connect(f"{sqlite_path.absolute().as_uri()}?mode=ro", uri=True)
    try:
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
        if version != migrations.LATEST_VERSION:
            raise StorageError(
                f"The SQLite shop is at schema {version}, not {migrations.LATEST_VERSION}.",
                "Open it once with this version of the app, then copy again.",
            )
        tables = [row[0] for row in source.execute(_SQLITE_TABLES)]
        mine = _figures(source.execute, tables)
        with db.atomic():
            # transactional: a failed copy leaves the trigger on
            db.execute_sql(f'ALTER TABLE "order" DISABLE TRIGGER {pg_schema.ROLLUP_ROW_TRIGGER}')
            for table in tables:
                if table not in DERIVED:
                    _copy_table(source, db, table)
            db.execute_sql(f'ALTER TABLE "order" ENABLE TRIGGER {pg_schema.ROLLUP_ROW_TRIGGER}')
            pg_schema.rebuild_order_rollup(db)
            theirs = figures(db)
            if not _same(mine, theirs):
                raise StorageError(
                    "The copy does not match the SQLite shop; nothing was written to the target.",
                    f"Source {mine.to_json()}, target {theirs.to_json()}. Check the log file.",
                )
    finally:
        source.close()
    return mine, theirs
