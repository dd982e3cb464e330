"""The simulated provider on a real loopback HTTP port (stdlib ``http.server``).

Why a real socket: the shop's client, its timeouts, keep-alive and error handling are exercised
exactly as against the live provider. The server only ever binds 127.0.0.1. HTTP/1.1 keep-alive
with an exact Content-Length on every answer lets benchmark clients reuse connections.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

from .admin import handle_admin
from .errors import BadRequest, SimError
from .faults import Fault, FaultPlan, RequestLog
from .hostile import hostile_reply
from .provider import SimulatedProvider
from .socks import SocksGateway
from .wire import Query, Reply, body_int, flag, json_reply, one, opt_int, required_int

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
DEFAULT_BASE_PATH = "/api/v1/authorized"
_HTML_ERROR = (
    "<html><head><title>{code} Bad Gateway</title></head><body><center><h1>{code} Bad Gateway"
    "</h1></center><hr><center>nginx</center></body></html>"
)
_NON_UTF8 = b'\xff\xfe{"pro\x80\x81xies": [\xc3\x28\xa0\xa1\xe2\x28\xa1]\xfe\xff'
_ROUTES = {
    ("GET", "/proxy"): "list",
    ("GET", "/proxy/lookup"): "lookup",
    ("GET", "/proxy/buy"): "buy",
    ("GET", "/proxy/bought"): "bought",
    ("GET", "/proxy/credentials"): "credentials",
    ("POST", "/proxy/check-refundable"): "check_refundable",
    ("POST", "/proxy/refund"): "refund",
}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    sim: SimulatorServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that hangs up (its timeout fired, the app quit) is normal here; the stdlib
        # would print a ConnectionResetError traceback on stderr for each one.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = 120  # idle keep-alive connections are closed after this
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass  # no per-request stderr noise; the RequestLog is the record

    def setup(self) -> None:
        super().setup()
        self.server.sim._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.sim._track(self.connection, False)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    # ------------------------------------------------------------------ plumbing
    def _send(self, reply: Reply) -> None:
        status, body, content_type, headers = reply
        try:
            self.send_response(status)
            if status != 204:
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            if body and status != 204:
                self.wfile.write(body)
        except OSError:
            self.close_connection = True  # the client went away (e.g. its timeout fired)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _read_body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            self.close_connection = True  # cannot find the next request on this connection
            return b""
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self, method: str) -> None:
        sim = self.server.sim
        url = urlsplit(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        raw_body = self._read_body()
        path = url.path.rstrip("/") or "/"
        if path.startswith("/_sim/"):
            if self.client_address[0] not in (LOOPBACK, "::1"):
                self._send(json_reply(403, {"error": "admin endpoints are loopback only"}))
            else:
                self._send(handle_admin(sim, method, path[len("/_sim/"):], query, raw_body))
            return
        if path == "/health":
            endpoint = "health" if method == "GET" else "unknown"
        elif path.startswith(sim.base_path + "/"):
            endpoint = _ROUTES.get((method, path[len(sim.base_path):]), "unknown")
        else:
            endpoint = "unknown"
        params: dict[str, Any] = {k: v[-1] for k, v in query.items()}
        try:
            params.update(json.loads(raw_body) if raw_body else {})
        except (ValueError, TypeError, AttributeError):
            params["_raw_body"] = raw_body[:200].decode("utf-8", "replace")
        entry = sim.requests.start(endpoint, method, params)
        status, fault_kind = self._serve(sim, method, endpoint, query, raw_body)
        sim.requests.finish(entry, status, fault_kind)

    def _serve(self, sim: SimulatorServer, method: str, endpoint: str,
               query: Query, raw_body: bytes) -> tuple[int | None, str | None]:
        page = _page_of(query) if endpoint == "list" else None
        seconds, fault = sim.faults.take(endpoint, page) if endpoint != "unknown" else (0.0, None)
        kind = fault.kind if fault else ("delay" if seconds else None)
        if seconds and sim._stopping.wait(seconds):
            self._drop()
            return None, kind
        if fault is not None and not fault.commits:
            return self._apply_fault(fault, None), kind
        try:
            reply = self._route(sim, endpoint, query, raw_body)
        except SimError as exc:
            reply = json_reply(exc.status, {"error": exc.message})
        except Exception:  # a simulator bug: answer like a broken server, keep serving
            log.exception("simulator failed on %s", endpoint)
            reply = json_reply(500, {"error": "internal simulator error"})
        if endpoint == "list" and reply[0] == 200:
            mutation = sim.faults.take_mutation(opt_int(query, "page", 0) or 0)
            if mutation is not None:
                sim.provider.mutate_for_paging(mutation.insert, mutation.remove)
        if fault is not None:
            return self._apply_fault(fault, reply), kind
        self._send(reply)
        return reply[0], kind

    def _apply_fault(self, fault: Fault, reply: Reply | None) -> int | None:
        """Answer the way ``fault`` says; ``reply`` is the real answer when it was committed."""
        if fault.kind in ("drop", "drop_after_commit"):
            self._drop()
            return None
        if fault.kind == "truncated":
            body = reply[1] if reply and reply[1] else b'{"status":"ok","detail":"done"}'
            status = reply[0] if reply else 200
            self._send((status, body[: max(1, len(body) // 2)], "application/json", {}))
            return status
        if fault.kind == "html_error":
            code = fault.code or 502
            page = _HTML_ERROR.format(code=code).encode()
            self._send((code, page, "text/html", fault.headers))
            return code
        if fault.kind in ("empty_page", "gzip_bomb", "hostile_json"):
            reply = hostile_reply(fault, reply)
            self._send(reply)
            return reply[0]
        if fault.kind == "non_utf8":
            code = fault.code or 200
            self._send((code, _NON_UTF8, "application/json", fault.headers))
            return code
        code = fault.code or 500
        headers = dict(fault.headers)
        if code == 429 and not headers:
            headers["Retry-After"] = "1"
        if fault.body is None:
            self._send(json_reply(code, {"error": f"injected {code}"}, headers))
        elif isinstance(fault.body, str):
            self._send((code, fault.body.encode(), "text/plain; charset=utf-8", headers))
        else:
            self._send(json_reply(code, fault.body, headers))
        return code

    # ------------------------------------------------------------------ the API
    def _route(self, sim: SimulatorServer, endpoint: str, query: Query,
               raw_body: bytes) -> Reply:
        p = sim.provider
        if endpoint == "unknown":
            return json_reply(404, {"error": "not found"})
        if endpoint == "health":
            return json_reply(200, {"status": "ok"})
        if self.headers.get("Authorization") != sim.auth_prefix + p.token:
            return json_reply(401, {"error": "unauthorized", "message": "invalid API key"})
        if endpoint == "list":
            opt_int(query, "radius")  # accepted and validated, not used
            body = p.list_proxies_json(
                page=opt_int(query, "page", 0) or 0,
                page_size=opt_int(query, "page_size", 50) or 0,
                status=opt_int(query, "status", 1) or 0,
                residential=flag(query, "residential"),
                mobile=flag(query, "mobile"),
                hosting=flag(query, "hosting"),
                **{f: one(query, f) for f in ("country_code", "city", "region", "zip", "isp")},
            )
            return 200, body, "application/json", {}
        if endpoint == "lookup":
            return json_reply(200, p.lookup(required_int(query, "proxy_id")))
        if endpoint == "buy":
            return json_reply(200, p.buy(required_int(query, "proxy_id")))
        if endpoint == "bought":
            return json_reply(200, p.bought(opt_int(query, "page"), opt_int(query, "page_size")))
        if endpoint == "credentials":
            return json_reply(200, p.credentials(required_int(query, "credentials_id")))
        try:
            payload = json.loads(raw_body) if raw_body else None
        except ValueError:
            raise BadRequest("body is not JSON") from None
        credentials_id = body_int(payload, "credentials_id")
        if endpoint == "check_refundable":
            ok, message = p.check_refundable(credentials_id)
            return json_reply(200, {"refundable": ok, "message": message})
        p.refund(credentials_id)
        variant = credentials_id % 3  # the contract says: do not depend on the refund body
        if variant == 0:
            return 204, b"", "application/json", {}
        if variant == 1:
            return 200, b"", "application/json", {}
        return json_reply(200, {"status": "ok"})


def _page_of(query: Query) -> int | None:
    """The listing page a request asks for (a malformed one is answered 400 later)."""
    try:
        return opt_int(query, "page", 0)
    except BadRequest:
        return None


class SimulatorServer:
    """Runs a :class:`SimulatedProvider` behind HTTP on 127.0.0.1 in a daemon thread."""

    def __init__(self, provider: SimulatedProvider | None = None, host: str = LOOPBACK,
                 port: int = 0, base_path: str = DEFAULT_BASE_PATH, *, auth_prefix: str = "",
                 faults: FaultPlan | None = None, requests: RequestLog | None = None,
                 socks: bool = False, socks_ports: tuple[int, int] = (0, 0)) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("the simulator only ever binds 127.0.0.1")
        self.provider = provider or SimulatedProvider()
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.auth_prefix = auth_prefix
        self.faults = faults or FaultPlan()
        self.requests = requests or RequestLog()
        self._requested_port = port
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._conn_lock = threading.Lock()
        self._want_socks = socks
        self._socks_ports = socks_ports  # (SOCKS5, check page); 0: any free port
        #: with socks=True: the SOCKS5 gateway sold proxies point at, and its check page
        self.socks: SocksGateway | None = None

    def _track(self, conn: socket.socket, alive: bool) -> None:
        with self._conn_lock:
            (self._connections.add if alive else self._connections.discard)(conn)

    def start(self) -> SimulatorServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _HTTPServer((LOOPBACK, self._requested_port), _Handler)
        httpd.sim = self
        if self._want_socks and self.socks is None:
            try:
                socks_port, check_port = self._socks_ports
                self.socks = SocksGateway(self.provider, socks_port, check_port=check_port).start()
            except BaseException:
                httpd.server_close()
                raise
            self.provider.gateway = (LOOPBACK, int(self.socks.port or 0))
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"sim-provider-{self.port}", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close the listening socket and every open client connection."""
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._conn_lock:
            open_conns = list(self._connections)
        for conn in open_conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        socks, self.socks = self.socks, None
        if socks is not None:
            socks.stop()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("server not started")
        return int(self._httpd.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def base_url(self) -> str:
        return self.root_url + self.base_path

    @property
    def health_url(self) -> str:
        return self.root_url + "/health"

    @property
    def check_url(self) -> str:
        """The "what is my IP" page (only with socks=True)."""
        if self.socks is None:
            raise RuntimeError("started without socks=True")
        return self.socks.check_url

    def stats(self) -> dict[str, Any]:
        """Request counters, account figures and pending faults (also ``GET /_sim/stats``)."""
        return {
            "requests": self.requests.counts(),
            "total_requests": self.requests.count(),
            **self.provider.stats(),
            "pending_faults": self.faults.pending(),
        }
