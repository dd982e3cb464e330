"""Consistent copies of the database: before migrations, daily, and on demand.

SQLite: `VACUUM INTO` a `.sqlite3` file. PostgreSQL: `pg_dump` in its custom format (`.pgdump`),
checked with `pg_restore --list`, restored by `pg_restore` piped into one `psql` transaction.
"""

from __future__ import annotations

import glob
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import datetime
from pathlib import Path

import peewee

from proxyshop_desktop import safe_files
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


SQLITE_SUFFIX = ".sqlite3"
#: a PostgreSQL shop's backups: pg_dump's custom format (pg_restore reads it)
PG_SUFFIX = ".pgdump"
#: the first bytes of pg_dump's custom format
PG_DUMP_MAGIC = b"PGDMP"


def backup_name(reason: str, when: datetime, suffix: str = SQLITE_SUFFIX) -> str:
    stamp = when.strftime("%Y%m%d-%H%M%S")
    return f"proxyshop-{stamp}-{reason}{suffix}"


def list_backups(folder: Path, suffix: str | None = None) -> list[Path]:
    """Newest first: the backups of one engine (`suffix`), or of both."""
    if not folder.is_dir():
        return []
    suffixes = (suffix,) if suffix else (SQLITE_SUFFIX, PG_SUFFIX)
    found = [path for s in suffixes for path in folder.glob(f"proxyshop-*{s}")]
    return sorted(found, key=lambda p: p.name, reverse=True)


PG_TOOLS_HINT = translate(
    "errors", "Install the PostgreSQL client programs (Debian/Ubuntu: `sudo apt install postgresql-client`, "
    "of the server's major version or newer), or set PG_BINDIR to the folder holding them.")


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
    raise StorageError(
        translate("errors", "{0} is not installed: it makes and restores PostgreSQL backups.").format(name),
        PG_TOOLS_HINT)


