"""The simulated provider's SOCKS5 gateway for the proxies it sold, and its "what is my IP" page.

Why one shared gateway: every proxy the simulator sells is ``127.0.0.1:<gateway port>`` with its
own login, like a residential provider's gateway that tells its proxies apart by the login, so a
sale needs no new listener. The gateway speaks RFC 1928 with RFC 1929 username/password auth,
honours each purchase's password, relays CONNECT to loopback targets only (127.0.0.0/8, ::1, the
name localhost): tests and the demo never send traffic off the machine. A proxy the provider has
taken offline gets no answer: its connection is closed, or with ``offline_mode = "silent"`` held
open without a reply, as a dead proxy behind a black hole would.

The check page answers the caller's IP like api.ipify.org (text, or ``?format=json``). A request
relayed by the gateway is answered with the sold proxy's exit IP, as the real check URL would see
it. Everything runs on one asyncio loop in a daemon thread; the provider's own lock guards its data.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import json
import logging
import threading
from typing import Any

from .provider import SimulatedProvider

log = logging.getLogger(__name__)

LOOPBACK4 = "127.0.0.1"
LOOPBACK6 = "::1"
OFFLINE_MODES = ("close", "silent")
CHECK_ANSWERS = ("ip", "garbage")
GARBAGE = b"<html><body><h1>Service Temporarily Unavailable</h1></body></html>"
HANDSHAKE_TIMEOUT = 30.0  # a client that stalls mid-handshake is dropped
CONNECT_TIMEOUT = 5.0

# RFC 1928 reply codes the gateway sends
REP_OK, REP_FAILURE, REP_NOT_ALLOWED = 0x00, 0x01, 0x02
REP_HOST_UNREACHABLE, REP_REFUSED, REP_BAD_COMMAND, REP_BAD_ADDRESS = 0x04, 0x05, 0x07, 0x08
_NO_ADDRESS = b"\x01\x00\x00\x00\x00\x00\x00"  # ATYP IPv4 0.0.0.0 port 0


class _Refused(Exception):
    """A request the gateway answers with an RFC 1928 error reply."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def loopback_target(atyp: int, raw: bytes) -> str | None:
    """The address to connect to, or None when the target is not on this machine."""
    if atyp == 0x03:
        return LOOPBACK4 if raw.decode("ascii", "replace").lower() == "localhost" else None
    address = ipaddress.ip_address(raw)
    return str(address) if address.is_loopback else None


