"""Linear, versioned schema migrations on `PRAGMA user_version`, each in one transaction.

A database at version N runs migrations N+1..LATEST. The caller backs the file up first.
A database from a newer app (user_version > LATEST) is refused, never downgraded.
Each migration is frozen: literal DDL, never the live models (which describe only the latest
schema), so that a database of any earlier version ends up with exactly the same tables.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import cast

import peewee

from proxyshop_desktop.models import engine

#: the first release's schema, as peewee created it from that release's models
V1_SCHEMA = (
    'CREATE TABLE "audit_event" ("id" INTEGER NOT NULL PRIMARY KEY, "at" TEXT NOT NULL, '
    '"kind" TEXT NOT NULL, "ok" INTEGER NOT NULL, "order_id" TEXT, "proxy_id" INTEGER, '
    '"credentials_id" INTEGER, "amount_cents" INTEGER, "message" TEXT NOT NULL)',
    'CREATE INDEX "audit_event_at" ON "audit_event" ("at")',
    'CREATE INDEX "audit_event_kind" ON "audit_event" ("kind")',
    'CREATE INDEX "audit_event_order_id" ON "audit_event" ("order_id")',
    'CREATE TABLE "order" ("id" INTEGER NOT NULL PRIMARY KEY, "order_id" TEXT NOT NULL, '
    '"status" TEXT NOT NULL, "credentials_id" INTEGER, "product_id" INTEGER, '
    '"proxy_id" INTEGER NOT NULL, "customer" TEXT NOT NULL, "server_ip" TEXT, "port" TEXT, '
    '"username" TEXT, "password" TEXT, "proxy_ip" TEXT, "country" TEXT, "country_code" TEXT, '
    '"city" TEXT, "region" TEXT, "isp" TEXT, "proxy_type" TEXT, "price_cents" INTEGER NOT NULL, '
    '"cost_cents" INTEGER, "created_at" TEXT NOT NULL, "purchased_at" TEXT, "expires_at" TEXT, '
    '"refundable" INTEGER, "refunded_at" TEXT, "refund_cents" INTEGER, '
    '"missing_at_provider" INTEGER NOT NULL, "note" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "order_order_id" ON "order" ("order_id")',
    'CREATE INDEX "order_status" ON "order" ("status")',
    'CREATE UNIQUE INDEX "order_credentials_id" ON "order" ("credentials_id")',
    'CREATE INDEX "order_proxy_id" ON "order" ("proxy_id")',
    'CREATE INDEX "order_customer" ON "order" ("customer")',
    'CREATE INDEX "order_purchased_at" ON "order" ("purchased_at")',
    'CREATE TABLE "product" ("id" INTEGER NOT NULL PRIMARY KEY, "proxy_id" INTEGER NOT NULL, '
    '"proxy_ip" TEXT, "country" TEXT, "country_code" TEXT, "city" TEXT, "region" TEXT, '
    '"region_name" TEXT, "zip" TEXT, "isp" TEXT, "org" TEXT, "as_name" TEXT, "continent" TEXT, '
    '"continent_code" TEXT, "lat" REAL, "lon" REAL, "speed" REAL, "proxy_type" TEXT NOT NULL, '
    '"status" INTEGER NOT NULL, "fingerprint" TEXT NOT NULL, "first_seen" TEXT NOT NULL, '
    '"last_seen" TEXT NOT NULL, "last_changed" TEXT NOT NULL)',
    'CREATE UNIQUE INDEX "product_proxy_id" ON "product" ("proxy_id")',
    'CREATE INDEX "product_country_code" ON "product" ("country_code")',
    'CREATE INDEX "product_proxy_type" ON "product" ("proxy_type")',
    'CREATE TABLE "sync_run" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" TEXT NOT NULL, '
    '"scope" TEXT, "trigger" TEXT NOT NULL, "started_at" TEXT NOT NULL, "finished_at" TEXT, '
    '"status" TEXT NOT NULL, "pages" INTEGER NOT NULL, "fetched" INTEGER NOT NULL, '
    '"available_external" INTEGER, "added" INTEGER NOT NULL, "updated" INTEGER NOT NULL, '
    '"removed" INTEGER NOT NULL, "skipped" INTEGER NOT NULL, "requests" INTEGER NOT NULL, '
    '"error" TEXT)',
    'CREATE INDEX "sync_run_started_at" ON "sync_run" ("started_at")',
)


def _v1_initial(db: peewee.SqliteDatabase) -> None:
    for statement in V1_SCHEMA:
        db.execute_sql(statement)


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


# Up to v3 a refund request awaiting its answer was a prefix of the order's note, written as
# f"[refund {kind} since {iso(at)}] " with kind "in progress" | "unanswered" (seconds, +00:00).
_V3_NOTE_MARK = re.compile(r"^\[refund (?P<kind>in progress|unanswered) since (?P<at>[^\]]+)\] ?")
_V3_KINDS = {"in progress": "in_progress", "unanswered": "unanswered"}


def _v3_mark(note: str) -> tuple[str, str, str] | None:
    """(refund_state, refund_requested_at as stored, the note without the mark), or None."""
    match = _V3_NOTE_MARK.match(note)
    if match is None:
        return None
    try:
        at = datetime.fromisoformat(match.group("at"))
    except ValueError:
        return None  # v3 read such a mark as no mark at all: leave the note as it is
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    stored = at.astimezone(UTC).isoformat(timespec="microseconds")
    return _V3_KINDS[match.group("kind")], stored, note[match.end():]


def _v4_refund_state_columns(db: peewee.SqliteDatabase) -> None:
    # A refund in flight is program state: it moves from the note (kept for people) to columns.
    db.execute_sql('ALTER TABLE "order" ADD COLUMN "refund_state" TEXT')
    db.execute_sql('ALTER TABLE "order" ADD COLUMN "refund_requested_at" TEXT')
    marked = db.execute_sql(
        'SELECT id, note FROM "order" WHERE substr(note, 1, 8) = \'[refund \''
    ).fetchall()
    for row_id, note in marked:
        mark = _v3_mark(note)
        if mark is not None:
            p = db.param  # '?' on SQLite, '%s' on PostgreSQL
            db.execute_sql(
                f'UPDATE "order" SET refund_state = {p}, refund_requested_at = {p}, note = {p} WHERE id = {p}',
                (*mark, row_id),
            )


# The search index: trigram full-text over what the operator searches for, so a substring of an
# order id, customer or IP is found without reading every order (its case folding covers
# Cyrillic and other scripts). External content: the text stays in "order"; triggers keep the
# index in step with every write, whoever writes (the app, a script, a restored backup).
_V5_SEARCH = (
    "CREATE VIRTUAL TABLE order_search USING fts5(order_id, customer, server_ip, proxy_ip, "
    "content='order', content_rowid='id', tokenize='trigram')",
    'CREATE TRIGGER order_search_insert AFTER INSERT ON "order" BEGIN '
    "INSERT INTO order_search (rowid, order_id, customer, server_ip, proxy_ip) "
    "VALUES (new.id, new.order_id, new.customer, new.server_ip, new.proxy_ip); END",
    'CREATE TRIGGER order_search_delete AFTER DELETE ON "order" BEGIN '
    "INSERT INTO order_search (order_search, rowid, order_id, customer, server_ip, proxy_ip) "
    "VALUES ('delete', old.id, old.order_id, old.customer, old.server_ip, old.proxy_ip); END",
    'CREATE TRIGGER order_search_update AFTER UPDATE OF order_id, customer, server_ip, proxy_ip '
    'ON "order" BEGIN '
    "INSERT INTO order_search (order_search, rowid, order_id, customer, server_ip, proxy_ip) "
    "VALUES ('delete', old.id, old.order_id, old.customer, old.server_ip, old.proxy_ip); "
    "INSERT INTO order_search (rowid, order_id, customer, server_ip, proxy_ip) "
    "VALUES (new.id, new.order_id, new.customer, new.server_ip, new.proxy_ip); END",
    "INSERT INTO order_search (order_search) VALUES ('rebuild')",
)
# One index per column the Sales tab and the CLI sort on (the row id, the tie-break, is in every
# index), so a first page never sorts the whole history; and covering indexes for the figures.
_V5_INDEXES = (
    'CREATE INDEX order_created_at ON "order" (created_at)',
    'CREATE INDEX order_moment ON "order" (COALESCE(purchased_at, created_at))',
    'CREATE INDEX order_customer_nocase ON "order" (customer COLLATE NOCASE)',
    'CREATE INDEX order_server_ip ON "order" (server_ip)',
    'CREATE INDEX order_country_code ON "order" (country_code)',
    'CREATE INDEX order_price ON "order" (price_cents)',
    'CREATE INDEX order_expires_at ON "order" (expires_at)',
    'CREATE INDEX order_refunded_at ON "order" (refunded_at)',
    'CREATE INDEX order_refund_cents ON "order" (refund_cents)',
)


def _v5_order_paging(db: peewee.SqliteDatabase) -> None:
    for statement in (*_V5_SEARCH, *_V5_INDEXES):
        db.execute_sql(statement)


def v6_alert_outbox_statements(id_column: str) -> tuple[str, ...]:
    """v6's frozen DDL; only the key column differs between the engines (pg_schema.py)."""
    return (
        "CREATE TABLE alert_outbox ("
        f" id {id_column},"
        " kind TEXT NOT NULL,"
        " dedupe_key TEXT NOT NULL,"
        " body TEXT NOT NULL,"
        " created_at TEXT NOT NULL,"
        " repeats INTEGER NOT NULL DEFAULT 0,"
        " state TEXT NOT NULL DEFAULT 'queued',"
        " attempts INTEGER NOT NULL DEFAULT 0,"
        " next_attempt_at TEXT,"
        " sent_at TEXT,"
        " last_error TEXT)",
        "CREATE UNIQUE INDEX alert_outbox_dedupe_key ON alert_outbox (dedupe_key)",
        "CREATE INDEX alert_outbox_state_id ON alert_outbox (state, id)",
    )


