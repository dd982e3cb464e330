"""Backups (on demand, once a day) and restoring one, with the database kept consistent throughout.

Backups use `VACUUM INTO` on the open database (a consistent, compacted copy, 0600) and keep the
newest KEEP_BACKUPS. Restoring runs without an open Shop: it needs the data dir to itself (the
exclusive data lock, which every running window or command holds shared), saves the current
database first, and then swaps the file in with a rename, so a crash leaves either database.
On PostgreSQL, backups are pg_dump files and restoring is services/restore_pg.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import peewee

from proxyshop_desktop import safe_files
from proxyshop_desktop.durable import fsync_path
from proxyshop_desktop.errors import BusyError, StorageError, UsageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models import backup, migrations
from proxyshop_desktop.models.fields import db_time
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.store import SIDE_FILES
from proxyshop_desktop.models.tables import Order
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services import audit
from proxyshop_desktop.services.context import ShopContext

log = logging.getLogger(__name__)

KEEP_BACKUPS = backup.KEEP_BACKUPS
#: backups that count as "today's" for the daily one (a pre-migration copy is of an older schema)
_DAILY_REASONS = ("daily", "manual")


async def backup_now(ctx: ShopContext) -> Path:
    """A manual backup into the backups dir; returns its path."""
    if ctx.store.is_postgres:
        return await _pg_backup(ctx, "manual")
    return await ctx.store.run(_backup_on_db_thread, ctx.store.db, ctx.paths.backups_dir, "manual", ctx.clock())


async def _pg_backup(ctx: ShopContext, reason: str) -> Path:
    """pg_dump in a thread of its own (its own connection, a consistent snapshot): the DB thread
    keeps serving the window meanwhile. Recorded and pruned like the SQLite copies."""
    folder = ctx.paths.backups_dir
    dest = unique_path(folder / backup.backup_name(reason, ctx.clock(), suffix=backup.PG_SUFFIX))
    await asyncio.to_thread(ctx.store.dump_to, dest)
    await ctx.store.run(_recorded, folder, dest, reason)
    return dest


def _recorded(folder: Path, dest: Path, reason: str) -> None:
    removed = backup.prune_backups(folder, KEEP_BACKUPS)
    audit.record("backup", translate("audit", "Backed up the database to {0} ({1}).").format(dest.name, reason))
    log.info("backup %s written; %d old backups pruned", dest, len(removed))


async def daily_backup(ctx: ShopContext) -> Path | None:
    """The day's backup, unless one was already made today (UTC) or the database holds no order
    yet (inventory and sync history are what the next sync fetches again: nothing to protect,
    and a 50,000-proxy database is ~19 MB and ~90 ms to copy); None then."""
    if ctx.store.is_postgres:
        if not await ctx.store.run(_daily_due, ctx.paths.backups_dir, ctx.clock(), backup.PG_SUFFIX):
            return None
        return await _pg_backup(ctx, "daily")
    return await ctx.store.run(_daily_on_db_thread, ctx.store.db, ctx.paths.backups_dir, ctx.clock())


def _daily_due(folder: Path, now: datetime, suffix: str) -> bool:
    """Only this engine's backups count: a SQLite copy from before `db copy` is not today's."""
    if not Order.select().exists():
        return False
    day = now.strftime("%Y%m%d")
    return not any(
        path.name.startswith(f"proxyshop-{day}-") and _reason(path) in _DAILY_REASONS
        for path in backup.list_backups(folder, suffix)
    )


def _daily_on_db_thread(db: peewee.Database, folder: Path, now: datetime) -> Path | None:
    if not _daily_due(folder, now, backup.SQLITE_SUFFIX):
        return None
    return _backup_on_db_thread(db, folder, "daily", now)


def _reason(path: Path) -> str:
    # proxyshop-YYYYMMDD-HHMMSS-<reason>[_NN].sqlite3
    parts = path.stem.split("-", 3)
    return parts[3].split("_")[0] if len(parts) == 4 else ""


def _backup_on_db_thread(db: peewee.Database, folder: Path, reason: str, now: datetime) -> Path:
    dest = unique_path(folder / backup.backup_name(reason, now))
    try:
        backup.backup_into(db, dest)
    except OSError as exc:
        raise StorageError(
            translate("errors", "Cannot write the backup {0}: {1}.").format(dest, exc.strerror or exc),
            translate("errors", "Check the free space and permissions of the data dir."),
        ) from exc
    _recorded(folder, dest, reason)
    return dest


def unique_path(dest: Path) -> Path:
    """Two backups in the same second must neither overwrite each other nor sort out of order:
    the later ones get `_02`, `_03`, ... (which sort after the plain name), never a freed name."""
    taken = [p.stem for p in dest.parent.glob(f"{dest.stem}*{dest.suffix}")]
    if not taken:
        return dest
    numbers = [1]
    for stem in taken:
        tail = stem[len(dest.stem) :]
        if tail.startswith("_") and tail[1:].isdigit():
            numbers.append(int(tail[1:]))
    return dest.with_name(f"{dest.stem}_{max(numbers) + 1:02d}{dest.suffix}")


# --- restore ------------------------------------------------------------------------------------


@contextlib.contextmanager
def exclusive_data_lock(paths: AppPaths, hint: Text) -> Iterator[None]:
    """The data dir's lock, exclusively: a restore or a copy of the shop must have it to itself,
    so no other process may be running (each holds the lock shared while it runs). `hint` says
    what to do when one is."""
    lock = FileLock(paths.data_lock, what="ProxyShop")
    try:
        lock.acquire(timeout=0)
    except BusyError:
        raise BusyError(
            translate("errors", "Another ProxyShop process is using the data dir; close it first."), hint,
        ) from None
    try:
        yield
    finally:
        lock.release()


def restore_lock(paths: AppPaths) -> contextlib.AbstractContextManager[None]:
    return exclusive_data_lock(paths, translate(
        "errors", "Quit the window (and any running command or scheduled sync), then restore again."))


def restore_backup(paths: AppPaths, source: Path, at: datetime) -> Path | None:
    """Replace the SQLite database with the backup `source` (blocking; no Shop may be open);
    `at` is the restore's time (its safety copy's name, its audit event).

    Returns the safety copy of the database it replaced (None when there was none)."""
    source = Path(source).expanduser().absolute()
    if backup.is_pg_dump(source):
        raise UsageError(
            translate("errors", "{0} is a backup of a PostgreSQL database, and this shop uses the SQLite file {1}."
                      ).format(source, paths.database),
            translate("errors", "Point PROXYSHOP_DATABASE_URL (or database_url in the settings) at the "
                      "PostgreSQL database to restore it into, then restore again."),
        )
    try:
        version = backup.check_backup_file(source)
    except ValueError as exc:
        raise UsageError(
            translate("errors", "Cannot restore: {0}.").format(exc),
            translate("errors", "Choose a backup file from the backups dir."),
        ) from None
    if version > migrations.LATEST_VERSION:
        raise UsageError(
            translate("errors", "Cannot restore {0}: it comes from a newer ProxyShop (schema {1}).").format(
                source, version),
            translate("errors", "Restore it with that version, or choose an older backup."),
        )
    paths.ensure()
    if paths.database.exists() and source.samefile(paths.database):
        raise UsageError(translate("errors", "That file is the current database."),
                         translate("errors", "Choose a backup file instead."))

    with restore_lock(paths):
        safety = _save_current(paths, at)
        _swap_in(source, paths.database)
        _record_restore(paths.database, source, safety, at)
    log.info("restored %s into %s (previous database saved as %s)", source, paths.database, safety)
    return safety


def _cannot_save(db: Path, exc: OSError) -> StorageError:
    """Name the file and the actual cause: a folder in the database's place is not a full disk."""
    if db.is_dir():
        hint = translate("errors", "{0} is a folder, not a database. Move that folder away, then restore again."
                         ).format(db)
    elif exc.errno == errno.ENOSPC:
        hint = translate("errors", "Free some space on the disk holding {0}, then try again.").format(db.parent)
    else:
        hint = translate("errors", "Check that {0} is writable and its disk has space, then try again.").format(
            db.parent)
    return StorageError(
        translate("errors", "Cannot save the current database {0} before restoring: {1}. "
                  "Nothing was changed.").format(db, exc.strerror or exc),
        hint,
    )


