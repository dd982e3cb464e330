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
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TextIO

from proxyshop_desktop import i18n
from proxyshop_desktop.cli import localized
from proxyshop_desktop.cli.localized import counted
from proxyshop_desktop.i18n import Text, joined, plain, translate
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
    from proxyshop_desktop.services.proxy_check import ProxyCheckResult

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

    def __init__(self, what: Text, interval: float = 0.2) -> None:
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
        text = _say(translate("cli", "{0}: {1} of {2} ({3}%)").format(
            self._what, localized.number(done), counted.orders(total), percent))
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
    return localized.when(value)


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


# --- per command: human text in the CLI's language (i18n.render; cli/localized.py for counts) -----


def _say(text: Text) -> str:
    return i18n.render(text)


def sync_text(result: SyncResult) -> str:
    listed = (
        translate("cli", " (the provider reports {0})").format(localized.number(result.total_available_external))
        if result.total_available_external is not None
        else plain("")
    )
    return _say(joined(
        translate("cli", "Sync finished in {0} s: {1} fetched{2} {3}; {4} added, {5} updated, "
                  "{6} removed, {7} skipped.").format(
            localized.decimal(f"{result.seconds:.1f}"), counted.proxies(result.total_fetched), listed,
            counted.pages(result.pages), localized.number(result.added), localized.number(result.updated),
            localized.number(result.removed), localized.number(result.skipped)),
        result.removal_note_text,
    ))


