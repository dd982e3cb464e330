"""Consistent copies of the database (VACUUM INTO): before migrations, daily, and on demand."""

from __future__ import annotations

import glob
import logging
import os
import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path

import peewee

from proxyshop_desktop import safe_files
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.models.target import DatabaseTarget

log = logging.getLogger(__name__)

KEEP_BACKUPS = 7


def backup_into(db: peewee.Database, dest: Path) -> Path:
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


def backup_name(reason: str, when: datetime | None = None, suffix: str = ".sqlite3") -> str:
    stamp = (when or utcnow()).strftime("%Y%m%d-%H%M%S")
    return f"proxyshop-{stamp}-{reason}{suffix}"


def list_backups(folder: Path) -> list[Path]:
    """Newest first."""
    if not folder.is_dir():
        return []
    found = [*folder.glob("proxyshop-*.sqlite3"), *folder.glob(f"proxyshop-*{PG_SUFFIX}")]
    return sorted(found, key=lambda p: p.name, reverse=True)


#: a PostgreSQL shop's backups: pg_dump's custom format (pg_restore reads it)
PG_SUFFIX = ".pgdump"
PG_TOOLS_HINT = (
    "Install the PostgreSQL client programs (Debian/Ubuntu: `sudo apt install postgresql-client`, "
    "of the server's major version or newer), or set PG_BINDIR to the folder holding them."
)


def pg_tool(name: str) -> Path:
    """pg_dump / pg_restore: $PG_BINDIR, PATH, then Debian's versioned folders (newest first)."""
    folders = [os.environ["PG_BINDIR"]] if os.environ.get("PG_BINDIR") else []
    found = shutil.which(name, path=os.pathsep.join(folders) or None) if folders else shutil.which(name)
    if found:
        return Path(found)
    debian = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                    key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    if debian:
        return Path(debian[-1])
    raise StorageError(f"{name} is not installed: it makes and restores PostgreSQL backups.", PG_TOOLS_HINT)


def pg_dump_into(target: DatabaseTarget, password: str | None, dest: Path) -> Path:
    """pg_dump the whole database (custom format, one consistent snapshot) to `dest` (0600)."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    os.close(safe_files.create_new(tmp, "the backup"))
    env = dict(os.environ)
    if (password := password or target.url_password) is not None:
        env["PGPASSWORD"] = password  # never on the command line, where `ps` shows it
    try:
        result = subprocess.run(
            [str(pg_tool("pg_dump")), "--format=custom", f"--file={tmp}", "--no-password",
             f"--dbname={target.without_password}"],
            capture_output=True, text=True, env=env, timeout=3600, check=False,
        )
        if result.returncode != 0:
            raise StorageError(
                f"pg_dump could not back up {target.shown}: {target.scrub(result.stderr.strip())[-500:]}",
                "pg_dump must be of the server's major version or newer. " + PG_TOOLS_HINT,
            )
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


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
