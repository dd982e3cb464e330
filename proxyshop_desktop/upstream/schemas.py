"""Typed provider responses, tolerant where the contract says fields are loose.

Unknown fields are ignored; numbers that arrive as strings are coerced; a field of the wrong type
is blanked rather than failing its whole item; an item without `proxy_id` is skipped and counted.
Validation errors are never shown raw: they can carry credentials (field notes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from annotated_types import Ge, Le
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Strict,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    with_config,
)
from typing_extensions import TypedDict

from proxyshop_desktop.clock import parse_loose_datetime
from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.i18n import translate

#: Bounds on what the provider may send (issue 15): ids fit the database's 64-bit integers, a speed
#: is not negative, a text field is short. An item outside them is skipped and counted.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_TEXT = 256


def _text_or_none(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return str(value)
    return value if isinstance(value, str) else None


def _number_or_none(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number == number and abs(number) != float("inf") else None


def _int_or_none(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = value.strip() if isinstance(value, str) else ""
    if text.lstrip("-").isdigit() and len(text) <= 20:  # int() of 5,000 digits raises
        return int(text)
    return None


def _not_a_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("a boolean is not an id")
    return value


def _status_or_none(value: Any) -> int | None:
    """Absent stays None; present but not an integer is "anything else" in the contract: offline."""
    if value is None:
        return None
    status = _int_or_none(value)
    return 0 if status is None else status


def _bool_or_none(value: Any) -> bool | None:
    if isinstance(value, bool) or value is None:
        return value
    if value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    return None


LooseText = Annotated[str | None, BeforeValidator(_text_or_none)]
LooseInt = Annotated[int | None, BeforeValidator(_int_or_none)]
LooseBool = Annotated[bool | None, BeforeValidator(_bool_or_none)]
#: An id or a status is a JSON integer: lax mode would read `true` as 1 (proxy 1, online). Anything
#: else sends the page to the tolerant path, which reads "12" as 12 and blanks the rest.
StrictInt = Annotated[int, Strict(), Ge(INT64_MIN), Le(INT64_MAX)] | None
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)] | None
Speed = Annotated[float, Ge(0)] | None
Zip = Annotated[str, StringConstraints(max_length=MAX_TEXT)] | Annotated[int, Ge(INT64_MIN), Le(INT64_MAX)] | None
Int64 = Annotated[int, Ge(INT64_MIN), Le(INT64_MAX)]
LooseTime = Annotated[datetime | None, BeforeValidator(parse_loose_datetime)]

_LOOSE = ConfigDict(extra="ignore", frozen=True)


def _port_text(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ProxyItem(BaseModel):
    """One item of the `/proxy` listing (or `/proxy/lookup`).

    Plain types so pydantic-core validates whole pages fast (lax mode already turns "245.5" into a
    float); an item that still fails is sanitised field by field in `_sanitise_item`.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, allow_inf_nan=False)

    proxy_id: StrictInt = None
    proxy_ip: Text = None
    country: Text = None
    country_code: Text = None
    city: Text = None
    region: Text = None
    region_name: Text = None
    zip: Zip = None
    isp: Text = None
    org: Text = None
    as_name: Text = None
    continent: Text = None
    continent_code: Text = None
    lat: float | None = None
    lon: float | None = None
    speed: Speed = None
    mobile: bool | None = None
    hosting: bool | None = None
    status: StrictInt = None

    @property
    def proxy_type(self) -> str:
        """A proxy that is neither mobile nor hosting is residential (contract)."""
        if self.mobile:
            return "mobile"
        if self.hosting:
            return "hosting"
        return "residential"

    @property
    def online(self) -> bool:
        return self.status == 1


class Purchase(BaseModel):
    """A buy response, an element of `/proxy/bought`, or `/proxy/credentials`."""

    model_config = _LOOSE

    credentials_id: Annotated[Int64, BeforeValidator(_not_a_bool)]
    proxy_id: LooseInt = None
    proxy_ip: LooseText = None
    server_ip: str
    server_listening_port: Annotated[str, BeforeValidator(_port_text)]
    username: str  # never stripped or normalised: credentials are byte-exact
    password: str
    price: Annotated[Decimal | None, BeforeValidator(lambda v: None if isinstance(v, bool) else v)] = None
    expiration_time: LooseTime = None
    refundable: LooseBool = None
    bought_at: LooseTime = None
    country: LooseText = None
    country_code: LooseText = None
    city: LooseText = None
    region: LooseText = None
    isp: LooseText = None
    mobile: LooseBool = None
    hosting: LooseBool = None


class RefundCheck(BaseModel):
    model_config = _LOOSE

    refundable: bool
    message: Annotated[str, BeforeValidator(lambda v: "" if v is None else str(v))] = ""


class ListingPage(BaseModel):
    """What one `/proxy` page yields after validation."""

    items: list[ProxyItem]
    raw_count: int  # items in the page as sent (for the short-page stop rule)
    skipped: int  # items without a usable proxy_id
    total_pages: int | None  # the contract's `total` (a page count, a hint only)


_ITEMS = TypeAdapter(list[ProxyItem])

_FIELD_CLEANERS: dict[str, Any] = {
    "proxy_id": _int_or_none,
    "zip": _text_or_none,
    "lat": _number_or_none,
    "lon": _number_or_none,
    "speed": _number_or_none,
    "mobile": _bool_or_none,
    "hosting": _bool_or_none,
    "status": _status_or_none,
}


