"""The inventory's two query paths at catalogue size N (no window): the in-memory row cache the
window uses today (`inventory_rows`) against SQL pages (`query_inventory`: COUNT + one page).

A data dir is filled once through the app's own sync against the simulator (or reused with
--data-dir), then a child process opens it and measures, per filter/sort change of
benchmarks/bench_gui.py: the SQL path first (first page of 200 rows and the total), then the cache
(its build, the RSS it adds, and each change over every matching row).
Targets (issue 9): filter/sort <= 100 ms; the window's peak RSS <= 350 MB.

    python benchmarks/bench_inventory.py [--proxies 1000000] [--runs 3] [--data-dir DIR] [--quick]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

PAGE = 200
STEPS: list[tuple[str, dict[str, Any]]] = [
    ("filter type = residential", {"proxy_type": "residential"}),
    ("filter country = US", {"country_code": "US"}),
    ("clear filters", {}),
    ("sort speed ascending", {"sort": "speed"}),
    ("sort speed descending", {"sort": "speed", "descending": True}),
    ("sort ISP ascending", {"sort": "isp"}),
    ("sort country ascending", {"sort": "country"}),
    ("filter ISP substring 'tel'", {"isp": "tel"}),
]


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


def _child(data_dir: str, runs: int) -> None:
    from decimal import Decimal

    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.paths import AppPaths
    from proxyshop_desktop.services import inventory_cache, inventory_facets, inventory_pages
    from proxyshop_desktop.services.results import InventoryQuery

    paths = AppPaths(Path(data_dir))
    store = Store(paths.database, paths.backups_dir)
    store.open()
    price = Decimal("1.00")

    def timed(fn: Any, *args: Any) -> tuple[float, Any]:
        t0 = time.perf_counter()
        out = store.run_blocking(fn, *args)
        return (time.perf_counter() - t0) * 1000, out

    out: dict[str, Any] = {"rss_open": _rss_mb(), "sql": {}, "cache": {}, "rows": {}}
    for name, kw in STEPS:
        q = InventoryQuery(page_size=PAGE, **kw)
        times = []
        for _ in range(runs):
            ms, page = timed(inventory_pages.page, q, price)
            times.append(ms)
        out["sql"][name] = sorted(times)[len(times) // 2]
        out["rows"][name] = page.total
    out["rss_sql"] = _rss_mb()
    # The facet cube, as the window builds it after a sync: chunk by chunk (the longest chunk is
    # the longest the DB thread is held), then the page (its total from the cube) and the facets.
    t0 = time.perf_counter()
    builder = store.run_blocking(inventory_facets._Builder)
    chunks = []
    for low in range(0, builder.top, inventory_facets.CHUNK_IDS):
        ms, _ = timed(builder.scan, low, low + inventory_facets.CHUNK_IDS)
        chunks.append(ms)
    ms, cube = timed(builder.finish)
    out["cube"] = {"total_ms": (time.perf_counter() - t0) * 1000, "longest_step_ms": max([*chunks, ms]),
                   "cells": len(cube.cells), "rss": _rss_mb()}
    out["paged"], out["facets"] = {}, {}
    for name, kw in STEPS:
        q = InventoryQuery(page_size=PAGE, **kw)
        for part, fn in (("paged", inventory_pages.page), ("facets", inventory_facets.facets)):
            times = []
            for _ in range(runs):
                ms, _ = timed(fn, q, price) if part == "paged" else timed(fn, q)
                times.append(ms)
            out[part][name] = sorted(times)[len(times) // 2]
    ms, _rows = timed(inventory_cache.all_rows, InventoryQuery(), price)
    out["cache_build_ms"], out["rss_cache"] = ms, _rss_mb()
    del _rows
    for name, kw in STEPS:
        times = []
        for _ in range(runs):
            ms, rows = timed(inventory_cache.all_rows, InventoryQuery(**kw), price)
            del rows
            times.append(ms)
        out["cache"][name] = sorted(times)[len(times) // 2]
    store.close()
    print(json.dumps(out), flush=True)


def main(argv: list[str]) -> int:
    import _common as c

    parser = c.base_args(__doc__.splitlines()[0], 1_000_000)
    parser.add_argument("--data-dir", type=Path, help="a data dir already synced (kept)")
    args = parser.parse_args(argv)
    proxies, runs = (5_000, 1) if args.quick else (args.proxies, args.runs)
    c.print_machine()
    me = [sys.executable, str(Path(__file__).resolve())]
    if args.data_dir is not None and (args.data_dir / "proxyshop.sqlite3").exists():
        data = args.data_dir
    else:
        data = args.data_dir or c.fresh_dir("inventory") / "app"
        with c.Simulator(proxies) as sim:
            t0 = time.perf_counter()
            c.run_child(c.cli_argv("sync", "--json"), sim.env(data), timeout=3600).json()
            print(f"filled {data} by a sync of {proxies:,} proxies in {time.perf_counter() - t0:.0f} s")
    res = c.run_child([*me, "--child", str(data), str(runs)], timeout=3600)
    r = res.json()
    total = r["rows"]["clear filters"]
    print(f"\nInventory of {total:,} proxies; medians of {runs} run(s), ms (SQL: COUNT + first "
          f"{PAGE} rows; cache: every matching row from the in-memory cache)")
    c.print_table(("change", "rows matching", "SQL page ms (no cube)", "page ms (cube)", "facets ms (cube)",
                   "cache ms"),
                  [(n, r["rows"][n], r["sql"][n], r["paged"][n], r["facets"][n], r["cache"][n])
                   for n, _ in STEPS])
    cube = r["cube"]
    print(f"\nFacet cube: {cube['cells']:,} cells, built in {cube['total_ms']:.0f} ms, longest step "
          f"(DB thread held) {cube['longest_step_ms']:.0f} ms; RSS then {cube['rss']:.0f} MB")
    print(f"\nRSS: {r['rss_open']:.0f} MB opened, {r['rss_sql']:.0f} MB after the SQL pages, "
          f"{r['rss_cache']:.0f} MB with the cache built ({r['cache_build_ms']:.0f} ms); "
          f"child peak {res.peak_rss_mb:.0f} MB")
    t = c.Targets(enforce=not args.quick)
    worst_sql = max(r["paged"][n] + r["facets"][n] for n, _ in STEPS)
    t.check("SQL path: slowest change (page + facets)", f"{worst_sql:.1f} ms", "<= 100 ms", worst_sql <= 100)
    worst_cache = max(r["cache"].values())
    t.check("cache path: slowest change", f"{worst_cache:.1f} ms", "<= 100 ms", worst_cache <= 100)
    t.check("cache path: RSS with the cache", f"{r['rss_cache']:.0f} MB", "<= 350 MB", r["rss_cache"] <= 350)
    return t.report()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        _child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        sys.exit(main(sys.argv[1:]))
