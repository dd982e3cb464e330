"""The command line in-process: argument checks, exit codes, JSON shapes, token commands, errors.

Orders and inventory are written straight into the store (tests/factories.py); the commands that
talk to a provider run against the simulator in test_cli_e2e.py.
"""

import io
import json
import os
import stat
import subprocess
import sys
import types
from datetime import UTC, datetime
from decimal import Decimal

import keyring
import keyring.backends.fail
import pytest

from proxyshop_desktop.cli import commands, main
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order, create_product, create_sync_run, shop_store

ON_BOTH_ENGINES = True

TOKEN = "tok-3f9a1c77e2b54d0a"


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


@pytest.fixture
def paths():
    return AppPaths.from_env()  # the isolated PROXYSHOP_DATA_DIR of this test


@pytest.fixture
def store(paths):
    """An open store for writing rows; close it (`store.close()`) before running a command."""
    paths.ensure()
    s = shop_store(paths)
    s.open()
    yield s
    s.close()


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)  # exactly one JSON document, nothing else on stdout


def assert_one_line_error(err, code, expected_code):
    assert code == expected_code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert "Traceback" not in err


# --- arguments and exit codes --------------------------------------------------------------------


def test_help_exits_zero(capsys):
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0 and "sync" in out and "export" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["sell", "--count", "-1"],
        ["sell", "--count", "0"],
        ["sell", "abc"],
        ["sell"],
        ["sell", "3", "--count", "2"],
        ["sell", "3", "--country", "US"],
        ["inventory", "--country", "USA"],
        ["inventory", "--country", "1"],
        ["sync", "--country", "United States"],
        ["inventory", "--page-size", "0"],
        ["inventory", "--page-size", "100000"],
        ["inventory", "--page", "-2"],
        ["inventory", "--max-speed", "fast"],
        ["inventory", "--type", "satellite"],
        ["orders", "--status", "lost"],
        ["orders", "--limit", "0"],
        ["orders", "--limit", "10001"],
        ["orders", "--page", "0"],
        ["export", "--format", "csv", "--out", "x.csv", "--since", "last tuesday"],
        ["export", "--format", "xls", "--out", "x.xls"],
        ["export", "--format", "csv"],
        ["refund"],
        ["token"],
        ["no-such-command"],
        ["--demo", "stats"],
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv):
    code, out, err = run_cli(capsys, *argv)
    assert_one_line_error(err, code, 2)
    assert out == ""


def test_bad_arguments_with_json_print_an_error_object(capsys):
    code, out, _ = run_cli(capsys, "sell", "--count", "-5", "--json")
    assert code == 2
    assert json.loads(out)["exit_code"] == 2 and "--count" in json.loads(out)["error"]


def test_json_is_accepted_before_and_after_the_command(capsys, store):
    store.close()
    after = run_json(capsys, "stats")
    code, out, _ = run_cli(capsys, "--json", "stats")
    assert code == 0 and json.loads(out) == after


def test_invalid_settings_file_exits_2_and_names_it(capsys, paths):
    paths.ensure()
    paths.settings_file.write_text("{not json")
    code, _, err = run_cli(capsys, "stats")
    assert_one_line_error(err, code, 2)
    assert str(paths.settings_file) in err and "not valid JSON" in err


def test_invalid_setting_in_the_environment_names_it(capsys, monkeypatch):
    monkeypatch.setenv("EXTERNAL_SOCKS_PRICE", "-1")
    code, _, err = run_cli(capsys, "stats")
    assert_one_line_error(err, code, 2)
    assert "EXTERNAL_SOCKS_PRICE" in err


def test_unknown_order_id_exits_2(capsys, store, monkeypatch):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", "https://127.0.0.1:9/api/v1/authorized")
    store.close()
    code, _, err = run_cli(capsys, "refund", "ORD-DOESNOTEXIST")
    assert_one_line_error(err, code, 2)
    assert "ORD-DOESNOTEXIST" in err


def test_settle_refund_records_the_operators_finding_once(capsys, store, monkeypatch):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", "https://127.0.0.1:9/api/v1/authorized")  # never called
    order = create_order(store, status="refund_unknown", refund_state="unanswered",
                         refund_requested_at=datetime(2026, 11, 26, 10, tzinfo=UTC))
    store.close()
    data = run_json(capsys, "settle-refund", order.order_id, "--refunded")
    assert data["order_id"] == order.order_id and data["refund_amount"] == "2.00"
    orders = run_json(capsys, "orders", "--status", "refunded")["orders"]
    assert [o["order_id"] for o in orders] == [order.order_id]
    code, _, err = run_cli(capsys, "settle-refund", order.order_id, "--not-refunded")
    assert_one_line_error(err, code, 2)  # already settled: a usage error, nothing changed
    assert "refund_unknown" in err
    code, _, err = run_cli(capsys, "settle-refund", "ORD-DOESNOTEXIST", "--refunded")
    assert_one_line_error(err, code, 2)


