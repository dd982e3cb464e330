r"""What the commands print: one JSON object with --json, else short human summaries and tables.

Human output never shows a customer's password except where the operator asked for credentials
(a sale just made). Times are shown in UTC, labelled as such.

Text from outside (provider, customers, the database) must not steer the operator's terminal: every
human line on stdout or stderr goes through `escape`, which shows control characters (C0, DEL,
C1), bidi controls and line/paragraph separators as `\x1b` / `\u202e`. `--json` stays exact: the
same characters are written as JSON `\u` escapes there, which parse back to the very same string.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from proxyshop_desktop import i18n
from proxyshop_desktop.i18n import joined, plain, translate
from proxyshop_desktop.money import format_money
from proxyshop_desktop.services.report import ProfitReport
from proxyshop_desktop.services.results import (
    BatchSaleResult,
    InventoryPage,
    OrderView,
    ReconcileResult,
    ShopStats,
    SyncResult,
)
from proxyshop_desktop.vocabulary import KEPT

if TYPE_CHECKING:
    from proxyshop_desktop.services.order_pages import OrderPage

MAX_CELL = 28

# C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, and the separators that
# str.splitlines() breaks on without being "\n": none may reach a terminal raw.
_BIDI_AND_SEPARATORS = "\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]")
# json.dumps escapes C0 inside strings and writes "\n" between items itself: the rest of the set.
_UNSAFE_IN_JSON = re.compile(f"[\\x7f-\\x9f{_BIDI_AND_SEPARATORS}]")


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape(text: str, *, keep_newlines: bool = False) -> str:
    r"""`text` with every character that could steer a terminal shown as an escape (`\x1b`,
    `\u202e`). The one rule for human output; keep_newlines for multi-line texts (tables)."""
    return (_UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE).sub(_escaped, text)


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def to_json(data: dict[str, Any]) -> str:
    r"""Exact JSON: the rest of `escape`'s set is written as `\uXXXX` too (such characters can
    only be inside strings), so a terminal showing it is safe and parsing it gives back every
    character unchanged."""
    return _UNSAFE_IN_JSON.sub(_json_escaped, json.dumps(data, ensure_ascii=False, indent=2))


def print_json(data: dict[str, Any], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    stream.write(to_json(data) + "\n")
    stream.flush()


def print_text(text: str, stream: TextIO | None = None) -> None:
    """Human output on stdout, escaped (the texts escape their values already; this is the net)."""
    stream = stream or sys.stdout
    text = escape(text, keep_newlines=True)
    stream.write(text if text.endswith("\n") else text + "\n")
    stream.flush()


def print_error(text: str) -> None:
    """One escaped line on stderr: errors, warnings, progress."""
    sys.stderr.write(escape(one_line(text)) + "\n")
    sys.stderr.flush()


def one_line(text: str) -> str:
    """Error messages are printed on exactly one line."""
    return " ".join(text.split())


class ProgressLine:
    """A self-overwriting `exporting: N of M orders (P%)` line on a terminal's stderr, at most
    every `interval` seconds; `done()` erases it. Only numbers of ours: nothing to escape."""

    def __init__(self, what: str, interval: float = 0.2) -> None:
        self._what = what
        self._interval = interval
        self._last = 0.0
        self._width = 0

    @staticmethod
    def wanted(as_json: bool) -> bool:
        """Only for a person at a terminal: never with --json, never into a pipe or a log."""
        return not as_json and sys.stderr is not None and sys.stderr.isatty()

    def update(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self._last < self._interval and done < total:
            return
        self._last = now
        percent = 100 * done // total if total else 100
        text = f"{self._what}: {done:,} of {total:,} orders ({percent}%)"
        self._width = max(self._width, len(text))
        sys.stderr.write("\r" + text.ljust(self._width))
        sys.stderr.flush()

    def done(self) -> None:
        if self._width:
            sys.stderr.write("\r" + " " * self._width + "\r")
            sys.stderr.flush()


class EscapingFormatter(logging.Formatter):
    """For the --verbose console handler: log records carry provider text too."""

    def __init__(self, inner: logging.Formatter | None) -> None:
        super().__init__()
        self._inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return escape(self._inner.format(record), keep_newlines=True)


def when(value: datetime | None) -> str:
    return "-" if value is None else value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain aligned table; long cells are shortened with an ellipsis."""

    def cell(value: Any) -> str:
        text = "-" if value is None or value == "" else escape(str(value))
        return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)).rstrip() for r in cells]
    return "\n".join(lines)