class SocksGateway:
    """SOCKS5 on 127.0.0.1 (and ::1 where the machine has it) plus the check page."""

    def __init__(self, provider: SimulatedProvider, port: int = 0, *, check_port: int = 0,
                 ipv6: bool = True, offline_mode: str = "close") -> None:
        self.provider = provider
        self.offline_mode = offline_mode
        self.check_answer = "ip"
        self._requested_port = port
        self._requested_check_port = check_port
        self._want_ipv6 = ipv6
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopping: asyncio.Event | None = None
        self._startup_error: BaseException | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._exits: dict[tuple[str, int], str] = {}  # relay's local address -> exit IP
        self.port: int | None = None
        self.port6: int | None = None  # None: no IPv6 loopback here
        self.check_port: int | None = None

    @property
    def offline_mode(self) -> str:
        return self._offline_mode

    @offline_mode.setter
    def offline_mode(self, mode: str) -> None:
        if mode not in OFFLINE_MODES:
            raise ValueError(f"offline_mode must be one of {OFFLINE_MODES}, not {mode!r}")
        self._offline_mode = mode

    @property
    def check_answer(self) -> str:
        return self._check_answer

    @check_answer.setter
    def check_answer(self, answer: str) -> None:
        if answer not in CHECK_ANSWERS:
            raise ValueError(f"check_answer must be one of {CHECK_ANSWERS}, not {answer!r}")
        self._check_answer = answer

    @property
    def check_url(self) -> str:
        if self.check_port is None:
            raise RuntimeError("gateway not started")
        return f"http://{LOOPBACK4}:{self.check_port}/ip"

    # ------------------------------------------------------------------ life cycle
    def start(self) -> SocksGateway:
        """Bind and serve; raises ``OSError`` if the port is taken."""
        if self._thread is not None:
            return self
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="sim-socks",
                                        daemon=True)
        self._thread.start()
        ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise self._startup_error
        return self

    def stop(self) -> None:
        """Close the listeners and every open connection (silent ones included)."""
        thread, self._thread = self._thread, None
        if thread is None:
            return
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        thread.join(timeout=5)

    def __enter__(self) -> SocksGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(ready))
        finally:
            ready.set()
            loop.close()

    async def _serve(self, ready: threading.Event) -> None:
        self._stopping = asyncio.Event()
        servers: list[asyncio.Server] = []
        try:
            servers.append(await asyncio.start_server(self._socks_client, LOOPBACK4,
                                                      self._requested_port))
            self.port = servers[0].sockets[0].getsockname()[1]
            if self._want_ipv6:
                servers += await self._bind_ipv6()
            check = await asyncio.start_server(self._check_client, LOOPBACK4,
                                               self._requested_check_port)
            servers.append(check)
            self.check_port = check.sockets[0].getsockname()[1]
        except OSError as exc:
            self._startup_error = exc
            for server in servers:
                server.close()
            return
        ready.set()
        await self._stopping.wait()
        for server in servers:
            server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _bind_ipv6(self) -> list[asyncio.Server]:
        for port in (self.port, 0):  # the IPv4 port when free on ::1 too, else any
            try:
                server = await asyncio.start_server(self._socks_client, LOOPBACK6, port)
            except OSError:
                continue
            self.port6 = server.sockets[0].getsockname()[1]
            return [server]
        return []  # no IPv6 loopback on this machine

    async def _tracked(self, handler: Any, reader: asyncio.StreamReader,
                       writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await handler(reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError,
                TimeoutError):
            pass  # the client went away or stalled: ordinary for a proxy
        except Exception:  # a gateway bug: log it, keep serving the others
            log.exception("simulated SOCKS gateway failed on a connection")
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _socks_client(self, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter) -> None:
        await self._tracked(self._socks, reader, writer)

    async def _check_client(self, reader: asyncio.StreamReader,
                            writer: asyncio.StreamWriter) -> None:
        await self._tracked(self._check_page, reader, writer)

    # ------------------------------------------------------------------ SOCKS5
    async def _socks(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(HANDSHAKE_TIMEOUT):
            login = await self._negotiate(reader, writer)
        if login is None:
            return
        username, password = login
        found = self.provider.gateway_login(username)
        if found is not None and not found.online:
            if self.offline_mode == "silent":
                while await reader.read(4096):  # hold the line until the client gives up
                    pass
            return  # "close": hang up without a word
        if found is None or not hmac.compare_digest(found.password.encode("utf-8"), password):
            writer.write(b"\x01\x01")  # RFC 1929: authentication failure, then close
            await writer.drain()
            return
        writer.write(b"\x01\x00")
        try:
            async with asyncio.timeout(HANDSHAKE_TIMEOUT):
                host, port = await self._read_request(reader)
            upstream = await self._connect(host, port)
        except _Refused as refused:
            writer.write(bytes((0x05, refused.code, 0x00)) + _NO_ADDRESS)
            await writer.drain()
            return
        await self._relay(reader, writer, upstream, found.exit_ip)

    async def _negotiate(self, reader: asyncio.StreamReader,
                         writer: asyncio.StreamWriter) -> tuple[str, bytes] | None:
        """Method selection and the RFC 1929 sub-negotiation; the login or None (closed)."""
        version, count = await reader.readexactly(2)
        methods = await reader.readexactly(count)
        if version != 0x05:
            return None
        if 0x02 not in methods:
            writer.write(b"\x05\xff")  # no acceptable method: every sold proxy has a login
            await writer.drain()
            return None
        writer.write(b"\x05\x02")
        await writer.drain()
        sub_version, length = await reader.readexactly(2)
        username = await reader.readexactly(length)
        password = await reader.readexactly((await reader.readexactly(1))[0])
        if sub_version != 0x01:
            return None
        return username.decode("utf-8", "replace"), password

    async def _read_request(self, reader: asyncio.StreamReader) -> tuple[str, int]:
        version, command, _reserved, atyp = await reader.readexactly(4)
        if atyp == 0x01:
            raw = await reader.readexactly(4)
        elif atyp == 0x04:
            raw = await reader.readexactly(16)
        elif atyp == 0x03:
            raw = await reader.readexactly((await reader.readexactly(1))[0])
        else:
            raise _Refused(REP_BAD_ADDRESS)
        port = int.from_bytes(await reader.readexactly(2), "big")
        if version != 0x05 or command != 0x01:
            raise _Refused(REP_BAD_COMMAND)  # CONNECT only: no BIND, no UDP ASSOCIATE
        host = loopback_target(atyp, raw)
        if host is None:
            raise _Refused(REP_NOT_ALLOWED)  # never off this machine
        return host, port

    async def _connect(self, host: str, port: int
                       ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                return await asyncio.open_connection(host, port)
        except ConnectionRefusedError:
            raise _Refused(REP_REFUSED) from None
        except (OSError, TimeoutError):
            raise _Refused(REP_HOST_UNREACHABLE) from None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                     upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                     exit_ip: str | None) -> None:
        up_reader, up_writer = upstream
        local = up_writer.get_extra_info("sockname")
        key = (str(local[0]), int(local[1]))
        if exit_ip:
            self._exits[key] = exit_ip
        try:
            bound = ipaddress.ip_address(key[0])
            atyp = b"\x01" if bound.version == 4 else b"\x04"
            writer.write(b"\x05\x00\x00" + atyp + bound.packed + key[1].to_bytes(2, "big"))
            await writer.drain()
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        finally:
            self._exits.pop(key, None)
            up_writer.close()

    # ------------------------------------------------------------------ the check page
    async def _check_page(self, reader: asyncio.StreamReader,
                          writer: asyncio.StreamWriter) -> None:
        async with asyncio.timeout(HANDSHAKE_TIMEOUT):
            head = await reader.readuntil(b"\r\n\r\n")
        method, _, rest = head.decode("latin-1").partition(" ")
        target = rest.split(" ", 1)[0]
        path, _, query = target.partition("?")
        peer = writer.get_extra_info("peername")
        caller = self._exits.get((str(peer[0]), int(peer[1])), str(peer[0]))
        if self.check_answer == "garbage":
            status, body, ctype = "200 OK", GARBAGE, "text/html"
        elif method != "GET":
            status, body, ctype = "405 Method Not Allowed", b"GET only\n", "text/plain"
        elif path not in ("/", "/ip"):
            status, body, ctype = "404 Not Found", b"not found\n", "text/plain"
        elif "format=json" in query.split("&"):
            status, body, ctype = "200 OK", json.dumps({"ip": caller}).encode(), "application/json"
        else:
            status, body, ctype = "200 OK", caller.encode(), "text/plain"
        writer.write(f"HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}"
                     "\r\nConnection: close\r\n\r\n".encode() + body)
        await writer.drain()


async def _pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
    """Copy until end of stream, then half-close the other side (HTTP/1.0 clients need it)."""
    with contextlib.suppress(ConnectionError):
        while data := await source.read(65536):
            sink.write(data)
            await sink.drain()
    with contextlib.suppress(OSError):
        if sink.can_write_eof():
            sink.write_eof()
