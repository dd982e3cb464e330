"""The crash dialog: what an operator may copy into a bug report carries no token."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from proxyshop_desktop import logging_setup
from proxyshop_desktop.ui.error_dialogs import show_crash

TOKEN = "tok-CRASH-5e6f7a"


@pytest.fixture
def redacted_token() -> Any:
    logging_setup.install_redaction(TOKEN)
    yield TOKEN
    with logging_setup._secrets_lock:
        logging_setup._secrets.discard(TOKEN)


def test_a_crash_report_never_shows_the_token(
    qapp: Any, redacted_token: str, message_boxes: list[dict[str, str]], caplog: pytest.LogCaptureFixture
) -> None:
    try:
        raise RuntimeError(f"a bug that put the header 'Authorization: {redacted_token}' in its message")
    except RuntimeError as exc:
        with caplog.at_level(logging.ERROR):
            show_crash(None, type(exc), exc, exc.__traceback__)
    [box] = message_boxes
    assert box["name"] == "crashDialog"
    assert "RuntimeError" in box["details"] and "Authorization: " in box["details"]
    assert redacted_token not in box["details"] and redacted_token not in box["text"]
