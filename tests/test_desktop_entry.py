"""`proxyshop-desktop install-desktop-entry [--uninstall]`: a freedesktop menu entry and icon for
the current user under $XDG_DATA_HOME (issue 12, item 4)."""

from __future__ import annotations

import configparser
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from proxyshop_desktop import desktop_entry
from proxyshop_desktop.cli import main
from proxyshop_desktop.logging_setup import shutdown_logging

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _close_log_file() -> Any:
    yield
    shutdown_logging()


@pytest.fixture
def xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def cli_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code = main([*argv, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


def test_install_writes_the_entry_and_icon_then_uninstall_removes_them(
    xdg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reply = cli_json(capsys, "install-desktop-entry")
    desktop = xdg / "applications" / "proxyshop-desktop.desktop"
    icon = xdg / "icons" / "hicolor" / "scalable" / "apps" / "proxyshop-desktop.svg"
    assert reply == {"status": "success", "desktop_file": str(desktop), "icon_file": str(icon)}

    entry = read_entry(desktop)
    assert entry["Type"] == "Application" and entry["Name"] == "ProxyShop"
    assert entry["Icon"] == "proxyshop-desktop" and entry["Terminal"] == "false"
    argv = read_exec(entry["Exec"])
    assert argv[-1] == "gui" and Path(argv[0]).is_absolute()
    assert icon.read_bytes() == (ROOT / "resources" / "app.svg").read_bytes()
    for path in (desktop, icon):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert not [p for p in desktop.parent.iterdir() if p.name.startswith(".")]  # no temp file left

    cli_json(capsys, "install-desktop-entry")  # again: replaced, not duplicated
    assert sorted(p.name for p in desktop.parent.iterdir()) == ["proxyshop-desktop.desktop"]

    removed = cli_json(capsys, "install-desktop-entry", "--uninstall")
    assert removed["removed"] == [str(desktop), str(icon)]
    assert not desktop.exists() and not icon.exists()
    assert cli_json(capsys, "install-desktop-entry", "--uninstall")["removed"] == []


def test_text_reply_names_the_files(xdg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["install-desktop-entry"]) == 0
    out = capsys.readouterr().out
    assert str(xdg / "applications" / "proxyshop-desktop.desktop") in out


def test_a_relative_or_missing_xdg_data_home_means_the_default(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert desktop_entry.data_home({"XDG_DATA_HOME": "relative/dir"}) == tmp_path / ".local" / "share"
    assert desktop_entry.data_home({}) == tmp_path / ".local" / "share"
    assert desktop_entry.data_home({"XDG_DATA_HOME": "/abs/data"}) == Path("/abs/data")


@pytest.mark.parametrize("path", [
    "/opt/ProxyShop/proxyshop-desktop",
    "/home/o p/My Apps/proxyshop-desktop",
    '/srv/we"ird $HOME `x` 100%/proxy\\shop',
])
def test_exec_quoting_reads_back_as_the_same_arguments(path: str) -> None:
    assert read_exec(desktop_entry.exec_value([path, "gui"])) == [path, "gui"]


def read_exec(value: str) -> list[str]:
    """The Exec key read as the Desktop Entry spec says a launcher does: the string escape
    (\\\\ -> \\) first, then the arguments, in double quotes when quoted (where \\ escapes
    " ` $ and itself), then the %% field-code escape."""
    text, args, current, quoted, i = value.replace("\\\\", "\\"), [], "", False, 0
    while i < len(text):
        ch = text[i]
        if quoted and ch == "\\" and text[i + 1] in '"`$\\':
            current, i = current + text[i + 1], i + 2
            continue
        if ch == '"':
            quoted = not quoted
        elif ch == " " and not quoted:
            args.append(current)
            current = ""
        else:
            current += ch
        i += 1
    return [a.replace("%%", "%") for a in [*args, current]]


def test_a_line_break_in_the_path_is_refused() -> None:
    from proxyshop_desktop.errors import UsageError

    with pytest.raises(UsageError, match="line break"):
        desktop_entry.exec_value(["/opt/a\nb/proxyshop-desktop"])