# --- per command ---------------------------------------------------------------------------------


def sync_text(result: SyncResult) -> str:
    listed = (
        translate("cli", " (the provider reports {0})").format(result.total_available_external)
        if result.total_available_external is not None
        else plain("")
    )
    return i18n.render(joined(
        translate("cli", "Sync finished in {0} s: {1} proxies fetched{2} "
                  "in {3} pages; {4} added, {5} updated, {6} removed, {7} skipped.").format(
            f"{result.seconds:.1f}", result.total_fetched, listed, result.pages, result.added,
            result.updated, result.removed, result.skipped),
        result.removal_note_text,
    ))


def inventory_text(page: InventoryPage) -> str:
    if page.total == 0:
        return "No proxies match."
    headers = ("ID", "PROXY", "CC", "CITY", "REGION", "TYPE", "ISP", "SPEED", "PRICE", "REFUNDED")
    rows = [
        (
            r.product_id,
            r.proxy_id,
            r.country_code,
            r.city,
            r.region,
            r.proxy_type,
            r.isp,
            "-" if r.speed is None else f"{r.speed:g} ms",
            format_money(r.price),
            _percent(r.refund_rate),
        )
        for r in page.rows
    ]
    pages = max(1, -(-page.total // page.page_size))
    first = (page.page - 1) * page.page_size + 1
    shown = f"{first}-{first + len(page.rows) - 1}" if page.rows else "none"
    return table(headers, rows) + (
        f"\nPage {page.page} of {pages}: proxies {shown} of {page.total} matching."
    )


def sale_text(order: OrderView) -> str:
    customer = f" to {escape(order.customer)}" if order.customer else ""
    lines = [
        f"Sold {escape(order.order_id)} (proxy {order.proxy_id}) for {format_money(order.price)}"
        f"{customer}."
    ]
    if order.credentials:
        c = order.credentials
        parts = [escape(v) for v in (c.line, c.ip, c.port, c.login, c.password)]
        lines.append(f"  {parts[0]}")
        lines.append(f"  ip {parts[1]}  port {parts[2]}  login {parts[3]}  password {parts[4]}")
        if parts[0] != c.line:
            lines.append("  (control characters are shown escaped: --json gives the exact bytes)")
        where = ", ".join(escape(x) for x in (order.city, c.country, c.isp) if x)
        if where:
            lines.append(f"  {where}")
    lines.append(
        f"  expires {when(order.expires_at)}; refundable until {when(order.refundable_until)}"
        if order.refundable
        else f"  expires {when(order.expires_at)}; the provider does not refund this proxy"
    )
    return "\n".join(lines)


def batch_text(result: BatchSaleResult) -> str:
    parts = [sale_text(o) for o in result.orders]
    parts.append(f"{len(result.orders)} sold.")
    for failure in result.failed:
        error = i18n.render(failure.message_text)
        parts.append(f"Not sold: product {failure.product_id}: {escape(one_line(error))}")
    return "\n".join(parts)


def orders_text(page: OrderPage) -> str:
    orders = page.orders
    if not orders:
        return "No orders." if page.total == 0 else (
            f"No orders on page {page.page}: {page.total} match, {page.limit} per page.")
    headers = (
        "ORDER",
        "STATUS",
        "CUSTOMER",
        "PRICE",
        "PURCHASED",
        "REFUNDABLE UNTIL",
        "CONNECT TO",
    )
    rows = [
        (
            o.order_id,
            o.status,
            o.customer,
            format_money(o.price),
            when(o.purchased_at),
            when(o.refundable_until) if o.status in KEPT else "-",
            f"{o.credentials.ip}:{o.credentials.port}" if o.credentials else "-",
        )
        for o in orders
    ]
    first = (page.page - 1) * page.limit + 1
    more = (f" {page.remaining} more: --page {page.next_page}" if page.next_page else "")
    return (table(headers, rows) + f"\nOrders {first}-{first + len(orders) - 1} of {page.total}."
            + more)


def stats_text(stats: ShopStats) -> str:
    pending = f"{stats.pending_orders}" + (
        "  (run `proxyshop-desktop reconcile`)" if stats.pending_orders else ""
    )
    pairs = [
        ("Inventory", f"{stats.total_inventory} proxies in {stats.countries_available} countries"),
        ("Sold", f"{stats.total_sold} (refunded {stats.total_refunded})"),
        ("Revenue (kept)", format_money(stats.revenue)),
        ("Provider cost", format_money(stats.cost)),
        ("Profit", f"{format_money(stats.profit)} (margin {_percent(stats.margin)})"),
        ("Pending orders", pending),
        ("Last successful sync", when(stats.last_sync)),
    ]
    if stats.by_country:
        pairs.append(
            ("Top countries", ", ".join(f"{code} {n}" for code, n in stats.by_country[:8]))
        )
    return "\n".join(f"{label + ':':<22}{value}" for label, value in pairs)


def _percent(value: Decimal | None) -> str:
    return "-" if value is None else f"{value * 100:.1f}%"


_REPORT_HEADERS = ("SOLD", "REFUNDED", "REFUND RATE", "REVENUE", "COST", "PROFIT")


def report_text(report: ProfitReport) -> str:
    if not report.rows:
        return "No sales" + (f" since {when(report.since)}." if report.since else " yet.")
    rows = [
        (
            "(unknown)" if r.key is None else r.key,
            r.sold,
            r.refunded,
            _percent(r.refund_rate),
            format_money(r.revenue),
            format_money(r.cost),
            format_money(r.profit),
        )
        for r in [*report.rows, replace(report.total, key="TOTAL")]
    ]
    text = table((report.by.upper(), *_REPORT_HEADERS), rows)
    text += f"\nMargin: {_percent(report.total.margin)} of revenue."
    if report.since:
        text += f" Sales purchased since {when(report.since)}."
    return text


def report_csv(report: ProfitReport) -> str:
    """One row per group, money as plain decimals, then a TOTAL row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([report.by, "sold", "refunded", "refund_rate", "revenue", "cost", "profit"])
    for r in [*report.rows, replace(report.total, key="TOTAL")]:
        data = r.to_json()
        writer.writerow(["" if value is None else value for value in data.values()])
    return buffer.getvalue()


def reconcile_text(result: ReconcileResult) -> str:
    text = (
        f"Reconciled with the provider: {result.recovered} purchases recovered, "
        f"{result.settled} pending orders settled, {result.voided} voided."
    )
    if result.missing_at_provider:
        text += (
            f"\nThe provider does not know {len(result.missing_at_provider)} local orders: "
            + ", ".join(result.missing_at_provider)
        )
    if result.refunds_recorded:
        text += "\nRefunds made at the provider, now recorded: " + ", ".join(result.refunds_recorded)
    if result.refunds_not_done:
        text += "\nRefunds that did not happen (orders stay sold): " + ", ".join(result.refunds_not_done)
    if result.refund_unknown:
        text += (
            "\nRefund outcome still unknown (asked again next time; check with the provider): "
            + ", ".join(result.refund_unknown)
        )
    return text
