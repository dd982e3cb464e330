"""The static gates (issue 10 item 9): CI runs ruff and mypy before the tests, with the agreed rules."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _commands(script: Path) -> list[str]:
    lines = script.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_the_gates_before_the_tests() -> None:
    commands = _commands(ROOT / ".ci" / "run")
    assert "./scripts/lint" in commands
    assert commands.index("./scripts/lint") < commands.index("./scripts/run-tests </dev/null")
    lint = _commands(ROOT / "scripts" / "lint")
    assert any(c.startswith(".venv/bin/ruff check") for c in lint)
    assert ".venv/bin/mypy" in lint


def test_ruff_selects_the_agreed_families_and_ignores_nothing_wholesale() -> None:
    lint = CONFIG["tool"]["ruff"]["lint"]
    assert {"E", "W", "F", "B", "I", "UP", "SIM", "RUF100"} <= set(lint["select"])
    assert not lint.get("ignore") and not lint.get("per-file-ignores")


def test_mypy_is_strict_on_the_core_and_checks_the_window() -> None:
    mypy = CONFIG["tool"]["mypy"]
    assert mypy["strict"] is True and mypy["files"] == ["proxyshop_desktop"]
    relaxed = [o for o in mypy["overrides"] if o.get("disallow_untyped_defs") is False]
    assert all(o.get("check_untyped_defs") is True for o in relaxed)
    modules = {m for o in relaxed for m in o["module"]}
    assert modules <= {"proxyshop_desktop.ui", "proxyshop_desktop.ui.*", "proxyshop_desktop.app"}
