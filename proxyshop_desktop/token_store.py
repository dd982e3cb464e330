"""The provider API token: in the OS keyring, or in EXTERNAL_SOCKS_API_TOKEN (which wins).

There is deliberately no plaintext fallback: where no usable keyring backend exists the operator
is told so, and how to use the environment variable instead.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

# keyring is imported inside the functions that need it: importing it costs ~50 ms, and a cron
# `sync` with EXTERNAL_SOCKS_API_TOKEN set never touches it.

from proxyshop_desktop.errors import KeyringUnavailableError, ShopError, TokenMissingError
from proxyshop_desktop.i18n import Text, translate

SERVICE = "proxyshop-desktop"
ACCOUNT = "provider-api-token"
TOKEN_ENV = "EXTERNAL_SOCKS_API_TOKEN"
#: the Telegram bot token of the alerts: another named secret, kept the same way
BOT_TOKEN_ACCOUNT = "telegram-bot-token"
BOT_TOKEN_ENV = "PROXYSHOP_TELEGRAM_BOT_TOKEN"
#: the shared PostgreSQL database's password (issue 11); libpq's own PGPASSWORD also serves
DB_PASSWORD_ACCOUNT = "database-password"
DB_PASSWORD_ENV = "PGPASSWORD"

#: The only backends the token may go to: each keeps it encrypted by the OS under the user's login
#: ("module.Class"). Anything else is refused like `fail` and `null` are: keyrings.alt's
#: PlaintextKeyring writes it in clear to a file, its EncryptedKeyring and other file backends
#: keep it in a file next to a password or key of their own, and an unknown backend is unknown.
SECURE_BACKENDS = frozenset({
    "keyring.backends.SecretService.Keyring",  # GNOME Keyring, KeePassXC (the Secret Service)
    "keyring.backends.libsecret.Keyring",  # the same Secret Service, through libsecret
    "keyring.backends.kwallet.DBusKeyring",  # KWallet 5/6
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",  # the macOS Keychain
    "keyring.backends.Windows.WinVaultKeyring",  # the Windows Credential Manager
})
_accepted: set[str] = set(SECURE_BACKENDS)


class StatusWords(NamedTuple):
    """What `TokenStatus.describe` says of one secret in each state: whole sentences, so that each
    translates as one (the secret's name changes the grammar around it)."""

    from_environment: Text  # {0} the variable, {1} the keyring
    in_keyring: Text  # {0} the keyring
    no_keyring: Text  # {0} the keyring, {1} the variable
    not_set: Text  # {0} the keyring


TOKEN_WORDS = StatusWords(
    translate("cli", "Token set from {0} (overrides the keyring; keyring: {1})."),
    translate("cli", "Token set, stored in the OS keyring ({0})."),
    translate("cli", "No token. No usable OS keyring ({0}): export {1} instead."),
    translate("cli", "No token set. It will be stored in the OS keyring ({0})."),
)


@dataclass(frozen=True)
class TokenStatus:
    source: str  # "environment", "keyring" or "none"
    is_set: bool
    backend: str  # human name of the keyring backend, or why there is none
    keyring_usable: bool
    env_var: str = TOKEN_ENV

    def describe(self, words: StatusWords = TOKEN_WORDS) -> Text:
        """This secret's state in `words` (default: the provider token's, for `token status`)."""
        if self.source == "environment":
            return words.from_environment.format(self.env_var, self.backend)
        if self.source == "keyring":
            return words.in_keyring.format(self.backend)
        if not self.keyring_usable:
            return words.no_keyring.format(self.backend, self.env_var)
        return words.not_set.format(self.backend)

    def to_json(self) -> dict[str, object]:
        """The `… status --json` object of every secret."""
        return {"source": self.source, "is_set": self.is_set, "backend": self.backend,
                "keyring_usable": self.keyring_usable}


def allow_backend(backend_type: type) -> None:
    """Accept one more backend class. For the test suite's in-memory keyring only: the app itself
    never calls this."""
    _accepted.add(f"{backend_type.__module__}.{backend_type.__qualname__}")


def _backend() -> KeyringBackend:
    import keyring

    return _effective(keyring.get_keyring())


def _effective(backend: KeyringBackend) -> KeyringBackend:
    """The backend the token really goes to. keyring's chainer (chosen when several backends are
    installed) writes to the first chained backend that accepts, whatever it is: use its first
    secure one directly instead, and the chainer itself (refused) when it has none."""
    inner = getattr(backend, "backends", None)
    if inner is None:
        return backend
    return next((b for b in inner if _backend_name(b) in _accepted), backend)


def _backend_name(backend: KeyringBackend) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def keyring_usable(backend: KeyringBackend | None = None) -> bool:
    """True only for a known secure backend (SECURE_BACKENDS), or a chainer holding one."""
    backend = _effective(backend) if backend is not None else _backend()
    return _backend_name(backend) in _accepted


def _unavailable(backend: KeyringBackend) -> KeyringUnavailableError:
    return KeyringUnavailableError(
        translate("errors", "No usable OS keyring backend ({0}).").format(_backend_name(backend)))


def read_keyring_token(account: str = ACCOUNT) -> str | None:
    import keyring.errors

    backend = _backend()
    if not keyring_usable(backend):
        return None
    try:
        return backend.get_password(SERVICE, account) or None
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(translate("errors", "The OS keyring refused to read the token ({0}).").format(
            type(exc).__name__)) from None


def get_token(environ: dict[str, str] | None = None) -> str:
    """The token to use; TokenMissingError when there is none anywhere."""
    env = os.environ if environ is None else environ
    from_env = env.get(TOKEN_ENV, "").strip()
    if from_env:
        return from_env
    token = read_keyring_token()
    if not token:
        raise TokenMissingError(translate("errors", "No provider API token is set."))
    return token


def set_token(token: str, account: str = ACCOUNT) -> None:
    token = token.strip()
    if not token:
        raise ShopError(translate("errors", "The token is empty."),
                        translate("errors", "Paste the API key your provider gave you."))
    if any(ch.isspace() for ch in token):
        raise ShopError(translate("errors", "The token contains whitespace."),
                        translate("errors", "Paste the API key exactly, on one line."))
    store_secret(token, account)


def store_secret(secret: str, account: str) -> None:
    """Keep `secret` under `account` (a password may hold spaces: no token rules here)."""
    import keyring.errors

    if not secret:
        raise ShopError(translate("errors", "The token is empty."), "")
    backend = _backend()
    if not keyring_usable(backend):
        raise _unavailable(backend)
    try:
        backend.set_password(SERVICE, account, secret)
        stored = backend.get_password(SERVICE, account)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailableError(translate("errors", "The OS keyring refused to store the token ({0}).").format(
            type(exc).__name__)) from None
    if stored != secret:  # a backend that accepts writes and drops them
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
        raise KeyringUnavailableError(translate("errors", "The OS keyring refused to delete the token ({0}).").format(
            type(exc).__name__)) from None
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