def _v6_alert_outbox(db: peewee.SqliteDatabase) -> None:
    # Telegram alerts wait here until delivered (issue 14, alerts/outbox.py).
    for statement in v6_alert_outbox_statements("INTEGER PRIMARY KEY AUTOINCREMENT"):
        db.execute_sql(statement)


# --- v7: one rollup of the orders for every figure, its covering index, the proxy-check evidence
# Frozen: what a v7 database is. Later changes go in a new migration, never here.

# Per dimension, how an order's key is written ('' stands for "not recorded": NULLs never match
# in a primary key). Stats, the orders count and `report` read these few rows instead of
# scanning a million orders. The rows hold sums only, per status: which statuses count as sold
# or refunded stays vocabulary's rule, and the profit rule stays services/report.py's.
_V7_ROLLUP_KEYS = (
    ("all", "''"),  # the whole shop, per status (stats, the orders count)
    ("day", "COALESCE(substr({row}.purchased_at, 1, 10), '')"),  # the purchase day (UTC)
    ("refunded_day", "COALESCE(substr({row}.refunded_at, 1, 10), '')"),  # the refund day (UTC)
    ("country", "COALESCE({row}.country_code, '')"),
    ("type", "COALESCE({row}.proxy_type, '')"),
    ("isp", "COALESCE({row}.isp, '')"),
    # the inventory's refund rate per country and ISP (a country code never holds '|')
    ("country_isp", "COALESCE({row}.country_code, '') || '|' || COALESCE({row}.isp, '')"),
)
# refunded_cents: REFUNDED_CENTS_SQL (models/tables.py) summed over every order of the status;
# only a refunded status's sum is money given back (the readers pick the status).
_V7_ADD = (
    "INSERT INTO order_rollup (dim, key, status, n, price_cents, cost_cents, refunded_cents)"
    " VALUES ('{dim}', {key}, NEW.status, 1, NEW.price_cents, COALESCE(NEW.cost_cents, 0),"
    " COALESCE(NEW.refund_cents, NEW.price_cents))"
    " ON CONFLICT (dim, key, status) DO UPDATE SET n = n + 1,"
    " price_cents = price_cents + excluded.price_cents,"
    " cost_cents = cost_cents + excluded.cost_cents,"
    " refunded_cents = refunded_cents + excluded.refunded_cents;"
)
_V7_REMOVE = (
    "UPDATE order_rollup SET n = n - 1, price_cents = price_cents - OLD.price_cents,"
    " cost_cents = cost_cents - COALESCE(OLD.cost_cents, 0),"
    " refunded_cents = refunded_cents - COALESCE(OLD.refund_cents, OLD.price_cents)"
    " WHERE dim = '{dim}' AND key = {key} AND status = OLD.status;"
)
_V7_ORDER = '"order"'


