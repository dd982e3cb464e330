"""A throwaway PostgreSQL cluster for the tests and benchmarks: initdb + pg_ctl on a temp dir.

Debian's server programs live in a versioned folder off PATH (/usr/lib/postgresql/N/bin), and
`initdb`/`postgres` refuse to run as root, which is how CI runs: as root the cluster's folder is
owned by the `postgres` system user and every server program runs through `setpriv` as that user.
The server listens on 127.0.0.1 and a free port only (never 5432's system server), keeps its
socket in the temp dir, and trades durability for speed (fsync off): it lives for one test run.

Clients authenticate with a password over TCP (scram-sha-256), so the app's password handling is
exercised the way a real shop's server would ask for it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "postgres"
PASSWORD = "throwaway-test-password"


class ClusterUnavailable(RuntimeError):
    """The PostgreSQL server programs are missing or the cluster would not start."""


def server_bindir() -> Path:
    """The folder holding initdb and pg_ctl: $PG_BINDIR, Debian's newest, or PATH."""
    if env := os.environ.get("PG_BINDIR"):
        return Path(env)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise ClusterUnavailable(
        "PostgreSQL server programs not found (initdb): install Debian's 'postgresql' package "
        "(./scripts/setup-env does) or set PG_BINDIR"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class ThrowawayCluster:
    """start() → a running server on 127.0.0.1:port; stop() removes everything."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="proxyshop-pg-")))
    port: int = field(default_factory=_free_port)
    bindir: Path = field(default_factory=server_bindir)
    _as_user: list[str] = field(default_factory=list)

    @property
    def datadir(self) -> Path:
        return self.root / "data"

    @property
    def admin_url(self) -> str:
        return self.url(SUPERUSER)

    def url(self, dbname: str) -> str:
        """A libpq URL without the password (clients get it from PGPASSWORD or the keyring)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [*self._as_user, *args]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            raise ClusterUnavailable(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-2000:]}"
            )
        return result

    def start(self) -> ThrowawayCluster:
        if os.geteuid() == 0:
            # The server refuses root: hand its folder to the postgres system user.
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError as exc:
                raise ClusterUnavailable("running as root and no 'postgres' system user") from exc
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            setpriv = shutil.which("setpriv") or "/usr/bin/setpriv"
            self._as_user = [
                setpriv, f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--init-groups",
            ]
        pwfile = self.root / "pwfile"
        pwfile.write_text(PASSWORD + "\n")
        if self._as_user:
            os.chown(pwfile, pwd.getpwnam("postgres").pw_uid, -1)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", SUPERUSER,
            "--auth-local=trust", "--auth-host=scram-sha-256", f"--pwfile={pwfile}",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )
        pwfile.unlink()
        return self._serve()

    def _serve(self) -> ThrowawayCluster:
        for attempt in range(3):
            options = " ".join([
                f"-p {self.port}", f"-k {self.root}", "-c listen_addresses=127.0.0.1",
                "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off",
                "-c max_connections=200",
            ])
            try:
                self._run(
                    str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-l",
                    str(self.root / "log"), "-o", options, "-w", "-t", "60", "start",
                )
                return self
            except ClusterUnavailable:
                # The free port can be taken between choosing it and the server binding it (other
                # clusters start in parallel test runs): choose another and try again.
                if attempt == 2:
                    raise
                self.port = _free_port()
        return self

    def halt(self) -> None:
        """The server goes away (its clients' connections end), its data kept: `resume()`."""
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "fast", "-w", "stop")

    def resume(self) -> None:
        """The halted server back, on the same port when it is still free."""
        self._serve()

    def stop(self) -> None:
        if self.datadir.exists():
            with contextlib.suppress(ClusterUnavailable):
                self._run(str(self.bindir / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate",
                          "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL as the superuser over the unix socket (trust), for set-up and checks."""
        result = self._run(
            str(self.bindir / "psql"), "-h", str(self.root), "-p", str(self.port),
            "-U", SUPERUSER, "-d", dbname, "-v", "ON_ERROR_STOP=1", "-At", "-c", sql,
        )
        return result.stdout.strip()

    def create_database(self, name: str) -> str:
        """A new empty database; returns its URL (no password)."""
        self.psql(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, name: str) -> None:
        self.psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
