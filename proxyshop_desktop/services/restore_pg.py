"""Restoring a `.pgdump` into the shared PostgreSQL database (`proxyshop-desktop restore FILE`).

The dump is checked first (pg_restore reads it, it is a ProxyShop database, its schema is not
newer than this app's). Then, holding this data dir's exclusive lock and the shop-wide sync lock
(no sync or cleanup starts on any machine meanwhile), the current database is saved with pg_dump
and replaced in one transaction (models/backup.py: pg_restore_into): a failure leaves it as it was.
The restored database is then migrated to this app's schema, so the other machines go on at once.

The other machines stay connected: their connections are not closed. A statement of theirs that
touches the shop's tables during the restore waits for it; after the commit they read the
restored shop (their windows at the next refresh), and a change they had committed before it is
in the safety copy only.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import peewee

from proxyshop_desktop.errors import BusyError, StorageError, UsageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.models import backup, engine, migrations, shop_copy
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.maintenance import restore_lock, unique_path

log = logging.getLogger(__name__)

#: what the operator is told happens to the other machines' connections
OTHER_MACHINES = translate(
    "restore", "Other machines stay connected: they read the restored shop from their next query "
    "(a window at its next refresh); a sale or refund they made after the backup was taken is only "
    "in the saved copy.")


@dataclass(frozen=True)
class PgRestore:
    target: str  # the database URL without its password
    dump_version: int  # the backup's schema version (migrated to this app's afterwards)
    safety: Path | None  # the pg_dump of the database it replaced (None: it held no shop)

    def describe(self, source: Path) -> Text:
        text = translate("restore", "Restored {0} (schema v{1}) into {2}.").format(
            source, self.dump_version, self.target)
        if self.safety is not None:
            text = translate("restore", "{0} The previous database was saved as {1}.").format(text, self.safety)
        return translate("restore", "{0} {1}").format(text, OTHER_MACHINES)


def restore_pg_backup(paths: AppPaths, database_url: str, source: Path, at: datetime) -> PgRestore:
    """Blocking; no Shop of this data dir may be open. `at` names the safety copy."""
    source = Path(source).expanduser().absolute()
    version = _checked_dump(source)
    target = DatabaseTarget.parse(database_url)
    password = keyring_password(target, dict(os.environ))
    paths.ensure()
    with restore_lock(paths):
        safety = _replace(paths, target, password, source, at)
        _migrate_and_record(paths, target, password, source, safety, at)
    log.info("restored %s into %s (previous database saved as %s)", source, target.shown, safety)
    return PgRestore(target.shown, version, safety)


def _checked_dump(source: Path) -> int:
    if source.is_file() and not backup.is_pg_dump(source):
        raise UsageError(
            translate("errors", "Cannot restore {0}: this shop uses a PostgreSQL database, which restores "
                      "pg_dump backups (.pgdump) only.").format(source),
            translate("errors", "Choose a .pgdump file from the backups dir. To move a SQLite shop into "
                      "PostgreSQL, restore it without PROXYSHOP_DATABASE_URL, then use `db copy --to URL`."),
        )
    try:
        version = backup.check_pg_dump(source)
    except ValueError as exc:
        raise UsageError(translate("errors", "Cannot restore: {0}.").format(exc),
                         translate("errors", "Choose a backup file from the backups dir.")) from None
    if version > migrations.LATEST_VERSION:
        raise UsageError(
            translate("errors", "Cannot restore {0}: it comes from a newer ProxyShop (schema {1}).").format(
                source, version),
            translate("errors", "Restore it with that version, or choose an older backup."),
        )
    return version


def _replace(paths: AppPaths, target: DatabaseTarget, password: str | None, source: Path,
             at: datetime) -> Path | None:
    """Under the shop-wide sync lock: save the current database, then restore the dump."""
    db = engine.PgShopDatabase(target, password)
    try:
        db.connect()
        tables = shop_copy.user_tables(db)
        if tables and engine.schema_version(db) == 0:
            raise UsageError(
                translate("errors", "The database {0} holds tables that are not a ProxyShop shop's ({1}).").format(
                    target.shown, ", ".join(tables[:5])),
                translate("errors", "Restore into the shop's own database, or into a new, empty one."),
            )
        if not engine.try_session_lock(db, "sync"):
            raise BusyError(translate("errors", "Another machine is syncing or cleaning up the shop."),
                            translate("errors", "Wait for it to finish, then restore again."))
        try:
            safety = None
            if tables:
                dest = paths.backups_dir / backup.backup_name("before-restore", at, suffix=backup.PG_SUFFIX)
                safety = backup.pg_dump_into(target, password, unique_path(dest))
            backup.pg_restore_into(target, password, source)
        finally:
            engine.session_unlock(db, "sync")
    except peewee.DatabaseError as exc:
        raise engine.pg_storage_error(exc, target) from None
    finally:
        db.close()
    return safety


def _migrate_and_record(paths: AppPaths, target: DatabaseTarget, password: str | None, source: Path,
                        safety: Path | None, at: datetime) -> None:
    """Bring the restored database to this app's schema (the other machines' apps expect it),
    and put the restore into its audit trail."""
    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.models.tables import AuditEvent
    from proxyshop_desktop.operator import current_operator

    saved = f" The previous database was saved as {safety.name}." if safety else ""
    store = Store(paths.database, paths.backups_dir, target=target, password=password)
    store.open()
    try:
        store.run_blocking(lambda: AuditEvent.create(
            at=at, kind="restore", ok=True, operator=current_operator(),
            message=f"Restored the database from {source.name}.{saved}"))
    except StorageError as exc:  # the restore itself succeeded; only the note is lost
        log.warning("could not record the restore in the audit trail: %s", exc)
    finally:
        store.close()
