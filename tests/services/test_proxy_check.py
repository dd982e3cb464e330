"""Checking a sold proxy through its own login, against the simulator's real SOCKS5 gateway.

Every check here crosses loopback sockets: a SOCKS5 handshake with username/password, a CONNECT,
and an HTTP request to the simulator's check page through the tunnel.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from proxyshop_desktop.clock import iso
from proxyshop_desktop.config import DEFAULT_CHECK_URL, Settings, load_settings
from proxyshop_desktop.errors import ConfigError, NotFoundError, ShopError
from proxyshop_desktop.services import proxy_check
from proxyshop_desktop.services.proxy_check import CheckOutcome, ProxyAddress, check_proxy
from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatorServer
from tests.conftest import require
from tests.factories import create_order
from tests.socks_helpers import buy, has_ipv6_loopback, order_of, socks_simulator

TIMEOUT = 5.0


@pytest.fixture
def sim() -> Iterator[SimulatorServer]:
    with socks_simulator() as server:
        yield server


def address(purchase: dict[str, Any], **change: Any) -> ProxyAddress:
    values = {
        "host": purchase["server_ip"],
        "port": int(purchase["server_listening_port"]),
        "login": purchase["username"],
        "password": purchase["password"],
        **change,
    }
    return ProxyAddress(**values)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# --- one proxy ------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_good_credentials_work_and_report_the_exit_ip(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    result = await check_proxy(address(purchase), sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.WORKS and result.works
    assert result.exit_ip == purchase["proxy_ip"]
    assert result.latency_ms is not None and 0 <= result.latency_ms < TIMEOUT * 1000
    assert result.checked_at.utcoffset() == timedelta(0)  # aware, UTC
    assert purchase["proxy_ip"] in result.message


@pytest.mark.asyncio
@pytest.mark.parametrize("index", range(6))
async def test_every_kind_of_sold_password_is_sent_exactly(sim: SimulatorServer,
                                                           index: int) -> None:
    purchase = buy(sim, index)  # six purchases: every password variant of the simulator
    result = await check_proxy(address(purchase), sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.WORKS, result.message


@pytest.mark.asyncio
async def test_the_json_form_of_the_check_page_is_understood(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    result = await check_proxy(address(purchase), sim.check_url + "?format=json", TIMEOUT)
    assert result.outcome is CheckOutcome.WORKS and result.exit_ip == purchase["proxy_ip"]


@pytest.mark.asyncio
async def test_a_wrong_password_is_a_refused_login(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    wrong = address(purchase, password=purchase["password"] + "x")
    result = await check_proxy(wrong, sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.LOGIN_REFUSED and not result.works
    assert result.exit_ip is None and result.latency_ms is None
    assert "login" in result.message


@pytest.mark.asyncio
async def test_a_proxy_that_hangs_up_is_unreachable(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    result = await check_proxy(address(purchase), sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.UNREACHABLE
    assert "closed the connection" in result.message


@pytest.mark.asyncio
async def test_a_proxy_that_never_answers_times_out(sim: SimulatorServer) -> None:
    assert sim.socks is not None
    sim.socks.offline_mode = "silent"
    purchase = buy(sim)
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    started = time.monotonic()
    result = await check_proxy(address(purchase), sim.check_url, 0.5)
    assert result.outcome is CheckOutcome.TIMED_OUT
    assert 0.4 < time.monotonic() - started < 3
    assert "0.5 s" in result.message


@pytest.mark.asyncio
async def test_nothing_listening_is_unreachable(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    result = await check_proxy(address(purchase, port=free_port()), sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.UNREACHABLE
    assert "127.0.0.1" in result.message


@pytest.mark.asyncio
async def test_an_ipv6_proxy_address_works(sim: SimulatorServer) -> None:
    require(has_ipv6_loopback(), "this machine has no IPv6 loopback (::1)")
    assert sim.socks is not None and sim.socks.port6 is not None
    purchase = buy(sim)
    result = await check_proxy(address(purchase, host="::1", port=sim.socks.port6),
                               sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.WORKS and result.exit_ip == purchase["proxy_ip"]
    assert "[::1]" in result.message or "::1" in result.message


@pytest.mark.asyncio
async def test_a_check_url_answering_garbage_is_a_bad_answer(sim: SimulatorServer) -> None:
    assert sim.socks is not None
    sim.socks.check_answer = "garbage"
    purchase = buy(sim)
    result = await check_proxy(address(purchase), sim.check_url, TIMEOUT)
    assert result.outcome is CheckOutcome.BAD_ANSWER
    assert result.exit_ip is None and "IP address" in result.message


@pytest.mark.asyncio
async def test_a_check_url_answering_404_is_a_bad_answer(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    url = sim.check_url.replace("/ip", "/nothing-here")
    result = await check_proxy(address(purchase), url, TIMEOUT)
    assert result.outcome is CheckOutcome.BAD_ANSWER and "404" in result.message


@pytest.mark.asyncio
async def test_a_check_url_the_proxy_cannot_reach_is_unreachable(sim: SimulatorServer) -> None:
    purchase = buy(sim)
    result = await check_proxy(address(purchase), f"http://127.0.0.1:{free_port()}/ip", TIMEOUT)
    assert result.outcome is CheckOutcome.UNREACHABLE
    assert "check URL" in result.message


@pytest.mark.asyncio
async def test_at_most_a_few_checks_run_at_once(sim: SimulatorServer) -> None:
    """Four checks of a silent proxy through two slots take two rounds of the timeout."""
    assert sim.socks is not None
    sim.socks.offline_mode = "silent"
    purchase = buy(sim)
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    slots = asyncio.Semaphore(2)
    started = time.monotonic()
    results = await asyncio.gather(*(
        check_proxy(address(purchase), sim.check_url, 0.4, slots=slots) for _ in range(4)
    ))
    elapsed = time.monotonic() - started
    assert [r.outcome for r in results] == [CheckOutcome.TIMED_OUT] * 4
    assert 0.75 < elapsed < 4  # one round would be 0.4 s: the timeout starts with the slot


@pytest.mark.asyncio
async def test_no_credential_ever_reaches_a_log_record(sim: SimulatorServer,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("python_socks", "asyncio", "proxyshop_desktop"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    assert sim.socks is not None
    purchases = [buy(sim, i) for i in range(4)]
    await check_proxy(address(purchases[0]), sim.check_url, TIMEOUT)
    await check_proxy(address(purchases[1], password="wrong-password"), sim.check_url, TIMEOUT)
    sim.provider.set_purchased_proxy_offline(purchases[2]["credentials_id"])
    await check_proxy(address(purchases[2]), sim.check_url, TIMEOUT)
    sim.socks.offline_mode = "silent"
    sim.provider.set_purchased_proxy_offline(purchases[3]["credentials_id"])
    await check_proxy(address(purchases[3]), sim.check_url, 0.3)
    assert caplog.records, "the checks log their outcome"
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for purchase in purchases:
            assert purchase["username"] not in text, record
            assert purchase["password"] not in text, record
    assert "wrong-password" not in caplog.text


def test_the_address_never_shows_its_credentials_in_repr() -> None:
    shown = repr(ProxyAddress("127.0.0.1", 1080, "ps700001abcd", "s3cret-pass"))
    assert "ps700001abcd" not in shown and "s3cret-pass" not in shown


# --- an order -------------------------------------------------------------------------------------


@pytest.fixture
def check_shop(sim: SimulatorServer, make_shop: Any) -> Any:
    return make_shop(api_url=sim.base_url, token=DEMO_TOKEN, check_url=sim.check_url,
                     check_timeout=TIMEOUT)


@pytest.mark.asyncio
async def test_shop_checks_an_order_with_its_sold_credentials(sim: SimulatorServer,
                                                              check_shop: Any) -> None:
    purchase = buy(sim)
    order_id = order_of(check_shop.store, purchase)
    result = await check_shop.check_order(order_id.lower() + " ")
    assert result.order_id == order_id and result.outcome is CheckOutcome.WORKS
    assert result.to_json() == {
        "order_id": order_id,
        "outcome": "works",
        "latency_ms": result.latency_ms,
        "exit_ip": purchase["proxy_ip"],
        "checked_at": iso(result.checked_at),
        "message": result.message,
    }


@pytest.mark.asyncio
async def test_a_check_its_stored_row_and_its_audit_entry_carry_the_shops_clock(
        sim: SimulatorServer, make_shop: Any) -> None:
    then = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
    shop = make_shop(api_url=sim.base_url, token=DEMO_TOKEN, check_url=sim.check_url,
                     check_timeout=TIMEOUT, clock=lambda: then)
    order_id = order_of(shop.store, buy(sim))
    result = await shop.check_order(order_id)
    [stored] = await shop.order_checks(order_id)
    [event] = await shop.audit_events(kind="check")
    assert (result.checked_at, stored.checked_at, event.at) == (then, then, then)


@pytest.mark.asyncio
async def test_a_sale_made_by_the_shop_checks_end_to_end_then_fails_once_offline(
        sim: SimulatorServer, check_shop: Any) -> None:
    """Sync, sell through the provider API, check: the credentials the shop stored reach the
    simulator's gateway; after the provider takes the proxy offline the same check fails."""
    from proxyshop_desktop.services.results import InventoryQuery

    try:
        await check_shop.sync()
        page = await check_shop.inventory(InventoryQuery(page_size=1))
        order = await check_shop.sell(page.rows[0].product_id, "alice")
    finally:
        await check_shop.reset_client()  # the provider client belongs to this test's loop
    assert order.credentials is not None and order.credentials.ip == "127.0.0.1"
    first = await check_shop.check_order(order.order_id)
    assert first.outcome is CheckOutcome.WORKS, first.message
    assert order.credentials_id is not None
    sim.provider.set_purchased_proxy_offline(order.credentials_id)
    second = await check_shop.check_order(order.order_id)
    assert second.outcome is CheckOutcome.UNREACHABLE and second.exit_ip is None


