"""`proxyshop-desktop db-password set|status|clear`: the shared database's password in the keyring."""

from __future__ import annotations

import argparse

from proxyshop_desktop import token_store
from proxyshop_desktop.cli.commands import Reply, read_secret
from proxyshop_desktop.logging_setup import install_redaction


def _status() -> token_store.TokenStatus:
    return token_store.token_status(
        account=token_store.DB_PASSWORD_ACCOUNT, env_var=token_store.DB_PASSWORD_ENV
    )


def run_db_password(args: argparse.Namespace) -> Reply:
    action = args.password_action
    if action == "status":
        status = _status()
        data = {"source": status.source, "is_set": status.is_set, "backend": status.backend,
                "keyring_usable": status.keyring_usable}
        text = status.describe().replace("Token", "Database password", 1)
        if not status.is_set:
            text += " libpq's ~/.pgpass is used when it has a matching line."
        return Reply(data, text)
    if action == "clear":
        removed = token_store.clear_token(token_store.DB_PASSWORD_ACCOUNT)
        text = "Database password removed from the OS keyring." if removed else "No database password was stored."
        return Reply({"status": "success", "removed": removed}, text)
    password = read_secret("Database password (not shown): ")
    install_redaction(password)
    token_store.store_secret(password, token_store.DB_PASSWORD_ACCOUNT)
    status = _status()
    text = f"Database password stored in the OS keyring ({status.backend})."
    if status.source == "environment":
        text += f" Note: {token_store.DB_PASSWORD_ENV} is set and overrides it."
    return Reply({"status": "success", "stored_in": "keyring", "backend": status.backend}, text)
