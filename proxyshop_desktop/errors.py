"""The one error taxonomy of the app.

Every failure an operator can meet becomes a `ShopError` subclass carrying an operator-facing
message (what happened) and a hint (what to do). The CLI prints them on one line, the window in a
dialog or the status bar. Anything that is *not* a ShopError is a bug: logged with its traceback.
Messages never contain the API token or customer credentials.
"""

from __future__ import annotations

from proxyshop_desktop.i18n import Text, as_text, translate


class ShopError(Exception):
    """Base class: `message` says what happened, `hint` what the operator can do.

    Raise sites pass `translate("errors", "…{0}…").format(arg)` Texts: `.text`/`.hint_text` are
    what the window and the CLI translate; `.message`/`.hint` stay their English strings (logs,
    `--json`)."""

    exit_code = 1
    default_hint: Text | str = ""

    def __init__(self, message: Text | str, hint: Text | str | None = None) -> None:
        self.text = as_text(message)
        self.hint_text = as_text(self.default_hint if hint is None else hint)
        self.message = str(self.text)
        self.hint = str(self.hint_text)
        super().__init__(self.message)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


# --- usage and local problems ------------------------------------------------------------------


class UsageError(ShopError):
    """Bad input from the operator (unknown id, invalid filter, bad path)."""

    exit_code = 2


class ConfigError(UsageError):
    """An invalid setting; the message names it."""


class NotFoundError(UsageError):
    """A product or order id that does not exist locally."""


class TokenMissingError(ShopError):
    default_hint = translate(
        "errors",
        "Set it with `proxyshop-desktop token set` (or the settings dialog), "
        "or export EXTERNAL_SOCKS_API_TOKEN.",
    )


class KeyringUnavailableError(ShopError):
    default_hint = translate(
        "errors",
        "No OS keyring is available on this machine; the token is not stored in a file instead. "
        "Export EXTERNAL_SOCKS_API_TOKEN in the environment that runs the app.",
    )


class StorageError(ShopError):
    """The local database or data dir cannot be used (disk full, not writable, damaged, locked)."""


class DatabaseUnavailableError(StorageError):
    """The database cannot be used right now (its server is gone, its disk fails): the operation
    was rolled back whole, and the window keeps trying until the database answers again."""


class BusyError(ShopError):
    """Another process holds the lock for this operation (sync, restore)."""

    default_hint = translate("errors", "Wait for it to finish and try again.")


class SyncedElsewhereError(BusyError):
    """Another machine on the shared database is syncing: the shop is being kept up to date, so a
    timed sync that meets it is not a failure."""


# --- shop rules ----------------------------------------------------------------------------------


class RefundRefusedError(ShopError):
    """A refund the shop's rules (or the provider) refuse; the message says which rule."""


# --- provider faults -----------------------------------------------------------------------------


class ProviderError(ShopError):
    """Base of everything the provider API can answer or fail with."""

    #: True when the request may have reached the provider and had its effect (buy/refund).
    outcome_unknown = False


class AuthError(ProviderError):
    default_hint = translate("errors", "Check the API token in Settings (or EXTERNAL_SOCKS_API_TOKEN).")


class BalanceTooLowError(ProviderError):
    default_hint = translate("errors", "Top up the shop's account at the provider, then sell again.")


class ProxyUnavailableError(ProviderError):
    """404 on buy/lookup, or 503 remote proxy failure: no sale happened."""

    default_hint = translate("errors", "No sale happened. Run a sync and choose another proxy.")


class NotRefundableError(ProviderError):
    default_hint = translate("errors", "The provider refunds only proxies that went offline, once.")


class RateLimitedError(ProviderError):
    default_hint = translate("errors", "The provider asks us to slow down; try again in a minute.")

    def __init__(self, message: Text | str, hint: Text | str | None = None, retry_after: float | None = None):
        super().__init__(message, hint)
        self.retry_after = retry_after


class ProviderUnavailableError(ProviderError):
    """5xx, connection refused, DNS failure, timeout."""

    default_hint = translate("errors", "Check the provider URL and the network; the app keeps working on local data.")


class ProviderTimeoutError(ProviderUnavailableError):
    default_hint = translate(
        "errors",
        "The provider did not answer in time; raise EXTERNAL_SOCKS_API_TIMEOUT or try again later.",
    )


class BadResponseError(ProviderError):
    """The provider answered something that is not the contract (HTML page, truncated JSON)."""

    default_hint = translate(
        "errors", "The provider (or a proxy in front of it) sent an invalid answer; try again later.")


class OutcomeUnknownError(ProviderError):
    """A buy/refund whose request may have reached the provider but whose answer was lost."""

    outcome_unknown = True
    default_hint = translate(
        "errors",
        "The provider may have charged it. The order is kept as pending; "
        "run `proxyshop-desktop reconcile` (or Reconcile in the Sales tab) to settle it.",
    )
