"""`report --by X --json` over 1,000,000 orders: the whole process within 0.6 s.

Set-up (once): a fresh data dir whose database the app itself creates (so the schema and indexes
are the app's, migrations included), then N orders written with raw `executemany` inserts: ~60
countries, ~200 ISPs, 4 proxy types, purchases spread over two years; 85 % sold, 9 % refunded
(a tenth of them with a partial refund), 3 % recovered, 1 % refund_unknown, 2 % void.
Per grouping (day, country, type, isp; day and country --since 30 days ago): `proxyshop-desktop report
--by X --json` as a whole process, `--runs` times; the median wall time is the figure.
Checked always: the report's totals equal the sums computed here in Python while generating.

    python benchmarks/bench_report.py [--orders 1000000] [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import _common as c

LIMIT_S = 0.6
NOW = datetime.now(UTC).replace(microsecond=0)
STATUSES = ["sold"] * 85 + ["refunded"] * 9 + ["recovered"] * 3 + ["refund_unknown"] + ["void"] * 2
TYPES = ("residential", "mobile", "datacenter", "isp")
COLUMNS = ("order_id", "status", "credentials_id", "product_id", "proxy_id", "customer",
           "server_ip", "port", "username", "password", "proxy_ip", "country", "country_code",
           "city", "region", "isp", "proxy_type", "price_cents", "cost_cents", "created_at",
           "purchased_at", "expires_at", "refundable", "refunded_at", "refund_cents",
           "missing_at_provider", "note")


def create_database(data_dir: Path) -> Path:
    """The app opens (and so migrates) the database, exactly as on first start."""
    sys.path.insert(0, str(c.REPO))
    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.paths import AppPaths

    os.environ["PROXYSHOP_DATA_DIR"] = str(data_dir)
    paths = AppPaths.from_env()
    paths.ensure()
    store = Store(paths.database, paths.backups_dir)
    store.open()
    store.close()
    return paths.database


def fill(database: Path, n: int, seed: int = 11) -> dict[str, Any]:
    """Insert n orders; returns the expected totals (the profit rule of services/report.py)."""
    rnd = random.Random(seed)
    countries = [f"{chr(65 + i // 26)}{chr(65 + i % 26)}" for i in range(60)]
    isps = [f"ISP {i:03d} Telecom" for i in range(200)]
    expected = {"sold": 0, "refunded": 0, "revenue": 0, "cost": 0}
    con = sqlite3.connect(database)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    sql = f'INSERT INTO "order" ({", ".join(COLUMNS)}) VALUES ({", ".join("?" * len(COLUMNS))})'
    batch: list[tuple[Any, ...]] = []
    for i in range(n):
        status = rnd.choice(STATUSES)
        bought = NOW - timedelta(seconds=rnd.randrange(2 * 365 * 86400))
        price, cost = rnd.choice((200, 250, 300)), rnd.choice((60, 70, 110, None))
        refund = None
        if status == "refunded":
            refund = price if rnd.random() < 0.9 else price // 4
        if status != "void":
            expected["sold"] += 1
            expected["refunded"] += status == "refunded"
            expected["revenue"] += price - (refund or 0)
            expected["cost"] += (cost or 0) if status != "refunded" else 0
        when = bought.isoformat(timespec="microseconds")
        batch.append((
            f"ORD-B{i:09d}", status, None if status == "void" else 10_000_000 + i, None, 5_000_000 + i,
            f"customer{i % 5000}", f"198.51.{i % 250}.{i % 200}", str(20000 + i % 30000),
            f"u{i}", f"p{i}", f"10.{i % 250}.{i % 200}.1", "Country", rnd.choice(countries),
            "City", "RG", rnd.choice(isps), rnd.choice(TYPES), price, cost, when,
            None if status == "void" else when, (bought + timedelta(days=30)).isoformat(),
            1, None if refund is None else (bought + timedelta(minutes=20)).isoformat(), refund, 0, "",
        ))
        if len(batch) == 50_000:
            con.executemany(sql, batch)
            batch.clear()
    con.executemany(sql, batch)
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("ANALYZE")  # what the app's own database has after its first maintenance run
    con.commit()
    con.close()
    return expected


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders (1,000,000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (3; median)")
    parser.add_argument("--quick", action="store_true",
                        help="short version for CI: 50,000 orders, 1 run, timing not enforced")
    args = parser.parse_args(argv)
    orders, runs = (50_000, 1) if args.quick else (args.orders, args.runs)
    c.print_machine()
    work = c.fresh_dir("report")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_"))}
    env["PROXYSHOP_DATA_DIR"] = str(work / "app")
    try:
        database = create_database(work / "app")
        expected = fill(database, orders)
        print(f"Data: {orders:,} orders in {database.stat().st_size / 2**20:.0f} MiB; {runs} run(s)\n")
        since = (NOW - timedelta(days=30)).date().isoformat()
        cases = [("day",), ("country",), ("type",), ("isp",), ("day", "--since", since),
                 ("country", "--since", since)]
        rows, t = [], c.Targets(enforce=not args.quick)
        for case in cases:
            argv_ = c.cli_argv("report", "--by", *case, "--json")
            results = [c.run_child(argv_, env) for _ in range(runs)]
            if case == cases[0]:  # the day's first command runs the full integrity check
                t.info("first report of the day (integrity check due)",
                          f"{results[0].seconds:.3f} s")
            data = results[0].json()
            secs = c.median([r.seconds for r in results])
            rows.append((" ".join(case), len(data["rows"]), secs,
                         c.median([r.cpu_s for r in results]), c.median([r.peak_rss_mb for r in results])))
            t.check(f"report --by {' '.join(case)}", secs, f"<= {LIMIT_S} s", secs <= LIMIT_S)
            if len(case) == 1:
                total = data["total"]
                got = {"sold": total["sold"], "refunded": total["refunded"],
                       "revenue": int(Decimal(total["revenue"]) * 100),
                       "cost": int(Decimal(total["cost"]) * 100)}
                t.check(f"totals by {case[0]} = Python sums", str(got == expected), "True",
                        got == expected, always=True)
        print("Command: " + " ".join(c.cli_argv("report", "--by", "X", "--json")))
        c.print_table(("by", "rows", "median s", "cpu s", "peak RSS MB"), rows)
        return t.report()
    finally:
        c.rm(work)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
