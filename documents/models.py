"""Documents: files stored through Django's storage API, owned by any record."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from config.db import SoftStateModel, SoftStateQuerySet


def new_document_hash() -> str:
    return secrets.token_hex(20)


class Document(SoftStateModel):
    """A stored file attached to an owner row (a client today; others can follow)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    owner_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+"
    )
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    name = models.CharField(max_length=255)
    type = models.CharField(max_length=16)
    disk = models.CharField(max_length=32, default="local")
    hash = models.CharField(max_length=64)
    path = models.CharField(max_length=512)
    preview = models.CharField(max_length=512, blank=True, default="")
    size = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=127, blank=True, default="")
    is_default = models.BooleanField(default=False)
    is_public = models.BooleanField(default=True)

    objects = SoftStateQuerySet["Document"].as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["owner_type", "owner_id"], name="document_owner"),
            models.Index(fields=["company", "name"], name="document_company_name"),
        ]

    def __str__(self) -> str:
        return self.name
