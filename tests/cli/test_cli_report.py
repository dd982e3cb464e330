"""`report --by X [--since] [--format]`: JSON shape, CSV, table, and bad arguments."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import shutdown_logging
from proxyshop_desktop.paths import AppPaths
from tests.factories import create_order, shop_store

ON_BOTH_ENGINES = True

MARCH = datetime(2026, 3, 1, 12, tzinfo=UTC)
APRIL = datetime(2026, 4, 1, 12, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _close_log_file():
    yield
    shutdown_logging()


@pytest.fixture
def sales():
    """US: 2 sold (2.00, cost 1.00) in March, 1 refunded in April; FR: 1 refund_unknown in April."""
    paths = AppPaths.from_env()
    paths.ensure()
    store = shop_store(paths)
    store.open()
    create_order(store, status="sold", country_code="US", purchased_at=MARCH)
    create_order(store, status="sold", country_code="US", purchased_at=MARCH)
    create_order(store, status="refunded", country_code="US", purchased_at=APRIL)
    create_order(store, status="refund_unknown", country_code="FR", purchased_at=APRIL)
    store.close()


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_report_json_shape(capsys, sales):
    code, out, err = run(capsys, "report", "--by", "country", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["by"] == "country" and data["since"] is None
    assert data["rows"] == [
        {"key": "FR", "sold": 1, "refunded": 0, "refund_rate": "0.0000", "revenue": "2.00",
         "cost": "1.00", "profit": "1.00"},
        {"key": "US", "sold": 3, "refunded": 1, "refund_rate": "0.3333", "revenue": "4.00",
         "cost": "2.00", "profit": "2.00"},
    ]
    assert data["total"] == {"sold": 4, "refunded": 1, "refund_rate": "0.2500", "revenue": "6.00",
                             "cost": "3.00", "profit": "3.00", "margin": "0.5000"}
    code, same, _ = run(capsys, "report", "--by", "country", "--format", "json")
    assert code == 0 and json.loads(same) == data


def test_report_since_and_csv(capsys, sales):
    code, out, err = run(capsys, "report", "--by", "day", "--since", "2026-03-15", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["day", "sold", "refunded", "refund_rate", "revenue", "cost", "profit"]
    assert rows[1] == ["2026-04-01", "2", "1", "0.5000", "2.00", "1.00", "1.00"]
    assert rows[2][0] == "TOTAL" and rows[2][1:3] == ["2", "1"]
    assert len(rows) == 3


def test_report_table(capsys, sales):
    code, out, _ = run(capsys, "report", "--by", "type")
    assert code == 0
    assert out.splitlines()[0].split() == ["TYPE", "SOLD", "REFUNDED", "REFUND", "RATE",
                                           "REVENUE", "COST", "PROFIT"]
    assert "residential" in out and "TOTAL" in out and "25.0%" in out and "$6.00" in out
    assert "Margin: 50.0% of revenue." in out


@pytest.mark.parametrize("argv", [["report"], ["report", "--by", "customer"],
                                  ["report", "--by", "day", "--since", "yesterday"],
                                  ["report", "--by", "isp", "--format", "xml"]])
def test_report_bad_arguments_are_usage_errors(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == 2 and err.startswith("error: ")


def test_report_without_sales(capsys):
    code, out, _ = run(capsys, "report", "--by", "isp")
    assert code == 0 and "No sales yet." in out


def test_inventory_max_refund_rate(capsys):
    from tests.factories import create_product

    paths = AppPaths.from_env()
    paths.ensure()
    store = shop_store(paths)
    store.open()
    for i in range(20):
        create_order(store, status="refunded" if i < 8 else "sold", isp="Flaky")
    create_product(store, country_code="DE", isp="Flaky")
    create_product(store, country_code="DE", isp="Solid")
    store.close()
    code, out, _ = run(capsys, "inventory", "--json")
    rates = {p["ISP"]: p["refund_rate"] for p in json.loads(out)["proxies"]}
    assert rates == {"Flaky": "0.4000", "Solid": "0.4000"}  # Solid: too few sales, DE's rate
    code, out, _ = run(capsys, "inventory", "--max-refund-rate", "30%", "--json")
    assert code == 0 and json.loads(out)["proxies"] == []
    code, out, _ = run(capsys, "inventory")
    assert "REFUNDED" in out and "40.0%" in out
    assert run(capsys, "inventory", "--max-refund-rate", "150")[0] == 2
