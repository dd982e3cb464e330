"""A failed load, said in one short line naming its cause, with all of it in the tooltip.

Tabs refresh on signals, so while the database is away every tab fails at once: each says so in
a line that fits beside its table ("Could not load orders: the database is unavailable") instead
of the driver's multi-line error, which the tooltip (and the status indicator) still carry.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel

from proxyshop_desktop.errors import DatabaseUnavailableError, ShopError
from proxyshop_desktop.ui.core_text import core_text
from proxyshop_desktop.ui.elided_label import ElidedLabel
from proxyshop_desktop.ui.error_dialogs import describe
from proxyshop_desktop.ui.plain_text import tooltip

#: a cause longer than this is cut at a word (the whole of it is in the tooltip)
CAUSE_CHARS = 80


def clip(text: str, limit: int = CAUSE_CHARS) -> str:
    """`text` on one line (drivers' messages carry newlines and tabs), cut at a word to `limit`."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" .,;:") + "…"


def cause(exc: BaseException) -> str:
    """What went wrong, short: the database's absence by name, else the error's first words."""
    if isinstance(exc, DatabaseUnavailableError):
        return QCoreApplication.translate("ProblemLine", "the database is unavailable")
    if isinstance(exc, ShopError):
        return clip(core_text(exc.text)).rstrip(".")
    return describe(exc)  # "Unexpected error (KeyError); see the log file.": already short


def database_tooltip(problem: ShopError) -> str:
    """All of a database outage, then what to do about it."""
    carry_on = QCoreApplication.translate(
        "SyncStatus", "Nothing was half-saved. The window keeps trying and carries on by itself "
        "once the database answers.")
    return "\n".join(part for part in (core_text(problem.text), core_text(problem.hint_text), carry_on) if part)


def details(exc: BaseException) -> str:
    """All of it, for the tooltip: the message, then what to do."""
    if isinstance(exc, DatabaseUnavailableError):
        return database_tooltip(exc)
    if isinstance(exc, ShopError):
        return "\n".join(part for part in (core_text(exc.text), core_text(exc.hint_text)) if part)
    return describe(exc)


def problem_line(what: str, exc: BaseException) -> tuple[str, str]:
    """(`what` with the short cause for {0}, all of it): "Could not load orders: {0}", say."""
    return what.format(cause(exc)), details(exc)


def show_problem(label: QLabel, what: str, exc: BaseException) -> None:
    """`label` says the short line; hovering it shows all of it."""
    line, full = problem_line(what, exc)
    if isinstance(label, ElidedLabel):  # it keeps its own tooltip in step with what fits
        label.set_text(line, full)
        return
    label.setText(line)
    label.setToolTip(tooltip(full))


def clear_problem(label: QLabel) -> None:
    """The problem is over: neither its line nor its tooltip stays up."""
    if isinstance(label, ElidedLabel):
        label.set_text("")
        return
    label.clear()
    label.setToolTip("")
