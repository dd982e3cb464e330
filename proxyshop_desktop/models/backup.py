"""Consistent copies of the database (VACUUM INTO): before migrations, daily, and on demand."""

from __future__ import annotations

import logging
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import peewee

from proxyshop_desktop import safe_files
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import translate

log = logging.getLogger(__name__)

KEEP_BACKUPS = 7


def backup_into(db: peewee.SqliteDatabase, dest: Path) -> Path:
    """Write a consistent, compacted copy of the live database to `dest` (0600)."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    # VACUUM INTO accepts an existing empty file: create it owner-only first, as a new file.
    os.close(safe_files.create_new(tmp, translate("errors", "the backup")))
    try:
        db.execute_sql("VACUUM INTO ?", (str(tmp),))
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def backup_name(reason: str, when: datetime | None = None) -> str:
    stamp = (when or utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"proxyshop-{stamp}-{reason}.sqlite3"


def list_backups(folder: Path) -> list[Path]:
    """Newest first."""
    if not folder.is_dir():
        return []
    return sorted(folder.glob("proxyshop-*.sqlite3"), key=lambda p: p.name, reverse=True)


def prune_backups(folder: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Remove all but the newest `keep`; the kept ones are made 0600 (older copies, or ones put
    there by hand, may not be)."""
    backups = list_backups(folder)
    removed = []
    for path in backups[keep:]:
        path.unlink(missing_ok=True)  # a symlink goes, never what it points to
        removed.append(path)
    for path in backups[:keep]:
        try:
            safe_files.check_file(path, translate("errors", "the backup"))
        except (StorageError, OSError) as exc:  # not ours to fix; the backup itself is done
            log.warning("left a backup alone: %s", exc)
    return removed


def check_backup_file(path: Path) -> int:
    """Validate a file to restore: a ProxyShop SQLite database that passes quick_check.

    Returns its schema version; raises ValueError with the reason otherwise."""
    if not path.is_file():
        raise ValueError(f"{path} does not exist")
    try:
        # as_uri() percent-encodes the name: a raw `#` or `?` would end SQLite's file name there
        # (and drop mode=ro), so another file ("a" for "a#b.sqlite3") would be the one checked.
        conn = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValueError(f"{path} is not a readable SQLite database ({exc})") from None
    if result != "ok":
        raise ValueError(f"{path} is damaged ({result})")
    if not {"product", "order", "sync_run"} <= tables:
        raise ValueError(f"{path} is not a ProxyShop database")
    return int(version)
