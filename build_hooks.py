"""The setuptools build step that compiles the window's translations into the wheel.

The .qm files are build output (kept out of git): a wheel built from a fresh clone (`pip install .`,
`pipx install .`) compiles resources/translations/*.ts with PySide6's own lrelease, which
[build-system].requires brings (pyside6-essentials). pyproject.toml names this class as build_py.
An editable install reads the work tree instead, where ./scripts/setup-env compiles them.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from setuptools.command.build_py import build_py

TRANSLATIONS = Path("resources") / "translations"
TARGET = Path("proxyshop_desktop") / "resources" / "translations"


def lrelease() -> Path:
    """PySide6's lrelease binary (inside the PySide6 package of pyside6-essentials)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "building proxyshop-desktop needs PySide6's lrelease to compile the translations: "
            "install pyside6-essentials in the build environment (pyproject's [build-system] "
            "requires it; with --no-build-isolation install it yourself)"
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    binary = folder / ("lrelease.exe" if sys.platform == "win32" else "lrelease")
    if not binary.exists():
        raise RuntimeError(f"no lrelease in {folder}: reinstall pyside6-essentials")
    return binary


def compile_translations(sources: Path, target: Path) -> list[Path]:
    """Every sources/*.ts compiled to target/*.qm; returns the .qm written."""
    target.mkdir(parents=True, exist_ok=True)
    tool = lrelease()
    written = []
    for ts in sorted(sources.glob("*.ts")):
        qm = target / (ts.stem + ".qm")
        result = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(qm)],
                                capture_output=True, text=True)
        if result.returncode != 0 or not qm.exists():
            raise RuntimeError(f"lrelease could not compile {ts}: {result.stderr.strip()}")
        written.append(qm)
    return written


class BuildPyWithTranslations(build_py):
    """build_py, then the compiled translations next to the copied .ts files."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the work tree is the package: setup-env compiles there
        self._qm = compile_translations(TRANSLATIONS, Path(self.build_lib) / TARGET)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        return [*super().get_outputs(include_bytecode), *(str(qm) for qm in getattr(self, "_qm", []))]
