"""A simulator whose sold proxies answer SOCKS5 on loopback, and purchases/orders made through it,
for the proxy-check tests (services and CLI)."""

from __future__ import annotations

import socket
from typing import Any

from proxyshop_desktop.simulator import SimulatedProvider, SimulatorServer
from tests.factories import create_order


def has_ipv6_loopback() -> bool:
    """Can this machine bind ::1 (the IPv6 cases of the SOCKS gateway and the check)?"""
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def socks_simulator() -> SimulatorServer:
    """Use as a context manager: 50 proxies, the SOCKS5 gateway and the check page on."""
    return SimulatorServer(SimulatedProvider(proxies=50, seed=5), socks=True)


def buy(sim: SimulatorServer, index: int = 0) -> dict[str, Any]:
    """A purchase; consecutive ones get every password variant (':' ',' '"' '=' ' ' ...)."""
    return sim.provider.buy(sim.provider.online_ids()[index])


def order_of(store: Any, purchase: dict[str, Any], **fields: Any) -> str:
    row = create_order(
        store, credentials_id=purchase["credentials_id"], proxy_id=purchase["proxy_id"],
        server_ip=purchase["server_ip"], port=purchase["server_listening_port"],
        username=purchase["username"], password=purchase["password"],
        proxy_ip=purchase["proxy_ip"], **fields)
    return str(row.order_id)
