"""The database handle: one SQLite file, one dedicated worker thread that does all DB work.

Every query runs on that thread (`await store.run(fn)`), so there is one writer per process, the
GUI thread never blocks on SQLite, and peewee's thread-local connection is the only connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import ParamSpec, TypeVar

import peewee

from proxyshop_desktop import safe_files
from proxyshop_desktop.clock import utcnow
from proxyshop_desktop.errors import DatabaseUnavailableError, StorageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models import backup, engine, migrations
from proxyshop_desktop.models.database import ShopDatabase
from proxyshop_desktop.models.locks import FileLock
from proxyshop_desktop.models.tables import database_proxy
from proxyshop_desktop.models.target import DatabaseTarget
from proxyshop_desktop.paths import DATA_DIR_ENV

log = logging.getLogger(__name__)

#: the files SQLite keeps next to the database
SIDE_FILES = ("-wal", "-shm", "-journal")
#: less free space than this, and a disk I/O error is called a full disk
FULL_DISK_BYTES = 1 << 20

P = ParamSpec("P")
T = TypeVar("T")
E = TypeVar("E", bound=StorageError | None)


def storage_error(exc: Exception, path: Path | None = None) -> StorageError:
    """Map SQLite's environment errors to messages an operator can act on (naming the file)."""
    text = str(exc).lower()
    database = translate("errors", "The database {0}").format(path) if path else translate("errors", "The database")
    if "locked" in text or "busy" in text:
        return StorageError(
            translate("errors", "The database is busy in another ProxyShop process."),
            translate("errors", "Wait a moment and try again."),
        )
    # SQLITE_FULL: the statement (and its transaction) was rolled back. A full disk can also
    # surface as SQLITE_IOERR (growing the -shm file at open, say): the free space tells.
    if "full" in text or ("disk i/o" in text and path is not None and _disk_full(path.parent)):
        full = (translate("errors", "The disk holding {0} is full: the change was not saved.").format(path.parent)
                if path else translate("errors", "The disk holding the data dir is full: the change was not saved."))
        return StorageError(
            full,
            translate("errors", "Free some space on that disk (old backups and exports can go), then try again."),
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        folder = path.parent if path else None
        return StorageError(translate("errors", "{0} cannot be opened for writing.").format(database),
                            writable_hint(folder))
    if "disk i/o" in text:  # SQLITE_IOERR: a failed read, write or fsync, not proof of damage
        return DatabaseUnavailableError(
            translate("errors", "{0} could not be read or written (disk I/O error); the change was not saved."
                      ).format(database),
            translate("errors", "Check the disk (free space, quota, the system log). If the error stays, restore a "
                      "backup with `proxyshop-desktop restore FILE` (backups are in the data dir)."),
        )
    if "malformed" in text or "not a database" in text:
        return StorageError(
            translate("errors", "{0} is damaged or unreadable ({1}).").format(database, exc),
            translate("errors",
                      "Restore a backup with `proxyshop-desktop restore FILE` (backups are in the data dir)."),
        )
    return StorageError(translate("errors", "Database error: {0}.").format(exc),
                        translate("errors", "Try again; if it persists, check the log file."))


#: how long a passed full integrity check of a database file is trusted
FULL_CHECK_EVERY_S = 24 * 3600


def _read_stamp(stamp: Path) -> str | None:
    """The identity a passed full check recorded, if it is recent; None otherwise."""
    try:
        fd = os.open(stamp, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None  # none yet (or a link): check now
    with os.fdopen(fd, "rb") as source:
        st = os.fstat(source.fileno())
        if not stat.S_ISREG(st.st_mode) or time.time() - st.st_mtime >= FULL_CHECK_EVERY_S:
            return None
        return source.read(64).decode("ascii", "replace")


def _file_identity(path: Path) -> str:
    """Which file this is: a restored or replaced database is checked afresh."""
    st = path.stat()
    return f"{st.st_dev}:{st.st_ino}"


def _disk_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < FULL_DISK_BYTES
    except OSError:
        return False


def writable_hint(folder: Path | None) -> Text:
    where = folder if folder else translate("errors", "the data dir")
    return translate(
        "errors", "Make {0} (and the files in it) writable by this user and check its disk is not "
        "full, or point {1} at a folder you own.").format(where, DATA_DIR_ENV)


class Store:
    def __init__(
        self,
        path: Path,
        backups_dir: Path | None = None,
        target: DatabaseTarget | None = None,
        password: str | None = None,
    ) -> None:
        """`target` None: the SQLite file at `path`; else that PostgreSQL database (`password`
        None lets libpq find it)."""
        self.path = path
        self.backups_dir = backups_dir or path.parent / "backups"
        self.target = target
        self._password = password
        self._executor: ThreadPoolExecutor | None = None
        self._pinned: int | None = None  # our descriptor of the SQLite file, held while connected
        #: told (on the DB thread) when the database stops answering (the error) and when it
        #: answers again (None): the window's status indicator
        self.on_health: Callable[[DatabaseUnavailableError | None], None] | None = None
        self._unavailable = False
        if target is not None:
            self.db: peewee.Database = engine.PgShopDatabase(target, password)
            return
        self.db = ShopDatabase(
            str(path),
            pragmas={
                # busy_timeout first: switching to WAL needs a lock another process may hold
                "busy_timeout": 15000,
                "journal_mode": "wal",
                "synchronous": "full",  # money commits; the bulk sync lowers it for its transaction
                "foreign_keys": 1,
                "cache_size": -16000,
            },
            lock_type="IMMEDIATE",  # one writer; no SQLITE_BUSY_SNAPSHOT on read-then-write
            check_same_thread=False,
        )

    # --- lifecycle (blocking; call once) ----------------------------------------------------

    def open(self) -> list[int]:
        """Open, check integrity, migrate (backing up first). Returns the migrations applied."""
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="proxyshop-db")
        return self._executor.submit(self._open_on_worker).result()

    @property
    def is_postgres(self) -> bool:
        return self.target is not None

    @property
    def password(self) -> str | None:
        """The keyring's password handed to libpq (None: libpq finds its own)."""
        return self._password

    def _open_on_worker(self) -> list[int]:
        database_proxy.bind_thread(self.db)  # this thread's queries go to this store's database
        if self.target is not None:
            return self._open_postgres(self.target)
        # Two processes starting on a new data dir both create the file, switch it to WAL and
        # migrate; SQLite can answer BUSY there without waiting (a lock upgrade deadlock), so
        # start-up is serialised across processes. It takes milliseconds.
        lock = FileLock(self.path.with_suffix(".open.lock"), what=translate("errors", "the database start-up"))
        lock.acquire(timeout=60.0)
        try:
            return self._open_locked()
        finally:
            lock.release()

    def _open_locked(self) -> list[int]:
        if self.path.is_dir() and not self.path.is_symlink():
            raise StorageError(
                translate("errors", "The database path {0} is a folder, not a database file.").format(self.path),
                translate("errors", "Move that folder away, or point {0} at another data dir.").format(DATA_DIR_ENV),
            )
        # SQLite opens these by name and follows a symlink: each is checked first (a link, a
        # non-file, another user's: refused; any mode: made 0600), and the database is held
        # open by us so that what SQLite opened can be checked against it afterwards.
        try:
            self._check_side_files()
            found = safe_files.check_file(self.path, translate("errors", "the database"))
            # A missing database is created here, 0600, as a new file: SQLite gives -wal and
            # -shm the main file's mode.
            create = 0 if found is not None else os.O_CREAT | os.O_EXCL
            pinned = safe_files.open_file(self.path, os.O_RDONLY | create, translate("errors", "the database"))
        except OSError as exc:
            raise StorageError(
                translate("errors", "Cannot open or create the database {0}: {1}.").format(
                    self.path, exc.strerror or exc),
                writable_hint(self.path.parent),
            ) from exc
        existed = found is not None and found.st_size > 0
        try:
            applied = self._connect_and_migrate(existed, pinned)
        except BaseException:
            self.db.close()
            os.close(pinned)
            raise
        # Held open until SQLite's connection closes: SQLite's locks are POSIX locks, which any
        # close of the file in this process drops. Dropped, another process's close would find
        # itself the last user and delete the WAL under our next commit (a sale lost).
        self._pinned = pinned
        return applied

    def _connect_and_migrate(self, existed: bool, pinned: int) -> list[int]:
        database_proxy.initialize(self.db)
        try:
            self.db.connect(reuse_if_open=True)
            self._check_what_sqlite_opened(pinned)
            if existed:
                self._check_integrity()
            version = migrations.schema_version(self.db)
            if version > migrations.LATEST_VERSION:
                raise StorageError(
                    translate("errors", "The database {0} comes from a newer ProxyShop "
                              "(schema {1}, this app knows {2}).").format(
                                  self.path, version, migrations.LATEST_VERSION),
                    translate("errors", "Run the newer version, or restore a backup made by this one."),
                )
            if existed and version < migrations.LATEST_VERSION:
                dest = self.backups_dir / backup.backup_name(f"before-v{migrations.LATEST_VERSION}", utcnow())
                backup.backup_into(self.db, dest)
                log.info("backed up the database to %s before migrating", dest)
            return migrations.migrate(self.db)
        except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
            self.db.close()
            raise storage_error(exc, self.path) from exc
        except StorageError:
            self.db.close()
            raise

    def _open_postgres(self, target: DatabaseTarget) -> list[int]:
        """Connect, refuse a newer schema, back up (pg_dump) before migrating an existing shop,
        migrate under the advisory lock. No integrity check: the server keeps its own."""
        database_proxy.initialize(self.db)
        try:
            self.db.connect(reuse_if_open=True)
            version = migrations.schema_version(self.db)
            if version > migrations.LATEST_VERSION:
                raise StorageError(
                    translate("errors", "The database {0} comes from a newer ProxyShop "
                              "(schema {1}, this app knows {2}).").format(
                                  target.shown, version, migrations.LATEST_VERSION),
                    translate("errors", "Run the newer version on every machine using this database."),
                )
            if 0 < version < migrations.LATEST_VERSION:
                dest = self.backups_dir / backup.backup_name(f"before-v{migrations.LATEST_VERSION}", utcnow(),
                                                             suffix=backup.PG_SUFFIX)
                backup.pg_dump_into(target, self._password, dest)
                log.info("backed up the database to %s before migrating", dest)
            return migrations.migrate(self.db)
        except peewee.DatabaseError as exc:
            self.db.close()
            raise engine.pg_storage_error(exc, target) from None
        except StorageError:
            self.db.close()
            raise

    def dump_to(self, dest: Path) -> Path:
        """PostgreSQL: pg_dump the database to `dest` (any thread: pg_dump connects itself)."""
        if self.target is None:
            raise RuntimeError("dump_to is for a PostgreSQL store; SQLite uses backup.backup_into")
        return backup.pg_dump_into(self.target, self._password, dest)

    def _check_what_sqlite_opened(self, pinned: int) -> None:
        """Closes the gap between our checks and SQLite's own open (by name) as far as we can:
        the name must still be the file we hold, SQLite's descriptor must be that file too
        (Linux), and the -wal/-shm it created or reused must pass the same checks."""
        safe_files.still_the_same(self.path, pinned, translate("errors", "the database"))
        if safe_files.held_elsewhere_in_process(pinned) is False:
            raise StorageError(
                translate("errors", "The database {0} that SQLite opened is not the file checked.").format(self.path),
                translate("errors", "Make sure no other program writes in the data dir, then try again."),
            )
        self.db.execute_sql("PRAGMA schema_version")  # SQLite now has its -wal and -shm
        try:
            self._check_side_files()
        except OSError as exc:
            raise StorageError(
                translate("errors", "Cannot use the files beside the database {0}: {1}.").format(
                    self.path, exc.strerror or exc),
                writable_hint(self.path.parent),
            ) from exc

    def _check_side_files(self) -> None:
        for suffix in SIDE_FILES:
            safe_files.check_file(Path(f"{self.path}{suffix}"),
                                  translate("errors", "the database's {0} file").format(suffix))
    def _check_integrity(self) -> None:
        """Every open reads the header and the schema (a damaged or foreign file fails here);
        the full `quick_check`, whose cost grows with the database (1.4 s at a million orders),
        runs once per FULL_CHECK_EVERY for this file, remembered in a stamp beside it."""
        self.db.execute_sql("SELECT COUNT(*) FROM sqlite_master").fetchone()
        stamp = self.path.with_name(self.path.name + ".checked")
        identity = _file_identity(self.path)
        if _read_stamp(stamp) == identity:
            return
        result = self.db.execute_sql("PRAGMA quick_check").fetchone()[0]
        if result != "ok":
            raise StorageError(
                translate("errors", "The database {0} failed its integrity check ({1}).").format(self.path, result),
                translate("errors", "Restore a backup with `proxyshop-desktop restore FILE`; "
                          "the damaged file is left untouched."),
            )
        try:  # never through a link planted in the data dir
            fd = os.open(stamp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as out:
                os.fchmod(out.fileno(), 0o600)
                out.write(identity)
        except OSError:
            log.info("could not record the integrity check in %s", stamp)  # checked again next time

    def close(self) -> None:
        if self._executor is None:
            return
        try:
            self._executor.submit(self._close_on_worker).result()
        finally:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _close_on_worker(self) -> None:
        if not self.db.is_closed():
            if not self.is_postgres:
                with contextlib.suppress(peewee.DatabaseError):
                    self.db.execute_sql("PRAGMA optimize")
            self.db.close()
        if self._pinned is not None:  # only now: see _open_locked
            os.close(self._pinned)
            self._pinned = None

    # --- running work on the DB thread -------------------------------------------------------

    def _guarded(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            result = fn(*args, **kwargs)
        except (sqlite3.DatabaseError, peewee.DatabaseError) as exc:
            if isinstance(exc, (peewee.IntegrityError, sqlite3.IntegrityError)):
                raise
            if self.target is not None:  # `from None`: psycopg's text may hold the URL's password
                engine.drop_if_broken(self.db)  # the next call connects afresh
                raise self._health(engine.pg_storage_error(exc, self.target)) from None
            raise self._health(storage_error(exc, self.path)) from exc
        except DatabaseUnavailableError as exc:  # a service's own mapping of the same fault
            self._health(exc)
            raise
        self._health(None)
        return result

    def _health(self, error: E) -> E:
        """DB thread: tell `on_health` when the database stops answering (a DatabaseUnavailableError,
        not a full disk or a busy file) and when it answers again (None). Returns `error`."""
        if isinstance(error, DatabaseUnavailableError) or (error is None and self._unavailable):
            self._unavailable = error is not None
            if self.on_health is not None:
                self.on_health(error)
        return error

    def ping(self) -> None:
        """DB thread: one read that needs the database (its server, its file) to answer."""
        if self.target is not None:
            self.db.execute_sql("SELECT 1").fetchone()
        else:
            self.db.execute_sql("SELECT COUNT(*) FROM sqlite_master").fetchone()

    async def run(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `fn(*args)` on the DB thread and await its result."""
        if self._executor is None:
            raise RuntimeError("Store is not open")
        loop = asyncio.get_running_loop()
        call = functools.partial(self._guarded, fn, *args, **kwargs)
        return await loop.run_in_executor(self._executor, call)

    def run_blocking(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """The same, for code that has no event loop (start-up, shutdown, scripts)."""
        if self._executor is None:
            raise RuntimeError("Store is not open")
        call = functools.partial(self._guarded, fn, *args, **kwargs)
        return self._executor.submit(call).result()
