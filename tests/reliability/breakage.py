"""Plain helpers that break the app's surroundings for the reliability tests: a full disk (the
database capped in-process) and the ways a data dir can be unusable."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from proxyshop_desktop.models.store import Store
from tests.conftest import require

NO_LIMIT = 2**31 - 2


def cap_on_worker(store: Store) -> int:
    """DB thread: no page may be added from now on (as if the disk were full). Returns the cap."""
    pages = store.db.execute_sql("PRAGMA page_count").fetchone()[0]
    return store.db.execute_sql(f"PRAGMA max_page_count = {pages}").fetchone()[0]


def uncap_on_worker(store: Store) -> None:
    store.db.execute_sql(f"PRAGMA max_page_count = {NO_LIMIT}")


async def fill_the_disk(store: Store) -> None:
    await store.run(cap_on_worker, store)


async def free_the_disk(store: Store) -> None:
    await store.run(uncap_on_worker, store)


# --- an unusable data dir: (how to break it, the path the message must name) --------------------


def data_dir_is_a_file(data: Path) -> Path:
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text("not a folder")
    return data


def parent_is_a_file(data: Path) -> Path:
    blocker = data.parent
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")
    return blocker


def logs_is_a_file(data: Path) -> Path:
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    (data / "logs").write_text("not a folder")
    return data / "logs"


def database_is_a_folder(data: Path) -> Path:
    (data / "proxyshop.sqlite3").mkdir(parents=True)
    return data / "proxyshop.sqlite3"


def lock_file_is_a_folder(data: Path) -> Path:
    (data / "data.lock").mkdir(parents=True)
    return data / "data.lock"


# --- planted or opened-up (issue 15 item 6): refused, never silently fixed or followed ---------


def writable_by_others(folder: str) -> Callable[[Path], Path]:
    def make(data: Path) -> Path:
        data.mkdir(parents=True, exist_ok=True, mode=0o700)
        target = data / folder if folder else data
        target.mkdir(exist_ok=True)
        os.chmod(target, 0o777)
        return target

    return make


def planted_link(name: str) -> Callable[[Path], Path]:
    """`name` in the data dir is a symlink to a 0666 file outside it."""

    def make(data: Path) -> Path:
        link = data / name
        link.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(data, 0o700)
        target = data.parent / f"elsewhere-{link.name}"
        target.write_bytes(b"")
        os.chmod(target, 0o666)
        link.symlink_to(target)
        return link

    return make


def database_of_another_user(data: Path) -> Path:
    require(os.geteuid() == 0, "giving a file to another user needs root")
    database = data / "proxyshop.sqlite3"
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    store = Store(database, data / "backups")
    store.open()
    store.close()
    os.chown(database, 65534, 65534)
    return database


VARIANTS: dict[str, Callable[[Path], Path]] = {
    "data dir is a file": data_dir_is_a_file,
    "parent of the data dir is a file": parent_is_a_file,
    "logs is a file": logs_is_a_file,
    "database is a folder": database_is_a_folder,
    "data.lock is a folder": lock_file_is_a_folder,
    "data dir writable by others": writable_by_others(""),
    "backups writable by others": writable_by_others("backups"),
    "database is a symlink": planted_link("proxyshop.sqlite3"),
    "database -wal is a symlink": planted_link("proxyshop.sqlite3-wal"),
    "log file is a symlink": planted_link("logs/proxyshop.log"),
    "database of another user": database_of_another_user,
}
