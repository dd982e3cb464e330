"""`proxyshop-desktop db-password set|status|clear` (the shared database's password in the
keyring), `db status` and `db copy --to URL` (move the SQLite shop to PostgreSQL)."""

from __future__ import annotations

import argparse
import os
import sys

from proxyshop_desktop import token_store
from proxyshop_desktop.cli.commands import Reply, read_secret
from proxyshop_desktop.config import load_settings
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import Text, render, translate
from proxyshop_desktop.logging_setup import install_redaction
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password
from proxyshop_desktop.paths import DATA_DIR_ENV, AppPaths


def _status() -> token_store.TokenStatus:
    return token_store.token_status(
        account=token_store.DB_PASSWORD_ACCOUNT, env_var=token_store.DB_PASSWORD_ENV
    )


#: the database password's state, in the provider token's words
_PASSWORD_WORDS = token_store.StatusWords(
    translate("cli", "Database password set from {0} (overrides the keyring; keyring: {1})."),
    translate("cli", "Database password set, stored in the OS keyring ({0})."),
    translate("cli", "No database password. No usable OS keyring ({0}): export {1} instead."),
    translate("cli", "No database password set. It will be stored in the OS keyring ({0})."),
)


def _describe(status: token_store.TokenStatus) -> Text:
    text = status.describe(_PASSWORD_WORDS)
    if status.is_set:
        return text
    return translate("cli", "{0} libpq's ~/.pgpass is used when it has a matching line.").format(text)


def run_db_password(args: argparse.Namespace) -> Reply:
    action = args.password_action
    if action == "status":
        status = _status()
        return Reply(status.to_json(), render(_describe(status)))
    if action == "clear":
        removed = token_store.clear_token(token_store.DB_PASSWORD_ACCOUNT)
        text = (translate("cli", "Database password removed from the OS keyring.") if removed
                else translate("cli", "No database password was stored."))
        return Reply({"status": "success", "removed": removed}, render(text))
    password = read_secret(render(translate("cli", "Database password (not shown): ")))
    install_redaction(password)
    token_store.store_secret(password, token_store.DB_PASSWORD_ACCOUNT)
    status = _status()
    text = translate("cli", "Database password stored in the OS keyring ({0}).").format(status.backend)
    if status.source == "environment":
        text = translate("cli", "{0} Note: {1} is set and overrides it.").format(text, token_store.DB_PASSWORD_ENV)
    return Reply({"status": "success", "stored_in": "keyring", "backend": status.backend}, render(text))


def run_db(args: argparse.Namespace, paths: AppPaths) -> Reply:
    if args.db_action == "copy":
        return _copy(args.to, paths)
    return _status_of(paths)


def _status_of(paths: AppPaths) -> Reply:
    from proxyshop_desktop.models import engine, shop_copy
    from proxyshop_desktop.services.shop import open_store

    settings = load_settings(paths.settings_file)
    store = open_store(paths, settings)
    store.open()
    try:
        def read() -> tuple[str, int, shop_copy.Figures]:
            db = store.db
            return engine.server_description(db), engine.schema_version(db), shop_copy.figures(db)

        server, version, figures = store.run_blocking(read)
    finally:
        store.close()
    where = store.target.shown if store.target is not None else str(paths.database)
    data = {"engine": "postgresql" if store.is_postgres else "sqlite", "server": server,
            "database": where, "schema_version": version, **figures.to_json()}
    lines = [translate("cli", "Engine: {0} ({1})").format(data["engine"], server),
             translate("cli", "Database: {0}").format(where),
             translate("cli", "Schema version: {0}").format(version),
             translate("cli", "Rows:")]
    table_lines = [f"  {table}: {count:,}" for table, count in figures.rows.items()]
    return Reply(data, "\n".join([*(render(line) for line in lines), *table_lines]))


def _copy(url: str, paths: AppPaths) -> Reply:
    """The data dir's SQLite shop into the empty PostgreSQL database at `url`, verified."""
    from proxyshop_desktop.models import shop_copy
    from proxyshop_desktop.models.store import Store
    from proxyshop_desktop.services.maintenance import exclusive_data_lock

    try:
        target = DatabaseTarget.parse(url)
    except ValueError as exc:
        raise UsageError(translate("errors", "Cannot copy to {0}: the URL {1}.").format(repr(url), exc),
                         translate("errors", "Give postgresql://user@host:port/dbname.")) from None
    for warning in target.warning_texts():
        print(f"warning: {render(warning)}", file=sys.stderr, flush=True)
    if not paths.database.is_file():
        raise UsageError(translate("errors", "There is no SQLite shop at {0} to copy.").format(paths.database),
                         translate("errors", "Check {0}.").format(DATA_DIR_ENV))
    # nothing may write the shop while it is copied
    with exclusive_data_lock(paths, translate(
            "errors", "Quit the window (and any command or scheduled sync), then copy again.")):
        source = Store(paths.database, paths.backups_dir)
        source.open()  # checked and at the latest schema
        source.close()
        password = keyring_password(target, dict(os.environ))
        _check_target_empty(target, password)
        store = Store(paths.database, paths.backups_dir, target=target, password=password)
        store.open()
        try:
            mine, theirs = store.run_blocking(shop_copy.copy_into, store.db, paths.database)
        finally:
            store.close()
    data = {"status": "success", "to": target.shown, "source": mine.to_json(),
            "target": theirs.to_json()}
    rows = render(translate("cli", "rows"))
    lines = [render(translate("cli", "Copied {0} into {1} in one transaction, verified:").format(
                 paths.database, target.shown)),
             f"  {'':<24}{'SQLite':>14}{'PostgreSQL':>14}"]
    lines += [f"  {t + ' ' + rows:<24}{n:>14,}{theirs.rows.get(t, 0):>14,}"
              for t, n in mine.rows.items()]
    lines += [f"  {k:<24}{v:>14,}{theirs.sums.get(k, 0):>14,}" for k, v in mine.sums.items()]
    lines.append(render(translate("cli", "Point every app at it: PROXYSHOP_DATABASE_URL={0} (or database_url "
                                  "in settings.json).").format(target.shown)))
    return Reply(data, "\n".join(lines))


def _check_target_empty(target: DatabaseTarget, password: str | None) -> None:
    """Before any migration creates tables there: a target holding anything is refused."""
    import peewee

    from proxyshop_desktop.models import engine, shop_copy

    db = engine.PgShopDatabase(target, password)
    try:
        db.connect()
        shop_copy.check_empty_target(db, target.shown)
    except peewee.DatabaseError as exc:
        raise engine.pg_storage_error(exc, target) from None
    finally:
        db.close()
