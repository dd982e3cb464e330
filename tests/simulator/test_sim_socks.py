"""The simulator's SOCKS5 gateway (RFC 1928 + RFC 1929) and its check page, byte by byte.

Raw sockets on purpose: these tests pin the wire behaviour the shop's proxy check (and any SOCKS
client a demo customer uses) relies on, independently of the shop's own SOCKS library.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import struct
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer
from tests.conftest import require
from tests.socks_helpers import has_ipv6_loopback

TIMEOUT = 5.0


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with SimulatorServer(SimulatedProvider(proxies=50, seed=3), socks=True) as server:
        yield server


@pytest.fixture
def sold(sim: SimulatorServer) -> dict[str, Any]:
    """One purchase made over the provider's HTTP API, as the shop makes it."""
    pid = sim.provider.online_ids()[0]
    with httpx.Client(base_url=sim.base_url, headers={"Authorization": DEMO_TOKEN}) as c:
        reply = c.get("/proxy/buy", params={"proxy_id": pid})
    assert reply.status_code == 200
    return reply.json()


def _recv_exact(s: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            return data
        data += chunk
    return data


def greet(host: str, port: int, username: str, password: str) -> tuple[socket.socket, bytes]:
    """Connect, offer username/password, send the login; the socket and the auth reply."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.connect((host, port))
    s.sendall(b"\x05\x01\x02")
    assert _recv_exact(s, 2) == b"\x05\x02"
    user, pw = username.encode(), password.encode()
    s.sendall(bytes([1, len(user)]) + user + bytes([len(pw)]) + pw)
    return s, _recv_exact(s, 2)


def connect_request(s: socket.socket, atyp: int, address: bytes, port: int) -> bytes:
    """Send CONNECT; the reply (10 bytes for an IPv4 bound address, 22 for IPv6)."""
    if atyp == 3:
        address = bytes([len(address)]) + address
    s.sendall(bytes([5, 1, 0, atyp]) + address + struct.pack(">H", port))
    head = _recv_exact(s, 4)
    rest = 4 if len(head) == 4 and head[3] == 1 else 16
    return head + _recv_exact(s, rest + 2)


def get_ip_through(s: socket.socket, path: str = "/ip") -> tuple[str, bytes]:
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: check\r\nConnection: close\r\n\r\n".encode())
    data = b""
    while chunk := s.recv(4096):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return head.split(b"\r\n")[0].decode(), body


def check_port(sim: SimulatorServer) -> int:
    return httpx.URL(sim.check_url).port or 80


def test_sold_proxies_point_at_the_loopback_gateway(sim: SimulatorServer,
                                                    sold: dict[str, Any]) -> None:
    assert sim.socks is not None
    assert sold["server_ip"] == "127.0.0.1"
    assert sold["server_listening_port"] == str(sim.socks.port)
    # the contract's other answers carry the same address
    assert sim.provider.credentials(sold["credentials_id"])["server_ip"] == "127.0.0.1"


def test_good_login_relays_to_the_check_page_which_sees_the_exit_ip(
        sim: SimulatorServer, sold: dict[str, Any]) -> None:
    s, auth = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        assert auth == b"\x01\x00"
        reply = connect_request(s, 1, socket.inet_aton("127.0.0.1"), check_port(sim))
        assert reply[:2] == b"\x05\x00"
        status, body = get_ip_through(s)
    assert status == "HTTP/1.1 200 OK"
    assert body.decode() == sold["proxy_ip"]  # not 127.0.0.1: the proxy's exit IP


def test_check_page_answers_the_caller_ip_as_text_or_json(sim: SimulatorServer) -> None:
    assert httpx.get(sim.check_url).text == "127.0.0.1"
    assert httpx.get(sim.check_url, params={"format": "json"}).json() == {"ip": "127.0.0.1"}
    sim.socks.check_answer = "garbage"
    answer = httpx.get(sim.check_url)
    assert answer.status_code == 200 and "<html>" in answer.text


@pytest.mark.parametrize("change", ["password", "username"])
def test_wrong_login_gets_the_rfc1929_failure_reply(sim: SimulatorServer, sold: dict[str, Any],
                                                   change: str) -> None:
    login = {"username": sold["username"], "password": sold["password"]}
    login[change] += "x"
    s, auth = greet("127.0.0.1", sim.socks.port, login["username"], login["password"])
    with s:
        assert auth == b"\x01\x01"
        assert s.recv(1) == b""  # and the gateway hangs up


def test_a_client_without_username_password_is_refused(sim: SimulatorServer) -> None:
    with socket.create_connection(("127.0.0.1", sim.socks.port), timeout=TIMEOUT) as s:
        s.sendall(b"\x05\x01\x00")  # "no authentication" only
        assert _recv_exact(s, 2) == b"\x05\xff"


@pytest.mark.parametrize("atyp, address", [
    (1, socket.inet_aton("93.184.215.14")),
    (1, socket.inet_aton("10.0.0.1")),
    (4, socket.inet_pton(socket.AF_INET6, "2001:db8::1")),
    (4, socket.inet_pton(socket.AF_INET6, "::ffff:127.0.0.1")),
    (3, b"example.com"),
])
def test_targets_off_this_machine_are_refused(sim: SimulatorServer, sold: dict[str, Any],
                                              atyp: int, address: bytes) -> None:
    s, auth = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        assert auth == b"\x01\x00"
        reply = connect_request(s, atyp, address, 80)
    assert reply[:2] == b"\x05\x02"  # connection not allowed by ruleset


def test_other_loopback_addresses_and_localhost_are_allowed(sim: SimulatorServer,
                                                            sold: dict[str, Any]) -> None:
    for atyp, address in ((3, b"localhost"), (1, socket.inet_aton("127.0.0.1"))):
        s, _ = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
        with s:
            assert connect_request(s, atyp, address, check_port(sim))[:2] == b"\x05\x00"
    with socket.socket() as free:  # a loopback port nobody listens on
        free.bind(("127.0.0.1", 0))
        closed_port = free.getsockname()[1]
    s, _ = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        reply = connect_request(s, 1, socket.inet_aton("127.0.0.1"), closed_port)
    assert reply[:2] == b"\x05\x05"  # connection refused


def test_bind_and_udp_are_not_supported(sim: SimulatorServer, sold: dict[str, Any]) -> None:
    s, _ = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        s.sendall(b"\x05\x02\x00\x01" + socket.inet_aton("127.0.0.1") + b"\x00\x50")
        assert _recv_exact(s, 2) == b"\x05\x07"


def test_an_offline_proxy_is_hung_up_on(sim: SimulatorServer, sold: dict[str, Any]) -> None:
    sim.provider.set_purchased_proxy_offline(sold["credentials_id"])
    s, auth = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        assert auth == b""  # closed without an auth reply


def test_an_offline_proxy_in_silent_mode_never_answers(sim: SimulatorServer,
                                                       sold: dict[str, Any]) -> None:
    with httpx.Client(base_url=sim.root_url + "/_sim") as admin:
        mode = admin.post("/socks", json={"offline_mode": "silent"}).json()["offline_mode"]
        assert mode == "silent"
        assert admin.post("/offline", json={"credentials_id": sold["credentials_id"]}).is_success
    with socket.create_connection(("127.0.0.1", sim.socks.port), timeout=TIMEOUT) as s:
        s.sendall(b"\x05\x01\x02")
        assert _recv_exact(s, 2) == b"\x05\x02"
        user, pw = sold["username"].encode(), sold["password"].encode()
        s.sendall(bytes([1, len(user)]) + user + bytes([len(pw)]) + pw)
        s.settimeout(0.5)
        with pytest.raises(TimeoutError):
            s.recv(1)
    # stopping the simulator does not wait for the silent connection
    sim.stop()


def test_a_bad_admin_mode_is_a_400(sim: SimulatorServer) -> None:
    with httpx.Client(base_url=sim.root_url + "/_sim") as admin:
        reply = admin.post("/socks", json={"offline_mode": "sometimes"})
    assert reply.status_code == 400 and "offline_mode" in reply.json()["error"]


def test_a_refunded_proxy_stops_answering(sim: SimulatorServer, sold: dict[str, Any]) -> None:
    sim.provider.set_purchased_proxy_offline(sold["credentials_id"])
    sim.provider.refund(sold["credentials_id"])
    sim.provider.set_online(sold["proxy_id"])
    s, auth = greet("127.0.0.1", sim.socks.port, sold["username"], sold["password"])
    with s:
        assert auth == b""


def test_the_gateway_also_listens_on_ipv6_loopback(sim: SimulatorServer,
                                                   sold: dict[str, Any]) -> None:
    require(has_ipv6_loopback(), "this machine has no IPv6 loopback (::1)")
    assert sim.socks.port6 is not None
    s, auth = greet("::1", sim.socks.port6, sold["username"], sold["password"])
    with s:
        assert auth == b"\x01\x00"
        reply = connect_request(s, 1, socket.inet_aton("127.0.0.1"), check_port(sim))
        assert reply[:2] == b"\x05\x00"
        status, body = get_ip_through(s, "/ip?format=json")
    assert status.endswith("200 OK") and json.loads(body) == {"ip": sold["proxy_ip"]}


def test_without_socks_the_simulator_keeps_its_fake_public_gateways() -> None:
    with SimulatorServer(SimulatedProvider(proxies=5, seed=3)) as server:
        purchase = server.provider.buy(server.provider.online_ids()[0])
        assert server.socks is None
        assert purchase["server_ip"].startswith("185.199.")
        with pytest.raises(RuntimeError):
            _ = server.check_url


def test_the_demo_provider_prints_its_socks_gateway_and_check_url() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "proxyshop_desktop.simulator", "--port", "0", "--proxies", "20"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        proc.stdout.readline()
        line = proc.stdout.readline()
        match = re.search(r"SOCKS5 on 127\.0\.0\.1:(\d+).*(http://127\.0\.0\.1:\d+/ip)", line)
        assert match, line
        assert httpx.get(match.group(2)).text == "127.0.0.1"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()


def test_the_demo_provider_keeps_its_check_url_on_the_next_ports() -> None:
    from proxyshop_desktop.simulator.demo import _start

    port = 65530
    while port >= 65530:  # room for the next two ports
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    with _start(SimulatedProvider(proxies=5, seed=3), port) as server:
        assert server.socks is not None and server.socks.port == port + 1
        assert server.check_url == f"http://127.0.0.1:{port + 2}/ip"
    with socket.socket() as taken:  # the gateway's port is taken: any free ports instead
        taken.bind(("127.0.0.1", port + 1))
        taken.listen()
        with _start(SimulatedProvider(proxies=5, seed=3), port) as server:
            assert server.port == port and server.socks is not None
            assert server.socks.port != port + 1
