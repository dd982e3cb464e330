"""Opening the data dir's own files without trusting what is found under their names.

The data dir is owner-only (AppPaths.ensure refuses one that others can write), yet a file in it
may have been put there earlier, or by a tool run as another user: a symlink that sends the
database, the log or a temporary file somewhere else, a file of another user's. So every known
file is opened without following a symlink (O_NOFOLLOW), must be a regular file of this user,
and is kept 0600 whatever the umask; a temporary file is always made new (O_EXCL), never reused.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.paths import DATA_DIR_ENV

OWNER_ONLY = 0o600
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # 0 on Windows, which has no such links to plant
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refused(what: Text | str, path: Path, problem: Text, fix: Text) -> StorageError:
    return StorageError(
        translate("errors", "Cannot use {0} {1}: {2}.").format(what, path, problem),
        translate("errors", "{0}, or point {1} at a folder you own.").format(fix, DATA_DIR_ENV),
    )


def _symlink(what: Text | str, path: Path) -> StorageError:
    try:
        target = translate("errors", "it is a symbolic link (to {0})").format(os.readlink(path))
    except OSError:
        target = translate("errors", "it is a symbolic link")
    return _refused(
        what, path, translate("errors", "{0}; ProxyShop never follows a link in its data "
                              "dir (one could send the data elsewhere)").format(target),
        translate("errors", "Move the link away (put the real file there if it was yours)"),
    )


def vet(path: Path, what: Text | str, st: os.stat_result) -> None:
    """A StorageError unless `st` (from lstat or fstat) is a regular file of this user."""
    if stat.S_ISLNK(st.st_mode):
        raise _symlink(what, path)
    if stat.S_ISDIR(st.st_mode):
        raise _refused(what, path, translate("errors", "it is a folder, not a file"),
                       translate("errors", "Move that folder away"))
    if not stat.S_ISREG(st.st_mode):
        raise _refused(what, path, translate("errors", "it is not a regular file"), translate("errors", "Move it away"))
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise _refused(
            what, path, translate("errors", "it belongs to another user (uid {0}, this is uid {1})").format(
                st.st_uid, os.geteuid()),
            translate("errors", "Move it away after checking how it got there"),
        )


def check_file(path: Path, what: Text | str) -> os.stat_result | None:
    """lstat `path` without opening it: None when it does not exist, a StorageError when it is a
    symlink, not a regular file, or another user's; an owner-only mode otherwise (set if not)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    vet(path, what, st)
    if stat.S_IMODE(st.st_mode) != OWNER_ONLY:
        os.chmod(path, OWNER_ONLY)  # a regular file of ours in an owner-only folder
    return st


def open_file(path: Path, flags: int, what: Text | str) -> int:
    """os.open that never follows a symlink and gives back only a vetted, 0600 file. With O_CREAT
    a missing file is created 0600. OSErrors other than the symlink case reach the caller."""
    check_file(path, what)  # before opening: a planted FIFO would block the open itself
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC, OWNER_ONLY)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _symlink(what, path) from None
        raise
    try:
        st = os.fstat(fd)
        vet(path, what, st)
        if stat.S_IMODE(st.st_mode) != OWNER_ONLY:
            os.fchmod(fd, OWNER_ONLY)  # the umask may have taken bits away, or given none
    except BaseException:
        os.close(fd)
        raise
    return fd


def create_new(path: Path, what: Text | str) -> int:
    """A temporary file made afresh for writing, 0600. Whatever had its name (a leftover, or a
    planted symlink) is removed first, never written through; O_EXCL then refuses anything that
    appears in between."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)  # removes a symlink itself, not what it points to
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, OWNER_ONLY)
    try:
        os.fchmod(fd, OWNER_ONLY)
    except BaseException:
        os.close(fd)
        raise
    return fd


def still_the_same(path: Path, fd: int, what: Text | str) -> None:
    """After a library opened `path` by name (SQLite does): the name must still be the file `fd`
    holds, not a symlink or another file swapped in meanwhile."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        vet(path, what, st)
    held = os.fstat(fd)
    if st is None or (st.st_dev, st.st_ino) != (held.st_dev, held.st_ino):
        raise _refused(what, path, translate("errors", "it was replaced while it was being opened"),
                       translate("errors", "Make sure no other program writes in the data dir, then try again"))


def held_elsewhere_in_process(fd: int) -> bool | None:
    """Whether another descriptor of this process refers to the file `fd` holds (the one a
    library opened by name): None where /proc/self/fd cannot tell (not Linux)."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return None
    held = os.fstat(fd)
    for entry in fds.iterdir():
        if entry.name == str(fd):
            continue
        try:
            st = os.stat(entry)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (held.st_dev, held.st_ino):
            return True
    return False
