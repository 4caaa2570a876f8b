"""Tenancy: companies, the users' memberships in them, and API tokens."""

import hashlib
import hmac
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from config.db import TimestampedModel

PERMISSION_ACTIONS = ("view", "edit", "create")

# The fields a company may make required, by the record they belong to.
REQUIRABLE_FIELDS = {
    "client": ("custom_value1", "custom_value2", "custom_value3", "custom_value4"),
    "contact": ("custom_value1", "custom_value2", "custom_value3", "custom_value4"),
}


def default_company_settings() -> dict[str, Any]:
    """The company settings every new company starts with."""
    return {
        "currency_id": "1",
        "country_id": "840",
        "language_id": "1",
        "client_number_counter": 1,
        "counter_padding": 4,
        "client_number_pattern": "",
        "default_password_timeout": 1800000,
    }


def new_company_key() -> str:
    return secrets.token_hex(16)


class Company(TimestampedModel):
    """The tenant: every client, contact, document and group belongs to one."""

    name = models.CharField(max_length=255)
    company_key = models.CharField(max_length=64, unique=True, default=new_company_key)
    settings = models.JSONField(default=default_company_settings)
    # {"client": {"custom_value2": "VAT region"}, "contact": {...}}: the fields
    # every create and update must leave filled in, each with its label.
    required_fields = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "companies"

    def __str__(self) -> str:
        return self.name

    def setting(self, key: str) -> Any:
        """A company setting, falling back to the built-in default."""
        value = self.settings.get(key) if isinstance(self.settings, dict) else None
        if value in (None, ""):
            return default_company_settings().get(key)
        return value

    def required_labels(self, record: str) -> dict[str, str]:
        """The required fields of `record` ("client" or "contact") → their labels,
        in field order; anything stored that isn't a requirable field is ignored."""
        stored = self.required_fields if isinstance(self.required_fields, dict) else {}
        chosen = stored.get(record)
        if not isinstance(chosen, dict):
            return {}
        return {
            field: str(chosen[field]).strip() or field
            for field in REQUIRABLE_FIELDS[record]
            if field in chosen
        }


class Membership(TimestampedModel):
    """A Django user's place in a company, with their role and permissions."""

    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    is_owner = models.BooleanField(default=False)
    is_admin = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    permissions = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"], name="unique_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"

    @property
    def is_admin_or_owner(self) -> bool:
        return self.is_admin or self.is_owner

    def can(self, action: str, entity: str) -> bool:
        """Whether this member may `action` (view/edit/create) every `entity` row."""
        if self.is_admin_or_owner:
            return True
        granted = self.permissions if isinstance(self.permissions, list) else []
        return f"{action}_{entity}" in granted or f"{action}_all" in granted


def digest_token(plain: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(plain.encode("utf-8")).hexdigest()


def new_plain_token() -> str:
    return secrets.token_urlsafe(48)


class ApiToken(TimestampedModel):
    """An API token of one membership; only its SHA-256 digest is stored."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="tokens"
    )
    name = models.CharField(max_length=255, default="API token")
    token_digest = models.CharField(max_length=64, unique=True, editable=False)
    is_revoked = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return f"{self.name} ({self.membership})"

    def matches(self, plain: str) -> bool:
        """Constant-time comparison of a presented token with this one."""
        return hmac.compare_digest(self.token_digest, digest_token(plain))

    def mark_used(self) -> None:
        """Record use, at most once a minute, so reads don't turn into writes."""
        now = timezone.now()
        if self.last_used_at is None or (now - self.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class IdempotencyKey(models.Model):
    """One `Idempotency-Key` a user sent to a company, and the answer to replay.

    `status` is None while the first request runs; then the answer is kept until
    `expires_at` (`manage.py idempotency_keys_clean` removes expired rows).
    """

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)
    status = models.PositiveSmallIntegerField(null=True)
    headers = models.JSONField(default=dict)
    body = models.BinaryField(default=b"")

    class Meta:
        verbose_name = "idempotency key"
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user", "key"], name="idempotency_key_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.key
