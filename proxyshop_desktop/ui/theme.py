"""Light and dark: the palettes, the meaning colours (speed bands, the sync dot), and applying them.

The `theme` setting is "system" (follow the desktop's colour scheme, Qt 6.5+ style hints, and its
changes while running), "light" or "dark" (our palette with the Fusion style, which honours a
palette everywhere). Every colour that carries a meaning is here, per scheme, and reads against
both the window and the base (table) background at WCAG contrast >= 4.5:1
(tests/ui/test_theme.py computes it).
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

Scheme = Literal["light", "dark"]

#: palette role -> colour, per scheme (GitHub's Primer greys, which our meaning colours come from)
PALETTES: dict[Scheme, dict[QPalette.ColorRole, str]] = {
    "light": {
        QPalette.ColorRole.Window: "#f6f8fa",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#f6f8fa",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#59636e",
        QPalette.ColorRole.Highlight: "#0969da",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0969da",
        QPalette.ColorRole.Mid: "#d1d9e0",
        QPalette.ColorRole.BrightText: "#ffffff",
    },
    "dark": {
        QPalette.ColorRole.Window: "#1f2328",
        QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#0d1117",
        QPalette.ColorRole.AlternateBase: "#161b22",
        QPalette.ColorRole.Text: "#e6edf3",
        QPalette.ColorRole.Button: "#2d333b",
        QPalette.ColorRole.ButtonText: "#e6edf3",
        QPalette.ColorRole.ToolTipBase: "#2d333b",
        QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.PlaceholderText: "#9198a1",
        QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#4493f8",
        QPalette.ColorRole.Mid: "#3d444d",
        QPalette.ColorRole.BrightText: "#ffffff",
    },
}
#: disabled text, per scheme (readable but visibly off)
_DISABLED_TEXT: dict[Scheme, str] = {"light": "#818b98", "dark": "#656c76"}

#: meaning -> colour, per scheme: the speed bands and offline rows of the inventory, the sync dot
COLOURS: dict[Scheme, dict[str, str]] = {
    "light": {
        "fast": "#116329", "moderate": "#7d4e00", "slow": "#b3111f", "offline": "#59636e",
        "idle": "#59636e", "syncing": "#0757ba", "cleaning": "#0757ba", "success": "#116329",
        "error": "#b3111f", "no_token": "#7d4e00", "warning": "#7d4e00",
        # the Stats tab's profit figures: what the shop keeps, pays, and gives back
        "profit": "#116329", "cost": "#7d4e00", "refund": "#b3111f",
    },
    "dark": {
        "fast": "#3fb950", "moderate": "#d29922", "slow": "#f85149", "offline": "#9198a1",
        "idle": "#9198a1", "syncing": "#4493f8", "cleaning": "#4493f8", "success": "#3fb950",
        "error": "#f85149", "no_token": "#d29922", "warning": "#d29922",
        "profit": "#3fb950", "cost": "#d29922", "refund": "#f85149",
    },
}

_state: dict[str, str] = {"theme": "system"}
_native: dict[str, str] = {}  # the platform's own style name, to go back to


def palette(scheme: Scheme) -> QPalette:
    result = QPalette()
    for role, colour in PALETTES[scheme].items():
        result.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        result.setColor(QPalette.ColorGroup.Disabled, role, QColor(_DISABLED_TEXT[scheme]))
    return result


def system_scheme() -> Scheme:
    hints = QGuiApplication.styleHints()
    return "dark" if hints.colorScheme() == Qt.ColorScheme.Dark else "light"


def current_scheme() -> Scheme:
    """The scheme the window shows now (read from the palette, so a dark desktop palette counts;
    remembered, as table models ask for every painted cell)."""
    scheme = _state.get("scheme")
    if scheme is None:
        window = QGuiApplication.palette().color(QPalette.ColorRole.Window)
        scheme = _state["scheme"] = "dark" if window.lightness() < 128 else "light"
    return "dark" if scheme == "dark" else "light"


def colour(meaning: str) -> QColor:
    """`colour("fast")`: the meaning's colour for the scheme shown now."""
    return QColor(COLOURS[current_scheme()][meaning])


def text_style(meaning: str) -> str:
    """A style sheet giving text the meaning's colour ("error", "success", …) on this scheme."""
    return f"color: {colour(meaning).name()};"


def apply_theme(app: QApplication, theme: str) -> Scheme:
    """Show `theme` ("system" | "light" | "dark") now; "system" keeps following the desktop."""
    if not _native:
        _native["style"] = app.style().name()
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _follow_system(app))
    _state["theme"] = theme
    _state.pop("scheme", None)
    if theme in ("light", "dark"):
        return _show(app, theme)  # type: ignore[arg-type]  # `in` does not narrow str to Scheme
    if _state.pop("ours", ""):  # back to the platform's style and palette (empty: the default)
        app.setStyle(QStyleFactory.create(str(_native["style"])))
        app.setPalette(QPalette())
        _state.pop("scheme", None)
    if system_scheme() == "dark" and current_scheme() == "light":
        return _show(app, "dark")  # the platform says dark but did not darken Qt's palette
    return current_scheme()


def _show(app: QApplication, scheme: Scheme) -> Scheme:
    app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(palette(scheme))
    _state["scheme"] = scheme
    _state["ours"] = "yes"
    return scheme


def _follow_system(app: QApplication) -> None:
    if _state["theme"] == "system":
        apply_theme(app, "system")
