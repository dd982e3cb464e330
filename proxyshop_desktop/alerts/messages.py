"""The alert texts, in Telegram's HTML mode: one function per kind, English source with named
parameters (so a translation can be added per function later). Every value from outside the code
(customer references, provider messages, errors) goes through `esc`: Telegram rejects a message
with a stray `<` or `&`, and a customer name must never become markup.

No function here takes an order's credentials: only ids, counts and money reach an alert.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from proxyshop_desktop.money import format_money

_MAX_DETAIL = 300  # a provider's error page must not become a 4 KB alert


def esc(value: object) -> str:
    """Text for Telegram's HTML mode: only <, > and & are special outside tags."""
    text = str(value)
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 1] + "…"
    return html.escape(text, quote=False)


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M %Z")


def sync_failing(failures: int, since: datetime, error: str) -> str:
    return (
        f"🔴 <b>Sync failing</b>: {failures} syncs in a row have failed since {esc(_when(since))}.\n"
        f"Last error: {esc(error)}\n"
        "The inventory is not being refreshed. Check the provider and the shop's log."
    )


def sync_recovered(failures: int, since: datetime) -> str:
    return (
        f"🟢 <b>Sync recovered</b> after {failures} failed syncs "
        f"(failing since {esc(_when(since))})."
    )


def balance_refused(proxy_id: int, error: str) -> str:
    return (
        f"💸 <b>Purchase refused: provider balance too low</b> (proxy {proxy_id}).\n"
        f"{esc(error)}\nTop up the provider account; sales fail until then."
    )


def pending_order(order_id: str, customer: str, minutes: int) -> str:
    who = f" for {esc(customer)}" if customer else ""
    return (
        f"⏳ <b>Order stuck pending</b>: {esc(order_id)}{who} has been pending for "
        f"{minutes} minutes.\nRun Reconcile (or <code>proxyshop-desktop reconcile</code>) to settle it."
    )


def refund_unknown(order_id: str, customer: str) -> str:
    who = f" ({esc(customer)})" if customer else ""
    return (
        f"❓ <b>Refund outcome unknown</b>: order {esc(order_id)}{who}.\n"
        "Check it with the provider, then record what happened on the Refunds tab "
        "(or <code>proxyshop-desktop settle-refund</code>)."
    )


@dataclass(frozen=True)
class DailyFigures:
    start: datetime
    end: datetime
    sold: int
    refunded: int
    revenue: Decimal  # the period's sales minus what their refunds gave back (services/report.py)
    profit: Decimal | None  # None when a sale's cost is unknown
    inventory: int
    pending: int


def daily_summary(f: DailyFigures) -> str:
    profit = format_money(f.profit) if f.profit is not None else "unknown (a cost is missing)"
    lines = [
        f"📊 <b>Daily summary</b> {esc(_when(f.start))} – {esc(_when(f.end))}",
        f"Sold: {f.sold}",
        f"Refunded: {f.refunded}",
        f"Revenue: {format_money(f.revenue)}",
        f"Profit: {esc(profit)}",
        f"Inventory: {f.inventory} proxies",
    ]
    if f.pending:
        lines.append(f"Pending orders: {f.pending}")
    return "\n".join(lines)


def repeated(times: int) -> str:
    """Appended to a coalesced alert: the same event happened again before it was sent."""
    return f"\n<i>(and {times} more time{'s' if times != 1 else ''} since)</i>"


def test_message(shop: str) -> str:
    return f"✅ <b>Test</b>: alerts from {esc(shop)} reach this chat."
