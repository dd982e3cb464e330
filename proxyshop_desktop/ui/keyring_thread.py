"""Keyring calls from the window: each on a thread of its own, with a timeout (a locked keyring
can block forever). The Settings dialog hands `off_thread` to its pages."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from proxyshop_desktop.errors import KeyringUnavailableError

T = TypeVar("T")

KEYRING_TIMEOUT_S = 10.0


async def off_thread(fn: Callable[..., T], *args: Any, timeout: float = KEYRING_TIMEOUT_S) -> T:
    """Run a keyring call on its own thread; a hung backend is abandoned, never waited for."""
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="proxyshop-keyring")
    try:
        future = asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        return await asyncio.wait_for(future, timeout)
    except TimeoutError:
        raise KeyringUnavailableError(
            f"The OS keyring did not answer within {timeout:g} s (is it locked?).") from None
    finally:
        executor.shutdown(wait=False)
