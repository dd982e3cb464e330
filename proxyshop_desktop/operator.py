"""Who is operating the shop, as recorded with the evidence they produce (proxy checks).

One function, so that a later setting (a shared database with several operators) changes it in
one place. For now it is the OS account and the machine: `user@host`.
With a shared database (issue 11) the `operator_name` setting (PROXYSHOP_OPERATOR) names the
operator instead; `user@host` stays the default.
"""

from __future__ import annotations

import getpass
import socket

_configured = ""  # this process's operator_name setting (Shop.open / apply_settings set it)


def configure(name: str) -> None:
    global _configured
    _configured = name.strip()


def current_operator(configured: str = "") -> str:
    if (configured or _configured).strip():
        return (configured or _configured).strip()
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER: a bare container
        user = "unknown"
    return f"{user}@{socket.gethostname() or 'localhost'}"
