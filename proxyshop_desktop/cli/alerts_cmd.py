"""`proxyshop-desktop alerts test|status|token set|status|clear`, and the alerts every shop
command raises and sends before it exits (a cron `sync` tells the operator it is failing)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from proxyshop_desktop.alerts import delivery, outbox, setup
from proxyshop_desktop.cli.commands import Reply, read_secret
from proxyshop_desktop.config import load_settings
from proxyshop_desktop.paths import AppPaths

if TYPE_CHECKING:
    from proxyshop_desktop.services.shop import Shop

log = logging.getLogger(__name__)

#: a headless command waits at most this long for Telegram before it exits
CLI_FLUSH_SECONDS = 4.0


async def after_command(shop: Shop) -> None:
    """Raise what the shop's state calls for and send the queue, bounded; never raises."""
    if not shop.settings.telegram_chat_id:
        return
    try:
        result = await shop.send_alerts(CLI_FLUSH_SECONDS)
    except Exception:
        log.exception("could not send the alerts")
        return
    if result.error and result.waiting:
        print(f"warning: {result.waiting} alert(s) not sent yet: {result.error}",
              file=sys.stderr, flush=True)


def run_alerts(args: argparse.Namespace, paths: AppPaths) -> Reply:
    action = args.alerts_action
    if action == "token":
        return _token(args.token_action)
    if action == "test":
        settings = load_settings(paths.settings_file)
        asyncio.run(delivery.send_test(settings))
        return Reply({"status": "success", "chat_id": settings.telegram_chat_id},
                     f"Test message sent to chat {settings.telegram_chat_id}.")
    return _status(paths)


def _status(paths: AppPaths) -> Reply:
    from proxyshop_desktop.services.shop import Shop

    settings = load_settings(paths.settings_file)
    token = setup.bot_token_status()

    async def read() -> outbox.OutboxStatus:
        shop = Shop.open(paths, settings=settings)
        try:
            return await shop.store.run(outbox.status)
        finally:
            await shop.aclose()

    queue = asyncio.run(read())
    on = token.is_set and bool(settings.telegram_chat_id)
    data = {
        "enabled": on,
        "chat_id": settings.telegram_chat_id or None,
        "bot_token": token.source,
        "api_url": settings.telegram_api_url,
        "proxy": settings.telegram_proxy or None,
        "events": list(settings.alert_events),
        **queue.to_json(),
    }
    lines = [
        f"Alerts: {'on' if on else 'off'}.",
        f"Bot token: {token.describe()}",
        f"Chat id: {settings.telegram_chat_id or 'not set (telegram_chat_id)'}",
        f"Bot API: {settings.telegram_api_url}"
        + (f" via {settings.telegram_proxy}" if settings.telegram_proxy else ""),
        f"Events: {', '.join(settings.alert_events) or 'none'}",
        f"Queue: {queue.queued} waiting, {queue.sent} sent, {queue.dropped} dropped.",
    ]
    if queue.last_error:
        lines.append(f"Last error: {queue.last_error}")
    return Reply(data, "\n".join(lines))


def _token(action: str) -> Reply:
    if action == "status":
        status = setup.bot_token_status()
        data = {"source": status.source, "is_set": status.is_set, "backend": status.backend,
                "keyring_usable": status.keyring_usable}
        return Reply(data, status.describe().replace("Token", "Bot token", 1))
    if action == "clear":
        removed = setup.clear_bot_token()
        text = "Bot token removed from the OS keyring." if removed else "No bot token was stored."
        return Reply({"status": "success", "removed": removed}, text)
    setup.set_bot_token(read_secret("Telegram bot token (not shown): "))
    status = setup.bot_token_status()
    text = f"Bot token stored in the OS keyring ({status.backend})."
    if status.source == "environment":
        text += f" Note: {status.env_var} is set and overrides it."
    return Reply({"status": "success", "stored_in": "keyring", "backend": status.backend}, text)
