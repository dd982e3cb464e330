"""Logging for the window and the commands: a rotating, owner-only log file with secrets scrubbed.

Every record that reaches our handlers passes a redaction filter first: registered secrets (the
API token) and whatever follows an "Authorization" are replaced, in the message, its arguments and
its traceback. httpx and httpcore log request URLs and headers at INFO/DEBUG (field notes), and
peewee logs every SQL statement with its parameters (customer passwords) at DEBUG, so they are
held at WARNING whatever level the app runs at.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
from pathlib import Path

from proxyshop_desktop import safe_files
from proxyshop_desktop.errors import StorageError
from proxyshop_desktop.i18n import translate
from proxyshop_desktop.paths import AppPaths

REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
MAX_BYTES = 2_000_000
BACKUP_COUNT = 5
#: loggers that would write URLs, headers or SQL parameters (customer passwords) at INFO/DEBUG
NOISY_LOGGERS = ("httpx", "httpcore", "hpack", "urllib3", "peewee")
_MIN_SECRET_LENGTH = 4  # shorter "secrets" would shred ordinary words

_AUTHORIZATION = re.compile(r"(authorization)(.*)", re.IGNORECASE)
_secrets: set[str] = set()
_secrets_lock = threading.Lock()
_OURS = "_proxyshop_handler"


def install_redaction(secret: str | None) -> None:
    """Register a secret (the API token) to be scrubbed from every log record from now on."""
    if secret and len(secret.strip()) >= _MIN_SECRET_LENGTH:
        with _secrets_lock:
            _secrets.add(secret.strip())


def redact(text: str) -> str:
    with _secrets_lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, REDACTED)
    return _AUTHORIZATION.sub(lambda m: f"{m.group(1)}: {REDACTED}", text)


class RedactingFilter(logging.Filter):
    """Bakes the final message (and traceback) into the record, redacted; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class OwnerOnlyRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """Creates the log file (and each rotated successor) with mode 0600; never appends through a
    symlink, nor to another user's file (safe_files)."""

    # Unannotated on purpose: the base is typed TextIOWrapper, os.fdopen with a runtime mode IO[Any].
    def _open(self):  # type: ignore[no-untyped-def]
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
        fd = safe_files.open_file(Path(self.baseFilename), flags, translate("errors", "the log file"))
        return os.fdopen(
            fd, self.mode.replace("w", "a"), encoding=self.encoding, errors=self.errors
        )


def configure_logging(paths: AppPaths, level: int = logging.INFO, console: bool = False) -> Path:
    """(Re)configure the root logger; returns the log file. Safe to call more than once."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    install_redaction(os.environ.get("EXTERNAL_SOCKS_API_TOKEN"))
    install_redaction(os.environ.get("PROXYSHOP_TELEGRAM_BOT_TOKEN"))  # alerts: in the Bot API URL
    redaction = RedactingFilter()
    formatter = logging.Formatter(LOG_FORMAT)

    try:
        paths.logs_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        for rotated in range(1, BACKUP_COUNT + 1):  # renamed, never written: checked and 0600
            safe_files.check_file(Path(f"{paths.log_file}.{rotated}"), translate("errors", "the old log file"))
        file_handler = OwnerOnlyRotatingFileHandler(
            paths.log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        raise StorageError(
            translate("errors", "Cannot write the log file {0}: {1}.").format(paths.log_file, exc.strerror or exc),
            translate("errors", "Make the data dir writable, or point PROXYSHOP_DATA_DIR at a folder you own."),
        ) from exc
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setLevel(level)
        handler.setFormatter(formatter)
        handler.addFilter(redaction)
        setattr(handler, _OURS, True)
        root.addHandler(handler)
    root.setLevel(level)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    return paths.log_file


def shutdown_logging() -> None:
    """Remove and close our handlers (tests, and before a restore swaps files)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
