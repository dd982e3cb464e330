"""The simulated provider's state and rules, without HTTP.

Why a separate class: tests and benchmarks drive the provider directly (take a proxy offline,
churn the catalogue, read the balance) while the shop talks to the same object over a real socket.
Every public method takes one lock, so the threaded HTTP server and a test thread can both use it.
"""

from __future__ import annotations

import bisect
import json
import random
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from .catalogue import FIRST_PROXY_ID, generate_catalogue, mutate_item
from .errors import (
    BalanceTooLow,
    NotRefundable,
    ProxyNotFound,
    PurchaseNotFound,
    RemoteFailure,
    SimError,
)
from .purchases import BUY_FIELDS, FIRST_CREDENTIALS_ID, purchase_record

DEMO_TOKEN = "demo-token"
_ListKey = tuple[int, bool, bool, bool, str | None, str | None, str | None, str | None, str | None]


class GatewayLogin(NamedTuple):
    """What the SOCKS gateway needs to know about one sold proxy's login."""

    password: str
    online: bool
    exit_ip: str | None


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class SimulatedProvider:
    """The upstream provider's catalogue, account balance and purchases."""

    def __init__(
        self,
        catalogue: Iterable[dict[str, Any]] | None = None,
        *,
        proxies: int = 1000,
        seed: int = 7,
        token: str = DEMO_TOKEN,
        balance: Decimal | int | str = Decimal("1000"),
        cost: Decimal | int | str = Decimal("1.20"),
        clock: Callable[[], datetime] | None = None,
        omit_total: bool = False,
    ) -> None:
        self.token = token
        self.seed = seed
        self.omit_total = omit_total
        self._clock = clock or (lambda: datetime.now(UTC))
        self._lock = threading.RLock()
        self._balance = Decimal(balance)
        self._cost = Decimal(cost)
        self._items: dict[int, dict[str, Any]] = {}
        self._ids: list[int] = []  # sorted: the listing order
        self._sold: set[int] = set()
        self._remote_failures: set[int] = set()
        self._bytes: dict[int, bytes] = {}
        self._filter_cache: dict[_ListKey, list[int]] = {}
        self._purchases: dict[int, dict[str, Any]] = {}
        self._prices: dict[int, Decimal] = {}
        self._order: list[int] = []  # credentials ids, oldest first
        self._refunded: set[int] = set()
        self._next_credentials_id = FIRST_CREDENTIALS_ID
        self._by_login: dict[str, int] = {}  # username -> credentials id
        #: (host, port) of the SOCKS gateway that sold proxies point at; None: fake public IPs
        self.gateway: tuple[str, int] | None = None
        items = list(catalogue) if catalogue is not None else generate_catalogue(proxies, seed)
        for item in items:
            self._items[int(item["proxy_id"])] = item
        self._ids = sorted(self._items)
        self._next_id = (self._ids[-1] + 1) if self._ids else FIRST_PROXY_ID
        self._low_id = (self._ids[0] - 1) if self._ids else FIRST_PROXY_ID - 1

    # ----------------------------------------------------------------- account
    @property
    def balance(self) -> Decimal:
        with self._lock:
            return self._balance

    @balance.setter
    def balance(self, value: Decimal | int | str) -> None:
        with self._lock:
            self._balance = Decimal(value)

    @property
    def cost(self) -> Decimal:
        with self._lock:
            return self._cost

    @cost.setter
    def cost(self, value: Decimal | int | str) -> None:
        with self._lock:
            self._cost = Decimal(value)

    # ----------------------------------------------------------------- listing
    def _changed(self, proxy_id: int) -> None:
        self._bytes.pop(proxy_id, None)
        self._filter_cache.clear()

    def _matching_ids(self, key: _ListKey) -> list[int]:
        cached = self._filter_cache.get(key)
        if cached is not None:
            return cached
        status, res, mob, host, country, city, region, zip_code, isp = key
        out = []
        items, sold = self._items, self._sold
        for pid in self._ids:
            item = items[pid]
            if item.get("status") != status or pid in sold:
                continue
            is_mobile, is_hosting = bool(item.get("mobile")), bool(item.get("hosting"))
            if not ((mob and is_mobile) or (host and is_hosting)
                    or (res and not is_mobile and not is_hosting)):
                continue
            if country and str(item.get("country_code") or "").casefold() != country:
                continue
            if city and str(item.get("city") or "").casefold() != city:
                continue
            if region and str(item.get("region") or "").casefold() != region:
                continue
            if zip_code and str(item.get("zip") or "").casefold() != zip_code:
                continue
            if isp and str(item.get("isp") or "").casefold() != isp:
                continue
            out.append(pid)
        if len(self._filter_cache) >= 16:
            self._filter_cache.clear()
        self._filter_cache[key] = out
        return out

    def _page_ids(self, page: int, page_size: int, key: _ListKey) -> tuple[list[int], int]:
        if page < 0 or page_size < 1:
            raise SimError("page must be >= 0 and page_size >= 1")
        ids = self._matching_ids(key)
        total_pages = -(-len(ids) // page_size)
        return ids[page * page_size:(page + 1) * page_size], total_pages

    @staticmethod
    def _key(status: int, residential: bool, mobile: bool, hosting: bool,
             country_code: str | None, city: str | None, region: str | None,
             zip: str | int | None, isp: str | None) -> _ListKey:
        def fold(v: str | int | None) -> str | None:
            return str(v).casefold() if v not in (None, "") else None
        return (status, residential, mobile, hosting, fold(country_code), fold(city),
                fold(region), fold(zip), fold(isp))

    def list_proxies(
        self, page: int = 0, page_size: int = 50, status: int = 1, residential: bool = True,
        mobile: bool = True, hosting: bool = True, country_code: str | None = None,
        city: str | None = None, region: str | None = None, zip: str | int | None = None,
        isp: str | None = None,
    ) -> tuple[list[dict[str, Any]], int]:
        """One page of the listing (copies) and the number of pages, ordered by proxy_id."""
        key = self._key(status, residential, mobile, hosting, country_code, city, region, zip, isp)
        with self._lock:
            ids, pages = self._page_ids(page, page_size, key)
            return [dict(self._items[i]) for i in ids], pages

    def list_proxies_json(self, page: int = 0, page_size: int = 50, status: int = 1,
                          **filters: Any) -> bytes:
        """The ``GET /proxy`` body, assembled from per-item cached JSON (the hot path)."""
        key = self._key(status, filters.get("residential", True), filters.get("mobile", True),
                        filters.get("hosting", True), filters.get("country_code"),
                        filters.get("city"), filters.get("region"), filters.get("zip"),
                        filters.get("isp"))
        with self._lock:
            ids, pages = self._page_ids(page, page_size, key)
            cache, items, parts = self._bytes, self._items, []
            for pid in ids:
                raw = cache.get(pid)
                if raw is None:
                    raw = cache[pid] = _dumps(items[pid])
                parts.append(raw)
            omit = self.omit_total
        tail = b"]}" if omit else b'],"total":' + str(pages).encode() + b"}"
        return b'{"proxies":[' + b",".join(parts) + tail

    def lookup(self, proxy_id: int) -> dict[str, Any]:
        with self._lock:
            item = self._items.get(proxy_id)
            if item is None:
                raise ProxyNotFound(f"proxy {proxy_id} not found")
            return dict(item)

    def online_ids(self) -> list[int]:
        """Ids a full, unfiltered ``status=1`` listing would return right now."""
        with self._lock:
            return list(self._matching_ids(self._key(1, True, True, True, *[None] * 5)))

    # ----------------------------------------------------------------- sales
    def buy(self, proxy_id: int) -> dict[str, Any]:
        """Charge the account and return the buy response (see the contract)."""
        with self._lock:
            item = self._items.get(proxy_id)
            if item is None or item.get("status") != 1 or proxy_id in self._sold:
                raise ProxyNotFound(f"proxy {proxy_id} is not available")
            if proxy_id in self._remote_failures:
                raise RemoteFailure("remote proxy server failed")
            if self._balance < self._cost:
                raise BalanceTooLow("insufficient balance")
            cid = self._next_credentials_id
            self._next_credentials_id += 1
            self._balance -= self._cost
            self._prices[cid] = self._cost
            self._purchases[cid] = purchase_record(
                cid, proxy_id, item, self._cost, self._clock(), self.seed, self.gateway
            )
            self._order.append(cid)
            self._by_login[self._purchases[cid]["username"]] = cid
            self._sold.add(proxy_id)
            self._changed(proxy_id)
            return {f: self._purchases[cid][f] for f in BUY_FIELDS}

    def bought(self, page: int | None = None, page_size: int | None = None
               ) -> list[dict[str, Any]]:
        """Purchases newest first; all of them unless ``page``/``page_size`` is given."""
        with self._lock:
            newest_first = [dict(self._purchases[c]) for c in reversed(self._order)]
        if page is None and page_size is None:
            return newest_first
        page, page_size = page or 0, page_size or 50
        if page < 0 or page_size < 1:
            raise SimError("page must be >= 0 and page_size >= 1")
        return newest_first[page * page_size:(page + 1) * page_size]

    def credentials(self, credentials_id: int) -> dict[str, Any]:
        with self._lock:
            purchase = self._purchase(credentials_id)
            return {f: purchase[f] for f in BUY_FIELDS}

    def _purchase(self, credentials_id: int) -> dict[str, Any]:
        purchase = self._purchases.get(credentials_id)
        if purchase is None:
            raise PurchaseNotFound(f"purchase {credentials_id} not found")
        return purchase

    def gateway_login(self, username: str) -> GatewayLogin | None:
        """The sold proxy behind a SOCKS login, or None; refunded or offline: not online."""
        with self._lock:
            cid = self._by_login.get(username)
            if cid is None:
                return None
            purchase = self._purchases[cid]
            item = self._items.get(purchase["proxy_id"])
            online = item is not None and item.get("status") == 1 and cid not in self._refunded
            return GatewayLogin(purchase["password"], online, purchase.get("proxy_ip"))

    def check_refundable(self, credentials_id: int) -> tuple[bool, str]:
        with self._lock:
            purchase = self._purchase(credentials_id)
            if credentials_id in self._refunded:
                return False, "already refunded"
            if not purchase["refundable"]:
                return False, "this purchase is not refundable"
            item = self._items.get(purchase["proxy_id"])
            if item is not None and item.get("status") == 1:
                return False, "proxy is still online"
            return True, "refundable: proxy is offline"

    def refund(self, credentials_id: int) -> None:
        """Credit the purchase price back, or raise :class:`NotRefundable`."""
        with self._lock:
            ok, message = self.check_refundable(credentials_id)
            if not ok:
                raise NotRefundable(message)
            self._refunded.add(credentials_id)
            self._purchases[credentials_id]["refunded"] = True
            self._balance += self._prices[credentials_id]

    def is_refunded(self, credentials_id: int) -> bool:
        with self._lock:
            return credentials_id in self._refunded

    # ----------------------------------------------------------------- control
    def _require(self, proxy_id: int) -> dict[str, Any]:
        item = self._items.get(proxy_id)
        if item is None:
            raise ProxyNotFound(f"proxy {proxy_id} not found")
        return item

    def set_offline(self, proxy_id: int) -> None:
        with self._lock:
            self._require(proxy_id)["status"] = 0
            self._changed(proxy_id)

    def set_online(self, proxy_id: int) -> None:
        with self._lock:
            self._require(proxy_id)["status"] = 1
            self._changed(proxy_id)

    def set_remote_failure(self, proxy_id: int, failing: bool = True) -> None:
        """Make ``buy`` of this proxy answer 503 (the remote proxy server is broken)."""
        with self._lock:
            (self._remote_failures.add if failing else self._remote_failures.discard)(proxy_id)

    def remove(self, proxy_id: int) -> None:
        with self._lock:
            self._require(proxy_id)
            del self._items[proxy_id]
            del self._ids[bisect.bisect_left(self._ids, proxy_id)]
            self._changed(proxy_id)

    def set_purchased_proxy_offline(self, credentials_id: int) -> int:
        """Simulate an outage of a sold proxy so that it becomes refundable; returns its id."""
        with self._lock:
            proxy_id = int(self._purchase(credentials_id)["proxy_id"])
            if proxy_id in self._items:
                self.set_offline(proxy_id)
            return proxy_id

    def add(self, count: int, seed: int | None = None) -> list[int]:
        """Append ``count`` new online proxies (ids above the current maximum)."""
        with self._lock:
            base = self.seed if seed is None else seed
            new = generate_catalogue(count, base * 1_000_003 + self._next_id, self._next_id)
            for item in new:
                self._items[item["proxy_id"]] = item
                self._ids.append(item["proxy_id"])
            if new:
                self._next_id = new[-1]["proxy_id"] + 1
            self._filter_cache.clear()
            return [item["proxy_id"] for item in new]

    def mutate_for_paging(self, insert: int = 5, remove: int = 0) -> None:
        """Shift a listing under a pager: new ids before every page, old first ones offline."""
        with self._lock:
            for victim in self.online_ids()[:remove]:
                self.set_offline(victim)
            if insert > 0:
                start = self._low_id - 2 * insert  # room for the generator's id gaps
                new = generate_catalogue(insert, self.seed * 7_919 + start, start)
                for item in new[:insert]:
                    if item["proxy_id"] in self._items:
                        continue
                    self._items[item["proxy_id"]] = item
                    bisect.insort(self._ids, item["proxy_id"])
                self._low_id = min(self._ids[0], start) - 1
            self._filter_cache.clear()

    def churn(self, fraction: float, seed: int = 0) -> dict[str, int]:
        """Change about ``fraction`` of the online catalogue: quarters go offline, change a
        field, are added, vanish. Returns how many of each."""
        with self._lock:
            rng = random.Random(seed)
            online = self.online_ids()
            n = round(len(online) * fraction)
            offline, changed, added, removed = (n // 4 + (1 if i < n % 4 else 0) for i in range(4))
            victims = rng.sample(online, min(len(online), offline + changed + removed))
            for pid in victims[:offline]:
                self.set_offline(pid)
            for pid in victims[offline:offline + changed]:
                mutate_item(self._items[pid], rng)
                self._changed(pid)
            for pid in victims[offline + changed:]:
                self.remove(pid)
            self.add(added, seed=seed)
            return {"offline": offline, "changed": changed, "added": added, "removed": removed}

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {
                "balance": str(self._balance),
                "cost": str(self._cost),
                "purchases": len(self._order),
                "refunds": len(self._refunded),
                "catalogue": len(self._items),
                "online": len(self.online_ids()),
            }
