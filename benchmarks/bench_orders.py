"""Orders at a year-and-more of sales: `stats --json` and `orders --json` (first page) as whole
processes on a data dir holding N orders (default 1,000,000).

The data dir is made by the app's own `Store` (every migration, so every index, trigger and
running total of the real schema), then filled with raw `sqlite3.executemany` inserts: a year of
sales, 5 % refunded, a few pending and void, customers in Latin and Cyrillic. The triggers of the
schema run on those inserts as they would on the app's own. `--data-dir` keeps the filled dir
for the next run (it is reused when it already holds N orders).
Targets (medians of --runs): each command <= 0.6 s. Figures for search, a status filter and the
last page are printed beside them for context.
With --gui, also the window (offscreen, `_orders_gui.py`) on the same orders plus 50,000 proxies:
launch -> idle <= 2 s with peak RSS <= 350 MB; Sales tab first rows shown <= 300 ms; search,
status filter and sort <= 150 ms each; longest stall while scrolling <= 50 ms.

    python benchmarks/bench_orders.py [--orders 1000000] [--runs 3] [--data-dir DIR] [--gui] [--quick]
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import _common as c

ORDERS = 1_000_000
QUICK_ORDERS = 20_000
TARGET_S = 0.6
_COLUMNS = (
    "order_id", "status", "credentials_id", "proxy_id", "customer", "server_ip", "port", "username",
    "password", "proxy_ip", "country", "country_code", "city", "region", "isp", "proxy_type",
    "price_cents", "cost_cents", "created_at", "purchased_at", "expires_at", "refundable",
    "refunded_at", "refund_cents", "missing_at_provider", "note",
)  # fmt: skip
_CUSTOMERS = ("alice", "bob", "Carol Ltd", "Женя Петров", "dmitry", "", "", "shop-42", "Zoë", "ООО Ромашка")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")  # models.fields.db_time


def _rows(n: int, seed: int) -> Iterator[tuple[object, ...]]:
    rnd = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=365)
    step = 365 * 86_400 / n
    for i in range(n):
        at = start + timedelta(seconds=i * step)
        r = rnd.random()
        status = "refunded" if r < 0.05 else "pending" if r < 0.0502 else "void" if r < 0.051 else "sold"
        charged = status in ("sold", "refunded")
        price = rnd.choice((150, 200, 250, 399))
        yield (
            f"ORD-{at:%Y%m%d}-{i:08X}", status, 10_000_000 + i if charged else None, 1_000_000 + i,
            rnd.choice(_CUSTOMERS) + (f" {i % 997}" if rnd.random() < 0.5 else ""),
            f"203.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}" if charged else None,
            str(10_000 + i % 50_000) if charged else None, f"u{i}" if charged else None,
            f"p{i}" if charged else None, f"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}", "Germany",
            rnd.choice(("DE", "US", "FR", "RU", "BR")), "Berlin", "BE", "Example ISP", "residential",
            price, 100, _stamp(at), _stamp(at) if charged else None,
            _stamp(at + timedelta(days=30)) if charged else None, 1,
            _stamp(at + timedelta(minutes=10)) if status == "refunded" else None,
            price if status == "refunded" else None, 0, "",
        )


def fill(data_dir: Path, n: int, seed: int = 9) -> float:
    """A data dir with the app's schema and `n` orders; returns the seconds it took."""
    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.paths import AppPaths

    started = time.perf_counter()
    paths = AppPaths.from_env({"PROXYSHOP_DATA_DIR": str(data_dir)})
    paths.ensure()
    database = paths.database
    store = Store(database, paths.backups_dir)
    store.open()
    store.close()
    con = sqlite3.connect(database)
    con.execute("PRAGMA synchronous=OFF")
    marks = ",".join("?" * len(_COLUMNS))
    with con:
        con.executemany(f'INSERT INTO "order" ({", ".join(_COLUMNS)}) VALUES ({marks})', _rows(n, seed))
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return time.perf_counter() - started


