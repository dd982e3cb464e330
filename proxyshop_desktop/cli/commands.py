"""The headless commands: each turns parsed arguments into one Shop call and a `Reply`.

Commands that need the database run inside `asyncio.run`, around `Shop.open()` ... `aclose()`.
`token`, `restore` and `demo-provider` run without a Shop (restore must not have one open).
Nothing here imports Qt: these commands run from cron on servers without a display.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from proxyshop_desktop import i18n, token_store
from proxyshop_desktop.cli import localized, output
from proxyshop_desktop.errors import ShopError, SyncedElsewhereError, UsageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.logging_setup import install_redaction
from proxyshop_desktop.paths import AppPaths
from proxyshop_desktop.services.results import InventoryQuery

PLAIN_HTTP_WARNING = (
    "warning: the provider URL is plain http: the token and sold credentials cross the network "
    "unencrypted"
)


@dataclass(frozen=True)
class Reply:
    data: dict[str, Any]  # the --json object
    text: str  # the human summary
    exit_code: int = 0


if TYPE_CHECKING:  # imported lazily at run time: the Shop facade pulls in every service
    from proxyshop_desktop.config import Settings
    from proxyshop_desktop.services.context import ClientFactory
    from proxyshop_desktop.services.shop import Shop
    from proxyshop_desktop.upstream.client import ProviderClient

ShopHandler = Callable[["Shop", argparse.Namespace], Awaitable[Reply]]


# --- commands on an open shop ----------------------------------------------------------------


def _query(args: argparse.Namespace, page: int = 1, page_size: int = 50) -> InventoryQuery:
    return InventoryQuery(
        country_code=args.country,
        city=args.city,
        proxy_type=args.proxy_type,
        isp=args.isp,
        max_speed=args.max_speed,
        max_refund_rate=getattr(args, "max_refund_rate", None),
        page=page,
        page_size=page_size,
    )


def _skipped(busy: SyncedElsewhereError) -> Reply:
    """Another process or machine is syncing the shop right now: a sync or cleanup is then not
    needed (that run keeps the inventory), and not a failure: exit 0, one line on stdout, nothing
    on stderr, so cron mails no error."""
    return Reply({"status": "skipped", "reason": busy.message, "hint": busy.hint},
                 output.escape(i18n.render(busy.text)))


async def cmd_sync(shop: Shop, args: argparse.Namespace) -> Reply:
    try:
        result = await shop.sync(args.country, trigger="cli")
    except SyncedElsewhereError as busy:
        return _skipped(busy)
    text = output.sync_text(result)
    # A server that only runs this from cron gets the window's daily backup too. A backup that
    # fails is a warning: the sync itself succeeded.
    try:
        backup = await shop.daily_backup()
    except ShopError as exc:
        output.print_error(i18n.render(translate("cli", "warning: the daily backup failed: {0} {1}").format(
            exc.text, exc.hint_text)))
    else:
        if backup is not None:
            text += "\n" + i18n.render(translate("cli", "Daily backup: {0}").format(backup))
    return Reply(result.to_json(), text)


async def cmd_cleanup(shop: Shop, args: argparse.Namespace) -> Reply:
    try:
        result = await shop.cleanup()
    except SyncedElsewhereError as busy:
        return _skipped(busy)
    return Reply(result.to_json(), i18n.render(translate("cli", "Cleanup: {0}").format(output.escape(result.message))))


async def cmd_inventory(shop: Shop, args: argparse.Namespace) -> Reply:
    page = await shop.inventory(_query(args, args.page, args.page_size))
    return Reply(page.to_json(), output.inventory_text(page))


def check_sell_args(args: argparse.Namespace) -> None:
    """Before opening anything: exactly one of PRODUCT_ID and --count, filters only with --count."""
    filters = any(
        getattr(args, name) is not None
        for name in ("country", "city", "proxy_type", "isp", "max_speed")
    )
    help_hint = translate("errors", "See `proxyshop-desktop sell --help`.")
    if args.product_id is not None and args.count is not None:
        raise UsageError(translate("errors", "Give either PRODUCT_ID or --count N, not both."), help_hint)
    if args.product_id is None and args.count is None:
        raise UsageError(translate("errors", "Say what to sell: a PRODUCT_ID, or --count N."), help_hint)
    if args.product_id is not None and filters:
        raise UsageError(
            translate("errors", "Inventory filters only apply to --count N."),
            translate("errors", "Sell PRODUCT_ID alone, or use --count."),
        )


async def cmd_sell(shop: Shop, args: argparse.Namespace) -> Reply:
    if args.product_id is not None:
        order = await shop.sell(args.product_id, args.customer)
        return Reply(order.sale_json(), output.sale_text(order))
    result = await shop.sell_batch(args.count, _query(args), args.customer)
    # Skipped proxies (gone since the last sync) do not fail a batch that still sold N.
    return Reply(
        result.to_json(), output.batch_text(result), 0 if len(result.orders) == args.count else 1
    )


async def cmd_refund(shop: Shop, args: argparse.Namespace) -> Reply:
    result = await shop.refund(args.order_id.strip())
    return Reply(
        result.to_json(),
        i18n.render(translate("cli", "Refunded {0}: {1}.").format(
            result.order_id, localized.money(result.refund_amount)))
        # the provider's words: a line break stays visible
        + " " + output.escape(i18n.render(result.text or result.message)),
    )


async def cmd_settle_refund(shop: Shop, args: argparse.Namespace) -> Reply:
    result = await shop.settle_refund(args.order_id.strip(), refunded=args.refunded)
    data = {**result.to_json(), "order_id": result.order_id, "refunded": args.refunded}
    return Reply(data, output.escape(i18n.render(result.text or result.message)))


async def cmd_check(shop: Shop, args: argparse.Namespace) -> Reply:
    result = await shop.check_order(args.order_id.strip())
    return Reply(result.to_json(), output.check_text(result), 0 if result.works else 1)


async def cmd_orders(shop: Shop, args: argparse.Namespace) -> Reply:
    from proxyshop_desktop.services.order_pages import OrderQuery  # loads the database layer

    query = OrderQuery(customer=args.customer, status=args.status, search=args.search,
                       operator=args.operator, page=args.page, limit=args.limit)
    page = await shop.order_page(query)
    return Reply(page.to_json(), output.orders_text(page))


async def cmd_stats(shop: Shop, args: argparse.Namespace) -> Reply:
    stats = await shop.stats()
    return Reply(stats.to_json(), output.stats_text(stats))


async def cmd_report(shop: Shop, args: argparse.Namespace) -> Reply:
    result = await shop.report(args.by, args.since)
    if args.fmt == "json":
        args.json = True  # --format json prints the --json object
    text = output.report_csv(result) if args.fmt == "csv" else output.report_text(result)
    return Reply(result.to_json(), text)


async def cmd_export(shop: Shop, args: argparse.Namespace) -> Reply:
    progress = output.ProgressLine(translate("cli", "exporting")) if output.ProgressLine.wanted(args.json) else None
    try:
        result = await shop.export(
            args.fmt,
            Path(args.out),
            customer=args.customer,
            since=args.since,
            progress=None if progress is None else progress.update,
            with_check=args.with_check,
        )
    finally:
        if progress is not None:
            progress.done()
    text = i18n.render(translate("cli", "Exported {0} as {1} to {2} (readable by you only).").format(
        localized.counted.sold_orders(result.count), args.fmt.upper(), result.path))
    if result.skipped:
        from proxyshop_desktop.services.export import skipped_message

        text += "\n" + i18n.render(skipped_message(result.skipped, result.skipped_count))
    return Reply(result.to_json(), text)


async def cmd_reconcile(shop: Shop, args: argparse.Namespace) -> Reply:
    result = await shop.reconcile()
    return Reply(result.to_json(), output.reconcile_text(result))


async def cmd_backup(shop: Shop, args: argparse.Namespace) -> Reply:
    path = await shop.backup()
    return Reply({"status": "success", "path": str(path)},
                 i18n.render(translate("cli", "Backup written to {0}.").format(path)))


SHOP_COMMANDS: dict[str, ShopHandler] = {
    "sync": cmd_sync,
    "cleanup": cmd_cleanup,
    "inventory": cmd_inventory,
    "sell": cmd_sell,
    "refund": cmd_refund,
    "settle-refund": cmd_settle_refund,
    "check": cmd_check,
    "orders": cmd_orders,
    "stats": cmd_stats,
    "report": cmd_report,
    "export": cmd_export,
    "reconcile": cmd_reconcile,
    "backup": cmd_backup,
}


def run_shop_command(name: str, args: argparse.Namespace, paths: AppPaths) -> Reply:
    handler = SHOP_COMMANDS[name]
    if name == "sell":
        check_sell_args(args)
    from proxyshop_desktop.services.shop import Shop

    async def session() -> Reply:
        shop = Shop.open(paths, client_factory=_warning_client_factory())
        if shop.store.target is not None:
            for warning in shop.store.target.warning_texts():
                print(f"warning: {i18n.render(warning)}", file=sys.stderr, flush=True)
        try:
            return await handler(shop, args)
        finally:
            from proxyshop_desktop.cli.alerts_cmd import after_command

            await after_command(shop)  # a failed sync is alerted too; bounded, never raises
            await shop.aclose()

    return asyncio.run(session())


def _warning_client_factory() -> ClientFactory:
    """The provider client, built when a command first needs it, after a warning if the URL is
    plain http (the Shop has registered the token for redaction by then). A command refused
    locally (unknown order id, say) never talks to the provider and prints no warning."""
    from proxyshop_desktop.upstream.client import ProviderClient

    def build(settings: Settings, token: str) -> ProviderClient:
        if settings.is_plain_http:
            output.print_error(PLAIN_HTTP_WARNING)
        return ProviderClient(settings, token)

    return build


# --- commands without a shop -------------------------------------------------------------------


def run_restore(args: argparse.Namespace, paths: AppPaths) -> Reply:
    from proxyshop_desktop.clock import utcnow
    from proxyshop_desktop.config import load_settings
    from proxyshop_desktop.services.maintenance import restore_backup

    source = Path(args.file).expanduser().absolute()
    settings = load_settings(paths.settings_file)
    if settings.database_url:  # the shared PostgreSQL database: a .pgdump, through pg_restore
        from proxyshop_desktop.services.restore_pg import restore_pg_backup

        done = restore_pg_backup(paths, settings.database_url, source, utcnow())
        data = {"status": "success", "restored_from": str(source), "database": done.target,
                "schema_version": done.dump_version,
                "previous_backup": None if done.safety is None else str(done.safety)}
        return Reply(data, i18n.render(done.describe(source)))
    previous = restore_backup(paths, source, utcnow())
    text = translate("cli", "Restored {0} into {1}.").format(source, paths.database)
    if previous is not None:
        text = translate("cli", "{0} The previous database was saved as {1}.").format(text, previous)
    data = {
        "status": "success",
        "restored_from": str(source),
        "database": str(paths.database),
        "previous_backup": None if previous is None else str(previous),
    }
    return Reply(data, i18n.render(text))


def run_token(args: argparse.Namespace) -> Reply:
    action = args.token_action
    if action == "status":
        status = token_store.token_status()
        return Reply(status.to_json(), i18n.render(status.describe()))
    if action == "clear":
        removed = token_store.clear_token()
        text = (translate("cli", "Token removed from the OS keyring.") if removed
                else translate("cli", "No token was stored in the OS keyring."))
        if token_store.token_status().source == "environment":
            text = translate("cli", "{0} {1} is still set and still provides a token.").format(
                text, token_store.TOKEN_ENV)
        return Reply({"status": "success", "removed": removed}, i18n.render(text))
    token = _read_token()
    install_redaction(token)
    token_store.set_token(token)
    status = token_store.token_status()
    text = translate("cli", "Token stored in the OS keyring ({0}).").format(status.backend)
    if status.source == "environment":
        text = translate("cli", "{0} Note: {1} is set and overrides it.").format(text, token_store.TOKEN_ENV)
    return Reply({"status": "success", "stored_in": "keyring", "backend": status.backend}, i18n.render(text))


def _read_token() -> str:
    return read_secret(i18n.render(translate("cli", "Provider API token (not shown): ")))


def read_secret(prompt: str) -> str:
    """From stdin when piped (scripts, CI), else a prompt that does not echo."""
    if sys.stdin is None or not sys.stdin.isatty():
        text = sys.stdin.read() if sys.stdin is not None else ""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > 1:
            raise UsageError(translate("errors", "Expected the token on one line of stdin."),
                             translate("errors", "Pipe only the token."))
        return lines[0] if lines else ""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        return ""


def run_demo_provider(args: argparse.Namespace) -> Reply:
    from proxyshop_desktop.simulator import run_demo_provider as serve

    try:
        serve(port=args.port, proxies=args.proxies)
    except OSError as exc:
        raise ShopError(
            translate("errors", "Cannot start the demo provider on port {0}: {1}.").format(
                args.port, exc.strerror or exc),
            translate("errors", "Choose another port with --port."),
        ) from None
    return Reply({"status": "stopped"}, "Demo provider stopped.")