@pytest.mark.asyncio
async def test_a_refunded_order_can_still_be_checked(sim: SimulatorServer,
                                                     check_shop: Any) -> None:
    purchase = buy(sim)
    sim.provider.set_purchased_proxy_offline(purchase["credentials_id"])
    order_id = order_of(check_shop.store, purchase, status="refunded")
    result = await check_shop.check_order(order_id)
    assert result.outcome is CheckOutcome.UNREACHABLE


@pytest.mark.asyncio
async def test_an_unknown_order_is_not_found(check_shop: Any) -> None:
    with pytest.raises(NotFoundError):
        await check_shop.check_order("ORD-NOPE")


@pytest.mark.asyncio
async def test_an_order_without_credentials_cannot_be_checked(check_shop: Any) -> None:
    row = create_order(check_shop.store, status="pending")
    with pytest.raises(ShopError) as caught:
        await check_shop.check_order(row.order_id)
    assert "pending" in caught.value.message and not isinstance(caught.value, NotFoundError)


@pytest.mark.asyncio
async def test_a_port_that_is_not_a_number_is_unreachable(check_shop: Any) -> None:
    row = create_order(check_shop.store, server_ip="127.0.0.1", port="80a")
    result = await check_shop.check_order(row.order_id)
    assert result.outcome is CheckOutcome.UNREACHABLE and "80a" in result.message