def test_unknown_product_id_exits_2(capsys, store, monkeypatch):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", TOKEN)
    monkeypatch.setenv("EXTERNAL_SOCKS_API_URL", "https://127.0.0.1:9/api/v1/authorized")
    store.close()
    code, _, err = run_cli(capsys, "sell", "424242")
    assert_one_line_error(err, code, 2)
    assert "424242" in err


def test_export_into_a_missing_folder_exits_2(capsys, store, tmp_path):
    store.close()
    code, _, err = run_cli(
        capsys, "export", "--format", "csv", "--out", str(tmp_path / "no" / "x.csv")
    )
    assert_one_line_error(err, code, 2)
    assert "does not exist" in err


# --- JSON shapes of the local commands -----------------------------------------------------------


def test_stats_shape_and_exact_revenue(capsys, store):
    for _ in range(5):
        create_order(store, status="sold")
    for _ in range(2):
        create_order(store, status="refunded")
    create_order(store, status="pending")
    create_product(store, country_code="US")
    create_product(store, country_code="FR")
    create_sync_run(store)
    store.close()
    data = run_json(capsys, "stats")
    assert set(data) == {
        "total_inventory",
        "total_sold",
        "total_refunded",
        "revenue",
        "cost",
        "profit",
        "margin",
        "countries_available",
        "last_sync",
    }
    assert data["total_sold"] == 7 and data["total_refunded"] == 2
    # the factory's cost is 1.00: five kept sales cost 5.00 of the 10.00 kept revenue
    assert (data["cost"], data["profit"], data["margin"]) == ("5.00", "5.00", "0.5000")
    assert Decimal(data["revenue"]) == Decimal("2.00") * (7 - 2) and data["revenue"] == "10.00"
    assert data["countries_available"] == 2 and data["total_inventory"] == 2
    assert data["last_sync"] is not None
    code, out, _ = run_cli(capsys, "stats")
    assert code == 0 and "$10.00" in out


def test_orders_shape_and_filters(capsys, store):
    alice = create_order(store, customer="alice", password="pw:alice")
    create_order(store, customer="bob", status="refunded")
    store.close()
    data = run_json(capsys, "orders")
    assert len(data["orders"]) == 2
    first = next(o for o in data["orders"] if o["order_id"] == alice.order_id)
    assert set(first) == {
        "order_id",
        "proxy_id",
        "customer",
        "price",
        "purchased_at",
        "expires_at",
        "refundable_until",
        "status",
        "credentials",
        "operator",
    }
    assert first["price"] == "2.00" and first["customer"] == "alice"
    assert set(first["credentials"]) == {"ip", "port", "login", "password", "country", "ISP"}
    assert first["credentials"]["password"] == "pw:alice"
    assert [o["customer"] for o in run_json(capsys, "orders", "--customer", "alice")["orders"]] == [
        "alice"
    ]
    assert [o["status"] for o in run_json(capsys, "orders", "--status", "refunded")["orders"]] == [
        "refunded"
    ]
    code, out, _ = run_cli(capsys, "orders")
    assert code == 0 and alice.order_id in out and "pw:alice" not in out  # no passwords in tables


def test_orders_come_a_page_at_a_time(capsys, store):
    made = [create_order(store, customer=f"c{i}", purchased_at=datetime(2026, 3, 1, i, tzinfo=UTC))
            for i in range(5)]
    store.close()
    newest = [o.order_id for o in reversed(made)]
    first = run_json(capsys, "orders", "--limit", "2")
    assert {k: first[k] for k in ("total", "page", "limit", "next_page", "remaining")} == {
        "total": 5, "page": 1, "limit": 2, "next_page": 2, "remaining": 3}
    assert [o["order_id"] for o in first["orders"]] == newest[:2]
    last = run_json(capsys, "orders", "--limit", "2", "--page", "3")
    assert [o["order_id"] for o in last["orders"]] == newest[4:] and last["next_page"] is None
    assert run_json(capsys, "orders", "--limit", "2", "--page", "9")["orders"] == []
    assert run_json(capsys, "orders", "--search", "C3")["total"] == 1
    code, out, _ = run_cli(capsys, "orders", "--limit", "2")
    assert code == 0 and "Orders 1-2 of 5. 3 more: --page 2" in out
    code, out, _ = run_cli(capsys, "orders", "--limit", "2", "--page", "3")
    assert "Orders 5-5 of 5." in out and "more" not in out
    code, out, _ = run_cli(capsys, "orders", "--status", "void")
    assert out.strip() == "No orders."


