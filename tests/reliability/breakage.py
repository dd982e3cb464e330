"""Plain helpers that break the app's surroundings for the reliability tests: a full disk (the
database capped in-process) and the ways a data dir can be unusable."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from proxyshop_desktop.models.store import Store

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


VARIANTS: dict[str, Callable[[Path], Path]] = {
    "data dir is a file": data_dir_is_a_file,
    "parent of the data dir is a file": parent_is_a_file,
    "logs is a file": logs_is_a_file,
    "database is a folder": database_is_a_folder,
    "data.lock is a folder": lock_file_is_a_folder,
}
