"""Export sold credentials as CSV (for spreadsheets) or TXT (`ip:port:login:password` lines).

Only sales the customer still has are exported: sold and recovered orders, never refunded,
pending or void ones. Files are owner-only (0600) and appear complete or not at all
(services/export_file.py).

Rows are streamed: one SELECT's cursor is read CHUNK_ROWS at a time on the DB thread, each chunk
rendered and appended to the temp file there, so memory stays flat whatever the history's size,
and other DB work (the window's refreshes, a sale) runs between chunks. On PostgreSQL the cursor
is a server-side one on a connection of its own (models/engine.py: SnapshotReader); the same SQL
renders the cells on both engines, so the same orders give the same bytes. Between chunks the caller
hears the progress; cancelling the task removes the temp file and leaves the target untouched.

CSV cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection).
TXT keeps every credential byte-exact, so it leaves out (and names, in `skipped`) a sale whose
credentials would read back as different ones (`txt_problem`): the sale stays recorded, CSV has it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from peewee import SQL, Case, Value, fn

from proxyshop_desktop.clock import iso
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import Text, joined_list, plain, translate
from proxyshop_desktop.models import engine
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import audit, check_evidence
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.export_file import AtomicFile
from proxyshop_desktop.services.results import Credentials, ExportResult, SkippedExport
from proxyshop_desktop.vocabulary import KEPT

log = logging.getLogger(__name__)

FORMATS = ("csv", "txt")
CSV_HEADER = (
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
)
CHECK_HEADER = ("last_check", "last_check_at")
# A cell starting with one of these may run as a formula in a spreadsheet (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: every character str.splitlines() ends a line at: most readers of a TXT file split on them
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

CHUNK_ROWS = 5000
#: a selection larger than this goes through a temp table, not `IN (?, ?, …)` parameters
MAX_IN_PARAMS = 500
#: the left-out sales named in a result (the count is always exact); keeps memory flat
MAX_NAMED_SKIPPED = 1000

#: progress(orders done, orders in all), called on the caller's loop between chunks
Progress = Callable[[int, int], None]
# The SELECT's columns, in CSV order (the last two are stored times). TXT reads them raw.
_COLUMNS = (
    Order.order_id,
    Order.customer,
    Order.server_ip,
    Order.port,
    Order.username,
    Order.password,
    Order.country,
    Order.city,
    Order.isp,
    Order.purchased_at,
    Order.expires_at,
)
_STORED_TIME_LEN = 32  # models/fields.py: 'YYYY-MM-DDTHH:MM:SS.ffffff+00:00'
# marks a time the SQL left for Python; never part of a stored time. Not NUL: PostgreSQL's text
# cannot hold one.
_ODD_TIME = "\x01"


class _Rows(Protocol):
    """An open cursor over the rows to export (sqlite3's, or engine.SnapshotReader)."""

    def fetchmany(self, size: int) -> list[Any]: ...

    def close(self) -> None: ...


def _csv_cell(column: Any) -> Any:
    """The CSV cell computed by the database: '' for NULL, and a cell starting with one of
    FORMULA_TRIGGERS prefixed with `'` so a spreadsheet shows it as text. A million rows then go
    from the cursor to csv.writer untouched."""
    starts_a_formula = fn.SUBSTR(column, 1, 1).in_(list(FORMULA_TRIGGERS))
    return Case(None, [(starts_a_formula, Value("'").concat(column))], fn.COALESCE(column, ""))


def _csv_time(column: Any) -> Any:
    """A stored time as `clock.iso` shows it, by the database for the stored shape; any other
    shape comes through as stored behind `_ODD_TIME`, and `_fix_times` converts it."""
    stored_shape = (
        (fn.LENGTH(column) == _STORED_TIME_LEN)
        & (fn.SUBSTR(column, 20, 1) == ".")
        & (fn.SUBSTR(column, 27) == "+00:00")
    )
    return Case(
        None,
        [
            (stored_shape, fn.SUBSTR(column, 1, 19).concat("+00:00")),
            (column.is_null(), ""),
        ],
        Value(_ODD_TIME).concat(column),
    )


_CSV_COLUMNS = tuple(_csv_cell(c) for c in _COLUMNS[:9]) + tuple(_csv_time(c) for c in _COLUMNS[9:])


async def export_orders(
    ctx: ShopContext,
    fmt: str,
    out: Path,
    *,
    customer: str | None = None,
    since: datetime | None = None,
    order_ids: Sequence[str] | None = None,
    progress: Progress | None = None,
    with_check: bool = False,
) -> ExportResult:
    """`with_check` adds the last proxy check to CSV (columns last_check, last_check_at); TXT
    lines stay `ip:port:login:password`, whatever it says."""
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise UsageError(translate("errors", "Unknown export format {0}.").format(repr(fmt)),
                         translate("errors", "Use csv or txt."))
    out = check_destination(out)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    ids = None if order_ids is None else list(dict.fromkeys(order_ids))
    target = AtomicFile(out)
    store = ctx.store
    total, cursor = await store.run(_open_cursor, fmt, customer, since, ids, progress is not None)
    tally = _Tally()
    try:
        await store.run(target.open)
        if fmt == "csv":
            header = CSV_HEADER + (CHECK_HEADER if with_check else ())
            await store.run(target.write, _csv_bytes([header]))
        while True:
            more = await store.run(_write_chunk, cursor, fmt, target, tally, with_check)
            if progress is not None:
                progress(tally.done, max(total, tally.done))
            if not more:
                break
        await store.run(target.commit)
    except BaseException:
        # Queued behind any chunk still running on the DB thread (one worker): the temp file is
        # closed and removed after the last write, even when this task is being cancelled.
        await asyncio.shield(store.run(_abandon, cursor, target))
        raise
    await store.run(cursor.close)
    count = tally.done - tally.skipped_count
    summary = export_summary(count, fmt, out, tally.skipped, tally.skipped_count)
    await store.run(audit.record, "export", summary)
    log.info("exported %d orders as %s to %s (%d left out)", count, fmt, out, tally.skipped_count)
    return ExportResult(
        path=out, count=count, skipped=tuple(tally.skipped), skipped_count=tally.skipped_count
    )


def export_summary(
    count: int, fmt: str, out: Path, skipped: Sequence[SkippedExport], skipped_count: int
) -> str:
    text = f"Exported {count} sold orders as {fmt.upper()} to {out}."
    if skipped_count:
        text += " " + skipped_text(skipped, skipped_count)
    return text


def skipped_text(skipped: Sequence[SkippedExport], count: int | None = None, shown: int = 5) -> str:
    """'N sales left out of the TXT: ORD-1 (why), … Export as CSV' (CLI, window and audit)."""
    return str(skipped_message(skipped, count, shown))


def skipped_message(skipped: Sequence[SkippedExport], count: int | None = None, shown: int = 5) -> Text:
    """skipped_text, translatable (the reasons too)."""
    count = len(skipped) if count is None else count
    names = joined_list([translate("export", "{0} ({1})").format(s.order_id, _REASON_TEXTS.get(s.reason, s.reason))
                         for s in skipped[:shown]])
    more = (translate("export", " and {0} more").format(count - min(shown, len(skipped))) if count > shown
            else plain(""))
    return translate(
        "export", "{0} sales left out of the TXT: {1}{2}; their credentials cannot be "
        "written as ip:port:login:password. Export as CSV to have them.").format(count, names, more)


def txt_unfit(credentials: Credentials) -> bool:
    """For the window's warning on a sale: would a TXT export leave it out?"""
    c = credentials
    return txt_problem(c.ip, c.port, c.login, c.password) is not None


def txt_problem(
    ip: str | None, port: str | None, login: str | None, password: str | None
) -> str | None:
    """Why these credentials cannot be one `ip:port:login:password` line that reads back as the
    same credentials, or None when they can. The one rule (the window's warning asks it too).
    The password is the last field: a reader splits at the first three ':', so it may hold ':'."""
    if not ip or not port:
        return str(_NO_ADDRESS)
    if ":" in ip:
        return str(_IPV6)
    if ":" in port:
        return str(_COLON_PORT)
    if login and ":" in login:
        return str(_COLON_LOGIN)
    if any(not LINE_BREAKS.isdisjoint(part or "") for part in (ip, port, login, password)):
        return str(_LINE_BREAK)
    return None


# txt_problem's reasons: English in the file's JSON and audit, translated where shown
_NO_ADDRESS = translate("export", "the ip or port is missing")
_IPV6 = translate("export", "the ip contains ':' (an IPv6 address)")
_COLON_PORT = translate("export", "the port contains ':'")
_COLON_LOGIN = translate("export", "the login contains ':'")
_LINE_BREAK = translate("export", "a credential contains a line break")
_REASON_TEXTS: dict[str, Text] = {str(t): t for t in (_NO_ADDRESS, _IPV6, _COLON_PORT, _COLON_LOGIN, _LINE_BREAK)}


def check_destination(out: Path) -> Path:
    """An absolute path whose folder exists; a UsageError that names the problem otherwise."""
    out = Path(out).expanduser().absolute()
    if not out.parent.is_dir():
        raise UsageError(
            translate("errors", "The folder {0} does not exist.").format(out.parent),
            translate("errors", "Create it first or choose another path."),
        )
    if out.is_dir():
        raise UsageError(translate("errors", "{0} is a folder.").format(out),
                         translate("errors", "Give the path of the file to write."))
    return out


# --- on the DB thread ----------------------------------------------------------------------------


class _Tally:
    def __init__(self) -> None:
        self.done = 0  # rows read
        self.skipped_count = 0
        self.skipped: list[SkippedExport] = []  # the first MAX_NAMED_SKIPPED of them


def _open_cursor(
    fmt: str,
    customer: str | None,
    since: datetime | None,
    order_ids: list[str] | None,
    counted: bool,
) -> tuple[int, _Rows]:
    """The row count (when progress is shown; 0 otherwise: it costs a scan) and an open cursor
    over the orders to export, oldest first."""
    columns = _CSV_COLUMNS if fmt == "csv" else _COLUMNS
    query = Order.select(*columns).where(Order.status.in_(KEPT))
    if customer is not None:
        query = query.where(Order.customer == customer)
    if since is not None:
        query = query.where(Order.purchased_at >= db_time(since))
    db = Order._meta.database
    if order_ids is not None and engine.is_postgres(db):  # one array parameter, whatever its size
        query = query.where(Order.order_id == fn.ANY(Value(order_ids, converter=False, unpack=False)))
    elif order_ids is not None:
        query = query.where(Order.order_id.in_(_selection(order_ids)))
    total = query.count() if counted else 0
    query = query.order_by(Order.purchased_at, Order.id)
    if engine.is_postgres(db):
        sql, params = query.sql()
        return total, engine.SnapshotReader(db, sql, params, CHUNK_ROWS)
    return total, db.execute(query)


def _selection(order_ids: list[str]) -> Any:
    """SQLite: a small selection as parameters; a large one (the whole Sales list, say) as a temp
    table, since SQLite caps the parameters of one statement."""
    if len(order_ids) <= MAX_IN_PARAMS:
        return order_ids
    db = Order._meta.database
    db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS export_selection (order_id TEXT PRIMARY KEY)")
    with db.atomic():
        db.execute_sql("DELETE FROM temp.export_selection")
        db.connection().executemany(
            "INSERT OR IGNORE INTO temp.export_selection VALUES (?)", ((i,) for i in order_ids)
        )
    return SQL("(SELECT order_id FROM temp.export_selection)")


def _write_chunk(
    cursor: _Rows, fmt: str, target: AtomicFile, tally: _Tally, with_check: bool = False
) -> bool:
    """Read, render and append the next chunk; False once the cursor is exhausted."""
    rows = cursor.fetchmany(CHUNK_ROWS)
    if rows:
        tally.done += len(rows)
        if fmt == "csv":
            target.write(_csv_chunk(_with_last_check(rows) if with_check else rows))
        else:
            target.write(_txt_bytes(rows, tally))
    return len(rows) == CHUNK_ROWS


def _with_last_check(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The chunk's rows with the newest stored proxy check of each order (one query per chunk,
    so memory stays flat): its summary ("works (212 ms)") and time, or two empty cells."""
    last = check_evidence.last_checks([row[0] for row in rows])
    out = []
    for row in rows:
        seen = last.get(row[0])
        if seen is None:
            out.append((*row, "", ""))
        else:
            summary = seen.summary()
            guarded = "'" + summary if summary.startswith(FORMULA_TRIGGERS) else summary
            out.append((*row, guarded, iso(seen.checked_at) or ""))
    return out


def _abandon(cursor: _Rows, target: AtomicFile) -> None:
    target.abort()
    with contextlib.suppress(sqlite3.Error):
        cursor.close()


def _csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    """What csv.writer(quoting=QUOTE_ALL, lineterminator="\\r\\n") writes, byte for byte (tested):
    every cell quoted, quotes doubled. Written out because csv.writer took two thirds of the
    rendering time of a million rows, this a fifth."""
    return "".join(
        [
            '"' + '","'.join([c.replace('"', '""') if '"' in c else c for c in row]) + '"\r\n'
            for row in rows
        ]
    ).encode("utf-8")


def _csv_chunk(rows: list[tuple[Any, ...]]) -> bytes:
    data = _csv_bytes(rows)
    if _ODD_TIME.encode() in data:  # rare: a time in another shape (or a NUL in some cell)
        data = _csv_bytes(_fix_times(rows))
    return data


def _fix_times(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Times the SQL did not convert go through `clock.iso`."""
    fixed = []
    for row in rows:
        if row[9].startswith(_ODD_TIME) or row[10].startswith(_ODD_TIME):
            row = (*row[:9], _iso(row[9]), _iso(row[10]), *row[11:])
        fixed.append(row)
    return fixed


def _txt_bytes(rows: list[tuple[Any, ...]], tally: _Tally) -> bytes:
    """One `ip:port:login:password` per line, exactly as the provider gave them."""
    lines = []
    for order_id, _customer, ip, port, login, password, *_rest in rows:
        problem = txt_problem(ip, port, login, password)
        if problem is None:
            lines.append(f"{ip}:{port}:{login or ''}:{password or ''}\n")
            continue
        tally.skipped_count += 1
        if len(tally.skipped) < MAX_NAMED_SKIPPED:
            tally.skipped.append(SkippedExport(order_id, problem))
    return "".join(lines).encode("utf-8")


def _iso(value: str) -> str:
    if not value.startswith(_ODD_TIME):
        return value
    return iso(datetime.fromisoformat(value[1:])) or ""
