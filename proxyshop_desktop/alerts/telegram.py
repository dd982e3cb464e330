"""The Telegram Bot API client: `sendMessage` in HTML mode, over httpx, optionally through a
SOCKS5 or HTTP proxy used for Telegram only.

The Bot API puts the bot token in the URL path (`/bot<token>/sendMessage`) and httpx logs request
URLs at INFO: the token is registered with the log scrubber before any request, and no error
raised here ever contains the URL or the exception text of httpx (which may quote it).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.logging_setup import install_redaction, redact

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(10.0, connect=5.0)
MAX_RETRY_AFTER = 3600.0  # a bigger retry_after is taken as an hour


class TelegramError(ShopError):
    """Why a message did not reach Telegram. `kind` decides what the outbox does:
    `unreachable` and `rate_limited` wait and retry; `unauthorized` and `chat` wait for the
    operator to fix the settings; `rejected` means this one message can never be sent."""

    def __init__(self, kind: str, message: str, hint: str, retry_after: float | None = None) -> None:
        super().__init__(message, hint)
        self.kind = kind
        self.retry_after = retry_after


@dataclass(frozen=True)
class TelegramConfig:
    token: str
    chat_id: str
    api_url: str
    proxy: str = ""


def _description(response: httpx.Response) -> str:
    try:
        body: Any = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    text = body.get("description") if isinstance(body, dict) else None
    return redact(str(text)) if text else f"HTTP {response.status_code}"


def _retry_after(response: httpx.Response) -> float:
    try:
        seconds = float(response.json()["parameters"]["retry_after"])
    except (ValueError, KeyError, TypeError):
        seconds = float(response.headers.get("Retry-After", "5") or 5)
    return max(1.0, min(seconds, MAX_RETRY_AFTER))


def error_for(response: httpx.Response) -> TelegramError:
    code, words = response.status_code, _description(response)
    if code == 429:
        wait = _retry_after(response)
        return TelegramError(
            "rate_limited", f"Telegram asks to wait {wait:.0f} s ({words}).",
            "The alerts are kept and sent after the wait.", retry_after=wait,
        )
    if code in (401, 404):  # the Bot API answers 404 to a malformed token
        return TelegramError(
            "unauthorized", f"Telegram refused the bot token ({words}).",
            "Check it with @BotFather and set it again: `proxyshop-desktop alerts token set`.",
        )
    if code == 403 or (code == 400 and "chat" in words.lower()):
        return TelegramError(
            "chat", f"Telegram cannot deliver to the chat ({words}).",
            "Check telegram_chat_id, and that the bot was added to that chat (send it /start).",
        )
    if code >= 500:
        return TelegramError(
            "unreachable", f"Telegram is failing (HTTP {code}).", "The alerts are kept and retried."
        )
    return TelegramError("rejected", f"Telegram rejected the message ({words}).",
                         "It is dropped from the queue; see the log.")


class TelegramClient:
    def __init__(
        self,
        config: TelegramConfig,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        install_redaction(config.token)  # before any request can be logged
        self.config = config
        self._url = f"{config.api_url.rstrip('/')}/bot{config.token}/sendMessage"
        self._http = httpx.AsyncClient(
            timeout=timeout, proxy=config.proxy or None, transport=transport, trust_env=False
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> TelegramClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def send(self, html_text: str) -> None:
        """One message; TelegramError when Telegram does not confirm it."""
        payload = {
            "chat_id": self.config.chat_id,
            "text": html_text,
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }
        try:
            response = await self._http.post(self._url, json=payload)
        except httpx.ProxyError:
            raise self._unreachable("the proxy refused the connection") from None
        except httpx.TimeoutException:
            raise self._unreachable("no answer in time") from None
        except (httpx.TransportError, OSError) as exc:
            raise self._unreachable(type(exc).__name__) from None
        if response.status_code == 200:
            try:
                ok = bool(response.json().get("ok"))
            except (ValueError, AttributeError):
                ok = False
            if ok:
                return
        raise error_for(response)

    def _unreachable(self, why: str) -> TelegramError:
        via = " through the proxy" if self.config.proxy else ""
        return TelegramError(
            "unreachable", f"Telegram is not reachable{via} ({why}).",
            "The alerts are kept and sent when it is; set telegram_proxy if Telegram is blocked here.",
        )
