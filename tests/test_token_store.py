import json
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from proxyshop_desktop import token_store
from proxyshop_desktop.errors import KeyringUnavailableError, ShopError, TokenMissingError


def test_token_round_trips_through_the_keyring(memory_keyring):
    with pytest.raises(TokenMissingError):
        token_store.get_token(environ={})
    token_store.set_token("  abc123  ")
    assert token_store.get_token(environ={}) == "abc123"
    status = token_store.token_status(environ={})
    assert (status.source, status.is_set, status.keyring_usable) == ("keyring", True, True)
    assert token_store.clear_token() is True
    assert token_store.clear_token() is False
    assert token_store.token_status(environ={}).source == "none"


def test_environment_overrides_the_keyring(memory_keyring):
    token_store.set_token("from-keyring")
    env = {"EXTERNAL_SOCKS_API_TOKEN": "from-env"}
    assert token_store.get_token(environ=env) == "from-env"
    assert token_store.token_status(environ=env).source == "environment"


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()])
def test_no_usable_keyring_is_explained_and_nothing_is_written_elsewhere(backend, tmp_path):
    keyring.set_keyring(backend)
    with pytest.raises(KeyringUnavailableError) as err:
        token_store.set_token("secret-token")
    assert "EXTERNAL_SOCKS_API_TOKEN" in str(err.value)
    status = token_store.token_status(environ={})
    assert not status.keyring_usable and not status.is_set
    assert "EXTERNAL_SOCKS_API_TOKEN" in str(status.describe())
    # the env var still works without a keyring
    assert token_store.get_token(environ={"EXTERNAL_SOCKS_API_TOKEN": "t"}) == "t"


def test_a_backend_that_drops_writes_is_detected(memory_keyring, monkeypatch):
    monkeypatch.setattr(memory_keyring, "set_password", lambda *a: None)
    with pytest.raises(KeyringUnavailableError):
        token_store.set_token("secret-token")


@pytest.mark.parametrize("bad", ["", "   ", "two words"])
def test_malformed_tokens_are_refused(memory_keyring, bad):
    with pytest.raises(ShopError):
        token_store.set_token(bad)


class PlaintextKeyring(KeyringBackend):
    """Reports itself as keyrings.alt's PlaintextKeyring and does what it does: the password in
    clear in a file."""

    priority = 0.5  # type: ignore[assignment]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def _load(self) -> dict[str, str]:
        return json.loads(self.path.read_text()) if self.path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.path.write_text(json.dumps({**self._load(), f"{service}/{username}": password}))

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.PasswordDeleteError("not set")


PlaintextKeyring.__module__ = "keyrings.alt.file"


def test_a_plaintext_backend_is_refused_like_fail(tmp_path):
    store = tmp_path / "keyring_pass.cfg"
    keyring.set_keyring(PlaintextKeyring(store))
    refused = r"No usable OS keyring backend \(keyrings\.alt\.file\.PlaintextKeyring\)"
    with pytest.raises(KeyringUnavailableError, match=refused) as err:
        token_store.set_token("secret-token")
    assert "EXTERNAL_SOCKS_API_TOKEN" in str(err.value)
    assert not store.exists()
    with pytest.raises(KeyringUnavailableError):
        token_store.clear_token()
    status = token_store.token_status(environ={})
    assert not status.keyring_usable and not status.is_set
    assert "No usable OS keyring" in str(status.describe())


def test_a_token_already_in_a_plaintext_backend_is_not_used(tmp_path):
    plain = PlaintextKeyring(tmp_path / "keyring_pass.cfg")
    plain.set_password(token_store.SERVICE, token_store.ACCOUNT, "planted-or-old-token")
    keyring.set_keyring(plain)
    with pytest.raises(TokenMissingError):
        token_store.get_token(environ={})


class Chain(KeyringBackend):
    """keyring's chainer: writes to the first chained backend that accepts."""

    priority = 10  # type: ignore[assignment]

    def __init__(self, *backends: KeyringBackend) -> None:
        super().__init__()
        self.backends = list(backends)

    def get_password(self, service: str, username: str) -> str | None:
        return next(filter(None, (b.get_password(service, username) for b in self.backends)), None)

    def set_password(self, service: str, username: str, password: str) -> None:
        self.backends[0].set_password(service, username, password)

    def delete_password(self, service: str, username: str) -> None:
        self.backends[0].delete_password(service, username)


def test_a_chain_uses_its_secure_backend_never_the_plaintext_one(tmp_path, memory_keyring):
    store = tmp_path / "keyring_pass.cfg"
    keyring.set_keyring(Chain(PlaintextKeyring(store), memory_keyring))
    token_store.set_token("secret-token")
    assert not store.exists()
    assert memory_keyring.get_password(token_store.SERVICE, token_store.ACCOUNT) == "secret-token"
    assert token_store.get_token(environ={}) == "secret-token"
    keyring.set_keyring(Chain(PlaintextKeyring(store)))
    assert not token_store.keyring_usable()


def test_only_known_secure_backends_are_accepted():
    assert {"keyring.backends.SecretService.Keyring", "keyring.backends.macOS.Keyring",
            "keyring.backends.Windows.WinVaultKeyring",
            "keyring.backends.kwallet.DBusKeyring"} <= token_store.SECURE_BACKENDS
    refused = ("keyrings.alt", "keyring.backends.fail", "keyring.backends.null")
    assert not any(name.startswith(refused) for name in token_store.SECURE_BACKENDS)
