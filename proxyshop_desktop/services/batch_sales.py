"""Several sales in one go: the selected products, or N proxies matching the inventory's filters.
Each is one `sales` sale (pending order first, one provider call); a vanished proxy is skipped, a
refusal for the whole shop or an unknown outcome stops the batch.
"""

from __future__ import annotations

from proxyshop_desktop.errors import NotFoundError, ProxyUnavailableError, ShopError, UsageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.services import inventory
from proxyshop_desktop.services.context import ShopContext
from proxyshop_desktop.services.results import BatchFailure, BatchSaleResult, InventoryQuery, OrderView
from proxyshop_desktop.services.sales import check_product_id, clean_customer, sell_one

#: a batch stops at a refusal for the whole shop: what the products after it get
NOT_ATTEMPTED = translate("errors", "Not attempted: the batch stopped at the failure above.")


Attempt = tuple[OrderView | None, BatchFailure | None, bool]  # (order, failure, stop the batch)



async def _attempt(ctx: ShopContext, product_id: int, customer: str) -> Attempt:
    try:
        return await sell_one(ctx, product_id, customer), None, False
    except (ProxyUnavailableError, NotFoundError) as exc:
        # Only this one proxy is gone (vanished at the provider, or sold by another window): the
        # next one may well sell, so the batch goes on.
        return None, BatchFailure(product_id, exc), False
    except ShopError as exc:
        # A refusal for the whole shop (balance, token, rate limit, outage), an unknown outcome
        # (buying on could charge twice for one need) or a local failure: stop here.
        return None, BatchFailure(product_id, exc), True


async def sell_many(ctx: ShopContext, product_ids: list[int], customer: str = "") -> BatchSaleResult:
    """Sell the selected products one provider call at a time; stop at a shop-wide refusal."""
    customer = clean_customer(customer)
    ids = list(dict.fromkeys(check_product_id(pid) for pid in product_ids))
    if not ids:
        raise UsageError(translate("errors", "No products selected to sell."),
                         translate("errors", "Select one or more proxies first."))
    sold: list[OrderView] = []
    failed: list[BatchFailure] = []
    for index, product_id in enumerate(ids):
        order, failure, stop = await _attempt(ctx, product_id, customer)
        if order is not None:
            sold.append(order)
        if failure is not None:
            failed.append(failure)
        if stop:
            failed.extend(
                BatchFailure(rest, ShopError(NOT_ATTEMPTED)) for rest in ids[index + 1:]
            )
            break
    return BatchSaleResult(orders=sold, failed=failed)


async def sell_batch(ctx: ShopContext, count: int, query: InventoryQuery, customer: str = "") -> BatchSaleResult:
    """Sell `count` proxies matching `query`, one provider call each.

    A proxy that vanished (404/503, or sold by another window) is recorded in `failed` and the
    next match is tried, so the batch still reaches `count` when it can; a shop-wide refusal or an
    unknown outcome stops it (see `_attempt`).
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise UsageError(translate("errors", "Invalid count {0}: a batch sells 1 or more proxies.").format(repr(count)),
                         translate("errors", "Pass --count 1 or more."))
    customer = clean_customer(customer)
    # The inventory's own query (same filters, validation and order as the listing, all pages).
    rows = await inventory.inventory_rows(ctx, query)
    candidates = [row.product_id for row in rows if row.status == "online"]
    if not candidates:
        raise NotFoundError(translate("errors", "No proxy in the inventory matches these filters."),
                            translate("errors", "Run a sync or widen the filters."))
    sold: list[OrderView] = []
    failed: list[BatchFailure] = []
    stopped = False
    for product_id in candidates:
        if len(sold) == count:
            break
        order, failure, stopped = await _attempt(ctx, product_id, customer)
        if order is not None:
            sold.append(order)
        if failure is not None:
            failed.append(failure)
        if stopped:
            break
    if not stopped and len(sold) < count:
        # product_id 0: this failure is about the batch, not one product
        short = translate("errors", "Only {0} of {1} sold: no more matching proxies in the inventory.")
        failed.append(BatchFailure(0, NotFoundError(short.format(len(sold), count), "")))
    return BatchSaleResult(orders=sold, failed=failed)
