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


# --- v4: the profit report's rollup, its covering index, and the proxy-check evidence ----------
# Frozen: what a v4 database is. Later changes go in a new migration, never here.

# Per grouping, how an order's key is written ('' stands for "not recorded": NULLs never match
# in a primary key). `report` reads these few rows instead of scanning a million orders.
_V4_ROLLUP_KEYS = (
    ("day", "COALESCE(substr({row}.purchased_at, 1, 10), '')"),
    ("country", "COALESCE({row}.country_code, '')"),
    ("type", "COALESCE({row}.proxy_type, '')"),
    ("isp", "COALESCE({row}.isp, '')"),
    # the inventory's refund rate per country and ISP (a country code never holds '|')
    ("country_isp", "COALESCE({row}.country_code, '') || '|' || COALESCE({row}.isp, '')"),
)
_V4_ADD = (
    "INSERT INTO order_rollup (dim, key, status, n, price_cents, cost_cents, given_back_cents)"
    " VALUES ('{dim}', {key}, NEW.status, 1, NEW.price_cents, COALESCE(NEW.cost_cents, 0),"
    " CASE WHEN NEW.status = 'refunded' THEN COALESCE(NEW.refund_cents, NEW.price_cents)"
    " ELSE 0 END)"
    " ON CONFLICT (dim, key, status) DO UPDATE SET n = n + 1,"
    " price_cents = price_cents + excluded.price_cents,"
    " cost_cents = cost_cents + excluded.cost_cents,"
    " given_back_cents = given_back_cents + excluded.given_back_cents;"
)
_V4_REMOVE = (
    "UPDATE order_rollup SET n = n - 1, price_cents = price_cents - OLD.price_cents,"
    " cost_cents = cost_cents - COALESCE(OLD.cost_cents, 0),"
    " given_back_cents = given_back_cents - CASE WHEN OLD.status = 'refunded'"
    " THEN COALESCE(OLD.refund_cents, OLD.price_cents) ELSE 0 END"
    " WHERE dim = '{dim}' AND key = {key} AND status = OLD.status;"
)


_V4_ORDER = '"order"'


def _v4_body(template: str, row: str) -> str:
    return " ".join(
        template.format(dim=dim, key=key.format(row=row)) for dim, key in _V4_ROLLUP_KEYS
    )


def _v4_report_and_checks(db: peewee.SqliteDatabase) -> None:
    db.execute_sql(
        "CREATE TABLE order_rollup (dim TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,"
        " n INTEGER NOT NULL, price_cents INTEGER NOT NULL, cost_cents INTEGER NOT NULL,"
        " given_back_cents INTEGER NOT NULL, PRIMARY KEY (dim, key, status)) WITHOUT ROWID"
    )
    for dim, key in _V4_ROLLUP_KEYS:
        db.execute_sql(
            "INSERT INTO order_rollup SELECT ?, k, status, COUNT(*), SUM(price_cents),"
            " SUM(COALESCE(cost_cents, 0)), SUM(CASE WHEN status = 'refunded'"
            " THEN COALESCE(refund_cents, price_cents) ELSE 0 END)"
            f' FROM (SELECT *, {key.format(row=_V4_ORDER)} AS k FROM "order")'
            " GROUP BY k, status",
            (dim,),
        )
    db.execute_sql(
        'CREATE TRIGGER order_rollup_insert AFTER INSERT ON "order" BEGIN '
        + _v4_body(_V4_ADD, "NEW") + " END"
    )
    db.execute_sql(
        'CREATE TRIGGER order_rollup_delete AFTER DELETE ON "order" BEGIN '
        + _v4_body(_V4_REMOVE, "OLD") + " END"
    )
    db.execute_sql(
        "CREATE TRIGGER order_rollup_update AFTER UPDATE OF status, price_cents, cost_cents,"
        ' refund_cents, purchased_at, country_code, proxy_type, isp ON "order" BEGIN '
        + _v4_body(_V4_REMOVE, "OLD") + " " + _v4_body(_V4_ADD, "NEW") + " END"
    )
    # `report --since`: a range of purchase times read from the index alone.
    db.execute_sql(
        'CREATE INDEX order_report_since ON "order" (purchased_at, status, price_cents,'
        " cost_cents, refund_cents, country_code, proxy_type, isp)"
    )
    # Every proxy check run, kept as evidence with its order.
    db.execute_sql(
        "CREATE TABLE proxy_check (id INTEGER NOT NULL PRIMARY KEY, order_id TEXT NOT NULL,"
        " checked_at TEXT NOT NULL, outcome TEXT NOT NULL, latency_ms INTEGER, exit_ip TEXT,"
        " operator TEXT NOT NULL, message TEXT NOT NULL DEFAULT '')"
    )
    db.execute_sql("CREATE INDEX proxy_check_order ON proxy_check (order_id, checked_at)")


MIGRATIONS: list[Callable[[peewee.SqliteDatabase], None]] = [
    _v1_initial,
    _v2_listing_indexes,
    _v3_drop_redundant_country_index,
    _v4_report_and_checks,
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
