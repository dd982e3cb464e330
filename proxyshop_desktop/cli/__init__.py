"""`proxyshop-desktop`: the window (no command, `gui`, `--demo`) or a headless command.

Exit codes: 0 success; 1 a failure the operator can act on (provider, storage, keyring) or a bug;
2 a usage error (bad argument, unknown id, invalid setting); 130 interrupted. Errors are one line
on stderr, never a traceback: a bug's traceback goes to the log file, and the line says where.
"""

from __future__ import annotations

import argparse
import gc
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from proxyshop_desktop import i18n
from proxyshop_desktop.cli import output
from proxyshop_desktop.cli.parser import PROG, ArgumentError, build_parser
from proxyshop_desktop.errors import ShopError, UsageError
from proxyshop_desktop.hardening import disable_core_dumps

if TYPE_CHECKING:
    from proxyshop_desktop.cli.commands import Reply
    from proxyshop_desktop.paths import AppPaths

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def main(argv: Sequence[str] | None = None) -> int:
    disable_core_dumps()  # before anything reads the token or the database
    # A log file that cannot be written (disk full, data dir gone read-only) must not print
    # logging's "--- Logging error ---" traceback on the terminal: the command still reports
    # its own outcome on stderr. Restored after, for callers that run main() in-process.
    quiet_before, logging.raiseExceptions = logging.raiseExceptions, False
    gc_before = gc.get_threshold()
    try:
        return _main(argv)
    finally:
        logging.raiseExceptions = quiet_before
        gc.set_threshold(*gc_before)


def _collect_less() -> None:
    """A headless command is a short batch job: a 50,000-proxy sync allocates ~100,000 dicts and
    tuples and frees them by reference counting, yet the cyclic GC's default gen-0 threshold (700)
    scans them hundreds of times, ~4% of the sync (benchmarks/README.md). Collect less often
    (`main` restores the thresholds, for callers that run it in-process)."""
    gc.set_threshold(50_000, 20, 100)


def _main(argv: Sequence[str] | None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_json = "--json" in argv
    i18n.set_language(_asked_language(argv) or i18n.environment_language())
    try:
        args = build_parser().parse_args(argv)
    except ArgumentError as err:
        return _fail(err, wants_json)
    except SystemExit as exit_:  # --help, --version
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK

    if args.self_test:
        return _launch_gui(True, argv, self_test=True)
    if args.command in (None, "gui"):
        return _launch_gui(bool(args.demo), argv)
    if args.demo:
        return _fail(_demo_is_for_the_window(), args.json)

    _collect_less()
    log_file: Path | None = None
    try:
        from proxyshop_desktop.logging_setup import configure_logging
        from proxyshop_desktop.paths import AppPaths

        paths = AppPaths.from_env()
        try:
            paths.ensure()
            log_file = configure_logging(
                paths, logging.DEBUG if args.verbose else logging.INFO, console=args.verbose
            )
            _escape_console_log()
        except (ShopError, OSError):
            token_command = args.command in ("token", "db-password")
            if not token_command and getattr(args, "alerts_action", None) != "token":
                # the token commands work even without a data dir
                raise
            logging.getLogger().addHandler(logging.NullHandler())  # never a traceback on stderr
        reply = _dispatch(args, paths)
    except ShopError as err:
        log.info("%s failed: %s", args.command, err)
        return _fail(err, args.json)
    except KeyboardInterrupt:
        output.print_error("error: interrupted.")
        return EXIT_INTERRUPTED
    except Exception as exc:  # a bug: the traceback goes to the log file, not the terminal
        log.exception("unexpected failure in `%s`", args.command)
        return _report_bug(exc, args.json, log_file)

    if args.json:
        output.print_json(reply.data)
    else:
        output.print_text(reply.text)
    return reply.exit_code


def _demo_is_for_the_window() -> UsageError:
    return UsageError(
        i18n.translate("errors", "--demo opens the window; headless commands use the configured provider."),
        i18n.translate("errors",
                       "Run `proxyshop-desktop demo-provider` and point EXTERNAL_SOCKS_API_URL at it."),
    )


def _report_bug(exc: Exception, wants_json: bool, log_file: Path | None) -> int:
    """One line on stderr (and the JSON error) saying where the traceback went."""
    where = f"details in {log_file}" if log_file else "no log file could be written"
    output.print_error(f"error: unexpected failure ({type(exc).__name__}); {where}")
    if wants_json:
        output.print_json(
            {
                "status": "error",
                "error": f"unexpected failure ({type(exc).__name__})",
                "hint": where,
                "exit_code": EXIT_FAILURE,
            }
        )
    return EXIT_FAILURE


def _escape_console_log() -> None:
    """--verbose logs to stderr, and log records carry provider text: escape it there too."""
    for handler in logging.getLogger().handlers:
        if (isinstance(handler, logging.StreamHandler) and handler.stream is sys.stderr
                and not isinstance(handler.formatter, output.EscapingFormatter)):
            handler.setFormatter(output.EscapingFormatter(handler.formatter))


def _dispatch(args: argparse.Namespace, paths: AppPaths) -> Reply:
    from proxyshop_desktop.cli import commands

    if args.command in commands.SHOP_COMMANDS:
        return commands.run_shop_command(args.command, args, paths)
    if args.command == "token":
        return commands.run_token(args)
    if args.command == "db-password":
        from proxyshop_desktop.cli.db_cmd import run_db_password

        return run_db_password(args)
    if args.command == "db":
        from proxyshop_desktop.cli.db_cmd import run_db

        return run_db(args, paths)
    if args.command == "alerts":
        from proxyshop_desktop.cli.alerts_cmd import run_alerts

        return run_alerts(args, paths)
    if args.command == "restore":
        return commands.run_restore(args, paths)
    if args.command == "demo-provider":
        return commands.run_demo_provider(args)
    if args.command == "install-desktop-entry":
        from proxyshop_desktop import desktop_entry

        return commands.Reply(*desktop_entry.run(args.uninstall))
    raise AssertionError(f"no handler for {args.command}")


def _asked_language(argv: list[str]) -> str | None:
    """--lang ru / --lang=ru, read before parsing so that a usage error speaks it too."""
    for index, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in i18n.LANGUAGES:
            return value
    return None


def _fail(err: ShopError, as_json: bool) -> int:
    # the human line in the chosen language; --json keeps the English (machine-stable)
    output.print_error(f"error: {i18n.render(err.text)} {i18n.render(err.hint_text)}".rstrip())
    if as_json:
        output.print_json(
            {"status": "error", "error": err.message, "hint": err.hint, "exit_code": err.exit_code}
        )
    return err.exit_code


def _launch_gui(demo: bool, argv: list[str], self_test: bool = False) -> int:
    """Qt is imported only here: every other command must run on a server without a display."""
    try:
        from proxyshop_desktop.app import run_gui
    except ImportError as exc:
        output.print_error(
            f"error: the window cannot start ({exc}). Install the Qt runtime libraries "
            "(./scripts/setup-env does it), or use the headless commands (see --help)."
        )
        return EXIT_FAILURE
    if self_test:
        from proxyshop_desktop.app import run_self_test

        return run_self_test([PROG, *argv])
    return int(run_gui(demo=demo, argv=[PROG, *argv]) or 0)


__all__ = ["main"]
