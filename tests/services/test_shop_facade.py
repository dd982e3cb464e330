"""The Shop facade gives its callers what they need without `shop.ctx`: inventory rows and
facets, a connection probe for settings not yet saved, saving settings with its own audit entry,
and an injected provider client factory and clock (no module patching)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest
import pytest_asyncio

from proxyshop_desktop.config import Settings, load_settings
from proxyshop_desktop.errors import AuthError
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.results import InventoryQuery
from proxyshop_desktop.services.settings_audit import settings_summary
from proxyshop_desktop.services.shop import Shop
from proxyshop_desktop.simulator import DEMO_TOKEN
from proxyshop_desktop.upstream.client import ProviderClient
from tests.conftest import FAST_RETRY
from tests.services.money_helpers import T0, Clock

ON_BOTH_ENGINES = True


class Factory:
    """A client factory that records what it was asked to build."""

    def __init__(self) -> None:
        self.built: list[tuple[str, str]] = []

    def __call__(self, settings: Settings, token: str) -> ProviderClient:
        self.built.append((settings.api_url, token))
        return ProviderClient(settings, token, retry=FAST_RETRY)


@pytest_asyncio.fixture
async def opened(sim: Any, data_paths: AppPaths, engine: str) -> AsyncIterator[tuple[Shop, Factory, Clock]]:
    factory, clock = Factory(), Clock(T0)
    settings = Settings(api_url=sim.base_url, sync_page_size=50,
                        database_url=os.environ.get("PROXYSHOP_DATABASE_URL", ""))
    shop = Shop.open(data_paths, settings=settings, token=DEMO_TOKEN, client_factory=factory, clock=clock)
    yield shop, factory, clock
    await shop.aclose()


@pytest.mark.asyncio
async def test_the_client_factory_and_the_clock_come_in_through_shop_open(opened: Any, sim: Any) -> None:
    shop, factory, clock = opened
    await shop.sync()
    (run,) = await shop.sync_history()
    assert run.started_at == run.finished_at == T0  # the sync's times are the shop's clock too
    rows = await shop.inventory_rows(InventoryQuery())
    clock.advance(minutes=5)
    order = await shop.sell(rows[0].product_id, "ann")
    assert order.created_at == order.purchased_at == T0.replace(minute=5)
    assert order.refundable_until is not None and order.refundable_until > clock()
    assert factory.built == [(sim.base_url, DEMO_TOKEN)]  # one client, built on first use


@pytest.mark.asyncio
async def test_inventory_rows_and_facets_come_from_the_facade(opened: Any) -> None:
    shop, _factory, _clock = opened
    await shop.sync()
    rows = await shop.inventory_rows(InventoryQuery(sort="speed"))
    facets = await shop.inventory_facets(InventoryQuery())
    assert rows and sum(n for _code, n in facets["country_code"]) == len(rows)
    code, count = facets["country_code"][0]
    matching = await shop.inventory_rows(InventoryQuery(country_code=code))
    assert len(matching) == count and {r.country_code for r in matching} == {code}


@pytest.mark.asyncio
async def test_the_probe_tries_other_settings_and_leaves_the_shop_alone(opened: Any, sim: Any) -> None:
    shop, factory, _clock = opened
    assert "token accepted" in str(await shop.probe_connection(shop.settings))
    with pytest.raises(AuthError):
        await shop.probe_connection(shop.settings, token="wrong-token")
    other = shop.settings.model_copy(update={"api_timeout": 7})
    assert "token accepted" in str(await shop.probe_connection(other))
    assert shop.settings.api_timeout != 7
    assert "wrong-token" in {token for _url, token in factory.built}  # the probe used the factory
    assert "token accepted" in str(await shop.test_connection())  # the shop's own client still works


@pytest.mark.asyncio
async def test_saving_settings_writes_applies_and_audits_once(opened: Any) -> None:
    shop, _factory, _clock = opened
    before = shop.settings
    after = before.model_copy(update={"price": Decimal("3.25")})
    summary = await shop.save_settings(after, token="new-secret-token", notes=["Telegram bot token replaced"])
    assert shop.settings == after
    assert load_settings(shop.paths.settings_file, {}).price == Decimal("3.25")
    (entry,) = await shop.audit_events(kind="settings")
    assert entry.message == summary
    assert f"price {before.price} → 3.25" in summary
    assert "API token replaced" in summary and "Telegram bot token replaced" in summary
    assert "new-secret-token" not in summary


def test_the_settings_summary_names_fields_by_the_callers_labels() -> None:
    before = Settings()
    after = before.model_copy(update={"api_timeout": 9})
    assert settings_summary(before, before) == "Settings saved (no change)"
    assert settings_summary(before, after, {"api_timeout": "Timeout"}) == (
        f"Settings saved: Timeout {before.api_timeout} → 9")
