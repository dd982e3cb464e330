"""The translation files and PySide6's tools, for the translation and layout tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

from proxyshop_desktop.ui.translations import translations_dir

ROOT = Path(__file__).resolve().parents[2]
TOOLS = Path(sys.executable).parent
PACKAGE = ROOT / "proxyshop_desktop"
#: the window's sources and the Qt-free core's (its translate() messages): scripts/update-translations
CORE_FOLDERS = ("upstream", "models", "services", "alerts", "cli")
SOURCES = [*sorted((PACKAGE / "ui").glob("*.py")), *sorted(PACKAGE.glob("*.py")),
           *(path for folder in CORE_FOLDERS for path in sorted((PACKAGE / folder).glob("*.py")))]
#: {0}, %1, %n, %Ln, {name}
PLACEHOLDER = re.compile(r"\{\w*\}|%L?n|%\d+")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    numerus: bool
    forms: tuple[str, ...]  # one translation, or the plural forms
    unfinished: bool


def read_ts(path: Path) -> list[Message]:
    messages = []
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for m in context.iter("message"):
            translation = m.find("translation")
            assert translation is not None
            numerus = m.get("numerus") == "yes"
            forms = (tuple(f.text or "" for f in translation.iter("numerusform")) if numerus
                     else (translation.text or "",))
            messages.append(Message(name, m.findtext("source") or "", numerus, forms,
                                    translation.get("type") in ("unfinished", "vanished", "obsolete")))
    return messages


def tool(name: str) -> str:
    path = TOOLS / name
    found = str(path) if path.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} not found next to {sys.executable}: run ./scripts/setup-env")
    return found


def lupdate(target: Path, *extra: str, sources: list[Path] | None = None) -> list[Message]:
    subprocess.run([tool("pyside6-lupdate"), "-no-obsolete", "-locations", "none", *extra,
                    *map(str, SOURCES if sources is None else sources), "-ts", str(target)],
                   check=True, capture_output=True)
    return read_ts(target)


RU_TS = translations_dir() / "proxyshop_ru.ts"
EN_TS = translations_dir() / "proxyshop_en.ts"
