"""The engine-specific bits, behind small functions: everything else is written once.

SQLite: the schema version is `PRAGMA user_version`, cross-process locks are files (locks.py).
PostgreSQL: the version is a one-row table, locks are advisory locks (held by the connection,
released when it closes or its process dies), errors come from psycopg.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any, TypeVar

import peewee

from proxyshop_desktop.errors import DatabaseUnavailableError, StorageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models.target import DatabaseTarget

log = logging.getLogger(__name__)

#: the PostgreSQL table holding the schema version (SQLite keeps it in the file header)
VERSION_TABLE = "proxyshop_schema"


class PgShopDatabase(peewee.PostgresqlDatabase):
    """peewee's PostgreSQL database on psycopg 3, built from a DatabaseTarget."""

    def __init__(self, target: DatabaseTarget, password: str | None = None, **kwargs: Any) -> None:
        self.target = target
        url = "postgresql://" + target.url.split("://", 1)[1]  # peewee passes postgresql:// on
        params: dict[str, Any] = {"application_name": "proxyshop-desktop", "connect_timeout": 10}
        if password is not None:
            params["password"] = password
        super().__init__(url, prefer_psycopg3=True, **params, **kwargs)

    def execute_sql(self, sql: str, params: Any = None) -> Any:
        if params is not None and "%s" not in sql:  # peewee's own SQL already says %s
            sql = qmark_to_format(sql)
        return super().execute_sql(sql, params)  # type: ignore[no-untyped-call]  # stub lacks it


_LITERAL_OR_MARK = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|\?|%")


def qmark_to_format(sql: str) -> str:
    """The shop's raw SQL is written with SQLite's `?` markers; psycopg wants `%s` (and a
    literal `%` doubled). Quoted literals and names keep their `?`; their `%` is doubled too,
    since psycopg scans the whole text."""

    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "?":
            return "%s"
        return token.replace("%", "%%")

    return _LITERAL_OR_MARK.sub(swap, sql)


#: a database, or the models' proxy standing for the calling thread's one
AnyDb = peewee.Database | peewee.DatabaseProxy
M = TypeVar("M", bound=peewee.Model)


def is_postgres(db: AnyDb) -> bool:
    return isinstance(getattr(db, "obj", db), peewee.PostgresqlDatabase)


def lock_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for a lock name ("sync", "migrate", ...)."""
    digest = hashlib.blake2b(f"proxyshop:{name}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def schema_version(db: AnyDb) -> int:
    if not is_postgres(db):
        return int(db.execute_sql("PRAGMA user_version").fetchone()[0])
    exists = db.execute_sql("SELECT to_regclass(%s)", (VERSION_TABLE,)).fetchone()[0]
    if exists is None:
        return 0
    row = db.execute_sql(f"SELECT version FROM {VERSION_TABLE}").fetchone()
    return int(row[0]) if row else 0


def set_schema_version(db: AnyDb, version: int) -> None:
    """Inside the migration's transaction: the version moves with the schema it describes."""
    if not is_postgres(db):
        db.execute_sql(f"PRAGMA user_version = {version:d}")
        return
    db.execute_sql(f"UPDATE {VERSION_TABLE} SET version = %s", (version,))


def begin_migration(db: AnyDb) -> None:
    """First statement of each migration's transaction. On PostgreSQL: wait for any other app
    migrating the same database (the lock ends with the transaction), and make sure the version
    table exists (under the lock: two CREATE ... IF NOT EXISTS at once can collide)."""
    if not is_postgres(db):
        return  # SQLite's IMMEDIATE transaction already holds the write lock
    db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock_key("migrate"),))
    db.execute_sql(f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} (version INTEGER NOT NULL)")
    db.execute_sql(
        f"INSERT INTO {VERSION_TABLE} (version) SELECT 0 "
        f"WHERE NOT EXISTS (SELECT 1 FROM {VERSION_TABLE})"
    )


def server_description(db: AnyDb) -> str:
    """'SQLite 3.45.1' or 'PostgreSQL 15.6 at host:port/dbname' (never a password)."""
    if not is_postgres(db):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    version = db.execute_sql("SHOW server_version").fetchone()[0]
    inner = getattr(db, "obj", db)
    if not isinstance(inner, PgShopDatabase):
        return f"PostgreSQL {version.split()[0]}"
    target = inner.target
    return f"PostgreSQL {version.split()[0]} at {target.host}:{target.port}/{target.dbname}"


