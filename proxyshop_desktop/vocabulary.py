"""The shop's fixed words, in a module with no dependencies so the command line's parser can
use them without loading the database layer."""

from __future__ import annotations

#: the contract's classes: neither mobile nor hosting means residential
PROXY_TYPES = ("residential", "mobile", "hosting")

#: an order's life: pending (provider outcome unknown) -> sold | void; sold -> refunded;
#: recovered = a purchase found at the provider with no local order; refund_unknown = a refund
#: was sent, its answer lost, and the provider's later answers do not tell whether it happened
ORDER_STATUSES = ("pending", "sold", "refunded", "recovered", "void", "refund_unknown")
