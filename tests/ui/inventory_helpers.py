"""Helpers of the Inventory tab tests."""

from __future__ import annotations

from typing import Any

from tests.ui.conftest import settle, until


def reload(tab: Any, run: Any) -> None:
    """Wait for the debounce timer (if armed) and the re-query it starts."""
    async def wait() -> None:
        await until(lambda: not tab._text_timer.isActive(), what="debounce")
        await settle(tab._bridge)

    run(wait())


def shown(tab: Any) -> list[Any]:
    return list(tab.model.rows)
