"""Check a sold proxy the way its customer uses it: a SOCKS5 login with the sold credentials at
the proxy's `server_ip:port` (IPv4 or IPv6), then one HTTP request through it to the check URL,
which answers the IP it saw: the proxy's exit IP.

The outcome is said in the operator's terms: the proxy works, refuses the login, is unreachable
(nothing listens, it hangs up, or it cannot reach the check URL), timed out, or gave a bad answer
(not SOCKS5, not HTTP, not an IP address). One timeout covers the whole check and starts once the
check has one of the few slots (`MAX_CONCURRENT_CHECKS`), so a queue of checks never times out
while waiting. The sold login and password go to the proxy and nowhere else: no log line, no
message, no repr.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any
from urllib.parse import SplitResult, urlsplit

import h11
from python_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError, ProxyType
from python_socks.async_.asyncio.v2 import Proxy

from proxyshop_desktop.clock import iso, utcnow
from proxyshop_desktop.errors import ShopError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import load_order
from proxyshop_desktop.vocabulary import NO_CREDENTIALS

log = logging.getLogger(__name__)

#: checks running at once (each holds a connection through a customer's proxy)
MAX_CONCURRENT_CHECKS = 3
MAX_ANSWER_BYTES = 64 * 1024  # "what is my IP" answers are tiny; more is not one
_USER_AGENT = "ProxyShop-check/1"


class CheckOutcome(StrEnum):
    WORKS = "works"
    LOGIN_REFUSED = "login_refused"
    UNREACHABLE = "unreachable"
    TIMED_OUT = "timed_out"
    BAD_ANSWER = "bad_answer"


#: how the window and the command line name each outcome
OUTCOME_LABELS = {
    CheckOutcome.WORKS: "works",
    CheckOutcome.LOGIN_REFUSED: "refuses the login",
    CheckOutcome.UNREACHABLE: "unreachable",
    CheckOutcome.TIMED_OUT: "timed out",
    CheckOutcome.BAD_ANSWER: "bad answer",
}


@dataclass(frozen=True)
class ProxyAddress:
    """Where a sold proxy listens and its login; the login never shows in a repr."""

    host: str
    port: int
    login: str = field(repr=False)
    password: str = field(repr=False)

    @property
    def where(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True)
class ProxyCheckResult:
    outcome: CheckOutcome
    latency_ms: int | None  # from connecting to the proxy to the check URL's full answer
    exit_ip: str | None  # the IP the check URL saw
    checked_at: datetime
    message: str  # one sentence for the operator, never a credential (English: JSON, the stored check)
    order_id: str = ""
    text: Text | None = field(default=None, compare=False)  # `message` to translate (the window's)

    @property
    def shown(self) -> Text | str:
        return self.message if self.text is None else self.text

    @property
    def works(self) -> bool:
        return self.outcome is CheckOutcome.WORKS

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def to_json(self) -> dict[str, Any]:
        """The `check --json` object."""
        return {
            "order_id": self.order_id,
            "outcome": self.outcome.value,
            "latency_ms": self.latency_ms,
            "exit_ip": self.exit_ip,
            "checked_at": iso(self.checked_at),
            "message": self.message,
        }


class _Failed(Exception):
    def __init__(self, outcome: CheckOutcome, text: Text) -> None:
        super().__init__(str(text))
        self.outcome = outcome
        self.text = text
        self.message = str(text)


# --- one proxy -----------------------------------------------------------------------------------


async def check_proxy(
    proxy: ProxyAddress,
    check_url: str,
    timeout: float,
    *,
    slots: asyncio.Semaphore | None = None,
    listed_exit_ip: str | None = None,
    tls: ssl.SSLContext | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> ProxyCheckResult:
    """Connect through `proxy` and fetch `check_url`; never raises for what the proxy does.

    An https check URL is verified with `tls` (default: the system's certificate authorities);
    `clock` gives the check's time (a shop passes its `ctx.clock`)."""
    async with slots if slots is not None else contextlib.nullcontext():
        checked_at = clock()
        started = time.perf_counter()
        try:
            async with asyncio.timeout(timeout):
                status, body = await _fetch_through(proxy, urlsplit(check_url), timeout, tls)
        except _Failed as failed:
            log.debug("proxy check at %s: %s", proxy.where, failed.outcome.value)
            return ProxyCheckResult(failed.outcome, None, None, checked_at, failed.message, text=failed.text)
        except (TimeoutError, ProxyTimeoutError):
            log.debug("proxy check at %s: timed out after %s s", proxy.where, timeout)
            said = translate("check", "The proxy at {0} did not finish the check within {1} s.").format(
                proxy.where, f"{timeout:g}")
            return ProxyCheckResult(CheckOutcome.TIMED_OUT, None, None, checked_at, str(said), text=said)
        latency_ms = round((time.perf_counter() - started) * 1000)
    return _judge(proxy, status, body, latency_ms, checked_at, listed_exit_ip)


def _judge(proxy: ProxyAddress, status: int, body: bytes, latency_ms: int,
           checked_at: datetime, listed_exit_ip: str | None) -> ProxyCheckResult:
    """The check URL answered through the proxy: is it an IP address?"""
    exit_ip = _exit_ip(body) if status == 200 else None
    if exit_ip is None:
        shown = " ".join(body[:60].decode("utf-8", "replace").split())
        why = f"HTTP {status}" if status != 200 else repr(shown) if body else "an empty body"
        log.debug("proxy check at %s: bad answer, HTTP %s", proxy.where, status)
        said = translate("check", "The proxy at {0} let the check through, but the check URL answered {1}, "
                         "not an IP address: check the check URL setting.").format(proxy.where, why)
        return ProxyCheckResult(CheckOutcome.BAD_ANSWER, latency_ms, None, checked_at, str(said), text=said)
    said = translate("check", "The proxy at {0} works: the check URL answered in {1} ms and saw exit IP {2}.").format(
        proxy.where, latency_ms, exit_ip)
    if listed_exit_ip and listed_exit_ip != exit_ip:
        said = translate("check", "{0} The provider listed {1}.").format(said, listed_exit_ip)
    log.debug("proxy check at %s: works in %s ms", proxy.where, latency_ms)
    return ProxyCheckResult(CheckOutcome.WORKS, latency_ms, exit_ip, checked_at, str(said), text=said)


def _exit_ip(body: bytes) -> str | None:
    """Plain text ("203.0.113.7") or JSON ({"ip": "203.0.113.7"}), like api.ipify.org."""
    text = body.decode("utf-8", "replace").strip()
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except ValueError:
            return None
        ip = data.get("ip") if isinstance(data, dict) else None
        if not isinstance(ip, str):
            return None
        text = ip
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


async def _fetch_through(proxy: ProxyAddress, url: SplitResult, timeout: float,
                         tls: ssl.SSLContext | None) -> tuple[int, bytes]:
    host, port = url.hostname or "", url.port or (443 if url.scheme == "https" else 80)
    tls = (tls or ssl.create_default_context()) if url.scheme == "https" else None
    _sendable(proxy)
    socks = Proxy(ProxyType.SOCKS5, proxy.host, proxy.port, username=proxy.login,
                  password=proxy.password, rdns=True)  # the proxy resolves names, as for a customer
    try:
        stream = await socks.connect(dest_host=host, dest_port=port, dest_ssl=tls, timeout=timeout)
    except (TimeoutError, ProxyTimeoutError):
        raise
    except Exception as exc:
        raise _classify(exc, proxy, host) from None
    try:
        return await _http_get(stream, url)
    except h11.RemoteProtocolError:
        said = translate("check", "The check URL's answer through the proxy at {0} is not valid HTTP.")
        raise _Failed(CheckOutcome.BAD_ANSWER, said.format(proxy.where)) from None
    except OSError as exc:
        raise _classify(exc, proxy, host) from None
    finally:
        with contextlib.suppress(Exception):
            await stream.close()


def _sendable(proxy: ProxyAddress) -> None:
    """SOCKS5 carries a login of 1-255 bytes; python-socks sends ASCII only."""
    for value in (proxy.login, proxy.password):
        if not value.isascii() or not 0 < len(value) <= 255:
            raise ShopError(
                translate("errors", "The sold login or password cannot be sent over SOCKS5 (empty, longer than 255 "
                          "characters, or not ASCII), so the proxy cannot be checked from here."),
                translate("errors", "Ask the provider for the credentials of this purchase."),
            )


def _classify(exc: BaseException, proxy: ProxyAddress, host: str) -> _Failed:
    where = proxy.where
    if isinstance(exc, ProxyConnectionError):
        reason = getattr(exc.__cause__, "strerror", None) or "no connection"
        return _Failed(CheckOutcome.UNREACHABLE,
                       translate("check", "Cannot connect to the proxy at {0} ({1}).").format(where, reason.lower()))
    if isinstance(exc, ProxyError):
        text = str(exc)
        if exc.error_code is not None:
            return _Failed(CheckOutcome.UNREACHABLE,
                           translate("check", "The proxy at {0} accepted the login but could not reach the "
                                     "check URL's host {1} ({2}).").format(where, host, text.rstrip(".")))
        if "authentication" in text.lower():
            return _Failed(CheckOutcome.LOGIN_REFUSED,
                           translate("check", "The proxy at {0} refuses the sold login and password.").format(where))
        if not _hung_up(exc.__cause__):
            return _Failed(CheckOutcome.BAD_ANSWER,
                           translate("check", "What answers at {0} does not speak SOCKS5 ({1}).").format(where, text))
    if _hung_up(exc):
        return _Failed(CheckOutcome.UNREACHABLE,
                       translate("check", "The proxy at {0} closed the connection without answering.").format(where))
    if isinstance(exc, ssl.SSLError):  # before OSError: it is one
        return _Failed(CheckOutcome.BAD_ANSWER,
                       translate("check", "TLS with the check URL failed through the proxy at {0} ({1}).").format(
                           where, exc.reason or exc))
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        said = translate("check", "The connection through the proxy at {0} broke ({1}).")
        return _Failed(CheckOutcome.UNREACHABLE, said.format(where, reason.lower()))
    said = translate("check", "The proxy at {0} answered in a way the check does not understand ({1}).")
    return _Failed(CheckOutcome.BAD_ANSWER, said.format(where, type(exc).__name__))


def _hung_up(exc: BaseException | None) -> bool:
    """The peer closed mid-handshake: asyncio's EOFError, or python-socks' own
    IncompleteReadError (its other back-ends; not exported, so known by name)."""
    return isinstance(exc, EOFError) or type(exc).__name__ == "IncompleteReadError"


async def _http_get(stream: Any, url: SplitResult) -> tuple[int, bytes]:
    """One GET over the tunnel, parsed by h11 (chunked bodies, bad framing); (status, body)."""
    conn = h11.Connection(our_role=h11.CLIENT, max_incomplete_event_size=MAX_ANSWER_BYTES)
    target = (url.path or "/") + (f"?{url.query}" if url.query else "")
    authority = url.netloc.rpartition("@")[2]
    request = h11.Request(method="GET", target=target, headers=[
        ("Host", authority), ("User-Agent", _USER_AGENT), ("Accept", "*/*"),
        ("Connection", "close"),
    ])
    await stream.write(conn.send(request) + conn.send(h11.EndOfMessage()))
    status, body = 0, bytearray()
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA:
            conn.receive_data(await stream.read(65536))
        elif isinstance(event, h11.Response):
            status = event.status_code
        elif isinstance(event, h11.Data):
            body += event.data
            if len(body) > MAX_ANSWER_BYTES:
                break  # judged as it is: a long page is not an IP address
        elif isinstance(event, (h11.EndOfMessage, h11.ConnectionClosed)):
            break
    return status, bytes(body)


# --- an order ------------------------------------------------------------------------------------


async def check_order(ctx: ShopContext, order_id: str,
                      slots: asyncio.Semaphore | None = None) -> ProxyCheckResult:
    """Check the proxy sold in `order_id` with its own credentials and the configured check URL.

    Raises NotFoundError for an unknown id and ShopError for an order that has no proxy yet."""
    row = await ctx.store.run(load_order, order_id)
    if row.status in NO_CREDENTIALS or not row.server_ip:
        raise ShopError(
            translate("errors", "Order {0} has no proxy to check: it is {1}.").format(row.order_id, row.status),
            translate("errors", "Only a sale with credentials can be checked; `proxyshop-desktop orders` lists them."),
        )
    settings = ctx.settings
    port = str(row.port or "").strip()
    if not port.isdigit() or not 0 < int(port) < 65536:
        said = translate("check", "The sold proxy's port {0} is not a port number: nothing can connect to it.").format(
            repr(row.port))
        result = ProxyCheckResult(CheckOutcome.UNREACHABLE, None, None, ctx.clock(), str(said), text=said)
    else:
        proxy = ProxyAddress(row.server_ip, int(port), row.username or "", row.password or "")
        result = await check_proxy(proxy, settings.check_url, settings.check_timeout,
                                   slots=slots, listed_exit_ip=row.proxy_ip, clock=ctx.clock)
    log.info("proxy check of order %s: %s", row.order_id, result.outcome.value)
    return replace(result, order_id=row.order_id)