def test_inventory_shape(capsys, store):
    for city in ("Berlin", "Hamburg", "Munich"):
        create_product(store, country_code="DE", country="Germany", city=city)
    create_product(store, country_code="US")
    store.close()
    data = run_json(capsys, "inventory", "--country", "de", "--page-size", "2")
    assert data["total"] == 3 and data["page"] == 1 and data["page_size"] == 2
    assert len(data["proxies"]) == 2
    assert set(data["proxies"][0]) == {
        "product_id",
        "proxy_id",
        "country",
        "country_code",
        "city",
        "region",
        "ISP",
        "type",
        "speed",
        "price",
        "status",
        "refund_rate",
        "refund_rate_basis",
    }
    code, out, _ = run_cli(capsys, "inventory", "--country", "DE")
    assert code == 0 and "Hamburg" in out and "of 3 matching" in out


def test_export_shape_and_owner_only_file(capsys, store, tmp_path, request):
    create_order(store, customer="alice")
    create_order(store, customer="bob")
    create_order(store, status="refunded", customer="alice")
    store.close()
    out_file = tmp_path / "alice.txt"
    data = run_json(
        capsys, "export", "--format", "txt", "--out", str(out_file), "--customer", "alice"
    )
    assert data == {"path": str(out_file), "count": 1, "skipped": []}
    assert stat.S_IMODE(os.stat(out_file).st_mode) == 0o600
    assert len(out_file.read_text().splitlines()) == 1
    since = run_json(
        capsys,
        "export",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "s.csv"),
        "--since",
        "2999-01-01",
    )
    assert since["count"] == 0


@pytest.mark.sqlite_only("the SQLite file's copy and restore; pg_dump's: tests/cli/test_cli_db.py")
def test_backup_and_restore(capsys, store, paths):
    keep = create_order(store)
    store.close()
    backup = run_json(capsys, "backup")
    assert set(backup) == {"status", "path"} and os.path.exists(backup["path"])
    assert stat.S_IMODE(os.stat(backup["path"]).st_mode) == 0o600

    in_use = FileLock(paths.data_lock, shared=True)  # what a running window holds
    in_use.acquire()
    try:
        code, _, err = run_cli(capsys, "restore", backup["path"])
        assert_one_line_error(err, code, 1)
        assert "close it first" in err
    finally:
        in_use.release()

    again = Store(paths.database, paths.backups_dir)
    again.open()
    create_order(again)
    again.close()
    restored = run_json(capsys, "restore", backup["path"])
    assert set(restored) == {"status", "restored_from", "database", "previous_backup"}
    assert restored["previous_backup"] and os.path.exists(restored["previous_backup"])
    orders = run_json(capsys, "orders")["orders"]
    assert [o["order_id"] for o in orders] == [keep.order_id]

    code, _, err = run_cli(capsys, "restore", str(paths.data_dir / "nope.sqlite3"))
    assert_one_line_error(err, code, 2)


# --- the token -----------------------------------------------------------------------------------


def test_token_set_status_clear_with_a_keyring(capsys, monkeypatch, memory_keyring):
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN + "\n"))
    code, out, err = run_cli(capsys, "token", "set")
    assert code == 0 and "keyring" in out
    assert TOKEN not in out + err
    assert memory_keyring.secrets[("proxyshop-desktop", "provider-api-token")] == TOKEN

    status = run_json(capsys, "token", "status")
    assert status == {
        "source": "keyring",
        "is_set": True,
        "backend": status["backend"],
        "keyring_usable": True,
    }
    assert TOKEN not in json.dumps(status)
    assert run_json(capsys, "token", "clear") == {"status": "success", "removed": True}
    assert run_json(capsys, "token", "status")["is_set"] is False
    assert run_json(capsys, "token", "clear")["removed"] is False


def test_token_from_the_environment_wins(capsys, monkeypatch):
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", TOKEN)
    status = run_json(capsys, "token", "status")
    assert status["source"] == "environment" and status["is_set"] is True


def test_empty_token_is_refused(capsys, monkeypatch, memory_keyring):
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    code, _, err = run_cli(capsys, "token", "set")
    assert_one_line_error(err, code, 1)
    assert memory_keyring.secrets == {}


