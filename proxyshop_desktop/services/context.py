"""What every service needs: settings, paths, the database, the provider client and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from proxyshop_desktop.clock import utcnow
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
    #: "now" for every service (aware UTC); tests pass a settable one instead of patching modules
    clock: Callable[[], datetime] = utcnow


#: builds the provider client from the settings and the token (`Shop.open(client_factory=...)`)
ClientFactory = Callable[[Settings, str], ProviderClient]