def _save_current(paths: AppPaths, at: datetime) -> Path | None:
    """Copy the current database aside (checkpointing its WAL), or its raw bytes if damaged."""
    db = paths.database
    try:
        for suffix in ("", *SIDE_FILES):  # read by name below: never through a planted link
            safe_files.check_file(Path(f"{db}{suffix}"), translate("errors", "the database") if not suffix else
                                  translate("errors", "the database's {0} file").format(suffix))
    except OSError as exc:
        raise _cannot_save(db, exc) from exc
    if not db.exists() or db.stat().st_size == 0:
        return None
    dest = unique_path(paths.backups_dir / backup.backup_name("before-restore", at))
    try:
        _sqlite_copy(db, dest)
        return dest
    except sqlite3.DatabaseError as exc:
        log.warning("current database unreadable (%s); keeping a raw copy", exc)
    except OSError as exc:
        raise _cannot_save(db, exc) from exc
    dest = unique_path(paths.backups_dir / backup.backup_name("damaged", at))
    try:
        for suffix in ("", "-wal"):
            src = Path(f"{db}{suffix}")
            if src.exists():
                _copy_bytes(src, Path(f"{dest}{suffix}"))
    except OSError as exc:
        raise _cannot_save(db, exc) from exc
    return dest


def _sqlite_copy(src: Path, dest: Path) -> None:
    """A consistent copy with SQLite's backup API into a new 0600 file, then renamed to `dest`."""
    tmp = dest.with_name(dest.name + ".part")
    os.close(safe_files.create_new(tmp, translate("errors", "the copy")))
    try:
        source = sqlite3.connect(src)
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("quick_check failed")
            target = sqlite3.connect(tmp)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode = DELETE")  # a self-contained single file
            finally:
                target.close()
        finally:
            source.close()  # the last connection: SQLite checkpoints the WAL into the file
        fsync_path(tmp)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _copy_bytes(src: Path, dest: Path) -> None:
    fd = safe_files.create_new(dest, translate("errors", "the copy"))
    try:
        with open(src, "rb") as handle:
            while chunk := handle.read(1 << 20):
                os.write(fd, chunk)
        os.fsync(fd)
    finally:
        os.close(fd)