def pg_storage_error(exc: Exception, target: DatabaseTarget) -> StorageError:
    """psycopg's errors as messages an operator can act on, the password scrubbed."""
    text = target.scrub(str(exc).strip()) or type(exc).__name__
    lower = text.lower()
    where = f"{target.host}:{target.port}"
    if "password authentication failed" in lower or "no password supplied" in lower:
        user = target.user or translate("errors", "(default)")
        return StorageError(
            translate("errors", "the database server {0} refused the login of user {1}: {2}").format(
                where, user, text),
            translate("errors", "Set the password with `proxyshop-desktop db-password set` (or in ~/.pgpass / "
                      "PGPASSWORD), and check the user name in the database URL."),
        )
    if "does not exist" in lower and "database" in lower:
        return StorageError(
            translate("errors", "The database {0} does not exist on the database server {1}.").format(
                repr(target.dbname), where),
            translate("errors", "Create it first (createdb {0}), or correct the database URL.").format(target.dbname),
        )
    if "permission denied" in lower or "must be owner" in lower:
        return StorageError(
            translate("errors", "the database server {0} denied this database user a needed right: {1}").format(
                where, text),
            translate("errors", "Make the user the owner of the database (ALTER DATABASE ... OWNER TO ...), "
                      "or ask its administrator."),
        )
    if any(word in lower for word in ("connection refused", "could not connect", "timeout expired",
                                      "could not translate host", "server closed the connection",
                                      "connection is lost", "terminating connection",
                                      "the connection is closed", "consuming input failed")):
        return DatabaseUnavailableError(
            translate("errors", "Cannot reach the database server {0}: {1}").format(where, text),
            translate("errors", "Check that the server runs and that this machine may connect to it (host, port, "
                      "firewall, pg_hba.conf); nothing was half-saved, try again."),
        )
    return StorageError(translate("errors", "Database error: {0}").format(text),
                        translate("errors", "Try again; if it persists, check the log file."))


class SnapshotReader:
    """PostgreSQL: a long read streamed through a server-side cursor (FETCH `itersize` rows at a
    time, so memory stays flat), on a connection of its own in one read-only REPEATABLE READ
    snapshot. Not on the shop's connection: a named cursor lives in a transaction, and the sales
    and refunds run between the chunks would then commit only when the read ends."""

    def __init__(self, db: AnyDb, sql: str, params: Any, itersize: int) -> None:
        import psycopg

        inner = getattr(db, "obj", db)
        assert isinstance(inner, PgShopDatabase), "SnapshotReader is for the shared database"
        self._target = inner.target
        self._conn: Any = None
        try:
            # the shop connection's own parameters and password (not in the stubs: peewee's opener)
            self._conn = inner._connect()  # type: ignore[attr-defined]
            self._conn.autocommit = False
            self._conn.read_only = True
            self._conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            self._cursor = self._conn.cursor(name="proxyshop_read")
            self._cursor.itersize = itersize
            self._cursor.execute(sql, params)
        except psycopg.Error as exc:
            self.close()
            raise pg_storage_error(exc, self._target) from None

    def fetchmany(self, size: int) -> list[tuple[Any, ...]]:
        import psycopg

        try:
            return list(self._cursor.fetchmany(size))
        except psycopg.Error as exc:
            self.close()
            raise pg_storage_error(exc, self._target) from None

    def close(self) -> None:
        """Ends the snapshot (a read-only transaction: nothing to commit); never raises."""
        import psycopg

        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                log.info("closing a read connection failed; it is gone anyway")
            self._conn = None


def locked(query: peewee.ModelSelect[M]) -> peewee.ModelSelect[M]:
    """The query's rows locked until the transaction ends (SELECT ... FOR UPDATE) on
    PostgreSQL, where another machine may write them meanwhile; SQLite's IMMEDIATE transaction
    already excludes every other writer."""
    return query.for_update() if is_postgres(query.model._meta.database) else query


def exclusive(db: AnyDb, name: str) -> None:
    """Inside a transaction: one holder of `name` at a time across every machine (PostgreSQL's
    transaction advisory lock, released at commit); SQLite's write lock already is that."""
    if is_postgres(db):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (lock_key(name),))


def try_session_lock(db: AnyDb, name: str) -> bool:
    """PostgreSQL: take `name`'s advisory lock for this connection if free (held until
    session_unlock, or until the connection ends: a killed process frees it)."""
    return bool(db.execute_sql("SELECT pg_try_advisory_lock(%s)", (lock_key(name),)).fetchone()[0])


def session_unlock(db: AnyDb, name: str) -> None:
    db.execute_sql("SELECT pg_advisory_unlock(%s)", (lock_key(name),))


def drop_if_broken(db: peewee.Database) -> bool:
    """After a failed call on PostgreSQL: a connection the server dropped (restart, network,
    idle timeout) is closed, so that the next call opens a new one; the failed call's transaction
    was rolled back by the server, nothing half-applied. True when it was dropped."""
    conn = None if db.is_closed() else db.connection()
    if conn is None or not (conn.closed or getattr(conn, "broken", False)):
        return False
    log.warning("the database connection was lost; the next call reconnects")
    try:
        db.close()
    except peewee.PeeweeException:  # closing a dead connection may complain: it is gone anyway
        db._state.reset()  # type: ignore[attr-defined]  # not in the stubs: its connection state
    return True


def relax_durability(db: AnyDb, relaxed: bool) -> None:
    """SQLite: NORMAL sync for a bulk write the next sync can refetch, FULL again after.
    PostgreSQL: nothing (the server's own settings; every commit is durable)."""
    if not is_postgres(db):
        db.execute_sql(f"PRAGMA synchronous={'NORMAL' if relaxed else 'FULL'}")


def probe_text(target: DatabaseTarget, password: str | None) -> Text:
    """Blocking (a thread of its own): connect once with these values, say what answered.
    StorageError (the password scrubbed) when it cannot."""
    db = PgShopDatabase(target, password)
    try:
        db.connect()
        version = schema_version(db)
        schema = (translate("database", "schema v{0}").format(version) if version
                  else translate("database", "empty: the shop's tables are created at the next start"))
        return translate("database", "{0} ({1})").format(server_description(db), schema)
    except peewee.DatabaseError as exc:
        raise pg_storage_error(exc, target) from None
    finally:
        db.close()
