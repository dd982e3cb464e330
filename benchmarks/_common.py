"""Shared plumbing for the benchmark scripts: machine info, the simulator as a separate process,
timed child processes with their peak RSS, tables and target checks.

Why child processes: the issue's figures are for whole processes (`proxyshop-desktop sync` as the
operator runs it from cron), so start-up and imports count, and peak RSS is the child's own
`ru_maxrss` from `os.wait4` — exact, no polling.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
TOKEN = "demo-token"
PAGE_SIZE = 200
_HOOKS = BENCH_DIR / "_hooks"  # sitecustomize that reports Qt imports of a child at exit


# ------------------------------------------------------------------------------ machine
def machine_info() -> dict[str, str]:
    def proc(path: str, key: str) -> str | None:
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            return None
        return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith(key)), None)

    cpu = proc("/proc/cpuinfo", "model name") or platform.processor() or platform.machine()
    mem = proc("/proc/meminfo", "MemTotal")
    ram = f"{int(mem.split()[0]) / 1024 / 1024:.1f} GiB" if mem else "?"
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "Python": platform.python_version(),
        "SQLite": sqlite3.sqlite_version,
        "OS": platform.platform(),
    }


def ensure_bytecode() -> None:
    """Compile the package as a wheel install would: an editable install under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module in every child process."""
    import compileall

    compileall.compile_dir(REPO / "proxyshop_desktop", quiet=1)


def print_machine() -> None:
    ensure_bytecode()
    info = machine_info()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print("Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()) + f"; load average {load}")


# ------------------------------------------------------------------------------ figures
def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else float("nan")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "-+-".join("-" * w for w in widths)
    for n, row in enumerate(cells):
        print(" | ".join(c.rjust(w) if n and _numeric(c) else c.ljust(w) for c, w in zip(row, widths)))
        if n == 0:
            print(line)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.1f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(",", "").replace(".", "").replace("-", "").replace("x", "").isdigit()


@dataclass
class Targets:
    """Collects target checks; `exit_code()` is non-zero if an enforced target was missed."""

    enforce: bool = True
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)
    missed: int = 0

    def check(self, name: str, value: float | str, limit: str, ok: bool, *, always: bool = False) -> bool:
        """`always`: a correctness check, enforced even when timing targets are not (--quick)."""
        enforced = self.enforce or always
        verdict = "ok" if ok else ("MISSED" if enforced else "missed (not enforced)")
        self.missed += 0 if ok or not enforced else 1
        self.rows.append((name, _fmt(value), limit, verdict))
        return ok

    def info(self, name: str, value: float | str) -> None:
        """A figure printed beside the targets for context; no limit, never a verdict."""
        self.rows.append((name, _fmt(value), "-", "(context)"))

    def report(self) -> int:
        print()
        print_table(("target", "measured", "limit", "verdict"), self.rows)
        soft = sum(1 for row in self.rows if row[3] == "missed (not enforced)")
        print(f"\n{'ALL ENFORCED TARGETS HOLD' if not self.missed else f'{self.missed} TARGET(S) MISSED'}"
              + (f"; {soft} timing target(s) not enforced (--quick) would be missed" if soft else ""))
        return self.exit_code()

    def exit_code(self) -> int:
        return 1 if self.missed else 0


def base_args(description: str, proxies: int, runs: int = 3) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--proxies", type=int, default=proxies, help=f"catalogue size ({proxies:,})")
    parser.add_argument("--runs", type=int, default=runs, help=f"runs per figure ({runs}; median)")
    parser.add_argument("--quick", action="store_true",
                        help="short version for CI: 5,000 proxies, 1 run, targets not enforced")
    return parser


# ------------------------------------------------------------------------------ simulator
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Simulator:
    """`python -m proxyshop_desktop.simulator` in its own process, on a free loopback port."""

    def __init__(self, proxies: int, seed: int = 7) -> None:
        self.proxies = proxies
        self.port = free_port()
        self.root_url = f"http://127.0.0.1:{self.port}"
        self.base_url = self.root_url + "/api/v1/authorized"
        self._log = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "proxyshop_desktop.simulator", "--port", str(self.port),
             "--proxies", str(proxies), "--seed", str(seed)],
            stdout=self._log, stderr=subprocess.STDOUT, cwd=REPO,
        )
        self._http = httpx.Client(base_url=self.root_url, timeout=60)
        self._wait_healthy(timeout=180)

    def _wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self._log.seek(0)
                raise RuntimeError(f"simulator exited: {self._log.read().decode(errors='replace')}")
            try:
                if self._http.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("simulator did not become healthy")

    def admin(self, action: str, body: dict[str, Any] | None = None) -> Any:
        if body is None and action in ("stats", "requests"):
            response = self._http.get(f"/_sim/{action}")
        else:
            response = self._http.post(f"/_sim/{action}", json=body or {})
        response.raise_for_status()
        return response.json()

    def stats(self) -> dict[str, Any]:
        return dict(self.admin("stats"))

    def online_ids(self) -> list[int]:
        """Every online id, paged like a client would (also warms the simulator's JSON cache)."""
        ids: list[int] = []
        page = 0
        while True:
            r = self._http.get("/api/v1/authorized/proxy", headers={"Authorization": TOKEN},
                               params={"page": page, "page_size": 1000, "status": 1})
            items = r.json()["proxies"]
            ids += [int(i["proxy_id"]) for i in items]
            if len(items) < 1000:
                return ids
            page += 1

    def env(self, data_dir: Path) -> dict[str, str]:
        """Environment for a `proxyshop-desktop` child pointed at this simulator."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_"))}
        env.update(PROXYSHOP_DATA_DIR=str(data_dir), EXTERNAL_SOCKS_API_URL=self.base_url,
                   EXTERNAL_SOCKS_API_TOKEN=TOKEN)
        return env

    def close(self) -> None:
        self._http.close()
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._log.close()

    def __enter__(self) -> Simulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ------------------------------------------------------------------------------ children
@dataclass
class ChildResult:
    seconds: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0  # user + system CPU of the child: less sensitive to a loaded machine
    qt_modules: list[str] | None = None  # None: not checked

    def json(self) -> dict[str, Any]:
        """The one JSON object a `--json` command prints (indented or not)."""
        if self.returncode != 0 or "{" not in self.stdout:
            raise RuntimeError(f"child failed (exit {self.returncode}): {self.stderr.strip()[-2000:]}"
                               f"\nstdout: {self.stdout.strip()[-500:]}")
        text = self.stdout[self.stdout.index("{"):]
        return dict(json.JSONDecoder().raw_decode(text)[0])


def run_child(argv: Sequence[str], env: dict[str, str] | None = None, *, timeout: float = 900,
              check_qt: bool = False) -> ChildResult:
    """Run `argv` to completion; wall time from spawn to reaped, and the child's peak RSS."""
    env = dict(os.environ if env is None else env)
    qt_file = None
    if check_qt:
        fd, qt_file = tempfile.mkstemp(prefix="bench-qt-")
        os.close(fd)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_HOOKS), env.get("PYTHONPATH")]))
        env["BENCH_QT_REPORT"] = qt_file
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), stdout=out, stderr=err, env=env, cwd=REPO)
        deadline = start + timeout
        hwm = 0.0
        while True:
            hwm = max(hwm, _vm_hwm_mb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.002)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped by us, not by Popen
        out.seek(0)
        err.seek(0)
        # ru_maxrss of a child started by vfork/fork includes its parent's high-water mark at the
        # exec (Linux keeps the larger of the two): a benchmark parent that once held a listing
        # would inflate every later child. The child's own VmHWM, polled, does not.
        result = ChildResult(seconds, hwm or usage.ru_maxrss / 1024, proc.returncode,
                             out.read().decode(errors="replace"), err.read().decode(errors="replace"),
                             usage.ru_utime + usage.ru_stime)
    if qt_file:
        text = Path(qt_file).read_text()
        os.unlink(qt_file)
        result.qt_modules = json.loads(text) if text else None
    return result


def _vm_hwm_mb(pid: int) -> float:
    """The process's own peak resident set (VmHWM), 0 when it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def cli_argv(*args: str) -> list[str]:
    """The installed console script, as the operator runs it (falls back to `python -m`)."""
    exe = Path(sys.executable).with_name("proxyshop-desktop")
    found = str(exe) if exe.exists() else shutil.which("proxyshop-desktop")
    return [found, *args] if found else [sys.executable, "-m", "proxyshop_desktop", *args]


def fresh_dir(prefix: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"bench-{prefix}-"))


def product_table_digest(database: Path) -> tuple[int, str, int]:
    """(rows, max(last_changed), hash of every product row): equal before and after a no-change
    re-sync exactly when no product row was written with different content."""
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        count, last = con.execute("SELECT count(*), max(last_changed) FROM product").fetchone()
        digest = hash(tuple(con.execute("SELECT * FROM product ORDER BY id")))
    finally:
        con.close()
    return int(count), str(last), digest


def rm(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)
