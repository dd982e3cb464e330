"""Scaling: first-sync time and peak RSS at 5,000 / 50,000 / 200,000 proxies, per 1,000 proxies.

For each size a fresh simulator process serves the catalogue (warmed by one full listing);
`proxyshop-desktop sync --json` runs as a whole process on a fresh data dir `--runs` times, the
floor (`floor_sync.py`) alongside for reference. Target: time per proxy at the largest size
<= 1.5 x time per proxy at 50,000 (growth no worse than linear, with slack for noise).

    python benchmarks/bench_scaling.py [--sizes 5000,50000,200000] [--runs 3] [--quick]
"""

from __future__ import annotations

import sys
from pathlib import Path

import _common as c
from floor_sync import floor_argv

SIZES = (5_000, 50_000, 200_000)
QUICK_SIZES = (2_000, 5_000, 20_000)


def measure(size: int, runs: int) -> dict[str, float]:
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
                fl = c.run_child(floor_argv(sim.base_url, work / "floor.sqlite3"), timeout=1800)
                fl.json()
                floor_s.append(fl.seconds)
                floor_rss.append(fl.peak_rss_mb)
            finally:
                c.rm(work)
    return {"online": online, "sync_s": c.median(sync_s), "rss": max(rss),
            "floor_s": c.median(floor_s), "floor_rss": max(floor_rss)}


def main(argv: list[str]) -> int:
    parser = c.base_args(__doc__.splitlines()[0], 50_000)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated catalogue sizes (default 5000,50000,200000)")
    args = parser.parse_args(argv)
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(","))
    runs = 1 if args.quick else args.runs
    c.print_machine()
    print(f"Command: {' '.join(c.cli_argv('sync', '--json'))}; sizes {sizes}, {runs} run(s) each\n")
    figures = {size: measure(size, runs) for size in sizes}
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
    mid = 50_000 if 50_000 in figures else sizes[len(sizes) // 2]
    per = {s: figures[s]["sync_s"] / figures[s]["online"] for s in sizes}
    growth = per[sizes[-1]] / per[mid]
    t.check(f"time per proxy at {sizes[-1]:,} / at {mid:,}", f"{growth:.3f}x", "<= 1.50x",
            growth <= 1.5)
    if 50_000 in figures:
        rss = figures[50_000]["rss"]
        t.check("peak RSS of the sync at 50,000", f"{rss:.1f} MB", "<= 200 MB", rss <= 200)
    return t.report()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
