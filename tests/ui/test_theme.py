"""Light and dark: meaning colours readable on both (WCAG >= 4.5:1), icons follow the palette."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from proxyshop_desktop.ui import theme
from proxyshop_desktop.ui.icons import icon

BACKGROUNDS = (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase)


def luminance(colour: QColor) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.redF()) + 0.7152 * linear(colour.greenF()) + 0.0722 * linear(colour.blueF())


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_wcag_contrast_formula():
    assert contrast(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)


def backgrounds(qapp: QApplication) -> Iterator[tuple[str, theme.Scheme, QColor]]:
    for scheme in ("light", "dark"):
        pal = theme.palette(scheme)
        for role in BACKGROUNDS:
            yield f"{scheme} {role.name}", scheme, pal.color(role)
    # "system" on a desktop without a colour-scheme palette: Qt's own light palette
    fusion = QStyleFactory.create("Fusion").standardPalette()
    for role in BACKGROUNDS:
        yield f"Qt light {role.name}", "light", fusion.color(role)


def test_every_meaning_colour_reads_on_its_schemes_backgrounds(qapp):
    low = []
    for where, scheme, background in backgrounds(qapp):
        for meaning, value in theme.COLOURS[scheme].items():
            ratio = contrast(QColor(value), background)
            if ratio < 4.5:
                low.append((meaning, value, where, round(ratio, 2)))
    assert low == []
    assert set(theme.COLOURS["light"]) == set(theme.COLOURS["dark"])


def test_palette_text_reads_on_both_schemes(qapp):
    for scheme in ("light", "dark"):
        pal = theme.palette(scheme)
        for role in BACKGROUNDS:
            assert contrast(pal.color(QPalette.ColorRole.Text), pal.color(role)) >= 7


@pytest.fixture
def restore_theme(qapp) -> Iterator[QApplication]:
    yield qapp
    theme.apply_theme(qapp, "light")


def ink(qicon) -> str:
    """The most common opaque colour of a 24 px rendering."""
    image = qicon.pixmap(QSize(24, 24)).toImage()
    counts = Counter(image.pixelColor(x, y).name() for x in range(24) for y in range(24)
                     if image.pixelColor(x, y).alpha() == 255)
    return counts.most_common(1)[0][0]


def test_manual_dark_uses_fusion_and_recolours_icons(restore_theme):
    app = restore_theme
    assert theme.apply_theme(app, "dark") == "dark"
    assert app.style().name().lower() == "fusion"
    assert app.palette().color(QPalette.ColorRole.Window) == QColor("#1f2328")
    assert theme.colour("fast") == QColor(theme.COLOURS["dark"]["fast"])
    assert ink(icon("sync")) == theme.PALETTES["dark"][QPalette.ColorRole.ButtonText]
    assert theme.apply_theme(app, "light") == "light"
    assert ink(icon("sync")) == theme.PALETTES["light"][QPalette.ColorRole.ButtonText]


def test_system_theme_follows_the_desktops_colour_scheme(restore_theme, monkeypatch):
    app = restore_theme
    desktop = {"scheme": "dark"}
    monkeypatch.setattr(theme, "system_scheme", lambda: desktop["scheme"])
    assert theme.apply_theme(app, "system") == "dark"  # offscreen Qt's palette is light: ours
    assert app.palette().color(QPalette.ColorRole.Window) == QColor("#1f2328")
    desktop["scheme"] = "light"
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current_scheme() == "light"  # followed the change while running
    theme.apply_theme(app, "dark")
    QGuiApplication.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert theme.current_scheme() == "dark"  # a manual choice stays
