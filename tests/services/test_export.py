import asyncio
import csv
import errno
import io
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest

from proxyshop_desktop.errors import StorageError, UsageError
from proxyshop_desktop.services import export
from tests.factories import create_order, open_context

# the same orders give the same bytes on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture
def ctx(data_paths, engine):
    context = open_context(data_paths)
    yield context
    context.store.close()


def run(coro):
    return asyncio.run(coro)


def read_csv(path):
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8"), newline="")))


def test_csv_has_the_header_and_one_row_per_kept_sale(ctx, tmp_path):
    kept = create_order(ctx.store, status="sold", customer="alice", city="São Paulo")
    recovered = create_order(ctx.store, status="recovered", customer="bob")
    create_order(ctx.store, status="refunded")
    create_order(ctx.store, status="pending")
    create_order(ctx.store, status="void")
    out = tmp_path / "sold.csv"
    result = run(export.export_orders(ctx, "csv", out))
    assert result.count == 2 and result.path == out
    assert result.to_json() == {"path": str(out), "count": 2, "skipped": []}
    rows = read_csv(out)
    assert rows[0] == [
        "order",
        "customer",
        "ip",
        "port",
        "login",
        "password",
        "country",
        "city",
        "ISP",
        "purchased",
        "expires",
    ]
    assert {r[0] for r in rows[1:]} == {kept.order_id, recovered.order_id}
    first = next(r for r in rows if r[0] == kept.order_id)
    assert first[1:7] == [
        "alice",
        kept.server_ip,
        kept.port,
        kept.username,
        kept.password,
        "Germany",
    ]
    assert first[7] == "São Paulo"
    assert first[9] == kept.purchased_at.isoformat(timespec="seconds")


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r", "\n"])
def test_csv_neutralises_formula_cells(ctx, tmp_path, trigger):
    password = f'{trigger}HYPERLINK("http://evil")'
    customer = f"{trigger}cmd|' /C calc'!A0"
    create_order(ctx.store, password=password, customer=customer, city=f"{trigger}1+1")
    out = tmp_path / "x.csv"
    run(export.export_orders(ctx, "csv", out))
    raw = out.read_bytes().decode("utf-8")
    row = read_csv(out)[1]
    for cell in row:
        assert not cell.startswith(export.FORMULA_TRIGGERS), cell
    assert row[5] == "'" + password and row[1] == "'" + customer and row[7] == f"'{trigger}1+1"
    # every cell is quoted, so no cell of the raw file starts unquoted with a trigger
    assert f",\"'{trigger}" in raw


def test_txt_is_byte_exact(ctx, tmp_path):
    # the password is the last field: a reader splits at the first three ':', so it may hold ':'
    tricky = ['p:a,s"s=w', "=1+2", "-dash", "@at", 'quote"in', "ünï©ødé", "sp ace", "a::b:"]
    orders = [create_order(ctx.store, password=p, username=f"u{i}-x") for i, p in enumerate(tricky)]
    create_order(ctx.store, status="refunded", password="refunded-secret")
    out = tmp_path / "sold.txt"
    result = run(export.export_orders(ctx, "txt", out))
    assert result.count == len(tricky) and result.skipped == ()
    expected = b"".join(
        f"{o.server_ip}:{o.port}:{o.username}:{o.password}\n".encode() for o in orders
    )
    assert out.read_bytes() == expected
    assert b"refunded-secret" not in out.read_bytes()
    for line, order in zip(out.read_text("utf-8").splitlines(), orders, strict=True):
        assert line.split(":", 3) == [order.server_ip, order.port, order.username, order.password]


