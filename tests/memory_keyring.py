"""An in-memory keyring backend for tests (the machines have no Secret Service)."""

from __future__ import annotations

import keyring.errors
from keyring.backend import KeyringBackend

from proxyshop_desktop import token_store


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.secrets[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not set") from None


# The app accepts only known secure backends; this one is the test suite's stand-in for them.
token_store.allow_backend(MemoryKeyring)
