"""The command line's grammar: argparse, with every bad argument a one-line usage error (exit 2).

`--json` is accepted before or after the command: the top-level parser owns its default (False)
and the sub-parsers only ever set it (their default is SUPPRESS, so they cannot reset it).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import NoReturn

from proxyshop_desktop import __version__
from proxyshop_desktop.errors import UsageError
from proxyshop_desktop.i18n import LANGUAGES, translate
from proxyshop_desktop.vocabulary import MAX_ORDERS_PAGE, ORDER_STATUSES, PROXY_TYPES

PROG = "proxyshop-desktop"
MAX_PAGE_SIZE = 1000
MAX_BATCH = 1000
REPORT_GROUPINGS = ("day", "country", "type", "isp")  # services.report.GROUPINGS (Qt-free, lazy)


class ArgumentError(UsageError):
    """argparse's complaint, as a one-line usage error."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise ArgumentError(f"{message}.", translate("errors", "See `{0} --help`.").format(self.prog))


# --- value checks (argparse `type=` callables: ValueError/ArgumentTypeError -> usage error) -----


def country_code(text: str) -> str:
    code = text.strip()
    if len(code) != 2 or not (code.isascii() and code.isalpha()):
        raise argparse.ArgumentTypeError(
            f"invalid country code {text!r}: use a 2-letter ISO code like US"
        )
    return code.upper()


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} must be 1 or more")
    return value


def page_size(text: str) -> int:
    value = positive_int(text)
    if value > MAX_PAGE_SIZE:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (1 to {MAX_PAGE_SIZE})")
    return value


def orders_limit(text: str) -> int:
    value = positive_int(text)
    if value > MAX_ORDERS_PAGE:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (1 to {MAX_ORDERS_PAGE})")
    return value


def batch_count(text: str) -> int:
    value = positive_int(text)
    if value > MAX_BATCH:
        raise argparse.ArgumentTypeError(f"{text!r} is out of range (1 to {MAX_BATCH} per batch)")
    return value


