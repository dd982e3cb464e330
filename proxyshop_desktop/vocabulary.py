"""The shop's fixed words, in a module with no dependencies so the command line's parser can
use them without loading the database layer.

`OrderStatus` and its named sets are the one definition of an order's states: the services, the
CLI and the window all ask these sets (stored values are the plain strings)."""

from __future__ import annotations

from enum import StrEnum

#: the contract's classes: neither mobile nor hosting means residential
PROXY_TYPES = ("residential", "mobile", "hosting")

#: the provider contract's latency bands (ms): up to FAST_MS fast, up to MODERATE_MS moderate
FAST_MS = 300.0
MODERATE_MS = 600.0

#: the most orders one page may hold (the CLI's --limit, the core's paged query)
MAX_ORDERS_PAGE = 10_000

#: the longest customer reference the shop stores (checked by the core, enforced by the editors)
MAX_CUSTOMER_LENGTH = 200


def speed_band(ms: float | None) -> str | None:
    """'fast' | 'moderate' | 'slow' under the provider's bands, None when unknown."""
    if ms is None:
        return None
    if ms <= FAST_MS:
        return "fast"
    if ms <= MODERATE_MS:
        return "moderate"
    return "slow"


class OrderStatus(StrEnum):
    """An order's life: pending (provider outcome unknown) -> sold | void; sold -> refunded;
    recovered = a purchase found at the provider with no local order; refund_unknown = a refund
    was sent, its answer lost, and the provider's later answers do not tell whether it happened."""

    PENDING = "pending"
    SOLD = "sold"
    REFUNDED = "refunded"
    RECOVERED = "recovered"
    VOID = "void"
    REFUND_UNKNOWN = "refund_unknown"


S = OrderStatus
#: every status, in the order the operator sees them (filters, the CLI's choices)
ORDER_STATUSES: tuple[OrderStatus, ...] = tuple(OrderStatus)
#: a sale the provider charged (stats count these as sold)
CHARGED: tuple[OrderStatus, ...] = (S.SOLD, S.REFUNDED, S.RECOVERED, S.REFUND_UNKNOWN)
#: charged sales the shop keeps: exported, expected in the provider's /proxy/bought, and the ones
#: whose refund window is live (counted down)
KEPT: tuple[OrderStatus, ...] = (S.SOLD, S.RECOVERED)
#: a refund may be asked for (a refund_unknown one: asking first settles the lost one)
REFUNDABLE: tuple[OrderStatus, ...] = (*KEPT, S.REFUND_UNKNOWN)
#: the operator records the outcome by hand (Mark refunded / not refunded)
SETTLED_BY_HAND: tuple[OrderStatus, ...] = (S.REFUND_UNKNOWN,)
#: the operator must look at these (drawn highlighted; listed in the Refunds tab whatever the window)
NEEDS_ATTENTION: tuple[OrderStatus, ...] = (S.PENDING, S.REFUND_UNKNOWN)
#: no credentials to show: the buy is unsettled, or it never happened
NO_CREDENTIALS: tuple[OrderStatus, ...] = (S.PENDING, S.VOID)
#: the buy's outcome is still open: the provider may or may not have charged
UNSETTLED: tuple[OrderStatus, ...] = (S.PENDING,)
del S


class RefundState(StrEnum):
    """A refund request of the shop's own, kept on the order (`Order.refund_state`) with the time
    it was sent (`Order.refund_requested_at`) until the provider's answer settles it."""

    IN_PROGRESS = "in_progress"  # sent (or about to be) by a process that may still be running
    UNANSWERED = "unanswered"  # sent, and its answer was lost
