"""Fixtures shared by the reliability tests.

The window tests (test_window.py) run on tests/ui's harness (a qasync loop per test, `run`,
`bridge`, `main_window`, message boxes answered at once, and its hook that frees each closed
loop on the main thread): this conftest makes them visible to this folder too, so every
reliability row stays here.
"""

from __future__ import annotations

import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN
from tests.reliability.children import child_env
from tests.ui.conftest import (
    bridge,
    loop,
    main_window,
    message_boxes,
    pytest_runtest_logfinish,
    run,
)

__all__ = [
    "bridge", "env", "loop", "main_window", "message_boxes", "pytest_runtest_logfinish", "run",
]


@pytest.fixture(autouse=True)
def _engine(engine: str) -> str:
    """Modules with ON_BOTH_ENGINES = True run each test on SQLite and on PostgreSQL: child
    commands get the test's database through child_env, and children.query reads it."""
    return engine


@pytest.fixture
def env(sim, data_paths):
    return child_env(data_paths.data_dir, sim.base_url, DEMO_TOKEN, EXTERNAL_SOCKS_SYNC_PAGE_SIZE="100")
