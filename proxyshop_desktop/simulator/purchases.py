"""What the simulated provider records for a purchase: deterministic logins, passwords with the
characters that break CSV and formulas, the gateway the sold proxy points at, and its expiry."""

from __future__ import annotations

import random
import string
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

GATEWAY_IPS = ("185.199.108.21", "185.199.109.34", "185.199.110.47", "185.199.111.58")
FIRST_CREDENTIALS_ID = 700_001
FIRST_PORT = 30_001
_PORT_SPAN = 35_000
_EXPIRY = timedelta(days=30)
#: the fields of a purchase that `/proxy/buy` and `/proxy/credentials` answer with
BUY_FIELDS = (
    "credentials_id", "proxy_id", "proxy_ip", "server_ip", "server_listening_port",
    "username", "password", "price", "expiration_time", "refundable",
)
_GEO_FIELDS = ("country", "country_code", "city", "region", "isp")


def _iso(moment: datetime, zulu: bool = False) -> str:
    text = moment.astimezone(UTC).isoformat(timespec="seconds")
    return text.replace("+00:00", "Z") if zulu else text


def _password(credentials_id: int, rng: random.Random) -> str:
    """Deterministic passwords; every few purchases carry CSV/formula-hostile characters."""
    body = "".join(rng.choices(string.ascii_letters + string.digits, k=rng.randint(10, 14)))
    variant = credentials_id % 6
    if variant == 1:
        return f"{body[:4]}:{body[4:8]},{body[8:]}"
    if variant == 2:
        return f'{body[:3]}"{body[3:6]}=\'{body[6:]}'
    if variant == 3:
        return f"={body[:5]}+{body[5:]}"
    if variant == 4:
        return "+-@"[(credentials_id // 6) % 3] + body
    if variant == 5:
        return f"{body[:4]} ;\\{body[4:8]}|`%{body[8:]}!"
    return body


def purchase_record(credentials_id: int, proxy_id: int, item: dict[str, Any], cost: Decimal,
                    now: datetime, seed: int, gateway: tuple[str, int] | None) -> dict[str, Any]:
    """The purchase of catalogue `item` as `credentials_id`, bought `now` at `cost`; sold proxies
    point at `gateway` (host, port), else at fake public addresses."""
    cid = credentials_id
    n = cid - FIRST_CREDENTIALS_ID
    rng = random.Random(f"{seed}:{cid}")
    server_ip, port = gateway or (GATEWAY_IPS[n % len(GATEWAY_IPS)],
                                  FIRST_PORT + n % _PORT_SPAN)
    return {
        "credentials_id": cid,
        "proxy_id": proxy_id,
        "proxy_ip": item.get("proxy_ip"),
        "server_ip": server_ip,
        "server_listening_port": str(port),
        "username": f"ps{cid}" + "".join(rng.choices(string.ascii_lowercase, k=4)),
        "password": _password(cid, rng),
        "price": float(cost),
        "expiration_time": _iso(now + _EXPIRY, zulu=True),
        "refundable": True,
        **{f: item.get(f) for f in _GEO_FIELDS},
        "bought_at": _iso(now),
    }
