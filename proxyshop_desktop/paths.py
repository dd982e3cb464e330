"""Where the app keeps its files: one data dir (PROXYSHOP_DATA_DIR overrides all of it)."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from proxyshop_desktop import APP_NAME
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import translate

DATA_DIR_ENV = "PROXYSHOP_DATA_DIR"


@dataclass(frozen=True)
class AppPaths:
    data_dir: Path

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> AppPaths:
        env = os.environ if environ is None else environ
        override = env.get(DATA_DIR_ENV, "").strip()
        base = Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))
        return cls(base.absolute())

    @property
    def database(self) -> Path:
        return self.data_dir / "proxyshop.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.data_dir / "settings.json"

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def log_file(self) -> Path:
        return self.logs_dir / "proxyshop.log"

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"

    @property
    def window_layout(self) -> Path:
        """The window's sizes and columns (QSettings, ini format)."""
        return self.data_dir / "window.ini"

    @property
    def sync_lock(self) -> Path:
        return self.data_dir / "sync.lock"

    @property
    def data_lock(self) -> Path:
        """Held (shared) by every process using the data dir; restore takes it exclusively."""
        return self.data_dir / "data.lock"

    def ensure(self) -> None:
        """Create the data dir tree owner-only (0700); a clear error when that is impossible.

        A folder of another user's, or one that other users can write (they could have planted
        files in it), is refused, never silently fixed; one of ours that is merely stricter or
        readable by others (0500, 0755) is set back to 0700."""
        for folder in (self.data_dir, self.logs_dir, self.backups_dir, self.exports_dir):
            try:
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                st = folder.stat()  # follows: a data dir the operator reaches by a link is fine
            except OSError as exc:
                raise self._unusable(folder, exc) from exc
            self._check_owner_only(folder, st)
            try:
                os.chmod(folder, 0o700)  # even when it is 0700: fails early on a read-only mount
            except OSError as exc:
                raise self._unusable(folder, exc) from exc

    def _check_owner_only(self, folder: Path, st: os.stat_result) -> None:
        where = (self.data_dir, folder)
        if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            raise StorageError(
                translate("errors", "Cannot use the data dir {0}: {1} belongs to another user (uid {2}, this is "
                          "uid {3}).").format(*where, st.st_uid, os.geteuid()),
                translate("errors", "Run ProxyShop as that user, or point {0} at a folder you own.").format(
                    DATA_DIR_ENV),
            )
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise StorageError(
                translate("errors", "Cannot use the data dir {0}: {1} is writable by other users (mode {2})."
                          ).format(*where, f"{stat.S_IMODE(st.st_mode):04o}"),
                translate("errors", "They could have put files in it that ProxyShop would trust: check what is in "
                          "it, then make it owner-only (chmod 700 '{0}'), or point {1} at a folder you own."
                          ).format(folder, DATA_DIR_ENV),
            )

    def _unusable(self, folder: Path, exc: OSError) -> StorageError:
        """Say which path is in the way and what to do about it."""
        blocker = _first_file_in(folder)
        if blocker is not None:
            return StorageError(
                translate("errors", "Cannot use the data dir {0}: {1} is a file, not a folder.").format(
                    self.data_dir, blocker),
                translate("errors", "Move that file away, or point {0} at a folder you own.").format(DATA_DIR_ENV),
            )
        if exc.errno == errno.EROFS:
            return StorageError(
                translate("errors", "Cannot use the data dir {0}: {1} is on a read-only file system.").format(
                    self.data_dir, folder),
                translate("errors", "Mount it writable, or point {0} at a folder you own.").format(DATA_DIR_ENV),
            )
        if exc.errno == errno.ENOSPC:
            return StorageError(
                translate("errors", "Cannot use the data dir {0}: the disk holding {1} is full.").format(
                    self.data_dir, folder),
                translate("errors", "Free some space on that disk, then try again."),
            )
        denied = isinstance(exc, PermissionError)
        reason = translate("errors", "permission denied") if denied else (exc.strerror or str(exc))
        return StorageError(
            translate("errors", "Cannot use the data dir {0}: {1}: {2}.").format(self.data_dir, folder, reason),
            translate("errors", "Make it (or the folder it is created in) writable by this user, or point {0} at a "
                      "folder you own.").format(DATA_DIR_ENV),
        )


def _first_file_in(path: Path) -> Path | None:
    """The first component of `path` that exists and is not a folder (mkdir fails there)."""
    for candidate in (*reversed(path.parents), path):
        if candidate.exists() and not candidate.is_dir():
            return candidate
    return None
