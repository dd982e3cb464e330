"""`proxyshop-desktop install-desktop-entry [--uninstall]`: the application menu entry and its
icon for the current user, as the freedesktop specs place them:

    $XDG_DATA_HOME/applications/proxyshop-desktop.desktop
    $XDG_DATA_HOME/icons/hicolor/scalable/apps/proxyshop-desktop.svg

($XDG_DATA_HOME defaults to ~/.local/share.) The entry starts the program that wrote it: the
PyInstaller binary, the installed `proxyshop-desktop` script, or this Python with `-m`.
Qt-free, like every command.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from proxyshop_desktop import APP_NAME, __version__
from proxyshop_desktop.errors import StorageError, UsageError
from proxyshop_desktop.i18n import translate

ENTRY_NAME = f"{APP_NAME}.desktop"
ICON_NAME = APP_NAME  # the Icon= key names a theme icon, looked up in hicolor
#: characters that make the Exec key's argument need quoting (Desktop Entry spec, "The Exec key")
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class EntryFiles:
    desktop_file: Path
    icon_file: Path

    def to_json(self) -> dict[str, str]:
        return {"desktop_file": str(self.desktop_file), "icon_file": str(self.icon_file)}


def data_home(environ: Mapping[str, str] | None = None) -> Path:
    """$XDG_DATA_HOME when it is an absolute path (the spec says to ignore a relative one)."""
    env = os.environ if environ is None else environ
    value = env.get("XDG_DATA_HOME", "").strip()
    if value and Path(value).is_absolute():
        return Path(value)
    return Path.home() / ".local" / "share"


def entry_files(home: Path) -> EntryFiles:
    return EntryFiles(home / "applications" / ENTRY_NAME,
                      home / "icons" / "hicolor" / "scalable" / "apps" / f"{ICON_NAME}.svg")


def launch_command() -> list[str]:
    """How to start this same program again."""
    if getattr(sys, "frozen", False):  # the PyInstaller bundle
        return [str(Path(sys.executable).resolve())]
    script = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if script is not None and script.name == APP_NAME and script.is_file():
        return [str(script.resolve())]
    found = shutil.which(APP_NAME)
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "proxyshop_desktop"]


def exec_value(argv: Sequence[str]) -> str:
    """The Exec key's value: each argument quoted as the spec asks, then the string-level escape
    (a backslash is written twice) applied on top."""
    parts = []
    for arg in argv:
        if "\n" in arg or "\r" in arg:
            raise UsageError(translate("errors", "Cannot write a menu entry for a path with a line break: {0}."
                                       ).format(repr(arg)),
                             translate("errors", "Install ProxyShop in a folder whose path has no line break."))
        quoted = arg.replace("%", "%%")
        if any(ch in _RESERVED for ch in quoted):
            inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in quoted)
            quoted = f'"{inner}"'
        parts.append(quoted.replace("\\", "\\\\"))
    return " ".join(parts)


def desktop_file_text(argv: Sequence[str]) -> str:
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.5",
        "Name=ProxyShop",
        "GenericName=Proxy shop administration",
        "Comment=Inventory, sales and refunds of a SOCKS5 proxy reselling shop",
        f"Exec={exec_value([*argv, 'gui'])}",
        f"Icon={ICON_NAME}",
        "Terminal=false",
        "Categories=Network;Office;",
        f"X-ProxyShop-Version={__version__}",
        "",
    ])


def _replace(path: Path, data: bytes) -> None:
    """Write a new file beside `path` and rename it over: a menu never reads half an entry."""
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as tmp:
        tmp.write(data)
    try:
        os.chmod(tmp.name, 0o644)  # menus and icon caches read them; nothing secret in them
        os.replace(tmp.name, path)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise


def install(home: Path, argv: Sequence[str], icon_svg: bytes) -> EntryFiles:
    files = entry_files(home)
    try:
        for path in (files.desktop_file, files.icon_file):
            path.parent.mkdir(parents=True, exist_ok=True)
        _replace(files.icon_file, icon_svg)
        _replace(files.desktop_file, desktop_file_text(argv).encode("utf-8"))
    except OSError as exc:
        raise StorageError(translate("errors", "Cannot write the menu entry under {0}: {1}.").format(
                               home, exc.strerror or exc),
                           translate("errors", "Check that the folder is yours and writable, or set XDG_DATA_HOME.")
                           ) from exc
    return files


def uninstall(home: Path) -> tuple[EntryFiles, list[Path]]:
    """Removes what install wrote; returns the files and which of them existed."""
    files = entry_files(home)
    removed = []
    for path in (files.desktop_file, files.icon_file):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise StorageError(translate("errors", "Cannot remove {0}: {1}.").format(path, exc.strerror or exc),
                               translate("errors", "Remove it by hand.")) from exc
    return files, removed


def app_icon_svg() -> bytes:
    import importlib.resources

    try:
        import proxyshop_desktop.resources as resources  # imported by name: bundlers see it

        return importlib.resources.files(resources).joinpath("app.svg").read_bytes()
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise StorageError(translate("errors", "The application icon is missing from this installation."),
                           translate("errors", "Reinstall ProxyShop Desktop.")) from exc


def run(uninstalling: bool, environ: Mapping[str, str] | None = None) -> tuple[dict[str, object], str]:
    """The command: (JSON reply, text reply)."""
    home = data_home(environ)
    if uninstalling:
        files, removed = uninstall(home)
        text = ("Removed " + " and ".join(str(p) for p in removed) + "." if removed
                else f"No menu entry was installed under {home}.")
        return {"status": "success", "removed": [str(p) for p in removed], **files.to_json()}, text
    files = install(home, launch_command(), app_icon_svg())
    text = (f"Menu entry written: {files.desktop_file} (icon {files.icon_file}). "
            "It may take a moment, or a new login, to appear in the menu.")
    return {"status": "success", **files.to_json()}, text
