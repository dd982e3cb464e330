"""Stored proxy checks: the evidence rows, the audit line, the newest check per order, the export."""

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta

import pytest

from proxyshop_desktop.models.tables import AuditEvent
from proxyshop_desktop.operator import current_operator
from proxyshop_desktop.services import check_evidence, export
from proxyshop_desktop.services.proxy_check import CheckOutcome, ProxyCheckResult
from tests.factories import create_order, open_context

ON_BOTH_ENGINES = True

T = datetime(2026, 3, 1, 12, tzinfo=UTC)


@pytest.fixture
def ctx(data_paths, engine):
    context = open_context(data_paths)
    yield context
    context.store.close()


def result(order_id, outcome, at, latency=None, exit_ip=None):
    return ProxyCheckResult(outcome, latency, exit_ip, at, f"{outcome.value} message", order_id)


def test_record_stores_the_check_and_an_audit_line(ctx):
    order = create_order(ctx.store, password="s3cret-pw")
    stored = ctx.store.run_blocking(
        check_evidence.record, result(order.order_id, CheckOutcome.UNREACHABLE, T),
        "alice@desk", context="before a refund")
    assert stored.operator == "alice@desk" and stored.outcome is CheckOutcome.UNREACHABLE
    events = ctx.store.run_blocking(lambda: list(AuditEvent.select().where(AuditEvent.kind == "check")))
    assert len(events) == 1 and events[0].order_id == order.order_id and events[0].ok is False
    assert "before a refund by alice@desk: unreachable" in events[0].message
    assert "s3cret-pw" not in events[0].message


def test_checks_newest_first_and_last_check_per_order(ctx):
    a, b = create_order(ctx.store), create_order(ctx.store)
    record = ctx.store.run_blocking
    record(check_evidence.record, result(a.order_id, CheckOutcome.TIMED_OUT, T), "op@h")
    record(check_evidence.record,
           result(a.order_id, CheckOutcome.WORKS, T + timedelta(minutes=5), 212, "198.51.100.7"), "op@h")
    history = record(check_evidence.checks_of, a.order_id)
    assert [c.outcome for c in history] == [CheckOutcome.WORKS, CheckOutcome.TIMED_OUT]
    last = record(check_evidence.last_checks, [a.order_id, b.order_id])
    assert set(last) == {a.order_id}
    assert last[a.order_id].summary() == "works (212 ms, exit 198.51.100.7)"
    assert history[1].summary() == "timed out"


def test_export_with_check_adds_two_csv_columns_and_leaves_txt_alone(ctx, tmp_path, request):
    a, b = create_order(ctx.store, purchased_at=T), create_order(ctx.store, purchased_at=T)
    ctx.store.run_blocking(check_evidence.record,
                           result(a.order_id, CheckOutcome.LOGIN_REFUSED, T), "op@h")
    out = tmp_path / "sold.csv"
    asyncio.run(export.export_orders(ctx, "csv", out, with_check=True))
    rows = list(csv.reader(io.StringIO(out.read_text())))
    assert rows[0][-2:] == ["last_check", "last_check_at"] and len(rows[0]) == 13
    assert rows[1][0] == a.order_id and rows[1][-2:] == ["refuses the login", "2026-03-01T12:00:00+00:00"]
    assert rows[2][0] == b.order_id and rows[2][-2:] == ["", ""]
    plain = tmp_path / "plain.csv"
    asyncio.run(export.export_orders(ctx, "csv", plain))
    assert "last_check" not in plain.read_text()
    txt, txt_checked = tmp_path / "a.txt", tmp_path / "b.txt"
    asyncio.run(export.export_orders(ctx, "txt", txt))
    asyncio.run(export.export_orders(ctx, "txt", txt_checked, with_check=True))
    assert txt.read_bytes() == txt_checked.read_bytes()


def test_operator_is_user_at_host():
    user, _, host = current_operator().partition("@")
    assert user and host
