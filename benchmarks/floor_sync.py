"""The floor: the least any sync implementation pays for one full listing.

Pages through the provider's `/proxy` listing with one keep-alive httpx client (page_size 200,
stop on a short page, de-duplicate by proxy_id) and writes the rows with raw
`sqlite3.executemany` in one transaction into a fresh database holding the app's own product
table: its columns and every index, as the app's migrations create them (`app_schema`, read by
the parent process and passed with `--schema`, so the floor cannot fall behind the app's
schema), in WAL with synchronous=NORMAL like the app; a first fill inserts the rows, then builds
the indexes (the cheapest bulk load). No validation, no fingerprint ('').

Given a database it already filled, it does the floor of a *re-sync*: the same paging, then one
read of the stored rows and a tuple comparison, and writes only what changed (new, changed,
vanished). That is the least any re-sync pays: it still has to receive and decode the whole
listing, because the provider's API offers no way to ask only for what changed.

    python benchmarks/floor_sync.py --url BASE_URL --db PATH     # one (re-)sync, one JSON line
    python benchmarks/floor_sync.py [--proxies N] [--runs R] [--quick]  # own simulator, a table
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

_COLUMNS = ("proxy_id, proxy_ip, country, country_code, city, region, region_name, zip, isp, org,"
            " as_name, continent, continent_code, lat, lon, speed, proxy_type, status, first_seen,"
            " last_seen, last_changed, fingerprint")
_TEXT = ("proxy_ip", "country", "country_code", "city", "region", "region_name", "zip", "isp",
         "org", "as_name", "continent", "continent_code")
_COMPARED = ", ".join((*_TEXT, "lat", "lon", "speed", "proxy_type", "status"))
_N_COMPARED = len(_TEXT) + 5


def _num(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _row(item: dict[str, Any], now: str) -> tuple[Any, ...]:
    kind = "mobile" if item.get("mobile") else "hosting" if item.get("hosting") else "residential"
    text = tuple(None if item.get(f) is None else str(item.get(f)) for f in _TEXT)
    return (int(item["proxy_id"]), *text, _num(item.get("lat")), _num(item.get("lon")),
            _num(item.get("speed")), kind, 1, now, now, now)


def app_schema() -> str:
    """The product table and its indexes as the app's migrations create them (a parent process
    imports the app; the floor's own process does not)."""
    import peewee

    from proxyshop_desktop.models.migrations import migrate

    db = peewee.SqliteDatabase(":memory:")
    migrate(db)
    rows = db.execute_sql("SELECT sql FROM sqlite_master WHERE tbl_name = 'product' AND sql IS NOT NULL"
                          " ORDER BY type DESC").fetchall()  # the table before its indexes
    db.close()
    return ";\n".join(sql for (sql,) in rows) + ";\n"


def floor_sync(base_url: str, token: str, db_path: Path, schema: str, page_size: int = 200) -> dict[str, Any]:
    start = time.perf_counter()
    items: dict[int, dict[str, Any]] = {}
    pages = 0
    with httpx.Client(base_url=base_url, headers={"Authorization": token}, timeout=30) as client:
        while True:
            response = client.get("/proxy", params={"page": pages, "page_size": page_size,
                                                    "status": 1})
            response.raise_for_status()
            batch = response.json().get("proxies") or []
            pages += 1
            for item in batch:
                if item.get("proxy_id") is not None:
                    items[int(item["proxy_id"])] = item
            if len(batch) < page_size:
                break
    fetched = time.perf_counter()
    now = datetime.now(UTC).isoformat()
    resync = db_path.exists()
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    table, indexes = schema.split(";\n", 1)
    if not resync:
        con.execute(table)
    con.execute("BEGIN IMMEDIATE")
    if resync:
        written = _resync(con, items, now)
    else:  # the cheapest bulk load: rows first, then one sorted build per index
        written = _insert(con, items.values(), now)
        for create in indexes.split(";\n"):
            if create.strip():
                con.execute(create)
    con.execute("COMMIT")
    con.close()
    end = time.perf_counter()
    return {"rows": len(items), "pages": pages, "written": written, "resync": resync,
            "fetch_seconds": round(fetched - start, 4), "write_seconds": round(end - fetched, 4),
            "seconds": round(end - start, 4)}