def inventory_text(page: InventoryPage) -> str:
    if page.total == 0:
        return _say(translate("cli", "No proxies match."))
    headers = [_say(h) for h in (
        translate("cli", "ID"), translate("cli", "PROXY"), translate("cli", "CC"), translate("cli", "CITY"),
        translate("cli", "REGION"), translate("cli", "TYPE"), translate("cli", "ISP"), translate("cli", "SPEED"),
        translate("cli", "PRICE"), translate("cli", "REFUNDED"))]
    rows = [
        (
            r.product_id,
            r.proxy_id,
            r.country_code,
            r.city,
            r.region,
            r.proxy_type,
            r.isp,
            "-" if r.speed is None else _say(translate("cli", "{0} ms").format(localized.decimal(f"{r.speed:g}"))),
            localized.money(r.price),
            localized.percent(r.refund_rate),
        )
        for r in page.rows
    ]
    pages = max(1, -(-page.total // page.page_size))
    first = (page.page - 1) * page.page_size + 1
    shown = (f"{localized.number(first)}-{localized.number(first + len(page.rows) - 1)}" if page.rows
             else _say(translate("cli", "none")))
    return table(headers, rows) + "\n" + _say(
        translate("cli", "Page {0} of {1}: proxies {2} of {3} matching.").format(
            localized.number(page.page), localized.number(pages), shown, localized.number(page.total)))


def sale_text(order: OrderView) -> str:
    price = localized.money(order.price)
    lines = [_say(
        translate("cli", "Sold {0} (proxy {1}) for {2} to {3}.").format(
            escape(order.order_id), order.proxy_id, price, escape(order.customer))
        if order.customer else
        translate("cli", "Sold {0} (proxy {1}) for {2}.").format(escape(order.order_id), order.proxy_id, price)
    )]
    if order.credentials:
        c = order.credentials
        parts = [escape(v) for v in (c.line, c.ip, c.port, c.login, c.password)]
        lines.append(f"  {parts[0]}")
        lines.append("  " + _say(translate("cli", "ip {0}  port {1}  login {2}  password {3}").format(*parts[1:])))
        if parts[0] != c.line:
            lines.append("  " + _say(translate(
                "cli", "(control characters are shown escaped: --json gives the exact bytes)")))
        where = ", ".join(escape(x) for x in (order.city, c.country, c.isp) if x)
        if where:
            lines.append(f"  {where}")
    lines.append("  " + _say(
        translate("cli", "expires {0}; refundable until {1}").format(
            when(order.expires_at), when(order.refundable_until))
        if order.refundable
        else translate("cli", "expires {0}; the provider does not refund this proxy").format(when(order.expires_at))
    ))
    return "\n".join(lines)


def batch_text(result: BatchSaleResult) -> str:
    parts = [sale_text(o) for o in result.orders]
    parts.append(counted.sold(len(result.orders)))
    for failure in result.failed:
        error = i18n.render(failure.message_text)
        parts.append(_say(translate("cli", "Not sold: product {0}: {1}").format(
            failure.product_id, escape(one_line(error)))))
    return "\n".join(parts)


def orders_text(page: OrderPage) -> str:
    orders = page.orders
    if not orders:
        return _say(translate("cli", "No orders.") if page.total == 0 else
                    translate("cli", "No orders on page {0}: {1} match, {2} per page.").format(
                        localized.number(page.page), localized.number(page.total), localized.number(page.limit)))
    headers = [_say(h) for h in (
        translate("cli", "ORDER"), translate("cli", "STATUS"), translate("cli", "CUSTOMER"),
        translate("cli", "PRICE"), translate("cli", "PURCHASED"), translate("cli", "REFUNDABLE UNTIL"),
        translate("cli", "CONNECT TO"))]
    rows = [
        (
            o.order_id,
            o.status,
            o.customer,
            localized.money(o.price),
            when(o.purchased_at),
            when(o.refundable_until) if o.status in KEPT else "-",
            f"{o.credentials.ip}:{o.credentials.port}" if o.credentials else "-",
        )
        for o in orders
    ]
    first = (page.page - 1) * page.limit + 1
    text = table(headers, rows) + "\n" + _say(translate("cli", "Orders {0}-{1} of {2}.").format(
        localized.number(first), localized.number(first + len(orders) - 1), localized.number(page.total)))
    if page.next_page:
        text += " " + _say(translate("cli", "{0} more: --page {1}").format(
            localized.number(page.remaining), page.next_page))
    return text


def stats_text(stats: ShopStats) -> str:
    pending = localized.number(stats.pending_orders) + (
        "  " + _say(translate("cli", "(run `proxyshop-desktop reconcile`)")) if stats.pending_orders else ""
    )
    pairs = [
        (translate("cli", "Inventory"),
         f"{counted.proxies(stats.total_inventory)} {counted.countries(stats.countries_available)}"),
        (translate("cli", "Sold"), _say(translate("cli", "{0} (refunded {1})").format(
            localized.number(stats.total_sold), localized.number(stats.total_refunded)))),
        (translate("cli", "Revenue (kept)"), localized.money(stats.revenue)),
        (translate("cli", "Provider cost"), localized.money(stats.cost)),
        (translate("cli", "Profit"), _say(translate("cli", "{0} (margin {1})").format(
            localized.money(stats.profit), localized.percent(stats.margin)))),
        (translate("cli", "Pending orders"), pending),
        (translate("cli", "Last successful sync"), when(stats.last_sync)),
    ]
    if stats.by_country:
        pairs.append((translate("cli", "Top countries"),
                      ", ".join(f"{code} {localized.number(n)}" for code, n in stats.by_country[:8])))
    labels = [_say(label) + ":" for label, _ in pairs]
    width = max(22, *(len(label) + 1 for label in labels))
    return "\n".join(f"{label:<{width}}{value}" for label, (_, value) in zip(labels, pairs, strict=True))


def _percent(value: Decimal | None) -> str:
    return localized.percent(value)


def report_text(report: ProfitReport) -> str:
    if not report.rows:
        return _say(translate("cli", "No sales since {0}.").format(when(report.since)) if report.since
                    else translate("cli", "No sales yet."))
    rows = [
        (
            _say(translate("cli", "(unknown)")) if r.key is None else r.key,
            localized.number(r.sold),
            localized.number(r.refunded),
            _percent(r.refund_rate),
            localized.money(r.revenue),
            localized.money(r.cost),
            localized.money(r.profit),
        )
        for r in [*report.rows, replace(report.total, key=_say(translate("cli", "TOTAL")))]
    ]
    headers = [_say(h) for h in (
        translate("cli", "SOLD"), translate("cli", "REFUNDED"), translate("cli", "REFUND RATE"),
        translate("cli", "REVENUE"), translate("cli", "COST"), translate("cli", "PROFIT"))]
    text = table((report.by.upper(), *headers), rows)
    text += "\n" + _say(translate("cli", "Margin: {0} of revenue.").format(_percent(report.total.margin)))
    if report.since:
        text += " " + _say(translate("cli", "Sales purchased since {0}.").format(when(report.since)))
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


def check_text(result: ProxyCheckResult) -> str:
    """'ORD-1: works. <the check's sentence>'; the outcome (CheckOutcome's values: the module is not
    imported for this) in the CLI's language."""
    labels = {
        "works": translate("cli", "works"),
        "login_refused": translate("cli", "refuses the login"),
        "unreachable": translate("cli", "unreachable"),
        "timed_out": translate("cli", "timed out"),
        "bad_answer": translate("cli", "bad answer"),
    }
    return _say(translate("cli", "{0}: {1}. {2}").format(result.order_id, labels[result.outcome.value], result.shown))


def reconcile_text(result: ReconcileResult) -> str:
    text = _say(translate("cli", "Reconciled with the provider: {0}, {1}, {2}.").format(
        counted.purchases_recovered(result.recovered), counted.pending_settled(result.settled),
        counted.voided(result.voided)))
    if result.missing_at_provider:
        text += "\n" + counted.unknown_local_orders(len(result.missing_at_provider)) + " " + ", ".join(
            result.missing_at_provider)
    if result.refunds_recorded:
        text += "\n" + _say(translate("cli", "Refunds made at the provider, now recorded: {0}").format(
            ", ".join(result.refunds_recorded)))
    if result.refunds_not_done:
        text += "\n" + _say(translate("cli", "Refunds that did not happen (orders stay sold): {0}").format(
            ", ".join(result.refunds_not_done)))
    if result.refund_unknown:
        text += "\n" + _say(translate(
            "cli", "Refund outcome still unknown (asked again next time; check with the provider): {0}").format(
            ", ".join(result.refund_unknown)))
    return text
