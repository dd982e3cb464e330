"""Test doubles on loopback: a fake Telegram Bot API that records what it receives, and a tiny
SOCKS5 server (no auth, CONNECT only) that records where it connected."""

from __future__ import annotations

import json
import re
import select
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

BOT_TOKEN = "123456789:AAF-fakeTOKENfor_tests_0123456789xyz"
_TAG = re.compile(r"</?(b|i|u|s|code|pre)>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def html_ok(text: str) -> bool:
    """Roughly Telegram's HTML check: only known tags, and & only as an entity."""
    stripped = _TAG.sub("", text)
    if "<" in stripped or ">" in stripped:
        return False
    return "&" not in _ENTITY.sub("", stripped)


@dataclass
class Received:
    at: float
    path: str
    payload: dict[str, Any]

    @property
    def text(self) -> str:
        return str(self.payload.get("text", ""))


@dataclass
class FakeBotApi:
    token: str = BOT_TOKEN
    delivered: list[Received] = field(default_factory=list)
    attempts: list[Received] = field(default_factory=list)
    #: scripted answers for the next requests: (status, body), None (answer as usual), "hold"
    #: (wait for `release`, then fail: the message was not delivered) or "slow" (wait for
    #: `release`, then deliver it: a send still in flight)
    script: list[Any] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def port(self) -> int:
        assert self._server is not None
        return int(self._server.server_address[1])

    def texts(self) -> list[str]:
        return [r.text for r in self.delivered]

    def start(self, port: int = 0) -> FakeBotApi:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                payload = json.loads(self.rfile.read(length) or b"{}")
                entry = Received(time.monotonic(), self.path, payload)
                fake.attempts.append(entry)
                status, body = fake._answer(self.path, payload, entry)
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:
                    pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def _answer(self, path: str, payload: dict[str, Any], entry: Received) -> tuple[int, dict[str, Any]]:
        if path != f"/bot{self.token}/sendMessage":
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        if self.script:
            step = self.script.pop(0)
            if step is None:  # this request is answered as usual
                pass
            elif step == "hold":
                self.release.wait(30)
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            elif step == "slow":
                self.release.wait(30)
            else:
                return step
        if payload.get("parse_mode") == "HTML" and not html_ok(str(payload.get("text", ""))):
            return 400, {"ok": False, "error_code": 400,
                         "description": "Bad Request: can't parse entities"}
        self.delivered.append(entry)
        return 200, {"ok": True, "result": {"message_id": len(self.delivered)}}

    def stop(self) -> None:
        if self._server is not None:
            self.release.set()
            self._server.shutdown()
            self._server.server_close()


def rate_limited(seconds: int) -> tuple[int, dict[str, Any]]:
    return 429, {"ok": False, "error_code": 429,
                 "description": f"Too Many Requests: retry after {seconds}",
                 "parameters": {"retry_after": seconds}}


class Socks5Server:
    """SOCKS5, no authentication, CONNECT only, loopback; records each (host, port) asked for."""

    def __init__(self) -> None:
        self.connects: list[tuple[str, int]] = []
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._stop = False

    @property
    def url(self) -> str:
        return f"socks5://127.0.0.1:{self._sock.getsockname()[1]}"

    def start(self) -> Socks5Server:
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            _, n = conn.recv(2)
            conn.recv(n)
            conn.sendall(b"\x05\x00")  # no authentication
            ver, cmd, _, atyp = conn.recv(4)
            if atyp == 1:
                host = socket.inet_ntoa(conn.recv(4))
            elif atyp == 3:
                host = conn.recv(conn.recv(1)[0]).decode()
            else:
                return
            (port,) = struct.unpack("!H", conn.recv(2))
            if ver != 5 or cmd != 1:
                return
            self.connects.append((host, port))
            with socket.create_connection((host, port)) as upstream:
                conn.sendall(b"\x05\x00\x00\x01" + socket.inet_aton("127.0.0.1") + struct.pack("!H", 0))
                self._pipe(conn, upstream)

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        while True:
            ready, _, _ = select.select([a, b], [], [], 10)
            if not ready:
                return
            for src in ready:
                data = src.recv(65536)
                if not data:
                    return
                (b if src is a else a).sendall(data)

    def stop(self) -> None:
        self._stop = True
        self._sock.close()