def _v7_body(template: str, row: str) -> str:
    return " ".join(
        template.format(dim=dim, key=key.format(row=row)) for dim, key in _V7_ROLLUP_KEYS
    )


def _v7_rollup_and_checks(db: peewee.SqliteDatabase) -> None:
    # v5's running totals (order_totals, order_days), if an unreleased build made them: the
    # rollup below carries their figures, so one mechanism keeps the sums.
    for drop in ("TRIGGER order_totals_insert", "TRIGGER order_totals_delete",
                 "TRIGGER order_totals_update", "TABLE order_totals", "TABLE order_days"):
        db.execute_sql(f"DROP {drop.split()[0]} IF EXISTS {drop.split()[1]}")
    db.execute_sql(
        "CREATE TABLE order_rollup (dim TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,"
        " n INTEGER NOT NULL, price_cents INTEGER NOT NULL, cost_cents INTEGER NOT NULL,"
        " refunded_cents INTEGER NOT NULL, PRIMARY KEY (dim, key, status)) WITHOUT ROWID"
    )
    for dim, key in _V7_ROLLUP_KEYS:
        db.execute_sql(
            "INSERT INTO order_rollup SELECT ?, k, status, COUNT(*), SUM(price_cents),"
            " SUM(COALESCE(cost_cents, 0)), SUM(COALESCE(refund_cents, price_cents))"
            f' FROM (SELECT *, {key.format(row=_V7_ORDER)} AS k FROM "order")'
            " GROUP BY k, status",
            (dim,),
        )
    db.execute_sql(
        'CREATE TRIGGER order_rollup_insert AFTER INSERT ON "order" BEGIN '
        + _v7_body(_V7_ADD, "NEW") + " END"
    )
    db.execute_sql(
        'CREATE TRIGGER order_rollup_delete AFTER DELETE ON "order" BEGIN '
        + _v7_body(_V7_REMOVE, "OLD") + " END"
    )
    db.execute_sql(
        "CREATE TRIGGER order_rollup_update AFTER UPDATE OF status, price_cents, cost_cents,"
        " refund_cents, purchased_at, refunded_at, country_code, proxy_type, isp ON \"order\""
        " BEGIN " + _v7_body(_V7_REMOVE, "OLD") + " " + _v7_body(_V7_ADD, "NEW") + " END"
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


def _v8_operator(db: peewee.Database) -> None:
    # Who did it (issue 11): several operators may share one database. Old rows stay NULL.
    for table in ('"order"', "audit_event", "sync_run"):
        db.execute_sql(f"ALTER TABLE {table} ADD COLUMN operator TEXT")
    db.execute_sql('CREATE INDEX order_operator ON "order" (operator)')
    db.execute_sql("CREATE INDEX audit_event_operator ON audit_event (operator)")


#: (index, column term) of v9. The Inventory tab sorts a page of 1,000,000 proxies by any column;
#: without an index each sort read and sorted the whole table (0.1-0.5 s, last seen 4-7 s:
#: benchmarks/bench_inventory.py). Each index is (term, rowid) in SQLite: it is the sort order
#: itself, ties in product id order, and read backwards for a descending sort.
V9_SORT_INDEXES = (
    ("product_city_sort", "city COLLATE NOCASE"),
    ("product_region_sort", "region COLLATE NOCASE"),
    ("product_isp_sort", "isp COLLATE NOCASE"),
    ("product_status_sort", "status"),
    ("product_first_seen", "first_seen"),
    ("product_last_seen", "last_seen"),
)


def _v9_inventory_sorts(db: peewee.Database) -> None:
    for name, term in V9_SORT_INDEXES:
        db.execute_sql(f"CREATE INDEX {name} ON product ({term})")


def _v10_audit_message_key(db: peewee.Database) -> None:
    # The audit message in the reader's language (issue 12): its id (the i18n.Text context and
    # English template) and args as JSON; `message` keeps the English text for old readers and
    # --json. Rows written before stay NULL here and show their stored text. Same SQL on PostgreSQL.
    for column in ("message_context", "message_key", "message_args"):
        db.execute_sql(f"ALTER TABLE audit_event ADD COLUMN {column} TEXT")


def _v11_text_sorts(db: peewee.Database) -> None:
    # PostgreSQL's city/region/ISP sort indexes take SQLite's NOCASE order, the one the row cache
    # sorts by (pg_schema._v11_text_sorts). SQLite's v9 indexes already have it: nothing to do.
    del db


MIGRATIONS: list[Callable[[peewee.SqliteDatabase], None]] = [
    _v1_initial,
    _v2_listing_indexes,
    _v3_drop_redundant_country_index,
    _v4_refund_state_columns,
    _v5_order_paging,
    _v6_alert_outbox,
    _v7_rollup_and_checks,
    _v8_operator,
    _v9_inventory_sorts,
    _v10_audit_message_key,
    _v11_text_sorts,
]
LATEST_VERSION = len(MIGRATIONS)


def schema_version(db: peewee.Database) -> int:
    return engine.schema_version(db)


Step = Callable[[peewee.Database], None]


def _step(db: peewee.Database, version: int) -> Step:
    if engine.is_postgres(db):
        from proxyshop_desktop.models.pg_schema import PG_FORMS

        sqlite_form = MIGRATIONS[version - 1]
        return PG_FORMS.get(sqlite_form, cast(Step, sqlite_form))
    return cast(Step, MIGRATIONS[version - 1])


def migrate(db: peewee.Database, up_to: int = LATEST_VERSION) -> list[int]:
    """Apply what is missing (up to `up_to`: tests build older databases); returns the versions
    applied."""
    applied = []
    for version in range(schema_version(db) + 1, up_to + 1):
        # The version is re-read under the write lock (SQLite: the IMMEDIATE transaction;
        # PostgreSQL: an advisory lock), so a second app starting at the same moment skips what
        # the first applied.
        with db.atomic():
            engine.begin_migration(db)
            if schema_version(db) >= version:
                continue
            _step(db, version)(db)
            engine.set_schema_version(db, version)
        applied.append(version)
    return applied
