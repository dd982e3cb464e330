"""The upstream provider: HTTP client, typed responses, retry policy."""

from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.retry import NO_RETRY, RetryPolicy
from proxyshop_desktop.upstream.schemas import ListingPage, ProxyItem, Purchase, RefundCheck

__all__ = ["NO_RETRY", "ListingPage", "ProviderClient", "ProxyItem", "Purchase", "RefundCheck", "RetryPolicy"]
