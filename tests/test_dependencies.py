"""Dependency floors that exist for security, checked in pyproject.toml and in the environment."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_httpcore_is_required_at_a_version_with_a_fixed_h11():
    """httpcore < 1.0.9 allows an h11 < 0.16 (request smuggling, CVE-2025-43859)."""
    deps = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    (spec,) = [d for d in deps if re.match(r"httpcore\b", d)]
    floor = re.search(r">=\s*([\d.]+)", spec)
    assert floor is not None, spec
    assert _numbers(floor.group(1)) >= (1, 0, 9), spec
    assert _numbers(version("httpcore")) >= (1, 0, 9)
    assert _numbers(version("h11")) >= (0, 16, 0)
