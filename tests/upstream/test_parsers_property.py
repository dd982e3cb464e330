"""Arbitrary JSON into every provider-response parser: a typed result or BadResponseError, never
anything else (no KeyError, TypeError, ValidationError leaking out)."""

from __future__ import annotations

import contextlib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from proxyshop_desktop.errors import BadResponseError
from proxyshop_desktop.upstream import schemas

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5),
    max_leaves=25,
)
FIELDS = list(schemas.ProxyItem.model_fields) + list(schemas.Purchase.model_fields) + ["total", "proxies", "message"]
# Objects that look like the contract, with loose or wrong values in its field names.
contract_like = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=12)
listing_like = st.fixed_dictionaries(
    {"proxies": st.lists(contract_like | json_values, max_size=8)}, optional={"total": json_values}
)
anything = json_values | contract_like | listing_like | st.lists(contract_like, max_size=6)

PARSERS = [
    schemas.parse_listing_page,
    schemas.parse_proxy,
    schemas.parse_purchase,
    schemas.parse_purchases,
    schemas.parse_refund_check,
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=anything)
def test_parsers_accept_or_raise_the_typed_error(payload):
    for parse in PARSERS:
        with contextlib.suppress(BadResponseError):
            parse(payload)


@settings(max_examples=100, deadline=None)
@given(st.lists(contract_like, max_size=10))
def test_listing_counts_every_item_as_kept_or_skipped(items):
    page = schemas.parse_listing_page({"proxies": items})
    assert len(page.items) + page.skipped == len(items) == page.raw_count
    assert all(isinstance(item.proxy_id, int) for item in page.items)