def _swap_in(source: Path, database: Path) -> None:
    """Copy `source` next to the database, then rename it over; stale -wal/-shm go first so
    SQLite can never replay the old database's journal onto the restored one."""
    tmp = database.with_name(database.name + ".restore")
    try:
        _sqlite_copy(source, tmp)
        _check_copy(source, tmp)  # the bytes installed are the bytes checked, whatever `source` did
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, database)  # replaces a link at that name, never writes through it
        os.chmod(database, 0o600)
    except sqlite3.DatabaseError as exc:
        raise UsageError(translate("errors", "Cannot restore {0}: {1}.").format(source, exc),
                         translate("errors", "Choose another backup file.")) from exc
    except OSError as exc:
        raise StorageError(
            translate("errors", "Cannot restore into {0}: {1}.").format(database, exc.strerror or exc),
            translate("errors", "Check the free space and permissions of the data dir."),
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    fsync_path(database.parent)


def _check_copy(source: Path, copy: Path) -> None:
    """The same checks as before the copy, on the copy itself."""
    try:
        version = backup.check_backup_file(copy)
    except ValueError as exc:
        raise UsageError(
            translate("errors", "Cannot restore {0}: {1}.").format(source, str(exc).replace(str(copy), "its copy")),
            translate("errors", "Choose a backup file from the backups dir."),
        ) from None
    if version > migrations.LATEST_VERSION:
        raise UsageError(
            translate("errors", "Cannot restore {0}: it comes from a newer ProxyShop (schema {1}).").format(
                source, version),
            translate("errors", "Restore it with that version, or choose an older backup."),
        )


def _record_restore(database: Path, source: Path, safety: Path | None, at: datetime) -> None:
    """The restore goes into the restored database's own audit trail."""
    saved = f" The previous database was saved as {safety.name}." if safety else ""
    try:
        conn = sqlite3.connect(database)
        try:
            with conn:
                conn.execute(
                    "INSERT INTO audit_event (at, kind, ok, message) VALUES (?, 'restore', 1, ?)",
                    (db_time(at), f"Restored the database from {source.name}.{saved}"),
                )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:  # the restore itself succeeded; only the note is lost
        log.warning("could not record the restore in the audit trail: %s", exc)

