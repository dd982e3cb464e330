"""The crash dialog: what an operator may copy into a bug report carries no token."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest

from proxyshop_desktop import logging_setup
from proxyshop_desktop.ui.error_dialogs import install_excepthook, show_crash

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


def test_the_crash_log_line_never_shows_the_token(
    qapp: Any, redacted_token: str, message_boxes: list[dict[str, str]], data_paths: Any,
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The log half: what the excepthook writes to the log file, with the token bare (a KeyError
    shows the key) and in a URL, nowhere near an `Authorization:`."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after install_excepthook
    log_file = logging_setup.configure_logging(data_paths)
    try:
        install_excepthook()
        try:
            try:
                {}[redacted_token]
            except KeyError as lookup:
                raise RuntimeError(f"GET https://provider.test/api?token={redacted_token} failed") from lookup
        except RuntimeError as exc:
            with caplog.at_level(logging.ERROR):
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        for handler in logging.getLogger().handlers:
            handler.flush()
        logging_setup.shutdown_logging()

    text = log_file.read_text(encoding="utf-8")
    assert "unexpected error" in text and "KeyError" in text and "RuntimeError" in text
    assert redacted_token not in text
    assert text.count(logging_setup.REDACTED) >= 2  # the bare key and the URL
    [record] = [r for r in caplog.records if r.name == "proxyshop_desktop.ui.error_dialogs"]
    assert redacted_token not in record.getMessage()
    [box] = message_boxes
    assert box["name"] == "crashDialog" and redacted_token not in box["details"]
