"""Linear, versioned schema migrations on `PRAGMA user_version`, each in one transaction.

A database at version N runs migrations N+1..LATEST. The caller backs the file up first.
A database from a newer app (user_version > LATEST) is refused, never downgraded.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee

from proxyshop_desktop.models.tables import ALL_TABLES


def _v1_initial(db: peewee.SqliteDatabase) -> None:
    db.create_tables(ALL_TABLES, safe=False)


def _v2_listing_indexes(db: peewee.SqliteDatabase) -> None:
    # The inventory is browsed in a stable (country, city, id) order and filtered by speed.
    db.execute_sql(
        "CREATE INDEX product_country_city_id ON product (country_code, city, id)"
    )
    db.execute_sql("CREATE INDEX product_speed ON product (speed)")
    db.execute_sql("CREATE INDEX order_status_purchased ON \"order\" (status, purchased_at)")


def _v3_drop_redundant_country_index(db: peewee.SqliteDatabase) -> None:
    # (country_code, city, id) already serves every country lookup; the single-column index
    # only cost ~60 ms per 50,000 inserted rows during a sync (benchmarks/bench_sync.py).
    db.execute_sql("DROP INDEX IF EXISTS product_country_code")


def _alert_outbox(db: peewee.SqliteDatabase) -> None:
    # Telegram alerts wait here until delivered (issue 14, alerts/outbox.py). Frozen DDL.
    db.execute_sql(
        "CREATE TABLE alert_outbox ("
        " id INTEGER PRIMARY KEY AUTOINCREMENT,"
        " kind TEXT NOT NULL,"
        " dedupe_key TEXT NOT NULL,"
        " body TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " repeats INTEGER NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL DEFAULT 'queued',"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at TEXT,"
        " sent_at TEXT,"
        " last_error TEXT)"
    )
    db.execute_sql("CREATE UNIQUE INDEX alert_outbox_dedupe_key ON alert_outbox (dedupe_key)")
    db.execute_sql("CREATE INDEX alert_outbox_state_id ON alert_outbox (state, id)")


MIGRATIONS: list[Callable[[peewee.SqliteDatabase], None]] = [
    _v1_initial,
    _v2_listing_indexes,
    _v3_drop_redundant_country_index,
    _alert_outbox,
]
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: peewee.SqliteDatabase) -> int:
    return int(db.execute_sql("PRAGMA user_version").fetchone()[0])


def migrate(db: peewee.SqliteDatabase) -> list[int]:
    """Apply what is missing; returns the versions applied."""
    applied = []
    for version in range(schema_version(db) + 1, LATEST_VERSION + 1):
        # The store's transactions are IMMEDIATE: the version is re-read under the write lock,
        # so a second process starting on the same new data dir skips what the first applied.
        with db.atomic():
            if schema_version(db) >= version:
                continue
            MIGRATIONS[version - 1](db)
            db.execute_sql(f"PRAGMA user_version = {version:d}")
        applied.append(version)
    return applied
