"""Core dumps are off in every entry point: the process memory holds the token and credentials.

Each test starts a child with core dumps *allowed* (the soft limit raised to the hard one, or to
unlimited as root), runs one entry point in it, and reads RLIMIT_CORE back in that process."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CLI = textwrap.dedent(
    """
    import atexit, resource, runpy, sys
    limit = lambda: resource.getrlimit(resource.RLIMIT_CORE)
    print("BEFORE", *limit(), flush=True)
    atexit.register(lambda: print("CORE", *limit(), flush=True))
    sys.argv = ["proxyshop-desktop", "token", "status"]
    runpy.run_module("proxyshop_desktop", run_name="__main__")  # `python -m proxyshop_desktop`
    """
)

WINDOW = textwrap.dedent(
    """
    import resource, sys
    from proxyshop_desktop import app
    limit = lambda: resource.getrlimit(resource.RLIMIT_CORE)
    print("BEFORE", *limit(), flush=True)

    async def report(exc):  # the "cannot start" box, answered at once with the limit
        print("CORE", *limit(), flush=True)
        return 1

    app.startup_error = report
    sys.exit(app.run_gui(argv=["proxyshop-desktop"]))
    """
)


def _allow_core_dumps() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if os.geteuid() == 0:
        hard = resource.RLIM_INFINITY
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))


def _limits_in_child(script: str, tmp_path: Path, data_dir: Path) -> dict[str, tuple[int, int]]:
    _soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    if hard == 0 and os.geteuid() != 0:
        if os.environ.get("CI"):
            pytest.fail("CI must allow core dumps (hard RLIMIT_CORE > 0) for this test to count")
        pytest.skip("the hard core-dump limit is already 0 here: nothing to switch off")
    env = {**os.environ, "PROXYSHOP_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=tmp_path,
                          preexec_fn=_allow_core_dumps, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60, check=False)
    limits = {}
    for line in done.stdout.splitlines():
        name, *values = line.split()
        if name in ("BEFORE", "CORE"):
            limits[name] = (int(values[0]), int(values[1]))
    assert set(limits) == {"BEFORE", "CORE"}, (done.stdout, done.stderr)
    assert limits["BEFORE"] != (0, 0), limits  # the child did start with core dumps allowed
    return limits


def test_the_command_line_switches_core_dumps_off(tmp_path):
    limits = _limits_in_child(CLI, tmp_path, tmp_path / "data")
    assert limits["CORE"] == (0, 0)


def test_the_window_switches_core_dumps_off(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("the window stops at its 'cannot start' box")
    limits = _limits_in_child(WINDOW, tmp_path, blocker)
    assert limits["CORE"] == (0, 0)
