"""`check ORDER_ID` keeps its evidence: a proxy_check row and an audit line per check, and
`export --with-check` shows the last one. Against the simulator's SOCKS5 gateway."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests.cli.cli_runs import run_cli

ON_BOTH_ENGINES = True


def test_each_check_is_stored_with_the_order(request: pytest.FixtureRequest, cli_orders: Any,
                                             capsys: pytest.CaptureFixture[str],
                                             tmp_path: Any) -> None:
    from proxyshop_desktop.models.tables import AuditEvent, ProxyCheck
    from proxyshop_desktop.operator import current_operator
    from tests.factories import shop_store

    good, dead = cli_orders["good"], cli_orders["dead"]
    assert run_cli(capsys, "check", good)[0] == 0
    assert run_cli(capsys, "check", dead)[0] == 1
    assert run_cli(capsys, "check", dead)[0] == 1
    paths = cli_orders["paths"]
    store = shop_store(paths)
    store.open()
    try:
        rows = store.run_blocking(lambda: list(ProxyCheck.select().order_by(ProxyCheck.id)))
        audits = store.run_blocking(
            lambda: list(AuditEvent.select().where(AuditEvent.kind == "check")))
    finally:
        store.close()
    assert [(r.order_id, r.outcome) for r in rows] == [
        (good, "works"), (dead, "unreachable"), (dead, "unreachable")]
    assert rows[0].exit_ip == cli_orders["purchases"][0]["proxy_ip"] and rows[0].latency_ms >= 0
    assert {r.operator for r in rows} == {current_operator()}
    assert [a.order_id for a in audits] == [good, dead, dead]
    password = cli_orders["purchases"][0]["password"]
    assert all(password not in a.message for a in audits)

    out = tmp_path / "sold.csv"
    code, _, err = run_cli(capsys, "export", "--format", "csv", "--out", str(out), "--with-check")
    assert code == 0, err
    table = {row[0]: row for row in csv.reader(io.StringIO(out.read_text()))}
    assert table["order"][-2:] == ["last_check", "last_check_at"]
    assert table[good][-2].startswith("works (") and table[dead][-2] == "unreachable"
