"""The signature of a delivery: HMAC-SHA256 of the exact body bytes.

The key is the subscription's secret as the API shows it (64 hex characters),
taken as its UTF-8 bytes, not decoded from hex:
`hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()`.
"""

import hashlib
import hmac

SIGNATURE_PREFIX = "sha256="


def signature(secret: str, body: bytes) -> str:
    """The `X-Webhook-Signature` value of `body`: `sha256=<hex digest>`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def signature_matches(secret: str, body: bytes, header: str) -> bool:
    """Whether `header` is the signature of `body` (a receiver's check)."""
    return hmac.compare_digest(signature(secret, body), header.strip())
