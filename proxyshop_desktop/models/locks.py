"""Cross-process locks on files in the data dir (fcntl.flock: released when the process dies)."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from proxyshop_desktop import safe_files
from proxyshop_desktop.errors import BusyError, StorageError
from proxyshop_desktop.i18n import Text, translate


class FileLock:
    """`shared=True` for "I use this data dir", exclusive for "nobody else may"."""

    def __init__(self, path: Path, *, shared: bool = False, what: Text | str = "this operation") -> None:
        self.path = path
        self.shared = shared
        self.what = what
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> None:
        try:
            fd = safe_files.open_file(self.path, os.O_RDWR | os.O_CREAT, translate("errors", "the lock file"))
        except OSError as exc:  # an unwritable data dir must be a message, not a traceback
            raise StorageError(
                translate("errors", "Cannot create the lock file {0}: {1}.").format(self.path, exc.strerror or exc),
                translate("errors", "Make {0} writable by this user, or point PROXYSHOP_DATA_DIR "
                          "at a folder you own.").format(self.path.parent),
            ) from exc
        mode = fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, mode | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise BusyError(translate("errors", "Another ProxyShop process is running {0}.").format(
                        self.what)) from None
                time.sleep(0.05)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
