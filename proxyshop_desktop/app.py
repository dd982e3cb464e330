"""GUI start-up and shutdown: one sequence, used by `proxyshop-desktop` and `--demo`.

QApplication -> translations -> qasync loop -> logging -> excepthook -> Shop (opened off the GUI
thread) -> window shown -> data loaded asynchronously. Shutdown in reverse: timer, running tasks,
the provider client and database, the demo simulator.

A start-up problem the operator can fix (bad setting, unusable data dir, a restore in progress)
is a dialog and an exit code; a missing token is not: the window opens on local data and says
"No API token: set it in Settings".
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import qasync
from PySide6.QtCore import QEvent, QObject, QTimer, QTranslator
from PySide6.QtWidgets import QApplication, QMessageBox

from proxyshop_desktop import APP_NAME, __version__, token_store
from proxyshop_desktop.config import Settings, load_settings
from proxyshop_desktop.errors import ShopError, StorageError
from proxyshop_desktop.hardening import disable_core_dumps
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.paths import DATA_DIR_ENV, AppPaths
from proxyshop_desktop.services.shop import Shop
from proxyshop_desktop.ui.async_dialogs import exec_async
from proxyshop_desktop.ui.bridge import ShopBridge
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.error_dialogs import install_excepthook
from proxyshop_desktop.ui.icons import app_icon
from proxyshop_desktop.ui.plain_text import plain_box
from proxyshop_desktop.ui.theme import apply_theme
from proxyshop_desktop.ui.translations import install_translators, window_locale

log = logging.getLogger(__name__)

ORGANIZATION = "ProxyShop"
APPLICATION = "ProxyShop"
DEMO_PROXIES = 3000
DEMO_SEED = 7
TOKEN_CHECK_TIMEOUT_S = 5.0


@dataclass
class Session:
    shop: Shop
    server: Any = None  # the demo's SimulatorServer
    has_token: bool = True


class MainThreadGC(QObject):
    """Python's cyclic GC runs on whichever thread allocates, e.g. the DB worker. A Qt object it
    destroys there keeps its timers registered and the GUI thread later crashes on them (seen in
    our tests). So automatic GC is off in the window process and this timer collects on the GUI
    thread, often enough that each pause is short, choosing the generation as CPython would:
    by its thresholds, and a full pass only once the old generation grew by a quarter since the
    last one (a bare `gc.collect(2)` skips that rule: full passes of 100,000 objects, 20-30 ms
    each, several times per 50,000-proxy sync; benchmarks/bench_gui.py --stacks)."""

    def __init__(self, parent: QObject, interval_ms: int = 100) -> None:
        super().__init__(parent)
        gc.disable()
        self._long_lived = 0  # objects in the old generation after the last full pass
        self._pending = 0  # objects younger passes moved there since
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] <= thresholds[generation]:
                continue
            if generation == 2 and self._pending < self._long_lived // 4:
                continue
            if generation == 2:
                gc.collect(2)
                self._long_lived, self._pending = len(gc.get_objects(generation=2)), 0
            elif generation == 1:
                young = len(gc.get_objects(generation=0)) + len(gc.get_objects(generation=1))
                self._pending += max(0, young - gc.collect(1))
            else:
                gc.collect(0)
            return

    def freeze_startup(self) -> None:
        """Keep what start-up built (modules, the window's widgets: alive until exit) out of every
        later pass, as CPython's docs suggest for long-lived objects. `release` undoes it."""
        gc.collect()
        gc.freeze()
        self._long_lived, self._pending = 0, 0

    def release(self) -> None:
        """Automatic GC back on, nothing frozen (tests run the window many times in one process)."""
        self._timer.stop()
        gc.unfreeze()
        gc.enable()


def demo_paths(environ: Mapping[str, str] | None = None) -> AppPaths:
    """The demo keeps its own data dir (<user data dir>/demo) unless PROXYSHOP_DATA_DIR is set."""
    env = os.environ if environ is None else environ
    if env.get(DATA_DIR_ENV, "").strip():
        return AppPaths.from_env(dict(env))
    return AppPaths(Path(platformdirs.user_data_dir(APP_NAME)) / "demo")


def install_translations(app: QApplication, language: str = "system",
                         environ: Mapping[str, str] | None = None) -> list[QTranslator]:
    """The window's translation (proxyshop_<lang>.qm) and Qt's own (qtbase_<lang>.qm) for the
    `language` setting; "system" follows LANG / LC_MESSAGES."""
    return install_translators(app, window_locale(language, environ))


def window_settings(paths: AppPaths) -> Settings:
    """The settings the window needs before the shop opens (language, theme). A bad settings file
    gives the defaults here: opening the shop reports it properly a moment later."""
    try:
        return load_settings(paths.settings_file)
    except ShopError:
        return Settings()


def _open_demo(paths: AppPaths) -> Session:
    from proxyshop_desktop.simulator import DEMO_TOKEN, SimulatedProvider, SimulatorServer

    paths.ensure()
    server = SimulatorServer(SimulatedProvider(proxies=DEMO_PROXIES, seed=DEMO_SEED),
                             socks=True).start()  # sold proxies answer SOCKS5 on loopback
    try:
        saved: Settings = load_settings(paths.settings_file)
        settings = saved.model_copy(
            update={"api_url": server.base_url, "check_url": server.check_url})
        shop = Shop.open(paths, settings=settings, token=DEMO_TOKEN)
    except BaseException:
        server.stop()
        raise
    return Session(shop, server, True)


async def open_session(paths: AppPaths, demo: bool) -> Session:
    """Open the shop off the GUI thread (integrity check, migrations) and find out about the token."""
    if demo:
        return await asyncio.to_thread(_open_demo, paths)
    shop = await asyncio.to_thread(Shop.open, paths)
    has_token = True
    try:
        status = await asyncio.wait_for(asyncio.to_thread(token_store.token_status), TOKEN_CHECK_TIMEOUT_S)
        has_token = status.is_set
    except (TimeoutError, ShopError) as exc:
        log.warning("cannot check the API token at start-up: %s", exc)
    return Session(shop, None, has_token)


async def startup_error(exc: ShopError) -> int:
    box = QMessageBox(QMessageBox.Icon.Critical, QApplication.translate("app", "ProxyShop cannot start"),
                      core_text(exc.text))
    box.setObjectName("startupError")
    if exc.hint:
        box.setInformativeText(core_text(exc.hint_text))
    plain_box(box)
    await exec_async(box)
    return exc.exit_code


async def run_window(
    app: QApplication, paths: AppPaths, demo: bool, after_show: Callable[[], None] | None = None
) -> int:
    from proxyshop_desktop.ui.main_window import (
        MainWindow,  # the tabs pull in QtCharts: import late
    )

    try:
        session = await open_session(paths, demo)
    except ShopError as exc:
        log.error("start-up failed: %s", exc)
        return await startup_error(exc)
    bridge = ShopBridge(session.shop, demo=demo)
    window = MainWindow(bridge, demo_server=session.server)
    closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def _closed() -> None:
        if not closed.done():
            closed.set_result(None)

    window.closed.connect(_closed)
    previous_sigint = _close_on_sigint(window)
    window.show()  # first: the window appears before any data is loaded
    bridge.start_live_updates()  # a shared database: other operators' changes show here
    if after_show is not None:
        after_show()
    window.start(first_sync=session.has_token, has_token=session.has_token)
    log.info("window open (demo=%s, data dir %s)", demo, paths.data_dir)
    try:
        await closed
    finally:
        if previous_sigint is not None:
            signal.signal(signal.SIGINT, previous_sigint)
        await window.shutdown()
        await session.shop.aclose()
        if session.server is not None:
            await asyncio.to_thread(session.server.stop)
        # its timers (refreshes, the self-test's timeout) die with it: a window run in-process
        # (--self-test in the tests) outlived its closed shop, and a timer firing later crashed
        window.deleteLater()
    return 0


def _close_on_sigint(window: Any) -> Any:
    """Ctrl+C in the terminal closes the window cleanly (Python handlers need the loop to tick).
    Returns the previous handler."""
    try:
        previous = signal.signal(signal.SIGINT, lambda *_: window.close())
    except ValueError:  # not the main thread
        return None
    heartbeat = QTimer(window)
    heartbeat.timeout.connect(lambda: None)
    heartbeat.start(500)
    return previous


def prepare_layout_file(paths: AppPaths) -> None:
    """Qt's QSettings writes window.ini through a symlink (replacing its target) and creates it
    with the umask's mode: make sure it is a file of ours, 0600, before Qt touches it (Qt keeps
    an existing file's mode)."""
    from proxyshop_desktop import safe_files

    try:
        fd = safe_files.open_file(paths.window_layout, os.O_RDONLY | os.O_CREAT,
                                  translate("errors", "the window layout file"))
    except OSError as exc:
        raise StorageError(
            translate("errors", "Cannot create the window layout file {0}: {1}.").format(
                paths.window_layout, exc.strerror or exc),
            translate("errors", "Make {0} writable by this user, or point {1} at a folder "
                      "you own.").format(paths.data_dir, DATA_DIR_ENV),
        ) from exc
    os.close(fd)


def run_self_test(argv: list[str] | None = None) -> int:
    """`--self-test`: the demo window, offscreen, in a throw-away data dir: sync once, close."""
    from proxyshop_desktop.ui.self_test import SelfTest

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    check = SelfTest()
    with tempfile.TemporaryDirectory(prefix="proxyshop-self-test-") as data_dir:
        code = run_gui(True, argv, paths=AppPaths(Path(data_dir)), after_show=check.attach)
    code, line = check.report(code)
    print(line, file=sys.stdout if code == 0 else sys.stderr, flush=True)
    return code


def run_gui(
    demo: bool = False,
    argv: list[str] | None = None,
    *,
    paths: AppPaths | None = None,
    after_show: Callable[[], None] | None = None,
) -> int:
    disable_core_dumps()  # before anything reads the token or the database
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_NAME)  # matches install-desktop-entry's file (Wayland app id)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the window's close ends run_window, which shuts down
    collector = MainThreadGC(app)
    if paths is None:
        paths = demo_paths() if demo else AppPaths.from_env()
    look = window_settings(paths)
    install_translations(app, look.language)
    apply_theme(app, look.theme)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    def shown() -> None:
        collector.freeze_startup()
        if after_show is not None:
            after_show()

    try:
        try:
            paths.ensure()
            from proxyshop_desktop.logging_setup import configure_logging

            configure_logging(paths)
            prepare_layout_file(paths)
        except ShopError as exc:
            return loop.run_until_complete(startup_error(exc))
        install_excepthook()
        return loop.run_until_complete(run_window(app, paths, demo, shown))
    finally:
        from proxyshop_desktop.logging_setup import shutdown_logging

        shutdown_logging()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)  # the window's deleteLater
        loop.close()
        asyncio.set_event_loop(None)
        collector.release()
        collector.deleteLater()
