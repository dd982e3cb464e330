"""Who is operating the shop, as recorded with the evidence they produce (proxy checks).

One function, so that a later setting (a shared database with several operators) changes it in
one place. For now it is the OS account and the machine: `user@host`.
"""

from __future__ import annotations

import getpass
import socket


def current_operator() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER: a bare container
        user = "unknown"
    return f"{user}@{socket.gethostname() or 'localhost'}"
