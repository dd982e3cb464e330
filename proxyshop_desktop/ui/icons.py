"""Icons and other files under the project's top-level `resources/` folder.

A missing file gives an empty icon (the app still works, just plainer), never an exception:
an installed wheel may not carry `resources/`.
"""

from __future__ import annotations

import importlib.resources
from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

# The top-level resources/ folder is the package proxyshop_desktop.resources (pyproject.toml):
# the same files in a source checkout, an installed wheel and a PyInstaller bundle.
try:
    from proxyshop_desktop import resources as _package  # imported by name: bundlers see it

    RESOURCES_DIR = Path(str(importlib.resources.files(_package)))
except ModuleNotFoundError:  # an editable install made before the mapping: ./scripts/setup-env
    RESOURCES_DIR = Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return RESOURCES_DIR.joinpath(*parts)


@cache
def icon(name: str) -> QIcon:
    """`icon("sync")` -> resources/icons/sync.svg."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


@cache
def app_icon() -> QIcon:
    path = resource_path("app.svg")
    return QIcon(str(path)) if path.exists() else QIcon()
