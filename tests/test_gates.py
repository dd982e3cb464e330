"""The static gates (issue 10 item 9): CI runs ruff and mypy before the tests, with the agreed rules."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Iterator
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


# --- size: files under ~400 lines, functions under ~60 (issue 10) -------------------------------

MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
SIZED = ("proxyshop_desktop", "tests", "benchmarks")
#: what is still too long, by path (a file) or `path::Class.function` (a function). The list only
#: shrinks: a new entry fails the gate, and so does an entry that now fits (delete it).
TOO_LONG = {
    "proxyshop_desktop/simulator/geodata.py",  # a data table (countries, cities, ISPs)
    "tests/cli/test_cli.py",
    "tests/services/test_export.py",
    "tests/services/test_inventory.py",
    "tests/services/test_sales.py",
    "tests/services/test_sync.py",
    "tests/cli/test_cli_e2e.py::test_a_day_at_the_shop",
    "tests/reliability/test_soak.py::test_300_syncs_with_churn_stay_bounded",
    "tests/reliability/test_window.py::test_token_occurs_zero_times_after_the_window_flow",
}


def _functions(body: list[ast.stmt], prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, lines) of every function and method, nested ones named by their own."""
    for node in body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            yield prefix + node.name, node.end_lineno - node.lineno + 1
            yield from _functions(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, f"{prefix}{node.name}.")
        else:  # functions under if/try/with at module or class level
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    yield from _functions([child], prefix)
                elif isinstance(child, ast.ExceptHandler):
                    yield from _functions(child.body, prefix)


def too_long(root: Path = ROOT) -> dict[str, int]:
    """Every file over MAX_FILE_LINES and function over MAX_FUNCTION_LINES, with its length."""
    found = {}
    for folder in SIZED:
        for module in sorted((root / folder).rglob("*.py")):
            if "__pycache__" in module.parts:
                continue
            name = module.relative_to(root).as_posix()
            text = module.read_text(encoding="utf-8")
            if (lines := len(text.splitlines())) > MAX_FILE_LINES:
                found[name] = lines
            for function, length in _functions(ast.parse(text).body):
                if length > MAX_FUNCTION_LINES:
                    found[f"{name}::{function}"] = length
    return found


def test_files_and_functions_stay_small() -> None:
    found = too_long()
    new = sorted(f"{name} ({found[name]} lines)" for name in found.keys() - TOO_LONG)
    fits = sorted(TOO_LONG - found.keys())
    assert not new, ("too long: split by what the code does (widget constructors into `_build_*` "
                     "helpers):\n" + "\n".join(new))
    assert not fits, "now within the limits: delete from TOO_LONG:\n" + "\n".join(fits)


def test_the_size_gate_finds_a_long_file_and_a_long_method(tmp_path: Path) -> None:
    (tmp_path / "proxyshop_desktop").mkdir()
    body = "\n".join(f"        x = {i}" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "proxyshop_desktop" / "big.py").write_text(
        "class A:\n    def fits(self):\n        pass\n\n    def long(self):\n" + body + "\n"
        + "\n" * MAX_FILE_LINES
    )
    for folder in SIZED[1:]:
        (tmp_path / folder).mkdir()
    assert too_long(tmp_path) == {
        "proxyshop_desktop/big.py": 5 + MAX_FUNCTION_LINES + MAX_FILE_LINES,
        "proxyshop_desktop/big.py::A.long": 1 + MAX_FUNCTION_LINES,
    }
