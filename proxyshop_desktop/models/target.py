"""Which database the shop uses: the SQLite file in the data dir, or a PostgreSQL server.

`PROXYSHOP_DATABASE_URL` / `database_url` names a server as a libpq URL
(`postgresql://user@host:port/dbname?sslmode=require`); libpq's options pass through untouched.
The password is not part of the settings: it comes from the OS keyring (`db-password set`) or
from libpq itself (PGPASSWORD, ~/.pgpass). One inside the URL works, but is warned about and
registered with the log scrubber so that no message or log line carries it.
No peewee or psycopg import here: the settings validate a URL without loading a driver.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit, urlunsplit

from proxyshop_desktop.config import check_database_url as check_url
from proxyshop_desktop.i18n import Text, translate
from proxyshop_desktop.logging_setup import REDACTED, install_redaction, redact

#: sslmode values under which libpq refuses a server without TLS
TLS_MODES = ("require", "verify-ca", "verify-full")


def _is_loopback(host: str) -> bool:
    if not host or host.startswith("/") or host == "localhost":
        return True  # no host or a path: libpq's Unix socket on this machine
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class DatabaseTarget:
    """A parsed PostgreSQL URL; `conninfo` is what libpq gets, `shown` what people see."""

    url: str

    @classmethod
    def parse(cls, url: str) -> DatabaseTarget:
        target = cls(check_url(url))
        if target.url_password:
            install_redaction(target.url_password)  # every log line from now on
        return target

    @property
    def _parts(self) -> SplitResult:
        return urlsplit(self.url)

    @property
    def url_password(self) -> str | None:
        raw = self._parts.password
        return unquote(raw) if raw else None

    @property
    def host(self) -> str:
        return self._parts.hostname or "localhost"

    @property
    def port(self) -> int:
        return self._parts.port or 5432

    @property
    def user(self) -> str | None:
        return unquote(self._parts.username) if self._parts.username else None

    @property
    def dbname(self) -> str:
        return unquote(self._parts.path.lstrip("/"))

    @property
    def sslmode(self) -> str:
        return parse_qs(self._parts.query).get("sslmode", ["prefer"])[-1]

    @property
    def shown(self) -> str:
        """The URL without its password, fit for messages, logs and `db status`."""
        parts = self._parts
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", f":{REDACTED}@", 1)
        return urlunsplit(parts._replace(netloc=netloc))

    @property
    def without_password(self) -> str:
        """The URL for other libpq programs (pg_dump): the password goes by PGPASSWORD instead,
        never on a command line that `ps` shows."""
        parts = self._parts
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", "@", 1)
        return urlunsplit(parts._replace(netloc=netloc))

    def scrub(self, text: str) -> str:
        """`text` (a driver's error, say) without the password, whatever it came from."""
        if self.url_password:
            text = text.replace(self.url_password, REDACTED)
        return redact(text)

    def warnings(self) -> list[str]:
        """warning_texts in English (logs, and the Settings dialog today)."""
        return [str(text) for text in self.warning_texts()]

    def warning_texts(self) -> list[Text]:
        """What the operator should hear about this URL (at start-up and in the Settings dialog)."""
        found = []
        if self.url_password:
            found.append(translate(
                "database", "The database URL contains a password: it works, but keep it out of settings "
                "files; use `proxyshop-desktop db-password set` or ~/.pgpass instead."))
        if not _is_loopback(self.host) and self.sslmode not in TLS_MODES:
            found.append(translate(
                "database", "The database server {0} is reached without required TLS: the shop's "
                "data and password may cross the network in clear. Add ?sslmode=require "
                "(or verify-full) to the database URL.").format(self.host))
        return found


def keyring_password(target: DatabaseTarget, environ: dict[str, str]) -> str | None:
    """The password to hand libpq, or None to let libpq find its own.

    The URL's own password, then PGPASSWORD (libpq reads both itself), then the keyring's, then
    ~/.pgpass (libpq again). A keyring password is registered with the log scrubber."""
    from proxyshop_desktop import token_store

    if target.url_password or environ.get(token_store.DB_PASSWORD_ENV):
        return None
    password = token_store.read_keyring_token(token_store.DB_PASSWORD_ACCOUNT)
    if password:
        install_redaction(password)
    return password
