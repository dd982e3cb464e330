"""Process-wide protections, set first thing by every entry point (the commands and the window)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)


def disable_core_dumps() -> None:
    """No core file for this process: its memory holds the API token and sold credentials, and a
    crash would write them to disk (the working directory, or the system's crash store). The hard
    limit goes to 0 too, so nothing started from here can raise it again. Windows has no
    `resource` module and no core files: nothing to do there."""
    try:
        _lower_core_limit()
    except ImportError:
        return
    except (ValueError, OSError) as exc:  # lowering a limit is always allowed; be safe anyway
        log.warning("could not switch off core dumps: %s", exc)


def _lower_core_limit() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
