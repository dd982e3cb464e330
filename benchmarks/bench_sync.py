"""Sync against the floor, re-sync with no changes, re-sync after 5 % churn, memory, no Qt.

Per run, a fresh simulator process (identical catalogue every run) serves N proxies; then
  (a) the floor (`floor_sync.py`) as a whole process on a fresh database,
  (b) `proxyshop-desktop sync --json` as a whole process on a fresh data dir,
  (c) the same command again with nothing changed at the provider,
  (d) the same command after `POST /_sim/churn {"fraction": 0.05}`.
Targets: (b) <= 1.3 x (a); (c) <= 0.5 x (b) and no product row written (counted by triggers
the benchmark adds to its own copy of the database, and the table's content unchanged);
(d) <= 0.6 x (b) with the churn's counts; peak RSS of every sync <= 150 MB (issue 9); no Qt imported.
The floor also re-syncs its own database after (c) and after (d) (`floor_sync.py` on an existing
database: fetch, decode, compare, write only the differences), so the table shows what the least
possible re-sync costs relative to the least possible first sync on the same machine.

    python benchmarks/bench_sync.py [--proxies 50000] [--runs 3] [--quick]
    python benchmarks/bench_sync.py --database postgresql://user@host:port/maintenance_db
    python benchmarks/bench_sync.py --database throwaway   # a throwaway local cluster

With --database, the same sync into PostgreSQL (issue 11): per run, a fresh database and
simulator; the floor is httpx pages + psycopg `COPY` into a plain table (bench_pg.py's, as a
process); then the first sync and a no-change re-sync, whose product row writes a trigger counts.
Targets: first sync <= 1.5 x the floor; the re-sync writes no row. The URL names a maintenance
database whose user may CREATE DATABASE (password from PGPASSWORD or ~/.pgpass).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import _common as c
from floor_sync import floor_argv

_TRIGGERS = """
CREATE TABLE IF NOT EXISTS bench_writes (n INTEGER NOT NULL);
DELETE FROM bench_writes; INSERT INTO bench_writes VALUES (0);
CREATE TRIGGER IF NOT EXISTS bench_ins AFTER INSERT ON product BEGIN UPDATE bench_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS bench_upd AFTER UPDATE ON product BEGIN UPDATE bench_writes SET n = n + 1; END;
CREATE TRIGGER IF NOT EXISTS bench_del AFTER DELETE ON product BEGIN UPDATE bench_writes SET n = n + 1; END;
"""
_DROP = """
DROP TRIGGER IF EXISTS bench_ins; DROP TRIGGER IF EXISTS bench_upd;
DROP TRIGGER IF EXISTS bench_del; DROP TABLE IF EXISTS bench_writes;
"""


def _sql(db: Path, script: str) -> None:
    con = sqlite3.connect(db, isolation_level=None)
    try:
        con.executescript(script)
    finally:
        con.close()


def _writes(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return int(con.execute("SELECT n FROM bench_writes").fetchone()[0])
    finally:
        con.close()


def _sync(sim: c.Simulator, data: Path) -> tuple[c.ChildResult, dict[str, Any]]:
    res = c.run_child(c.cli_argv("sync", "--json"), sim.env(data), check_qt=True)
    return res, res.json()


def _floor_again(sim: c.Simulator, work: Path) -> tuple[float, int]:
    """The floor re-syncing the database it filled in (a): (wall seconds, rows it wrote)."""
    res = c.run_child(floor_argv(sim.base_url, work / "floor.sqlite3", work))
    info = res.json()
    assert info["resync"], info
    return res.seconds, info["written"]


def one_run(n: int, proxies: int) -> dict[str, Any]:
    out: dict[str, Any] = {"run": n}
    with c.Simulator(proxies) as sim:
        out["online"] = online = len(sim.online_ids())  # warms the simulator's JSON cache
        work = c.fresh_dir("sync")
        try:
            def floor() -> None:
                res = c.run_child(floor_argv(sim.base_url, work / "floor.sqlite3", work))
                out["floor_s"], out["floor_rss"], out["floor_cpu"] = res.seconds, res.peak_rss_mb, res.cpu_s
                out["floor_rows"] = res.json()["rows"]
                out["floor_write_s"] = res.json()["write_seconds"]

            def first() -> None:
                res, js = _sync(sim, work / "app")
                out.update(first_s=res.seconds, first_rss=res.peak_rss_mb, first_json=js, first_cpu=res.cpu_s,
                           qt=[res.qt_modules])
            # alternate which goes first so neither always gets the warmer machine
            for step in ((floor, first) if n % 2 else (first, floor)):
                step()
            db = work / "app" / "proxyshop.sqlite3"
            _sql(db, _TRIGGERS)
            before = c.product_table_digest(db)
            res, js = _sync(sim, work / "app")
            out.update(nochange_s=res.seconds, nochange_rss=res.peak_rss_mb, nochange_json=js,
                       nochange_cpu=res.cpu_s,
                       nochange_writes=_writes(db),
                       nochange_same=c.product_table_digest(db) == before)
            out["qt"].append(res.qt_modules)
            out["floor_nochange_s"], out["floor_nochange_written"] = _floor_again(sim, work)
            _sql(db, _DROP)
            out["churn"] = sim.admin("churn", {"fraction": 0.05, "seed": n})
            res, js = _sync(sim, work / "app")
            out.update(churn_s=res.seconds, churn_rss=res.peak_rss_mb, churn_json=js, churn_cpu=res.cpu_s)
            out["qt"].append(res.qt_modules)
            out["floor_churn_s"], out["floor_churn_written"] = _floor_again(sim, work)
            con = sqlite3.connect(db)
            out["rows_after_churn"] = con.execute("SELECT count(*) FROM product").fetchone()[0]
            con.close()
            out["online_after_churn"] = len(sim.online_ids())
        finally:
            c.rm(work)
    assert online == out["floor_rows"], (online, out["floor_rows"])
    print(f"run {n}: peak RSS MB (b) {out['first_rss']:.1f}, (c) {out['nochange_rss']:.1f}, "
          f"(d) {out['churn_rss']:.1f}; floor {out['floor_rss']:.1f}", flush=True)
    return out


def main(argv: list[str]) -> int:
    parser = c.base_args(__doc__.splitlines()[0], 50_000)
    parser.add_argument("--database", help="postgresql://user@host:port/maintenance_db, or "
                        "'throwaway' for a local throwaway cluster (Debian's postgresql)")
    args = parser.parse_args(argv)
    proxies, runs = (5_000, 1) if args.quick else (args.proxies, args.runs)
    if args.database:
        return _postgres(args.database, proxies, runs, enforce=not args.quick)
    c.print_machine()
    print("Load average at start (1/5/15 min): {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"Command: {' '.join(c.cli_argv('sync', '--json'))}; {proxies:,} proxies, {runs} run(s)\n")
    results = [one_run(n, proxies) for n in range(1, runs + 1)]

    rows, med, floor = _print_tables(results)
    return _targets(results, rows, med, floor, enforce=not args.quick)


def _print_tables(results: list[dict]) -> tuple[list[tuple], tuple, list[tuple]]:
    rows = []
    for r in results:
        rows.append((r["run"], r["online"], r["floor_s"], r["first_s"], r["first_s"] / r["floor_s"],
                     r["nochange_s"], r["nochange_s"] / r["first_s"], r["churn_s"],
                     r["churn_s"] / r["first_s"], max(r["first_rss"], r["nochange_rss"], r["churn_rss"]),
                     r["floor_rss"]))
    med = tuple(c.median([row[i] for row in rows]) for i in range(2, len(rows[0])))
    c.print_table(("run", "online", "(a) floor s", "(b) sync s", "b/a", "(c) no-change s", "c/b",
                   "(d) 5% churn s", "d/b", "sync peak RSS MB", "floor RSS MB"),
                  rows + [("median", rows[0][1], *med)])
    print("\nThe floor re-syncing its own database: the least a re-sync costs against the least a first sync costs")
    floor = [(r["run"], r["floor_s"], r["floor_nochange_s"], r["floor_nochange_s"] / r["floor_s"],
              r["floor_nochange_written"], r["floor_churn_s"], r["floor_churn_s"] / r["floor_s"],
              r["floor_churn_written"]) for r in results]
    c.print_table(("run", "(a) floor s", "(c') floor no-change s", "c'/a", "rows written (c')",
                   "(d') floor churn s", "d'/a", "rows written (d')"),
                  floor + [("median", *(c.median([row[i] for row in floor]) for i in range(1, 8)))])
    print("\nCPU seconds (user + system) of each process, for comparison on a loaded machine")
    cpu = [(r["run"], r["floor_cpu"], r["first_cpu"], r["first_cpu"] / r["floor_cpu"], r["nochange_cpu"],
            r["nochange_cpu"] / r["first_cpu"], r["churn_cpu"], r["churn_cpu"] / r["first_cpu"]) for r in results]
    c.print_table(("run", "(a) floor CPU s", "(b) sync CPU s", "b/a", "(c) CPU s", "c/b", "(d) CPU s", "d/b"),
                  cpu + [("median", *(c.median([row[i] for row in cpu]) for i in range(1, 8)))])
    print()
    c.print_table(("run", "sync JSON (b)", "no-change JSON (c)", "rows written (c)", "churn", "churn JSON (d)"),
                  [(r["run"], _counts(r["first_json"]), _counts(r["nochange_json"]), r["nochange_writes"],
                    _counts(r["churn"]), _counts(r["churn_json"])) for r in results])

    return rows, med, floor


def _targets(results: list[dict], rows: list[tuple], med: tuple, floor: list[tuple], enforce: bool) -> int:
    t = c.Targets(enforce=enforce)
    _, _, ratio_b, _, ratio_c, _, ratio_d, rss, _ = med
    t.check("(b) sync / (a) floor", f"{ratio_b:.3f}x", "<= 1.30x", ratio_b <= 1.3)
    t.check("(c) no-change re-sync / (b)", f"{ratio_c:.3f}x", "<= 0.50x", ratio_c <= 0.5)
    t.check("(d) 5% churn re-sync / (b)", f"{ratio_d:.3f}x", "<= 0.60x", ratio_d <= 0.6)
    floor_c, floor_d = (c.median([row[i] for row in floor]) for i in (3, 6))
    # Everything the floor does except writing: start-up, paging, decoding. The API has no
    # conditional or incremental listing, so a re-sync that decodes the listing pays all of it.
    unavoidable = c.median([(r["floor_s"] - r["floor_write_s"]) / r["floor_s"] for r in results])
    t.info("(floor - its write) / floor: least re-sync that decodes", f"{unavoidable:.3f}x")
    t.info("the floor's own no-change re-sync / floor (c'/a)", f"{floor_c:.3f}x")
    t.info("the floor's own 5% churn re-sync / floor (d'/a)", f"{floor_d:.3f}x")
    t.check("peak RSS of a sync process (max over runs)", f"{max(r[9] for r in rows):.1f} MB",
            "<= 150 MB", max(r[9] for r in rows) <= 150)
    ok_c = all(r["nochange_writes"] == 0 and r["nochange_same"] and _zero(r["nochange_json"]) for r in results)
    t.check("(c) product rows written", max(r["nochange_writes"] for r in results), "= 0", ok_c, always=True)
    t.check("(b) sync added every online proxy",
            min(r["first_json"].get("added", -1) for r in results), "= online",
            all(r["first_json"].get("added") == r["online"] for r in results), always=True)
    t.check("(d) counts = churn, inventory = online", "see table", "exact",
            all(_churn_ok(r) for r in results), always=True)
    qt = sorted({m for r in results for mods in r["qt"] for m in (mods if mods is not None else ["<not reported>"])})
    t.check("Qt modules imported by `sync`", ", ".join(qt[:3]) or "none", "none", not qt, always=True)
    return t.report()



def _postgres(database: str, proxies: int, runs: int, enforce: bool) -> int:
    """The first sync and a no-change re-sync into PostgreSQL against the COPY floor."""
    import bench_pg  # psycopg and the throwaway cluster only when asked for

    c.print_machine()
    print(f"Command: {' '.join(c.cli_argv('sync', '--json'))} into PostgreSQL; {proxies:,} proxies,"
          f" {runs} run(s)\n")
    server = bench_pg.Server(None if database == "throwaway" else database)
    work = c.fresh_dir("sync-pg")
    results = []
    try:
        for n in range(1, runs + 1):
            name = f"proxyshop_bench_sync_{os.getpid()}_{n}"
            with c.Simulator(proxies) as sim:
                online = len(sim.online_ids())  # warms the simulator's JSON cache
                try:
                    results.append({"run": n, "online": online,
                                    **bench_pg.sync_figures(sim, server, name, work, n)})
                finally:
                    server.drop(name)
    finally:
        server.close()
        c.rm(work)
    return _pg_report(results, enforce)


def _pg_report(results: list[dict[str, Any]], enforce: bool) -> int:
    steps = ("floor", "first", "again")
    rows = [(r["run"], *(r[f"{s}_{k}"] for s in steps for k in ("s", "cpu")),
             r["first_s"] / r["floor_s"], r["first_cpu"] / r["floor_cpu"], r["again_s"] / r["first_s"],
             r["writes"], r["first_rss"], " / ".join(f"{r[f'{s}_load']:.1f}" for s in steps))
            for r in results]
    med = [c.median([row[i] for row in rows]) for i in range(1, 12)]
    c.print_table(("run", "(a) floor s", "(a) CPU s", "(b) sync s", "(b) CPU s", "(c) re-sync s",
                   "(c) CPU s", "b/a", "b/a CPU", "c/b", "rows written (c)", "sync RSS MB",
                   "load (a / b / c)"), [*rows, ("median", *med, "")])
    if all("first_server" in r for r in results):
        print("\nServer CPU seconds of each process (the throwaway cluster's backends)")
        server = [(r["run"], r["floor_server"], r["first_server"], r["again_server"],
                   (r["first_cpu"] + r["first_server"]) / (r["floor_cpu"] + r["floor_server"]))
                  for r in results]
        c.print_table(("run", "(a) server CPU s", "(b) server CPU s", "(c) server CPU s",
                       "b/a client + server CPU"),
                      [*server, ("median", *(c.median([row[i] for row in server]) for i in range(1, 5)))])
    t = c.Targets(enforce=enforce)
    t.check("(b) sync / (a) floor, PostgreSQL", f"{med[6]:.3f}x", "<= 1.50x", med[6] <= 1.5)
    t.info("(b) / (a) in CPU seconds of the two processes", f"{med[7]:.3f}x")
    t.check("(b) sync added every online proxy", min(r["first_json"].get("added", -1) for r in results),
            "= online", all(r["first_json"].get("added") == r["online"] for r in results), always=True)
    t.check("(c) product rows written", max(r["writes"] for r in results), "= 0",
            all(r["writes"] == 0 and _zero(r["again_json"]) for r in results), always=True)
    qt = sorted({m for r in results for m in (r["qt"] if r["qt"] is not None else ["<not reported>"])})
    t.check("Qt modules imported by `sync`", ", ".join(qt[:3]) or "none", "none", not qt, always=True)
    return t.report()


def _counts(js: dict[str, Any]) -> str:
    keys = {"total_fetched": "fetched", "added": "add", "updated": "upd", "removed": "rm",
            "skipped": "skip", "offline": "offline", "changed": "changed"}
    return " ".join(f"{short}={js[k]}" for k, short in keys.items() if k in js)


def _zero(js: dict[str, Any]) -> bool:
    return js.get("added") == 0 and js.get("updated") == 0 and js.get("removed") == 0


def _churn_ok(r: dict[str, Any]) -> bool:
    ch, js = r["churn"], r["churn_json"]
    return (js.get("added") == ch["added"] and js.get("updated") == ch["changed"]
            and js.get("removed") == ch["offline"] + ch["removed"]
            and r["rows_after_churn"] == r["online_after_churn"])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
