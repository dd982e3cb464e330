"""`export --format csv` of a year and more of sales: time and peak memory of the whole process.

Fills a fresh data dir with N orders in the app's own schema (the schema comes from the app: a
`proxyshop-desktop stats` run creates the database; the rows are raw `executemany` inserts, 5 %
refunded, so N × 0.95 are exported; credentials carry commas, quotes, ':' and formula triggers, and
every 50th login a ':' so the TXT export has sales to leave out). Then, per run, the real console
script exports them as a child process: wall time (spawn to reap) and the child's own peak RSS
(`ru_maxrss`). Beside it, for context, the floor: a raw `sqlite3` select + `csv.writer` as a
child process too, and one TXT export.

The fill and the floor run in child processes on purpose: a child's `ru_maxrss` includes the
pages it shares with this process between fork and exec, so a benchmark process that had built
the rows itself (~130 MB) would be reported as the export's peak.

Targets (issue 9): 1,000,000 orders exported as CSV in <= 10 s with peak RSS <= 150 MB; the file
holds exactly the sold orders (enforced even with --quick).

    python benchmarks/bench_export.py [--orders 1000000] [--runs 3] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _common as c

SECONDS_LIMIT = 10.0
RSS_LIMIT_MB = 150.0
BATCH = 50_000
START = datetime(2025, 1, 1, tzinfo=UTC)

_COLUMNS = (
    "order_id, status, credentials_id, proxy_id, customer, server_ip, port, username, password, "
    "proxy_ip, country, country_code, city, region, isp, proxy_type, price_cents, cost_cents, "
    "created_at, purchased_at, expires_at, refundable, refunded_at, refund_cents, "
    "missing_at_provider, note"
)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")  # the stored form (models/fields.db_time)


def _rows(count: int) -> Iterator[tuple[object, ...]]:
    for n in range(count):
        bought = START + timedelta(seconds=30 * n)
        refunded = n % 20 == 7  # 5 %
        yield (
            f"ORD-{bought:%Y%m%d}-{n:08X}", "refunded" if refunded else "sold", 10_000_000 + n,
            5_000_000 + n % 300_000, f"customer {n % 997}", f"185.199.{n % 250}.{n % 200 + 1}",
            str(20_000 + n % 40_000), f"ps{n}:x" if n % 50 == 3 else f"ps{n}",
            f'=p:a"s,s{n}' if n % 9 == 0 else f"pw{n:x}-{n * 7919 % 100_000}", f"10.{n % 250}.1.2",
            "United States", "US", "São Paulo", "SP", "Comcast Cable", "residential", 200, 120,
            _stamp(bought), _stamp(bought), _stamp(bought + timedelta(days=30)), 1,
            _stamp(bought + timedelta(hours=1)) if refunded else None, 200 if refunded else None,
            0, "",
        )


def fill(data_dir: Path, orders: int) -> int:
    """A data dir holding `orders` orders; returns how many of them are sold (exported)."""
    res = c.run_child(c.cli_argv("stats", "--json"), _env(data_dir))  # the app creates its schema
    res.json()
    db = sqlite3.connect(data_dir / "proxyshop.sqlite3")
    marks = ", ".join("?" * len(_COLUMNS.split(",")))
    rows = _rows(orders)
    with db:
        while True:
            batch = [row for _, row in zip(range(BATCH), rows, strict=False)]
            if not batch:
                break
            db.executemany(f'INSERT INTO "order" ({_COLUMNS}) VALUES ({marks})', batch)
    db.execute("ANALYZE")
    db.close()
    return orders - sum(1 for n in range(orders) if n % 20 == 7)


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_"))}
    env["PROXYSHOP_DATA_DIR"] = str(data_dir)
    return env


def floor(database: Path, out: Path) -> None:
    """A raw select + csv.writer (no formula guard, no time conversion): the least it can cost."""
    db = sqlite3.connect(database)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerows(db.execute(
            'SELECT order_id, customer, server_ip, port, username, password, country, city, isp, '
            'purchased_at, expires_at FROM "order" WHERE status IN (\'sold\', \'recovered\') '
            "ORDER BY purchased_at, id"))
    db.close()


def _self(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


def data_rows(path: Path) -> int:
    """Lines after the header: the generated data holds no line break inside a cell."""
    count = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            count += chunk.count(b"\r\n")
    return count - 1


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders in the database")
    parser.add_argument("--runs", type=int, default=3, help="runs (median)")
    parser.add_argument("--quick", action="store_true", help="20,000 orders, 1 run, timing not enforced")
    parser.add_argument("--fill", nargs=2, metavar=("DATA_DIR", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--floor", nargs=2, metavar=("DB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.fill:  # in a child: see the module's docstring
        print(fill(Path(args.fill[0]), int(args.fill[1])))
        return 0
    if args.floor:
        floor(Path(args.floor[0]), Path(args.floor[1]))
        return 0
    orders, runs = (20_000, 1) if args.quick else (args.orders, args.runs)
    c.print_machine()
    work = c.fresh_dir("export")
    try:
        data_dir = work / "app"
        started = time.perf_counter()
        filled = c.run_child(_self("--fill", str(data_dir), str(orders)), timeout=1800)
        if filled.returncode != 0:
            raise RuntimeError(f"the fill failed: {filled.stderr[-2000:]}")
        sold = int(filled.stdout.split()[-1])
        print(f"Filled {orders:,} orders ({sold:,} sold) in {time.perf_counter() - started:.1f} s")
        out = work / "orders.csv"
        argv_csv = c.cli_argv("export", "--format", "csv", "--out", str(out), "--json")
        print(f"Command: {' '.join(argv_csv)}; {runs} run(s)\n")
        results = []
        for n in range(1, runs + 1):
            res = c.run_child(argv_csv, _env(data_dir), timeout=600)
            results.append((n, res.json()["count"], data_rows(out), res.seconds, res.cpu_s, res.peak_rss_mb))
            out.unlink()
        floored = c.run_child(_self("--floor", str(data_dir / "proxyshop.sqlite3"), str(work / "floor.csv")))
        txt = c.run_child(c.cli_argv("export", "--format", "txt", "--out", str(work / "o.txt"), "--json"),
                          _env(data_dir), timeout=600)
        txt_json = txt.json()
        seconds = c.median([r[3] for r in results])
        rss = c.median([r[5] for r in results])
        c.print_table(("run", "exported", "rows in file", "wall s", "CPU s", "peak RSS MB"),
                      results + [("median", "", "", seconds, c.median([r[4] for r in results]), rss)])
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        print(f"\nLoad average after the runs: {load}")
        t = c.Targets(enforce=not args.quick)
        t.check("orders in the CSV", min(min(r[1], r[2]) for r in results), f"== {sold:,}",
                all(r[1] == r[2] == sold for r in results), always=True)
        t.check(f"export --format csv of {orders:,} orders", seconds, f"<= {SECONDS_LIMIT} s",
                seconds <= SECONDS_LIMIT)
        t.check("export peak RSS MB", rss, f"<= {RSS_LIMIT_MB:.0f} MB", rss <= RSS_LIMIT_MB)
        t.info("floor: raw sqlite3 select + csv.writer (process), s", floored.seconds)
        t.info("floor peak RSS MB", floored.peak_rss_mb)
        t.info("export --format txt, s", txt.seconds)
        t.info("export --format txt peak RSS MB", txt.peak_rss_mb)
        t.info("TXT: sales left out (login with ':')", txt_json.get("skipped_count", len(txt_json["skipped"])))
        return t.report()
    finally:
        c.rm(work)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
