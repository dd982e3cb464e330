"""`proxyshop-desktop alerts test|status|token set|status|clear`, and the alerts every shop
command raises and sends before it exits (a cron `sync` tells the operator it is failing)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from typing import TYPE_CHECKING

from proxyshop_desktop import token_store
from proxyshop_desktop.alerts import delivery, outbox, setup
from proxyshop_desktop.cli.commands import Reply, read_secret
from proxyshop_desktop.config import load_settings
from proxyshop_desktop.i18n import render, translate
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
                     render(translate("cli", "Test message sent to chat {0}.").format(settings.telegram_chat_id)))
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
    api = (translate("cli", "Bot API: {0} via {1}").format(settings.telegram_api_url, settings.telegram_proxy)
           if settings.telegram_proxy else translate("cli", "Bot API: {0}").format(settings.telegram_api_url))
    lines = [
        translate("cli", "Alerts: on.") if on else translate("cli", "Alerts: off."),
        token.describe(BOT_TOKEN_WORDS),
        translate("cli", "Chat id: {0}").format(settings.telegram_chat_id) if settings.telegram_chat_id
        else translate("cli", "Chat id: not set (telegram_chat_id)"),
        api,
        translate("cli", "Events: {0}").format(", ".join(settings.alert_events)) if settings.alert_events
        else translate("cli", "Events: none"),
        translate("cli", "Queue: {0} waiting, {1} sent, {2} dropped.").format(queue.queued, queue.sent, queue.dropped),
    ]
    if queue.last_error:
        lines.append(translate("cli", "Last error: {0}").format(queue.last_error))
    return Reply(data, "\n".join(render(line) for line in lines))


#: the bot token's state, in the provider token's words
BOT_TOKEN_WORDS = token_store.StatusWords(
    translate("cli", "Bot token set from {0} (overrides the keyring; keyring: {1})."),
    translate("cli", "Bot token set, stored in the OS keyring ({0})."),
    translate("cli", "No bot token. No usable OS keyring ({0}): export {1} instead."),
    translate("cli", "No bot token set. It will be stored in the OS keyring ({0})."),
)


def _token(action: str) -> Reply:
    if action == "status":
        status = setup.bot_token_status()
        return Reply(status.to_json(), render(status.describe(BOT_TOKEN_WORDS)))
    if action == "clear":
        removed = setup.clear_bot_token()
        text = (translate("cli", "Bot token removed from the OS keyring.") if removed
                else translate("cli", "No bot token was stored."))
        return Reply({"status": "success", "removed": removed}, render(text))
    setup.set_bot_token(read_secret(render(translate("cli", "Telegram bot token (not shown): "))))
    status = setup.bot_token_status()
    text = translate("cli", "Bot token stored in the OS keyring ({0}).").format(status.backend)
    if status.source == "environment":
        text = translate("cli", "{0} Note: {1} is set and overrides it.").format(text, status.env_var)
    return Reply({"status": "success", "stored_in": "keyring", "backend": status.backend}, render(text))
