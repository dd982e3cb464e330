"""Where the app keeps its files: one data dir (PROXYSHOP_DATA_DIR overrides all of it)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from proxyshop_desktop import APP_NAME
from proxyshop_desktop.errors import StorageError

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
    def sync_lock(self) -> Path:
        return self.data_dir / "sync.lock"

    @property
    def data_lock(self) -> Path:
        """Held (shared) by every process using the data dir; restore takes it exclusively."""
        return self.data_dir / "data.lock"

    def ensure(self) -> None:
        """Create the data dir tree owner-only (0700); a clear error when that is impossible."""
        try:
            for folder in (self.data_dir, self.logs_dir, self.backups_dir, self.exports_dir):
                folder.mkdir(parents=True, exist_ok=True, mode=0o700)
                os.chmod(folder, 0o700)
        except OSError as exc:
            raise StorageError(
                f"Cannot use the data dir {self.data_dir}: {exc.strerror or exc}.",
                f"Make it writable, or point {DATA_DIR_ENV} at a folder you own.",
            ) from exc
