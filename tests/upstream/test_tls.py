"""TLS certificates are verified: a provider whose certificate cannot be verified is refused
before anything (the token included) is sent, with a message that names the certificate."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from proxyshop_desktop.config import Settings
from proxyshop_desktop.errors import ProviderUnavailableError
from proxyshop_desktop.upstream.client import ProviderClient
from proxyshop_desktop.upstream.retry import RetryPolicy


def _self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "cert.pem", directory / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ))
    return cert_file, key_file


class _Handler(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:
        _Handler.seen.append(self.headers.get("Authorization", ""))
        body = b'{"proxies": [], "total": 0}'
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def self_signed_server(tmp_path: Path) -> Iterator[str]:
    cert_file, key_file = _self_signed(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Handler.seen = []
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}/api/v1/authorized"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.asyncio
async def test_an_unverifiable_certificate_is_refused_and_named(self_signed_server: str) -> None:
    client = ProviderClient(Settings(api_url=self_signed_server), "tok-TLS-check",
                            retry=RetryPolicy(attempts=1))
    try:
        with pytest.raises(ProviderUnavailableError) as caught:
            await client.list_page(0, 10)
    finally:
        await client.aclose()
    assert "certificate" in caught.value.message.lower()
    assert "certificate" in caught.value.hint.lower()
    assert _Handler.seen == []  # no request, so no token, ever reached the server


def test_a_looping_exception_chain_is_not_followed_forever() -> None:
    """httpx/httpcore exceptions can carry a __context__ chain that loops back on itself."""
    import httpx

    from proxyshop_desktop.upstream.client import _certificate_failure

    outer, inner = httpx.ConnectError("refused"), OSError("refused")
    outer.__context__, inner.__context__ = inner, outer
    assert _certificate_failure(outer) is False
    verify = ssl.SSLCertVerificationError("certificate verify failed")
    outer.__context__, verify.__context__ = verify, outer
    assert _certificate_failure(outer) is True