def _sanitise_item(element: Any) -> ProxyItem | None:
    """The slow path for an item the fast path refused: blank each field of the wrong type."""
    if not isinstance(element, dict):
        return None
    cleaned = {
        name: _FIELD_CLEANERS.get(name, _text_or_none)(element.get(name))
        for name in ProxyItem.model_fields
    }
    try:
        return ProxyItem.model_validate(cleaned)
    except ValidationError:
        return None
_PURCHASES_RAW = TypeAdapter(list[Any])


def _safe_reason(exc: ValidationError) -> str:
    """Where validation failed, without the offending input (it may hold credentials)."""
    first = exc.errors(include_input=False, include_url=False)[0]
    loc = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{loc}: {first['msg']}"


def parse_listing_page(payload: Any) -> ListingPage:
    """Validate a decoded `/proxy` body. Raises BadResponseError if it is not the contract."""
    if not isinstance(payload, dict) or "proxies" not in payload:
        raise BadResponseError(translate("errors", "The provider's proxy listing is not the expected JSON object."))
    raw = payload["proxies"]
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise BadResponseError(translate("errors", "The provider's proxy listing has no list of proxies."))
    try:
        items: list[ProxyItem | None] = list(_ITEMS.validate_python(raw))
    except ValidationError:
        items = []
        for element in raw:
            try:
                items.append(ProxyItem.model_validate(element))
            except ValidationError:
                items.append(_sanitise_item(element))
    usable = [item for item in items if item is not None and item.proxy_id is not None]
    total = _int_or_none(payload.get("total"))
    return ListingPage(items=usable, raw_count=len(raw), skipped=len(raw) - len(usable), total_pages=total)


# --- the bulk sync's fast path ------------------------------------------------------------------


@with_config(ConfigDict(allow_inf_nan=False))
class ProxyFields(TypedDict, total=False):
    """ProxyItem's fields as a plain dict, validated the same (lax) way.

    Validated straight from the page's JSON bytes, a listing page costs a third of json.loads plus
    50,000 ProxyItem models: the sync of a big catalogue is dominated by this parse (issue 4)."""

    proxy_id: StrictInt
    proxy_ip: Text
    country: Text
    country_code: Text
    city: Text
    region: Text
    region_name: Text
    zip: Zip
    isp: Text
    org: Text
    as_name: Text
    continent: Text
    continent_code: Text
    lat: float | None
    lon: float | None
    speed: Speed
    mobile: bool | None
    hosting: bool | None
    status: StrictInt


class _ListingBody(TypedDict, total=False):
    proxies: list[ProxyFields] | None
    total: Any


_LISTING_BODY = TypeAdapter(_ListingBody)


@dataclass(frozen=True)
class ListingFields:
    """One `/proxy` page as dicts with ProxyItem's keys (an absent key means null)."""

    items: list[dict[str, Any]]  # only items with a proxy_id
    raw_count: int
    skipped: int
    total_pages: int | None


def parse_listing_fields(content: bytes) -> ListingFields | None:
    """The fast path; None when the page needs the tolerant path (a loose item, not JSON, ...)."""
    try:
        body = _LISTING_BODY.validate_json(content)
    except ValidationError:
        return None
    if "proxies" not in body:
        return None
    # ProxyFields is a TypedDict: the items are read as plain dicts with its keys.
    raw: list[dict[str, Any]] = body["proxies"] or []  # type: ignore[assignment]
    items = [item for item in raw if item.get("proxy_id") is not None]
    return ListingFields(items, len(raw), len(raw) - len(items), _int_or_none(body.get("total")))


def listing_fields(page: ListingPage) -> ListingFields:
    """A page from the tolerant path in the fast path's shape."""
    return ListingFields([item.model_dump() for item in page.items], page.raw_count, page.skipped, page.total_pages)


def parse_proxy(payload: Any) -> ProxyItem:
    try:
        item: ProxyItem | None = ProxyItem.model_validate(payload)
    except ValidationError:
        item = _sanitise_item(payload)
    if item is None or item.proxy_id is None:
        raise BadResponseError(translate("errors", "The provider's proxy lookup has no proxy_id."))
    return item


def parse_purchase(payload: Any, what: str = "purchase") -> Purchase:
    try:
        return Purchase.model_validate(payload)
    except ValidationError as exc:
        raise BadResponseError(translate("errors", "The provider's {0} is malformed ({1}).").format(
            what, _safe_reason(exc))) from None


def parse_purchases(payload: Any) -> tuple[list[Purchase], int]:
    """`/proxy/bought` is a JSON array. Returns (valid purchases, count of unusable elements)."""
    if isinstance(payload, dict):  # tolerate a wrapped form {"proxies"|"items": [...]}
        payload = payload.get("proxies", payload.get("items"))
    if not isinstance(payload, list):
        raise BadResponseError(translate("errors", "The provider's purchase list is not a JSON array."))
    purchases, bad = [], 0
    for element in _PURCHASES_RAW.validate_python(payload):
        try:
            purchases.append(Purchase.model_validate(element))
        except ValidationError:
            bad += 1
    return purchases, bad


def parse_refund_check(payload: Any) -> RefundCheck:
    try:
        return RefundCheck.model_validate(payload)
    except ValidationError as exc:
        raise BadResponseError(translate("errors", "The provider's refund check is malformed ({0}).").format(
            _safe_reason(exc))) from None
