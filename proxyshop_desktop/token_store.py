"""The provider API token: in the OS keyring, or in EXTERNAL_SOCKS_API_TOKEN (which wins).

There is deliberately no plaintext fallback: where no usable keyring backend exists the operator
is told so, and how to use the environment variable instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported inside the functions that need it: importing it costs ~50 ms, and a cron
# `sync` with EXTERNAL_SOCKS_API_TOKEN set never touches it.

from proxyshop_desktop.errors import KeyringUnavailableError, ShopError, TokenMissingError

SERVICE = "proxyshop-desktop"
ACCOUNT = "provider-api-token"
TOKEN_ENV = "EXTERNAL_SOCKS_API_TOKEN"
#: the Telegram bot token of the alerts: another named secret, kept the same way
BOT_TOKEN_ACCOUNT = "telegram-bot-token"
BOT_TOKEN_ENV = "PROXYSHOP_TELEGRAM_BOT_TOKEN"

# Backends that cannot keep a secret: `fail` raises on every call, `null` drops writes silently.
_UNUSABLE_BACKENDS = ("keyring.backends.fail", "keyring.backends.null")


@dataclass(frozen=True)
class TokenStatus:
    source: str  # "environment", "keyring" or "none"
    is_set: bool
    backend: str  # human name of the keyring backend, or why there is none
    keyring_usable: bool
    env_var: str = TOKEN_ENV

    def describe(self) -> str:
        if self.source == "environment":
            return f"Token set from {self.env_var} (overrides the keyring; keyring: {self.backend})."
        if self.source == "keyring":
            return f"Token set, stored in the OS keyring ({self.backend})."
        if not self.keyring_usable:
            return (
                f"No token. No usable OS keyring ({self.backend}): "
                f"export {self.env_var} instead."
            )
        return f"No token set. It will be stored in the OS keyring ({self.backend})."


def _backend() -> KeyringBackend:
    import keyring

    return keyring.get_keyring()


def _backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__name__}"


def keyring_usable(backend: KeyringBackend | None = None) -> bool:
    backend = backend or _backend()
    module = type(backend).__module__
    if module.startswith(_UNUSABLE_BACKENDS):
        return False
    # The chainer is usable only when it chains at least one real backend.
    inner = getattr(backend, "backends", None)
    if inner is not None:
        return any(keyring_usable(b) for b in inner)
    return True


def _unavailable(backend: KeyringBackend) -> KeyringUnavailableError:
    return KeyringUnavailableError(f"No usable OS keyring backend ({_backend_name(backend)}).")


def read_keyring_token(account: str = ACCOUNT) -> str | None:
    import keyring.errors

    backend = _backend()
    if not keyring_usable(backend):
        return None
    try:
        return backend.get_password(SERVICE, account) or None
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(f"The OS keyring refused to read the token ({type(exc).__name__}).") from None


def get_token(environ: dict[str, str] | None = None) -> str:
    """The token to use; TokenMissingError when there is none anywhere."""
    env = os.environ if environ is None else environ
    from_env = env.get(TOKEN_ENV, "").strip()
    if from_env:
        return from_env
    token = read_keyring_token()
    if not token:
        raise TokenMissingError("No provider API token is set.")
    return token


def set_token(token: str, account: str = ACCOUNT) -> None:
    import keyring.errors

    token = token.strip()
    if not token:
        raise ShopError("The token is empty.", "Paste the API key your provider gave you.")
    if any(ch.isspace() for ch in token):
        raise ShopError("The token contains whitespace.", "Paste the API key exactly, on one line.")
    backend = _backend()
    if not keyring_usable(backend):
        raise _unavailable(backend)
    try:
        backend.set_password(SERVICE, account, token)
        stored = backend.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(f"The OS keyring refused to store the token ({type(exc).__name__}).") from None
    if stored != token:  # a backend that accepts writes and drops them
        raise _unavailable(backend)


def clear_token(account: str = ACCOUNT) -> bool:
    """Remove the token from the keyring; False when there was none."""
    import keyring.errors

    backend = _backend()
    if not keyring_usable(backend):
        raise _unavailable(backend)
    try:
        backend.delete_password(SERVICE, account)
    except keyring.errors.PasswordDeleteError:
        return False
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(f"The OS keyring refused to delete the token ({type(exc).__name__}).") from None
    return True


def token_status(
    environ: dict[str, str] | None = None, account: str = ACCOUNT, env_var: str = TOKEN_ENV
) -> TokenStatus:
    env = os.environ if environ is None else environ
    backend = _backend()
    usable = keyring_usable(backend)
    name = _backend_name(backend)
    if env.get(env_var, "").strip():
        return TokenStatus("environment", True, name, usable, env_var)
    try:
        stored = read_keyring_token(account) if usable else None
    except KeyringUnavailableError:
        stored, usable = None, False
    return TokenStatus("keyring" if stored else "none", bool(stored), name, usable, env_var)
