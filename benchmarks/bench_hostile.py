"""A provider hiccup and a compressed oversized page, against whole `sync` processes (issue 15).

A simulator process serves N proxies (page size 200); a child `proxyshop-desktop sync` fills a
fresh data dir; then, with the fault injected for every request of that page:
  (1) page 2 comes back `{"proxies": [], "total": <real>}` (an empty page mid-listing),
  (2) page 1 is 0.8 MB of gzip that inflates to 768 MB of whitespace,
and the benchmark prints each child's exit code, peak RSS, and the inventory before and after.
`--code DIR` runs the children on another checkout (e.g. an export of an older commit) to show
what it did; the simulator always comes from this checkout (it has the faults).

    python benchmarks/bench_hostile.py [--proxies 3000] [--bomb-mb 768] [--code DIR]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path

import _common as c


def _inventory(data: Path) -> int:
    con = sqlite3.connect(f"file:{data / 'proxyshop.sqlite3'}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM product").fetchone()[0])
    finally:
        con.close()


def _sync(sim: c.Simulator, data: Path, code: str | None) -> c.ChildResult:
    env = sim.env(data)
    if code:
        env["PYTHONPATH"] = code  # ahead of the editable install on sys.path
        # -P: not the current directory (this checkout) ahead of PYTHONPATH
        return c.run_child([sys.executable, "-P", "-m", "proxyshop_desktop", "sync"], env, timeout=600)
    return c.run_child(c.cli_argv("sync"), env, timeout=600)


def _case(sim: c.Simulator, data: Path, code: str | None, fault: dict[str, object]) -> tuple[object, ...]:
    _sync(sim, data, code)  # a clean sync first: every case starts from the whole listing
    before = _inventory(data)
    sim.admin("faults", {"faults": [fault], "replace": True})
    res = _sync(sim, data, code)
    sim.admin("reset-faults")
    after = _inventory(data)
    message = (res.stderr.strip().splitlines() or res.stdout.strip().splitlines() or [""])[-1]
    return fault["kind"], res.returncode, f"{res.peak_rss_mb:.1f}", before, after, message[:110]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proxies", type=int, default=3000)
    parser.add_argument("--bomb-mb", type=int, default=768)
    parser.add_argument("--code", help="a checkout whose proxyshop_desktop the children run")
    args = parser.parse_args(argv)
    c.print_machine()
    print("Load average at start (1/5/15 min): %.2f %.2f %.2f" % os.getloadavg())
    print(f"Children: {args.code or 'this checkout'}; {args.proxies:,} proxies, page size 200\n")
    with c.Simulator(args.proxies) as sim:
        work = c.fresh_dir("hostile")
        try:
            first = _sync(sim, work / "app", args.code)
            print(f"first sync: exit {first.returncode}, {_inventory(work / 'app'):,} proxies, "
                  f"peak RSS {first.peak_rss_mb:.1f} MB\n")
            rows = [
                _case(sim, work / "app", args.code, {"kind": "empty_page", "endpoint": "list",
                                                      "on_page": 2, "times": "always"}),
                _case(sim, work / "app", args.code, {"kind": "gzip_bomb", "endpoint": "list",
                                                      "on_page": 1, "megabytes": args.bomb_mb,
                                                      "times": "always"}),
            ]
        finally:
            c.rm(work)
    c.print_table(("fault", "exit", "peak RSS MB", "inventory before", "after", "last line"), rows)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(sys.argv[1:]))
