"""Cleanup of a 50,000-item inventory: provider requests grow with the listing's pages, never one
request per inventory item.

Per run: a fresh simulator process with N proxies; `proxyshop-desktop sync --json` fills the
inventory; then 1 % of the proxies go offline and 1 % vanish at the simulator; the simulator's
request counters are reset and `proxyshop-desktop cleanup --json` runs as a whole process.
Printed: the provider requests the cleanup made (from `/_sim/stats`), by endpoint.
Targets: requests <= pages of the online listing + pages of the offline listing + 10; exactly the
offline and vanished items removed; no Qt imported.

    python benchmarks/bench_cleanup.py [--proxies 50000] [--runs 3] [--quick]
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path
from typing import Any

import _common as c

SLACK = 10  # health check, purchases, a retry: a small constant, never per item


def one_run(n: int, proxies: int) -> dict[str, Any]:
    out: dict[str, Any] = {"run": n}
    with c.Simulator(proxies) as sim:
        ids = sim.online_ids()
        work = c.fresh_dir("cleanup")
        try:
            env = sim.env(work / "app")
            res = c.run_child(c.cli_argv("sync", "--json"), env)
            out["sync_s"], out["inventory"] = res.seconds, res.json().get("added")
            k = max(1, len(ids) // 100)
            step = len(ids) // (2 * k)
            picked = ids[::step][: 2 * k]  # spread over every page of the listing
            for pid in picked[:k]:
                sim.admin("offline", {"proxy_id": pid})
            for pid in picked[k:]:
                sim.admin("remove", {"proxy_id": pid})
            out["gone"] = 2 * k
            online = len(sim.online_ids())
            sim.admin("reset-stats")
            res = c.run_child(c.cli_argv("cleanup", "--json"), env, check_qt=True)
            js = res.json()
            stats = sim.stats()
            out.update(cleanup_s=res.seconds, cleanup_rss=res.peak_rss_mb, json=js,
                       requests=stats["total_requests"], by_endpoint=stats["requests"],
                       qt=res.qt_modules, online=online)
            out["pages"] = online // c.PAGE_SIZE + 1 + k // c.PAGE_SIZE + 1
            con = sqlite3.connect(work / "app" / "proxyshop.sqlite3")
            out["rows_after"] = con.execute("SELECT count(*) FROM product").fetchone()[0]
            con.close()
        finally:
            c.rm(work)
    return out


def main(argv: list[str]) -> int:
    args = c.base_args(__doc__.splitlines()[0], 50_000).parse_args(argv)
    proxies, runs = (5_000, 1) if args.quick else (args.proxies, args.runs)
    c.print_machine()
    print(f"Command: {' '.join(c.cli_argv('cleanup', '--json'))}; {proxies:,} proxies, {runs} run(s)\n")
    results = [one_run(n, proxies) for n in range(1, runs + 1)]
    rows = [(r["run"], r["inventory"], r["gone"], r["json"].get("removed_count"), r["rows_after"],
             r["requests"], r["pages"] + SLACK, r["cleanup_s"], r["cleanup_rss"], r["sync_s"])
            for r in results]
    med = [c.median([row[i] for row in rows]) for i in (7, 8, 9)]
    c.print_table(("run", "inventory", "offline+gone", "removed", "left", "provider requests",
                   "limit", "cleanup s", "cleanup RSS MB", "sync s"),
                  rows + [("median", "", "", "", "", int(c.median([r[5] for r in rows])), "", *med)])
    print("\nRequests by endpoint:",
          "; ".join(f"run {r['run']}: {r['by_endpoint']}" for r in results))

    t = c.Targets(enforce=not args.quick)
    worst = max(results, key=lambda r: r["requests"] - r["pages"])
    t.check("provider requests of cleanup", worst["requests"],
            f"<= {worst['pages'] + SLACK:,} (pages + {SLACK})",
            all(r["requests"] <= r["pages"] + SLACK for r in results))
    t.check("removed = offline + vanished", min(r["json"].get("removed_count", -1) for r in results),
            f"= {results[0]['gone']:,}",
            all(r["json"].get("removed_count") == r["gone"] for r in results), always=True)
    t.check("inventory left = online at provider", min(r["rows_after"] for r in results),
            f"= {results[0]['online']:,}", all(r["rows_after"] == r["online"] for r in results), always=True)
    qt = sorted({m for r in results for m in (r["qt"] if r["qt"] is not None else ["<not reported>"])})
    t.check("Qt modules imported by `cleanup`", ", ".join(qt[:3]) or "none", "none", not qt, always=True)
    return t.report()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
