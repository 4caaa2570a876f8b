"""HTTPS targets: the connection goes to the vetted address, while SNI and the
certificate check use the URL's host name."""

import datetime
import socket
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.webhooks.delivery_support import (
    delivery_settings,
    make_delivery,
    make_webhook,
)
from tests.webhooks.delivery_support import run_worker as run_worker
from webhooks.models import DeliveryStatus, WebhookAttempt
from webhooks.sending import _VettedConnection
from webhooks.targets import Target

pytestmark = pytest.mark.django_db(transaction=True)
__all__ = ["delivery_settings"]


def _certificate(
    subject: str, key: Any, issuer: Any, issuer_key: Any, ca: bool
) -> x509.Certificate:
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tls_files(tmp_path: Path) -> dict[str, Path]:
    """A test CA, and a certificate it signed for receiver.example."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test CA")])
    ca = _certificate("Test CA", ca_key, ca_name, ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = _certificate("receiver.example", key, ca_name, ca_key, ca=False)
    files = {"ca": tmp_path / "ca.pem", "cert": tmp_path / "cert.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(
        leaf.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@pytest.fixture
def tls_receiver(tls_files: dict[str, Path]) -> Iterator[dict[str, Any]]:
    """An HTTPS server on 127.0.0.1 answering 200; the SNI names it was sent."""
    seen: dict[str, Any] = {"sni": [], "hosts": []}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen["hosts"].append(self.headers["Host"])
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tls_files["cert"])
    context.sni_callback = lambda sock, name, ctx: seen["sni"].append(name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    seen["port"] = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def _trusting(ca: Path) -> Any:
    real = ssl.create_default_context

    def create_default_context(*args: Any, **kwargs: Any) -> ssl.SSLContext:
        context = real(*args, **kwargs)
        context.load_verify_locations(ca)
        return context

    return mock.patch(
        "webhooks.sending.ssl.create_default_context", create_default_context
    )


def _resolving_to_loopback(*names: str) -> Any:
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host in names:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    return mock.patch("socket.getaddrinfo", getaddrinfo)


def test_an_https_target_is_checked_and_named_by_its_host(
    delivery_settings: Any, tls_receiver: dict[str, Any], tls_files: dict[str, Path]
) -> None:
    port = tls_receiver["port"]
    delivery = make_delivery(make_webhook(f"https://receiver.example:{port}/hook"))

    with _trusting(tls_files["ca"]), _resolving_to_loopback("receiver.example"):
        run_worker()

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert tls_receiver["sni"] == ["receiver.example"]
    assert tls_receiver["hosts"] == [f"receiver.example:{port}"]


def test_a_certificate_for_another_name_is_refused(
    delivery_settings: Any, tls_receiver: dict[str, Any], tls_files: dict[str, Path]
) -> None:
    delivery_settings.WEBHOOK_MAX_ATTEMPTS = 1
    port = tls_receiver["port"]
    delivery = make_delivery(make_webhook(f"https://impostor.example:{port}/hook"))

    with _trusting(tls_files["ca"]), _resolving_to_loopback("impostor.example"):
        run_worker()

    assert tls_receiver["hosts"] == []
    [logged] = WebhookAttempt.objects.filter(delivery=delivery)
    assert logged.response_status is None
    assert "TLS certificate not accepted" in logged.error
    assert "impostor.example" in logged.error


class _Recorder:
    def __init__(self) -> None:
        self.sent = b""

    def sendall(self, data: bytes) -> None:
        self.sent += data


@pytest.mark.parametrize(
    ("scheme", "port", "host"),
    [
        ("https", 443, "hooks.example.com"),
        ("http", 80, "hooks.example.com"),
        ("https", 8443, "hooks.example.com:8443"),
        ("http", 443, "hooks.example.com:443"),
    ],
)
def test_the_host_header_names_the_port_only_when_it_is_not_the_schemes(
    scheme: str, port: int, host: str
) -> None:
    sent = _Recorder()
    target = Target(scheme, "hooks.example.com", port, (ip_address("203.0.113.9"),))

    _VettedConnection(target, sent).request("POST", "/", body=b"{}")  # type: ignore[arg-type]

    assert f"Host: {host}\r\n".encode() in sent.sent
