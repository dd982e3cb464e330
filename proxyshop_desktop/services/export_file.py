"""The export's file: owner-only (0600), complete or not there at all.

Rows are written as they come to a hidden temp file in the target folder (`.NAME.xxxxxxxx.tmp`),
which is fsynced and renamed over the target at the end, or removed when the export fails or is
cancelled: the target is never half-written, and an older file under that name stays whole.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import secrets
import time
from pathlib import Path

from proxyshop_desktop.durable import fsync_path
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import translate

log = logging.getLogger(__name__)

#: a temp file this old was left by an export that was killed: no live export takes an hour
STALE_TEMP_SECONDS = 3600


class AtomicFile:
    """open() → write()… → commit(), or abort(). Each call is short: the export interleaves
    them with its reads on the DB thread, one chunk at a time."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.tmp = out.with_name(f".{out.name}.{secrets.token_hex(4)}.tmp")
        self._fd: int | None = None

    def open(self) -> None:
        remove_stale_temps(self.out)
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
            self._fd = os.open(self.tmp, flags, 0o600)
            os.fchmod(self._fd, 0o600)
        except OSError as exc:
            self.abort()
            raise self._error(exc) from exc

    def write(self, data: bytes) -> None:
        assert self._fd is not None, "write() before open()"
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
        except OSError as exc:
            self.abort()
            raise self._error(exc) from exc

    def commit(self) -> None:
        assert self._fd is not None, "commit() before open()"
        try:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = None
            os.replace(self.tmp, self.out)
        except OSError as exc:
            self.abort()
            raise self._error(exc) from exc
        fsync_path(self.out.parent)

    def abort(self) -> None:
        """Close and remove the temp file (it holds credentials); the target is untouched."""
        with contextlib.suppress(OSError):
            if self._fd is not None:
                os.close(self._fd)
        self._fd = None
        with contextlib.suppress(OSError):
            self.tmp.unlink(missing_ok=True)

    def _error(self, exc: OSError) -> StorageError:
        return StorageError(
            translate("errors", "Cannot write {0}: {1}.").format(self.out, exc.strerror or exc),
            translate("errors", "Check that the folder is writable and the disk has free space."),
        )


def remove_stale_temps(out: Path) -> None:
    """A killed export leaves its hidden temp file behind, with the customers' credentials in it."""
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.[0-9a-f]{{8}}\.tmp$")
    cutoff = time.time() - STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for leftover in out.parent.glob(f".{glob.escape(out.name)}.*.tmp"):
            with contextlib.suppress(OSError):
                if pattern.match(leftover.name) and leftover.stat().st_mtime < cutoff:
                    leftover.unlink()
                    log.info("removed %s, left by an export that did not finish", leftover)