def test_no_keyring_explains_the_environment_variable(capsys, monkeypatch):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO(TOKEN))
    code, _, err = run_cli(capsys, "token", "set")
    assert_one_line_error(err, code, 1)
    assert "EXTERNAL_SOCKS_API_TOKEN" in err and TOKEN not in err
    status = run_json(capsys, "token", "status")
    assert status["keyring_usable"] is False and status["is_set"] is False
    code, _, err = run_cli(capsys, "token", "clear")
    assert_one_line_error(err, code, 1)


# --- failures that are not the operator's --------------------------------------------------------


def test_a_bug_is_one_line_and_its_traceback_goes_to_the_log(capsys, monkeypatch, store, paths):
    store.close()

    async def broken(shop, args):
        raise RuntimeError("kaboom in the stats code")

    monkeypatch.setitem(commands.SHOP_COMMANDS, "stats", broken)
    code, _, err = run_cli(capsys, "stats")
    assert_one_line_error(err, code, 1)
    assert err.strip() == f"error: unexpected failure (RuntimeError); details in {paths.log_file}"
    assert "kaboom" not in err
    log_text = paths.log_file.read_text()
    assert "Traceback" in log_text and "kaboom in the stats code" in log_text
    assert stat.S_IMODE(os.stat(paths.log_file).st_mode) == 0o600


def test_interrupt_exits_130(capsys, monkeypatch, store):
    store.close()

    async def interrupted(shop, args):
        raise KeyboardInterrupt

    monkeypatch.setitem(commands.SHOP_COMMANDS, "stats", interrupted)
    code, _, err = run_cli(capsys, "stats")
    assert code == 130 and "Traceback" not in err


def test_unwritable_data_dir_is_a_clear_error(capsys, monkeypatch, tmp_path):
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("PROXYSHOP_DATA_DIR", str(blocker / "data"))
    code, _, err = run_cli(capsys, "stats")
    assert_one_line_error(err, code, 1)
    assert "PROXYSHOP_DATA_DIR" in err


# --- the window is launched lazily ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "demo"), [([], False), (["gui"], False), (["--demo"], True), (["gui", "--demo"], True)]
)
def test_no_command_opens_the_window(monkeypatch, argv, demo):
    calls = []
    fake = types.ModuleType("proxyshop_desktop.app")
    fake.run_gui = lambda demo, argv: calls.append((demo, argv)) or 7
    monkeypatch.setitem(sys.modules, "proxyshop_desktop.app", fake)
    assert main(argv) == 7
    assert calls == [(demo, ["proxyshop-desktop", *argv])]


def test_headless_commands_never_import_qt(tmp_path):
    code = (
        "import sys; from proxyshop_desktop.cli import main; "
        "rc = main(['stats', '--json']); "
        "assert rc == 0, rc; "
        "qt = [m for m in sys.modules if m.startswith('PySide6')]; "
        "assert not qt, qt"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("EXTERNAL_SOCKS_")}
    env["PROXYSHOP_DATA_DIR"] = str(tmp_path / "qtfree")
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total_sold"] == 0


def test_db_password_set_status_clear(capsys, monkeypatch, memory_keyring):
    monkeypatch.delenv("PGPASSWORD", raising=False)  # the PostgreSQL run's own: not this test's
    monkeypatch.setattr(sys, "stdin", io.StringIO("db pass word\n"))
    code, out, err = run_cli(capsys, "db-password", "set")
    assert code == 0 and "keyring" in out and "db pass word" not in out + err
    assert memory_keyring.secrets[("proxyshop-desktop", "database-password")] == "db pass word"
    assert run_json(capsys, "db-password", "status")["source"] == "keyring"
    monkeypatch.setenv("PGPASSWORD", "from-env")
    assert run_json(capsys, "db-password", "status")["source"] == "environment"
    assert run_json(capsys, "db-password", "clear") == {"status": "success", "removed": True}


def test_orders_carry_and_filter_by_the_operator(capsys, store):
    anna = create_order(store, operator="anna").order_id
    create_order(store, operator="boris")
    store.close()
    every = run_json(capsys, "orders")["orders"]
    assert sorted(o["operator"] for o in every) == ["anna", "boris"]
    only = run_json(capsys, "orders", "--operator", "anna")["orders"]
    assert [o["order_id"] for o in only] == [anna]


def test_an_unknown_status_lists_the_statuses_as_typed(capsys):
    code, _out, err = run_cli(capsys, "orders", "--status", "bogus")
    assert code == 2
    assert "'pending', 'sold', 'refunded', 'recovered', 'void', 'refund_unknown'" in err
    assert "OrderStatus" not in err
