"""The developer docs stay true (issue 10 item 8): every path, `<module>.py::<name>` and script
that docs/ARCHITECTURE.md and CONTRIBUTING.md name exists, and the import rules the map states hold.

The convention (stated at the top of docs/ARCHITECTURE.md): a path in backticks (or in a fenced
code block) is relative to the repository root, or to `proxyshop_desktop/` for a module of the
package; `path.py::name` names a function, class or constant defined in that module
(`Class.method` for a method); `<name>` is a placeholder and is not checked. A `scripts/…` name is
checked wherever it appears, prose included.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "proxyshop_desktop"
DOCS = ("docs/ARCHITECTURE.md", "CONTRIBUTING.md")

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
_SPAN = re.compile(r"`([^`\n]+)`")
_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)*/?(?:::[\w.]+)?")
_FILE_SUFFIXES = (".py", ".md", ".toml", ".ts", ".txt", ".sh")
_SCRIPT = re.compile(r"(?<![\w-])scripts/[\w-]+")
_NOT_IN_THE_REPO = ("/", "$", "-", ".venv/")  # absolute paths, variables, options, the venv


def code_chunks(text: str) -> Iterator[str]:
    """The fenced code blocks, then every inline code span outside them."""
    for block in _FENCE.finditer(text):
        yield block.group(1)
    yield from _SPAN.findall(_FENCE.sub("", text))


def mentions(text: str) -> list[str]:
    """The paths (with an optional `::name`) that the text names in code."""
    found = []
    for chunk in code_chunks(text):
        for raw in chunk.split():
            token = raw.split("(")[0].rstrip(",;:.)")
            token = token.removeprefix("./")
            if not token or token.startswith(_NOT_IN_THE_REPO) or any(c in token for c in "<>…*"):
                continue
            if not _PATH.fullmatch(token):
                continue
            path = token.split("::")[0]
            if "/" in path or (path.endswith(_FILE_SUFFIXES) and not path.startswith(".")):
                found.append(token)
    return found


def _names(node: ast.stmt) -> set[str]:
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {node.name}
    targets: list[ast.expr] = []
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AnnAssign):
        targets = [node.target]
    names = set()
    for target in targets:
        for sub in ast.walk(target):
            if isinstance(sub, ast.Name):
                names.add(sub.id)
    return names


def defines(module: Path, dotted: str) -> bool:
    """Whether `module` defines `dotted` (a top-level name, or Class.attribute)."""
    scope = ast.parse(module.read_text(encoding="utf-8")).body
    for part in dotted.split("."):
        node = next((n for n in scope if part in _names(n)), None)
        if node is None:
            return False
        scope = node.body if isinstance(node, ast.ClassDef) else []
    return True


def resolve(path: str, root: Path) -> Path | None:
    for base in (root, root / PACKAGE):
        candidate = base / path
        if candidate.exists() and (candidate.is_dir() or not path.endswith("/")):
            return candidate
    return None


def problems(text: str, root: Path = ROOT) -> list[str]:
    """What the text names that the tree at `root` does not have."""
    found = []
    for token in mentions(text):
        path, _, name = token.partition("::")
        target = resolve(path, root)
        if target is None:
            found.append(f"{path}: no such file or folder")
        elif name and (target.suffix != ".py" or not defines(target, name)):
            found.append(f"{token}: {path} defines no {name}")
    for script in sorted(set(_SCRIPT.findall(text))):
        if not (root / script).is_file():
            found.append(f"{script}: no such script")
    return found


@pytest.mark.parametrize("doc", DOCS)
def test_every_path_name_and_script_the_docs_name_exists(doc: str) -> None:
    text = (ROOT / doc).read_text(encoding="utf-8")
    assert len(mentions(text)) >= 20, "the convention no longer finds the doc's paths"
    gone = list(dict.fromkeys(problems(text)))
    assert not gone, f"{doc} names what is not there (fix the doc or the code):\n" + "\n".join(gone)


def test_the_readme_links_both_docs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    developers = readme.split("## For developers", 1)[1]
    assert "(docs/ARCHITECTURE.md)" in developers
    assert "(CONTRIBUTING.md)" in developers


def test_a_renamed_module_a_gone_name_and_a_missing_script_are_caught(tmp_path: Path) -> None:
    (tmp_path / PACKAGE / "services").mkdir(parents=True)
    (tmp_path / PACKAGE / "services" / "sales.py").write_text(
        "class Shop:\n    def sell(self): ...\n\nMAX: int = 1\n\ndef sell(): ...\n"
    )
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "setup-env").write_text("#!/bin/sh\n")
    good = (
        "`services/sales.py::sell` and `proxyshop_desktop/services/sales.py::Shop.sell`, "
        "`services/sales.py::MAX`, `services/` and `ui/<name>_tab.py`.\n"
        "```sh\n./scripts/setup-env\n```\n"
    )
    assert problems(good, tmp_path) == []

    renamed = good.replace("services/sales.py::sell`", "services/sale.py::sell`")
    assert problems(renamed, tmp_path) == ["services/sale.py: no such file or folder"]
    gone = good.replace("Shop.sell", "Shop.sell_one")
    assert problems(gone, tmp_path) == [
        "proxyshop_desktop/services/sales.py::Shop.sell_one: "
        "proxyshop_desktop/services/sales.py defines no Shop.sell_one"
    ]
    missing = good + "Then run scripts/run-tests.\n"
    assert problems(missing, tmp_path) == ["scripts/run-tests: no such script"]


# --- the import rules the map states ------------------------------------------------------------

QT = ("PySide6", "shiboken6", "qasync")
_ABOVE_THE_CORE = ("services", "ui", "cli", "alerts", "simulator", "app")
FORBIDDEN = {  # package folder -> the parts of the package its modules never import
    "models": (*_ABOVE_THE_CORE, "upstream"),
    "upstream": (*_ABOVE_THE_CORE, "models"),
    "services": ("ui", "cli", "app"),
    "alerts": ("ui", "cli", "app"),
}
#: the simulator stands alone: it imports nothing of the package outside itself
ALONE = "simulator"
#: top-level modules that are not core: the window's start-up, and `python -m`'s entry point
NOT_CORE = ("app", "__main__")


def _imports(module: Path) -> Iterator[str]:
    """Every module `module` imports, at any depth (lazy imports inside functions too)."""
    package = ".".join(module.relative_to(ROOT).with_suffix("").parts[:-1])
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}".rstrip(".")
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _modules() -> Iterator[Path]:
    for module in sorted((ROOT / PACKAGE).rglob("*.py")):
        if "__pycache__" not in module.parts:
            yield module


def _layer(module: Path) -> str:
    parts = module.relative_to(ROOT / PACKAGE).parts
    return parts[0] if len(parts) > 1 else module.stem


def test_nothing_outside_the_window_imports_qt() -> None:
    offenders = list(dict.fromkeys(
        f"{module.relative_to(ROOT)} imports {name.split('.')[0]}"
        for module in _modules()
        if _layer(module) not in ("ui", "app")
        for name in _imports(module)
        if name.split(".")[0] in QT
    ))
    assert not offenders, "Qt below the window:\n" + "\n".join(offenders)


def test_the_layers_import_only_downwards() -> None:
    offenders = []
    for module in _modules():
        layer = _layer(module)
        banned = FORBIDDEN.get(layer, ())
        if module.parent.name == PACKAGE and layer not in NOT_CORE:  # a core module
            banned = (*_ABOVE_THE_CORE, "models", "upstream")
        for name in _imports(module):
            parts = name.split(".")
            if parts[0] != PACKAGE or len(parts) == 1:
                continue
            if parts[1] in banned or (layer == ALONE and parts[1] != ALONE):
                offenders.append(f"{module.relative_to(ROOT)} imports {'.'.join(parts[:2])}")
    offenders = list(dict.fromkeys(offenders))
    assert not offenders, "imports against docs/ARCHITECTURE.md's layers:\n" + "\n".join(offenders)
