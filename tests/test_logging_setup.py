import logging
import os
import stat

import pytest

from proxyshop_desktop import logging_setup
from proxyshop_desktop.logging_setup import configure_logging, install_redaction, shutdown_logging

SECRET = "sk-live-7d1e0c9a55aa41"


@pytest.fixture
def log_file(data_paths, monkeypatch):
    monkeypatch.setattr(logging_setup, "_secrets", set())
    path = configure_logging(data_paths, logging.DEBUG)
    yield path
    shutdown_logging()


def flushed(path):
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_file_is_owner_only_and_rotates_owner_only(data_paths, monkeypatch):
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 300)
    path = configure_logging(data_paths)
    try:
        for i in range(20):
            logging.getLogger("proxyshop_desktop.test").info("line %d %s", i, "x" * 40)
    finally:
        shutdown_logging()
    files = sorted(data_paths.logs_dir.glob("proxyshop.log*"))
    assert path in files and len(files) > 1
    for file in files:
        assert stat.S_IMODE(os.stat(file).st_mode) == 0o600, file


def test_registered_secrets_are_scrubbed_everywhere(log_file):
    install_redaction(SECRET)
    log = logging.getLogger("proxyshop_desktop.test")
    log.info("token is %s", SECRET)
    log.warning(f"inline {SECRET} in the message")
    try:
        raise ValueError(f"failure mentioning {SECRET}")
    except ValueError:
        log.exception("with a traceback")
    text = flushed(log_file)
    assert SECRET not in text
    assert text.count(logging_setup.REDACTED) >= 3 and "with a traceback" in text


def test_anything_after_authorization_is_scrubbed(log_file):
    logging.getLogger("proxyshop_desktop.test").info(
        "headers {'Authorization': 'raw-unregistered-key', 'Accept': 'x'}"
    )
    text = flushed(log_file)
    assert "raw-unregistered-key" not in text and "Authorization" in text


def test_the_environment_token_is_registered(data_paths, monkeypatch):
    monkeypatch.setattr(logging_setup, "_secrets", set())
    monkeypatch.setenv("EXTERNAL_SOCKS_API_TOKEN", SECRET)
    path = configure_logging(data_paths, logging.DEBUG)
    try:
        logging.getLogger("proxyshop_desktop.test").debug("using %s", SECRET)
        assert SECRET not in flushed(path)
    finally:
        shutdown_logging()


def test_chatty_libraries_stay_at_warning_even_in_debug(log_file):
    for name in ("httpx", "httpcore", "peewee"):
        assert logging.getLogger(name).getEffectiveLevel() == logging.WARNING
        logging.getLogger(name).info("GET https://provider/api?token=%s", "leaky")
    assert "leaky" not in flushed(log_file)


def test_configuring_twice_keeps_one_file_handler(data_paths, log_file):
    configure_logging(data_paths)
    ours = [h for h in logging.getLogger().handlers if getattr(h, "_proxyshop_handler", False)]
    assert len(ours) == 1


def test_short_strings_are_not_treated_as_secrets(log_file):
    install_redaction("ab")
    logging.getLogger("proxyshop_desktop.test").info("about tabs")
    assert "about tabs" in flushed(log_file)
