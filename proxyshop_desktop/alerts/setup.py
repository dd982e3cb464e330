"""Where the alerts' configuration comes from: the chat id, proxy and Bot API URL in the settings,
the bot token in the OS keyring or PROXYSHOP_TELEGRAM_BOT_TOKEN (token_store, a named secret).
Alerts are on when both a bot token and a chat id are set."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import time
from concurrent.futures import ThreadPoolExecutor

from proxyshop_desktop import token_store
from proxyshop_desktop.alerts.telegram import TelegramConfig
from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import KeyringUnavailableError, ShopError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.logging_setup import install_redaction

log = logging.getLogger(__name__)

#: a keyring read that takes longer is abandoned (a locked keyring can block forever): an event
#: raised during a sync must not hold the sync up
KEYRING_TIMEOUT_S = 5.0
#: a token read from the keyring is reused this long (each raise would otherwise read it again)
CACHE_SECONDS = 300.0
_cache: dict[int, tuple[float, str | None]] = {}  # id(keyring backend) -> (read at, token)

_BOT_TOKEN = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{20,100}$")
NO_KEYRING_HINT = (
    "No OS keyring is available on this machine; the bot token is not stored in a file instead. "
    f"Export {token_store.BOT_TOKEN_ENV} in the environment that runs the app."
)


def bot_token(environ: dict[str, str] | None = None) -> str | None:
    """The bot token, or None; blocking (a keyring read), so async callers use `bot_token_async`."""
    env = os.environ if environ is None else environ
    token = env.get(token_store.BOT_TOKEN_ENV, "").strip()
    if not token:
        token = _keyring_token() or ""
    if token:
        install_redaction(token)
    return token or None


def _keyring_token() -> str | None:
    import keyring

    key = id(keyring.get_keyring())
    cached = _cache.get(key)
    if cached is not None and cached[1] and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        token = token_store.read_keyring_token(token_store.BOT_TOKEN_ACCOUNT)
    except KeyringUnavailableError:
        token = None
    _cache[key] = (time.monotonic(), token)
    return token


def forget_cached_token() -> None:
    _cache.clear()


async def bot_token_async() -> str | None:
    """On a thread of its own, so a hung keyring is abandoned, never waited for (not even by
    asyncio.run's shutdown of the default executor)."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="proxyshop-keyring")
    try:
        future = asyncio.get_running_loop().run_in_executor(executor, bot_token)
        return await asyncio.wait_for(future, KEYRING_TIMEOUT_S)
    except TimeoutError:
        log.warning("the OS keyring did not answer in %g s: no Telegram alert this time", KEYRING_TIMEOUT_S)
        return None
    finally:
        executor.shutdown(wait=False)


def check_bot_token(token: str) -> str:
    token = token.strip()
    if not _BOT_TOKEN.match(token):
        raise ShopError(
            translate("errors", "That does not look like a Telegram bot token (digits, a colon, then ~35 characters)."),
            translate("errors", "Copy the token @BotFather gave you, on one line."),
        )
    return token


def set_bot_token(token: str) -> None:
    token = check_bot_token(token)
    install_redaction(token)
    forget_cached_token()
    try:
        token_store.set_token(token, token_store.BOT_TOKEN_ACCOUNT)
    except KeyringUnavailableError as exc:
        raise KeyringUnavailableError(exc.message, NO_KEYRING_HINT) from None


def clear_bot_token() -> bool:
    forget_cached_token()
    try:
        return token_store.clear_token(token_store.BOT_TOKEN_ACCOUNT)
    except KeyringUnavailableError as exc:
        raise KeyringUnavailableError(exc.message, NO_KEYRING_HINT) from None


def bot_token_status() -> token_store.TokenStatus:
    return token_store.token_status(
        account=token_store.BOT_TOKEN_ACCOUNT, env_var=token_store.BOT_TOKEN_ENV
    )


def wanted(settings: Settings, kind: str) -> bool:
    """Cheap first check (no keyring): a chat id is set and this kind is switched on."""
    return bool(settings.telegram_chat_id) and kind in settings.alert_events


def telegram_config(settings: Settings, token: str | None) -> TelegramConfig | None:
    if not token or not settings.telegram_chat_id:
        return None
    return TelegramConfig(
        token=token,
        chat_id=settings.telegram_chat_id,
        api_url=settings.telegram_api_url,
        proxy=settings.telegram_proxy,
    )


def not_configured(settings: Settings, token: str | None) -> ShopError:
    if not token and not settings.telegram_chat_id:
        off = translate("errors", "Telegram alerts are off: a bot token and a chat id not set.")
    elif not token:
        off = translate("errors", "Telegram alerts are off: a bot token not set.")
    else:
        off = translate("errors", "Telegram alerts are off: a chat id not set.")
    return ShopError(
        off,
        translate("errors", "Set the token with `proxyshop-desktop alerts token set` and the chat id in Settings > "
                  "Alerts (or PROXYSHOP_TELEGRAM_CHAT_ID)."),
    )
