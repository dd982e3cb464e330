"""The real `proxyshop-desktop` commands, each a separate process, against the simulated provider.

Configuration reaches them the way it reaches a cron job: PROXYSHOP_DATA_DIR,
EXTERNAL_SOCKS_API_URL and EXTERNAL_SOCKS_API_TOKEN in the environment.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from proxyshop_desktop.simulator import DEMO_TOKEN
from tests.reliability.children import child_env

ON_BOTH_ENGINES = True

PLAIN_HTTP = "warning: the provider URL is plain http"


class Cli:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def run(self, *argv: str, quiet: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "proxyshop_desktop", *argv],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        assert "Traceback" not in done.stderr, done.stderr
        if quiet:  # only our one-line warnings and errors
            for line in done.stderr.splitlines():
                assert line.startswith(("warning: ", "error: ")), done.stderr
        return done

    def json(self, *argv: str) -> dict:
        done = self.run(*argv, "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def fails(self, *argv: str) -> subprocess.CompletedProcess[str]:
        done = self.run(*argv)
        assert done.returncode != 0
        errors = [line for line in done.stderr.splitlines() if line.startswith("error: ")]
        assert len(errors) == 1, done.stderr
        return done


@pytest.fixture
def cli(sim, tmp_path) -> Cli:
    return Cli(child_env(tmp_path / "e2e-data", sim.base_url, DEMO_TOKEN))


def test_a_day_at_the_shop(cli, sim, tmp_path, request):
    online = len(sim.provider.online_ids())

    synced = cli.run("sync", "--json")
    assert synced.returncode == 0 and PLAIN_HTTP in synced.stderr  # loopback http: still said
    sync = json.loads(synced.stdout)
    assert set(sync) == {
        "total_fetched",
        "total_available_external",
        "added",
        "updated",
        "removed",
        "skipped",
        "removal_confirmed",
        "sync_time",
    }
    assert sync["added"] == sync["total_fetched"] == online

    inventory = cli.json("inventory", "--page-size", "5")
    assert inventory["total"] == online and len(inventory["proxies"]) == 5
    product = inventory["proxies"][0]

    sale = cli.json("sell", str(product["product_id"]), "--customer", "alice")
    assert set(sale) == {"order_id", "proxy_id", "credentials", "price", "expires_at", "refundable"}
    assert sale["order_id"].startswith("ORD-") and sale["price"] == "2.00"
    assert sale["proxy_id"] == product["proxy_id"]
    assert set(sale["credentials"]) == {"ip", "port", "login", "password", "country", "ISP"}
    bought = {p["proxy_id"]: p for p in sim.provider.bought()}
    assert sale["credentials"]["ip"] == bought[product["proxy_id"]]["server_ip"]
    assert sale["credentials"]["password"] == bought[product["proxy_id"]]["password"]

    listing, _ = sim.provider.list_proxies(page=0, page_size=1000)
    country = Counter(p["country_code"] for p in listing).most_common(1)[0][0]
    batch = cli.json("sell", "--count", "2", "--country", country, "--customer", "bob")
    assert set(batch) == {"orders", "failed"} and batch["failed"] == []
    assert len(batch["orders"]) == 2

    orders = cli.json("orders")["orders"]
    assert len(orders) == 3 and orders[-1]["order_id"] == sale["order_id"]  # newest first
    assert [o["order_id"] for o in cli.json("orders", "--customer", "alice")["orders"]] == [
        sale["order_id"]
    ]

    # The proxy goes offline at the provider: now the sale can be refunded, once.
    sim.provider.set_purchased_proxy_offline(bought[product["proxy_id"]]["credentials_id"])
    refund = cli.json("refund", sale["order_id"])
    assert refund["status"] == "success" and refund["refund_amount"] == "2.00"
    again = cli.fails("refund", sale["order_id"])
    assert "refunded" in again.stderr.lower()

    stats = cli.json("stats")
    assert stats["total_sold"] == 3 and stats["total_refunded"] == 1
    assert Decimal(stats["revenue"]) == Decimal("2.00") * (3 - 1)
    assert stats["total_inventory"] == online - 3 and stats["last_sync"] is not None

    txt = tmp_path / "sold.txt"
    assert cli.json("export", "--format", "txt", "--out", str(txt)) == {
        "path": str(txt),
        "count": 2,
        "skipped": [],
    }
    lines = txt.read_bytes().decode().splitlines()
    assert lines == [
        "{ip}:{port}:{login}:{password}".format(**o["credentials"]) for o in batch["orders"]
    ] or sorted(lines) == sorted(
        "{ip}:{port}:{login}:{password}".format(**o["credentials"]) for o in batch["orders"]
    )
    csv_file = tmp_path / "bob.csv"
    exported = cli.json("export", "--format", "csv", "--out", str(csv_file), "--customer", "bob")
    assert exported["count"] == 2
    assert csv_file.read_text().startswith('"order","customer","ip","port","login","password"')

    reconcile = cli.json("reconcile")
    assert reconcile["recovered"] == 0 and reconcile["missing_at_provider"] == []
    assert {"recovered", "unknown_locally", "missing_at_provider"} <= set(reconcile)

    cleanup = cli.json("cleanup")
    assert cleanup["status"] == "success" and set(cleanup) == {"status", "removed_count", "message"}

    backup = cli.json("backup")
    assert Path(backup["path"]).is_file()

    human = cli.run("orders")
    assert human.returncode == 0 and sale["order_id"] in human.stdout
    assert sale["credentials"]["password"] not in human.stdout


def test_usage_errors_exit_2_as_real_processes(cli, tmp_path):
    assert cli.fails("sell", "--count", "-3").returncode == 2
    assert cli.fails("inventory", "--country", "XYZ").returncode == 2
    assert cli.fails("refund", "ORD-NOPE").returncode == 2
    assert cli.fails("sell", "999999").returncode == 2
    missing = cli.fails("export", "--format", "csv", "--out", str(tmp_path / "none" / "a.csv"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    cli.env["EXTERNAL_SOCKS_PRICE"] = "-1"
    price = cli.fails("stats")
    assert price.returncode == 2 and "EXTERNAL_SOCKS_PRICE" in price.stderr


def test_a_wrong_token_is_one_clear_line_and_changes_nothing(cli):
    cli.env["EXTERNAL_SOCKS_API_TOKEN"] = "wrong-token"
    done = cli.fails("sync")
    assert done.returncode == 1 and "token" in done.stderr.lower()
    assert "wrong-token" not in done.stderr
    log_file = Path(cli.env["PROXYSHOP_DATA_DIR"]) / "logs" / "proxyshop.log"
    assert "wrong-token" not in log_file.read_text()
    assert cli.json("stats")["total_inventory"] == 0


def test_the_token_never_reaches_the_log_even_verbose(cli):
    verbose = cli.run("sync", "-v", quiet=False)  # DEBUG logging, also on stderr
    assert verbose.returncode == 0 and "DEBUG" in verbose.stderr
    assert DEMO_TOKEN not in verbose.stderr + verbose.stdout
    cli.json("sell", str(cli.json("inventory")["proxies"][0]["product_id"]))
    log_file = Path(cli.env["PROXYSHOP_DATA_DIR"]) / "logs" / "proxyshop.log"
    assert "DEBUG" in log_file.read_text() and DEMO_TOKEN not in log_file.read_text()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_provider_command_serves_until_interrupted(cli):
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "proxyshop_desktop",
            "demo-provider",
            "--port",
            str(port),
            "--proxies",
            "50",
        ],
        env=cli.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
                break
            except httpx.TransportError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
                time.sleep(0.1)
        assert reply.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def test_a_cron_sync_takes_the_daily_backup_once_a_day(cli, tmp_path):
    """A server that runs only `proxyshop-desktop sync` from cron gets the daily backup the
    window would take: after a good sync of the UTC day once there are orders, and only once."""
    backups = tmp_path / "e2e-data" / "backups"

    def daily() -> list[str]:
        return sorted(p.name for p in backups.glob("proxyshop-*-daily*") if p.suffix in (".sqlite3", ".pgdump"))

    first = cli.run("sync")
    assert first.returncode == 0 and "Daily backup" not in first.stdout
    assert daily() == []  # no order yet: nothing the next sync could not fetch again
    product = cli.json("inventory", "--page-size", "1")["proxies"][0]
    cli.json("sell", str(product["product_id"]))
    second = cli.run("sync")
    assert second.returncode == 0 and "Daily backup: " in second.stdout
    assert len(daily()) == 1
    again = cli.json("sync")  # the JSON stays the documented shape
    assert "daily_backup" not in again
    assert len(daily()) == 1
