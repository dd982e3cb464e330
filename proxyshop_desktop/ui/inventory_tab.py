"""The Inventory tab: the local inventory with filters (each showing how many match), sorting by
any column, and Sell.

Filtering and sorting happen in SQL (`Shop.inventory_rows`): every change re-queries the whole
sorted match list on the DB thread and swaps it into the model; a newer query cancels an older
one. The selection and scroll position survive the swap (remembered by product id).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from proxyshop_desktop.errors import ProviderError, ShopError
from proxyshop_desktop.services.inventory import MAX_PAGE_SIZE
from proxyshop_desktop.services.results import BatchFailure, InventoryQuery, InventoryRow, OrderView
from proxyshop_desktop.ui import formatting
from proxyshop_desktop.ui.async_dialogs import exec_async, show_error_later
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.credentials_dialog import CredentialsDialog
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.icons import icon
from proxyshop_desktop.ui.inventory_filters import FilterBar
from proxyshop_desktop.ui.inventory_model import (
    COLUMN_KEYS,
    InventoryModel,
    speed_class_names,
)
from proxyshop_desktop.ui.inventory_select import InventoryTable, capped_message, rows_to_load, select_every_row
from proxyshop_desktop.ui.plain_text import plain
from proxyshop_desktop.ui.sell_dialog import SellDialog

log = logging.getLogger(__name__)

REFRESH_TASK = "inventory.refresh"
MORE_TASK = "inventory.more"
SELL_TASK = "inventory.sell"
SELECT_ALL_TASK = "inventory.select_all"
# Above this many proxies the table pages from SQL (`Shop.inventory`) instead of holding every
# row: the row cache of 1,000,000 proxies took 1.1 GB and 7.5 s to build, and filters on it up
# to 2.6 s, where SQL pages answer the indexed filters/sorts in ~2-16 ms
# (benchmarks/bench_inventory.py). At 50,000 the paged window already measured better on every
# figure of benchmarks/bench_gui.py (peak RSS 174 vs 266 MB, filter/sort <= 33 vs <= 120 ms,
# sync stalls 34-38 vs 38-68 ms) and its slowest page, the derived last-seen sort, takes ~80 ms.
# Small inventories keep every row: selecting all of them (to sell) selects the whole list.
PAGED_ABOVE = 20_000
PAGE_ROWS = 200  # rows per SQL page; a refresh reloads up to MAX_PAGE_SIZE of them (5 pages)
TEXT_DEBOUNCE_MS = 200


class InventoryTab(QWidget):
    def __init__(self, bridge: ShopBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inventoryTab")
        self._bridge = bridge
        self._total: int | None = None  # the whole inventory, for "N of M"
        self._facets_key: InventoryQuery | None = None  # the filters the combos' counts are for
        self._counting = False  # paged: rows shown, their number still being counted
        self.model = InventoryModel(self)

        self.filters = FilterBar(self)
        self.country_filter, self.city_filter = self.filters.country_filter, self.filters.city_filter
        self.type_filter, self.isp_filter = self.filters.type_filter, self.filters.isp_filter
        self.speed_filter, self.refund_filter = self.filters.speed_filter, self.filters.refund_filter
        self.clear_button = self.filters.clear_button

        self.table = InventoryTable(self)
        self.table.setObjectName("inventoryTable")
        self.table.setAccessibleName(self.tr("Inventory"))
        self._configure_table()

        self.count_label = plain(QLabel(self))
        self.count_label.setObjectName("inventoryCount")
        self.count_label.setAccessibleName(self.tr("Matching proxies"))
        self.message = plain(QLabel(self))
        self.message.setObjectName("inventoryMessage")
        self.message.setWordWrap(True)
        self.sell_button = QPushButton(icon("sell"), self.tr("Sell…"), self)
        self.sell_button.setObjectName("sellButton")
        self.sell_button.setAccessibleName(self.tr("Sell the selected proxies"))
        self.sell_button.setToolTip(self.tr("Sell the selected proxies (Ctrl+S or Return)"))

        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(self.message, 1)
        bottom.addWidget(self.sell_button)
        layout = QVBoxLayout(self)
        layout.addLayout(self.filters.layout(self))
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._connect(bridge)

        self._update_count()
        self._update_selection()

    def _connect(self, bridge: ShopBridge) -> None:
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DEBOUNCE_MS)
        self._text_timer.timeout.connect(self.schedule_refresh)
        self.isp_filter.textChanged.connect(lambda _t: self._text_timer.start())
        self.speed_filter.valueChanged.connect(lambda _v: self._text_timer.start())
        self.country_filter.currentIndexChanged.connect(self._country_changed)
        self.city_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.type_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.refund_filter.currentIndexChanged.connect(lambda _i: self.schedule_refresh())
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.horizontalHeader().sortIndicatorChanged.connect(lambda *_: self.schedule_refresh())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_selection())
        self.model.modelReset.connect(self._update_selection)
        self.model.moreWanted.connect(self._fetch_more)
        self.table.selectAllRequested.connect(self._select_all)
        self.sell_button.clicked.connect(self.sell_selected)
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.sell_selected)
        sell_action = QAction(self.tr("Sell…"), self.table)
        sell_action.triggered.connect(self.sell_selected)
        self.table.addAction(sell_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        bridge.inventoryChanged.connect(self._inventory_changed)
        bridge.settingsChanged.connect(self._inventory_changed)  # the price may have changed

    def _configure_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(False)  # sorting is a SQL re-query, not a model sort
        table.setWordWrap(False)
        table.setAlternatingRowColors(True)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # paint cost independent of rows
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never ResizeToContents
        header.setSectionsClickable(True)
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        for column, width in enumerate((190, 140, 110, 100, 200, 120, 80, 80, 140, 140)):
            header.resizeSection(column, width)
        # "1,426 ms · moderate" in the window's language (Russian's words are longer)
        metrics = table.fontMetrics()
        widest = max(speed_class_names().values(), key=metrics.horizontalAdvance)
        sample = f"{formatting.speed(9999)} · {widest}"
        header.resizeSection(COLUMN_KEYS.index("speed"), max(120, metrics.horizontalAdvance(sample) + 16))

    # --- the query ---------------------------------------------------------------------------------

    def current_query(self) -> InventoryQuery:
        header = self.table.horizontalHeader()
        section = header.sortIndicatorSection()
        sort = COLUMN_KEYS[section] if 0 <= section < len(COLUMN_KEYS) else "country"
        return InventoryQuery(
            country_code=self.country_filter.currentData() or None,
            city=(self.city_filter.currentData() or None) if self.city_filter.isEnabled() else None,
            proxy_type=self.type_filter.currentData() or None,
            isp=self.isp_filter.text().strip() or None,
            max_speed=float(self.speed_filter.value()) if self.speed_filter.value() > 0 else None,
            max_refund_rate=self._max_refund_rate(),
            sort=sort,
            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
        )

    def _max_refund_rate(self) -> Decimal | None:
        top = self.refund_filter.currentData()
        return None if top is None else Decimal(top) / 100

    def schedule_refresh(self) -> None:
        """A newer query supersedes one still running (typing, clicking through filters)."""
        self._text_timer.stop()
        self._bridge.start(REFRESH_TASK, self.refresh(), replace=True)

    async def refresh(self) -> None:
        """Rows first (the table updates at once), then the filters' counts if the filters changed:
        a sort needs no new counts. Paged, while the facet counts are rebuilt after a sync (seconds
        at 1,000,000 proxies), a filter's rows come before their number (its COUNT follows)."""
        query = self.current_query()
        facets_key = replace(query, sort="", descending=False)
        shop = self._bridge.shop
        try:
            if self._total is None:
                self._total = (await shop.inventory(InventoryQuery(page_size=1))).total
            if self._total > PAGED_ABOVE:  # as many rows as are loaded: the scroll position stays
                pages = max(1, -(-self.model.rowCount() // PAGE_ROWS))
                size = min(MAX_PAGE_SIZE, pages * PAGE_ROWS)
                page = await shop.inventory(replace(query, page=1, page_size=size), exact_total=False)
                rows = page.rows
                self._counting = not page.counted
                self._apply(rows, page.total)
            else:
                rows = await shop.inventory_rows(query)
                self._counting = False
                self._apply(rows)
            if self._counting:  # without a filter, every proxy: counted already
                unfiltered = facets_key == InventoryQuery(sort="")
                self.model.set_total(self._total if unfiltered else await shop.inventory_total(query))
                self._counting = False
                self._update_count()
            if facets_key != self._facets_key:
                facets = await shop.inventory_facets(query)
                if self.model.paged:  # the loaded rows name too few countries: ask the database
                    codes = {c for c, _ in facets.get("country_code", [])} - set(self.filters.country_names)
                    self.filters.country_names.update(await shop.country_names(codes))
                self._facets_key = facets_key
                self.filters.fill(rows, facets)
        except ShopError as exc:
            self.message.setText(describe(exc))
            return
        self.message.clear()

    def _inventory_changed(self) -> None:
        self._total = None
        self._facets_key = None
        self.schedule_refresh()

    def _select_all(self) -> None:
        """Paged: load every match (up to SELECT_ALL_MAX), then select them (inventory_select.py)."""
        if self.model.paged and rows_to_load(self.model.rowCount(), self.model.total):
            self._bridge.start(SELECT_ALL_TASK, self._load_and_select_all(self.current_query()), replace=True)
        elif self.model.paged:
            self.message.setText(capped_message(self.model.rowCount(), self.model.total))

    async def _load_and_select_all(self, query: InventoryQuery) -> None:
        size = rows_to_load(self.model.rowCount(), self.model.total)
        try:
            page = await self._bridge.shop.inventory(replace(query, page=1, page_size=size))
        except ShopError as exc:
            self.message.setText(describe(exc))
            return
        if query != self.current_query():
            return  # the filters changed meanwhile: the operator moved on
        self._counting = False
        self._apply(page.rows, page.total)
        select_every_row(self.table)
        self.message.setText(capped_message(self.model.rowCount(), page.total))

    def _fetch_more(self) -> None:
        self._bridge.start(MORE_TASK, self._load_more(self.current_query()), replace=True)

    async def _load_more(self, query: InventoryQuery) -> None:
        loaded = self.model.rowCount()
        try:
            page = await self._bridge.shop.inventory(
                replace(query, page=loaded // PAGE_ROWS + 1, page_size=PAGE_ROWS), exact_total=False)
        except ShopError as exc:
            self.model.fetch_failed()
            self.message.setText(describe(exc))
            return
        if query != self.current_query() or loaded != self.model.rowCount():
            self.model.fetch_failed()  # a refresh replaced the rows meanwhile: this page is stale
            return
        if page.counted:
            self._counting = False
        # a lower bound while the number is being counted; the count itself once it came
        self.model.append_rows(page.rows, page.total if page.counted or self._counting else self.model.total)
        self._update_count()

    def _apply(self, rows: list[InventoryRow], total: int | None = None) -> None:
        kept = self.table.remember()
        self.model.set_rows(rows, total)
        self.table.restore(*kept)
        self._update_count()

    # --- filters -----------------------------------------------------------------------------------

    def _country_changed(self) -> None:
        # A city belongs to a country: a new country starts from "all cities".
        self.city_filter.blockSignals(True)
        self.city_filter.setCurrentIndex(0)
        self.city_filter.blockSignals(False)
        self.city_filter.setEnabled(bool(self.country_filter.currentData()))
        self.schedule_refresh()

    def clear_filters(self) -> None:
        self.filters.clear()
        self.schedule_refresh()

    def focus_search(self) -> None:
        self.isp_filter.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.isp_filter.selectAll()

    # --- counts, selection -------------------------------------------------------------------------

    def _update_count(self) -> None:
        shown = self.model.total  # paged: every match, loaded or not
        number = formatting.count  # the same "12,345" as every other count in the window
        if self._total == 0:
            text = self.tr("No proxies yet: press Sync now (Ctrl+R) to fetch the provider's listing.")
        elif self._counting:
            text = self.tr("Counting the matching proxies…")
        elif self._total is None or shown == self._total:
            text = self.tr("%Ln proxies", "", shown)
        else:
            total = self._total  # pyside6-lupdate reads only a plain name as the count
            text = self.tr("{0} of %Ln proxies", "", total).format(number(shown))
        self.count_label.setText(text)

    def selected_product_ids(self) -> list[int]:
        return self.table.selected_product_ids()

    def _update_selection(self) -> None:
        n = len(self.table.selectionModel().selectedRows())
        busy = self._bridge.is_running(SELL_TASK)
        self.sell_button.setEnabled(n > 0 and not busy)
        self.sell_button.setText(self.tr("Sell…") if n <= 1 else self.tr("Sell {0}…").format(n))

    # --- selling -----------------------------------------------------------------------------------

    def sell_selected(self) -> None:
        if self._bridge.is_running(SELL_TASK):
            return
        ids = self.selected_product_ids()
        if not ids:
            self.message.setText(self.tr("Select the proxies to sell first."))
            return
        task = self._bridge.start(SELL_TASK, self.sell(ids))
        task.add_done_callback(lambda _task: self._update_selection())
        self._update_selection()

    async def sell(self, product_ids: list[int]) -> list[OrderView]:
        """Confirm, sell one or many, show the credentials. Returns the orders made."""
        shop = self._bridge.shop
        dialog = SellDialog(len(product_ids), shop.price, self, summary=self._sale_summary(product_ids))
        try:
            if await exec_async(dialog) != QDialog.DialogCode.Accepted:
                return []
            customer = dialog.customer()
        finally:
            dialog.deleteLater()
        self.message.setText(self.tr("Selling…"))
        orders: list[OrderView] = []
        failures: list[BatchFailure] = []
        try:
            if len(product_ids) == 1:
                orders = [await shop.sell(product_ids[0], customer)]
            else:
                result = await shop.sell_many(product_ids, customer)
                orders, failures = list(result.orders), list(result.failed)
        except Exception as exc:
            self.message.setText(describe(exc))
            if isinstance(exc, ProviderError):
                self._bridge.providerError.emit(exc)
            show_error_later(self, exc, self.tr("Sale failed"))
            return []
        finally:
            # Even a failed sale may have left a pending order (outcome unknown): refresh both.
            self._bridge.inventoryChanged.emit()
            self._bridge.ordersChanged.emit()
            self._update_selection()
        for failure in failures:
            if isinstance(failure.error, ProviderError):
                self._bridge.providerError.emit(failure.error)
        self.message.setText(self.tr("Sold {0} of {1}.").format(len(orders), len(product_ids)))
        credentials = CredentialsDialog(orders, self, failures=failures)
        credentials.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        credentials.open()
        return orders

    def _sale_summary(self, product_ids: list[int]) -> str:
        found = (self.model.row_of(pid) for pid in product_ids[:3])
        rows = [self.model.row_data(r) for r in found if r is not None]
        parts = [f"{r.country_code or '?'} {r.city or ''} · {r.isp or '?'}".strip() for r in rows]
        more = len(product_ids) - len(parts)
        if more > 0:
            parts.append(self.tr("and {0} more").format(more))
        return "\n".join(parts)