# Every character str.splitlines() breaks a line on (what most readers do), besides ":" where a
# reader would split a field.
LINE_BREAKS = ["\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
UNFIT = [
    ({"username": "lo:gin"}, "login contains ':'"),
    ({"server_ip": "2001:db8::1"}, "IPv6"),
    ({"port": "80:81"}, "port contains ':'"),
    ({"port": ""}, "missing"),
    ({"server_ip": None}, "missing"),
    *[({"password": f"pa{c}ss"}, "line break") for c in LINE_BREAKS],
    ({"username": "us\u2028er"}, "line break"),
]


def test_the_line_breaks_are_every_one_splitlines_knows():
    breaking = {chr(c) for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) > 1}
    assert breaking == set(LINE_BREAKS) == set(export.LINE_BREAKS)


@pytest.mark.parametrize(("fields", "why"), UNFIT)
def test_txt_leaves_out_and_names_credentials_that_would_read_back_different(
    ctx, tmp_path, fields, why
):
    good = create_order(ctx.store)
    bad = create_order(ctx.store, **fields)
    after = create_order(ctx.store)
    out = tmp_path / "sold.txt"
    result = run(export.export_orders(ctx, "txt", out))
    assert result.count == 2
    assert [s.order_id for s in result.skipped] == [bad.order_id]
    assert why in result.skipped[0].reason
    data = out.read_text("utf-8")
    assert data.splitlines() == [
        f"{o.server_ip}:{o.port}:{o.username}:{o.password}" for o in (good, after)
    ]
    assert result.to_json()["skipped"] == [{"order_id": bad.order_id, "reason": result.skipped[0].reason}]
    # CSV carries it exactly (quoted); TXT named it so the operator knows to use CSV
    csv_result = run(export.export_orders(ctx, "csv", tmp_path / "ok.csv"))
    assert csv_result.count == 3 and csv_result.skipped == ()
    row = next(r for r in read_csv(tmp_path / "ok.csv") if r[0] == bad.order_id)
    column = {"username": 4, "server_ip": 2, "port": 3, "password": 5}[next(iter(fields))]
    assert row[column] == (next(iter(fields.values())) or "")


def test_txt_problem_is_the_one_rule():
    assert export.txt_problem("203.0.113.9", "1080", "user", "p:a ss") is None
    assert "login contains ':'" in export.txt_problem("203.0.113.9", "1080", "u:ser", "pw")
    assert "IPv6" in export.txt_problem("2001:db8::1", "1080", "user", "pw")
    assert "line break" in export.txt_problem("203.0.113.9", "1080", "user", "p\x85w")


def test_filters_customer_since_and_selection(ctx, tmp_path):
    now = datetime.now(UTC)
    old = create_order(ctx.store, customer="alice", purchased_at=now - timedelta(days=3))
    new = create_order(ctx.store, customer="alice", purchased_at=now - timedelta(hours=1))
    other = create_order(ctx.store, customer="alice2", purchased_at=now - timedelta(hours=1))
    refunded = create_order(ctx.store, status="refunded", customer="alice")
    out = tmp_path / "f.csv"

    def ids(**kwargs):
        run(export.export_orders(ctx, "csv", out, **kwargs))
        return [r[0] for r in read_csv(out)[1:]]

    assert ids(customer="alice") == [old.order_id, new.order_id]  # exact match, oldest first
    assert ids(since=now - timedelta(days=1)) == sorted([new.order_id, other.order_id])
    assert ids(since=(now - timedelta(days=1)).replace(tzinfo=None)) == sorted(
        [new.order_id, other.order_id]
    )
    assert ids(order_ids=[old.order_id, refunded.order_id, "ORD-NOPE"]) == [old.order_id]
    assert ids(order_ids=[]) == []


def test_export_file_is_owner_only_and_replaces_atomically(ctx, tmp_path):
    create_order(ctx.store)
    out = tmp_path / "sold.txt"
    out.write_text("old content")
    os.chmod(out, 0o644)
    run(export.export_orders(ctx, "txt", out))
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "old content" not in out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []


