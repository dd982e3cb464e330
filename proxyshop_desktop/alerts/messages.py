"""The alert texts, in Telegram's HTML mode: one function per kind, each an English template with
placeholders (`i18n.translate`, context "alerts"), sent in the shop's language: the `language`
setting, or the environment's when it is "system" (`follow`). Every value from outside the code
(customer references, provider messages, errors) goes through `esc`: Telegram rejects a message
with a stray `<` or `&`, and a customer name must never become markup.

No function here takes an order's credentials: only ids, counts and money reach an alert.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from proxyshop_desktop import i18n
from proxyshop_desktop.config import Settings
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.money import format_money

_MAX_DETAIL = 300  # a provider's error page must not become a 4 KB alert
_language = {"code": "en"}  # set by `follow` from the settings; read on the DB thread too


def follow(settings: Settings) -> None:
    """Alerts raised from now on are written in the operator's language."""
    code = settings.language if settings.language != "system" else i18n.environment_language()
    _language["code"] = code if code in i18n.LANGUAGES else "en"


def _render(text: Text) -> str:
    found = i18n.catalog(_language["code"])
    return text.render(found.lookup if found else None)


def esc(value: object) -> str:
    """Text for Telegram's HTML mode: only <, > and & are special outside tags."""
    text = str(value)
    if len(text) > _MAX_DETAIL:
        text = text[: _MAX_DETAIL - 1] + "…"
    return html.escape(text, quote=False)


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M %Z")


def sync_failing(failures: int, since: datetime, error: str) -> str:
    return _render(translate(
        "alerts",
        "🔴 <b>Sync failing</b>: {0} syncs in a row have failed since {1}.\n"
        "Last error: {2}\n"
        "The inventory is not being refreshed. Check the provider and the shop's log.",
    ).format(failures, esc(_when(since)), esc(error)))


def sync_recovered(failures: int, since: datetime) -> str:
    return _render(translate(
        "alerts", "🟢 <b>Sync recovered</b> after {0} failed syncs (failing since {1})."
    ).format(failures, esc(_when(since))))


def balance_refused(proxy_id: int, error: str) -> str:
    return _render(translate(
        "alerts",
        "💸 <b>Purchase refused: provider balance too low</b> (proxy {0}).\n"
        "{1}\nTop up the provider account; sales fail until then.",
    ).format(proxy_id, esc(error)))


def pending_order(order_id: str, customer: str, minutes: int) -> str:
    if customer:
        text = translate(
            "alerts",
            "⏳ <b>Order stuck pending</b>: {0} for {1} has been pending for {2} minutes.\n"
            "Run Reconcile (or <code>proxyshop-desktop reconcile</code>) to settle it.",
        ).format(esc(order_id), esc(customer), minutes)
    else:
        text = translate(
            "alerts",
            "⏳ <b>Order stuck pending</b>: {0} has been pending for {1} minutes.\n"
            "Run Reconcile (or <code>proxyshop-desktop reconcile</code>) to settle it.",
        ).format(esc(order_id), minutes)
    return _render(text)


def refund_unknown(order_id: str, customer: str) -> str:
    who = f" ({esc(customer)})" if customer else ""
    return _render(translate(
        "alerts",
        "❓ <b>Refund outcome unknown</b>: order {0}{1}.\n"
        "Check it with the provider, then record what happened on the Refunds tab "
        "(or <code>proxyshop-desktop settle-refund</code>).",
    ).format(esc(order_id), who))


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
    if f.profit is not None:
        profit = format_money(f.profit)
    else:
        profit = _render(translate("alerts", "unknown (a cost is missing)"))
    lines = [
        translate("alerts", "📊 <b>Daily summary</b> {0} – {1}").format(
            esc(_when(f.start)), esc(_when(f.end))),
        translate("alerts", "Sold: {0}").format(f.sold),
        translate("alerts", "Refunded: {0}").format(f.refunded),
        translate("alerts", "Revenue: {0}").format(format_money(f.revenue)),
        translate("alerts", "Profit: {0}").format(esc(profit)),
        translate("alerts", "Inventory: {0} proxies").format(f.inventory),
    ]
    if f.pending:
        lines.append(translate("alerts", "Pending orders: {0}").format(f.pending))
    return "\n".join(_render(line) for line in lines)


def repeated(times: int) -> str:
    """Appended to a coalesced alert: the same event happened again before it was sent."""
    if times == 1:
        return "\n" + _render(translate("alerts", "<i>(and 1 more time since)</i>"))
    return "\n" + _render(translate("alerts", "<i>(and {0} more times since)</i>").format(times))


def test_message(shop: str) -> str:
    return _render(translate("alerts", "✅ <b>Test</b>: alerts from {0} reach this chat.").format(esc(shop)))
