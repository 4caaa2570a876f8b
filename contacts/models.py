"""Client contacts: the people of a client, replaced as a whole set on every write."""

import secrets

from django.conf import settings
from django.db import models

from config.db import SoftStateModel, SoftStateQuerySet


def new_contact_key() -> str:
    return secrets.token_hex(20)


class ClientContact(SoftStateModel):
    """A contact of a client; deleted contacts are kept but never shown."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+"
    )
    client = models.ForeignKey(
        "clients.Client", on_delete=models.CASCADE, related_name="contacts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    first_name = models.CharField(max_length=255, blank=True, default="")
    last_name = models.CharField(max_length=255, blank=True, default="")
    email = models.CharField(max_length=255, blank=True, default="")
    phone = models.CharField(max_length=255, blank=True, default="")
    custom_value1 = models.TextField(blank=True, default="")
    custom_value2 = models.TextField(blank=True, default="")
    custom_value3 = models.TextField(blank=True, default="")
    custom_value4 = models.TextField(blank=True, default="")
    contact_key = models.CharField(
        max_length=40, default=new_contact_key, editable=False
    )
    is_primary = models.BooleanField(default=False)
    is_locked = models.BooleanField(default=False)
    send_email = models.BooleanField(default=True)
    last_login = models.DateTimeField(null=True, blank=True)
    password = models.CharField(max_length=255, blank=True, default="")

    objects = SoftStateQuerySet["ClientContact"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["client", "is_deleted"], name="contact_client_live"),
            models.Index(fields=["company", "email"], name="contact_company_email"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.first_name} {self.last_name}".strip()
            or self.email
            or self.contact_key
        )
