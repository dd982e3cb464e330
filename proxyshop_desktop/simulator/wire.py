"""Request parsing and JSON answers shared by the simulated API and its admin routes.

Why strict parsing: the real provider answers 400 to a malformed parameter, and the shop's client
must be tested against that, so nothing here silently falls back to a default for bad input.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import BadRequest

Reply = tuple[int, bytes, str, dict[str, str]]  # status, body, content type, extra headers
Query = dict[str, list[str]]


def json_reply(status: int, value: Any, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return status, body, "application/json", headers or {}


def one(query: Query, name: str) -> str | None:
    values = query.get(name)
    return values[-1] if values else None


def opt_int(query: Query, name: str, default: int | None = None) -> int | None:
    raw = one(query, name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"invalid integer for {name!r}: {raw!r}") from None


def required_int(query: Query, name: str) -> int:
    value = opt_int(query, name)
    if value is None:
        raise BadRequest(f"missing parameter {name!r}")
    return value


def flag(query: Query, name: str, default: bool = True) -> bool:
    raw = one(query, name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise BadRequest(f"invalid boolean for {name!r}: {raw!r}")


def body_int(body: Any, name: str) -> int:
    value = body.get(name) if isinstance(body, dict) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadRequest(f"body must be a JSON object with an integer {name!r}")
    return value
