"""Which URLs a webhook may be sent to: http(s) on public addresses only.

Checked when a subscription is saved and again before every attempt, because
what a name resolves to can change (DNS rebinding). The sender connects to an
address this module vetted, never to a fresh lookup of the name.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TargetRefused(ValueError):
    """The URL can't be a webhook target; the message says why."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    addresses: tuple[IPAddress, ...]


def _is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    # `is_global` is false for loopback, private, link-local (the cloud metadata
    # address 169.254.169.254 among them), shared, reserved and documentation ranges.
    return address.is_global and not address.is_multicast


def resolve_target(url: str) -> Target:
    """The URL's scheme, host, port and addresses, or `TargetRefused`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused(f"The URL is not valid ({error}).") from error
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise TargetRefused("Only http:// and https:// URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise TargetRefused("The URL has no host.")
    if parts.username is not None or parts.password is not None:
        raise TargetRefused("Put credentials in the webhook's headers, not its URL.")
    port = port or (443 if scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(f"The host {host!r} does not resolve.") from error
    addresses = tuple(
        dict.fromkeys(
            ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in found
        )
    )
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        blocked = [str(address) for address in addresses if not _is_public(address)]
        if blocked:
            raise TargetRefused(
                f"The host {host!r} resolves to a private, loopback, link-local or"
                f" reserved address ({', '.join(blocked)}); webhooks go to public"
                " addresses only (WEBHOOK_ALLOW_PRIVATE_TARGETS=true lifts this)."
            )
    return Target(scheme, host, port, addresses)
