from __future__ import annotations

import re
import signal
import subprocess
import sys

import httpx

from proxyshop_desktop.simulator import DEMO_TOKEN


def test_python_m_runs_and_stops_cleanly_on_sigterm() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxyshop_desktop.simulator", "--port", "0", "--proxies", "120"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)(/api/v1/authorized)", line)
        assert match and DEMO_TOKEN in line, line
        root, base = match.group(1), match.group(1) + match.group(2)
        assert httpx.get(root + "/health").json() == {"status": "ok"}
        body = httpx.get(base + "/proxy", params={"page_size": 200},
                         headers={"Authorization": DEMO_TOKEN}).json()
        assert len(body["proxies"]) == 120
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
        if proc.stderr:
            proc.stderr.close()