def _orders_in(data_dir: Path) -> int:
    from proxyshop_desktop.models.migrations import LATEST_VERSION
    from proxyshop_desktop.paths import AppPaths

    database = AppPaths.from_env({"PROXYSHOP_DATA_DIR": str(data_dir)}).database
    if not database.exists():
        return -1
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        if con.execute("PRAGMA user_version").fetchone()[0] != LATEST_VERSION:
            return -1  # an older schema: fill again
        return int(con.execute('SELECT COUNT(*) FROM "order"').fetchone()[0])
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def integrity_check_s(data_dir: Path) -> float:
    """The store's open with its once-a-day full check due (its stamp removed), as the day's
    first command pays it; the measured commands then find it done, as the rest of the day's do."""
    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.paths import AppPaths

    database = AppPaths.from_env({"PROXYSHOP_DATA_DIR": str(data_dir)}).database
    database.with_name(database.name + ".checked").unlink(missing_ok=True)
    started = time.perf_counter()
    store = Store(database)
    store.open()
    store.close()
    return time.perf_counter() - started


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_"))}
    env["PROXYSHOP_DATA_DIR"] = str(data_dir)
    return env


def measure(argv: list[str], env: dict[str, str], runs: int) -> tuple[float, float, dict, float]:
    """Medians of wall seconds and peak RSS, the last JSON answer, median CPU seconds."""
    seconds, rss, cpu, data = [], [], [], {}
    for _ in range(runs):
        result = c.run_child(argv, env, timeout=600)
        data = result.json()
        seconds.append(result.seconds)
        rss.append(result.peak_rss_mb)
        cpu.append(result.cpu_s)
    return c.median(seconds), c.median(rss), data, c.median(cpu)


def baseline(runs: int) -> dict[str, tuple[float, float]]:
    """The same commands on an empty data dir: what start-up and imports alone cost on this
    machine now (on a loaded machine they dominate a whole-process figure)."""
    empty = c.fresh_dir("orders-empty")
    try:
        env = _env(empty)
        return {name: measure(c.cli_argv(name, "--json"), env, runs)[::3][:2]
                for name in ("stats", "orders")}
    finally:
        c.rm(empty)


