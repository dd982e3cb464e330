"""Export on PostgreSQL: the same bytes as SQLite for the same orders, streamed through a
server-side cursor on a connection of its own (the shop's connection stays free for sales)."""

import asyncio
from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import export
from tests.factories import create_order, open_context

BASE = datetime(2025, 3, 4, 5, 6, 7, 891, tzinfo=UTC)
# cells a spreadsheet would run, quotes, commas, line breaks, other scripts, the odd-time marker
TRICKY = ['=1+2', '-x', '@a', 'a"b', "x,y", "li\nne", "cr\r\nlf", "ü€😀", export._ODD_TIME + "m", " sp ", ""]


def _same_orders(store):
    """The same rows, field for field, on either engine."""
    numbers = iter(range(1, 100))

    def order(order_id, **fields):
        n = next(numbers)
        values = {"server_ip": f"203.0.113.{n}", "port": str(20000 + n), "username": f"user{n}",
                  "password": f"pw{n}", "credentials_id": 500 + n, "proxy_id": 700 + n,
                  "proxy_ip": f"10.2.0.{n}", "purchased_at": BASE + timedelta(minutes=n)}
        return create_order(store, order_id=order_id, **{**values, **fields})

    for i, cell in enumerate(TRICKY):
        order(f"ORD-SAME{i:03d}", customer=cell, password=f"{cell}pw{i}", city=cell or None, isp=cell or None)
    # TXT leaves these out (and names them); CSV has them
    order("ORD-SAME-V6", server_ip="2001:db8::1", purchased_at=BASE)
    order("ORD-SAME-BRK", password="pa\u2028ss", purchased_at=BASE)
    order("ORD-SAME-REF", status="refunded")
    odd = order("ORD-SAME-ODD", expires_at=None)
    # a time written by hand or an older version: valid, another shape
    store.run_blocking(lambda: Order.update(purchased_at="2025-03-04T07:06:08+02:00")
                       .where(Order.id == odd.id).execute())


def _exports(ctx, folder):
    folder.mkdir()
    out = {}
    for name, fmt, check in (("a.csv", "csv", False), ("b.csv", "csv", True), ("c.txt", "txt", False)):
        result = asyncio.run(export.export_orders(ctx, fmt, folder / name, with_check=check))
        out[name] = ((folder / name).read_bytes(), result.count, result.skipped)
    ids = ["ORD-SAME003", "ORD-SAME-ODD", "ORD-SAME001", "ORD-NOPE", "ORD-SAME-REF"]
    asyncio.run(export.export_orders(ctx, "csv", folder / "d.csv", order_ids=ids))
    asyncio.run(export.export_orders(ctx, "txt", folder / "e.txt", customer="=1+2",
                                     since=BASE + timedelta(seconds=1)))
    out.update({n: (folder / n).read_bytes() for n in ("d.csv", "e.txt")})
    return out


def test_the_same_orders_give_the_same_bytes_on_both_engines(tmp_path, pg_url):
    contexts = [open_context(AppPaths(tmp_path / "lite")),
                open_context(AppPaths(tmp_path / "pg"), database_url=pg_url)]
    try:
        assert [c.store.is_postgres for c in contexts] == [False, True]
        results = []
        for ctx, name in zip(contexts, ("lite-out", "pg-out"), strict=True):
            _same_orders(ctx.store)
            results.append(_exports(ctx, tmp_path / name))
    finally:
        for ctx in contexts:
            ctx.store.close()
    lite, pg = results
    assert lite == pg
    csv_bytes, count, _ = lite["a.csv"]
    assert count == len(TRICKY) + 3 and b"'=1+2" in csv_bytes and b"2025-03-04T05:06:08+00:00" in csv_bytes
    assert [s.order_id for s in lite["c.txt"][2]] == ["ORD-SAME-V6", "ORD-SAME-BRK", "ORD-SAME005", "ORD-SAME006"]
    assert lite["d.csv"].count(b"\r\n") == 4  # header + three kept orders of the selection


@pytest.fixture
def pg_ctx(data_paths, pg_url):
    context = open_context(data_paths, database_url=pg_url)
    yield context
    context.store.close()


def _backends(pg_url):
    """The other sessions on the test's database: (state, query)."""
    with psycopg.connect(pg_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT state, query FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'").fetchall()


def test_postgres_streams_a_snapshot_while_sales_commit(pg_ctx, pg_url, tmp_path, monkeypatch):
    """Between chunks the shop's connection is free (a sale commits at once, seen by another
    machine); the export reads FETCH by FETCH from its own snapshot, which ends with it."""
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    orders = [create_order(pg_ctx.store, purchased_at=BASE + timedelta(minutes=i)) for i in range(7)]
    seen = {}

    def progress(done, total):
        if done != 2:
            return
        seen["during"] = _backends(pg_url)
        late = create_order(pg_ctx.store, purchased_at=BASE - timedelta(days=1))  # sorts first
        with psycopg.connect(pg_url) as other:  # another machine sees it: committed already
            seen["late"] = other.execute('SELECT order_id FROM "order" WHERE order_id = %s',
                                         (late.order_id,)).fetchone()
        seen["late_id"] = late.order_id

    result = asyncio.run(export.export_orders(pg_ctx, "csv", tmp_path / "s.csv", progress=progress))
    assert result.count == 7
    assert seen["late"] == (seen["late_id"],)
    text = (tmp_path / "s.csv").read_text()
    assert seen["late_id"] not in text and all(o.order_id in text for o in orders)
    reading = [q for state, q in seen["during"] if state == "idle in transaction"]
    assert len(reading) == 1 and reading[0].startswith("FETCH FORWARD 2"), seen["during"]
    assert all(state == "idle" for state, _ in _backends(pg_url))  # the snapshot ended


def test_a_cancelled_postgres_export_ends_its_snapshot(pg_ctx, pg_url, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    for i in range(5):
        create_order(pg_ctx.store, purchased_at=BASE + timedelta(minutes=i))

    async def cancelled():
        task = asyncio.ensure_future(export.export_orders(
            pg_ctx, "txt", tmp_path / "s.txt", progress=lambda *_: task.cancel()))
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(cancelled())
    assert not (tmp_path / "s.txt").exists()
    assert all(state == "idle" for state, _ in _backends(pg_url))
