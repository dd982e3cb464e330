"""Export sold credentials as CSV (for spreadsheets) or TXT (`ip:port:login:password` lines).

Only sales the customer still has are exported: sold and recovered orders, never refunded,
pending or void ones. Files are owner-only (0600) and appear complete or not at all: they are
written to a temporary file in the target folder, fsynced, then renamed over `out`.
CSV cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection);
TXT keeps every credential byte-exact, so it leaves out (and names, in `skipped`) a sale whose
credentials would read back as different ones (`txt_problem`): the sale stays recorded, CSV has it.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import glob
import io
import logging
import os
import re
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from proxyshop_desktop.clock import iso
from proxyshop_desktop.durable import fsync_path
from proxyshop_desktop.errors import StorageError, UsageError
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.orders import KEPT_STATUSES
from proxyshop_desktop.services.results import Credentials, ExportResult, SkippedExport

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
# A cell starting with one of these may run as a formula in a spreadsheet (OWASP).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
#: every character str.splitlines() ends a line at: most readers of a TXT file split on them
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


@dataclass(frozen=True)
class ExportRow:
    order_id: str
    customer: str
    ip: str
    port: str
    login: str
    password: str
    country: str
    city: str
    isp: str
    purchased: str
    expires: str


async def export_orders(
    ctx: ShopContext,
    fmt: str,
    out: Path,
    *,
    customer: str | None = None,
    since: datetime | None = None,
    order_ids: Sequence[str] | None = None,
) -> ExportResult:
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}.", "Use csv or txt.")
    out = check_destination(out)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    rows = await ctx.store.run(
        _exportable_rows, customer, since, None if order_ids is None else list(order_ids)
    )
    skipped: list[SkippedExport] = []
    data = render_csv(rows) if fmt == "csv" else render_txt(rows, skipped)
    await asyncio.to_thread(write_atomically, out, data)
    count = len(rows) - len(skipped)
    await ctx.store.run(audit.record, "export", export_summary(count, fmt, out, skipped))
    log.info("exported %d orders as %s to %s (%d left out)", count, fmt, out, len(skipped))
    return ExportResult(path=out, count=count, skipped=tuple(skipped))


def export_summary(count: int, fmt: str, out: Path, skipped: Sequence[SkippedExport]) -> str:
    text = f"Exported {count} sold orders as {fmt.upper()} to {out}."
    if skipped:
        text += " " + skipped_text(skipped)
    return text


def skipped_text(skipped: Sequence[SkippedExport], shown: int = 5) -> str:
    """'N sales left out of the TXT: ORD-1 (why), … use CSV' (for the CLI, window and audit)."""
    names = ", ".join(f"{s.order_id} ({s.reason})" for s in skipped[:shown])
    more = f" and {len(skipped) - shown} more" if len(skipped) > shown else ""
    return (
        f"{len(skipped)} sales left out of the TXT: {names}{more}; their credentials cannot be "
        "written as ip:port:login:password. Export as CSV to have them."
    )


def check_destination(out: Path) -> Path:
    """An absolute path whose folder exists; a UsageError that names the problem otherwise."""
    out = Path(out).expanduser().absolute()
    if not out.parent.is_dir():
        raise UsageError(
            f"The folder {out.parent} does not exist.", "Create it first or choose another path."
        )
    if out.is_dir():
        raise UsageError(f"{out} is a folder.", "Give the path of the file to write.")
    return out


def _exportable_rows(
    customer: str | None, since: datetime | None, order_ids: list[str] | None
) -> list[ExportRow]:
    """On the DB thread: the orders to export, oldest first."""
    query = Order.select().where(Order.status.in_(KEPT_STATUSES))
    if customer is not None:
        query = query.where(Order.customer == customer)
    if since is not None:
        query = query.where(Order.purchased_at >= db_time(since))
    if order_ids is not None:
        if not order_ids:
            return []
        query = query.where(Order.order_id.in_(order_ids))
    query = query.order_by(Order.purchased_at, Order.id)
    return [
        ExportRow(
            order_id=o.order_id,
            customer=o.customer or "",
            ip=o.server_ip or "",
            port=o.port or "",
            login=o.username or "",
            password=o.password or "",
            country=o.country or "",
            city=o.city or "",
            isp=o.isp or "",
            purchased=iso(o.purchased_at) or "",
            expires=iso(o.expires_at) or "",
        )
        for o in query
    ]


def neutralise_cell(value: str) -> str:
    """Prefix a would-be formula with `'` so a spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def render_csv(rows: Sequence[ExportRow]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for r in rows:
        cells = (
            r.order_id,
            r.customer,
            r.ip,
            r.port,
            r.login,
            r.password,
            r.country,
            r.city,
            r.isp,
            r.purchased,
            r.expires,
        )
        writer.writerow([neutralise_cell(c) for c in cells])
    return buffer.getvalue().encode("utf-8")


def render_txt(rows: Sequence[ExportRow], skipped: list[SkippedExport]) -> bytes:
    """One `ip:port:login:password` per line, exactly as the provider gave them; a row that
    cannot be written so goes to `skipped` instead."""
    lines = []
    for r in rows:
        problem = txt_problem(r.ip, r.port, r.login, r.password)
        if problem is None:
            lines.append(f"{r.ip}:{r.port}:{r.login}:{r.password}\n".encode())
        else:
            skipped.append(SkippedExport(r.order_id, problem))
    return b"".join(lines)


TXT_UNFIT_WARNING = (
    "These credentials cannot be written as ip:port:login:password; export as CSV."
)


def txt_unfit(credentials: Credentials) -> bool:
    """For the window's warning on a sale: would a TXT export leave it out?"""
    c = credentials
    return txt_problem(c.ip, c.port, c.login, c.password) is not None


def txt_problem(ip: str | None, port: str | None, login: str | None, password: str | None) -> str | None:
    """Why these credentials cannot be one `ip:port:login:password` line that reads back as the
    same credentials, or None when they can. The one rule (the window's warning asks it too).
    The password is the last field: a reader splits at the first three ':', so it may hold ':'."""
    if not ip or not port:
        return "the ip or port is missing"
    if ":" in ip:
        return "the ip contains ':' (an IPv6 address)"
    if ":" in port:
        return "the port contains ':'"
    if login and ":" in login:
        return "the login contains ':'"
    if any(not LINE_BREAKS.isdisjoint(part or "") for part in (ip, port, login, password)):
        return "a credential contains a line break"
    return None


#: a temp file this old was left by an export that was killed: no live export takes an hour
STALE_TEMP_SECONDS = 3600


def _remove_stale_temps(out: Path) -> None:
    """A killed export leaves its hidden temp file behind, with the customers' credentials in it."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.[0-9a-f]{{8}}\.tmp$")
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for leftover in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if pattern.match(leftover.name) and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    log.info("removed %s, left by an export that did not finish", leftover)


def write_atomically(out: Path, data: bytes) -> None:
    """Write `data` to `out` (0600) via a temp file in the same folder, or leave `out` untouched."""
    _remove_stale_temps(out)
    tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
    fd: int | None = None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.fchmod(fd, 0o600)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
        os.close(fd)
        fd = None
        os.replace(tmp, out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            if fd is not None:
                os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise StorageError(
            f"Cannot write {out}: {exc.strerror or exc}.",
            "Check that the folder is writable and the disk has free space.",
        ) from exc
    fsync_path(out.parent)

