"""Text from the provider, customers or the database never reaches the terminal raw (issue 15 #4).

An ISP name carrying OSC 52 (writes the clipboard), a clear-screen sequence and a right-to-left
override is shown escaped in every human output, on stdout and stderr; `--json` stays exact JSON
that parses back to the very same string.
"""

import json
import logging
import os
import subprocess
import sys

import pytest

from proxyshop_desktop.cli import main, output
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order, create_product, shop_store

ON_BOTH_ENGINES = True

HOSTILE_ISP = "Evil\x1b]52;c;ZWNobyBwd25lZA==\x07 Net\x1b[2J\u202eKO"
HOSTILE_CITY = "Ber\u2066lin\u2069\x9b31m\x7f"
HOSTILE_CUSTOMER = "bob\u200f\u2028\x0b\x1c\x85\u061c"
# every raw character the values above carry that a terminal may act on
RAW = ["\x1b", "\x07", "\u202e", "\u2066", "\u2069", "\x9b", "\x7f", "\u200f", "\u2028", "\x0b",
       "\x1c", "\x85", "\u061c"]


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


@pytest.fixture
def paths():
    return AppPaths.from_env()


@pytest.fixture
def hostile_rows(paths):
    paths.ensure()
    store = shop_store(paths)
    store.open()
    create_product(store, isp=HOSTILE_ISP, city=HOSTILE_CITY, country_code="DE")
    order = create_order(store, customer=HOSTILE_CUSTOMER, isp=HOSTILE_ISP, city=HOSTILE_CITY)
    store.close()
    return order


def assert_no_raw(text):
    for char in RAW:
        assert char not in text, (char, text)


def test_escape_shows_controls_bidi_and_separators():
    assert output.escape(HOSTILE_ISP) == (
        "Evil\\x1b]52;c;ZWNobyBwd25lZA==\\x07 Net\\x1b[2J\\u202eKO"
    )
    assert output.escape("a\nb\tc\u2029") == "a\\x0ab\\x09c\\u2029"
    assert output.escape("a\nb", keep_newlines=True) == "a\nb"
    assert output.escape("Zürich São Paulo 東京 €") == "Zürich São Paulo 東京 €"  # text stays


@pytest.mark.parametrize("command", [["inventory"], ["orders"], ["inventory", "--isp", HOSTILE_ISP]])
def test_tables_show_hostile_text_escaped(capsys, hostile_rows, command):
    code = main(command)
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_no_raw(out + err)
    if command[0] == "inventory":
        assert "Evil\\x1b]52;c;" in out  # cut to the column width, but visibly escaped
    else:
        assert "bob\\u200f\\u2028\\x0b\\x1c\\x85" in out


@pytest.mark.parametrize("command", [["inventory"], ["orders"]])
def test_json_stays_exact(capsys, hostile_rows, command):
    code = main([*command, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert_no_raw(out)  # written as JSON \u escapes ...
    data = json.loads(out)  # ... which parse back to the very same strings
    if command[0] == "inventory":
        row = data["proxies"][0]
        assert row["ISP"] == HOSTILE_ISP and row["city"] == HOSTILE_CITY
    else:
        order = data["orders"][0]
        assert order["customer"] == HOSTILE_CUSTOMER


def test_an_error_line_on_stderr_is_escaped(capsys, monkeypatch, hostile_rows):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", "tok-escape-test")
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", "https://127.0.0.1:9/api/v1/authorized")
    code = main(["refund", "ORD-\x1b]52;C;EA==\x07\u202e"])
    out, err = capsys.readouterr()
    assert code == 2
    assert_no_raw(err)
    assert "ORD-\\x1b]52;C;EA==\\x07\\u202e" in err
    assert len(err.splitlines()) == 1 and err.startswith("error: ")


def test_the_verbose_console_log_is_escaped(capsys, hostile_rows):
    code = main(["inventory", "--verbose", "--isp", HOSTILE_ISP])
    logging.getLogger("proxyshop_desktop.test").warning("provider said %s", HOSTILE_ISP)
    _out, err = capsys.readouterr()
    assert code == 0
    assert_no_raw(err)
    assert "provider said Evil\\x1b]52" in err


def test_a_real_process_writes_no_raw_escape(hostile_rows, paths):
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTERNAL_SOCKS_")}
    env.update(PROXYSHOP_DATA_DIR=str(paths.data_dir), PYTHONIOENCODING="utf-8")
    for argv in (["inventory"], ["orders"], ["stats"]):
        done = subprocess.run([sys.executable, "-m", "proxyshop_desktop", *argv], env=env,
                              capture_output=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        for char in RAW:
            assert char.encode() not in done.stdout + done.stderr, (argv, char)
    done = subprocess.run([sys.executable, "-m", "proxyshop_desktop", "orders", "--json"], env=env,
                          capture_output=True, timeout=120, check=False)
    assert json.loads(done.stdout)["orders"][0]["customer"] == HOSTILE_CUSTOMER


def test_provider_text_from_the_simulator_is_escaped_end_to_end(sim, tmp_path):
    """Real processes against the simulator on loopback: an ISP and a city carrying escapes are
    synced, listed and sold; a refund refusal whose words carry them is one escaped error line."""
    from proxyshop_desktop.simulator import DEMO_TOKEN, faults

    with sim.provider._lock:  # the provider's own catalogue says it
        for item in sim.provider._items.values():
            item["isp"], item["city"] = HOSTILE_ISP, HOSTILE_CITY
        for proxy_id in list(sim.provider._items):
            sim.provider._changed(proxy_id)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EXTERNAL_SOCKS_", "PROXYSHOP_"))}
    env.update(PROXYSHOP_DATA_DIR=str(tmp_path / "d"), EXTERNAL_SOCKS_API_URL=sim.base_url,
               EXTERNAL_SOCKS_API_TOKEN=DEMO_TOKEN, PYTHONIOENCODING="utf-8")

    def cli(*argv):
        return subprocess.run([sys.executable, "-m", "proxyshop_desktop", *argv], env=env,
                              capture_output=True, timeout=120, check=False)

    assert cli("sync").returncode == 0
    listed = cli("inventory", "--page-size", "3")
    as_json = json.loads(cli("inventory", "--page-size", "3", "--json").stdout)
    assert as_json["proxies"][0]["ISP"] == HOSTILE_ISP
    sold = cli("sell", str(as_json["proxies"][0]["product_id"]))
    order_id = sold.stdout.decode().split()[1]
    refusal = {"refundable": False, "message": "no \x1b]52;c;ZXZpbA==\x07 \u202erefund\x1b[2J"}
    sim.faults.add("check_refundable", faults.status(200, body=refusal), times="always")
    refused = cli("refund", order_id)
    for done in (listed, sold, refused):
        for char in RAW:
            assert char.encode() not in done.stdout + done.stderr, (done.args, char)
    assert b"Evil\\x1b]52;c;" in listed.stdout and b"Net\\x1b[2J\\u202eKO" in sold.stdout
    assert refused.returncode != 0
    assert b"no \\x1b]52;c;ZXZpbA==\\x07 \\u202erefund\\x1b[2J" in refused.stderr
