"""What every service needs: settings, paths, the database and the provider client."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from proxyshop_desktop.config import Settings
from proxyshop_desktop.models.store import Store
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.upstream.client import ProviderClient


@dataclass
class ShopContext:
    settings: Settings
    paths: AppPaths
    store: Store
    #: returns the one shared client, creating it on first use (raises TokenMissingError)
    client: Callable[[], ProviderClient]