def _insert(con: sqlite3.Connection, items: Iterable[dict[str, Any]], now: str) -> int:
    rows = [_row(item, now) for item in items]
    con.executemany(f"INSERT INTO product ({_COLUMNS}) VALUES ({', '.join('?' * 21)}, '')", rows)
    return len(rows)


def _resync(con: sqlite3.Connection, items: dict[int, dict[str, Any]], now: str) -> int:
    """Compare every listed row with the stored one; write only the differences."""
    stored = {row[0]: row[1:] for row in con.execute(f"SELECT proxy_id, {_COMPARED} FROM product")}
    new, changed = [], []
    for proxy_id, item in items.items():
        row = _row(item, now)
        old = stored.pop(proxy_id, None)
        if old is None:
            new.append(item)
        elif old != row[1:_N_COMPARED + 1]:
            changed.append((*row[1:_N_COMPARED + 1], now, proxy_id))
    con.executemany("DELETE FROM product WHERE proxy_id = ?", [(pid,) for pid in stored])
    sets = ", ".join(f"{name} = ?" for name in (*_COMPARED.split(", "), "last_changed"))
    con.executemany(f"UPDATE product SET {sets} WHERE proxy_id = ?", changed)
    return _insert(con, new, now) + len(changed) + len(stored)


def _standalone(argv: list[str]) -> int:
    """Own simulator; the floor as a whole process, `--runs` times."""
    import _common as c

    parser = c.base_args("The sync floor: httpx paging + raw sqlite3 executemany", 50_000)
    args = parser.parse_args(argv)
    proxies, runs = (5_000, 1) if args.quick else (args.proxies, args.runs)
    c.print_machine()
    rows = []
    with c.Simulator(proxies) as sim:
        online = len(sim.online_ids())  # also warms the simulator's per-item JSON cache
        for run in range(1, runs + 1):
            work = c.fresh_dir("floor")
            res = c.run_child(floor_argv(sim.base_url, work / "floor.sqlite3", work))
            info = res.json()
            rows.append((run, info["rows"], info["pages"], res.seconds, info["fetch_seconds"],
                         info["write_seconds"], res.peak_rss_mb))
            c.rm(work)
    print(f"\nFloor sync of {online:,} online proxies (process wall time; fetch/write in-process)")
    print_rows = rows + [("median", rows[0][1], rows[0][2],
                          *(c.median([r[i] for r in rows]) for i in (3, 4, 5, 6)))]
    c.print_table(("run", "rows", "pages", "process s", "fetch s", "write s", "peak RSS MB"),
                  print_rows)
    targets = c.Targets(enforce=True)
    targets.check("floor wrote every online proxy", rows[0][1], f"= {online:,}",
                  all(r[1] == online for r in rows))
    return targets.report()


def floor_argv(base_url: str, db: Path, work: Path, token: str = "demo-token") -> list[str]:
    """The floor as a process; the app's schema goes in a file in `work` (written once)."""
    schema = work / "floor-schema.sql"
    if not schema.exists():
        schema.write_text(app_schema())
    return [sys.executable, str(Path(__file__).resolve()), "--url", base_url, "--db", str(db),
            "--token", token, "--schema", str(schema)]


def main(argv: list[str]) -> int:
    if "--url" not in argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        return _standalone(argv)
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--token", default="demo-token")
    parser.add_argument("--schema", required=True, type=Path, help="the app's product DDL (app_schema)")
    parser.add_argument("--page-size", type=int, default=200)
    args = parser.parse_args(argv)
    print(json.dumps(floor_sync(args.url, args.token, args.db, args.schema.read_text(), args.page_size)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
