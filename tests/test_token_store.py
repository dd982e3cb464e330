import keyring
import pytest
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
    assert "EXTERNAL_SOCKS_API_TOKEN" in status.describe()
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
