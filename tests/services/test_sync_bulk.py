"""A first sync into an empty inventory builds the product table's sort indexes after its rows
(services/staging.py::apply_listing); a re-sync updates them in place; a failure keeps them."""

from __future__ import annotations

from typing import Any

import pytest

from proxyshop_desktop.services import staging
from tests.services.sync_helpers import do_sync, item, open_ctx, products


@pytest.fixture
def ctx(data_paths: Any) -> Any:
    context = open_ctx(data_paths)
    yield context
    context.store.close()


def indexes(ctx: Any) -> list[tuple[str, str]]:
    return sorted(ctx.store.run_blocking(staging._rebuilt_indexes))


def test_a_first_sync_builds_the_indexes_after_its_rows_and_a_resync_keeps_them(ctx, listing, monkeypatch):
    monkeypatch.setattr(staging, "BULK_ROWS", 10)
    before = indexes(ctx)
    assert "product_isp_sort" in {name for name, _ in before}
    rebuilt: list[str] = []
    real = staging._create_indexes

    def watching(found: list[tuple[str, str]]) -> None:
        rebuilt.extend(name for name, _sql in found)
        real(found)

    monkeypatch.setattr(staging, "_create_indexes", watching)
    listing.items = [item(i) for i in range(1, 31)]
    assert do_sync(ctx).added == 30
    assert sorted(rebuilt) == [name for name, _ in before] and "product_proxy_id" not in rebuilt
    assert indexes(ctx) == before  # every index back, with the same definition
    rebuilt.clear()
    listing.items = [item(i) for i in range(1, 41)]
    assert do_sync(ctx).added == 10
    assert rebuilt == []  # an inventory with rows is updated in place


def test_a_bulk_insert_that_fails_keeps_the_indexes_and_changes_nothing(ctx, listing, monkeypatch):
    monkeypatch.setattr(staging, "BULK_ROWS", 10)
    before = indexes(ctx)

    def failing(found: list[tuple[str, str]]) -> None:
        raise RuntimeError("disk gone mid-rebuild")

    monkeypatch.setattr(staging, "_create_indexes", failing)
    listing.items = [item(i) for i in range(1, 31)]
    with pytest.raises(RuntimeError, match="disk gone"):
        do_sync(ctx)
    assert indexes(ctx) == before and products(ctx) == []


def test_a_small_first_sync_keeps_its_indexes_up_to_date_row_by_row(ctx, listing, monkeypatch):
    rebuilt: list[tuple[str, str]] = []
    monkeypatch.setattr(staging, "_create_indexes", rebuilt.extend)
    listing.items = [item(i) for i in range(1, 31)]  # fewer than BULK_ROWS
    assert do_sync(ctx).added == 30
    assert rebuilt == []


#: every test here runs on SQLite and on PostgreSQL (tests/conftest.py)
ON_BOTH_ENGINES = True


@pytest.fixture(autouse=True)
def _on_each_engine(engine: str) -> str:
    return engine
