"""Which database a shop opens: the data dir's SQLite file, or the shared PostgreSQL one."""

from __future__ import annotations

import logging
import os

from proxyshop_desktop.config import Settings
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.models.target import DatabaseTarget, keyring_password
from proxyshop_desktop.paths import AppPaths

log = logging.getLogger(__name__)


def open_store(paths: AppPaths, settings: Settings, environ: dict[str, str] | None = None) -> Store:
    """The store `settings` name (not open yet): the data dir's SQLite file, or the shared
    PostgreSQL database with its password from the keyring (or libpq's own)."""
    if not settings.database_url:
        return Store(paths.database, paths.backups_dir)
    target = DatabaseTarget.parse(settings.database_url)
    for warning in target.warnings():
        log.warning("%s", warning)
    password = keyring_password(target, dict(os.environ if environ is None else environ))
    return Store(paths.database, paths.backups_dir, target=target, password=password)
