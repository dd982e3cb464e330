"""Provider responses: tolerant where the contract is loose, strict where money depends on it, and
the sync's fast listing parser agreeing with the tolerant one."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.simulator import SimulatedProvider
from proxyshop_desktop.upstream import schemas


def test_listing_items_tolerate_loose_types_and_unknown_fields():
    page = schemas.parse_listing_page({"proxies": [
        {"proxy_id": "12", "speed": "245.5", "zip": 90210, "status": "1", "lat": 40, "anonymity": "elite"},
        {"proxy_id": 13, "mobile": True, "hosting": True, "city": "Москва"},
        {"proxy_id": 14, "hosting": "true", "mobile": None},
        {"proxy_id": 15},
    ], "total": "7"})
    first, second, third, fourth = page.items
    assert (first.proxy_id, first.speed, first.status, first.lat) == (12, 245.5, 1, 40.0)
    assert str(first.zip) == "90210" and first.online
    assert second.proxy_type == "mobile" and second.city == "Москва"
    assert third.proxy_type == "hosting" and fourth.proxy_type == "residential"
    assert not fourth.online  # no status: not known to be online
    assert page.total_pages == 7 and page.skipped == 0 and page.raw_count == 4


def test_a_wrong_typed_field_blanks_that_field_not_the_item():
    page = schemas.parse_listing_page({"proxies": [
        {"proxy_id": 1, "speed": "fast", "lat": "inf", "mobile": "perhaps", "city": ["x"], "isp": "ISP"},
    ]})
    [item] = page.items
    assert (item.speed, item.lat, item.mobile, item.city, item.isp) == (None, None, None, None, "ISP")


def test_items_without_a_usable_proxy_id_are_skipped_and_counted():
    page = schemas.parse_listing_page({"proxies": [
        {"proxy_id": 1}, {"proxy_id": None}, {"city": "x"}, {"proxy_id": "abc"}, {"proxy_id": 2.5},
        "not an object", None, [1, 2],
    ]})
    assert [i.proxy_id for i in page.items] == [1]
    assert page.skipped == 7 and page.raw_count == 8


def test_a_json_boolean_is_never_an_id_or_an_online_status():
    """JSON `true` is not the integer 1: no proxy 1 out of `"proxy_id": true`, and a status that
    is present but not an integer is "anything else", i.e. offline (contract)."""
    body = {"proxies": [{"proxy_id": True, "status": 1}, {"proxy_id": 7, "status": True},
                        {"proxy_id": 8, "status": "online"}, {"proxy_id": 9, "status": "1"}]}
    page = schemas.parse_listing_page(body)
    assert [(i.proxy_id, i.status) for i in page.items] == [(7, 0), (8, 0), (9, 1)]
    assert page.skipped == 1
    assert schemas.parse_listing_fields(json.dumps(body).encode()) is None  # the tolerant path decides
    assert schemas.parse_proxy({"proxy_id": 7, "status": True}).online is False


@pytest.mark.parametrize("payload", [
    {"proxies": None}, {"proxies": [], "total": None}, {"proxies": []},
])
def test_an_empty_listing_is_a_page_of_nothing(payload):
    page = schemas.parse_listing_page(payload)
    assert page.items == [] and page.raw_count == 0 and page.total_pages is None


@pytest.mark.parametrize("payload", [[], [{"proxy_id": 1}], "text", None, {"items": []}, {"proxies": "x"},
                                     {"proxies": {"proxy_id": 1}}])
def test_a_listing_that_is_not_the_contract_is_a_bad_response(payload):
    with pytest.raises(BadResponseError):
        schemas.parse_listing_page(payload)


def test_a_lookup_needs_a_proxy_id():
    assert schemas.parse_proxy({"proxy_id": 5, "status": 0}).online is False
    with pytest.raises(BadResponseError):
        schemas.parse_proxy({"status": 1})


# --- purchases: credentials byte-exact, errors without them ---------------------------------------


PURCHASE = {
    "credentials_id": 9, "proxy_id": "5", "server_ip": "203.0.113.7", "server_listening_port": 10443,
    "username": " user:1 ", "password": 'p@ss:w,o"r=d\t', "price": 1.15, "expiration_time": "2030-05-01T10:00:00Z",
    "refundable": "true", "bought_at": 1_900_000_000, "extra": {"x": 1},
}


def test_a_purchase_keeps_credentials_byte_exact_and_money_exact():
    purchase = schemas.parse_purchase(PURCHASE)
    assert purchase.username == " user:1 " and purchase.password == 'p@ss:w,o"r=d\t'
    assert purchase.server_listening_port == "10443" and purchase.proxy_id == 5
    assert purchase.price == Decimal("1.15")
    assert purchase.expiration_time is not None and purchase.expiration_time.tzinfo is not None
    assert purchase.refundable is True and purchase.bought_at is not None


def test_a_malformed_purchase_error_does_not_leak_the_password():
    broken = {**PURCHASE, "server_ip": None, "password": "hunter2-secret"}
    with pytest.raises(BadResponseError) as caught:
        schemas.parse_purchase(broken, "buy response")
    assert "hunter2" not in str(caught.value) and "server_ip" in caught.value.message


def test_a_purchase_handle_is_never_a_json_boolean():
    """`"credentials_id": true` must not become purchase 1: it is the refund and reconcile handle."""
    with pytest.raises(BadResponseError):
        schemas.parse_purchase({**PURCHASE, "credentials_id": True})
    assert schemas.parse_purchase({**PURCHASE, "credentials_id": "77"}).credentials_id == 77
    assert schemas.parse_purchase({**PURCHASE, "proxy_id": True}).proxy_id is None


def test_purchase_lists_are_arrays_with_bad_elements_counted():
    good, bad = schemas.parse_purchases([PURCHASE, {"credentials_id": "x"}, 5])
    assert [p.credentials_id for p in good] == [9] and bad == 2
    wrapped, _ = schemas.parse_purchases({"proxies": [PURCHASE]})
    assert len(wrapped) == 1
    with pytest.raises(BadResponseError):
        schemas.parse_purchases({"total": 3})


def test_a_refund_check_tolerates_a_missing_message():
    check = schemas.parse_refund_check({"refundable": False, "message": None})
    assert check.refundable is False and check.message == ""
    with pytest.raises(BadResponseError):
        schemas.parse_refund_check({"message": "no flag"})


# --- the fast listing parser (bulk sync) ---------------------------------------------------------


def test_the_fast_fields_are_the_proxy_item_fields():
    assert set(schemas.ProxyFields.__annotations__) == set(schemas.ProxyItem.model_fields)


def slow(content: bytes) -> schemas.ListingFields:
    return schemas.listing_fields(schemas.parse_listing_page(json.loads(content)))


def same_items(fast: schemas.ListingFields, reference: schemas.ListingFields) -> bool:
    def present(item: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in item.items() if v is not None}

    return (
        [present(i) for i in fast.items] == [present(i) for i in reference.items]
        and (fast.raw_count, fast.skipped, fast.total_pages)
        == (reference.raw_count, reference.skipped, reference.total_pages)
    )


def test_the_fast_parser_agrees_with_the_tolerant_one_on_the_simulator_catalogue():
    provider = SimulatedProvider(proxies=2000, seed=5)  # its items carry every loose form it knows
    for page in range(0, 10):
        content = provider.list_proxies_json(page=page, page_size=200)
        fast = schemas.parse_listing_fields(content)
        assert fast is not None  # the catalogue's loose forms are all within lax validation
        assert same_items(fast, slow(content))


@pytest.mark.parametrize("content", [b"<html>", b"", b'{"items": []}', b"[]", b'{"proxies": 5}',
                                     b'{"proxies": [{"proxy_id": 1, "lat": "north"}]}', b"\xff\xfe",
                                     b'{"proxies": [{"proxy_id": 1, "speed": "inf"}]}'])
def test_the_fast_parser_refuses_what_needs_the_tolerant_path(content):
    assert schemas.parse_listing_fields(content) is None


loose_scalars = st.none() | st.booleans() | st.integers(-5, 10**6) | st.floats(allow_nan=False, allow_infinity=False) \
    | st.sampled_from(["", "1", "0", "245.5", "true", "US", "São Paulo"])
items = st.dictionaries(st.sampled_from(sorted(schemas.ProxyItem.model_fields) + ["extra"]), loose_scalars, max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.lists(items, max_size=6), st.none() | st.integers(0, 9) | st.just("3"))
def test_whenever_the_fast_parser_accepts_a_page_it_matches_the_tolerant_parser(page_items, total):
    body: dict[str, Any] = {"proxies": page_items}
    if total is not None:
        body["total"] = total
    content = json.dumps(body).encode()
    fast = schemas.parse_listing_fields(content)
    if fast is not None:
        assert same_items(fast, slow(content))


# --- bounds on what the provider may send (issue 15) ----------------------------------------------


def _page(*items: dict) -> bytes:
    import json as _json

    return _json.dumps({"proxies": list(items), "total": 1}).encode()


@pytest.mark.parametrize("bad", [
    {"proxy_id": 10**29},  # 30 digits: no 64-bit column holds it
    {"proxy_id": 2, "speed": -5},
    {"proxy_id": 3, "isp": "x" * 5000},
])
def test_an_item_outside_the_bounds_is_skipped_and_counted(bad):
    from proxyshop_desktop.upstream import schemas as s

    good = {"proxy_id": 1, "speed": 12.5, "isp": "ISP"}
    fast = s.parse_listing_fields(_page(good, bad))
    page = fast if fast is not None else s.listing_fields(s.parse_listing_page({"proxies": [good, bad]}))
    assert [item["proxy_id"] for item in page.items] == [1]
    assert page.skipped == 1 and page.raw_count == 2


def test_a_5000_digit_id_string_is_not_an_id():
    from proxyshop_desktop.upstream import schemas as s

    page = s.parse_listing_page({"proxies": [{"proxy_id": "9" * 5000}]})
    assert page.items == [] and page.skipped == 1
