"""TLS failures: "not sent" only when the handshake failed (the certificate
was refused, nothing left); a TLS error after the request left (a proxy that
breaks the stream while TusFacturas issues) leaves the outcome unknown."""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import threading

import pytest

from tusfacturas import TusFacturasNotSent, TusFacturasOutcomeUnknown
from tusfacturas_sandbox.samples import invoice_payload


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (cert path, key path)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


class BrokenTlsServer:
    """Completes the TLS handshake and reads the request, then answers with a
    TLS record that does not decrypt: a TLS error while the answer is read,
    after the request left (a middlebox breaking the stream)."""

    def __init__(self, certificate):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(*map(str, certificate))
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while True:
            try:
                raw, _address = self.listener.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(raw, server_side=True) as conn:
                    if conn.recv(65536):
                        self.requests += 1
                    # An application-data record of random bytes.
                    os.write(conn.fileno(), b"\x17\x03\x03\x00\x20" + os.urandom(32))
                    conn.recv(1)  # until the client gives up
            except (ssl.SSLError, OSError):
                raw.close()

    def close(self):
        self.listener.close()


@pytest.fixture
def broken_server(certificate):
    server = BrokenTlsServer(certificate)
    yield server
    server.close()


def test_refused_certificate_is_not_sent(make_client, broken_server):
    api = make_client(
        base_url=f"https://127.0.0.1:{broken_server.port}/app/api/v2", retries=0
    )
    with pytest.raises(TusFacturasNotSent) as info:
        api.issue(invoice_payload())
    assert not info.value.outcome_unknown
    assert broken_server.requests == 0, "nothing left before the handshake"


def test_tls_error_after_the_request_left_is_unknown(
    make_client, broken_server, certificate, monkeypatch
):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate[0]))
    api = make_client(
        base_url=f"https://127.0.0.1:{broken_server.port}/app/api/v2", retries=0
    )
    with pytest.raises(TusFacturasOutcomeUnknown) as info:
        api.issue(invoice_payload())
    assert "SSL" in str(info.value), "a TLS error, not a dropped connection"
    assert broken_server.requests == 1
