"""Export sold credentials as CSV (for spreadsheets) or TXT (`ip:port:login:password` lines).

Only sales the customer still has are exported: sold and recovered orders, never refunded,
pending or void ones. Files are owner-only (0600) and appear complete or not at all: they are
written to a temporary file in the target folder, fsynced, then renamed over `out`.
CSV cells that a spreadsheet would run as a formula are neutralised (OWASP CSV injection);
TXT keeps every credential byte-exact, so it refuses a credential it cannot write on one line.
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
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from proxyshop_desktop.clock import iso
from proxyshop_desktop.durable import fsync_path
from proxyshop_desktop.errors import StorageError, UsageError
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.services import audit, check_evidence
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import ExportResult
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
    last_check: str = ""  # with_check only: the newest stored proxy check, e.g. "works (212 ms)"
    last_check_at: str = ""


async def export_orders(
    ctx: ShopContext,
    fmt: str,
    out: Path,
    *,
    customer: str | None = None,
    since: datetime | None = None,
    order_ids: Sequence[str] | None = None,
    with_check: bool = False,
) -> ExportResult:
    """`with_check` adds the last proxy check to CSV (columns last_check, last_check_at); TXT
    lines stay `ip:port:login:password`, whatever it says."""
    fmt = (fmt or "").strip().lower()
    if fmt not in FORMATS:
        raise UsageError(f"Unknown export format {fmt!r}.", "Use csv or txt.")
    out = check_destination(out)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    rows = await ctx.store.run(
        _exportable_rows, customer, since, None if order_ids is None else list(order_ids)
    )
    if with_check and fmt == "csv":
        rows = await ctx.store.run(_with_last_check, rows)
    data = render_csv(rows, with_check=with_check) if fmt == "csv" else render_txt(rows)
    await asyncio.to_thread(write_atomically, out, data)
    await ctx.store.run(
        audit.record, "export", f"Exported {len(rows)} sold orders as {fmt.upper()} to {out}."
    )
    log.info("exported %d orders as %s to %s", len(rows), fmt, out)
    return ExportResult(path=out, count=len(rows))


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
    query = Order.select().where(Order.status.in_(KEPT))
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


def _with_last_check(rows: list[ExportRow]) -> list[ExportRow]:
    """On the DB thread."""
    last = check_evidence.last_checks([r.order_id for r in rows])
    return [
        replace(r, last_check=seen.summary(), last_check_at=iso(seen.checked_at) or "")
        if (seen := last.get(r.order_id)) is not None
        else r
        for r in rows
    ]


def neutralise_cell(value: str) -> str:
    """Prefix a would-be formula with `'` so a spreadsheet shows it as text."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def render_csv(rows: Sequence[ExportRow], *, with_check: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER + (CHECK_HEADER if with_check else ()))
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
        ) + ((r.last_check, r.last_check_at) if with_check else ())
        writer.writerow([neutralise_cell(c) for c in cells])
    return buffer.getvalue().encode("utf-8")


def render_txt(rows: Sequence[ExportRow]) -> bytes:
    """One `ip:port:login:password` per line, exactly as the provider gave them."""
    broken = [r.order_id for r in rows if _unfit_for_txt(r)]
    if broken:
        shown = ", ".join(broken[:5]) + (f" and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise UsageError(
            f"Cannot export {shown} as TXT: a credential is missing or contains a line break, "
            "which would break the one-proxy-per-line format.",
            "Export as CSV instead, or leave these orders out.",
        )
    return b"".join(f"{r.ip}:{r.port}:{r.login}:{r.password}\n".encode() for r in rows)


def _unfit_for_txt(row: ExportRow) -> bool:
    parts = (row.ip, row.port, row.login, row.password)
    return not (row.ip and row.port) or any("\n" in p or "\r" in p for p in parts)


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

