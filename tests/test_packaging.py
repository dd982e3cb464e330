"""A real package (issue 12, item 4): the wheel carries resources/ (icons, translations, the app
icon), and the package installed from it finds them through importlib.resources.

The wheel is built from what a fresh clone holds (the files git tracks, as they are in the work
tree: no .qm, no stale build/ folder), installed with pip into a folder of its own, and asked by a
separate Python, in which the work tree is not importable, where its icons and translations are.
The build compiles the translations itself (build_hooks.py), so the wheel carries the .qm."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "ru")


def _pip(*args: str, cwd: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
                            cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = tmp_path_factory.mktemp("src")
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():  # a file deleted in the work tree but not yet in git: gone
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    assert not list(src.rglob("*.qm")), "compiled translations are build output: keep them out of git"
    out = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--quiet", "--wheel-dir", str(out), ".", cwd=src)
    [built] = out.glob("proxyshop_desktop-*.whl")
    return built


def test_the_wheel_carries_every_subpackage_and_every_resource(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for init in (ROOT / "proxyshop_desktop").rglob("__init__.py"):
        if "__pycache__" not in init.parts:
            assert init.relative_to(ROOT).as_posix() in names  # the explicit package list is complete
    for resource in [ROOT / "resources" / "app.svg", *(ROOT / "resources" / "icons").glob("*.svg"),
                     *(ROOT / "resources" / "translations").glob("*.ts")]:
        inside = "proxyshop_desktop/resources/" + resource.relative_to(ROOT / "resources").as_posix()
        assert inside in names, inside
    for language in LANGUAGES:  # compiled by the build from a tree that had none
        assert f"proxyshop_desktop/resources/translations/proxyshop_{language}.qm" in names
    assert len([n for n in names if n.startswith("proxyshop_desktop/resources/icons/")]) >= 9


_PROBE = """
import json, sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication
app = QApplication([])
import proxyshop_desktop
from proxyshop_desktop.ui import icons, translations
translations.install_translators(app, translations.window_locale("ru"))
print(json.dumps({
    "package": proxyshop_desktop.__file__,
    "resources": str(icons.RESOURCES_DIR),
    "sync_icon": not icons.icon("sync").isNull(),
    "app_icon": not icons.app_icon().isNull(),
    "russian": QCoreApplication.translate("ActivityLog", "Activity log"),
}))
"""


def test_the_installed_package_finds_its_icons(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    _pip("install", "--no-deps", "--quiet", "--no-compile", "--target", str(target), str(wheel), cwd=tmp_path)
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", _PROBE], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert Path(found["package"]).is_relative_to(target), found  # not the work tree
    assert Path(found["resources"]) == target / "proxyshop_desktop" / "resources"
    assert found["sync_icon"] and found["app_icon"], found
    assert found["russian"] == "Журнал событий", found  # the .qm the build compiled, loaded by Qt