def test_bad_format_and_missing_folder_are_usage_errors(ctx, tmp_path):
    with pytest.raises(UsageError, match="format"):
        run(export.export_orders(ctx, "xlsx", tmp_path / "x.xlsx"))
    missing = tmp_path / "nope" / "x.csv"
    with pytest.raises(UsageError, match=r"The folder .*nope does not exist"):
        run(export.export_orders(ctx, "csv", missing))
    with pytest.raises(UsageError, match="is a folder"):
        run(export.export_orders(ctx, "csv", tmp_path))


def test_disk_full_leaves_nothing_behind(ctx, tmp_path, monkeypatch):
    create_order(ctx.store)
    out = tmp_path / "exports" / "sold.csv"
    out.parent.mkdir()
    previous = b"previous export\n"
    out.write_bytes(previous)

    def full_disk(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(StorageError) as err:
        run(export.export_orders(ctx, "csv", out))
    monkeypatch.undo()
    assert str(out) in err.value.message and "No space left" in err.value.message
    assert out.read_bytes() == previous  # the old file is untouched, not half-replaced
    assert [p.name for p in out.parent.iterdir()] == ["sold.csv"]  # no temp file left

    fresh = tmp_path / "exports" / "fresh.csv"
    monkeypatch.setattr(os, "write", full_disk)
    with pytest.raises(StorageError):
        run(export.export_orders(ctx, "txt", fresh))
    monkeypatch.undo()
    assert not fresh.exists()
    assert [p.name for p in out.parent.iterdir()] == ["sold.csv"]


def test_unwritable_folder_is_a_storage_error(ctx, tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    if os.geteuid() == 0:  # root writes anywhere: refuse the open the way the kernel would
        real_open = os.open

        def denied(path, flags, mode=0o777, **kw):
            if str(path).startswith(str(folder)):
                raise PermissionError(errno.EACCES, "Permission denied")
            return real_open(path, flags, mode, **kw)

        monkeypatch.setattr(os, "open", denied)
    with pytest.raises(StorageError, match="Cannot write .*Permission denied"):
        run(export.export_orders(ctx, "csv", folder / "x.csv"))


def test_export_is_in_the_audit_trail(ctx, tmp_path):
    from proxyshop_desktop.services import audit

    create_order(ctx.store, password="s3cret-pw")
    run(export.export_orders(ctx, "csv", tmp_path / "a.csv"))
    events = ctx.store.run_blocking(audit.recent, 10, "export")
    assert len(events) == 1 and "1 sold orders" in events[0].message
    assert "s3cret-pw" not in events[0].message


def test_a_killed_exports_leftover_temp_file_is_removed_by_the_next_export(ctx, tmp_path):
    """A temp file left by an export killed mid-write holds credentials: the next export to the
    same file removes it once it is clearly stale (an hour), never a live export's temp file."""
    import time

    create_order(ctx.store, status="sold", customer="ann")
    out = tmp_path / "sold.csv"
    stale, live = tmp_path / ".sold.csv.0badf00d.tmp", tmp_path / ".sold.csv.c0ffee00.tmp"
    other = tmp_path / ".other.csv.0badf00d.tmp"
    for leftover in (stale, live, other):
        leftover.write_text("login,password\n")
    an_hour_ago = time.time() - 3700
    for old in (stale, other):
        os.utime(old, (an_hour_ago, an_hour_ago))

    run(export.export_orders(ctx, "csv", out))

    assert out.exists() and not stale.exists()
    assert live.exists() and other.exists()  # a live export's file; another export's file


def test_a_sale_with_txt_unfit_credentials_is_recorded_exactly(sim, make_shop, monkeypatch, tmp_path):
    """The shop paid for it: the sale is recorded byte-exact, TXT leaves it out, CSV carries it."""
    from proxyshop_desktop.simulator import DEMO_TOKEN, provider

    hostile = {"server_ip": "2001:db8::7", "username": "lo:gin", "password": "pa\u2028ss\x0b"}
    real_buy = provider.SimulatedProvider.buy

    def buy(self, proxy_id):
        answer = real_buy(self, proxy_id)
        self._purchases[answer["credentials_id"]].update(hostile)
        return {**answer, **hostile}

    monkeypatch.setattr(provider.SimulatedProvider, "buy", buy)
    shop = make_shop(api_url=sim.base_url, token=DEMO_TOKEN, sync_page_size=100)

    async def scenario():
        await shop.sync()
        from proxyshop_desktop.services.results import InventoryQuery

        product = (await shop.inventory(InventoryQuery(page=1, page_size=1))).rows[0]
        order = await shop.sell(product.product_id, "carol")
        txt = await shop.export("txt", tmp_path / "s.txt")
        csv_result = await shop.export("csv", tmp_path / "s.csv")
        return order, txt, csv_result

    order, txt, csv_result = run(scenario())
    assert order.status == "sold"
    c = order.credentials
    assert (c.ip, c.login, c.password) == ("2001:db8::7", "lo:gin", "pa\u2028ss\x0b")
    assert txt.count == 0 and [s.order_id for s in txt.skipped] == [order.order_id]
    assert (tmp_path / "s.txt").read_bytes() == b""
    assert csv_result.count == 1
    row = read_csv(tmp_path / "s.csv")[1]
    assert row[2] == "2001:db8::7" and row[4] == "lo:gin" and row[5] == "pa\u2028ss\x0b"


# --- streaming (issue 9 #3) ----------------------------------------------------------------------


def test_rows_are_streamed_in_chunks_with_progress(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_ROWS", 3)
    now = datetime.now(UTC)
    orders = [create_order(ctx.store, purchased_at=now - timedelta(hours=10 - i)) for i in range(7)]
    create_order(ctx.store, status="refunded")
    seen = []
    result = run(export.export_orders(ctx, "csv", tmp_path / "s.csv", progress=lambda *a: seen.append(a)))
    assert result.count == 7
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert [r[0] for r in read_csv(tmp_path / "s.csv")[1:]] == [o.order_id for o in orders]
    exactly_a_chunk = [(3, 3), (3, 3)]  # a full last chunk, then an empty read
    seen.clear()
    run(export.export_orders(ctx, "txt", tmp_path / "s.txt", order_ids=[o.order_id for o in orders[:3]],
                             progress=lambda *a: seen.append(a)))
    assert seen == exactly_a_chunk
    assert len((tmp_path / "s.txt").read_text().splitlines()) == 3


def test_a_large_selection_is_exported_whole(ctx, tmp_path, monkeypatch):
    """More ids than one statement may carry as parameters (the whole Sales list, say)."""
    monkeypatch.setattr(export, "MAX_IN_PARAMS", 10)
    now = datetime.now(UTC)
    kept = [create_order(ctx.store, purchased_at=now - timedelta(minutes=100 - i)) for i in range(25)]
    refunded = create_order(ctx.store, status="refunded")
    left_out = create_order(ctx.store)
    ids = [o.order_id for o in reversed(kept)] + [refunded.order_id, "ORD-NOPE", kept[0].order_id]
    run(export.export_orders(ctx, "csv", tmp_path / "s.csv", order_ids=ids))
    assert [r[0] for r in read_csv(tmp_path / "s.csv")[1:]] == [o.order_id for o in kept]
    # a second, smaller large selection replaces the first
    run(export.export_orders(ctx, "csv", tmp_path / "s.csv", order_ids=ids[:12]))
    assert len(read_csv(tmp_path / "s.csv")) == 13 and left_out.order_id not in (tmp_path / "s.csv").read_text()


def test_cancel_leaves_no_file_and_the_old_one_untouched(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    for _ in range(9):
        create_order(ctx.store)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "s.csv"
    out.write_bytes(b"the earlier export\n")
    fresh = folder / "fresh.txt"

    async def cancelled_after_first_chunk(target):
        task = None

        def progress(done, total):
            assert total == 9
            task.cancel()  # the operator pressed Cancel

        task = asyncio.ensure_future(export.export_orders(ctx, "csv", target, progress=progress))
        with pytest.raises(asyncio.CancelledError):
            await task

    run(cancelled_after_first_chunk(out))
    run(cancelled_after_first_chunk(fresh))
    assert out.read_bytes() == b"the earlier export\n"
    assert not fresh.exists()
    assert sorted(p.name for p in folder.iterdir()) == ["s.csv"]  # no temp file left
    from proxyshop_desktop.services import audit

    assert ctx.store.run_blocking(audit.recent, 10, "export") == []  # nothing was exported


def test_a_write_failing_mid_export_removes_the_temp_file(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "CHUNK_ROWS", 2)
    for _ in range(5):
        create_order(ctx.store)
    writes = []
    real_write = os.write

    def fails_on_the_third(fd, data):
        writes.append(len(data))
        if len(writes) == 3:
            raise OSError(errno.EIO, "Input/output error")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", fails_on_the_third)
    folder = tmp_path / "exports"
    folder.mkdir()
    with pytest.raises(StorageError, match="Input/output error"):
        run(export.export_orders(ctx, "csv", folder / "s.csv"))
    monkeypatch.undo()
    assert len(writes) == 3 and list(folder.iterdir()) == []


def test_times_in_another_stored_shape_are_shown_the_same_way(ctx, tmp_path):
    """SQLite converts the usual stored shape; any other one goes through clock.iso."""
    usual = create_order(ctx.store, purchased_at=datetime(2025, 3, 4, 5, 6, 7, 891, tzinfo=UTC))
    odd = create_order(ctx.store, expires_at=None)
    from proxyshop_desktop.models.tables import Order

    ctx.store.run_blocking(  # written by hand or an older version: a valid time, another shape
        lambda: Order.update(purchased_at="2025-03-04T07:06:08+02:00")
        .where(Order.id == odd.id)
        .execute()
    )
    run(export.export_orders(ctx, "csv", tmp_path / "t.csv"))
    rows = {r[0]: r for r in read_csv(tmp_path / "t.csv")[1:]}
    assert rows[usual.order_id][9:] == ["2025-03-04T05:06:07+00:00", "2025-04-03T05:06:07+00:00"]
    assert rows[odd.order_id][9:] == ["2025-03-04T05:06:08+00:00", ""]


def test_the_odd_time_marker_in_a_cell_does_not_disturb_the_times(ctx, tmp_path, engine):
    # the marker itself, and a NUL where the engine can store one (PostgreSQL's text cannot)
    odd = "a" + export._ODD_TIME + "b" + ("\x00c" if engine == "sqlite" else "")
    order = create_order(ctx.store, customer=odd, city=export._ODD_TIME,
                         purchased_at=datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC))
    run(export.export_orders(ctx, "csv", tmp_path / "n.csv"))
    row = read_csv(tmp_path / "n.csv")[1]
    assert row[0] == order.order_id and row[1] == odd and row[7] == export._ODD_TIME
    assert row[9:] == ["2025-03-04T05:06:07+00:00", "2025-04-03T05:06:07+00:00"]


def test_the_csv_is_what_csv_writer_writes(ctx, tmp_path, engine):
    """The rows are rendered by hand for speed: byte for byte csv.writer's QUOTE_ALL output."""
    cells = ['a"b', '""', "", "x,y", "line\nbreak", "cr\r\nlf", "ü€😀", "'quoted'", "\x01soh", " sp "]
    if engine == "sqlite":  # PostgreSQL's text cannot hold a NUL
        cells.append("\x00nul")
    for i, value in enumerate(cells):
        create_order(ctx.store, customer=value, password=value + str(i), city=value, isp=value or None)
    out = tmp_path / "w.csv"
    run(export.export_orders(ctx, "csv", out))
    parsed = read_csv(out)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(parsed)
    assert out.read_bytes() == buffer.getvalue().encode("utf-8")
    assert [r[1] for r in parsed[1:]] == cells