def measure_gui(data_dir: Path, proxies: int, runs: int, t: c.Targets) -> None:
    import _orders_gui

    from proxyshop_desktop.paths import AppPaths

    _orders_gui.fill_products(AppPaths.from_env({"PROXYSHOP_DATA_DIR": str(data_dir)}).database, proxies)
    env = _env(data_dir)
    env.update(QT_QPA_PLATFORM="offscreen", PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring")
    results, rss = [], []
    for _ in range(runs):
        env["BENCH_SPAWNED"] = repr(time.time())
        child = c.run_child([sys.executable, str(Path(__file__).resolve()), "--child-gui"], env, timeout=600)
        results.append(child.json())
        rss.append(child.peak_rss_mb)
    idle = c.median([r["idle_s"] for r in results])
    peak = c.median(rss)
    label = f"{results[0]['orders_total']:,} orders + {proxies:,} proxies"
    t.info("window: launch -> first paint", f"{c.median([r['first_paint_s'] for r in results]):.2f} s")
    t.check(f"window: launch -> idle, {label}", f"{idle:.2f} s", "<= 2 s", idle <= 2.0)
    t.check("window: peak RSS", f"{peak:.0f} MB", "<= 350 MB", peak <= 350)
    for op in results[0]["ops_ms"]:
        ms = c.median([r["ops_ms"][op] for r in results])
        limit = 300 if op == "first rows shown" else 150
        t.check(f"Sales tab: {op}", f"{ms:.0f} ms", f"<= {limit} ms", ms <= limit)
    gap = c.median([r["scroll_max_gap_ms"] for r in results])
    t.check(f"Sales tab: longest stall scrolling {results[0]['scrolled_rows']:,} rows", f"{gap:.0f} ms",
            "<= 50 ms", gap <= 50)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=ORDERS, help=f"orders in the data dir ({ORDERS:,})")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (3; median)")
    parser.add_argument("--data-dir", type=Path, help="keep (and reuse) the filled data dir here")
    parser.add_argument("--gui", action="store_true", help="also measure the window (offscreen)")
    parser.add_argument("--proxies", type=int, default=50_000, help="proxies for --gui (50,000)")
    parser.add_argument("--child-gui", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true",
                        help=f"short version for CI: {QUICK_ORDERS:,} orders, 1 run, targets not enforced")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = _arguments(argv)
    if args.child_gui:
        import _orders_gui

        _orders_gui.child(float(os.environ["BENCH_SPAWNED"]))
        return 0
    n = QUICK_ORDERS if args.quick else args.orders
    runs = 1 if args.quick else args.runs
    c.print_machine()
    data_dir = args.data_dir or c.fresh_dir("orders")
    t = c.Targets(enforce=not args.quick)
    try:
        if _orders_in(data_dir) == n:
            print(f"Reusing {data_dir} ({n:,} orders)")
        else:
            c.rm(data_dir)
            print(f"Filling {data_dir} with {n:,} orders ...", flush=True)
            t.info("fill (schema + raw executemany, triggers on)", f"{fill(data_dir, n):.1f} s")
        env = _env(data_dir)
        t.info("open with the once-a-day full integrity check due (the day's first command)",
               f"{integrity_check_s(data_dir):.2f} s")
        empty = baseline(runs)
        stats_s, stats_rss, stats, stats_cpu = measure(c.cli_argv("stats", "--json"), env, runs)
        sold_ok = stats.get("total_sold", 0) >= n * 0.9
        t.check("stats counts every charged order", stats.get("total_sold"), f">= {int(n * 0.9):,}",
                sold_ok, always=True)
        t.check(f"stats --json, {n:,} orders (whole process)", f"{stats_s:.3f} s",
                f"<= {TARGET_S} s", stats_s <= TARGET_S)
        t.info("stats --json CPU (user + system)", f"{stats_cpu:.3f} s")
        t.info("stats --json on an empty data dir: wall / CPU", "{:.3f} s / {:.3f} s".format(*empty["stats"]))
        t.info("stats --json peak RSS", f"{stats_rss:.0f} MB")
        page_s, page_rss, page, page_cpu = measure(c.cli_argv("orders", "--json"), env, runs)
        t.check("orders --json is one page with the total", f"{len(page['orders'])} of {page['total']:,}",
                f"100 of {n:,}", len(page["orders"]) == 100 and page["total"] == n
                and page["next_page"] == 2, always=True)
        t.check(f"orders --json first page, {n:,} orders (whole process)", f"{page_s:.3f} s",
                f"<= {TARGET_S} s", page_s <= TARGET_S)
        t.info("orders --json CPU (user + system)", f"{page_cpu:.3f} s")
        t.info("orders --json on an empty data dir: wall / CPU", "{:.3f} s / {:.3f} s".format(*empty["orders"]))
        t.info("orders --json peak RSS", f"{page_rss:.0f} MB")
        for label, extra in (("search 'женя'", ["--search", "женя"]),
                             ("search an IP '203.1.2.3'", ["--search", "203.1.2.3"]),
                             ("status refunded", ["--status", "refunded"]),
                             ("last page", ["--page", str(-(-n // 100))])):
            seconds, _rss, data, cpu = measure(c.cli_argv("orders", "--json", *extra), env, runs)
            t.info(f"orders --json {label} ({data['total']:,} match): wall / CPU",
                   f"{seconds:.3f} s / {cpu:.3f} s")
        if args.gui:
            measure_gui(data_dir, 5_000 if args.quick else args.proxies, runs, t)
    finally:
        if args.data_dir is None:
            c.rm(data_dir)
    return t.report()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