def _pg_env(target: DatabaseTarget, password: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if (password := password or target.url_password) is not None:
        env["PGPASSWORD"] = password  # never on the command line, where `ps` shows it
    return env


def pg_dump_into(target: DatabaseTarget, password: str | None, dest: Path) -> Path:
    """pg_dump the whole database (custom format, one consistent snapshot) to `dest` (0600),
    checked with pg_restore --list before it takes the name."""
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(dest.name + ".part")
    os.close(safe_files.create_new(tmp, translate("errors", "the backup")))
    try:
        result = subprocess.run(
            [str(pg_tool("pg_dump")), "--format=custom", f"--file={tmp}", "--no-password",
             f"--dbname={target.without_password}"],
            capture_output=True, text=True, env=_pg_env(target, password), timeout=3600, check=False,
        )
        if result.returncode != 0:
            raise StorageError(
                translate("errors", "pg_dump could not back up {0}: {1}").format(
                    target.shown, target.scrub(result.stderr.strip())[-500:]),
                translate("errors", "pg_dump must be of the server's major version or newer. {0}").format(
                    PG_TOOLS_HINT),
            )
        _pg_restore_output(["--list", str(tmp)], tmp)  # pg_restore can read what it wrote
        os.replace(tmp, dest)
    except ValueError as exc:
        raise StorageError(translate("errors", "pg_dump wrote an unreadable backup of {0}: {1}.").format(
            target.shown, exc), PG_TOOLS_HINT) from None
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def is_pg_dump(path: Path) -> bool:
    try:
        with open(path, "rb") as source:
            return source.read(len(PG_DUMP_MAGIC)) == PG_DUMP_MAGIC
    except OSError:
        return False


def _pg_restore_output(args: list[str], path: Path) -> str:
    """pg_restore's output for `args` (it reads the file only); ValueError when it fails."""
    result = subprocess.run([str(pg_tool("pg_restore")), *args], capture_output=True, text=True,
                            timeout=600, check=False)
    if result.returncode != 0:
        raise ValueError(f"{path} is not a readable pg_dump file ({result.stderr.strip()[-300:]})")
    return result.stdout


_TOC_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", re.M)
_VERSION_ROWS = re.compile(r"^COPY \S*proxyshop_schema \(version\) FROM stdin;\n(.*?)^\\\.$", re.M | re.S)


def check_pg_dump(path: Path) -> int:
    """Validate a `.pgdump` to restore: pg_restore reads it, it holds a ProxyShop database.

    Returns its schema version; raises ValueError with the reason otherwise."""
    from proxyshop_desktop.models.engine import VERSION_TABLE

    if not path.is_file():
        raise ValueError(f"{path} does not exist")
    if not is_pg_dump(path):
        raise ValueError(f"{path} is not a pg_dump file in the custom format")
    tables = set(_TOC_TABLE.findall(_pg_restore_output(["--list", str(path)], path)))
    if not {"product", "order", "sync_run", VERSION_TABLE} <= tables:
        raise ValueError(f"{path} is not a dump of a ProxyShop database")
    data = _pg_restore_output(["--data-only", f"--table={VERSION_TABLE}", "--file=-", str(path)], path)
    found = _VERSION_ROWS.search(data)
    rows = found.group(1).split() if found else []
    if len(rows) != 1 or not rows[0].isdigit():
        raise ValueError(f"{path} holds no schema version")
    return int(rows[0])


#: Before the dump's own statements, in the same transaction: drop every table, function,
#: collation and sequence of the shop's schema (not an extension's), so that objects of a newer
#: schema than the dump's are not left behind for the next migration to trip on. pg_restore's
#: --clean would drop only what the dump holds, and the pg_trgm extension, which a database
#: user may not own.
_CLEAR_SCHEMA = """DO $$
DECLARE statements text[]; statement text;
BEGIN
  -- all named first (a function's name cannot be shown once a CASCADE dropped it), routines
  -- before the tables (a function taking the "order" row type goes with its table)
  SELECT array_agg(s ORDER BY k) INTO statements FROM (
    SELECT 1, format('DROP ROUTINE IF EXISTS %s CASCADE', p.oid::regprocedure)
      FROM pg_proc p WHERE p.pronamespace = current_schema()::regnamespace AND NOT EXISTS (
        SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
        AND d.deptype = 'e')
    UNION ALL
    SELECT 2, format('DROP TABLE IF EXISTS %I.%I CASCADE', schemaname, tablename)
      FROM pg_tables WHERE schemaname = current_schema()
    UNION ALL
    SELECT 3, format('DROP SEQUENCE IF EXISTS %I.%I CASCADE', schemaname, sequencename)
      FROM pg_sequences WHERE schemaname = current_schema()
    UNION ALL
    SELECT 4, format('DROP COLLATION IF EXISTS %I.%I', current_schema(), collname)
      FROM pg_collation WHERE collnamespace = current_schema()::regnamespace
  ) AS found (k, s);
  FOREACH statement IN ARRAY coalesce(statements, '{}') LOOP
    EXECUTE statement;
  END LOOP;
END $$"""


def pg_restore_into(target: DatabaseTarget, password: str | None, dump: Path) -> None:
    """Replace the database's contents with the dump, in one transaction: `pg_restore` writes
    the dump's SQL, `psql --single-transaction` runs it after _CLEAR_SCHEMA and commits only if
    every statement succeeded (ON_ERROR_STOP): a failure leaves the database as it was."""
    restore_cmd = [str(pg_tool("pg_restore")), "--no-owner", "--no-privileges", "--no-comments",
                   "--file=-", str(dump)]
    psql_cmd = [str(pg_tool("psql")), "--no-psqlrc", "--quiet", "--single-transaction",
                "--set=ON_ERROR_STOP=1", "--no-password", f"--dbname={target.without_password}",
                "--command=SET client_min_messages = warning", f"--command={_CLEAR_SCHEMA}", "--file=-"]
    env = _pg_env(target, password)
    with tempfile.TemporaryFile() as restore_errors:
        writer = subprocess.Popen(restore_cmd, stdout=subprocess.PIPE, stderr=restore_errors, env=env)
        assert writer.stdout is not None
        try:
            result = subprocess.run(psql_cmd, stdin=writer.stdout, capture_output=True, text=True,
                                    env=env, timeout=3600, check=False)
        finally:
            writer.stdout.close()  # psql gone early: pg_restore stops on a closed pipe
            writer.wait(timeout=60)
        restore_errors.seek(0)
        errors = restore_errors.read().decode("utf-8", "replace").strip()
    if writer.returncode != 0 or result.returncode != 0:
        why = target.scrub((result.stderr.strip() or errors)[-500:])
        raise StorageError(
            translate("errors", "Restoring {0} into {1} failed; the database was left as it was: {2}").format(
                dump.name, target.shown, why),
            translate("errors", "pg_restore and psql must be of the server's major version or newer. {0}").format(
                PG_TOOLS_HINT),
        )


def prune_backups(folder: Path, keep: int = KEEP_BACKUPS) -> list[Path]:
    """Remove all but the newest `keep` of each engine (a shop moved to PostgreSQL keeps its
    last SQLite copies); the kept ones are made 0600 (older copies, or ones put there by hand,
    may not be)."""
    removed = []
    for suffix in (SQLITE_SUFFIX, PG_SUFFIX):
        backups = list_backups(folder, suffix)
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