def port_number(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return value


def speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of milliseconds") from None
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of milliseconds")
    return value


def iso_date(text: str) -> datetime:
    """2024-05-01 or 2024-05-01T12:00[:00][+02:00|Z]; a time without a zone is UTC."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: use an ISO date like 2024-05-01 or 2024-05-01T12:00:00Z"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def percent(text: str) -> Decimal:
    """'10' or '10%' -> Decimal('0.10')."""
    try:
        value = Decimal(text.strip().rstrip("%").strip())
    except ArithmeticError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a percentage like 10") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"{text!r} must be a percentage from 0 to 100")
    return value / 100


def non_empty(text: str) -> str:
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


# --- the grammar -------------------------------------------------------------------------------


def _inventory_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--country", type=country_code, metavar="CC", help="2-letter country code")
    parser.add_argument("--city", type=non_empty, metavar="NAME", help="city (case-insensitive)")
    parser.add_argument("--type", dest="proxy_type", choices=PROXY_TYPES, help="proxy class")
    parser.add_argument("--isp", type=non_empty, metavar="TEXT", help="ISP contains TEXT")
    parser.add_argument("--max-speed", type=speed, metavar="MS", help="latency at most MS ms")


#: adds a sub-command: (name, help) -> its parser (which takes the common options)
Command = Callable[[str, str], argparse.ArgumentParser]


def build_parser() -> Parser:
    common = _common_options()
    parser = _top_level()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help_text, description=help_text)

    _inventory_commands(command)
    _order_commands(command)
    _report_and_file_commands(command)
    _keyring_and_database_commands(command, common)
    _desktop_alerts_and_demo_commands(command, common)
    return parser


def _common_options() -> Parser:
    """The options every sub-command also takes (after its name)."""
    common = Parser(add_help=False)
    common.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print exactly one JSON object on stdout",
    )
    common.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the messages (default: LANG/LC_MESSAGES, else English); --json stays English",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS,
        help="also print log messages on stderr",
    )
    return common


def _top_level() -> Parser:
    parser = Parser(
        prog=PROG,
        description="ProxyShop Desktop: the admin app of a SOCKS5 proxy reselling shop. "
        "Without a command it opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument(
        "--json",
        action="store_true",
        default=False,
        help="print exactly one JSON object on stdout (also after the command)",
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the messages: en or ru (default: LANG/LC_MESSAGES, else English); "
        "--json output stays English (also after the command)",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", default=False, help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="open the window against the embedded simulated provider, with its own data dir",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the demo window offscreen, sync once, close; exit 0 if all went well",
    )
    return parser


def _inventory_commands(command: Command) -> None:
    gui = command("gui", "open the window (the default)")
    gui.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="use the embedded simulated provider",
    )

    sync = command("sync", "fetch the provider's online proxies into the inventory")
    sync.add_argument("--country", type=country_code, metavar="CC", help="only this country")

    command("cleanup", "remove inventory that is offline or gone at the provider")

    inventory = command("inventory", "list the local inventory")
    _inventory_filters(inventory)
    inventory.add_argument(
        "--max-refund-rate", type=percent, metavar="PCT",
        help="only proxies whose country/ISP the shop refunded at most PCT %% of (unknown pass)",
    )
    inventory.add_argument("--page", type=positive_int, default=1, metavar="N")
    inventory.add_argument(
        "--page-size",
        type=page_size,
        default=50,
        metavar="N",
        help=f"1 to {MAX_PAGE_SIZE} (default 50)",
    )

    sell = command("sell", "sell one proxy (PRODUCT_ID) or --count N matching the filters")
    sell.add_argument("product_id", nargs="?", type=positive_int, metavar="PRODUCT_ID")
    sell.add_argument("--count", type=batch_count, metavar="N", help="sell N matching proxies")
    _inventory_filters(sell)
    sell.add_argument("--customer", default="", metavar="TEXT", help="customer reference")


def _order_commands(command: Command) -> None:
    refund = command("refund", "refund an order (within the refund window, if the provider agrees)")
    refund.add_argument("order_id", type=non_empty, metavar="ORDER_ID")

    settle = command(
        "settle-refund",
        "record what you found at the provider for a refund_unknown order (nothing is sent)",
    )
    settle.add_argument("order_id", type=non_empty, metavar="ORDER_ID")
    found = settle.add_mutually_exclusive_group(required=True)
    found.add_argument("--refunded", dest="refunded", action="store_true",
                       help="the provider confirmed it refunded this purchase")
    found.add_argument("--not-refunded", dest="refunded", action="store_false",
                       help="the provider confirmed it did not")

    check = command(
        "check",
        "check a sold proxy: log in with its credentials and fetch the check URL through it "
        "(exit 0 only when it works)",
    )
    check.add_argument("order_id", type=non_empty, metavar="ORDER_ID")

    orders = command("orders", "list orders, newest first, a page at a time")
    orders.add_argument("--customer", metavar="TEXT", help="exactly this customer reference")
    orders.add_argument("--operator", metavar="NAME", help="sold by exactly this operator")
    orders.add_argument("--status", choices=[status.value for status in ORDER_STATUSES])
    orders.add_argument("--search", metavar="TEXT",
                        help="part of an order id, customer reference or IP (any case)")
    orders.add_argument("--limit", type=orders_limit, default=100, metavar="N",
                        help=f"orders per page (default 100, at most {MAX_ORDERS_PAGE:,})")
    orders.add_argument("--page", type=positive_int, default=1, metavar="N",
                        help="which page (1 = the newest orders)")

    command("stats", "the shop's figures")


def _report_and_file_commands(command: Command) -> None:
    report = command(
        "report",
        "sold, refunded, refund rate, revenue, cost and profit per day, country, type or ISP",
    )
    report.add_argument("--by", required=True, choices=REPORT_GROUPINGS, help="group the sales by")
    report.add_argument(
        "--since",
        type=iso_date,
        metavar="ISO-DATE",
        help="sales purchased at or after this date/time (UTC unless a zone is given)",
    )
    report.add_argument(
        "--format", dest="fmt", choices=("table", "csv", "json"), default="table",
        help="table (default), csv, or json (the same object as --json)",
    )

    export = command("export", "export sold credentials to a file (owner-only)")
    export.add_argument("--format", dest="fmt", required=True, choices=("csv", "txt"))
    export.add_argument("--out", required=True, metavar="PATH", help="file to write")
    export.add_argument("--customer", metavar="TEXT", help="exactly this customer reference")
    export.add_argument(
        "--since",
        type=iso_date,
        metavar="ISO-DATE",
        help="sold at or after this date/time (UTC unless a zone is given)",
    )
    export.add_argument(
        "--with-check", action="store_true",
        help="CSV: add each order's last proxy check (columns last_check, last_check_at)",
    )

    command("reconcile", "settle local orders against the provider's purchase record")
    command("backup", "back up the database into the data dir's backups folder")

    restore = command("restore", "replace the database with a backup (close the app first)")
    restore.add_argument("file", metavar="FILE")


def _keyring_and_database_commands(command: Command, common: Parser) -> None:
    token = command("token", "the provider API token in the OS keyring")
    token_sub = token.add_subparsers(dest="token_action", metavar="ACTION", required=True)
    for name, text in (
        ("set", "store the token (read from stdin when piped, else prompted)"),
        ("status", "where the token comes from and whether it is set"),
        ("clear", "remove the token from the keyring"),
    ):
        token_sub.add_parser(name, parents=[common], help=text, description=text)

    db_password = command("db-password", "the shared PostgreSQL database's password in the keyring")
    password_sub = db_password.add_subparsers(
        dest="password_action", metavar="ACTION", required=True
    )
    for name, text in (
        ("set", "store the password (read from stdin when piped, else prompted)"),
        ("status", "where the password comes from and whether it is set"),
        ("clear", "remove the password from the keyring"),
    ):
        password_sub.add_parser(name, parents=[common], help=text, description=text)

    db = command("db", "the shop's database: its status, or copy the SQLite shop to PostgreSQL")
    db_sub = db.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    text = "the engine, the server, the schema version and the row counts"
    db_sub.add_parser("status", parents=[common], help=text, description=text)
    text = "copy this data dir's SQLite shop into an empty PostgreSQL database, verified"
    copy = db_sub.add_parser("copy", parents=[common], help=text, description=text)
    copy.add_argument("--to", required=True, metavar="URL",
                      help="postgresql://user@host:port/dbname")


def _desktop_alerts_and_demo_commands(command: Command, common: Parser) -> None:
    entry = command("install-desktop-entry", "add ProxyShop to this user's application menu")
    entry.add_argument("--uninstall", action="store_true", help="remove the menu entry and icon")
    alerts = command("alerts", "Telegram alerts: send a test message, show the state, the bot token")
    alerts_sub = alerts.add_subparsers(dest="alerts_action", metavar="ACTION", required=True)
    for name, text in (
        ("test", "send a test message to the chat now"),
        ("status", "whether alerts are on, and the queue of alerts not yet sent"),
    ):
        alerts_sub.add_parser(name, parents=[common], help=text, description=text)
    bot = alerts_sub.add_parser("token", parents=[common], help="the Telegram bot token in the OS keyring")
    bot_sub = bot.add_subparsers(dest="token_action", metavar="ACTION", required=True)
    for name, text in (
        ("set", "store the bot token (read from stdin when piped, else prompted)"),
        ("status", "where the bot token comes from and whether it is set"),
        ("clear", "remove the bot token from the keyring"),
    ):
        bot_sub.add_parser(name, parents=[common], help=text, description=text)

    demo = command("demo-provider", "run the embedded simulated provider alone (Ctrl+C stops it)")
    demo.add_argument("--port", type=port_number, default=8765, help="TCP port (default 8765)")
    demo.add_argument("--proxies", type=positive_int, default=3000, help="catalogue size")
