"""Scaling: first-sync time and peak RSS at 50,000 / 200,000 / 1,000,000 proxies, per 1,000 proxies.

For each size a fresh simulator process serves the catalogue (warmed by one full listing);
`proxyshop-desktop sync --json` runs as a whole process on a fresh data dir `--runs` times, the
floor (`floor_sync.py`, which holds the listing in memory) alongside for reference unless
`--no-floor`. Targets (issue 9): peak RSS of the sync <= 150 MB at every size (flat: the listing is
staged in SQL as it arrives); time per proxy at the largest size <= 1.1 x that at 50,000.

    python benchmarks/bench_scaling.py [--sizes 50000,200000,1000000] [--runs 3] [--no-floor] [--quick]
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import _common as c
from floor_sync import floor_argv

SIZES = (50_000, 200_000, 1_000_000)
QUICK_SIZES = (2_000, 5_000, 20_000)
MAX_RSS_MB = 150
MAX_GROWTH = 1.1


def measure(size: int, runs: int, floor: bool) -> dict[str, float]:
    sync_s, rss, floor_s, floor_rss = [], [], [], []
    with c.Simulator(size) as sim:
        online = len(sim.online_ids())  # warms the simulator's JSON cache
        for run in range(runs):
            work = c.fresh_dir(f"scale{size}")
            try:
                res = c.run_child(c.cli_argv("sync", "--json"), sim.env(work / "app"), timeout=1800)
                added = res.json().get("added")
                if added != online:
                    raise RuntimeError(f"sync added {added}, expected {online}")
                sync_s.append(res.seconds)
                rss.append(res.peak_rss_mb)
                print(f"  {size:,}: run {run + 1}: {res.seconds:.2f} s, {res.peak_rss_mb:.1f} MB", flush=True)
                if not floor:
                    continue
                fl = c.run_child(floor_argv(sim.base_url, work / "floor.sqlite3", work), timeout=1800)
                fl.json()
                floor_s.append(fl.seconds)
                floor_rss.append(fl.peak_rss_mb)
            finally:
                c.rm(work)
    nan = float("nan")
    return {"online": online, "sync_s": c.median(sync_s), "rss": max(rss),
            "floor_s": c.median(floor_s) if floor_s else nan,
            "floor_rss": max(floor_rss) if floor_rss else nan}


def main(argv: list[str]) -> int:
    parser = c.base_args(__doc__.splitlines()[0], 50_000)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated catalogue sizes (default 50000,200000,1000000)")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor (faster at 1,000,000)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(","))
    runs = 1 if args.quick else args.runs
    c.print_machine()
    print("Load average at start (1/5/15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"Command: {' '.join(c.cli_argv('sync', '--json'))}; sizes {sizes}, {runs} run(s) each\n")
    figures = {size: measure(size, runs, not args.no_floor) for size in sizes}
    base = figures[sizes[0]]
    rows = []
    for size, f in figures.items():
        per_k = f["sync_s"] / f["online"] * 1000
        rows.append((f"{size:,}", int(f["online"]), f["sync_s"], per_k * 1000,
                     (f["rss"] - base["rss"]) / max(1, f["online"] - base["online"]) * 1000
                     if size != sizes[0] else "-",
                     f["rss"], f["floor_s"], f["floor_s"] / f["online"] * 1e6, f["floor_rss"],
                     f["sync_s"] / f["floor_s"]))
    c.print_table(("size", "online", "sync s (median)", "sync ms / 1k", "RSS MB / 1k above smallest",
                   "sync peak RSS MB", "floor s", "floor ms / 1k", "floor RSS MB", "sync/floor"), rows)

    t = c.Targets(enforce=not args.quick)
    mid = 50_000 if 50_000 in figures else sizes[0]
    per = {s: figures[s]["sync_s"] / figures[s]["online"] for s in sizes}
    growth = per[sizes[-1]] / per[mid]
    t.check(f"time per proxy at {sizes[-1]:,} / at {mid:,}", f"{growth:.3f}x", f"<= {MAX_GROWTH:.2f}x",
            growth <= MAX_GROWTH)
    for size in sizes:
        rss = figures[size]["rss"]
        t.check(f"peak RSS of the sync at {size:,}", f"{rss:.1f} MB", f"<= {MAX_RSS_MB} MB",
                rss <= MAX_RSS_MB)
    return t.report()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
