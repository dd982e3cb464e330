"""`check ORDER_ID`: exit codes, the JSON object, and no credential on screen or in the log file,
against the simulator's real SOCKS5 gateway (see tests/services/test_proxy_check.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.cli.cli_runs import run_cli

ON_BOTH_ENGINES = True


def test_check_command_exits_0_when_the_proxy_works(cli_orders: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", cli_orders["good"], "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"order_id", "outcome", "latency_ms", "exit_ip", "checked_at", "message"}
    assert data["order_id"] == cli_orders["good"] and data["outcome"] == "works"
    assert data["exit_ip"] == cli_orders["purchases"][0]["proxy_ip"]
    assert isinstance(data["latency_ms"], int)
    code, out, _ = run_cli(capsys, "check", cli_orders["good"])
    assert code == 0 and out.startswith(f"{cli_orders['good']}: works.")


def test_check_command_exits_1_when_it_does_not(cli_orders: Any,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "check", cli_orders["dead"], "--json")
    assert code == 1
    data = json.loads(out)
    assert data["outcome"] == "unreachable" and data["latency_ms"] is None
    code, out, _ = run_cli(capsys, "check", cli_orders["dead"])
    assert code == 1 and "unreachable" in out


def test_check_command_exits_2_for_an_unknown_order(cli_orders: Any,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "check", "ORD-NOSUCH")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "ORD-NOSUCH" in err


def test_check_command_never_prints_or_logs_the_credentials(
        cli_orders: Any, capsys: pytest.CaptureFixture[str]) -> None:
    printed = ""
    for order in ("good", "dead"):
        for argv in (("--json", "-v"), ("-v",)):
            code, out, err = run_cli(capsys, "check", cli_orders[order], *argv)
            assert code == (0 if order == "good" else 1)
            printed += out + err
    assert "proxy check of order" in printed  # -v: the log lines are on stderr too
    log_text = cli_orders["paths"].log_file.read_text(encoding="utf-8")
    assert "proxy check of order" in log_text
    for purchase in cli_orders["purchases"]:
        for secret in (purchase["username"], purchase["password"]):
            assert secret not in log_text and secret not in printed
