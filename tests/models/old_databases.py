"""Old databases built the way each earlier release built them, for the migration tests.

`build_old_database(path, version)` runs the frozen migrations up to `version`, then writes rows
with raw SQL in that version's columns: orders with the refund marks that lived in the note until
v3, a refund_unknown order, audit rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee

from proxyshop_desktop.models import migrations

T0 = "2026-11-26T10:00:00.000000+00:00"
_ORDER_COLUMNS = (
    "order_id, status, credentials_id, proxy_id, customer, server_ip, port, username, password, "
    "price_cents, cost_cents, created_at, purchased_at, refunded_at, refund_cents, "
    "missing_at_provider, note"
)

#: (order_id, status, note as v1..v3 wrote it, refund_cents)
OLD_ORDERS = (
    ("ORD-SOLD", "sold", "Sold to Ann.", None),
    ("ORD-LIVE", "sold", "[refund in progress since 2026-11-26T10:00:00+00:00] Sold to Ann.", None),
    ("ORD-LOST", "sold", "[refund unanswered since 2026-11-26T10:01:02+00:00]", None),
    ("ORD-UNKNOWN", "refund_unknown", "[refund unanswered since 2026-11-26T10:02:00+00:00] VIP", None),
    ("ORD-BARE-UNKNOWN", "refund_unknown", "", None),  # refund_unknown with no time on record
    ("ORD-REFUNDED", "refunded", "Refunded on request.", 250),
    ("ORD-PENDING", "pending", "Buy outcome unknown at 2026-11-26T09:00:00+00:00: timeout", None),
    ("ORD-VOID", "void", "Voided by reconcile.", None),
    ("ORD-RECOVERED", "recovered", "Recovered by reconcile.", None),
    ("ORD-ODD", "sold", "[refund in progress since yesterday] left as written", None),
    ("ORD-ПРИВЕТ", "sold", "Клиент: Иван", None),
)


#: from v4 on, the same marks in their columns: order_id -> (refund_state, requested_at, note)
V4_MARKS = {
    "ORD-LIVE": ("in_progress", "2026-11-26T10:00:00.000000+00:00", "Sold to Ann."),
    "ORD-LOST": ("unanswered", "2026-11-26T10:01:02.000000+00:00", ""),
    "ORD-UNKNOWN": ("unanswered", "2026-11-26T10:02:00.000000+00:00", "VIP"),
}


def build_old_database(path: Path, version: int) -> None:
    """A database exactly as the release with schema `version` left it, with rows."""
    db = peewee.SqliteDatabase(str(path))
    db.connect()
    for migration in migrations.MIGRATIONS[:version]:
        with db.atomic():
            migration(db)
    db.execute_sql(f"PRAGMA user_version = {version:d}")
    for n, (order_id, status, note, refund_cents) in enumerate(OLD_ORDERS, start=1):
        charged = status not in ("pending", "void")
        db.execute_sql(
            f'INSERT INTO "order" ({_ORDER_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
            (
                order_id, status, 500 + n if charged else None, 700 + n, f"cust-{n}",
                "203.0.113.9" if charged else None, "1080" if charged else None,
                "u" if charged else None, "p" if charged else None, 250, 100, T0,
                T0 if charged else None, T0 if status == "refunded" else None, refund_cents,
                0, note,
            ),
        )
        if version >= 4 and order_id in V4_MARKS:
            state, at, plain = V4_MARKS[order_id]
            db.execute_sql(
                'UPDATE "order" SET refund_state = ?, refund_requested_at = ?, note = ? '
                "WHERE order_id = ?", (state, at, plain, order_id),
            )
        db.execute_sql(
            "INSERT INTO audit_event (at, kind, ok, order_id, proxy_id, credentials_id, "
            "amount_cents, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (T0, "sale", 1, order_id, 700 + n, 500 + n, 250, f"Sold {order_id}."),
        )
    db.close()


#: the rollup's dimensions and how each writes an order's key (models/migrations.py v7)
_ROLLUP_KEYS = (
    ("all", "''"),
    ("day", "COALESCE(substr(purchased_at, 1, 10), '')"),
    ("refunded_day", "COALESCE(substr(refunded_at, 1, 10), '')"),
    ("country", "COALESCE(country_code, '')"),
    ("type", "COALESCE(proxy_type, '')"),
    ("isp", "COALESCE(isp, '')"),
    ("country_isp", "COALESCE(country_code, '') || '|' || COALESCE(isp, '')"),
)


def totals_as_kept(conn: Any) -> list[tuple]:
    """The rollup the triggers keep (rows of zero orders dropped)."""
    return conn.execute(
        "SELECT dim, key, status, n, price_cents, cost_cents, refunded_cents FROM order_rollup "
        "WHERE n != 0 ORDER BY 1, 2, 3"
    ).fetchall()


def totals_recomputed(conn: Any) -> list[tuple]:
    """The same figures summed from every order row, written independently of the triggers."""
    parts = " UNION ALL ".join(
        f"SELECT '{dim}' AS d, {key} AS k, status, COUNT(*), SUM(price_cents), "
        "SUM(COALESCE(cost_cents, 0)), SUM(COALESCE(refund_cents, price_cents)) "
        'FROM "order" GROUP BY k, status'
        for dim, key in _ROLLUP_KEYS
    )
    return conn.execute(f"SELECT * FROM ({parts}) AS r ORDER BY 1, 2, 3").fetchall()  # PG: an alias
