"""One HTTP attempt at a delivery, to an address vetted just before it.

The URL is checked again at every attempt (`resolve_target`: what a name
resolves to can change) and the connection goes to one of the addresses that
check returned, never to a fresh lookup; the Host header, TLS SNI and the
certificate check use the real host name. The whole attempt (connect, TLS,
request, answer) shares one deadline, so a receiver that trickles bytes is cut
too. Redirects are not followed: a 3xx could point at a private address.
"""

import contextlib
import http.client
import io
import re
import select
import socket
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from webhooks.targets import Target, TargetRefused, resolve_target

RESPONSE_BODY_CHARS = 2000
USER_AGENT = "ninja-clients-webhooks/1.0"
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
# Set by the sender; a subscription's own headers can't replace them.
RESERVED_HEADERS = {
    "host",
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
    "user-agent",
}


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status (and the start of the body), or an error."""

    status: int | None
    body: str
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    def summary(self, host: str) -> str:
        """`HTTP 500 from host`, or the error: the last failure a log names."""
        if self.status is not None and not self.error:
            return f"HTTP {self.status} from {host}"
        return self.error


def request_headers(own: Mapping[str, Any], fixed: Mapping[str, str]) -> dict[str, str]:
    """The subscription's headers (the valid ones), then the fixed ones over them."""
    headers: dict[str, str] = {}
    reserved = RESERVED_HEADERS | {name.lower() for name in fixed}
    for name, value in own.items():
        text = str(value)
        if (
            isinstance(name, str)
            and _HEADER_NAME.match(name)
            and name.lower() not in reserved
            and not any(character in text for character in "\r\n\0")
        ):
            headers[name] = text
    headers.update(fixed)
    return headers


class _Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self.at - time.monotonic()
        if left <= 0:
            raise TimeoutError("deadline reached")
        return left


class _DeadlineSocket:
    """A socket whose every send and receive ends by the attempt's deadline."""

    def __init__(self, sock: socket.socket, deadline: _Deadline) -> None:
        self._sock = sock
        self._deadline = deadline

    def sendall(self, data: bytes) -> None:
        self._sock.settimeout(self._deadline.remaining())
        self._sock.sendall(data)

    def recv_into(self, buffer: Any) -> int:
        self._sock.settimeout(self._deadline.remaining())
        return self._sock.recv_into(buffer)

    def makefile(self, *args: Any, **kwargs: Any) -> io.BufferedReader:
        return io.BufferedReader(_DeadlineReader(self))

    def close(self) -> None:
        # http.client closes its socket as soon as it has read the head of an answer
        # that ends the connection, before the body is read from the same socket;
        # the attempt that opened the socket closes it when it has finished reading.
        pass


class _DeadlineReader(io.RawIOBase):
    def __init__(self, sock: _DeadlineSocket) -> None:
        self._sock = sock

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._sock.recv_into(buffer)


class _VettedConnection(http.client.HTTPConnection):
    """An HTTP connection over a socket already connected (and TLS-wrapped)."""

    def __init__(self, target: Target, sock: _DeadlineSocket) -> None:
        super().__init__(target.host, target.port)
        # The Host header leaves out the scheme's own port (443 for https).
        self.default_port = 443 if target.scheme == "https" else 80
        self.sock = sock

    def connect(self) -> None:  # the socket is given; never look the name up
        raise http.client.NotConnected("the connection is closed")


def _connect(target: Target, deadline: _Deadline) -> socket.socket:
    last: OSError = OSError("no address to connect to")
    for address in target.addresses:
        try:
            return socket.create_connection(
                (str(address), target.port), timeout=deadline.remaining()
            )
        except TimeoutError:
            raise
        except OSError as error:
            last = error
    raise last


def _tls(sock: socket.socket, host: str, deadline: _Deadline) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    tls = context.wrap_socket(sock, server_hostname=host, do_handshake_on_connect=False)
    tls.setblocking(False)
    while True:
        try:
            tls.do_handshake()
            break
        except ssl.SSLWantReadError:
            select.select([tls], [], [], deadline.remaining())
        except ssl.SSLWantWriteError:
            select.select([], [tls], [], deadline.remaining())
    tls.setblocking(True)
    return tls


def _path(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _exchange(
    target: Target,
    url: str,
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    deadline: _Deadline,
) -> tuple[int, str]:
    sock: socket.socket = _connect(target, deadline)
    try:
        if target.scheme == "https":
            sock = _tls(sock, target.host, deadline)
        connection = _VettedConnection(target, _DeadlineSocket(sock, deadline))
        connection.request(method.upper(), _path(url), body=body, headers=headers)
        response = connection.getresponse()
        text = ""
        # The status is the answer; the body is only for the log.
        with contextlib.suppress(OSError, http.client.HTTPException):
            text = response.read(RESPONSE_BODY_CHARS * 4).decode("utf-8", "replace")
        return response.status, text[:RESPONSE_BODY_CHARS]
    finally:
        sock.close()


def _failure(error: BaseException, target: Target | None, timeout: float) -> str:
    where = f" ({target.host}:{target.port})" if target else ""
    if isinstance(error, TargetRefused):
        return f"Target refused: {error}"
    if isinstance(error, TimeoutError):
        return f"Timed out after {timeout:g} s without a complete answer{where}."
    if isinstance(error, ConnectionRefusedError):
        return f"Connection refused{where}."
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted{where}: {error.verify_message}."
    if isinstance(error, ssl.SSLError):
        return f"TLS failed{where}: {error}."
    if isinstance(error, http.client.HTTPException):
        return f"Not a valid HTTP answer{where}: {type(error).__name__} {error}."
    if isinstance(error, ValueError):
        return f"The request could not be built: {error}."
    return f"Connection failed{where}: {error}."


def send(
    url: str, method: str, headers: Mapping[str, str], body: bytes, timeout: float
) -> Outcome:
    """Send one request; the outcome, never an exception for a network failure."""
    started = time.monotonic()
    deadline = _Deadline(timeout)
    target: Target | None = None
    status: int | None = None
    text = error = ""
    try:
        target = resolve_target(url)
        status, text = _exchange(target, url, method, headers, body, deadline)
        if 300 <= status < 400:
            error = f"HTTP {status} from {target.host}: redirects are not followed."
    except (OSError, http.client.HTTPException, ValueError) as failure:
        error = _failure(failure, target, timeout)
    duration_ms = int((time.monotonic() - started) * 1000)
    return Outcome(status, text, error[:500], duration_ms)
