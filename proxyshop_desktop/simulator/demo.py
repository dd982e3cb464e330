"""Foreground runner for the demo provider (``proxyshop-desktop demo-provider``, ``python -m``).

Why its own module: the CLI and ``__main__`` share one start-up and one clean shutdown on
SIGINT/SIGTERM, so a demo provider started from a terminal or a test harness exits with code 0.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

from .provider import DEMO_TOKEN, SimulatedProvider
from .server import SimulatorServer


def _start(provider: SimulatedProvider, port: int) -> SimulatorServer:
    """The SOCKS gateway and check page on the next two ports, so the check URL to export stays
    the same from run to run (http://127.0.0.1:8767/ip by default); any free ports if taken.
    ``OSError`` only when ``port`` itself is taken."""
    if 0 < port < 65534:
        try:
            return SimulatorServer(provider, port=port, socks=True,
                                   socks_ports=(port + 1, port + 2)).start()
        except OSError:
            pass  # one of the three is taken: try again with the gateway on any free ports
    return SimulatorServer(provider, port=port, socks=True).start()


def run_demo_provider(port: int = 8765, proxies: int = 3000, token: str = DEMO_TOKEN,
                      seed: int = 7) -> None:
    """Serve a simulated provider on 127.0.0.1:``port`` until SIGINT or SIGTERM.

    Prints one line with the base URL and the token. Raises ``OSError`` if the port is taken.
    """
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {}
    if threading.current_thread() is threading.main_thread():
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, _on_signal)
    try:
        provider = SimulatedProvider(proxies=proxies, seed=seed, token=token)
        with _start(provider, port) as server:
            print(f"Simulated provider serving {proxies} proxies at {server.base_url} "
                  f"with token {token!r} (health: {server.health_url}); Ctrl+C to stop",
                  flush=True)
            socks_port = server.socks.port if server.socks else None
            print(f"Sold proxies answer SOCKS5 on 127.0.0.1:{socks_port}; check URL for "
                  f"EXTERNAL_SOCKS_CHECK_URL: {server.check_url}", flush=True)
            while not stop.wait(0.5):
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
