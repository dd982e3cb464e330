"""The Inventory tab's filter row: country, city, type, ISP, speed and refund-rate filters, each
combo showing how many proxies its entries match (the facet counts), and Clear filters.

The widgets belong to the tab (it connects their signals and reads them into its query); this
builds them, lays them out and fills the combos. Texts keep the tab's translation context.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QPushButton, QSizePolicy, QSpinBox, QWidget

from proxyshop_desktop.services.results import InventoryRow
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.inventory_model import proxy_type_names
from proxyshop_desktop.ui.plain_text import plain_label
from proxyshop_desktop.vocabulary import FAST_MS, MODERATE_MS

ANY = ""  # combo data meaning "no filter"
Facets = dict[str, list[tuple[str, int]]]


class FilterBar:
    def __init__(self, parent: QWidget) -> None:
        translate = QCoreApplication.translate
        self.country_names: dict[str, str] = {}
        self._nameless: set[str] = set()
        self.country_filter = _combo(parent, "countryFilter", translate("InventoryTab", "Country filter"))
        self.city_filter = _combo(parent, "cityFilter", translate("InventoryTab", "City filter"))
        self.type_filter = _combo(parent, "typeFilter", translate("InventoryTab", "Proxy type filter"))
        self.isp_filter = QLineEdit(parent)
        self.isp_filter.setObjectName("ispFilter")
        self.isp_filter.setAccessibleName(translate("InventoryTab", "ISP filter"))
        self.isp_filter.setPlaceholderText(translate("InventoryTab", "ISP contains…"))
        self.isp_filter.setClearButtonEnabled(True)
        self.speed_filter = _speed_box(parent)
        # The shop's own refund rate of the proxy's country/ISP (services/report.py refund_rates).
        self.refund_filter = _combo(parent, "maxRefundRateFilter", translate("InventoryTab", "Maximum refund rate"))
        self.refund_filter.addItem(translate("InventoryTab", "any refund rate"), None)
        for top in (5, 10, 20, 30):
            self.refund_filter.addItem(translate("InventoryTab", "≤ {0} % refunded").format(top), top)
        self.refund_filter.setToolTip(translate(
            "InventoryTab",
            "Hide proxies from countries/ISPs the shop refunded more often than this; proxies "
            "with too few sales to tell stay listed"))
        # a few short fixed entries: as wide as the longest, never clipped ("any refund rat…")
        self.refund_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        # and never squeezed below that by a crowded row (Russian: "любая доля воз…" at 1280 px)
        self.refund_filter.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.clear_button = QPushButton(translate("InventoryTab", "Clear filters"), parent)
        self.clear_button.setObjectName("clearFiltersButton")
        fill_combo(self.country_filter, translate("InventoryTab", "All countries"), [], ANY)
        fill_combo(self.city_filter, translate("InventoryTab", "All cities"), [], ANY)
        fill_combo(self.type_filter, translate("InventoryTab", "All types"), [], ANY)
        self.city_filter.setEnabled(False)

    def layout(self, parent: QWidget) -> QHBoxLayout:
        translate = QCoreApplication.translate
        row = QHBoxLayout()
        for label, widget in (
            (translate("InventoryTab", "Country"), self.country_filter),
            (translate("InventoryTab", "City"), self.city_filter),
            (translate("InventoryTab", "Type"), self.type_filter),
            (translate("InventoryTab", "ISP"), self.isp_filter),
            (translate("InventoryTab", "Speed"), self.speed_filter),
        ):
            caption = plain_label(label, parent)
            caption.setBuddy(widget)
            row.addWidget(caption)
            row.addWidget(widget, 2 if widget in (self.country_filter, self.city_filter) else 1)
        row.addWidget(self.refund_filter, 1)  # its entries say what it is: no caption
        row.addWidget(self.clear_button)
        return row

    def clear(self) -> None:
        """Every filter back to "any", without a signal per widget (the caller refreshes once)."""
        quiet = (self.country_filter, self.city_filter, self.type_filter, self.isp_filter, self.speed_filter)
        for widget in quiet:
            widget.blockSignals(True)
        self.country_filter.setCurrentIndex(0)
        self.city_filter.setCurrentIndex(0)
        self.city_filter.setEnabled(False)
        self.type_filter.setCurrentIndex(0)
        self.isp_filter.clear()
        self.speed_filter.setValue(0)
        self.refund_filter.setCurrentIndex(0)  # its own signal refreshes too: harmless, replaced
        for widget in quiet:
            widget.blockSignals(False)

    def fill(self, rows: list[InventoryRow], facets: Facets) -> None:
        """The combos' entries with their counts; the chosen entries stay chosen."""
        translate = QCoreApplication.translate
        countries = facets.get("country_code", [])
        missing = {code for code, _ in countries
                   if code not in self.country_names and code not in self._nameless}
        if missing:
            self._learn_country_names(rows, missing)
        number = formatting.count  # the same "12,345" as every other count in the window
        names = self.country_names
        fill_combo(self.country_filter, translate("InventoryTab", "All countries"), [
            (code, f"{code} — {names[code]} ({number(n)})" if code in names else f"{code} ({number(n)})")
            for code, n in countries
        ], self.country_filter.currentData())
        fill_combo(self.city_filter, translate("InventoryTab", "All cities"), [
            (city, f"{city} ({number(n)})") for city, n in facets.get("city", [])
        ], self.city_filter.currentData())
        kinds = proxy_type_names()
        fill_combo(self.type_filter, translate("InventoryTab", "All types"), [
            (kind, f"{kinds.get(kind, kind)} ({number(n)})") for kind, n in facets.get("proxy_type", [])
        ], self.type_filter.currentData())

    def _learn_country_names(self, rows: list[InventoryRow], missing: set[str]) -> None:
        """Names for the facet's new codes, from the first rows that carry them: a full pass over
        50,000 rows held the GUI thread ~40 ms after each sync (benchmarks/bench_gui.py)."""
        names = self.country_names
        for row in rows:
            code = row.country_code
            if code in missing and row.country:
                names[code] = row.country
                missing.discard(code)
                if not missing:
                    break
        self._nameless |= missing  # listed without a name: not looked for again


def _combo(parent: QWidget, name: str, accessible: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(accessible)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.setMaxVisibleItems(25)
    return combo


def _speed_box(parent: QWidget) -> QSpinBox:
    translate = QCoreApplication.translate
    box = QSpinBox(parent)
    box.setObjectName("maxSpeedFilter")
    box.setAccessibleName(translate("InventoryTab", "Maximum speed in milliseconds"))
    box.setRange(0, 100_000)
    box.setSingleStep(50)  # the facet cube's band: counts stay instant (inventory_facets.py)
    box.setSpecialValueText(translate("InventoryTab", "any speed"))
    box.setPrefix(translate("InventoryTab", "≤ "))
    box.setSuffix(translate("InventoryTab", " ms"))
    box.setToolTip(translate("InventoryTab", "Lower is faster: up to {0} ms is fast, up to {1} ms moderate")
                   .format(f"{FAST_MS:.0f}", f"{MODERATE_MS:.0f}"))
    return box


def fill_combo(combo: QComboBox, all_label: str, items: Iterable[tuple[str, str]], current: str | None) -> None:
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem(all_label, ANY)
        for value, label in items:
            combo.addItem(label, value)
        index = combo.findData(current or ANY)
        if index < 0:  # the chosen value has no match any more: keep it, with its zero
            combo.addItem(f"{current} (0)", current)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
    finally:
        combo.blockSignals(False)