# --- settings -------------------------------------------------------------------------------------


def test_check_settings_default_and_come_from_the_environment(tmp_path: Any) -> None:
    defaults = Settings()
    assert defaults.check_url == DEFAULT_CHECK_URL and defaults.check_timeout == 10.0
    env = {"EXTERNAL_SOCKS_CHECK_URL": "http://127.0.0.1:9/ip/",
           "EXTERNAL_SOCKS_CHECK_TIMEOUT": "2.5"}
    settings = load_settings(tmp_path / "none.json", env)
    assert settings.check_url == "http://127.0.0.1:9/ip" and settings.check_timeout == 2.5


@pytest.mark.parametrize("var, value", [
    ("EXTERNAL_SOCKS_CHECK_URL", "socks5://127.0.0.1:1080"),
    ("EXTERNAL_SOCKS_CHECK_TIMEOUT", "0"),
    ("EXTERNAL_SOCKS_CHECK_TIMEOUT", "600"),
])
def test_bad_check_settings_are_refused_naming_the_variable(tmp_path: Any, var: str,
                                                            value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(tmp_path / "none.json", {var: value})
    assert var in caught.value.message


def test_the_check_never_runs_more_than_a_few_at_once_by_default() -> None:
    assert 1 < proxy_check.MAX_CONCURRENT_CHECKS <= 4


# --- an https check URL (the default is one) ------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    require(shutil.which("openssl") is not None, "the openssl command is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True, timeout=30,
    )
    return cert, key


async def serve_tls_ip_page(certificate: tuple[str, str]) -> asyncio.Server:
    """A public-looking "what is my IP" page on loopback, over TLS, answering chunked."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                         b"Connection: close\r\n\r\n5\r\n203.0\r\n6\r\n.113.9\r\n0\r\n\r\n")
            await writer.drain()
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass  # the client refused our certificate
        finally:
            writer.close()

    return await asyncio.start_server(answer, "127.0.0.1", 0, ssl=context)


@pytest.mark.asyncio
async def test_an_https_check_url_is_fetched_through_the_tunnel(
        sim: SimulatorServer, certificate: tuple[str, str]) -> None:
    server = await serve_tls_ip_page(certificate)
    url = f"https://127.0.0.1:{server.sockets[0].getsockname()[1]}/"
    try:
        trusted = ssl.create_default_context(cafile=certificate[0])
        result = await check_proxy(address(buy(sim)), url, TIMEOUT, tls=trusted)
        assert result.outcome is CheckOutcome.WORKS, result.message
        assert result.exit_ip == "203.0.113.9"
        # the same page with the system's authorities only: its certificate is refused
        refused = await check_proxy(address(buy(sim, 1)), url, TIMEOUT)
        assert refused.outcome is CheckOutcome.BAD_ANSWER and "TLS" in refused.message
    finally:
        server.close()
        await server.wait_closed()


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine

